import { expect } from 'chai';
import * as path from 'node:path';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { CollisionProbabilityToken } from '../../../interfaces/services/collision';
import { avoidanceConfig } from '../config';
import { manoeuvredPrimary } from '../linear';
import { type PlanSettings, pcInputFor, planOptions, statesOf } from '../planner';
import { pcBatchOf } from '../service';
import { HBR_M, MEAN_MOTION_RAD_S, SIGMA_RTN_M, headOn } from './fixture';

// Option search on a synthetic head-on conjunction (test/fixture.ts) with the real
// collision-probability plugin (Foster). Independent reference for the answer:
//  - the miss vector is radial and the encounter plane is R–N, with combined σ = √2·50 m on
//    both axes (isotropic); an along-track burn half a revolution (or 1.5, 2.5 …) before TCA
//    moves the primary radially by 4Δv/n (Clohessy–Wiltshire, Vallado §6.8), and along-track
//    only after whole revolutions (no effect on the miss: along the relative velocity);
//  - Foster's Pc for an isotropic Gaussian and R ≪ σ is (R²/2σ²)·exp(−m²/2σ²) (Chan 2008
//    eq. 5.x, small-circle limit; the next term changes m by < 1 m here), so Pc = 1e-5 needs
//    m = σ·√(2 ln(R²/(2σ²·1e-5))) and Δv = (m − m₀)·n/4.
describe('avoidance-maneuver option search (real collision-probability)', function () {
  this.timeout(30_000);
  let tk: TestKernel;
  before(async () => {
    tk = await createTestKernel({ plugins: [path.join(__dirname, '../../collision-probability')] });
  });
  after(async () => tk?.stop());

  const cfg = avoidanceConfig.parse({});
  const settings = (over: Partial<PlanSettings> = {}): PlanSettings => ({
    pcTarget: 1e-5,
    missFloorKm: 0.2,
    maxDeltaVMS: 0.5,
    maxHalfRevolutions: 4,
    gridPoints: 40,
    toleranceMS: 1e-4,
    directions: ['along-track', 'radial'],
    defaultHardBodyRadiusM: 5,
    ...over,
  });
  const tca = '2030-01-01T12:00:00.000Z';
  const window = { earliestUtc: '2030-01-01T00:00:00Z', latestUtc: tca };

  it('finds options; the recommended (smallest Δv) brings Pc under 1e-5 and is minimal', async () => {
    const c = headOn(20, tca);
    const pc = pcBatchOf(tk.service(CollisionProbabilityToken), cfg)!;
    const plan = await planOptions(c, window, settings(), pc);
    expect(plan.pcAvailable).to.equal(true);
    expect(plan.pcBefore).to.be.above(1e-4);
    expect(plan.options.length).to.be.greaterThan(0);
    const best = plan.options[0];
    for (const o of plan.options) {
      expect(o.deltaVMS).to.be.at.least(best.deltaVMS);
      expect(o.pcAfter).to.be.below(1e-5);
      expect(o.missDistanceAfterKm).to.be.at.least(0.2);
    }
    expect(best.direction).to.equal('along-track');
    // A retrograde along-track burn half a revolution before lowers the primary at TCA (CW:
    // −4Δv/n radial), away from the secondary 20 m above; a prograde one must cross it first.
    expect(best.sign).to.equal(-1);
    expect(best.leadRevolutions % 1).to.equal(0.5);
    // Reference Δv (header comment), 1 % (small-circle approximation and bisection tolerance).
    const sigmaM = Math.SQRT2 * SIGMA_RTN_M[0];
    const R = 2 * HBR_M;
    const mNeeded = sigmaM * Math.sqrt(2 * Math.log((R * R) / (2 * sigmaM * sigmaM) / 1e-5));
    const dvRef = ((mNeeded - 20) / 1000) * (MEAN_MOTION_RAD_S / 4) * 1000;
    expect(best.deltaVMS).to.be.closeTo(dvRef, 0.01 * dvRef);
    // Pc recomputed by the service for the manoeuvred state: below target; and 2 tolerances
    // less Δv along the same ray no longer meets it (minimality of the bisection).
    const { p } = statesOf(c);
    const pcAt = async (scale: number) => {
      const dv = best.dvRtnKmS.map((x) => x * scale);
      return (await pc([pcInputFor(c, manoeuvredPrimary(p.posKm, p.velKmS, best.geometry, dv), 5)]))[0]!;
    };
    expect(await pcAt(1)).to.be.below(1e-5);
    expect(await pcAt(1 - (2 * 1e-4) / best.deltaVMS)).to.be.at.least(1e-5);
    // Radial burns at half revolutions move the primary only along-track (CW): none helps
    // within 0.5 m/s — their options, if any, must cost more than the along-track one.
    const radial = plan.options.filter((o) => o.direction === 'radial');
    for (const o of radial) expect(o.deltaVMS).to.be.above(best.deltaVMS);
  });

  it('without a Pc service, meets the miss floor only and says so', async () => {
    const c = headOn(20, tca);
    const plan = await planOptions(c, window, settings({ missFloorKm: 0.5 }), undefined);
    expect(plan.pcAvailable).to.equal(false);
    expect(plan.notes.join(' ')).to.match(/miss-distance floor only/);
    const best = plan.options[0];
    expect(Number.isNaN(best.pcAfter)).to.equal(true);
    expect(best.missDistanceAfterKm).to.be.at.least(0.5);
    const dvRef = ((500 - 20) / 1000) * (MEAN_MOTION_RAD_S / 4) * 1000; // CW, 4Δv/n radial
    expect(best.deltaVMS).to.be.closeTo(dvRef, 0.01 * dvRef);
  });

  it('no option when the window holds no half-revolution lead, or Δv is capped too low', async () => {
    const c = headOn(20, tca);
    const pc = pcBatchOf(tk.service(CollisionProbabilityToken), cfg)!;
    const none = await planOptions(c, { earliestUtc: '2030-01-01T11:50:00Z', latestUtc: tca }, settings(), pc);
    expect(none.options).to.have.length(0);
    expect(none.notes.join(' ')).to.match(/no lead time/);
    const capped = await planOptions(c, window, settings({ maxDeltaVMS: 0.01 }), pc);
    expect(capped.options).to.have.length(0);
    expect(capped.notes.join(' ')).to.match(/no Δv ≤ 0.01 m\/s/);
  });

  it('clear errors for a conjunction without states or covariances', async () => {
    const c = headOn(20, tca);
    delete c.secondary.stateAtTca;
    await planOptions(c, window, settings(), undefined).then(
      () => expect.fail('should refuse'),
      (e: Error) => expect(e.message).to.match(/secondary.stateAtTca missing/),
    );
    const d = headOn(20, tca);
    delete d.primary.covarianceRtnM;
    expect(() => pcInputFor(d, statesOf(d).p, 5)).to.throw(/primary: no covariance/);
  });
});
