/**
 * Turning a propagation subject (state or Keplerian elements, manoeuvres, covariance) into the
 * GCRF initial conditions and manoeuvre plans of the Cowell core. Throws SubjectError with the
 * outcome code and a message naming the offending field.
 */
import { ManeuverSchema, type Maneuver } from '../../interfaces/domain/maneuver';
import { KeplerianElementsSchema, StateVectorSchema, type Covariance } from '../../interfaces/domain/state';
import type { PropagationSubject } from '../../interfaces/services/propagation';
import { keplerianToCartesian } from '../../sdk/astro/elements';
import { applyTransform, applyTransformToCovariance, covarianceLocalToInertial, frameSet, transformBetween, type FrameEop, type FrameName } from '../../sdk/astro/frames';
import { eccentricToTrue, meanToTrue } from '../../sdk/astro/kepler';
import { Epoch, type TimeScale } from '../../sdk/astro/time';
import type { FiniteBurnPlan, ImpulsePlan } from './cowell';
import { localAxes } from './dynamics';

type Code = 'invalid-elements' | 'unsupported' | 'out-of-range';

export class SubjectError extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = 'SubjectError';
  }
}

/** Standard gravity for the rocket equation, m/s² (CGPM 1901). */
export const G0_M_S2 = 9.80665;

export interface InitialConditions {
  epoch0: Epoch;
  /** Frame and raw state as given (before conversion to GCRF, which needs EOP). */
  frame: FrameName;
  posKm: [number, number, number];
  velKmS: [number, number, number];
}

function parseEpoch(iso: string, scale: TimeScale, what: string): Epoch {
  try {
    return Epoch.parse(iso, scale);
  } catch (err) {
    throw new SubjectError('invalid-elements', `${what}: ${(err as Error).message}`);
  }
}

const issues = (e: { issues: { path: PropertyKey[]; message: string }[] }): string => e.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');

/** Epoch and state (in its own frame) of a subject given as `state` or `elements`. */
export function initialConditions(subject: PropagationSubject): InitialConditions {
  const id = subject.id;
  if (subject.state) {
    const parsed = StateVectorSchema.safeParse(subject.state);
    if (!parsed.success) throw new SubjectError('invalid-elements', `subject '${id}': state: ${issues(parsed.error)}`);
    const s = parsed.data;
    return { epoch0: parseEpoch(s.epoch.iso, s.epoch.scale, `subject '${id}': state.epoch`), frame: s.frame, posKm: s.posKm, velKmS: s.velKmS };
  }
  if (subject.elements) {
    const parsed = KeplerianElementsSchema.safeParse(subject.elements);
    if (!parsed.success) throw new SubjectError('invalid-elements', `subject '${id}': elements: ${issues(parsed.error)}`);
    const el = parsed.data;
    if (el.mean) throw new SubjectError('unsupported', `subject '${id}': mean elements (${el.theory ?? 'no theory named'}) cannot be integrated directly: convert them to osculating elements with the analytical propagator first`);
    const d = Math.PI / 180;
    let nu = el.anomalyDeg * d;
    try {
      if (el.anomalyType === 'mean') nu = meanToTrue(nu, el.e);
      else if (el.anomalyType === 'eccentric') {
        if (el.e >= 1) throw new Error(`eccentric anomaly given with e = ${el.e} ≥ 1`);
        nu = eccentricToTrue(nu, el.e);
      }
      const c = keplerianToCartesian({ aKm: el.aKm, e: el.e, iRad: el.iDeg * d, raanRad: el.raanDeg * d, argpRad: el.argpDeg * d, trueAnomalyRad: nu }, el.muKm3S2);
      return { epoch0: parseEpoch(el.epoch.iso, el.epoch.scale, `subject '${id}': elements.epoch`), frame: el.frame, posKm: c.posKm, velKmS: c.velKmS };
    } catch (err) {
      if (err instanceof SubjectError) throw err;
      throw new SubjectError('invalid-elements', `subject '${id}': elements: ${(err as Error).message}`);
    }
  }
  const given = Object.keys(subject).filter((k) => k !== 'id');
  throw new SubjectError('unsupported', `subject '${id}': the numerical propagator needs 'state' or 'elements'; got ${given.join(', ') || 'nothing'}`);
}

/** GCRF state at the initial epoch. */
export function initialGcrf(ic: InitialConditions, eop: FrameEop): number[] {
  const t = transformBetween(frameSet(ic.epoch0, eop), ic.frame, 'GCRF');
  const s = applyTransform(t, { posKm: ic.posKm, velKmS: ic.velKmS });
  return [...s.posKm, ...s.velKmS];
}

