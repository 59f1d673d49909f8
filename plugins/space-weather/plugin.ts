import * as fs from 'node:fs';
import * as path from 'node:path';
import { definePlugin, type HealthReport, type Payload, type PluginContext } from '../../sdk';
import { FileReceived, FileRejected, SpaceWeatherUpdated } from '../../interfaces/topics';
import { SpaceWeatherProviderToken, type SpaceWeatherProvider } from '../../interfaces/services/reference-data';
import { spaceWeatherConfig, type SpaceWeatherConfig } from './config';
import { keepRejectedFile, resolveConfiguredPath, writeAtomic } from '../../sdk/files';
import { isoDateFromMjd, mjdFromIsoDate, parseSpaceWeather, SpaceWeatherFormatError } from './parse';
import { SpaceWeatherTable } from './table';

type Ctx = PluginContext<SpaceWeatherConfig>;

interface InUse {
  table: SpaceWeatherTable;
  loadedAtUtc: string;
  origin: string;
}

interface State {
  ctx: Ctx;
  current?: InUse;
  /** Why there is no table, or why the last received file was refused. */
  problems: string[];
}

let state: State | undefined;

/** Where the last accepted received table is kept, so a restart uses it. */
const RECEIVED_FILE = 'current-table.txt';

function loadFile(file: string, config: SpaceWeatherConfig): SpaceWeatherTable {
  const parsed = parseSpaceWeather(fs.readFileSync(file, 'utf8'), file);
  return new SpaceWeatherTable(parsed, { apWhenMissing: config.apWhenMissing });
}

function use(s: State, table: SpaceWeatherTable, origin: string): void {
  s.current = { table, loadedAtUtc: new Date().toISOString(), origin };
  const c = table.coverage();
  for (const w of table.parsed.warnings) s.ctx.log.warn(w);
  s.ctx.log.info(`space-weather table in use: ${table.source} (${c.firstDate} … ${c.lastDate}, last observed ${c.lastObservedDate}, ${table.rows} rows)`);
  s.ctx.publish(SpaceWeatherUpdated, { ...c, rows: table.rows, updatedAtUtc: s.current.loadedAtUtc });
}

function startupLoad(s: State): void {
  const { ctx } = s;
  const candidates: { table: SpaceWeatherTable; origin: string }[] = [];
  const configured = resolveConfiguredPath(ctx.config.file);
  if (!fs.existsSync(configured)) {
    s.problems.push(`configured file ${configured} (${ctx.config.file}) not found`);
    ctx.log.warn(`configured space-weather file ${configured} not found: running without it`);
  } else {
    try {
      candidates.push({ table: loadFile(configured, ctx.config), origin: 'configured' });
    } catch (err) {
      s.problems.push(`configured file refused: ${(err as Error).message}`);
      ctx.log.error(`configured space-weather file refused: ${(err as Error).message}`);
    }
  }
  const kept = path.join(ctx.dataDir, RECEIVED_FILE);
  if (fs.existsSync(kept)) {
    try {
      candidates.push({ table: loadFile(kept, ctx.config), origin: 'received earlier' });
    } catch (err) {
      ctx.log.error(`kept space-weather table ${kept} refused: ${(err as Error).message}`);
    }
  }
  // the table observed furthest wins; on a tie the configured file (the operator's choice)
  candidates.sort((a, b) => b.table.lastObservedMjd - a.table.lastObservedMjd);
  if (candidates.length) use(s, candidates[0].table, candidates[0].origin);
  else ctx.log.warn('no space-weather table: daily() and atmosphereInputs() fail until a file is received');
}

async function onFileReceived(s: State, msg: Payload<typeof FileReceived>): Promise<void> {
  const { ctx } = s;
  let table: SpaceWeatherTable;
  let text: string;
  try {
    text = fs.readFileSync(msg.path, 'utf8');
    table = new SpaceWeatherTable(parseSpaceWeather(text, msg.originalName), { apWhenMissing: ctx.config.apWhenMissing });
  } catch (err) {
    const line = err instanceof SpaceWeatherFormatError ? err.line : undefined;
    reject(s, msg, (err as Error).message, line);
    return;
  }
  const cur = s.current?.table;
  if (cur && table.lastObservedMjd < cur.lastObservedMjd) {
    reject(s, msg, `older than the table in use: last observed ${isoDateFromMjd(table.lastObservedMjd)} < ${isoDateFromMjd(cur.lastObservedMjd)} (${cur.source})`);
    return;
  }
  writeAtomic(path.join(ctx.dataDir, RECEIVED_FILE), text);
  s.problems = s.problems.filter((p) => !p.startsWith('received file'));
  use(s, table, `received ${msg.fileId}`);
}

