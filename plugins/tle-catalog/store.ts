import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GpElementSet } from '../../interfaces/domain/catalog';
import { compareIso } from '../../interfaces/domain/common';
import { MU_EARTH_KM3_S2, WGS84_A_KM } from '../../sdk/astro/constants';
import { parseTle } from '../../sdk/tle';

/**
 * The catalog held in memory (latest set and history per object) and its persistence.
 *
 * Persistence is an append-only JSON-lines journal plus a snapshot, both under the plugin's
 * data folder. Each accepted element set appends one line: TLE-born sets store only their
 * name and two lines (re-parsed on load, ~3x smaller than the decoded fields), other sets
 * store the decoded fields. A torn last line (crash during a write) is skipped on load.
 * When the journal grows past a threshold (and at stop) the whole history is written to
 * `snapshot.jsonl.tmp`, flushed, renamed over `snapshot.jsonl` (atomic on POSIX), then the
 * journal is truncated; a crash between the rename and the truncation only replays sets
 * the snapshot already holds, which ingestion ignores as duplicates.
 */

export interface ObjectRecord {
  /** Element sets, oldest epoch first. The last one is the current set. */
  history: GpElementSet[];
  /** Warnings found when the current set was ingested. */
  warnings: string[];
}

export interface IngestOutcome {
  added: number;
  updated: number;
  /** Sets identical to one already held (same object, epoch and elements). */
  duplicates: number;
  changedNoradIds: number[];
  minEpochUtc?: string;
  maxEpochUtc?: string;
}

export interface StoreOptions {
  /** Element sets kept per object; the oldest are dropped beyond it. */
  historyMaxSets: number;
  /** Epoch later than now by more than this is flagged (days). */
  futureEpochToleranceDays: number;
  /** Mean motion change between consecutive sets flagged above this fraction. */
  meanMotionJumpFraction: number;
  now: () => number;
}

type JournalLine = { t: 'tle'; n?: string; l1: string; l2: string; s?: string } | { t: 'gp'; e: GpElementSet };

const DAY_MS = 86_400_000;
const NO_WARNINGS: string[] = [];

/** Epoch order. Stored epochs share one fixed-width layout, so plain text order is time order then. */
function cmpEpoch(a: string, b: string): number {
  if (a.length === b.length) return a < b ? -1 : a > b ? 1 : 0;
  return compareIso(a, b);
}

/** Semi-major axis (km) from the mean motion (rev/day), Kepler's third law a = (μ/n²)^(1/3). */
export function semiMajorAxisKm(meanMotionRevPerDay: number): number {
  const n = (meanMotionRevPerDay * 2 * Math.PI) / 86400;
  return Math.cbrt(MU_EARTH_KM3_S2 / (n * n));
}

/**
 * Orbit regime, after the orbit classes of the ESA Space Environment Report (ESA Space Debris
 * Office, 2023, Table 2.1), merged into the six classes the interfaces name: GEO (inclination
 * ≤ 25°, perigee and apogee altitudes within 35,586-35,986 km), LEO (both altitudes ≤ 2,000 km),
 * GTO (inclination < 90°, perigee ≤ 2,000 km, apogee 31,570-40,000 km), MEO (both altitudes in
 * 2,000-31,570 km), HEO (perigee below 31,570 km, apogee above 40,000 km), OTHER (the rest).
 */
export function orbitRegime(set: GpElementSet): 'LEO' | 'MEO' | 'GEO' | 'HEO' | 'GTO' | 'OTHER' {
  const a = semiMajorAxisKm(set.meanMotionRevPerDay);
  const hp = a * (1 - set.eccentricity) - WGS84_A_KM;
  const ha = a * (1 + set.eccentricity) - WGS84_A_KM;
  if (set.inclinationDeg <= 25 && hp >= 35_586 && ha <= 35_986) return 'GEO';
  if (ha <= 2_000) return 'LEO';
  if (set.inclinationDeg < 90 && hp <= 2_000 && ha >= 31_570 && ha <= 40_000) return 'GTO';
  if (hp >= 2_000 && ha <= 31_570) return 'MEO';
  if (hp < 31_570 && ha > 40_000) return 'HEO';
  return 'OTHER';
}

