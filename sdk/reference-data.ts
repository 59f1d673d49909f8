import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Locates the public reference data set (`../shared/data` beside the project by default,
 * or the directory named by the `SCOOP_REFERENCE_DATA` environment variable).
 *
 * Tests and loaders read reference files only through this helper, so the data is never
 * copied into the project and a missing data set is reported in one clear sentence.
 */
export class ReferenceDataMissingError extends Error {
  constructor(
    readonly root: string,
    readonly relative?: string,
  ) {
    super(
      relative
        ? `reference data file '${relative}' not found under ${root} (set SCOOP_REFERENCE_DATA to the shared data directory)`
        : `reference data directory ${root} not found (set SCOOP_REFERENCE_DATA to the shared data directory, default ../shared/data beside the project)`,
    );
    this.name = 'ReferenceDataMissingError';
  }
}

/** The project root: the directory holding package.json above this file. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

export function referenceDataRoot(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.SCOOP_REFERENCE_DATA;
  return configured ? path.resolve(configured) : path.resolve(PROJECT_ROOT, '..', 'shared', 'data');
}

/** True when the reference data directory exists (tests may report clearly and stop). */
export function hasReferenceData(env: NodeJS.ProcessEnv = process.env): boolean {
  return fs.existsSync(referenceDataRoot(env));
}

/** Absolute path of a file of the reference set, e.g. `referenceDataPath('eop/usno-tai-utc.dat')`. */
export function referenceDataPath(relative: string, env: NodeJS.ProcessEnv = process.env): string {
  const root = referenceDataRoot(env);
  if (!fs.existsSync(root)) throw new ReferenceDataMissingError(root);
  const full = path.resolve(root, relative);
  if (!full.startsWith(root + path.sep) && full !== root) throw new Error(`reference data path '${relative}' escapes ${root}`);
  if (!fs.existsSync(full)) throw new ReferenceDataMissingError(root, relative);
  return full;
}

/** Reads a reference file as UTF-8 text. */
export function readReferenceText(relative: string, env: NodeJS.ProcessEnv = process.env): string {
  return fs.readFileSync(referenceDataPath(relative, env), 'utf8');
}
