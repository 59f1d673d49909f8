import { ScreeningConfig } from './config';
import { Sgp4Source, isoToMs, msToIso } from './objects';
import { BulkSampler } from './sampler';
import { screenPart, type ScreenEvent } from './screen';
import { sphere } from './service';
import { readTleText } from './tle-text';

/**
 * `scoop screen --catalog FILE (--primary ID[,ID…] | --all) --start ISO --hours H
 *  [--threshold-km K] [--format json|csv]`
 *
 * Screens the objects of a TLE/3LE file (no running kernel needed) and prints the events:
 * JSON, an array of { primary, secondary, tca, missDistanceM, relativeSpeedMps, rtnM } (ids
 * as in the catalog without leading zeros, TCA ISO-8601 UTC, RTN of the primary), or CSV with
 * the same columns. `cdm` is refused with the reason: a CCSDS CDM (508.0-B-1) needs each
 * object's covariance, which a TLE does not carry (the `cdm` module issues CDMs).
 * Returns the exit code: 0 done, 1 the file could not be used, 2 usage error.
 */
export interface CliIo {
  readFile(path: string): string | Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const SCREEN_USAGE =
  'usage: scoop screen --catalog FILE (--primary ID[,ID…] | --all) --start ISO --hours H [--threshold-km K] [--format json|csv]\n';

interface Args {
  catalog: string;
  primaries?: number[];
  all: boolean;
  startMs: number;
  hours: number;
  thresholdKm: number;
  format: 'json' | 'csv';
}

function parseArgs(argv: readonly string[]): Args | string {
  const opts = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === 'screen' && i === 0) continue;
    if (!a.startsWith('--')) return `unexpected argument '${a}'`;
    const [key, inline] = a.slice(2).split('=', 2);
    if (key === 'all') {
      opts.set(key, true);
      continue;
    }
    if (!['catalog', 'primary', 'start', 'hours', 'threshold-km', 'format'].includes(key)) return `unknown option --${key}`;
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) return `--${key} needs a value`;
    opts.set(key, value);
  }
  const catalog = opts.get('catalog');
  if (typeof catalog !== 'string') return '--catalog FILE is required';
  const primary = opts.get('primary');
  const all = opts.get('all') === true;
  if (all === (typeof primary === 'string')) return 'give either --primary ID[,ID…] or --all';
  let primaries: number[] | undefined;
  if (typeof primary === 'string') {
    primaries = primary.split(',').map((s) => Number(s.trim()));
    if (primaries.some((n) => !Number.isInteger(n) || n < 0)) return `--primary '${primary}': expected NORAD ids separated by commas`;
  }
  const start = opts.get('start');
  if (typeof start !== 'string') return '--start ISO is required';
  let startMs: number;
  try {
    startMs = isoToMs(start);
  } catch (err) {
    return `--start: ${(err as Error).message}`;
  }
  const hours = Number(opts.get('hours'));
  if (!opts.has('hours') || !(hours > 0) || hours > 24 * 60) return `--hours must be a number of hours in (0, 1440] (got ${String(opts.get('hours'))})`;
  const thresholdKm = opts.has('threshold-km') ? Number(opts.get('threshold-km')) : 5;
  if (!(thresholdKm > 0)) return `--threshold-km must be a positive number of km (got ${String(opts.get('threshold-km'))})`;
  const format = (opts.get('format') ?? 'json') as string;
  if (format === 'cdm') return 'the cdm format is not available: a CCSDS CDM (508.0-B-1) requires the covariance of both objects, which TLEs do not carry; use json or csv (the cdm module issues CDMs)';
  if (format !== 'json' && format !== 'csv') return `--format must be json or csv (got '${format}')`;
  return { catalog, ...(primaries ? { primaries } : {}), all, startMs, hours, thresholdKm, format };
}

/** One output row (the JSON shape of the command). */
export function eventRow(e: ScreenEvent): { primary: string; secondary: string; tca: string; missDistanceM: number; relativeSpeedMps: number; rtnM: [number, number, number] } {
  const g = e.geometry;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    primary: e.primary.id,
    secondary: e.secondary.id,
    tca: msToIso(e.tcaMs),
    missDistanceM: r3(g.missKm * 1000),
    relativeSpeedMps: r3(g.relativeSpeedKmS * 1000),
    rtnM: [r3(g.rtnPosKm[0] * 1000), r3(g.rtnPosKm[1] * 1000), r3(g.rtnPosKm[2] * 1000)],
  };
}

export async function runScreenCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr(`scoop screen: ${args}\n${SCREEN_USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = await io.readFile(args.catalog);
  } catch (err) {
    io.stderr(`scoop screen: cannot read ${args.catalog}: ${(err as Error).message}\n`);
    return 1;
  }
  let sets;
  try {
    sets = readTleText(text, args.catalog);
  } catch (err) {
    io.stderr(`scoop screen: ${(err as Error).message}\n`);
    return 1;
  }
  if (!sets.length) {
    io.stderr(`scoop screen: ${args.catalog} holds no TLE\n`);
    return 1;
  }
  const objects: Sgp4Source[] = [];
  const byId = new Map<number, Sgp4Source>();
  for (const gp of sets) {
    try {
      const s = new Sgp4Source(gp);
      objects.push(s);
      byId.set(s.noradId, s);
    } catch (err) {
      io.stderr(`scoop screen: ${args.catalog}: NORAD ${gp.noradId} skipped: ${(err as Error).message}\n`);
    }
  }
  let primaries: Sgp4Source[] = objects;
  if (args.primaries) {
    const missing = args.primaries.filter((id) => !byId.has(id));
    if (missing.length) {
      io.stderr(`scoop screen: primary ${missing.join(', ')} not in ${args.catalog}\n`);
      return 1;
    }
    primaries = args.primaries.map((id) => byId.get(id)!);
  }
  const f = ScreeningConfig.parse({}).filters;
  const sampler = new BulkSampler(f.wasmThreads || 1);
  let events: ScreenEvent[];
  try {
    const r = await screenPart(primaries, objects, { startMs: args.startMs, stopMs: args.startMs + args.hours * 3_600_000 }, { ...f, volumeFor: () => sphere(args.thresholdKm), sampler: sampler.sample });
    events = r.events;
    for (const s of r.stats.skipped) io.stderr(`scoop screen: ${s.id} stopped: ${s.reason}\n`);
  } finally {
    await sampler.dispose();
  }
  const rows = events.map(eventRow);
  if (args.format === 'json') io.stdout(JSON.stringify(rows, null, 2) + '\n');
  else {
    const lines = ['primary,secondary,tca,missDistanceM,relativeSpeedMps,rtnR_m,rtnT_m,rtnN_m', ...rows.map((r) => [r.primary, r.secondary, r.tca, r.missDistanceM, r.relativeSpeedMps, ...r.rtnM].join(','))];
    io.stdout(lines.join('\n') + '\n');
  }
  return 0;
}
