import { defineService } from '../../sdk/service';
import type { GpElementSet } from '../domain/catalog';
import type { Frame, Matrix6 } from '../domain/common';
import type { Ephemeris } from '../domain/ephemeris';
import type { Maneuver } from '../domain/maneuver';
import type { Covariance, KeplerianElements, StateVector } from '../domain/state';

/**
 * What to propagate: an element set (SGP4), a state (analytical / numerical), or an
 * ephemeris to interpolate. `id` is echoed in the result so batches stay aligned.
 */
export interface PropagationSubject {
  id: string;
  gp?: GpElementSet;
  state?: StateVector;
  elements?: KeplerianElements;
  covariance?: Covariance;
  /** Object properties for force models (numerical propagator). */
  physical?: { massKg: number; dragAreaM2?: number; cd?: number; srpAreaM2?: number; cr?: number };
  maneuvers?: Maneuver[];
}

/** When: explicit UTC instants, or a UTC window with a fixed step. */
export type PropagationTimes = { instantsUtc: string[] } | { startUtc: string; stopUtc: string; stepS: number };

export interface PropagationRequest {
  subjects: PropagationSubject[];
  times: PropagationTimes;
  /** Output frame (TEME is the native frame of SGP4; others go through sdk/astro frames with EOP). */
  frame: Frame;
  /** Also propagate covariances (where the propagator can: STM). */
  covariance?: boolean;
  /** Force-model options for numerical propagation (ignored by analytical ones). */
  forceModel?: Record<string, unknown>;
}

/** Per-subject outcome: states, or a typed error (never an exception through the batch). */
export type PropagationOutcome =
  | { id: string; ok: true; frame: Frame; epochsUtc: string[]; posKm: [number, number, number][]; velKmS: [number, number, number][]; covariances?: Matrix6[] }
  | { id: string; ok: false; error: { code: 'decayed' | 'eccentricity' | 'invalid-elements' | 'diverged' | 'out-of-range' | 'unsupported' | 'internal'; message: string; atUtc?: string } };

/**
 * A propagator (`sgp4`, `analytical-propagators`, `numerical-propagator`, `ephemeris`
 * interpolation). Coarse-grained: many subjects × many instants per call, so a provider in
 * another process costs one round trip per batch.
 */
export interface Propagator {
  propagate(request: PropagationRequest): Promise<{ outcomes: PropagationOutcome[] }>;
  capabilities(): Promise<{ name: string; inputs: ('gp' | 'state' | 'elements' | 'ephemeris')[]; covariance: boolean; maneuvers: boolean; frames: Frame[] }>;
}
/**
 * A chunk of SGP4 bulk output: `count` subjects × `instants`, TEME, object-major
 * (`[k][i][xyz]`); views valid only until the callback returns (copy what must outlive it).
 * `subjectIndex[k]`: the row's index in the caller's element sets.
 */
export interface TemeBulkChunk {
  readonly count: number;
  readonly instants: number;
  readonly subjectIndex: Int32Array;
  /** km, TEME; entries at and after a subject's failure are unspecified. */
  readonly posTemeKm: Float64Array;
  /** km/s, TEME. */
  readonly velTemeKmS: Float64Array;
  /** Index of each subject's first failing instant, −1 when none failed. */
  readonly failIndex: Int32Array;
  /** SGP4 error code at that instant (Vallado's codes 1–6). */
  readonly failCode: Int8Array;
}

/** What a bulk call did; element sets refused before propagation are listed with their reason. */
export interface TemeBulkSummary {
  engine: string;
  subjects: number;
  instants: number;
  epochsUtc: string[];
  rejected: { index: number; code: 'invalid-elements' | 'eccentricity' | 'decayed' | 'diverged'; message: string }[];
}

/**
 * `propagator.sgp4`: the propagator contract plus a bulk path for catalogs (many element sets ×
 * many instants, TEME, typed arrays in chunks, no per-state objects). The bulk path is
 * in-process only — typed arrays and a callback do not cross the bus; another process asks
 * `propagate` — so it is optional: a remote or alternative SGP4 provider may leave it out.
 */
export interface Sgp4Propagator extends Propagator {
  propagateTemeBulk?(elements: readonly GpElementSet[], times: PropagationTimes, onChunk: (chunk: TemeBulkChunk) => void): Promise<TemeBulkSummary>;
}
/** The default propagator for catalog objects (SGP4). 1.1.0: optional bulk path. */
export const Sgp4PropagatorToken = defineService<Sgp4Propagator>({ name: 'propagator.sgp4', version: '1.1.0', description: 'SGP4/SDP4 propagation of GP element sets' });
export const AnalyticalPropagatorToken = defineService<Propagator>({ name: 'propagator.analytical', version: '1.0.0', description: 'Keplerian, J2 secular and mean-element propagation' });
export const NumericalPropagatorToken = defineService<Propagator>({ name: 'propagator.numerical', version: '1.0.0', description: 'Cowell integration with full force models and STM' });

/** `ephemeris`: generation, interpolation and OEM products. */
export interface EphemerisService {
  /** Generates an ephemeris with a propagator and step, in a frame. */
  generate(request: { subject: PropagationSubject; startUtc: string; stopUtc: string; stepS: number; frame: Frame; propagator: 'sgp4' | 'analytical' | 'numerical'; covariance?: boolean }): Promise<Ephemeris>;
  /**
   * Interpolates a stored or given ephemeris at UTC instants; `frame` (optional) converts the
   * states from the ephemeris's frame (through sdk/astro/frames, with EOP).
   */
  interpolate(request: { ephemerisId?: string; ephemeris?: Ephemeris; instantsUtc: string[]; method?: 'lagrange' | 'hermite'; degree?: number; frame?: Frame }): Promise<StateVector[]>;
  /** Writes an OEM product (KVN or XML) and publishes `ephemeris.published`. */
  publishOem(request: { ephemeris: Ephemeris; format: 'kvn' | 'xml'; originator: string }): Promise<{ productId: string; path: string }>;
  /** Operator ephemerides known to the module (read from OEMs). */
  list(): Promise<{ ephemerisId: string; objectId: string; frame: Frame; startUtc: string; stopUtc: string; source: string }[]>;
}
export const EphemerisServiceToken = defineService<EphemerisService>({ name: 'ephemeris', version: '1.0.0', description: 'Ephemeris generation, interpolation and OEM products' });
