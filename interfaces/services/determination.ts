import { defineService } from '../../sdk/service';
import type { GpElementSet } from '../domain/catalog';
import type { Frame, LocalFrame, Matrix6 } from '../domain/common';
import type { Ephemeris } from '../domain/ephemeris';
import type { TrackingMeasurement } from '../domain/measurement';
import type { Covariance, StateVector } from '../domain/state';

/** `iod`: initial orbit determination. */
export interface InitialOrbitDetermination {
  gibbs(request: { positionsKm: [number, number, number][]; epochsUtc: string[]; frame: Frame }): Promise<StateVector>;
  herrickGibbs(request: { positionsKm: [number, number, number][]; epochsUtc: string[]; frame: Frame }): Promise<StateVector>;
  /** Gauss (angles only) from three optical/radar angle measurements. */
  gauss(request: { measurements: TrackingMeasurement[] }): Promise<StateVector[]>;
  lambert(request: { r1Km: [number, number, number]; r2Km: [number, number, number]; tofS: number; revolutions?: number; prograde?: boolean }): Promise<{ v1KmS: [number, number, number]; v2KmS: [number, number, number] }[]>;
}
export const InitialOrbitDeterminationToken = defineService<InitialOrbitDetermination>({ name: 'od.initial', version: '1.0.0', description: 'Gibbs, Herrick-Gibbs, Gauss and Lambert initial orbits' });

/** Result of an orbit determination with its residuals. */
export interface OdSolution {
  state: StateVector;
  covariance: Covariance;
  estimatedParameters: Record<string, { value: number; sigma: number; unit: string }>;
  residuals: { index: number; type: TrackingMeasurement['type']; epochUtc: string; residual: number; normalized: number; rejected: boolean }[];
  weightedRms: number;
  iterations: number;
  converged: boolean;
}

/** `orbit-determination`: batch weighted least squares. */
export interface OrbitDetermination {
  solve(request: {
    apriori: StateVector;
    aprioriCovariance?: Covariance;
    measurements: TrackingMeasurement[];
    estimate: ('state' | 'cd' | 'cr' | 'biases')[];
    physical?: { massKg: number; dragAreaM2?: number; cd?: number; srpAreaM2?: number; cr?: number };
    maxIterations?: number;
    editingSigma?: number;
  }): Promise<OdSolution>;
}
export const OrbitDeterminationToken = defineService<OrbitDetermination>({ name: 'od.batch', version: '1.0.0', description: 'Batch least-squares orbit determination' });

/** `kalman-od`: sequential filter (EKF/UKF) for real-time passes. */
export interface SequentialOrbitDetermination {
  /** Processes measurements in time order from an initial state; returns the filtered state after each. */
  filter(request: { initial: StateVector; initialCovariance: Covariance; measurements: TrackingMeasurement[]; kind: 'ekf' | 'ukf'; processNoiseKm2S3?: number }): Promise<{ states: StateVector[]; covariances: Covariance[]; innovations: number[] }>;
}
export const SequentialOrbitDeterminationToken = defineService<SequentialOrbitDetermination>({ name: 'od.sequential', version: '1.0.0', description: 'Extended/unscented Kalman filter' });

/** `covariance`: propagation and frame changes of covariances, realism checks. */
export interface CovarianceService {
  propagate(request: { state: StateVector; covariance: Covariance; instantsUtc: string[]; model: 'two-body' | 'numerical' }): Promise<Covariance[]>;
  /** Rotates a covariance to another frame (RTN/TNW need the object's state). */
  transform(request: { covariance: Covariance; state: StateVector; to: Frame | LocalFrame }): Promise<Covariance>;
  /** Eigenvalue repair of a non-positive-definite covariance (flagged, with the clipped eigenvalues). */
  repair(request: { matrix: Matrix6; minEigenvalue?: number }): Promise<{ matrix: Matrix6; repaired: boolean; clipped: number[] }>;
  /** Covariance realism: Mahalanobis statistics of predicted vs observed states. */
  realism(request: { predicted: { state: StateVector; covariance: Covariance }[]; truth: StateVector[] }): Promise<{ meanMahalanobis2: number; expected: number; pValue: number }>;
}
export const CovarianceServiceToken = defineService<CovarianceService>({ name: 'covariance', version: '1.0.0', description: 'Covariance propagation, frames, repair, realism' });

/** `orbit-comparison`: ephemeris vs ephemeris in RTN with statistics. */
export interface OrbitComparison {
  compare(request: { reference: Ephemeris; candidate: Ephemeris; stepS?: number }): Promise<{
    epochsUtc: string[];
    diffRtnKm: [number, number, number][];
    stats: { rmsRtnKm: [number, number, number]; maxRtnKm: [number, number, number]; max3dKm: number };
  }>;
}
export const OrbitComparisonToken = defineService<OrbitComparison>({ name: 'orbit.comparison', version: '1.0.0', description: 'Ephemeris differences in RTN' });

/** `tle-fit`: fits a GP element set to a precise ephemeris. */
export interface TleFit {
  fit(request: { ephemeris: Ephemeris; noradId: number; epochUtc?: string; fitBstar?: boolean }): Promise<{ elements: GpElementSet; rmsKm: number; maxKm: number; iterations: number }>;
}
export const TleFitToken = defineService<TleFit>({ name: 'tle.fit', version: '1.0.0', description: 'TLE/mean-element fit to an ephemeris' });
