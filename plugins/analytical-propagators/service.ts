import { eopValuesOf } from '../../sdk/astro/eop';
import { EARTH_FIXED_FRAMES, FRAMES, type Frame } from '../../interfaces/domain/common';
import { KeplerianElementsSchema, StateVectorSchema } from '../../interfaces/domain/state';
import type { PropagationOutcome, PropagationRequest, PropagationSubject, Propagator } from '../../interfaces/services/propagation';
import type { EopProvider } from '../../interfaces/services/reference-data';
import { cartesianToKeplerian } from '../../sdk/astro/elements';
import { applyTransform, applyTransformToCovariance, covarianceLocalToInertial, frameSetAtTimes, transformBetween, ZERO_EOP, type FrameEopValues, type FrameTransform } from '../../sdk/astro/frames';
import { eccentricToMean, trueToMean } from '../../sdk/astro/kepler';
import { Epoch } from '../../sdk/astro/time';
import { twoBodyTransition } from '../../sdk/astro/twobody';
import type { PluginLogger } from '../../sdk/context';
import type { AnalyticalConfig } from './config';
import { TheoryDomainError } from './eckstein-hechler';
import { THEORY_NAMES, trajectory, type MeanElements, type TheoryConstants, type TheoryName, type Trajectory } from './theories';
import { expandTimes, RequestError, type RequestTimes } from '../../sdk/propagation-times';

type Vec3 = [number, number, number];
type ErrorOutcome = Extract<PropagationOutcome, { ok: false }>;
const THEORIES = THEORY_NAMES;

class SubjectError extends Error {
  constructor(
    readonly code: ErrorOutcome['error']['code'],
    message: string,
  ) {
    super(message);
  }
}

export interface AnalyticalStats {
  requests: number;
  subjects: number;
  subjectErrors: number;
  zeroEopRequests: number;
}

interface Prepared {
  id: string;
  epoch0: Epoch;
  frame: Frame;
  theory: TheoryName;
  /** The theory's orbit from the subject's elements (or state). */
  orbit: Trajectory;
  /** State at the epoch given by the theory (the covariance's reference state). */
  s0: { posKm: Vec3; velKmS: Vec3 };
  muKm3S2: number;
  /** Covariance in the subject's frame, km units. */
  cov?: number[][];
}

/**
 * The `propagator.analytical` service: Keplerian, J2-secular and Eckstein–Hechler propagation
 * of Keplerian elements (osculating, or mean elements of the named theory) or of a state (turned
 * into osculating elements), in the subject's inertial frame, output in any frame (EOP from
 * eop.provider, zero EOP otherwise). Covariance: exact two-body STM for `keplerian`; central
 * differences of the state-to-state map of the theory otherwise.
 */
export class AnalyticalPropagatorService implements Propagator {
  readonly stats: AnalyticalStats = { requests: 0, subjects: 0, subjectErrors: 0, zeroEopRequests: 0 };

  constructor(
    private readonly config: AnalyticalConfig,
    private readonly deps: { eop: () => EopProvider | undefined; log?: PluginLogger },
  ) {}

  async capabilities(): Promise<{ name: string; inputs: ('gp' | 'state' | 'elements' | 'ephemeris')[]; covariance: boolean; maneuvers: boolean; frames: Frame[] }> {
    return { name: 'analytical', inputs: ['state', 'elements'], covariance: true, maneuvers: false, frames: [...FRAMES] };
  }

