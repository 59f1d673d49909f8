import { MU_EARTH_KM3_S2 } from '../../sdk/astro/constants';
import { cross, dot, norm, sub, unit, type Vec3 } from '../../sdk/astro/vec';
import { satrecOf, stateAt, type MeanElements, type TemeState } from './sgp4-adapter';
import type { SatRec } from 'satellite.js';

/**
 * Engineering a close approach: a secondary object whose SGP4 trajectory passes a chosen
 * distance from a primary at a chosen time, crossing it at a chosen angle. The secondary's
 * target state at TCA is built in TEME from the primary's; its mean elements at its own
 * epoch are then found by Newton iteration on SGP4 itself (finite-difference Jacobian),
 * so the encounter exists in the very model screening will use.
 */
export interface EncounterSpec {
  primary: MeanElements;
  tcaMsUtc: number;
  missKm: number;
  /** Angle between the two velocity vectors at TCA, deg (0 = co-moving, 180 = head-on). */
  crossingAngleDeg: number;
  /** Direction of the miss vector in the plane normal to the relative velocity, deg. */
  missDirectionDeg: number;
  secondary: { noradId: number; objectId: string; name: string; epochMsUtc: number; bstar: number };
}

const DEG = Math.PI / 180;

/** Rotation of v about unit axis k by angle a (Rodrigues). */
function rotate(v: Vec3, k: Vec3, a: number): Vec3 {
  const c = Math.cos(a);
  const s = Math.sin(a);
  const kv = cross(k, v);
  const kd = dot(k, v) * (1 - c);
  return [v[0] * c + kv[0] * s + k[0] * kd, v[1] * c + kv[1] * s + k[1] * kd, v[2] * c + kv[2] * s + k[2] * kd];
}

/** Target TEME state of the secondary at TCA. */
export function secondaryTargetState(p: TemeState, spec: Pick<EncounterSpec, 'missKm' | 'crossingAngleDeg' | 'missDirectionDeg'>): TemeState {
  const rHat = unit(p.posKm);
  const vS = rotate(p.velKmS, rHat, spec.crossingAngleDeg * DEG);
  const vRel = sub(vS, p.velKmS);
  // Orthonormal basis of the plane normal to the relative velocity (the B-plane of the encounter).
  const e1 = unit(cross(vRel, rHat));
  const e2 = unit(cross(vRel, e1));
  const a = spec.missDirectionDeg * DEG;
  const d: Vec3 = [e1[0] * Math.cos(a) + e2[0] * Math.sin(a), e1[1] * Math.cos(a) + e2[1] * Math.sin(a), e1[2] * Math.cos(a) + e2[2] * Math.sin(a)];
  return { posKm: [p.posKm[0] + spec.missKm * d[0], p.posKm[1] + spec.missKm * d[1], p.posKm[2] + spec.missKm * d[2]], velKmS: vS };
}

/** Osculating two-body elements of a state (Vallado Alg. 9), used only as a starting guess. */
function osculating(s: TemeState): { aKm: number; e: number; iDeg: number; raanDeg: number; argpDeg: number; meanAnomalyDeg: number } {
  const r = s.posKm;
  const v = s.velKmS;
  const mu = MU_EARTH_KM3_S2;
  const h = cross(r, v);
  const nVec: Vec3 = [-h[1], h[0], 0];
  const rn = norm(r);
  const v2 = dot(v, v);
  const eVec: Vec3 = [((v2 - mu / rn) * r[0] - dot(r, v) * v[0]) / mu, ((v2 - mu / rn) * r[1] - dot(r, v) * v[1]) / mu, ((v2 - mu / rn) * r[2] - dot(r, v) * v[2]) / mu];
  const e = norm(eVec);
  const a = 1 / (2 / rn - v2 / mu);
  const i = Math.acos(h[2] / norm(h));
  const raan = Math.atan2(nVec[1], nVec[0]);
  // Argument of latitude and of perigee (robust for the near-circular orbits simulated).
  const u = Math.atan2(dot(r, cross(unit(h), unit(nVec))), dot(r, unit(nVec)));
  const argp = e > 1e-9 ? Math.atan2(dot(eVec, cross(unit(h), unit(nVec))), dot(eVec, unit(nVec))) : 0;
  const nu = u - argp;
  const E = 2 * Math.atan(Math.sqrt((1 - e) / (1 + e)) * Math.tan(nu / 2));
  const M = E - e * Math.sin(E);
  return { aKm: a, e, iDeg: i / DEG, raanDeg: raan / DEG, argpDeg: argp / DEG, meanAnomalyDeg: M / DEG };
}

/** Parameters Newton works on: non-singular for small e. [n rev/day, e cos ω, e sin ω, i, Ω, M + ω]. */
type Params = [number, number, number, number, number, number];
function toElements(x: Params, base: EncounterSpec['secondary']): MeanElements {
  const e = Math.hypot(x[1], x[2]);
  const w = Math.atan2(x[2], x[1]) / DEG;
  return { ...base, meanMotionRevPerDay: x[0], eccentricity: e, inclinationDeg: x[3], raanDeg: x[4], argPericenterDeg: w, meanAnomalyDeg: x[5] - w };
}

