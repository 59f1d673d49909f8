import { z } from 'zod';
import { UtcIso } from './common';
import { ConjunctionObjectSchema } from './conjunction';

/**
 * The content of a CCSDS Conjunction Data Message (508.0-B-1) that the hotline tracks,
 * in the CDM's own units (metres, m/s): header, relative metadata, both objects. The full
 * message travels as a product (file); this record is what modules reason on.
 */
export const CdmRecordSchema = z.object({
  messageId: z.string().min(1),
  creationDateUtc: UtcIso,
  originator: z.string().min(1),
  messageFor: z.string().optional(),
  tcaUtc: UtcIso,
  missDistanceM: z.number().nonnegative(),
  relativeSpeedMS: z.number().nonnegative().optional(),
  relativePositionRtnM: z.tuple([z.number(), z.number(), z.number()]).optional(),
  relativeVelocityRtnMS: z.tuple([z.number(), z.number(), z.number()]).optional(),
  collisionProbability: z.number().min(0).max(1).optional(),
  collisionProbabilityMethod: z.string().optional(),
  /** Conjunction-event id this CDM was attached to (successive CDMs of one event share it). */
  eventId: z.string().optional(),
  /**
   * Combined hard-body radius of the pair (m): the radius of the sphere the Pc integrates
   * over. CDM 1.0 has no keyword for it; producers such as NASA CARA write `COMMENT HBR = …`.
   */
  hardBodyRadiusM: z.number().positive().optional(),
  object1: ConjunctionObjectSchema,
  object2: ConjunctionObjectSchema,
  /** Lenient-mode deviations found while reading (kept for the operator). */
  warnings: z.array(z.string()).default([]),
  productId: z.string().optional().describe('id of the archived CDM file'),
});
export type CdmRecord = z.infer<typeof CdmRecordSchema>;
