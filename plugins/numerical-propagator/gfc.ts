import type { GravityField } from '../../interfaces/domain/reference-data';

/**
 * Reader of ICGEM gravity-field files (`.gfc`, format of the International Centre for Global
 * Earth Models, "ICGEM format" description, Barthelmes & Förste 2011): a header of
 * `keyword value` lines closed by `end_of_head`, then `gfc L M C S [sigmaC sigmaS]` rows.
 *
 * This is the numerical propagator's own fallback when no `gravity.provider` service runs
 * (a plugin cannot import another plugin's parser). Pure function: the caller reads the file.
 */
export class GfcFormatError extends Error {
  constructor(
    readonly source: string,
    readonly line: number | undefined,
    reason: string,
  ) {
    super(`${source}${line !== undefined ? `:${line}` : ''}: ${reason}`);
    this.name = 'GfcFormatError';
  }
}

/**
 * Parses an ICGEM file, keeping degrees/orders ≤ `maxDegree` (default: all). Only fully
 * normalized models are accepted (`norm fully_normalized`, or no `norm` keyword, which the
 * format defines as fully normalized). Units: μ in km³/s², radius in km.
 */
export function parseGfc(text: string, source: string, maxDegree = Infinity): GravityField {
  const lines = text.split(/\r?\n/);
  const head = new Map<string, string>();
  let i = 0;
  for (; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t.startsWith('end_of_head')) break;
    const m = /^(\S+)\s+(.*)$/.exec(t);
    if (m) head.set(m[1].toLowerCase(), m[2].trim());
  }
  if (i >= lines.length) throw new GfcFormatError(source, undefined, "no 'end_of_head' line: not an ICGEM .gfc file");
  const num = (key: string): number => {
    const v = head.get(key);
    if (v === undefined) throw new GfcFormatError(source, undefined, `header keyword '${key}' is missing`);
    const x = Number(v.replace(/[dD]/, 'e'));
    if (!Number.isFinite(x)) throw new GfcFormatError(source, undefined, `header keyword '${key}' = '${v}' is not a number`);
    return x;
  };
  const norm = head.get('norm') ?? 'fully_normalized';
  if (norm !== 'fully_normalized') throw new GfcFormatError(source, undefined, `norm '${norm}' is not supported (only fully_normalized)`);
  const fileDegree = num('max_degree');
  const degree = Math.min(fileDegree, maxDegree);
  const tide = head.get('tide_system');
  const tideSystem: GravityField['tideSystem'] = tide === 'zero_tide' || tide === 'tide_free' || tide === 'mean_tide' ? tide : 'unknown';
  const cnm: number[][] = [];
  const snm: number[][] = [];
  for (let n = 0; n <= degree; n++) {
    cnm.push(new Array<number>(n + 1).fill(NaN));
    snm.push(new Array<number>(n + 1).fill(NaN));
  }
  for (i = i + 1; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '') continue;
    const f = t.split(/\s+/);
    if (f[0] !== 'gfc') {
      if (f[0] === 'gfct' || f[0] === 'trnd' || f[0] === 'asin' || f[0] === 'acos') throw new GfcFormatError(source, i + 1, `time-variable key '${f[0]}' is not supported`);
      throw new GfcFormatError(source, i + 1, `unknown key '${f[0]}' (expected 'gfc')`);
    }
    const n = Number(f[1]);
    const m = Number(f[2]);
    const c = Number((f[3] ?? '').replace(/[dD]/, 'e'));
    const s = Number((f[4] ?? '').replace(/[dD]/, 'e'));
    if (!Number.isInteger(n) || !Number.isInteger(m) || m < 0 || m > n) throw new GfcFormatError(source, i + 1, `bad degree/order '${f[1]} ${f[2]}'`);
    if (!Number.isFinite(c) || !Number.isFinite(s)) throw new GfcFormatError(source, i + 1, `coefficients '${f[3]} ${f[4]}' of (${n}, ${m}) are not numbers`);
    if (n > degree) continue;
    cnm[n][m] = c;
    snm[n][m] = s;
  }
  for (let n = 0; n <= degree; n++)
    for (let m = 0; m <= n; m++) {
      if (Number.isNaN(cnm[n][m])) {
        // The format allows leaving out zero coefficients (degree 1 of geocentric models).
        if (n <= 1) {
          cnm[n][m] = n === 0 ? 1 : 0;
          snm[n][m] = 0;
        } else throw new GfcFormatError(source, undefined, `coefficient (${n}, ${m}) is missing`);
      }
    }
  return {
    name: head.get('modelname') ?? source,
    muKm3S2: num('earth_gravity_constant') / 1e9,
    radiusKm: num('radius') / 1e3,
    degree,
    order: degree,
    tideSystem,
    cnm,
    snm,
  };
}
