/**
 * Butcher's order conditions for explicit Runge–Kutta methods, used to check typed
 * coefficient tables independently of any test problem.
 *
 * Theory (HNW §II.2, Theorem 2.13; J. C. Butcher, "Numerical Methods for Ordinary
 * Differential Equations", 3rd ed., Wiley 2016, §31): a method (A, b, c) has order p iff
 * for every rooted tree t with |t| ≤ p
 *     Σ_i b_i Φ_i(t) = 1/γ(t),
 * where for t = [t₁,…,t_m] (a root with subtrees t_k)
 *     Φ_i(t) = Π_k Σ_j a_ij Φ_j(t_k),   γ(t) = |t| Π_k γ(t_k),   Φ_i(•) = 1.
 * A continuous extension b(θ) has order q iff Σ_i b_i(θ) Φ_i(t) = θ^{|t|}/γ(t), |t| ≤ q
 * (HNW §II.6, Theorem 6.1, with b_i(θ) the weights that multiply h k_i).
 */

/** A rooted tree given by the indices (into the generated list) of its root's subtrees. */
interface Tree {
  order: number;
  children: number[];
  gamma: number;
}

/**
 * All rooted trees with 1…maxOrder vertices (1, 1, 2, 4, 9, 20, 48, 115 of orders 1…8:
 * OEIS A000081). Each tree is a non-increasing list of subtree indices, which makes the
 * enumeration unique without canonicalising shapes.
 */
export function rootedTrees(maxOrder: number): { order: number; gamma: number; children: number[] }[] {
  const trees: Tree[] = [{ order: 1, children: [], gamma: 1 }];
  for (let n = 2; n <= maxOrder; n++) {
    const known = trees.length; // subtrees all have order < n, i.e. are already listed
    const forests: number[][] = [];
    const build = (remaining: number, maxIndex: number, acc: number[]): void => {
      if (remaining === 0) {
        forests.push(acc.slice());
        return;
      }
      for (let k = Math.min(maxIndex, known - 1); k >= 0; k--) {
        if (trees[k].order > remaining) continue;
        acc.push(k);
        build(remaining - trees[k].order, k, acc);
        acc.pop();
      }
    };
    build(n - 1, known - 1, []);
    for (const f of forests) {
      let gamma = n;
      for (const k of f) gamma *= trees[k].gamma;
      trees.push({ order: n, children: f, gamma });
    }
  }
  return trees;
}

export interface OrderConditionReport {
  /** Largest |Σ b_i Φ_i(t) − θ^{|t|}/γ(t)| over the trees of each order (index = order). */
  maxResidualByOrder: number[];
  treesByOrder: number[];
}

/**
 * Residuals of the order conditions up to `maxOrder` for weights `weights` (b, or b(θ)
 * with `theta` ≠ 1), on the tableau (A as lower-triangular rows, c unused: the row-sum
 * condition c_i = Σ_j a_ij is checked separately by `rowSumResidual`).
 */
export function orderConditionResiduals(
  a: readonly (readonly number[])[],
  weights: ArrayLike<number>,
  maxOrder: number,
  theta = 1,
): OrderConditionReport {
  const s = a.length;
  const trees = rootedTrees(maxOrder);
  const phi: Float64Array[] = [];
  const aPhi: Float64Array[] = []; // (A Φ(t))_i, memoised per tree
  const maxResidualByOrder = new Array<number>(maxOrder + 1).fill(0);
  const treesByOrder = new Array<number>(maxOrder + 1).fill(0);
  for (const t of trees) {
    const p = new Float64Array(s).fill(1);
    for (const k of t.children) {
      const ak = aPhi[k];
      for (let i = 0; i < s; i++) p[i] *= ak[i];
    }
    const ap = new Float64Array(s);
    for (let i = 0; i < s; i++) {
      let acc = 0;
      const row = a[i];
      for (let j = 0; j < row.length; j++) acc += row[j] * p[j];
      ap[i] = acc;
    }
    phi.push(p);
    aPhi.push(ap);
    let sum = 0;
    for (let i = 0; i < s; i++) sum += (weights[i] ?? 0) * p[i];
    const residual = Math.abs(sum - theta ** t.order / t.gamma);
    maxResidualByOrder[t.order] = Math.max(maxResidualByOrder[t.order], residual);
    treesByOrder[t.order]++;
  }
  return { maxResidualByOrder, treesByOrder };
}

/** max_i |c_i − Σ_j a_ij|: the row-sum (simplifying) condition every tableau here satisfies. */
export function rowSumResidual(a: readonly (readonly number[])[], c: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const sum = a[i].reduce((x, y) => x + y, 0);
    worst = Math.max(worst, Math.abs(sum - c[i]));
  }
  return worst;
}
