import { daysFromCivil, epochSeconds, epochSyntaxError } from './epoch';

/**
 * Columnar storage of OEM ephemeris data lines and the fast scanner of their KVN form.
 *
 * Why: a KVN OEM is mostly data lines (`epoch X Y Z X_DOT Y_DOT Z_DOT [X_DDOT Y_DDOT Z_DDOT]`,
 * 502.0-B-2 §5.2.4). Reading each through the generic token stream costs one line string,
 * seven field strings, seven number conversions and four objects per line. The scanner reads
 * the characters of the text once, converts each number from its digits, and stores the states
 * in Float64Arrays (one row per state); the object form (`OemState`) is built only on demand.
 */

/** 10^0 … 10^22: every one is exactly representable as a double. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** Largest integer below which every integer is exact in a double (2^53 − 1). */
const MAX_EXACT = 9007199254740991;

/**
 * Growable columns of one segment's states: where each epoch text lies in the source text (or
 * the text itself for states not read from it), epoch seconds (see `epochSeconds`),
 * position/velocity (6 per row) and accelerations (3 per row, NaN for rows without them).
 */
export class EphemerisBuilder {
  count = 0;
  epochStart = new Int32Array(1024);
  epochLen = new Int32Array(1024);
  /** Source line of each row (0 when unknown); XML/JSON rows have their path in `paths`. */
  lineNo = new Int32Array(1024);
  paths = new Map<number, string>();
  /** Epoch texts of the states pushed as text (XML/JSON, or lines the scanner left). */
  texts = new Map<number, string>();
  epochS = new Float64Array(1024);
  posVel = new Float64Array(6 * 1024);
  acc: Float64Array | undefined;

  constructor(readonly source = '') {}

  /** Makes room for one more row. */
  reserve(): void {
    if (this.count < this.epochS.length) return;
    this.grow(this.epochS.length * 2);
  }

  /** Makes room for `rows` rows in all (one allocation instead of repeated doublings). */
  expect(rows: number): void {
    if (rows > this.epochS.length) this.grow(rows);
  }

  private grow(cap: number): void {
    const grow = <T extends Int32Array | Float64Array>(a: T, n: number, fill?: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      if (fill !== undefined) b.fill(fill);
      b.set(a);
      return b;
    };
    this.epochStart = grow(this.epochStart, cap);
    this.epochLen = grow(this.epochLen, cap);
    this.lineNo = grow(this.lineNo, cap);
    this.epochS = grow(this.epochS, cap);
    this.posVel = grow(this.posVel, 6 * cap);
    if (this.acc) this.acc = grow(this.acc, 3 * cap, NaN);
  }

  /** The acceleration column (allocated, all NaN, on first use). */
  accColumn(): Float64Array {
    this.acc ??= new Float64Array(3 * this.epochS.length).fill(NaN);
    return this.acc;
  }

  /** Appends one state given by its epoch text; `values` holds 6 or 9 numbers. */
  push(epoch: string, epochS: number, values: ArrayLike<number>, n: number, loc?: { line?: number; xmlPath?: string }): void {
    this.reserve();
    const i = this.count++;
    this.texts.set(i, epoch);
    this.lineNo[i] = loc?.line ?? 0;
    if (loc?.xmlPath !== undefined) this.paths.set(i, loc.xmlPath);
    this.epochS[i] = epochS;
    const o = 6 * i;
    for (let k = 0; k < 6; k++) this.posVel[o + k] = values[k];
    if (n === 9) {
      const a = this.accColumn();
      for (let k = 0; k < 3; k++) a[3 * i + k] = values[6 + k];
    } else if (this.acc) this.acc.fill(NaN, 3 * i, 3 * i + 3);
  }

  /** Where row i was read. */
  loc(i: number): { line?: number; xmlPath?: string } {
    const path = this.paths.get(i);
    const line = this.lineNo[i];
    return { ...(line > 0 ? { line } : {}), ...(path !== undefined ? { xmlPath: path } : {}) };
  }

  /** Epoch text of row i. */
  epoch(i: number): string {
    return this.texts.get(i) ?? this.source.slice(this.epochStart[i], this.epochStart[i] + this.epochLen[i]);
  }
}

/** Where the scanner stopped: at the start of a line it did not read (or at the end of the text). */
export interface ScanStop {
  pos: number;
  /** Lines before `pos`. */
  line: number;
}

/**
 * Reads consecutive KVN ephemeris data lines of `out.source` from `pos` (the start of a line
 * preceded by `line` lines) into `out`. Stops, without reading it, at the first line that is
 * not a plain data line it can read exactly (keywords, comments, blocks, malformed lines,
 * unusual number or epoch forms, a last line without its newline): the generic reader takes
 * that line, reports it or stores it, and hands back. Blank lines are stepped over.
 *
 * Each line is read up to its '\n', which serves as the sentinel of every inner loop (so that
 * no read goes past the text, which would make the engine's character reads slower).
 */
