/**
 * Cowell propagation: the equations of motion r̈ = a(t, r, ṙ) integrated in GCRF, with the
 * state transition matrix from the variational equations (Montenbruck & Gill 2000, §7.2),
 * impulsive manoeuvres as state jumps and finite burns as integration segments.
 *
 * Time: t is SI seconds since the initial epoch (TT/TAI-uniform). Outputs after the initial
 * epoch are reached by integrating forward, outputs before it by integrating backward, both
 * from the initial state. Outputs come from the integrator's dense output (DOP853: order 7).
 */
import { brentRoot, Integrator, IntegrationError, type IntegrationMethod } from '../../sdk/astro/integrators';
import type { ActiveBurn, ForceModel } from './dynamics';

/** A burn segment of constant thrust between tStart and tEnd (t in s since the initial epoch). */
export interface FiniteBurnPlan {
  tStart: number;
  tEnd: number;
  burn: ActiveBurn;
  /** Mass flow, kg/s (0 without Isp). */
  massRateKgS: number;
  /** Mass at ignition when stated by the manoeuvre (kg), else the running mass. */
  massAtStartKg?: number;
}

/** An impulsive Δv at t: `dv(y)` returns the GCRF Δv (km/s) for the pre-burn state y. */
export interface ImpulsePlan {
  t: number;
  dv: (y: ArrayLike<number>) => [number, number, number];
  /** Mass ratio m⁺/m⁻ (rocket equation with Isp; 1 without). */
  massRatio: number;
  massBeforeKg?: number;
}

export interface CowellPlan {
  force: ForceModel;
  /** Initial GCRF state (km, km/s). */
  y0: ArrayLike<number>;
  massKg: number;
  /** Output times, s since the initial epoch, any order. */
  outputs: readonly number[];
  stm: boolean;
  impulses: readonly ImpulsePlan[];
  burns: readonly FiniteBurnPlan[];
  method: IntegrationMethod;
  rtol: number;
  /** Absolute tolerance on positions, km (velocities: atolKm × 1e-3 /s). */
  atolKm: number;
  hMaxS?: number;
  /** A propagation going below this geocentric radius stops with 'decayed'. */
  minRadiusKm: number;
  signal?: AbortSignal;
  /**
   * Switching functions (e.g. the Earth-shadow boundaries): g(t, y) written to out[0..count−1].
   * Where one changes sign the integration steps exactly onto its root (see runDirection), so
   * no integration step straddles the point where the force model's smoothness breaks.
   */
  switching?: SwitchingFunctions;
}

export interface SwitchingFunctions {
  count: number;
  /** Labels of the functions, for the event list (e.g. 'penumbra', 'umbra'). */
  names: readonly string[];
  g(t: number, y: ArrayLike<number>, out: Float64Array): void;
}

/** A located root of a switching function: t (s since the epoch), which function, and the sign after it. */
export interface SwitchingEvent {
  t: number;
  name: string;
  /** True when g goes from − to + as t grows. */
  increasing: boolean;
}

export interface CowellResult {
  /** 6 numbers per output (GCRF km, km/s), in the order of `outputs`. */
  states: Float64Array;
  /** 36 numbers per output, Φ(t, t0) row-major, when `stm`. */
  stms?: Float64Array;
  steps: number;
  evaluations: number;
  /** Roots of the switching functions the integration stopped on, in integration order. */
  switchingEvents: SwitchingEvent[];
}

export class PropagationFailure extends Error {
  constructor(
    readonly code: 'decayed' | 'diverged',
    message: string,
    readonly t: number,
  ) {
    super(message);
    this.name = 'PropagationFailure';
  }
}

/** Tolerance of the STM components in the step control (see runDirection). */
const STM_RTOL = 1e-8;

type Event = { t: number; kind: 'impulse'; impulse: ImpulsePlan } | { t: number; kind: 'burn-start' | 'burn-end'; burn: FiniteBurnPlan };

export function propagateCowell(plan: CowellPlan): CowellResult {
  const n = plan.outputs.length;
  const dim = plan.stm ? 42 : 6;
  const states = new Float64Array(6 * n);
  const stms = plan.stm ? new Float64Array(36 * n) : undefined;
  const stats = { steps: 0, evaluations: 0, switchingEvents: [] as SwitchingEvent[] };
  for (const dir of [1, -1] as const) {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (dir === 1 ? plan.outputs[i] >= 0 : plan.outputs[i] < 0) idx.push(i);
    if (idx.length === 0) continue;
    idx.sort((a, b) => dir * (plan.outputs[a] - plan.outputs[b]));
    runDirection(plan, dir, idx, dim, states, stms, stats);
  }
  return { states, stms, steps: stats.steps, evaluations: stats.evaluations, switchingEvents: stats.switchingEvents };
}

