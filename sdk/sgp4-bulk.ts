import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { BulkPropagator, EciBaseCalculator, createMultiThreadRuntime, createSingleThreadRuntime, jday, type SatRec } from 'satellite.js';
import { PROJECT_ROOT } from './reference-data';

/**
 * One bulk SGP4 runtime for the whole project: satellite.js 7.1's WebAssembly
 * `BulkPropagator` (Vallado's 2006 C++ SGP4 compiled to WASM) over many objects × many
 * instants, written into caller-visible Float64Arrays chunk by chunk.
 *
 * Three ways of running it (`Sgp4BulkMode`), same inputs, same outputs:
 * - `single`: one single-thread WASM runtime in the calling thread;
 * - `pthreads`: satellite.js's multi-thread runtime (an Emscripten pthread pool): the
 *   propagation of a chunk is split over `threads`, while uploading the records and reading
 *   the output stay serial on the calling thread;
 * - `workers`: `threads` Node worker threads, each with its own single-thread runtime, so
 *   uploads, propagation and copies all run in parallel. Chunk c belongs to worker c mod W,
 *   which keeps the records it was sent (by id: a catalog propagated again sends ids only); a
 *   worker with none of its own left takes the last chunk left of the busiest other. The
 *   output comes back in transferred (zero-copy) buffers that are handed back to the worker
 *   with its next chunk (no allocation per chunk once warm).
 * Which is faster on the 15,347-object catalog × 1,440 minutes: bench/sgp4.bench.ts and
 * plugins/sgp4/README.md.
 *
 * Time: `BulkPropagator` takes JS `Date`s and turns each into ONE double Julian date
 * (satellite.js `jday`); near JD 2.46e6 a double resolves 2^-31 day ≈ 40 µs (≈ 0.3 m along a
 * LEO track), and a `Date` resolves 1 ms. To keep the precision of a two-part Julian date,
 * `shiftBulkTimes` moves every instant, all by the same whole number of days, to dates from
 * JD 0.5 (-4712-01-15, proleptic Gregorian), where a double resolves 2^-43 day ≈ 10 ns; each
 * record's epoch is moved with them (the C++ `elsetrec` counts time since epoch as
 * jd − jdsatepoch − jdsatepochF: the shifted epoch, within a few thousand days of JD 0.5, fits
 * in `jdsatepoch` alone to ~1e-12 day, and `jdsatepochF` is 0). The shift is exact when the
 * instants differ from the earliest by whole milliseconds, and valid while the span stays
 * inside the ~4,400 days (to -4700-02-28) where `jday`'s 1900–2100 formula (every 4th year a
 * leap year) agrees with the proleptic Gregorian calendar of `Date`
 * (sdk/test/sgp4-bulk.test.ts). Otherwise `shiftBulkTimes` says why, and the caller uses the
 * plain `sgp4()` loop.
 *
 * Errors: Vallado et al. 2006 (AIAA 2006-6753) error codes as set in `satrec.error`, reported
 * per object as the first failing instant (in the caller's order) and its code;
 * `sgp4ErrorKind` / `sgp4ErrorText` map them to the interface's typed codes and to words.
 */

/** Vallado et al. 2006 (AIAA 2006-6753) SGP4 error codes, as set in `satrec.error`. */
export function sgp4ErrorText(code: number): string {
  switch (code) {
    case 1:
      return 'mean eccentricity out of range 0 ≤ e < 1';
    case 2:
      return 'mean motion below zero';
    case 3:
      return 'perturbed eccentricity out of range 0 ≤ e ≤ 1';
    case 4:
      return 'semi-latus rectum below zero';
    case 6:
      return 'orbit decayed: radius below 1 Earth radius';
    default:
      return `SGP4 error ${code}`;
  }
}

/**
 * An SGP4 error code as the interface's error codes (interfaces/services/propagation.ts):
 * eccentricity out of range (1, 3) → 'eccentricity'; decay (6) → 'decayed'; negative mean
 * motion (2) and semi-latus rectum (4) mean the secular drag terms have run away → 'diverged'.
 */
export function sgp4ErrorKind(code: number): 'eccentricity' | 'decayed' | 'diverged' | 'internal' {
  if (code === 1 || code === 3) return 'eccentricity';
  if (code === 6) return 'decayed';
  if (code === 2 || code === 4) return 'diverged';
  return 'internal';
}

