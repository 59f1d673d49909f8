import { bulkTimesFromUnixMs, createSgp4Bulk, jdUtcOfUnixMs, shiftBulkTimes, type Sgp4Bulk, type Sgp4BulkSubject } from '../../sdk/sgp4-bulk';
import { Sgp4Source, msToIso, type TrajectorySource } from './objects';
import { sampleWithStateAt, type Samples } from './screen';

/**
 * Filter samples of SGP4 objects through the project's WebAssembly bulk runtime
 * (sdk/sgp4-bulk.ts: satellite.js's `BulkPropagator`, Vallado's C++ SGP4) on `threads`
 * threads (≥ 2: worker threads, each with its own runtime): the samples are most of the work of
 * a catalog screening (bench/sgp4.bench.ts: the bulk path against the plain `sgp4()` loop,
 * and no garbage). Time since epoch is counted from each object's full-precision epoch
 * (`epochMs`), as its `stateAt` does, on instants shifted exactly by the SDK; instants that
 * cannot be shifted exactly (not whole milliseconds apart) are sampled with `stateAt`.
 * Refinement always uses the plain `sgp4()`. Objects that are not SGP4 element sets
 * (ephemerides) are sampled with their `stateAt`.
 */
export class BulkSampler {
  private engine?: Sgp4Bulk;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    readonly threads: number,
    readonly chunkSatellites = 250,
  ) {}

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
    const shifted = n > 0 ? shiftBulkTimes(bulkTimesFromUnixMs(b0Ms, stepMs, n), (i) => msToIso(b0Ms + i * stepMs)) : undefined;
    const bulk = shifted !== undefined && !('reason' in shifted);
    objects.forEach((o, i) => (bulk && o instanceof Sgp4Source ? sgp : other).push(i));
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
    if (!sgp.length || !bulk) return out;
    const subjects: Sgp4BulkSubject[] = sgp.map((g) => {
      const o = objects[g] as Sgp4Source;
      return { satrec: o.satrec, epochJdUtc: jdUtcOfUnixMs(o.epochMs) };
    });
    this.engine ??= createSgp4Bulk({ threads: this.threads, chunkSatellites: this.chunkSatellites });
    await this.engine.propagate(subjects, shifted, (c) => {
      for (let k = 0; k < c.count; k++) {
        const g = sgp[c.first + k];
        out.pos.set(c.posTemeKm.subarray(k * n * 3, (k + 1) * n * 3), g * n * 3);
        out.vel.set(c.velTemeKmS.subarray(k * n * 3, (k + 1) * n * 3), g * n * 3);
        const fail = c.failIndex[k];
        out.valid[g] = fail < 0 ? n : fail;
        if (fail >= 0) {
          const code = c.failCode[k];
          out.errors.set(g, `SGP4 error ${code}${code === 6 ? ' (decayed)' : ''} at ${msToIso(b0Ms + fail * stepMs)} (NORAD ${objects[g].id})`);
        }
      }
    });
    return out;
  }

  /** Releases the WASM runtime and its threads. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue;
    const engine = this.engine;
    this.engine = undefined;
    await engine?.dispose();
  }
}
