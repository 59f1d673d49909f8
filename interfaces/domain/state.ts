import { z } from 'zod';
import { EpochSchema, Frame, LocalFrame, Matrix6, Vec3 } from './common';

/**
 * Cartesian state of an Earth-centred object: position in km and velocity in km/s in a
 * named frame at an epoch with its time scale. A state without its frame and epoch does
 * not exist in this project: mixing frames must be visible in the data.
 */
export const StateVectorSchema = z.object({
  epoch: EpochSchema,
  frame: Frame,
  posKm: Vec3.describe('position, km'),
  velKmS: Vec3.describe('velocity, km/s'),
});
export type StateVector = z.infer<typeof StateVectorSchema>;

/**
 * 6×6 position/velocity covariance, symmetric (checked to 1e-9 relative).
 * `units: 'km'` means km², km²/s, km²/s² blocks; `units: 'm'` means m², m²/s, m²/s² (the
 * CCSDS CDM convention). `frame` is inertial/Earth-fixed or a local orbital frame (RTN/TNW)
 * of the object the covariance belongs to.
 */
export const CovarianceSchema = z
  .object({
    epoch: EpochSchema.optional(),
    frame: z.union([Frame, LocalFrame]),
    units: z.enum(['km', 'm']),
    matrix: Matrix6,
  })
  .refine(
    (c) => {
      for (let i = 0; i < 6; i++)
        for (let j = 0; j < i; j++) {
          const a = c.matrix[i][j];
          const b = c.matrix[j][i];
          if (Math.abs(a - b) > 1e-9 * Math.max(1e-300, Math.abs(a), Math.abs(b))) return false;
        }
      return true;
    },
    { message: 'covariance matrix must be symmetric', path: ['matrix'] },
  );
export type Covariance = z.infer<typeof CovarianceSchema>;

/** Keplerian (osculating unless `mean`) elements, angles in degrees. */
export const KeplerianElementsSchema = z.object({
  epoch: EpochSchema,
  frame: Frame,
  muKm3S2: z.number().positive().describe('gravitational parameter the elements refer to, km³/s²'),
  aKm: z.number().finite().describe('semi-major axis, km (negative for hyperbolic orbits)'),
  e: z.number().min(0),
  iDeg: z.number().min(0).max(180),
  raanDeg: z.number().finite(),
  argpDeg: z.number().finite(),
  anomalyDeg: z.number().finite(),
  anomalyType: z.enum(['true', 'mean', 'eccentric']),
  mean: z.boolean().default(false).describe('true: mean elements of the named theory'),
  theory: z.string().optional().describe('mean-element theory, e.g. "brouwer", "eckstein-hechler"'),
});
export type KeplerianElements = z.infer<typeof KeplerianElementsSchema>;
