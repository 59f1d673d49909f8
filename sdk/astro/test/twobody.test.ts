import { expect } from 'chai';
import { MU_EARTH_KM3_S2, TWO_PI } from '../constants';
import { cross, dot, norm, sub, type Vec3 } from '../vec';
import { cartesianToKeplerian, keplerianToCartesian, type CartesianState, type KeplerianElements } from '../elements';
import { meanToTrue, trueToMean } from '../kepler';
import { propagateTwoBody, stumpff, twoBodyTransition } from '../twobody';
import { seededRandom } from '../../random';

const MU = MU_EARTH_KM3_S2;

/** Deterministic PRNG (sdk/random.ts, mulberry32) so that a failure can be reproduced. */
const rng = seededRandom;

const relDiff = (a: readonly number[], b: readonly number[]): number => norm(sub(a, b)) / norm(b);

/** A set of test orbits: elliptic (LEO to HEO), near-circular, near-parabolic, hyperbolic. */
function testOrbits(): { name: string; el: KeplerianElements }[] {
  const r = rng(11);
  const out: { name: string; el: KeplerianElements }[] = [];
  const add = (name: string, e: number, rp: number): void => {
    const aKm = rp / (1 - e);
    const nuMax = e > 1 ? 0.8 * Math.acos(-1 / e) : Math.PI;
    out.push({ name, el: { aKm, e, iRad: r() * Math.PI, raanRad: r() * TWO_PI, argpRad: r() * TWO_PI, trueAnomalyRad: (2 * r() - 1) * nuMax } });
  };
  for (let n = 0; n < 5; n++) add('LEO near-circular', r() * 1e-4, 6700 + 500 * r());
  for (let n = 0; n < 5; n++) add('elliptic', 0.1 + 0.6 * r(), 7000 + 20000 * r());
  for (let n = 0; n < 5; n++) add('HEO e≈0.97', 0.97 + 0.02 * r(), 6600 + 1000 * r());
  for (let n = 0; n < 5; n++) add('near-parabolic e≈1−1e-6', 1 - 1e-6 * (1 + r()), 6600 + 1000 * r());
  for (let n = 0; n < 5; n++) add('hyperbolic', 1.05 + 3 * r(), 6600 + 10000 * r());
  return out;
}

