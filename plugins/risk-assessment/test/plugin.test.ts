import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { AlertAcknowledged, AlertRaised, CdmReceived, ConjunctionDetected, RiskAssessed } from '../../../interfaces/topics';
import { CollisionProbabilityToken, RiskAssessmentToken, type CollisionProbability, type PcInput } from '../../../interfaces/services/collision';
import type { Conjunction } from '../../../interfaces/domain/conjunction';
import { JOURNAL_FILE } from '../plugin';

// Kernel tests: the plugin wired to the bus, its service, and its journal across a kernel
// restart on the same data folder. Levels are those of the default table (README).

const PLUGIN = path.join(__dirname, '..');
const H = 3_600_000;
const diag = (v: number) => Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? v : 0)));

function conjunction(id: string, fields: Partial<Conjunction> & { tcaInMs: number }): Conjunction {
  const { tcaInMs, ...rest } = fields;
  return {
    id,
    tcaUtc: new Date(Date.now() + tcaInMs).toISOString(),
    missDistanceKm: 2.5,
    relativeSpeedKmS: 14.2,
    relativePositionRtnKm: [0.5, 2.4, 0.3],
    relativeVelocityRtnKmS: [0.01, -14.1, 1.2],
    primary: { noradId: 25544, objectId: '25544', name: 'ISS (ZARYA)' },
    secondary: { noradId: 48274, objectId: '48274' },
    detectedAtUtc: new Date().toISOString(),
    detectedBy: 'conjunction-screening',
    source: 'screening',
    ...rest,
  };
}

