/**
 * Dense linear algebra for the small matrices of flight dynamics (3×3, 6×6 covariances,
 * least-squares normal matrices of a few tens of parameters): products, covariance
 * transforms, and the decompositions orbit determination needs — Cholesky, Householder
 * QR and least squares, SVD, symmetric eigen-decomposition, SPD inverse and covariance
 * repair by eigenvalue clipping.
 *
 * Matrices are row-major `number[][]` (`m[row][col]`), like `Mat3` in ./vec, so a 3×3 from
 * vec.ts is accepted as is. Every function returns new arrays and leaves its inputs alone.
 *
 * Why not ml-matrix (evaluated, not a dependency) for the decompositions: its EVD/SVD are the JAMA
 * Golub–Kahan/QL ports, accurate in the absolute sense but not in the relative one; the
 * one-sided and two-sided Jacobi methods here are short, allocation-light on plain arrays,
 * and compute small eigen/singular values of graded covariance matrices to high relative
 * accuracy (Demmel & Veselić, SIAM J. Matrix Anal. Appl. 13 (1992) 1204–1245), which is
 * what a covariance with km² and (m/s)² blocks needs. Sizes here are ≤ ~50, where
 * Jacobi's O(n³) per sweep is immaterial.
 */

export type Matrix = number[][];
export type ReadonlyMatrix = readonly (readonly number[])[];

export type LinearAlgebraErrorReason = 'SHAPE' | 'NOT_POSITIVE_DEFINITE' | 'NOT_SYMMETRIC' | 'RANK_DEFICIENT' | 'NO_CONVERGENCE' | 'NOT_FINITE';

export class LinearAlgebraError extends Error {
  constructor(
    readonly reason: LinearAlgebraErrorReason,
    message: string,
    /** Offending pivot / column / row index, when there is one. */
    readonly index?: number,
    /** Offending value (e.g. the non-positive pivot), when there is one. */
    readonly value?: number,
  ) {
    super(message);
    this.name = 'LinearAlgebraError';
  }
}

const EPS = Number.EPSILON;

// ---------------------------------------------------------------------------------------
// Shapes and products
// ---------------------------------------------------------------------------------------

function shape(a: ReadonlyMatrix, name: string): [number, number] {
  const rows = a.length;
  if (rows === 0) throw new LinearAlgebraError('SHAPE', `${name} has no rows`);
  const cols = a[0].length;
  for (let i = 0; i < rows; i++) {
    if (a[i].length !== cols) throw new LinearAlgebraError('SHAPE', `${name} row ${i} has ${a[i].length} columns, row 0 has ${cols}`, i);
    for (let j = 0; j < cols; j++) {
      if (!Number.isFinite(a[i][j])) throw new LinearAlgebraError('NOT_FINITE', `${name}[${i}][${j}] = ${a[i][j]} is not finite`, i, a[i][j]);
    }
  }
  return [rows, cols];
}

function square(a: ReadonlyMatrix, name: string): number {
  const [r, c] = shape(a, name);
  if (r !== c) throw new LinearAlgebraError('SHAPE', `${name} must be square, got ${r}×${c}`);
  return r;
}

export function zeros(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

export function identity(n: number): Matrix {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m[i][i] = 1;
  return m;
}

export function copy(a: ReadonlyMatrix): Matrix {
  return a.map((r) => r.slice());
}

export function transpose(a: ReadonlyMatrix): Matrix {
  const [r, c] = shape(a, 'A');
  const t = zeros(c, r);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j][i] = a[i][j];
  return t;
}

/** A · B */
export function multiply(a: ReadonlyMatrix, b: ReadonlyMatrix): Matrix {
  const [ar, ac] = shape(a, 'A');
  const [br, bc] = shape(b, 'B');
  if (ac !== br) throw new LinearAlgebraError('SHAPE', `cannot multiply ${ar}×${ac} by ${br}×${bc}`);
  const out = zeros(ar, bc);
  for (let i = 0; i < ar; i++) {
    const ai = a[i];
    const oi = out[i];
    for (let k = 0; k < ac; k++) {
      const aik = ai[k];
      if (aik === 0) continue;
      const bk = b[k];
      for (let j = 0; j < bc; j++) oi[j] += aik * bk[j];
    }
  }
  return out;
}

