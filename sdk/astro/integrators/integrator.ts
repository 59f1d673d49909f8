import {
  DP54,
  DP853,
  DP853_BHH,
  DP853_EXTRA_A,
  DP853_EXTRA_C,
  RK4,
  dp54DenseWeights,
  dp853DenseWeights,
  rk4DenseWeights,
  type ButcherTableau,
} from './tableaus';

/**
 * A step-by-step explicit Runge–Kutta integrator for y' = f(t, y) with adaptive step
 * control (DP5(4), DOP853) or a fixed step (RK4, or either Dormand–Prince method without
 * error control), dense output over the last step, and restart after a state jump.
 *
 * Propagators drive it one step at a time (`step()`, then `dense(t)` inside the step);
 * `integrate()` in ./integrate builds output times, events and callbacks on top of it.
 * All scratch arrays are allocated once; a step allocates nothing.
 */

/** Right-hand side: writes f(t, y) into `dydt` (never keep `y` or `dydt`: they are reused). */
export type OdeFunction = (t: number, y: Float64Array, dydt: Float64Array) => void;

export type IntegrationMethod = 'rk4' | 'dp54' | 'dp853';

export type IntegrationErrorReason = 'INPUT' | 'MIN_STEP' | 'MAX_STEPS' | 'NON_FINITE' | 'ABORTED';

/** Raised when the integration cannot go on; `t` and `h` say where it stopped. */
export class IntegrationError extends Error {
  constructor(
    readonly reason: IntegrationErrorReason,
    message: string,
    readonly t?: number,
    readonly h?: number,
  ) {
    super(message);
    this.name = 'IntegrationError';
  }
}

export interface StepperOptions {
  method: IntegrationMethod;
  /** Relative tolerance, scalar or per component (default 1e-10). */
  rtol?: number | ArrayLike<number>;
  /** Absolute tolerance in the units of y, scalar or per component (default 1e-10). */
  atol?: number | ArrayLike<number>;
  /**
   * Fixed step size (magnitude, in the units of t). Required for 'rk4'; for 'dp54' and
   * 'dp853' it switches error control off (every step accepted), e.g. for order studies.
   */
  step?: number;
  /** Initial step magnitude; default: HNW §II.4 starting-step algorithm. */
  h0?: number;
  /** Largest step magnitude (default: no limit but the interval). */
  hMax?: number;
  /** Smallest step magnitude before giving up (default 0: only the round-off floor 16 ε |t|). */
  hMin?: number;
  /** Most step attempts (accepted + rejected), default 500 000. */
  maxSteps?: number;
  /** Safety factor of the step-size controller (default 0.9, as DOPRI5/DOP853). */
  safety?: number;
  /** Smallest factor h_new/h (default 0.2 for dp54, 1/3 for dp853, as DOPRI5/DOP853). */
  minFactor?: number;
  /** Largest factor h_new/h (default 10 for dp54, 6 for dp853, as DOPRI5/DOP853). */
  maxFactor?: number;
  /**
   * 'pi' (default): Gustafsson's PI controller with β = 0.04 for dp54 (DOPRI5's choice,
   * HNW §II.4 and IV.2); 'standard': the elementary controller, β = 0 (DOP853's default).
   */
  controller?: 'pi' | 'standard';
}

export interface IntegratorStats {
  /** Accepted steps. */
  steps: number;
  /** Rejected step attempts. */
  rejected: number;
  /** Right-hand-side evaluations (including the start-up and dense-output stages). */
  evaluations: number;
}

const EPS = Number.EPSILON;

interface MethodSpec {
  tableau: ButcherTableau;
  /** Number of stage arrays to keep (incl. FSAL and dense stages). */
  stageArrays: number;
  /** Exponent order q of the controller: h_new ∝ err^(−1/q). */
  q: number;
  defaults: { minFactor: number; maxFactor: number; beta: number };
}

const METHODS: Record<IntegrationMethod, MethodSpec> = {
  rk4: { tableau: RK4, stageArrays: 4, q: 4, defaults: { minFactor: 0.2, maxFactor: 10, beta: 0 } },
  // HNW §II.5: DOPRI5 uses q = 5 (order of the lower-order solution + 1), fac ∈ [0.2, 10], β = 0.04.
  dp54: { tableau: DP54, stageArrays: 7, q: 5, defaults: { minFactor: 0.2, maxFactor: 10, beta: 0.04 } },
  // HNW §II.10: DOP853's combined estimate behaves like h⁸, so q = 8; fac ∈ [1/3, 6], β = 0.
  dp853: { tableau: DP853, stageArrays: 16, q: 8, defaults: { minFactor: 1 / 3, maxFactor: 6, beta: 0 } },
};

