import { expect } from 'chai';
import * as path from 'node:path';
import { AnalyticalPropagatorToken, NumericalPropagatorToken, type PropagationOutcome } from '../../../interfaces/services/propagation';
import { cartesianToKeplerian, keplerianToCartesian } from '../../../sdk/astro/elements';
import { propagateTwoBody } from '../../../sdk/astro/twobody';
import { readReferenceText } from '../../../sdk/reference-data';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { elementsAt, j2SecularRates, stateOf } from '../theories';

const ANALYTICAL = path.join(__dirname, '..');
const NUMERICAL = path.join(__dirname, '..', '..', 'numerical-propagator');
const DEG = Math.PI / 180;
const EPOCH = { iso: '2024-03-01T00:00:00', scale: 'UTC' as const };
const ok = (o: PropagationOutcome) => {
  if (!o.ok) throw new Error(`${o.id}: ${o.error.code}: ${o.error.message}`);
  return o;
};
const relErr = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) / Math.hypot(b[0], b[1], b[2]);

/** JGM-3 constants read from the reference file, so analytical and numerical use the same Earth. */
function jgm3(): { mu: number; j2: number; radius: number } {
  const text = readReferenceText('gravity/brahe/JGM3.gfc');
  const num = (re: RegExp) => Number(re.exec(text)![1]);
  return { mu: num(/earth_gravity_constant\s+(\S+)/) / 1e9, radius: num(/radius\s+(\S+)/) / 1e3, j2: -Math.sqrt(5) * num(/gfc\s+2\s+0\s+(\S+)/) };
}

describe('analytical-propagators theories', () => {
  it('keplerian: equals the universal-variable two-body solution (sdk/astro/twobody) to 1e-10 over 10 days', () => {
    const k = { muKm3S2: 398600.4418, j2: 1.0826e-3, radiusKm: 6378.137 };
    const el = { aKm: 7000, e: 0.05, iRad: 0.9, raanRad: 1, argpRad: 2, meanAnomalyRad: 0.3 };
    const s0 = stateOf(el, k.muKm3S2);
    for (const t of [600, 86400, 864000, -3600]) {
      const s = stateOf(elementsAt('keplerian', el, t, k), k.muKm3S2);
      const ref = propagateTwoBody(s0.posKm, s0.velKmS, t);
      expect(relErr(s.posKm, ref.posKm)).to.be.below(1e-10);
    }
  });

  it('j2-secular: sun-synchronous condition and critical inclination come out of the rates', () => {
    const k = { muKm3S2: 398600.4418, j2: 1.08263e-3, radiusKm: 6378.137 };
    // sun-synchronous inclination of a 700 km circular orbit: Ω̇ = 360° per tropical year
    const target = (2 * Math.PI) / (365.2421897 * 86400);
    let lo = 90 * DEG;
    let hi = 120 * DEG;
    for (let it = 0; it < 60; it++) {
      const mid = (lo + hi) / 2;
      const r = j2SecularRates({ aKm: 7078, e: 0, iRad: mid, raanRad: 0, argpRad: 0, meanAnomalyRad: 0 }, k);
      if (r.raanDot < target) lo = mid;
      else hi = mid;
    }
    // the value tabulated for 700 km sun-synchronous orbits (Wertz & Larson, Space Mission Analysis and Design): 98.19°
    expect(lo / DEG).to.be.closeTo(98.19, 0.01);
    // ω̇ = 0 at the critical inclination 63.435° (4 − 5 sin² i = 0)
    const rc = j2SecularRates({ aKm: 26600, e: 0.7, iRad: Math.asin(Math.sqrt(0.8)), raanRad: 0, argpRad: 0, meanAnomalyRad: 0 }, k);
    expect(Math.abs(rc.argpDot)).to.be.below(1e-20);
  });
});

