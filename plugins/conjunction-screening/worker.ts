import { parentPort, workerData } from 'node:worker_threads';
import { Sgp4Source } from './objects';
import { volumeFromSpec, type WorkerEvent, type WorkerJob } from './parallel';
import { screenPart } from './screen';

/** Worker side of parallel.ts: one time sub-window of a screening (plain sgp4() samples: one core per worker). */
async function main(job: WorkerJob): Promise<void> {
  const objects = job.sets.map((gp) => new Sgp4Source(gp));
  const byId = new Map(objects.map((o) => [o.noradId, o]));
  const primaries = job.primaryIds === null ? objects : job.primaryIds.map((id) => byId.get(id)).filter((o): o is Sgp4Source => o !== undefined);
  const r = await screenPart(primaries, objects, job.window, { ...job.options, volumeFor: (p) => volumeFromSpec(job.volumes, p.regime) });
  const events: WorkerEvent[] = r.events.map((e) => ({ p: e.primary.id, s: e.secondary.id, tcaMs: e.tcaMs, geometry: e.geometry, primary: Array.from(e.states.primary), secondary: Array.from(e.states.secondary), volume: e.volume }));
  parentPort!.postMessage({ events, stats: r.stats });
}

main(workerData as WorkerJob).catch((err: Error) => parentPort!.postMessage({ error: err.message }));
