import type { GravityField } from '../../interfaces/domain/reference-data';

/**
 * Spherical-harmonic geopotential with fully normalized coefficients, evaluated in the
 * Earth-fixed frame with the V/W recursion of Cunningham (1970) as given by Montenbruck &
 * Gill, "Satellite Orbits" (2000), §3.2.4–3.2.5 (eqs. 3.29–3.33), rewritten for normalized
 * V̄_nm = N_nm V_nm with N_nm = √((2 − δ_m0)(2n + 1)(n − m)!/(n + m)!) so that the products
 * C̄_nm V̄_nm equal C_nm V_nm and no factorial ever appears (the unnormalized form overflows /
 * underflows at high degree; the normalized one is stable to degree ≫ 70, cf. Holmes &
 * Featherstone 2002, who show the fixed-order column recursion used here is stable up to
 * degree ~ 2700 away from the poles). The ratio factors below are N_nm / N_n'm' worked out
 * from that definition:
 *
 *   V̄_00 = R/r,  W̄_00 = 0
 *   V̄_mm = s_m (x̃ V̄_{m−1,m−1} − ỹ W̄_{m−1,m−1}),  W̄_mm = s_m (x̃ W̄_{m−1,m−1} + ỹ V̄_{m−1,m−1})
 *          s_1 = √3, s_m = √((2m + 1)/(2m)) for m ≥ 2                       (M&G 3.30)
 *   V̄_nm = a_nm z̃ V̄_{n−1,m} − b_nm ρ̃ V̄_{n−2,m}  (same for W̄)                (M&G 3.31)
 *          a_nm = √((2n + 1)(2n − 1)/((n − m)(n + m)))
 *          b_nm = √((2n + 1)(n + m − 1)(n − m − 1)/((2n − 3)(n + m)(n − m)))
 *   with x̃ = xR/r², ỹ = yR/r², z̃ = zR/r², ρ̃ = R²/r².
 *
 * Potential U = GM/R Σ (C̄_nm V̄_nm + S̄_nm W̄_nm) (M&G 3.26, 3.28); acceleration M&G 3.33 with
 * the normalization ratios folded into f1…f4 (see `accelerationItrf`).
 */
export class Geopotential {
  readonly degree: number;
  readonly order: number;
  readonly muKm3S2: number;
  readonly radiusKm: number;
  readonly name: string;
  /** Packed lower-triangular arrays, index n(n+1)/2 + m, for n ≤ degree + 2 (V̄, W̄ of degree n + 2 for the gradient). */
  private readonly c: Float64Array;
  private readonly s: Float64Array;
  private readonly v: Float64Array;
  private readonly w: Float64Array;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly sect: Float64Array;
  private readonly f1: Float64Array;
  private readonly f2: Float64Array;
  private readonly f3: Float64Array;
  private readonly f4: Float64Array;
  /** C̄·f and S̄·f products, 3 per (n, m): (f1 for m = 0 | f2), f3, f4. */
  private readonly cf: Float64Array;
  private readonly sf: Float64Array;
  /**
   * Column-major tables of the fused acceleration pass (see `accelerationItrf`): for every
   * (n′, j) with 1 ≤ n′ ≤ degree + 1, 0 ≤ j ≤ min(n′, order + 1), column after column, 8 numbers:
   * the recursion factors a_{n′j}, b_{n′j} and the six weights of V̄_{n′j}, W̄_{n′j} in ẍ, ÿ, z̈.
   */
  private readonly fused: Float64Array;
  /** Number of entries of each column j in `fused`. */
  private readonly columnLength: Int32Array;

