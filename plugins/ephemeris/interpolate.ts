/**
 * Polynomial interpolation of sampled Cartesian states (pure functions, no I/O).
 *
 * - Lagrange: positions and velocities are each interpolated by the polynomial of degree d
 *   through d + 1 consecutive samples, in the barycentric form (J.-P. Berrut and
 *   L. N. Trefethen, "Barycentric Lagrange Interpolation", SIAM Review 46(3), 2004, eq. 4.2,
 *   weights eq. 3.2), which is numerically stable and costs O(d²) per stencil.
 * - Hermite: the position polynomial matches positions AND velocities at m samples (degree
 *   2m − 1), built from divided differences with each node repeated twice (R. L. Burden and
 *   J. D. Faires, "Numerical Analysis", 9th ed., §3.4, Algorithm 3.3); the velocity is its
 *   derivative (Horner's scheme on the Newton form gives value and derivative together).
 *   A requested degree d uses m = max(2, ⌈(d + 1)/2⌉) samples, i.e. degree 2m − 1 ≥ d.
 *
 * Stencils are consecutive samples centred on the requested instant and shifted (never
 * shrunk) near the ends of a segment, so the degree is the same everywhere; a segment shorter
 * than the stencil uses all its samples (the degree is then lower, and the result says so).
 * Instants outside the samples are refused: no extrapolation.
 *
 * Times are seconds from a reference chosen by the caller; inside a stencil they are scaled
 * to about unit spacing so that the divided differences stay well conditioned.
 */

export type InterpolationMethod = 'lagrange' | 'hermite';

/** Samples of one continuous piece of trajectory: strictly increasing times. */
export interface SampledStates {
  /** Seconds from the caller's reference, strictly increasing. */
  readonly tS: Float64Array;
  /** x y z (km) vx vy vz (km/s) of each sample, 6 values per sample. */
  readonly posVelKm: Float64Array;
}

export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterpolationError';
  }
}

/** Number of samples a method needs for a degree (see the file comment). */
export function samplesFor(method: InterpolationMethod, degree: number): number {
  if (!Number.isInteger(degree) || degree < 1) throw new InterpolationError(`interpolation degree must be an integer ≥ 1, got ${degree}`);
  return method === 'lagrange' ? degree + 1 : Math.max(2, Math.ceil((degree + 1) / 2));
}

/** Degree of the position polynomial actually used with `n` samples. */
export function effectiveDegree(method: InterpolationMethod, n: number): number {
  return method === 'lagrange' ? n - 1 : 2 * n - 1;
}

