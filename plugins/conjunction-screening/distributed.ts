import { defineRequest, NoResponderError, RemoteHandlerError, ReplyError, RequestTimeoutError, z, type RequestTopic } from '../../sdk';
import { GpElementSetSchema, type GpElementSet } from '../../interfaces/domain/catalog';
import type { RequestOptions } from '../../sdk/context';
import { Sgp4Source, type TrajectorySource } from './objects';
import { volumeFromSpec, type VolumeSpec } from './parallel';
import { mergeEvents, screenPart, type PartStats, type ScreenEvent, type ScreenOptions, type Window } from './screen';

/**
 * Distributed screening over the bus (issue 9). A job is cut into parts, each a plain-JSON
 * `screening.part` request carrying everything a worker needs (element sets, window, volumes,
 * tuning); every kernel running this plugin answers them (over NATS the handlers of one topic
 * form a queue group, so parts spread over the kernels). Each part is the pure `screenPart`,
 * and the parts are merged with the deterministic `mergeEvents`: the events are those of one
 * run, in the same order (numbers cross JSON unchanged: JS prints the shortest string that
 * reads back to the same double, ECMA-262 §6.1.6.1.20 Number::toString).
 */
const Vec3 = z.array(z.number()).length(3);
const VolumeSchema = z.object({ shape: z.enum(['sphere', 'ellipsoid', 'box']), sizeRtnKm: Vec3 });
const Regimes = ['LEO', 'MEO', 'GEO', 'HEO', 'GTO', 'OTHER'] as const;

export const ScreeningPartRequest = z.object({
  jobId: z.string(),
  /** 1-based part number and count, for messages. */
  part: z.number().int().min(1),
  parts: z.number().int().min(1),
  /** Element sets of the primaries; null: every object of `objects` (all-vs-all). */
  primaries: z.array(GpElementSetSchema).nullable(),
  /** Element sets of the secondaries of this part. */
  secondaries: z.array(GpElementSetSchema),
  window: z.object({ startMs: z.number(), stopMs: z.number() }),
  volumes: z.object({ override: VolumeSchema.optional(), byRegime: z.partialRecord(z.enum(Regimes), VolumeSchema), fallback: VolumeSchema }),
  options: z.object({ stepS: z.number().positive(), gridStepS: z.number().positive(), blockHours: z.number().positive(), tcaToleranceS: z.number().positive(), gridMinPrimaries: z.number().int().min(1) }),
});
export type ScreeningPartRequest = z.output<typeof ScreeningPartRequest>;

const PartEvent = z.object({
  p: z.string(),
  s: z.string(),
  tcaMs: z.number(),
  geometry: z.object({ missKm: z.number(), relativeSpeedKmS: z.number(), rtnPosKm: Vec3, rtnVelKmS: Vec3 }),
  /** TEME states at TCA, [x, y, z (km), vx, vy, vz (km/s)]. */
  primary: z.array(z.number()).length(6),
  secondary: z.array(z.number()).length(6),
  volume: VolumeSchema,
});
const PartStatsSchema = z.object({
  pairs: z.number(),
  pairsAfterRadiusFilter: z.number(),
  objectsSampled: z.number(),
  samples: z.number(),
  candidates: z.number(),
  refined: z.number(),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  timeMs: z.object({ sampling: z.number(), filtering: z.number(), refining: z.number() }),
});
export const ScreeningPartResponse = z.object({ events: z.array(PartEvent), stats: PartStatsSchema, node: z.string().optional() });
export type ScreeningPartResponse = z.output<typeof ScreeningPartResponse>;

export const ScreeningPart: RequestTopic<ScreeningPartRequest, ScreeningPartResponse> = defineRequest({
  name: 'screening.part',
  version: '1.0.0',
  description: 'One part of a distributed conjunction screening: element sets, window, volumes → the part’s events (TEME states at TCA)',
  request: ScreeningPartRequest,
  response: ScreeningPartResponse,
});

/** Reason code of the reply of a worker that stops while screening a part: the part is re-issued. */
export const WORKER_STOPPING = 'worker-stopping';

