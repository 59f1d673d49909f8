import { expect } from 'chai';
import { MU_EARTH_KM3_S2 } from '../constants';
import {
  DP54,
  DP853,
  IntegrationError,
  Integrator,
  RK4,
  brentRoot,
  goldenSectionMin,
  integrate,
  orderConditionResiduals,
  rootedTrees,
  rowSumResidual,
  type IntegrationMethod,
} from '../integrators';
import { DP853_BHH, DP853_EXTRA_A, DP853_EXTRA_C, dp54DenseWeights, dp853DenseWeights, rk4DenseWeights } from '../integrators/tableaus';

/**
 * References used here, none of them the code under test:
 *  - Butcher's order conditions (HNW §II.2 Thm 2.13, §II.6 Thm 6.1) for the typed tables;
 *  - the exact two-body solution: a circular orbit is a uniform rotation, an eccentric one
 *    follows Kepler's equation M = E − e sin E (Vallado, Fundamentals of Astrodynamics,
 *    4th ed., §2.2–2.3), solved here by Newton to machine precision;
 *  - the theoretical convergence orders (global error ∝ h^p, HNW §II.3 Thm 3.6).
 */

const MU = MU_EARTH_KM3_S2;

/** Two-body acceleration, state [x y z vx vy vz] in km, km/s. */
function twoBody(_t: number, y: Float64Array, d: Float64Array): void {
  const r2 = y[0] * y[0] + y[1] * y[1] + y[2] * y[2];
  const k = -MU / (r2 * Math.sqrt(r2));
  d[0] = y[3];
  d[1] = y[4];
  d[2] = y[5];
  d[3] = k * y[0];
  d[4] = k * y[1];
  d[5] = k * y[2];
}

const specificEnergy = (y: ArrayLike<number>): number => 0.5 * (y[3] ** 2 + y[4] ** 2 + y[5] ** 2) - MU / Math.hypot(y[0], y[1], y[2]);
const dist3 = (a: ArrayLike<number>, b: ArrayLike<number>): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Circular orbit of radius aKm and inclination inc, node on +x, argument of latitude u0 at t = 0. */
function circularOrbit(aKm: number, inc: number, u0: number) {
  const n = Math.sqrt(MU / aKm ** 3);
  const v = n * aKm;
  const state = (t: number): number[] => {
    const u = u0 + n * t;
    const c = Math.cos(u);
    const s = Math.sin(u);
    return [aKm * c, aKm * s * Math.cos(inc), aKm * s * Math.sin(inc), -v * s, v * c * Math.cos(inc), v * c * Math.sin(inc)];
  };
  return { n, period: (2 * Math.PI) / n, state };
}

/** Eccentric planar orbit starting at perigee at t = 0; exact state from Kepler's equation. */
function keplerOrbit(aKm: number, e: number) {
  const n = Math.sqrt(MU / aKm ** 3);
  const state = (t: number): number[] => {
    const M = n * t;
    let E = M + e * Math.sin(M);
    for (let i = 0; i < 50; i++) {
      const dE = (E - e * Math.sin(E) - M) / (1 - e * Math.cos(E));
      E -= dE;
      if (Math.abs(dE) < 1e-16) break;
    }
    const q = Math.sqrt(1 - e * e);
    const den = 1 - e * Math.cos(E);
    return [aKm * (Math.cos(E) - e), aKm * q * Math.sin(E), 0, (-aKm * n * Math.sin(E)) / den, (aKm * n * q * Math.cos(E)) / den, 0];
  };
  return { n, period: (2 * Math.PI) / n, state };
}

/** Least-squares slope of log(err) against log(h). */
function logLogSlope(h: number[], err: number[]): number {
  const x = h.map(Math.log);
  const y = err.map(Math.log);
  const mx = x.reduce((p, q) => p + q) / x.length;
  const my = y.reduce((p, q) => p + q) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}