describe('analytical-propagators plugin in a kernel (with the numerical propagator as reference)', function () {
  this.timeout(30_000);
  let tk: TestKernel | undefined;
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
  });

  it('keplerian agrees with the numerical two-body run to 1e-9 over a day, covariances (analytic STM vs variational STM) to 1e-7', async () => {
    tk = await createTestKernel({ plugins: [ANALYTICAL, NUMERICAL] });
    const a = tk.service(AnalyticalPropagatorToken);
    const n = tk.service(NumericalPropagatorToken);
    const s = keplerianToCartesian({ aKm: 6878.137, e: 0.0012, iRad: 51.6 * DEG, raanRad: 30 * DEG, argpRad: 40 * DEG, trueAnomalyRad: 10 * DEG });
    const cov = [1, 2, 0.5, 1e-6, 2e-6, 1e-6].map((d, i, arr) => arr.map((_, j) => (i === j ? d : 0)));
    const subject = { id: 's', state: { epoch: EPOCH, frame: 'GCRF' as const, posKm: s.posKm, velKmS: s.velKmS }, covariance: { frame: 'GCRF' as const, units: 'km' as const, matrix: cov } };
    const times = { startUtc: '2024-03-01T00:00:00', stopUtc: '2024-03-02T00:00:00', stepS: 7200 };
    const ra = ok((await a.propagate({ subjects: [subject], times, frame: 'GCRF', covariance: true })).outcomes[0]);
    const rn = ok((await n.propagate({ subjects: [subject], times, frame: 'GCRF', covariance: true, forceModel: { degree: 0, order: 0, sun: false, moon: false, drag: 'none', srp: false, rtol: 1e-13, atolKm: 1e-10 } })).outcomes[0]);
    ra.posKm.forEach((p, k) => {
      expect(relErr(p, rn.posKm[k])).to.be.below(1e-9);
      let d = 0;
      let m = 0;
      for (let i = 0; i < 6; i++)
        for (let j = 0; j < 6; j++) {
          d += (ra.covariances![k][i][j] - rn.covariances![k][i][j]) ** 2;
          m += rn.covariances![k][i][j] ** 2;
        }
      expect(Math.sqrt(d / m)).to.be.below(1e-7);
    });
  });

  it('j2-secular agrees with a numerical J2-only run over a day within the short-period amplitude (plane) and 5e-3 of the secular drift (node)', async () => {
    const c = jgm3();
    tk = await createTestKernel({ plugins: [ANALYTICAL, NUMERICAL], config: { plugins: { 'analytical-propagators': { config: { defaultTheory: 'j2-secular', muKm3S2: c.mu, j2: c.j2, radiusKm: c.radius } } } } });
    const a = tk.service(AnalyticalPropagatorToken);
    const n = tk.service(NumericalPropagatorToken);
    // TOD: with zero EOP the numerical propagator's Earth pole (ITRF z) is the TOD z axis, the J2 axis of the analytical theory
    const aKm = 7078.137;
    const s = keplerianToCartesian({ aKm, e: 0.001, iRad: 98 * DEG, raanRad: 30 * DEG, argpRad: 40 * DEG, trueAnomalyRad: 10 * DEG }, c.mu);
    const subject = { id: 'sso', state: { epoch: EPOCH, frame: 'TOD' as const, posKm: s.posKm, velKmS: s.velKmS } };
    const T = 2 * Math.PI * Math.sqrt(aKm ** 3 / c.mu);
    const inst = (t0: number) => Array.from({ length: 32 }, (_, i) => new Date(Date.parse('2024-03-01T00:00:00Z') + Math.round((t0 + (i * T) / 32) * 1000)).toISOString());
    const times = { instantsUtc: [...inst(0), ...inst(86400)] };
    const ra = ok((await a.propagate({ subjects: [subject], times, frame: 'TOD' })).outcomes[0]);
    const rn = ok((await n.propagate({ subjects: [subject], times, frame: 'TOD', forceModel: { degree: 2, order: 0, sun: false, moon: false, drag: 'none', srp: false } })).outcomes[0]);
    const els = (o: typeof ra) => o.posKm.map((p, k) => cartesianToKeplerian(p, o.velKmS[k], c.mu));
    const ea = els(ra);
    const en = els(rn);
    // short-period amplitude of Ω and i: ~ (3/2) J2 (R/a)² ≈ 1.3e-3 rad; bound 2e-3 rad
    const amp = 1.5 * c.j2 * (c.radius / aKm) ** 2;
    ea.forEach((e, k) => {
      const dO = Math.atan2(Math.sin(e.raanRad - en[k].raanRad), Math.cos(e.raanRad - en[k].raanRad));
      expect(Math.abs(dO), `ΔΩ at ${k}`).to.be.below(1.5 * amp);
      expect(Math.abs(e.iRad - en[k].iRad)).to.be.below(1.5 * amp);
    });
    // orbit-averaged node after one day: secular drift ≈ 0.98°/day for this orbit
    const mean = (xs: number[]) => xs.reduce((u, v) => u + v, 0) / xs.length;
    const driftA = mean(ea.slice(32).map((e) => e.raanRad)) - mean(ea.slice(0, 32).map((e) => e.raanRad));
    const driftN = mean(en.slice(32).map((e) => e.raanRad)) - mean(en.slice(0, 32).map((e) => e.raanRad));
    expect(Math.abs(driftA - driftN)).to.be.below(5e-3 * Math.abs(driftN));
  });

  it('per-subject typed errors', async () => {
    tk = await createTestKernel({ plugins: [ANALYTICAL] });
    const a = tk.service(AnalyticalPropagatorToken);
    const base = { epoch: EPOCH, frame: 'GCRF' as const, muKm3S2: 398600.4418, aKm: 7000, e: 0.01, iDeg: 50, raanDeg: 0, argpDeg: 0, anomalyDeg: 0, anomalyType: 'true' as const, mean: false };
    const { outcomes } = await a.propagate({
      subjects: [
        { id: 'gp', gp: {} as never },
        { id: 'hyp', elements: { ...base, aKm: -7000, e: 1.5 } },
        { id: 'brouwer', elements: { ...base, mean: true, theory: 'brouwer' } },
        { id: 'itrf', elements: { ...base, frame: 'ITRF' } },
        { id: 'burn', elements: base, maneuvers: [{} as never] },
        { id: 'fine', elements: { ...base, theory: 'j2-secular', mean: true } },
      ],
      times: { instantsUtc: ['2024-03-01T01:00:00'] },
      frame: 'GCRF',
    });
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).to.deep.equal(['unsupported', 'eccentricity', 'unsupported', 'unsupported', 'unsupported', 'ok']);
  });
});
