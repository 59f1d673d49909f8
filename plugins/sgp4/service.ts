import { eopValuesOf } from '../../sdk/astro/eop';
import { GpElementSetSchema, type GpElementSet } from '../../interfaces/domain/catalog';
import { FRAMES, type Frame } from '../../interfaces/domain/common';
import type { EopProvider } from '../../interfaces/services/reference-data';
import type { PropagationOutcome, PropagationRequest, PropagationSubject, PropagationTimes, Sgp4Propagator, TemeBulkChunk, TemeBulkSummary } from '../../interfaces/services/propagation';
import { ZERO_EOP, frameSetAtTimes, transformBetween, type FrameEopValues } from '../../sdk/astro/frames';
import type { PluginLogger } from '../../sdk/context';
import type { Sgp4Config } from './config';
import { ElementsError, prepareElements, sgp4ErrorCode, sgp4ErrorText, type PreparedElements } from './elements';
import { createSgp4Bulk, shiftBulkTimes, type Sgp4Bulk, type ShiftedBulkTimes } from '../../sdk/sgp4-bulk';
import { JsLoopBuffers, propagateJs, type ChunkResult, type EngineSubject } from './engine';
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
export class Sgp4Service implements Sgp4Propagator {
  private readonly cache = new Map<string, PreparedElements | ElementsError>();
  private wasm?: Sgp4Bulk;
  private readonly jsBuffers = new JsLoopBuffers();
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
    const take = (result: ChunkResult): void => {
      for (let k = 0; k < result.count; k++) {
        const r = ready[result.first + k];
        outcomes[r.slot] = this.outcome(r.id, r.prepared, k, result, times, outFrame, rotations);
      }
    };
    this.stats.lastEngine = await this.runEngine(engineSubjects, times, take);
    this.stats.states += states;
    for (const o of outcomes) if (!o.ok) this.stats.subjectErrors++;
    return { outcomes };
  }

  /**
   * The bulk path: GP element sets → TEME states in Float64Arrays, streamed chunk by chunk to
   * `onChunk` (no per-state objects, buffers reused, no `maxStatesPerRequest` limit since
   * nothing is held beyond a chunk: a 15,347-object catalog × 1,440 instants is 1 GB of
   * states, more than any caller wants at once). Same engines, element caching, exactness and
   * error codes as `propagate`; element sets SGP4 refuses are listed in the summary and get no
   * rows. In-process only (optional method of the `Sgp4Propagator` contract, reached through
   * the service token; typed arrays and a callback do not cross the bus).
   */
  async propagateTemeBulk(elements: readonly GpElementSet[], requestTimes: PropagationTimes, onChunk: (chunk: TemeBulkChunk) => void): Promise<TemeBulkSummary> {
    if (!Array.isArray(elements)) throw new Sgp4RequestError('propagateTemeBulk: elements must be an array of GP element sets');
    let times: RequestTimes;
    try {
      times = expandTimes(requestTimes, this.config.maxStatesPerRequest);
    } catch (err) {
      throw new Sgp4RequestError((err as Error).message);
    }
    const rejected: TemeBulkSummary['rejected'] = [];
    const subjects: EngineSubject[] = [];
    const rowIndex = new Int32Array(elements.length);
    for (let i = 0; i < elements.length; i++) {
      const gp = elements[i];
      const entry = gp && typeof gp === 'object' ? this.prepared(gp) : new ElementsError(`elements[${i}] must be a GP element set object`);
      if (entry instanceof ElementsError) {
        const code = entry.sgp4Code === undefined ? 'invalid-elements' : sgp4ErrorCode(entry.sgp4Code);
        rejected.push({ index: i, code: code === 'internal' ? 'invalid-elements' : code, message: `elements[${i}] (NORAD ${gp?.noradId}): ${entry.message}` });
        continue;
      }
      rowIndex[subjects.length] = i;
      subjects.push(entry);
    }
    this.stats.requests++;
    this.stats.subjects += elements.length;
    const engine = await this.runEngine(subjects, times, (c) =>
      onChunk({ subjectIndex: rowIndex.subarray(c.first, c.first + c.count), count: c.count, instants: c.instants, posTemeKm: c.posTemeKm, velTemeKmS: c.velTemeKmS, failIndex: c.failIndex, failCode: c.failCode }),
    );
    this.stats.lastEngine = engine;
    this.stats.states += subjects.length * times.count;
    this.stats.subjectErrors += rejected.length;
    return { engine, subjects: subjects.length, instants: times.count, epochsUtc: times.isoUtc, rejected };
  }

  /** Releases the WASM runtime and its threads, if they were started. */
  async dispose(): Promise<void> {
    await this.wasm?.dispose();
    this.wasm = undefined;
  }

  /** Runs the chosen engine over `subjects`, chunk by chunk; returns the engine's name. */
  private async runEngine(subjects: readonly EngineSubject[], times: RequestTimes, take: (chunk: ChunkResult) => void): Promise<string> {
    const engine = this.chooseEngine(subjects.length, times);
    if (engine.kind === 'wasm') {
      try {
        await this.wasmEngine().propagate(subjects, engine.times, take, { signal: this.deps.signal });
      } catch (err) {
        if (this.deps.signal?.aborted) throw new Sgp4RequestError('sgp4 is stopping: propagation abandoned');
        throw err;
      }
      return engine.name;
    }
    // Chunks of subjects keep the packed buffers small and let other work run in between.
    const chunk = Math.max(1, Math.floor(this.config.chunkStates / Math.max(1, times.count)));
    for (let first = 0; first < subjects.length; first += chunk) {
      if (this.deps.signal?.aborted) throw new Sgp4RequestError('sgp4 is stopping: propagation abandoned');
      take(propagateJs(subjects, times, first, Math.min(chunk, subjects.length - first), this.jsBuffers));
      if (first + chunk < subjects.length) await new Promise((r) => setImmediate(r));
    }
    return engine.name;
  }

  private wasmEngine(): Sgp4Bulk {
    const threads = this.config.wasmThreads;
    this.wasm ??= createSgp4Bulk({ mode: threads < 2 ? 'single' : this.config.wasmParallel, threads, chunkSatellites: this.config.wasmChunkSatellites });
    return this.wasm;
  }

  /**
   * Engine choice. `auto`: the plain loop unless the batch has at least `autoWasmMinInstants`
   * instants per subject (writing each record into WASM memory costs ~20–30 µs, repaid only
   * over many instants — bench/sgp4.bench.ts), and the instants can be shifted exactly (see
   * sdk/sgp4-bulk.ts `shiftBulkTimes`).
   */
  private chooseEngine(nSubjects: number, times: RequestTimes): { kind: 'js'; name: string } | { kind: 'wasm'; name: string; times: ShiftedBulkTimes } {
    const js = { kind: 'js' as const, name: 'js-loop' };
    const mode = this.config.engine;
    if (mode === 'js' || nSubjects === 0 || times.count === 0) return js;
    if (mode === 'auto' && times.count < this.config.autoWasmMinInstants) return js;
    const shifted = shiftBulkTimes(times, (i) => `instant ${times.isoUtc[i]}`);
    if ('reason' in shifted) {
      this.deps.log?.debug(`sgp4: plain loop used instead of WASM: ${shifted.reason}`);
      return js;
    }
    return { kind: 'wasm', name: this.wasmEngine().name, times: shifted };
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
    const entry = this.prepared(gp);
    if (entry instanceof ElementsError) {
      if (entry.sgp4Code !== undefined) {
        const code = sgp4ErrorCode(entry.sgp4Code);
        return fail(code === 'internal' ? 'invalid-elements' : code, `subject '${id}' (NORAD ${gp.noradId}): ${entry.message}, at the element-set epoch`, gp.epochUtc);
      }
      return fail('invalid-elements', `subject '${id}' (NORAD ${gp.noradId}): ${entry.message}`);
    }
    return entry;
  }

  /** Initialised SGP4 record of an element set, cached by its text (a catalog is propagated again and again). */
  private prepared(gp: GpElementSet): PreparedElements | ElementsError {
    const key = gp.line1 && gp.line2 ? `${gp.line1}\n${gp.line2}\n${gp.epochUtc}` : JSON.stringify(gp);
    let entry = this.cache.get(key);
    if (entry === undefined) {
      entry = this.build(gp);
      if (this.cache.size >= this.config.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
      if (this.config.cacheSize > 0) this.cache.set(key, entry);
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
    const p = result.posTemeKm;
    const v = result.velTemeKmS;
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
