import * as fs from 'node:fs';
import * as path from 'node:path';
import { definePlugin, type HealthReport, type Payload, type PluginContext } from '../../sdk';
import { FileReceived, FileRejected, GravityFieldUpdated } from '../../interfaces/topics';
import { GravityFieldProviderToken, type GravityFieldProvider } from '../../interfaces/services/reference-data';
import { gravityFieldConfig, type GravityFieldConfig, type ModelFileConfig } from './config';
import { keepRejectedFile, readMaybeGzipped, resolveConfiguredPath, writeAtomic } from '../../sdk/files';
import { GravityFormatError, parseEgmNga, parseGravityField, parseIcgem, truncate, type GravityModel } from './parse';

type Ctx = PluginContext<GravityFieldConfig>;

interface Loaded {
  model: GravityModel;
  /** Evaluation epoch of time-variable terms (UTC MJD), undefined = mean field at the reference epoch. */
  epochMjd?: number;
  origin: string;
}

interface State {
  ctx: Ctx;
  models: Map<string, Loaded>;
  problems: string[];
}

let state: State | undefined;

const RECEIVED_DIR = 'received';

function parseWith(text: string, source: string, cfg: Partial<ModelFileConfig>): GravityModel {
  const egm = { name: cfg.name, muKm3S2: cfg.muKm3S2, radiusKm: cfg.radiusKm, tideSystem: cfg.tideSystem };
  const model = cfg.format === 'icgem' ? parseIcgem(text, source) : cfg.format === 'egm' ? parseEgmNga(text, source, egm) : parseGravityField(text, source, egm);
  if (cfg.name) model.name = cfg.name;
  return model;
}

function add(s: State, loaded: Loaded): void {
  const { model } = loaded;
  const previous = s.models.get(model.name);
  s.models.set(model.name, loaded);
  for (const w of model.warnings) s.ctx.log.warn(w);
  s.ctx.log.info(`gravity model ${model.name} ${previous ? `replaced (was ${previous.model.source})` : 'loaded'}: ${model.source}, degree ${model.maxDegree} (complete to ${model.completeDegree}), GM ${model.muKm3S2} km³/s², R ${model.radiusKm} km, ${model.tideSystem}${model.gfct.length ? `, ${model.gfct.length} time-variable coefficients evaluated ${loaded.epochMjd === undefined ? 'as the mean field at t0' : `at MJD ${loaded.epochMjd}`}` : ''}`);
  s.ctx.publish(GravityFieldUpdated, { name: model.name, degree: model.completeDegree, order: model.completeDegree, source: model.source });
}

function startupLoad(s: State): void {
  const { ctx } = s;
  for (const cfg of ctx.config.models) {
    const file = resolveConfiguredPath(cfg.file);
    if (!fs.existsSync(file)) {
      s.problems.push(`configured model file ${file} (${cfg.file}) not found`);
      ctx.log.warn(`configured gravity model file ${file} not found: skipped`);
      continue;
    }
    try {
      const model = parseWith(readMaybeGzipped(file), file, cfg);
      add(s, { model, epochMjd: cfg.epochUtc ? isoToMjd(cfg.epochUtc) : undefined, origin: 'configured' });
    } catch (err) {
      s.problems.push(`configured model file refused: ${(err as Error).message}`);
      ctx.log.error(`configured gravity model refused: ${(err as Error).message}`);
    }
  }
  const dir = path.join(ctx.dataDir, RECEIVED_DIR);
  if (fs.existsSync(dir)) {
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      try {
        add(s, { model: parseWith(readMaybeGzipped(file), file, {}), origin: 'received earlier' });
      } catch (err) {
        ctx.log.error(`kept gravity model ${file} refused: ${(err as Error).message}`);
      }
    }
  }
  if (s.models.size === 0) ctx.log.warn('no gravity model loaded: coefficients() fails until one is received');
}

function onFileReceived(s: State, msg: Payload<typeof FileReceived>): void {
  let model: GravityModel;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(msg.path);
    model = parseWith(readMaybeGzipped(msg.path), msg.originalName, {});
  } catch (err) {
    reject(s, msg, (err as Error).message, err instanceof GravityFormatError ? err.line : undefined);
    return;
  }
  // kept under the model's name (one file per model) so a restart serves it again
  const keep = path.join(s.ctx.dataDir, RECEIVED_DIR, `${model.name.replace(/[^A-Za-z0-9._-]/g, '_')}${/\.gz$/i.test(msg.originalName) ? '.gz' : ''}`);
  writeAtomic(keep, bytes);
  s.problems = s.problems.filter((p) => !p.startsWith('received file'));
  add(s, { model, origin: `received ${msg.fileId}` });
}