function sameElements(a: GpElementSet, b: GpElementSet): boolean {
  return (
    a.meanMotionRevPerDay === b.meanMotionRevPerDay &&
    a.eccentricity === b.eccentricity &&
    a.inclinationDeg === b.inclinationDeg &&
    a.raanDeg === b.raanDeg &&
    a.argPericenterDeg === b.argPericenterDeg &&
    a.meanAnomalyDeg === b.meanAnomalyDeg &&
    a.bstarPerEarthRadius === b.bstarPerEarthRadius &&
    a.meanMotionDotRevPerDay2 === b.meanMotionDotRevPerDay2 &&
    a.meanMotionDdotRevPerDay3 === b.meanMotionDdotRevPerDay3
  );
}

export class CatalogStore {
  readonly objects = new Map<number, ObjectRecord>();
  private journalFd: number | undefined;
  private journalSets = 0;
  private readonly journalPath: string;
  private readonly snapshotPath: string;

  constructor(
    private readonly dir: string,
    private readonly options: StoreOptions,
  ) {
    this.journalPath = path.join(dir, 'journal.jsonl');
    this.snapshotPath = path.join(dir, 'snapshot.jsonl');
  }

  /** Loads the snapshot then replays the journal. Returns what was read and any skipped lines. */
  load(): { sets: number; skipped: { file: string; line: number; reason: string }[] } {
    fs.mkdirSync(this.dir, { recursive: true });
    const skipped: { file: string; line: number; reason: string }[] = [];
    let sets = 0;
    for (const file of [this.snapshotPath, this.journalPath]) {
      if (!fs.existsSync(file)) continue;
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      const batch: GpElementSet[] = [];
      for (let i = 0; i < lines.length; i++) {
        if (lines[i] === '') continue;
        try {
          const j = JSON.parse(lines[i]) as JournalLine;
          batch.push(j.t === 'tle' ? parseTle(j.l1, j.l2, j.n, 1, j.s) : j.e);
        } catch (err) {
          skipped.push({ file, line: i + 1, reason: (err as Error).message });
        }
      }
      sets += batch.length;
      this.apply(batch, false);
      if (file === this.journalPath) this.journalSets = batch.length;
    }
    // The load rebuilt the history from stored sets: ingest-time warnings are not replayed.
    return { sets, skipped };
  }

  /**
   * Adds element sets. New epochs go into the object's history (sorted); a set becomes the
   * current one when its epoch is the latest. Identical sets are ignored (idempotent), so
   * the same file ingested twice changes nothing. Accepted sets are journaled.
   */
  ingest(sets: GpElementSet[]): IngestOutcome {
    return this.apply(sets, true);
  }

  private apply(sets: GpElementSet[], journal: boolean): IngestOutcome {
    const out: IngestOutcome = { added: 0, updated: 0, duplicates: 0, changedNoradIds: [] };
    const changed = new Set<number>();
    const lines: string[] = [];
    const nowMs = this.options.now();
    for (const set of sets) {
      let rec = this.objects.get(set.noradId);
      const isNew = rec === undefined;
      if (!rec) {
        rec = { history: [], warnings: [] };
        this.objects.set(set.noradId, rec);
      }
      const h = rec.history;
      const current = h[h.length - 1];
      // Position in the history: usually the end (sets arrive in epoch order).
      let i = h.length;
      while (i > 0 && cmpEpoch(h[i - 1].epochUtc, set.epochUtc) > 0) i--;
      const sameEpoch = i > 0 && cmpEpoch(h[i - 1].epochUtc, set.epochUtc) === 0 ? h[i - 1] : undefined;
      if (sameEpoch && sameElements(sameEpoch, set)) {
        out.duplicates++;
        continue;
      }
      const warnings = journal ? this.check(set, sameEpoch ?? (i > 0 ? h[i - 1] : undefined), sameEpoch !== undefined, nowMs) : NO_WARNINGS;
      if (sameEpoch) h[i - 1] = set;
      else h.splice(i, 0, set);
      if (h.length > this.options.historyMaxSets) h.splice(0, h.length - this.options.historyMaxSets);
      const becameCurrent = h[h.length - 1] === set;
      if (becameCurrent) {
        rec.warnings = warnings;
        if (!changed.has(set.noradId)) {
          changed.add(set.noradId);
          if (isNew) out.added++;
          else if (current !== undefined) out.updated++;
        }
      }
      if (out.minEpochUtc === undefined || cmpEpoch(set.epochUtc, out.minEpochUtc) < 0) out.minEpochUtc = set.epochUtc;
      if (out.maxEpochUtc === undefined || cmpEpoch(set.epochUtc, out.maxEpochUtc) > 0) out.maxEpochUtc = set.epochUtc;
      if (journal) lines.push(JSON.stringify(toJournal(set)));
    }
    out.changedNoradIds = [...changed];
    if (journal && lines.length) this.append(lines);
    return out;
  }

