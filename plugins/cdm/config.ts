import { z } from '../../sdk';

/**
 * Configuration of the `cdm` plugin (section `plugins.cdm.config`). Every key has a default,
 * so the plugin starts with no section and needs no network (README "Configuration").
 */

const sigmas = () => z.tuple([z.number().nonnegative(), z.number().nonnegative(), z.number().nonnegative()]);

/**
 * One orbit regime of the default TLE covariance model: 1-σ position errors along R, T, N
 * (km) that grow with the propagation span Δt = |TCA − element epoch| (days) as
 * σ(Δt) = σ0 + rate·Δt + accel·Δt² (default-covariance.ts; numbers and sources in README).
 */
const regimeModel = z
  .object({
    sigma0RtnKm: sigmas().describe('1-sigma R, T, N position error at the element epoch, km'),
    rateRtnKmPerDay: sigmas().describe('linear growth of the 1-sigma R, T, N errors, km/day'),
    accelRtnKmPerDay2: sigmas().describe('quadratic growth of the 1-sigma R, T, N errors, km/day²'),
  })
  .strict();
export type RegimeModel = z.infer<typeof regimeModel>;

/**
 * Defaults — an operational assumption of this centre, not a measured truth. The orders of
 * magnitude follow published TLE accuracy assessments: Flohrer, Krag & Klinkrad 2008
 * ("Assessment and categorization of TLE orbit errors for the US SSN catalogue", AMOS 2008:
 * LEO errors at epoch of about 0.1 km radial, a few tenths of a km to ~1 km along-track and
 * ~0.1-0.3 km cross-track, larger at high eccentricity and in GEO) and Vallado & Cefola 2012
 * ("Two-line element sets — practice and use", IAC-12.C1.6.3: about 1 km at epoch, growing
 * by 1-3 km per day in LEO, dominated by the along-track direction through drag).
 */
export const DEFAULT_REGIME_MODELS: Record<'LEO' | 'MEO' | 'GEO' | 'HEO' | 'GTO' | 'OTHER', RegimeModel> = {
  LEO: { sigma0RtnKm: [0.1, 0.5, 0.2], rateRtnKmPerDay: [0.1, 1.0, 0.1], accelRtnKmPerDay2: [0, 0.2, 0] },
  MEO: { sigma0RtnKm: [0.5, 2.0, 0.5], rateRtnKmPerDay: [0.05, 0.5, 0.05], accelRtnKmPerDay2: [0, 0, 0] },
  GEO: { sigma0RtnKm: [0.5, 2.5, 1.0], rateRtnKmPerDay: [0.1, 0.7, 0.1], accelRtnKmPerDay2: [0, 0, 0] },
  HEO: { sigma0RtnKm: [1.0, 5.0, 1.0], rateRtnKmPerDay: [0.5, 3.0, 0.3], accelRtnKmPerDay2: [0, 0.5, 0] },
  GTO: { sigma0RtnKm: [1.0, 5.0, 1.0], rateRtnKmPerDay: [0.5, 3.0, 0.3], accelRtnKmPerDay2: [0, 0.5, 0] },
  OTHER: { sigma0RtnKm: [1.0, 5.0, 1.0], rateRtnKmPerDay: [0.5, 3.0, 0.3], accelRtnKmPerDay2: [0, 0.5, 0] },
};

export const cdmConfig = z
  .object({
    /** Folder of the CDM files written; null: `<dataDir>/products`. */
    productsDir: z.string().min(1).nullable().default(null),
    /** Folder where refused CDM files are kept with their `.reason`; null: `<dataDir>/rejected`. */
    rejectedDir: z.string().min(1).nullable().default(null),
    /** Syntax of the CDMs issued for `conjunction.detected`. */
    format: z.enum(['kvn', 'xml']).default('kvn'),
    /** ORIGINATOR of the CDMs this centre issues. */
    originator: z.string().min(1).default('SCOOP'),
    /** MESSAGE_FOR of issued CDMs (omitted when null). */
    messageFor: z.string().min(1).nullable().default(null),
    /** Read incoming CDMs leniently: deviations of real files (CSpOC/CARA) become warnings. */
    lenient: z.boolean().default(true),
    /** Issue a CDM for each `conjunction.detected` whose `source` is in this list. */
    issueFor: z.array(z.enum(['screening', 'operator', 'cdm'])).default(['screening', 'operator']),
    /** Successive CDMs of the same pair (either order) with TCAs at most this far apart (s) are one event. */
    tcaToleranceS: z.number().positive().default(300),
    /** Events whose TCA is older than this (days) are dropped from the journal at start. */
    retentionDays: z.number().positive().default(30),
    /** Default covariance for objects known only by TLE (no covariance from their source). */
    defaultCovariance: z
      .object({
        regimes: z
          .object({
            LEO: regimeModel.default(DEFAULT_REGIME_MODELS.LEO),
            MEO: regimeModel.default(DEFAULT_REGIME_MODELS.MEO),
            GEO: regimeModel.default(DEFAULT_REGIME_MODELS.GEO),
            HEO: regimeModel.default(DEFAULT_REGIME_MODELS.HEO),
            GTO: regimeModel.default(DEFAULT_REGIME_MODELS.GTO),
            OTHER: regimeModel.default(DEFAULT_REGIME_MODELS.OTHER),
          })
          .strict()
          .prefault({}),
        /** Propagation span assumed (days) when the element epoch of an object is unknown (conservative). */
        assumedAgeDaysWhenUnknown: z.number().nonnegative().default(7),
      })
      .strict()
      .prefault({}),
    /** Ask `collision-probability` (when it runs) for a Pc when a conjunction to issue has none. */
    computePc: z.boolean().default(true),
    pcMethod: z.enum(['foster', 'chan', 'alfano', 'patera', 'max-pc']).default('foster'),
    pcTimeoutMs: z.number().int().positive().default(10_000),
  })
  .strict();

export type CdmConfig = z.infer<typeof cdmConfig>;
