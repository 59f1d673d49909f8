import type { GpElementSet } from '../../interfaces/domain/catalog';
import { FRAMES, type Frame } from '../../interfaces/domain/common';
import { AnalyticalPropagatorToken, NumericalPropagatorToken, Sgp4PropagatorToken, type PropagationOutcome, type PropagationRequest, type PropagationSubject, type Propagator } from '../../interfaces/services/propagation';
import { EopProviderToken } from '../../interfaces/services/reference-data';
import type { CommandIo } from '../../sdk/cli';
import { Epoch } from '../../sdk/astro/time';
import type { HeadlessLogLevel } from '../../sdk/headless';
import type { ServiceToken } from '../../sdk/service';
import { decodeAlpha5, parseTle, TleFormatError } from '../../sdk/tle';
import { FormatError, formatPropagation, PROPAGATE_FORMATS, type PropagatedRow, type PropagateFormat } from './format';
import { formatUtc } from './service';

/**
 * `scoop propagate`: one object of a TLE file, propagated with SGP4, Keplerian two-body or the
 * numerical propagator, written as JSON, CSV or a CCSDS OEM (format.ts).
 *
 * The command starts a headless kernel (sdk/headless.ts) with just the plugins the chosen
 * propagator needs and calls the propagator service, as any module would; EOP come from the
 * `eop` plugin (its default table), the geopotential from `gravity-field`.
 *
 * `kepler` and `numerical` cannot start from mean elements: they start from the osculating
 * state SGP4 gives at the element set's epoch (in GCRF), so a TLE is a starting point, not a
 * fit. SGP4 itself stays the best prediction from a TLE (its mean elements were fitted for it).
 */
export const PROPAGATORS = ['sgp4', 'numerical', 'kepler'] as const;
export type PropagatorChoice = (typeof PROPAGATORS)[number];

/** Plugins each propagator needs (built-in folder names), in the order they are listed. */
export const PROPAGATOR_PLUGINS: Record<PropagatorChoice, string[]> = {
  sgp4: ['eop', 'sgp4'],
  kepler: ['eop', 'sgp4', 'analytical-propagators'],
  numerical: ['eop', 'gravity-field', 'space-weather', 'sgp4', 'numerical-propagator'],
};

/** Largest number of epochs one command propagates (the numerical propagator's default maxOutputInstants). */
export const MAX_EPOCHS = 100_000;

export const PROPAGATE_USAGE = `usage: scoop propagate --tle FILE --norad ID (--start ISO --stop ISO --step SECONDS | --minutes FROM:TO:STEP)
                       [--frame ${FRAMES.join('|')}] [--propagator ${PROPAGATORS.join('|')}]
                       [--format ${PROPAGATE_FORMATS.join('|')}] [--log error|warn|info|debug]

  --tle FILE        2-line or 3-line element sets (checksums are not enforced; text after column 69 is ignored)
  --norad ID        catalog number (digits or Alpha-5); the first element set of that object is used
  --start/--stop    UTC ISO-8601 window, every --step seconds (the stop is included when on the grid)
  --minutes F:T:S   minutes from the element set's epoch, F to T every S (Vallado's convention:
                    UTC Julian-date arithmetic, a leap second in between is not counted)
  --frame           output frame (default TEME); frames other than TEME use EOP from the eop plugin
  --propagator      sgp4 (default): SGP4/SDP4 of the element set;
                    kepler: two-body from the osculating state SGP4 gives at the element-set epoch;
                    numerical: Cowell (geopotential 20x20, Sun, Moon; no drag nor SRP: a TLE has
                    no mass or area) from that same SGP4 state
  --format          json (default): [{ "epoch", "frame", "r": [km], "v": [km/s] } | { "epoch", "error" }];
                    csv; oem-kvn / oem-xml: CCSDS OEM 2.0 (epochs without a state become comments)
  --log LEVEL       show the modules' log on stderr at this level (default: none)

  An epoch without a state is listed with its error (after a decay, every later epoch is).
  At most ${MAX_EPOCHS} epochs. Exit: 0 states written (some epochs may have failed: see stderr),
  1 no epoch has a state or the file is unusable, 2 usage error.`;

