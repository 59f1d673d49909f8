/**
 * `scoop pc` — pure command functions (args + io), wired into the `scoop` CLI by the kernel:
 *
 *   scoop pc --cdm FILE [--method foster|chan|alfano|patera|max|monte-carlo|monte-carlo-two-body]
 *            [--hbr-m R] [--hbr-shape circle|square] [--samples N] [--seed S] [--json]
 *   scoop pc --batch FILE.json [--method …] [--hbr-shape …]
 *
 * Exit codes: 0 success, 1 the computation or the input failed, 2 usage error.
 *
 * Hard-body radius, first found: --hbr-m; the CDM's `COMMENT HBR = …`; the catalog's HBR
 * table (io.hbrLookup, the two objects' radii added); the configured default.
 */
import type { PcInput, PcMethod } from '../../interfaces/services/collision';
import { pcInputFromCdmText } from './cdm-input';
import { CollisionProbabilityConfig } from './config';
import { computeOne, DEFAULT_SERVICE_OPTIONS, type PcServiceOptions } from './service';

export interface PcCliIo {
  readFile(path: string): string | Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Optional: hard-body radius (m) of a catalog object (the tle-catalog HBR table). */
  hbrLookup?(noradId: number): number | undefined | Promise<number | undefined>;
}

export const PC_USAGE = `usage: scoop pc --cdm FILE [--method foster|chan|alfano|patera|max|monte-carlo|monte-carlo-two-body] [--hbr-m R] [--hbr-shape circle|square] [--samples N] [--seed S] [--json]
       scoop pc --batch FILE.json [--method …] [--hbr-shape circle|square]
`;

const METHOD_NAMES: Record<string, PcMethod> = {
  foster: 'foster',
  chan: 'chan',
  alfano: 'alfano',
  patera: 'patera',
  max: 'max-pc',
  'max-pc': 'max-pc',
  'monte-carlo': 'monte-carlo-linear',
  'monte-carlo-linear': 'monte-carlo-linear',
  'monte-carlo-two-body': 'monte-carlo-two-body',
};

class UsageError extends Error {}

interface Parsed {
  cdm?: string;
  batch?: string;
  method: PcMethod;
  hbrM?: number;
  shape: 'circle' | 'square';
  json: boolean;
  samples?: number;
  seed?: number;
}

