/**
 * Event detection on the dense output: zero crossings of user functions g(t, y) located
 * by Brent's root finder inside each accepted step.
 *
 * Within a step [t₀, t₁] each g is sampled at the step end and, if `maxCheck` is given,
 * every `maxCheck` units of t, on the continuous extension; a sign change between two
 * samples brackets a root, which Brent's method narrows to the event's time tolerance.
 * Two roots of the same g closer than `maxCheck` (or within one step when no maxCheck is
 * given) cancel out and are missed: choose maxCheck below half the shortest interval
 * between roots. Zeros of g that do not change its sign (tangencies) are not events.
 */

export type EventDirection = 'increasing' | 'decreasing' | 'both';

/** What the integration does after an event: go on, stop there, or jump to a new state. */
export type EventAction = 'continue' | 'stop' | { reset: ArrayLike<number> };

export interface EventFunction {
  /** Switching function; an event is a sign change of g along the solution. `y` is reused: do not keep it. */
  g: (t: number, y: Float64Array) => number;
  /**
   * Which crossings count: g increasing with time t (− → + as t grows), decreasing, or
   * both (default). Defined against t, not the integration direction, so an ascending
   * node is 'increasing' whether the orbit is integrated forward or backward.
   */
  direction?: EventDirection;
  /** Largest interval of t sampled without a sign check (default: the whole step). */
  maxCheck?: number;
  /** Time tolerance of the located root, in the units of t (default 1e-6). */
  tolerance?: number;
  /**
   * Called at each event with the state there (a copy the handler may keep); the returned
   * action applies to the integration (default 'continue').
   */
  onEvent?: (t: number, y: Float64Array, index: number) => EventAction | void;
}

export interface EventHit {
  /** Index of the event function in the list given. */
  index: number;
  /** Event time: the end of the final bracket on the far side of the root (|t − root| ≤ tolerance). */
  t: number;
  /** True when g increases with t across the event (− → + as t grows). */
  increasing: boolean;
}

/** Dense state provider for the current step: writes y(t) into `out`. */
export type DenseFunction = (t: number, out: Float64Array) => Float64Array;

export interface RootResult {
  /** Final bracket [a, b] (a nearer the start), the root lies in it; |b − a| ≤ tolerance. */
  a: number;
  b: number;
  /** g(a), g(b). */
  ga: number;
  gb: number;
  /** Function evaluations used. */
  evaluations: number;
}

/**
 * Brent's method ("zero", R. P. Brent, "Algorithms for Minimization without Derivatives",
 * Prentice-Hall 1973, ch. 4): inverse quadratic interpolation or secant steps, falling
 * back to bisection, always keeping a sign-changing bracket; converges superlinearly yet
 * never needs more than about (log₂(|b−a|/tol))² evaluations.
 *
 * Requires g(a) and g(b) of opposite signs (or one of them zero). Returns the final
 * bracket, oriented like the input (a first), of width ≤ tolerance.
 */
export function brentRoot(g: (t: number) => number, a0: number, b0: number, ga0: number, gb0: number, tolerance: number, maxIter = 200): RootResult {
  if (!(tolerance > 0)) throw new RangeError(`brentRoot: tolerance must be > 0, got ${tolerance}`);
  if (ga0 === 0) return { a: a0, b: a0, ga: 0, gb: 0, evaluations: 0 };
  if (gb0 === 0) return { a: b0, b: b0, ga: 0, gb: 0, evaluations: 0 };
  if (Math.sign(ga0) === Math.sign(gb0)) {
    throw new RangeError(`brentRoot: g(${a0}) = ${ga0} and g(${b0}) = ${gb0} do not bracket a root`);
  }
  // Brent's variables: b is the best estimate, c the other end of the bracket, a the previous b.
  let a = a0;
  let fa = ga0;
  let b = b0;
  let fb = gb0;
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  let evaluations = 0;
  for (let iter = 0; iter < maxIter; iter++) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tolerance;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol1 || fb === 0) break;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * m * s; // secant
        q = 1 - s;
      } else {
        const qq = fa / fc; // inverse quadratic interpolation
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : m > 0 ? tol1 : -tol1;
    fb = g(b);
    evaluations++;
  }
  if (fb === 0) return { a: b, b, ga: 0, gb: 0, evaluations };
  // Orient the bracket {b, c} like the input interval.
  const forward = b0 > a0;
  const [lo, glo, hi, ghi] = b < c === forward ? [b, fb, c, fc] : [c, fc, b, fb];
  return { a: lo, b: hi, ga: glo, gb: ghi, evaluations };
}

/**
 * Tracks the sign of each event function along the integration and finds the crossings
 * inside each step. Allocates its scratch state once.
 */
export class EventDetector {
  private readonly lastSign: Int8Array;
  private readonly scratch: Float64Array;

