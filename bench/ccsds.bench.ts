import { parseNdm } from '../sdk/ccsds';
import type { BenchResult } from './lib';

/**
 * CCSDS codec benchmark: KVN OEM parsing throughput on a generated ~30 MB ephemeris (one
 * segment, 60-s steps, 13-digit values as real producers write), side by side with a bare
 * `text.split('\n')` of the same text in the same run (the floor any line-based reader pays).
 * Target: parsing at >= 25 % of the line-split rate. Median of 5 runs each.
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

export async function run(): Promise<BenchResult[]> {
  const text = generateOem(30e6);
  const mb = text.length / 1e6;
  const parseS: number[] = [];
  const splitS: number[] = [];
  let states = 0;
  let sink = 0;
  for (let r = 0; r < 5; r++) {
    let t = process.hrtime.bigint();
    const parts = text.split('\n');
    sink += parts.length;
    splitS.push(Number(process.hrtime.bigint() - t) / 1e9);
    t = process.hrtime.bigint();
    const m = parseNdm(text, { file: 'bench.oem' }).message;
    parseS.push(Number(process.hrtime.bigint() - t) / 1e9);
    if (m.type === 'OEM') states = m.segments[0].states.length;
  }
  if (sink === 0) throw new Error('unreachable');
  const parseRate = mb / median(parseS);
  const splitRate = mb / median(splitS);
  const ratio = parseRate / splitRate;
  return [
    { name: `KVN OEM parse (${mb.toFixed(1)} MB, ${states.toLocaleString('en-US')} states), median of 5`, value: parseRate, unit: 'MB/s' },
    { name: "text.split('\\n') of the same text, median of 5", value: splitRate, unit: 'MB/s', reference: 'String.prototype.split' },
    { name: 'parse rate / line-split rate', value: ratio, unit: 'ratio', target: '>= 0.25', pass: ratio >= 0.25 },
  ];
}
