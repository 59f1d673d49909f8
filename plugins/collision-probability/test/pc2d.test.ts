import { expect } from 'chai';
import { principalProblem } from '../encounter';
import { alfriendMaxPc, alfriendMaxPcClosedForm, noCovarianceMaxPc } from '../maxpc';
import { alfano2005, chan, fosterCircle, naiveGrid, patera2001 } from '../pc2d';
import { erf, erfc, erfcx } from '../special';

/** Relative difference. */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
/** A value published with 4 significant digits v = m·10^e agrees when |x − v| ≤ ½·10^(e−3). */
function agrees4(x: number, v: number): boolean {
  const e = Math.floor(Math.log10(Math.abs(v)));
  return Math.abs(x - v) <= 0.5 * 10 ** (e - 3) * (1 + 1e-9);
}
const plane = (xm: number, ym: number, sx: number, sy: number) => principalProblem([[sx * sx, 0], [0, sy * sy]], [xm, ym]);

describe('collision-probability: special functions', () => {
  // Published values (Abramowitz & Stegun Table 7.1; DLMF §7.2 / 7.12), rounded to double.
  // Tolerance 5e-15 relative: the accuracy stated in special.ts (rounding of the table samples).
  const values: [number, number, 'erf' | 'erfc'][] = [
    [0.5, 0.5204998778130465, 'erf'],
    [1, 0.8427007929497149, 'erf'],
    [2, 0.004677734981047266, 'erfc'],
    [3, 2.209049699858544e-5, 'erfc'],
    [5, 1.537459794428035e-12, 'erfc'],
    [10, 2.088487583762545e-45, 'erfc'],
  ];
  for (const [x, v, f] of values) {
    it(`${f}(${x}) = ${v}`, () => {
      const got = f === 'erf' ? erf(x) : erfc(x);
      expect(rel(got, v)).to.be.below(5e-15);
    });
  }
  it('erfcx matches the continued fraction on [0.5, 30] and erf is odd and small near 0', () => {
    // Reference: Laplace's continued fraction (DLMF 7.9.2), deep enough to converge.
    const cf = (x: number) => {
      let f = x;
      for (let n = Math.ceil(600 / (x * x)) + 50; n >= 1; n--) f = x + n / 2 / f;
      return 1 / (Math.sqrt(Math.PI) * f);
    };
    for (let x = 0.5; x < 30; x += 0.0731) expect(rel(erfcx(x), cf(x))).to.be.below(5e-15);
    expect(erf(-0.3)).to.equal(-erf(0.3));
    expect(rel(erf(1e-10), (2 / Math.sqrt(Math.PI)) * 1e-10)).to.be.below(1e-15);
  });
});