/** Time tolerance of a located switching-function root, s (7.5 mm of LEO motion). */
const SWITCH_TOL_S = 1e-6;

function runDirection(plan: CowellPlan, dir: 1 | -1, idx: number[], dim: number, states: Float64Array, stms: Float64Array | undefined, stats: { steps: number; evaluations: number; switchingEvents: SwitchingEvent[] }): void {
  const force = plan.force;
  const tLast = plan.outputs[idx[idx.length - 1]];
  const beyond = (t: number): boolean => dir * (t - tLast) > 0;
  // Events strictly after t = 0 in this direction and not beyond the last output.
  const events: Event[] = [];
  for (const imp of plan.impulses) if (dir * imp.t > 0 && !beyond(imp.t)) events.push({ t: imp.t, kind: 'impulse', impulse: imp });
  for (const b of plan.burns) {
    const first = dir === 1 ? b.tStart : b.tEnd;
    const second = dir === 1 ? b.tEnd : b.tStart;
    if (dir * first > 0 && !beyond(first)) events.push({ t: first, kind: 'burn-start', burn: b });
    if (dir * second > 0 && !beyond(second)) events.push({ t: second, kind: 'burn-end', burn: b });
  }
  events.sort((a, b) => dir * (a.t - b.t) || (a.kind === 'burn-end' ? -1 : b.kind === 'burn-end' ? 1 : 0));

  const y = new Float64Array(dim);
  for (let i = 0; i < 6; i++) y[i] = plan.y0[i];
  if (plan.stm) for (let i = 0; i < 6; i++) y[6 + 7 * i] = 1;
  // Burns already under way at t = 0 (ignition before the epoch, cut-off after it).
  let active: FiniteBurnPlan[] = plan.burns.filter((b) => b.tStart < 0 && b.tEnd > 0 || (dir === 1 ? b.tStart === 0 && b.tEnd > 0 : b.tEnd === 0 && b.tStart < 0));
  let mass = plan.massKg;
  let tc = 0;
  let p = 0;
  const write = (k: number, src: Float64Array): void => {
    for (let i = 0; i < 6; i++) states[6 * k + i] = src[i];
    if (stms) for (let i = 0; i < 36; i++) stms[36 * k + i] = src[6 + i];
  };
  while (p < idx.length && plan.outputs[idx[p]] === tc) write(idx[p++], y);

  // The step control uses the RMS norm over all components (HNW II (4.11)): with the 36 STM
  // components added, the 6 state components would weigh 6/42 as much, so their tolerances
  // are scaled by √(6/42) to keep the state's error control as strict as without the STM.
  const k = Math.sqrt(6 / dim);
  const rtol = new Float64Array(dim).fill(plan.rtol * k);
  const atol = new Float64Array(dim);
  for (let i = 0; i < 3; i++) {
    atol[i] = plan.atolKm * k;
    atol[3 + i] = plan.atolKm * 1e-3 * k;
  }
  if (plan.stm) {
    // The STM takes part in the step control with a looser tolerance, STM_RTOL: its
    // right-hand side carries the finite-difference noise of the gradient of the small forces
    // (Sun, Moon, SRP, drag; the geopotential's is analytic, see ForceModel.partials), and
    // the STM needs far fewer digits than the state; a 1e-12 tolerance would chase that with
    // ever smaller steps. Scales: ∂r/∂r ~ 1, ∂r/∂v ~ 1e3 s, ∂v/∂r ~ 1e-3 /s, ∂v/∂v ~ 1.
    const sr = Math.max(plan.rtol, STM_RTOL);
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++) {
        rtol[6 + 6 * i + j] = sr;
        atol[6 + 6 * i + j] = sr * (i < 3 ? 1 : 1e-3) * (j < 3 ? 1 : 1e3);
      }
  }
  const G = new Float64Array(9);
  const D = new Float64Array(9);
  const acc = new Float64Array(3);
  const f = (t: number, s: Float64Array, d: Float64Array): void => {
    d[0] = s[3];
    d[1] = s[4];
    d[2] = s[5];
    force.acceleration(t, s[0], s[1], s[2], s[3], s[4], s[5], acc);
    d[3] = acc[0];
    d[4] = acc[1];
    d[5] = acc[2];
    if (dim === 42) {
      const vDep = force.partials(t, s[0], s[1], s[2], s[3], s[4], s[5], G, D);
      // Φ̇ = [[0, I], [G, D]] Φ, Φ row-major in s[6..41]
      for (let j = 0; j < 6; j++) {
        const p0 = s[6 + j], p1 = s[12 + j], p2 = s[18 + j], v0 = s[24 + j], v1 = s[30 + j], v2 = s[36 + j];
        d[6 + j] = v0;
        d[12 + j] = v1;
        d[18 + j] = v2;
        let a0 = G[0] * p0 + G[1] * p1 + G[2] * p2;
        let a1 = G[3] * p0 + G[4] * p1 + G[5] * p2;
        let a2 = G[6] * p0 + G[7] * p1 + G[8] * p2;
        if (vDep) {
          a0 += D[0] * v0 + D[1] * v1 + D[2] * v2;
          a1 += D[3] * v0 + D[4] * v1 + D[5] * v2;
          a2 += D[6] * v0 + D[7] * v1 + D[8] * v2;
        }
        d[24 + j] = a0;
        d[30 + j] = a1;
        d[36 + j] = a2;
      }
    }
  };

  const dense = new Float64Array(dim);
  const opts = { method: plan.method, rtol, atol, hMax: plan.hMaxS, maxSteps: 2_000_000 };
  const sw = plan.switching;
  const gPrev = new Float64Array(sw?.count ?? 0);
  const gNow = new Float64Array(sw?.count ?? 0);
  const gTmp = new Float64Array(sw?.count ?? 0);
  /** Sign of each switching function on the current side (0: unknown yet, set at the next step). */
  const signs = new Int8Array(sw?.count ?? 0);
  if (sw) {
    sw.g(0, y, gNow);
    for (let k = 0; k < sw.count; k++) signs[k] = Math.sign(gNow[k]);
  }
  const yPrev = new Float64Array(dim);
  const writeUpTo = (t: number, integ: Integrator): void => {
    while (p < idx.length && dir * (plan.outputs[idx[p]] - t) <= 0) {
      integ.dense(plan.outputs[idx[p]], dense);
      write(idx[p++], dense);
    }
  };
  const checkRadius = (integ: Integrator): void => {
    const yy = integ.y;
    const r = Math.sqrt(yy[0] * yy[0] + yy[1] * yy[1] + yy[2] * yy[2]);
    if (r < plan.minRadiusKm) throw new PropagationFailure('decayed', `geocentric radius ${r.toFixed(3)} km fell below ${plan.minRadiusKm} km (decay)`, integ.t);
  };

  /**
   * Integrates y from t0 towards tEnd and returns the time reached: tEnd, or the first root of
   * a switching function. A step over which some g changes sign is not kept: the root is
   * located on that step's dense output (Brent, SWITCH_TOL_S), the step is integrated again from
   * its start up to the root exactly (far side of the bracket), and the caller goes on from
   * there with a new integrator — so every step lies on one side of each boundary and the
   * error control never sees the force model's kink (the shadow function's ν(t) has an
   * unbounded second derivative at the penumbra boundaries).
   */
  const runTo = (t0: number, tEnd: number, h0: number | undefined): { t: number; h: number } => {
    const integ = new Integrator(f, t0, y, tEnd, h0 ? { ...opts, h0 } : opts);
    if (sw) sw.g(t0, y, gPrev);
    try {
      while (!integ.done) {
        if (plan.signal?.aborted) throw new PropagationFailure('diverged', 'propagation aborted (the plugin is stopping)', integ.t);
        const tPrev = integ.t;
        if (sw) yPrev.set(integ.y);
        integ.step();
        stats.steps++;
        checkRadius(integ);
        if (sw) {
          sw.g(integ.t, integ.y, gNow);
          let which = -1;
          let root = 0;
          for (let k = 0; k < sw.count; k++) {
            const sNow = Math.sign(gNow[k]);
            if (signs[k] === 0) {
              signs[k] = sNow;
              continue;
            }
            if (sNow === 0 || sNow === signs[k]) continue;
            const gk = (t: number): number => {
              integ.dense(t, dense);
              sw.g(t, dense, gTmp);
              return gTmp[k];
            };
            const r = brentRoot(gk, tPrev, integ.t, gPrev[k], gNow[k], SWITCH_TOL_S);
            if (which < 0 || dir * (r.b - root) < 0) {
              which = k;
              root = r.b;
            }
          }
          if (which >= 0) {
            const h = integ.lastStep;
            stats.evaluations += integ.stats.evaluations;
            y.set(yPrev);
            const sub = new Integrator(f, tPrev, y, root, { ...opts, h0: Math.abs(root - tPrev) });
            while (!sub.done) {
              sub.step();
              stats.steps++;
              checkRadius(sub);
              writeUpTo(sub.t, sub);
            }
            stats.evaluations += sub.stats.evaluations;
            y.set(sub.y);
            signs[which] = -signs[which] as -1 | 1;
            stats.switchingEvents.push({ t: root, name: sw.names[which] ?? String(which), increasing: dir * signs[which] > 0 });
            return { t: root, h: Math.abs(h) };
          }
          gPrev.set(gNow);
        }
        writeUpTo(integ.t, integ);
      }
    } catch (err) {
      if (err instanceof PropagationFailure) throw err;
      if (err instanceof IntegrationError) throw new PropagationFailure('diverged', `integration failed (${err.reason}): ${err.message}`, err.t ?? integ.t);
      throw err;
    }
    stats.evaluations += integ.stats.evaluations;
    y.set(integ.y);
    return { t: tEnd, h: Math.abs(integ.lastStep) };
  };

  let e = 0;
  while (p < idx.length) {
    if (plan.signal?.aborted) throw new PropagationFailure('diverged', 'propagation aborted (the plugin is stopping)', tc);
    const tb = e < events.length ? events[e].t : tLast;
    // segment set-up: forces and mass law
    force.burns = active.map((b) => b.burn);
    const rate = active.reduce((s, b) => s + b.massRateKgS, 0);
    force.massRefKg = mass;
    force.massRefT = tc;
    force.massRateKgS = rate;
    const tSeg = tc;
    let h0: number | undefined;
    while (tc !== tb) {
      try {
        const r = runTo(tc, tb, h0);
        tc = r.t;
        h0 = r.h || undefined;
      } catch (err) {
        if (err instanceof PropagationFailure) throw err;
        if (err instanceof IntegrationError) throw new PropagationFailure('diverged', `integration failed (${err.reason}): ${err.message}`, err.t ?? tc);
        throw err;
      }
    }
    mass = mass - rate * (tb - tSeg);
    if (e >= events.length) break;
    // apply every event at tb
    while (e < events.length && events[e].t === tb) {
      const ev = events[e++];
      if (ev.kind === 'impulse') {
        applyImpulse(ev.impulse, y, dir, plan.stm);
        if (ev.impulse.massBeforeKg !== undefined && dir === 1) mass = ev.impulse.massBeforeKg;
        mass = dir === 1 ? mass * ev.impulse.massRatio : mass / ev.impulse.massRatio;
      } else if (ev.kind === 'burn-start') {
        if (dir === 1 && ev.burn.massAtStartKg !== undefined) mass = ev.burn.massAtStartKg;
        active = [...active, ev.burn];
      } else {
        active = active.filter((b) => b !== ev.burn);
      }
    }
    while (p < idx.length && plan.outputs[idx[p]] === tc) write(idx[p++], y);
  }
}

