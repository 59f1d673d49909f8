import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { referenceDataRoot } from '../../sdk';

/** `ref:<path>` → inside the reference data set; other paths are absolute or relative to the working directory. */
export function resolveConfiguredPath(spec: string): string {
  return spec.startsWith('ref:') ? path.join(referenceDataRoot(), spec.slice(4)) : path.resolve(spec);
}

/** Writes `text` to `file` atomically (temporary file + rename), creating the folder. */
export function writeAtomic(file: string, text: string): void {
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
