/**
 * Error functions to full double precision, including the far tails, and a seeded random
 * generator for the Monte Carlo methods.
 *
 * JavaScript has no erf. Collision probabilities need erf/erfc in the tails (1e-30 and far
 * below), where `1 − erf(x)` cancels completely, so everything is built on the scaled
 * complementary error function erfcx(x) = exp(x²)·erfc(x), which is smooth and of order
 * 1/(x√π) for large x (DLMF 7.2.3, 7.12.1):
 *
 *  - x ≥ 6: Laplace's continued fraction erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …))))
 *    (DLMF 7.9.2), evaluated backwards from a fixed depth of 14 levels: at x ≥ 6 the
 *    truncation error of 14 levels is below 1e-16 (checked against 5,000 levels).
 *  - 0 ≤ x < 6: piecewise Chebyshev interpolants (24 pieces of width ¼, degree 8 to 11 after truncation) whose
 *    coefficients are computed once, at module load, from two slow but exact definitions:
 *    the all-positive series erf(x) = 2x/√π·e^{−x²}·Σ (2x²)ⁿ/(1·3·…·(2n+1)) (DLMF 7.6.2) for
 *    x < ½, and the same continued fraction evaluated backwards from 600/x² + 50 levels for x ≥ ½.
 *    (Deriving the table at load keeps it auditable: no magic coefficients.)
 *  - erf(x) for |x| < ½: the Maclaurin series (DLMF 7.6.1), 14 terms (truncation < 1e-19).
 *
 * Accuracy (test/special.test.ts, against published values of erf/erfc and the slow
 * definitions): relative error below 5e-15 for erfcx on [0, 30] and for erfc up to x = 26
 * (erfc ≈ 1e-296); the limit is the rounding accumulated by the continued fraction that
 * produced the table samples, not the interpolation.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const INV_SQRT_PI = 1 / SQRT_PI;
const TWO_OVER_SQRT_PI = 2 / SQRT_PI;

/** erf by the positive-term series (DLMF 7.6.2); exact but slow; used to build the tables. */
function erfPositiveSeries(x: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 1000; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
    if (term < 1e-18 * sum) break;
  }
  return TWO_OVER_SQRT_PI * x * Math.exp(-x * x) * sum;
}

/** erfcx by the continued fraction (DLMF 7.9.2) evaluated bottom-up from `depth` levels. */
function erfcxContinuedFraction(x: number, depth: number): number {
  let f = x;
  for (let n = depth; n >= 1; n--) f = x + n / 2 / f;
  return INV_SQRT_PI / f;
}

function erfcxReference(x: number): number {
  if (x < 0.5) return Math.exp(x * x) * (1 - erfPositiveSeries(x));
  // Depth 600/x² + 50 converges to the last bit for x ≥ ½ (checked against 40,000 levels);
  // a deeper evaluation only accumulates more rounding.
  return erfcxContinuedFraction(x, Math.ceil(600 / (x * x)) + 50);
}

const PIECE_WIDTH = 0.25;
const PIECES = 24;
const CF_FROM = PIECE_WIDTH * PIECES; // 6
const DEGREE = 17;

/**
 * Chebyshev coefficients of erfcx on each piece [kw, (k+1)w], from values at 18 Chebyshev
 * nodes; each piece keeps only the coefficients above 1e-16·c₀ (the rest is the rounding
 * noise of the samples), so `ERFCX_DEGREE[p]` is the degree actually used on piece p.
 */
export const ERFCX_DEGREE = new Int32Array(PIECES);
export const ERFCX_TABLE: Float64Array = (() => {
  const n = DEGREE + 1;
  const table = new Float64Array(PIECES * n);
  const f = new Float64Array(n);
  for (let p = 0; p < PIECES; p++) {
    const a = p * PIECE_WIDTH;
    const b = a + PIECE_WIDTH;
    for (let k = 0; k < n; k++) {
      const t = Math.cos((Math.PI * (k + 0.5)) / n);
      f[k] = erfcxReference(0.5 * (a + b) + 0.5 * (b - a) * t);
    }
    // The mean is taken out before the transform: the rounded cosine sums of a constant
    // would otherwise leave a ~1e-15 noise floor in every coefficient.
    let mean = 0;
    for (let k = 0; k < n; k++) mean += f[k] / n;
    let degree = 0;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (f[k] - mean) * Math.cos((Math.PI * j * (k + 0.5)) / n);
      const c = ((j === 0 ? 1 : 2) / n) * s + (j === 0 ? mean : 0);
      table[p * n + j] = c;
      if (Math.abs(c) > 1e-16 * Math.abs(table[p * n])) degree = j;
      else break;
    }
    for (let j = degree + 1; j < n; j++) table[p * n + j] = 0;
    ERFCX_DEGREE[p] = degree;
  }
  return table;
})();