  async propagate(request: PropagationRequest): Promise<{ outcomes: PropagationOutcome[] }> {
    if (!request || typeof request !== 'object') throw new RequestError('propagation request must be an object { subjects, times, frame }');
    if (!Array.isArray(request.subjects)) throw new RequestError('request.subjects must be an array');
    const frame = request.frame ?? 'GCRF';
    if (!(FRAMES as readonly string[]).includes(frame)) throw new RequestError(`request.frame '${String(frame)}' is not one of ${FRAMES.join(', ')}`);
    const fmTheory = request.forceModel?.theory;
    if (fmTheory !== undefined && !(THEORIES as readonly unknown[]).includes(fmTheory)) throw new RequestError(`request.forceModel.theory '${String(fmTheory)}' is not one of ${THEORIES.join(', ')}`);
    const times = expandTimes(request.times, this.config.maxOutputInstants);
    this.stats.requests++;
    this.stats.subjects += request.subjects.length;
    const c = this.config;
    const k: TheoryConstants = { muKm3S2: c.muKm3S2, j2: c.j2, j3: c.j3, j4: c.j4, j5: c.j5, j6: c.j6, radiusKm: c.radiusKm };
    const prepared: (Prepared | ErrorOutcome)[] = request.subjects.map((s, slot) => {
      const id = s && typeof s.id === 'string' ? s.id : `#${slot}`;
      try {
        return this.prepare(s, id, (fmTheory as TheoryName | undefined) ?? this.config.defaultTheory, request.covariance === true, k);
      } catch (err) {
        const code = err instanceof SubjectError ? err.code : err instanceof TheoryDomainError ? domainCode(err) : 'internal';
        const message = err instanceof TheoryDomainError ? `subject '${id}': ${err.message}` : (err as Error).message;
        return { id, ok: false, error: { code, message } };
      }
    });
    const needFrames = prepared.some((p) => !('ok' in p) && p.frame !== frame);
    const eops = needFrames ? await this.eop(times) : undefined;
    const transforms = new Map<string, FrameTransform>();
    const transformAt = (idx: number, from: Frame): FrameTransform => {
      const key = `${idx}|${from}`;
      let t = transforms.get(key);
      if (!t) {
        const e = times.epochs[idx];
        t = transformBetween(frameSetAtTimes({ jdTt: e.jd('TT'), jdUtc: e.jd('UTC') }, eops![idx]), from, frame as Frame);
        transforms.set(key, t);
      }
      return t;
    };
    const outcomes = prepared.map((p): PropagationOutcome => {
      if ('ok' in p) return p;
      try {
        return this.run(p, times, frame as Frame, transformAt, k);
      } catch (err) {
        return { id: p.id, ok: false, error: { code: 'internal', message: `subject '${p.id}': ${(err as Error).message}` } };
      }
    });
    this.stats.subjectErrors += outcomes.filter((o) => !o.ok).length;
    return { outcomes };
  }

