import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { definePlugin, type HealthReport, type PluginContext } from '../../sdk';
import type { GroundStation } from '../../interfaces/domain/station';
import { StationsUpdated } from '../../interfaces/topics';
import { StationNetworkToken, type StationNetwork } from '../../interfaces/services/reference-data';
import { StationList, stationNetworkConfig, type StationNetworkConfig } from './config';
import { Network } from './network';

type Ctx = PluginContext<StationNetworkConfig>;

interface State {
  ctx: Ctx;
  network: Network;
  origin: string;
  problem?: string;
  updatedAtUtc: string;
}

let state: State | undefined;

/** The network last published, so a restart (e.g. after a config edit) knows whether it changed. */
const PUBLISHED = 'stations.json';

/** Reads and validates a station file (YAML or JSON: `stations: [...]` or a bare list). Errors name the file, the line and the key. */
export function readStationFile(file: string): GroundStation[] {
  const text = fs.readFileSync(file, 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new Error(`${file}:${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`);
  }
  const data = doc.toJS() as unknown;
  const list = Array.isArray(data) ? data : data && typeof data === 'object' && 'stations' in data ? (data as { stations: unknown }).stations : undefined;
  const prefix = Array.isArray(data) ? [] : ['stations'];
  if (!Array.isArray(list)) throw new Error(`${file}: expected a list of stations or 'stations: [...]'`);
  const r = StationList.safeParse(list);
  if (!r.success) {
    const issue = r.error.issues[0];
    const keyPath = [...prefix, ...issue.path.map(String)];
    const node = doc.getIn(keyPath.map((k) => (/^\d+$/.test(k) ? Number(k) : k)), true) as { range?: [number, number] } | undefined;
    const line = node?.range ? text.slice(0, node.range[0]).split('\n').length : undefined;
    const where = keyPath.reduce((acc, k) => (/^\d+$/.test(k) ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');
    throw new Error(`${file}${line ? `:${line}` : ''}: ${where}: ${issue.message}${r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : ''}`);
  }
  return r.data;
}

/** Publishes stations.updated when the network differs from the one last published (kept in dataDir). */
function publishIfChanged(s: State): void {
  const file = path.join(s.ctx.dataDir, PUBLISHED);
  const text = JSON.stringify(s.network.stations);
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (previous === text) return;
  s.updatedAtUtc = new Date().toISOString();
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
  s.ctx.log.info(`station network ${previous === undefined ? 'first published' : 'changed'} (${s.origin}): ${s.network.ids.join(', ')}`);
  s.ctx.publish(StationsUpdated, { stationIds: s.network.ids, updatedAtUtc: s.updatedAtUtc });
}

function lastPublished(ctx: Ctx): GroundStation[] | undefined {
  const file = path.join(ctx.dataDir, PUBLISHED);
  if (!fs.existsSync(file)) return undefined;
  try {
    const r = StationList.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

function initial(ctx: Ctx): State {
  const now = new Date().toISOString();
  if (!ctx.config.file) return { ctx, network: new Network(ctx.config.stations), origin: 'configuration', updatedAtUtc: now };
  const file = path.resolve(ctx.config.file);
  try {
    return { ctx, network: new Network(readStationFile(file)), origin: file, updatedAtUtc: now };
  } catch (err) {
    // never fail at start: keep the network last published, else the inline list, and say so
    const kept = lastPublished(ctx);
    const problem = `station file refused: ${(err as Error).message}; using ${kept ? 'the network last published' : 'the inline stations of the configuration'}`;
    ctx.log.error(problem);
    return { ctx, network: new Network(kept ?? ctx.config.stations), origin: kept ? 'last published' : 'configuration', problem, updatedAtUtc: now };
  }
}

function reloadFile(s: State, file: string): void {
  try {
    const stations = readStationFile(file);
    s.network = new Network(stations);
    s.origin = file;
    s.problem = undefined;
    publishIfChanged(s);
  } catch (err) {
    s.problem = `station file edit refused (network in use unchanged): ${(err as Error).message}`;
    s.ctx.log.error(s.problem);
  }
}

function provider(s: State): StationNetwork {
  return {
    async list() {
      return s.network.stations;
    },
    async get(ids) {
      return s.network.get(ids);
    },
    async maskElevationDeg(stationId, azimuthsDeg) {
      return s.network.maskElevationDeg(stationId, azimuthsDeg);
    },
    async isAvailable(stationId, instantsUtc) {
      return s.network.isAvailable(stationId, instantsUtc);
    },
  };
}

function health(): HealthReport {
  const s = state;
  if (!s) return { status: 'failed', detail: 'not started' };
  return {
    status: s.problem ? 'degraded' : 'ok',
    detail: `${s.network.stations.length} stations (${s.network.ids.join(', ')}) from ${s.origin}${s.problem ? '; ' + s.problem : ''}`,
    metrics: { stations: s.network.stations.length },
  };
}

export default definePlugin({
  name: 'station-network',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'Ground stations (WGS-84 position, horizon mask, availability) from configuration or a watched file',
  config: stationNetworkConfig,
  provides: [StationNetworkToken],
  publishes: [StationsUpdated],
  start(ctx) {
    const s = initial(ctx);
    state = s;
    ctx.provide(StationNetworkToken, provider(s));
    // published once start has returned, so plugins started in the same boot have subscribed
    ctx.scheduler.after(0, () => publishIfChanged(s));
    if (ctx.config.file) {
      const file = path.resolve(ctx.config.file);
      ctx.watch(file, (ev) => (ev.kind === 'unlink' ? undefined : reloadFile(s, file)), { initial: false, stabilityMs: 50 });
    }
  },
  stop() {
    state = undefined;
  },
  health,
});
