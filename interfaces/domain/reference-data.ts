import { z } from 'zod';

/** Earth orientation parameters at a UTC MJD (IERS conventions; arcsec, seconds). */
export const EopRecordSchema = z.object({
  mjdUtc: z.number().finite(),
  xpArcsec: z.number().finite(),
  ypArcsec: z.number().finite(),
  ut1MinusUtcS: z.number().min(-1).max(1),
  lodS: z.number().finite(),
  dPsiArcsec: z.number().finite().optional(),
  dEpsArcsec: z.number().finite().optional(),
  dXArcsec: z.number().finite().optional(),
  dYArcsec: z.number().finite().optional(),
  predicted: z.boolean(),
});
export type EopRecord = z.infer<typeof EopRecordSchema>;

/** Space-weather indices of a UTC day: solar flux (sfu) and geomagnetic indices. */
export const SpaceWeatherRecordSchema = z.object({
  dateUtc: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  f107ObsSfu: z.number().nonnegative().optional(),
  f107AdjSfu: z.number().nonnegative().optional(),
  f107ObsCenter81Sfu: z.number().nonnegative().optional(),
  f107ObsLast81Sfu: z.number().nonnegative().optional(),
  apDaily: z.number().nonnegative().optional(),
  ap3h: z.array(z.number().nonnegative()).length(8).optional(),
  kp3h: z.array(z.number().min(0).max(9)).length(8).optional(),
  kind: z.enum(['observed', 'interpolated', 'daily-predicted', 'monthly-predicted']),
});
export type SpaceWeatherRecord = z.infer<typeof SpaceWeatherRecordSchema>;

/** Fully normalized geopotential coefficients (4π normalization, Kaula). */
export const GravityFieldSchema = z.object({
  name: z.string(),
  muKm3S2: z.number().positive(),
  radiusKm: z.number().positive(),
  degree: z.number().int().min(0),
  order: z.number().int().min(0),
  tideSystem: z.enum(['zero_tide', 'tide_free', 'mean_tide', 'unknown']).default('unknown'),
  /** cnm[n][m], snm[n][m] for 0 ≤ m ≤ n ≤ degree (rows shorter than n+1 beyond `order`). */
  cnm: z.array(z.array(z.number().finite())),
  snm: z.array(z.array(z.number().finite())),
});
export type GravityField = z.infer<typeof GravityFieldSchema>;
