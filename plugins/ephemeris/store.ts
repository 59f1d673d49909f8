import * as fs from 'node:fs';
import * as path from 'node:path';
import { CcsdsParseError, parseNdm, type ParseMode } from '../../sdk/ccsds';
import { readMaybeGzipped, writeAtomic } from '../../sdk/files';
import { OemContentError, trajectoriesFromOcm, trajectoriesFromOem, type OemGroup } from './oem-io';
import type { Trajectory } from './trajectory';

/** A received OEM as kept in `<dataDir>/oem/index.json`. */
export interface StoredFile {
  fileId: string;
  originalName: string;
  /** File name inside `<dataDir>/oem/`. */
  storedAs: string;
  sha256: string;
  receivedAtUtc: string;
}

/** One operator ephemeris (one object and frame of one received OEM). */
export interface StoredEphemeris {
  ephemerisId: string;
  objectId: string;
  trajectory: Trajectory;
  file: StoredFile;
  path: string;
}

/** Why a file was refused, with the line when the reader gave one. */
export class RefusedFile extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'RefusedFile';
  }
}

/**
 * Reads an OEM (or the Cartesian trajectory blocks of an OCM) into ephemerides. `fileId` names them: `<fileId>` when the file holds one
 * object/frame, `<fileId>#<n>` (n from 1, in file order) when it holds several.
 */
export function readOemFile(text: string, file: StoredFile, fullPath: string, mode: ParseMode, notes?: (message: string) => void): StoredEphemeris[] {
  let parsed;
  try {
    parsed = parseNdm(text, { file: file.originalName, mode });
  } catch (err) {
    if (err instanceof CcsdsParseError) {
      const first = err.problems.find((p) => p.severity === 'error');
      throw new RefusedFile(err.message, first?.line);
    }
    throw err;
  }
  const msg = parsed.message;
  if (msg.type !== 'OEM' && msg.type !== 'OCM') throw new RefusedFile(`${file.originalName}: a CCSDS ${msg.type}, not an OEM or OCM`);
  let groups: OemGroup[];
  try {
    if (msg.type === 'OEM') groups = trajectoriesFromOem(msg, file.originalName);
    else {
      const r = trajectoriesFromOcm(msg, file.originalName);
      for (const s of r.skipped) notes?.(`OCM block left out: ${s}`);
      groups = r.groups;
    }
  } catch (err) {
    if (err instanceof OemContentError) throw new RefusedFile(err.message, err.line);
    throw err;
  }
  return groups.map((g, k) => ({
    ephemerisId: groups.length === 1 ? file.fileId : `${file.fileId}#${k + 1}`,
    objectId: g.objectId,
    trajectory: g.trajectory,
    file,
    path: fullPath,
  }));
}

/**
 * The operator ephemerides received as OEM files: each accepted file is copied to
 * `<dir>/<fileId>-<name>` and listed in `<dir>/index.json` (written atomically), so a restart
 * reads them again. At most `keepFiles` files are kept (the oldest received are dropped).
 */
export class OemStore {
  readonly #dir: string;
  readonly #files: StoredFile[] = [];
  readonly #byId = new Map<string, StoredEphemeris>();

  constructor(
    dir: string,
    private readonly opts: { mode: ParseMode; keepFiles: number; warn: (message: string) => void },
  ) {
    this.#dir = dir;
  }

  get size(): number {
    return this.#byId.size;
  }

  /** Reads the index and every file in it; a file that no longer reads is skipped with a warning. */
  load(): void {
    const index = path.join(this.#dir, 'index.json');
    if (!fs.existsSync(index)) return;
    let files: StoredFile[];
    try {
      files = JSON.parse(fs.readFileSync(index, 'utf8')) as StoredFile[];
      if (!Array.isArray(files)) throw new Error('not an array');
    } catch (err) {
      this.opts.warn(`${index}: unreadable index (${(err as Error).message}); starting with no operator ephemeris`);
      return;
    }
    for (const f of files) {
      const full = path.join(this.#dir, f.storedAs);
      try {
        this.#add(f, readOemFile(readMaybeGzipped(full), f, full, this.opts.mode));
      } catch (err) {
        this.opts.warn(`${full}: stored OEM skipped: ${(err as Error).message}`);
      }
    }
  }

  /** Reads a received file; on success keeps a copy and returns its ephemerides. Throws RefusedFile. */
  ingest(received: { fileId: string; originalName: string; path: string; sha256: string; receivedAtUtc: string }): StoredEphemeris[] {
    let text: string;
    try {
      text = readMaybeGzipped(received.path);
    } catch (err) {
      throw new RefusedFile(`${received.originalName}: cannot read ${received.path}: ${(err as Error).message}`);
    }
    const file: StoredFile = { fileId: received.fileId, originalName: received.originalName, storedAs: `${received.fileId}-${path.basename(received.originalName)}`, sha256: received.sha256, receivedAtUtc: received.receivedAtUtc };
    const full = path.join(this.#dir, file.storedAs);
    const entries = readOemFile(text, file, full, this.opts.mode, this.opts.warn);
    fs.mkdirSync(this.#dir, { recursive: true });
    fs.copyFileSync(received.path, full);
    this.#add(file, entries);
    while (this.#files.length > this.opts.keepFiles) this.#drop(this.#files[0]);
    this.#writeIndex();
    return entries;
  }

  get(ephemerisId: string): StoredEphemeris | undefined {
    return this.#byId.get(ephemerisId);
  }

  all(): StoredEphemeris[] {
    return [...this.#byId.values()];
  }

  #add(file: StoredFile, entries: StoredEphemeris[]): void {
    this.#files.push(file);
    for (const e of entries) this.#byId.set(e.ephemerisId, e);
  }

  #drop(file: StoredFile): void {
    this.#files.splice(this.#files.indexOf(file), 1);
    for (const [id, e] of this.#byId) if (e.file === file) this.#byId.delete(id);
    fs.rmSync(path.join(this.#dir, file.storedAs), { force: true });
  }

  #writeIndex(): void {
    writeAtomic(path.join(this.#dir, 'index.json'), JSON.stringify(this.#files, null, 1) + '\n');
  }
}
