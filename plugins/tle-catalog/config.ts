import { z } from '../../sdk';

/** Configuration of the 'tle-catalog' plugin (section plugins.tle-catalog.config of scoop.yaml). */
export const TleCatalogConfig = z
  .object({
    /** Age beyond which an entry carries an age warning (days since epoch). */
    maxAgeDays: z.number().positive().default(14),
    /** Element sets kept per object (oldest dropped first). */
    historyMaxSets: z.number().int().positive().default(1000),
    /** Epochs later than now by more than this are flagged (days). */
    futureEpochToleranceDays: z.number().nonnegative().default(1),
    /** Relative mean-motion change between consecutive sets that is flagged (fraction). */
    meanMotionJumpFraction: z.number().positive().default(0.01),
    /** Journal length (element sets) after which a snapshot is written and the journal emptied. */
    snapshotAfterSets: z.number().int().positive().default(200_000),
    /** Path of a NASA CARA HBR/mass table (CSV); null: no hard-body data. */
    hbrTablePath: z.string().nullable().default(null),
    fetch: z
      .object({
        /** Off by default: the suite runs offline unless an operator turns it on. */
        enabled: z.boolean().default(false),
        /** GP data URLs (TLE or OMM in any syntax); CelesTrak's "active" group by default. */
        sources: z
          .array(z.object({ name: z.string().min(1), url: z.string().url() }).strict())
          .default([{ name: 'celestrak-active', url: 'https://celestrak.org/NORAD/elements/gp.php?GROUP=active&FORMAT=tle' }]),
        /** When to fetch (cron, UTC). CelesTrak refreshes GP data about every 2 hours and asks clients not to poll faster. */
        cron: z.string().default('23 */4 * * *'),
        /** Fetch once at start too. */
        atStart: z.boolean().default(true),
        timeoutMs: z.number().int().positive().default(60_000),
      })
      .strict()
      .default({ enabled: false, sources: [{ name: 'celestrak-active', url: 'https://celestrak.org/NORAD/elements/gp.php?GROUP=active&FORMAT=tle' }], cron: '23 */4 * * *', atStart: true, timeoutMs: 60_000 }),
  })
  .strict();
export type TleCatalogConfig = z.output<typeof TleCatalogConfig>;
