import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Cron expressions evaluated in UTC: 5 fields (minute hour day-of-month month day-of-week)
 * or 6 (second first). Each field takes `*`, numbers, ranges `a-b`, lists `a,b`, steps
 * `*\/n` and `a-b/n`; months and weekdays also take names (JAN..DEC, SUN..SAT; 0 and 7 are
 * Sunday). As in classic cron, when both day fields are restricted a day matching either
 * one fires.
 */
export class CronExpression {
  private readonly seconds: Set<number>;
  private readonly minutes: Set<number>;
  private readonly hours: Set<number>;
  private readonly days: Set<number>;
  private readonly months: Set<number>;
  private readonly weekdays: Set<number>;
  private readonly dayRestricted: boolean;
  private readonly weekdayRestricted: boolean;

  constructor(readonly source: string) {
    const fields = source.trim().split(/\s+/);
    if (fields.length !== 5 && fields.length !== 6) {
      throw new Error(`cron '${source}': expected 5 or 6 fields, found ${fields.length}`);
    }
    const f = fields.length === 5 ? ['0', ...fields] : fields;
    this.seconds = parseField(f[0], 0, 59, 'second', source);
    this.minutes = parseField(f[1], 0, 59, 'minute', source);
    this.hours = parseField(f[2], 0, 23, 'hour', source);
    this.days = parseField(f[3], 1, 31, 'day-of-month', source);
    this.months = parseField(f[4], 1, 12, 'month', source, MONTHS);
    const wd = parseField(f[5], 0, 7, 'day-of-week', source, WEEKDAYS);
    if (wd.has(7)) wd.add(0);
    this.weekdays = wd;
    this.dayRestricted = f[3] !== '*' && f[3] !== '?';
    this.weekdayRestricted = f[5] !== '*' && f[5] !== '?';
  }

  private dayMatches(d: Date): boolean {
    const dom = this.days.has(d.getUTCDate());
    const dow = this.weekdays.has(d.getUTCDay());
    if (this.dayRestricted && this.weekdayRestricted) return dom || dow;
    return dom && dow;
  }

  /** The first firing instant strictly after `afterMs` (Unix ms, UTC). */
  next(afterMs: number): number {
    const d = new Date(Math.floor(afterMs / 1000) * 1000 + 1000);
    const limit = afterMs + 8 * 366 * 86_400_000;
    while (d.getTime() <= limit) {
      if (!this.months.has(d.getUTCMonth() + 1)) {
        d.setUTCMonth(d.getUTCMonth() + 1, 1);
        d.setUTCHours(0, 0, 0, 0);
        continue;
      }
      if (!this.dayMatches(d)) {
        d.setUTCDate(d.getUTCDate() + 1);
        d.setUTCHours(0, 0, 0, 0);
        continue;
      }
      if (!this.hours.has(d.getUTCHours())) {
        d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
        continue;
      }
      if (!this.minutes.has(d.getUTCMinutes())) {
        d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
        continue;
      }
      if (!this.seconds.has(d.getUTCSeconds())) {
        d.setUTCSeconds(d.getUTCSeconds() + 1, 0);
        continue;
      }
      return d.getTime();
    }
    throw new Error(`cron '${this.source}' never fires`);
  }
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function parseField(text: string, min: number, max: number, what: string, source: string, names?: string[]): Set<number> {
  const out = new Set<number>();
  const value = (t: string): number => {
    const upper = t.toUpperCase();
    if (names) {
      const i = names.indexOf(upper);
      if (i >= 0) return what === 'month' ? i + 1 : i;
    }
    if (!/^\d+$/.test(t)) throw new Error(`cron '${source}': bad ${what} value '${t}'`);
    const n = Number(t);
    if (n < min || n > max) throw new Error(`cron '${source}': ${what} ${n} outside ${min}-${max}`);
    return n;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron '${source}': bad step '${stepText}' in ${what}`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = min;
      hi = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      lo = value(a);
      hi = value(b);
      if (lo > hi) throw new Error(`cron '${source}': empty ${what} range '${range}'`);
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/**
 * Remembers when each schedule last ran, in `<dataDir>/scheduler.json`, so the missed-run
 * policy (`catchUp: 'once'`) can tell after a restart whether a run was missed.
 */
export class ScheduleState {
  private state: Record<string, number> = {};

  constructor(private readonly file: string) {
    try {
      this.state = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>;
    } catch {
      this.state = {};
    }
  }

  lastRun(key: string): number | undefined {
    return this.state[key];
  }

  record(key: string, atMs: number): void {
    this.state[key] = atMs;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.state, null, 1));
    fs.renameSync(tmp, this.file);
  }
}

/** setTimeout that accepts delays beyond Node's 24.8-day limit. */
export function longTimeout(fn: () => void, delayMs: number): { cancel(): void } {
  const MAX = 2_000_000_000;
  let timer: NodeJS.Timeout;
  let cancelled = false;
  const arm = (remaining: number) => {
    timer = setTimeout(
      () => {
        if (cancelled) return;
        if (remaining > MAX) arm(remaining - MAX);
        else fn();
      },
      Math.min(Math.max(0, remaining), MAX),
    );
    timer.unref?.();
  };
  arm(delayMs);
  return {
    cancel() {
      cancelled = true;
      clearTimeout(timer);
    },
  };
}
