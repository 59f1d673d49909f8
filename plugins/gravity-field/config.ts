import { z } from '../../sdk';

const ModelFile = z
  .object({
    /** ICGEM .gfc or NGA EGM file, gzipped or not: absolute path, relative to the working directory, or `ref:<path>` in the reference data set. */
    file: z.string().min(1),
    /** `auto`: ICGEM when the file has an `end_of_head` line, NGA EGM columns otherwise. */
    format: z.enum(['auto', 'icgem', 'egm']).default('auto'),
    /** Name the model is served under (default: ICGEM `modelname`, else the file name). */
    name: z.string().min(1).optional(),
    /** NGA EGM files only (they have no header): GM in km³/s², radius in km, tide system. Defaults: EGM96. */
    muKm3S2: z.number().positive().optional(),
    radiusKm: z.number().positive().optional(),
    tideSystem: z.enum(['zero_tide', 'tide_free', 'mean_tide', 'unknown']).optional(),
    /**
     * Epoch (UTC, ISO-8601) at which time-variable ICGEM terms (gfct/trnd/acos/asin) are
     * evaluated; null: the mean field at the model's reference epoch (gfct alone).
     */
    epochUtc: z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?)?$/, 'expected YYYY-MM-DD[Thh:mm[:ss]][Z]').nullable().default(null),
  })
  .strict();

/** Configuration of the 'gravity-field' plugin (section plugins.gravity-field.config). Every key has a default. */
export const gravityFieldConfig = z
  .object({
    /** Models loaded at start. A missing file is not fatal: it is skipped and health() says so. */
    models: z.array(ModelFile).default([{ file: 'ref:gravity/brahe/EGM2008_120.gfc', format: 'auto', epochUtc: null }, { file: 'ref:gravity/brahe/JGM3.gfc', format: 'auto', epochUtc: null }]),
    /** Model served when a request names none; null: the first model loaded. */
    defaultModel: z.string().min(1).nullable().default(null),
    /** Take models from `file.received` (kind GRAVITY, owner gravity-field). */
    acceptReceivedFiles: z.boolean().default(true),
  })
  .strict();

export type GravityFieldConfig = z.output<typeof gravityFieldConfig>;
export type ModelFileConfig = z.output<typeof ModelFile>;
