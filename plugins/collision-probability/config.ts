import { z } from '../../sdk';

/** Configuration of the 'collision-probability' plugin (section plugins.collision-probability.config). */
export const CollisionProbabilityConfig = z
  .object({
    /** Relative accuracy of the quadratures (Foster, Patera, max-Pc). */
    relTol: z.number().min(1e-14).max(1e-2).default(1e-10),
    /** Hard-body radius (m) used when neither the request, the CDM nor the catalog gives one (CLI). */
    defaultHbrM: z.number().positive().default(10),
    /** Relative speed (m/s) below which the 2D hypotheses are flagged ('low-relative-speed'). */
    lowRelativeSpeedMS: z.number().nonnegative().default(10),
    /** Encounter duration / orbital period above which 2D is flagged ('long-encounter'). */
    longEncounterFraction: z.number().positive().default(0.05),
    /** Number of σ along the relative velocity that defines the encounter duration. */
    encounterSigma: z.number().positive().default(8),
    monteCarlo: z
      .object({
        /** Default number of samples when a request gives none. */
        samples: z.number().int().positive().default(100_000),
        /** Default seed (runs are reproducible). */
        seed: z.number().int().default(1),
        /** Requests asking for more samples are refused. */
        maxSamples: z.number().int().positive().default(10_000_000),
      })
      .strict()
      .default({ samples: 100_000, seed: 1, maxSamples: 10_000_000 }),
  })
  .strict();
export type CollisionProbabilityConfig = z.output<typeof CollisionProbabilityConfig>;