/** A · x */
export function multiplyVector(a: ReadonlyMatrix, x: ArrayLike<number>): number[] {
  const [r, c] = shape(a, 'A');
  if (x.length !== c) throw new LinearAlgebraError('SHAPE', `cannot multiply ${r}×${c} by a vector of length ${x.length}`);
  const out = new Array<number>(r).fill(0);
  for (let i = 0; i < r; i++) {
    let s = 0;
    for (let j = 0; j < c; j++) s += a[i][j] * x[j];
    out[i] = s;
  }
  return out;
}

export function add(a: ReadonlyMatrix, b: ReadonlyMatrix): Matrix {
  const [r, c] = shape(a, 'A');
  const [br, bc] = shape(b, 'B');
  if (r !== br || c !== bc) throw new LinearAlgebraError('SHAPE', `cannot add ${r}×${c} and ${br}×${bc}`);
  return a.map((row, i) => row.map((v, j) => v + b[i][j]));
}

export function subtract(a: ReadonlyMatrix, b: ReadonlyMatrix): Matrix {
  const [r, c] = shape(a, 'A');
  const [br, bc] = shape(b, 'B');
  if (r !== br || c !== bc) throw new LinearAlgebraError('SHAPE', `cannot subtract ${br}×${bc} from ${r}×${c}`);
  return a.map((row, i) => row.map((v, j) => v - b[i][j]));
}

export function scale(a: ReadonlyMatrix, k: number): Matrix {
  return a.map((row) => row.map((v) => v * k));
}

/** (A + Aᵀ)/2: removes the round-off asymmetry products leave in a covariance. */
export function symmetrize(a: ReadonlyMatrix): Matrix {
  const n = square(a, 'A');
  const s = zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i][j] = 0.5 * (a[i][j] + a[j][i]);
  return s;
}

/**
 * A · B · Aᵀ, the transformation of a covariance B by a linear map A (a state-transition
 * matrix, a frame rotation, a Jacobian): Cov(Ax) = A Cov(x) Aᵀ. Symmetrized when B is
 * symmetric, so repeated propagation does not drift away from symmetry.
 */
export function congruence(a: ReadonlyMatrix, b: ReadonlyMatrix): Matrix {
  const out = multiply(multiply(a, b), transpose(a));
  return isSymmetric(b, 0) ? symmetrize(out) : out;
}

/** Sub-matrix of `rows`×`cols` starting at (r0, c0): e.g. the position block of a 6×6 covariance. */
export function block(a: ReadonlyMatrix, r0: number, c0: number, rows: number, cols: number): Matrix {
  const [r, c] = shape(a, 'A');
  if (r0 < 0 || c0 < 0 || r0 + rows > r || c0 + cols > c) {
    throw new LinearAlgebraError('SHAPE', `block ${rows}×${cols} at (${r0}, ${c0}) does not fit in ${r}×${c}`);
  }
  return Array.from({ length: rows }, (_, i) => a[r0 + i].slice(c0, c0 + cols));
}

/** Frobenius norm. */
export function frobeniusNorm(a: ReadonlyMatrix): number {
  let s = 0;
  for (const row of a) for (const v of row) s += v * v;
  return Math.sqrt(s);
}

/** True when |a_ij − a_ji| ≤ relTol · max|a| for all i, j. */
export function isSymmetric(a: ReadonlyMatrix, relTol = 1e-12): boolean {
  const n = a.length;
  if (n === 0 || a[0].length !== n) return false;
  let big = 0;
  for (const row of a) for (const v of row) big = Math.max(big, Math.abs(v));
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (Math.abs(a[i][j] - a[j][i]) > relTol * big) return false;
  return true;
}