async function until<T>(what: string, f: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('risk-assessment plugin', function () {
  this.timeout(30_000);
  let tk: TestKernel | undefined;
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'risk-plugin-'));
  });
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const boot = (config: Record<string, unknown> = {}, services: { token: any; implementation: object }[] = []) =>
    createTestKernel({ plugins: [PLUGIN], services, config: { kernel: { dataDir }, plugins: { 'risk-assessment': { config } } } });

  it('starts with no config, publishes risk.assessed and deduplicated alerts, and keeps its decisions across a restart', async () => {
    tk = await boot();
    await tk.waitForState('risk-assessment', 'running');
    const risk = tk.service(RiskAssessmentToken);
    expect((await risk.thresholds()).filter((t) => t.pcAtLeast).map((t) => t.pcAtLeast)).to.deep.equal([1e-4, 1e-5, 1e-7]);

    const assessed = tk.collect(RiskAssessed);
    const alerts = tk.collect(AlertRaised);
    const tca = 50 * H;
    for (const [i, pc] of [3e-6, 3e-5, 3e-4, 3.1e-4].entries()) tk.bus.publish(ConjunctionDetected, conjunction(`EV-${i}`, { tcaInMs: tca, pc }));
    await until('4 assessments', () => (assessed.messages.length >= 4 ? true : undefined));
    expect(assessed.messages.map((m) => [m.eventId, m.severity, m.trend, m.updates])).to.deep.equal([
      ['EV-0', 'watch', 'new', 1],
      ['EV-0', 'warning', 'rising', 2],
      ['EV-0', 'critical', 'rising', 3],
      ['EV-0', 'critical', 'stable', 4],
    ]);
    expect(alerts.messages.map((a) => [a.id, a.severity])).to.deep.equal([
      ['risk:EV-0:1', 'warning'],
      ['risk:EV-0:2', 'critical'],
    ]);
    // a CDM of the same pair (object order swapped, TCA 60 s later) joins the event
    tk.bus.publish(CdmReceived, {
      messageId: 'CDM-42',
      creationDateUtc: new Date().toISOString(),
      originator: 'CSPOC',
      tcaUtc: new Date(Date.parse(assessed.messages[0].tcaUtc) + 60_000).toISOString(),
      missDistanceM: 180,
      relativePositionRtnM: [20, 150, 90],
      collisionProbability: 9e-4,
      object1: { objectId: '48274', noradId: 48274 },
      object2: { objectId: '25544', noradId: 25544 },
      warnings: [],
    });
    await until('CDM assessment', () => (assessed.messages.length >= 5 ? true : undefined));
    expect(assessed.messages[4]).to.include({ eventId: 'EV-0', severity: 'critical', trend: 'rising', updates: 5, pc: 9e-4, missDistanceKm: 0.18 });
    tk.bus.publish(AlertAcknowledged, { alertId: 'risk:EV-0:2', byUser: 'hotline', atUtc: new Date().toISOString() });
    const before = await until('ack recorded', () => {
      const text = fs.readFileSync(path.join(dataDir, 'plugins', 'risk-assessment', JOURNAL_FILE), 'utf8');
      return text.includes('acknowledged by hotline') ? text : undefined;
    });
    expect(before.split('\n').filter((l) => l.includes('"t":"decision"'))).to.have.length(6);
    const [beforeRestart] = await risk.assess(['EV-3']); // any id an update came with
    expect(alerts.messages).to.have.length(2);
    await tk.stop();

    tk = await boot();
    await tk.waitForState('risk-assessment', 'running');
    const [afterRestart] = await tk.service(RiskAssessmentToken).assess(['EV-0']);
    expect(afterRestart).to.deep.equal(beforeRestart);
    expect(afterRestart.reasons[0]).to.equal('red: Pc 9.00e-4 ≥ 1.00e-4');
    // same level after the restart: no new alert; the trend continues from the CDM
    const assessed2 = tk.collect(RiskAssessed);
    const alerts2 = tk.collect(AlertRaised);
    tk.bus.publish(ConjunctionDetected, conjunction('EV-9', { tcaInMs: tca, pc: 1e-4 }));
    await until('assessment after restart', () => assessed2.messages[0]);
    expect(assessed2.messages[0]).to.include({ eventId: 'EV-0', severity: 'critical', trend: 'falling', updates: 6 });
    await new Promise((r) => setTimeout(r, 100));
    expect(alerts2.messages).to.deep.equal([]);
    const refused = await tk.service(RiskAssessmentToken).assess(['nope']).then(() => undefined, (err: Error) => err);
    expect(refused?.message).to.contain("risk-assessment: unknown event id 'nope'");
  });

  it('escalates to critical in real time as TCA comes within 24 h, once', async () => {
    tk = await boot({ reassessEveryS: 0.1 });
    await tk.waitForState('risk-assessment', 'running');
    const alerts = tk.collect(AlertRaised);
    tk.bus.publish(ConjunctionDetected, conjunction('ESC-1', { tcaInMs: 24 * H + 2500, pc: 2e-5 }));
    const first = await tk.nextMessage(AlertRaised, (a) => a.subject?.id === 'ESC-1');
    expect(first.severity).to.equal('warning');
    const escalated = await tk.nextMessage(AlertRaised, (a) => a.severity === 'critical', 5000);
    expect(escalated.id).to.equal('risk:ESC-1:2');
    expect(escalated.detail).to.match(/escalated warning → critical: TCA in 24\.0 h ≤ 24\.0 h/);
    await new Promise((r) => setTimeout(r, 400));
    expect(alerts.messages.map((a) => a.severity)).to.deep.equal(['warning', 'critical']);
  });

  it('asks collision-probability for a Pc when the conjunction has none', async () => {
    const calls: PcInput[] = [];
    const pcService: CollisionProbability = {
      async compute(req) {
        calls.push(...req.inputs);
        return req.inputs.map(() => [{ method: 'foster', pc: 2.4e-4, log10Pc: Math.log10(2.4e-4), flags: [], missDistanceM: 2500, relativeSpeedMS: 14200 }]);
      },
    };
    tk = await boot({}, [{ token: CollisionProbabilityToken, implementation: pcService }]);
    await tk.waitForState('risk-assessment', 'running');
    const state = { epoch: { iso: '2026-05-08T03:12:44.125', scale: 'UTC' as const }, frame: 'GCRF' as const, posKm: [6778.137, 0, 0] as [number, number, number], velKmS: [0, 7.6686, 0] as [number, number, number] };
    const c = conjunction('PC-1', {
      tcaInMs: 40 * H,
      primary: { noradId: 25544, objectId: '25544', stateAtTca: state, covarianceRtnM: { frame: 'RTN', units: 'km', matrix: diag(1e-4) }, hardBodyRadiusM: 20 },
      secondary: { noradId: 48274, objectId: '48274', stateAtTca: { ...state, velKmS: [0, 0, 7.6686] }, covarianceRtnM: { frame: 'RTN', units: 'm', matrix: diag(400) }, hardBodyRadiusM: 1 },
    });
    tk.bus.publish(ConjunctionDetected, c);
    const a = await tk.nextMessage(RiskAssessed);
    expect(a).to.include({ severity: 'critical', pc: 2.4e-4 });
    expect(calls).to.have.length(1);
    expect(calls[0].hardBodyRadiusM).to.equal(21); // 20 m + 1 m
    expect(calls[0].primary.covRtnM2![0][0]).to.be.closeTo(100, 1e-9); // 1e-4 km² = 100 m²
    expect(calls[0].secondary.covRtnM2![0][0]).to.equal(400);

    // without covariance: assessed on miss distance, saying why
    tk.bus.publish(ConjunctionDetected, conjunction('PC-2', { tcaInMs: 40 * H, missDistanceKm: 0.6, relativePositionRtnKm: [0.1, 0.5, 0.3], secondary: { noradId: 99999, objectId: '99999' } }));
    const b = await tk.nextMessage(RiskAssessed, (m) => m.eventId === 'PC-2');
    expect(b.severity).to.equal('warning');
    const [r] = await tk.service(RiskAssessmentToken).assess(['PC-2']);
    expect(r.reasons).to.include('no Pc: primary has no state at TCA; assessed on miss distance');
  });
});
