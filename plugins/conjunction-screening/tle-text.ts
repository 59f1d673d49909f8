import type { GpElementSet } from '../../interfaces/domain/catalog';

/**
 * A small TLE / 3LE reader for the `scoop screen` command (a file given on the command line,
 * no running catalog). Column layout: CelesTrak "NORAD Two-Line Element Set Format" and
 * Vallado et al. 2006 (AIAA 2006-6753) Appendix; Alpha-5 catalog numbers after the 18th SDS
 * convention (first character A–Z without I and O stands for 10–33). Every problem names the
 * file and line.
 */
export class TleTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TleTextError';
  }
}

const ALPHA5 = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

export function decodeCatalogNumber(field: string): number {
  const f = field.trim();
  if (/^\d+$/.test(f)) return Number(f);
  const k = ALPHA5.indexOf(f[0]);
  if (k < 0 || !/^[A-Z]\d{4}$/.test(f)) throw new RangeError(`catalog number '${field}' is neither digits nor Alpha-5`);
  return (k + 10) * 10_000 + Number(f.slice(1));
}

/** Modulo-10 checksum of the first 68 columns (digits count their value, '-' counts 1). */
function checksum(line: string): number {
  let s = 0;
  for (let i = 0; i < 68; i++) {
    const c = line[i];
    if (c >= '0' && c <= '9') s += c.charCodeAt(0) - 48;
    else if (c === '-') s += 1;
  }
  return s % 10;
}

/** "±NNNNN±E" with an implied leading decimal point (columns of B* and n̈/6). */
function impliedDecimal(field: string): number {
  const f = field.trim();
  if (!f) return 0;
  const m = /^([+-]?)(\d{1,5})([+-]\d)$/.exec(f.replace(/\s/g, ''));
  if (!m) throw new RangeError(`'${field}' is not an implied-decimal field ±NNNNN±E`);
  return Number(`${m[1]}0.${m[2]}e${m[3]}`);
}

function epochIso(line1: string): string {
  const yy = Number(line1.slice(18, 20));
  const day = Number(line1.slice(20, 32));
  if (!Number.isFinite(yy) || !Number.isFinite(day)) throw new RangeError(`epoch field '${line1.slice(18, 32)}' is not YYDDD.DDDDDDDD`);
  const year = yy < 57 ? 2000 + yy : 1900 + yy;
  const ms = Date.UTC(year, 0, 1) + (day - 1) * 86_400_000;
  return new Date(Math.round(ms)).toISOString();
}

export function readTleText(text: string, file: string): GpElementSet[] {
  const lines = text.split(/\r?\n/);
  const out: GpElementSet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l1 = lines[i].trimEnd();
    if (!l1.startsWith('1 ')) continue;
    const l2 = (lines[i + 1] ?? '').trimEnd();
    const where = `${file}:${i + 1}`;
    if (!l2.startsWith('2 ')) throw new TleTextError(`${where}: TLE line 1 is not followed by a line 2`);
    for (const [line, n] of [[l1, i + 1], [l2, i + 2]] as const) {
      if (line.length !== 69) throw new TleTextError(`${file}:${n}: TLE lines have 69 columns (this one has ${line.length})`);
      if (checksum(line) !== Number(line[68])) throw new TleTextError(`${file}:${n}: checksum ${line[68]} does not match the line (expected ${checksum(line)})`);
    }
    if (l1.slice(2, 7) !== l2.slice(2, 7)) throw new TleTextError(`${where}: catalog numbers of line 1 (${l1.slice(2, 7)}) and line 2 (${l2.slice(2, 7)}) differ`);
    const prev = i > 0 ? lines[i - 1].trim() : '';
    const name = prev && !prev.startsWith('1 ') && !prev.startsWith('2 ') ? prev.replace(/^0 /, '') : undefined;
    try {
      out.push({
        noradId: decodeCatalogNumber(l1.slice(2, 7)),
        ...(name ? { objectName: name } : {}),
        classification: (['U', 'C', 'S'].includes(l1[7]) ? l1[7] : 'U') as 'U' | 'C' | 'S',
        epochUtc: epochIso(l1),
        meanMotionRevPerDay: Number(l2.slice(52, 63)),
        eccentricity: Number(`0.${l2.slice(26, 33).trim()}`),
        inclinationDeg: Number(l2.slice(8, 16)),
        raanDeg: Number(l2.slice(17, 25)),
        argPericenterDeg: Number(l2.slice(34, 42)),
        meanAnomalyDeg: Number(l2.slice(43, 51)),
        bstarPerEarthRadius: impliedDecimal(l1.slice(53, 61)),
        meanMotionDotRevPerDay2: Number(l1.slice(33, 43)),
        meanMotionDdotRevPerDay3: impliedDecimal(l1.slice(44, 52)),
        ephemerisType: Number(l1[62]) || 0,
        elementSetNo: Number(l1.slice(64, 68)) || 0,
        revAtEpoch: Number(l2.slice(63, 68)) || 0,
        source: file,
        line1: l1,
        line2: l2,
      });
    } catch (err) {
      throw new TleTextError(`${where}: ${(err as Error).message}`);
    }
    i++;
  }
  return out;
}
