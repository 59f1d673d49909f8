import { defineService } from '../../sdk/service';
import type { Pass } from '../domain/station';
import type { PropagationSubject } from './propagation';

/** `pass-prediction`: AOS/LOS/max elevation of objects over stations, with masks. Batch over objects × stations. */
export interface PassPredictor {
  predict(request: { subjects: PropagationSubject[]; stationIds: string[]; startUtc: string; stopUtc: string; minElevationDeg?: number }): Promise<{ passes: Pass[]; errors: { subjectId: string; message: string }[] }>;
}
export const PassPredictorToken = defineService<PassPredictor>({ name: 'passes', version: '1.0.0', description: 'Station visibility windows' });

/** One row of an antenna pointing table (topocentric, station's WGS-84 horizon frame). */
export interface PointingRow {
  epochUtc: string;
  azimuthDeg: number;
  elevationDeg: number;
  rangeKm: number;
  rangeRateKmS: number;
  dopplerHz?: number;
}
/** `pointing-predictions`: az/el/range/Doppler tables for a pass. */
export interface PointingPredictor {
  table(request: { subject: PropagationSubject; stationId: string; startUtc: string; stopUtc: string; stepS: number; carrierHz?: number; lightTime?: boolean }): Promise<PointingRow[]>;
}
export const PointingPredictorToken = defineService<PointingPredictor>({ name: 'pointing', version: '1.0.0', description: 'Antenna pointing tables' });

export const ORBIT_EVENT_KINDS = ['eclipse-entry', 'eclipse-exit', 'penumbra-entry', 'penumbra-exit', 'ascending-node', 'descending-node', 'perigee', 'apogee'] as const;
/** `events`: eclipses, node crossings, apsides, beta angle. */
export interface EventPredictor {
  events(request: { subjects: PropagationSubject[]; startUtc: string; stopUtc: string; kinds: (typeof ORBIT_EVENT_KINDS)[number][] }): Promise<{ subjectId: string; kind: (typeof ORBIT_EVENT_KINDS)[number]; epochUtc: string }[]>;
  betaAngleDeg(request: { subject: PropagationSubject; instantsUtc: string[] }): Promise<number[]>;
}
export const EventPredictorToken = defineService<EventPredictor>({ name: 'events', version: '1.0.0', description: 'Orbit events: eclipses, nodes, apsides, beta angle' });

/** `ground-track`: sub-satellite points, coverage and revisit. */
export interface GroundTrack {
  track(request: { subject: PropagationSubject; startUtc: string; stopUtc: string; stepS: number }): Promise<{ epochUtc: string; latDeg: number; lonDeg: number; heightKm: number }[]>;
  revisit(request: { subjects: PropagationSubject[]; targets: { latDeg: number; lonDeg: number; name: string }[]; startUtc: string; stopUtc: string; minElevationDeg: number }): Promise<{ target: string; accesses: { startUtc: string; stopUtc: string; subjectId: string }[]; maxGapS: number }[]>;
}
export const GroundTrackToken = defineService<GroundTrack>({ name: 'ground-track', version: '1.0.0', description: 'Ground tracks, coverage, revisit' });