/** Instants as two-part UTC Julian dates (JD of 0h, fraction of day), the time since epoch convention of SGP4. */
export interface BulkTimes {
  readonly count: number;
  readonly jdDay: ArrayLike<number>;
  readonly jdFrac: ArrayLike<number>;
}

/** An initialised SGP4 record and its epoch as a two-part UTC Julian date. */
export interface Sgp4BulkSubject {
  readonly satrec: SatRec;
  readonly epochJdUtc: readonly [number, number];
}

/** Instants moved to the fake window near JD 0.5 (see the header): what the WASM runtime is given. */
export interface ShiftedBulkTimes {
  readonly count: number;
  /** Unix milliseconds of each shifted instant (whole milliseconds, exact in a double and a `Date`). */
  readonly fakeUnixMs: Float64Array;
  /** The real two-part UTC JD that sits at the start of the fake window's day 0. */
  readonly originJd: readonly [number, number];
}

/**
 * One chunk of output: objects `first … first + count − 1` of the call, every instant.
 * The arrays are views valid only until the callback returns (the buffers are reused for the
 * next chunk): copy what must outlive it. Chunks may arrive in any order.
 */
export interface Sgp4BulkChunk {
  readonly first: number;
  readonly count: number;
  readonly instants: number;
  /** count × instants × 3, km, TEME, object-major (`[k][i][xyz]`). Entries at and after an object's failure are unspecified. */
  readonly posTemeKm: Float64Array;
  /** count × instants × 3, km/s, TEME. */
  readonly velTemeKmS: Float64Array;
  /** Index of each object's first failing instant, −1 when none failed. */
  readonly failIndex: Int32Array;
  /** SGP4 error code at that instant (`sgp4ErrorKind`). */
  readonly failCode: Int8Array;
}

export type Sgp4BulkMode = 'single' | 'pthreads' | 'workers';

export interface Sgp4BulkOptions {
  /** Default: `workers` when `threads` ≥ 2, else `single`. */
  mode?: Sgp4BulkMode;
  /** Threads for `pthreads` / `workers` (default 2, never more than `os.availableParallelism()` for `workers`). */
  threads?: number;
  /** Objects per WASM `run()`: bounds memory (~56 B × objects × instants in WASM, plus two transfer buffers of 48 B × objects × instants per worker). */
  chunkSatellites?: number;
  /** `workers`: records each worker keeps between calls (~1.5 KB each; default 40,000); past it, it forgets them all. */
  workerRecordsMax?: number;
}

/** The propagation engine: `createSgp4Bulk`. Calls are serialised (a WASM runtime refuses concurrent runs). */
export interface Sgp4Bulk {
  readonly name: string;
  readonly mode: Sgp4BulkMode;
  readonly threads: number;
  /** Propagates `subjects` at `times` (from `shiftBulkTimes`), calling `onChunk` for each chunk of objects. */
  propagate(subjects: readonly Sgp4BulkSubject[], times: ShiftedBulkTimes, onChunk: (chunk: Sgp4BulkChunk) => void, options?: { signal?: AbortSignal }): Promise<void>;
  /** Creates the runtime, or starts the worker threads, ahead of the first call (else the first call does it). */
  warmUp(): Promise<void>;
  /** Releases the WASM runtime(s) and worker threads. */
  dispose(): Promise<void>;
}

const FAKE_BASE_MS = Date.UTC(-4712, 0, 15);
/** jday(-4712-01-15 00:00) = 0.5 (checked in the tests). */
export const FAKE_BASE_JD = jday(new Date(FAKE_BASE_MS));
/** Largest span of a call's instants, in days (inside jday's valid fake window with a margin). */
export const BULK_MAX_SPAN_DAYS = 4000;

/** Two-part UTC JD of a Unix time in milliseconds (1970-01-01T00:00Z = JD 2440587.5, no leap seconds in Unix time). */
export function jdUtcOfUnixMs(ms: number): [number, number] {
  const days = Math.floor(ms / 86_400_000);
  return [2440587.5 + days, (ms - days * 86_400_000) / 86_400_000];
}

