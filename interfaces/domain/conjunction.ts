import { z } from 'zod';
import { ModuleName, NoradId, UtcIso, Vec3 } from './common';
import { CovarianceSchema, StateVectorSchema } from './state';

/** One object of a conjunction, as known at screening or CDM time. */
export const ConjunctionObjectSchema = z.object({
  noradId: NoradId.optional(),
  objectId: z.string().min(1).describe('NORAD id as text, or the designator of an operator ephemeris'),
  name: z.string().optional(),
  /** Inertial state at TCA (never Earth-fixed: collision probability needs inertial motion). */
  stateAtTca: StateVectorSchema.optional(),
  /** Covariance at TCA, RTN of this object, metres (CDM convention). */
  covarianceRtnM: CovarianceSchema.optional(),
  hardBodyRadiusM: z.number().positive().optional(),
  hardBodyRadiusSource: z.enum(['cdm', 'catalog', 'config', 'default']).optional(),
  maneuverable: z.enum(['YES', 'NO', 'N/A']).optional(),
  ephemerisSource: z.string().optional().describe('e.g. "sgp4:TLE epoch 2026-05-07T10:00:00Z" or an OEM file'),
});
export type ConjunctionObject = z.infer<typeof ConjunctionObjectSchema>;

/**
 * A close approach between a primary (protected asset) and a secondary. The relative
 * state is secondary minus primary, expressed in the primary's RTN frame at TCA.
 */
export const ConjunctionSchema = z.object({
  id: z.string().min(1).describe('stable event id: primary, secondary and TCA rounded, so successive updates share it'),
  tcaUtc: UtcIso,
  missDistanceKm: z.number().nonnegative(),
  relativeSpeedKmS: z.number().nonnegative(),
  relativePositionRtnKm: Vec3,
  relativeVelocityRtnKmS: Vec3,
  primary: ConjunctionObjectSchema,
  secondary: ConjunctionObjectSchema,
  screeningVolume: z
    .object({ shape: z.enum(['sphere', 'ellipsoid', 'box']), sizeRtnKm: Vec3.describe('radius or half-sizes R, T, N, km') })
    .optional(),
  detectedAtUtc: UtcIso,
  detectedBy: ModuleName,
  source: z.enum(['screening', 'cdm', 'operator']),
  /** Probability of collision once computed (collision-probability module). */
  pc: z.number().min(0).max(1).optional(),
  pcMethod: z.string().optional(),
});
export type Conjunction = z.infer<typeof ConjunctionSchema>;
