import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileKind } from '../../interfaces/domain/product';
import { detectFile, type Format } from './detect';
import type { Journal, JournalEntry } from './journal';

/**
 * One watched drop folder. Files are handled one at a time, in arrival order:
 *
 *   1. refuse what is not a plain file directly inside the folder (symbolic links are moved
 *      to rejected/ untouched — never followed; anything resolving outside is left alone);
 *   2. read it, and re-check size and modification time afterwards: a file still growing is
 *      put back in the queue (the watcher's stability delay is the first guard, this the second);
 *   3. hash it (SHA-256) and look it up in the journal: resume an unfinished delivery, refuse
 *      a duplicate (same name and same bytes already delivered);
 *   4. detect its kind and check it (CCSDS files are read once by the sdk/ccsds codecs), and
 *      route it to its owner, or decide to reject it;
 *   5. journal the decision, then move it without ever overwriting: a hard link to a free
 *      name in `done/YYYY-MM-DD/` or `rejected/` (link fails if the name exists, so two files
 *      can never land on the same name), then unlink the original — at every instant the file
 *      exists under at least one name; a rejected file gets `<name>.reason` beside it;
 *   6. journal "moved", publish, journal "published".
 */

export interface Delivery {
  entry: JournalEntry;
}

export interface InboxDeps {
  name: string;
  dir: string;
  routing: Partial<Record<FileKind, string>>;
  maxFileBytes: number;
  ignore: RegExp[];
  journal: Journal;
  now: () => Date;
  published(entry: JournalEntry): void;
  log: { info(m: string): void; warn(m: string): void; error(m: string): void; debug(m: string): void };
  signal: AbortSignal;
  /** A file modified less recently than this (ms) is not read yet. */
  stabilityMs: number;
}

let sequence = 0;

export class Inbox {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private running: Promise<void> | undefined;
  private readonly madeDirs = new Set<string>();
  readonly realDir: string;

  constructor(private readonly deps: InboxDeps) {
    fs.mkdirSync(deps.dir, { recursive: true });
    this.realDir = fs.realpathSync(deps.dir);
    fs.mkdirSync(path.join(this.realDir, 'done'), { recursive: true });
    fs.mkdirSync(path.join(this.realDir, 'rejected'), { recursive: true });
  }

