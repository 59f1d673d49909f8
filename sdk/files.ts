import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { referenceDataRoot } from './reference-data';

/**
 * Small file helpers every module that keeps or loads files needs, written once.
 */

/**
 * A path from an operator's configuration: `ref:<path>` is inside the public reference data
 * set (sdk/reference-data.ts); anything else is absolute or relative to the working directory.
 */
export function resolveConfiguredPath(spec: string): string {
  return spec.startsWith('ref:') ? path.join(referenceDataRoot(), spec.slice(4)) : path.resolve(spec);
}

/** Writes `text` to `file` atomically (temporary file in the same folder + rename), creating the folder. */
export function writeAtomic(file: string, text: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** File text, gunzipped when the bytes start with the gzip magic number (1f 8b, RFC 1952 §2.3.1). */
export function readMaybeGzipped(file: string): string {
  const bytes = fs.readFileSync(file);
  return (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
}

/**
 * A module refuses a file it received: a copy is kept as `<dir>/<fileId>-<name>` with the
 * reason beside it in `<same>.reason`, so nothing is lost and an operator sees why. The
 * original may already be gone (moved by the inbox): the reason is written all the same.
 * Returns the paths to publish on `file.rejected`.
 */
export function keepRejectedFile(dir: string, file: { fileId: string; originalName: string; path: string }, reason: string): { keptAt: string; reasonFile: string } {
  const keptAt = path.join(dir, `${file.fileId}-${path.basename(file.originalName)}`);
  const reasonFile = `${keptAt}.reason`;
  fs.mkdirSync(dir, { recursive: true });
  try {
    fs.copyFileSync(file.path, keptAt);
  } catch {
    // the file may be gone: the reason is still written and published
  }
  writeAtomic(reasonFile, reason.endsWith('\n') ? reason : reason + '\n');
  return { keptAt, reasonFile };
}