  constructor(
    readonly events: readonly EventFunction[],
    n: number,
  ) {
    events.forEach((ev, i) => {
      if (typeof ev.g !== 'function') throw new TypeError(`events[${i}].g must be a function`);
      if (ev.maxCheck !== undefined && !(ev.maxCheck > 0)) throw new RangeError(`events[${i}].maxCheck must be > 0, got ${ev.maxCheck}`);
      if (ev.tolerance !== undefined && !(ev.tolerance > 0)) throw new RangeError(`events[${i}].tolerance must be > 0, got ${ev.tolerance}`);
      if (ev.direction !== undefined && !['increasing', 'decreasing', 'both'].includes(ev.direction)) {
        throw new RangeError(`events[${i}].direction must be 'increasing', 'decreasing' or 'both', got '${String(ev.direction)}'`);
      }
    });
    this.lastSign = new Int8Array(events.length);
    this.scratch = new Float64Array(n);
  }

  /**
   * (Re)starts sign tracking at (t, y): at the initial point and after a state jump. A g
   * that is exactly 0 there takes its sign from the first nonzero value after it, without
   * an event, so an event that fired at a reset is not reported twice.
   */
  init(t: number, y: Float64Array): void {
    this.events.forEach((ev, i) => {
      this.lastSign[i] = signOf(ev.g(t, y), i, t);
    });
  }

  /**
   * Crossings inside the step [t0, t1] (in the integration's direction), in chronological
   * order across all event functions; updates the tracked signs to the step end.
   * `yEnd` is the state at t1 (exact end of the step, not interpolated).
   */
  scan(t0: number, t1: number, yEnd: Float64Array, dense: DenseFunction): EventHit[] {
    const hits: EventHit[] = [];
    const span = t1 - t0;
    if (span === 0) return hits;
    const y = this.scratch;
    const forward = span > 0;
    this.events.forEach((ev, i) => {
      const g = (t: number): number => ev.g(t, dense(t, y));
      const samples = ev.maxCheck ? Math.max(1, Math.ceil(Math.abs(span) / ev.maxCheck)) : 1;
      let ta = t0;
      let ga: number | undefined; // g at ta; evaluated lazily at t0 (only its sign is tracked across steps)
      for (let s = 1; s <= samples; s++) {
        const tb = s === samples ? t1 : t0 + (span * s) / samples;
        const gb = s === samples ? ev.g(t1, yEnd) : g(tb);
        const sb = signOf(gb, i, tb);
        if (sb === 0) continue; // a zero sample neither makes nor breaks a bracket
        if (this.lastSign[i] !== 0 && sb !== this.lastSign[i]) {
          const increasing = sb > 0 === forward; // sign order along t, whichever way we integrate
          const dir = ev.direction ?? 'both';
          if (dir === 'both' || (dir === 'increasing') === increasing) {
            const gaVal = ga ?? g(t0);
            const root = gaVal === 0 || Math.sign(gaVal) === sb ? { a: ta, b: ta } : brentRoot(g, ta, tb, gaVal, gb, ev.tolerance ?? 1e-6);
            hits.push({ index: i, t: root.b, increasing });
          }
        }
        this.lastSign[i] = sb;
        ta = tb;
        ga = gb;
      }
    });
    const dir = span > 0 ? 1 : -1;
    hits.sort((p, q) => dir * (p.t - q.t) || p.index - q.index);
    return hits;
  }
}

function signOf(v: number, index: number, t: number): -1 | 0 | 1 {
  if (Number.isNaN(v)) throw new RangeError(`event ${index}: g(${t}) is NaN`);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/**
 * Golden-section search for the minimum of f on [lo, hi] (Kiefer 1953; Press et al., Numerical
 * Recipes 3rd ed. §10.2): the bracket shrinks by 0.618 per evaluation until it is narrower than
 * `tolerance`; returns its midpoint. Needs no derivative — for a function whose derivative is
 * noisy or unavailable (e.g. the range between two SGP4 trajectories near a slow encounter).
 * f must be unimodal on [lo, hi] for the result to be the minimum; otherwise it is a local one.
 * Accuracy is limited to about √ε·|x| (f is flat to rounding that close to its minimum).
 */
export function goldenSectionMin(f: (t: number) => number, lo: number, hi: number, tolerance: number): number {
  const g = 0.3819660112501051; // (3 − √5)/2
  let a = lo, b = hi;
  let x1 = a + g * (b - a), x2 = b - g * (b - a);
  let f1 = f(x1), f2 = f(x2);
  while (b - a > tolerance) {
    if (f1 < f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = a + g * (b - a);
      f1 = f(x1);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = b - g * (b - a);
      f2 = f(x2);
    }
  }
  return 0.5 * (a + b);
}
