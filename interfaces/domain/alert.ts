import { z } from 'zod';
import { ModuleName, UtcIso } from './common';

/**
 * Alert severities, in increasing order. For the collision hotline (risk-assessment):
 * `info` nothing to do; `watch` follow the event; `warning` prepare a manoeuvre and call
 * the hotline; `critical` decide now (red). Other modules use the same scale.
 */
export const ALERT_SEVERITIES = ['info', 'watch', 'warning', 'critical'] as const;
export const AlertSeverity = z.enum(ALERT_SEVERITIES);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

export const AcknowledgementSchema = z.object({
  byUser: z.string().min(1),
  atUtc: UtcIso,
  comment: z.string().optional(),
});

/** An alert raised by a module, delivered by `notification` until acknowledged. */
export const AlertSchema = z.object({
  id: z.string().min(1),
  severity: AlertSeverity,
  title: z.string().min(1),
  detail: z.string().default(''),
  raisedAtUtc: UtcIso,
  raisedBy: ModuleName,
  /** What it is about, e.g. `{ kind: 'conjunction', id: '…' }`. */
  subject: z.object({ kind: z.string().min(1), id: z.string().min(1) }).optional(),
  /** Identical alerts (same key) update rather than repeat. */
  dedupKey: z.string().optional(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  acknowledgement: AcknowledgementSchema.optional(),
});
export type Alert = z.infer<typeof AlertSchema>;