/** Worker side: screens one part (pure `screenPart` on the request's data). */
export async function screenPartRequest(q: ScreeningPartRequest, opts: { signal?: AbortSignal; sampler?: ScreenOptions['sampler']; node?: string }): Promise<ScreeningPartResponse> {
  // One source per NORAD id, shared by both roles: screenPart knows objects by identity
  // (a primary that is also a secondary is screened once, as in the service).
  if (opts.signal?.aborted) throw new ReplyError(WORKER_STOPPING, `part ${q.part}/${q.parts} of job ${q.jobId}: worker stopping`);
  const byId = new Map<number, Sgp4Source>();
  const sourceOf = (gp: GpElementSet): Sgp4Source => {
    let s = byId.get(gp.noradId);
    if (!s) byId.set(gp.noradId, (s = new Sgp4Source(gp)));
    return s;
  };
  const secondaries = q.secondaries.map(sourceOf);
  const primaries = q.primaries === null ? secondaries : q.primaries.map(sourceOf);
  const volumes = q.volumes as VolumeSpec;
  try {
    const r = await screenPart(primaries, secondaries, q.window, {
      ...q.options,
      volumeFor: (p) => volumeFromSpec(volumes, p.regime),
      shouldStop: () => opts.signal?.aborted === true,
      sampler: opts.sampler,
    });
    const events = r.events.map((e) => ({ p: e.primary.id, s: e.secondary.id, tcaMs: e.tcaMs, geometry: e.geometry, primary: Array.from(e.states.primary), secondary: Array.from(e.states.secondary), volume: e.volume }));
    return { events, stats: r.stats, ...(opts.node ? { node: opts.node } : {}) };
  } catch (err) {
    if (opts.signal?.aborted) throw new ReplyError(WORKER_STOPPING, `part ${q.part}/${q.parts} of job ${q.jobId}: worker stopping`);
    throw err;
  }
}

/** Above this size of element sets per part, the job gets more parts (NATS refuses messages over max_payload, 1 MB by default). */
export const MAX_PART_BYTES = 512 * 1024;

export interface DistributedOptions {
  parts: number;
  partTimeoutMs: number;
  retries: number;
}

/** Thrown when a part could not be screened after its retries; names the part and the last error. */
export class DistributedScreeningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DistributedScreeningError';
  }
}

export type PartRequester = (q: ScreeningPartRequest, options: RequestOptions) => Promise<ScreeningPartResponse>;

/**
 * Coordinator side: cuts the job into parts — protected assets: chunks of the secondaries
 * (a pair is screened in the part holding its secondary; a pair of two primaries found in two
 * parts is the same event, kept once by the merge); all-vs-all: time sub-windows ending on
 * whole filter steps (each part samples the instants one run would) — requests them all at
 * once, re-issues a part whose request timed out, found no responder or whose worker stopped
 * (up to `retries` times), and merges the events.
 */
