import { z } from 'zod';
import { InternationalDesignator, NoradId, UtcIso } from './common';

/**
 * A general-perturbations element set: the fields of a TLE and of a CCSDS OMM with SGP4
 * mean elements (ODM 502.0-B-3 §4, CelesTrak GP). Angles in degrees, mean motion in
 * revolutions per day, B* in 1/Earth radii, epoch UTC. `line1`/`line2` keep the original
 * TLE text when the set came from one, so it can be re-issued byte for byte.
 */
export const GpElementSetSchema = z.object({
  noradId: NoradId,
  objectName: z.string().optional(),
  objectId: InternationalDesignator.optional(),
  classification: z.enum(['U', 'C', 'S']).default('U'),
  epochUtc: UtcIso,
  meanMotionRevPerDay: z.number().positive(),
  eccentricity: z.number().min(0).lt(1),
  inclinationDeg: z.number().min(0).max(180),
  raanDeg: z.number().min(0).lt(360),
  argPericenterDeg: z.number().min(0).lt(360),
  meanAnomalyDeg: z.number().min(0).lt(360),
  bstarPerEarthRadius: z.number().finite(),
  meanMotionDotRevPerDay2: z.number().finite().describe('first derivative of mean motion / 2, rev/day²'),
  meanMotionDdotRevPerDay3: z.number().finite().describe('second derivative of mean motion / 6, rev/day³'),
  ephemerisType: z.number().int().min(0).max(9).default(0),
  elementSetNo: z.number().int().min(0).max(9999).default(999),
  revAtEpoch: z.number().int().min(0),
  source: z.string().optional().describe('where the set came from (file, feed URL)'),
  line1: z.string().length(69).optional(),
  line2: z.string().length(69).optional(),
});
export type GpElementSet = z.infer<typeof GpElementSetSchema>;

/** Orbit regimes used for screening volumes and statistics. */
export const ORBIT_REGIMES = ['LEO', 'MEO', 'GEO', 'HEO', 'GTO', 'OTHER'] as const;
export const OrbitRegime = z.enum(ORBIT_REGIMES);
