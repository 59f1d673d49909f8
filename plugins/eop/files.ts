import * as fs from 'node:fs';
import * as path from 'node:path';
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