function requireSymmetric(a: ReadonlyMatrix, name: string, relTol = 1e-10): number {
  const n = square(a, name);
  let big = 0;
  for (const row of a) for (const v of row) big = Math.max(big, Math.abs(v));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(a[i][j] - a[j][i]) > relTol * big) {
        throw new LinearAlgebraError('NOT_SYMMETRIC', `${name} is not symmetric: [${i}][${j}] = ${a[i][j]} but [${j}][${i}] = ${a[j][i]}`, i);
      }
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------
// Cholesky
// ---------------------------------------------------------------------------------------

/**
 * Cholesky factor L (lower triangular, positive diagonal) with A = L Lᵀ (Golub & Van Loan,
 * "Matrix Computations", 4th ed., §4.2.5, Algorithm 4.2.2, the gaxpy/row form). Reads the
 * lower triangle of A only. A pivot d_j = a_jj − Σ_k l_jk² ≤ 0 proves A is not positive
 * definite; the error names that pivot and its value.
 */
export function cholesky(a: ReadonlyMatrix): Matrix {
  const n = square(a, 'A');
  const l = zeros(n, n);
  for (let j = 0; j < n; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= l[j][k] * l[j][k];
    if (!(d > 0)) {
      throw new LinearAlgebraError(
        'NOT_POSITIVE_DEFINITE',
        `matrix is not positive definite: Cholesky pivot ${j} (diagonal element [${j}][${j}] = ${a[j][j]}) reduces to ${d} ≤ 0`,
        j,
        d,
      );
    }
    const ljj = Math.sqrt(d);
    l[j][j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / ljj;
    }
  }
  return l;
}

/** Solves (L Lᵀ) x = b given the Cholesky factor L (forward then back substitution). */
export function choleskySolve(l: ReadonlyMatrix, b: ArrayLike<number>): number[] {
  const n = square(l, 'L');
  if (b.length !== n) throw new LinearAlgebraError('SHAPE', `right-hand side has length ${b.length}, expected ${n}`);
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
  }
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}

/**
 * Inverse of a symmetric positive-definite matrix through its Cholesky factor:
 * A⁻¹ = L⁻ᵀ L⁻¹ (Golub & Van Loan §4.2), returned exactly symmetric. Throws
 * NOT_POSITIVE_DEFINITE (naming the pivot) when A is not SPD.
 */
export function inverseSpd(a: ReadonlyMatrix): Matrix {
  const l = cholesky(a);
  const n = l.length;
  // M = L⁻¹ (lower triangular), by forward substitution column by column.
  const m = zeros(n, n);
  for (let j = 0; j < n; j++) {
    m[j][j] = 1 / l[j][j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i][k] * m[k][j];
      m[i][j] = s / l[i][i];
    }
  }
  const inv = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += m[k][i] * m[k][j];
      inv[i][j] = s;
      inv[j][i] = s;
    }
  }
  return inv;
}

// ---------------------------------------------------------------------------------------
// Householder QR and least squares
// ---------------------------------------------------------------------------------------

export interface QR {
  /** m×m orthogonal. */
  q: Matrix;
  /** m×n upper triangular (zeros below the diagonal exactly). */
  r: Matrix;
}

/**
 * Householder QR of an m×n matrix, A = Q R (Golub & Van Loan §5.2.2, Algorithm 5.2.1):
 * reflector k maps column k below the diagonal onto a multiple of e_k, choosing the sign
 * that avoids cancellation (v = x − α e₁ with α = −sign(x₁)‖x‖).
 */
