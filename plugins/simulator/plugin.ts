import * as fs from 'node:fs';
import * as path from 'node:path';
import { definePlugin } from '../../sdk';
import { SimulatorConfig } from './config';
import { buildScenario, type Scenario } from './scenario';

/**
 * `simulator`: a synthetic but physically consistent scenario — a protected fleet, a
 * background catalog and engineered close approaches — written as a 3LE catalog file into
 * the inbox, with a manifest of the expected encounters in the plugin's data folder.
 */
let last: Omit<Scenario, 'tle'> & { file: string; manifest: string } | undefined;

export default definePlugin({
  name: 'simulator',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'Synthetic fleet and catalog with engineered close approaches, dropped into the inbox',
  config: SimulatorConfig,
  async start(ctx) {
    last = undefined;
    if (!ctx.config.runOnStart) return;
    const epochMs = scenarioEpochMs(ctx.config.epochUtc, Date.now());
    const day = new Date(epochMs).toISOString().slice(0, 10).replace(/-/g, '');
    const base = `sim-catalog-${ctx.config.seed}-${day}`;
    const manifest = path.join(ctx.dataDir, `${base}.json`);
    if (fs.existsSync(manifest)) {
      // Already written for this seed and epoch (restart): never drop the same catalog twice.
      last = JSON.parse(fs.readFileSync(manifest, 'utf8'));
      ctx.log.info(`scenario ${base} already written; not dropped again`);
      return;
    }
    const scenario = buildScenario({
      seed: ctx.config.seed,
      epochMsUtc: epochMs,
      firstNoradId: ctx.config.firstNoradId,
      fleet: ctx.config.fleet,
      background: ctx.config.background,
      encounters: ctx.config.encounters,
      windowDays: ctx.config.windowDays,
      missKm: [ctx.config.missKm.min, ctx.config.missKm.max],
    });
    const outDir = path.resolve(ctx.config.outputDir);
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${base}.tle`);
    // Written beside the manifest, then renamed into the inbox: a watcher never sees half a file.
    const tmp = path.join(ctx.dataDir, `${base}.tle.tmp`);
    fs.writeFileSync(tmp, scenario.tle);
    moveFile(tmp, file);
    const { tle: _tle, ...summary } = scenario;
    last = { ...summary, file, manifest };
    fs.writeFileSync(manifest, JSON.stringify(last, null, 2) + '\n');
    ctx.log.info(`scenario ${base}: ${scenario.objects} objects, ${scenario.encounters.length} engineered encounters → ${file}`);
  },
  health() {
    if (!last) return { status: 'ok', detail: 'no scenario written (runOnStart: false)' };
    return { status: 'ok', detail: `${last.objects} objects, ${last.encounters.length} encounters, epoch ${last.epochUtc}`, metrics: { objects: last.objects, encounters: last.encounters.length } };
  },
});

/** The configured epoch, or 00:00 UTC of `nowMs`'s day. */
export function scenarioEpochMs(epochUtc: string | null, nowMs: number): number {
  if (epochUtc === null) {
    const d = new Date(nowMs);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  }
  const ms = Date.parse(epochUtc.length === 10 ? `${epochUtc}T00:00:00Z` : epochUtc.endsWith('Z') ? epochUtc : `${epochUtc}Z`);
  if (!Number.isFinite(ms)) throw new Error(`simulator: epochUtc '${epochUtc}' is not a valid date`);
  return ms;
}

/** rename(2), or copy + remove across file systems; refuses to overwrite. */
function moveFile(from: string, to: string): void {
  if (fs.existsSync(to)) throw new Error(`simulator: ${to} already exists; not overwritten`);
  try {
    fs.renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
    fs.unlinkSync(from);
  }
}
