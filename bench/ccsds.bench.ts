import { parseNdm } from '../sdk/ccsds';
import type { BenchResult } from './lib';

/**
 * CCSDS codec benchmark: KVN OEM parsing throughput on a generated ~30 MB ephemeris (one
 * segment, 60-s steps, 13-digit values as real producers write), side by side with a bare
 * `text.split('\n')` of the same text in the same run (the floor any line-based reader pays).
 * Target: parsing at >= 25 % of the line-split rate. Median of 7 runs each after one warm-up;
 * wall-clock and CPU-time ratios both reported.
 */
function generateOem(targetBytes: number): string {
  const head = [
    'CCSDS_OEM_VERS = 2.0',
    'CREATION_DATE = 2026-01-01T00:00:00',
    'ORIGINATOR = SCOOP BENCH',
    '',
    'META_START',
    'OBJECT_NAME = BENCHSAT',
    'OBJECT_ID = 2026-001A',
    'CENTER_NAME = EARTH',
    'REF_FRAME = EME2000',
    'TIME_SYSTEM = UTC',
    'START_TIME = 2026-01-01T00:00:00.000',
    'STOP_TIME = 2036-01-01T00:00:00.000',
    'META_STOP',
    '',
  ];
  const lines: string[] = [];
  let bytes = 0;
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; bytes < targetBytes; i++) {
    const a = i * 0.0011;
    const iso = new Date(t0 + i * 60_000).toISOString().replace('Z', '');
    const line = `${iso} ${(6878.137 * Math.cos(a)).toFixed(10)} ${(6878.137 * Math.sin(a)).toFixed(10)} ${(1234.5 * Math.sin(a)).toFixed(10)} ${(-7.6 * Math.sin(a)).toFixed(13)} ${(7.6 * Math.cos(a)).toFixed(13)} ${(1.1 * Math.cos(a)).toFixed(13)}`;
    lines.push(line);
    bytes += line.length + 1;
  }
  return head.join('\n') + '\n' + lines.join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall-clock and CPU (user + system, all threads of the process) seconds of one call. */
function timed(f: () => void): { wallS: number; cpuS: number } {
  const c = process.cpuUsage();
  const t = process.hrtime.bigint();
  f();
  const wallS = Number(process.hrtime.bigint() - t) / 1e9;
  const d = process.cpuUsage(c);
  return { wallS, cpuS: (d.user + d.system) / 1e6 };
}

const RUNS = 7;

export async function run(): Promise<BenchResult[]> {
  const text = generateOem(30e6);
  const mb = text.length / 1e6;
  const parse: { wallS: number; cpuS: number }[] = [];
  const split: { wallS: number; cpuS: number }[] = [];
  let states = 0;
  let sink = 0;
  // Each measured in a block of its own (first call a warm-up): the split's speed depends on
  // the young-generation size that its own allocations grow (~250,000 strings per call); after
  // a parse, which allocates little, the next split can be 5–10× slower. Measuring it in its
  // own steady state gives the fastest split, the strict baseline.
  for (let r = 0; r <= RUNS; r++) {
    const s = timed(() => {
      sink += text.split('\n').length;
    });
    if (r > 0) split.push(s);
  }
  for (let r = 0; r <= RUNS; r++) {
    let m: ReturnType<typeof parseNdm>['message'] | undefined;
    const p = timed(() => {
      m = parseNdm(text, { file: 'bench.oem' }).message;
    });
    if (m?.type === 'OEM') states = m.segments[0].ephemeris.count;
    m = undefined;
    if (r > 0) parse.push(p);
  }
  if (sink === 0) throw new Error('unreachable');
  const parseRate = mb / median(parse.map((x) => x.wallS));
  const splitRate = mb / median(split.map((x) => x.wallS));
  const ratio = parseRate / splitRate;
  // On a shared machine (2 cores, several users) a long task is preempted more often than a
  // short one: the CPU-time ratio is the one that load does not bias.
  const cpuRatio = median(split.map((x) => x.cpuS)) / median(parse.map((x) => x.cpuS));
  return [
    { name: `KVN OEM parse (${mb.toFixed(1)} MB, ${states.toLocaleString('en-US')} states), median of ${RUNS}`, value: parseRate, unit: 'MB/s' },
    { name: `text.split('\\n') of the same text, median of ${RUNS}`, value: splitRate, unit: 'MB/s', reference: 'String.prototype.split' },
    { name: 'parse rate / line-split rate (wall clock)', value: ratio, unit: 'ratio', target: '>= 0.25', pass: ratio >= 0.25 },
    { name: 'parse rate / line-split rate (CPU time of the process)', value: cpuRatio, unit: 'ratio', target: '>= 0.25', pass: cpuRatio >= 0.25 },
    { name: 'max parse wall time over the runs', value: Math.max(...parse.map((x) => x.wallS)) * 1000, unit: 'ms' },
  ];
}
