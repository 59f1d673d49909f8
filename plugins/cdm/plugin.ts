import * as path from 'node:path';
import { definePlugin, resolveConfiguredPath, type HealthReport } from '../../sdk';
import { CdmIssued, CdmReceived, ConjunctionDetected, FileReceived, FileRejected, ProductPublished } from '../../interfaces/topics';
import { CdmServiceToken, CollisionProbabilityToken } from '../../interfaces/services/collision';
import { CatalogToken } from '../../interfaces/services/acquisition';
import { EopProviderToken } from '../../interfaces/services/reference-data';
import { cdmConfig } from './config';
import { EventBook } from './events';
import { CdmHotline } from './service';

export const JOURNAL_FILE = 'events.jsonl';

let book: EventBook | undefined;
let problems: string[] = [];
let failures = 0;
let lastFailure: string | undefined;

function health(): HealthReport {
  if (!book) return { status: 'failed', detail: 'not started' };
  const events = book.all();
  const cdms = events.reduce((n, e) => n + e.cdms.length, 0);
  const metrics = { events: events.length, cdms, issueFailures: failures };
  const detail = `${events.length} event(s), ${cdms} CDM(s)`;
  const issues = [...problems, ...(lastFailure ? [`last failure: ${lastFailure}`] : [])];
  return issues.length ? { status: 'degraded', detail: `${detail}; ${issues.join('; ')}`, metrics } : { status: 'ok', detail, metrics };
}

export default definePlugin({
  name: 'cdm',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'CCSDS CDM in (lenient, CSpOC/CARA comments) and out (KVN/XML, default TLE covariance model), conjunction events followed across successive CDMs',
  config: cdmConfig,
  provides: [CdmServiceToken],
  requires: [
    { token: CatalogToken, optional: true },
    { token: EopProviderToken, optional: true },
    { token: CollisionProbabilityToken, optional: true },
  ],
  publishes: [CdmReceived, CdmIssued, ProductPublished, FileRejected],
  subscribes: [FileReceived, ConjunctionDetected],
  start(ctx) {
    const cfg = ctx.config;
    const b = new EventBook(path.join(ctx.dataDir, JOURNAL_FILE), { tcaToleranceS: cfg.tcaToleranceS, retentionDays: cfg.retentionDays, now: Date.now });
    problems = b.load();
    failures = 0;
    lastFailure = undefined;
    for (const p of problems) ctx.log.warn(`journal: ${p}`);
    book = b;
    ctx.onDispose(() => b.close());
    ctx.log.info(`${b.size} conjunction event(s) reloaded from ${JOURNAL_FILE}`);

    const hotline = new CdmHotline({
      config: cfg,
      productsDir: cfg.productsDir ? resolveConfiguredPath(cfg.productsDir) : path.join(ctx.dataDir, 'products'),
      rejectedDir: cfg.rejectedDir ? resolveConfiguredPath(cfg.rejectedDir) : path.join(ctx.dataDir, 'rejected'),
      book: b,
      moduleName: ctx.name,
      now: Date.now,
      log: ctx.log,
      publishReceived: (r) => ctx.publish(CdmReceived, r),
      publishIssued: (r) => ctx.publish(CdmIssued, r),
      publishProduct: (p) => ctx.publish(ProductPublished, p),
      publishRejected: (m) => ctx.publish(FileRejected, m),
      catalog: () => ctx.services.tryGet(CatalogToken),
      eop: () => ctx.services.tryGet(EopProviderToken),
      pc: () => ctx.services.tryGet(CollisionProbabilityToken),
    });

    ctx.subscribe(FileReceived, async (m) => {
      if (m.owner !== ctx.name || m.kind !== 'CDM') return;
      await hotline.ingestFile(m);
    });
    ctx.subscribe(ConjunctionDetected, async (c) => {
      if (!cfg.issueFor.includes(c.source)) return;
      try {
        await hotline.issue({ conjunction: c, format: cfg.format, originator: cfg.originator, ...(cfg.messageFor ? { messageFor: cfg.messageFor } : {}) });
      } catch (err) {
        // A conjunction that cannot make a CDM (e.g. no state at TCA) is reported, not a crash.
        failures++;
        lastFailure = `${c.id}: ${(err as Error).message}`;
        ctx.log.error(`no CDM for conjunction ${c.id}: ${(err as Error).message}`);
      }
    });
    ctx.provide(CdmServiceToken, hotline);
  },
  stop() {
    book = undefined;
    problems = [];
  },
  health,
});
