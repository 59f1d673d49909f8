import * as fs from 'node:fs';

/**
 * The inbox's process-state journal: one JSON line per step of each file's handling, so a
 * restart knows exactly where every file stood.
 *
 *   claim      → decided: file id, detected kind/owner (and the codec's warnings) or rejection
 *                reason (and the codec's problems), destination path
 *   moved      → the file is at its destination (and no longer in the inbox)
 *   published  → file.received / file.rejected went out
 *
 * A file is identified by (inbox, name, SHA-256): the same bytes under the same name are the
 * same delivery. On restart, an entry that is claimed but not moved is resumed when the file
 * is met again in the inbox; one that is moved but not published is published; a published
 * one is never published again. Writes are synchronous appends (they survive a crash of the
 * process); a torn last line is ignored on load. The journal is compacted at start (one line
 * per file, written to a temporary file and renamed over the journal).
 */

export type Outcome = 'done' | 'rejected';
export type Stage = 'claimed' | 'moved' | 'published';

export interface JournalEntry {
  fileId: string;
  inbox: string;
  name: string;
  sha256: string;
  sizeBytes: number;
  outcome: Outcome;
  dest: string;
  kind?: string;
  format?: string;
  owner?: string;
  reason?: string;
  line?: number;
  /** Rejected CCSDS file: every problem the codec found (first 20), for the .reason file. */
  problems?: string[];
  /** Accepted CCSDS file: the deviations the codec accepted in lenient mode (first 20). */
  warnings?: string[];
  atUtc: string;
  stage: Stage;
}

export const keyOf = (inbox: string, name: string, sha256: string) => `${inbox}\u0000${name}\u0000${sha256}`;

export class Journal {
  readonly entries = new Map<string, JournalEntry>();
  private readonly byKey = new Map<string, JournalEntry>();
  private fd: number | undefined;
  skipped = 0;

  constructor(readonly file: string) {}

  load(): void {
    if (fs.existsSync(this.file)) {
      for (const line of fs.readFileSync(this.file, 'utf8').split('\n')) {
        if (!line) continue;
        let rec: { op: string; fileId: string; entry?: JournalEntry; dest?: string };
        try {
          rec = JSON.parse(line);
        } catch {
          this.skipped++;
          continue;
        }
        if (rec.op === 'claim' && rec.entry) this.index(rec.entry);
        else {
          const e = this.entries.get(rec.fileId);
          if (!e) continue;
          if (rec.op === 'moved') e.stage = 'moved';
          else if (rec.op === 'published') e.stage = 'published';
        }
      }
    }
    this.compact();
  }

  private index(e: JournalEntry): void {
    this.entries.set(e.fileId, e);
    this.byKey.set(keyOf(e.inbox, e.name, e.sha256), e);
  }

  /** Rewrites the journal with one line per file, atomically (temporary file + rename). */
  private compact(): void {
    const tmp = this.file + '.tmp';
    const lines = [...this.entries.values()].map((e) => JSON.stringify({ op: 'claim', fileId: e.fileId, entry: e }));
    fs.writeFileSync(tmp, lines.length ? lines.join('\n') + '\n' : '');
    fs.renameSync(tmp, this.file);
  }

  find(inbox: string, name: string, sha256: string): JournalEntry | undefined {
    return this.byKey.get(keyOf(inbox, name, sha256));
  }

  private write(rec: object): void {
    if (this.fd === undefined) this.fd = fs.openSync(this.file, 'a');
    fs.writeSync(this.fd, JSON.stringify(rec) + '\n');
  }

  claim(e: JournalEntry): void {
    this.index(e);
    this.write({ op: 'claim', fileId: e.fileId, entry: e });
  }

  mark(e: JournalEntry, stage: 'moved' | 'published'): void {
    e.stage = stage;
    this.write({ op: stage, fileId: e.fileId });
  }

  unfinished(): JournalEntry[] {
    return [...this.entries.values()].filter((e) => e.stage !== 'published');
  }

  close(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
