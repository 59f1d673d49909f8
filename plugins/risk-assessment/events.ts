import type { Alert, AlertSeverity } from '../../interfaces/domain/alert';
import { classify, hoursToTca, severityRank, trendBetween, type Color, type Observation, type Trend } from './classify';
import type { RiskConfig } from './config';
import { Journal } from '../../sdk/journal';

/**
 * Conjunction events followed by the hotline: updates (screenings, CDMs) of the same pair
 * with TCAs within a tolerance are one event; each update and each change brought by time
 * is a decision, kept with its reasons in an append-only journal under the plugin's data
 * folder and replayed at start. The clock is injected (`now`), so escalation as TCA
 * approaches is tested without waiting.
 */

/** Most recent observations kept per event (the count of updates is kept separately). */
const HISTORY = 50;

export interface EventAssessment {
  severity: AlertSeverity;
  color: Color;
  trend: Trend;
  reasons: string[];
  assessedAtUtc: string;
}

export interface RiskEvent {
  eventId: string;
  /** Other ids updates came with (screening ids, CDM event ids). */
  aliases: string[];
  /** Unordered object pair, e.g. `25544|48274`. */
  pairKey: string;
  primary: string;
  secondary: string;
  tcaUtc: string;
  updates: number;
  history: Observation[];
  /** Was warning or critical at some point: stays followed ('watch') until TCA. */
  followed: boolean;
  current: EventAssessment;
  /** Level of the last alert (lowered when the event falls), the dedup baseline. */
  alertBaseline: AlertSeverity;
  alertSeq: number;
  alerts: { id: string; severity: AlertSeverity; atUtc: string; acknowledged?: { byUser: string; atUtc: string; comment?: string } }[];
}

export interface Decision {
  atUtc: string;
  eventId: string;
  cause: 'update' | 'time' | 'acknowledged';
  /** The update (conjunction or CDM id) behind an 'update' decision. */
  ref?: string;
  severity: AlertSeverity;
  previous?: AlertSeverity;
  color: Color;
  trend: Trend;
  reasons: string[];
  alertId?: string;
}

export interface RiskAssessedMessage {
  eventId: string;
  tcaUtc: string;
  severity: AlertSeverity;
  pc?: number;
  missDistanceKm: number;
  trend: Trend;
  updates: number;
  assessedAtUtc: string;
}

export interface Outcome {
  event: RiskEvent;
  decision: Decision;
  assessed: RiskAssessedMessage;
  alert?: Alert;
}

/** Identity of an update: ids it carries and its object pair. */
export interface UpdateIdentity {
  ids: string[];
  primary: string;
  secondary: string;
}

type JournalRecord = { t: 'event'; event: RiskEvent } | { t: 'decision'; decision: Decision };

export class EventBook {
  private readonly events = new Map<string, RiskEvent>();
  private readonly aliasIndex = new Map<string, string>();
  private readonly decisionsByEvent = new Map<string, Decision[]>();
  private readonly journal: Journal<JournalRecord>;

  constructor(
    private readonly cfg: RiskConfig,
    journalFile: string,
    private readonly now: () => number = Date.now,
    private readonly raisedBy = 'risk-assessment',
  ) {
    this.journal = new Journal<JournalRecord>(journalFile);
  }

  /** Replays the journal; drops events whose TCA is older than the retention. Returns problems met. */
  load(): string[] {
    const { records, problems } = this.journal.read();
    for (const r of records) {
      if (r.t === 'event' && r.event?.eventId) this.index(r.event);
      else if (r.t === 'decision' && r.decision?.eventId) this.decisionList(r.decision.eventId).push(r.decision);
      else problems.push(`${this.journal.file}: unknown record ${JSON.stringify(r).slice(0, 80)} skipped`);
    }
    const horizonMs = this.now() - this.cfg.retentionDays * 86_400_000;
    let dropped = 0;
    for (const e of [...this.events.values()]) {
      if (hoursToTca(e.tcaUtc, horizonMs) < 0) {
        this.events.delete(e.eventId);
        this.decisionsByEvent.delete(e.eventId);
        for (const a of [e.eventId, ...e.aliases]) this.aliasIndex.delete(a);
        dropped++;
      }
    }
    const kept: JournalRecord[] = [];
    for (const e of this.events.values()) {
      kept.push({ t: 'event', event: e });
      for (const d of this.decisionList(e.eventId)) kept.push({ t: 'decision', decision: d });
    }
    if (dropped || kept.length < records.length || problems.length) this.journal.rewrite(kept);
    return problems;
  }

