import * as crypto from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Alert } from '../../../interfaces/domain/alert';

/** Test fixtures over real loopback sockets: a webhook receiver and helpers. */

export interface Received {
  alertId: string;
  idempotencyKey: string;
  attempt: number;
  signatureOk: boolean;
  body: { alert: Alert; channel: string; idempotencyKey: string };
}

/**
 * A webhook receiver as an integrator would write it: checks the HMAC-SHA256 signature of
 * the raw body with the shared secret (constant-time comparison), counts deliveries per
 * alert, answers 204 (or `status` when set).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  status = 204;
  private server: http.Server | undefined;

  constructor(private readonly secret: string) {}

  async listen(port = 0): Promise<number> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const expected = Buffer.from('sha256=' + crypto.createHmac('sha256', this.secret).update(raw).digest('hex'));
        const given = Buffer.from(String(req.headers['x-scoop-signature'] ?? ''));
        const signatureOk = given.length === expected.length && crypto.timingSafeEqual(given, expected);
        const body = JSON.parse(raw.toString('utf8'));
        this.received.push({
          alertId: decodeURIComponent(String(req.headers['x-scoop-alert-id'])),
          idempotencyKey: String(req.headers['idempotency-key']),
          attempt: Number(req.headers['x-scoop-attempt']),
          signatureOk,
          body,
        });
        res.statusCode = signatureOk ? this.status : 401;
        res.end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  count(alertId: string): number {
    return this.received.filter((r) => r.alertId === alertId && r.signatureOk).length;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

/** A loopback port nobody listens on (taken, then released). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export async function until<T>(what: string, f: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function alert(id: string, fields: Partial<Alert> = {}): Alert {
  return {
    id,
    severity: 'critical',
    title: `Pc 2.1e-4 25544 x 48274 (${id})`,
    detail: 'red: Pc 2.10e-4 >= 1.00e-4',
    raisedAtUtc: new Date().toISOString(),
    raisedBy: 'risk-assessment',
    subject: { kind: 'conjunction', id: 'EV-1' },
    data: { pc: 2.1e-4, missDistanceKm: 0.12 },
    ...fields,
  };
}
