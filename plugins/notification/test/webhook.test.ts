import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { AlertAcknowledged, AlertDelivered, AlertRaised } from '../../../interfaces/topics';
import { NotifierToken } from '../../../interfaces/services/collision';
import { idempotencyKey } from '../channels';
import { ALERTS_FILE, OUTBOX_FILE } from '../plugin';
import { alert, freePort, sleep, until, WebhookReceiver } from './helpers';

// Real sockets on 127.0.0.1: the plugin posts to a receiver that is down, then up; the
// kernel is stopped mid-retry and a new one started on the same data folder
// (createTestKernel with config.kernel.dataDir). The receiver verifies every signature
// with the shared secret and counts deliveries per alert: exactly one is expected.

const PLUGIN = path.join(__dirname, '..');
const SECRET = 'test-signing-secret-0123456789';

describe('notification plugin: webhook, outbox, restart', function () {
  this.timeout(30_000);
  let dataDir: string;
  let tk: TestKernel | undefined;
  let receiver: WebhookReceiver;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'notification-'));
    receiver = new WebhookReceiver(SECRET);
  });
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const boot = (port: number, extra: Record<string, unknown> = {}) =>
    createTestKernel({
      plugins: [PLUGIN],
      config: {
        kernel: { dataDir },
        plugins: {
          notification: {
            config: {
              webhooks: [{ name: 'ops', url: `http://127.0.0.1:${port}/hook`, secret: SECRET, timeoutMs: 2000 }],
              retry: { initialDelayMs: 100, factor: 2, maxDelayMs: 400 },
              ...extra,
            },
          },
        },
      },
    });

  it('starts offline with no config: log and file channels', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN], config: { kernel: { dataDir } } });
    await tk.waitForState('notification', 'running');
    const delivered = tk.collect(AlertDelivered);
    const r = await tk.service(NotifierToken).notify(alert('A-0', { severity: 'info' }));
    expect(r).to.deep.equal({ alertId: 'A-0', queued: ['log', 'file'] });
    await until('two deliveries', () => delivered.messages.length === 2);
    expect(delivered.messages.map((m) => [m.channel, m.ok, m.attempt])).to.have.deep.members([
      ['log', true, 1],
      ['file', true, 1],
    ]);
    const lines = fs.readFileSync(path.join(dataDir, 'plugins', 'notification', ALERTS_FILE), 'utf8').trim().split('\n');
    expect(lines).to.have.length(1);
    expect(JSON.parse(lines[0]).alert).to.deep.include({ id: 'A-0', severity: 'info' });
    expect(await tk.service(NotifierToken).pending()).to.deep.equal([]);
  });

  it('retries a webhook that is down, keeps the alert across a kernel restart, delivers it once, signed', async () => {
    const port = await freePort();
    tk = await boot(port);
    await tk.waitForState('notification', 'running');
    const delivered = tk.collect(AlertDelivered);
    tk.bus.publish(AlertRaised, alert('A-1'));
    tk.bus.publish(AlertRaised, alert('A-1')); // the same alert again (e.g. a durable redelivery): ignored
    const failed = await until('a second failed webhook attempt', () => delivered.messages.find((m) => m.channel === 'webhook:ops' && m.attempt === 2));
    expect(failed.ok).to.equal(false);
    expect(failed.error).to.match(/127\.0\.0\.1.*ECONNREFUSED/);
    const pending = await tk.service(NotifierToken).pending();
    expect(pending.map((p) => p.alert.id)).to.deep.equal(['A-1']);
    expect(pending[0].lastError).to.contain('ECONNREFUSED');
    expect(pending[0].attempts).to.be.at.least(2 + 2); // log + file once each, webhook 2+
    expect(Date.parse(pending[0].nextAttemptUtc!)).to.be.greaterThan(Date.now() - 1000);
    expect(delivered.messages.filter((m) => m.ok).map((m) => m.channel)).to.have.members(['log', 'file']);
    await tk.stop(); // mid-retry
    tk = undefined;

    const journal = fs.readFileSync(path.join(dataDir, 'plugins', 'notification', OUTBOX_FILE), 'utf8');
    expect(journal).to.contain('"t":"result"');

    await receiver.listen(port); // the receiver comes back, the kernel too (same data folder)
    tk = await boot(port);
    await until('the webhook delivery after the restart', () => receiver.count('A-1') === 1);
    await sleep(500); // a few retry periods: nothing more may arrive
    expect(receiver.received).to.have.length(1);
    const got = receiver.received[0];
    expect(got.signatureOk).to.equal(true);
    expect(got.idempotencyKey).to.equal(idempotencyKey('A-1', 'webhook:ops'));
    expect(got.body.alert).to.deep.include({ id: 'A-1', severity: 'critical', title: alert('A-1').title });
    expect(got.attempt).to.be.greaterThan(2);
    expect(await tk.service(NotifierToken).pending()).to.deep.equal([]);
    // log and file were delivered before the restart: not again
    const file = fs.readFileSync(path.join(dataDir, 'plugins', 'notification', ALERTS_FILE), 'utf8');
    expect(file.trim().split('\n').filter((l) => l.includes('"A-1"'))).to.have.length(1);
    await tk.stop();

    tk = await boot(port); // a third start: nothing left to send
    tk.bus.publish(AlertRaised, alert('A-1'));
    await sleep(400);
    expect(receiver.received).to.have.length(1);
  });

  it('stops retrying once acknowledged, and publishes the acknowledgement', async () => {
    const port = await receiver.listen();
    receiver.status = 503; // up, but failing
    tk = await boot(port, { log: { enabled: false }, file: { enabled: false } });
    await tk.waitForState('notification', 'running');
    const acks = tk.collect(AlertAcknowledged);
    const notifier = tk.service(NotifierToken);
    expect(await notifier.notify(alert('A-2'))).to.deep.equal({ alertId: 'A-2', queued: ['webhook:ops'] });
    await until('two refused attempts', () => receiver.received.length >= 2);
    expect((await notifier.pending())[0].lastError).to.match(/answered HTTP 503/);
    expect(await notifier.acknowledge({ alertId: 'A-2', byUser: 'duty', comment: 'on it' })).to.deep.equal({ acknowledged: true });
    expect(await notifier.acknowledge({ alertId: 'nope', byUser: 'duty' })).to.deep.equal({ acknowledged: false });
    const n = receiver.received.length;
    await sleep(600); // > the 400 ms maximum back-off
    expect(receiver.received.length - n).to.be.at.most(1); // at most one attempt already in flight
    expect(await notifier.pending()).to.deep.equal([]);
    expect(acks.messages).to.have.length(1);
    expect(acks.messages[0]).to.include({ alertId: 'A-2', byUser: 'duty', comment: 'on it' });
    expect(receiver.received.every((r) => r.signatureOk)).to.equal(true);
  });

  it('folds an identical alert (same dedupKey and severity) and supersedes a lower one', async () => {
    const port = await receiver.listen();
    tk = await boot(port, { log: { enabled: false }, file: { enabled: false } });
    await tk.waitForState('notification', 'running');
    const notifier = tk.service(NotifierToken);
    await notifier.notify(alert('W-1', { severity: 'warning', dedupKey: 'risk:EV-7' }));
    await until('W-1', () => receiver.count('W-1') === 1);
    expect((await notifier.notify(alert('W-2', { severity: 'warning', dedupKey: 'risk:EV-7' }))).queued).to.deep.equal([]);
    expect((await notifier.notify(alert('C-1', { severity: 'critical', dedupKey: 'risk:EV-7' }))).queued).to.deep.equal(['webhook:ops']);
    await until('C-1', () => receiver.count('C-1') === 1);
    await sleep(200);
    expect(receiver.received.map((r) => r.alertId)).to.deep.equal(['W-1', 'C-1']);
  });

  it('refuses a malformed alert given to notify(), naming the field', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN], config: { kernel: { dataDir } } });
    await tk.waitForState('notification', 'running');
    const err = await tk
      .service(NotifierToken)
      .notify({ ...alert('X'), severity: 'panic' as never })
      .then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/alert refused: severity: /);
  });
});
