/**
 * The `CollisionProbability` service: every method of interfaces/services/collision.ts on
 * plain-JSON inputs (PcInput), batch over conjunctions × methods.
 */
import type { CollisionProbability, PcInput, PcMethod, PcResult } from '../../interfaces/services/collision';
import { buildEncounter, requirePlane, type Encounter, type EncounterOptions, type ObjectAtTca, type PcFlag } from './encounter';
import { alfriendMaxPc, frisbeeMaxPc, noCovarianceMaxPc } from './maxpc';
import { monteCarloLinear, monteCarloTwoBody } from './montecarlo';
import { alfano2005, chan, fosterCircle, fosterSquare, patera2001, type Pc2DResult } from './pc2d';

export const PC_METHODS: readonly PcMethod[] = ['foster', 'chan', 'alfano', 'patera', 'max-pc', 'monte-carlo-linear', 'monte-carlo-two-body'];

export interface PcServiceOptions extends EncounterOptions {
  /** Relative accuracy of the quadratures (Foster, Patera, max-Pc). */
  relTol: number;
  monteCarloSamples: number;
  monteCarloSeed: number;
  /** Hard upper bound on Monte Carlo samples per request (protects the service). */
  maxMonteCarloSamples: number;
}

export const DEFAULT_SERVICE_OPTIONS: PcServiceOptions = { relTol: 1e-10, monteCarloSamples: 100_000, monteCarloSeed: 1, maxMonteCarloSamples: 10_000_000 };

/** Validation of one input; errors name the conjunction (index) and the field. */
function checkInput(input: PcInput, i: number): void {
  const where = `inputs[${i}]`;
  if (!input || typeof input !== 'object') throw new TypeError(`${where}: expected an object`);
  if (!(typeof input.hardBodyRadiusM === 'number' && input.hardBodyRadiusM > 0)) throw new RangeError(`${where}.hardBodyRadiusM: expected a positive number of metres, got ${JSON.stringify(input.hardBodyRadiusM)}`);
  if (input.hardBodyShape !== undefined && input.hardBodyShape !== 'circle' && input.hardBodyShape !== 'square') throw new RangeError(`${where}.hardBodyShape: expected 'circle' or 'square', got ${JSON.stringify(input.hardBodyShape)}`);
  for (const who of ['primary', 'secondary'] as const) {
    const o = input[who];
    if (!o) throw new TypeError(`${where}.${who}: missing`);
    for (const k of ['posKm', 'velKmS'] as const) {
      const v = o[k];
      if (!Array.isArray(v) || v.length !== 3 || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) throw new RangeError(`${where}.${who}.${k}: expected 3 finite numbers, got ${JSON.stringify(v)}`);
    }
  }
}

export interface PcComputation extends PcResult {
  /** Human-readable reasons for the flags. */
  notes: string[];
  /** Extra output of some methods (max-Pc kind, closed form, evaluations). */
  detail?: Record<string, unknown>;
}