export function qr(a: ReadonlyMatrix): QR {
  const [m, n] = shape(a, 'A');
  const r = copy(a);
  const q = identity(m);
  const v = new Array<number>(m).fill(0);
  for (let k = 0; k < Math.min(m - 1, n); k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i][k] * r[i][k];
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const alpha = r[k][k] > 0 ? -norm : norm;
    let vnorm2 = 0;
    for (let i = k; i < m; i++) {
      v[i] = r[i][k] - (i === k ? alpha : 0);
      vnorm2 += v[i] * v[i];
    }
    if (vnorm2 === 0) continue;
    // R ← (I − 2vvᵀ/vᵀv) R on rows k…m−1
    for (let j = k; j < n; j++) {
      let s = 0;
      for (let i = k; i < m; i++) s += v[i] * r[i][j];
      const f = (2 * s) / vnorm2;
      for (let i = k; i < m; i++) r[i][j] -= f * v[i];
    }
    // Q ← Q (I − 2vvᵀ/vᵀv)
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let p = k; p < m; p++) s += q[i][p] * v[p];
      const f = (2 * s) / vnorm2;
      for (let p = k; p < m; p++) q[i][p] -= f * v[p];
    }
    r[k][k] = alpha;
    for (let i = k + 1; i < m; i++) r[i][k] = 0;
  }
  return { q, r };
}

export interface LeastSquaresResult {
  /** Minimiser of ‖A x − b‖₂. */
  x: number[];
  /** ‖A x − b‖₂ at the solution. */
  residualNorm: number;
  /** 2-norm condition number σ_max/σ_min of A (from its SVD). */
  conditionNumber: number;
  /**
   * κ₂(A) ≥ 1/√ε ≈ 6.7e7: the QR solution still carries about 16 − log₁₀κ digits, but
   * normal equations (AᵀA, as a naive batch filter forms them) would have lost them all,
   * and with a large residual the QR solution's error also grows like κ²ε (Golub & Van
   * Loan §5.3.8): a flag for the caller to rescale, regularise or drop parameters.
   */
  illConditioned: boolean;
}

/**
 * Least-squares solution of A x ≈ b (m ≥ n, full column rank) by Householder QR
 * (Golub & Van Loan §5.3.3): x = R₁⁻¹ (Qᵀb)₁, residual ‖(Qᵀb)₂‖. A (numerically) rank-
 * deficient A raises RANK_DEFICIENT naming the column.
 */
export function leastSquares(a: ReadonlyMatrix, b: ArrayLike<number>): LeastSquaresResult {
  const [m, n] = shape(a, 'A');
  if (m < n) throw new LinearAlgebraError('SHAPE', `least squares needs at least as many rows as columns, got ${m}×${n}`);
  if (b.length !== m) throw new LinearAlgebraError('SHAPE', `right-hand side has length ${b.length}, expected ${m}`);
  const { q, r } = qr(a);
  const qtb = new Array<number>(m).fill(0);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += q[k][i] * b[k];
    qtb[i] = s;
  }
  let rmax = 0;
  for (let i = 0; i < n; i++) rmax = Math.max(rmax, Math.abs(r[i][i]));
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    if (Math.abs(r[i][i]) <= Math.max(m, n) * EPS * rmax) {
      throw new LinearAlgebraError('RANK_DEFICIENT', `least squares: A is rank deficient, column ${i} is a combination of the others (|R[${i}][${i}]| = ${Math.abs(r[i][i])})`, i, r[i][i]);
    }
    let s = qtb[i];
    for (let k = i + 1; k < n; k++) s -= r[i][k] * x[k];
    x[i] = s / r[i][i];
  }
  let res = 0;
  for (let i = n; i < m; i++) res += qtb[i] * qtb[i];
  const kappa = conditionNumber(a);
  return { x, residualNorm: Math.sqrt(res), conditionNumber: kappa, illConditioned: kappa >= 1 / Math.sqrt(EPS) };
}

// ---------------------------------------------------------------------------------------
// SVD (one-sided Jacobi)
// ---------------------------------------------------------------------------------------

export interface SVD {
  /** m×k with orthonormal columns, k = min(m, n). */
  u: Matrix;
  /** k singular values, descending. */
  s: number[];
  /** n×k with orthonormal columns; A = U diag(s) Vᵀ. */
  v: Matrix;
}

/**
 * Thin singular value decomposition by the one-sided Jacobi method (Hestenes 1958;
 * Demmel & Veselić 1992, Algorithm 4.1): plane rotations applied on the right
 * orthogonalise the columns of A; their norms are the singular values.
 */