/** What the command needs of a running kernel (sdk/headless.ts `HeadlessKernel` has it). */
export interface ServiceSource {
  service<I extends object>(token: ServiceToken<I>): I;
}

export interface PropagateDeps {
  /**
   * A kernel already running the plugins the propagator needs (tests share one); by default
   * the command starts a headless kernel with PROPAGATOR_PLUGINS and stops it at the end.
   */
  kernel?: ServiceSource;
  /** OEM CREATION_DATE (default: now). */
  creationUtc?: string;
}

class UsageError extends Error {}

const OPTIONS = ['tle', 'norad', 'start', 'stop', 'step', 'minutes', 'frame', 'propagator', 'format', 'log'] as const;
type Option = (typeof OPTIONS)[number];
const LOG_LEVELS: readonly HeadlessLogLevel[] = ['error', 'warn', 'info', 'debug', 'trace'];

interface Parsed {
  tle: string;
  norad: number;
  frame: Frame;
  propagator: PropagatorChoice;
  format: PropagateFormat;
  log?: HeadlessLogLevel;
  /** Instants of a --start/--stop/--step window (UTC ISO). */
  windowUtc?: string[];
  /** Minutes after the element-set epoch (--minutes). */
  minutes?: number[];
}

function parseArgs(args: string[]): Parsed {
  const m = new Map<Option, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument '${a}'`);
    const name = a.slice(2);
    if (name === 'json') throw new UsageError('--json is now --format json (the default)');
    if (!(OPTIONS as readonly string[]).includes(name)) throw new UsageError(`unknown option ${a}`);
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
    if (m.has(name as Option)) throw new UsageError(`${a} is given twice`);
    m.set(name as Option, v);
    i++;
  }
  const tle = m.get('tle');
  if (tle === undefined) throw new UsageError('--tle FILE is required');
  const noradText = m.get('norad');
  if (noradText === undefined) throw new UsageError('--norad ID (a catalog number) is required');
  let norad: number;
  try {
    norad = decodeAlpha5(noradText);
  } catch {
    throw new UsageError(`--norad ${noradText} is not a catalog number (digits, or Alpha-5 such as A0001)`);
  }
  const frame = m.get('frame') ?? 'TEME';
  if (!(FRAMES as readonly string[]).includes(frame)) throw new UsageError(`--frame ${frame} is not one of ${FRAMES.join(', ')}`);
  const propagator = m.get('propagator') ?? 'sgp4';
  if (!(PROPAGATORS as readonly string[]).includes(propagator)) throw new UsageError(`--propagator ${propagator} is not one of ${PROPAGATORS.join(', ')}`);
  const format = m.get('format') ?? 'json';
  if (!(PROPAGATE_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${format} is not one of ${PROPAGATE_FORMATS.join(', ')}`);
  const log = m.get('log');
  if (log !== undefined && !(LOG_LEVELS as readonly string[]).includes(log)) throw new UsageError(`--log ${log} is not one of ${LOG_LEVELS.join(', ')}`);
  const out: Parsed = { tle, norad, frame: frame as Frame, propagator: propagator as PropagatorChoice, format: format as PropagateFormat, ...(log ? { log: log as HeadlessLogLevel } : {}) };

  const windowKeys = (['start', 'stop', 'step'] as const).filter((k) => m.has(k));
  if (m.has('minutes') === windowKeys.length > 0) throw new UsageError('give either --start/--stop/--step or --minutes FROM:TO:STEP');
  if (windowKeys.length > 0 && windowKeys.length < 3) throw new UsageError('--start, --stop and --step go together');
  if (m.has('minutes')) {
    const text = m.get('minutes')!;
    const parts = text.split(':');
    const [from, to, step] = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
    if (parts.length !== 3 || ![from, to, step].every(Number.isFinite) || !(step > 0) || to < from) throw new UsageError(`--minutes ${text} must be FROM:TO:STEP (minutes) with FROM ≤ TO and STEP > 0`);
    const n = Math.floor((to - from) / step + 1e-9) + 1;
    if (n > MAX_EPOCHS) throw new UsageError(`--minutes ${text} gives ${n} epochs, more than ${MAX_EPOCHS}`);
    out.minutes = Array.from({ length: n }, (_, k) => from + k * step);
  } else {
    const epoch = (key: 'start' | 'stop'): Epoch => {
      try {
        return Epoch.parse(m.get(key)!, 'UTC');
      } catch (err) {
        throw new UsageError(`--${key}: ${(err as Error).message}`);
      }
    };
    const start = epoch('start');
    const stop = epoch('stop');
    const stepS = Number(m.get('step'));
    if (!Number.isFinite(stepS) || !(stepS > 0)) throw new UsageError(`--step ${m.get('step')} must be a number of seconds > 0`);
    const spanS = stop.minus(start);
    if (spanS < 0) throw new UsageError(`--stop ${m.get('stop')} is before --start ${m.get('start')}`);
    const n = Math.floor(spanS / stepS + 1e-9) + 1;
    if (n > MAX_EPOCHS) throw new UsageError(`--start … --stop every ${stepS} s gives ${n} epochs, more than ${MAX_EPOCHS}`);
    out.windowUtc = Array.from({ length: n }, (_, k) => formatUtc(start.plusSeconds(k * stepS)));
  }
  return out;
}