function parseArgs(args: readonly string[]): Parsed {
  const out: Parsed = { method: 'foster', shape: 'circle', json: false };
  const value = (i: number, flag: string): string => {
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const positive = (s: string, flag: string): number => {
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: expected a positive number, got '${s}'`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    switch (a) {
      case '--cdm':
        out.cdm = value(i++, a);
        break;
      case '--batch':
        out.batch = value(i++, a);
        break;
      case '--method': {
        const m = value(i++, a);
        const mapped = METHOD_NAMES[m];
        if (!mapped) throw new UsageError(`--method: unknown method '${m}' (expected ${Object.keys(METHOD_NAMES).join(', ')})`);
        out.method = mapped;
        break;
      }
      case '--hbr-m':
        out.hbrM = positive(value(i++, a), a);
        break;
      case '--hbr-shape': {
        const s = value(i++, a);
        if (s !== 'circle' && s !== 'square') throw new UsageError(`--hbr-shape: expected circle or square, got '${s}'`);
        out.shape = s;
        break;
      }
      case '--samples':
        out.samples = positive(value(i++, a), a);
        if (!Number.isInteger(out.samples)) throw new UsageError('--samples: expected an integer');
        break;
      case '--seed': {
        const s = Number(value(i++, a));
        if (!Number.isInteger(s)) throw new UsageError('--seed: expected an integer');
        out.seed = s;
        break;
      }
      case '--json':
        out.json = true;
        break;
      default:
        throw new UsageError(`unknown argument '${a}'`);
    }
  }
  if ((out.cdm === undefined) === (out.batch === undefined)) throw new UsageError('give exactly one of --cdm FILE or --batch FILE.json');
  return out;
}

function serviceOptions(configSection: unknown): { opts: PcServiceOptions; defaultHbrM: number } {
  const c = CollisionProbabilityConfig.parse(configSection ?? {});
  return {
    opts: {
      ...DEFAULT_SERVICE_OPTIONS,
      relTol: c.relTol,
      lowRelativeSpeedMS: c.lowRelativeSpeedMS,
      longEncounterFraction: c.longEncounterFraction,
      encounterSigma: c.encounterSigma,
      monteCarloSamples: c.monteCarlo.samples,
      monteCarloSeed: c.monteCarlo.seed,
      maxMonteCarloSamples: c.monteCarlo.maxSamples,
    },
    defaultHbrM: c.defaultHbrM,
  };
}

/** `scoop pc …`; `configSection` is the plugin's config section (defaults when absent). */
export async function pcCommand(args: readonly string[], io: PcCliIo, configSection?: unknown): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseArgs(args);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`scoop pc: ${err.message}\n${PC_USAGE}`);
      return 2;
    }
    throw err;
  }
  try {
    const { opts, defaultHbrM } = serviceOptions(configSection);
    if (parsed.cdm !== undefined) return await runCdm(parsed, parsed.cdm, io, opts, defaultHbrM);
    return await runBatch(parsed, parsed.batch!, io, opts);
  } catch (err) {
    io.stderr(`scoop pc: ${(err as Error).message}\n`);
    return 1;
  }
}

async function runCdm(p: Parsed, file: string, io: PcCliIo, opts: PcServiceOptions, defaultHbrM: number): Promise<number> {
  const text = await io.readFile(file);
  const cdm = pcInputFromCdmText(text, file);
  let hbrM = p.hbrM;
  let hbrSource = '--hbr-m';
  if (hbrM === undefined && cdm.hardBodyRadiusM !== undefined) {
    hbrM = cdm.hardBodyRadiusM;
    hbrSource = 'cdm';
  }
  if (hbrM === undefined && io.hbrLookup && cdm.primary.noradId !== undefined && cdm.secondary.noradId !== undefined) {
    const [a, b] = await Promise.all([io.hbrLookup(cdm.primary.noradId), io.hbrLookup(cdm.secondary.noradId)]);
    if (a !== undefined && b !== undefined) {
      hbrM = a + b;
      hbrSource = 'catalog';
    }
  }
  if (hbrM === undefined) {
    hbrM = defaultHbrM;
    hbrSource = 'config';
  }
  const input: PcInput = {
    tcaUtc: cdm.tcaUtc,
    primary: { posKm: cdm.primary.posKm, velKmS: cdm.primary.velKmS, ...(cdm.primary.covRtnM2 ? { covRtnM2: cdm.primary.covRtnM2 } : {}) },
    secondary: { posKm: cdm.secondary.posKm, velKmS: cdm.secondary.velKmS, ...(cdm.secondary.covRtnM2 ? { covRtnM2: cdm.secondary.covRtnM2 } : {}) },
    hardBodyRadiusM: hbrM,
    hardBodyShape: p.shape,
  };
  const mc = p.samples !== undefined || p.seed !== undefined ? { samples: p.samples ?? opts.monteCarloSamples, seed: p.seed ?? opts.monteCarloSeed } : undefined;
  const r = computeOne(input, p.method, opts, mc, cdm.flags);
  if (p.json) {
    const doc = {
      pc: r.pc,
      log10Pc: r.log10Pc,
      method: r.method,
      hbrM,
      hbrSource,
      hbrShape: p.shape,
      missDistanceM: r.missDistanceM,
      relativeSpeedMS: r.relativeSpeedMS,
      flags: r.flags,
      ...(r.interval ? { interval: r.interval } : {}),
      ...(cdm.reportedPc !== undefined ? { cdmPc: cdm.reportedPc, cdmPcMethod: cdm.reportedPcMethod } : {}),
      notes: r.notes,
      warnings: cdm.warnings.map((w) => `${w.line !== undefined ? `line ${w.line}: ` : ''}${w.keyword ? `${w.keyword}: ` : ''}${w.message}`),
    };
    io.stdout(JSON.stringify(doc, null, 2) + '\n');
  } else {
    const lines = [
      `${file}: TCA ${cdm.tcaUtc} UTC`,
      `  Pc (${r.method}, ${p.shape} HBR ${hbrM} m from ${hbrSource}) = ${r.pc.toExponential(6)}  (log10 ${r.log10Pc.toFixed(4)})${r.interval ? `  95% [${r.interval[0].toExponential(3)}, ${r.interval[1].toExponential(3)}]` : ''}`,
      `  miss ${r.missDistanceM.toFixed(3)} m, relative speed ${r.relativeSpeedMS.toFixed(3)} m/s`,
      ...(cdm.reportedPc !== undefined ? [`  CDM reports ${cdm.reportedPc}${cdm.reportedPcMethod ? ` (${cdm.reportedPcMethod})` : ''}`] : []),
      ...(r.flags.length ? [`  flags: ${r.flags.join(', ')}`] : []),
      ...r.notes.map((n) => `  note: ${n}`),
    ];
    io.stdout(lines.join('\n') + '\n');
  }
  return 0;
}

interface BatchItem {
  id: string;
  hbrM: number;
  primary: { rKm: number[]; vKmS: number[]; covRtnM2?: number[][] };
  secondary: { rKm: number[]; vKmS: number[]; covRtnM2?: number[][] };
}

async function runBatch(p: Parsed, file: string, io: PcCliIo, opts: PcServiceOptions): Promise<number> {
  const text = await io.readFile(file);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: malformed JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(doc)) throw new Error(`${file}: expected a JSON array of conjunctions`);
  const out: { id: string; pc: number | null; log10Pc?: number; flags: string[]; error?: string }[] = [];
  let failures = 0;
  doc.forEach((raw: unknown, i: number) => {
    const where = `${file}: [${i}]`;
    const item = raw as BatchItem;
    const id = item && typeof item === 'object' && 'id' in item ? String(item.id) : `#${i}`;
    try {
      if (!item || typeof item !== 'object') throw new Error('expected an object');
      const obj = (o: BatchItem['primary'] | undefined, who: string) => {
        if (!o || typeof o !== 'object') throw new Error(`${who}: missing`);
        return { posKm: o.rKm as [number, number, number], velKmS: o.vKmS as [number, number, number], ...(o.covRtnM2 ? { covRtnM2: o.covRtnM2 } : {}) };
      };
      if (!(typeof item.hbrM === 'number' && item.hbrM > 0)) throw new Error(`hbrM: expected a positive number of metres, got ${JSON.stringify(item.hbrM)}`);
      const input: PcInput = { tcaUtc: '', primary: obj(item.primary, 'primary') as PcInput['primary'], secondary: obj(item.secondary, 'secondary') as PcInput['secondary'], hardBodyRadiusM: item.hbrM, hardBodyShape: p.shape };
      const r = computeOne(input, p.method, opts);
      out.push({ id, pc: r.pc, log10Pc: r.log10Pc, flags: r.flags });
    } catch (err) {
      failures++;
      const msg = `${where} (id ${id}): ${(err as Error).message}`;
      io.stderr(`scoop pc: ${msg}\n`);
      out.push({ id, pc: null, flags: [], error: (err as Error).message });
    }
  });
  io.stdout(JSON.stringify(out, null, 2) + '\n');
  return failures > 0 ? 1 : 0;
}
