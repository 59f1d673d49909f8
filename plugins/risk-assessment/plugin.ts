import type { Payload } from '../../sdk/topic';
import * as path from 'node:path';
import { definePlugin, type HealthReport, type PluginContext } from '../../sdk';
import { AlertAcknowledged, AlertRaised, CdmIssued, CdmReceived, ConjunctionDetected, RiskAssessed } from '../../interfaces/topics';
import { CollisionProbabilityToken, RiskAssessmentToken, type RiskAssessment } from '../../interfaces/services/collision';
import type { Conjunction } from '../../interfaces/domain/conjunction';
import { severityRank, thresholdTable } from './classify';
import { riskConfig, type RiskConfig } from './config';
import { EventBook, type Outcome } from './events';
import { fromCdm, fromConjunction, pcInputOf } from './updates';

type Ctx = PluginContext<RiskConfig>;

export const JOURNAL_FILE = 'risk-journal.jsonl';

let book: EventBook | undefined;
let problems: string[] = [];

function publish(ctx: Ctx, o: Outcome): void {
  ctx.publish(RiskAssessed, o.assessed);
  const line = `${o.event.eventId}: ${o.decision.severity} (${o.decision.cause}${o.decision.previous ? `, was ${o.decision.previous}` : ''}, trend ${o.decision.trend})`;
  if (severityRank(o.decision.severity) >= severityRank('warning')) ctx.log.warn(line);
  else ctx.log.info(line);
  if (o.alert) ctx.publish(AlertRaised, o.alert);
}

/** Adds a Pc from the collision-probability service when the conjunction has none and the service runs. */
async function withPc(ctx: Ctx, c: Conjunction): Promise<{ c: Conjunction; note?: string }> {
  if (c.pc !== undefined || !ctx.config.requestPc) return { c };
  const service = ctx.services.tryGet(CollisionProbabilityToken);
  if (!service) return { c, note: 'no Pc: collision-probability not running, assessed on miss distance' };
  const built = pcInputOf(c, ctx.config.defaultHardBodyRadiusM);
  if ('missing' in built) return { c, note: `no Pc: ${built.missing}; assessed on miss distance` };
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ctx.config.pcTimeoutMs} ms`)), ctx.config.pcTimeoutMs);
    });
    const res = await Promise.race([service.compute({ inputs: [built.input], methods: [ctx.config.pcMethod] }), timeout]);
    const r = res[0]?.[0];
    if (!r || !Number.isFinite(r.pc)) return { c, note: 'no Pc: collision-probability returned no value; assessed on miss distance' };
    return { c: { ...c, pc: Math.min(1, Math.max(0, r.pc)), pcMethod: `computed:${r.method}` } };
  } catch (err) {
    ctx.log.warn(`Pc request for ${c.id} failed: ${(err as Error).message}; assessed on miss distance`);
    return { c, note: `no Pc: collision-probability failed (${(err as Error).message}); assessed on miss distance` };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

function reassessAll(ctx: Ctx, b: EventBook): void {
  for (const o of b.reassess()) publish(ctx, o);
}

function service(ctx: Ctx, b: EventBook): RiskAssessment {
  return {
    async assess(eventIds) {
      reassessAll(ctx, b);
      return eventIds.map((id) => {
        const e = b.get(id);
        if (!e) throw new Error(`risk-assessment: unknown event id '${id}' (known: ${b.size} event(s))`);
        return { eventId: e.eventId, severity: e.current.severity, trend: e.current.trend, reasons: [...e.current.reasons] };
      });
    },
    async thresholds() {
      return thresholdTable(ctx.config);
    },
  };
}

function health(): HealthReport {
  if (!book) return { status: 'failed', detail: 'not started' };
  const events = book.all();
  const count = (s: string) => events.filter((e) => e.current.severity === s).length;
  const metrics = { events: events.length, critical: count('critical'), warning: count('warning'), watch: count('watch') };
  const detail = `${events.length} event(s): ${metrics.critical} critical, ${metrics.warning} warning, ${metrics.watch} watch`;
  return problems.length ? { status: 'degraded', detail: `${detail}; ${problems.join('; ')}`, metrics } : { status: 'ok', detail, metrics };
}

export default definePlugin({
  name: 'risk-assessment',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'Conjunction risk levels (red/yellow/green → critical/warning/watch), trends across updates, escalation as TCA approaches, deduplicated alerts',
  config: riskConfig,
  provides: [RiskAssessmentToken],
  requires: [{ token: CollisionProbabilityToken, optional: true }],
  publishes: [RiskAssessed, AlertRaised],
  subscribes: [ConjunctionDetected, CdmReceived, CdmIssued, AlertAcknowledged],
  start(ctx) {
    const b = new EventBook(ctx.config, path.join(ctx.dataDir, JOURNAL_FILE), Date.now, ctx.name);
    problems = b.load();
    for (const p of problems) ctx.log.warn(`journal: ${p}`);
    book = b;
    ctx.onDispose(() => b.close());
    ctx.log.info(`${b.size} event(s) reloaded from ${JOURNAL_FILE}`);
    reassessAll(ctx, b);

    ctx.subscribe(ConjunctionDetected, async (c) => {
      const { c: withP, note } = await withPc(ctx, c);
      const { who, obs } = fromConjunction(withP, new Date().toISOString());
      publish(ctx, b.observe(who, obs, note ? [note] : []));
    });
    // A CDM received from a provider, or one this centre issued for a screened event (it
    // carries the Pc computed with the objects' covariances, or the documented default
    // covariance model for TLE-only objects): both are updates of the event.
    const onCdm = (r: Payload<typeof CdmReceived>) => {
      const { who, obs } = fromCdm(r, new Date().toISOString());
      publish(ctx, b.observe(who, obs));
    };
    ctx.subscribe(CdmReceived, onCdm);
    ctx.subscribe(CdmIssued, onCdm);
    ctx.subscribe(AlertAcknowledged, (a) => {
      const e = b.acknowledge(a.alertId, a.byUser, a.atUtc, a.comment);
      if (e) ctx.log.info(`alert ${a.alertId} of event ${e.eventId} acknowledged by ${a.byUser}`);
    });
    ctx.scheduler.every(ctx.config.reassessEveryS * 1000, () => reassessAll(ctx, b));
    ctx.provide(RiskAssessmentToken, service(ctx, b));
  },
  stop() {
    book = undefined;
    problems = [];
  },
  health,
});