  get name(): string {
    return this.deps.name;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Finishes deliveries interrupted by a stop or a crash whose file already left the inbox. */
  recover(): void {
    for (const e of this.deps.journal.unfinished()) {
      if (e.inbox !== this.deps.name) continue;
      const src = path.join(this.realDir, e.name);
      const srcExists = fs.existsSync(src);
      if (e.stage === 'claimed' && srcExists) continue; // still in the inbox: the start-up scan meets it and resumes this entry
      if (srcExists && sameFile(src, e.dest)) fs.unlinkSync(src); // linked to its destination, original not yet removed
      if (!fs.existsSync(e.dest)) {
        this.deps.log.error(`journal entry ${e.fileId} (${e.name}) is unfinished but neither ${src} nor ${e.dest} exists`);
        continue;
      }
      if (e.stage === 'claimed') this.deps.journal.mark(e, 'moved');
      this.publish(e);
    }
  }

  /** Queues a path reported by the watcher (or a scan). */
  offer(p: string): void {
    if (this.queued.has(p)) return;
    const base = path.basename(p);
    if (this.deps.ignore.some((re) => re.test(base))) return;
    this.queued.add(p);
    this.queue.push(p);
    if (!this.running) this.running = this.drain().finally(() => (this.running = undefined));
  }

  /** Resolves when the queue is empty (or the plugin is stopping). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length && !this.deps.signal.aborted) {
      const p = this.queue.shift()!;
      this.queued.delete(p);
      try {
        const againInMs = this.handle(p);
        if (againInMs > 0) setTimeout(() => this.offer(p), againInMs).unref?.();
      } catch (err) {
        // The file stays in the inbox (nothing was moved, or the journal will resume it).
        this.deps.log.error(`${p}: ${(err as Error).message}`);
      }
      // Let the event loop breathe between files (watcher events, bus deliveries).
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Handles one path; returns a delay (ms) after which to look at the file again, or 0. */
  handle(p: string): number {
    const abs = path.resolve(p);
    const name = path.basename(abs);
    if (path.dirname(abs) !== this.realDir && realParent(abs) !== this.realDir) {
      this.deps.log.warn(`${abs}: outside inbox ${this.realDir}; refused and left where it is`);
      return 0;
    }
    const src = path.join(this.realDir, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(src);
    } catch {
      return 0; // gone (already moved, or removed by its writer)
    }
    if (st.isDirectory()) return 0;
    if (st.isSymbolicLink()) {
      let target = '?';
      try {
        target = fs.readlinkSync(src);
      } catch {
        /* unreadable link: the reason says '?' */
      }
      this.reject(src, name, '0'.repeat(64), 0, `symbolic link refused (points to '${target}'); the inbox only takes plain files`);
      return 0;
    }
    if (!st.isFile()) {
      this.reject(src, name, '0'.repeat(64), 0, 'not a regular file (device, FIFO or socket) refused');
      return 0;
    }
    if (st.size > this.deps.maxFileBytes) {
      this.reject(src, name, '0'.repeat(64), st.size, `file of ${st.size} bytes exceeds the limit of ${this.deps.maxFileBytes} bytes (maxFileBytes)`);
      return 0;
    }
    // Second guard after the watcher's own: a file changed less than stabilityMs ago may still
    // be written to (the watcher's size polling can miss a writer pausing between chunks).
    // (stabilityMs 0 turns the guard off: mtime has sub-ms digits Date.now() lacks, so a file
    // written this very millisecond can look a fraction of a ms "in the future".)
    const quietMs = Date.now() - st.mtimeMs;
    if (this.deps.stabilityMs > 0 && quietMs < this.deps.stabilityMs) return this.deps.stabilityMs - quietMs + 20;
    const buf = fs.readFileSync(src);
    const after = fs.statSync(src);
    if (after.size !== st.size || after.mtimeMs !== st.mtimeMs || buf.length !== st.size) {
      this.deps.log.debug(`${src}: still being written (size ${st.size} → ${after.size}); looked at again later`);
      return this.deps.stabilityMs;
    }
    const sha256 = createHash('sha256').update(buf).digest('hex');
    const known = this.deps.journal.find(this.deps.name, name, sha256);
    if (known && known.stage !== 'published') {
      this.move(known, src);
      return 0;
    }
    if (known) {
      this.reject(src, name, sha256, buf.length, `duplicate: the same file (same name and SHA-256) was already received as ${known.fileId} on ${known.atUtc}; rename it to have it processed again`);
      return 0;
    }
    const d = detectFile(buf, name);
    if (d.kind === null) {
      this.reject(src, name, sha256, buf.length, d.reason, d.line, d.claimed, d.problems);
      return 0;
    }
    const owner = this.deps.routing[d.kind];
    if (!owner) {
      this.reject(src, name, sha256, buf.length, `no module is configured to take files of kind ${d.kind} (${d.detail}); see the routing table`, undefined, d.kind);
      return 0;
    }
    const now = this.deps.now();
    const entry = this.newEntry(name, sha256, buf.length, 'done', now, { kind: d.kind, format: d.format, owner, ...(d.warnings ? { warnings: d.warnings } : {}) });
    entry.dest = this.freeName(path.join(this.realDir, 'done', now.toISOString().slice(0, 10)), name);
    this.deps.journal.claim(entry);
    this.move(entry, src);
    return 0;
  }

  private newEntry(name: string, sha256: string, sizeBytes: number, outcome: 'done' | 'rejected', now: Date, extra: Partial<JournalEntry>): JournalEntry {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const fileId = `${stamp}-${sha256.slice(0, 12)}-${(++sequence).toString(36)}${process.pid.toString(36)}`;
    return { fileId, inbox: this.deps.name, name, sha256, sizeBytes, outcome, dest: '', atUtc: now.toISOString(), stage: 'claimed', ...extra };
  }

  private reject(src: string, name: string, sha256: string, size: number, reason: string, line?: number, kind?: FileKind, problems?: string[]): void {
    const now = this.deps.now();
    const entry = this.newEntry(name, sha256, size, 'rejected', now, { reason, ...(line !== undefined ? { line } : {}), ...(kind ? { kind } : {}), ...(problems ? { problems } : {}) });
    entry.dest = this.freeName(path.join(this.realDir, 'rejected'), name);
    this.deps.journal.claim(entry);
    this.move(entry, src);
  }

  /** A name in `dir` not used yet: `name`, then `stem~1.ext`, `stem~2.ext`… (also free of a `.reason` twin). */
  private freeName(dir: string, name: string): string {
    if (!this.madeDirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    const ext = path.extname(name);
    const stem = name.slice(0, name.length - ext.length);
    for (let n = 0; ; n++) {
      const candidate = path.join(dir, n === 0 ? name : `${stem}~${n}${ext}`);
      if (!fs.existsSync(candidate) && !fs.existsSync(candidate + '.reason')) return candidate;
    }
  }

  /** Moves the file to the entry's destination without overwriting anything, then publishes. */
  private move(entry: JournalEntry, src: string): void {
    if (entry.outcome === 'rejected') {
      const reasonFile = entry.dest + '.reason';
      if (!fs.existsSync(reasonFile)) {
        const problems = (entry.problems ?? []).map((p) => `\nproblem: ${p}`).join('');
        const text = `file: ${entry.name}\nreceived: ${entry.atUtc}\nsha256: ${entry.sha256}\nreason: ${entry.reason}${entry.line ? `\nline: ${entry.line}` : ''}${problems}\n`;
        fs.writeFileSync(reasonFile + '.tmp', text);
        fs.renameSync(reasonFile + '.tmp', reasonFile);
      }
    }
    if (!sameFile(src, entry.dest)) {
      try {
        fs.linkSync(src, entry.dest);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') {
          // Someone took the name since it was chosen: choose again and journal the new decision.
          entry.dest = this.freeName(path.dirname(entry.dest), entry.name);
          this.deps.journal.claim(entry);
          this.move(entry, src);
          return;
        }
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') {
          // File systems without hard links: rename, after checking the name is still free.
          if (fs.existsSync(entry.dest)) throw new Error(`cannot move ${src}: ${entry.dest} appeared meanwhile`, { cause: err });
          fs.renameSync(src, entry.dest);
        } else throw err;
      }
    }
    if (fs.existsSync(src)) fs.unlinkSync(src);
    this.deps.journal.mark(entry, 'moved');
    this.publish(entry);
  }

  private publish(entry: JournalEntry): void {
    this.deps.published(entry);
    this.deps.journal.mark(entry, 'published');
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const sa = fs.lstatSync(a);
    const sb = fs.lstatSync(b);
    return sa.ino === sb.ino && sa.dev === sb.dev;
  } catch {
    return false;
  }
}

function realParent(p: string): string | undefined {
  try {
    return fs.realpathSync(path.dirname(p));
  } catch {
    return undefined;
  }
}

export type { Format };
