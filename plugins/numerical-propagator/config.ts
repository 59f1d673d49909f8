import { z } from '../../sdk';

/**
 * Force-model and integrator settings. The plugin configuration holds the defaults; a request
 * may override any of them in `forceModel` (same keys, validated by the same schema).
 */
export const forceModelSchema = z
  .object({
    /** Geopotential degree and order (0 = point-mass Earth with μ = 398600.4418 km³/s²). */
    degree: z.number().int().min(0).max(360).default(20),
    order: z.number().int().min(0).max(360).default(20),
    /** Gravity model name asked of the gravity.provider service (its default when absent). */
    model: z.string().min(1).optional(),
    /** Sun and Moon point masses (analytic ephemerides of sdk/astro/bodies). */
    sun: z.boolean().default(true),
    moon: z.boolean().default(true),
    /**
     * Atmospheric drag model; applies to subjects with `physical.dragAreaM2`. 'harris-priester':
     * the static mean-activity table (no external input); 'nrlmsise-00': NRLMSISE-00 (GTD7D)
     * driven by F10.7 and ap from the spaceweather.provider service (required then).
     */
    drag: z.enum(['none', 'harris-priester', 'nrlmsise-00']).default('harris-priester'),
    /** NRLMSISE-00 geomagnetic input: the 3-hour ap history (model switch 9 = −1) or the daily Ap. */
    nrlmsiseAp: z.enum(['history', 'daily']).default('history'),
    /** Harris–Priester exponent n of cos^n(ψ/2): 2 for low inclinations … 6 for polar orbits (Montenbruck & Gill §3.5.2). */
    harrisPriesterN: z.number().min(2).max(6).default(4),
    /** Cannonball solar radiation pressure; applies to subjects with `physical.srpAreaM2`. */
    srp: z.boolean().default(true),
    /** Conical Earth shadow for SRP (false: always lit). */
    shadow: z.boolean().default(true),
    /**
     * Shadow boundaries (penumbra and umbra entry/exit) as integration events: the integrator
     * steps exactly onto them instead of across them (false: steps across, cheaper, less accurate
     * at the boundaries). Only with `shadow` and SRP.
     */
    shadowEvents: z.boolean().default(true),
    /** Integrator: DOP853 (Dormand–Prince 8(5,3)) by default, or DOPRI5. */
    method: z.enum(['dp853', 'dp54']).default('dp853'),
    /** Relative tolerance of the step control. */
    rtol: z.number().positive().max(1e-3).default(1e-11),
    /** Absolute tolerance on positions, km (velocities: × 1e-3 s⁻¹). */
    atolKm: z.number().positive().default(1e-9),
    /** Largest step, s (none by default). */
    maxStepS: z.number().positive().optional(),
  })
  .strict();
export type ForceModelSettings = z.output<typeof forceModelSchema>;

/** Configuration of the 'numerical-propagator' plugin (section plugins.numerical-propagator.config). Every key has a default. */
export const numericalPropagatorConfig = z
  .object({
    forceModel: forceModelSchema.default(forceModelSchema.parse({})),
    /**
     * Gravity file used when no gravity.provider service runs (ICGEM .gfc): absolute path, path
     * relative to the working directory, or `ref:<path>` inside the reference data set. Empty
     * string: none (requests with degree ≥ 2 then fail with 'unsupported' when no provider runs).
     */
    gravityFallbackFile: z.string().default('ref:gravity/brahe/JGM3.gfc'),
    /** A propagation that goes below this geodetic-sphere altitude (km above 6378.137 km) stops with 'decayed'. */
    minAltitudeKm: z.number().min(0).default(80),
    /** Largest number of output instants per request. */
    maxOutputInstants: z.number().int().min(1).default(100_000),
    /** Largest span between a subject's epoch and its farthest output, days. */
    maxSpanDays: z.number().positive().default(60),
    /** Spacing of the exact GCRF→ITRF rotations (interpolated in between), s. */
    earthRotationNodeS: z.number().positive().max(3600).default(600),
  })
  .strict();
export type NumericalPropagatorConfig = z.output<typeof numericalPropagatorConfig>;
