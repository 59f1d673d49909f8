import { z } from 'zod';
import { EpochSchema, LocalFrame, Frame, Vec3 } from './common';

/**
 * A manoeuvre: impulsive (a Δv at an epoch) or finite (constant thrust over a duration).
 * Δv in km/s in a local orbital frame (RTN/TNW) or an inertial frame.
 */
export const ManeuverSchema = z.object({
  id: z.string().min(1),
  objectId: z.string().min(1),
  kind: z.enum(['impulsive', 'finite']),
  epoch: EpochSchema.describe('impulse epoch, or ignition for a finite burn'),
  durationS: z.number().nonnegative().default(0),
  deltaVKmS: Vec3,
  frame: z.union([LocalFrame, Frame]),
  thrustN: z.number().positive().optional(),
  ispS: z.number().positive().optional(),
  massKg: z.number().positive().optional().describe('mass before the manoeuvre'),
  purpose: z.enum(['avoidance', 'station-keeping', 'orbit-raising', 'phasing', 'deorbit', 'calibration', 'other']),
  status: z.enum(['proposed', 'planned', 'executed', 'calibrated', 'cancelled']),
});
export type Maneuver = z.infer<typeof ManeuverSchema>;
