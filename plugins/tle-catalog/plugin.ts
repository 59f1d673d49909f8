import * as fs from 'node:fs';
import * as path from 'node:path';
import { CatalogUpdated, FileReceived, FileRejected } from '../../interfaces/topics';
import { CatalogToken } from '../../interfaces/services/acquisition';
import { definePlugin } from '../../sdk';
import { CatalogService, type IngestReport } from './catalog';
import { TleCatalogConfig } from './config';
import { fetchText } from './fetch';
import { HbrTable } from './hbr';
import { CatalogStore } from './store';

let service: CatalogService | undefined;

export default definePlugin({
  name: 'tle-catalog',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'TLE/3LE/OMM catalog: checked ingest, per-object history, Alpha-5 ids, optional CelesTrak fetch, CARA hard-body radii.',
  provides: [CatalogToken],
  publishes: [CatalogUpdated, FileRejected],
  subscribes: [FileReceived],
  config: TleCatalogConfig,
  start(ctx) {
    const cfg = ctx.config;
    const now = () => Date.now();
    const store = new CatalogStore(path.join(ctx.dataDir, 'store'), {
      historyMaxSets: cfg.historyMaxSets,
      futureEpochToleranceDays: cfg.futureEpochToleranceDays,
      meanMotionJumpFraction: cfg.meanMotionJumpFraction,
      now,
    });
    const t0 = Date.now();
    const loaded = store.load();
    for (const s of loaded.skipped.slice(0, 20)) ctx.log.warn(`${s.file}:${s.line}: stored line skipped: ${s.reason}`);
    ctx.log.info(`loaded ${loaded.sets} element sets (${store.objects.size} objects) in ${Date.now() - t0} ms`);
    let hbr: HbrTable | undefined;
    if (cfg.hbrTablePath) {
      const file = path.resolve(cfg.hbrTablePath);
      if (!fs.existsSync(file)) throw new Error(`hbrTablePath: file ${file} not found`);
      hbr = HbrTable.load(file);
      ctx.log.info(`hard-body table ${file}: ${hbr.size} objects`);
    }
    const onIngest = (source: string, r: IngestReport) => {
      ctx.log.info(`ingested ${source}: ${r.added} added, ${r.updated} updated, ${r.rejected.length} rejected; ${r.total} objects in the catalog`);
      for (const e of r.rejected.slice(0, 20)) ctx.log.warn(`${source}:${e.line}: ${e.reason}`);
      if (r.rejected.length > 20) ctx.log.warn(`${source}: ${r.rejected.length - 20} more problems`);
      for (const w of r.warnings.slice(0, 20)) ctx.log.warn(`${source}:${w.line}: accepted with a deviation: ${w.reason}`);
      if (r.warnings.length > 20) ctx.log.warn(`${source}: ${r.warnings.length - 20} more deviations accepted`);
      if (r.added + r.updated + r.rejected.length > 0) {
        ctx.publish(CatalogUpdated, {
          source,
          added: r.added,
          updated: r.updated,
          rejected: r.rejected.length,
          total: r.total,
          changedNoradIds: r.changedNoradIds,
          ...(r.epochRange ? { epochRange: r.epochRange } : {}),
          updatedAtUtc: new Date().toISOString(),
        });
      }
      if (store.journalLength >= cfg.snapshotAfterSets) store.snapshot();
    };
    service = new CatalogService(store, { maxAgeDays: cfg.maxAgeDays, now, hbr, onIngest });
    const svc = service;
    ctx.provide(CatalogToken, svc);
    ctx.onDispose(() => {
      if (store.journalLength > 0) store.snapshot();
      store.close();
    });

    ctx.subscribe(FileReceived, (m) => {
      if (m.owner !== ctx.name || (m.kind !== 'TLE' && m.kind !== 'OMM')) return;
      const text = fs.readFileSync(m.path, 'utf8');
      const r = svc.ingestText(text, m.originalName);
      const sets = r.added + r.updated + r.duplicates;
      if (sets === 0 && r.rejected.length > 0) {
        // Nothing usable: the file is refused. It stays where the inbox put it, with a reason beside it.
        const first = r.rejected[0];
        const reason = `${r.rejected.length} problem(s), no element set accepted; first: line ${first.line}: ${first.reason}`;
        const reasonFile = `${m.path}.reason`;
        fs.writeFileSync(reasonFile, r.rejected.map((e) => `line ${e.line}: ${e.reason}`).join('\n') + '\n');
        ctx.publish(FileRejected, {
          fileId: m.fileId,
          originalName: m.originalName,
          keptAt: m.path,
          reasonFile,
          reason,
          line: first.line,
          kind: m.kind,
          rejectedBy: ctx.name,
          rejectedAtUtc: new Date().toISOString(),
        });
      }
    });

    if (cfg.fetch.enabled) {
      const fetchAll = async () => {
        for (const src of cfg.fetch.sources) {
          if (ctx.signal.aborted) return;
          try {
            const text = await fetchText(src.url, cfg.fetch.timeoutMs, ctx.signal);
            const r = svc.ingestText(text, src.name);
            ctx.log.info(`fetched ${src.name}: ${r.added} added, ${r.updated} updated, ${r.rejected.length} rejected, ${r.total} objects`);
          } catch (err) {
            // A source being down is an operational event, not a crash of the module.
            ctx.log.warn(`fetch ${src.name} failed: ${(err as Error).message}`);
          }
        }
      };
      ctx.scheduler.cron(cfg.fetch.cron, fetchAll, { id: 'fetch' });
      if (cfg.fetch.atStart) ctx.scheduler.after(0, fetchAll);
    }
  },
  health() {
    const n = service?.store.objects.size ?? 0;
    return { status: 'ok', detail: `${n} objects`, metrics: { objects: n } };
  },
});
