import { FRAMES, type Frame } from '../../interfaces/domain/common';
import type { PropagationTimes } from '../../interfaces/services/propagation';
import { sgp4Config } from './config';
import { gpFromTle, tleEpoch } from './elements';
import { Sgp4RequestError, Sgp4Service } from './service';
import { instantsAfterEpochUtc } from './times';

/**
 * `scoop propagate --tle FILE --norad ID (--start ISO --stop ISO --step SECONDS |
 * --minutes FROM:TO:STEP) [--frame TEME|GCRF|EME2000|MOD|TOD|PEF|ITRF] [--json]`
 *
 * Propagates one object of a TLE file (2- or 3-line) with the sgp4 module's service, run
 * in-process (no kernel needed). `--minutes` counts from the TLE epoch. Without a kernel there
 * is no EOP provider: frames other than TEME use zero EOP, and the command says so.
 * Exit codes: 0 states printed, 1 the object failed or the file is unusable, 2 usage error.
 */
export interface PropagateIo {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): Promise<string>;
}

export const PROPAGATE_USAGE =
  'usage: scoop propagate --tle FILE --norad ID (--start ISO --stop ISO --step SECONDS | --minutes FROM:TO:STEP) [--frame TEME|GCRF|EME2000|MOD|TOD|PEF|ITRF] [--json]';

class UsageError extends Error {}

function parseArgs(args: string[]): Map<string, string | true> {
  const m = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument '${a}'`);
    const name = a.slice(2);
    if (name === 'json') {
      m.set(name, true);
      continue;
    }
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    m.set(name, v);
    i++;
  }
  for (const k of m.keys()) if (!['tle', 'norad', 'start', 'stop', 'step', 'minutes', 'frame', 'json'].includes(k)) throw new UsageError(`unknown option --${k}`);
  return m;
}

export async function propagateCommand(args: string[], io: PropagateIo): Promise<number> {
  let opts: Map<string, string | true>;
  try {
    opts = parseArgs(args);
    if (typeof opts.get('tle') !== 'string') throw new UsageError('--tle FILE is required');
    if (typeof opts.get('norad') !== 'string' || !/^\d+$/.test(opts.get('norad') as string)) throw new UsageError('--norad ID (a catalog number) is required');
    const window = ['start', 'stop', 'step'].filter((k) => opts.has(k));
    if (opts.has('minutes') === (window.length > 0)) throw new UsageError('give either --start/--stop/--step or --minutes FROM:TO:STEP');
    if (window.length > 0 && window.length < 3) throw new UsageError('--start, --stop and --step go together');
    const frame = (opts.get('frame') ?? 'TEME') as string;
    if (!(FRAMES as readonly string[]).includes(frame)) throw new UsageError(`--frame ${frame} is not one of ${FRAMES.join(', ')}`);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`scoop propagate: ${err.message}\n${PROPAGATE_USAGE}`);
      return 2;
    }
    throw err;
  }
  const file = opts.get('tle') as string;
  const norad = Number(opts.get('norad'));
  const frame = (opts.get('frame') ?? 'TEME') as Frame;
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (err) {
    io.err(`scoop propagate: cannot read ${file}: ${(err as Error).message}`);
    return 1;
  }
  const lines = text.split(/\r?\n/);
  let gp;
  for (let i = 0; i < lines.length - 1 && !gp; i++) {
    if (!lines[i].startsWith('1 ') || !lines[i + 1].startsWith('2 ')) continue;
    try {
      const candidate = gpFromTle(lines[i], lines[i + 1], i > 0 && !/^[12] /.test(lines[i - 1]) ? lines[i - 1] : undefined);
      if (candidate.noradId === norad) gp = candidate;
    } catch (err) {
      io.err(`scoop propagate: ${file}:${i + 1}: ${(err as Error).message}`);
      return 1;
    }
  }
  if (!gp) {
    io.err(`scoop propagate: NORAD ${norad} is not in ${file}`);
    return 1;
  }
  let times: PropagationTimes;
  if (opts.has('minutes')) {
    const parts = (opts.get('minutes') as string).split(':').map(Number);
    if (parts.length !== 3 || !parts.every(Number.isFinite) || parts[2] <= 0 || parts[1] < parts[0]) {
      io.err(`scoop propagate: --minutes ${String(opts.get('minutes'))} must be FROM:TO:STEP with FROM ≤ TO and STEP > 0\n${PROPAGATE_USAGE}`);
      return 2;
    }
    const [from, to, step] = parts;
    const minutes: number[] = [];
    for (let k = 0; from + k * step <= to + 1e-9; k++) minutes.push(from + k * step);
    times = { instantsUtc: instantsAfterEpochUtc(tleEpoch(gp.line1!).jd('UTC'), minutes) };
  } else {
    times = { startUtc: opts.get('start') as string, stopUtc: opts.get('stop') as string, stepS: Number(opts.get('step')) };
  }
  const service = new Sgp4Service(sgp4Config.parse({ engine: 'js' }), { eop: () => undefined });
  try {
    const { outcomes } = await service.propagate({ subjects: [{ id: String(norad), gp }], times, frame });
    const o = outcomes[0];
    if (opts.has('json')) io.out(JSON.stringify(o, null, 2));
    if (!o.ok) {
      io.err(`scoop propagate: NORAD ${norad}: ${o.error.code}: ${o.error.message}`);
      return 1;
    }
    if (!opts.has('json')) {
      io.out(`# NORAD ${norad}${gp.objectName ? ` ${gp.objectName}` : ''}, TLE epoch ${gp.epochUtc}, SGP4 (satellite.js), frame ${frame}`);
      io.out('# epoch (UTC)                    x (km)            y (km)            z (km)        vx (km/s)      vy (km/s)      vz (km/s)');
      o.epochsUtc.forEach((t, i) => {
        const p = o.posKm[i].map((x) => x.toFixed(6).padStart(17)).join(' ');
        const v = o.velKmS[i].map((x) => x.toFixed(9).padStart(14)).join(' ');
        io.out(`${t.padEnd(30)} ${p} ${v}`);
      });
    }
    if (frame !== 'TEME') io.err(`scoop propagate: no EOP provider outside the kernel: ${frame} uses zero EOP (UT1 = UTC, no polar motion, no pole offsets)`);
    return 0;
  } catch (err) {
    if (err instanceof Sgp4RequestError) {
      io.err(`scoop propagate: ${err.message}`);
      return 2;
    }
    throw err;
  } finally {
    await service.dispose();
  }
}