  /** Consistency checks of a new set against the physics and the previous set. */
  private check(set: GpElementSet, previous: GpElementSet | undefined, sameEpoch: boolean, nowMs: number): string[] {
    let w = NO_WARNINGS;
    const add = (m: string) => {
      if (w === NO_WARNINGS) w = [];
      w.push(m);
    };
    const epochMs = Date.parse(set.epochUtc);
    const aheadDays = (epochMs - nowMs) / DAY_MS;
    if (aheadDays > this.options.futureEpochToleranceDays) add(`epoch ${set.epochUtc} is ${aheadDays.toFixed(1)} days in the future`);
    const a = semiMajorAxisKm(set.meanMotionRevPerDay);
    const perigeeKm = a * (1 - set.eccentricity);
    if (perigeeKm < WGS84_A_KM) add(`perigee radius ${perigeeKm.toFixed(0)} km is below the Earth's equatorial radius (${WGS84_A_KM} km): decayed or wrong elements`);
    if (previous) {
      if (sameEpoch) add(`replaces a different element set with the same epoch ${set.epochUtc} (element set ${previous.elementSetNo} → ${set.elementSetNo})`);
      const jump = Math.abs(set.meanMotionRevPerDay - previous.meanMotionRevPerDay) / previous.meanMotionRevPerDay;
      if (jump > this.options.meanMotionJumpFraction) {
        add(`mean motion changed by ${(jump * 100).toFixed(2)} % since the set of ${previous.epochUtc} (manoeuvre or cross-tag?)`);
      }
      if (previous.objectName && set.objectName && previous.objectName !== set.objectName) add(`name changed from '${previous.objectName}' to '${set.objectName}'`);
    }
    return w;
  }

  private append(lines: string[]): void {
    if (this.journalFd === undefined) this.journalFd = fs.openSync(this.journalPath, 'a');
    fs.writeSync(this.journalFd, lines.join('\n') + '\n');
    this.journalSets += lines.length;
  }

  get journalLength(): number {
    return this.journalSets;
  }

  /** Writes the whole history to the snapshot (atomically) and empties the journal. */
  snapshot(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = this.snapshotPath + '.tmp';
    const fd = fs.openSync(tmp, 'w');
    try {
      let chunk: string[] = [];
      for (const rec of this.objects.values()) {
        for (const set of rec.history) {
          chunk.push(JSON.stringify(toJournal(set)));
          if (chunk.length >= 5000) {
            fs.writeSync(fd, chunk.join('\n') + '\n');
            chunk = [];
          }
        }
      }
      if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.snapshotPath);
    if (this.journalFd !== undefined) {
      fs.closeSync(this.journalFd);
      this.journalFd = undefined;
    }
    fs.writeFileSync(this.journalPath, '');
    this.journalSets = 0;
  }

  close(): void {
    if (this.journalFd !== undefined) {
      fs.fsyncSync(this.journalFd);
      fs.closeSync(this.journalFd);
      this.journalFd = undefined;
    }
  }
}

function toJournal(set: GpElementSet): JournalLine {
  if (set.line1 && set.line2) {
    const j: JournalLine = { t: 'tle', l1: set.line1, l2: set.line2 };
    if (set.objectName) j.n = set.objectName;
    if (set.source) j.s = set.source;
    return j;
  }
  return { t: 'gp', e: set };
}
