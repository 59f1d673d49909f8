import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeAtomic } from '../../sdk/files';
import { CdmRecordSchema, type CdmRecord } from '../../interfaces/domain/cdm';
import type { ConjunctionObject } from '../../interfaces/domain/conjunction';

/**
 * Conjunction events followed across successive CDMs. A CDM joins an event when it concerns
 * the same pair of objects (either order; NORAD number, else designator) and its TCA is at most
 * `tcaToleranceS` from the event's latest TCA (successive CDMs of one event move TCA by
 * milliseconds to seconds as orbits are re-determined; distinct close approaches of one pair
 * are at least about half an orbit apart, > 40 min in LEO). A CDM whose MESSAGE_ID is already
 * attached in the same direction is a duplicate and is not attached twice.
 *
 * Persistence: `<dataDir>/events.jsonl`, one fsynced JSON line per attached CDM, replayed at
 * start; a line cut by a crash is reported and skipped. Events whose latest TCA is older than
 * `retentionDays` are left out when the journal is rewritten at start.
 */

export type Direction = 'received' | 'issued';

export interface AttachedCdm {
  direction: Direction;
  attachedAtUtc: string;
  record: CdmRecord;
  path?: string;
}

export interface CdmEvent {
  eventId: string;
  primary: string;
  secondary: string;
  /** TCA of the latest CDM. */
  tcaUtc: string;
  cdms: AttachedCdm[];
}

/** One CDM of an event's history: Pc, miss distance and covariance size. */
export interface HistoryRow {
  messageId: string;
  direction: Direction;
  creationDateUtc: string;
  tcaUtc: string;
  missDistanceM: number;
  pc?: number;
  pcMethod?: string;
  /** 1-σ R, T, N of each object (m), when its covariance is known. */
  sigmaRtnM: { object1?: [number, number, number]; object2?: [number, number, number] };
  /**
   * Size of the combined position uncertainty: √(tr P1 + tr P2) (m), the RSS 1-σ of the
   * relative position. The trace is invariant under rotation, so it needs no common frame
   * for the two objects' RTN covariances.
   */
  combinedSigmaM?: number;
}

const ms = (iso: string) => Date.parse(iso.endsWith('Z') ? iso : iso + 'Z');

export function objectKey(o: ConjunctionObject): string {
  return o.noradId !== undefined ? String(o.noradId) : o.objectId.trim().toUpperCase();
}

function positionBlock(o: ConjunctionObject): number[][] | undefined {
  const c = o.covarianceRtnM;
  if (!c || c.frame !== 'RTN') return undefined;
  const k = c.units === 'km' ? 1e6 : 1;
  return [0, 1, 2].map((i) => [0, 1, 2].map((j) => c.matrix[i][j] * k));
}

export function historyRow(a: AttachedCdm): HistoryRow {
  const r = a.record;
  const p1 = positionBlock(r.object1);
  const p2 = positionBlock(r.object2);
  const sig = (p: number[][]) => [0, 1, 2].map((i) => Math.sqrt(Math.max(0, p[i][i]))) as [number, number, number];
  const tr = (p: number[][]) => p[0][0] + p[1][1] + p[2][2];
  const row: HistoryRow = {
    messageId: r.messageId,
    direction: a.direction,
    creationDateUtc: r.creationDateUtc,
    tcaUtc: r.tcaUtc,
    missDistanceM: r.missDistanceM,
    sigmaRtnM: {},
  };
  if (r.collisionProbability !== undefined) row.pc = r.collisionProbability;
  if (r.collisionProbabilityMethod) row.pcMethod = r.collisionProbabilityMethod;
  if (p1) row.sigmaRtnM.object1 = sig(p1);
  if (p2) row.sigmaRtnM.object2 = sig(p2);
  if (p1 && p2) row.combinedSigmaM = Math.sqrt(Math.max(0, tr(p1) + tr(p2)));
  return row;
}

interface JournalLine {
  v: 1;
  eventId: string;
  direction: Direction;
  attachedAtUtc: string;
  record: CdmRecord;
  path?: string;
}

export class EventBook {
  private readonly events = new Map<string, CdmEvent>();
  private fd: number | undefined;

  constructor(
    private readonly file: string,
    private readonly options: { tcaToleranceS: number; retentionDays: number; now: () => number },
  ) {}

  get size(): number {
    return this.events.size;
  }

