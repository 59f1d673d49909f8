import { expect } from 'chai';
import { MU_EARTH_KM3_S2 } from '../../../sdk/astro/constants';
import { cartesianToKeplerian, keplerianToCartesian } from '../../../sdk/astro/elements';
import { integrate } from '../../../sdk/astro/integrators';
import { propagateTwoBody, twoBodyTransition } from '../../../sdk/astro/twobody';
import { Epoch } from '../../../sdk/astro/time';
import { propagateCowell, type CowellPlan } from '../cowell';
import { ForceModel, type ForceModelOptions } from '../dynamics';
import { BodyEphemeris, UniformEarthRotation } from '../environment';
import { Geopotential } from '../geopotential';
import { referenceField, stmBlockErrors } from './helpers';

const DEG = Math.PI / 180;
const OMEGA = 7.292115e-5;

function plan(force: ForceModel, y0: number[], outputs: number[], extra: Partial<CowellPlan> = {}): CowellPlan {
  return { force, y0, massKg: 1000, outputs, stm: false, impulses: [], burns: [], method: 'dp853', rtol: 1e-13, atolKm: 1e-10, minRadiusKm: 6378, ...extra };
}

function model(o: Partial<ForceModelOptions>): ForceModel {
  return new ForceModel({ muKm3S2: MU_EARTH_KM3_S2, rotation: new UniformEarthRotation(OMEGA), sun: false, moon: false, ...o });
}

const LEO = keplerianToCartesian({ aKm: 6878.137, e: 0.0012, iRad: 51.6 * DEG, raanRad: 30 * DEG, argpRad: 40 * DEG, trueAnomalyRad: 10 * DEG });
const Y_LEO = [...LEO.posKm, ...LEO.velKmS];
const MOLNIYA = keplerianToCartesian({ aKm: 26600, e: 0.74, iRad: 63.4 * DEG, raanRad: 100 * DEG, argpRad: 270 * DEG, trueAnomalyRad: 0 });
const Y_MOL = [...MOLNIYA.posKm, ...MOLNIYA.velKmS];

const rel = (a: ArrayLike<number>, b: ArrayLike<number>, from: number, to: number): number => {
  let d = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / n);
};

