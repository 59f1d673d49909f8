import type { PropagationTimes } from '../../interfaces/services/propagation';
import { Epoch } from '../../sdk/astro/time';

/**
 * The instants of a request, computed once and shared by every subject of the batch.
 *
 * Time since epoch: SGP4 takes minutes since the element-set epoch. As in Vallado et al.
 * 2006 (AIAA 2006-6753, the reference code and its `jday`), satellite.js `propagate` and
 * python-sgp4, it is the difference of UTC Julian dates × 1440 — a leap second between the
 * epoch and the instant is not counted (Orekit counts it: they then differ by 1 s of motion).
 * Julian dates are kept in two parts (day at 0h, fraction) so the difference keeps ~1e-11 s.
 */
export interface RequestTimes {
  count: number;
  /** ISO-8601 UTC text of each instant, as returned in the outcomes (9 fraction digits when needed). */
  isoUtc: string[];
  epochs: Epoch[];
  /** Two-part UTC Julian dates: JD of 0h (x.5) and fraction of the day. */
  jdDay: Float64Array;
  jdFrac: Float64Array;
}

export class TimesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimesError';
  }
}

/** Formats an instant: milliseconds when that is exact, else nanoseconds (so a round trip keeps it). */
export function formatUtc(epoch: Epoch): string {
  const ms = epoch.toIso('UTC', 3);
  return Epoch.parse(ms, 'UTC').equals(epoch, 5e-10) ? ms : epoch.toIso('UTC', 9);
}

/** Expands `times` into instants; `maxInstants` bounds a window's expansion (names the limit when exceeded). */
export function expandTimes(times: PropagationTimes, maxInstants: number): RequestTimes {
  const epochs: Epoch[] = [];
  const isoUtc: string[] = [];
  const parse = (text: unknown, what: string): Epoch => {
    if (typeof text !== 'string') throw new TimesError(`${what} must be an ISO-8601 UTC string, got ${JSON.stringify(text)}`);
    try {
      return Epoch.parse(text, 'UTC');
    } catch (err) {
      throw new TimesError(`${what}: ${(err as Error).message}`);
    }
  };
  if ('instantsUtc' in times) {
    if (!Array.isArray(times.instantsUtc)) throw new TimesError('times.instantsUtc must be an array of ISO-8601 UTC strings');
    if (times.instantsUtc.length > maxInstants) throw new TimesError(`times.instantsUtc has ${times.instantsUtc.length} instants, more than maxInstants = ${maxInstants}`);
    times.instantsUtc.forEach((t, i) => {
      epochs.push(parse(t, `times.instantsUtc[${i}]`));
      isoUtc.push(t);
    });
  } else if (times && typeof times === 'object' && 'startUtc' in times) {
    const start = parse(times.startUtc, 'times.startUtc');
    const stop = parse(times.stopUtc, 'times.stopUtc');
    const step = times.stepS;
    if (typeof step !== 'number' || !Number.isFinite(step) || step <= 0) throw new TimesError(`times.stepS must be a positive number of seconds, got ${JSON.stringify(step)}`);
    const spanS = stop.minus(start);
    if (spanS < 0) throw new TimesError(`times.stopUtc ${times.stopUtc} is before times.startUtc ${times.startUtc}`);
    // A step that divides the span up to rounding must reach the stop exactly.
    const n = Math.floor(spanS / step + 1e-9) + 1;
    if (n > maxInstants) throw new TimesError(`window ${times.startUtc} → ${times.stopUtc} at ${step} s has ${n} instants, more than maxInstants = ${maxInstants}`);
    for (let i = 0; i < n; i++) {
      const e = start.plusSeconds(i * step);
      epochs.push(e);
      isoUtc.push(formatUtc(e));
    }
  } else {
    throw new TimesError("times must be { instantsUtc: [...] } or { startUtc, stopUtc, stepS }");
  }
  const count = epochs.length;
  const jdDay = new Float64Array(count);
  const jdFrac = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const [d, f] = epochs[i].jd('UTC');
    jdDay[i] = d;
    jdFrac[i] = f;
  }
  return { count, isoUtc, epochs, jdDay, jdFrac };
}

/** Minutes from a two-part epoch JD to instant `i` (Vallado's tsince). */
export function minutesSince(times: RequestTimes, i: number, epochJd: readonly [number, number]): number {
  return (times.jdDay[i] - epochJd[0] + (times.jdFrac[i] - epochJd[1])) * 1440;
}

/**
 * Instants `minutes` after an epoch given as a two-part UTC JD, in UTC Julian-date arithmetic
 * (the tsince convention above), formatted as returned by the service.
 */
export function instantsAfterEpochUtc(epochJdUtc: readonly [number, number], minutes: readonly number[]): string[] {
  const [d, f] = epochJdUtc;
  return minutes.map((m) => {
    // whole days and the remainder apart, so m / 1440 does not round at the 1e-13-day level
    const whole = Math.floor(m / 1440);
    const rest = (m - whole * 1440) / 1440;
    return formatUtc(Epoch.fromJd(d + whole, f + rest, 'UTC'));
  });
}
