import * as path from 'node:path';
import { AnalyticalPropagatorToken, EphemerisServiceToken, NumericalPropagatorToken, Sgp4PropagatorToken } from '../../interfaces/services/propagation';
import { EopProviderToken } from '../../interfaces/services/reference-data';
import { EphemerisPublished, FileReceived, FileRejected, ProductPublished } from '../../interfaces/topics';
import { definePlugin, type HealthReport } from '../../sdk';
import { keepRejectedFile, resolveConfiguredPath } from '../../sdk/files';
import { ephemerisConfig } from './config';
import { EphemerisModule, formatUtc } from './service';
import { OemStore, RefusedFile } from './store';

let current: { module: EphemerisModule; store: OemStore; rejected: number } | undefined;

export default definePlugin({
  name: 'ephemeris',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'Ephemeris generation through the propagators, Lagrange/Hermite interpolation, operator OEMs in, OEM products out',
  provides: [EphemerisServiceToken],
  requires: [
    { token: Sgp4PropagatorToken, optional: true },
    { token: AnalyticalPropagatorToken, optional: true },
    { token: NumericalPropagatorToken, optional: true },
    { token: EopProviderToken, optional: true },
  ],
  publishes: [EphemerisPublished, ProductPublished, FileRejected],
  subscribes: [FileReceived],
  config: ephemerisConfig,
  start(ctx) {
    const cfg = ctx.config;
    const store = new OemStore(path.join(ctx.dataDir, 'oem'), { mode: cfg.parseMode, keepFiles: cfg.keepFiles, warn: (m) => ctx.log.warn(m) });
    store.load();
    const tokens = { sgp4: Sgp4PropagatorToken, analytical: AnalyticalPropagatorToken, numerical: NumericalPropagatorToken } as const;
    const module = new EphemerisModule(cfg, {
      propagator: (kind) => ctx.services.tryGet(tokens[kind]),
      eop: () => ctx.services.tryGet(EopProviderToken),
      store,
      productsDir: cfg.productsDir ? resolveConfiguredPath(cfg.productsDir) : path.join(ctx.dataDir, 'products'),
      publishProduct: (p) => ctx.publish(ProductPublished, p),
      publishEphemeris: (m) => ctx.publish(EphemerisPublished, m),
      log: ctx.log,
      now: () => new Date(),
    });
    const state = { module, store, rejected: 0 };
    current = state;
    ctx.onDispose(() => {
      if (current === state) current = undefined;
    });
    ctx.log.info(`${store.size} operator ephemerides loaded`);
    ctx.provide(EphemerisServiceToken, {
      generate: (r) => module.generate(r),
      interpolate: (r) => module.interpolate(r),
      publishOem: (r) => module.publishOem(r),
      list: () => module.list(),
    });

    ctx.subscribe(FileReceived, (m) => {
      if (m.owner !== ctx.name) return;
      try {
        if (m.kind !== 'OEM' && m.kind !== 'OCM') throw new RefusedFile(`${m.originalName}: a ${m.kind} file; the ephemeris module reads OEM and OCM files only`);
        const entries = store.ingest(m);
        for (const e of entries) {
          const w = e.trajectory.window();
          ctx.log.info(`OEM ${m.originalName}: ephemeris ${e.ephemerisId} of ${e.objectId}, ${e.trajectory.info.frame}, ${e.trajectory.points} states in ${e.trajectory.segments.length} segment(s), ${w.startText} … ${w.stopText} ${e.trajectory.info.timeScale}`);
          if (cfg.announceReceived) {
            ctx.publish(EphemerisPublished, {
              objectId: e.objectId,
              frame: e.trajectory.info.frame,
              window: { startUtc: formatUtc(w.start), stopUtc: formatUtc(w.stop) },
              points: e.trajectory.points,
              productId: e.ephemerisId,
              path: e.path,
              source: m.originalName,
            });
          }
        }
      } catch (err) {
        if (!(err instanceof RefusedFile)) throw err;
        state.rejected++;
        // The file is kept with its reason (nothing is lost) and the refusal is published.
        const kept = keepRejectedFile(path.join(ctx.dataDir, 'rejected'), m, err.message);
        ctx.log.warn(`refused ${m.originalName}: ${err.message}`);
        ctx.publish(FileRejected, {
          fileId: m.fileId,
          originalName: m.originalName,
          keptAt: kept.keptAt,
          reasonFile: kept.reasonFile,
          reason: err.message,
          ...(err.line !== undefined && err.line > 0 ? { line: err.line } : {}),
          kind: m.kind,
          rejectedBy: ctx.name,
          rejectedAtUtc: new Date().toISOString(),
        });
      }
    });
  },
  health(): HealthReport {
    const s = current;
    if (!s) return { status: 'ok', detail: 'not started' };
    const st = s.module.stats;
    const notes = [`${s.store.size} operator ephemerides`];
    if (s.rejected) notes.push(`${s.rejected} file(s) refused`);
    if (st.zeroEopConversions) notes.push(`${st.zeroEopConversions} frame conversion(s) with ZERO EOP (no eop.provider running)`);
    return {
      status: 'ok',
      detail: notes.join('; '),
      metrics: { ephemerides: s.store.size, rejectedFiles: s.rejected, generated: st.generated, interpolatedStates: st.interpolatedStates, products: st.products, zeroEopConversions: st.zeroEopConversions },
    };
  },
});
