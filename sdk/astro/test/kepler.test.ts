import { expect } from 'chai';
import { DEG } from '../constants';
import {
  eccentricToMean,
  eccentricToTrue,
  hyperbolicToMean,
  hyperbolicToTrue,
  meanToTrue,
  solveKeplerElliptic,
  solveKeplerHyperbolic,
  trueToEccentric,
  trueToHyperbolic,
  trueToMean,
  wrapPi,
} from '../kepler';

/** Machine-precision bound for a residual of size ~|x|: a few ulps. */
const ulps = (x: number, n = 4): number => n * Number.EPSILON * Math.max(1, Math.abs(x));

describe('sdk/astro/kepler — Kepler equation and anomalies', () => {
  it('Vallado Example 2-1: M = 235.4°, e = 0.4 → E = 220.512074767522° (printed to 1e-12°)', () => {
    expect(solveKeplerElliptic(235.4 * DEG, 0.4) / DEG).to.be.closeTo(220.512074767522, 0.5e-12);
  });

  it('Vallado Example 2-3: M = 235.4°, e = 2.4 → H = 1.601376144 rad (book iterates to 1e-8)', () => {
    // Printed to 9 decimals, but Vallado's Alg. 4 stops at |ΔH| < 1e-8, so the printed value is
    // only good to ~1e-8 (the converged root is 1.6013761449…): tolerance 1e-8.
    expect(solveKeplerHyperbolic(235.4 * DEG, 2.4)).to.be.closeTo(1.601376144, 1e-8);
  });

  it('elliptic: E satisfies E − e sin E = M to a few ulps, e from 0 to 0.999999, M from 1e-12 to many turns', () => {
    // Machine precision is the target. The residual of the cancellation-free form is
    // compared with the conditioning of M itself (a few ulps of max(1, |M|)).
    for (const e of [0, 1e-10, 0.001, 0.1, 0.5, 0.9, 0.99, 0.9999, 0.999999]) {
      for (const M of [1e-12, 1e-9, 1e-6, 1e-3, 0.1, 1, 2, 3, Math.PI - 1e-9, Math.PI, -0.5, -3, 7, 100.25, -1234.5]) {
        const E = solveKeplerElliptic(M, e);
        const residual = eccentricToMean(E, e) - M;
        expect(Math.abs(residual), `e=${e} M=${M} E=${E}`).to.be.at.most(ulps(M, 6));
        // E is continuous in M: it stays within e (≤ 1 rad) of M, same turn.
        expect(Math.abs(E - M), `e=${e} M=${M}`).to.be.at.most(e + 1e-12);
      }
    }
  });

  it('hyperbolic: H satisfies e sinh H − H = M to ~1e-15 relative, near-parabolic e = 1 + 1e-6 to e = 100', () => {
    for (const e of [1 + 1e-6, 1.001, 1.1, 2, 10, 100]) {
      for (const M of [1e-12, 1e-8, 1e-4, 0.01, 0.5, 1, 10, 1e3, 1e6, -2, -1e-6]) {
        const H = solveKeplerHyperbolic(M, e);
        const residual = hyperbolicToMean(H, e) - M;
        // Conditioning: dM/dH = e cosh H − 1 ≈ |M| for large H, so an ulp of H gives ~|M|·ulp(H).
        const bound = 8 * Number.EPSILON * Math.max(Math.abs(M), 1e-300) * Math.max(1, Math.abs(H));
        expect(Math.abs(residual), `e=${e} M=${M} H=${H}`).to.be.at.most(Math.max(bound, 1e-300));
      }
    }
  });

  it('anomaly conversions are mutual inverses (elliptic, hyperbolic, parabolic), to the conditioning of the map', () => {
    // Near e → 1 the maps are badly conditioned around periapsis: an ulp of E or M moves ν by
    // dν/dE = √(1−e²)/(1 − e cos E) ≤ √((1+e)/(1−e)) and dν/dM = (1 + e cos ν)²/(1 − e²)^{3/2}.
    // Tolerances are a few ulps times those factors (the best any implementation can do).
    for (const e of [0, 0.2, 0.7, 0.99, 0.999999]) {
      for (const nu of [0, 0.3, 1.5, 3.0, -2.0, -3.1, 6.0, 10]) {
        const dNuDE = Math.sqrt((1 + e) / (1 - e));
        expect(eccentricToTrue(trueToEccentric(nu, e), e), `e=${e} ν=${nu}`).to.be.closeTo(nu, ulps(nu, 8) * dNuDE);
        const M = trueToMean(nu, e);
        const dNuDM = (1 + e * Math.cos(nu)) ** 2 / (1 - e * e) ** 1.5;
        expect(meanToTrue(M, e), `e=${e} ν=${nu}`).to.be.closeTo(nu, ulps(M, 8) * dNuDM + ulps(nu, 8));
      }
    }
    for (const e of [1 + 1e-6, 1.5, 4]) {
      const nuMax = Math.acos(-1 / e);
      for (const f of [0, 0.1, 0.5, -0.9, 0.99]) {
        const nu = f * nuMax;
        expect(hyperbolicToTrue(trueToHyperbolic(nu, e), e), `e=${e} ν=${nu}`).to.be.closeTo(nu, 1e-12);
        expect(meanToTrue(trueToMean(nu, e), e), `e=${e} ν=${nu}`).to.be.closeTo(nu, 1e-12);
      }
    }
    for (const nu of [-3, -1, -1e-9, 0, 0.5, 2, 3.1]) expect(meanToTrue(trueToMean(nu, 1), 1)).to.be.closeTo(nu, 1e-12);
  });

  it("Barker's equation: ν = 90° gives D = tan 45° = 1 and M = 1 + 1/3 (Battin §4.3)", () => {
    expect(trueToMean(Math.PI / 2, 1)).to.be.closeTo(4 / 3, 1e-15);
    expect(meanToTrue(4 / 3, 1)).to.be.closeTo(Math.PI / 2, 1e-15);
  });

  it('true → eccentric anomaly matches the half-angle formula tan(E/2) = √((1−e)/(1+e)) tan(ν/2) (Vallado §2.2)', () => {
    for (const e of [0.1, 0.6, 0.95]) {
      for (const nu of [0.2, 1.2, 2.9, -1.7]) {
        const expected = 2 * Math.atan(Math.sqrt((1 - e) / (1 + e)) * Math.tan(nu / 2));
        expect(wrapPi(trueToEccentric(nu, e) - expected)).to.be.closeTo(0, 1e-14);
      }
    }
  });

  it('rejects out-of-domain input with a message naming the value', () => {
    expect(() => solveKeplerElliptic(1, 1)).to.throw(RangeError, /e < 1, got 1/);
    expect(() => solveKeplerHyperbolic(1, 0.5)).to.throw(RangeError, /e > 1, got 0.5/);
    expect(() => solveKeplerElliptic(NaN, 0.1)).to.throw(RangeError, /NaN/);
    expect(() => trueToHyperbolic(3, 2)).to.throw(RangeError, /asymptote/);
  });
});
