import { eopValuesOf } from '../../sdk/astro/eop';
import { GpElementSetSchema, type GpElementSet } from '../../interfaces/domain/catalog';
import { FRAMES, type Frame } from '../../interfaces/domain/common';
import type { EopProvider } from '../../interfaces/services/reference-data';
import type { PropagationOutcome, PropagationRequest, PropagationSubject, Propagator } from '../../interfaces/services/propagation';
import { ZERO_EOP, frameSetAtTimes, transformBetween, type FrameEopValues } from '../../sdk/astro/frames';
import type { PluginLogger } from '../../sdk/context';
import type { Sgp4Config } from './config';
import { ElementsError, prepareElements, sgp4ErrorCode, sgp4ErrorText, type PreparedElements } from './elements';
import { WasmBulkEngine, propagateJs, wasmDates, type ChunkResult, type EngineSubject } from './engine';
import { expandTimes, minutesSince, type RequestTimes } from './times';

type Vec3 = [number, number, number];
type Outcome = PropagationOutcome;
type ErrorOutcome = Extract<Outcome, { ok: false }>;

/** A request-level problem (malformed times, limits): thrown, unlike per-subject errors. */
export class Sgp4RequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Sgp4RequestError';
  }
}

export interface Sgp4Stats {
  requests: number;
  subjects: number;
  states: number;
  subjectErrors: number;
  /** Requests in a frame other than TEME answered with zero EOP (no EOP provider). */
  zeroEopRequests: number;
  lastEngine: string;
}

/**
 * The `propagator.sgp4` service: GP element sets → TEME states (native SGP4 frame), or any
 * frame of sdk/astro/frames (GCRF, EME2000, MOD, TOD, PEF, ITRF) through the IAU-76/FK5 chain
 * with EOP from the `eop.provider` service when one runs, zero EOP otherwise (stated in the
 * health report and the log).
 *
 * Per-subject problems (unusable elements, SGP4 errors such as decay) come back as
 * `{ ok: false, error }` outcomes in the subject's slot; only a malformed request (times,
 * frame, size limits) is thrown.
 */
export class Sgp4Service implements Propagator {
  private readonly cache = new Map<string, PreparedElements | ElementsError>();
  private wasm?: WasmBulkEngine;
  readonly stats: Sgp4Stats = { requests: 0, subjects: 0, states: 0, subjectErrors: 0, zeroEopRequests: 0, lastEngine: 'none' };

  constructor(
    private readonly config: Sgp4Config,
    private readonly deps: { eop: () => EopProvider | undefined; log?: PluginLogger; signal?: AbortSignal },
  ) {}

  async capabilities(): Promise<{ name: string; inputs: ('gp' | 'state' | 'elements' | 'ephemeris')[]; covariance: boolean; maneuvers: boolean; frames: Frame[] }> {
    return { name: 'sgp4', inputs: ['gp'], covariance: false, maneuvers: false, frames: [...FRAMES] };
  }

  async propagate(request: PropagationRequest): Promise<{ outcomes: PropagationOutcome[] }> {
    if (!request || typeof request !== 'object') throw new Sgp4RequestError('propagation request must be an object { subjects, times, frame }');
    const { subjects, frame } = request;
    if (!Array.isArray(subjects)) throw new Sgp4RequestError('request.subjects must be an array');
    const outFrame = frame ?? 'TEME';
    if (!(FRAMES as readonly string[]).includes(outFrame)) throw new Sgp4RequestError(`request.frame '${String(outFrame)}' is not one of ${FRAMES.join(', ')}`);
    let times: RequestTimes;
    try {
      times = expandTimes(request.times, this.config.maxStatesPerRequest);
    } catch (err) {
      throw new Sgp4RequestError((err as Error).message);
    }
    const states = subjects.length * times.count;
    if (states > this.config.maxStatesPerRequest) {
      throw new Sgp4RequestError(
        `request asks for ${subjects.length} subjects × ${times.count} instants = ${states} states, more than maxStatesPerRequest = ${this.config.maxStatesPerRequest}: split it into smaller batches`,
      );
    }
    this.stats.requests++;
    this.stats.subjects += subjects.length;

    const outcomes: Outcome[] = new Array(subjects.length);
    const ready: { slot: number; id: string; prepared: PreparedElements }[] = [];
    subjects.forEach((subject, slot) => {
      const r = this.prepare(subject, slot);
      if ('ok' in r) outcomes[slot] = r;
      else ready.push({ slot, id: subject.id, prepared: r });
    });

    const rotations = outFrame === 'TEME' ? undefined : await this.rotations(times, outFrame);
    const engineSubjects: EngineSubject[] = ready.map((r) => ({ satrec: r.prepared.satrec, epochJdUtc: r.prepared.epochJdUtc }));
    const take = (first: number, result: ChunkResult): void => {
      const n = result.failIndex.length;
      for (let k = 0; k < n; k++) {
        const r = ready[first + k];
        outcomes[r.slot] = this.outcome(r.id, r.prepared, k, result, times, outFrame, rotations);
      }
    };

    const engine = this.chooseEngine(engineSubjects.length, times);
    this.stats.lastEngine = engine.name;
    if (engine.kind === 'wasm') {
      await this.wasmEngine().run(engineSubjects, times, engine.dates, take);
    } else {
      // Chunks of subjects keep the packed buffers small and let other work run in between.
      const chunk = Math.max(1, Math.floor(this.config.chunkStates / Math.max(1, times.count)));
      for (let first = 0; first < engineSubjects.length; first += chunk) {
        if (this.deps.signal?.aborted) throw new Sgp4RequestError('sgp4 is stopping: propagation abandoned');
        take(first, propagateJs(engineSubjects.slice(first, first + chunk), times));
        if (first + chunk < engineSubjects.length) await new Promise((r) => setImmediate(r));
      }
    }
    this.stats.states += states;
    for (const o of outcomes) if (!o.ok) this.stats.subjectErrors++;
    return { outcomes };
  }

