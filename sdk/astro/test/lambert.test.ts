import { expect } from 'chai';
import { MU_EARTH_KM3_S2, TWO_PI } from '../constants';
import { cross, dot, norm, sub, type Vec3 } from '../vec';
import { solveLambert, type LambertSolution } from '../lambert';
import { propagateTwoBody } from '../twobody';
import { seededRandom } from '../../random';

const MU = MU_EARTH_KM3_S2;

/** Deterministic PRNG (sdk/random.ts, mulberry32) so that a failure can be reproduced. */
const rng = seededRandom;

/**
 * The brief's acceptance test: propagating v1 from r1 over the time of flight with the
 * universal-variable two-body propagator (twobody.ts) reaches r2 within 1 mm; the arrival
 * velocity then matches v2 within 1 mm/s.
 */
function expectReaches(r1: Vec3, r2: Vec3, tof: number, sol: LambertSolution, mu: number, what: string): void {
  const arrived = propagateTwoBody(r1, sol.v1KmS, tof, mu);
  const missKm = norm(sub(arrived.posKm, r2));
  expect(missKm * 1e6, `${what}: miss distance at r2, mm`).to.be.at.most(1);
  expect(norm(sub(arrived.velKmS, sol.v2KmS)) * 1e6, `${what}: arrival velocity difference, mm/s`).to.be.at.most(1);
}

