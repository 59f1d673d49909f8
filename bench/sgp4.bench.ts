import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { BulkPropagator, EciBaseCalculator, createMultiThreadRuntime, createSingleThreadRuntime, sgp4, twoline2satrec, type SatRec } from 'satellite.js';
import type { GpElementSet } from '../interfaces/domain/catalog';
import { sgp4Config } from '../plugins/sgp4/config';
import { gpFromTle } from '../plugins/sgp4/elements';
import { Sgp4Service } from '../plugins/sgp4/service';
import { Sgp4PropagatorToken, type TemeBulkChunk } from '../interfaces/services/propagation';
import { PROJECT_ROOT, readReferenceText } from '../sdk/reference-data';
import { createTestKernel } from '../sdk/testing';
import { percentile, type BenchResult } from './lib';

/**
 * SGP4 over the 15,347-object CelesTrak catalog (2026-05-07) × 1,440 one-minute epochs (issue 7):
 * 22 million states, 1 GB of TEME position + velocity, so every approach streams it in chunks
 * of CHUNK objects and a consumer reads each chunk (a checksum of every valid state: the sum of
 * |x|+|y|+|z|+|vx|+|vy|+|vz|, which the bench compares across approaches so no output can be skipped).
 *
 * Raw satellite.js 7.1 (what the machine can do with the library alone):
 *   raw-js            plain `sgp4(satrec, minutes)` loop, one thread, into a reused chunk buffer;
 *   raw-wasm-1        WASM `BulkPropagator`, single-thread runtime, checksum over its output views;
 *   raw-wasm-pthreads satellite.js's multi-thread runtime (2 pthreads), same;
 *   raw-workers       two worker_threads, each a single-thread runtime on every other chunk,
 *                     checksums in the workers (no transfer: the upper bound of the machine);
 *   raw-workers-transfer  the same, each chunk's output copied into a buffer transferred to the
 *                     main thread, which checksums it and hands the buffer back (the consumer
 *                     of the plugin's path, in the caller's thread).
 * The sgp4 plugin (its `Sgp4Service` object, as plugin.ts builds it, not through the kernel bus:
 * the `propagator.sgp4` contract returns JSON tuples; `propagateTemeBulk` is the bulk path):
 *   plugin-js / plugin-wasm-1 / plugin-workers: the same engines, from GP element sets (cached
 *   SGP4 records: the second call on a warm service is timed; the first, over 200 instants, which
 *   initialises the records, starts the runtime or workers and uploads the records to them, is
 *   reported apart), chunks consumed by the same checksum in the calling thread
 *   (plugin-workers: the chunks come back from its two worker threads, as in raw-workers-transfer);
 *   plugin-service-json: `propagate()` through the service token of a test kernel (JSON tuples).
 *
 * Each approach runs in its own child process, PROCESSES times, interleaved: the plain-JS
 * `sgp4()` is bimodal (DESIGN.md: about one process in nine stays ~3× slower), so the median
 * AND the maximum are reported; CPU time of the process (all threads, process.cpuUsage) and the
 * load average at each child's start show how loaded the shared 2-core machine was.
 */
const EPOCHS = 1440;
const STEP_MS = 60_000;
const START_MS = Date.UTC(2026, 4, 7, 0, 0, 0);
const CHUNK = 250;
const PROCESSES = Number(process.env.SCOOP_SGP4_BENCH_PROCESSES ?? 5);
const CATALOG = 'tle/celestrak-active-2026-05-07.txt';
/** Instants of the plugin's first (warm-up) call: `autoWasmMinInstants`, so it runs the engine the timed call uses. */
const WARM_EPOCHS = 200;
/** The JSON service path builds two arrays per state: measured on a slice (one request under maxStatesPerRequest). */
const JSON_OBJECTS = 1000;

type Approach = 'raw-js' | 'raw-wasm-1' | 'raw-wasm-pthreads' | 'raw-workers' | 'raw-workers-transfer' | 'plugin-js' | 'plugin-wasm-1' | 'plugin-workers' | 'plugin-service-json';
/**
 * Each plugin approach right after its raw counterpart, and the order reversed every other
 * round: a load that drifts during the bench then weighs on both sides of each pair alike
 * (the overheads are medians of the per-round ratios of neighbours).
 */
