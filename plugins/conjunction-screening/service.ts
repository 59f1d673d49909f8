import type { Conjunction, ConjunctionObject } from '../../interfaces/domain/conjunction';
import type { Catalog, CatalogEntry } from '../../interfaces/services/acquisition';
import type { ConjunctionScreener, ScreeningVolume } from '../../interfaces/services/collision';
import type { Propagator } from '../../interfaces/services/propagation';
import { ZERO_EOP, frameSetAtTimes, transformBetween } from '../../sdk/astro/frames';
import { Epoch } from '../../sdk/astro/time';
import { mulMV, type Mat3 } from '../../sdk/astro/vec';
import type { PluginLogger } from '../../sdk/context';
import type { ScreeningConfig } from './config';
import { Sgp4Source, isoToMs, msToIso, type TrajectorySource } from './objects';
import { screenDistributed, type PartRequester } from './distributed';
import { screenInWorkers } from './parallel';
import { screenPart, type Sampler, type ScreenEvent } from './screen';
import type { Volume } from './volume';

type ScreenRequest = Parameters<ConjunctionScreener['screen']>[0];
type ScreenResult = Awaited<ReturnType<ConjunctionScreener['screen']>>;

/** A malformed request (named field and reason); thrown, unlike per-object problems which go to `stats.skipped`. */
export class ScreeningRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScreeningRequestError';
  }
}

export const MODULE_NAME = 'conjunction-screening';

let jobCounter = 0;

/**
 * Event id: primary, secondary and the TCA rounded to 10 minutes, so the successive updates
 * of one encounter (new element sets move its TCA by seconds) share it.
 */
export function eventId(primaryId: string, secondaryId: string, tcaMs: number): string {
  const r = new Date(Math.round(tcaMs / 600_000) * 600_000).toISOString();
  return `${primaryId}-${secondaryId}-${r.slice(0, 4)}${r.slice(5, 7)}${r.slice(8, 10)}T${r.slice(11, 13)}${r.slice(14, 16)}`;
}

/** The `screening` service: protected assets vs the catalog, or all-vs-all (`allVsAll: true`). */
export class ScreeningService implements ConjunctionScreener {
  runs = 0;
  lastRun?: { atUtc: string; events: number; durationMs: number };

  constructor(
    private readonly config: ScreeningConfig,
    private readonly deps: {
      catalog: () => Catalog;
      propagator: () => Propagator | undefined;
      log?: PluginLogger;
      signal?: AbortSignal;
      sampler?: Sampler;
      now?: () => number;
      /** Sends one `screening.part` request over the bus (distributed mode). */
      requestPart?: PartRequester;
    },
  ) {}