/** Instants `startMs + k·stepMs` (Unix ms), k = 0 … n−1, as `BulkTimes`. */
export function bulkTimesFromUnixMs(startMs: number, stepMs: number, n: number): BulkTimes {
  const jdDay = new Float64Array(n);
  const jdFrac = new Float64Array(n);
  for (let k = 0; k < n; k++) [jdDay[k], jdFrac[k]] = jdUtcOfUnixMs(startMs + k * stepMs);
  return { count: n, jdDay, jdFrac };
}

/** The shifted instants for the WASM runtime, or the reason they cannot be shifted exactly. */
export function shiftBulkTimes(times: BulkTimes, label: (i: number) => string = (i) => `instant #${i}`): ShiftedBulkTimes | { reason: string } {
  const { count, jdDay, jdFrac } = times;
  let o = 0;
  for (let i = 1; i < count; i++) if (jdDay[i] - jdDay[o] + (jdFrac[i] - jdFrac[o]) < 0) o = i;
  const originJd: [number, number] = [jdDay[o], jdFrac[o]];
  const fakeUnixMs = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const wholeDays = jdDay[i] - originJd[0];
    if (wholeDays > BULK_MAX_SPAN_DAYS) return { reason: `instants span more than ${BULK_MAX_SPAN_DAYS} days (${label(o)} → ${label(i)})` };
    // milliseconds of the fraction-of-day difference alone (< 1e8, resolved to 1e-8 ms)
    const fracMs = (jdFrac[i] - originJd[1]) * 86_400_000;
    const ms = Math.round(fracMs);
    if (Math.abs(fracMs - ms) > 1e-6) return { reason: `${label(i)} is not a whole number of milliseconds after ${label(o)}` };
    fakeUnixMs[i] = FAKE_BASE_MS + wholeDays * 86_400_000 + ms;
  }
  return { count, fakeUnixMs, originJd };
}

type MaybeSplitSatRec = SatRec & { jdsatepochF?: number };

/**
 * Moves a record's epoch as far from the fake origin as the real epoch is from the real origin,
 * in place (the caller passes its own copy, or puts the fields back: copying the ~100 fields
 * of a record costs ~25 µs, ~18 ns per state at 1,440 instants). satellite.js's JS records
 * have no `jdsatepochF` (then the WASM field keeps its zero from `calloc`); one that has it gets 0.
 */
function shiftEpoch(satrec: MaybeSplitSatRec, epochDay: number, epochFrac: number, originJd: readonly [number, number]): void {
  satrec.jdsatepoch = FAKE_BASE_JD + (epochDay - originJd[0] + (epochFrac - originJd[1]));
  if (satrec.jdsatepochF !== undefined) satrec.jdsatepochF = 0;
}

type Runtime = Awaited<ReturnType<typeof createSingleThreadRuntime>> | Awaited<ReturnType<typeof createMultiThreadRuntime>>;

/**
 * One `BulkPropagator` sized for `chunk` objects × `instants` dates, reused chunk after chunk
 * (its output lives in WASM memory and is overwritten by the next run).
 */
class ChunkRunner {
  private readonly propagator: BulkPropagator<readonly [EciBaseCalculator], Runtime>;
  readonly failIndex: Int32Array;
  readonly failCode: Int8Array;

  constructor(
    runtime: Runtime,
    readonly chunk: number,
    readonly times: ShiftedBulkTimes,
  ) {
    this.propagator = new BulkPropagator({ runtime, calculators: [new EciBaseCalculator()] as const, satRecsCount: chunk, datesCount: times.count });
    this.failIndex = new Int32Array(chunk);
    this.failCode = new Int8Array(chunk);
    const dates: Date[] = new Array(times.count);
    for (let i = 0; i < times.count; i++) dates[i] = new Date(times.fakeUnixMs[i]);
    this.propagator.setDates(dates);
  }

