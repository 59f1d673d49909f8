import { z } from '../../sdk';

/** Configuration of the 'analytical-propagators' plugin (section plugins.analytical-propagators.config). Every key has a default. */
export const analyticalConfig = z
  .object({
    /** Theory used when a subject's elements do not name one (`elements.theory`) and the request does not (`forceModel.theory`). */
    defaultTheory: z.enum(['keplerian', 'j2-secular']).default('keplerian'),
    /** Earth constants of the J2 theory (JGM-3: J2 = −√5 C̄20, R = 6378.1363 km). */
    j2: z.number().positive().default(1.0826269e-3),
    radiusKm: z.number().positive().default(6378.1363),
    /** μ for subjects given as a state (elements carry their own μ), km³/s². */
    muKm3S2: z.number().positive().default(398600.4418),
    /** Largest number of output instants per request. */
    maxOutputInstants: z.number().int().min(1).default(1_000_000),
  })
  .strict();
export type AnalyticalConfig = z.output<typeof analyticalConfig>;