export function svd(a: ReadonlyMatrix): SVD {
  const [m, n] = shape(a, 'A');
  if (m < n) {
    const t = svd(transpose(a));
    return { u: t.v, s: t.s, v: t.u };
  }
  const u = copy(a);
  const v = identity(n);
  let converged = false;
  for (let sweep = 0; sweep < 60 && !converged; sweep++) {
    converged = true;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          alpha += u[i][p] * u[i][p];
          beta += u[i][q] * u[i][q];
          gamma += u[i][p] * u[i][q];
        }
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) continue;
        converged = false;
        // Rotation that zeroes the (p, q) entry of UᵀU (the symmetric 2×2 Jacobi rotation).
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const up = u[i][p];
          u[i][p] = c * up - s * u[i][q];
          u[i][q] = s * up + c * u[i][q];
        }
        for (let i = 0; i < n; i++) {
          const vp = v[i][p];
          v[i][p] = c * vp - s * v[i][q];
          v[i][q] = s * vp + c * v[i][q];
        }
      }
    }
  }
  if (!converged) throw new LinearAlgebraError('NO_CONVERGENCE', `svd: one-sided Jacobi did not converge in 60 sweeps for a ${m}×${n} matrix`);
  const sv = new Array<number>(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += u[i][j] * u[i][j];
    sv[j] = Math.sqrt(s);
  }
  const order = sv.map((_, j) => j).sort((x, y) => sv[y] - sv[x]);
  const smax = sv[order[0]];
  const uOut = zeros(m, n);
  const vOut = zeros(n, n);
  const sOut: number[] = [];
  order.forEach((j, col) => {
    sOut.push(sv[j]);
    for (let i = 0; i < n; i++) vOut[i][col] = v[i][j];
    // A zero singular value leaves no direction in U: complete the basis instead.
    if (sv[j] > EPS * smax * m && sv[j] > 0) for (let i = 0; i < m; i++) uOut[i][col] = u[i][j] / sv[j];
  });
  completeOrthonormalColumns(uOut, sOut.map((s) => s > EPS * smax * m && s > 0));
  return { u: uOut, s: sOut, v: vOut };
}

/** Fills the columns not marked `valid` with unit vectors orthogonal to all others (Gram–Schmidt on e_k). */
function completeOrthonormalColumns(u: Matrix, valid: boolean[]): void {
  const m = u.length;
  const done = valid.slice();
  for (let col = 0; col < valid.length; col++) {
    if (done[col]) continue;
    for (let k = 0; k < m; k++) {
      const w = new Array<number>(m).fill(0);
      w[k] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let c = 0; c < valid.length; c++) {
          if (!done[c]) continue;
          let d = 0;
          for (let i = 0; i < m; i++) d += u[i][c] * w[i];
          for (let i = 0; i < m; i++) w[i] -= d * u[i][c];
        }
      }
      const nw = Math.hypot(...w);
      if (nw > 0.5) {
        for (let i = 0; i < m; i++) u[i][col] = w[i] / nw;
        done[col] = true;
        break;
      }
    }
  }
}

/** 2-norm condition number σ_max/σ_min (Infinity when A is singular). */
export function conditionNumber(a: ReadonlyMatrix): number {
  const { s } = svd(a);
  const smin = s[s.length - 1];
  return smin === 0 ? Infinity : s[0] / smin;
}

// ---------------------------------------------------------------------------------------
// Symmetric eigen-decomposition (cyclic Jacobi)
// ---------------------------------------------------------------------------------------

export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  values: number[];
  /** Eigenvectors as columns, orthonormal: A = V diag(values) Vᵀ. */
  vectors: Matrix;
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by the cyclic Jacobi method (Golub &
 * Van Loan §8.5.2–8.5.3, Algorithms 8.5.1 "sym.schur2" and 8.5.3): each rotation zeroes one
 * off-diagonal pair, using the smaller rotation angle (|θ| ≤ π/4) for stability; sweeps
 * repeat until the off-diagonal part is below ε‖A‖_F.
 */
