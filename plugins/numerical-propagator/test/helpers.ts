import type { GravityField } from '../../../interfaces/domain/reference-data';
import { readReferenceText } from '../../../sdk/reference-data';
import { parseGfc } from '../gfc';

const cache = new Map<string, GravityField>();

/** JGM-3 (70×70) or EGM2008 (120×120) from the reference data set, parsed once per test process. */
export function referenceField(name: 'JGM3' | 'EGM2008'): GravityField {
  let f = cache.get(name);
  if (!f) {
    const rel = name === 'JGM3' ? 'gravity/brahe/JGM3.gfc' : 'gravity/brahe/EGM2008_120.gfc';
    f = parseGfc(readReferenceText(rel), rel);
    cache.set(name, f);
  }
  return f;
}

/**
 * Relative Frobenius error of each 3×3 block (rr, rv, vr, vv) of a 6×6 state transition matrix
 * `phi` (row-major) against central differences of `finalState` (the propagated state from an
 * initial one): δr = 1 m, δv = 1 mm/s (km, km/s units). Each block is compared with its own
 * size, since position and velocity rows differ by orders of magnitude.
 */
export function stmBlockErrors(phi: ArrayLike<number>, y0: readonly number[], finalState: (y: number[]) => ArrayLike<number>): { block: string; error: number }[] {
  const cols: number[][] = [];
  for (let j = 0; j < 6; j++) {
    const h = j < 3 ? 1e-3 : 1e-6;
    const yp = [...y0];
    const ym = [...y0];
    yp[j] += h;
    ym[j] -= h;
    const a = finalState(yp);
    const b = finalState(ym);
    cols.push(Array.from({ length: 6 }, (_, i) => (a[i] - b[i]) / (2 * h)));
  }
  return [[0, 0], [0, 3], [3, 0], [3, 3]].map(([r0, c0]) => {
    let d = 0;
    let s = 0;
    for (let i = r0; i < r0 + 3; i++)
      for (let j = c0; j < c0 + 3; j++) {
        d += (phi[6 * i + j] - cols[j][i]) ** 2;
        s += cols[j][i] ** 2;
      }
    return { block: `${r0},${c0}`, error: Math.sqrt(d / s) };
  });
}
