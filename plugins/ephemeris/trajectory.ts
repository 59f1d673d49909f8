import type { Frame, TimeScaleName } from '../../interfaces/domain/common';
import type { Ephemeris } from '../../interfaces/domain/ephemeris';
import { Epoch, type TimeScale } from '../../sdk/astro/time';
import { interpolateState, InterpolationError, samplesFor, type InterpolationMethod } from './interpolate';

/** A method and degree (the ephemeris's recommendation, a request's choice or the configured default). */
export interface InterpolationChoice {
  method: InterpolationMethod;
  degree: number;
}

/** One continuous piece of trajectory (an OEM segment): samples and the window where it may be interpolated. */
export interface TrajectorySegment {
  /** Epoch of the first sample; sample times are SI seconds from it. */
  readonly ref: Epoch;
  readonly tS: Float64Array;
  readonly posVelKm: Float64Array;
  /** Interpolation window, seconds from `ref` (within the samples). */
  readonly fromS: number;
  readonly toS: number;
  /** The window as text in the trajectory's time scale (for messages and listings). */
  readonly fromText: string;
  readonly toText: string;
  /** The producer's recommendation (OEM INTERPOLATION / INTERPOLATION_DEGREE), if any. */
  readonly interpolation?: InterpolationChoice;
}

export interface TrajectoryInfo {
  objectId: string;
  objectName?: string;
  noradId?: number;
  centre: string;
  frame: Frame;
  timeScale: TimeScaleName;
  source: string;
}

/** Time scales whose epochs can be read without extra data (UT1 would need EOP). */
export const SUPPORTED_SCALES: readonly TimeScaleName[] = ['UTC', 'TAI', 'TT', 'GPS', 'TDB'];

export function parseEpoch(text: string, scale: TimeScaleName, what: string): Epoch {
  if (!(SUPPORTED_SCALES as readonly string[]).includes(scale)) throw new InterpolationError(`${what}: time scale ${scale} is not supported for ephemerides (${SUPPORTED_SCALES.join(', ')})`);
  try {
    return Epoch.parse(text, scale as TimeScale);
  } catch (err) {
    throw new InterpolationError(`${what}: ${(err as Error).message}`);
  }
}

/**
 * Builds a segment from epochs (texts in `scale`) and 6-value states. Epochs must strictly
 * increase (two states at one instant cannot be interpolated); the window defaults to the
 * samples' span and is clipped to it.
 */
export function buildSegment(
  epochs: readonly string[],
  posVelKm: Float64Array,
  scale: TimeScaleName,
  opts: { what: string; windowStart?: string; windowStop?: string; interpolation?: InterpolationChoice },
): TrajectorySegment {
  const n = epochs.length;
  if (n === 0) throw new InterpolationError(`${opts.what}: no state`);
  if (posVelKm.length !== 6 * n) throw new InterpolationError(`${opts.what}: ${n} epochs but ${posVelKm.length / 6} states`);
  for (let i = 0; i < posVelKm.length; i++) if (!Number.isFinite(posVelKm[i])) throw new InterpolationError(`${opts.what}: state ${Math.floor(i / 6) + 1} (${epochs[Math.floor(i / 6)]}) holds a value that is not a finite number`);
  const ref = parseEpoch(epochs[0], scale, `${opts.what}: state 1`);
  const tS = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    tS[i] = parseEpoch(epochs[i], scale, `${opts.what}: state ${i + 1}`).minus(ref);
    if (!(tS[i] > tS[i - 1])) throw new InterpolationError(`${opts.what}: state ${i + 1} epoch ${epochs[i]} is not after state ${i} epoch ${epochs[i - 1]} (epochs must strictly increase)`);
  }
  let fromS = 0;
  let toS = tS[n - 1];
  let fromText = epochs[0];
  let toText = epochs[n - 1];
  if (opts.windowStart !== undefined) {
    const s = parseEpoch(opts.windowStart, scale, `${opts.what}: window start`).minus(ref);
    if (s > fromS) {
      fromS = s;
      fromText = opts.windowStart;
    }
  }
  if (opts.windowStop !== undefined) {
    const s = parseEpoch(opts.windowStop, scale, `${opts.what}: window stop`).minus(ref);
    if (s < toS) {
      toS = s;
      toText = opts.windowStop;
    }
  }
  if (toS < fromS) throw new InterpolationError(`${opts.what}: the useable window ${fromText} … ${toText} holds no instant covered by the states (${epochs[0]} … ${epochs[n - 1]})`);
  return { ref, tS, posVelKm, fromS, toS, fromText, toText, ...(opts.interpolation ? { interpolation: opts.interpolation } : {}) };
}

/** The interpolation recommended by a domain ephemeris (`linear` is Lagrange of degree 1). */
export function choiceOf(e: Pick<Ephemeris, 'interpolation'>): InterpolationChoice | undefined {
  const i = e.interpolation;
  if (!i) return undefined;
  return i.method === 'linear' ? { method: 'lagrange', degree: 1 } : { method: i.method, degree: i.degree };
}

