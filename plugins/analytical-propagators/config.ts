import { z } from '../../sdk';

/** Configuration of the 'analytical-propagators' plugin (section plugins.analytical-propagators.config). Every key has a default. */
export const analyticalConfig = z
  .object({
    /** Theory used when a subject's elements do not name one (`elements.theory`) and the request does not (`forceModel.theory`). */
    defaultTheory: z.enum(['keplerian', 'j2-secular', 'eckstein-hechler']).default('keplerian'),
    /** Earth constants of the J2 theory (JGM-3: J2 = −√5 C̄20, R = 6378.1363 km). */
    j2: z.number().positive().default(1.0826269e-3),
    /**
     * Zonal coefficients J3…J6 (J_n = −√(2n+1) C̄_n0) of the Eckstein–Hechler theory; defaults
     * from JGM-3 (Tapley et al. 1996, C̄_30…C̄_60 of the ICGEM file JGM3.gfc).
     */
    j3: z.number().default(-2.5324353457543954e-6),
    j4: z.number().default(-1.619331205071e-6),
    j5: z.number().default(-2.277161016367395e-7),
    j6: z.number().default(5.396484904981996e-7),
    radiusKm: z.number().positive().default(6378.1363),
    /** μ for subjects given as a state (elements carry their own μ), km³/s². */
    muKm3S2: z.number().positive().default(398600.4418),
    /** Largest number of output instants per request. */
    maxOutputInstants: z.number().int().min(1).default(1_000_000),
  })
  .strict();
export type AnalyticalConfig = z.output<typeof analyticalConfig>;
