import * as path from 'node:path';
import { definePlugin, type HealthReport, type PluginContext } from '../../sdk';
import { AlertSchema } from '../../interfaces/domain/alert';
import { AlertAcknowledged, AlertDelivered, AlertRaised } from '../../interfaces/topics';
import { NotifierToken, type Notifier } from '../../interfaces/services/collision';
import { emailChannel, fileChannel, logChannel, smtpTransport, webhookChannel, type Channel } from './channels';
import { notificationConfig, type NotificationConfig } from './config';
import { Outbox, type Contact } from './outbox';

type Ctx = PluginContext<NotificationConfig>;

export const OUTBOX_FILE = 'outbox.jsonl';
export const ALERTS_FILE = 'alerts.jsonl';

let outbox: Outbox | undefined;
let problems: string[] = [];

/** Channels and escalation contacts from the configuration; the SMTP transport is closed on stop. */
function buildChannels(ctx: Ctx): { channels: Channel[]; contacts: Contact[] } {
  const c = ctx.config;
  const channels: Channel[] = [];
  if (c.log.enabled) channels.push(logChannel(ctx.log, c.log.minSeverity));
  if (c.file.enabled) channels.push(fileChannel(c.file.path ? path.resolve(c.file.path) : path.join(ctx.dataDir, ALERTS_FILE), c.file.minSeverity));
  for (const w of c.webhooks) channels.push(webhookChannel(w));
  const transport = c.email ? smtpTransport(c.email) : undefined;
  if (transport) ctx.onDispose(() => transport.close());
  if (c.email && transport) for (const to of c.email.to) channels.push(emailChannel(transport, c.email, to));
  const contacts: Contact[] = c.escalation.contacts.map((k) => {
    const afterMs = Math.round(k.afterS * 1000);
    if (k.webhook !== undefined) {
      const w = c.webhooks.find((x) => x.name === k.webhook)!; // checked by the schema
      return { afterMs, channel: webhookChannel(w, `contact:${k.name}/webhook:${w.name}`, 'info') };
    }
    return { afterMs, channel: emailChannel(transport!, c.email!, k.email!, `contact:${k.name}/email:${k.email}`, 'info') };
  });
  return { channels, contacts };
}

function notifier(ctx: Ctx, box: Outbox): Notifier {
  return {
    async notify(alert) {
      const parsed = AlertSchema.safeParse(alert);
      if (!parsed.success) {
        throw new Error(`notification: alert refused: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(alert)'}: ${i.message}`).join('; ')}`);
      }
      return box.enqueue(parsed.data);
    },
    async acknowledge({ alertId, byUser, comment }) {
      const atUtc = new Date().toISOString();
      const r = box.acknowledge(alertId, byUser, atUtc, comment);
      if (!r) return { acknowledged: false };
      if (r.first) {
        ctx.log.info(`alert ${alertId} acknowledged by ${byUser}`);
        ctx.publish(AlertAcknowledged, { alertId, byUser, atUtc, ...(comment !== undefined ? { comment } : {}) });
      }
      return { acknowledged: true };
    },
    async pending() {
      return box.pending();
    },
  };
}

function health(): HealthReport {
  if (!outbox) return { status: 'failed', detail: 'not started' };
  const s = outbox.stats();
  const detail = `${s.pending} alert(s) pending delivery, ${s.failing} failing for 3+ attempts, ${s.alerts} in the outbox`;
  const all = problems.length ? `${detail}; ${problems.join('; ')}` : detail;
  return { status: s.failing || problems.length ? 'degraded' : 'ok', detail: all, metrics: s };
}

export default definePlugin({
  name: 'notification',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'Alert delivery (log, file, signed webhooks, e-mail) from a persistent outbox, with retries, acknowledgement and escalation to contacts',
  config: notificationConfig,
  provides: [NotifierToken],
  publishes: [AlertDelivered, AlertAcknowledged],
  subscribes: [AlertRaised, AlertAcknowledged],
  start(ctx) {
    const { channels, contacts } = buildChannels(ctx);
    const box = new Outbox({
      journalFile: path.join(ctx.dataDir, OUTBOX_FILE),
      channels,
      contacts,
      escalationMinSeverity: ctx.config.escalation.minSeverity,
      retry: ctx.config.retry,
      retentionDays: ctx.config.retentionDays,
      onResult: (r) => ctx.publish(AlertDelivered, r),
      warn: (m) => ctx.log.warn(m),
    });
    problems = box.load();
    for (const p of problems) ctx.log.warn(`outbox: ${p}`);
    outbox = box;
    ctx.onDispose(() => box.close());
    const pending = box.pending();
    ctx.log.info(`channels: ${[...channels, ...contacts.map((k) => k.channel)].map((c) => c.id).join(', ') || 'none'}; ${pending.length} alert(s) pending from ${OUTBOX_FILE}`);

    ctx.subscribe(AlertRaised, (alert) => {
      const { queued } = box.enqueue(alert);
      ctx.log.debug(`alert ${alert.id} queued on ${queued.join(', ') || 'no channel'}`);
    });
    ctx.subscribe(AlertAcknowledged, (a) => {
      box.acknowledge(a.alertId, a.byUser, a.atUtc, a.comment);
    });
    ctx.provide(NotifierToken, notifier(ctx, box));
    box.schedule();
  },
  stop() {
    outbox = undefined;
    problems = [];
  },
  health,
});
