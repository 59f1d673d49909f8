import { FILE_KINDS } from '../../interfaces/domain/product';
import { z } from '../../sdk';

/** Default owner of each kind of file (module names of the design's module catalog). */
export const DEFAULT_ROUTING = {
  TLE: 'tle-catalog',
  OMM: 'tle-catalog',
  OEM: 'ephemeris',
  OPM: 'orbit-determination',
  OCM: 'ephemeris',
  TDM: 'tracking-data',
  CDM: 'cdm',
  EOP: 'eop',
  LEAP_SECONDS: 'eop',
  SPACE_WEATHER: 'space-weather',
  GRAVITY: 'gravity-field',
} as const;

const ModuleName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a module (plugin) name');

/** Configuration of the 'file-inbox' plugin (section plugins.file-inbox.config of scoop.yaml). */
export const FileInboxConfig = z
  .object({
    /**
     * Drop folders. Each gets `done/YYYY-MM-DD/` and `rejected/` inside it. Empty: one folder,
     * `<plugin data dir>/inbox`. Relative paths are resolved from the working directory.
     */
    inboxes: z.array(z.object({ name: ModuleName, path: z.string().min(1) }).strict()).default([]),
    /** File kind → module that ingests it. Kinds absent from the table are rejected with a reason. */
    routing: z.partialRecord(z.enum(FILE_KINDS), ModuleName).default({ ...DEFAULT_ROUTING }),
    /** A file is read once it has not changed for this long (ms): files being written are not read early. */
    stabilityMs: z.number().int().min(50).default(1000),
    /** Larger files are rejected (bytes). */
    maxFileBytes: z.number().int().positive().default(512 * 2 ** 20),
    /** File names ignored (left alone) in the drop folders: writers' temporary names. `*` and `?` wildcards. */
    ignore: z.array(z.string().min(1)).default(['.*', '*.part', '*.tmp', '*.filepart', '*.crdownload']),
  })
  .strict();
export type FileInboxConfig = z.output<typeof FileInboxConfig>;
