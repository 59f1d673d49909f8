import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import * as nodemailer from 'nodemailer';
import type { Alert, AlertSeverity } from '../../interfaces/domain/alert';
import type { PluginLogger } from '../../sdk';
import type { NotificationConfig } from './config';

/**
 * Delivery channels. Each `send` either resolves (delivered) or throws an Error whose
 * message says what failed (HTTP status, connection error, SMTP reply); the outbox
 * retries. Every send carries the idempotency key of its alert and channel, so a receiver
 * can discard a repeat (a send interrupted by a crash is repeated after the restart).
 */
export interface SendContext {
  idempotencyKey: string;
  attempt: number;
  signal: AbortSignal;
}

export interface Channel {
  /** `log`, `file`, `webhook:<name>`, `email:<address>`, `contact:<name>/…`. */
  readonly id: string;
  readonly minSeverity: AlertSeverity;
  send(alert: Alert, ctx: SendContext): Promise<void>;
}

/** Idempotency key of one alert on one channel: stable across attempts and restarts. */
export function idempotencyKey(alertId: string, channel: string): string {
  return crypto.createHash('sha256').update(`${alertId}\u0000${channel}`).digest('hex').slice(0, 40);
}

/** Signature header value of a webhook body: HMAC-SHA256 (RFC 2104, FIPS 198-1) with the channel's secret, hex. */
export function signBody(body: Buffer | string, secretKey: string): string {
  return 'sha256=' + crypto.createHmac('sha256', secretKey).update(body).digest('hex');
}

/** The plain-text rendering used by the e-mail and the log. */
export function alertText(alert: Alert): string {
  const lines = [
    `${alert.severity.toUpperCase()}: ${alert.title}`,
    '',
    ...(alert.detail ? [alert.detail, ''] : []),
    `alert id:  ${alert.id}`,
    `raised by: ${alert.raisedBy} at ${alert.raisedAtUtc} UTC`,
    ...(alert.subject ? [`subject:   ${alert.subject.kind} ${alert.subject.id}`] : []),
    ...Object.entries(alert.data).map(([k, v]) => `${k}: ${v === null ? '—' : String(v)}`),
  ];
  return lines.join('\n') + '\n';
}

export function logChannel(log: PluginLogger, minSeverity: AlertSeverity): Channel {
  return {
    id: 'log',
    minSeverity,
    async send(alert) {
      const line = `ALERT ${alert.severity.toUpperCase()} ${alert.title} (id ${alert.id}, raised by ${alert.raisedBy})`;
      const meta = { alertId: alert.id, severity: alert.severity, subject: alert.subject?.id };
      if (alert.severity === 'critical') log.error(line, meta);
      else if (alert.severity === 'warning') log.warn(line, meta);
      else log.info(line, meta);
    },
  };
}

/** Appends one JSON line per delivered alert, flushed to disk before it counts as delivered. */
export function fileChannel(file: string, minSeverity: AlertSeverity): Channel {
  return {
    id: 'file',
    minSeverity,
    async send(alert, ctx) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const fd = fs.openSync(file, 'a');
      try {
        fs.writeSync(fd, JSON.stringify({ deliveredAtUtc: new Date().toISOString(), idempotencyKey: ctx.idempotencyKey, alert }) + '\n');
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}

type WebhookConfig = NotificationConfig['webhooks'][number];

/**
 * POSTs the alert as JSON. Headers: `Idempotency-Key` (alert + channel), `X-Scoop-Alert-Id`
 * (the alert id, URI-encoded), `X-Scoop-Signature: sha256=<hex HMAC of the body bytes>`,
 * `X-Scoop-Attempt`. The body is the same on every attempt. Any 2xx answer is a delivery.
 */
export function webhookChannel(w: WebhookConfig, id = `webhook:${w.name}`, minSeverity = w.minSeverity): Channel {
  return {
    id,
    minSeverity,
    send(alert, ctx) {
      const body = Buffer.from(JSON.stringify({ alert, channel: id, idempotencyKey: ctx.idempotencyKey }), 'utf8');
      const url = new URL(w.url);
      // errors name the endpoint without any user:password part of the URL
      const where = `${url.protocol}//${url.host}${url.pathname}`;
      const lib = url.protocol === 'https:' ? https : http;
      return new Promise<void>((resolve, reject) => {
        const req = lib.request(
          url,
          {
            method: 'POST',
            signal: ctx.signal,
            timeout: w.timeoutMs,
            headers: {
              ...w.headers,
              'Content-Type': 'application/json; charset=utf-8',
              'Content-Length': String(body.length),
              'Idempotency-Key': ctx.idempotencyKey,
              'X-Scoop-Alert-Id': encodeURIComponent(alert.id),
              'X-Scoop-Signature': signBody(body, w.secret),
              'X-Scoop-Attempt': String(ctx.attempt),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => {
              if (chunks.length < 16) chunks.push(c);
            });
            res.on('end', () => {
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300) resolve();
              else reject(new Error(`${where} answered HTTP ${status} ${res.statusMessage ?? ''}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`.trim()));
            });
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`${where}: no answer within ${w.timeoutMs} ms`)));
        req.on('error', (err: NodeJS.ErrnoException) => reject(new Error(`${where}: ${err.code ? `${err.code} ` : ''}${err.message}`)));
        req.end(body);
      });
    },
  };
}

type EmailConfig = NonNullable<NotificationConfig['email']>;

/** An SMTP transport shared by the e-mail channels of one plugin instance. */
export function smtpTransport(e: EmailConfig): nodemailer.Transporter {
  const s = e.smtp;
  return nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    requireTLS: s.requireTLS,
    tls: { rejectUnauthorized: s.rejectUnauthorized },
    ...(s.user !== null ? { auth: { user: s.user, pass: s.password ?? '' } } : {}),
    connectionTimeout: s.timeoutMs,
    greetingTimeout: s.timeoutMs,
    socketTimeout: s.timeoutMs,
  });
}

/**
 * One recipient. The Message-ID is derived from the idempotency key, so a repeat after an
 * interrupted send carries the same id (mail systems and readers can fold it).
 */
export function emailChannel(transport: nodemailer.Transporter, e: EmailConfig, to: string, id = `email:${to}`, minSeverity = e.minSeverity): Channel {
  return {
    id,
    minSeverity,
    async send(alert, ctx) {
      if (ctx.signal.aborted) throw new Error('not sent: notification is stopping');
      try {
        await transport.sendMail({
          from: e.from,
          to,
          subject: `${e.subjectPrefix ? e.subjectPrefix + ' ' : ''}${alert.severity.toUpperCase()}: ${alert.title}`,
          text: alertText(alert),
          messageId: `<${ctx.idempotencyKey}@scoop.notification>`,
          headers: { 'Idempotency-Key': ctx.idempotencyKey, 'X-Scoop-Alert-Id': encodeURIComponent(alert.id), 'X-Scoop-Severity': alert.severity },
        });
      } catch (err) {
        const x = err as Error & { code?: string; response?: string };
        throw new Error(`SMTP ${e.smtp.host}:${e.smtp.port} to ${to}: ${x.code ? `${x.code} ` : ''}${x.response ?? x.message}`, { cause: err });
      }
    },
  };
}
