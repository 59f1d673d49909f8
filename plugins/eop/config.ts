import { z } from '../../sdk';

/** Configuration of the 'eop' plugin (section plugins.eop.config). Every key has a default. */
export const eopConfig = z
  .object({
    /**
     * EOP table loaded at start: IERS finals2000A.all, CelesTrak EOP-All.txt or an IERS CSV
     * (EOP 20 C04, Bulletin A/B), detected from the content. Absolute path, path relative to the
     * working directory, or `ref:<path>` inside the reference data set (`../shared/data`, or
     * $SCOOP_REFERENCE_DATA). A missing file is not fatal: the plugin runs without a table and
     * says so in health().
     */
    file: z.string().min(1).default('ref:eop/iers-finals2000A.all'),
    /** finals2000A: use the Bulletin A columns (whole series incl. predictions) or Bulletin B where present. */
    finalsBulletin: z.enum(['A', 'B']).default('A'),
    /**
     * Leap-second table (USNO tai-utc.dat or IERS UTC-TAI.history), same path rules; null: the
     * table bundled with sdk/astro/time (through 2017-01-01, TAI−UTC = 37 s).
     */
    leapSecondsFile: z.string().min(1).nullable().default(null),
    /**
     * Predictions are "old" when the table's first predicted day is more than this many days
     * before today: a warning is logged when such predictions are served and health() is degraded.
     */
    maxPredictionAgeDays: z.number().positive().default(7),
    /** Take newer EOP and leap-second files from `file.received` (kinds EOP, LEAP_SECONDS; owner eop). */
    acceptReceivedFiles: z.boolean().default(true),
  })
  .strict();

export type EopConfig = z.output<typeof eopConfig>;
