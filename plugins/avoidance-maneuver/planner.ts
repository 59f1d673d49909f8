import type { Conjunction, ConjunctionObject } from '../../interfaces/domain/conjunction';
import type { Matrix6 } from '../../interfaces/domain/common';
import type { PcInput } from '../../interfaces/services/collision';
import { type Vec3, sub } from '../../sdk/astro/vec';
import { type BurnDirection, type BurnGeometry, burnGeometry, encounterMissKm, manoeuvredPrimary, periodS, rtnUnit } from './linear';

/**
 * Search of avoidance options (issue 8). For each direction (radial, along-track, cross-track;
 * both signs) and each lead time (multiples of half the primary's period before TCA, inside
 * [earliest, latest]), the smallest |Δv| ≤ maxΔv that brings Pc under the target and the
 * miss distance over its floor, with the linear two-body model of linear.ts.
 *
 * Search along one ray k·u (k = |Δv|): Pc(k) and miss(k) are not monotone in general (a
 * ray that first moves the primary towards the secondary lowers the miss before raising it),
 * so the ray is first sampled on a uniform grid of `gridPoints` values (one batched Pc call);
 * the first grid value meeting the targets brackets a crossing with the previous one, which
 * failed; bisection then narrows that bracket to `toleranceMS`. Assumption (stated, guarded):
 * between two grid values the targets are crossed once — a dip narrower than maxΔv/gridPoints
 * could be missed, giving a Δv at most one grid step too large, never one that fails the
 * targets (the returned value is always one that was evaluated and met them).
 */

export interface PlanSettings {
  pcTarget: number;
  missFloorKm: number;
  maxDeltaVMS: number;
  /** Lead times are k × 0.5 revolution, k = 1 … maxHalfRevolutions. */
  maxHalfRevolutions: number;
  gridPoints: number;
  toleranceMS: number;
  directions: BurnDirection[];
  defaultHardBodyRadiusM: number;
}

/** Pc of a batch of inputs; `undefined` entries when no value could be computed. */
export type PcBatch = (inputs: PcInput[]) => Promise<(number | undefined)[]>;

export interface PlannedOption {
  direction: BurnDirection;
  sign: 1 | -1;
  leadS: number;
  leadRevolutions: number;
  burnUtc: string;
  dvRtnKmS: Vec3;
  deltaVMS: number;
  /** NaN when Pc is not available (miss-distance-only search). */
  pcAfter: number;
  missDistanceAfterKm: number;
  geometry: BurnGeometry;
}

export interface PlanResult {
  options: PlannedOption[];
  pcBefore: number;
  missBeforeKm: number;
  /** Why some candidates were not searched or gave nothing. */
  notes: string[];
  pcAvailable: boolean;
}

const covM2 = (o: ConjunctionObject, who: string): Matrix6 => {
  const c = o.covarianceRtnM;
  if (!c) throw new Error(`conjunction ${who}: no covariance at TCA (covarianceRtnM), needed for Pc`);
  if (c.frame !== 'RTN') throw new Error(`conjunction ${who}: covariance frame is ${c.frame}, expected RTN`);
  return c.units === 'm' ? c.matrix.map((r) => [...r]) : c.matrix.map((r) => r.map((v) => v * 1e6));
};

/** Inertial states at TCA from the conjunction; clear errors naming the missing field. */
export function statesOf(c: Conjunction): { p: { posKm: Vec3; velKmS: Vec3 }; s: { posKm: Vec3; velKmS: Vec3 } } {
  const p = c.primary.stateAtTca;
  const s = c.secondary.stateAtTca;
  if (!p) throw new Error(`conjunction ${c.id}: primary.stateAtTca missing (inertial state at TCA needed)`);
  if (!s) throw new Error(`conjunction ${c.id}: secondary.stateAtTca missing (inertial state at TCA needed)`);
  if (p.frame === 'ITRF' || p.frame === 'PEF' || s.frame === 'ITRF' || s.frame === 'PEF')
    throw new Error(`conjunction ${c.id}: states at TCA are Earth-fixed (${p.frame}/${s.frame}); inertial states are required`);
  if (p.frame !== s.frame) throw new Error(`conjunction ${c.id}: primary state in ${p.frame} but secondary in ${s.frame}`);
  return { p: { posKm: [...p.posKm] as Vec3, velKmS: [...p.velKmS] as Vec3 }, s: { posKm: [...s.posKm] as Vec3, velKmS: [...s.velKmS] as Vec3 } };
}

export function pcInputFor(c: Conjunction, primary: { posKm: Vec3; velKmS: Vec3 }, defaultHbrM: number): PcInput {
  const { s } = statesOf(c);
  const hbr = (c.primary.hardBodyRadiusM ?? defaultHbrM) + (c.secondary.hardBodyRadiusM ?? defaultHbrM);
  return {
    tcaUtc: c.tcaUtc,
    primary: { posKm: primary.posKm, velKmS: primary.velKmS, covRtnM2: covM2(c.primary, 'primary') },
    secondary: { posKm: s.posKm, velKmS: s.velKmS, covRtnM2: covM2(c.secondary, 'secondary') },
    hardBodyRadiusM: hbr,
  };
}