  /** Releases the WASM runtime, if one was started. */
  async dispose(): Promise<void> {
    await this.wasm?.dispose();
    this.wasm = undefined;
  }

  private wasmEngine(): WasmBulkEngine {
    this.wasm ??= new WasmBulkEngine(this.config.wasmThreads, this.config.wasmChunkSatellites);
    return this.wasm;
  }

  /**
   * Engine choice. `auto`: the plain loop unless the batch has at least `autoWasmMinInstants`
   * instants per subject (writing each record into WASM memory costs ~20–30 µs, repaid only
   * over many instants — bench/sgp4.bench.ts), and the instants can be shifted exactly (see
   * engine.ts `wasmDates`).
   */
  private chooseEngine(nSubjects: number, times: RequestTimes): { kind: 'js'; name: string } | { kind: 'wasm'; name: string; dates: { dates: Date[]; originJd: [number, number] } } {
    const js = { kind: 'js' as const, name: 'js-loop' };
    const mode = this.config.engine;
    if (mode === 'js' || nSubjects === 0 || times.count === 0) return js;
    if (mode === 'auto' && times.count < this.config.autoWasmMinInstants) return js;
    const shifted = wasmDates(times);
    if ('reason' in shifted) {
      this.deps.log?.debug(`sgp4: plain loop used instead of WASM: ${shifted.reason}`);
      return js;
    }
    return { kind: 'wasm', name: this.wasmEngine().name, dates: shifted };
  }

  /** Prepared elements of a subject (cached by their text), or its error outcome. */
  private prepare(subject: PropagationSubject, slot: number): PreparedElements | ErrorOutcome {
    const id = subject && typeof subject.id === 'string' ? subject.id : `#${slot}`;
    const fail = (code: ErrorOutcome['error']['code'], message: string, atUtc?: string): ErrorOutcome => ({
      id,
      ok: false,
      error: atUtc === undefined ? { code, message } : { code, message, atUtc },
    });
    if (!subject || typeof subject !== 'object' || typeof subject.id !== 'string') return fail('invalid-elements', `subjects[${slot}] must be an object with a string id`);
    const gp = subject.gp;
    if (!gp) return fail('unsupported', `subject '${id}': the sgp4 propagator needs a GP element set ('gp'); got ${Object.keys(subject).filter((k) => k !== 'id').join(', ') || 'nothing'}`);
    const key = gp.line1 && gp.line2 ? `${gp.line1}\n${gp.line2}\n${gp.epochUtc}` : JSON.stringify(gp);
    let entry = this.cache.get(key);
    if (entry === undefined) {
      entry = this.build(gp);
      if (this.cache.size >= this.config.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, entry);
    }
    if (entry instanceof ElementsError) {
      if (entry.sgp4Code !== undefined) {
        const code = sgp4ErrorCode(entry.sgp4Code);
        return fail(code === 'internal' ? 'invalid-elements' : code, `subject '${id}' (NORAD ${gp.noradId}): ${entry.message}, at the element-set epoch`, gp.epochUtc);
      }
      return fail('invalid-elements', `subject '${id}' (NORAD ${gp.noradId}): ${entry.message}`);
    }
    return entry;
  }