const APPROACHES: { id: Approach; name: string; raw?: Approach; also?: Approach; twoThreads?: boolean }[] = [
  { id: 'raw-js', name: 'raw satellite.js sgp4() loop, 1 thread' },
  { id: 'plugin-js', name: 'sgp4 plugin propagateTemeBulk, engine js', raw: 'raw-js' },
  { id: 'raw-wasm-1', name: 'raw WASM BulkPropagator, 1 thread' },
  { id: 'plugin-wasm-1', name: 'sgp4 plugin propagateTemeBulk, WASM 1 thread', raw: 'raw-wasm-1' },
  { id: 'raw-wasm-pthreads', name: 'raw WASM BulkPropagator, multi-thread runtime (2 pthreads)', twoThreads: true },
  { id: 'raw-workers', name: 'raw WASM, 2 worker_threads × single-thread runtime, checksums in the workers', twoThreads: true },
  { id: 'raw-workers-transfer', name: 'raw WASM, 2 worker_threads × single-thread runtime, chunks transferred to the main thread', twoThreads: true },
  { id: 'plugin-workers', name: 'sgp4 plugin propagateTemeBulk, WASM 2 worker threads (default)', raw: 'raw-workers-transfer', also: 'raw-workers', twoThreads: true },
  { id: 'plugin-service-json', name: `sgp4 plugin through the propagator.sgp4 service of a test kernel (JSON tuples), first ${JSON_OBJECTS} objects` },
];


interface ChildResult {
  objects: number;
  states: number;
  /** States before each object's first failure (the ones the checksum reads). */
  validStates: number;
  failedObjects: number;
  checksum: number;
  wallNsPerState: number;
  /** CPU time of the whole process (every thread) per state. */
  cpuNsPerState: number;
  peakRssMB: number;
  loadAtStart: number;
  /** plugin only: the first call (records initialised, runtime or workers started), s. */
  coldS?: number;
}

function catalogLines(): [string, string][] {
  const lines = readReferenceText(CATALOG).split(/\r?\n/);
  const out: [string, string][] = [];
  for (let i = 0; i < lines.length - 1; i++) if (lines[i].startsWith('1 ') && lines[i + 1].startsWith('2 ')) out.push([lines[i], lines[i + 1]]);
  return out;
}

/** Raw records, as a satellite.js user makes them. */
function rawSatrecs(): SatRec[] {
  return catalogLines()
    .map(([l1, l2]) => twoline2satrec(l1, l2))
    .filter((s) => s.error === 0);
}

/** Checksum of one chunk: every state before each object's first failure. */
class Checksum {
  sum = 0;
  valid = 0;
  failed = 0;

  add(pos: Float64Array, vel: Float64Array, count: number, nT: number, failIndex: (k: number) => number): void {
    for (let k = 0; k < count; k++) {
      const f = failIndex(k);
      const n = f < 0 ? nT : f;
      if (f >= 0) this.failed++;
      this.valid += n;
      let s = 0;
      const a = k * nT * 3;
      const b = a + n * 3;
      for (let j = a; j < b; j++) s += Math.abs(pos[j]) + Math.abs(vel[j]);
      this.sum += s;
    }
  }
}

/** First failing index of object k in a WASM error array (Int8, object-major). */
function firstError(err: Int8Array, k: number, nT: number): number {
  const base = k * nT;
  for (let i = 0; i < nT; i++) if (err[base + i] !== 0) return i;
  return -1;
}

const dates = (): Date[] => Array.from({ length: EPOCHS }, (_, i) => new Date(START_MS + i * STEP_MS));
/** Minutes from a raw record's epoch (one double JD, as satellite.js `propagate` counts it). */
const JD_START = START_MS / 86_400_000 + 2440587.5;