  private prepare(s: PropagationSubject, id: string, fallbackTheory: TheoryName, wantCov: boolean, k: TheoryConstants): Prepared {
    if (!s || typeof s !== 'object' || typeof s.id !== 'string') throw new SubjectError('invalid-elements', `subject ${id} must be an object with a string id`);
    if (s.maneuvers?.length) throw new SubjectError('unsupported', `subject '${id}': the analytical propagators do not model manoeuvres (use the numerical propagator)`);
    let out: Prepared;
    if (s.elements) {
      const r = KeplerianElementsSchema.safeParse(s.elements);
      if (!r.success) throw new SubjectError('invalid-elements', `subject '${id}': elements: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const e = r.data;
      let theory = fallbackTheory;
      if (e.theory !== undefined) {
        if (!(THEORIES as readonly string[]).includes(e.theory)) throw new SubjectError('unsupported', `subject '${id}': mean-element theory '${e.theory}' is not available here (${THEORIES.join(', ')})`);
        theory = e.theory as TheoryName;
      } else if (e.mean) throw new SubjectError('unsupported', `subject '${id}': mean elements without a theory name`);
      const d = Math.PI / 180;
      if (!(e.e < 1) || !(e.aKm > 0)) throw new SubjectError('eccentricity', `subject '${id}': analytical theories need an elliptic orbit (got e = ${e.e}, a = ${e.aKm} km)`);
      const anomaly = e.anomalyDeg * d;
      const M = e.anomalyType === 'mean' ? anomaly : e.anomalyType === 'eccentric' ? eccentricToMean(anomaly, e.e) : trueToMean(anomaly, e.e);
      const el: MeanElements = { aKm: e.aKm, e: e.e, iRad: e.iDeg * d, raanRad: e.raanDeg * d, argpRad: e.argpDeg * d, meanAnomalyRad: M };
      out = this.withOrbit(id, epochOf(e.epoch.iso, e.epoch.scale, id), e.frame, theory, el, e.mean && e.theory !== undefined, { ...k, muKm3S2: e.muKm3S2 });
    } else if (s.state) {
      const r = StateVectorSchema.safeParse(s.state);
      if (!r.success) throw new SubjectError('invalid-elements', `subject '${id}': state: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const st = r.data;
      const c = cartesianToKeplerian(st.posKm, st.velKmS, this.config.muKm3S2);
      if (!(c.e < 1)) throw new SubjectError('eccentricity', `subject '${id}': analytical theories need an elliptic orbit (e = ${c.e.toFixed(6)})`);
      const el: MeanElements = { aKm: c.aKm, e: c.e, iRad: c.iRad, raanRad: c.raanRad, argpRad: c.argpRad, meanAnomalyRad: c.meanAnomalyRad };
      out = this.withOrbit(id, epochOf(st.epoch.iso, st.epoch.scale, id), st.frame, fallbackTheory, el, false, k);
    } else {
      throw new SubjectError('unsupported', `subject '${id}': the analytical propagators need 'state' or 'elements'; got ${Object.keys(s).filter((k) => k !== 'id').join(', ') || 'nothing'}`);
    }
    if ((EARTH_FIXED_FRAMES as readonly string[]).includes(out.frame)) throw new SubjectError('unsupported', `subject '${id}': elements in the Earth-fixed frame ${out.frame} cannot be propagated analytically: give an inertial frame`);
    if (wantCov && s.covariance) {
      const c = s.covariance;
      const scale = c.units === 'm' ? 1e-6 : 1;
      const m = c.matrix.map((row) => row.map((x) => x * scale));
      const s0 = out.s0;
      if (c.frame === 'RTN' || c.frame === 'TNW') out.cov = covarianceLocalToInertial(c.frame, s0.posKm, s0.velKmS, m);
      else if (c.frame === out.frame) out.cov = m;
      else throw new SubjectError('unsupported', `subject '${id}': covariance frame ${c.frame} differs from the state frame ${out.frame} (give it in ${out.frame}, RTN or TNW)`);
    }
    return out;
  }

  /** The subject's orbit under its theory, and its state at the epoch. */
  private withOrbit(id: string, epoch0: Epoch, frame: Frame, theory: TheoryName, el: MeanElements, mean: boolean, k: TheoryConstants): Prepared {
    const orbit = trajectory(theory, el, mean, k);
    const s = orbit.stateAt(0);
    return { id, epoch0, frame, theory, orbit, s0: { posKm: s.posKm as Vec3, velKmS: s.velKmS as Vec3 }, muKm3S2: k.muKm3S2 };
  }

  private run(p: Prepared, times: RequestTimes, frame: Frame, transformAt: (i: number, from: Frame) => FrameTransform, k0: TheoryConstants): PropagationOutcome {
    const k = { ...k0, muKm3S2: p.muKm3S2 };
    const n = times.epochs.length;
    const posKm: Vec3[] = new Array(n);
    const velKmS: Vec3[] = new Array(n);
    const covs: number[][][] | undefined = p.cov ? new Array(n) : undefined;
    const fd = covs && p.theory !== 'keplerian' ? this.perturbedOrbits(p, k) : undefined;
    for (let i = 0; i < n; i++) {
      const t = times.epochs[i].minus(p.epoch0);
      const s = p.orbit.stateAt(t);
      const tr = p.frame === frame ? undefined : transformAt(i, p.frame);
      const o = tr ? applyTransform(tr, s) : s;
      posKm[i] = o.posKm as Vec3;
      velKmS[i] = o.velKmS as Vec3;
      if (covs && p.cov) {
        const phi = fd ? fdTransition(fd, t) : twoBodyTransition(p.s0.posKm, p.s0.velKmS, t, p.muKm3S2).stm;
        const P = sandwich(phi, p.cov);
        covs[i] = tr ? applyTransformToCovariance(tr, P) : P;
      }
    }
    return covs ? { id: p.id, ok: true, frame, epochsUtc: times.isoUtc, posKm, velKmS, covariances: covs } : { id: p.id, ok: true, frame, epochsUtc: times.isoUtc, posKm, velKmS };
  }

  /**
   * The theory's orbits from the epoch state displaced by ±1 m and ±1 mm/s along each axis
   * (each turned into osculating elements and, for Eckstein–Hechler, into mean elements), for
   * ∂y(t)/∂y(0) by central differences.
   */
  private perturbedOrbits(p: Prepared, k: TheoryConstants): { plus: Trajectory[]; minus: Trajectory[]; steps: number[] } {
    const y0 = [...p.s0.posKm, ...p.s0.velKmS];
    const make = (y: number[]): Trajectory => {
      const c = cartesianToKeplerian(y.slice(0, 3), y.slice(3), k.muKm3S2);
      return trajectory(p.theory, { aKm: c.aKm, e: c.e, iRad: c.iRad, raanRad: c.raanRad, argpRad: c.argpRad, meanAnomalyRad: c.meanAnomalyRad }, false, k);
    };
    const steps = [1e-3, 1e-3, 1e-3, 1e-6, 1e-6, 1e-6];
    const plus: Trajectory[] = [];
    const minus: Trajectory[] = [];
    for (let j = 0; j < 6; j++) {
      const a = [...y0];
      const b = [...y0];
      a[j] += steps[j];
      b[j] -= steps[j];
      plus.push(make(a));
      minus.push(make(b));
    }
    return { plus, minus, steps };
  }

  private async eop(times: RequestTimes): Promise<FrameEopValues[]> {
    const provider = this.deps.eop();
    if (!provider) {
      this.stats.zeroEopRequests++;
      if (this.stats.zeroEopRequests === 1) this.deps.log?.warn('analytical-propagators: no EOP provider running: frame conversions use zero EOP (UT1 = UTC, no polar motion)');
      return times.epochs.map(() => ZERO_EOP);
    }
    const recs = await provider.at(times.epochs.map((e) => e.mjd('UTC')));
    if (!Array.isArray(recs) || recs.length !== times.epochs.length) throw new RequestError(`EOP provider returned ${Array.isArray(recs) ? recs.length : 'no'} records for ${times.epochs.length} instants`);
    return recs.map(eopValuesOf);
  }
}

/** ∂y(t)/∂y(0) by central differences over the perturbed orbits. */
function fdTransition(fd: { plus: Trajectory[]; minus: Trajectory[]; steps: number[] }, t: number): number[][] {
  const phi = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  for (let j = 0; j < 6; j++) {
    const a = fd.plus[j].stateAt(t);
    const b = fd.minus[j].stateAt(t);
    for (let i = 0; i < 3; i++) {
      phi[i][j] = (a.posKm[i] - b.posKm[i]) / (2 * fd.steps[j]);
      phi[3 + i][j] = (a.velKmS[i] - b.velKmS[i]) / (2 * fd.steps[j]);
    }
  }
  return phi;
}

/** Subject error code of a condition outside the Eckstein–Hechler domain. */
function domainCode(err: TheoryDomainError): ErrorOutcome['error']['code'] {
  return err.reason === 'eccentricity' ? 'eccentricity' : err.reason === 'not-converged' ? 'diverged' : 'unsupported';
}

function epochOf(iso: string, scale: Parameters<typeof Epoch.parse>[1], id: string): Epoch {
  try {
    return Epoch.parse(iso, scale);
  } catch (err) {
    throw new SubjectError('invalid-elements', `subject '${id}': epoch: ${(err as Error).message}`);
  }
}

function sandwich(phi: number[][], P: number[][]): number[][] {
  const A = phi.map((row) => P[0].map((_, j) => row.reduce((s, x, kk) => s + x * P[kk][j], 0)));
  const out = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  for (let i = 0; i < 6; i++)
    for (let j = i; j < 6; j++) {
      let s = 0;
      for (let kk = 0; kk < 6; kk++) s += A[i][kk] * phi[j][kk];
      out[i][j] = s;
      out[j][i] = s;
    }
  return out;
}