  async screen(request: ScreenRequest): Promise<ScreenResult> {
    const t0 = Date.now();
    if (!request || typeof request !== 'object') throw new ScreeningRequestError('screening request must be an object { primaries, startUtc, stopUtc, … }');
    let startMs: number, stopMs: number;
    try {
      startMs = isoToMs(request.startUtc);
      stopMs = isoToMs(request.stopUtc);
    } catch (err) {
      throw new ScreeningRequestError(`startUtc/stopUtc: ${(err as Error).message}`);
    }
    if (!(stopMs > startMs)) throw new ScreeningRequestError(`stopUtc ${request.stopUtc} must be after startUtc ${request.startUtc}`);
    if (stopMs - startMs > 60 * 86_400_000) throw new ScreeningRequestError(`window ${request.startUtc} → ${request.stopUtc} is longer than 60 days`);
    if (!Array.isArray(request.primaries)) throw new ScreeningRequestError('primaries must be an array of { noradId } or { ephemerisId }');
    if (request.missDistanceKm !== undefined && !(request.missDistanceKm > 0)) throw new ScreeningRequestError(`missDistanceKm must be positive (got ${request.missDistanceKm})`);
    const volumeOverride = request.volume ? checkVolume(request.volume) : request.missDistanceKm !== undefined ? sphere(request.missDistanceKm) : undefined;

    const skipped: { id: string; reason: string }[] = [];
    const catalog = this.deps.catalog();
    const entries = new Map<number, CatalogEntry>();
    const sources = new Map<number, Sgp4Source>();
    const source = (e: CatalogEntry): Sgp4Source | undefined => {
      const id = e.elements.noradId;
      let s = sources.get(id);
      if (s) return s;
      try {
        s = new Sgp4Source(e.elements);
      } catch (err) {
        skipped.push({ id: String(id), reason: (err as Error).message });
        return undefined;
      }
      sources.set(id, s);
      entries.set(id, e);
      return s;
    };

    // Secondaries: the whole catalog, or the listed ids.
    let secondaryEntries: CatalogEntry[];
    if (request.secondaries === undefined || request.secondaries === 'catalog' || request.allVsAll) {
      const size = await catalog.size();
      secondaryEntries = (await catalog.list({ offset: 0, limit: Math.max(1, size) })).entries;
    } else if (Array.isArray(request.secondaries)) {
      const r = await catalog.get(request.secondaries);
      for (const id of r.missing) skipped.push({ id: String(id), reason: 'secondary not in the catalog' });
      secondaryEntries = r.found;
    } else throw new ScreeningRequestError(`secondaries must be 'catalog' or an array of NORAD ids`);
    const secondaries = secondaryEntries.map(source).filter((s): s is Sgp4Source => s !== undefined);

    // Primaries: catalog objects now; operator ephemerides once the `ephemeris` module exists.
    let primaries: TrajectorySource[];
    if (request.allVsAll) primaries = secondaries;
    else {
      const ids: number[] = [];
      request.primaries.forEach((p, i) => {
        if (p && typeof p.noradId === 'number') ids.push(p.noradId);
        else if (p && typeof p.ephemerisId === 'string') skipped.push({ id: p.ephemerisId, reason: 'ephemeris primaries need the ephemeris module (not available yet); only catalog primaries are screened' });
        else throw new ScreeningRequestError(`primaries[${i}] must be { noradId: number } or { ephemerisId: string }`);
      });
      const r = ids.length ? await catalog.get(ids) : { found: [], missing: [] };
      for (const id of r.missing) skipped.push({ id: String(id), reason: 'primary not in the catalog' });
      primaries = r.found.map(source).filter((s): s is Sgp4Source => s !== undefined);
    }

    const f = this.config.filters;
    const tuning = { stepS: f.stepS, gridStepS: f.gridStepS, blockHours: f.blockHours, tcaToleranceS: f.tcaToleranceS, gridMinPrimaries: f.gridMinPrimaries };
    const volumeSpec = { ...(volumeOverride ? { override: volumeOverride } : {}), byRegime: this.config.volumes, fallback: sphere(this.config.missDistanceKm) };
    const dist = this.config.distributed;
    const { events, stats } =
      dist.enabled && this.deps.requestPart
        ? await screenDistributed(
            { primaries: request.allVsAll ? null : primaries, secondaries, window: { startMs, stopMs }, volumes: volumeSpec, options: tuning },
            dist,
            this.deps.requestPart,
            { jobId: `${MODULE_NAME}-${process.pid}-${t0}-${++jobCounter}`, signal: this.deps.signal, log: this.deps.log },
          )
        : request.allVsAll && f.workers > 1
        ? await screenInWorkers(
            {
              sets: secondaries.map((s) => s.elements),
              primaryIds: null,
              window: { startMs, stopMs },
              options: tuning,
              volumes: volumeSpec,
            },
            f.workers,
            new Map(secondaries.map((s) => [s.id, s])),
            this.deps.signal,
          )
        : await screenPart(primaries, secondaries, { startMs, stopMs }, {
            ...tuning,
            volumeFor: (p) => volumeOverride ?? this.volumeFor(p),
            shouldStop: () => this.deps.signal?.aborted === true,
            sampler: this.deps.sampler,
          });
    const detectedAtUtc = msToIso(this.deps.now?.() ?? Date.now());
    const conjunctions = await this.records(events, entries, detectedAtUtc);
    const durationMs = Date.now() - t0;
    this.runs++;
    this.lastRun = { atUtc: detectedAtUtc, events: conjunctions.length, durationMs };
    return {
      conjunctions,
      stats: { pairs: stats.pairs, candidates: stats.candidates, refined: stats.refined, durationMs, skipped: [...skipped, ...stats.skipped] },
    };
  }

  /** Volume of a primary: the configured volume of its orbit regime, else the default sphere. */
  volumeFor(p: TrajectorySource): Volume {
    const v = this.config.volumes[p.regime];
    return v ? { shape: v.shape, sizeRtnKm: [...v.sizeRtnKm] as [number, number, number] } : sphere(this.config.missDistanceKm);
  }