  /**
   * Uploads `satrecs` with their epochs shifted (`epochs`: two-part JD of each), runs, and
   * returns views on the WASM output, failIndex/failCode filled. `own`: the records are this
   * runner's to change; otherwise their two epoch fields are put back right after the upload
   * (synchronous: no other code can see them shifted).
   */
  async run(satrecs: readonly SatRec[], epochs: (k: number) => readonly [number, number] | Float64Array, own: boolean): Promise<{ pos: Float64Array; vel: Float64Array }> {
    const n = satrecs.length;
    const nT = this.times.count;
    const kept = own ? undefined : new Float64Array(2 * n);
    try {
      for (let k = 0; k < n; k++) {
        const s = satrecs[k] as MaybeSplitSatRec;
        if (kept) {
          kept[2 * k] = s.jdsatepoch;
          kept[2 * k + 1] = s.jdsatepochF ?? NaN;
        }
        const e = epochs(k);
        shiftEpoch(s, e[0], e[1], this.times.originJd);
      }
      this.propagator.setSatRecs(satrecs as SatRec[]);
    } finally {
      if (kept) {
        // backwards: a record present twice gets the values saved first, its own
        for (let k = n - 1; k >= 0; k--) {
          const s = satrecs[k] as MaybeSplitSatRec;
          s.jdsatepoch = kept[2 * k];
          if (!Number.isNaN(kept[2 * k + 1])) s.jdsatepochF = kept[2 * k + 1];
        }
      }
    }
    const pending = this.propagator.run() as Promise<void> | undefined;
    if (pending) await pending;
    const raw = this.propagator.getRawOutput().eci;
    const err = raw.error;
    for (let k = 0; k < n; k++) {
      this.failIndex[k] = -1;
      this.failCode[k] = 0;
      const base = k * nT;
      for (let i = 0; i < nT; i++) {
        if (err[base + i] !== 0) {
          this.failIndex[k] = i;
          this.failCode[k] = err[base + i];
          break;
        }
      }
    }
    return { pos: raw.position.subarray(0, n * nT * 3), vel: raw.velocity.subarray(0, n * nT * 3) };
  }

  dispose(): void {
    this.propagator.dispose();
  }
}

function disposeRuntime(rt: Runtime): void {
  try {
    rt.dispose();
  } catch (err) {
    // Emscripten's exit_runtime reports a clean exit by throwing ExitStatus(0).
    if (!(err && typeof err === 'object' && (err as { name?: string }).name === 'ExitStatus' && (err as { status?: number }).status === 0)) throw err;
  }
}

function aborted(): Error {
  return new Error('sgp4-bulk: propagation abandoned (signal aborted)');
}

