import { defineService } from '../../sdk/service';
import type { Maneuver } from '../domain/maneuver';
import type { KeplerianElements, StateVector } from '../domain/state';
import type { Pass } from '../domain/station';
import type { PropagationSubject } from './propagation';

/** `maneuver-planning`: classical transfers; impulsive → finite burns. */
export interface ManeuverPlanner {
  hohmann(request: { fromRadiusKm: number; toRadiusKm: number }): Promise<{ deltaV1KmS: number; deltaV2KmS: number; transferTimeS: number }>;
  biElliptic(request: { fromRadiusKm: number; toRadiusKm: number; intermediateRadiusKm: number }): Promise<{ deltaVKmS: [number, number, number]; transferTimeS: number }>;
  planeChange(request: { state: StateVector; deltaInclinationDeg: number; deltaRaanDeg?: number }): Promise<Maneuver>;
  phasing(request: { state: StateVector; phaseAngleDeg: number; revolutions: number }): Promise<Maneuver[]>;
  /** Converts an impulsive manoeuvre to a finite burn centred on the impulse (thrust, Isp, mass). */
  toFinite(request: { maneuver: Maneuver; thrustN: number; ispS: number; massKg: number }): Promise<Maneuver>;
}
export const ManeuverPlannerToken = defineService<ManeuverPlanner>({ name: 'maneuver.planning', version: '1.0.0', description: 'Transfer and burn planning' });

/** `station-keeping`: LEO altitude / ground-track and GEO longitude-box maintenance. */
export interface StationKeeping {
  plan(request: { subject: PropagationSubject; strategy: 'leo-altitude' | 'leo-ground-track' | 'geo-longitude' | 'geo-inclination'; deadband: Record<string, number>; startUtc: string; stopUtc: string }): Promise<{ maneuvers: Maneuver[]; violations: { epochUtc: string; detail: string }[] }>;
}
export const StationKeepingToken = defineService<StationKeeping>({ name: 'station-keeping', version: '1.0.0', description: 'Station-keeping planning' });

/** `maneuver-calibration`: executed Δv from pre/post orbits. */
export interface ManeuverCalibration {
  calibrate(request: { planned: Maneuver; before: StateVector; after: StateVector }): Promise<{ executed: Maneuver; efficiency: number; pointingErrorDeg: number }>;
}
export const ManeuverCalibrationToken = defineService<ManeuverCalibration>({ name: 'maneuver.calibration', version: '1.0.0', description: 'Manoeuvre calibration' });

/** `reentry-prediction`: lifetime and re-entry window. */
export interface ReentryPredictor {
  predict(request: { subject: PropagationSubject; massKg: number; dragAreaM2: number; cd: number; maxDays: number }): Promise<{ reentryUtc: string | null; windowUtc: [string, string] | null; lifetimeDays: number; method: string }>;
}
export const ReentryPredictorToken = defineService<ReentryPredictor>({ name: 'reentry', version: '1.0.0', description: 'Orbital lifetime and re-entry prediction' });

/** `launch-leop`: injection → initial orbit, dispersions, first-acquisition predictions. */
export interface LaunchLeop {
  injectionOrbit(request: { injection: StateVector }): Promise<{ elements: KeplerianElements; dispersions?: Record<string, number> }>;
  firstAcquisition(request: { injection: StateVector; stationIds: string[]; hours: number; dispersionSigma?: number }): Promise<Pass[]>;
}
export const LaunchLeopToken = defineService<LaunchLeop>({ name: 'launch-leop', version: '1.0.0', description: 'Launch and early orbit phase support' });