function rawJs(satrecs: SatRec[], sum: Checksum): void {
  const pos = new Float64Array(CHUNK * EPOCHS * 3);
  const vel = new Float64Array(CHUNK * EPOCHS * 3);
  const fail = new Int32Array(CHUNK);
  for (let first = 0; first < satrecs.length; first += CHUNK) {
    const n = Math.min(CHUNK, satrecs.length - first);
    for (let k = 0; k < n; k++) {
      const satrec = satrecs[first + k];
      const m0 = (JD_START - satrec.jdsatepoch) * 1440;
      fail[k] = -1;
      for (let i = 0, j = k * EPOCHS * 3; i < EPOCHS; i++, j += 3) {
        const pv = sgp4(satrec, m0 + i);
        if (!pv || satrec.error !== 0) {
          fail[k] = i;
          break;
        }
        pos[j] = pv.position.x;
        pos[j + 1] = pv.position.y;
        pos[j + 2] = pv.position.z;
        vel[j] = pv.velocity.x;
        vel[j + 1] = pv.velocity.y;
        vel[j + 2] = pv.velocity.z;
      }
    }
    sum.add(pos, vel, n, EPOCHS, (k) => fail[k]);
  }
}

/** Raw WASM over the chunks `first = start, start + stride·CHUNK, …` (stride 1: all of them). */
type ChunkConsumer = (pos: Float64Array, vel: Float64Array, n: number, failIndex: (k: number) => number, first: number) => void | Promise<void>;

async function rawWasm(satrecs: SatRec[], runtime: Awaited<ReturnType<typeof createSingleThreadRuntime>> | Awaited<ReturnType<typeof createMultiThreadRuntime>>, consume: ChunkConsumer, start = 0, stride = 1): Promise<void> {
  const p = new BulkPropagator({ runtime, calculators: [new EciBaseCalculator()] as const, satRecsCount: CHUNK, datesCount: EPOCHS });
  try {
    p.setDates(dates());
    for (let first = start * CHUNK; first < satrecs.length; first += stride * CHUNK) {
      const part = satrecs.slice(first, first + CHUNK);
      p.setSatRecs(part);
      const pending = p.run() as Promise<void> | undefined;
      if (pending) await pending;
      const raw = p.getRawOutput().eci;
      await consume(raw.position, raw.velocity, part.length, (k) => firstError(raw.error, k, EPOCHS), first);
    }
  } finally {
    p.dispose();
  }
}

/** A chunk sent by a raw worker in `transfer` mode: the copied output, handed back after use. */
interface RawChunk {
  buffer: ArrayBuffer;
  n: number;
  fail: Int32Array;
}

/**
 * raw-workers: two threads, each with its own runtime and records, every other chunk. Without
 * `transfer`, each worker checksums its own output; with it, each copies its output into a
 * transferred buffer (two per worker, handed back) and the main thread checksums it, as a
 * consumer of the plugin's bulk path does.
 */
