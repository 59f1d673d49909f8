import { defineService } from '../../sdk/service';
import type { Alert, AlertSeverity } from '../domain/alert';
import type { CdmRecord } from '../domain/cdm';
import type { Matrix6, Vec3 } from '../domain/common';
import type { Conjunction } from '../domain/conjunction';
import type { Ephemeris } from '../domain/ephemeris';
import type { Maneuver } from '../domain/maneuver';

/** Screening volume per orbit regime, in the primary's RTN frame (km). */
export interface ScreeningVolume {
  shape: 'sphere' | 'ellipsoid' | 'box';
  sizeRtnKm: Vec3;
}

/** `conjunction-screening`: protected assets vs catalog, or all-vs-all. */
export interface ConjunctionScreener {
  screen(request: {
    /**
     * NORAD ids of protected assets, ids of operator ephemerides known to `ephemeris`, or an
     * ephemeris given here (e.g. a manoeuvred trajectory to check; interpolated through the
     * `ephemeris` service like a stored one). One of the three per entry.
     */
    primaries: { noradId?: number; ephemerisId?: string; ephemeris?: Ephemeris }[];
    /** Secondaries: the whole catalog (default) or a list of NORAD ids. */
    secondaries?: number[] | 'catalog';
    /** Catalog-wide survey: every catalog object against every other (`primaries` is then ignored). */
    allVsAll?: boolean;
    startUtc: string;
    stopUtc: string;
    volume?: ScreeningVolume;
    missDistanceKm?: number;
    /** false: events are returned but not published on `conjunction.detected` (what-if screenings); default: the module's configuration. */
    publish?: boolean;
  }): Promise<{ conjunctions: Conjunction[]; stats: { pairs: number; candidates: number; refined: number; durationMs: number; skipped: { id: string; reason: string }[] } }>;
}
export const ConjunctionScreenerToken = defineService<ConjunctionScreener>({ name: 'screening', version: '1.0.0', description: 'Conjunction screening' });

export type PcMethod = 'foster' | 'chan' | 'alfano' | 'patera' | 'max-pc' | 'monte-carlo-linear' | 'monte-carlo-two-body';

/**
 * Inputs of a collision probability at TCA: inertial states of both objects (km, km/s;
 * Earth-fixed states must be converted with ω×r before) and their covariances in each
 * object's RTN frame (m², m²/s, m²/s², the CDM convention).
 */
export interface PcInput {
  tcaUtc: string;
  primary: { posKm: Vec3; velKmS: Vec3; covRtnM2?: Matrix6 };
  secondary: { posKm: Vec3; velKmS: Vec3; covRtnM2?: Matrix6 };
  hardBodyRadiusM: number;
  hardBodyShape?: 'circle' | 'square';
}
export interface PcResult {
  method: PcMethod;
  pc: number;
  /** log10(Pc), exact in the tails where `pc` underflows. */
  log10Pc: number;
  /** Monte Carlo: confidence interval (95 %). */
  interval?: [number, number];
  flags: ('covariance-repaired' | 'covariance-missing' | 'low-relative-speed' | 'long-encounter' | 'non-positive-definite' | 'itrf-converted')[];
  missDistanceM: number;
  relativeSpeedMS: number;
}
/** `collision-probability`: Pc by several methods. Batch: many conjunctions per call. */
export interface CollisionProbability {
  compute(request: { inputs: PcInput[]; methods: PcMethod[]; monteCarlo?: { samples: number; seed: number } }): Promise<PcResult[][]>;
}
export const CollisionProbabilityToken = defineService<CollisionProbability>({ name: 'collision-probability', version: '1.0.0', description: 'Probability of collision' });

/** `cdm`: CCSDS CDM in/out and conjunction-event tracking across successive CDMs. */
export interface CdmService {
  /** Reads a CDM (KVN/XML); lenient mode collects deviations as warnings. */
  read(request: { text: string; fileName?: string; lenient?: boolean }): Promise<CdmRecord>;
  /** Writes a CDM for a conjunction; publishes `cdm.issued`. */
  issue(request: { conjunction: Conjunction; format: 'kvn' | 'xml'; originator: string; messageFor?: string }): Promise<{ record: CdmRecord; productId: string; path: string }>;
  /** CDMs of one conjunction event, oldest first. */
  event(eventId: string): Promise<CdmRecord[]>;
  events(query: { fromTcaUtc?: string; toTcaUtc?: string; noradId?: number }): Promise<{ eventId: string; tcaUtc: string; primary: string; secondary: string; cdms: number; lastPc?: number }[]>;
}
export const CdmServiceToken = defineService<CdmService>({ name: 'cdm', version: '1.0.0', description: 'CCSDS CDM input/output and event tracking' });

/** `risk-assessment`: levels, trends, escalation. */
export interface RiskAssessment {
  assess(eventIds: string[]): Promise<{ eventId: string; severity: AlertSeverity; trend: 'new' | 'rising' | 'stable' | 'falling'; reasons: string[] }[]>;
  /**
   * The classification rules, inclusive bounds. A rule with `escalatesFrom` raises an event
   * at that severity to `severity` once TCA is at most `hoursToTcaAtMost` away; `rule` is a
   * readable summary for operators.
   */
  thresholds(): Promise<{ severity: AlertSeverity; pcAtLeast?: number; missDistanceKmAtMost?: number; radialKmAtMost?: number; hoursToTcaAtMost?: number; escalatesFrom?: AlertSeverity; rule?: string }[]>;
}
export const RiskAssessmentToken = defineService<RiskAssessment>({ name: 'risk', version: '1.0.0', description: 'Conjunction risk assessment and escalation' });

/** `notification`: alert delivery (log, webhook, e-mail) with acknowledgement tracking. */
export interface Notifier {
  /** Delivers an alert on every configured channel until acknowledged (retries with back-off). */
  notify(alert: Alert): Promise<{ alertId: string; queued: string[] }>;
  acknowledge(request: { alertId: string; byUser: string; comment?: string }): Promise<{ acknowledged: boolean }>;
  pending(): Promise<{ alert: Alert; attempts: number; lastError?: string; nextAttemptUtc?: string }[]>;
}
export const NotifierToken = defineService<Notifier>({ name: 'notifier', version: '1.0.0', description: 'Alert delivery and acknowledgement' });

/** `avoidance-maneuver`: Δv options trading Pc/miss distance against fuel. */
export interface AvoidanceManeuverPlanner {
  options(request: { eventId: string; conjunction: Conjunction; pcTarget: number; maxDeltaVMS: number; earliestUtc: string; latestUtc: string; directions?: ('radial' | 'along-track' | 'cross-track')[] }): Promise<{ maneuver: Maneuver; pcAfter: number; missDistanceAfterKm: number; deltaVMS: number }[]>;
}
export const AvoidanceManeuverPlannerToken = defineService<AvoidanceManeuverPlanner>({ name: 'avoidance', version: '1.0.0', description: 'Collision avoidance manoeuvre options' });
