/**
 * Units as written in CCSDS NDM files (`[km]`, `[m**2/s]`, `[m**3/(kg*s)]`…): parsing into a
 * dimension vector and a factor to SI, so a value given in a non-standard but commensurable
 * unit can be converted to the keyword's standard unit (lenient mode).
 *
 * Syntax per CCSDS 502.0-B-2 §7.7.1 / 508.0-B-1 §6.3.2.5: `**` for powers, `*` and `/` between
 * factors, parentheses allowed.
 */

type Dim = [number, number, number, number, number]; // length, time, mass, angle, earth radii
interface Quantity {
  factor: number;
  dim: Dim;
}

const BASE: Record<string, Quantity> = {
  m: { factor: 1, dim: [1, 0, 0, 0, 0] },
  km: { factor: 1000, dim: [1, 0, 0, 0, 0] },
  s: { factor: 1, dim: [0, 1, 0, 0, 0] },
  sec: { factor: 1, dim: [0, 1, 0, 0, 0] },
  min: { factor: 60, dim: [0, 1, 0, 0, 0] },
  h: { factor: 3600, dim: [0, 1, 0, 0, 0] },
  d: { factor: 86400, dim: [0, 1, 0, 0, 0] },
  day: { factor: 86400, dim: [0, 1, 0, 0, 0] },
  kg: { factor: 1, dim: [0, 0, 1, 0, 0] },
  g: { factor: 1e-3, dim: [0, 0, 1, 0, 0] },
  // W = kg·m²·s⁻³
  w: { factor: 1, dim: [2, -3, 1, 0, 0] },
  hz: { factor: 1, dim: [0, -1, 0, 0, 0] },
  rad: { factor: 1, dim: [0, 0, 0, 1, 0] },
  deg: { factor: Math.PI / 180, dim: [0, 0, 0, 1, 0] },
  rev: { factor: 2 * Math.PI, dim: [0, 0, 0, 1, 0] },
  er: { factor: 1, dim: [0, 0, 0, 0, 1] },
  '%': { factor: 0.01, dim: [0, 0, 0, 0, 0] },
  '1': { factor: 1, dim: [0, 0, 0, 0, 0] },
};

const SUPERSCRIPTS: Record<string, string> = { '\u207b': '-', '\u00b9': '1', '\u00b2': '2', '\u00b3': '3', '\u2070': '0', '\u2074': '4', '\u2075': '5', '\u2076': '6', '\u2077': '7', '\u2078': '8', '\u2079': '9' };

/** Parses a unit expression; undefined when it is not understood. */
export function parseUnit(text: string): Quantity | undefined {
  // Typographic spellings seen in real files (m×s⁻¹, km²·s⁻¹, km².s⁻²) are normalised first.
  const src = text
    .trim()
    .toLowerCase()
    .replace(/[×·]/g, '*')
    .replace(/([a-z\u00b2\u00b3\u00b9\u2070-\u2079])\.(?=[a-z])/g, '$1*')
    .replace(/\u207b?[\u00b2\u00b3\u00b9\u2070-\u2079]+/g, (m) => '**' + [...m].map((c) => SUPERSCRIPTS[c] ?? '').join(''));
  if (src === '' || src === 'n/a') return { factor: 1, dim: [0, 0, 0, 0, 0] };
  let pos = 0;
  const peek = () => src[pos];
  const skipWs = () => {
    while (src[pos] === ' ') pos++;
  };
  function primary(): Quantity | undefined {
    skipWs();
    let q: Quantity | undefined;
    if (peek() === '(') {
      pos++;
      q = product();
      skipWs();
      if (peek() !== ')') return undefined;
      pos++;
    } else {
      const m = /^([a-z%]+|1)/.exec(src.slice(pos));
      if (!m) return undefined;
      pos += m[1].length;
      q = BASE[m[1]];
      if (!q) return undefined;
    }
    skipWs();
    if (src.startsWith('**', pos)) {
      pos += 2;
      const m = /^[+-]?\d+(\.\d+)?/.exec(src.slice(pos));
      if (!m) return undefined;
      pos += m[0].length;
      const p = Number(m[0]);
      if (!q) return undefined;
      const base: Quantity = q;
      q = { factor: base.factor ** p, dim: base.dim.map((d) => d * p) as Dim };
    }
    return q;
  }
  function product(): Quantity | undefined {
    let q = primary();
    while (q) {
      skipWs();
      const op = peek();
      if (op !== '*' && op !== '/') break;
      pos++;
      const r = primary();
      if (!r) return undefined;
      q = op === '*' ? { factor: q.factor * r.factor, dim: q.dim.map((d, i) => d + r.dim[i]) as Dim } : { factor: q.factor / r.factor, dim: q.dim.map((d, i) => d - r.dim[i]) as Dim };
    }
    return q;
  }
  const q = product();
  skipWs();
  return q && pos === src.length ? q : undefined;
}

/** Normalised spelling for comparing unit texts (case and blanks do not matter). */
export function sameUnit(a: string, b: string): boolean {
  return a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();
}

/**
 * Factor f such that value_in_`to` = f × value_in_`from`, or undefined when the two units are
 * not commensurable (or not understood).
 */
export function conversionFactor(from: string, to: string): number | undefined {
  const a = parseUnit(from);
  const b = parseUnit(to);
  if (!a || !b) return undefined;
  for (let i = 0; i < 5; i++) if (Math.abs(a.dim[i] - b.dim[i]) > 1e-12) return undefined;
  return a.factor / b.factor;
}