export function symmetricEigen(a: ReadonlyMatrix): SymmetricEigen {
  const n = requireSymmetric(a, 'A');
  const w = symmetrize(a);
  const v = identity(n);
  const normF = frobeniusNorm(w);
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) off += w[i][j] * w[i][j];
    if (Math.sqrt(off) <= EPS * normF || off === 0) {
      const order = w.map((_, i) => i).sort((x, y) => w[x][x] - w[y][y]);
      return {
        values: order.map((i) => w[i][i]),
        vectors: Array.from({ length: n }, (_, r) => order.map((i) => v[r][i])),
      };
    }
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = w[p][q];
        if (apq === 0) continue;
        const tau = (w[q][q] - w[p][p]) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        // W ← Jᵀ W J with J = rotation in the (p, q) plane: columns then rows.
        for (let k = 0; k < n; k++) {
          const wkp = w[k][p];
          const wkq = w[k][q];
          w[k][p] = c * wkp - s * wkq;
          w[k][q] = s * wkp + c * wkq;
        }
        for (let k = 0; k < n; k++) {
          const wpk = w[p][k];
          const wqk = w[q][k];
          w[p][k] = c * wpk - s * wqk;
          w[q][k] = s * wpk + c * wqk;
        }
        w[p][q] = 0;
        w[q][p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  throw new LinearAlgebraError('NO_CONVERGENCE', `symmetricEigen: Jacobi did not converge in 60 sweeps for a ${n}×${n} matrix`);
}

// ---------------------------------------------------------------------------------------
// Covariance repair
// ---------------------------------------------------------------------------------------

export interface PositiveDefiniteRepair {
  matrix: Matrix;
  /** True when at least one eigenvalue was raised: the matrix returned is not the input. */
  repaired: boolean;
  /** Number of eigenvalues raised to the floor. */
  clipped: number;
  /** Smallest eigenvalue of the (symmetrized) input. */
  minEigenvalueBefore: number;
  /** Floor the eigenvalues were clipped to. */
  floor: number;
}

/**
 * Nearest positive-definite matrix by eigenvalue clipping: A_sym = V Λ Vᵀ,
 * λ_i ← max(λ_i, floor), result V Λ' Vᵀ. With floor = 0 this is the Frobenius-nearest
 * positive semidefinite matrix (N. J. Higham, "Computing a nearest symmetric positive
 * semidefinite matrix", Linear Algebra Appl. 103 (1988) 103–118, Theorem 2.1); a small
 * positive floor keeps it invertible. This is the remediation CARA applies to
 * non-positive-definite conjunction covariances (Hall et al., "Remediating non-positive-
 * definite state covariances for collision probability estimation", AAS 17-567, 2017).
 *
 * `floor` defaults to n·ε·max|λ|: the level below which eigenvalues are indistinguishable
 * from round-off. The result says whether anything was changed; callers must report it.
 */
export function nearestPositiveDefinite(a: ReadonlyMatrix, options: { floor?: number } = {}): PositiveDefiniteRepair {
  const n = requireSymmetric(a, 'A', 1e-8);
  const { values, vectors } = symmetricEigen(symmetrize(a));
  const lmax = Math.max(...values.map(Math.abs));
  const floor = options.floor ?? n * EPS * lmax;
  if (!(floor >= 0)) throw new RangeError(`nearestPositiveDefinite: floor must be ≥ 0, got ${options.floor}`);
  const clippedValues = values.map((l) => Math.max(l, floor));
  const clipped = values.filter((l) => l < floor).length;
  if (clipped === 0) return { matrix: symmetrize(a), repaired: false, clipped, minEigenvalueBefore: values[0], floor };
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[i][k] * clippedValues[k] * vectors[j][k];
      m[i][j] = s;
      m[j][i] = s;
    }
  }
  return { matrix: m, repaired: true, clipped, minEigenvalueBefore: values[0], floor };
}
