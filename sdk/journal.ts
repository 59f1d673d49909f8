import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * sdk/journal — append-only JSON-lines journal for modules that must not lose a decision
 * (alert outbox, risk decisions): one record per line, written with a single write and
 * flushed to disk (fsync) before the caller goes on, so a decision that was published is
 * on disk. A crash can only cut the last line: reading ignores an unterminated last line
 * (reported), and refuses nothing else silently — a malformed complete line is reported
 * with its line number and skipped. Compaction rewrites the file atomically (temporary
 * file, fsync, rename), so the journal is always either the old or the new one.
 */
export class Journal<R> {
  private fd: number | undefined;

  constructor(
    readonly file: string,
    private readonly durable = true,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  /** Records in file order, and the problems met (file:line and reason). */
  read(): { records: R[]; problems: string[] } {
    const records: R[] = [];
    const problems: string[] = [];
    if (!fs.existsSync(this.file)) return { records, problems };
    const text = fs.readFileSync(this.file, 'utf8');
    const lines = text.split('\n');
    const last = lines.pop() ?? '';
    if (last.trim() !== '') problems.push(`${this.file}:${lines.length + 1}: unterminated last line ignored (interrupted write)`);
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        records.push(JSON.parse(line) as R);
      } catch (err) {
        problems.push(`${this.file}:${i + 1}: not JSON (${(err as Error).message}); line skipped`);
      }
    });
    return { records, problems };
  }

  /** Appends records with one write and one flush. */
  append(...records: R[]): void {
    if (this.fd === undefined) this.fd = fs.openSync(this.file, 'a');
    fs.writeSync(this.fd, records.map((r) => JSON.stringify(r) + '\n').join(''));
    if (this.durable) fs.fsyncSync(this.fd);
  }

  /** Replaces the whole journal by `records`, atomically. */
  rewrite(records: R[]): void {
    this.close();
    const tmp = `${this.file}.tmp-${process.pid}`;
    const fd = fs.openSync(tmp, 'w');
    try {
      if (records.length) fs.writeSync(fd, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }

  close(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