describe('sdk/astro/twobody — universal-variable propagation and STM', () => {
  it('Vallado Example 2-4 (KEPLER): 40 min from r0 = (1131.340, −2282.343, 6672.423) km, v0 = (−5.64305, 4.30333, 2.42879) km/s', () => {
    // Printed: r = (−4219.7527, 4363.0292, −3958.7666) km, v = (3.689866, −1.916735, −6.112511) km/s.
    // Tolerance: half a unit of the last printed digit.
    const s = propagateTwoBody([1131.34, -2282.343, 6672.423], [-5.64305, 4.30333, 2.42879], 40 * 60, MU);
    [-4219.7527, 4363.0292, -3958.7666].forEach((x, i) => expect(s.posKm[i]).to.be.closeTo(x, 0.5e-4));
    [3.689866, -1.916735, -6.112511].forEach((x, i) => expect(s.velKmS[i]).to.be.closeTo(x, 0.5e-6));
  });

  it('Stumpff functions match their closed forms and the recurrence c_n = 1/n! − ψ c_{n+2} across the series switch (ψ = ±1)', () => {
    for (const psi of [-50, -1.0000001, -0.9999999, -1e-8, 0, 1e-8, 0.9999999, 1.0000001, 30]) {
      const c = stumpff(psi);
      const fact = [1, 1, 2, 6, 24, 120];
      for (let n = 0; n < 4; n++) expect(c[n], `ψ=${psi} c${n}`).to.be.closeTo(1 / fact[n] - psi * c[n + 2], 1e-14 * Math.max(1, Math.abs(c[n])));
      if (psi > 1e-6) {
        const s = Math.sqrt(psi);
        expect(c[2]).to.be.closeTo((1 - Math.cos(s)) / psi, 1e-12);
        expect(c[3]).to.be.closeTo((s - Math.sin(s)) / (s * s * s), 1e-12);
      } else if (psi < -1e-6) {
        const s = Math.sqrt(-psi);
        expect(c[2]).to.be.closeTo((Math.cosh(s) - 1) / -psi, 1e-12 * Math.max(1, c[2]));
        expect(c[3]).to.be.closeTo((Math.sinh(s) - s) / (s * s * s), 1e-12 * Math.max(1, c[3]));
      } else {
        expect(c[2]).to.be.closeTo(0.5, 1e-8);
        expect(c[3]).to.be.closeTo(1 / 6, 1e-8);
      }
    }
  });

  for (const { name, el } of testOrbits()) {
    it(`${name} (e = ${el.e.toPrecision(8)}): +Δt then −Δt returns to 1e-9 relative; energy and h conserved; agrees with Kepler's equation`, () => {
      const s0 = keplerianToCartesian(el, MU);
      const aAbs = Math.abs(el.aKm);
      const meanMotion = Math.sqrt(MU / (aAbs * aAbs * aAbs));
      const period = TWO_PI / meanMotion;
      // Several arcs: fractions of the (Keplerian) period, and several revolutions for ellipses.
      // Near-parabolic ellipses have periods of millennia: use realistic arcs as for hyperbolas.
      const dts = el.e < 0.999 ? [60, 0.37 * period, -0.81 * period, 3.3 * period] : [60, 3600, -1800, 86400];
      const e0 = dot(s0.velKmS, s0.velKmS) / 2 - MU / norm(s0.posKm);
      const h0 = cross(s0.posKm, s0.velKmS);
      for (const dt of dts) {
        const s1 = propagateTwoBody(s0.posKm, s0.velKmS, dt, MU);
        const back = propagateTwoBody(s1.posKm, s1.velKmS, -dt, MU);
        // Issue target: 1e-9 relative for the round trip.
        expect(relDiff(back.posKm, s0.posKm), `Δt=${dt} position round trip`).to.be.at.most(1e-9);
        expect(relDiff(back.velKmS, s0.velKmS), `Δt=${dt} velocity round trip`).to.be.at.most(1e-9);
        // Integrals of motion. Energy: relative to μ/r (the size of the terms that cancel in
        // v²/2 − μ/r), 1e-12; angular momentum 1e-12 relative.
        const e1 = dot(s1.velKmS, s1.velKmS) / 2 - MU / norm(s1.posKm);
        expect(Math.abs(e1 - e0), `Δt=${dt} energy`).to.be.at.most(1e-12 * (MU / Math.min(norm(s0.posKm), norm(s1.posKm))));
        expect(relDiff(cross(s1.posKm, s1.velKmS), h0), `Δt=${dt} angular momentum`).to.be.at.most(1e-12);
        // Independent path: advance the mean anomaly and solve Kepler's equation (kepler.ts),
        // then elements → state (elements.ts). Conditioning of M → ν near e = 1 limits this
        // comparison (dν/dM ≈ 1e9 near periapsis at e = 1 − 1e-6), hence its own bound there.
        const k0 = cartesianToKeplerian(s0.posKm, s0.velKmS, MU);
        const m1 = trueToMean(k0.trueAnomalyRad, k0.e) + meanMotion * dt;
        const viaKepler = keplerianToCartesian({ ...k0, trueAnomalyRad: meanToTrue(m1, k0.e) }, MU);
        const tol = el.e > 0.9999 ? 1e-6 : 1e-9;
        expect(relDiff(s1.posKm, viaKepler.posKm), `Δt=${dt} vs Kepler position`).to.be.at.most(tol);
        expect(relDiff(s1.velKmS, viaKepler.velKmS), `Δt=${dt} vs Kepler velocity`).to.be.at.most(tol);
      }
    });
  }

  it("exactly parabolic orbit: matches Barker's equation t = ½√(p³/μ)(D + D³/3) and round-trips", () => {
    // Parabola with p = 14000 km: speed is the escape speed at every point.
    const p = 14000;
    const el = { pKm: p, e: 1, iRad: 0.7, raanRad: 0.2, argpRad: 1.3, trueAnomalyRad: -1.2 };
    const s0 = keplerianToCartesian(el, MU);
    expect(dot(s0.velKmS, s0.velKmS) / 2 - MU / norm(s0.posKm)).to.be.closeTo(0, 1e-12 * (MU / norm(s0.posKm)));
    const barkerTime = (nu: number): number => 0.5 * Math.sqrt((p * p * p) / MU) * trueToMean(nu, 1);
    for (const dt of [100, 2000, 20000, -3000]) {
      const s1 = propagateTwoBody(s0.posKm, s0.velKmS, dt, MU);
      const nu1 = meanToTrue((barkerTime(el.trueAnomalyRad) + dt) / (0.5 * Math.sqrt((p * p * p) / MU)), 1);
      const expected = keplerianToCartesian({ ...el, trueAnomalyRad: nu1 }, MU);
      expect(relDiff(s1.posKm, expected.posKm), `Δt=${dt}`).to.be.at.most(1e-10);
      expect(relDiff(s1.velKmS, expected.velKmS), `Δt=${dt}`).to.be.at.most(1e-10);
      const back = propagateTwoBody(s1.posKm, s1.velKmS, -dt, MU);
      expect(relDiff(back.posKm, s0.posKm)).to.be.at.most(1e-9);
    }
  });

  describe('state transition matrix', () => {
    const cases: { name: string; state: CartesianState; dt: number }[] = [
      { name: 'LEO, 10 revolutions', state: keplerianToCartesian({ aKm: 6900, e: 0.001, iRad: 0.9, raanRad: 0.1, argpRad: 0.2, trueAnomalyRad: 0.3 }, MU), dt: 10 * 5700 },
      { name: 'GTO, half an orbit', state: keplerianToCartesian({ aKm: 24400, e: 0.73, iRad: 0.1, raanRad: 1, argpRad: 3, trueAnomalyRad: 0.5 }, MU), dt: 19000 },
      { name: 'hyperbolic, 3 h', state: keplerianToCartesian({ aKm: -20000, e: 1.4, iRad: 2.5, raanRad: 4, argpRad: 1, trueAnomalyRad: -0.8 }, MU), dt: 10800 },
    ];
    for (const { name, state, dt } of cases) {
      it(`${name}: matches central finite differences of the propagation (1e-6 relative)`, () => {
        // Central differences with steps 1 m and 1 mm/s: truncation error O(h²) ≈ 1e-8 relative,
        // rounding ≈ 1e-10; bound 1e-6 of the column norm leaves margin for the secular terms.
        const { stm } = twoBodyTransition(state.posKm, state.velKmS, dt, MU);
        const x0 = [...state.posKm, ...state.velKmS];
        for (let j = 0; j < 6; j++) {
          const h = j < 3 ? 1e-3 : 1e-6;
          const xp = [...x0];
          const xm = [...x0];
          xp[j] += h;
          xm[j] -= h;
          const p = propagateTwoBody(xp.slice(0, 3), xp.slice(3), dt, MU);
          const m = propagateTwoBody(xm.slice(0, 3), xm.slice(3), dt, MU);
          const yp = [...p.posKm, ...p.velKmS];
          const ym = [...m.posKm, ...m.velKmS];
          const fd = yp.map((y, i) => (y - ym[i]) / (2 * h));
          const colNorm = Math.hypot(...fd);
          for (let i = 0; i < 6; i++) expect(Math.abs(stm[i][j] - fd[i]), `Φ[${i}][${j}]`).to.be.at.most(1e-6 * colNorm);
        }
      });

      it(`${name}: is symplectic, Φᵀ J Φ = J (a property of every Hamiltonian flow)`, () => {
        // Independent of any code: for x = (r, v) under a conservative force, Φ is symplectic.
        // Checked on the dimensionless matrix D Φ D⁻¹ with D = diag(1/L, 1/V) to compare terms of
        // mixed units; tolerance 1e-9 times the largest product (rounding of O(|Φ|²) sums).
        const { stm } = twoBodyTransition(state.posKm, state.velKmS, dt, MU);
        const L = norm(state.posKm);
        const V = norm(state.velKmS);
        const s = stm.map((row, i) => row.map((x, j) => (x * (j < 3 ? L : V)) / (i < 3 ? L : V)));
        let maxAbs = 0;
        for (const row of s) for (const x of row) maxAbs = Math.max(maxAbs, Math.abs(x));
        for (let a = 0; a < 6; a++) {
          for (let b = 0; b < 6; b++) {
            // (Φᵀ J Φ)_ab = Σ_k Φ_ka (JΦ)_kb, with (JΦ)_k = Φ_{k+3} for k < 3 and −Φ_{k−3} for k ≥ 3.
            let sum = 0;
            for (let k = 0; k < 3; k++) sum += s[k][a] * s[k + 3][b] - s[k + 3][a] * s[k][b];
            const j = b === a + 3 ? 1 : a === b + 3 ? -1 : 0;
            expect(Math.abs(sum - j), `(ΦᵀJΦ)[${a}][${b}]`).to.be.at.most(1e-9 * maxAbs * maxAbs);
          }
        }
      });
    }

    it('Φ(0) is the identity and the returned state equals propagateTwoBody', () => {
      const st = cases[1].state;
      const t0 = twoBodyTransition(st.posKm, st.velKmS, 0, MU);
      t0.stm.forEach((row, i) => row.forEach((x, j) => expect(x).to.be.closeTo(i === j ? 1 : 0, 1e-15)));
      const t1 = twoBodyTransition(st.posKm, st.velKmS, 12345, MU);
      const p1 = propagateTwoBody(st.posKm, st.velKmS, 12345, MU);
      expect(relDiff(t1.posKm, p1.posKm)).to.be.at.most(1e-13);
    });
  });

  it('rejects rectilinear motion, non-finite input and overflowing hyperbolic arcs with clear messages', () => {
    const r: Vec3 = [7000, 0, 0];
    expect(() => propagateTwoBody(r, [1, 0, 0], 10)).to.throw(RangeError, /rectilinear/);
    expect(() => propagateTwoBody(r, [0, 7, 0], NaN)).to.throw(RangeError, /time step must be finite, got NaN/);
    expect(() => propagateTwoBody([7000, 0, Infinity], [0, 7, 0], 1)).to.throw(RangeError, /finite/);
    expect(() => propagateTwoBody(r, [0, 30, 0], 1e15)).to.throw(RangeError, /overflow|too long/);
  });
});