function perComponent(name: string, v: number | ArrayLike<number> | undefined, n: number, dflt: number): Float64Array {
  const out = new Float64Array(n);
  if (v === undefined || typeof v === 'number') {
    const x = v ?? dflt;
    if (!(x >= 0) || !Number.isFinite(x)) throw new IntegrationError('INPUT', `${name} must be a finite number ≥ 0, got ${x}`);
    out.fill(x);
    return out;
  }
  if (v.length !== n) throw new IntegrationError('INPUT', `${name} has ${v.length} components but y0 has ${n}`);
  for (let i = 0; i < n; i++) {
    if (!(v[i] >= 0) || !Number.isFinite(v[i])) throw new IntegrationError('INPUT', `${name}[${i}] must be a finite number ≥ 0, got ${v[i]}`);
    out[i] = v[i];
  }
  return out;
}

function positiveOption(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!(v > 0)) throw new IntegrationError('INPUT', `${name} must be > 0, got ${v}`);
  return v;
}

export class Integrator {
  readonly n: number;
  readonly method: IntegrationMethod;
  /** +1 forward in time, −1 backward. */
  readonly direction: 1 | -1;
  readonly tEnd: number;
  /** Current time and state (updated in place by `step()`; copy what you keep). */
  t: number;
  readonly y: Float64Array;
  /** Start of the last accepted step; `dense()` is valid on [tPrev, t]. */
  tPrev: number;
  readonly stats: IntegratorStats = { steps: 0, rejected: 0, evaluations: 0 };

  private readonly f: OdeFunction;
  private readonly spec: MethodSpec;
  private readonly rtol: Float64Array;
  private readonly atol: Float64Array;
  private readonly fixedStep: number | undefined;
  private readonly hMax: number;
  private readonly hMin: number;
  private readonly maxSteps: number;
  private readonly safety: number;
  private readonly minFactor: number;
  private readonly maxFactor: number;
  private readonly beta: number;

  private readonly yPrev: Float64Array;
  private readonly yNew: Float64Array;
  private readonly yStage: Float64Array;
  private readonly acc: Float64Array;
  /** Stage derivatives k_i of the last step (k[0] = f(tPrev, yPrev)), plus FSAL/dense stages. */
  private readonly k: Float64Array[];
  /** f(t, y) at the current point: the first stage of the next step. */
  private readonly fNow: Float64Array;
  private readonly denseW: Float64Array;
  /** Signed step of the last accepted step (t − tPrev); 0 before the first step. */
  private hLast = 0;
  /** Signed size proposed for the next step. */
  private hNext: number;
  private errPrev = 1e-4;
  private denseStagesReady = false;

