import { expect } from 'chai';
import { MU_EARTH_KM3_S2 } from '../../../sdk/astro/constants';
import { keplerianToCartesian } from '../../../sdk/astro/elements';
import { Epoch } from '../../../sdk/astro/time';
import { propagateCowell, type CowellPlan } from '../cowell';
import { ForceModel, type BodyPositions } from '../dynamics';
import { BodyEphemeris, UniformEarthRotation } from '../environment';
import { AU_KM, EARTH_SHADOW_RADIUS_KM, SUN_RADIUS_KM } from '../forces';
import { Geopotential } from '../geopotential';
import { shadowSwitching } from '../service';
import { referenceField, stmBlockErrors } from './helpers';

const DEG = Math.PI / 180;

/** Sun fixed at 1 AU on +x (and the Moon far away on +y, unused): the simple geometry of the analytic check. */
const FIXED_SUN: BodyPositions = {
  at(_t: number, out: Float64Array): void {
    out[0] = AU_KM;
    out[1] = 0;
    out[2] = 0;
    out[3] = 0;
    out[4] = 384_400;
    out[5] = 0;
  },
};

function plan(force: ForceModel, y0: number[], outputs: number[], extra: Partial<CowellPlan> = {}): CowellPlan {
  return { force, y0, massKg: 1000, outputs, stm: false, impulses: [], burns: [], method: 'dp853', rtol: 1e-12, atolKm: 1e-9, minRadiusKm: 6378, switching: shadowSwitching(force), ...extra };
}