/**
 * The first element set of `norad` in a TLE/3LE text. Checksums are not enforced (a file given
 * on purpose is read as written: Vallado's verification set has lines with bad checksums);
 * every other field is checked by sdk/tle. Throws naming the file and line.
 */
export function findElementSet(text: string, file: string, norad: number): { gp: GpElementSet; line: number; count: number } {
  // Columns after 69 are not part of a TLE line; Vallado's verification set writes each case's
  // start/stop/step minutes there, after a blank.
  const lines = text.split('\n').map((l) => {
    const t = l.replace(/[\s\r]+$/, '');
    return t.length > 69 && /^[12] /.test(t) && /\s/.test(t[69]) ? t.slice(0, 69) : t;
  });
  if (lines.length && lines[0].charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  let found: { gp: GpElementSet; line: number } | undefined;
  let count = 0;
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].startsWith('1 ') || !lines[i + 1].startsWith('2 ')) continue;
    let id: number;
    try {
      id = decodeAlpha5(lines[i].slice(2, 7));
    } catch {
      continue; // another object's damaged line: not ours to judge
    }
    if (id !== norad) continue;
    count++;
    if (!found) {
      const prev = i > 0 ? lines[i - 1] : '';
      // 3LE: the name line before line 1 (Space-Track prefixes it '0 '); '#' lines are comments.
      const name = prev !== '' && !/^[12] /.test(prev) && !prev.startsWith('#') ? prev.replace(/^0 /, '') : undefined;
      try {
        found = { gp: parseTle(lines[i], lines[i + 1], name, i + 1, file, { checksum: false }), line: i + 1 };
      } catch (err) {
        if (err instanceof TleFormatError) throw new Error(`${file}:${err.line}: ${err.reason}`, { cause: err });
        throw err;
      }
    }
    i++;
  }
  if (!found) throw new Error(`NORAD ${norad} is not in ${file} (no element set with that catalog number)`);
  return { ...found, count };
}

/** Instants `minutes` after the element-set epoch in UTC Julian-date arithmetic (Vallado's tsince). */
function instantsAfterEpoch(epochUtc: string, minutes: readonly number[]): string[] {
  const [d, f] = Epoch.parse(epochUtc, 'UTC').jd('UTC');
  return minutes.map((m) => {
    // whole days and the remainder apart, so m / 1440 does not round at the 1e-13-day level
    const whole = Math.floor(m / 1440);
    return formatUtc(Epoch.fromJd(d + whole, f + (m - whole * 1440) / 1440, 'UTC'));
  });
}