/** One conjunction, one method. */
export function computeOne(input: PcInput, method: PcMethod, opts: PcServiceOptions = DEFAULT_SERVICE_OPTIONS, mc?: { samples: number; seed: number }, extraFlags: PcFlag[] = []): PcComputation {
  const primary: ObjectAtTca = { posKm: input.primary.posKm, velKmS: input.primary.velKmS, ...(input.primary.covRtnM2 ? { covRtnM2: input.primary.covRtnM2 } : {}) };
  const secondary: ObjectAtTca = { posKm: input.secondary.posKm, velKmS: input.secondary.velKmS, ...(input.secondary.covRtnM2 ? { covRtnM2: input.secondary.covRtnM2 } : {}) };
  const enc = buildEncounter(primary, secondary, opts);
  const R = input.hardBodyRadiusM;
  const shape = input.hardBodyShape ?? 'circle';
  const flags = new Set<PcFlag>([...extraFlags, ...enc.flags]);
  const base = { missDistanceM: enc.missDistanceM, relativeSpeedMS: enc.relativeSpeedMS };
  const done = (r: Pc2DResult | { pc: number; log10Pc: number; interval?: [number, number] }, detail?: Record<string, unknown>): PcComputation => ({
    method,
    pc: r.pc,
    log10Pc: r.log10Pc,
    ...('interval' in r && r.interval ? { interval: r.interval } : {}),
    flags: [...flags],
    ...base,
    notes: enc.notes,
    ...(detail ? { detail } : {}),
  });
  const needCov = (m: string) => {
    if (enc.covInertialM2[0] === undefined || enc.covInertialM2[1] === undefined) {
      throw new RangeError(`${m}: ${enc.notes.find((n) => n.includes('missing')) ?? 'a covariance is missing'}; use method max-pc for an upper bound`);
    }
  };
  if (shape === 'square' && method !== 'foster' && method !== 'max-pc') throw new RangeError(`${method}: the square hard-body area is implemented by foster only`);
  switch (method) {
    case 'foster': {
      needCov('foster');
      const p = requirePlane(enc);
      if (shape === 'square') {
        // CSpOC's convention: a square of side 2R circumscribing the disc, aligned with the
        // principal axes of the encounter-plane covariance (reproduces the CDM's Pc; tests).
        return done(fosterSquare([[p.sx * p.sx, 0], [0, p.sy * p.sy]], [p.mx, p.my], R, { relTol: opts.relTol }), { shape });
      }
      return done(fosterCircle(p, R, { relTol: opts.relTol }));
    }
    case 'chan':
      needCov('chan');
      return done(chan(requirePlane(enc), R));
    case 'alfano':
      needCov('alfano');
      return done(alfano2005(requirePlane(enc), R));
    case 'patera':
      needCov('patera');
      return done(patera2001(requirePlane(enc), R, { relTol: Math.max(opts.relTol, 1e-12) }));
    case 'max-pc':
      return done(...maxPc(enc, R, opts));
    case 'monte-carlo-linear': {
      needCov('monte-carlo-linear');
      const { samples, seed } = mcParams(mc, opts);
      return done(monteCarloLinear(primary, secondary, R, samples, seed), { samples, seed });
    }
    case 'monte-carlo-two-body': {
      needCov('monte-carlo-two-body');
      const { samples, seed } = mcParams(mc, opts);
      // Search window: the encounter extent (±γσ along v, Coppola 2012), at most half an orbit.
      const half = Math.min(Number.isFinite(enc.encounterDurationS) ? 0.5 * (enc.encounterDurationS ?? 0) : Infinity, 0.5 * (enc.primaryPeriodS ?? 5400));
      return done(monteCarloTwoBody(primary, secondary, R, samples, seed, { windowHalfWidthS: Math.max(half, 1) }), { samples, seed, windowHalfWidthS: half });
    }
    default:
      throw new RangeError(`unknown method '${String(method)}' (expected one of ${PC_METHODS.join(', ')})`);
  }
}

function mcParams(mc: { samples: number; seed: number } | undefined, opts: PcServiceOptions): { samples: number; seed: number } {
  const samples = mc?.samples ?? opts.monteCarloSamples;
  const seed = mc?.seed ?? opts.monteCarloSeed;
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`monteCarlo.samples: expected a positive integer, got ${samples}`);
  if (samples > opts.maxMonteCarloSamples) throw new RangeError(`monteCarlo.samples: ${samples} exceeds the configured maximum ${opts.maxMonteCarloSamples}`);
  if (!Number.isInteger(seed)) throw new RangeError(`monteCarlo.seed: expected an integer, got ${seed}`);
  return { samples, seed };
}

function maxPc(enc: Encounter, R: number, opts: PcServiceOptions): [Pc2DResult, Record<string, unknown>] {
  const [c1, c2] = enc.covInertialM2;
  if (!c1 && !c2) {
    const r = noCovarianceMaxPc(enc.missDistanceM, R);
    return [r, { kind: r.kind, worstSigmaM: r.scale }];
  }
  if (!c1 || !c2) {
    if (!(enc.relativeSpeedMS > 0)) throw new RangeError('max-pc: the relative velocity is zero (no encounter plane)');
    const r = frisbeeMaxPc(enc.planeCovM2!, enc.planeMissM, R, opts.relTol);
    return [r, { kind: r.kind, closedForm: r.closedForm, addedVarianceM2: r.scale }];
  }
  const r = alfriendMaxPc(requirePlane(enc), R, opts.relTol);
  return [r, { kind: r.kind, closedForm: r.closedForm, covarianceScale: r.scale }];
}

export class PcService implements CollisionProbability {
  constructor(private readonly opts: PcServiceOptions = DEFAULT_SERVICE_OPTIONS) {}

  async compute(request: { inputs: PcInput[]; methods: PcMethod[]; monteCarlo?: { samples: number; seed: number } }): Promise<PcResult[][]> {
    if (!request || !Array.isArray(request.inputs)) throw new TypeError('compute: request.inputs must be an array of PcInput');
    if (!Array.isArray(request.methods) || request.methods.length === 0) throw new TypeError(`compute: request.methods must list at least one of ${PC_METHODS.join(', ')}`);
    for (const m of request.methods) if (!PC_METHODS.includes(m)) throw new RangeError(`compute: unknown method '${String(m)}' (expected one of ${PC_METHODS.join(', ')})`);
    request.inputs.forEach(checkInput);
    return request.inputs.map((input, i) =>
      request.methods.map((m) => {
        try {
          const { notes: _notes, detail: _detail, ...res } = computeOne(input, m, this.opts, request.monteCarlo);
          return res;
        } catch (err) {
          throw new Error(`inputs[${i}] (${m}): ${(err as Error).message}`, { cause: err });
        }
      }),
    );
  }
}