const isoMinusS = (iso: string, s: number): string => new Date(Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`) - s * 1000).toISOString();

export async function planOptions(c: Conjunction, window: { earliestUtc: string; latestUtc: string }, settings: PlanSettings, pcBatch: PcBatch | undefined): Promise<PlanResult> {
  const { p, s } = statesOf(c);
  const notes: string[] = [];
  const relVel = sub(s.velKmS, p.velKmS);
  const missBeforeKm = encounterMissKm(sub(s.posKm, p.posKm), relVel);
  const base = pcBatch ? (await pcBatch([pcInputFor(c, p, settings.defaultHardBodyRadiusM)]))[0] : undefined;
  const pcAvailable = base !== undefined;
  if (!pcAvailable) notes.push('Pc not available (collision-probability service absent or without a value): options meet the miss-distance floor only');
  const pcBefore = base ?? NaN;
  const meets = (pc: number | undefined, missKm: number) => missKm >= settings.missFloorKm && (pc === undefined || pc < settings.pcTarget);
  if (meets(base, missBeforeKm)) {
    notes.push(`already meets the targets without manoeuvre (Pc ${pcBefore}, miss ${missBeforeKm.toFixed(3)} km)`);
    return { options: [], pcBefore, missBeforeKm, notes, pcAvailable };
  }
  const period = periodS(p.posKm, p.velKmS);
  if (!Number.isFinite(period)) throw new Error(`conjunction ${c.id}: primary orbit at TCA is not closed; lead times in revolutions undefined`);
  const tcaMs = Date.parse(c.tcaUtc.endsWith('Z') ? c.tcaUtc : `${c.tcaUtc}Z`);
  const earliestMs = Date.parse(window.earliestUtc);
  const latestMs = Date.parse(window.latestUtc);
  if (!Number.isFinite(earliestMs) || !Number.isFinite(latestMs)) throw new Error(`window: earliestUtc '${window.earliestUtc}' / latestUtc '${window.latestUtc}' are not ISO-8601 times`);
  const options: PlannedOption[] = [];
  for (let k = 1; k <= settings.maxHalfRevolutions; k++) {
    const leadS = (k * period) / 2;
    const burnMs = tcaMs - leadS * 1000;
    if (burnMs > latestMs) continue;
    if (burnMs < earliestMs) break;
    const g = burnGeometry(p.posKm, p.velKmS, leadS);
    for (const direction of settings.directions) {
      let best: PlannedOption | undefined;
      for (const sign of [1, -1] as const) {
        const u = rtnUnit(direction, sign);
        const evalAt = (kMS: number) => {
          const dv: Vec3 = [(u[0] * kMS) / 1000, (u[1] * kMS) / 1000, (u[2] * kMS) / 1000];
          const np = manoeuvredPrimary(p.posKm, p.velKmS, g, dv);
          return { dv, np, missKm: encounterMissKm(sub(s.posKm, np.posKm), sub(s.velKmS, np.velKmS)) };
        };
        const pcOf = async (ks: number[]): Promise<(number | undefined)[]> => {
          if (!pcAvailable || !pcBatch) return ks.map(() => undefined);
          const res = await pcBatch(ks.map((x) => pcInputFor(c, evalAt(x).np, settings.defaultHardBodyRadiusM)));
          // A missing value on a ray counts as failing (never recommend an unverified Δv).
          return res.map((v) => (v === undefined ? Infinity : v));
        };
        const grid = Array.from({ length: settings.gridPoints }, (_, i) => (settings.maxDeltaVMS * (i + 1)) / settings.gridPoints);
        const pcs = await pcOf(grid);
        const first = grid.findIndex((x, i) => meets(pcs[i], evalAt(x).missKm));
        if (first < 0) continue;
        let lo = first === 0 ? 0 : grid[first - 1];
        let hi = grid[first];
        let hiPc = pcs[first];
        while (hi - lo > settings.toleranceMS) {
          const mid = (lo + hi) / 2;
          const [pcMid] = await pcOf([mid]);
          if (meets(pcMid, evalAt(mid).missKm)) {
            hi = mid;
            hiPc = pcMid;
          } else lo = mid;
        }
        const e = evalAt(hi);
        if (!best || hi < best.deltaVMS)
          best = {
            direction,
            sign,
            leadS,
            leadRevolutions: k / 2,
            burnUtc: isoMinusS(c.tcaUtc, leadS),
            dvRtnKmS: e.dv,
            deltaVMS: hi,
            pcAfter: hiPc ?? NaN,
            missDistanceAfterKm: e.missKm,
            geometry: g,
          };
      }
      if (best) options.push(best);
      else notes.push(`${direction} at ${k / 2} rev: no Δv ≤ ${settings.maxDeltaVMS} m/s meets the targets`);
    }
  }
  options.sort((a, b) => a.deltaVMS - b.deltaVMS || b.leadS - a.leadS);
  if (!options.length && !notes.some((n) => n.includes('rev:'))) notes.push('no lead time (multiples of half a revolution) falls inside the window');
  return { options, pcBefore, missBeforeKm, notes, pcAvailable };
}