describe('numerical-propagator Cowell core', () => {
  it('two-body: agrees with the universal-variable solution (sdk/astro/twobody) to 1e-9 relative over a day, forward and backward', () => {
    // Tolerance 1e-9 relative (issue acceptance); rtol 1e-13 keeps DOP853's global error ~1e-11.
    for (const y0 of [Y_LEO, Y_MOL]) {
      const outs = [3600, 43200, 86400, -7200, -86400];
      const r = propagateCowell(plan(model({}), y0, outs));
      outs.forEach((t, k) => {
        const ref = propagateTwoBody(y0.slice(0, 3), y0.slice(3), t);
        const got = r.states.subarray(6 * k, 6 * k + 6);
        expect(rel(got, ref.posKm, 0, 3), `pos t=${t}`).to.be.below(1e-9);
        expect(rel(got.subarray(3), ref.velKmS, 0, 3), `vel t=${t}`).to.be.below(1e-9);
      });
    }
  });

  it('two-body STM from the variational equations equals the analytic two-body STM to 1e-8 relative', () => {
    const r = propagateCowell(plan(model({}), Y_LEO, [5400, 43200], { stm: true }));
    [5400, 43200].forEach((t, k) => {
      const ref = twoBodyTransition(Y_LEO.slice(0, 3), Y_LEO.slice(3), t).stm.flat();
      expect(rel(r.stms!.subarray(36 * k, 36 * k + 36), ref, 0, 36)).to.be.below(1e-8);
    });
  });

  it('J2-only: agrees with an independent integration of the closed-form J2 acceleration (DP5(4), other tolerance) to 1e-9 relative over a day', () => {
    const field = referenceField('JGM3');
    const g = new Geopotential(field, 2, 0);
    const J2 = -field.cnm[2][0] * Math.sqrt(5);
    const mu = field.muKm3S2;
    const R = field.radiusKm;
    // Vallado 4th ed. eq. 8-29, written here independently of geopotential.ts
    const fJ2 = (_t: number, y: Float64Array, d: Float64Array): void => {
      const [x, yy, z] = [y[0], y[1], y[2]];
      const r2 = x * x + yy * yy + z * z;
      const r = Math.sqrt(r2);
      const k = (-1.5 * J2 * mu * R * R) / (r2 * r2 * r);
      const zr = (5 * z * z) / r2;
      d[0] = y[3];
      d[1] = y[4];
      d[2] = y[5];
      d[3] = (-mu * x) / (r2 * r) + k * x * (1 - zr);
      d[4] = (-mu * yy) / (r2 * r) + k * yy * (1 - zr);
      d[5] = (-mu * z) / (r2 * r) + k * z * (3 - zr);
    };
    const outs = [21600, 86400];
    const ref = integrate({ f: fJ2, t0: 0, y0: Y_LEO, tEnd: 86400, method: 'dp54', rtol: 1e-14, atol: 1e-14, outputTimes: outs });
    // rotation: uniform about z — J2 is axisymmetric, so the Earth's rotation does not enter
    const r = propagateCowell(plan(model({ geopotential: g }), Y_LEO, outs));
    outs.forEach((_t, k) => {
      expect(rel(r.states.subarray(6 * k, 6 * k + 3), ref.outputs[k].y, 0, 3)).to.be.below(1e-9);
      expect(rel(r.states.subarray(6 * k + 3, 6 * k + 6), ref.outputs[k].y.subarray(3), 0, 3)).to.be.below(1e-9);
    });
  });

  it('J2-only: RAAN and perigee drift over 5 days match the secular rates (Vallado eqs. 9-41, 9-42) within J2² order', () => {
    const field = referenceField('JGM3');
    const g = new Geopotential(field, 2, 0);
    const J2 = -field.cnm[2][0] * Math.sqrt(5);
    const mu = field.muKm3S2;
    const R = field.radiusKm;
    const y0el = keplerianToCartesian({ aKm: 7178.137, e: 0.01, iRad: 63 * DEG, raanRad: 30 * DEG, argpRad: 40 * DEG, trueAnomalyRad: 0 }, mu);
    const y0 = [...y0el.posKm, ...y0el.velKmS];
    const T = 2 * Math.PI * Math.sqrt(7178.137 ** 3 / mu);
    const span = 5 * 86400;
    // orbit-averaged osculating elements over the first and last revolutions (64 samples each):
    // averaging removes the short-period terms to O(e J2) so the mean drift can be compared.
    const samples = (t0: number) => Array.from({ length: 64 }, (_, i) => t0 + (i * T) / 64);
    const outs = [...samples(0), ...samples(span)];
    const r = propagateCowell(plan(model({ geopotential: g }), y0, outs, { rtol: 1e-11 }));
    const avg = (from: number) => {
      let raan = 0, argp = 0, a = 0, e = 0, inc = 0;
      let raanRef: number | undefined, argpRef: number | undefined;
      for (let k = from; k < from + 64; k++) {
        const el = cartesianToKeplerian(Array.from(r.states.subarray(6 * k, 6 * k + 3)), Array.from(r.states.subarray(6 * k + 3, 6 * k + 6)), mu);
        raanRef ??= el.raanRad;
        argpRef ??= el.argpRad;
        raan += raanRef + Math.atan2(Math.sin(el.raanRad - raanRef), Math.cos(el.raanRad - raanRef));
        argp += argpRef + Math.atan2(Math.sin(el.argpRad - argpRef), Math.cos(el.argpRad - argpRef));
        a += el.aKm; e += el.e; inc += el.iRad;
      }
      return { raan: raan / 64, argp: argp / 64, a: a / 64, e: e / 64, i: inc / 64 };
    };
    const m0 = avg(0);
    const m1 = avg(64);
    const n = Math.sqrt(mu / m0.a ** 3);
    const p = m0.a * (1 - m0.e ** 2);
    const raanRate = -1.5 * n * J2 * (R / p) ** 2 * Math.cos(m0.i);
    const argpRate = 0.75 * n * J2 * (R / p) ** 2 * (5 * Math.cos(m0.i) ** 2 - 1);
    const dRaan = Math.atan2(Math.sin(m1.raan - m0.raan), Math.cos(m1.raan - m0.raan));
    // tolerance: 5e-3 of the drift — the secular rates are first order in J2 (neglected J2²
    // terms ~1e-3 relative) and the averaged osculating a differs from the mean a by O(J2 e).
    expect(Math.abs(dRaan - raanRate * span)).to.be.below(5e-3 * Math.abs(raanRate * span));
    // near the critical inclination (63.4°) the perigee barely moves: absolute bound instead
    const dArgp = m1.argp - m0.argp;
    expect(Math.abs(dArgp - argpRate * span)).to.be.below(2e-3 * Math.abs(raanRate * span));
  });

  // SRP without the shadow here: the integrator steps across the ~8 s penumbra without locating
  // it (no eclipse events yet), so two neighbouring runs take different steps there and their
  // difference carries ~1e-6 km of integration noise — the finite-difference REFERENCE, not the
  // STM, fails then (measured 6e-4). The shadow function itself is tested in forces.test.ts.
  it('STM with 20×20 geopotential, Sun, Moon, SRP (no shadow) and drag agrees with finite differences of the propagated state to 1e-6 relative', () => {
    const field = referenceField('JGM3');
    const epoch = Epoch.parse('2024-03-01T00:00:00', 'UTC');
    const f = model({
      geopotential: new Geopotential(field, 20, 20),
      bodies: new BodyEphemeris(epoch),
      sun: true,
      moon: true,
      srp: { cr: 1.3, areaM2: 10, shadow: false },
      drag: { cd: 2.2, areaM2: 10, harrisPriesterN: 4 },
    });
    const tOut = 6 * 3600;
    const base = propagateCowell(plan(f, Y_LEO, [tOut], { stm: true, rtol: 1e-12 }));
    const phi = base.stms!;
    // central differences with δr = 1 m, δv = 1 mm/s: truncation (δ/scale)² ~ 1e-8, round-off
    // with rtol 1e-12 ~ 1e-12·|r|/δ ~ 1e-8 relative — both well under the 1e-6 tolerance.
    // each block relative to its own size (position/velocity rows, columns)
    for (const { block, error } of stmBlockErrors(phi, Y_LEO, (y) => propagateCowell(plan(f, y, [tOut], { rtol: 1e-13 })).states)) {
      expect(error, `block ${block}`).to.be.below(1e-6);
    }
  });

  it('Jacobi integral of a uniformly rotating 20×20 field: drift bounded by the integration tolerance over a day', () => {
    // In a field rotating uniformly at ω about z the Jacobi integral J = ½|v|² − U(R r) − ω·(r × v)
    // is conserved exactly (Montenbruck & Gill 2000, §3.2 exercise; Murray & Dermott §3.3). Any drift
    // is integration error: it must stay below ~10 × rtol over a day (≈ 240 steps) and shrink with rtol.
    const field = referenceField('JGM3');
    const g = new Geopotential(field, 20, 20);
    const rot = new UniformEarthRotation(OMEGA, 0.3);
    const f = new ForceModel({ geopotential: g, muKm3S2: field.muKm3S2, rotation: rot, sun: false, moon: false });
    const outs = Array.from({ length: 25 }, (_, k) => k * 3600);
    const R = new Float64Array(9);
    const drift = (rtol: number): number => {
      const r = propagateCowell(plan(f, Y_LEO, outs, { rtol, atolKm: rtol * 100 }));
      const jac = (k: number, t: number): number => {
        const s = r.states.subarray(6 * k, 6 * k + 6);
        rot.rotation(t, R);
        const xe = R[0] * s[0] + R[1] * s[1] + R[2] * s[2];
        const ye = R[3] * s[0] + R[4] * s[1] + R[5] * s[2];
        const ze = R[6] * s[0] + R[7] * s[1] + R[8] * s[2];
        const hz = s[0] * s[4] - s[1] * s[3];
        return 0.5 * (s[3] ** 2 + s[4] ** 2 + s[5] ** 2) - g.potential(xe, ye, ze) - OMEGA * hz;
      };
      const j0 = jac(0, 0);
      let worst = 0;
      outs.forEach((t, k) => (worst = Math.max(worst, Math.abs(jac(k, t) - j0) / Math.abs(j0))));
      return worst;
    };
    const loose = drift(1e-10);
    const tight = drift(1e-13);
    expect(loose).to.be.below(1e-9);
    expect(tight).to.be.below(1e-12);
    expect(tight).to.be.below(loose / 10);
  });
});
