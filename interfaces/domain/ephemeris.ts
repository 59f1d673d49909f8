import { z } from 'zod';
import { compareIso, Frame, IsoDateTime, Matrix6, NoradId, TIME_SCALES, Vec3 } from './common';

/**
 * An ephemeris: time-ordered Cartesian states of one object in one frame and time scale
 * (one OEM segment), optionally with covariances. Epochs are ISO text in `timeScale`.
 * `interpolation` tells consumers how to interpolate between points (OEM INTERPOLATION /
 * INTERPOLATION_DEGREE).
 */
export const EphemerisPointSchema = z.object({
  epoch: IsoDateTime,
  posKm: Vec3,
  velKmS: Vec3,
  accKmS2: Vec3.optional(),
});
export const EphemerisSchema = z
  .object({
    objectName: z.string().optional(),
    noradId: NoradId.optional(),
    objectId: z.string().min(1).describe('designator used in products (NORAD id as text, or the operator name)'),
    centre: z.string().default('EARTH'),
    frame: Frame,
    timeScale: z.enum(TIME_SCALES),
    interpolation: z.object({ method: z.enum(['lagrange', 'hermite', 'linear']), degree: z.number().int().min(1).max(15) }).optional(),
    points: z.array(EphemerisPointSchema).min(1),
    covariances: z.array(z.object({ epoch: IsoDateTime, frame: z.string(), covKm2: Matrix6.describe('km², km²/s, km²/s²') })).optional(),
    source: z.string().optional().describe('producer: propagator name, OEM file, operator'),
  })
  .refine((e) => e.points.every((p, i) => i === 0 || compareIso(e.points[i - 1].epoch, p.epoch) <= 0), { message: 'ephemeris points must be in time order', path: ['points'] });
export type Ephemeris = z.infer<typeof EphemerisSchema>;
export type EphemerisPoint = z.infer<typeof EphemerisPointSchema>;