  constructor(f: OdeFunction, t0: number, y0: ArrayLike<number>, tEnd: number, options: StepperOptions) {
    const spec = METHODS[options.method];
    if (!spec) throw new IntegrationError('INPUT', `unknown method '${String(options.method)}' (expected rk4, dp54 or dp853)`);
    if (!Number.isFinite(t0)) throw new IntegrationError('INPUT', `t0 must be finite, got ${t0}`);
    if (!Number.isFinite(tEnd)) throw new IntegrationError('INPUT', `tEnd must be finite, got ${tEnd}`);
    const n = y0.length;
    if (n === 0) throw new IntegrationError('INPUT', 'y0 is empty');
    for (let i = 0; i < n; i++) if (!Number.isFinite(y0[i])) throw new IntegrationError('INPUT', `y0[${i}] must be finite, got ${y0[i]}`);
    this.f = f;
    this.n = n;
    this.method = options.method;
    this.spec = spec;
    this.direction = tEnd >= t0 ? 1 : -1;
    this.tEnd = tEnd;
    this.t = t0;
    this.tPrev = t0;
    this.y = Float64Array.from(y0);
    this.rtol = perComponent('rtol', options.rtol, n, 1e-10);
    this.atol = perComponent('atol', options.atol, n, 1e-10);
    for (let i = 0; i < n; i++) {
      if (this.rtol[i] === 0 && this.atol[i] === 0) throw new IntegrationError('INPUT', `rtol[${i}] and atol[${i}] are both 0: no error scale for component ${i}`);
    }
    if (options.step !== undefined && !(options.step > 0 && Number.isFinite(options.step))) {
      throw new IntegrationError('INPUT', `step must be a finite number > 0, got ${options.step}`);
    }
    if (options.method === 'rk4' && options.step === undefined) {
      throw new IntegrationError('INPUT', "method 'rk4' has no error estimate: give a fixed step size 'step'");
    }
    this.fixedStep = options.step;
    this.hMax = positiveOption('hMax', options.hMax, Infinity);
    this.hMin = options.hMin ?? 0;
    if (!(this.hMin >= 0)) throw new IntegrationError('INPUT', `hMin must be ≥ 0, got ${options.hMin}`);
    this.maxSteps = positiveOption('maxSteps', options.maxSteps, 500_000);
    this.safety = positiveOption('safety', options.safety, 0.9);
    this.minFactor = positiveOption('minFactor', options.minFactor, spec.defaults.minFactor);
    this.maxFactor = positiveOption('maxFactor', options.maxFactor, spec.defaults.maxFactor);
    if (this.minFactor > 1 || this.maxFactor < 1) {
      throw new IntegrationError('INPUT', `need minFactor ≤ 1 ≤ maxFactor, got ${this.minFactor} and ${this.maxFactor}`);
    }
    this.beta = (options.controller ?? 'pi') === 'pi' ? spec.defaults.beta : 0;

    this.yPrev = Float64Array.from(y0);
    this.yNew = new Float64Array(n);
    this.yStage = new Float64Array(n);
    this.acc = new Float64Array(n);
    this.k = Array.from({ length: spec.stageArrays }, () => new Float64Array(n));
    this.fNow = new Float64Array(n);
    this.denseW = new Float64Array(spec.stageArrays);

    this.evalInto(t0, this.y, this.fNow);
    const span = Math.abs(tEnd - t0);
    let h: number;
    if (this.fixedStep !== undefined) h = this.fixedStep;
    else if (options.h0 !== undefined) h = positiveOption('h0', options.h0, 0);
    else h = this.initialStep(t0);
    this.hNext = this.direction * Math.min(h, this.hMax, span > 0 ? span : h);
  }

  /** True once t has reached tEnd. */
  get done(): boolean {
    return this.t === this.tEnd;
  }

  /** Signed size of the last accepted step (0 before the first one or after a restart). */
  get lastStep(): number {
    return this.hLast;
  }

  /**
   * Takes one accepted step towards tEnd (never past it), retrying with smaller steps
   * while the error estimate exceeds the tolerance.
   */
  step(): void {
    if (this.done) throw new IntegrationError('INPUT', `integration already reached tEnd = ${this.tEnd}`, this.t);
    const tab = this.spec.tableau;
    const n = this.n;
    const k = this.k;
    const adaptive = this.fixedStep === undefined;
    k[0].set(this.fNow);
    let rejectedInRow = false;
    let nonFinite = false;
    for (;;) {
      if (this.stats.steps + this.stats.rejected >= this.maxSteps) {
        throw new IntegrationError('MAX_STEPS', `maximum number of steps (${this.maxSteps}) reached at t = ${this.t} with h = ${this.hNext}`, this.t, this.hNext);
      }
      let h = this.direction * Math.min(Math.abs(this.hNext), this.hMax);
      // Land exactly on tEnd; stretch a step by ≤ 1 % rather than leave a sliver (as DOPRI5).
      const last = this.direction * (this.t + 1.01 * h - this.tEnd) >= 0;
      if (last) h = this.tEnd - this.t;
      const hFloor = Math.max(this.hMin, 16 * EPS * Math.abs(this.t));
      if (!last && Math.abs(h) < hFloor) {
        const why = nonFinite ? 'the derivative or the state became non-finite (NaN/Infinity) and shrinking the step did not help' : 'the error test keeps failing';
        throw new IntegrationError(nonFinite ? 'NON_FINITE' : 'MIN_STEP', `step size too small at t = ${this.t}: h = ${h} < ${hFloor} (${why})`, this.t, h);
      }

      // Stages 2…s (k[0] already holds f(t, y)).
      const s = tab.a.length;
      for (let i = 1; i < s; i++) {
        this.combine(this.yStage, this.y, h, tab.a[i], i);
        this.evalInto(this.t + tab.c[i] * h, this.yStage, k[i]);
      }
      this.combine(this.yNew, this.y, h, tab.b, s);

      let err = 0;
      if (adaptive) {
        err = this.errorNorm(h);
        nonFinite = !Number.isFinite(err);
        if (nonFinite || err > 1) {
          // Rejected (HNW §II.4): shrink, never grow, right after a failure.
          const fac = nonFinite ? this.minFactor : Math.max(this.minFactor, Math.min(1, this.safety * Math.pow(err, -1 / this.spec.q)));
          this.hNext = h * fac;
          this.stats.rejected++;
          rejectedInRow = true;
          continue;
        }
      } else {
        for (let m = 0; m < n; m++) {
          if (!Number.isFinite(this.yNew[m])) {
            throw new IntegrationError('NON_FINITE', `state component ${m} became non-finite at t = ${this.t + h} (fixed step h = ${h})`, this.t, h);
          }
        }
      }

      // Accepted.
      this.tPrev = this.t;
      this.yPrev.set(this.y);
      this.t = last ? this.tEnd : this.t + h;
      this.y.set(this.yNew);
      this.hLast = h;
      this.stats.steps++;
      this.denseStagesReady = false;
      if (this.method === 'dp54') this.fNow.set(k[6]); // FSAL: stage 7 is f(t+h, y₁)
      else if (this.method === 'dp853') {
        this.evalInto(this.t, this.y, k[12]); // stage 13 = f(t+h, y₁): next step's first stage
        this.fNow.set(k[12]);
      } else this.evalInto(this.t, this.y, this.fNow);

      if (adaptive) {
        // Step-size proposal (HNW §II.4 eq. (4.13); PI form of Gustafsson, HNW II §IV.2):
        // h_new = h · safety · err^(−α) · errPrev^β, α = 1/q − 0.75β.
        const alpha = 1 / this.spec.q - 0.75 * this.beta;
        const e = Math.max(err, 1e-10);
        let fac = this.safety * Math.pow(e, -alpha) * Math.pow(this.errPrev, this.beta);
        fac = Math.min(rejectedInRow ? 1 : this.maxFactor, Math.max(this.minFactor, fac));
        this.errPrev = Math.max(err, 1e-4);
        this.hNext = h * fac;
      }
      return;
    }
  }

