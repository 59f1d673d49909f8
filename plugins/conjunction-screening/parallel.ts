import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GpElementSet } from '../../interfaces/domain/catalog';
import { PROJECT_ROOT } from '../../sdk/reference-data';
import type { Regime, TrajectorySource } from './objects';
import { mergeEvents, type PartStats, type ScreenEvent, type ScreenOptions, type Window } from './screen';
import type { Volume } from './volume';

/**
 * A screening split over worker threads by time sub-windows — the local form of the
 * distributed split of issue 9: each worker runs the pure `screenPart` on its sub-window
 * (worker.ts) and the parts are merged deterministically (`mergeEvents`), so the events are
 * those of one run, in the same order. Used for all-vs-all surveys, whose cost is the filters
 * (one core each); the element sets are copied to each worker, the events come back as data.
 */
export interface VolumeSpec {
  override?: Volume;
  byRegime: Partial<Record<Regime, Volume>>;
  fallback: Volume;
}

export function volumeFromSpec(spec: VolumeSpec, regime: Regime): Volume {
  return spec.override ?? spec.byRegime[regime] ?? spec.fallback;
}

export interface WorkerJob {
  sets: GpElementSet[];
  /** NORAD ids of the primaries; null: every object (all-vs-all). */
  primaryIds: number[] | null;
  window: Window;
  options: Omit<ScreenOptions, 'volumeFor' | 'shouldStop' | 'sampler'>;
  volumes: VolumeSpec;
}

export interface WorkerEvent {
  p: string;
  s: string;
  tcaMs: number;
  geometry: ScreenEvent['geometry'];
  primary: number[];
  secondary: number[];
  volume: Volume;
}

export interface WorkerResult {
  events: WorkerEvent[];
  stats: PartStats;
}

/**
 * Worker start-up code: loads `script` (TypeScript) with esbuild's transform, which is
 * transpile-only like the project's loader (bin/register.js, ts-node) but ~10× faster to start:
 * measured on the 2-core machine, ts-node took 1.9 s per worker to load the screening's modules,
 * paid by every worker of every survey. Type checking stays with `npm run typecheck`.
 */
function workerBootstrap(script: string): string {
  const esbuild = require.resolve('esbuild', { paths: [PROJECT_ROOT] });
  return `
const esbuild = require(${JSON.stringify(esbuild)});
const fs = require('node:fs');
require('node:module')._extensions['.ts'] = (module, filename) => {
  const { code } = esbuild.transformSync(fs.readFileSync(filename, 'utf8'), { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: filename, sourcemap: 'inline', tsconfigRaw: { compilerOptions: { experimentalDecorators: true } } });
  module._compile(code, filename);
};
require(${JSON.stringify(script)});`;
}

/** Runs `job` split into `workers` time sub-windows; `sources` maps ids back to the caller's objects. */
export async function screenInWorkers(job: WorkerJob, workers: number, sources: Map<string, TrajectorySource>, signal?: AbortSignal): Promise<{ events: ScreenEvent[]; stats: PartStats }> {
  const { startMs, stopMs } = job.window;
  // sub-window ends on whole filter steps, so each part samples the same instants as one run would
  const stepMs = job.options.stepS * 1000;
  const cuts = Array.from({ length: workers + 1 }, (_, i) => (i === 0 ? startMs : i === workers ? stopMs : startMs + Math.round(((stopMs - startMs) * i) / workers / stepMs) * stepMs));
  const script = path.join(__dirname, 'worker.ts');
  const runs = cuts.slice(0, -1).map((a, i) => {
    const sub: WorkerJob = { ...job, window: { startMs: a, stopMs: cuts[i + 1] } };
    return new Promise<WorkerResult>((resolve, reject) => {
      const w = new Worker(workerBootstrap(script), { eval: true, workerData: sub });
      const abort = () => void w.terminate();
      signal?.addEventListener('abort', abort, { once: true });
      w.once('message', (m: WorkerResult | { error: string }) => {
        signal?.removeEventListener('abort', abort);
        void w.terminate();
        if ('error' in m) reject(new Error(`screening worker ${i + 1}/${workers}: ${m.error}`));
        else resolve(m);
      });
      w.once('error', (err) => reject(new Error(`screening worker ${i + 1}/${workers}: ${err.message}`)));
      w.once('exit', (code) => {
        if (signal?.aborted) reject(new Error('screening stopped (plugin stopping or request cancelled)'));
        else if (code !== 0) reject(new Error(`screening worker ${i + 1}/${workers} exited with code ${code}`));
      });
    });
  });
  const parts = await Promise.all(runs);
  const events = parts.map((p) =>
    p.events.map((e): ScreenEvent => ({
      primary: sources.get(e.p)!,
      secondary: sources.get(e.s)!,
      tcaMs: e.tcaMs,
      geometry: e.geometry,
      states: { primary: Float64Array.from(e.primary), secondary: Float64Array.from(e.secondary) },
      volume: e.volume,
    })),
  );
  const stats = parts.reduce<PartStats>(
    (a, p) => ({
      pairs: p.stats.pairs,
      pairsAfterRadiusFilter: Math.max(a.pairsAfterRadiusFilter, p.stats.pairsAfterRadiusFilter),
      objectsSampled: Math.max(a.objectsSampled, p.stats.objectsSampled),
      samples: a.samples + p.stats.samples,
      candidates: a.candidates + p.stats.candidates,
      refined: a.refined + p.stats.refined,
      skipped: [...a.skipped, ...p.stats.skipped.filter((s) => !a.skipped.some((x) => x.id === s.id))],
      timeMs: { sampling: a.timeMs.sampling + p.stats.timeMs.sampling, filtering: a.timeMs.filtering + p.stats.timeMs.filtering, refining: a.timeMs.refining + p.stats.timeMs.refining },
    }),
    { pairs: 0, pairsAfterRadiusFilter: 0, objectsSampled: 0, samples: 0, candidates: 0, refined: 0, skipped: [], timeMs: { sampling: 0, filtering: 0, refining: 0 } },
  );
  return { events: mergeEvents(events), stats };
}
