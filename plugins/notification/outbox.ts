import { ALERT_SEVERITIES, type Alert, type AlertSeverity } from '../../interfaces/domain/alert';
import { idempotencyKey, type Channel } from './channels';
import { Journal } from '../../sdk/journal';

/**
 * The persistent outbox. Every alert is journalled (append-only, fsynced) before the
 * caller is answered; each (alert, channel) delivery is retried with exponential back-off
 * until it succeeds or the alert is acknowledged, and a delivery recorded as done is never
 * attempted again — across restarts, since the journal is replayed at start. Escalation
 * contacts are deliveries that only become due `afterS` after the alert was queued, and
 * are cancelled by the acknowledgement.
 *
 * A send interrupted by a crash (journal says 'sending', no result) is repeated with the
 * same idempotency key: webhook receivers discard it by `Idempotency-Key`, e-mail carries
 * the same Message-ID. The clock is injected for tests.
 */

export interface Delivery {
  channel: string;
  /** Not before this time (escalation contacts), ms since 1970 UTC. */
  notBeforeMs: number;
  attempts: number;
  nextAttemptMs: number;
  deliveredAtUtc?: string;
  cancelled?: string;
  lastError?: string;
  /** A send was started and its result never recorded (crash): repeat with the same key. */
  interrupted?: boolean;
}

export interface Entry {
  alert: Alert;
  queuedAtUtc: string;
  deliveries: Delivery[];
  acknowledgement?: { byUser: string; atUtc: string; comment?: string };
  supersededBy?: string;
  /** Alert folded into an earlier one with the same dedupKey and severity (nothing sent). */
  foldedInto?: string;
}

type Rec =
  | { t: 'entry'; entry: Entry }
  | { t: 'sending'; alertId: string; channel: string; attempt: number; atUtc: string }
  | { t: 'result'; alertId: string; channel: string; attempt: number; ok: boolean; error?: string; atUtc: string; nextAttemptMs?: number }
  | { t: 'ack'; alertId: string; byUser: string; atUtc: string; comment?: string }
  | { t: 'superseded'; alertId: string; by: string; atUtc: string };

export interface DeliveryResult {
  alertId: string;
  channel: string;
  ok: boolean;
  attempt: number;
  error?: string;
  atUtc: string;
}

export interface Contact {
  channel: Channel;
  afterMs: number;
}

export interface OutboxOptions {
  journalFile: string;
  channels: Channel[];
  contacts: Contact[];
  escalationMinSeverity: AlertSeverity;
  retry: { initialDelayMs: number; factor: number; maxDelayMs: number };
  retentionDays: number;
  onResult: (r: DeliveryResult) => void;
  warn: (message: string) => void;
  now?: () => number;
  /** Time in-flight sends get to finish at close before they are aborted, ms. */
  closeGraceMs?: number;
  /** No timer: the caller drives deliveries with runDue() (tests with an injected clock). */
  manual?: boolean;
}

const rank = (s: AlertSeverity) => ALERT_SEVERITIES.indexOf(s);
const iso = (ms: number) => new Date(ms).toISOString();
const isoMs = (s: string) => Date.parse(s.endsWith('Z') ? s : s + 'Z');