export function scanEphemeris(pos: number, line: number, out: EphemerisBuilder): ScanStop {
  const text = out.source;
  let i = pos;
  for (;;) {
    const lineStart = i;
    const eol = text.indexOf('\n', i);
    if (eol < 0) return { pos: lineStart, line };
    let c = text.charCodeAt(i);
    while (c === 32 || c === 9 || c === 13) c = text.charCodeAt(++i);
    if (c === 10) {
      i++;
      line++;
      continue;
    }
    if (c < 48 || c > 57) return { pos: lineStart, line };
    // Columns sized once from the length of the first line (+3 % for shorter lines).
    if (out.count === 0) out.expect(Math.ceil((1.03 * (text.length - lineStart)) / (eol - lineStart + 1)) + 16);
    out.reserve();
    const row = out.count;
    // Epoch: the common calendar form is checked and converted here; others go through the
    // full check (day-of-year form, leap second, 'Z').
    const e0 = i;
    let e1 = quickCalendarEpoch(text, e0, out, row);
    if (e1 < 0) {
      while (c > 32) c = text.charCodeAt(++i);
      e1 = i;
      const epoch = text.slice(e0, e1);
      if (epochSyntaxError(epoch) !== undefined) return { pos: lineStart, line };
      out.epochS[row] = epochSeconds(epoch);
    } else {
      i = e1;
      c = text.charCodeAt(i);
    }
    // Numbers, written straight into the row.
    const pv = out.posVel;
    let n = 0;
    for (;;) {
      while (c === 32 || c === 9 || c === 13) c = text.charCodeAt(++i);
      if (c === 10) break;
      if (n === 9) return { pos: lineStart, line };
      // One number: [sign] digits [. digits] [e|E [sign] digits], ended by a blank or the line end.
      const s0 = i;
      let neg = false;
      if (c === 45 || c === 43) {
        neg = c === 45;
        c = text.charCodeAt(++i);
      }
      let m = 0;
      let nd = 0;
      let frac = 0;
      while (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        nd++;
        c = text.charCodeAt(++i);
      }
      if (c === 46) {
        c = text.charCodeAt(++i);
        while (c >= 48 && c <= 57) {
          m = m * 10 + (c - 48);
          nd++;
          frac++;
          c = text.charCodeAt(++i);
        }
      }
      if (nd === 0) return { pos: lineStart, line };
      let ex = 0;
      if (c === 101 || c === 69) {
        c = text.charCodeAt(++i);
        let eneg = false;
        if (c === 45 || c === 43) {
          eneg = c === 45;
          c = text.charCodeAt(++i);
        }
        let ed = 0;
        while (c >= 48 && c <= 57 && ed < 6) {
          ex = ex * 10 + (c - 48);
          ed++;
          c = text.charCodeAt(++i);
        }
        if (ed === 0) return { pos: lineStart, line };
        if (eneg) ex = -ex;
      }
      if (c > 32) return { pos: lineStart, line };
      const p = ex - frac;
      let x: number;
      // Exact when the digits form an integer below 2^53 and the power of ten is exact
      // (|p| <= 22): one correctly rounded IEEE division or product (Clinger, "How to read
      // floating point numbers accurately", PLDI 1990, the fast path). Otherwise the engine's
      // conversion of the text, which is correctly rounded too.
      if (m <= MAX_EXACT && p >= -22 && p <= 22) {
        x = p < 0 ? m / POW10[-p] : m * POW10[p];
        if (neg) x = -x;
      } else {
        x = +text.slice(s0, i);
        // Overflow ('1e400'): not a number for the standard; the generic reader reports it.
        if (x === Infinity || x === -Infinity) return { pos: lineStart, line };
      }
      if (n < 6) pv[6 * row + n] = x;
      else out.accColumn()[3 * row + n - 6] = x;
      n++;
    }
    if (n !== 6 && n !== 9) return { pos: lineStart, line };
    if (n === 6 && out.acc !== undefined) out.acc.fill(NaN, 3 * row, 3 * row + 3);
    out.epochStart[row] = e0;
    out.epochLen[row] = e1 - e0;
    out.lineNo[row] = line + 1;
    out.count = row + 1;
    i = eol + 1;
    line++;
  }
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function d2(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Reads a calendar epoch `YYYY-MM-DDThh:mm:ss[.f…]` at e0, ended by a blank, with its fields in
 * range; stores its seconds (as `epochSeconds`) in `out.epochS[row]` and returns where it ends.
 * Returns -1 for anything else (second 60, 'Z', the day-of-year form, malformed text), which
 * the full check then handles.
 */
function quickCalendarEpoch(text: string, e0: number, out: EphemerisBuilder, row: number): number {
  if (text.charCodeAt(e0 + 4) !== 45 || text.charCodeAt(e0 + 7) !== 45 || text.charCodeAt(e0 + 10) !== 84 || text.charCodeAt(e0 + 13) !== 58 || text.charCodeAt(e0 + 16) !== 58) return -1;
  const y1 = d2(text, e0);
  const y2 = d2(text, e0 + 2);
  const mo = d2(text, e0 + 5);
  const d = d2(text, e0 + 8);
  const h = d2(text, e0 + 11);
  const mi = d2(text, e0 + 14);
  const s = d2(text, e0 + 17);
  if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return -1;
  const y = y1 * 100 + y2;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 && leap ? 29 : DAYS[mo - 1])) return -1;
  // Seconds as the decimal number 'ss.fff…' (same value as epochSeconds' conversion).
  let m = s;
  let frac = 0;
  let i = e0 + 19;
  let c = text.charCodeAt(i);
  if (c === 46) {
    c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      frac++;
      c = text.charCodeAt(++i);
    }
  }
  if (c > 32) return -1;
  let sec: number;
  if (m <= MAX_EXACT && frac <= 22) sec = frac === 0 ? m : m / POW10[frac];
  else sec = +text.slice(e0 + 17, i);
  out.epochS[row] = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
  return i;
}