/**
 * States at every instant, or the reason an instant has none. A propagator reports one error
 * per subject (the first failure); this finds which instants still have a state:
 * - 'decayed' ends the trajectory: every instant at or beyond the decay, seen from the subject's
 *   epoch, fails with it (SGP4 computes each instant on its own and can return states again
 *   after a decay, from elements that no longer describe anything; Vallado's reference driver
 *   stops there too); the other instants are asked again in one call;
 * - an error between requested instants (an integration that stopped) does the same;
 * - any other error at one of the requested instants (SGP4) fails that instant only; the
 *   instants before it are asked again in one call, those after it in calls of at most `chunk`
 *   instants (so a long run of failures costs chunk-sized calls);
 * - an error without an instant (elements refused) fails every instant.
 * Exported for its own tests.
 */
export async function statesAtInstants(
  propagateAt: (instantsUtc: string[]) => Promise<PropagationOutcome>,
  instantsUtc: readonly string[],
  subjectEpoch: Epoch,
  chunk = 256,
): Promise<PropagatedRow[]> {
  const rows: PropagatedRow[] = new Array(instantsUtc.length);
  const epochs = instantsUtc.map((t) => Epoch.parse(t, 'UTC'));
  const queue: number[][] = [instantsUtc.map((_, i) => i)];
  while (queue.length) {
    const idx = queue.shift()!;
    const o = await propagateAt(idx.map((i) => instantsUtc[i]));
    if (o.ok) {
      if (o.epochsUtc.length !== idx.length) throw new Error(`the propagator returned ${o.epochsUtc.length} states for ${idx.length} instants`);
      idx.forEach((i, k) => (rows[i] = { epochUtc: instantsUtc[i], posKm: o.posKm[k], velKmS: o.velKmS[k] }));
      continue;
    }
    const why = `${o.error.code}: ${o.error.message}`;
    const fail = (i: number) => (rows[i] = { epochUtc: instantsUtc[i], error: why });
    const at = o.error.atUtc === undefined ? undefined : tryParse(o.error.atUtc);
    if (!at) {
      idx.forEach(fail);
      continue;
    }
    const hit = o.error.code === 'decayed' ? -1 : idx.findIndex((i) => instantsUtc[i] === o.error.atUtc || epochs[i].equals(at, 1e-6));
    if (hit >= 0) {
      fail(idx[hit]);
      if (hit > 0) queue.push(idx.slice(0, hit));
      for (let k = hit + 1; k < idx.length; k += chunk) queue.push(idx.slice(k, k + chunk));
      continue;
    }
    const side = Math.sign(at.minus(subjectEpoch));
    // 1 µs: the instant the propagator names is text, read back
    const beyond = (i: number) => side !== 0 && Math.sign(epochs[i].minus(subjectEpoch)) === side && Math.abs(epochs[i].minus(subjectEpoch)) >= Math.abs(at.minus(subjectEpoch)) - 1e-6;
    const again = idx.filter((i) => !beyond(i));
    idx.filter(beyond).forEach(fail);
    // No instant beyond the failure: asking the rest again would fail the same way.
    if (again.length === idx.length) again.forEach(fail);
    else if (again.length) queue.push(again);
  }
  return rows;
}

function tryParse(text: string): Epoch | undefined {
  try {
    return Epoch.parse(text, 'UTC');
  } catch {
    return undefined;
  }
}

const SERVICE_OF: Record<PropagatorChoice, ServiceToken<Propagator>> = { sgp4: Sgp4PropagatorToken, kepler: AnalyticalPropagatorToken, numerical: NumericalPropagatorToken };

