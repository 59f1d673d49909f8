import { z } from 'zod';
import { NoradId, UtcIso, UtcWindow } from './common';

/**
 * A ground station: WGS-84 geodetic position, a horizon mask (azimuth → minimum
 * elevation, degrees; azimuth from north through east) and availability windows.
 */
export const GroundStationSchema = z.object({
  id: z.string().regex(/^[A-Z0-9_-]{2,16}$/, 'station ids are 2-16 upper-case letters, digits, _ or -'),
  name: z.string(),
  latDeg: z.number().min(-90).max(90).describe('WGS-84 geodetic latitude, degrees'),
  lonDeg: z.number().min(-180).max(360).describe('east longitude, degrees'),
  heightM: z.number().min(-500).max(9000).describe('height above the WGS-84 ellipsoid, m'),
  minElevationDeg: z.number().min(-5).max(90).default(0),
  horizonMask: z.array(z.object({ azDeg: z.number().min(0).lt(360), minElDeg: z.number().min(-5).max(90) })).default([]),
  availability: z.array(UtcWindow).default([]).describe('empty: always available'),
  source: z.string().optional(),
});
export type GroundStation = z.infer<typeof GroundStationSchema>;

/** A visibility pass of an object over a station (elevation above the mask). */
export const PassSchema = z.object({
  stationId: z.string(),
  noradId: NoradId.optional(),
  objectId: z.string(),
  aosUtc: UtcIso,
  losUtc: UtcIso,
  maxElevationUtc: UtcIso,
  maxElevationDeg: z.number().min(-90).max(90),
  aosAzimuthDeg: z.number().min(0).lt(360),
  losAzimuthDeg: z.number().min(0).lt(360),
  durationS: z.number().min(0),
  /** true when the pass was cut by the prediction window or an availability window. */
  truncated: z.boolean().default(false),
});
export type Pass = z.infer<typeof PassSchema>;