/** Covariance of the subject in GCRF, km units, at the initial epoch. */
export function covarianceGcrfKm(id: string, cov: Covariance, ic: InitialConditions, y0Gcrf: number[], eop: FrameEop): number[][] {
  if (!Array.isArray(cov.matrix) || cov.matrix.length !== 6 || cov.matrix.some((r) => !Array.isArray(r) || r.length !== 6 || r.some((x) => !Number.isFinite(x)))) {
    throw new SubjectError('invalid-elements', `subject '${id}': covariance.matrix must be 6×6 finite numbers`);
  }
  if (cov.epoch) {
    const ce = parseEpoch(cov.epoch.iso, cov.epoch.scale, `subject '${id}': covariance.epoch`);
    if (Math.abs(ce.minus(ic.epoch0)) > 1e-6) throw new SubjectError('invalid-elements', `subject '${id}': covariance epoch ${cov.epoch.iso} ${cov.epoch.scale} differs from the state epoch`);
  }
  const k = cov.units === 'm' ? 1e-6 : 1;
  const m = cov.matrix.map((r) => r.map((x) => x * k));
  if (cov.frame === 'RTN' || cov.frame === 'TNW') return covarianceLocalToInertial(cov.frame, y0Gcrf.slice(0, 3), y0Gcrf.slice(3), m);
  return applyTransformToCovariance(transformBetween(frameSet(ic.epoch0, eop), cov.frame, 'GCRF'), m);
}

/** Manoeuvre plans (impulses and finite burns) in seconds since the initial epoch. */
export function maneuverPlans(subject: PropagationSubject, epoch0: Epoch, eop: FrameEop): { impulses: ImpulsePlan[]; burns: FiniteBurnPlan[] } {
  const impulses: ImpulsePlan[] = [];
  const burns: FiniteBurnPlan[] = [];
  (subject.maneuvers ?? []).forEach((raw, k) => {
    const parsed = ManeuverSchema.safeParse(raw);
    const where = `subject '${subject.id}': maneuvers[${k}]${raw && typeof raw === 'object' && 'id' in raw ? ` (${String((raw as { id: unknown }).id)})` : ''}`;
    if (!parsed.success) throw new SubjectError('invalid-elements', `${where}: ${issues(parsed.error)}`);
    const m: Maneuver = parsed.data;
    if (m.status === 'cancelled') return;
    const epoch = parseEpoch(m.epoch.iso, m.epoch.scale, `${where}.epoch`);
    const t = epoch.minus(epoch0);
    const dv = m.deltaVKmS;
    const dvNorm = Math.hypot(dv[0], dv[1], dv[2]);
    if (dvNorm === 0) throw new SubjectError('invalid-elements', `${where}: deltaVKmS is zero: no direction for the manoeuvre`);
    const local = m.frame === 'RTN' || m.frame === 'TNW' ? m.frame : undefined;
    let dvGcrf: [number, number, number] = [dv[0], dv[1], dv[2]];
    if (!local) {
      // inertial (or Earth-fixed, rotation only) direction at the burn epoch, held fixed in GCRF
      const R = transformBetween(frameSet(epoch, eop), m.frame as FrameName, 'GCRF').rotation;
      dvGcrf = [0, 1, 2].map((i) => R[i][0] * dv[0] + R[i][1] * dv[1] + R[i][2] * dv[2]) as [number, number, number];
    }
    const toGcrf = (y: ArrayLike<number>, vec: readonly number[]): [number, number, number] => {
      if (!local) return [vec[0], vec[1], vec[2]];
      const a = localAxes(local, y[0], y[1], y[2], y[3], y[4], y[5]);
      return [a[0] * vec[0] + a[3] * vec[1] + a[6] * vec[2], a[1] * vec[0] + a[4] * vec[1] + a[7] * vec[2], a[2] * vec[0] + a[5] * vec[1] + a[8] * vec[2]];
    };
    if (m.kind === 'impulsive') {
      const dvFixed = dvGcrf;
      impulses.push({
        t,
        dv: (y) => (local ? toGcrf(y, dv) : dvFixed),
        // rocket equation (Tsiolkovsky): m⁺/m⁻ = exp(−Δv / (Isp g0))
        massRatio: m.ispS ? Math.exp((-dvNorm * 1000) / (m.ispS * G0_M_S2)) : 1,
        massBeforeKg: m.massKg,
      });
      return;
    }
    if (!(m.durationS > 0)) throw new SubjectError('invalid-elements', `${where}: a finite manoeuvre needs durationS > 0 (got ${m.durationS})`);
    const unitDir = (local ? dv : dvGcrf).map((x) => x / dvNorm) as [number, number, number];
    burns.push({
      tStart: t,
      tEnd: t + m.durationS,
      burn: m.thrustN !== undefined ? { dir: unitDir, local, thrustN: m.thrustN } : { dir: unitDir, local, accelKmS2: dvNorm / m.durationS },
      massRateKgS: m.thrustN !== undefined && m.ispS !== undefined ? m.thrustN / (m.ispS * G0_M_S2) : 0,
      massAtStartKg: m.massKg,
    });
  });
  return { impulses, burns };
}