  /** Replays the journal; returns the problems found (each names the file and line). */
  load(): string[] {
    const problems: string[] = [];
    this.events.clear();
    const text = fs.existsSync(this.file) ? fs.readFileSync(this.file, 'utf8') : '';
    const lines = text.split('\n');
    let dropped = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === '') continue;
      let entry: JournalLine;
      try {
        const raw = JSON.parse(line) as JournalLine;
        const rec = CdmRecordSchema.safeParse(raw.record);
        if (raw.v !== 1 || typeof raw.eventId !== 'string' || !rec.success) throw new Error(rec.success ? 'unknown line layout' : rec.error.issues[0]?.message ?? 'invalid record');
        entry = { ...raw, record: rec.data };
      } catch (err) {
        problems.push(`${this.file}:${i + 1}: line skipped (${(err as Error).message})`);
        dropped++;
        continue;
      }
      this.put(entry.eventId, { direction: entry.direction, attachedAtUtc: entry.attachedAtUtc, record: entry.record, ...(entry.path ? { path: entry.path } : {}) });
    }
    const horizon = this.options.now() - this.options.retentionDays * 86_400_000;
    for (const [id, e] of this.events) {
      if (ms(e.tcaUtc) < horizon) {
        this.events.delete(id);
        dropped++;
      }
    }
    // rewritten when something was left out (or the last line lacks its end), so that the
    // journal holds what is in memory and the next append starts on a line of its own
    if (dropped > 0 || (text.length > 0 && !text.endsWith('\n'))) writeAtomic(this.file, this.all().flatMap((e) => e.cdms.map((c) => JSON.stringify(this.lineOf(e.eventId, c)) + '\n')).join(''));
    return problems;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  get(eventId: string): CdmEvent | undefined {
    return this.events.get(eventId);
  }

  all(): CdmEvent[] {
    return [...this.events.values()];
  }

  /** The event a record would join (same pair either order, TCA within tolerance, nearest), if any. */
  match(record: Pick<CdmRecord, 'tcaUtc' | 'object1' | 'object2'>): CdmEvent | undefined {
    const a = objectKey(record.object1);
    const b = objectKey(record.object2);
    const t = ms(record.tcaUtc);
    let best: CdmEvent | undefined;
    let bestDt = Infinity;
    for (const e of this.events.values()) {
      const samePair = (e.primary === a && e.secondary === b) || (e.primary === b && e.secondary === a);
      if (!samePair) continue;
      const dt = Math.abs(ms(e.tcaUtc) - t);
      if (dt <= this.options.tcaToleranceS * 1000 && dt < bestDt) {
        best = e;
        bestDt = dt;
      }
    }
    return best;
  }

  /** A CDM already attached with this MESSAGE_ID in this direction. */
  findMessage(messageId: string, direction: Direction): { event: CdmEvent; cdm: AttachedCdm } | undefined {
    for (const e of this.events.values()) {
      const cdm = e.cdms.find((c) => c.direction === direction && c.record.messageId === messageId);
      if (cdm) return { event: e, cdm };
    }
    return undefined;
  }

  /**
   * Attaches a CDM record to its event (an existing one, else a new one named `newEventId`, or
   * derived from the pair and TCA). Returns the record with its `eventId`.
   */
  attach(record: CdmRecord, direction: Direction, opts: { newEventId?: string; path?: string } = {}): { record: CdmRecord; event: CdmEvent; duplicate: boolean } {
    const dup = this.findMessage(record.messageId, direction);
    if (dup) return { record: dup.cdm.record, event: dup.event, duplicate: true };
    const existing = this.match(record);
    let eventId = existing?.eventId ?? opts.newEventId ?? defaultEventId(record);
    // a new event never takes the id of another one
    if (!existing) for (let n = 2; this.events.has(eventId); n++) eventId = `${opts.newEventId ?? defaultEventId(record)}~${n}`;
    const withId: CdmRecord = { ...record, eventId };
    const cdm: AttachedCdm = { direction, attachedAtUtc: new Date(this.options.now()).toISOString(), record: withId, ...(opts.path ? { path: opts.path } : {}) };
    this.append(this.lineOf(eventId, cdm));
    const event = this.put(eventId, cdm);
    return { record: withId, event, duplicate: false };
  }

  /** CDM records of an event, oldest first (by CREATION_DATE, then attachment order). */
  records(eventId: string): CdmRecord[] | undefined {
    return this.sorted(eventId)?.map((c) => c.record);
  }

  history(eventId: string): HistoryRow[] | undefined {
    return this.sorted(eventId)?.map(historyRow);
  }

  private sorted(eventId: string): AttachedCdm[] | undefined {
    const e = this.events.get(eventId);
    if (!e) return undefined;
    return e.cdms
      .map((c, i) => ({ c, i }))
      .sort((x, y) => ms(x.c.record.creationDateUtc) - ms(y.c.record.creationDateUtc) || x.i - y.i)
      .map((x) => x.c);
  }

  private put(eventId: string, cdm: AttachedCdm): CdmEvent {
    let e = this.events.get(eventId);
    if (!e) {
      e = { eventId, primary: objectKey(cdm.record.object1), secondary: objectKey(cdm.record.object2), tcaUtc: cdm.record.tcaUtc, cdms: [] };
      this.events.set(eventId, e);
    }
    e.cdms.push(cdm);
    // the event's TCA is that of its newest message (best orbit knowledge)
    const newest = e.cdms.reduce((a, b) => (ms(b.record.creationDateUtc) >= ms(a.record.creationDateUtc) ? b : a));
    e.tcaUtc = newest.record.tcaUtc;
    return e;
  }

  private lineOf(eventId: string, c: AttachedCdm): JournalLine {
    return { v: 1, eventId, direction: c.direction, attachedAtUtc: c.attachedAtUtc, record: c.record, ...(c.path ? { path: c.path } : {}) };
  }

  private append(line: JournalLine): void {
    if (this.fd === undefined) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      this.fd = fs.openSync(this.file, 'a');
    }
    fs.writeSync(this.fd, JSON.stringify(line) + '\n');
    // the event history must survive a crash right after a CDM is acknowledged
    fs.fsyncSync(this.fd);
  }
}

/** `<primary>-<secondary>-<TCA to the second>`, e.g. `25994-37558-20210324T151047`. */
export function defaultEventId(r: Pick<CdmRecord, 'tcaUtc' | 'object1' | 'object2'>): string {
  const t = r.tcaUtc.replace(/[-:]/g, '').slice(0, 15);
  return `${objectKey(r.object1)}-${objectKey(r.object2)}-${t}`;
}