/** `single` and `pthreads`: one runtime in the calling thread. */
class InThreadBulk implements Sgp4Bulk {
  private runtime?: Promise<Runtime>;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    readonly mode: 'single' | 'pthreads',
    readonly threads: number,
    readonly chunkSatellites: number,
  ) {}

  get name(): string {
    return this.mode === 'pthreads' ? `wasm-pthreads-${this.threads}` : 'wasm-1-thread';
  }

  propagate(subjects: readonly Sgp4BulkSubject[], times: ShiftedBulkTimes, onChunk: (chunk: Sgp4BulkChunk) => void, options?: { signal?: AbortSignal }): Promise<void> {
    const job = this.queue.then(() => this.runNow(subjects, times, onChunk, options?.signal));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private getRuntime(): Promise<Runtime> {
    if (this.disposed) throw new Error(`sgp4-bulk: ${this.name} is disposed`);
    this.runtime ??= this.mode === 'pthreads' ? createMultiThreadRuntime({ threadsCount: this.threads }) : createSingleThreadRuntime();
    return this.runtime;
  }

  async warmUp(): Promise<void> {
    await this.getRuntime();
  }

  private async runNow(subjects: readonly Sgp4BulkSubject[], times: ShiftedBulkTimes, onChunk: (chunk: Sgp4BulkChunk) => void, signal?: AbortSignal): Promise<void> {
    if (this.disposed) throw new Error(`sgp4-bulk: ${this.name} is disposed`);
    if (subjects.length === 0 || times.count === 0) return;
    const runner = new ChunkRunner(await this.getRuntime(), Math.max(1, Math.min(this.chunkSatellites, subjects.length)), times);
    try {
      for (let first = 0; first < subjects.length; first += runner.chunk) {
        if (signal?.aborted) throw aborted();
        const n = Math.min(runner.chunk, subjects.length - first);
        const satrecs: SatRec[] = new Array(n);
        for (let k = 0; k < n; k++) satrecs[k] = subjects[first + k].satrec;
        const { pos, vel } = await runner.run(satrecs, (k) => subjects[first + k].epochJdUtc, false);
        onChunk({ first, count: n, instants: times.count, posTemeKm: pos, velTemeKmS: vel, failIndex: runner.failIndex.subarray(0, n), failCode: runner.failCode.subarray(0, n) });
      }
    } finally {
      runner.dispose();
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue;
    const rt = this.runtime;
    this.runtime = undefined;
    if (rt) disposeRuntime(await rt);
  }
}

// ---- worker threads -------------------------------------------------------------------------

/** Messages to a worker. */
type ToWorker =
  | { type: 'times'; call: number; chunk: number; times: ShiftedBulkTimes }
  | {
      type: 'chunk';
      call: number;
      first: number;
      /** Record id of each object (`WorkerPoolBulk.idOf`). */
      ids: Int32Array;
      /** Records the worker has not seen yet, with their positions in `ids`. */
      fresh: SatRec[];
      freshAt: Int32Array;
      /** Forget every record kept so far first (the cache reached its bound). */
      reset: boolean;
      epochs: Float64Array;
      buffer?: ArrayBuffer;
    };
/** Messages from a worker. */
type FromWorker =
  | { type: 'ready' }
  | { type: 'chunk'; call: number; first: number; count: number; buffer: ArrayBuffer; failIndex: Int32Array; failCode: Int8Array }
  | { type: 'error'; call: number; message: string };

const WORKER_FLAG = 'scoopSgp4BulkWorker';

/** Worker body: one single-thread runtime; each chunk is run and its output copied into a transferable buffer. */
function workerMain(): void {
  const port = parentPort!;
  const runtimeReady = createSingleThreadRuntime();
  let runner: ChunkRunner | undefined;
  let call = -1;
  // Each record is sent once (structured clone, ~19 µs) and kept here by id: a catalog
  // propagated again and again costs no copy after its first call.
  const records = new Map<number, SatRec>();
  // Messages are handled strictly in order: a chain of promises (the single-thread run is synchronous anyway).
  let chain: Promise<void> = runtimeReady.then(() => port.postMessage({ type: 'ready' } satisfies FromWorker));
  port.on('message', (m: ToWorker) => {
    chain = chain.then(async () => {
      try {
        if (m.type === 'times') {
          runner?.dispose();
          runner = new ChunkRunner(await runtimeReady, m.chunk, m.times);
          call = m.call;
          return;
        }
        if (m.reset) records.clear();
        for (let j = 0; j < m.fresh.length; j++) records.set(m.ids[m.freshAt[j]], m.fresh[j]);
        if (m.call !== call || !runner) return; // a chunk of an abandoned call
        const n = m.ids.length;
        const satrecs: SatRec[] = new Array(n);
        for (let k = 0; k < n; k++) {
          const r = records.get(m.ids[k]);
          if (!r) throw new Error(`record #${m.ids[k]} was never sent to this worker`);
          satrecs[k] = r;
        }
        // the records are this worker's copies: shifted in place
        const { pos, vel } = await runner.run(satrecs, (k) => m.epochs.subarray(2 * k, 2 * k + 2), true);
        const values = pos.length;
        const buffer = m.buffer && m.buffer.byteLength >= 2 * values * 8 ? m.buffer : new ArrayBuffer(2 * values * 8);
        new Float64Array(buffer, 0, values).set(pos);
        new Float64Array(buffer, values * 8, values).set(vel);
        const msg: FromWorker = { type: 'chunk', call: m.call, first: m.first, count: n, buffer, failIndex: runner.failIndex.slice(0, n), failCode: runner.failCode.slice(0, n) };
        port.postMessage(msg, [buffer]);
      } catch (err) {
        port.postMessage({ type: 'error', call: m.call, message: (err as Error).stack ?? String(err) } satisfies FromWorker);
      }
    });
  });
}

if (!isMainThread && workerData && (workerData as Record<string, unknown>)[WORKER_FLAG] === true) workerMain();

interface PoolWorker {
  worker: Worker;
  ready: Promise<void>;
  /** Ids of the records this worker keeps. */
  known: Set<number>;
  /** Buffers answered and consumed, to be handed back with the next chunk. */
  spare: ArrayBuffer[];
}

/** `workers`: `threads` worker threads, each with its own single-thread runtime. */
class WorkerPoolBulk implements Sgp4Bulk {
  readonly mode = 'workers' as const;
  private pool?: PoolWorker[];
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private calls = 0;
  /**
   * Id of each record object sent to the workers. A record is treated as immutable once
   * initialised (satellite.js records are; an element-set update makes a new record): its
   * workers' copies are not refreshed.
   */
  private readonly recordIds = new WeakMap<SatRec, number>();
  private nextRecordId = 1;
  /** Handlers of the running call (one at a time), per worker message. */
  private onMessage?: (w: PoolWorker, m: FromWorker) => void;
  private onFailure?: (err: Error) => void;

  constructor(
    readonly threads: number,
    readonly chunkSatellites: number,
    private readonly recordsMax: number,
  ) {}

  get name(): string {
    return `wasm-workers-${this.threads}`;
  }

  async warmUp(): Promise<void> {
    if (this.disposed) throw new Error(`sgp4-bulk: ${this.name} is disposed`);
    await Promise.all(this.getPool().map((w) => w.ready));
  }

  private getPool(): PoolWorker[] {
    if (this.pool) return this.pool;
    const register = path.join(PROJECT_ROOT, 'bin', 'register.js');
    const pool: PoolWorker[] = [];
    for (let i = 0; i < this.threads; i++) {
      const worker = new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(__filename)});`, { eval: true, workerData: { [WORKER_FLAG]: true }, name: `sgp4-bulk-${i + 1}` });
      worker.unref(); // idle workers must not keep the process alive
      const entry: PoolWorker = { worker, ready: Promise.resolve(), known: new Set(), spare: [] };
      entry.ready = new Promise<void>((resolve, reject) => {
        const failed = (err: Error) => {
          reject(err);
          // only a worker of the current pool (a terminated pool's exits are expected)
          if (this.pool === pool) this.workerFailed(new Error(`sgp4-bulk: worker ${i + 1}/${this.threads} failed: ${err.message}`));
        };
        worker.once('error', failed);
        worker.once('exit', (code) => {
          if (!this.disposed) failed(new Error(`exited with code ${code}`));
        });
        worker.on('message', (m: FromWorker) => {
          if (m.type === 'ready') resolve();
          else this.onMessage?.(entry, m);
        });
      });
      entry.ready.catch(() => undefined);
      pool.push(entry);
    }
    this.pool = pool;
    return pool;
  }

  /** A dead worker poisons the pool: the running call fails, the next call starts new workers. */
  private workerFailed(err: Error): void {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) for (const w of pool) void w.worker.terminate();
    this.onFailure?.(err);
  }

  propagate(subjects: readonly Sgp4BulkSubject[], times: ShiftedBulkTimes, onChunk: (chunk: Sgp4BulkChunk) => void, options?: { signal?: AbortSignal }): Promise<void> {
    const job = this.queue.then(() => this.runNow(subjects, times, onChunk, options?.signal));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async runNow(subjects: readonly Sgp4BulkSubject[], times: ShiftedBulkTimes, onChunk: (chunk: Sgp4BulkChunk) => void, signal?: AbortSignal): Promise<void> {
    if (this.disposed) throw new Error(`sgp4-bulk: ${this.name} is disposed`);
    if (subjects.length === 0 || times.count === 0) return;
    const pool = this.getPool();
    await Promise.all(pool.map((w) => w.ready));
    const call = ++this.calls;
    const chunk = Math.max(1, Math.min(this.chunkSatellites, Math.ceil(subjects.length / pool.length)));
    const nT = times.count;
    // Chunk c belongs to worker c mod W (the same on every call with the same objects: its
    // records are already there); a worker with none of its own left takes the last one left
    // of the busiest other (load balance when a core is shared with other work).
    const nChunks = Math.ceil(subjects.length / chunk);
    const own = pool.map((_, w) => ({ lo: 0, hi: Math.floor((nChunks - 1 - w) / pool.length) + 1 })); // positions k: chunk w + k·W
    const taken = new Uint8Array(nChunks);
    const nextChunk = (wi: number): number => {
      const W = pool.length;
      const mine = own[wi];
      while (mine.lo < mine.hi && taken[wi + mine.lo * W]) mine.lo++;
      if (mine.lo < mine.hi) return wi + mine.lo++ * W;
      let best = -1;
      for (let o = 0; o < W; o++) {
        const q = own[o];
        while (q.lo < q.hi && taken[o + (q.hi - 1) * W]) q.hi--;
        if (q.lo < q.hi && (best < 0 || q.hi - q.lo > own[best].hi - own[best].lo)) best = o;
      }
      return best < 0 ? -1 : best + --own[best].hi * W;
    };
    let left = nChunks;
    let pending = 0;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        this.onMessage = undefined;
        this.onFailure = undefined;
        signal?.removeEventListener('abort', abort);
        if (err) reject(err);
        else resolve();
      };
      const abort = () => finish(aborted());
      const send = (w: PoolWorker) => {
        if (settled || left === 0) return;
        const c = nextChunk(pool.indexOf(w));
        if (c < 0) return;
        taken[c] = 1;
        left--;
        const first = c * chunk;
        const n = Math.min(chunk, subjects.length - first);
        const reset = w.known.size + n > this.recordsMax;
        if (reset) w.known.clear();
        const ids = new Int32Array(n);
        const fresh: SatRec[] = [];
        const freshAt: number[] = [];
        const epochs = new Float64Array(2 * n);
        for (let k = 0; k < n; k++) {
          const s = subjects[first + k];
          let id = this.recordIds.get(s.satrec);
          if (id === undefined) this.recordIds.set(s.satrec, (id = this.nextRecordId++));
          ids[k] = id;
          if (!w.known.has(id)) {
            w.known.add(id);
            fresh.push(s.satrec);
            freshAt.push(k);
          }
          epochs[2 * k] = s.epochJdUtc[0];
          epochs[2 * k + 1] = s.epochJdUtc[1];
        }
        const buffer = w.spare.pop();
        const msg: ToWorker = { type: 'chunk', call, first, ids, fresh, freshAt: Int32Array.from(freshAt), reset, epochs, buffer };
        w.worker.postMessage(msg, buffer ? [buffer] : []);
        pending++;
      };
      this.onFailure = (err) => finish(err);
      this.onMessage = (w, m) => {
        if (m.type === 'ready' || m.call !== call || settled) return;
        if (m.type === 'error') return finish(new Error(`sgp4-bulk: ${m.message}`));
        pending--;
        const values = m.count * nT * 3;
        try {
          onChunk({
            first: m.first,
            count: m.count,
            instants: nT,
            posTemeKm: new Float64Array(m.buffer, 0, values),
            velTemeKmS: new Float64Array(m.buffer, values * 8, values),
            failIndex: m.failIndex,
            failCode: m.failCode,
          });
        } catch (err) {
          return finish(err as Error);
        }
        w.spare.push(m.buffer);
        if (signal?.aborted) return finish(aborted());
        send(w);
        if (pending === 0 && left === 0) finish();
      };
      if (signal?.aborted) return finish(aborted());
      signal?.addEventListener('abort', abort, { once: true });
      for (const w of pool) w.worker.postMessage({ type: 'times', call, chunk, times } satisfies ToWorker);
      // Two chunks in flight per worker: it runs the next while the caller consumes the last.
      for (let round = 0; round < 2; round++) for (const w of pool) send(w);
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue;
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await Promise.all(pool.map((w) => w.worker.terminate()));
  }
}

/** Threads this machine can run at once (≥ 1). */
export function availableThreads(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** A bulk SGP4 engine (see the module header for the modes). */
export function createSgp4Bulk(options: Sgp4BulkOptions = {}): Sgp4Bulk {
  const threads = Math.max(1, Math.floor(options.threads ?? 2));
  const mode = options.mode ?? (threads >= 2 ? 'workers' : 'single');
  const chunk = Math.max(1, Math.floor(options.chunkSatellites ?? 1000));
  if (mode === 'workers') return new WorkerPoolBulk(Math.max(1, Math.min(threads, availableThreads())), chunk, Math.max(1, options.workerRecordsMax ?? 40_000));
  if (mode === 'pthreads') return new InThreadBulk('pthreads', threads, chunk);
  if (mode === 'single') return new InThreadBulk('single', 1, chunk);
  throw new Error(`sgp4-bulk: mode '${String(mode)}' is not one of single, pthreads, workers`);
}
