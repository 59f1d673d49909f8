import * as fs from 'node:fs';
import * as path from 'node:path';
import { definePlugin, type HealthReport, type Payload, type PluginContext } from '../../sdk';
import { LeapSecondTable } from '../../sdk/astro/time';
import type { EopTable } from '../../sdk/astro/eop';
import { EopUpdated, FileReceived, FileRejected } from '../../interfaces/topics';
import { EopProviderToken, type EopProvider } from '../../interfaces/services/reference-data';
import { eopConfig, type EopConfig } from './config';
import { keepRejectedFile, resolveConfiguredPath, writeAtomic } from '../../sdk/files';
import { lastObservedMjd, leapSecondSteps, looksLikeLeapSeconds, parseEopText, parseLeapSecondText, todayMjd } from './tables';

type Ctx = PluginContext<EopConfig>;

interface EopInUse {
  table: EopTable;
  /** Text of the file, kept to rebuild the table when a newer leap-second table arrives. */
  text: string;
  origin: string;
  loadedAtUtc: string;
  lastObservedMjd: number;
}

interface LeapInUse {
  table: LeapSecondTable;
  text?: string;
  origin: string;
}

interface State {
  ctx: Ctx;
  eop?: EopInUse;
  leap: LeapInUse;
  problems: string[];
  lastStaleWarningMs: number;
}

let state: State | undefined;

const KEPT_EOP = 'current-eop.txt';
const KEPT_LEAP = 'current-leap-seconds.txt';

const lastEntryMjd = (t: LeapSecondTable) => t.entries[t.entries.length - 1].mjd;
const isoDay = (mjd: number) => new Date((mjd - 40587) * 86_400_000).toISOString().slice(0, 10);