function reject(s: State, msg: Payload<typeof FileReceived>, reason: string, line?: number): void {
  const { ctx } = s;
  const { keptAt, reasonFile } = keepRejectedFile(path.join(ctx.dataDir, 'rejected'), msg, reason);
  s.problems = [...s.problems.filter((p) => !p.startsWith('received file')), `received file ${msg.originalName} refused: ${reason}`];
  ctx.log.error(`received gravity file ${msg.originalName} refused (models in use unchanged): ${reason}`);
  ctx.publish(FileRejected, { fileId: msg.fileId, originalName: msg.originalName, keptAt, reasonFile, reason, line, kind: msg.kind, rejectedBy: ctx.name, rejectedAtUtc: new Date().toISOString() });
}

function isoToMjd(iso: string): number {
  const ms = Date.parse(/T/.test(iso) ? (iso.endsWith('Z') ? iso : iso + 'Z') : iso + 'T00:00:00Z');
  if (!Number.isFinite(ms)) throw new Error(`gravity-field: epochUtc '${iso}' is not a date`);
  return ms / 86_400_000 + 40587;
}

function provider(s: State): GravityFieldProvider {
  const pick = (name?: string): Loaded => {
    if (s.models.size === 0) throw new Error(`gravity-field: no model loaded (${s.problems.join('; ') || 'no file'})`);
    const wanted = name ?? s.ctx.config.defaultModel ?? s.models.keys().next().value!;
    const m = s.models.get(wanted);
    if (!m) throw new Error(`gravity-field: unknown model '${wanted}' (loaded: ${[...s.models.keys()].join(', ')})`);
    return m;
  };
  return {
    async coefficients({ degree, order, model }) {
      const l = pick(model);
      const { cnm, snm } = truncate(l.model, degree, order, l.epochMjd);
      return { name: l.model.name, muKm3S2: l.model.muKm3S2, radiusKm: l.model.radiusKm, degree, order, tideSystem: l.model.tideSystem, cnm, snm };
    },
    async models() {
      return [...s.models.values()].map((l) => ({ name: l.model.name, degree: l.model.completeDegree, order: l.model.completeDegree, source: l.model.source }));
    },
  };
}

function health(): HealthReport {
  const s = state;
  if (!s) return { status: 'failed', detail: 'not started' };
  const list = [...s.models.values()].map((l) => `${l.model.name} ${l.model.completeDegree}×${l.model.completeDegree} (${l.origin})`);
  const problems = [...s.problems];
  if (s.models.size === 0) problems.unshift('no gravity model loaded');
  if (s.ctx.config.defaultModel && !s.models.has(s.ctx.config.defaultModel)) problems.push(`defaultModel '${s.ctx.config.defaultModel}' is not loaded`);
  return {
    status: problems.length ? 'degraded' : 'ok',
    detail: `${list.join(', ') || 'no model'}${problems.length ? '; ' + problems.join('; ') : ''}`,
    metrics: { models: s.models.size, maxDegree: Math.max(-1, ...[...s.models.values()].map((l) => l.model.completeDegree)) },
  };
}

export default definePlugin({
  name: 'gravity-field',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'Geopotential models (ICGEM .gfc, NGA EGM format): fully normalized Cnm/Snm to a requested degree and order',
  config: gravityFieldConfig,
  provides: [GravityFieldProviderToken],
  publishes: [GravityFieldUpdated, FileRejected],
  subscribes: [FileReceived],
  start(ctx) {
    const s: State = { ctx, models: new Map(), problems: [] };
    state = s;
    startupLoad(s);
    ctx.provide(GravityFieldProviderToken, provider(s));
    if (ctx.config.acceptReceivedFiles) {
      ctx.subscribe(FileReceived, (msg) => (msg.kind === 'GRAVITY' && msg.owner === ctx.name ? onFileReceived(s, msg) : undefined));
    }
  },
  stop() {
    state = undefined;
  },
  health,
});