async function rawWorkers(sum: Checksum, transfer: boolean): Promise<{ run: () => Promise<void> }> {
  const register = path.join(PROJECT_ROOT, 'bin', 'register.js');
  const workers = [0, 1].map((w) => new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(__filename)});`, { eval: true, workerData: { sgp4RawWorker: w, transfer } }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  return {
    run: async () => {
      const parts = await Promise.all(
        workers.map(
          (w) =>
            new Promise<{ sum: number; valid: number; failed: number }>((resolve, reject) => {
              w.on('message', (m: RawChunk | { sum: number; valid: number; failed: number }) => {
                if (!('buffer' in m)) return resolve(m);
                const values = m.n * EPOCHS * 3;
                sum.add(new Float64Array(m.buffer, 0, values), new Float64Array(m.buffer, values * 8, values), m.n, EPOCHS, (k) => m.fail[k]);
                w.postMessage(m.buffer, [m.buffer]);
              });
              w.once('error', reject);
              w.postMessage('go');
            }),
        ),
      );
      for (const p of parts) {
        sum.sum += p.sum;
        sum.valid += p.valid;
        sum.failed += p.failed;
      }
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

if (!isMainThread && workerData && typeof (workerData as { sgp4RawWorker?: number }).sgp4RawWorker === 'number') {
  const { sgp4RawWorker: w, transfer } = workerData as { sgp4RawWorker: number; transfer: boolean };
  const port = parentPort!;
  const satrecs = rawSatrecs();
  void createSingleThreadRuntime().then((runtime) => {
    port.postMessage('ready');
    port.once('message', async () => {
      const sum = new Checksum();
      let consume: ChunkConsumer = (pos, vel, n, fail) => sum.add(pos, vel, n, EPOCHS, fail);
      if (transfer) {
        const spare: ArrayBuffer[] = [new ArrayBuffer(CHUNK * EPOCHS * 48), new ArrayBuffer(CHUNK * EPOCHS * 48)];
        let wake: (() => void) | undefined;
        port.on('message', (b: ArrayBuffer) => {
          spare.push(b);
          wake?.();
        });
        consume = async (pos, vel, n, fail) => {
          while (!spare.length) await new Promise<void>((r) => (wake = r));
          const buffer = spare.pop()!;
          const values = n * EPOCHS * 3;
          new Float64Array(buffer, 0, values).set(pos.subarray(0, values));
          new Float64Array(buffer, values * 8, values).set(vel.subarray(0, values));
          const msg: RawChunk = { buffer, n, fail: Int32Array.from({ length: n }, (_, k) => fail(k)) };
          port.postMessage(msg, [buffer]);
        };
      }
      await rawWasm(satrecs, runtime, consume, w, 2);
      port.postMessage({ sum: sum.sum, valid: sum.valid, failed: sum.failed });
    });
  });
}

async function child(approach: Approach): Promise<ChildResult> {
  const loadAtStart = os.loadavg()[0];
  const sum = new Checksum();
  let objects: number;
  let timed: () => Promise<void>;
  let coldS: number | undefined;
  if (approach === 'plugin-service-json') {
    // the real service interface: a test kernel running the sgp4 plugin with its default config
    const tk = await createTestKernel({ plugins: [path.join(PROJECT_ROOT, 'plugins', 'sgp4')] });
    await tk.waitForState('sgp4', 'running');
    const service = tk.service(Sgp4PropagatorToken);
    const subjects = catalogLines()
      .slice(0, JSON_OBJECTS)
      .map(([l1, l2], i) => ({ id: String(i), gp: gpFromTle(l1, l2) }));
    const times = { startUtc: new Date(START_MS).toISOString(), stopUtc: new Date(START_MS + (EPOCHS - 1) * STEP_MS).toISOString(), stepS: STEP_MS / 1000 };
    // first calls: every record initialised (one instant: the plain loop), then the worker threads started
    const t0 = process.hrtime.bigint();
    await service.propagate({ subjects, times: { instantsUtc: [times.startUtc] }, frame: 'TEME' });
    await service.propagate({ subjects: subjects.slice(0, 2), times, frame: 'TEME' });
    coldS = Number(process.hrtime.bigint() - t0) / 1e9;
    objects = subjects.length;
    timed = async () => {
      const { outcomes } = await service.propagate({ subjects, times, frame: 'TEME' });
      for (const o of outcomes) {
        if (!o.ok) {
          sum.failed++;
          continue;
        }
        let x = 0;
        for (let i = 0; i < o.posKm.length; i++) {
          const p = o.posKm[i];
          const v = o.velKmS[i];
          x += Math.abs(p[0]) + Math.abs(p[1]) + Math.abs(p[2]) + Math.abs(v[0]) + Math.abs(v[1]) + Math.abs(v[2]);
        }
        sum.sum += x;
        sum.valid += o.posKm.length;
      }
      await tk.stop();
    };
  } else if (approach.startsWith('raw-')) {
    const satrecs = rawSatrecs();
    objects = satrecs.length;
    if (approach === 'raw-js') timed = async () => rawJs(satrecs, sum);
    else if (approach === 'raw-workers' || approach === 'raw-workers-transfer') timed = (await rawWorkers(sum, approach === 'raw-workers-transfer')).run;
    else {
      const runtime = approach === 'raw-wasm-1' ? await createSingleThreadRuntime() : await createMultiThreadRuntime({ threadsCount: 2 });
      timed = () => rawWasm(satrecs, runtime, (pos, vel, n, fail) => sum.add(pos, vel, n, EPOCHS, fail));
    }
  } else {
    const sets: GpElementSet[] = catalogLines().map(([l1, l2]) => gpFromTle(l1, l2));
    const config = sgp4Config.parse(approach === 'plugin-js' ? { engine: 'js' } : { wasmThreads: approach === 'plugin-wasm-1' ? 1 : 2 });
    const service = new Sgp4Service(config, { eop: () => undefined });
    const times = { startUtc: new Date(START_MS).toISOString(), stopUtc: new Date(START_MS + (EPOCHS - 1) * STEP_MS).toISOString(), stepS: STEP_MS / 1000 };
    // first call, over the first WARM_EPOCHS instants: initialises and caches the records, starts
    // the runtime or the workers, and uploads the records to the workers (kept there by id)
    const t0 = process.hrtime.bigint();
    const first = await service.propagateTemeBulk(sets, { startUtc: times.startUtc, stopUtc: new Date(START_MS + (WARM_EPOCHS - 1) * STEP_MS).toISOString(), stepS: times.stepS }, () => undefined);
    coldS = Number(process.hrtime.bigint() - t0) / 1e9;
    objects = first.subjects;
    const consume = (c: TemeBulkChunk) => sum.add(c.posTemeKm, c.velTemeKmS, c.count, c.instants, (k) => c.failIndex[k]);
    timed = async () => {
      const summary = await service.propagateTemeBulk(sets, times, consume);
      const expected = approach === 'plugin-js' ? 'js-loop' : approach === 'plugin-wasm-1' ? 'wasm-1-thread' : 'wasm-workers-2';
      if (summary.engine !== expected) throw new Error(`${approach}: engine ${summary.engine}, expected ${expected}`);
      await service.dispose();
    };
  }
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  await timed();
  const ns = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  const states = objects * EPOCHS;
  if (!Number.isFinite(sum.sum)) throw new Error(`${approach}: non-finite checksum`);
  return {
    objects,
    states,
    validStates: sum.valid,
    failedObjects: sum.failed,
    checksum: sum.sum,
    wallNsPerState: ns / states,
    cpuNsPerState: ((cpu.user + cpu.system) * 1000) / states,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    loadAtStart,
    coldS,
  };
}

function runChild(approach: Approach): ChildResult {
  const runTs = path.join(__dirname, '..', 'bin', 'run-ts.js');
  const r = spawnSync(process.execPath, [runTs, __filename], {
    env: { ...process.env, SCOOP_SGP4_BENCH_CHILD: approach },
    encoding: 'utf8',
    timeout: 600_000,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
  if (r.status !== 0 || !line) throw new Error(`sgp4 bench child ${approach} failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(line) as ChildResult;
}