  close(): void {
    this.journal.close();
  }

  get size(): number {
    return this.events.size;
  }

  get(idOrAlias: string): RiskEvent | undefined {
    const id = this.aliasIndex.get(idOrAlias);
    return id === undefined ? undefined : this.events.get(id);
  }

  all(): RiskEvent[] {
    return [...this.events.values()];
  }

  decisions(idOrAlias: string): Decision[] {
    const e = this.get(idOrAlias);
    return e ? [...this.decisionList(e.eventId)] : [];
  }

  /** The event an update belongs to: by id first, else by pair and TCA within the tolerance. */
  match(who: UpdateIdentity, tcaUtc: string): RiskEvent | undefined {
    for (const id of who.ids) {
      const e = this.get(id);
      if (e) return e;
    }
    const key = pairKey(who.primary, who.secondary);
    const tca = isoMs(tcaUtc);
    let best: RiskEvent | undefined;
    let bestDs = Infinity;
    for (const e of this.events.values()) {
      if (e.pairKey !== key) continue;
      const ds = Math.abs(isoMs(e.tcaUtc) - tca) / 1000;
      if (ds <= this.cfg.tcaToleranceS && ds < bestDs) {
        best = e;
        bestDs = ds;
      }
    }
    return best;
  }

  /** Takes one update: classifies it, follows the trend, decides on an alert, journals the decision. */
  observe(who: UpdateIdentity, obs: Observation, notes: string[] = []): Outcome {
    const nowMs = this.now();
    let event = this.match(who, obs.tcaUtc);
    const previousObs = event?.history[event.history.length - 1];
    if (!event) {
      const eventId = who.ids[0] ?? `${who.primary}-${who.secondary}-${obs.tcaUtc.replace(/[-:]/g, '').slice(0, 13)}`;
      event = {
        eventId,
        aliases: [],
        pairKey: pairKey(who.primary, who.secondary),
        primary: who.primary,
        secondary: who.secondary,
        tcaUtc: obs.tcaUtc,
        updates: 0,
        history: [],
        followed: false,
        current: { severity: 'info', color: 'green', trend: 'new', reasons: [], assessedAtUtc: iso(nowMs) },
        alertBaseline: 'info',
        alertSeq: 0,
        alerts: [],
      };
    }
    for (const id of who.ids) if (id !== event.eventId && !event.aliases.includes(id)) event.aliases.push(id);
    event.tcaUtc = obs.tcaUtc;
    event.updates += 1;
    event.history = [...event.history, obs].slice(-HISTORY);
    const trend = trendBetween(previousObs, obs, this.cfg);
    const c = classify(obs, this.cfg, nowMs, event.followed);
    const reasons = [...c.reasons, `trend ${trend.trend}: ${trend.reason}`, `update ${event.updates} (${obs.source} ${obs.ref})`, ...notes];
    return this.decide(event, 'update', c.severity, c.color, trend.trend, reasons, nowMs, obs.ref);
  }

  /**
   * Re-evaluates every open event at the current time (TCA approaching, TCA passed) and
   * returns the decisions for those whose severity changed.
   */
  reassess(): Outcome[] {
    const nowMs = this.now();
    const out: Outcome[] = [];
    for (const event of this.events.values()) {
      const last = event.history[event.history.length - 1];
      if (!last) continue;
      const c = classify(last, this.cfg, nowMs, event.followed);
      if (c.severity === event.current.severity) continue;
      const reasons = [...c.reasons, `re-assessed at ${iso(nowMs)} on update ${event.updates} (${last.source} ${last.ref})`];
      out.push(this.decide(event, 'time', c.severity, c.color, event.current.trend, reasons, nowMs));
    }
    return out;
  }

  /** Records an operator's acknowledgement of one of the events' alerts; false if no event raised it. */
  acknowledge(alertId: string, byUser: string, atUtc: string, comment?: string): RiskEvent | undefined {
    for (const event of this.events.values()) {
      const a = event.alerts.find((x) => x.id === alertId);
      if (!a) continue;
      if (a.acknowledged) return event;
      a.acknowledged = { byUser, atUtc, ...(comment !== undefined ? { comment } : {}) };
      const decision: Decision = {
        atUtc: iso(this.now()),
        eventId: event.eventId,
        cause: 'acknowledged',
        severity: event.current.severity,
        color: event.current.color,
        trend: event.current.trend,
        reasons: [`alert ${alertId} (${a.severity}) acknowledged by ${byUser} at ${atUtc}${comment ? `: ${comment}` : ''}`],
        alertId,
      };
      this.persist(event, decision);
      return event;
    }
    return undefined;
  }

