import { expect } from 'chai';
import * as path from 'node:path';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { CdmIssued, ConjunctionDetected, ManeuverPlanned, RiskAssessed } from '../../../interfaces/topics';
import { AvoidanceManeuverPlannerToken, CollisionProbabilityToken } from '../../../interfaces/services/collision';
import { NumericalPropagatorToken } from '../../../interfaces/services/propagation';
import { avoidanceConfig } from '../config';
import { planOptions } from '../planner';
import { pcBatchOf, verify } from '../service';
import { headOn } from './fixture';

// The plugin in a real kernel with the real collision-probability plugin: risk.assessed
// (critical) + conjunction.detected in → maneuver.planned (proposed) out, and the service.

const PLUGIN = path.join(__dirname, '..');
const CP = path.join(__dirname, '../../collision-probability');
const NUM = path.join(__dirname, '../../numerical-propagator');

const assessed = (eventId: string, tcaUtc: string, severity: 'critical' | 'warning') => ({
  eventId,
  tcaUtc,
  severity,
  pc: 9.6e-3,
  missDistanceKm: 0.02,
  trend: 'new' as const,
  updates: 1,
  assessedAtUtc: new Date().toISOString(),
});

describe('avoidance-maneuver plugin', function () {
  this.timeout(60_000);
  let tk: TestKernel | undefined;
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
  });
  const tcaIn = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

  it('critical risk.assessed after conjunction.detected → maneuver.planned (proposed, avoidance, RTN)', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN, CP], config: { plugins: { 'avoidance-maneuver': { config: { maxDeltaVMS: 0.5 } } } } });
    const c = headOn(20, tcaIn(6), 'E1');
    const got = tk.nextMessage(ManeuverPlanned, undefined, 30_000);
    tk.bus.publish(ConjunctionDetected, c);
    tk.bus.publish(RiskAssessed, assessed('E1', c.tcaUtc, 'critical'));
    const m = await got;
    expect(m.status).to.equal('proposed');
    expect(m.purpose).to.equal('avoidance');
    expect(m.kind).to.equal('impulsive');
    expect(m.frame).to.equal('RTN');
    expect(m.objectId).to.equal('90001');
    expect(m.id).to.match(/^E1-avoid-along-track-/);
    // Smallest option: along-track, retrograde, ≈ 0.0655 m/s (planner.test.ts reference).
    expect(m.deltaVKmS[1]).to.be.closeTo(-6.55e-5, 1e-6);
    expect(Date.parse(m.epoch.iso)).to.be.below(Date.parse(c.tcaUtc));
  });

  it('waits for the conjunction when risk.assessed comes first; ignores non-critical events', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN, CP] });
    const planned = tk.collect(ManeuverPlanned);
    const c2 = headOn(20, tcaIn(6), 'E2');
    tk.bus.publish(RiskAssessed, assessed('E2', c2.tcaUtc, 'warning'));
    tk.bus.publish(ConjunctionDetected, c2);
    const c3 = headOn(20, tcaIn(6), 'E3');
    const got = tk.nextMessage(ManeuverPlanned, (m) => m.id.startsWith('E3-'), 30_000);
    tk.bus.publish(RiskAssessed, assessed('E3', c3.tcaUtc, 'critical'));
    await new Promise((r) => setTimeout(r, 100));
    tk.bus.publish(ConjunctionDetected, c3);
    await got;
    expect(planned.messages.map((m) => m.id.split('-avoid')[0])).to.deep.equal(['E3']);
    planned.dispose();
  });

  it('a screening event without covariances waits for the CDM issued for it, then plans with its covariances', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN, CP] });
    const full = headOn(20, tcaIn(6), 'E4');
    // As screening publishes it: geometry only, no covariance, no hard-body radius.
    const bare = {
      ...full,
      primary: { ...full.primary, covarianceRtnM: undefined, hardBodyRadiusM: undefined },
      secondary: { ...full.secondary, covarianceRtnM: undefined, hardBodyRadiusM: undefined },
    };
    const planned = tk.collect(ManeuverPlanned);
    tk.bus.publish(ConjunctionDetected, JSON.parse(JSON.stringify(bare)));
    tk.bus.publish(RiskAssessed, assessed('E4', full.tcaUtc, 'critical'));
    await new Promise((r) => setTimeout(r, 200));
    expect(planned.messages, 'no plan without covariances').to.deep.equal([]);
    const got = tk.nextMessage(ManeuverPlanned, (m) => m.id.startsWith('E4-'), 30_000);
    // The cdm module's record: object1 = primary, with the covariances and radii of the CDM.
    tk.bus.publish(CdmIssued, {
      messageId: 'SCOOP-E4',
      creationDateUtc: new Date().toISOString(),
      originator: 'SCOOP',
      tcaUtc: full.tcaUtc,
      missDistanceM: full.missDistanceKm * 1000,
      eventId: 'E4',
      object1: full.primary,
      object2: full.secondary,
      warnings: [],
    });
    const m = await got;
    // Same geometry and covariances as the first test: the same smallest option.
    expect(m.deltaVKmS[1]).to.be.closeTo(-6.55e-5, 1e-6);
    planned.dispose();
  });

  it('service: options sorted with the recommended first, each meeting the target', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN, CP] });
    const svc = tk.service(AvoidanceManeuverPlannerToken);
    const c = headOn(20, tcaIn(6), 'E4');
    const opts = await svc.options({ eventId: 'E4', conjunction: c, pcTarget: 1e-5, maxDeltaVMS: 0.5, earliestUtc: new Date().toISOString(), latestUtc: c.tcaUtc, directions: ['along-track'] });
    expect(opts.length).to.be.greaterThan(1);
    for (const o of opts) {
      expect(o.pcAfter).to.be.below(1e-5);
      expect(o.deltaVMS).to.be.at.least(opts[0].deltaVMS);
      expect(o.maneuver.id).to.match(/along-track/);
    }
    await svc.options({ eventId: 'other', conjunction: c, pcTarget: 1e-5, maxDeltaVMS: 0.5, earliestUtc: c.tcaUtc, latestUtc: c.tcaUtc }).then(
      () => expect.fail('should refuse'),
      (e: Error) => expect(e.message).to.match(/eventId 'other' differs/),
    );
  });

  it('verification with the numerical propagator (two-body + J2) agrees with the linear displacement', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN, CP, NUM] });
    const cfg = avoidanceConfig.parse({});
    const c = headOn(20, tcaIn(6), 'E5');
    const plan = await planOptions(c, { earliestUtc: new Date().toISOString(), latestUtc: c.tcaUtc }, { ...cfg, directions: ['along-track'] }, pcBatchOf(tk.service(CollisionProbabilityToken), cfg));
    const check = await verify(c, plan.options[0], cfg, tk.service(NumericalPropagatorToken));
    expect(check.detail).to.match(/^numerical/);
    expect(check.ok, check.detail).to.equal(true);
  });
});