const median = (xs: number[]): number => percentile([...xs].sort((a, b) => a - b), 50);
const max = (xs: number[]): number => Math.max(...xs);

export async function run(): Promise<BenchResult[]> {
  const samples = new Map<Approach, ChildResult[]>(APPROACHES.map((a) => [a.id, []]));
  const loadBefore = os.loadavg()[0];
  const t0 = Date.now();
  // SCOOP_SGP4_BENCH_ONLY=raw-workers,plugin-workers: a subset (for investigation; the recorded run has them all)
  const only = process.env.SCOOP_SGP4_BENCH_ONLY?.split(',');
  const chosen = APPROACHES.filter((a) => !only || only.includes(a.id));
  if (!chosen.some((a) => a.id === 'raw-js')) throw new Error('SCOOP_SGP4_BENCH_ONLY must include raw-js (the checksum reference)');
  for (let p = 0; p < PROCESSES; p++) {
    for (const a of p % 2 === 0 ? chosen : [...chosen].reverse()) {
      const r = runChild(a.id);
      samples.get(a.id)!.push(r);
      process.stderr.write(`  sgp4 bench ${p + 1}/${PROCESSES} ${a.id}: ${r.wallNsPerState.toFixed(0)} ns/state wall, ${r.cpuNsPerState.toFixed(0)} CPU, load ${r.loadAtStart.toFixed(1)}\n`);
    }
  }
  const first = samples.get('raw-js')![0];
  const results: BenchResult[] = [
    { name: `1-minute load average (${os.cpus().length} CPUs) before the runs`, value: loadBefore, unit: '' },
    { name: '1-minute load average after the runs', value: os.loadavg()[0], unit: '' },
    { name: 'bench wall time', value: (Date.now() - t0) / 1000, unit: 's' },
    { name: `workload: objects SGP4 initialises (of the catalog) × ${EPOCHS} one-minute epochs`, value: first.objects, unit: 'objects' },
    { name: 'workload: states', value: first.states, unit: 'states' },
  ];
  const refSum = first.checksum;
  for (const a of chosen) {
    const s = samples.get(a.id)!;
    const wall = s.map((x) => x.wallNsPerState);
    const cpu = s.map((x) => x.cpuNsPerState);
    const what = a.id === 'plugin-service-json' ? `${a.name} (× ${EPOCHS})` : `${a.name} (${first.objects.toLocaleString('en-US')} × ${EPOCHS}, chunks of ${CHUNK})`;
    const throughput = 1e3 / median(wall); // M states/s
    results.push({ name: `${what}: wall ns/state, median of ${s.length} processes`, value: median(wall), unit: 'ns/state' });
    results.push({ name: `${what}: wall ns/state, max`, value: max(wall), unit: 'ns/state' });
    if (a.twoThreads) results.push({ name: `${what}: throughput (median)`, value: throughput, unit: 'M states/s', target: '≥ 2.5 M states/s on both cores', pass: throughput >= 2.5 });
    else results.push({ name: `${what}: throughput (median)`, value: throughput, unit: 'M states/s' });
    results.push({ name: `${what}: CPU ns/state (all threads), median`, value: median(cpu), unit: 'ns/state' });
    results.push({ name: `${what}: peak RSS, max`, value: max(s.map((x) => x.peakRssMB)), unit: 'MB' });
    results.push({ name: `${what}: 1-minute load average at the children's start, median`, value: median(s.map((x) => x.loadAtStart)), unit: '' });
    // The output is real: every approach reads the same states. Tolerance: the raw paths count
    // time from a one-double JD epoch and instant (~40 µs near JD 2.46e6, ≈ 0.3 m at 7.5 km/s,
    // 4e-8 of a 7,000 km radius); the plugin from the exact two-part epoch.
    const rel = max(s.map((x) => Math.abs(x.checksum - refSum) / Math.abs(refSum)));
    if (a.id !== 'plugin-service-json') results.push({ name: `${what}: checksum of all valid states, relative difference to raw-js (max)`, value: rel, unit: '', target: '≤ 1e-7', pass: rel <= 1e-7 });
    results.push({ name: `${what}: objects failing inside the window`, value: s[0].failedObjects, unit: 'objects', reference: `raw-js: ${first.failedObjects}` });
    if (s[0].coldS !== undefined) {
      const cold = a.id === 'plugin-service-json' ? 'first calls (records initialised at 1 instant; workers started on 2 objects)' : `first call, ${WARM_EPOCHS} instants (records initialised, runtime or workers started, records uploaded)`;
      results.push({ name: `${what}: ${cold}, median`, value: median(s.map((x) => x.coldS!)), unit: 's' });
    }
    for (const ref of [a.raw, a.also]) {
      if (!ref || !samples.get(ref)!.length) continue;
      // per round, against the raw run next to it; the median over rounds. The target applies
      // to the raw path of the same kind (`raw`); `also` is shown for what it costs beyond the machine's bound.
      const r = samples.get(ref)!;
      const wallOver = median(s.map((x, i) => x.wallNsPerState / r[i].wallNsPerState)) - 1;
      const cpuOver = median(s.map((x, i) => x.cpuNsPerState / r[i].cpuNsPerState)) - 1;
      const target = ref === a.raw ? { target: '≤ 10 %', pass: wallOver <= 0.1 } : {};
      results.push({ name: `${what}: overhead vs ${ref}, wall (median of per-round ratios)`, value: 100 * wallOver, unit: '%', reference: ref, ...target });
      results.push({ name: `${what}: overhead vs ${ref}, CPU (median of per-round ratios)`, value: 100 * cpuOver, unit: '%', reference: ref, ...(ref === a.raw ? { target: '≤ 10 %', pass: cpuOver <= 0.1 } : {}) });
    }
  }
  // What two cores can do at best: the fastest single-thread raw path's CPU time per state, twice.
  const bestCpu = Math.min(...(['raw-wasm-1', 'raw-js'] as const).filter((id) => samples.get(id)!.length).map((id) => median(samples.get(id)!.map((x) => x.cpuNsPerState))));
  results.push({ name: 'ceiling on 2 cores: 2 × 1 / (fastest single-thread raw CPU ns/state)', value: 2e3 / bestCpu, unit: 'M states/s', target: '≥ 2.5 M states/s', pass: 2e3 / bestCpu >= 2.5 });
  return results;
}

if (isMainThread && process.env.SCOOP_SGP4_BENCH_CHILD) {
  child(process.env.SCOOP_SGP4_BENCH_CHILD as Approach).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (err) => {
      process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
