import { z } from 'zod';
import { EpochSchema, Frame, Vec3 } from './common';

/**
 * One tracking measurement (CCSDS TDM 503.0-B-2 observables, reduced to what orbit
 * determination uses). Each type carries its own value fields with units; `sigma…` is the
 * 1-σ noise the measurement is weighted with; `biasApplied…` records an applied correction.
 */
const base = {
  epoch: EpochSchema,
  objectId: z.string().min(1),
  stationId: z.string().optional().describe('receiving station; absent for on-board GNSS'),
  source: z.string().optional().describe('TDM file or simulator run'),
  edited: z.boolean().default(false).describe('true: rejected by editing, kept for the record'),
};
export const TrackingMeasurementSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('range'), rangeKm: z.number().nonnegative(), sigmaKm: z.number().positive(), twoWay: z.boolean().default(true) }),
  z.object({ ...base, type: z.literal('range-rate'), rangeRateKmS: z.number().finite(), sigmaKmS: z.number().positive() }),
  z.object({ ...base, type: z.literal('doppler'), dopplerHz: z.number().finite(), sigmaHz: z.number().positive(), carrierHz: z.number().positive() }),
  z.object({ ...base, type: z.literal('az-el'), azimuthDeg: z.number().min(0).lt(360), elevationDeg: z.number().min(-90).max(90), sigmaDeg: z.number().positive() }),
  z.object({ ...base, type: z.literal('ra-dec'), raDeg: z.number().min(0).lt(360), decDeg: z.number().min(-90).max(90), sigmaDeg: z.number().positive(), frame: z.enum(['GCRF', 'EME2000']) }),
  z.object({ ...base, type: z.literal('gnss'), frame: Frame, posKm: Vec3, velKmS: Vec3.optional(), sigmaPosKm: z.number().positive(), sigmaVelKmS: z.number().positive().optional() }),
]);
export type TrackingMeasurement = z.infer<typeof TrackingMeasurementSchema>;
export type MeasurementType = TrackingMeasurement['type'];
