import { z } from '../../sdk';

/** Configuration of the 'space-weather' plugin (section plugins.space-weather.config). Every key has a default. */
export const spaceWeatherConfig = z
  .object({
    /**
     * Table loaded at start: a CelesTrak SW-All file, fixed-field text or CSV (detected from the
     * content). Absolute path, path relative to the working directory, or `ref:<path>` inside
     * the reference data set (`../shared/data`, or $SCOOP_REFERENCE_DATA). A missing file is not
     * fatal: the plugin runs without a table (or with the last received one) and says so in health().
     */
    file: z.string().min(1).default('ref:space-weather/celestrak-SW-All-2026-08-22.txt'),
    /** Ap used where the table has none (monthly-predicted points of the text format); 15 = Kp 3o. */
    apWhenMissing: z.number().min(0).max(400).default(15),
    /** health() is 'degraded' when the last observed day is older than this (days). */
    maxObservedAgeDays: z.number().positive().default(3),
    /** Take newer tables from `file.received` (kind SPACE_WEATHER, owner space-weather). */
    acceptReceivedFiles: z.boolean().default(true),
  })
  .strict();

export type SpaceWeatherConfig = z.output<typeof spaceWeatherConfig>;
