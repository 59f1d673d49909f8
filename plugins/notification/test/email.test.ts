import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { AlertDelivered, AlertRaised } from '../../../interfaces/topics';
import { NotifierToken } from '../../../interfaces/services/collision';
import { idempotencyKey } from '../channels';
import { alert, sleep, until, WebhookReceiver } from './helpers';

// A real SMTP server (smtp-server) on 127.0.0.1 receives the e-mails; escalation contacts
// are notified after their configured delay unless the alert is acknowledged first.

const PLUGIN = path.join(__dirname, '..');
const SECRET = 'another-signing-secret-42424242';

interface Mail {
  to: string[];
  from: string;
  raw: string;
  atMs: number;
}

/** Decodes a quoted-printable body (RFC 2045 §6.7) enough to read the text back. */
function unQuotedPrintable(s: string): string {
  return Buffer.from(s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}

describe('notification plugin: e-mail and escalation', function () {
  this.timeout(30_000);
  let dataDir: string;
  let tk: TestKernel | undefined;
  let smtp: SMTPServer;
  let smtpPort: number;
  let mails: Mail[];
  let refuseRcpt: string | undefined;
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'notification-mail-'));
    mails = [];
    refuseRcpt = undefined;
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, cb) {
        if (address.address === refuseRcpt) cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 450 }));
        else cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const from = session.envelope.mailFrom;
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), from: from ? from.address : '', raw: Buffer.concat(chunks).toString('utf8'), atMs: Date.now() });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    smtpPort = (smtp.server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const boot = (extra: Record<string, unknown> = {}) =>
    createTestKernel({
      plugins: [PLUGIN],
      config: {
        kernel: { dataDir },
        plugins: {
          notification: {
            config: {
              email: { smtp: { host: '127.0.0.1', port: smtpPort, timeoutMs: 3000 }, from: 'scoop@fdc.test', to: ['hotline@fdc.test'], minSeverity: 'warning' },
              retry: { initialDelayMs: 100, factor: 2, maxDelayMs: 300 },
              ...extra,
            },
          },
        },
      },
    });

  it('e-mails the alert with its content to each recipient', async () => {
    tk = await boot();
    await tk.waitForState('notification', 'running');
    const a = alert('M-1', { title: 'Conjunction 25544 x 48274, TCA 2026-05-08T03:12:44Z', detail: 'red: Pc 2.10e-4 >= 1.00e-4\ntrend rising' });
    tk.bus.publish(AlertRaised, a);
    tk.bus.publish(AlertRaised, alert('I-1', { severity: 'info' })); // below the e-mail level
    await until('the e-mail', () => mails.length === 1);
    await sleep(200);
    expect(mails).to.have.length(1);
    const m = mails[0];
    expect(m.to).to.deep.equal(['hotline@fdc.test']);
    expect(m.from).to.equal('scoop@fdc.test');
    // unfold header lines (RFC 5322 §2.2.3), then decode the body
    const text = unQuotedPrintable(m.raw.replace(/\r?\n(?=[ \t])/g, ''));
    expect(text).to.contain('Subject: [SCOOP] CRITICAL: Conjunction 25544 x 48274, TCA 2026-05-08T03:12:44Z');
    expect(text).to.match(/red: Pc 2\.10e-4 >= 1\.00e-4\r?\ntrend rising/);
    expect(text).to.contain('alert id:  M-1');
    expect(text).to.contain('subject:   conjunction EV-1');
    expect(text).to.contain('pc: 0.00021');
    expect(text).to.contain(`Message-ID: <${idempotencyKey('M-1', 'email:hotline@fdc.test')}@scoop.notification>`);
    expect(text).to.match(/^X-Scoop-Alert-Id: M-1\r?$/im);
  });

  it('retries an SMTP refusal until the server accepts', async () => {
    refuseRcpt = 'hotline@fdc.test';
    tk = await boot();
    await tk.waitForState('notification', 'running');
    const delivered = tk.collect(AlertDelivered);
    tk.bus.publish(AlertRaised, alert('M-2'));
    const refused = await until('a refused attempt', () => delivered.messages.find((d) => d.channel === 'email:hotline@fdc.test' && !d.ok));
    expect(refused.error).to.match(/SMTP 127\.0\.0\.1:\d+ to hotline@fdc\.test: .*450/);
    refuseRcpt = undefined;
    await until('the accepted e-mail', () => mails.length === 1);
    const ok = await until('the ok report', () => delivered.messages.find((d) => d.channel === 'email:hotline@fdc.test' && d.ok));
    expect(ok.attempt).to.be.at.least(2);
  });

  it('escalates to the next contact when not acknowledged in time, and stops at the acknowledgement', async () => {
    const receiver = new WebhookReceiver(SECRET);
    const port = await receiver.listen();
    try {
      tk = await boot({
        webhooks: [{ name: 'oncall', url: `http://127.0.0.1:${port}/page`, secret: SECRET, minSeverity: 'critical' }],
        escalation: {
          minSeverity: 'warning',
          contacts: [
            { name: 'duty-engineer', afterS: 0.4, email: 'duty@fdc.test' },
            { name: 'pager', afterS: 0.8, webhook: 'oncall' },
            { name: 'head-of-fd', afterS: 2.0, email: 'head@fdc.test' },
          ],
        },
      });
      await tk.waitForState('notification', 'running');
      const notifier = tk.service(NotifierToken);
      const t0 = Date.now();
      const q = await notifier.notify(alert('E-1', { severity: 'warning' }));
      // the 'oncall' webhook takes critical alerts only; as a contact it gets every escalated alert
      expect(q.queued).to.deep.equal(['log', 'file', 'email:hotline@fdc.test', 'contact:duty-engineer/email:duty@fdc.test', 'contact:pager/webhook:oncall', 'contact:head-of-fd/email:head@fdc.test']);
      await until('the first e-mail', () => mails.some((m) => m.to.includes('hotline@fdc.test')));
      const duty = await until('the duty engineer', () => mails.find((m) => m.to.includes('duty@fdc.test')));
      expect(duty.atMs - t0).to.be.at.least(400);
      await until('the pager', () => receiver.count('E-1') === 1);
      expect(Date.now() - t0).to.be.at.least(800);
      expect(receiver.received[0].body.channel).to.equal('contact:pager/webhook:oncall');
      expect(await notifier.acknowledge({ alertId: 'E-1', byUser: 'duty' })).to.deep.equal({ acknowledged: true });
      await sleep(Math.max(0, t0 + 2400 - Date.now())); // past the head of flight dynamics' delay
      expect(mails.some((m) => m.to.includes('head@fdc.test'))).to.equal(false);
      expect(mails).to.have.length(2);

      // an info alert is below the escalation level: no contact
      expect((await notifier.notify(alert('I-2', { severity: 'info' }))).queued).to.deep.equal(['log', 'file']);
    } finally {
      await receiver.close();
    }
  });
});
