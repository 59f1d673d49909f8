import type { FrameEopValues } from '../../sdk/astro/frames';

/**
 * EOP values fetched once per request (one batched call to the `eop.provider` service) on a
 * regular UTC grid and interpolated linearly in between: a synchronous source for the frame
 * functions. UT1−UTC jumps by 1 s at a leap second: across such a jump the nearer node's value
 * is held instead of interpolating through it.
 */
export class EopGrid {
  constructor(
    private readonly mjd0: number,
    private readonly stepDays: number,
    private readonly values: readonly FrameEopValues[],
  ) {
    if (values.length < 1) throw new Error('EopGrid needs at least one node');
  }

  /** Grid nodes covering [mjdMin, mjdMax] with `stepDays` spacing (first node at or before mjdMin). */
  static nodes(mjdMin: number, mjdMax: number, stepDays: number): number[] {
    const first = Math.floor(mjdMin / stepDays) * stepDays;
    const out: number[] = [];
    for (let m = first; m <= mjdMax + stepDays; m += stepDays) out.push(m);
    return out;
  }

  at(mjdUtc: number): FrameEopValues {
    const n = this.values.length;
    if (n === 1) return this.values[0];
    const x = (mjdUtc - this.mjd0) / this.stepDays;
    const k = Math.max(0, Math.min(n - 2, Math.floor(x)));
    const f = Math.max(0, Math.min(1, x - k));
    const a = this.values[k];
    const b = this.values[k + 1];
    if (Math.abs(b.ut1MinusUtcS - a.ut1MinusUtcS) > 0.5) return f < 0.5 ? a : b;
    const lerp = (u: number, v: number): number => u + f * (v - u);
    const out: FrameEopValues = {
      ut1MinusUtcS: lerp(a.ut1MinusUtcS, b.ut1MinusUtcS),
      lodS: lerp(a.lodS, b.lodS),
      xpArcsec: lerp(a.xpArcsec, b.xpArcsec),
      ypArcsec: lerp(a.ypArcsec, b.ypArcsec),
    };
    if (a.dPsiArcsec !== undefined && b.dPsiArcsec !== undefined && a.dEpsArcsec !== undefined && b.dEpsArcsec !== undefined) {
      out.dPsiArcsec = lerp(a.dPsiArcsec, b.dPsiArcsec);
      out.dEpsArcsec = lerp(a.dEpsArcsec, b.dEpsArcsec);
    } else if (a.dXArcsec !== undefined && b.dXArcsec !== undefined && a.dYArcsec !== undefined && b.dYArcsec !== undefined) {
      out.dXArcsec = lerp(a.dXArcsec, b.dXArcsec);
      out.dYArcsec = lerp(a.dYArcsec, b.dYArcsec);
    }
    return out;
  }
}
