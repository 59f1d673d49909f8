import * as os from 'node:os';
import { definePlugin, type HealthReport } from '../../sdk';
import { CatalogToken } from '../../interfaces/services/acquisition';
import { ConjunctionScreenerToken } from '../../interfaces/services/collision';
import { EphemerisServiceToken, Sgp4PropagatorToken } from '../../interfaces/services/propagation';
import { CatalogUpdated, ConjunctionDetected } from '../../interfaces/topics';
import { ScreeningConfig } from './config';
import { ScreeningPart, screenPartRequest } from './distributed';
import { msToIso } from './objects';
import { BulkSampler } from './sampler';
import { ScreeningService } from './service';

let current: { service: ScreeningService; lastError?: string } | undefined;

export default definePlugin({
  name: 'conjunction-screening',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'Conjunction screening: protected assets vs the catalog, or all-vs-all; TCA, miss distance, RTN geometry',
  provides: [ConjunctionScreenerToken],
  requires: [CatalogToken, Sgp4PropagatorToken, { token: EphemerisServiceToken, optional: true }],
  publishes: [ConjunctionDetected, ScreeningPart],
  subscribes: [CatalogUpdated],
  config: ScreeningConfig,
  start(ctx) {
    const cfg = ctx.config;
    const sampler = cfg.filters.wasmThreads > 0 ? new BulkSampler(cfg.filters.wasmThreads) : undefined;
    const catalog = ctx.services.get(CatalogToken);
    const propagator = ctx.services.get(Sgp4PropagatorToken);
    const service = new ScreeningService(cfg, {
      catalog: () => catalog,
      propagator: () => propagator,
      ephemeris: () => ctx.services.tryGet(EphemerisServiceToken),
      log: ctx.log,
      signal: ctx.signal,
      sampler: sampler?.sample,
      requestPart: (q, options) => ctx.bus.request(ScreeningPart, q, options),
    });
    // Named in answers (logs, tests): host, process and this instance.
    const workerName = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    // Every kernel running the plugin is a worker of distributed screenings (unless serve: false).
    // Parts are screened one at a time (they are CPU-bound: running them together only splits
    // the same core), with a turn of the event loop between them so that replies leave and a
    // stop is seen: parts still waiting when the plugin stops are answered 'worker-stopping'
    // and the coordinator re-issues them.
    if (cfg.distributed.serve) {
      let queue: Promise<unknown> = Promise.resolve();
      ctx.bus.handle(ScreeningPart, (q) => {
        const run = queue.then(() => new Promise((r) => setTimeout(r, 0))).then(() => screenPartRequest(q, { signal: ctx.signal, sampler: sampler?.sample, node: workerName }));
        queue = run.catch(() => undefined);
        return run;
      });
    }
    const state: { service: ScreeningService; lastError?: string } = { service };
    current = state;
    ctx.provide(ConjunctionScreenerToken, {
      screen: async (request) => {
        const r = await service.screen(request);
        // a what-if screening (publish: false, e.g. a manoeuvre option) is answered, not announced
        if (request.publish ?? cfg.publish) for (const c of r.conjunctions) ctx.publish(ConjunctionDetected, c);
        return r;
      },
    });

    // Routine screening (schedule, catalog updates): one run at a time; a trigger during a run
    // asks for one more run after it, never a queue of them.
    let running = false;
    let again: string | undefined;
    const routine = async (reason: string): Promise<void> => {
      if (!cfg.protectedNoradIds.length && !cfg.schedule.allVsAll) {
        ctx.log.debug(`screening (${reason}) skipped: no protected assets configured (protectedNoradIds) and allVsAll off`);
        return;
      }
      if (running) {
        again = reason;
        return;
      }
      running = true;
      try {
        const now = Date.now();
        const window = { startUtc: msToIso(now), stopUtc: msToIso(now + cfg.windowDays * 86_400_000) };
        const runs: { primaries: { noradId: number }[]; allVsAll?: boolean; startUtc: string; stopUtc: string }[] = [];
        if (cfg.protectedNoradIds.length) runs.push({ primaries: cfg.protectedNoradIds.map((noradId) => ({ noradId })), ...window });
        if (cfg.schedule.allVsAll && reason === 'schedule') runs.push({ primaries: [], allVsAll: true, ...window });
        for (const req of runs) {
          if (ctx.signal.aborted) return;
          const r = await service.screen(req);
          if (cfg.publish) for (const c of r.conjunctions) ctx.publish(ConjunctionDetected, c);
          for (const s of r.stats.skipped.slice(0, 20)) ctx.log.warn(`screening: ${s.id} skipped: ${s.reason}`);
          ctx.log.info(`screening (${reason}${req.allVsAll ? ', all-vs-all' : ''}) ${window.startUtc} → ${window.stopUtc}: ${r.conjunctions.length} events, ${r.stats.pairs} pairs, ${r.stats.refined} refinements, ${r.stats.durationMs} ms`);
        }
        state.lastError = undefined;
      } catch (err) {
        if (ctx.signal.aborted) return;
        // Logged and shown in health (degraded); not a crash: a restart would not fix a bad catalog.
        state.lastError = (err as Error).message;
        ctx.log.error(`screening (${reason}) failed: ${state.lastError}`);
      } finally {
        running = false;
        const next = again;
        again = undefined;
        if (next !== undefined && !ctx.signal.aborted) ctx.scheduler.after(0, () => routine(next));
      }
    };
    if (cfg.schedule.cron) ctx.scheduler.cron(cfg.schedule.cron, () => routine('schedule'), { id: 'screening' });
    if (cfg.schedule.onCatalogUpdate) {
      ctx.subscribe(CatalogUpdated, (m) => {
        if (m.added + m.updated === 0) return;
        ctx.scheduler.after(0, () => routine(`catalog.updated from ${m.source}`));
      });
    }
    ctx.onDispose(async () => {
      if (current === state) current = undefined;
      await sampler?.dispose();
    });
  },
  health(): HealthReport {
    const s = current;
    if (!s) return { status: 'ok', detail: 'not started' };
    const last = s.service.lastRun;
    const detail = last ? `last run ${last.atUtc}: ${last.events} events in ${last.durationMs} ms` : 'no screening run yet';
    return {
      status: s.lastError ? 'degraded' : 'ok',
      detail: s.lastError ? `${detail}; last routine run failed: ${s.lastError}` : detail,
      metrics: { runs: s.service.runs, lastEvents: last?.events ?? 0, lastDurationMs: last?.durationMs ?? 0 },
    };
  },
});
