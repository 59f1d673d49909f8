import type { PropagationTimes } from '../interfaces/services/propagation';
import { Epoch } from './astro/time';

/**
 * sdk/propagation-times — the instants of a propagation request (`PropagationTimes` of
 * interfaces/services/propagation.ts), parsed once and shared by every subject of a batch;
 * used by the propagator modules. (The sgp4 module keeps its own variant, which also
 * precomputes the two-part Julian dates SGP4's time since epoch needs.)
 */
/** The instants of a request (UTC), parsed once and shared by every subject of the batch. */
export interface RequestTimes {
  epochs: Epoch[];
  /** ISO-8601 UTC text of each instant as returned in the outcomes. */
  isoUtc: string[];
}

export class RequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Milliseconds when exact, else nanoseconds, so the text round-trips to the instant. */
export function formatUtc(epoch: Epoch): string {
  const ms = epoch.toIso('UTC', 3);
  return Epoch.parse(ms, 'UTC').equals(epoch, 5e-10) ? ms : epoch.toIso('UTC', 9);
}

function parseUtc(text: unknown, what: string): Epoch {
  if (typeof text !== 'string') throw new RequestError(`${what} must be an ISO-8601 UTC string, got ${JSON.stringify(text)}`);
  try {
    return Epoch.parse(text, 'UTC');
  } catch (err) {
    throw new RequestError(`${what}: ${(err as Error).message}`);
  }
}

/** Expands `times`; a window gives start, start + step, … up to stop (stop included when on the grid). */
export function expandTimes(times: PropagationTimes, maxInstants: number): RequestTimes {
  if (!times || typeof times !== 'object') throw new RequestError('request.times must be { instantsUtc } or { startUtc, stopUtc, stepS }');
  const epochs: Epoch[] = [];
  if ('instantsUtc' in times) {
    if (!Array.isArray(times.instantsUtc)) throw new RequestError('times.instantsUtc must be an array of ISO-8601 UTC strings');
    if (times.instantsUtc.length > maxInstants) throw new RequestError(`times.instantsUtc has ${times.instantsUtc.length} instants, more than maxOutputInstants = ${maxInstants}`);
    times.instantsUtc.forEach((t, i) => epochs.push(parseUtc(t, `times.instantsUtc[${i}]`)));
  } else {
    const start = parseUtc(times.startUtc, 'times.startUtc');
    const stop = parseUtc(times.stopUtc, 'times.stopUtc');
    const step = times.stepS;
    if (typeof step !== 'number' || !(step > 0) || !Number.isFinite(step)) throw new RequestError(`times.stepS must be a number > 0, got ${JSON.stringify(step)}`);
    const span = stop.minus(start);
    if (span < 0) throw new RequestError(`times.stopUtc ${times.stopUtc} is before times.startUtc ${times.startUtc}`);
    const count = Math.floor(span / step + 1e-9) + 1;
    if (count > maxInstants) throw new RequestError(`window ${times.startUtc} … ${times.stopUtc} every ${step} s has ${count} instants, more than maxOutputInstants = ${maxInstants}`);
    for (let k = 0; k < count; k++) epochs.push(start.plusSeconds(k * step));
    // A millisecond-exact start and a whole number of milliseconds per step keep every
    // instant millisecond-exact: format them directly (formatUtc's round-trip check costs a parse each).
    if (Number.isInteger(step * 1000) && formatUtc(start).length === 24) return { epochs, isoUtc: epochs.map((e) => e.toIso('UTC', 3)) };
  }
  return { epochs, isoUtc: epochs.map(formatUtc) };
}