/** Keeps the refused file and its reason under <dataDir>/rejected/ and says so on file.rejected; the table in use stays. */
function reject(s: State, msg: Payload<typeof FileReceived>, reason: string, line?: number): void {
  const { ctx } = s;
  const { keptAt, reasonFile } = keepRejectedFile(path.join(ctx.dataDir, 'rejected'), msg, reason);
  s.problems = [...s.problems.filter((p) => !p.startsWith('received file')), `received file ${msg.originalName} refused: ${reason}`];
  ctx.log.error(`received space-weather file ${msg.originalName} refused (table in use unchanged): ${reason}`);
  ctx.publish(FileRejected, { fileId: msg.fileId, originalName: msg.originalName, keptAt, reasonFile, reason, line, kind: msg.kind, rejectedBy: ctx.name, rejectedAtUtc: new Date().toISOString() });
}

function provider(s: State): SpaceWeatherProvider {
  const table = (): SpaceWeatherTable => {
    if (!s.current) throw new Error(`space-weather: no table loaded (${s.problems.join('; ') || 'no file'})`);
    return s.current.table;
  };
  const warnExtrapolated = (what: string[]) => {
    if (what.length) s.ctx.log.warn(`space-weather: ${what.length} request(s) outside the table ${table().source} (${what.slice(0, 3).join(', ')}${what.length > 3 ? ', …' : ''}): first/last row values held`);
  };
  return {
    async daily(datesUtc) {
      const t = table();
      const outside: string[] = [];
      const out = datesUtc.map((date) => {
        const mjd = mjdFromIsoDate(date);
        if (mjd === undefined) throw new Error(`space-weather: '${date}' is not a date YYYY-MM-DD`);
        const v = t.day(mjd);
        if (v.extrapolated) outside.push(date);
        return { ...v.record, source: t.source, predicted: v.predicted, extrapolated: v.extrapolated };
      });
      warnExtrapolated(outside);
      return out;
    },
    async atmosphereInputs(instantsUtc) {
      const t = table();
      const out = instantsUtc.map((i) => t.atmosphereInputs(i));
      warnExtrapolated(instantsUtc.filter((_, k) => out[k].flags.extrapolated));
      return out;
    },
    async coverage() {
      return table().coverage();
    },
  };
}

function health(): HealthReport {
  const s = state;
  if (!s) return { status: 'failed', detail: 'not started' };
  if (!s.current) return { status: 'degraded', detail: `no space-weather table: ${s.problems.join('; ')}` };
  const t = s.current.table;
  const c = t.coverage();
  const todayMjd = Math.floor(Date.now() / 86_400_000) + 40587;
  const ageDays = todayMjd - t.lastObservedMjd;
  const problems = [...s.problems];
  if (ageDays > s.ctx.config.maxObservedAgeDays) problems.push(`last observed day ${c.lastObservedDate} is ${ageDays} days old (> ${s.ctx.config.maxObservedAgeDays})`);
  return {
    status: problems.length ? 'degraded' : 'ok',
    detail: `${t.source} (${s.current.origin}): ${c.firstDate} … ${c.lastDate}, last observed ${c.lastObservedDate}${problems.length ? '; ' + problems.join('; ') : ''}`,
    metrics: { rows: t.rows, firstMjd: t.firstMjd, lastMjd: t.lastMjd, lastObservedMjd: t.lastObservedMjd, lastObservedAgeDays: ageDays },
  };
}

export default definePlugin({
  name: 'space-weather',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'CelesTrak SW-All (text or CSV) space-weather tables: F10.7, Ap, Kp for atmosphere models',
  config: spaceWeatherConfig,
  provides: [SpaceWeatherProviderToken],
  publishes: [SpaceWeatherUpdated, FileRejected],
  subscribes: [FileReceived],
  start(ctx) {
    const s: State = { ctx, problems: [] };
    state = s;
    startupLoad(s);
    ctx.provide(SpaceWeatherProviderToken, provider(s));
    if (ctx.config.acceptReceivedFiles) {
      ctx.subscribe(FileReceived, (msg) => (msg.kind === 'SPACE_WEATHER' && msg.owner === ctx.name ? onFileReceived(s, msg) : undefined));
    }
  },
  stop() {
    state = undefined;
  },
  health,
});