  constructor(field: GravityField, degree: number, order: number) {
    if (!Number.isInteger(degree) || degree < 0) throw new RangeError(`geopotential degree ${degree} must be an integer ≥ 0`);
    if (!Number.isInteger(order) || order < 0 || order > degree) throw new RangeError(`geopotential order ${order} must be an integer in [0, degree = ${degree}]`);
    if (degree > field.degree) throw new RangeError(`geopotential degree ${degree} exceeds the ${field.name} model's degree ${field.degree}`);
    if (order > field.order) throw new RangeError(`geopotential order ${order} exceeds the ${field.name} model's order ${field.order}`);
    this.degree = degree;
    this.order = order;
    this.muKm3S2 = field.muKm3S2;
    this.radiusKm = field.radiusKm;
    this.name = field.name;
    const nMax = degree + 2;
    const size = ((nMax + 1) * (nMax + 2)) / 2;
    this.c = new Float64Array(size);
    this.s = new Float64Array(size);
    this.v = new Float64Array(size);
    this.w = new Float64Array(size);
    this.a = new Float64Array(size);
    this.b = new Float64Array(size);
    this.f1 = new Float64Array(size);
    this.f2 = new Float64Array(size);
    this.f3 = new Float64Array(size);
    this.f4 = new Float64Array(size);
    this.sect = new Float64Array(nMax + 1);
    for (let n = 0; n <= degree; n++) {
      for (let m = 0; m <= Math.min(n, order); m++) {
        const cv = field.cnm[n]?.[m];
        const sv = field.snm[n]?.[m];
        if (typeof cv !== 'number' || typeof sv !== 'number' || !Number.isFinite(cv) || !Number.isFinite(sv)) throw new RangeError(`${field.name}: coefficient (${n}, ${m}) is missing or not finite`);
        this.c[idx(n, m)] = cv;
        this.s[idx(n, m)] = sv;
      }
    }
    for (let m = 1; m <= nMax; m++) this.sect[m] = m === 1 ? Math.sqrt(3) : Math.sqrt((2 * m + 1) / (2 * m));
    for (let n = 1; n <= nMax; n++)
      for (let m = 0; m < n; m++) {
        const k = idx(n, m);
        this.a[k] = Math.sqrt(((2 * n + 1) * (2 * n - 1)) / ((n - m) * (n + m)));
        this.b[k] = n - m >= 2 ? Math.sqrt(((2 * n + 1) * (n + m - 1) * (n - m - 1)) / ((2 * n - 3) * (n + m) * (n - m))) : 0;
      }
    for (let n = 0; n <= degree; n++)
      for (let m = 0; m <= n; m++) {
        const k = idx(n, m);
        const q = (2 * n + 1) / (2 * n + 3);
        this.f1[k] = Math.sqrt((q * (n + 1) * (n + 2)) / 2);
        this.f2[k] = Math.sqrt(q * (n + m + 1) * (n + m + 2));
        this.f3[k] = m >= 1 ? Math.sqrt((m === 1 ? 2 : 1) * q * (n - m + 2) * (n - m + 1)) : 0;
        this.f4[k] = Math.sqrt(q * (n + m + 1) * (n - m + 1));
      }
    this.cf = new Float64Array(3 * size);
    this.sf = new Float64Array(3 * size);
    for (let n = 0; n <= degree; n++)
      for (let m = 0; m <= n; m++) {
        const k = idx(n, m);
        this.cf[3 * k] = this.c[k] * (m === 0 ? this.f1[k] : this.f2[k]);
        this.cf[3 * k + 1] = this.c[k] * this.f3[k];
        this.cf[3 * k + 2] = this.c[k] * this.f4[k];
        this.sf[3 * k] = this.s[k] * this.f2[k];
        this.sf[3 * k + 1] = this.s[k] * this.f3[k];
        this.sf[3 * k + 2] = this.s[k] * this.f4[k];
      }
    const jTop = Math.min(order + 1, degree + 1);
    let entries = 0;
    for (let j = 0; j <= jTop; j++) entries += degree + 1 - Math.max(j, 1) + 1;
    this.fused = new Float64Array(8 * entries);
    this.columnLength = new Int32Array(jTop + 1);
    this.buildFused();
  }