function readCandidate(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

function loadLeapSeconds(s: State): void {
  const { ctx } = s;
  const candidates: LeapInUse[] = [{ table: LeapSecondTable.DEFAULT, origin: 'bundled' }];
  if (ctx.config.leapSecondsFile) {
    const file = resolveConfiguredPath(ctx.config.leapSecondsFile);
    const text = readCandidate(file);
    if (text === undefined) {
      s.problems.push(`configured leap-second file ${file} not found (bundled table used)`);
      ctx.log.warn(`configured leap-second file ${file} not found: the bundled table is used`);
    } else {
      try {
        candidates.push({ table: parseLeapSecondText(text, file), text, origin: 'configured' });
      } catch (err) {
        s.problems.push(`configured leap-second file refused: ${(err as Error).message}`);
        ctx.log.error(`configured leap-second file refused: ${(err as Error).message}`);
      }
    }
  }
  const keptFile = path.join(ctx.dataDir, KEPT_LEAP);
  const kept = readCandidate(keptFile);
  if (kept !== undefined) {
    try {
      candidates.push({ table: parseLeapSecondText(kept, keptFile), text: kept, origin: 'received earlier' });
    } catch (err) {
      ctx.log.error(`kept leap-second table ${keptFile} refused: ${(err as Error).message}`);
    }
  }
  // the table reaching furthest wins; on a tie the later candidate (configured, then received) — a file over the bundled copy
  s.leap = candidates.reduce((best, c) => (lastEntryMjd(c.table) >= lastEntryMjd(best.table) ? c : best));
}

function loadEop(s: State): void {
  const { ctx } = s;
  const candidates: EopInUse[] = [];
  const tryLoad = (file: string, text: string, origin: string, what: string) => {
    try {
      const table = parseEopText(text, file, s.leap.table, ctx.config.finalsBulletin);
      candidates.push({ table, text, origin, loadedAtUtc: new Date().toISOString(), lastObservedMjd: lastObservedMjd(table) });
    } catch (err) {
      if (origin === 'configured') s.problems.push(`${what} refused: ${(err as Error).message}`);
      ctx.log.error(`${what} refused: ${(err as Error).message}`);
    }
  };
  const configured = resolveConfiguredPath(ctx.config.file);
  const text = readCandidate(configured);
  if (text === undefined) {
    s.problems.push(`configured file ${configured} (${ctx.config.file}) not found`);
    ctx.log.warn(`configured EOP file ${configured} not found: running without it`);
  } else tryLoad(configured, text, 'configured', 'configured EOP file');
  const keptFile = path.join(ctx.dataDir, KEPT_EOP);
  const kept = readCandidate(keptFile);
  if (kept !== undefined) tryLoad(keptFile, kept, 'received earlier', `kept EOP table ${keptFile}`);
  candidates.sort((a, b) => b.lastObservedMjd - a.lastObservedMjd);
  if (candidates.length) use(s, candidates[0]);
  else ctx.log.warn('no EOP table: at() and coverage() fail until a file is received');
}

function use(s: State, e: EopInUse): void {
  s.eop = e;
  const t = e.table;
  s.ctx.log.info(`EOP table in use: ${t.source} (${e.origin}), MJD ${t.firstMjd} … ${t.lastMjd}, last observed ${isoDay(e.lastObservedMjd)}, ${t.rows.length} rows, leap seconds: ${s.leap.table.source}`);
  s.ctx.publish(EopUpdated, { source: t.source, firstMjd: t.firstMjd, lastMjd: t.lastMjd, lastObservedMjd: e.lastObservedMjd, rows: t.rows.length, updatedAtUtc: e.loadedAtUtc });
}

function onFileReceived(s: State, msg: Payload<typeof FileReceived>): void {
  let text: string;
  try {
    text = fs.readFileSync(msg.path, 'utf8');
  } catch (err) {
    reject(s, msg, `cannot read ${msg.path}: ${(err as Error).message}`);
    return;
  }
  if (msg.kind === 'LEAP_SECONDS' || looksLikeLeapSeconds(text)) receiveLeapSeconds(s, msg, text);
  else receiveEop(s, msg, text);
}

function receiveEop(s: State, msg: Payload<typeof FileReceived>, text: string): void {
  let table: EopTable;
  try {
    table = parseEopText(text, msg.originalName, s.leap.table, s.ctx.config.finalsBulletin);
  } catch (err) {
    reject(s, msg, (err as Error).message);
    return;
  }
  const observed = lastObservedMjd(table);
  if (s.eop && observed < s.eop.lastObservedMjd) {
    reject(s, msg, `older than the table in use: last observed ${isoDay(observed)} < ${isoDay(s.eop.lastObservedMjd)} (${s.eop.table.source})`);
    return;
  }
  writeAtomic(path.join(s.ctx.dataDir, KEPT_EOP), text);
  clearReceivedProblems(s);
  use(s, { table, text, origin: `received ${msg.fileId}`, loadedAtUtc: new Date().toISOString(), lastObservedMjd: observed });
}

function receiveLeapSeconds(s: State, msg: Payload<typeof FileReceived>, text: string): void {
  let leap: LeapSecondTable;
  try {
    leap = parseLeapSecondText(text, msg.originalName);
  } catch (err) {
    reject(s, msg, (err as Error).message);
    return;
  }
  if (lastEntryMjd(leap) < lastEntryMjd(s.leap.table)) {
    reject(s, msg, `older than the leap-second table in use: last entry ${isoDay(lastEntryMjd(leap))} < ${isoDay(lastEntryMjd(s.leap.table))} (${s.leap.table.source})`);
    return;
  }
  // the EOP table interpolates UT1 − TAI through the leap seconds: rebuild it with the new table
  let rebuilt: EopTable | undefined;
  if (s.eop) {
    try {
      rebuilt = parseEopText(s.eop.text, s.eop.table.source, leap, s.ctx.config.finalsBulletin);
    } catch (err) {
      reject(s, msg, `the EOP table in use does not agree with it: ${(err as Error).message}`);
      return;
    }
  }
  writeAtomic(path.join(s.ctx.dataDir, KEPT_LEAP), text);
  s.leap = { table: leap, text, origin: `received ${msg.fileId}` };
  clearReceivedProblems(s);
  s.ctx.log.info(`leap-second table in use: ${msg.originalName} (${leap.entries.length} entries, last ${isoDay(lastEntryMjd(leap))}, TAI−UTC ${leap.taiMinusUtcS(lastEntryMjd(leap))} s)`);
  if (s.eop && rebuilt) use(s, { ...s.eop, table: rebuilt, loadedAtUtc: new Date().toISOString() });
}

function clearReceivedProblems(s: State): void {
  s.problems = s.problems.filter((p) => !p.startsWith('received file'));
}

/** Keeps the refused file and its reason under <dataDir>/rejected/, publishes file.rejected; the tables in use stay. */
function reject(s: State, msg: Payload<typeof FileReceived>, reason: string): void {
  const { ctx } = s;
  const { keptAt, reasonFile } = keepRejectedFile(path.join(ctx.dataDir, 'rejected'), msg, reason);
  // sdk/astro parsers write '<source> line N: …'
  const line = reason.startsWith(msg.originalName) ? /^ line (\d+)\b/.exec(reason.slice(msg.originalName.length)) : null;
  clearReceivedProblems(s);
  s.problems.push(`received file ${msg.originalName} refused: ${reason}`);
  ctx.log.error(`received file ${msg.originalName} refused (tables in use unchanged): ${reason}`);
  ctx.publish(FileRejected, {
    fileId: msg.fileId,
    originalName: msg.originalName,
    keptAt,
    reasonFile,
    reason,
    line: line ? Number(line[1]) : undefined,
    kind: msg.kind,
    rejectedBy: ctx.name,
    rejectedAtUtc: new Date().toISOString(),
  });
}

/** Days between the table's first prediction and today (undefined without predictions). */
function predictionAgeDays(e: EopInUse): number | undefined {
  const first = e.table.firstPredictedMjd;
  return first === undefined ? undefined : todayMjd() - first;
}

function provider(s: State): EopProvider {
  const eop = (): EopInUse => {
    if (!s.eop) throw new Error(`eop: no EOP table loaded (${s.problems.join('; ') || 'no file'})`);
    return s.eop;
  };
  return {
    async at(mjdUtc) {
      const e = eop();
      const outside: number[] = [];
      let predicted = false;
      const out = mjdUtc.map((mjd) => {
        if (typeof mjd !== 'number' || !Number.isFinite(mjd)) throw new Error(`eop: MJD ${String(mjd)} is not a finite number`);
        const v = e.table.at(mjd);
        if (v.outOfRange) outside.push(mjd);
        predicted ||= v.predicted;
        const { outOfRange, ...values } = v;
        return { mjdUtc: mjd, ...values, source: e.table.source, extrapolated: outOfRange };
      });
      if (outside.length) {
        s.ctx.log.warn(`eop: ${outside.length} MJD(s) outside ${e.table.source} (${e.table.firstMjd} … ${e.table.lastMjd}): ${outside.slice(0, 3).join(', ')}${outside.length > 3 ? ', …' : ''}; the nearest row's values are held`);
      }
      const age = predictionAgeDays(e);
      if (predicted && age !== undefined && age > s.ctx.config.maxPredictionAgeDays && Date.now() - s.lastStaleWarningMs > 3_600_000) {
        s.lastStaleWarningMs = Date.now();
        s.ctx.log.warn(`eop: serving predictions made ${age} days ago (first predicted day ${isoDay(e.table.firstPredictedMjd!)}, limit ${s.ctx.config.maxPredictionAgeDays} days): load a newer ${path.basename(e.table.source)}`);
      }
      return out;
    },
    async coverage() {
      const e = eop();
      return { source: e.table.source, firstMjd: e.table.firstMjd, lastMjd: e.table.lastMjd, lastObservedMjd: e.lastObservedMjd, loadedAtUtc: e.loadedAtUtc };
    },
    async leapSeconds() {
      return leapSecondSteps(s.leap.table);
    },
  };
}

function health(): HealthReport {
  const s = state;
  if (!s) return { status: 'failed', detail: 'not started' };
  const leapNote = `leap seconds: ${s.leap.origin} (${s.leap.table.entries.length} entries, last ${isoDay(lastEntryMjd(s.leap.table))})`;
  if (!s.eop) return { status: 'degraded', detail: `no EOP table: ${s.problems.join('; ')}; ${leapNote}` };
  const e = s.eop;
  const problems = [...s.problems];
  const observedAge = todayMjd() - e.lastObservedMjd;
  const predAge = predictionAgeDays(e);
  if (predAge !== undefined && predAge > s.ctx.config.maxPredictionAgeDays) problems.push(`predictions are ${predAge} days old (> ${s.ctx.config.maxPredictionAgeDays})`);
  const metrics: Record<string, number> = {
    rows: e.table.rows.length,
    firstMjd: e.table.firstMjd,
    lastMjd: e.table.lastMjd,
    lastObservedMjd: e.lastObservedMjd,
    lastObservedAgeDays: observedAge,
    leapSecondEntries: s.leap.table.entries.length,
  };
  if (predAge !== undefined) metrics.predictionAgeDays = predAge;
  return {
    status: problems.length ? 'degraded' : 'ok',
    detail: `${e.table.source} (${e.origin}): MJD ${e.table.firstMjd} … ${e.table.lastMjd}, last observed ${isoDay(e.lastObservedMjd)} (${observedAge} days ago); ${leapNote}${problems.length ? '; ' + problems.join('; ') : ''}`,
    metrics,
  };
}

export default definePlugin({
  name: 'eop',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'Earth orientation parameters (IERS finals2000A, CelesTrak EOP-All, IERS CSV) and leap seconds',
  config: eopConfig,
  provides: [EopProviderToken],
  publishes: [EopUpdated, FileRejected],
  subscribes: [FileReceived],
  start(ctx) {
    const s: State = { ctx, leap: { table: LeapSecondTable.DEFAULT, origin: 'bundled' }, problems: [], lastStaleWarningMs: 0 };
    state = s;
    loadLeapSeconds(s);
    loadEop(s);
    ctx.provide(EopProviderToken, provider(s));
    if (ctx.config.acceptReceivedFiles) {
      ctx.subscribe(FileReceived, (msg) => {
        if (msg.owner === ctx.name && (msg.kind === 'EOP' || msg.kind === 'LEAP_SECONDS')) onFileReceived(s, msg);
      });
    }
  },
  stop() {
    state = undefined;
  },
  health,
});