export async function screenDistributed(
  job: { primaries: TrajectorySource[] | null; secondaries: Sgp4Source[]; window: Window; volumes: VolumeSpec; options: ScreeningPartRequest['options'] },
  dist: DistributedOptions,
  request: PartRequester,
  hooks: { jobId: string; signal?: AbortSignal; log?: { warn(m: string): void } },
): Promise<{ events: ScreenEvent[]; stats: PartStats; partsBy: string[] }> {
  const sources = new Map<string, TrajectorySource>(job.secondaries.map((s) => [s.id, s]));
  for (const p of job.primaries ?? []) sources.set(p.id, p);
  const setOf = (s: TrajectorySource): GpElementSet => {
    if (!(s instanceof Sgp4Source)) throw new DistributedScreeningError(`object ${s.id}: only element-set objects can be sent to screening workers`);
    return s.elements;
  };
  const base = { jobId: hooks.jobId, window: job.window, volumes: job.volumes, options: job.options };
  let bodies: Omit<ScreeningPartRequest, 'part' | 'parts'>[];
  if (job.primaries === null) {
    const sets = job.secondaries.map(setOf);
    const { startMs, stopMs } = job.window;
    const stepMs = job.options.stepS * 1000;
    const steps = Math.max(1, Math.round((stopMs - startMs) / stepMs));
    const n = Math.min(dist.parts, steps);
    const cuts = Array.from({ length: n + 1 }, (_, i) => (i === 0 ? startMs : i === n ? stopMs : startMs + Math.round(((stopMs - startMs) * i) / n / stepMs) * stepMs));
    bodies = cuts.slice(0, -1).map((a, i) => ({ ...base, window: { startMs: a, stopMs: cuts[i + 1] }, primaries: null, secondaries: sets }));
  } else {
    const primaries = job.primaries.map(setOf);
    const sets = job.secondaries.map(setOf);
    const bytes = JSON.stringify(sets).length;
    const n = Math.max(1, Math.min(sets.length, Math.max(dist.parts, Math.ceil(bytes / MAX_PART_BYTES))));
    const size = Math.ceil(sets.length / n);
    bodies = [];
    for (let i = 0; i < sets.length; i += size) bodies.push({ ...base, primaries, secondaries: sets.slice(i, i + size) });
    if (!bodies.length) bodies.push({ ...base, primaries, secondaries: [] });
  }
  const total = bodies.length;
  const partsBy: string[] = new Array(total);
  const runPart = async (body: (typeof bodies)[number], i: number): Promise<ScreeningPartResponse> => {
    const q: ScreeningPartRequest = { ...body, part: i + 1, parts: total };
    for (let attempt = 0; ; attempt++) {
      if (hooks.signal?.aborted) throw new DistributedScreeningError(`job ${hooks.jobId} stopped (plugin stopping)`);
      try {
        const r = await request(q, { timeoutMs: dist.partTimeoutMs });
        partsBy[i] = r.node ?? '?';
        return r;
      } catch (err) {
        const retriable = err instanceof RequestTimeoutError || err instanceof NoResponderError || (err instanceof RemoteHandlerError && err.reason === WORKER_STOPPING);
        const what = `screening part ${i + 1}/${total} of job ${hooks.jobId} (${body.secondaries.length} secondaries, ${new Date(body.window.startMs).toISOString()} → ${new Date(body.window.stopMs).toISOString()})`;
        if (!retriable) throw new DistributedScreeningError(`${what} failed: ${(err as Error).message}`);
        if (attempt >= dist.retries) throw new DistributedScreeningError(`${what} failed after ${attempt + 1} attempts (${dist.retries} retries): ${(err as Error).message}`);
        hooks.log?.warn(`${what}: ${(err as Error).message}; re-issued (retry ${attempt + 1}/${dist.retries})`);
        // no responder: give workers a moment to (re)appear before asking again
        if (err instanceof NoResponderError) await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const parts = await Promise.all(bodies.map(runPart));
  const events = parts.map((p) =>
    p.events.map((e): ScreenEvent => {
      const primary = sources.get(e.p);
      const secondary = sources.get(e.s);
      if (!primary || !secondary) throw new DistributedScreeningError(`job ${hooks.jobId}: a worker answered an event for unknown objects ${e.p}/${e.s}`);
      return {
        primary,
        secondary,
        tcaMs: e.tcaMs,
        geometry: { missKm: e.geometry.missKm, relativeSpeedKmS: e.geometry.relativeSpeedKmS, rtnPosKm: e.geometry.rtnPosKm as [number, number, number], rtnVelKmS: e.geometry.rtnVelKmS as [number, number, number] },
        states: { primary: Float64Array.from(e.primary), secondary: Float64Array.from(e.secondary) },
        volume: { shape: e.volume.shape, sizeRtnKm: e.volume.sizeRtnKm as [number, number, number] },
      };
    }),
  );
  const stats = parts.reduce<PartStats>(
    (a, p) => ({
      pairs: a.pairs + p.stats.pairs,
      pairsAfterRadiusFilter: a.pairsAfterRadiusFilter + p.stats.pairsAfterRadiusFilter,
      objectsSampled: a.objectsSampled + p.stats.objectsSampled,
      samples: a.samples + p.stats.samples,
      candidates: a.candidates + p.stats.candidates,
      refined: a.refined + p.stats.refined,
      skipped: [...a.skipped, ...p.stats.skipped.filter((s) => !a.skipped.some((x) => x.id === s.id))],
      timeMs: { sampling: a.timeMs.sampling + p.stats.timeMs.sampling, filtering: a.timeMs.filtering + p.stats.timeMs.filtering, refining: a.timeMs.refining + p.stats.timeMs.refining },
    }),
    { pairs: 0, pairsAfterRadiusFilter: 0, objectsSampled: 0, samples: 0, candidates: 0, refined: 0, skipped: [], timeMs: { sampling: 0, filtering: 0, refining: 0 } },
  );
  if (job.primaries === null && parts.length) stats.pairs = parts[0].stats.pairs;
  return { events: mergeEvents(events), stats, partsBy };
}
