import {
  BulkPropagator,
  EciBaseCalculator,
  createMultiThreadRuntime,
  createSingleThreadRuntime,
  jday,
  sgp4,
  type SatRec,
} from 'satellite.js';
import { minutesSince, type RequestTimes } from './times';

/**
 * The two ways of running SGP4 over subjects × instants, with the same inputs and outputs:
 *
 * - `propagateJs`: a plain loop over satellite.js `sgp4(satrec, minutes)`;
 * - `WasmBulkEngine`: satellite.js's WebAssembly `BulkPropagator` (Vallado's C++ SGP4
 *   compiled to WASM), on one thread or on a pthread pool.
 *
 * Both write TEME position (km) and velocity (km/s) packed per subject, instant-major
 * (`[s][i][xyz]`), and report for each subject the first instant (in request order) at which
 * SGP4 set an error, with Vallado's error code. Which one the service uses, and why, is in
 * the README (measured in bench/sgp4.bench.ts).
 */
export interface EngineSubject {
  satrec: SatRec;
  epochJdUtc: readonly [number, number];
}

export interface ChunkResult {
  /** subjects × instants × 3, km (TEME). Entries at and after a subject's failure are unspecified. */
  posKm: Float64Array;
  /** subjects × instants × 3, km/s (TEME). */
  velKmS: Float64Array;
  /** Index of the first failing instant per subject, −1 when none failed. */
  failIndex: Int32Array;
  /** SGP4 error code at that instant (Vallado 2006: 1–4, 6). */
  failCode: Int8Array;
}

function allocate(nSub: number, nT: number): ChunkResult {
  return {
    posKm: new Float64Array(nSub * nT * 3),
    velKmS: new Float64Array(nSub * nT * 3),
    failIndex: new Int32Array(nSub).fill(-1),
    failCode: new Int8Array(nSub),
  };
}

/** Plain-JS loop; stops a subject at its first error (later instants would fail or be meaningless). */
export function propagateJs(subjects: readonly EngineSubject[], times: RequestTimes): ChunkResult {
  const nT = times.count;
  const out = allocate(subjects.length, nT);
  const { posKm, velKmS } = out;
  for (let s = 0; s < subjects.length; s++) {
    const { satrec, epochJdUtc } = subjects[s];
    let k = s * nT * 3;
    for (let i = 0; i < nT; i++, k += 3) {
      const pv = sgp4(satrec, minutesSince(times, i, epochJdUtc));
      if (pv === null || satrec.error !== 0) {
        out.failIndex[s] = i;
        out.failCode[s] = satrec.error || 6;
        break;
      }
      const p = pv.position;
      const v = pv.velocity;
      posKm[k] = p.x;
      posKm[k + 1] = p.y;
      posKm[k + 2] = p.z;
      velKmS[k] = v.x;
      velKmS[k + 1] = v.y;
      velKmS[k + 2] = v.z;
    }
  }
  return out;
}

/**
 * Dates handed to the WASM path. `BulkPropagator` takes JS `Date`s and turns each into ONE
 * double Julian date (satellite.js `jday`); near JD 2.46e6 a double resolves 2^-31 day ≈ 40 µs
 * (≈ 0.3 m along a LEO track) and a `Date` resolves 1 ms. To keep the plain loop's precision,
 * the instants are moved, all by the same whole number of days, to dates from JD 0.5
 * (-4712-01-15, proleptic Gregorian), where a double resolves the time since epoch as finely
 * as the plain loop does; each record's
 * epoch is moved with them through `jdsatepoch` + `jdsatepochF` (the C++ `elsetrec` counts
 * time since epoch as jd − jdsatepoch − jdsatepochF). The shift is exact when the instants
 * differ from the first by whole milliseconds, and valid while the span stays inside the
 * ~4,400 days (to -4700-02-28) where `jday`'s 1900–2100 formula (every 4th year a leap year) agrees with the
 * proleptic Gregorian calendar of `Date` (checked in the tests). Otherwise: the plain loop.
 */
const FAKE_BASE_MS = Date.UTC(-4712, 0, 15);
const FAKE_BASE_JD = jday(new Date(FAKE_BASE_MS));
export const WASM_MAX_SPAN_DAYS = 4000;

/** The shifted dates for the WASM path, or a reason why the instants cannot be shifted exactly. */
export function wasmDates(times: RequestTimes): { dates: Date[]; originJd: [number, number] } | { reason: string } {
  let o = 0;
  for (let i = 1; i < times.count; i++) if (times.jdDay[i] - times.jdDay[o] + (times.jdFrac[i] - times.jdFrac[o]) < 0) o = i;
  const originJd: [number, number] = [times.jdDay[o], times.jdFrac[o]];
  const dates: Date[] = new Array(times.count);
  for (let i = 0; i < times.count; i++) {
    const wholeDays = times.jdDay[i] - originJd[0];
    if (wholeDays > WASM_MAX_SPAN_DAYS) return { reason: `instants span more than ${WASM_MAX_SPAN_DAYS} days` };
    // milliseconds of the fraction-of-day difference alone (< 1e8, resolved to 1e-8 ms)
    const fracMs = (times.jdFrac[i] - originJd[1]) * 86_400_000;
    const whole = wholeDays * 86_400_000 + Math.round(fracMs);
    if (Math.abs(fracMs - Math.round(fracMs)) > 1e-6) return { reason: `instant ${times.isoUtc[i]} is not a whole number of milliseconds after ${times.isoUtc[o]}` };
    dates[i] = new Date(FAKE_BASE_MS + whole);
  }
  return { dates, originJd };
}