/** Index of the last sample at or before t (binary search); −1 before the first. */
export function lastAtOrBefore(tS: Float64Array, t: number): number {
  let lo = 0;
  let hi = tS.length - 1;
  if (!(t >= tS[0])) return -1;
  if (t >= tS[hi]) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (tS[mid] <= t) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * First index of the `n` consecutive samples used at t: centred on the interval holding t
 * (an even count puts n/2 samples on each side; an odd count centres on the nearer sample),
 * then shifted inside [0, count − n].
 */
export function stencilStart(tS: Float64Array, t: number, n: number): number {
  const count = tS.length;
  if (n >= count) return 0;
  const k = Math.max(0, Math.min(count - 2, lastAtOrBefore(tS, t)));
  let start: number;
  if (n % 2 === 0) start = k - n / 2 + 1;
  else {
    const nearer = t - tS[k] <= tS[k + 1] - t ? k : k + 1;
    start = nearer - (n - 1) / 2;
  }
  return Math.max(0, Math.min(count - n, start));
}

/**
 * Interpolated state at t (seconds from the samples' reference) into `out` (6 values).
 * `t` must lie within [tS[0], tS[last]] (checked: no extrapolation). Returns the number of
 * samples used.
 */
export function interpolateState(samples: SampledStates, t: number, method: InterpolationMethod, degree: number, out: Float64Array | number[]): number {
  const { tS, posVelKm } = samples;
  const count = tS.length;
  if (count === 0) throw new InterpolationError('no samples to interpolate');
  if (!(t >= tS[0] && t <= tS[count - 1])) {
    throw new InterpolationError(`t = ${t} s is outside the samples [${tS[0]}, ${tS[count - 1]}] s: no extrapolation`);
  }
  const n = Math.min(samplesFor(method, degree), count);
  if (count === 1) {
    for (let c = 0; c < 6; c++) out[c] = posVelKm[c];
    return 1;
  }
  const start = stencilStart(tS, t, n);
  // Exact hit on a sample: its values, untouched by rounding.
  for (let i = start; i < start + n; i++) {
    if (tS[i] === t) {
      for (let c = 0; c < 6; c++) out[c] = posVelKm[6 * i + c];
      return n;
    }
  }
  if (method === 'lagrange') lagrange(tS, posVelKm, start, n, t, out);
  else hermite(tS, posVelKm, start, n, t, out);
  return n;
}

/** Barycentric Lagrange (second form) of the 6 components on samples start … start + n − 1. */
function lagrange(tS: Float64Array, pv: Float64Array, start: number, n: number, t: number, out: Float64Array | number[]): void {
  // Scaled abscissae x = (t − t_mid)/h keep the weights near unity whatever the step.
  const t0 = tS[start];
  const h = (tS[start + n - 1] - t0) / (n - 1);
  const x = (t - t0) / h;
  const xs = new Float64Array(n);
  for (let j = 0; j < n; j++) xs[j] = (tS[start + j] - t0) / h;
  let den = 0;
  let n0 = 0;
  let n1 = 0;
  let n2 = 0;
  let n3 = 0;
  let n4 = 0;
  let n5 = 0;
  for (let j = 0; j < n; j++) {
    const xj = xs[j];
    // 1/w_j = ∏_{k≠j} (x_j − x_k) (Berrut & Trefethen eq. 3.2), one division per sample.
    let p = x - xj;
    for (let k = 0; k < n; k++) if (k !== j) p *= xj - xs[k];
    const c = 1 / p;
    den += c;
    const o = 6 * (start + j);
    n0 += c * pv[o];
    n1 += c * pv[o + 1];
    n2 += c * pv[o + 2];
    n3 += c * pv[o + 3];
    n4 += c * pv[o + 4];
    n5 += c * pv[o + 5];
  }
  out[0] = n0 / den;
  out[1] = n1 / den;
  out[2] = n2 / den;
  out[3] = n3 / den;
  out[4] = n4 / den;
  out[5] = n5 / den;
}

/** Hermite (positions and velocities) on samples start … start + n − 1; velocity = derivative. */
function hermite(tS: Float64Array, pv: Float64Array, start: number, n: number, t: number, out: Float64Array | number[]): void {
  const t0 = tS[start];
  const h = (tS[start + n - 1] - t0) / (n - 1);
  const m = 2 * n;
  const z = new Float64Array(m);
  for (let i = 0; i < n; i++) z[2 * i] = z[2 * i + 1] = (tS[start + i] - t0) / h;
  const x = (t - t0) / h;
  const q = new Float64Array(m);
  for (let c = 0; c < 3; c++) {
    // Divided-difference table kept as one column, updated in place from the bottom (the
    // column j value at row i needs rows i and i − 1 of column j − 1).
    for (let i = 0; i < n; i++) q[2 * i] = q[2 * i + 1] = pv[6 * (start + i) + c];
    const coef = new Float64Array(m);
    coef[0] = q[0];
    for (let j = 1; j < m; j++) {
      for (let i = m - 1; i >= j; i--) {
        const dz = z[i] - z[i - j];
        // Repeated node (only for j = 1, i odd): f[z_i, z_i] = f'(z_i), the sample velocity in scaled time.
        q[i] = dz === 0 ? pv[6 * (start + (i >> 1)) + 3 + c] * h : (q[i] - q[i - 1]) / dz;
      }
      coef[j] = q[j];
    }
    // Horner on the Newton form: value p and derivative dp together.
    let p = coef[m - 1];
    let dp = 0;
    for (let k = m - 2; k >= 0; k--) {
      dp = dp * (x - z[k]) + p;
      p = p * (x - z[k]) + coef[k];
    }
    out[c] = p;
    out[3 + c] = dp / h;
  }
}