/** Scaled complementary error function exp(x²)·erfc(x), for x ≥ 0 (NaN for negative x). */
export function erfcxNonNegative(x: number): number {
  if (!(x >= 0)) return NaN;
  if (x >= CF_FROM) {
    if (x === Infinity) return 0;
    let f = x;
    for (let n = 14; n >= 1; n--) f = x + n / 2 / f;
    return INV_SQRT_PI / f;
  }
  const p = Math.floor(x / PIECE_WIDTH);
  const a = p * PIECE_WIDTH;
  const t = (2 * (x - a)) / PIECE_WIDTH - 1;
  const base = p * (DEGREE + 1);
  // Clenshaw recurrence.
  let b1 = 0;
  let b2 = 0;
  const t2 = 2 * t;
  for (let j = ERFCX_DEGREE[p]; j >= 1; j--) {
    const b0 = t2 * b1 - b2 + ERFCX_TABLE[base + j];
    b2 = b1;
    b1 = b0;
  }
  return t * b1 - b2 + ERFCX_TABLE[base];
}

/** exp(x²)·erfc(x) for any real x (overflows to Infinity for x < −26.6). */
export function erfcx(x: number): number {
  if (x >= 0) return erfcxNonNegative(x);
  return 2 * Math.exp(x * x) - erfcxNonNegative(-x);
}

/** Complementary error function, accurate in relative terms far into the tail (≈ 1e-300). */
export function erfc(x: number): number {
  if (x >= 0) return Math.exp(-x * x) * erfcxNonNegative(x);
  if (x < 0) return 2 - Math.exp(-x * x) * erfcxNonNegative(-x);
  return NaN;
}

/** Error function, accurate in relative terms also near 0. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 0.5) {
    // Maclaurin series, Horner form in x²: Σ (−1)ⁿ x^{2n+1} / (n! (2n+1)).
    const z = x * x;
    let s = MACLAURIN[13];
    for (let n = 12; n >= 0; n--) s = s * z + MACLAURIN[n];
    return TWO_OVER_SQRT_PI * x * s;
  }
  if (!(ax >= 0)) return NaN;
  const r = 1 - Math.exp(-ax * ax) * erfcxNonNegative(ax);
  return x < 0 ? -r : r;
}

const MACLAURIN: Float64Array = (() => {
  const c = new Float64Array(14);
  let fact = 1;
  for (let n = 0; n < 14; n++) {
    if (n > 0) fact *= n;
    c[n] = (n % 2 === 0 ? 1 : -1) / (fact * (2 * n + 1));
  }
  return c;
})();

/**
 * ½[erf(a) − erf(b)] for a ≥ b, i.e. P(b < Z/√2 < a) for Z standard normal, written as
 * `scale · exp(−e)` with `e ≥ 0` returned separately so that far-tail values (below 1e-308)
 * keep their digits: result = exp(−e)·m. When both bounds are on the same side of 0 the
 * difference is taken between complementary functions (no cancellation).
 */
export function halfErfDiffScaled(a: number, b: number, out: { e: number; m: number }): void {
  if (b >= 0) {
    // ½[erfc(b) − erfc(a)] = ½ e^{−b²}[erfcx(b) − e^{b²−a²} erfcx(a)], a ≥ b ≥ 0.
    out.e = b * b;
    out.m = 0.5 * (erfcxNonNegative(b) - Math.exp((b - a) * (b + a)) * erfcxNonNegative(a));
  } else if (a <= 0) {
    out.e = a * a;
    out.m = 0.5 * (erfcxNonNegative(-a) - Math.exp((a - b) * (a + b)) * erfcxNonNegative(-b));
  } else {
    out.e = 0;
    out.m = 0.5 * (erf(a) - erf(b));
  }
}

/** ½[erf(a) − erf(b)], a ≥ b, without cancellation in the tails. */
export function halfErfDiff(a: number, b: number): number {
  if (b >= 0) return 0.5 * (erfc(b) - erfc(a));
  if (a <= 0) return 0.5 * (erfc(-a) - erfc(-b));
  return 0.5 * (erf(a) - erf(b));
}

/** Standard normal cumulative distribution Φ(x), accurate in both tails. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** ln Γ(n+1) = ln n! for integer n ≥ 0 (exact sum below 256, Stirling series above: DLMF 5.11.1). */
export function logFactorial(n: number): number {
  if (n < 256) {
    let s = 0;
    for (let k = 2; k <= n; k++) s += Math.log(k);
    return s;
  }
  const x = n + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x) + 1 / (1260 * x ** 5);
}

/** ln(eᵃ + eᵇ) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/**
 * xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS
 * 47(4), 2021): 32-bit state words, period 2¹²⁸ − 1; seeded through SplitMix32 so any integer
 * seed gives a well-mixed state. Deterministic for a given seed on every platform.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;

  constructor(seed: number) {
    let z = seed >>> 0;
    const next = () => {
      z = (z + 0x9e3779b9) | 0;
      let t = z ^ (z >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in (0, 1) with 53 random bits (never 0). */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo + 0.5) / 9007199254740992;
  }

  /** Standard normal deviate (Marsaglia polar method; the second deviate is kept). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Wilson score interval for a binomial proportion (E. B. Wilson, JASA 22, 1927), which stays
 * inside [0, 1] and is meaningful with zero hits, unlike the normal approximation.
 */
export function wilsonInterval(hits: number, trials: number, z = 1.959963984540054): [number, number] {
  if (trials <= 0) return [0, 1];
  const p = hits / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