  /**
   * Builds the fused tables. The acceleration terms of degree n (M&G 3.33, normalized, see
   * `accelerationItrf`) use V̄, W̄ of degree n′ = n + 1 only, in columns m − 1, m, m + 1: so each
   * V̄_{n′j}, W̄_{n′j} enters ẍ, ÿ, z̈ with fixed weights gathered from the three orders m = j + 1
   * (f3 term), m = j (f4 term), m = j − 1 (f2 term; f1 for m = 0):
   *   ẍ += (−½ C̄f2|_{j−1} + ½ C̄f3|_{j+1}) V̄ + (−½ S̄f2|_{j−1} + ½ S̄f3|_{j+1}) W̄
   *   ÿ += (½ S̄f2|_{j−1} + ½ S̄f3|_{j+1}) V̄ + (−½ C̄f2|_{j−1} − ½ C̄f3|_{j+1}) W̄
   *   z̈ −= C̄f4|_j V̄ + S̄f4|_j W̄
   * (for j = 1 the m = 0 term −C̄f1 V̄, −C̄f1 W̄ takes the place of the f2 one), each weight zero
   * when its order is outside 0 ≤ m ≤ min(n, order).
   */
  private buildFused(): void {
    const N = this.degree;
    const M = this.order;
    const cf = this.cf;
    const sf = this.sf;
    const jTop = Math.min(M + 1, N + 1);
    const has = (n: number, m: number): boolean => m >= 0 && m <= Math.min(n, M);
    let q = 0;
    for (let j = 0; j <= jTop; j++) {
      this.columnLength[j] = N + 1 - Math.max(j, 1) + 1;
      for (let np = Math.max(j, 1); np <= N + 1; np++) {
        const n = np - 1;
        const o = 8 * q++;
        this.fused[o] = np > j ? this.a[idx(np, j)] : 0;
        this.fused[o + 1] = np > j ? this.b[idx(np, j)] : 0;
        let xv = 0, xw = 0, yv = 0, yw = 0, zv = 0, zw = 0;
        if (has(n, j - 1)) {
          const k = 3 * idx(n, j - 1);
          if (j - 1 === 0) {
            xv -= cf[k];
            yw -= cf[k];
          } else {
            xv -= 0.5 * cf[k];
            xw -= 0.5 * sf[k];
            yv += 0.5 * sf[k];
            yw -= 0.5 * cf[k];
          }
        }
        if (has(n, j + 1)) {
          const k = 3 * idx(n, j + 1) + 1;
          xv += 0.5 * cf[k];
          xw += 0.5 * sf[k];
          yv += 0.5 * sf[k];
          yw -= 0.5 * cf[k];
        }
        if (has(n, j)) {
          const k = 3 * idx(n, j) + 2;
          zv -= cf[k];
          zw -= sf[k];
        }
        this.fused[o + 2] = xv;
        this.fused[o + 3] = xw;
        this.fused[o + 4] = yv;
        this.fused[o + 5] = yw;
        this.fused[o + 6] = zv;
        this.fused[o + 7] = zw;
      }
    }
  }

  /** Weights of the gradient (see `gradientItrf`), built on first use. */
  private grad?: { k: Int32Array; w: Float64Array };