  private decide(event: RiskEvent, cause: Decision['cause'], severity: AlertSeverity, color: Color, trend: Trend, reasons: string[], nowMs: number, ref?: string): Outcome {
    const previous = event.updates > 1 || cause !== 'update' ? event.current.severity : undefined;
    const atUtc = iso(nowMs);
    let alert: Alert | undefined;
    const alertable = severityRank(severity) >= severityRank(this.cfg.alertAtLeast);
    if (alertable && severityRank(severity) > severityRank(event.alertBaseline)) {
      event.alertSeq += 1;
      alert = this.buildAlert(event, severity, color, trend, reasons, nowMs);
      event.alerts.push({ id: alert.id, severity, atUtc });
      event.alertBaseline = severity;
      reasons = [...reasons, `alert ${alert.id} raised (${severity} above the last alerted level)`];
    } else if (severityRank(severity) < severityRank(event.alertBaseline)) {
      reasons = [...reasons, `level lowered from ${event.alertBaseline}: a later rise alerts again`];
      event.alertBaseline = severity;
    } else if (alertable) {
      reasons = [...reasons, `no new alert: level ${severity} unchanged`];
    }
    if (severityRank(severity) >= severityRank('warning')) event.followed = true;
    event.current = { severity, color, trend, reasons, assessedAtUtc: atUtc };
    const decision: Decision = { atUtc, eventId: event.eventId, cause, ...(ref ? { ref } : {}), severity, ...(previous ? { previous } : {}), color, trend, reasons, ...(alert ? { alertId: alert.id } : {}) };
    this.index(event);
    this.persist(event, decision);
    const last = event.history[event.history.length - 1];
    const assessed: RiskAssessedMessage = {
      eventId: event.eventId,
      tcaUtc: event.tcaUtc,
      severity,
      ...(last.pc !== undefined ? { pc: last.pc } : {}),
      missDistanceKm: last.missDistanceKm,
      trend,
      updates: event.updates,
      assessedAtUtc: atUtc,
    };
    return { event, decision, assessed, ...(alert ? { alert } : {}) };
  }

  private buildAlert(event: RiskEvent, severity: AlertSeverity, color: Color, trend: Trend, reasons: string[], nowMs: number): Alert {
    const last = event.history[event.history.length - 1];
    const h = hoursToTca(event.tcaUtc, nowMs);
    const pcText = last.pc !== undefined ? `Pc ${last.pc.toExponential(2)}` : 'no Pc';
    const data: Alert['data'] = {
      eventId: event.eventId,
      primary: event.primary,
      secondary: event.secondary,
      tcaUtc: event.tcaUtc,
      hoursToTca: Number(h.toFixed(2)),
      missDistanceKm: last.missDistanceKm,
      color,
      trend,
      updates: event.updates,
      pc: last.pc ?? null,
      radialKm: last.radialKm ?? null,
    };
    return {
      id: `risk:${event.eventId}:${event.alertSeq}`,
      severity,
      title: `Conjunction ${event.primary} × ${event.secondary}, TCA ${event.tcaUtc} (in ${h.toFixed(1)} h), ${pcText}, miss ${last.missDistanceKm.toFixed(3)} km`,
      detail: reasons.join('\n'),
      raisedAtUtc: iso(nowMs),
      raisedBy: this.raisedBy,
      subject: { kind: 'conjunction', id: event.eventId },
      dedupKey: `risk:${event.eventId}`,
      data,
    };
  }

  private persist(event: RiskEvent, decision: Decision): void {
    this.decisionList(event.eventId).push(decision);
    this.journal.append({ t: 'event', event }, { t: 'decision', decision });
  }

  private index(event: RiskEvent): void {
    this.events.set(event.eventId, event);
    this.aliasIndex.set(event.eventId, event.eventId);
    for (const a of event.aliases) this.aliasIndex.set(a, event.eventId);
  }

  private decisionList(eventId: string): Decision[] {
    let l = this.decisionsByEvent.get(eventId);
    if (!l) this.decisionsByEvent.set(eventId, (l = []));
    return l;
  }
}

export function pairKey(a: string, b: string): string {
  return a <= b ? `${a}|${b}` : `${b}|${a}`;
}

function isoMs(utc: string): number {
  return Date.parse(utc.endsWith('Z') ? utc : utc + 'Z');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