/**
 * An ephemeris made of one or more segments of one object in one frame and time scale.
 *
 * Policy at the edges (documented in the README):
 * - no extrapolation: an instant outside every segment's window is refused, naming the
 *   instant and the windows;
 * - stencils never cross a segment boundary (a segment boundary is usually a manoeuvre or a
 *   change of solution): near the ends of a segment the stencil shifts inwards;
 * - where windows touch or overlap, the LATER segment (in file order) is used: at a shared
 *   boundary instant that gives the state after the discontinuity;
 * - an instant in a gap between segments is refused, naming the gap.
 */
export class Trajectory {
  constructor(
    readonly info: TrajectoryInfo,
    readonly segments: readonly TrajectorySegment[],
  ) {
    if (segments.length === 0) throw new InterpolationError(`${info.source}: no segment`);
  }

  get points(): number {
    return this.segments.reduce((n, s) => n + s.tS.length, 0);
  }

  /** First and last instants that can be interpolated. */
  window(): { start: Epoch; stop: Epoch; startText: string; stopText: string } {
    let first = this.segments[0];
    let last = this.segments[0];
    for (const s of this.segments) {
      if (s.ref.plusSeconds(s.fromS).compare(first.ref.plusSeconds(first.fromS)) < 0) first = s;
      if (s.ref.plusSeconds(s.toS).compare(last.ref.plusSeconds(last.toS)) > 0) last = s;
    }
    return { start: first.ref.plusSeconds(first.fromS), stop: last.ref.plusSeconds(last.toS), startText: first.fromText, stopText: last.toText };
  }

  /** The segment used at an instant (later segments first), or the reason there is none. */
  segmentAt(epoch: Epoch): TrajectorySegment | string {
    for (let k = this.segments.length - 1; k >= 0; k--) {
      const s = this.segments[k];
      const t = epoch.minus(s.ref);
      if (t >= s.fromS && t <= s.toS) return s;
    }
    const windows = this.segments.map((s) => `${s.fromText} … ${s.toText}`);
    const w = this.window();
    if (epoch.compare(w.start) < 0 || epoch.compare(w.stop) > 0) {
      return `outside the ephemeris (${this.info.timeScale} ${w.startText} … ${w.stopText}): no extrapolation`;
    }
    return `in a gap between segments (${this.info.timeScale} windows: ${windows.join(', ')})`;
  }

  /**
   * States at the instants, in this trajectory's frame. `choice` overrides each segment's own
   * recommendation; `fallback` is used where a segment has none. Throws InterpolationError
   * naming the first instants that cannot be served (no partial answer).
   */
  statesAt(epochs: readonly Epoch[], labels: readonly string[], choice: InterpolationChoice | undefined, fallback: InterpolationChoice): { posKm: [number, number, number]; velKmS: [number, number, number]; degree: number }[] {
    const segs = epochs.map((e) => this.segmentAt(e));
    const bad = segs.map((s, i) => (typeof s === 'string' ? `${labels[i]} is ${s}` : '')).filter((x) => x);
    if (bad.length) throw new InterpolationError(`ephemeris of ${this.info.objectId} (${this.info.source}): ${bad.length} instant(s) cannot be interpolated: ${bad.slice(0, 3).join('; ')}${bad.length > 3 ? '; …' : ''}`);
    const out = new Float64Array(6);
    return epochs.map((e, i) => {
      const s = segs[i] as TrajectorySegment;
      const c = choice ?? s.interpolation ?? fallback;
      const used = interpolateState(s, e.minus(s.ref), c.method, c.degree, out);
      const degree = c.method === 'lagrange' ? used - 1 : 2 * used - 1;
      return { posKm: [out[0], out[1], out[2]], velKmS: [out[3], out[4], out[5]], degree };
    });
  }

  /** Checks a choice once (so a bad degree is reported before any work). */
  static checkChoice(c: InterpolationChoice): void {
    samplesFor(c.method, c.degree);
  }
}

/** A trajectory from a domain Ephemeris (one segment; its points' span is the window). */
export function trajectoryFromEphemeris(e: Ephemeris, source: string): Trajectory {
  const pv = new Float64Array(6 * e.points.length);
  e.points.forEach((p, i) => pv.set([...p.posKm, ...p.velKmS], 6 * i));
  const interpolation = choiceOf(e);
  const seg = buildSegment(
    e.points.map((p) => p.epoch),
    pv,
    e.timeScale,
    { what: `ephemeris of ${e.objectId}`, ...(interpolation ? { interpolation } : {}) },
  );
  return new Trajectory(
    { objectId: e.objectId, ...(e.objectName !== undefined ? { objectName: e.objectName } : {}), ...(e.noradId !== undefined ? { noradId: e.noradId } : {}), centre: e.centre, frame: e.frame, timeScale: e.timeScale, source },
    [seg],
  );
}