  /**
   * State at time `t` inside the last accepted step, from the method's continuous
   * extension (orders 3, 4, 7 for rk4, dp54, dp853). Writes into `out` if given.
   */
  dense(t: number, out: Float64Array = new Float64Array(this.n)): Float64Array {
    const h = this.hLast;
    const lo = Math.min(this.tPrev, this.t);
    const hi = Math.max(this.tPrev, this.t);
    const slack = 64 * EPS * Math.max(Math.abs(lo), Math.abs(hi), 1);
    if (!(t >= lo - slack && t <= hi + slack)) {
      throw new RangeError(`dense(${t}): outside the last step [${this.tPrev}, ${this.t}]`);
    }
    if (h === 0 || t === this.t) {
      out.set(this.y);
      return out;
    }
    if (t === this.tPrev) {
      out.set(this.yPrev);
      return out;
    }
    const theta = (t - this.tPrev) / h;
    const w = this.denseW;
    let stages: number;
    if (this.method === 'rk4') {
      rk4DenseWeights(theta, w);
      stages = 4;
    } else if (this.method === 'dp54') {
      dp54DenseWeights(theta, w);
      stages = 7;
    } else {
      this.prepareDp853Dense();
      dp853DenseWeights(theta, w);
      stages = 16;
    }
    this.combine(out, this.yPrev, h, w, stages);
    return out;
  }

  /**
   * Restarts from (t, y): after a state jump (impulsive manoeuvre) or to stop early at an
   * event. `t` must lie in the last step. The controller keeps its step-size proposal.
   */
  restart(t: number, y: ArrayLike<number>): void {
    const lo = Math.min(this.tPrev, this.t);
    const hi = Math.max(this.tPrev, this.t);
    if (!(t >= lo && t <= hi)) throw new IntegrationError('INPUT', `restart(${t}): outside the last step [${this.tPrev}, ${this.t}]`, t);
    if (y.length !== this.n) throw new IntegrationError('INPUT', `restart: state has ${y.length} components, expected ${this.n}`, t);
    for (let i = 0; i < this.n; i++) if (!Number.isFinite(y[i])) throw new IntegrationError('INPUT', `restart: y[${i}] = ${y[i]} is not finite`, t);
    this.t = t;
    this.tPrev = t;
    this.y.set(y as ArrayLike<number>);
    this.yPrev.set(this.y);
    this.hLast = 0;
    this.errPrev = 1e-4;
    this.denseStagesReady = false;
    this.evalInto(t, this.y, this.fNow);
  }

