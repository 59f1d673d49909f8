import { secret, z } from '../../sdk';
import { AlertSeverity } from '../../interfaces/domain/alert';

/**
 * Configuration of the 'notification' plugin (section plugins.notification.config). Every
 * key has a default: with no section the plugin delivers to the log and to a JSON-lines
 * file under its data folder, offline. Webhooks and e-mail exist only when configured.
 */

const email = z.string().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'expected an e-mail address user@domain');
const channelName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore');

const webhook = z
  .object({
    /** Channel name: deliveries are reported as `webhook:<name>`. */
    name: channelName,
    url: z.string().url().refine((u) => /^https?:\/\//.test(u), 'expected an http:// or https:// URL'),
    /** HMAC-SHA256 key: the body is signed, header `X-Scoop-Signature: sha256=<hex>`. */
    secret: secret(z.string().min(16, 'a signing secret of at least 16 characters')),
    minSeverity: AlertSeverity.default('info'),
    /** Time allowed for one request (connect + answer), milliseconds. */
    timeoutMs: z.number().int().positive().default(5000),
    /** Extra request headers (e.g. a routing key of the receiver). */
    headers: z.record(z.string(), z.string()).default({}),
  })
  .strict();

const smtp = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** true: TLS from the start (port 465); false: STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    /** Refuse to send unless STARTTLS succeeds. */
    requireTLS: z.boolean().default(false),
    /** Check the server's certificate (turn off only for a test relay). */
    rejectUnauthorized: z.boolean().default(true),
    user: z.string().min(1).nullable().default(null),
    password: secret(z.string().min(1)).nullable().default(null),
    /** Connection, greeting and socket timeouts, milliseconds. */
    timeoutMs: z.number().int().positive().default(10_000),
  })
  .strict();

const contact = z
  .object({
    name: channelName,
    /** Notified when the alert is still not acknowledged this many seconds after it was queued. */
    afterS: z.number().positive(),
    /** E-mail address (through `email.smtp`) or the name of a configured webhook. */
    email: email.optional(),
    webhook: channelName.optional(),
  })
  .strict()
  .refine((c) => (c.email === undefined) !== (c.webhook === undefined), 'a contact has exactly one of email or webhook');

export const notificationConfig = z
  .object({
    log: z.object({ enabled: z.boolean().default(true), minSeverity: AlertSeverity.default('info') }).strict().prefault({}),
    /** JSON-lines file of delivered alerts; path null: `<dataDir>/alerts.jsonl`. */
    file: z
      .object({ enabled: z.boolean().default(true), path: z.string().min(1).nullable().default(null), minSeverity: AlertSeverity.default('info') })
      .strict()
      .prefault({}),
    webhooks: z.array(webhook).default([]),
    /** E-mail over SMTP (nodemailer); null: no e-mail. One channel per recipient (`email:<address>`). */
    email: z
      .object({
        smtp,
        from: email,
        to: z.array(email).default([]),
        minSeverity: AlertSeverity.default('warning'),
        subjectPrefix: z.string().default('[SCOOP]'),
      })
      .strict()
      .nullable()
      .default(null),
    /** Retry of a failed delivery: initialDelayMs × factor^(attempt−1), at most maxDelayMs; never given up. */
    retry: z
      .object({
        initialDelayMs: z.number().int().positive().default(1000),
        factor: z.number().min(1).default(2),
        maxDelayMs: z.number().int().positive().default(300_000),
      })
      .strict()
      .prefault({}),
    /** Escalation: alerts at least `minSeverity` not acknowledged in time go to the next contact. */
    escalation: z
      .object({ minSeverity: AlertSeverity.default('warning'), contacts: z.array(contact).default([]) })
      .strict()
      .prefault({}),
    /** Finished alerts (delivered everywhere or acknowledged) are forgotten this many days after they were queued. */
    retentionDays: z.number().positive().default(30),
  })
  .strict()
  .superRefine((c, ctx) => {
    const names = new Set<string>();
    c.webhooks.forEach((w, i) => {
      if (names.has(w.name)) ctx.addIssue({ code: 'custom', path: ['webhooks', i, 'name'], message: `webhook name '${w.name}' used twice` });
      names.add(w.name);
    });
    const contacts = new Set<string>();
    c.escalation.contacts.forEach((k, i) => {
      if (contacts.has(k.name)) ctx.addIssue({ code: 'custom', path: ['escalation', 'contacts', i, 'name'], message: `contact name '${k.name}' used twice` });
      contacts.add(k.name);
      if (k.webhook !== undefined && !names.has(k.webhook)) {
        ctx.addIssue({ code: 'custom', path: ['escalation', 'contacts', i, 'webhook'], message: `no webhook named '${k.webhook}' in webhooks` });
      }
      if (k.email !== undefined && c.email === null) {
        ctx.addIssue({ code: 'custom', path: ['escalation', 'contacts', i, 'email'], message: 'an e-mail contact needs the email.smtp section' });
      }
    });
    if (c.email && c.email.smtp.user !== null && c.email.smtp.password === null) {
      ctx.addIssue({ code: 'custom', path: ['email', 'smtp', 'password'], message: 'a user needs a password' });
    }
  });

export type NotificationConfig = z.output<typeof notificationConfig>;