/** Solves A x = b (6×6) by Gaussian elimination with partial pivoting. */
function solve6(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (Math.abs(M[p][c]) < 1e-300) throw new Error('singular Jacobian while fitting the secondary orbit');
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

/** Velocity residuals are scaled by this time (s) so km and km/s weigh alike. */
const V_SCALE_S = 1000;

function residual(x: Params, base: EncounterSpec['secondary'], atMs: number, target: TemeState): number[] {
  const s = stateAt(satrecOf(toElements(x, base)), atMs);
  return [0, 1, 2].map((k) => s.posKm[k] - target.posKm[k]).concat([0, 1, 2].map((k) => (s.velKmS[k] - target.velKmS[k]) * V_SCALE_S));
}

function paramsOf(el: MeanElements): Params {
  const w = el.argPericenterDeg * DEG;
  return [el.meanMotionRevPerDay, el.eccentricity * Math.cos(w), el.eccentricity * Math.sin(w), el.inclinationDeg, el.raanDeg, el.meanAnomalyDeg + el.argPericenterDeg];
}

/**
 * Mean elements of the secondary at its epoch such that SGP4 reproduces `target` at
 * `atMs` to better than 1 mm and 1 µm/s (or throws, naming the residual).
 *
 * Fitting across days directly is ill-conditioned (the along-track error grows with the
 * mean-motion error times the span), so it is done in three well-conditioned steps:
 * (1) elements with epoch = `atMs` reproducing the target state at their own epoch;
 * (2) elements with the wanted epoch reproducing, at that epoch, the state (1) gives there;
 * (3) Newton from (2) on the target at `atMs`, starting close to the answer.
 */
export function fitMeanElements(base: EncounterSpec['secondary'], atMs: number, target: TemeState): MeanElements {
  const atTca = newton({ ...base, epochMsUtc: atMs }, atMs, target, initialGuess(target));
  const back = stateAt(satrecOf(atTca), base.epochMsUtc);
  // Guess for (2): the same elements with the mean longitude moved back along the mean motion.
  const guess = paramsOf(atTca);
  guess[5] -= 360 * atTca.meanMotionRevPerDay * ((atMs - base.epochMsUtc) / 86_400_000);
  const atEpoch = newton(base, base.epochMsUtc, back, guess);
  return newton(base, atMs, target, paramsOf(atEpoch));
}

function initialGuess(target: TemeState): Params {
  const osc = osculating(target);
  const n0 = Math.sqrt(MU_EARTH_KM3_S2 / osc.aKm ** 3);
  return [(n0 * 86400) / (2 * Math.PI), osc.e * Math.cos(osc.argpDeg * DEG), osc.e * Math.sin(osc.argpDeg * DEG), osc.iDeg, osc.raanDeg, osc.meanAnomalyDeg + osc.argpDeg];
}

function newton(base: EncounterSpec['secondary'], atMs: number, target: TemeState, x0: Params): MeanElements {
  let x = x0;
  let f = residual(x, base, atMs, target);
  let cost = f.reduce((s, v) => s + v * v, 0);
  const steps = [1e-7, 1e-7, 1e-7, 1e-6, 1e-6, 1e-6];
  for (let iter = 0; iter < 60 && Math.sqrt(cost) > 1e-7; iter++) {
    const J: number[][] = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
    for (let j = 0; j < 6; j++) {
      const xp = [...x] as Params;
      xp[j] += steps[j];
      const fp = residual(xp, base, atMs, target);
      for (let i = 0; i < 6; i++) J[i][j] = (fp[i] - f[i]) / steps[j];
    }
    const dx = solve6(J, f.map((v) => -v));
    let t = 1;
    for (;;) {
      const xn = x.map((v, k) => v + t * dx[k]) as Params;
      let fn: number[] | undefined;
      try {
        fn = residual(xn, base, atMs, target);
      } catch {
        fn = undefined; // SGP4 refused the trial elements: shorten the step
      }
      const cn = fn ? fn.reduce((s, v) => s + v * v, 0) : Infinity;
      if (cn < cost || t < 1e-4) {
        if (fn) {
          x = xn;
          f = fn;
          cost = cn;
        }
        break;
      }
      t /= 2;
    }
  }
  if (Math.sqrt(cost) > 1e-6) throw new Error(`could not fit the secondary ${base.noradId} (residual ${Math.sqrt(cost).toExponential(2)} km)`);
  return toElements(x, base);
}

export interface ClosestApproach {
  tcaMsUtc: number;
  missKm: number;
  relativeSpeedKmS: number;
}

/**
 * Time of closest approach near `guessMs`: the root of ρ·ρ̇ (ρ = secondary − primary),
 * bracketed on a 1 s grid within ±`searchS`, then bisected to 10 µs.
 */
export function closestApproach(a: SatRec, b: SatRec, guessMs: number, searchS = 120): ClosestApproach {
  const g = (ms: number) => {
    const sa = stateAt(a, ms);
    const sb = stateAt(b, ms);
    const rho = sub(sb.posKm, sa.posKm);
    const rhoDot = sub(sb.velKmS, sa.velKmS);
    return { f: dot(rho, rhoDot), d: norm(rho), v: norm(rhoDot) };
  };
  let best = { ms: guessMs, d: Infinity };
  let prevMs = guessMs - searchS * 1000;
  let prev = g(prevMs);
  for (let ms = prevMs + 1000; ms <= guessMs + searchS * 1000; ms += 1000) {
    const cur = g(ms);
    if (prev.f < 0 && cur.f >= 0) {
      let lo = prevMs;
      let hi = ms;
      while (hi - lo > 0.01) {
        const mid = (lo + hi) / 2;
        if (g(mid).f < 0) lo = mid;
        else hi = mid;
      }
      const t = (lo + hi) / 2;
      const at = g(t);
      if (at.d < best.d) best = { ms: t, d: at.d };
    }
    prev = cur;
    prevMs = ms;
  }
  if (!Number.isFinite(best.d)) throw new Error(`no closest approach within ±${searchS} s of ${new Date(guessMs).toISOString()}`);
  return { tcaMsUtc: best.ms, missKm: best.d, relativeSpeedKmS: g(best.ms).v };
}
