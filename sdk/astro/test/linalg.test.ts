import { expect } from 'chai';
import {
  LinearAlgebraError,
  block,
  cholesky,
  choleskySolve,
  conditionNumber,
  congruence,
  identity,
  inverseSpd,
  leastSquares,
  multiply,
  multiplyVector,
  nearestPositiveDefinite,
  qr,
  svd,
  symmetricEigen,
  transpose,
  type Matrix,
} from '../linalg';
import { rot3 } from '../vec';

/**
 * References: hand-computable textbook cases and closed forms, never the code itself —
 *  - Cholesky of [[4,12,−16],[12,37,−43],[−16,−43,98]] = [[2,0,0],[6,1,0],[−8,5,3]]
 *    (the standard worked example, e.g. Wikipedia "Cholesky decomposition", Example);
 *  - the Hilbert matrix H_ij = 1/(i+j−1): exact integer inverse (M.-D. Choi, "Tricks or
 *    treats with the Hilbert matrix", Amer. Math. Monthly 90 (1983) 301–312) and 2-norm
 *    condition numbers κ₂(H₄) = 1.5514e4, κ₂(H₆) = 1.4951e7, κ₂(H₈) = 1.5258e10 (Todd 1954,
 *    tabulated in Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., §28.1;
 *    confirmed to 10 digits by an independent 50-digit mpmath computation when writing this);
 *  - the second-difference matrix tridiag(−1, 2, −1) of order n: λ_k = 2 − 2cos(kπ/(n+1)),
 *    v_k(j) = sin(jkπ/(n+1)) (Golub & Van Loan, 4th ed., §4.8.3 / any numerical PDE text);
 *  - [[3,2,2],[2,3,−2]] has singular values 5 and 3 (a classic hand example: AAᵀ = [[17,8],[8,17]]);
 *  - least-squares line through (−1,1), (0,0), (1,1): y = 2/3, residual √6/3.
 */

const EPS = Number.EPSILON;

function maxAbsDiff(a: Matrix, b: Matrix): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a[0].length; j++) d = Math.max(d, Math.abs(a[i][j] - b[i][j]));
  return d;
}

function hilbert(n: number): Matrix {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => 1 / (i + j + 1)));
}