describe('sdk/astro integrators', () => {
  describe('coefficient tables satisfy Butcher order conditions', () => {
    // Residuals are sums of ~16 products of O(1…500) coefficients: round-off reaches ~1e-14.
    const TOL = 1e-13;

    it('enumerates the rooted trees of orders 1…8 (OEIS A000081: 1 1 2 4 9 20 48 115)', () => {
      const counts = new Array(9).fill(0);
      for (const t of rootedTrees(8)) counts[t.order]++;
      expect(counts.slice(1)).to.deep.equal([1, 1, 2, 4, 9, 20, 48, 115]);
    });

    for (const tab of [RK4, DP54, DP853]) {
      const trees = rootedTrees(tab.order).length;
      it(`${tab.name}: order ${tab.order} (all ${trees} trees of order ≤ ${tab.order}) and not ${tab.order + 1}`, () => {
        expect(rowSumResidual(tab.a, tab.c)).to.be.below(TOL);
        const r = orderConditionResiduals(tab.a, tab.b, tab.order + 1).maxResidualByOrder;
        for (let p = 1; p <= tab.order; p++) expect(r[p], `order ${p}`).to.be.below(TOL);
        // A method of higher order than claimed would mean the wrong table.
        expect(r[tab.order + 1]).to.be.above(1e-6);
      });
    }

    it('dp54 embedded solution b̂ = b − e is order 4; dp853 b̂₅ is order 5 and BHH order 3', () => {
      const r54 = orderConditionResiduals(
        DP54.a,
        DP54.b.map((b, i) => b - DP54.e[i]),
        5,
      ).maxResidualByOrder;
      for (let p = 1; p <= 4; p++) expect(r54[p]).to.be.below(TOL);
      expect(r54[5]).to.be.above(1e-6);
      const r85 = orderConditionResiduals(
        DP853.a,
        DP853.b.map((b, i) => b - DP853.e[i]),
        6,
      ).maxResidualByOrder;
      for (let p = 1; p <= 5; p++) expect(r85[p]).to.be.below(TOL);
      expect(r85[6]).to.be.above(1e-6);
      const bhh = new Array(12).fill(0);
      [bhh[0], bhh[8], bhh[11]] = DP853_BHH;
      const r3 = orderConditionResiduals(DP853.a, bhh, 4).maxResidualByOrder;
      for (let p = 1; p <= 3; p++) expect(r3[p]).to.be.below(TOL);
      expect(r3[4]).to.be.above(1e-6);
    });

    it('dense outputs are of order 3 (rk4), 4 (dp54), 7 (dp853) for all θ, and exact at θ = 1', () => {
      // DOP853's continuous extension uses 16 stages: the 12 of the step, f at the new point
      // (a row equal to b, c = 1) and the three extra stages.
      const a16 = [...DP853.a.map((r) => [...r]), [...DP853.b], ...DP853_EXTRA_A.map((r) => [...r])];
      expect(rowSumResidual(a16, [...DP853.c, 1, ...DP853_EXTRA_C])).to.be.below(TOL);
      const cases: [readonly (readonly number[])[], number, number, (th: number, w: Float64Array) => void][] = [
        [RK4.a, 4, 3, rk4DenseWeights],
        [DP54.a, 7, 4, dp54DenseWeights],
        [a16, 16, 7, dp853DenseWeights],
      ];
      for (const [a, s, q, weights] of cases) {
        const w = new Float64Array(s);
        for (const theta of [0.1, 0.37, 0.5, 0.8, 1]) {
          weights(theta, w);
          const r = orderConditionResiduals(a, w, q + 1, theta).maxResidualByOrder;
          for (let p = 1; p <= q; p++) expect(r[p], `q=${q} θ=${theta} order ${p}`).to.be.below(TOL);
          if (theta < 1) expect(r[q + 1], `q=${q} θ=${theta}: order ${q + 1} should fail`).to.be.above(1e-8);
        }
      }
    });
  });

  describe('order of convergence on the two-body problem (fixed steps)', () => {
    // Eccentric (e = 0.1) orbit over one period: the exact final state is the initial one.
    // Step counts chosen in the asymptotic range and above the round-off floor (measured:
    // dp853's error reaches ~2e-10 km, the round-off level, at 141 steps/period).
    const orbit = keplerOrbit(12000, 0.1);
    const y0 = orbit.state(0);
    const cases: { method: IntegrationMethod; steps: number[]; p: number; range: [number, number] }[] = [
      // Measured slopes: rk4 4.11, dp54 4.96, dp853 7.85 (pre-asymptotic terms push RK4 up, DP8 down).
      { method: 'rk4', steps: [200, 283, 400, 566, 800], p: 4, range: [3.9, 4.25] },
      { method: 'dp54', steps: [100, 141, 200, 283, 400], p: 5, range: [4.8, 5.2] },
      { method: 'dp853', steps: [25, 35, 50, 71], p: 8, range: [7.6, 8.4] },
    ];
    for (const { method, steps, p, range } of cases) {
      it(`${method}: global error ∝ h^${p} (fitted slope in [${range[0]}, ${range[1]}])`, () => {
        const hs: number[] = [];
        const errs: number[] = [];
        for (const N of steps) {
          const h = orbit.period / N;
          const r = integrate({ f: twoBody, t0: 0, y0, tEnd: orbit.period, method, step: h });
          expect(r.steps).to.equal(N);
          hs.push(h);
          errs.push(dist3(r.y, y0));
        }
        const slope = logLogSlope(hs, errs);
        expect(slope).to.be.within(range[0], range[1]);
      });
    }

    it('dense output local error ∝ h^(q+1) for the orders q = 3, 4, 7 of the continuous extensions', () => {
      // One step from the exact state at t₀ = 0.3 T, dense output at θ = 0.5 against Kepler.
      const t0 = 0.3 * orbit.period;
      const ranges: Record<IntegrationMethod, [number, number, number[]]> = {
        rk4: [3.8, 4.3, [60, 85, 120, 170]],
        dp54: [4.8, 5.3, [30, 42, 60, 85]],
        dp853: [7.5, 8.5, [8, 11, 16, 22]],
      };
      for (const method of ['rk4', 'dp54', 'dp853'] as const) {
        const [lo, hi, divisions] = ranges[method];
        const hs: number[] = [];
        const errs: number[] = [];
        for (const N of divisions) {
          const h = orbit.period / N;
          const integ = new Integrator(twoBody, t0, orbit.state(t0), t0 + h, { method, step: h });
          integ.step();
          expect(integ.done).to.equal(true);
          hs.push(h);
          errs.push(dist3(integ.dense(t0 + 0.5 * h), orbit.state(t0 + 0.5 * h)));
        }
        expect(logLogSlope(hs, errs), method).to.be.within(lo, hi);
      }
    });
  });

  describe('adaptive integration of a LEO orbit', () => {
    const inc = 51.6 * (Math.PI / 180);
    const leo = circularOrbit(7000, inc, 0);
    const y0 = leo.state(0);

    it('dp853: 10-day energy drift < 1e-10 relative, final position vs exact circular motion < 10 cm', () => {
      const tEnd = 10 * 86400;
      const r = integrate({ f: twoBody, t0: 0, y0, tEnd, method: 'dp853', rtol: 1e-12, atol: 1e-12 });
      expect(r.t).to.equal(tEnd);
      const drift = Math.abs((specificEnergy(r.y) - specificEnergy(y0)) / specificEnergy(y0));
      // Brief's requirement 1e-10; measured 2.7e-12.
      expect(drift).to.be.below(1e-10);
      // Global error of an adaptive method grows about linearly: ~tol × (148 orbits) ×
      // 2π a ≈ 7e-6 km; measured 1.1e-5 km; bound 1e-4 km leaves a factor ~10.
      expect(dist3(r.y, leo.state(tEnd))).to.be.below(1e-4);
      // Sanity on cost: DOP853 needs about 50 steps per orbit at 1e-12 (measured 7388).
      expect(r.steps).to.be.within(5000, 10000);
      expect(r.evaluations).to.equal(1 + 1 + 12 * (r.steps + r.rejected)); // f(t0), start-step probe, 12 per attempt
    });

    it('dp54 reaches the same orbit with error consistent with its tolerance', () => {
      const r = integrate({ f: twoBody, t0: 0, y0, tEnd: leo.period, method: 'dp54', rtol: 1e-10, atol: 1e-10 });
      // One orbit at 1e-10: the error is a few times tol × steps × |r| ≈ 1e-10 × 600 × 7000 ≈ 4e-4 km at worst.
      expect(dist3(r.y, leo.state(leo.period))).to.be.below(4e-4);
      expect(r.evaluations).to.equal(1 + 1 + 6 * (r.steps + r.rejected)); // FSAL: 6 new evaluations per attempt
    });

    for (const method of ['dp54', 'dp853'] as const) {
      it(`${method}: dense output between steps is as accurate as the steps themselves`, () => {
        const tol = 1e-10;
        const integ = new Integrator(twoBody, 0, y0, leo.period, { method, rtol: tol, atol: tol });
        let worstNode = 0;
        let worstDense = 0;
        const out = new Float64Array(6);
        while (!integ.done) {
          integ.step();
          worstNode = Math.max(worstNode, dist3(integ.y, leo.state(integ.t)));
          for (const theta of [0.13, 0.5, 0.77]) {
            const t = integ.tPrev + theta * (integ.t - integ.tPrev);
            worstDense = Math.max(worstDense, dist3(integ.dense(t, out), leo.state(t)));
          }
        }
        // The interpolant's own error (order 4 or 7, local) must stay within the global
        // error of the solution: allow twice the worst error at the step points, plus the
        // local tolerance scale tol × |r| for dp54's lower-order interpolant.
        expect(worstDense, `dense ${worstDense} vs nodes ${worstNode}`).to.be.below(2 * worstNode + 10 * tol * 7000);
        expect(worstNode).to.be.below(1e-3);
      });
    }

    it('integrates backward in time: T → 0 recovers the initial state, outputs in backward order', () => {
      const outputTimes = [0.75, 0.5, 0.25, 0].map((f) => f * leo.period);
      const r = integrate({ f: twoBody, t0: leo.period, y0: leo.state(leo.period), tEnd: 0, method: 'dp853', rtol: 1e-12, atol: 1e-12, outputTimes });
      expect(r.t).to.equal(0);
      // One orbit at 1e-12: ~tol × 50 steps × 7000 km ≈ 4e-7 km; bound 1e-6 km (1 mm).
      expect(dist3(r.y, y0)).to.be.below(1e-6);
      expect(r.outputs.map((o) => o.t)).to.deep.equal(outputTimes);
      for (const o of r.outputs) expect(dist3(o.y, leo.state(o.t))).to.be.below(1e-6);
    });

    it('gives outputs at requested times (including t0 and tEnd) from the dense output', () => {
      const outputTimes = Array.from({ length: 101 }, (_, i) => (i / 100) * leo.period);
      const steps: number[] = [];
      const r = integrate({
        f: twoBody,
        t0: 0,
        y0,
        tEnd: leo.period,
        method: 'dp853',
        rtol: 1e-11,
        atol: 1e-11,
        outputTimes,
        onStep: (s) => {
          steps.push(s.t);
          // The callback's dense output is valid on its step.
          expect(dist3(s.dense(0.5 * (s.tPrev + s.t)), leo.state(0.5 * (s.tPrev + s.t)))).to.be.below(1e-5);
        },
      });
      expect(r.outputs).to.have.length(101);
      expect(steps).to.have.length(r.steps);
      expect(r.outputs[0].y).to.deep.equal(Float64Array.from(y0));
      // One orbit at 1e-11: ≈ 1e-11 × 50 × 7000 km ≈ 4e-6 km; bound 1e-5 km (1 cm).
      for (const o of r.outputs) expect(dist3(o.y, leo.state(o.t))).to.be.below(1e-5);
      expect(r.outputs[100].y).to.deep.equal(r.y);
    });

    it('respects hMax, and both controllers (PI and standard) meet the tolerance', () => {
      let widest = 0;
      const r = integrate({
        f: twoBody,
        t0: 0,
        y0,
        tEnd: leo.period,
        method: 'dp853',
        hMax: 60,
        onStep: (s) => {
          widest = Math.max(widest, Math.abs(s.t - s.tPrev));
        },
      });
      // The last step may be stretched by up to 1 % to land on tEnd (as DOPRI5 does).
      expect(widest).to.be.at.most(60 * 1.01);
      expect(r.steps).to.be.at.least(Math.floor(leo.period / 60));
      for (const controller of ['pi', 'standard'] as const) {
        const rc = integrate({ f: twoBody, t0: 0, y0, tEnd: leo.period, method: 'dp54', rtol: 1e-9, atol: 1e-9, controller });
        // One orbit at 1e-9: bound as for the dp54 case above, scaled by 10.
        expect(dist3(rc.y, leo.state(leo.period)), controller).to.be.below(4e-3);
      }
    });

    it('the step callback can stop the integration', () => {
      let calls = 0;
      const r = integrate({ f: twoBody, t0: 0, y0, tEnd: leo.period, method: 'dp54', onStep: () => (++calls === 5 ? 'stop' : undefined) });
      expect(r.stopped).to.equal(true);
      expect(r.steps).to.equal(5);
      expect(r.t).to.be.below(leo.period);
    });
  });

  describe('events', () => {
    // Circular inclined orbit starting at u0 = 0.3 rad: z = a sin i sin(u0 + n t), so the
    // nodes are at u = kπ, t_k = (kπ − u0)/n exactly; ascending at even k.
    const inc = 51.6 * (Math.PI / 180);
    const u0 = 0.3;
    const orb = circularOrbit(7000, inc, u0);
    const nodeTime = (k: number): number => (k * Math.PI - u0) / orb.n;
    // Location error = event tolerance (1e-6 s) + position error / |ż| (≈ 1e-7 km / 6 km/s):
    // well inside the 1 ms required; asserted at 1e-5 s.
    const EVENT_TOL_S = 1e-5;

    it('locates the node crossings (z = 0) of a circular inclined orbit to within 1e-5 s, in order', () => {
      const r = integrate({
        f: twoBody,
        t0: 0,
        y0: orb.state(0),
        tEnd: 3 * orb.period,
        method: 'dp853',
        rtol: 1e-12,
        atol: 1e-12,
        events: [{ g: (_t, y) => y[2], tolerance: 1e-6 }],
      });
      expect(r.events).to.have.length(6);
      r.events.forEach((e, j) => {
        expect(Math.abs(e.t - nodeTime(j + 1)), `node ${j + 1}`).to.be.below(EVENT_TOL_S);
        expect(e.increasing).to.equal((j + 1) % 2 === 0);
        expect(Math.abs(e.y[2])).to.be.below(1e-4); // z at the event: |ż| × 1e-5 s
      });
    });

    it('filters by direction: only ascending nodes', () => {
      const r = integrate({
        f: twoBody,
        t0: 0,
        y0: orb.state(0),
        tEnd: 3 * orb.period,
        method: 'dp853',
        rtol: 1e-12,
        atol: 1e-12,
        events: [{ g: (_t, y) => y[2], direction: 'increasing' }, { g: (_t, y) => y[2], direction: 'decreasing' }],
      });
      const asc = r.events.filter((e) => e.index === 0);
      const desc = r.events.filter((e) => e.index === 1);
      expect(asc.map((e) => e.increasing)).to.deep.equal([true, true, true]);
      expect(desc.map((e) => e.increasing)).to.deep.equal([false, false, false]);
      asc.forEach((e, j) => expect(Math.abs(e.t - nodeTime(2 * (j + 1)))).to.be.below(EVENT_TOL_S));
      desc.forEach((e, j) => expect(Math.abs(e.t - nodeTime(2 * j + 1))).to.be.below(EVENT_TOL_S));
      // Chronological across event functions: descending, ascending, descending, ...
      expect(r.events.map((e) => e.index)).to.deep.equal([1, 0, 1, 0, 1, 0]);
    });

    it('finds the nodes integrating backward in time as well', () => {
      const tStart = 2 * orb.period;
      const r = integrate({
        f: twoBody,
        t0: tStart,
        y0: orb.state(tStart),
        tEnd: 0,
        method: 'dp853',
        rtol: 1e-12,
        atol: 1e-12,
        events: [{ g: (_t, y) => y[2] }],
      });
      // Nodes between 0 and 2T are k = 1…4, met in reverse order; 'increasing' refers to
      // time, so the ascending nodes (even k) are still flagged increasing.
      expect(r.events).to.have.length(4);
      r.events.forEach((e, j) => {
        expect(Math.abs(e.t - nodeTime(4 - j)), `node ${4 - j}`).to.be.below(EVENT_TOL_S);
        expect(e.increasing).to.equal((4 - j) % 2 === 0);
      });
    });

    it('several events inside one step come out in chronological order', () => {
      // y' = 1 (y = t) over [0, 1.01] in a single step (the error estimate is zero), with
      // g₀ = sin(40π y) (roots k/40, k = 1…40) and g₁ = cos(40π y) (roots (k + ½)/40,
      // k = 0…39); sampled every 0.005 (a quarter of the spacing between roots).
      const r = integrate({
        f: (_t, _y, d) => {
          d[0] = 1;
        },
        t0: 0,
        y0: [0],
        tEnd: 1.01,
        method: 'dp853',
        h0: 1.01,
        events: [
          { g: (_t, y) => Math.sin(40 * Math.PI * y[0]), maxCheck: 0.005, tolerance: 1e-9 },
          { g: (_t, y) => Math.cos(40 * Math.PI * y[0]), maxCheck: 0.005, tolerance: 1e-9 },
        ],
      });
      expect(r.steps).to.equal(1);
      const expected = [...Array.from({ length: 40 }, (_, k) => (k + 1) / 40), ...Array.from({ length: 40 }, (_, k) => (k + 0.5) / 40)].sort((a, b) => a - b);
      expect(r.events).to.have.length(expected.length);
      r.events.forEach((e, j) => expect(Math.abs(e.t - expected[j]), `event ${j}`).to.be.below(2e-9));
      for (let j = 1; j < r.events.length; j++) expect(r.events[j].t).to.be.above(r.events[j - 1].t);
    });

    it('stop action ends the integration at the third ascending node', () => {
      let count = 0;
      const r = integrate({
        f: twoBody,
        t0: 0,
        y0: orb.state(0),
        tEnd: 10 * orb.period,
        method: 'dp853',
        rtol: 1e-12,
        atol: 1e-12,
        outputTimes: [0.5 * orb.period, 5 * orb.period],
        events: [{ g: (_t, y) => y[2], direction: 'increasing', onEvent: () => (++count === 3 ? 'stop' : 'continue') }],
      });
      expect(r.stopped).to.equal(true);
      expect(Math.abs(r.t - nodeTime(6))).to.be.below(EVENT_TOL_S);
      expect(dist3(r.y, orb.state(r.t))).to.be.below(1e-5);
      expect(r.events).to.have.length(3);
      expect(r.outputs.map((o) => o.t)).to.deep.equal([0.5 * orb.period]); // the later output is never reached
    });

    it('reset action: an impulsive plane change at the ascending node, then exact circular motion in the new plane', () => {
      const dInc = 10 * (Math.PI / 180);
      let burn: { t: number; y: number[] } | undefined;
      const tEnd = nodeTime(2) + 1.3 * orb.period;
      const r = integrate({
        f: twoBody,
        t0: 0,
        y0: orb.state(0),
        tEnd,
        method: 'dp853',
        rtol: 1e-12,
        atol: 1e-12,
        events: [
          {
            g: (_t, y) => y[2],
            direction: 'increasing',
            onEvent: (t, y) => {
              if (burn) return 'continue';
              // Rotate v about the unit position vector by dInc (Rodrigues): |v| and r·v unchanged.
              const rn = Math.hypot(y[0], y[1], y[2]);
              const k = [y[0] / rn, y[1] / rn, y[2] / rn];
              const v = [y[3], y[4], y[5]];
              const kxv = [k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0]];
              const kv = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
              const c = Math.cos(dInc);
              const s = Math.sin(dInc);
              const vNew = [0, 1, 2].map((i) => v[i] * c + kxv[i] * s + k[i] * kv * (1 - c));
              burn = { t, y: [y[0], y[1], y[2], ...vNew] };
              return { reset: burn.y };
            },
          },
          { g: (_t, y) => y[2], direction: 'decreasing' },
        ],
      });
      expect(burn).to.not.equal(undefined);
      const b = burn!;
      expect(Math.abs(b.t - nodeTime(2))).to.be.below(EVENT_TOL_S);
      // After the burn the orbit is circular (v ⊥ r, |v| = n a): r(t) = r_b cos nτ + (v_b/n) sin nτ.
      const tau = tEnd - b.t;
      const exact = [0, 1, 2].map((i) => b.y[i] * Math.cos(orb.n * tau) + (b.y[i + 3] / orb.n) * Math.sin(orb.n * tau));
      expect(dist3(r.y, exact)).to.be.below(1e-5);
      // The new inclination shows in the angular momentum: cos i = h_z / |h|.
      const hz = r.y[0] * r.y[4] - r.y[1] * r.y[3];
      const hx = r.y[1] * r.y[5] - r.y[2] * r.y[4];
      const hy = r.y[2] * r.y[3] - r.y[0] * r.y[5];
      expect(Math.acos(hz / Math.hypot(hx, hy, hz))).to.be.closeTo(inc + dInc, 1e-9);
      // Nodes after the burn come every half period; the burn node is not reported twice.
      const afterBurn = r.events.filter((e) => e.t > b.t);
      expect(afterBurn.map((e) => e.index)).to.deep.equal([1, 0]);
      afterBurn.forEach((e, j) => expect(Math.abs(e.t - (b.t + ((j + 1) * orb.period) / 2))).to.be.below(EVENT_TOL_S));
      expect(r.events.filter((e) => e.t === b.t)).to.have.length(1);
    });

    it('brentRoot brackets a root to the tolerance and counts evaluations', () => {
      const root = brentRoot((x) => Math.cos(x) - x, 0, 1, 1, Math.cos(1) - 1, 1e-12);
      const exact = 0.7390851332151607; // Dottie number, fixed point of cos
      expect(root.a).to.be.at.most(exact + 1e-15);
      expect(root.b).to.be.at.least(exact - 1e-15);
      expect(root.b - root.a).to.be.at.most(1e-12);
      expect(root.evaluations).to.be.below(15);
      expect(() => brentRoot((x) => x, 1, 2, 1, 2, 1e-6)).to.throw(/do not bracket/);
    });

    it('goldenSectionMin finds a minimum to the tolerance, also at an end of the bracket', () => {
      let n = 0;
      // minimum of x − ln x (at x = 1, value 1) on [0.2, 5]: asymmetric around its minimum
      const x = goldenSectionMin((t) => (n++, t - Math.log(t)), 0.2, 5, 1e-9);
      // near the minimum f − f_min ≈ (x − 1)²/2 is below f's rounding (ε·f) for |x − 1| < √(2ε)
      // ≈ 2.1e-8, so no comparison-based search can do better (Numerical Recipes §10.2)
      expect(Math.abs(x - 1)).to.be.below(Math.sqrt(2 * Number.EPSILON));
      // each evaluation shrinks the bracket by 1/φ: ⌈ln(4.8/1e-9)/ln φ⌉ + 2 evaluations
      expect(n).to.be.at.most(Math.ceil(Math.log(4.8 / 1e-9) / Math.log((1 + Math.sqrt(5)) / 2)) + 2);
      // decreasing on the whole bracket: converges to its upper end
      expect(goldenSectionMin((t) => -t, 0, 1, 1e-6)).to.be.closeTo(1, 1e-6);
    });
  });

  describe('errors', () => {
    it('min step: a solution blowing up at t = 1 (y\' = y², y(0) = 1) fails with a message naming t and h', () => {
      let err: unknown;
      try {
        integrate({
          f: (_t, y, d) => {
            d[0] = y[0] * y[0];
          },
          t0: 0,
          y0: [1],
          tEnd: 2,
          method: 'dp54',
          hMin: 1e-10,
        });
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(IntegrationError);
      const ie = err as IntegrationError;
      expect(ie.reason).to.equal('MIN_STEP');
      expect(ie.t).to.be.within(0.99, 1);
      expect(ie.message).to.match(/step size too small at t = 0\.9\d+: h = [0-9.e-]+ </);
    });

    it('a derivative that turns NaN at t = 0.5 fails as NON_FINITE at t ≈ 0.5, naming t and h', () => {
      expect(() =>
        integrate({
          f: (t, _y, d) => {
            d[0] = t > 0.5 ? NaN : 1;
          },
          t0: 0,
          y0: [0],
          tEnd: 1,
          method: 'dp853',
        }),
      )
        .to.throw(IntegrationError, /step size too small at t = 0\.49999\d*: h = .*non-finite/)
        .with.property('reason', 'NON_FINITE');
    });

    it('max steps, abort signal and bad input are reported clearly', () => {
      const f = (_t: number, y: Float64Array, d: Float64Array): void => {
        d[0] = -y[0];
      };
      expect(() => integrate({ f, t0: 0, y0: [1], tEnd: 100, method: 'dp54', maxSteps: 10 })).to.throw(IntegrationError, /maximum number of steps \(10\) reached at t = /);
      const ac = new AbortController();
      ac.abort();
      expect(() => integrate({ f, t0: 0, y0: [1], tEnd: 1, method: 'dp54', signal: ac.signal })).to.throw(IntegrationError, /aborted at t = 0/);
      const ac2 = new AbortController();
      let n = 0;
      expect(() => integrate({ f, t0: 0, y0: [1], tEnd: 100, method: 'dp54', signal: ac2.signal, onStep: () => void (++n === 3 && ac2.abort()) })).to.throw(
        IntegrationError,
        /aborted at t = 0\.\d+/,
      );
      expect(() => integrate({ f, t0: 0, y0: [1], tEnd: 1, method: 'rk4' })).to.throw(/'rk4' has no error estimate/);
      expect(() => integrate({ f, t0: 0, y0: [1, 2], tEnd: 1, method: 'dp54', atol: [1e-9] })).to.throw(/atol has 1 components but y0 has 2/);
      expect(() => integrate({ f, t0: 0, y0: [NaN], tEnd: 1, method: 'dp54' })).to.throw(/y0\[0\] must be finite/);
      expect(() => integrate({ f, t0: 0, y0: [1], tEnd: 1, method: 'dp54', outputTimes: [0.5, 0.2] })).to.throw(/outputTimes\[1\] = 0.2 is out of order/);
      expect(() => integrate({ f, t0: 0, y0: [1], tEnd: 1, method: 'dp54', outputTimes: [2] })).to.throw(/outputTimes\[0\] = 2 is outside \[0, 1\]/);
    });

    it('y\' = −y to t = 10: adaptive dp54/dp853 meet their tolerance against e^(−t)', () => {
      for (const method of ['dp54', 'dp853'] as const) {
        const r = integrate({
          f: (_t, y, d) => {
            d[0] = -y[0];
          },
          t0: 0,
          y0: [1],
          tEnd: 10,
          method,
          rtol: 1e-10,
          atol: 1e-14,
        });
        // Relative global error of a dissipative problem stays near the local tolerance:
        // bound 100 × rtol (measured in the 1e-10…1e-9 range).
        expect(Math.abs(r.y[0] / Math.exp(-10) - 1), method).to.be.below(1e-8);
      }
    });
  });
});