/**
 * y⁺ = y⁻ + (0, Δv(y⁻)) forward, y⁻ = y⁺ − (0, Δv(y⁺)) backward (the Δv direction taken from
 * the known side). With the STM: Φ⁺ = J Φ⁻, J = ∂y⁺/∂y⁻ = I + ∂(0, Δv)/∂y by central
 * differences (Δv depends on the state only through the local-frame axes).
 */
function applyImpulse(imp: ImpulsePlan, y: Float64Array, dir: 1 | -1, stm: boolean): void {
  const jump = (s: ArrayLike<number>): [number, number, number] => {
    const dv = imp.dv(s);
    return [dir * dv[0], dir * dv[1], dir * dv[2]];
  };
  if (stm) {
    const J = new Float64Array(36);
    for (let i = 0; i < 6; i++) J[7 * i] = 1;
    const s = Array.from(y.subarray(0, 6));
    for (let j = 0; j < 6; j++) {
      const h = j < 3 ? 1e-3 : 1e-6;
      const x0 = s[j];
      s[j] = x0 + h;
      const a = jump(s);
      s[j] = x0 - h;
      const b = jump(s);
      s[j] = x0;
      for (let i = 0; i < 3; i++) J[6 * (3 + i) + j] += (a[i] - b[i]) / (2 * h);
    }
    const phi = Float64Array.from(y.subarray(6, 42));
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++) {
        let sum = 0;
        for (let k = 0; k < 6; k++) sum += J[6 * i + k] * phi[6 * k + j];
        y[6 + 6 * i + j] = sum;
      }
  }
  const dv = jump(y);
  y[3] += dv[0];
  y[4] += dv[1];
  y[5] += dv[2];
}
