import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileChannel, webhookChannel } from '../channels';
import { Outbox, type DeliveryResult } from '../outbox';
import { alert, freePort, WebhookReceiver } from './helpers';

// The outbox with an injected clock (runDue() instead of its timer): the back-off follows
// initialDelayMs × factor^(attempt−1) capped at maxDelayMs (the documented policy), and a
// journal cut in the middle of a 'sending' record is replayed as an interrupted attempt,
// repeated once with the same idempotency key.

const SECRET = 'outbox-test-secret-0123456789';

describe('notification outbox', function () {
  this.timeout(10_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const make = (port: number, clock: { ms: number }, results: DeliveryResult[]) =>
    new Outbox({
      journalFile: path.join(dir, 'outbox.jsonl'),
      channels: [webhookChannel({ name: 'ops', url: `http://127.0.0.1:${port}/`, secret: SECRET, minSeverity: 'info', timeoutMs: 2000, headers: {} })],
      contacts: [],
      escalationMinSeverity: 'warning',
      retry: { initialDelayMs: 1000, factor: 3, maxDelayMs: 20_000 },
      retentionDays: 30,
      onResult: (r) => results.push(r),
      warn: () => undefined,
      now: () => clock.ms,
      manual: true,
    });

  it('backs off 1 s, 3 s, 9 s, 20 s (capped), and never sends before the due time', async () => {
    const port = await freePort();
    const clock = { ms: Date.parse('2026-05-07T00:00:00Z') };
    const results: DeliveryResult[] = [];
    const box = make(port, clock, results);
    box.load();
    box.enqueue(alert('B-1'));
    const gaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      await box.runDue();
      const next = Date.parse(box.pending()[0].nextAttemptUtc!);
      gaps.push(next - clock.ms);
      clock.ms = next - 1;
      await box.runDue(); // 1 ms early: nothing
      expect(results).to.have.length(i + 1);
      clock.ms = next;
    }
    expect(gaps).to.deep.equal([1000, 3000, 9000, 20_000, 20_000]);
    expect(results.map((r) => r.attempt)).to.deep.equal([1, 2, 3, 4, 5]);
    await box.close();
  });

  it('repeats an attempt interrupted by a crash with the same key, then never again', async () => {
    const receiver = new WebhookReceiver(SECRET);
    const port = await receiver.listen();
    try {
      const clock = { ms: Date.now() };
      const box = make(port, clock, []);
      box.load();
      box.enqueue(alert('B-2'));
      await box.close(); // queued, never attempted
      // what a crash during the send leaves: the 'sending' record and no result
      fs.appendFileSync(path.join(dir, 'outbox.jsonl'), JSON.stringify({ t: 'sending', alertId: 'B-2', channel: 'webhook:ops', attempt: 1, atUtc: new Date(clock.ms).toISOString() }) + '\n');
      const results: DeliveryResult[] = [];
      const again = make(port, clock, results);
      expect(again.load()).to.deep.equal([]);
      expect(again.pending()[0].lastError).to.equal('attempt 1 interrupted (restart): repeated with the same idempotency key');
      await again.runDue();
      expect(results.map((r) => [r.ok, r.attempt])).to.deep.equal([[true, 2]]);
      await again.close();
      const third = make(port, clock, results);
      third.load();
      await third.runDue();
      await third.close();
      expect(receiver.received.map((r) => [r.alertId, r.attempt, r.signatureOk])).to.deep.equal([['B-2', 2, true]]);
    } finally {
      await receiver.close();
    }
  });

  it('drops a delivery whose channel is no longer configured, saying so', async () => {
    const clock = { ms: Date.now() };
    const port = await freePort();
    const box = make(port, clock, []);
    box.load();
    box.enqueue(alert('B-3'));
    await box.close();
    const fewer = new Outbox({
      journalFile: path.join(dir, 'outbox.jsonl'),
      channels: [fileChannel(path.join(dir, 'alerts.jsonl'), 'info')],
      contacts: [],
      escalationMinSeverity: 'warning',
      retry: { initialDelayMs: 1000, factor: 2, maxDelayMs: 1000 },
      retentionDays: 30,
      onResult: () => undefined,
      warn: () => undefined,
      now: () => clock.ms,
      manual: true,
    });
    expect(fewer.load()).to.deep.equal(["alert 'B-3': channel 'webhook:ops' is no longer configured; its delivery is dropped"]);
    expect(fewer.pending()).to.deep.equal([]);
    await fewer.close();
  });
});
