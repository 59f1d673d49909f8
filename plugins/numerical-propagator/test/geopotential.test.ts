import { expect } from 'chai';
import { Geopotential } from '../geopotential';
import { GfcFormatError, parseGfc } from '../gfc';
import { referenceField } from './helpers';

/**
 * Independent potential: fully normalized associated Legendre functions P̄_nm(sin φ) by the
 * standard forward-column recursion in latitude (Holmes & Featherstone 2002, eqs. 11–13), then
 * U = GM/r Σ (R/r)^n P̄_nm (C̄ cos mλ + S̄ sin mλ) — no V/W quantities, so it checks the
 * Cunningham recursion of geopotential.ts from the outside.
 */
function directPotential(field: ReturnType<typeof referenceField>, N: number, M: number, x: number, y: number, z: number): number {
  const r = Math.hypot(x, y, z);
  const t = z / r;
  const u = Math.sqrt(1 - t * t);
  const lam = Math.atan2(y, x);
  const P: number[][] = [];
  for (let n = 0; n <= N; n++) P.push(new Array<number>(n + 1).fill(0));
  P[0][0] = 1;
  for (let m = 1; m <= N; m++) P[m][m] = u * Math.sqrt((m === 1 ? 3 : (2 * m + 1) / (2 * m))) * P[m - 1][m - 1];
  for (let m = 0; m <= N; m++) {
    if (m + 1 <= N) P[m + 1][m] = Math.sqrt(2 * m + 3) * t * P[m][m];
    for (let n = m + 2; n <= N; n++) {
      const a = Math.sqrt(((2 * n - 1) * (2 * n + 1)) / ((n - m) * (n + m)));
      const b = Math.sqrt(((2 * n + 1) * (n + m - 1) * (n - m - 1)) / ((n - m) * (n + m) * (2 * n - 3)));
      P[n][m] = a * t * P[n - 1][m] - b * P[n - 2][m];
    }
  }
  let sum = 0;
  for (let n = N; n >= 0; n--) {
    const q = Math.pow(field.radiusKm / r, n);
    for (let m = Math.min(n, M); m >= 0; m--) sum += q * P[n][m] * (field.cnm[n][m] * Math.cos(m * lam) + field.snm[n][m] * Math.sin(m * lam));
  }
  return (field.muKm3S2 / r) * sum;
}

/** Five-point central difference of the potential (error O(h⁴)). */
function gradientFd(g: Geopotential, p: number[], h: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 3; i++) {
    const at = (d: number): number => {
      const q = [...p];
      q[i] += d;
      return g.potential(q[0], q[1], q[2]);
    };
    out.push((-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h));
  }
  return out;
}

const POINTS: number[][] = [
  [6778.137, 0, 0],
  [-3120.5, 4501.2, 4200.9],
  [1000.3, -2000.7, 6700.1], // high latitude
  [4000, 3000, -5100.5],
  [42164, 100, 50], // GEO
  [6600, 1, -1], // low perigee
];