export async function propagateCommand(args: string[], io: Pick<CommandIo, 'out' | 'err' | 'readFile'>, deps: PropagateDeps = {}): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(PROPAGATE_USAGE);
    return 0;
  }
  let p: Parsed;
  try {
    p = parseArgs(args);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`scoop propagate: ${err.message}\n${PROPAGATE_USAGE}`);
      return 2;
    }
    throw err;
  }
  const fail = (message: string): number => {
    io.err(`scoop propagate: ${message}`);
    return 1;
  };
  let text: string;
  try {
    text = await io.readFile(p.tle);
  } catch (err) {
    return fail(`cannot read ${p.tle}: ${(err as Error).message}`);
  }
  let gp: GpElementSet;
  try {
    const found = findElementSet(text, p.tle, p.norad);
    gp = found.gp;
    if (found.count > 1) io.err(`scoop propagate: ${p.tle} holds ${found.count} element sets of NORAD ${p.norad}: the first (line ${found.line}, epoch ${gp.epochUtc}) is used`);
  } catch (err) {
    return fail((err as Error).message);
  }
  const instants = p.minutes ? instantsAfterEpoch(gp.epochUtc, p.minutes) : p.windowUtc!;

  let kernel = deps.kernel;
  let stop: (() => Promise<void>) | undefined;
  if (!kernel) {
    try {
      const { startHeadlessKernel } = await import('../../sdk/headless');
      const hk = await startHeadlessKernel({ plugins: PROPAGATOR_PLUGINS[p.propagator], ...(p.log ? { log: p.log } : {}) });
      kernel = hk;
      stop = () => hk.stop();
    } catch (err) {
      return fail(`cannot start the modules of --propagator ${p.propagator}: ${(err as Error).message}`);
    }
  }
  try {
    if (p.frame !== 'TEME' || p.propagator !== 'sgp4') {
      try {
        await kernel.service(EopProviderToken).coverage();
      } catch (err) {
        io.err(`scoop propagate: no EOP table (${(err as Error).message}): frame conversions use zero EOP (UT1 = UTC, no polar motion)`);
      }
    }
    const id = String(p.norad);
    const sgp4 = kernel.service(Sgp4PropagatorToken);
    const epoch0 = Epoch.parse(gp.epochUtc, 'UTC');
    let subject: PropagationSubject = { id, gp };
    let rows: PropagatedRow[];
    let initialError: string | undefined;
    if (p.propagator !== 'sgp4') {
      // The osculating state at the element-set epoch, in GCRF (inertial, as both propagators want).
      const [o] = (await sgp4.propagate({ subjects: [{ id, gp }], times: { instantsUtc: [gp.epochUtc] }, frame: 'GCRF' })).outcomes;
      if (o.ok) subject = { id, state: { epoch: { iso: gp.epochUtc, scale: 'UTC' }, frame: 'GCRF', posKm: o.posKm[0], velKmS: o.velKmS[0] } };
      else initialError = `no SGP4 state at the element-set epoch ${gp.epochUtc} to start from: ${o.error.code}: ${o.error.message}`;
    }
    if (initialError) {
      rows = instants.map((epochUtc) => ({ epochUtc, error: initialError! }));
    } else {
      const service = kernel.service(SERVICE_OF[p.propagator]);
      const request = (instantsUtc: string[]): PropagationRequest => ({
        subjects: [subject],
        times: { instantsUtc },
        frame: p.frame,
        ...(p.propagator === 'kepler' ? { forceModel: { theory: 'keplerian' } } : {}),
      });
      rows = await statesAtInstants(async (t) => (await service.propagate(request(t))).outcomes[0], instants, epoch0);
    }
    const failed = rows.filter((r): r is Extract<PropagatedRow, { error: string }> => 'error' in r);
    const table = { objectId: id, ...(gp.objectName ? { objectName: gp.objectName } : {}), frame: p.frame, rows, source: SERVICE_OF[p.propagator].name };
    let out: string | undefined;
    try {
      out = formatPropagation(table, p.format, { originator: 'SCOOP', ...(deps.creationUtc ? { creationUtc: deps.creationUtc } : {}) });
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
      io.err(`scoop propagate: ${err.message}`);
    }
    if (out !== undefined) io.out(out);
    if (failed.length) {
      io.err(`scoop propagate: NORAD ${p.norad}: ${failed.length} of ${rows.length} epoch(s) without a state; first ${failed[0].epochUtc}: ${failed[0].error}`);
    }
    return failed.length === rows.length || out === undefined ? 1 : 0;
  } catch (err) {
    return fail((err as Error).message);
  } finally {
    await stop?.();
  }
}
