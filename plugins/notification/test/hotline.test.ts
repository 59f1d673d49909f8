import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { AlertDelivered, ConjunctionDetected } from '../../../interfaces/topics';
import { NotifierToken, RiskAssessmentToken } from '../../../interfaces/services/collision';
import type { Conjunction } from '../../../interfaces/domain/conjunction';
import { sleep, until, WebhookReceiver } from './helpers';

// The hotline chain in one kernel: risk-assessment classifies conjunctions and raises
// alerts, notification delivers them to a signed webhook on 127.0.0.1; the operator's
// acknowledgement through the Notifier reaches risk-assessment over alert.acknowledged.

const NOTIFICATION = path.join(__dirname, '..');
const RISK = path.join(__dirname, '..', '..', 'risk-assessment');
const SECRET = 'hotline-signing-secret-123456';

function conjunction(id: string, pc: number): Conjunction {
  return {
    id,
    tcaUtc: new Date(Date.now() + 40 * 3_600_000).toISOString(),
    missDistanceKm: 0.35,
    relativeSpeedKmS: 12.1,
    relativePositionRtnKm: [0.25, 0.2, 0.15],
    relativeVelocityRtnKmS: [0.1, -12, 1.5],
    primary: { noradId: 43613, objectId: '43613' },
    secondary: { noradId: 50564, objectId: '50564' },
    detectedAtUtc: new Date().toISOString(),
    detectedBy: 'conjunction-screening',
    source: 'screening',
    pc,
  };
}

describe('hotline: risk-assessment → notification', function () {
  this.timeout(30_000);
  let tk: TestKernel | undefined;
  let dataDir: string;
  const receiver = new WebhookReceiver(SECRET);
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers the alerts of a rising event once per raised level, and records the acknowledgement', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-'));
    const port = await receiver.listen();
    tk = await createTestKernel({
      plugins: [RISK, NOTIFICATION],
      config: {
        kernel: { dataDir },
        plugins: { notification: { config: { webhooks: [{ name: 'hotline', url: `http://127.0.0.1:${port}/`, secret: SECRET, minSeverity: 'warning' }] } } },
      },
    });
    await tk.waitForState('notification', 'running');
    await tk.waitForState('risk-assessment', 'running');
    const delivered = tk.collect(AlertDelivered);
    for (const [i, pc] of [3e-5, 3.2e-5, 4e-4].entries()) tk.bus.publish(ConjunctionDetected, conjunction(`H-${i}`, pc));
    await until('two webhook deliveries', () => receiver.received.length === 2);
    await sleep(200);
    expect(receiver.received.map((r) => [r.alertId, r.body.alert.severity, r.signatureOk])).to.deep.equal([
      ['risk:H-0:1', 'warning', true],
      ['risk:H-0:2', 'critical', true],
    ]);
    expect(delivered.messages.filter((d) => d.ok).length).to.equal(2 * 3); // log, file, webhook per alert
    expect(await tk.service(NotifierToken).acknowledge({ alertId: 'risk:H-0:2', byUser: 'fdo' })).to.deep.equal({ acknowledged: true });
    const [a] = await until('the acknowledgement in risk-assessment', () => {
      const file = path.join(dataDir, 'plugins', 'risk-assessment', 'risk-journal.jsonl');
      return fs.readFileSync(file, 'utf8').includes('acknowledged by fdo') ? [true] : undefined;
    });
    expect(a).to.equal(true);
    const [r] = await tk.service(RiskAssessmentToken).assess(['H-2']);
    expect(r).to.include({ eventId: 'H-0', severity: 'critical', trend: 'rising' });
  });
});