describe('collision-probability: 2D methods on the encounter-plane cases of Chan (2008)', () => {
  // Exact 2D Pc (Chan's book cases; exact values as published by Serra et al., "Fast and
  // accurate computation of orbital collision probability for short-term encounters",
  // JGCD 39(5) 2016, and used by Orekit's Laas2015Test), 4 significant digits.
  const exact: [number, number, number, number, number, number][] = [
    [0, 10, 25, 50, 5, 9.742e-3],
    [10, 0, 25, 50, 5, 9.181e-3],
    [0, 10, 25, 75, 5, 6.571e-3],
    [10, 0, 25, 75, 5, 6.125e-3],
    [0, 1000, 1000, 3000, 10, 1.577e-5],
    [1000, 0, 1000, 3000, 10, 1.011e-5],
    [0, 1e4, 1000, 3000, 10, 6.443e-8],
    [1e4, 0, 1000, 3000, 10, 3.219e-27],
    [0, 1e4, 1000, 1e4, 10, 3.033e-6],
    [1e4, 0, 1000, 1e4, 10, 9.656e-28],
    [0, 5000, 1000, 3000, 50, 1.039e-4],
    [5000, 0, 1000, 3000, 50, 1.564e-9],
  ];
  // Chan's own series results for the same cases (Chan 2008; as used by Orekit's Chan1997Test).
  const chanPublished = [9.754e-3, 9.189e-3, 6.586e-3, 6.135e-3, 1.577e-5, 1.011e-5, 6.443e-8, 3.216e-27, 3.033e-6, 9.645e-28, 1.039e-4, 1.556e-9];
  exact.forEach(([xm, ym, sx, sy, R, v], i) => {
    it(`(${xm}, ${ym}, ${sx}, ${sy}, R ${R}) → Foster, Alfano and Patera ${v}, Chan ${chanPublished[i]}`, () => {
      const p = plane(xm, ym, sx, sy);
      const f = fosterCircle(p, R);
      expect(agrees4(f.pc, v), `foster ${f.pc}`).to.equal(true);
      expect(f.log10Pc).to.be.closeTo(Math.log10(f.pc), 1e-12);
      // Patera's contour integral is exact too; it agrees with Foster to its quadrature
      // tolerance amplified by its near/far-side cancellation (≤ 1e-9 here).
      expect(rel(patera2001(p, R).pc, f.pc)).to.be.below(1e-9);
      // Chan's series is an approximation (equal-area circle): compare with Chan's figures.
      expect(agrees4(chan(p, R).pc, chanPublished[i]), `chan ${chan(p, R).pc}`).to.equal(true);
      // Alfano's corrected Simpson rule reproduces the published exact figures too, and stays
      // within 1e-5 of Foster (its stated accuracy; measured ≤ 6.1e-6 on these cases).
      expect(agrees4(alfano2005(p, R).pc, v), `alfano ${alfano2005(p, R).pc}`).to.equal(true);
      expect(rel(alfano2005(p, R).pc, f.pc)).to.be.below(1e-5);
    });
  });
  // Further exact values from the same source (CSM/CDM-derived and Alfano cases 3 and 5).
  const more: [number, number, number, number, number, number][] = [
    [84.875546, 60.583685, 57.918666, 152.8814468, 10.3, 1.9002e-3],
    [-81.618369, 115.055899, 15.988242, 5756.840725, 1.3, 2.0553e-11],
    [102.177247, 693.405893, 94.230921, 643.409272, 5.3, 7.2003e-5],
    [-752.672701, 644.939441, 445.85995, 6095.858688, 3.5, 5.3904e-7],
    [-692.362272, 4475.456261, 193.454603, 562.027293, 13.2, 2.2796e-20],
    [-3.8872073, 0.1591646, 1.410183, 114.258519, 15, 1.0038e-1],
  ];
  for (const [xm, ym, sx, sy, R, v] of more) {
    it(`(${xm}, ${ym}, ${sx}, ${sy}, R ${R}) → Foster ${v} (5 significant digits)`, () => {
      const f = fosterCircle(plane(xm, ym, sx, sy), R);
      const e = Math.floor(Math.log10(v));
      expect(Math.abs(f.pc - v)).to.be.at.most(0.5 * 10 ** (e - 4) * 1.000001);
    });
  }
  it('keeps the far tail: log10Pc exact where pc underflows, no cancellation', () => {
    // Isotropic covariance: Chan's series is then exact, and independent of Foster's quadrature.
    const p = plane(45_000, 0, 1000, 1000); // 45σ: Pc ≈ 1e-443
    const f = fosterCircle(p, 10);
    const c = chan(p, 10);
    expect(f.pc).to.equal(0);
    expect(f.log10Pc).to.be.below(-400);
    expect(rel(f.log10Pc, c.log10Pc)).to.be.below(1e-12);
    // Small-disc asymptote: Pc ≈ R²/(2σ²)·exp(−d²/2σ²)·I₀-type factor → check the leading term to 1e-3.
    const lead = (Math.log(100 / 2e6) - (45_000 * 45_000) / 2e6) / Math.LN10;
    expect(Math.abs(f.log10Pc - lead)).to.be.below(0.05);
  });
  it('1e-30-level probabilities agree between the exact methods to 1e-10', () => {
    const p = plane(10_900, 0, 1000, 3000);
    const f = fosterCircle(p, 10);
    expect(f.pc).to.be.within(1e-33, 1e-29);
    expect(rel(patera2001(p, 10).pc, f.pc)).to.be.below(1e-10);
  });
  it('a degenerate (line) covariance gives the closed-form chord probability', () => {
    // σy = 0: the probability is that of X ~ N(0, σx²) falling in the chord at |y| = my.
    const R = 10;
    const my = 6;
    const c = Math.sqrt(R * R - my * my);
    const p = { sx: 20, sy: 0, mx: 5, my };
    const want = 0.5 * (erf((5 + c) / (Math.SQRT2 * 20)) - erf((5 - c) / (Math.SQRT2 * 20)));
    expect(rel(fosterCircle(p, R).pc, want)).to.be.below(1e-14);
  });
  it('the naive grid baseline converges to Foster (benchmark comparison is fair)', () => {
    const p = plane(0, 10, 25, 50);
    expect(rel(naiveGrid(p, 5, 400), fosterCircle(p, 5).pc)).to.be.below(1e-3);
  });
});

describe('collision-probability: maximum Pc', () => {
  it('Alfriend scaling: the exact maximum tends to the closed form R²/(e σx σy d_m²) for a small disc', () => {
    // Closed form of Alfriend et al. 1999 eq. 21; relative difference O(R²/(k σ)²) → 1e-4 here.
    const p = plane(3000, 1000, 800, 2000);
    const m = alfriendMaxPc(p, 5);
    expect(rel(m.pc, alfriendMaxPcClosedForm(p, 5))).to.be.below(1e-4);
    // It is a maximum: scaling the covariance either way lowers Pc.
    for (const k of [0.9, 1.1]) expect(fosterCircle({ ...p, sx: p.sx * m.scale! * k, sy: p.sy * m.scale! * k }, 5).pc).to.be.below(m.pc);
  });
  it('no covariance: the worst line density is the closed-form optimum', () => {
    const d = 500;
    const R = 10;
    const m = noCovarianceMaxPc(d, R);
    const P = (s: number) => 0.5 * (erf((d + R) / (Math.SQRT2 * s)) - erf((d - R) / (Math.SQRT2 * s)));
    for (const k of [0.95, 1.05]) expect(P(m.scale! * k)).to.be.below(m.pc);
    expect(rel(m.pc, P(m.scale!))).to.be.below(1e-13);
    expect(noCovarianceMaxPc(5, 10).pc).to.equal(1);
  });
});