describe('numerical-propagator geopotential (normalized V/W recursion)', () => {
  for (const model of ['JGM3', 'EGM2008'] as const) {
    const field = referenceField(model);
    const N = 70;
    const g = new Geopotential(field, N, N);

    it(`${model} ${N}×${N}: potential equals an independent Legendre summation to 1e-13 relative`, () => {
      // Tolerance: both are double-precision sums of ~2,500 terms of size ≤ GM/r; 1e-13 leaves ~500 ulp.
      for (const p of POINTS) {
        const u1 = g.potential(p[0], p[1], p[2]);
        const u2 = directPotential(field, N, N, p[0], p[1], p[2]);
        expect(Math.abs(u1 - u2) / Math.abs(u2)).to.be.below(1e-13);
      }
    });

    it(`${model} ${N}×${N}: acceleration equals the finite-difference gradient of the potential (1e-9 of the total, 1e-6 of the non-central part)`, () => {
      // Step h = 2e-5 r (135 m in LEO, 840 m at GEO): the 5-point stencil's truncation error
      // ~ (h/λ)⁴ relative, λ ≈ 90 km the length scale of degree 70 in LEO → 5e-12; round-off of the
      // reference ε·U/h ≈ 1e-16·60/0.135 ≈ 5e-14 km/s². Tolerances: 1e-9 relative to the total
      // acceleration (the figure) and, stricter, 1e-6 relative to the NON-CENTRAL part alone
      // (1e-6 rather than 1e-9 because the round-off of the finite-difference reference, ~1e-7 of
      // the non-central part at GEO, bounds what can be checked).
      for (const p of POINTS) {
        const a = [0, 0, 0];
        g.accelerationItrf(p[0], p[1], p[2], a);
        const r = Math.hypot(p[0], p[1], p[2]);
        const fd = gradientFd(g, p, 2e-5 * r);
        const central = p.map((c) => (-field.muKm3S2 * c) / (r * r * r));
        const pert = a.map((c, i) => c - central[i]);
        const err = Math.hypot(a[0] - fd[0], a[1] - fd[1], a[2] - fd[2]);
        expect(err / Math.hypot(a[0], a[1], a[2]), `total at ${p}`).to.be.below(1e-9);
        expect(err / Math.hypot(pert[0], pert[1], pert[2]), `non-central at ${p}`).to.be.below(1e-6);
      }
    });

    it(`${model} ${N}×${N}: analytic gradient of the acceleration equals its finite differences (2e-10 of |G|, 1e-6 of the non-central part) and is traceless (Laplace, 1e-14)`, () => {
      // 5-point central differences of accelerationItrf with h = 0.5 km: round-off ε|a|/h ≈ 4e-18 /s²
      // (4e-12 of |G| ~ 1e-6 /s² in LEO), truncation (h/λ)⁴ ≈ 1e-9 of the degree-70 part only.
      // Measured: ≤ 3.8e-11 of |G|, ≤ 1.5e-7 of the non-central part, trace ≤ 3.6e-15 of |G|.
      // ∇²U = 0 outside the Earth is an independent property the weights must satisfy.
      const h = 0.5;
      for (const p of POINTS) {
        const G = new Float64Array(9);
        g.gradientItrf(p[0], p[1], p[2], G);
        const acc = (q: number[]): number[] => {
          const o = [0, 0, 0];
          g.accelerationItrf(q[0], q[1], q[2], o);
          return o;
        };
        const r = Math.hypot(p[0], p[1], p[2]);
        let d = 0;
        let size = 0;
        let nonCentral = 0;
        for (let j = 0; j < 3; j++) {
          const at = (dx: number): number[] => acc(p.map((c, k) => (k === j ? c + dx : c)));
          const [a2, a1, b1, b2] = [at(2 * h), at(h), at(-h), at(-2 * h)];
          for (let i = 0; i < 3; i++) {
            const fd = (-a2[i] + 8 * a1[i] - 8 * b1[i] + b2[i]) / (12 * h);
            const g0 = (field.muKm3S2 / r ** 5) * (3 * p[i] * p[j] - (i === j ? r * r : 0));
            d += (G[3 * i + j] - fd) ** 2;
            size += fd ** 2;
            nonCentral += (fd - g0) ** 2;
          }
        }
        expect(Math.sqrt(d / size), `total at ${p}`).to.be.below(2e-10);
        expect(Math.sqrt(d / nonCentral), `non-central at ${p}`).to.be.below(1e-6);
        expect(Math.abs(G[0] + G[4] + G[8]) / Math.sqrt(size), `trace at ${p}`).to.be.below(1e-14);
        expect(G[1]).to.equal(G[3]);
      }
    });
  }

  it('J2-only field matches the closed-form J2 acceleration (Vallado 4th ed. eq. 8-29) to 1e-14 relative', () => {
    const field = referenceField('JGM3');
    const g = new Geopotential(field, 2, 0);
    const J2 = -field.cnm[2][0] * Math.sqrt(5);
    const mu = field.muKm3S2;
    const R = field.radiusKm;
    for (const [x, y, z] of POINTS) {
      const r = Math.hypot(x, y, z);
      const k = (-1.5 * J2 * mu * R * R) / Math.pow(r, 5);
      const zr = (5 * z * z) / (r * r);
      const exp = [(-mu * x) / r ** 3 + k * x * (1 - zr), (-mu * y) / r ** 3 + k * y * (1 - zr), (-mu * z) / r ** 3 + k * z * (3 - zr)];
      const a = [0, 0, 0];
      g.accelerationItrf(x, y, z, a);
      for (let i = 0; i < 3; i++) expect(Math.abs(a[i] - exp[i])).to.be.below(1e-14 * Math.hypot(...exp));
    }
  });

  it('refuses degrees beyond the model and malformed files with the line number', () => {
    const field = referenceField('JGM3');
    expect(() => new Geopotential(field, 71, 0)).to.throw(/exceeds the JGM3 model's degree 70/);
    expect(() => new Geopotential(field, 4, 5)).to.throw(/order 5/);
    const bad = 'modelname X\nearth_gravity_constant 3.986004415E+14\nradius 6378136.3\nmax_degree 2\nend_of_head ===\ngfc 0 0 1.0 0.0\ngfc 2 0 abc 0.0\n';
    expect(() => parseGfc(bad, 'bad.gfc')).to.throw(GfcFormatError, /bad\.gfc:7: coefficients 'abc 0\.0' of \(2, 0\)/);
    expect(() => parseGfc('no header', 'x.gfc')).to.throw(/end_of_head/);
    const missing = 'modelname X\nearth_gravity_constant 3.986004415E+14\nradius 6378136.3\nmax_degree 2\nend_of_head ===\ngfc 0 0 1.0 0.0\ngfc 2 0 1e-3 0.0\n';
    expect(() => parseGfc(missing, 'm.gfc')).to.throw(/coefficient \(2, 1\) is missing/);
  });
});
