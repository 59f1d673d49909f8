import { BulkPropagator, EciBaseCalculator, createMultiThreadRuntime, createSingleThreadRuntime, type SatRec } from 'satellite.js';
import { Sgp4Source, msToIso, type TrajectorySource } from './objects';
import { sampleWithStateAt, type Samples } from './screen';

type Runtime = Awaited<ReturnType<typeof createSingleThreadRuntime>> | Awaited<ReturnType<typeof createMultiThreadRuntime>>;

/**
 * Filter samples of SGP4 objects through satellite.js's WebAssembly `BulkPropagator`
 * (Vallado's C++ SGP4), on a pool of `threads` worker threads: the samples are most of the
 * work of a catalog screening (DESIGN.md: ~385 ns per state on two threads against ~825 ns for
 * the plain `sgp4()` loop, and no garbage). The bulk path takes JS `Date`s and one double
 * Julian date per epoch, which resolves ~40 µs (< 1 m along a LEO track): well inside the
 * filters' 0.1 km pad floor. Refinement always uses the plain `sgp4()` at full precision.
 * Objects that are not SGP4 element sets (ephemerides) are sampled with their `stateAt`.
 */
export class BulkSampler {
  private runtime?: Promise<Runtime>;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    readonly threads: number,
    readonly chunkSatellites = 1000,
  ) {}

  private getRuntime(): Promise<Runtime> {
    this.runtime ??= this.threads > 1 ? createMultiThreadRuntime({ threadsCount: this.threads }) : createSingleThreadRuntime();
    return this.runtime;
  }

  /** The `Sampler` of screen.ts (runs are serialised: a runtime refuses concurrent runs). */
  readonly sample = (objects: readonly TrajectorySource[], b0Ms: number, stepMs: number, n: number): Promise<Samples> => {
    const job = this.queue.then(() => this.run(objects, b0Ms, stepMs, n));
    this.queue = job.catch(() => undefined);
    return job;
  };

  private async run(objects: readonly TrajectorySource[], b0Ms: number, stepMs: number, n: number): Promise<Samples> {
    if (this.disposed) throw new Error('bulk sampler is disposed');
    const sgp: number[] = [];
    const other: number[] = [];
    objects.forEach((o, i) => (o instanceof Sgp4Source ? sgp : other).push(i));
    const out: Samples = { n, pos: new Float64Array(objects.length * n * 3), vel: new Float64Array(objects.length * n * 3), valid: new Int32Array(objects.length), errors: new Map() };
    if (other.length) {
      const s = sampleWithStateAt(other.map((i) => objects[i]), b0Ms, stepMs, n);
      other.forEach((g, k) => {
        out.pos.set(s.pos.subarray(k * n * 3, (k + 1) * n * 3), g * n * 3);
        out.vel.set(s.vel.subarray(k * n * 3, (k + 1) * n * 3), g * n * 3);
        out.valid[g] = s.valid[k];
        const e = s.errors.get(k);
        if (e) out.errors.set(g, e);
      });
    }
    if (!sgp.length || n === 0) return out;
    const runtime = await this.getRuntime();
    const chunk = Math.min(this.chunkSatellites, sgp.length);
    const propagator = new BulkPropagator({ runtime, calculators: [new EciBaseCalculator()] as const, satRecsCount: chunk, datesCount: n });
    try {
      propagator.setDates(Array.from({ length: n }, (_, k) => new Date(b0Ms + k * stepMs)));
      for (let first = 0; first < sgp.length; first += chunk) {
        const part = sgp.slice(first, first + chunk);
        // The C++ record counts time from jdsatepoch + jdsatepochF; satellite.js's JS record keeps the whole epoch in jdsatepoch.
        propagator.setSatRecs(part.map((g) => ({ ...(objects[g] as Sgp4Source).satrec, jdsatepochF: 0 }) as SatRec));
        const pending = propagator.run() as Promise<void> | undefined;
        if (pending) await pending;
        const raw = propagator.getRawOutput().eci;
        for (let k = 0; k < part.length; k++) {
          const g = part[k];
          out.pos.set(raw.position.subarray(k * n * 3, (k + 1) * n * 3), g * n * 3);
          out.vel.set(raw.velocity.subarray(k * n * 3, (k + 1) * n * 3), g * n * 3);
          let v = n;
          for (let i = 0; i < n; i++) {
            const code = raw.error[k * n + i];
            if (code !== 0) {
              v = i;
              out.errors.set(g, `SGP4 error ${code}${code === 6 ? ' (decayed)' : ''} at ${msToIso(b0Ms + i * stepMs)} (NORAD ${objects[g].id})`);
              break;
            }
          }
          out.valid[g] = v;
        }
      }
    } finally {
      propagator.dispose();
    }
    return out;
  }

  /** Releases the WASM runtime and its worker threads. */
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