describe('sdk/astro/lambert — Izzo 2015, multi-revolution', () => {
  it('Curtis, Orbital Mechanics for Engineering Students, Example 5.2: r1 = (5000, 10000, 2100), r2 = (−14600, 2500, 7000) km, 1 h', () => {
    // Printed: v1 = (−5.9925, 1.9254, 3.2456) km/s, v2 = (−3.3125, −4.1966, −0.38529) km/s, with
    // Curtis's μ = 398600 km³/s². Tolerance: half a unit of the last printed digit.
    const r1: Vec3 = [5000, 10000, 2100];
    const r2: Vec3 = [-14600, 2500, 7000];
    const sols = solveLambert(r1, r2, 3600, { muKm3S2: 398600 });
    expect(sols).to.have.length(1);
    const [s] = sols;
    [-5.9925, 1.9254, 3.2456].forEach((v, i) => expect(s.v1KmS[i], `v1[${i}]`).to.be.closeTo(v, 0.5e-4));
    [-3.3125, -4.1966].forEach((v, i) => expect(s.v2KmS[i], `v2[${i}]`).to.be.closeTo(v, 0.5e-4));
    expect(s.v2KmS[2]).to.be.closeTo(-0.38529, 0.5e-5);
    expectReaches(r1, r2, 3600, s, 398600, 'Curtis 5.2');
  });

  it('random geometries LEO…GEO, 0 to many revolutions, prograde and retrograde: every solution reaches r2 within 1 mm', () => {
    const r = rng(2015);
    let worstMm = 0;
    let solutions = 0;
    let multiRev = 0;
    for (let n = 0; n < 60; n++) {
      const rad1 = 6700 + r() * 36000;
      const rad2 = 6700 + r() * 36000;
      const dir = (): Vec3 => {
        const z = 2 * r() - 1;
        const phi = TWO_PI * r();
        const q = Math.sqrt(1 - z * z);
        return [q * Math.cos(phi), q * Math.sin(phi), z];
      };
      const d1 = dir();
      const d2 = dir();
      const r1: Vec3 = [rad1 * d1[0], rad1 * d1[1], rad1 * d1[2]];
      const r2: Vec3 = [rad2 * d2[0], rad2 * d2[1], rad2 * d2[2]];
      const tof = 600 + r() * 3 * 86400;
      for (const retrograde of [false, true]) {
        const sols = solveLambert(r1, r2, tof, { retrograde, maxRevolutions: 8 });
        expect(sols[0].revolutions).to.equal(0);
        for (const s of sols) {
          const what = `#${n} ${retrograde ? 'retro' : 'pro'} M=${s.revolutions} ${s.branch}`;
          expectReaches(r1, r2, tof, s, MU, what);
          const miss = norm(sub(propagateTwoBody(r1, s.v1KmS, tof, MU).posKm, r2)) * 1e6;
          worstMm = Math.max(worstMm, miss);
          // Sense of motion: angular momentum along +z for prograde, −z for retrograde.
          const hz = cross(r1, s.v1KmS)[2];
          expect(retrograde ? hz <= 0 : hz >= 0, `${what}: sense of motion (h_z = ${hz})`).to.equal(true);
          // Number of revolutions, independently of the solver: an M-revolution ellipse has
          // M·P < Δt (it completes M turns); its period comes from vis-viva at r1.
          if (s.revolutions > 0) {
            multiRev++;
            const a = 1 / (2 / norm(r1) - dot(s.v1KmS, s.v1KmS) / MU);
            const period = TWO_PI * Math.sqrt((a * a * a) / MU);
            expect(a, `${what}: multi-revolution solutions are ellipses`).to.be.greaterThan(0);
            expect(s.revolutions * period, `${what}: M·P < Δt`).to.be.lessThan(tof);
            expect((s.revolutions + 1) * period, `${what}: (M+1)·P > Δt`).to.be.greaterThan(tof);
          }
          solutions++;
        }
        // The two branches of each M are distinct solutions.
        for (let m = 1; m <= 8; m++) {
          const pair = sols.filter((s) => s.revolutions === m);
          if (pair.length === 0) continue;
          expect(pair.map((s) => s.branch)).to.deep.equal(['left', 'right']);
          expect(norm(sub(pair[0].v1KmS, pair[1].v1KmS)), `#${n} M=${m} distinct branches`).to.be.greaterThan(1e-6);
        }
      }
    }
    console.log(`      ${solutions} Lambert solutions (${multiRev} multi-revolution): worst miss at r2 ${worstMm.toExponential(2)} mm`);
    expect(multiRev).to.be.greaterThan(50);
  });

  it('no M-revolution solution is returned when Δt is below the minimum time for M revolutions', () => {
    // Independent bound: any M-revolution transfer lasts at least M periods of the minimum-energy
    // ellipse (a_m = s/2, the smallest ellipse through both points), so for Δt < M·P(a_m) there is none.
    const r1: Vec3 = [7000, 0, 0];
    const r2: Vec3 = [0, 7500, 500];
    const c = norm(sub(r2, r1));
    const s = (norm(r1) + norm(r2) + c) / 2;
    const pMin = TWO_PI * Math.sqrt((s / 2) ** 3 / MU);
    const sols = solveLambert(r1, r2, 1.9 * pMin);
    expect(sols.every((x) => x.revolutions <= 1)).to.equal(true);
    // And M = 9 must exist at 10.5·P(a_m): following the minimum-energy ellipse for 9 turns plus
    // the arc between the points takes less than 10·P(a_m), so T_min(9) < Δt.
    const many = solveLambert(r1, r2, 10.5 * pMin);
    expect(Math.max(...many.map((x) => x.revolutions))).to.be.at.least(9);
    expect(Math.max(...many.map((x) => x.revolutions))).to.be.at.most(10);
    const capped = solveLambert(r1, r2, 10.5 * pMin, { maxRevolutions: 2 });
    expect(Math.max(...capped.map((x) => x.revolutions))).to.equal(2);
    expect(capped).to.have.length(5);
  });

  it("parabolic transfer: with Δt from Euler's equation the solution has escape speed (x ≈ 1, Battin's series)", () => {
    // Euler's equation for the parabolic time of flight (e.g. Battin 1999, ch. 4):
    // 6√μ Δt_p = (r1 + r2 + c)^{3/2} − (r1 + r2 − c)^{3/2} for a transfer angle below π.
    const r1: Vec3 = [8000, 1000, -500];
    const r2: Vec3 = [-2000, 9000, 3000];
    const R1 = norm(r1);
    const R2 = norm(r2);
    const c = norm(sub(r2, r1));
    const tp = ((R1 + R2 + c) ** 1.5 - (R1 + R2 - c) ** 1.5) / (6 * Math.sqrt(MU));
    const [s] = solveLambert(r1, r2, tp);
    expect(Math.abs(s.x - 1)).to.be.below(1e-9);
    const energy = dot(s.v1KmS, s.v1KmS) / 2 - MU / R1;
    expect(Math.abs(energy) / (MU / R1)).to.be.below(1e-9);
    expectReaches(r1, r2, tp, s, MU, 'parabolic');
    // Slightly shorter/longer: hyperbolic / elliptic, still reaching r2 (Battin branch both sides).
    for (const f of [0.999, 1.001, 0.5, 2]) {
      const [sf] = solveLambert(r1, r2, f * tp);
      expect(sf.x > 1, `Δt = ${f}·Δt_p: hyperbolic iff shorter`).to.equal(f < 1);
      expectReaches(r1, r2, f * tp, sf, MU, `${f}·Δt_p`);
    }
  });

  it('long way (transfer angle > π) for prograde motion when r1 × r2 points to −z', () => {
    const r1: Vec3 = [7000, 0, 0];
    const r2: Vec3 = [-5000, -5000, 0]; // 225° ahead in the prograde sense
    const [s] = solveLambert(r1, r2, 4000);
    expect(cross(r1, s.v1KmS)[2]).to.be.greaterThan(0);
    expectReaches(r1, r2, 4000, s, MU, 'long way');
  });

  it('rejects collinear vectors and non-positive times of flight with clear messages', () => {
    expect(() => solveLambert([7000, 0, 0], [-8000, 0, 0], 3600)).to.throw(RangeError, /collinear/);
    expect(() => solveLambert([7000, 0, 0], [0, 8000, 0], 0)).to.throw(RangeError, /time of flight.*got 0/);
    expect(() => solveLambert([7000, 0, 0], [0, 8000, NaN], 10)).to.throw(RangeError, /finite/);
  });
});