  /**
   * Second derivatives of U as weights on V̄, W̄ of degree n + 2. Cunningham's derivative rules
   * (M&G 2000 §3.2.5, the relations behind eq. 3.33), written for normalized V̄, W̄ with the
   * normalization ratios f1…f4 of `accelerationItrf` (f(n, m) evaluated at the degree and order
   * being differentiated), each derivative carrying 1/R:
   *   ∂/∂x V̄_nm = ½(−f2 V̄_{n+1,m+1} + f3 V̄_{n+1,m−1})  (m ≥ 1),   −f1 V̄_{n+1,1}  (m = 0)
   *   ∂/∂x W̄_nm = ½(−f2 W̄_{n+1,m+1} + f3 W̄_{n+1,m−1})  (m ≥ 1),   0 (W̄_n0 ≡ 0)
   *   ∂/∂y V̄_nm = ½(−f2 W̄_{n+1,m+1} − f3 W̄_{n+1,m−1})  (m ≥ 1),   −f1 W̄_{n+1,1}  (m = 0)
   *   ∂/∂y W̄_nm = ½( f2 V̄_{n+1,m+1} + f3 V̄_{n+1,m−1})  (m ≥ 1),   0
   *   ∂/∂z V̄_nm = −f4 V̄_{n+1,m},   ∂/∂z W̄_nm = −f4 W̄_{n+1,m} (m ≥ 1), 0
   * (the first derivatives give exactly the acceleration formula; applying the rules twice
   * gives ∂²U/∂x_i∂x_j). Weights of the six distinct components xx, xy, xz, yy, yz, zz are
   * summed per (n + 2, m″) entry: 12 numbers (V̄ and W̄ weights) per entry.
   */
  private gradientTable(): { k: Int32Array; w: Float64Array } {
    if (this.grad) return this.grad;
    type Term = [kind: 0 | 1, n: number, m: number, f: number];
    const q = (n: number): number => (2 * n + 1) / (2 * n + 3);
    const f1 = (n: number): number => Math.sqrt((q(n) * (n + 1) * (n + 2)) / 2);
    const f2 = (n: number, m: number): number => Math.sqrt(q(n) * (n + m + 1) * (n + m + 2));
    const f3 = (n: number, m: number): number => Math.sqrt((m === 1 ? 2 : 1) * q(n) * (n - m + 2) * (n - m + 1));
    const f4 = (n: number, m: number): number => Math.sqrt(q(n) * (n + m + 1) * (n - m + 1));
    // derivative of V̄ (kind 0) or W̄ (kind 1) of (n, m) along axis 0/1/2
    const d = (kind: 0 | 1, n: number, m: number, axis: number): Term[] => {
      if (kind === 1 && m === 0) return [];
      if (axis === 2) return [[kind, n + 1, m, -f4(n, m)]];
      if (m === 0) return [[axis === 0 ? 0 : 1, n + 1, 1, -f1(n)]];
      const p = f2(n, m) / 2;
      const r = f3(n, m) / 2;
      if (axis === 0) return [[kind, n + 1, m + 1, -p], [kind, n + 1, m - 1, r]];
      return kind === 0 ? [[1, n + 1, m + 1, -p], [1, n + 1, m - 1, -r]] : [[0, n + 1, m + 1, p], [0, n + 1, m - 1, r]];
    };
    const pairs: [number, number][] = [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]];
    const table = new Map<number, Float64Array>();
    for (let n = 0; n <= this.degree; n++)
      for (let m = 0; m <= Math.min(n, this.order); m++) {
        const k0 = idx(n, m);
        for (const [kind, coef] of [[0, this.c[k0]], [1, this.s[k0]]] as const) {
          if (coef === 0) continue;
          pairs.forEach(([i, j], slot) => {
            for (const [k1, n1, m1, w1] of d(kind, n, m, i))
              for (const [k2, n2, m2, w2] of d(k1, n1, m1, j)) {
                const key = idx(n2, m2);
                let e = table.get(key);
                if (!e) table.set(key, (e = new Float64Array(12)));
                e[2 * slot + k2] += coef * w1 * w2;
              }
          });
        }
      }
    const keys = [...table.keys()].sort((a, b) => a - b);
    const w = new Float64Array(12 * keys.length);
    keys.forEach((key, i) => w.set(table.get(key)!, 12 * i));
    this.grad = { k: Int32Array.from(keys), w };
    return this.grad;
  }

  /**
   * Gradient of the acceleration (∂²U/∂x_i∂x_j, 1/s², symmetric, central term included) at an
   * Earth-fixed position (km), row-major 3×3 into out[0..8]. Checked against central
   * differences of `accelerationItrf` in geopotential.test.ts.
   */
  gradientItrf(x: number, y: number, z: number, out: Float64Array | number[]): void {
    const t = this.gradientTable();
    this.recurse(x, y, z, this.degree + 2, Math.min(this.order + 2, this.degree + 2));
    const v = this.v;
    const w = this.w;
    let xx = 0, xy = 0, xz = 0, yy = 0, yz = 0, zz = 0;
    const W = t.w;
    for (let i = 0, q = 0; i < t.k.length; i++, q += 12) {
      const vv = v[t.k[i]];
      const ww = w[t.k[i]];
      xx += W[q] * vv + W[q + 1] * ww;
      xy += W[q + 2] * vv + W[q + 3] * ww;
      xz += W[q + 4] * vv + W[q + 5] * ww;
      yy += W[q + 6] * vv + W[q + 7] * ww;
      yz += W[q + 8] * vv + W[q + 9] * ww;
      zz += W[q + 10] * vv + W[q + 11] * ww;
    }
    const g = this.muKm3S2 / (this.radiusKm * this.radiusKm * this.radiusKm);
    out[0] = g * xx;
    out[1] = out[3] = g * xy;
    out[2] = out[6] = g * xz;
    out[4] = g * yy;
    out[5] = out[7] = g * yz;
    out[8] = g * zz;
  }

  /** Fills V̄, W̄ up to degree `nTop` and orders ≤ min(n, mTop). */
  private recurse(x: number, y: number, z: number, nTop: number, mTop: number): void {
    const R = this.radiusKm;
    const r2 = x * x + y * y + z * z;
    const xt = (x * R) / r2;
    const yt = (y * R) / r2;
    const zt = (z * R) / r2;
    const rho = (R * R) / r2;
    const v = this.v;
    const w = this.w;
    const a = this.a;
    const b = this.b;
    v[0] = R / Math.sqrt(r2);
    w[0] = 0;
    for (let m = 0; m <= mTop; m++) {
      const kmm = idx(m, m);
      if (m > 0) {
        const kp = idx(m - 1, m - 1);
        const sm = this.sect[m];
        v[kmm] = sm * (xt * v[kp] - yt * w[kp]);
        w[kmm] = sm * (xt * w[kp] + yt * v[kp]);
      }
      if (m + 1 > nTop) break;
      const k1 = idx(m + 1, m);
      v[k1] = a[k1] * zt * v[kmm];
      w[k1] = a[k1] * zt * w[kmm];
      for (let n = m + 2; n <= nTop; n++) {
        const k = idx(n, m);
        const k1n = idx(n - 1, m);
        const k2n = idx(n - 2, m);
        v[k] = a[k] * zt * v[k1n] - b[k] * rho * v[k2n];
        w[k] = a[k] * zt * w[k1n] - b[k] * rho * w[k2n];
      }
    }
  }

  /** Gravitational potential (km²/s², positive convention U = GM/r + …) at an Earth-fixed position (km). */
  potential(x: number, y: number, z: number): number {
    this.recurse(x, y, z, this.degree, this.order);
    let sum = 0;
    for (let n = this.degree; n >= 0; n--)
      for (let m = Math.min(n, this.order); m >= 0; m--) {
        const k = idx(n, m);
        sum += this.c[k] * this.v[k] + this.s[k] * this.w[k];
      }
    return (this.muKm3S2 / this.radiusKm) * sum;
  }

  /**
   * Acceleration (km/s²) at an Earth-fixed position (km), in Earth-fixed axes, written to
   * `out[o..o+2]`. Includes the central term GM/r². M&G eq. 3.33, normalized:
   *   m = 0: ẍ −= C̄ f1 V̄_{n+1,1},  ÿ −= C̄ f1 W̄_{n+1,1}
   *   m > 0: ẍ += ½[−f2 (C̄ V̄_{n+1,m+1} + S̄ W̄_{n+1,m+1}) + f3 (C̄ V̄_{n+1,m−1} + S̄ W̄_{n+1,m−1})]
   *          ÿ += ½[−f2 (C̄ W̄_{n+1,m+1} − S̄ V̄_{n+1,m+1}) + f3 (−C̄ W̄_{n+1,m−1} + S̄ V̄_{n+1,m−1})]
   *   all m: z̈ −= f4 (C̄ V̄_{n+1,m} + S̄ W̄_{n+1,m})
   * with f1 = √((2n+1)(n+1)(n+2)/(2(2n+3))), f2 = √((2n+1)(n+m+1)(n+m+2)/(2n+3)),
   * f3 = √(k(2n+1)(n−m+2)(n−m+1)/(2n+3)) (k = 2 for m = 1, else 1), f4 = √((2n+1)(n+m+1)(n−m+1)/(2n+3)).
   * Summed from the highest degree down so the small terms are added first.
   */
  accelerationItrf(x: number, y: number, z: number, out: Float64Array | number[], o = 0): void {
    // One pass, column by column (order j = 0 … order + 1), each column by increasing degree:
    // the recursion values are consumed as soon as they are made, with the weights of
    // `buildFused` — no V̄/W̄ table is written or read back, no index arithmetic in the loop.
    const R = this.radiusKm;
    const r2 = x * x + y * y + z * z;
    const xt = (x * R) / r2;
    const yt = (y * R) / r2;
    const zt = (z * R) / r2;
    const rho = (R * R) / r2;
    const F = this.fused;
    const len = this.columnLength;
    const sect = this.sect;
    const jTop = len.length - 1;
    let ax = 0;
    let ay = 0;
    let az = 0;
    // diagonal element V̄_jj, W̄_jj of the current column
    let vd = R / Math.sqrt(r2);
    let wd = 0;
    let q = 0;
    for (let j = 0; j <= jTop; j++) {
      if (j > 0) {
        const sm = sect[j];
        const v = sm * (xt * vd - yt * wd);
        wd = sm * (xt * wd + yt * vd);
        vd = v;
      }
      // column j: V̄_{n′−2}, V̄_{n′−1} (start: nothing below the diagonal, the diagonal itself)
      let v2 = 0;
      let w2 = 0;
      let v1 = vd;
      let w1 = wd;
      const end = q + 8 * len[j];
      if (j > 0) {
        // first entry is the diagonal (n′ = j ≥ 1): its weights apply to vd, wd directly
        ax += F[q + 2] * vd + F[q + 3] * wd;
        ay += F[q + 4] * vd + F[q + 5] * wd;
        az += F[q + 6] * vd + F[q + 7] * wd;
        q += 8;
      }
      for (; q < end; q += 8) {
        const az_ = F[q] * zt;
        const bz = F[q + 1] * rho;
        const v = az_ * v1 - bz * v2;
        const w = az_ * w1 - bz * w2;
        ax += F[q + 2] * v + F[q + 3] * w;
        ay += F[q + 4] * v + F[q + 5] * w;
        az += F[q + 6] * v + F[q + 7] * w;
        v2 = v1;
        w2 = w1;
        v1 = v;
        w1 = w;
      }
    }
    const g = this.muKm3S2 / (R * R);
    out[o] = g * ax;
    out[o + 1] = g * ay;
    out[o + 2] = g * az;
  }
}

/** Packed index of (n, m); an integer (|0) so typed-array accesses stay on the fast path. */
function idx(n: number, m: number): number {
  return (((n * (n + 1)) >> 1) + m) | 0;
}
