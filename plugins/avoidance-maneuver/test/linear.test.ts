import { expect } from 'chai';
import { MU_EARTH_KM3_S2 } from '../../../sdk/astro/constants';
import { rtnRotation } from '../../../sdk/astro/frames/local';
import { norm, sub, mulMV, type Vec3 } from '../../../sdk/astro/vec';
import { burnGeometry, displacementAtTca, encounterMissKm, periodS, propagatedPrimary } from '../linear';

// The linear displacement Φ_rv·Δv is checked against (1) direct two-body propagation of the
// burned state (sdk/astro/twobody.ts, universal variables) and (2) the closed-form
// Clohessy–Wiltshire solution, which is the exact linearisation of two-body motion about a
// circular orbit (Vallado 4th ed. §6.8, eq. 6-66; Curtis 3rd ed. eq. 7.53).

const r0 = 7000;
const v0 = Math.sqrt(MU_EARTH_KM3_S2 / r0);
const inc = (51.6 * Math.PI) / 180;
const circ = { posKm: [r0, 0, 0] as Vec3, velKmS: [0, v0 * Math.cos(inc), v0 * Math.sin(inc)] as Vec3 };
// An eccentric orbit too (e ≈ 0.1), where CW does not apply but two-body does.
const ecc = { posKm: [6800, 1200, -300] as Vec3, velKmS: [-1.1, 7.9, 2.6] as Vec3 };
const n = Math.sqrt(MU_EARTH_KM3_S2 / r0 ** 3);

describe('avoidance-maneuver linear model', () => {
  for (const [name, s] of [['circular', circ], ['eccentric', ecc]] as const) {
    for (const leadRev of [0.5, 1, 2.5]) {
      for (const dv of [[0, 1e-4, 0], [1e-4, 0, 0], [0, 0, 1e-4], [3e-5, -5e-5, 2e-5]] as Vec3[]) {
        it(`${name}, lead ${leadRev} rev, Δv RTN ${dv.map((x) => x * 1000).join('/')} m/s: Φ_rv·Δv matches two-body propagation of the burned state`, () => {
          const g = burnGeometry(s.posKm, s.velKmS, leadRev * periodS(s.posKm, s.velKmS));
          const lin = displacementAtTca(g, dv).dPosKm;
          // Scale of the displacement: |Δv|·lead (km). Relative errors are taken against it,
          // not |Φ_rv·Δv|, which vanishes for some burns (cross-track after whole half-revs).
          const scaleKm = norm(dv) * g.leadS;
          // Central difference of direct propagations: the O(Δv²) term cancels, leaving O(Δv³)
          // ≈ (|Δv|/v)² · (3πN)² ≈ 1e-9 relative here, so 1e-6 (the brief's bound) has margin.
          const plus = propagatedPrimary(g, dv).posKm;
          const minus = propagatedPrimary(g, dv.map((x) => -x)).posKm;
          const central = sub(plus, minus).map((x) => x / 2);
          expect(norm(sub(central, lin)) / scaleKm).to.be.below(1e-6);
          // One-sided: the residual is the O(Δv²) term, ~ (|Δv|/v)·(2πN)·few ≈ 1e-3 of the scale
          // for 0.1 m/s and 2.5 revolutions; halving Δv must divide it by 4 (3.5–4.5), which
          // shows the linear term is exact and the rest is second order.
          const coast = propagatedPrimary(g, [0, 0, 0]).posKm;
          expect(norm(sub(coast, s.posKm))).to.be.below(1e-6); // back-and-forth two-body round trip, km
          const residual = (d: Vec3) => norm(sub(sub(propagatedPrimary(g, d).posKm, coast), displacementAtTca(g, d).dPosKm));
          const full = residual(dv);
          expect(full / scaleKm).to.be.below(2e-3);
          const half = residual(dv.map((x) => x / 2) as Vec3);
          expect(full / half).to.be.within(3.5, 4.5);
        });
      }
    }
  }

  it('circular orbit: along-track and radial burns agree with Clohessy–Wiltshire to 1e-9', () => {
    for (const leadRev of [0.25, 0.5, 1, 1.5]) {
      const t = leadRev * periodS(circ.posKm, circ.velKmS);
      const nt = n * t;
      const g = burnGeometry(circ.posKm, circ.velKmS, t);
      const toRtn = (d: Vec3) => mulMV(rtnRotation(circ.posKm, circ.velKmS), d);
      const dvT = 1e-4;
      // CW, impulse ẏ0 (along-track): x = (2/n)(1 − cos nt) ẏ0, y = ((4 sin nt − 3nt)/n) ẏ0
      const aT = toRtn(displacementAtTca(g, [0, dvT, 0]).dPosKm);
      const cwT = [(2 / n) * (1 - Math.cos(nt)) * dvT, ((4 * Math.sin(nt) - 3 * nt) / n) * dvT, 0];
      expect(norm(sub(aT, cwT)) / norm(cwT)).to.be.below(1e-9);
      // CW, impulse ẋ0 (radial): x = (sin nt / n) ẋ0, y = (2/n)(cos nt − 1) ẋ0
      const aR = toRtn(displacementAtTca(g, [dvT, 0, 0]).dPosKm);
      const cwR = [(Math.sin(nt) / n) * dvT, (2 / n) * (Math.cos(nt) - 1) * dvT, 0];
      expect(norm(sub(aR, cwR))).to.be.below(1e-9 * Math.max(norm(cwR), (1 / n) * dvT));
    }
  });

  it('encounter-plane miss removes the component along the relative velocity', () => {
    expect(encounterMissKm([3, 4, 12], [0, 0, 5])).to.be.closeTo(5, 1e-12);
    expect(encounterMissKm([0.2, 0, 0], [0, -15, 0])).to.be.closeTo(0.2, 1e-15);
  });

  it('refuses a non-positive lead time', () => {
    expect(() => burnGeometry(circ.posKm, circ.velKmS, 0)).to.throw(/lead time must be positive/);
  });
});