export class Outbox {
  private readonly entries = new Map<string, Entry>();
  private readonly channels = new Map<string, Channel>();
  private readonly journal: Journal<Rec>;
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly opts: OutboxOptions) {
    this.now = opts.now ?? Date.now;
    for (const c of opts.channels) this.channels.set(c.id, c);
    for (const c of opts.contacts) this.channels.set(c.channel.id, c.channel);
    this.journal = new Journal<Rec>(opts.journalFile);
  }

  /** Replays the journal, forgets finished alerts past the retention, rewrites it compacted. */
  load(): string[] {
    const { records, problems } = this.journal.read();
    for (const r of records) {
      if (r.t === 'entry') {
        this.entries.set(r.entry.alert.id, r.entry);
        continue;
      }
      const e = this.entries.get(r.alertId);
      if (!e) {
        problems.push(`${this.journal.file}: ${r.t} record for unknown alert '${r.alertId}' skipped`);
        continue;
      }
      if (r.t === 'ack') e.acknowledgement = { byUser: r.byUser, atUtc: r.atUtc, ...(r.comment !== undefined ? { comment: r.comment } : {}) };
      else if (r.t === 'superseded') e.supersededBy = r.by;
      else {
        const d = e.deliveries.find((x) => x.channel === r.channel);
        if (!d) continue;
        if (r.t === 'sending') {
          d.attempts = Math.max(d.attempts, r.attempt);
          d.interrupted = true;
        } else {
          d.attempts = Math.max(d.attempts, r.attempt);
          d.interrupted = false;
          if (r.ok) d.deliveredAtUtc = r.atUtc;
          else {
            d.lastError = r.error;
            if (r.nextAttemptMs !== undefined) d.nextAttemptMs = r.nextAttemptMs;
          }
        }
      }
    }
    const nowMs = this.now();
    const horizon = nowMs - this.opts.retentionDays * 86_400_000;
    for (const e of [...this.entries.values()]) {
      if (this.finished(e) && isoMs(e.queuedAtUtc) < horizon) this.entries.delete(e.alert.id);
      for (const d of e.deliveries) {
        if (d.interrupted) {
          d.nextAttemptMs = nowMs;
          d.lastError = `attempt ${d.attempts} interrupted (restart): repeated with the same idempotency key`;
        }
        if (this.open(e, d) && !this.channels.has(d.channel)) {
          d.cancelled = 'channel no longer configured';
          problems.push(`alert '${e.alert.id}': channel '${d.channel}' is no longer configured; its delivery is dropped`);
        }
      }
    }
    this.journal.rewrite([...this.entries.values()].map((entry) => ({ t: 'entry' as const, entry })));
    return problems;
  }

  /** Queues an alert on every channel that takes its severity. Idempotent by alert id. */
  enqueue(alert: Alert): { alertId: string; queued: string[] } {
    const known = this.entries.get(alert.id);
    if (known) return { alertId: alert.id, queued: known.deliveries.map((d) => d.channel) };
    const nowMs = this.now();
    const entry: Entry = { alert, queuedAtUtc: iso(nowMs), deliveries: [] };
    if (alert.acknowledgement) entry.acknowledgement = { ...alert.acknowledgement };
    const earlier = alert.dedupKey ? [...this.entries.values()].filter((e) => e.alert.dedupKey === alert.dedupKey && !e.supersededBy && !e.foldedInto) : [];
    const same = earlier.find((e) => e.alert.severity === alert.severity && !e.acknowledgement);
    if (same) {
      // "identical alerts (same key) update rather than repeat": the earlier one keeps going
      entry.foldedInto = same.alert.id;
    } else if (!entry.acknowledgement) {
      for (const c of this.channels.values()) {
        if (this.opts.contacts.some((k) => k.channel === c)) continue;
        if (rank(alert.severity) >= rank(c.minSeverity)) entry.deliveries.push({ channel: c.id, notBeforeMs: nowMs, attempts: 0, nextAttemptMs: nowMs });
      }
      if (rank(alert.severity) >= rank(this.opts.escalationMinSeverity)) {
        for (const k of this.opts.contacts) {
          entry.deliveries.push({ channel: k.channel.id, notBeforeMs: nowMs + k.afterMs, attempts: 0, nextAttemptMs: nowMs + k.afterMs });
        }
      }
    }
    this.entries.set(alert.id, entry);
    this.journal.append({ t: 'entry', entry });
    if (!same) {
      for (const e of earlier) {
        if (this.finished(e)) continue;
        e.supersededBy = alert.id;
        this.journal.append({ t: 'superseded', alertId: e.alert.id, by: alert.id, atUtc: iso(nowMs) });
      }
    }
    this.schedule();
    return { alertId: alert.id, queued: entry.deliveries.map((d) => d.channel) };
  }

  /** Stops retries and escalation of an alert. Undefined when the alert is unknown. */
  acknowledge(alertId: string, byUser: string, atUtc: string, comment?: string): { first: boolean } | undefined {
    const e = this.entries.get(alertId);
    if (!e) return undefined;
    if (e.acknowledgement) return { first: false };
    e.acknowledgement = { byUser, atUtc, ...(comment !== undefined ? { comment } : {}) };
    this.journal.append({ t: 'ack', alertId, byUser, atUtc, ...(comment !== undefined ? { comment } : {}) });
    return { first: true };
  }

  get(alertId: string): Entry | undefined {
    return this.entries.get(alertId);
  }

  /** Alerts with deliveries still to make (not acknowledged, not superseded). */
  pending(): { alert: Alert; attempts: number; lastError?: string; nextAttemptUtc?: string }[] {
    const out: { alert: Alert; attempts: number; lastError?: string; nextAttemptUtc?: string }[] = [];
    for (const e of this.entries.values()) {
      const open = e.deliveries.filter((d) => this.open(e, d));
      if (!open.length) continue;
      const attempts = e.deliveries.reduce((n, d) => n + d.attempts, 0);
      const lastError = open.map((d) => d.lastError).filter((x): x is string => x !== undefined)[0];
      const next = Math.min(...open.map((d) => d.nextAttemptMs));
      out.push({ alert: e.alert, attempts, ...(lastError ? { lastError } : {}), nextAttemptUtc: iso(next) });
    }
    return out;
  }

  /** Starts every delivery due now; resolves when those sends have finished (and are journalled). */
  runDue(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const nowMs = this.now();
    const started: Promise<void>[] = [];
    for (const e of this.entries.values()) {
      for (const d of e.deliveries) {
        if (!this.open(e, d) || d.nextAttemptMs > nowMs) continue;
        const key = `${e.alert.id}\u0000${d.channel}`;
        if (this.inflight.has(key)) continue;
        const p = this.attempt(e, d)
          .catch((err) => this.opts.warn(`alert ${e.alert.id} on ${d.channel}: could not record the attempt (${(err as Error).message})`))
          .finally(() => {
          this.inflight.delete(key);
          this.schedule();
        });
        this.inflight.set(key, p);
        started.push(p);
      }
    }
    return Promise.all(started).then(() => undefined);
  }

  /** Arms the timer for the next due delivery (those being sent re-arm it when they finish). */
  schedule(): void {
    if (this.closed || this.opts.manual) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let next = Infinity;
    for (const e of this.entries.values()) {
      for (const d of e.deliveries) {
        if (this.open(e, d) && !this.inflight.has(`${e.alert.id}\u0000${d.channel}`)) next = Math.min(next, d.nextAttemptMs);
      }
    }
    if (next === Infinity) return;
    const delay = Math.max(0, Math.min(next - this.now(), 2 ** 31 - 1));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runDue();
      this.schedule();
    }, delay);
  }

  /** Stops scheduling, lets in-flight sends finish (aborted after the grace time), closes the journal. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const all = () => Promise.allSettled([...this.inflight.values()]);
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([all(), new Promise((r) => (graceTimer = setTimeout(r, this.opts.closeGraceMs ?? 2000)))]);
    if (graceTimer) clearTimeout(graceTimer);
    this.abort.abort();
    await all();
    this.journal.close();
  }

  stats(): { alerts: number; pending: number; failing: number } {
    let pending = 0;
    let failing = 0;
    for (const e of this.entries.values()) {
      const open = e.deliveries.filter((d) => this.open(e, d));
      if (open.length) pending++;
      if (open.some((d) => d.attempts >= 3 && d.lastError)) failing++;
    }
    return { alerts: this.entries.size, pending, failing };
  }

  private open(e: Entry, d: Delivery): boolean {
    return !d.deliveredAtUtc && !d.cancelled && !e.acknowledgement && !e.supersededBy;
  }

  private finished(e: Entry): boolean {
    return e.deliveries.every((d) => !this.open(e, d));
  }

  private async attempt(e: Entry, d: Delivery): Promise<void> {
    const channel = this.channels.get(d.channel);
    if (!channel) return;
    const attempt = d.attempts + 1;
    d.attempts = attempt;
    this.journal.append({ t: 'sending', alertId: e.alert.id, channel: d.channel, attempt, atUtc: iso(this.now()) });
    let error: string | undefined;
    try {
      await channel.send(e.alert, { idempotencyKey: idempotencyKey(e.alert.id, d.channel), attempt, signal: this.abort.signal });
    } catch (err) {
      error = (err as Error).message || String(err);
    }
    const nowMs = this.now();
    const atUtc = iso(nowMs);
    d.interrupted = false;
    if (error === undefined) {
      d.deliveredAtUtc = atUtc;
      d.lastError = undefined;
      this.journal.append({ t: 'result', alertId: e.alert.id, channel: d.channel, attempt, ok: true, atUtc });
    } else {
      const r = this.opts.retry;
      const delay = Math.min(r.maxDelayMs, r.initialDelayMs * r.factor ** (attempt - 1));
      d.lastError = error;
      d.nextAttemptMs = nowMs + delay;
      this.journal.append({ t: 'result', alertId: e.alert.id, channel: d.channel, attempt, ok: false, error, atUtc, nextAttemptMs: d.nextAttemptMs });
      if (attempt === 1 || attempt % 10 === 0) this.opts.warn(`alert ${e.alert.id} on ${d.channel}: attempt ${attempt} failed (${error}); next in ${delay} ms`);
    }
    this.opts.onResult({ alertId: e.alert.id, channel: d.channel, ok: error === undefined, attempt, ...(error !== undefined ? { error } : {}), atUtc });
  }
}