/** A copy of the record whose epoch sits at the same distance from the fake origin as the real one from the real origin. */
function shiftedSatrec(subject: EngineSubject, originJd: readonly [number, number]): SatRec {
  const d = subject.epochJdUtc[0] - originJd[0] + (subject.epochJdUtc[1] - originJd[1]);
  const whole = Math.floor(d);
  return { ...subject.satrec, jdsatepoch: FAKE_BASE_JD + whole, jdsatepochF: d - whole } as SatRec;
}

export type WasmThreads = number;
type SingleThreadRuntime = Awaited<ReturnType<typeof createSingleThreadRuntime>>;
type MultiThreadRuntime = Awaited<ReturnType<typeof createMultiThreadRuntime>>;

/**
 * satellite.js WASM bulk propagation. One runtime per engine (created on first use, released
 * by `dispose`); runs are serialised (a runtime refuses concurrent runs). Satellites go in
 * chunks (`chunkSatellites`): one `run()` over a whole catalog holds every output in WASM
 * memory at once (> 1.1 GB for 15k × 1,440, DESIGN.md performance notes).
 */
export class WasmBulkEngine {
  private runtime?: Promise<SingleThreadRuntime | MultiThreadRuntime>;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    readonly threads: WasmThreads,
    readonly chunkSatellites: number,
  ) {}

  get name(): string {
    return this.threads > 1 ? `wasm-bulk-${this.threads}-threads` : 'wasm-bulk-1-thread';
  }

  private getRuntime(): Promise<SingleThreadRuntime | MultiThreadRuntime> {
    this.runtime ??= this.threads > 1 ? createMultiThreadRuntime({ threadsCount: this.threads }) : createSingleThreadRuntime();
    return this.runtime;
  }

  /**
   * Propagates `subjects` at `dates` (from `wasmDates`). `onChunk` receives each chunk's
   * result and the index of its first subject, so outputs can be consumed chunk by chunk.
   */
  run(subjects: readonly EngineSubject[], times: RequestTimes, shifted: { dates: Date[]; originJd: [number, number] }, onChunk: (first: number, result: ChunkResult) => void): Promise<void> {
    const job = this.queue.then(() => this.runNow(subjects, times, shifted, onChunk));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async runNow(subjects: readonly EngineSubject[], times: RequestTimes, shifted: { dates: Date[]; originJd: [number, number] }, onChunk: (first: number, result: ChunkResult) => void): Promise<void> {
    if (this.disposed) throw new Error(`${this.name} engine is disposed`);
    if (subjects.length === 0 || times.count === 0) return;
    const runtime = await this.getRuntime();
    const nT = times.count;
    const chunk = Math.max(1, Math.min(this.chunkSatellites, subjects.length));
    const propagator = new BulkPropagator({ runtime, calculators: [new EciBaseCalculator()] as const, satRecsCount: chunk, datesCount: nT });
    try {
      propagator.setDates(shifted.dates);
      for (let first = 0; first < subjects.length; first += chunk) {
        const part = subjects.slice(first, first + chunk);
        propagator.setSatRecs(part.map((s) => shiftedSatrec(s, shifted.originJd)));
        const pending = propagator.run() as Promise<void> | undefined;
        if (pending) await pending;
        const raw = propagator.getRawOutput().eci;
        const n = part.length;
        const out: ChunkResult = {
          // copies: the raw arrays are views on WASM memory, overwritten by the next run
          posKm: raw.position.slice(0, n * nT * 3),
          velKmS: raw.velocity.slice(0, n * nT * 3),
          failIndex: new Int32Array(n).fill(-1),
          failCode: new Int8Array(n),
        };
        const err = raw.error;
        for (let s = 0; s < n; s++) {
          const base = s * nT;
          for (let i = 0; i < nT; i++) {
            if (err[base + i] !== 0) {
              out.failIndex[s] = i;
              out.failCode[s] = err[base + i];
              break;
            }
          }
        }
        onChunk(first, out);
      }
    } finally {
      propagator.dispose();
    }
  }

  /** Releases the WASM runtime (and its worker threads). */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue;
    const rt = this.runtime;
    this.runtime = undefined;
    if (!rt) return;
    try {
      (await rt).dispose();
    } catch (err) {
      // Emscripten's exit_runtime reports a clean exit by throwing ExitStatus(0).
      if (!(err && typeof err === 'object' && (err as { name?: string }).name === 'ExitStatus' && (err as { status?: number }).status === 0)) throw err;
    }
  }
}