describe('numerical-propagator: Earth-shadow boundaries as integration events', () => {
  /**
   * Circular orbit of radius R in the plane of the Sun direction, starting 90° before the
   * anti-Sun axis. With the Sun at distance D on +x the conical shadow (spheres of radius R⊙
   * and R⊕) has closed-form boundaries (Vallado 4th ed. §5.3, the shadow cones of Algorithm 34):
   *   penumbra cone: half-angle α_p = asin((R⊙ + R⊕)/D), vertex between Sun and Earth at
   *     d_p = D R⊕/(R⊙ + R⊕); a point at angle φ from the anti-Sun axis is on it when
   *     R sin φ = (R cos φ + d_p) tan α_p  ⇔  R sin(φ − α_p) = d_p sin α_p = R⊕
   *     ⇔ φ_p = α_p + asin(R⊕/R)
   *   umbra cone: α_u = asin((R⊙ − R⊕)/D), vertex behind the Earth at d_u = D R⊕/(R⊙ − R⊕):
   *     R sin φ = (d_u − R cos φ) tan α_u  ⇔  φ_u = asin(R⊕/R) − α_u
   *   cylinder (for comparison): φ_c = asin(R⊕/R).
   * The satellite reaches angle φ before the axis at t = (π/2 − φ)/n and after it at (π/2 + φ)/n.
   */
  it('circular orbit, fixed Sun: penumbra/umbra entry and exit times equal the analytic conical-shadow times to 1e-6 s', () => {
    const R = 7000;
    const n = Math.sqrt(MU_EARTH_KM3_S2 / R ** 3);
    const v = Math.sqrt(MU_EARTH_KM3_S2 / R);
    const y0 = [0, R, 0, -v, 0, 0]; // θ = 90°, moving towards −x (the anti-Sun side)
    // SRP with a negligible area (A/m = 1e-9 m²/kg → 6e-18 km/s²): two-body motion, shadow on
    const force = new ForceModel({ muKm3S2: MU_EARTH_KM3_S2, rotation: new UniformEarthRotation(0), bodies: FIXED_SUN, sun: false, moon: false, srp: { cr: 1.3, areaM2: 1e-6, shadow: true } });
    const T = (2 * Math.PI) / n;
    const res = propagateCowell(plan(force, y0, [T]));
    const D = AU_KM;
    const ap = Math.asin((SUN_RADIUS_KM + EARTH_SHADOW_RADIUS_KM) / D);
    const au = Math.asin((SUN_RADIUS_KM - EARTH_SHADOW_RADIUS_KM) / D);
    const phiC = Math.asin(EARTH_SHADOW_RADIUS_KM / R);
    const phiP = ap + phiC;
    const phiU = phiC - au;
    const expected = [
      { name: 'penumbra', t: (Math.PI / 2 - phiP) / n, increasing: false },
      { name: 'umbra', t: (Math.PI / 2 - phiU) / n, increasing: false },
      { name: 'umbra', t: (Math.PI / 2 + phiU) / n, increasing: true },
      { name: 'penumbra', t: (Math.PI / 2 + phiP) / n, increasing: true },
    ];
    expect(res.switchingEvents.map((e) => `${e.name}:${e.increasing}`)).to.deep.equal(expected.map((e) => `${e.name}:${e.increasing}`));
    // tolerance: the root is located to 1e-6 s (cowell.ts SWITCH_TOL_S; 7.5 mm of orbit), the
    // two-body integration at rtol 1e-12 is far more accurate; measured differences ≤ 1.3e-9 s.
    res.switchingEvents.forEach((e, k) => expect(Math.abs(e.t - expected[k].t), `${e.name} ${k}`).to.be.below(1e-6));
    // sanity of the geometry itself: penumbra (≈ 8.5 s here) brackets the cylindrical boundary
    expect(expected[0].t).to.be.below((Math.PI / 2 - phiC) / n);
    expect(expected[1].t).to.be.above((Math.PI / 2 - phiC) / n);
    expect(expected[1].t - expected[0].t).to.be.within(5, 15);
  });

  it('events do not disturb a smooth solution (1e-9) and cost < 15 % more evaluations per orbit', () => {
    const R = 7000;
    const n = Math.sqrt(MU_EARTH_KM3_S2 / R ** 3);
    const v = Math.sqrt(MU_EARTH_KM3_S2 / R);
    const y0 = [0, R, 0, -v, 0, 0];
    const force = new ForceModel({ muKm3S2: MU_EARTH_KM3_S2, rotation: new UniformEarthRotation(0), bodies: FIXED_SUN, sun: false, moon: false, srp: { cr: 1.3, areaM2: 1e-6, shadow: true } });
    const T = (2 * Math.PI) / n;
    const withEvents = propagateCowell(plan(force, y0, [T]));
    const without = propagateCowell(plan(force, y0, [T], { switching: undefined }));
    expect(withEvents.switchingEvents).to.have.length(4);
    expect(without.switchingEvents).to.have.length(0);
    // extra cost: each event redoes part of one step and restarts the integrator
    expect(withEvents.evaluations).to.be.below(1.15 * without.evaluations + 4 * 30);
    // both runs agree (negligible SRP): the event restarts do not disturb the solution (1e-9 relative)
    const a = withEvents.states;
    const b = without.states;
    expect(Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) / R).to.be.below(1e-9);
  });

  it('STM through eclipse (20×20, Sun, Moon, SRP with conical shadow, drag; 6 h) agrees with finite differences of the propagated state to 1e-6 per block', function () {
    this.timeout(20_000);
    const field = referenceField('JGM3');
    const epoch = Epoch.parse('2024-03-01T00:00:00', 'UTC');
    const force = new ForceModel({
      muKm3S2: MU_EARTH_KM3_S2,
      rotation: new UniformEarthRotation(7.292115e-5),
      geopotential: new Geopotential(field, 20, 20),
      bodies: new BodyEphemeris(epoch),
      sun: true,
      moon: true,
      srp: { cr: 1.3, areaM2: 10, shadow: true },
      drag: { cd: 2.2, areaM2: 10, harrisPriesterN: 4 },
    });
    const leo = keplerianToCartesian({ aKm: 6878.137, e: 0.0012, iRad: 51.6 * DEG, raanRad: 30 * DEG, argpRad: 40 * DEG, trueAnomalyRad: 10 * DEG });
    const y0 = [...leo.posKm, ...leo.velKmS];
    const tOut = 6 * 3600;
    const base = propagateCowell(plan(force, y0, [tOut], { stm: true, rtol: 1e-12 }));
    expect(base.switchingEvents.length, 'eclipse crossings in 6 h').to.be.at.least(8);
    const phi = base.stms!;
    // central differences with δr = 1 m, δv = 1 mm/s (as the no-shadow STM test of cowell.test.ts):
    // with the boundaries located, the propagated state is a smooth function of the initial one.
    // Measured: ≤ 4.9e-7 per block; the same comparison with the integrator stepping across the
    // boundaries (switching off) is off by 1.2e-3–1.5e-3.
    for (const { block, error } of stmBlockErrors(phi, y0, (y) => propagateCowell(plan(force, y, [tOut], { rtol: 1e-13 })).states)) {
      expect(error, `block ${block}`).to.be.below(1e-6);
    }
  });
});