function binom(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Exact inverse of H_n (Choi 1983): (−1)^{i+j}(i+j−1) C(n+i−1, n−j) C(n+j−1, n−i) C(i+j−2, i−1)², 1-based. */
function hilbertInverse(n: number): Matrix {
  return Array.from({ length: n }, (_, i0) =>
    Array.from({ length: n }, (_, j0) => {
      const i = i0 + 1;
      const j = j0 + 1;
      return (-1) ** (i + j) * (i + j - 1) * binom(n + i - 1, n - j) * binom(n + j - 1, n - i) * binom(i + j - 2, i - 1) ** 2;
    }),
  );
}

/** Deterministic pseudo-random matrix (LCG), entries in [−1, 1). */
function pseudoRandom(rows: number, cols: number, seed: number): Matrix {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
  return Array.from({ length: rows }, () => Array.from({ length: cols }, next));
}

function expectOrthonormalColumns(q: Matrix, tol: number): void {
  expect(maxAbsDiff(multiply(transpose(q), q), identity(q[0].length))).to.be.below(tol);
}

describe('sdk/astro linalg', () => {
  describe('products and covariance transforms', () => {
    it('rotates a 2-D covariance: R diag(σ₁², σ₂²) Rᵀ matches the closed form', () => {
      const th = 0.4;
      const [s1, s2] = [3, 0.5];
      const r3 = rot3(-th); // passive ROT3(−θ) = active rotation by +θ in the xy-plane
      const p = congruence(r3, [
        [s1 * s1, 0, 0],
        [0, s2 * s2, 0],
        [0, 0, 1],
      ]);
      const c = Math.cos(th);
      const s = Math.sin(th);
      const expected = [
        [s1 * s1 * c * c + s2 * s2 * s * s, (s1 * s1 - s2 * s2) * c * s, 0],
        [(s1 * s1 - s2 * s2) * c * s, s1 * s1 * s * s + s2 * s2 * c * c, 0],
        [0, 0, 1],
      ];
      expect(maxAbsDiff(p, expected)).to.be.below(1e-14);
      expect(p[0][1]).to.equal(p[1][0]); // symmetrized exactly
    });

    it('propagates a 6×6 covariance through free motion Φ = [[I, tI], [0, I]]: P_rr(t) = P_rr + t(P_rv + P_vr) + t²P_vv', () => {
      const t = 60;
      const phi = identity(6);
      for (let i = 0; i < 3; i++) phi[i][i + 3] = t;
      const a = pseudoRandom(6, 6, 7);
      const p0 = multiply(a, transpose(a)); // a symmetric positive semidefinite covariance
      const p = congruence(phi, p0);
      const prr = block(p0, 0, 0, 3, 3);
      const prv = block(p0, 0, 3, 3, 3);
      const pvr = block(p0, 3, 0, 3, 3);
      const pvv = block(p0, 3, 3, 3, 3);
      const expected = prr.map((row, i) => row.map((x, j) => x + t * (prv[i][j] + pvr[i][j]) + t * t * pvv[i][j]));
      expect(maxAbsDiff(block(p, 0, 0, 3, 3), expected)).to.be.below(1e-12 * t * t);
      expect(maxAbsDiff(block(p, 3, 3, 3, 3), pvv)).to.equal(0);
    });

    it('rejects mismatched shapes and non-finite entries with the offending size or index', () => {
      expect(() => multiply([[1, 2]], [[1, 2]])).to.throw(LinearAlgebraError, /cannot multiply 1×2 by 1×2/);
      expect(() => multiplyVector(identity(3), [1, 2])).to.throw(/vector of length 2/);
      expect(() => cholesky([[1, NaN], [NaN, 1]])).to.throw(/A\[0\]\[1\] = NaN is not finite/);
    });
  });

  describe('Cholesky', () => {
    it('factors the textbook example exactly and solves with it', () => {
      const a = [
        [4, 12, -16],
        [12, 37, -43],
        [-16, -43, 98],
      ];
      const l = cholesky(a);
      expect(l).to.deep.equal([
        [2, 0, 0],
        [6, 1, 0],
        [-8, 5, 3],
      ]);
      // x = (1, 2, 3): b = A x = (−20, −43, 192).
      const x = choleskySolve(l, [-20, -43, 192]);
      x.forEach((v, i) => expect(v).to.be.closeTo(i + 1, 1e-12));
    });

    it('raises on a matrix that is not positive definite, naming the pivot', () => {
      try {
        cholesky([
          [1, 2],
          [2, 1],
        ]);
        expect.fail('should have thrown');
      } catch (e) {
        expect(e).to.be.instanceOf(LinearAlgebraError);
        const le = e as LinearAlgebraError;
        expect(le.reason).to.equal('NOT_POSITIVE_DEFINITE');
        expect(le.index).to.equal(1);
        expect(le.value).to.equal(-3); // 1 − 2²
        expect(le.message).to.match(/pivot 1 .* reduces to -3/);
      }
      const d = identity(6);
      d[4][4] = -1e-3;
      expect(() => cholesky(d)).to.throw(/pivot 4 \(diagonal element \[4\]\[4\] = -0.001\)/);
    });

    it('inverts the Hilbert matrix H₆ against its exact integer inverse within κ·ε', () => {
      const inv = inverseSpd(hilbert(6));
      const exact = hilbertInverse(6);
      expect(exact[0][0]).to.equal(36); // (H₆⁻¹)₁₁ = n² = 36
      let worst = 0;
      for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) worst = Math.max(worst, Math.abs(inv[i][j] - exact[i][j]) / Math.abs(exact[i][j]));
      // Forward error of an SPD inverse ≲ c·n·κ₂·ε (Higham §14.3): 1.5e7 × 2.2e-16 ≈ 3.3e-9, times 10.
      expect(worst).to.be.below(10 * 1.4951e7 * EPS);
      expect(inv[2][3]).to.equal(inv[3][2]);
    });
  });

  describe('QR and least squares', () => {
    it('A = QR within 1e-12, Q orthogonal, R upper triangular (6×4 and 4×6)', () => {
      for (const a of [pseudoRandom(6, 4, 1), pseudoRandom(4, 6, 2), hilbert(5)]) {
        const { q, r } = qr(a);
        expect(maxAbsDiff(multiply(q, r), a)).to.be.below(1e-12);
        expectOrthonormalColumns(q, 1e-14);
        for (let i = 0; i < r.length; i++) for (let j = 0; j < Math.min(i, r[0].length); j++) expect(r[i][j]).to.equal(0);
      }
    });

    it('fits the line through (−1,1), (0,0), (1,1): y = 2/3 + 0·t, residual √6/3', () => {
      const res = leastSquares(
        [
          [1, -1],
          [1, 0],
          [1, 1],
        ],
        [1, 0, 1],
      );
      expect(res.x[0]).to.be.closeTo(2 / 3, 1e-15);
      expect(res.x[1]).to.be.closeTo(0, 1e-15);
      expect(res.residualNorm).to.be.closeTo(Math.sqrt(6) / 3, 1e-15);
      expect(res.illConditioned).to.equal(false);
    });

    it('recovers polynomial coefficients from exact data, and reports Hilbert-like ill-conditioning', () => {
      // Quadratic 1 + 2t − 0.5t² sampled at 10 points: residual 0, coefficients exact.
      const ts = Array.from({ length: 10 }, (_, i) => i * 0.5);
      const res = leastSquares(
        ts.map((t) => [1, t, t * t]),
        ts.map((t) => 1 + 2 * t - 0.5 * t * t),
      );
      [1, 2, -0.5].forEach((c, i) => expect(res.x[i]).to.be.closeTo(c, 1e-13));
      expect(res.residualNorm).to.be.below(1e-13);
      // Hilbert systems with the exact solution x = 1.
      const h4 = leastSquares(hilbert(4), multiplyVector(hilbert(4), [1, 1, 1, 1]));
      expect(h4.conditionNumber / 1.5514e4 - 1).to.be.within(-1e-4, 1e-4);
      expect(h4.illConditioned).to.equal(false);
      const h8 = leastSquares(hilbert(8), multiplyVector(hilbert(8), new Array(8).fill(1)));
      expect(h8.conditionNumber / 1.5258e10 - 1).to.be.within(-1e-4, 1e-4);
      expect(h8.illConditioned).to.equal(true);
      // Still solved to about κ·ε (1.5e10 × 2.2e-16 ≈ 3.4e-6), bound 100κε.
      h8.x.forEach((v) => expect(Math.abs(v - 1)).to.be.below(100 * 1.5258e10 * EPS));
    });

    it('raises on a rank-deficient design matrix, naming the dependent column', () => {
      const a = [
        [1, 2, 3],
        [2, 4, 1],
        [3, 6, 2],
        [4, 8, 5],
      ]; // column 1 = 2 × column 0
      expect(() => leastSquares(a, [1, 2, 3, 4])).to.throw(LinearAlgebraError, /rank deficient, column \d/);
    });
  });

  describe('SVD', () => {
    it('singular values of [[3,2,2],[2,3,−2]] are 5 and 3; A = UΣVᵀ within 1e-12', () => {
      const a = [
        [3, 2, 2],
        [2, 3, -2],
      ];
      const { u, s, v } = svd(a);
      expect(s[0]).to.be.closeTo(5, 1e-14);
      expect(s[1]).to.be.closeTo(3, 1e-14);
      const rec = multiply(multiply(u, s.map((x, i) => s.map((_, j) => (i === j ? x : 0)))), transpose(v));
      expect(maxAbsDiff(rec, a)).to.be.below(1e-12);
    });

    it('reconstructs random 6×6 and 8×5 matrices, with orthonormal U and V', () => {
      for (const a of [pseudoRandom(6, 6, 3), pseudoRandom(8, 5, 4)]) {
        const { u, s, v } = svd(a);
        const us = u.map((row) => row.map((x, j) => x * s[j]));
        expect(maxAbsDiff(multiply(us, transpose(v)), a)).to.be.below(1e-12);
        expectOrthonormalColumns(u, 1e-13);
        expectOrthonormalColumns(v, 1e-13);
        for (let i = 1; i < s.length; i++) expect(s[i]).to.be.at.most(s[i - 1]);
      }
    });

    it('handles a rank-deficient matrix: a zero singular value, U still orthonormal', () => {
      const a = [
        [1, 2, 3],
        [2, 4, 6],
        [1, 0, 1],
        [0, 1, 1],
      ]; // column 2 = column 0 + column 1
      const { u, s, v } = svd(a);
      expect(s[2]).to.be.below(1e-14 * s[0]);
      expectOrthonormalColumns(u, 1e-13);
      const us = u.map((row) => row.map((x, j) => x * s[j]));
      expect(maxAbsDiff(multiply(us, transpose(v)), a)).to.be.below(1e-12);
    });

    it('condition numbers of the Hilbert matrices H₄, H₆, H₈ match the published values to 1e-4', () => {
      // Rounding the entries 1/(i+j−1) alone perturbs σ_min by ~κε relative (≈ 3e-6 for H₈).
      for (const [n, kappa] of [
        [4, 1.5514e4],
        [6, 1.4951e7],
        [8, 1.5258e10],
      ]) {
        expect(conditionNumber(hilbert(n)) / kappa - 1, `H${n}`).to.be.within(-1e-4, 1e-4);
      }
    });
  });

  describe('symmetric eigen-decomposition', () => {
    it('tridiag(−1, 2, −1) of order 6: λ_k = 2 − 2cos(kπ/7), v_k(j) ∝ sin(jkπ/7)', () => {
      const n = 6;
      const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 2 : Math.abs(i - j) === 1 ? -1 : 0)));
      const { values, vectors } = symmetricEigen(a);
      for (let k = 1; k <= n; k++) {
        expect(values[k - 1]).to.be.closeTo(2 - 2 * Math.cos((k * Math.PI) / (n + 1)), 1e-14);
        const exact = Array.from({ length: n }, (_, j) => Math.sin(((j + 1) * k * Math.PI) / (n + 1)));
        const norm = Math.hypot(...exact);
        const col = vectors.map((row) => row[k - 1]);
        const sign = Math.sign(col[0]) * Math.sign(exact[0]);
        col.forEach((x, j) => expect(x * sign).to.be.closeTo(exact[j] / norm, 1e-13));
      }
      expectOrthonormalColumns(vectors, 1e-14);
      // A V = V Λ
      const av = multiply(a, vectors);
      const vl = vectors.map((row) => row.map((x, j) => x * values[j]));
      expect(maxAbsDiff(av, vl)).to.be.below(1e-13);
    });

    it('eigenvalues of a rotated diagonal matrix are the diagonal; non-symmetric input is refused', () => {
      const r = multiply(rot3(0.3), [
        [1, 0, 0],
        [0, Math.cos(0.7), Math.sin(0.7)],
        [0, -Math.sin(0.7), Math.cos(0.7)],
      ]);
      const a = congruence(r, [
        [5, 0, 0],
        [0, 1e-6, 0],
        [0, 0, 2],
      ]);
      const { values } = symmetricEigen(a);
      expect(values[0]).to.be.closeTo(1e-6, 5e-15);
      expect(values[1]).to.be.closeTo(2, 1e-14);
      expect(values[2]).to.be.closeTo(5, 1e-14);
      expect(() =>
        symmetricEigen([
          [1, 2],
          [3, 1],
        ]),
      ).to.throw(LinearAlgebraError, /not symmetric: \[1\]\[0\] = 3 but \[0\]\[1\] = 2/);
    });
  });

  describe('nearest positive-definite repair', () => {
    // A = R diag(3, 1, −0.5) Rᵀ: one negative eigenvalue, eigenvectors known (columns of R).
    const r = multiply(rot3(0.5), [
      [1, 0, 0],
      [0, Math.cos(-0.9), Math.sin(-0.9)],
      [0, -Math.sin(-0.9), Math.cos(-0.9)],
    ]);
    const diagM = (d: number[]): Matrix => d.map((x, i) => d.map((_, j) => (i === j ? x : 0)));

    it('clips the negative eigenvalue to the floor, flags the repair, and makes Cholesky succeed', () => {
      const a = congruence(r, diagM([3, 1, -0.5]));
      expect(() => cholesky(a)).to.throw(LinearAlgebraError);
      const fix = nearestPositiveDefinite(a, { floor: 1e-6 });
      expect(fix.repaired).to.equal(true);
      expect(fix.clipped).to.equal(1);
      expect(fix.minEigenvalueBefore).to.be.closeTo(-0.5, 1e-14);
      expect(maxAbsDiff(fix.matrix, congruence(r, diagM([3, 1, 1e-6])))).to.be.below(1e-14);
      expect(() => cholesky(fix.matrix)).to.not.throw();
    });

    it('leaves a positive-definite matrix unchanged and unflagged', () => {
      const a = congruence(r, diagM([3, 1, 0.5]));
      const fix = nearestPositiveDefinite(a);
      expect(fix.repaired).to.equal(false);
      expect(fix.clipped).to.equal(0);
      expect(maxAbsDiff(fix.matrix, a)).to.equal(0);
    });
  });
});
