import type { Conjunction, ConjunctionObject } from '../../interfaces/domain/conjunction';
import type { Catalog, CatalogEntry } from '../../interfaces/services/acquisition';
import type { ConjunctionScreener, ScreeningVolume } from '../../interfaces/services/collision';
import type { EphemerisService, Propagator } from '../../interfaces/services/propagation';
import { EphemerisSchema, type Ephemeris } from '../../interfaces/domain/ephemeris';
import { ZERO_EOP, frameSetAtTimes, transformBetween } from '../../sdk/astro/frames';
import { Epoch } from '../../sdk/astro/time';
import { mulMV, type Mat3 } from '../../sdk/astro/vec';
import type { PluginLogger } from '../../sdk/context';
import type { ScreeningConfig } from './config';
import { EphemerisSource, Sgp4Source, isoToMs, msToIso, type TrajectorySource } from './objects';
import { screenDistributed, type PartRequester } from './distributed';
import { screenInWorkers } from './parallel';
import { mergeEvents, screenPart, type Sampler, type ScreenEvent } from './screen';
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
      /** The `ephemeris` service when it runs (ephemeris primaries). */
      ephemeris?: () => EphemerisService | undefined;
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

    // Primaries: catalog objects (NORAD ids) and operator ephemerides (ids known to the
    // ephemeris module, or given inline), the latter screened each over the part of the window
    // its ephemeris covers.
    let primaries: TrajectorySource[];
    const ephemerisPrimaries: EphemerisPrimary[] = [];
    if (request.allVsAll) primaries = secondaries;
    else {
      const ids: number[] = [];
      request.primaries.forEach((p, i) => {
        const given = p ? [p.noradId !== undefined, p.ephemerisId !== undefined, p.ephemeris !== undefined].filter(Boolean).length : 0;
        if (given !== 1) throw new ScreeningRequestError(`primaries[${i}] must be exactly one of { noradId: number }, { ephemerisId: string } or { ephemeris: Ephemeris }`);
        if (typeof p.noradId === 'number') ids.push(p.noradId);
        else if (typeof p.ephemerisId === 'string') ephemerisPrimaries.push({ ephemerisId: p.ephemerisId });
        else if (p.ephemeris !== undefined) {
          const parsed = EphemerisSchema.safeParse(p.ephemeris);
          if (!parsed.success) throw new ScreeningRequestError(`primaries[${i}].ephemeris: ${parsed.error.issues.slice(0, 3).map((q) => `${q.path.join('.') || '(root)'}: ${q.message}`).join('; ')}`);
          ephemerisPrimaries.push({ ephemeris: parsed.data });
        } else throw new ScreeningRequestError(`primaries[${i}] must be { noradId: number }, { ephemerisId: string } or { ephemeris: Ephemeris }`);
      });
      const r = ids.length ? await catalog.get(ids) : { found: [], missing: [] };
      for (const id of r.missing) skipped.push({ id: String(id), reason: 'primary not in the catalog' });
      primaries = r.found.map(source).filter((s): s is Sgp4Source => s !== undefined);
    }
    const ephemerisJobs: { source: EphemerisSource; window: { startMs: number; stopMs: number } }[] = [];
    for (const ep of ephemerisPrimaries) {
      const job = await this.ephemerisSource(ep, startMs, stopMs, skipped);
      if (job) ephemerisJobs.push(job);
    }

    const f = this.config.filters;
    const tuning = { stepS: f.stepS, gridStepS: f.gridStepS, blockHours: f.blockHours, tcaToleranceS: f.tcaToleranceS, gridMinPrimaries: f.gridMinPrimaries };
    const volumeSpec = { ...(volumeOverride ? { override: volumeOverride } : {}), byRegime: this.config.volumes, fallback: sphere(this.config.missDistanceKm) };
    const dist = this.config.distributed;
    const catalogRun = request.allVsAll || primaries.length > 0 || ephemerisJobs.length === 0;
    const main = !catalogRun
      ? { events: [] as ScreenEvent[], stats: { pairs: 0, candidates: 0, refined: 0, skipped: [] as { id: string; reason: string }[] } }
      : dist.enabled && this.deps.requestPart
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
    // Ephemeris primaries: always screened here, also in distributed mode (their states are
    // not element sets a worker could rebuild, and a week of 60 s states is ~1.5 MB of JSON,
    // over the 512 kB part limit; README "Distributed screening"). Each against the
    // secondaries but its own object, over the part of the window its ephemeris covers.
    const parts: ScreenEvent[][] = [main.events];
    const stats = { pairs: main.stats.pairs, candidates: main.stats.candidates, refined: main.stats.refined, skipped: [...main.stats.skipped] };
    for (const job of ephemerisJobs) {
      const self = new Set(secondaries.filter((s) => sameObject(job.source, s)));
      const own = self.size ? secondaries.filter((s) => !self.has(s)) : secondaries;
      for (const s of self) skipped.push({ id: s.id, reason: `the object of ephemeris ${job.source.id} itself (${job.source.objectId}): not screened against its own ephemeris` });
      const r = await screenPart([job.source], own, job.window, {
        ...tuning,
        volumeFor: (p) => volumeOverride ?? this.volumeFor(p),
        shouldStop: () => this.deps.signal?.aborted === true,
        sampler: this.deps.sampler,
      });
      parts.push(r.events);
      stats.pairs += r.stats.pairs;
      stats.candidates += r.stats.candidates;
      stats.refined += r.stats.refined;
      stats.skipped.push(...r.stats.skipped);
    }
    const events = parts.length > 1 ? mergeEvents(parts) : main.events;
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

  /**
   * The screening object of an ephemeris primary, or undefined with the reason in `skipped`:
   * its span (from `list()`, or the points of a given ephemeris), the window clipped to it (a
   * clipped window is reported), and its TEME states every `ephemerisPrimaries.stepS` fetched
   * once from the `ephemeris` service — which interpolates with the ephemeris's own method and
   * segment rules and converts the frame (GCRF/EME2000/ITRF… → TEME through sdk/astro/frames,
   * with EOP from `eop.provider` when it runs: UT1 and polar motion enter for Earth-fixed
   * ephemerides) — plus the midpoints, against which the local interpolation is measured.
   */
  private async ephemerisSource(ep: EphemerisPrimary, startMs: number, stopMs: number, skipped: { id: string; reason: string }[]): Promise<{ source: EphemerisSource; window: { startMs: number; stopMs: number } } | undefined> {
    const label = ep.ephemerisId ?? `eph:${ep.ephemeris.objectId}`;
    const svc = this.deps.ephemeris?.();
    if (!svc) {
      skipped.push({ id: label, reason: "ephemeris primaries need the ephemeris module: no running plugin provides the service 'ephemeris' (enable the 'ephemeris' plugin); not screened" });
      return undefined;
    }
    let spanStartMs: number, spanStopMs: number, objectId: string, origin: string;
    let noradId: number | undefined, name: string | undefined;
    try {
      if (ep.ephemerisId !== undefined) {
        const all = await svc.list();
        const e = all.find((x) => x.ephemerisId === ep.ephemerisId);
        if (!e) {
          skipped.push({ id: label, reason: `no ephemeris '${ep.ephemerisId}' in the ephemeris module (its list() has ${all.length}${all.length ? `: ${all.slice(0, 5).map((x) => x.ephemerisId).join(', ')}${all.length > 5 ? ', …' : ''}` : ''}); not screened` });
          return undefined;
        }
        spanStartMs = isoToMs(e.startUtc);
        spanStopMs = isoToMs(e.stopUtc);
        objectId = e.objectId;
        origin = `ephemeris ${e.ephemerisId} (${e.source}, ${e.frame})`;
      } else {
        const eph = ep.ephemeris;
        spanStartMs = utcMsOf(eph.points[0].epoch, eph.timeScale);
        spanStopMs = utcMsOf(eph.points[eph.points.length - 1].epoch, eph.timeScale);
        objectId = eph.objectId;
        noradId = eph.noradId;
        name = eph.objectName;
        origin = `ephemeris of ${eph.objectId} given in the request (${eph.source ?? 'no source named'}, ${eph.frame})`;
      }
    } catch (err) {
      skipped.push({ id: label, reason: `ephemeris module: ${(err as Error).message}; not screened` });
      return undefined;
    }
    if (noradId === undefined && /^\d{1,9}$/.test(objectId)) noradId = Number(objectId);
    // Whole microseconds inside the span: instants travel as ISO text to the microsecond.
    spanStartMs = Math.ceil(spanStartMs * 1000 - 1e-6) / 1000;
    spanStopMs = Math.floor(spanStopMs * 1000 + 1e-6) / 1000;
    const a = Math.round(Math.max(startMs, spanStartMs) * 1000) / 1000;
    const b = Math.round(Math.min(stopMs, spanStopMs) * 1000) / 1000;
    const span = `${msToIso(spanStartMs)} → ${msToIso(spanStopMs)}`;
    if (!(b > a)) {
      skipped.push({ id: label, reason: `ephemeris covers ${span}, outside the window ${msToIso(startMs)} → ${msToIso(stopMs)}: not screened` });
      return undefined;
    }
    if (a > startMs || b < stopMs) skipped.push({ id: label, reason: `ephemeris covers ${span} only: screened over ${msToIso(a)} → ${msToIso(b)}, not over the rest of the window (no events can be reported there)` });

    const cfg = this.config.ephemerisPrimaries;
    const stepMs = cfg.stepS * 1000;
    const grid: number[] = [];
    for (let k = 0; a + k * stepMs < b - 1; k++) grid.push(Math.round((a + k * stepMs) * 1000) / 1000);
    grid.push(b);
    const mids = grid.slice(1).map((t, i) => Math.round(((grid[i] + t) / 2) * 1000) / 1000);
    const instants = [...grid, ...mids];
    const pv = new Float64Array(6 * instants.length);
    try {
      for (let i = 0; i < instants.length; i += cfg.batch) {
        const batch = instants.slice(i, i + cfg.batch);
        const states = await svc.interpolate({ ...(ep.ephemerisId !== undefined ? { ephemerisId: ep.ephemerisId } : { ephemeris: ep.ephemeris }), instantsUtc: batch.map(msToIso), frame: 'TEME' });
        if (!Array.isArray(states) || states.length !== batch.length) throw new Error(`interpolate returned ${Array.isArray(states) ? states.length : 'no'} states for ${batch.length} instants`);
        states.forEach((st, k) => {
          if (st.frame !== 'TEME') throw new Error(`interpolate returned a ${st.frame} state where TEME was asked`);
          pv.set([...st.posKm, ...st.velKmS], 6 * (i + k));
        });
      }
    } catch (err) {
      skipped.push({ id: label, reason: `ephemeris module: ${(err as Error).message}; not screened` });
      return undefined;
    }
    let source: EphemerisSource;
    try {
      source = new EphemerisSource(
        { id: label, objectId, ...(noradId !== undefined ? { noradId } : {}), ...(name ? { name } : {}), source: origin },
        { tMs: Float64Array.from(grid), pv: pv.subarray(0, 6 * grid.length) },
        { blockHours: this.config.filters.blockHours, continuationS: this.config.filters.stepS },
      );
      source.checkMidpoints(Float64Array.from(mids), pv.subarray(6 * grid.length));
    } catch (err) {
      skipped.push({ id: label, reason: `${(err as Error).message}; not screened` });
      return undefined;
    }
    const errM = source.resampleErrorKm * 1000;
    source.source = `${origin}, TEME states from the ephemeris service every ${cfg.stepS} s, Lagrange 7 between them (≤ ${errM.toPrecision(2)} m from the module's own interpolation at the midpoints)`;
    if (errM > 1) this.deps.log?.warn(`ephemeris primary ${label}: the ${cfg.stepS} s re-sampling departs from the ephemeris by up to ${errM.toFixed(1)} m (at ${msToIso(source.resampleErrorAtMs)}: a manoeuvre or segment boundary?); TCAs near there are accurate to that much; a smaller ephemerisPrimaries.stepS helps`);
    return { source, window: { startMs: a, stopMs: b } };
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
      // catalog data by NORAD id (an ephemeris primary of a catalog object gets its hard-body radius)
      const pe = e.primary.noradId !== undefined ? entries.get(e.primary.noradId) : undefined;
      const se = e.secondary.noradId !== undefined ? entries.get(e.secondary.noradId) : undefined;
      // GCRF through the sgp4 service for two element-set objects; an ephemeris primary's pair is
      // rotated here (one rotation for both: the relative geometry is unchanged).
      const viaService = propagator !== undefined && e.primary instanceof Sgp4Source && e.secondary instanceof Sgp4Source && pe !== undefined && se !== undefined;
      let frame: 'GCRF' | 'TEME' = 'TEME';
      let states: [number[], number[], number[], number[]] = [Array.from(e.states.primary.subarray(0, 3)), Array.from(e.states.primary.subarray(3, 6)), Array.from(e.states.secondary.subarray(0, 3)), Array.from(e.states.secondary.subarray(3, 6))];
      if (gcrf && !viaService) {
        const R = temeToGcrf(e.tcaMs);
        states = [mulMV(R, states[0]), mulMV(R, states[1]), mulMV(R, states[2]), mulMV(R, states[3])];
        frame = 'GCRF';
      }
      if (viaService) {
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
          objectId: src.objectId ?? src.id,
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

type EphemerisPrimary = { ephemerisId: string; ephemeris?: undefined } | { ephemeris: Ephemeris; ephemerisId?: undefined };

/** UTC ms since 1970 of an epoch written in a time scale (sdk/astro/time, leap seconds applied). */
function utcMsOf(iso: string, scale: Ephemeris['timeScale']): number {
  return isoToMs(Epoch.parse(iso, scale).toIso('UTC', 6));
}

/** The ephemeris describes this catalog object (same NORAD id, or same international designator). */
function sameObject(e: EphemerisSource, s: Sgp4Source): boolean {
  return (e.noradId !== undefined && e.noradId === s.noradId) || (s.elements.objectId !== undefined && s.elements.objectId === e.objectId);
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
