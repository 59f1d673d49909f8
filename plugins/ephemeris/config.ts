import { z } from '../../sdk';

/** Configuration of the 'ephemeris' plugin (section plugins.ephemeris.config of scoop.yaml). Every key has a default. */
export const ephemerisConfig = z
  .object({
    /**
     * Interpolation used when neither the request nor the ephemeris (OEM INTERPOLATION /
     * INTERPOLATION_DEGREE) says, and written into generated ephemerides. Lagrange of degree 8
     * (9 samples) interpolates positions and velocities separately, so it is right even when a
     * propagator's velocity is not the exact derivative of its position (SGP4, J2-secular);
     * below 1e-7 m in LEO at 60 s spacing against exact two-body states (README).
     */
    interpolation: z
      .object({
        method: z.enum(['lagrange', 'hermite']).default('lagrange'),
        degree: z.number().int().min(1).max(15).default(8),
      })
      .strict()
      .default({ method: 'lagrange', degree: 8 }),
    /**
     * Folder of the OEM products: absolute, relative to the working directory, or null for
     * `<plugin data dir>/products`.
     */
    productsDir: z.string().min(1).nullable().default(null),
    /** ORIGINATOR written in OEM headers when a request gives none. */
    originator: z.string().min(1).default('SCOOP'),
    /**
     * How received OEMs are read: `lenient` accepts what real files contain (non-standard units,
     * values in comments) with warnings in the log; `strict` refuses any deviation from 502.0-B-2.
     */
    parseMode: z.enum(['lenient', 'strict']).default('lenient'),
    /** Received OEM files kept (the oldest received are dropped first). */
    keepFiles: z.number().int().min(1).default(1000),
    /** Largest number of points of one generated ephemeris. */
    maxPoints: z.number().int().min(2).default(1_000_000),
    /** Publish `ephemeris.published` when a received OEM is accepted (productId = its ephemeris id). */
    announceReceived: z.boolean().default(true),
  })
  .strict();
export type EphemerisConfig = z.output<typeof ephemerisConfig>;
