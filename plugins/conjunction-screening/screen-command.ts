import * as fs from 'node:fs';
import * as path from 'node:path';
import { CatalogToken } from '../../interfaces/services/acquisition';
import { CdmServiceToken, ConjunctionScreenerToken } from '../../interfaces/services/collision';
import { ScreeningConfig } from './config';
import { Sgp4Source, isoToMs, msToIso } from './objects';
import { BulkSampler } from './sampler';
import { screenPart, type ScreenEvent } from './screen';
import { sphere } from './service';
import { readTleText } from './tle-text';

/**
 * `scoop screen --catalog FILE (--primary ID[,ID…] | --all) --start ISO --hours H
 *  [--threshold-km K] [--format json|csv|cdm] [--out DIR] [--cdm-syntax kvn|xml]`
 *
 * Screens the objects of a TLE/3LE file and prints the events: JSON, an array of { primary,
 * secondary, tca, missDistanceM, relativeSpeedMps, rtnM } (ids as in the catalog without
 * leading zeros, TCA ISO-8601 UTC, RTN of the primary), or CSV with the same columns — both
 * in-process, no kernel. `cdm`: one CCSDS CDM (508.0-B-1) per event written into --out (required)
 * as `<event id>.cdm` (KVN) or `.xml`, by the `cdm` module's own code path: a headless kernel
 * (sdk/headless.ts) runs tle-catalog, sgp4, conjunction-screening and cdm; the file is ingested
 * into the catalog, screened by the `screening` service and each event issued by the `cdm`
 * service (its default TLE covariance model by orbit regime and element age, stated in each
 * CDM's COMMENT lines); the paths written are printed, one per line.
 * Returns the exit code: 0 done, 1 the file could not be used, 2 usage error.
 */
export interface CliIo {
  readFile(path: string): string | Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const SCREEN_USAGE =
  'usage: scoop screen --catalog FILE (--primary ID[,ID…] | --all) --start ISO --hours H [--threshold-km K] [--format json|csv|cdm] [--out DIR] [--cdm-syntax kvn|xml]\n';

interface Args {
  catalog: string;
  primaries?: number[];
  all: boolean;
  startMs: number;
  hours: number;
  thresholdKm: number;
  format: 'json' | 'csv' | 'cdm';
  /** Folder of the CDM files (format cdm). */
  out?: string;
  cdmSyntax: 'kvn' | 'xml';
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
    if (!['catalog', 'primary', 'start', 'hours', 'threshold-km', 'format', 'out', 'cdm-syntax'].includes(key)) return `unknown option --${key}`;
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
  if (format !== 'json' && format !== 'csv' && format !== 'cdm') return `--format must be json, csv or cdm (got '${format}')`;
  const out = opts.get('out');
  if (format === 'cdm' && typeof out !== 'string') return '--format cdm writes one file per event: --out DIR is required';
  if (format !== 'cdm' && out !== undefined) return '--out is for --format cdm (json and csv go to stdout)';
  const cdmSyntax = (opts.get('cdm-syntax') ?? 'kvn') as string;
  if (cdmSyntax !== 'kvn' && cdmSyntax !== 'xml') return `--cdm-syntax must be kvn or xml (got '${cdmSyntax}')`;
  return { catalog, ...(primaries ? { primaries } : {}), all, startMs, hours, thresholdKm, format, ...(typeof out === 'string' ? { out } : {}), cdmSyntax };
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
  if (args.format === 'cdm') return writeCdms(args, text, io);
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

/**
 * `--format cdm`: the file through the real modules (tle-catalog ingest, the `screening`
 * service, the `cdm` service), one CDM per event copied to `<out>/<event id>.cdm|.xml`
 * (`-2`, `-3`… when two events round to the same id). Nothing is published: the screening is
 * asked with `publish: false` and cdm issues only on request (`issueFor: []`).
 */
async function writeCdms(args: Args, text: string, io: CliIo): Promise<number> {
  const { startHeadlessKernel } = await import('../../sdk/headless');
  let hk: Awaited<ReturnType<typeof startHeadlessKernel>>;
  try {
    hk = await startHeadlessKernel({
      plugins: ['tle-catalog', 'sgp4', 'conjunction-screening', 'cdm'],
      config: { plugins: { 'conjunction-screening': { config: { publish: false, schedule: { cron: null, onCatalogUpdate: false } } }, cdm: { config: { issueFor: [] } } } },
    });
  } catch (err) {
    io.stderr(`scoop screen: cannot start the modules of --format cdm: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    const ing = await hk.service(CatalogToken).ingest(text, path.basename(args.catalog));
    for (const r of ing.rejected) io.stderr(`scoop screen: ${args.catalog}:${r.line}: ${r.reason}\n`);
    if (ing.added + ing.updated === 0) {
      io.stderr(`scoop screen: ${args.catalog} holds no usable TLE\n`);
      return 1;
    }
    const res = await hk.service(ConjunctionScreenerToken).screen({
      primaries: (args.primaries ?? []).map((noradId) => ({ noradId })),
      ...(args.all ? { allVsAll: true } : {}),
      startUtc: msToIso(args.startMs),
      stopUtc: msToIso(args.startMs + args.hours * 3_600_000),
      missDistanceKm: args.thresholdKm,
      publish: false,
    });
    const missing = res.stats.skipped.filter((s) => /primary not in the catalog/.test(s.reason)).map((s) => s.id);
    if (missing.length) {
      io.stderr(`scoop screen: primary ${missing.join(', ')} not in ${args.catalog}\n`);
      return 1;
    }
    for (const s of res.stats.skipped) io.stderr(`scoop screen: ${s.id} stopped: ${s.reason}\n`);
    fs.mkdirSync(args.out!, { recursive: true });
    const cdm = hk.service(CdmServiceToken);
    const taken = new Set<string>();
    for (const c of res.conjunctions) {
      const issued = await cdm.issue({ conjunction: c, format: args.cdmSyntax, originator: 'SCOOP' });
      let name = c.id;
      for (let k = 2; taken.has(name); k++) name = `${c.id}-${k}`;
      taken.add(name);
      const file = path.join(args.out!, `${name}.${args.cdmSyntax === 'kvn' ? 'cdm' : 'xml'}`);
      fs.copyFileSync(issued.path, file);
      io.stdout(`${file}\n`);
    }
    return 0;
  } catch (err) {
    io.stderr(`scoop screen: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await hk.stop();
  }
}