  private build(gp: GpElementSet): PreparedElements | ElementsError {
    const parsed = GpElementSetSchema.safeParse(gp);
    if (!parsed.success) {
      return new ElementsError(`invalid element set: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    }
    try {
      return prepareElements(parsed.data);
    } catch (err) {
      if (err instanceof ElementsError) return err;
      return new ElementsError(`cannot initialise SGP4: ${(err as Error).message}`);
    }
  }

  private outcome(id: string, prepared: PreparedElements, k: number, result: ChunkResult, times: RequestTimes, frame: Frame, rotations?: Float64Array): Outcome {
    const nT = times.count;
    const fi = result.failIndex[k];
    if (fi >= 0) {
      const code = result.failCode[k];
      const at = times.isoUtc[fi];
      const minutes = minutesSince(times, fi, prepared.epochJdUtc);
      return {
        id,
        ok: false,
        error: {
          code: sgp4ErrorCode(code),
          message: `SGP4 error ${code} (${sgp4ErrorText(code)}) at ${at}, ${minutes.toFixed(3)} min after the element-set epoch ${prepared.epochUtc} (NORAD ${prepared.satrec.satnum})`,
          atUtc: at,
        },
      };
    }
    const posKm: Vec3[] = new Array(nT);
    const velKmS: Vec3[] = new Array(nT);
    const p = result.posKm;
    const v = result.velKmS;
    let j = k * nT * 3;
    if (!rotations) {
      for (let i = 0; i < nT; i++, j += 3) {
        posKm[i] = [p[j], p[j + 1], p[j + 2]];
        velKmS[i] = [v[j], v[j + 1], v[j + 2]];
      }
    } else {
      // r' = R r; v' = R v − ω × r' (sdk/astro/frames FrameTransform: ω of the target frame
      // relative to TEME, in target axes; zero unless the target is Earth-fixed).
      for (let i = 0, m = 0; i < nT; i++, j += 3, m += 12) {
        const x = p[j], y = p[j + 1], z = p[j + 2];
        const vx = v[j], vy = v[j + 1], vz = v[j + 2];
        const rx = rotations[m] * x + rotations[m + 1] * y + rotations[m + 2] * z;
        const ry = rotations[m + 3] * x + rotations[m + 4] * y + rotations[m + 5] * z;
        const rz = rotations[m + 6] * x + rotations[m + 7] * y + rotations[m + 8] * z;
        const wx = rotations[m + 9], wy = rotations[m + 10], wz = rotations[m + 11];
        posKm[i] = [rx, ry, rz];
        velKmS[i] = [
          rotations[m] * vx + rotations[m + 1] * vy + rotations[m + 2] * vz - (wy * rz - wz * ry),
          rotations[m + 3] * vx + rotations[m + 4] * vy + rotations[m + 5] * vz - (wz * rx - wx * rz),
          rotations[m + 6] * vx + rotations[m + 7] * vy + rotations[m + 8] * vz - (wx * ry - wy * rx),
        ];
      }
    }
    return { id, ok: true, frame, epochsUtc: times.isoUtc, posKm, velKmS };
  }

  /**
   * TEME → `frame` rotation at every instant, packed 12 numbers per instant (R row-major, ω):
   * computed once per request and shared by all subjects. EOP: one batched call to the EOP
   * provider for all instants; none running → zero EOP (UT1 = UTC, no polar motion), which
   * costs up to ~0.9 s of Earth rotation (≈ 420 m at the equator in ITRF) — said in health.
   */
  private async rotations(times: RequestTimes, frame: Frame): Promise<Float64Array> {
    const mjds = Array.from(times.jdDay, (d, i) => d - 2400000.5 + times.jdFrac[i]);
    let eop: FrameEopValues[];
    const provider = this.deps.eop();
    if (provider) {
      let records;
      try {
        records = await provider.at(mjds);
      } catch (err) {
        throw new Sgp4RequestError(`EOP provider failed for ${frame} output: ${(err as Error).message}`);
      }
      if (!Array.isArray(records) || records.length !== mjds.length) throw new Sgp4RequestError(`EOP provider returned ${Array.isArray(records) ? records.length : 'no'} records for ${mjds.length} instants`);
      eop = records.map(eopValuesOf);
    } else {
      this.stats.zeroEopRequests++;
      if (this.stats.zeroEopRequests === 1) this.deps.log?.warn(`sgp4: no EOP provider running: ${frame} output uses zero EOP (UT1 = UTC, no polar motion, no pole offsets)`);
      eop = mjds.map(() => ZERO_EOP);
    }
    const out = new Float64Array(12 * times.count);
    for (let i = 0; i < times.count; i++) {
      const set = frameSetAtTimes({ jdTt: times.epochs[i].jd('TT'), jdUtc: [times.jdDay[i], times.jdFrac[i]] }, eop[i]);
      const t = transformBetween(set, 'TEME', frame);
      const R = t.rotation;
      out.set([R[0][0], R[0][1], R[0][2], R[1][0], R[1][1], R[1][2], R[2][0], R[2][1], R[2][2], ...t.angularVelocityRadS], 12 * i);
    }
    return out;
  }
}
