import { z } from '../../sdk';
import { AlertSeverity } from '../../interfaces/domain/alert';

/**
 * Configuration of the 'risk-assessment' plugin (section plugins.risk-assessment.config).
 * Every key has a default, so the plugin starts with no section. The defaults follow
 * published practice (see README "Classification"): NASA CARA treats Pc > 1e-7 as meriting
 * operational attention and Pc > 1e-4 as requiring mitigation (NASA CARA, "Step 2: Close
 * Approach Risk Assessment", nasa.gov/cara; NASA/SP-20205011318 Best Practices Handbook,
 * Dec 2020); the yellow level at 1e-5 and the miss-distance box (1 km, radial 200 m, 72 h)
 * are the hotline's defaults asked by issue 8.
 */
const hours = () => z.number().positive();

export const riskConfig = z
  .object({
    /** red → 'critical': Pc at or above this. */
    red: z.object({ pcAtLeast: z.number().gt(0).max(1).default(1e-4) }).strict().prefault({}),
    /**
     * yellow → 'warning': Pc at or above `pcAtLeast`, or (TCA within `withinHoursOfTca`
     * and miss distance ≤ `missDistanceKmAtMost` and |radial| ≤ `radialKmAtMost`).
     * An unknown radial component counts as inside (conservative).
     */
    yellow: z
      .object({
        pcAtLeast: z.number().gt(0).max(1).default(1e-5),
        missDistanceKmAtMost: z.number().nonnegative().default(1),
        radialKmAtMost: z.number().nonnegative().default(0.2),
        withinHoursOfTca: hours().default(72),
      })
      .strict()
      .prefault({}),
    /**
     * green events "being followed" → 'watch' (otherwise 'info'): Pc at or above
     * `pcAtLeast`, or miss distance ≤ `missDistanceKmAtMost` with TCA within
     * `withinHoursOfTca`, or (when `keepAfterWarning`) the event was warning/critical before.
     */
    watch: z
      .object({
        pcAtLeast: z.number().gt(0).max(1).default(1e-7),
        missDistanceKmAtMost: z.number().nonnegative().default(5),
        withinHoursOfTca: hours().default(168),
        keepAfterWarning: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /**
     * Escalation as TCA approaches: an event at `from` is raised to `to` once TCA is at most
     * `hoursToTcaAtMost` hours away (rules applied in order). Default: a yellow event still
     * yellow 24 h before TCA becomes critical, the decision point for a manoeuvre.
     */
    escalation: z
      .array(z.object({ from: AlertSeverity, to: AlertSeverity, hoursToTcaAtMost: hours() }).strict())
      .default([{ from: 'warning', to: 'critical', hoursToTcaAtMost: 24 }]),
    /** Lowest severity that raises an alert (`alert.raised`); lower levels are only published on `risk.assessed`. */
    alertAtLeast: AlertSeverity.default('warning'),
    /**
     * Trend between two successive updates: Pc multiplied (divided) by at least `pcFactor` is
     * rising (falling); without Pc on both, a miss distance shrinking (growing) by at least
     * `missFraction` of the previous one is rising (falling); anything smaller is stable.
     */
    trend: z.object({ pcFactor: z.number().gt(1).default(2), missFraction: z.number().gt(0).lt(1).default(0.1) }).strict().prefault({}),
    /** Updates of the same pair whose TCA differs by at most this many seconds belong to one event. */
    tcaToleranceS: z.number().nonnegative().default(300),
    /** Period of the re-assessment of open events (escalation as TCA approaches), seconds. */
    reassessEveryS: z.number().min(0.05).default(300),
    /** Events whose TCA passed more than this many days ago are dropped from the journal at start. */
    retentionDays: z.number().positive().default(30),
    /**
     * When a conjunction has no Pc and both objects carry a state and an RTN covariance,
     * ask the `collision-probability` service (if running) with this method.
     */
    requestPc: z.boolean().default(true),
    pcMethod: z.enum(['foster', 'chan', 'alfano', 'patera', 'max-pc']).default('foster'),
    /** Hard-body radius used for an object that has none, metres; null: no Pc without both radii. */
    defaultHardBodyRadiusM: z.number().positive().nullable().default(null),
    /** Time allowed for the Pc request, milliseconds; on timeout the event is assessed on miss distance. */
    pcTimeoutMs: z.number().int().positive().default(10_000),
  })
  .strict();

export type RiskConfig = z.output<typeof riskConfig>;