  private async records(events: ScreenEvent[], entries: Map<number, CatalogEntry>, detectedAtUtc: string): Promise<Conjunction[]> {
    // GCRF states: from the propagator.sgp4 service (EOP when an eop.provider runs) for a
    // screening's usual handful of events; for large surveys, by rotating the TEME states here
    // (one service round trip per event would dominate) — the two agree to 1 mm (tested).
    const gcrf = this.config.stateFrame === 'GCRF';
    const propagator = gcrf && events.length <= SERVICE_STATES_MAX_EVENTS ? this.deps.propagator() : undefined;
    const out: Conjunction[] = new Array(events.length);
    const one = async (e: ScreenEvent, i: number) => {
      const tcaUtc = msToIso(e.tcaMs);
      const pe = entries.get(Number(e.primary.id));
      const se = entries.get(Number(e.secondary.id));
      let frame: 'GCRF' | 'TEME' = 'TEME';
      let states: [number[], number[], number[], number[]] = [Array.from(e.states.primary.subarray(0, 3)), Array.from(e.states.primary.subarray(3, 6)), Array.from(e.states.secondary.subarray(0, 3)), Array.from(e.states.secondary.subarray(3, 6))];
      if (gcrf && !propagator) {
        const R = temeToGcrf(e.tcaMs);
        states = [mulMV(R, states[0]), mulMV(R, states[1]), mulMV(R, states[2]), mulMV(R, states[3])];
        frame = 'GCRF';
      }
      if (propagator && pe && se) {
        try {
          const r = await propagator.propagate({ subjects: [{ id: 'p', gp: pe.elements }, { id: 's', gp: se.elements }], times: { instantsUtc: [tcaUtc] }, frame: 'GCRF' });
          const [a, b] = r.outcomes;
          if (a?.ok && b?.ok) {
            states = [a.posKm[0], a.velKmS[0], b.posKm[0], b.velKmS[0]];
            frame = 'GCRF';
          }
        } catch (err) {
          this.deps.log?.warn(`states at TCA ${tcaUtc} in GCRF unavailable (${(err as Error).message}); TEME states kept`);
        }
      }
      const obj = (src: TrajectorySource, entry: CatalogEntry | undefined, pos: number[], vel: number[]): ConjunctionObject => {
        const o: ConjunctionObject = {
          objectId: src.id,
          stateAtTca: { epoch: { iso: tcaUtc.slice(0, -1), scale: 'UTC' }, frame, posKm: [pos[0], pos[1], pos[2]], velKmS: [vel[0], vel[1], vel[2]] },
          ephemerisSource: src.source,
        };
        if (src.noradId !== undefined) o.noradId = src.noradId;
        if (src.name) o.name = src.name;
        const hb = entry?.hardBody?.radiusM;
        if (hb !== undefined && hb > 0) {
          o.hardBodyRadiusM = hb;
          o.hardBodyRadiusSource = 'catalog';
        } else if (this.config.defaultHardBodyRadiusM !== null) {
          o.hardBodyRadiusM = this.config.defaultHardBodyRadiusM;
          o.hardBodyRadiusSource = 'config';
        }
        return o;
      };
      const g = e.geometry;
      out[i] = {
        id: eventId(e.primary.id, e.secondary.id, e.tcaMs),
        tcaUtc,
        missDistanceKm: g.missKm,
        relativeSpeedKmS: g.relativeSpeedKmS,
        relativePositionRtnKm: g.rtnPosKm,
        relativeVelocityRtnKmS: g.rtnVelKmS,
        primary: obj(e.primary, pe, states[0], states[1]),
        secondary: obj(e.secondary, se, states[2], states[3]),
        screeningVolume: { shape: e.volume.shape, sizeRtnKm: e.volume.sizeRtnKm },
        detectedAtUtc,
        detectedBy: MODULE_NAME,
        source: 'screening',
      };
    };
    // a few requests in flight at a time: the propagator may live in another process
    for (let i = 0; i < events.length; i += 16) await Promise.all(events.slice(i, i + 16).map((e, k) => one(e, i + k)));
    return out;
  }
}

/** Above this many events, GCRF states are rotated here instead of asked from the sgp4 service. */
export const SERVICE_STATES_MAX_EVENTS = 200;

/**
 * TEME → GCRF rotation at a UTC instant (sdk/astro/frames, IAU-76/FK5: TEME → TOD by the
 * equation of the equinoxes, then nutation, precession, frame bias). No EOP: UT1 and polar
 * motion do not enter this chain, and the celestial-pole offsets (≤ 1 mas) move a LEO state
 * by ≤ 3 cm; the velocity needs no ω × r term between these inertial frames.
 */
export function temeToGcrf(ms: number): Mat3 {
  const epoch = Epoch.fromMjd(ms / 86_400_000 + 40_587, 'UTC');
  const set = frameSetAtTimes({ jdTt: epoch.jd('TT'), jdUtc: epoch.jd('UTC') }, ZERO_EOP);
  return transformBetween(set, 'TEME', 'GCRF').rotation;
}

export function sphere(radiusKm: number): Volume {
  return { shape: 'sphere', sizeRtnKm: [radiusKm, radiusKm, radiusKm] };
}

function checkVolume(v: ScreeningVolume): Volume {
  if (!v || !['sphere', 'ellipsoid', 'box'].includes(v.shape)) throw new ScreeningRequestError(`volume.shape must be sphere, ellipsoid or box (got ${JSON.stringify(v?.shape)})`);
  if (!Array.isArray(v.sizeRtnKm) || v.sizeRtnKm.length !== 3 || !v.sizeRtnKm.every((x) => typeof x === 'number' && x > 0 && Number.isFinite(x))) {
    throw new ScreeningRequestError(`volume.sizeRtnKm must be three positive numbers, km (got ${JSON.stringify(v.sizeRtnKm)})`);
  }
  return { shape: v.shape, sizeRtnKm: [v.sizeRtnKm[0], v.sizeRtnKm[1], v.sizeRtnKm[2]] };
}