  /**
   * out = base + h Σ_{j<count} w_j k_j. Loops over stages outside and components inside
   * (contiguous arrays); the sum is accumulated before adding to `base` so that small
   * increments are not lost against a large state.
   */
  private combine(out: Float64Array, base: Float64Array, h: number, w: ArrayLike<number>, count: number): void {
    const acc = this.acc;
    const n = this.n;
    acc.fill(0);
    for (let j = 0; j < count; j++) {
      const wj = w[j];
      if (wj === 0) continue;
      const kj = this.k[j];
      for (let m = 0; m < n; m++) acc[m] += wj * kj[m];
    }
    for (let m = 0; m < n; m++) out[m] = base[m] + h * acc[m];
  }

  private evalInto(t: number, y: Float64Array, dydt: Float64Array): void {
    this.f(t, y, dydt);
    this.stats.evaluations++;
  }

  /**
   * Error norm of a trial step (HNW §II.4 eq. (4.11)): the RMS over components of
   * err_i / sc_i with sc_i = atol_i + rtol_i max(|y₀_i|, |y₁_i|). For DOP853, HNW §II.10
   * combines the 5th- and 3rd-order estimates as err₅² / √(err₅² + 0.01 err₃²), which
   * behaves like O(h⁸) and avoids the 5th-order estimate alone being too pessimistic.
   */
  private errorNorm(h: number): number {
    const n = this.n;
    const k = this.k;
    const e = this.spec.tableau.e;
    let sum5 = 0;
    let sum3 = 0;
    const dp853 = this.method === 'dp853';
    const b = this.spec.tableau.b;
    for (let m = 0; m < n; m++) {
      const sc = this.atol[m] + this.rtol[m] * Math.max(Math.abs(this.y[m]), Math.abs(this.yNew[m]));
      let acc = 0;
      for (let j = 0; j < e.length; j++) if (e[j] !== 0) acc += e[j] * k[j][m];
      const r5 = acc / sc;
      sum5 += r5 * r5;
      if (dp853) {
        let sol = 0;
        for (let j = 0; j < 12; j++) if (b[j] !== 0) sol += b[j] * k[j][m];
        const r3 = (sol - DP853_BHH[0] * k[0][m] - DP853_BHH[1] * k[8][m] - DP853_BHH[2] * k[11][m]) / sc;
        sum3 += r3 * r3;
      }
    }
    if (!dp853) return Math.abs(h) * Math.sqrt(sum5 / n);
    let deno = sum5 + 0.01 * sum3;
    if (deno <= 0) deno = 1;
    return (Math.abs(h) * sum5) / Math.sqrt(n * deno);
  }

  /** DOP853's three extra dense-output stages (HNW §II.10), computed only when needed. */
  private prepareDp853Dense(): void {
    if (this.denseStagesReady) return;
    const k = this.k;
    const h = this.hLast;
    for (let r = 0; r < 3; r++) {
      const row = DP853_EXTRA_A[r];
      this.combine(this.yStage, this.yPrev, h, row, row.length);
      this.evalInto(this.tPrev + DP853_EXTRA_C[r] * h, this.yStage, k[13 + r]);
    }
    this.denseStagesReady = true;
  }

  /**
   * Starting step size (HNW §II.4, "Starting Step Size", steps a–f): a first guess from
   * ‖y₀‖/‖f₀‖, refined with one Euler step's estimate of the second derivative so that
   * h^(p+1) · max(‖f₀‖, ‖y''‖) ≈ 0.01.
   */
  private initialStep(t0: number): number {
    const n = this.n;
    const y0 = this.y;
    const f0 = this.fNow;
    let d0 = 0;
    let d1 = 0;
    for (let m = 0; m < n; m++) {
      const sc = this.atol[m] + this.rtol[m] * Math.abs(y0[m]);
      d0 += (y0[m] / sc) ** 2;
      d1 += (f0[m] / sc) ** 2;
    }
    d0 = Math.sqrt(d0 / n);
    d1 = Math.sqrt(d1 / n);
    let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
    h0 = Math.min(h0, this.hMax, Math.abs(this.tEnd - t0) || h0);
    const y1 = this.yStage;
    for (let m = 0; m < n; m++) y1[m] = y0[m] + this.direction * h0 * f0[m];
    const f1 = this.k[1];
    this.evalInto(t0 + this.direction * h0, y1, f1);
    let d2 = 0;
    for (let m = 0; m < n; m++) {
      const sc = this.atol[m] + this.rtol[m] * Math.abs(y0[m]);
      d2 += ((f1[m] - f0[m]) / sc) ** 2;
    }
    d2 = Math.sqrt(d2 / n) / h0;
    const dm = Math.max(d1, d2);
    const p = this.spec.tableau.order;
    const h1 = dm <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / dm, 1 / (p + 1));
    return Math.min(100 * h0, h1, this.hMax);
  }
}
