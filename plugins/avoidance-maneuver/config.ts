import { z } from '../../sdk';

/**
 * Configuration of the 'avoidance-maneuver' plugin (section plugins.avoidance-maneuver.config).
 * Every key has a default, so the plugin starts with no section. Targets: Pc 1e-5 after the
 * manoeuvre is the yellow threshold of risk-assessment (an avoidance manoeuvre should bring
 * the event below the warning level; NASA CARA Best Practices Handbook, NASA/SP-20205011318,
 * §6: mitigate to a Pc below the remediation threshold with margin).
 */
export const avoidanceConfig = z
  .object({
    /** Pc to reach after the manoeuvre (strictly below), automatic planning on risk.assessed. */
    pcTarget: z.number().gt(0).lt(1).default(1e-5),
    /** Miss distance (encounter plane) to reach after the manoeuvre, km. */
    missFloorKm: z.number().nonnegative().default(0.2),
    /** Largest |Δv| considered, m/s. */
    maxDeltaVMS: z.number().positive().default(1),
    /** Lead times are k·½ revolution before TCA, k = 1 … this (and inside the window). */
    maxHalfRevolutions: z.number().int().min(1).max(64).default(8),
    /** Automatic planning window: burns no earlier than this many hours from now… */
    earliestFromNowH: z.number().nonnegative().default(0),
    /** …and at least this many minutes before TCA. */
    latestBeforeTcaMin: z.number().nonnegative().default(10),
    directions: z.array(z.enum(['radial', 'along-track', 'cross-track'])).min(1).default(['along-track', 'radial']),
    /** Uniform samples of |Δv| ∈ (0, maxΔv] before bisection (see README "Search"). */
    gridPoints: z.number().int().min(4).max(1000).default(40),
    /** Bisection stops when the bracket is below this, m/s. */
    toleranceMS: z.number().positive().default(1e-4),
    /** Hard-body radius of an object that has none, m. */
    defaultHardBodyRadiusM: z.number().positive().default(5),
    /** Pc method asked of collision-probability. */
    pcMethod: z.enum(['foster', 'chan', 'alfano', 'patera']).default('foster'),
    /** Verify the recommended option with the numerical propagator (two-body + J2) when it runs. */
    verify: z
      .object({
        enabled: z.boolean().default(true),
        /** Agreement of the propagated and linear displacement at TCA: relative… */
        relTol: z.number().positive().default(0.05),
        /** …or absolute, km (whichever is larger). */
        absTolKm: z.number().positive().default(0.05),
      })
      .strict()
      .prefault({}),
    /** Re-screening of the manoeuvred orbit through conjunction-screening when it runs. */
    rescreen: z
      .object({
        enabled: z.boolean().default(true),
        /** Span screened after TCA, hours. */
        horizonH: z.number().positive().default(24),
        /** Spacing of the manoeuvred ephemeris handed to the screening, s (Lagrange 8 between points: 1.6e-5 m at 60 s on SGP4 motion, ephemeris README). */
        stepS: z.number().min(1).max(300).default(60),
        /** Options tried in increasing Δv until one creates no conjunction under missFloorKm. */
        maxOptionsTried: z.number().int().min(1).default(5),
      })
      .strict()
      .prefault({}),
    /** Pc service timeout per call, ms. */
    pcTimeoutMs: z.number().int().positive().default(10_000),
  })
  .strict();

export type AvoidanceConfig = z.output<typeof avoidanceConfig>;
