import { expect } from 'chai';
import { AU_KM, dragAcceleration, harrisPriesterDensity, shadowFunction, srpAcceleration, SUN_RADIUS_KM, thirdBodyAcceleration } from '../forces';
import { MU_MOON_KM3_S2, MU_SUN_KM3_S2 } from '../../../sdk/astro/constants';

/**
 * Visible fraction of the solar disk from a point, by brute force: the disk is sampled on a
 * polar grid of directions (area-weighted), each checked against the Earth's angular disk.
 * Independent of the closed-form circle-overlap of forces.ts.
 */
function visibleFractionBruteForce(r: number[], s: number[], re = 6378.137): number {
  const d = [s[0] - r[0], s[1] - r[1], s[2] - r[2]];
  const dn = Math.hypot(...d);
  const u = d.map((x) => x / dn);
  // basis perpendicular to u
  const t = Math.abs(u[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const e1 = [u[1] * t[2] - u[2] * t[1], u[2] * t[0] - u[0] * t[2], u[0] * t[1] - u[1] * t[0]];
  const n1 = Math.hypot(...e1);
  const a1 = e1.map((x) => x / n1);
  const a2 = [u[1] * a1[2] - u[2] * a1[1], u[2] * a1[0] - u[0] * a1[2], u[0] * a1[1] - u[1] * a1[0]];
  const alpha = Math.asin(SUN_RADIUS_KM / dn);
  const rn = Math.hypot(...r);
  const toEarth = r.map((x) => -x / rn);
  const beta = Math.asin(re / rn);
  const cosBeta = Math.cos(beta);
  let vis = 0;
  let tot = 0;
  const NR = 300;
  const NT = 600;
  for (let i = 0; i < NR; i++) {
    const rho = (alpha * (i + 0.5)) / NR;
    for (let j = 0; j < NT; j++) {
      const th = (2 * Math.PI * (j + 0.5)) / NT;
      const dir = [0, 1, 2].map((k) => Math.cos(rho) * u[k] + Math.sin(rho) * (Math.cos(th) * a1[k] + Math.sin(th) * a2[k]));
      const w = Math.sin(rho);
      tot += w;
      const c = dir[0] * toEarth[0] + dir[1] * toEarth[1] + dir[2] * toEarth[2];
      if (c < cosBeta) vis += w;
    }
  }
  return vis / tot;
}

describe('numerical-propagator force models', () => {
  it('Harris–Priester: the densities of Montenbruck & Gill Table 3.8 at apex/antapex, exponential interpolation between rows', () => {
    // Values typed from M&G Table 3.8 (g/km³ = 1e-12 kg/m³): 400 km min 2.249 max 7.492; 420 km min 1.558 max 5.684;
    // 800 km min 0.007069 max 0.08059. cos ψ = 1 is the apex (max), −1 the antapex (min).
    const close = (a: number, b: number) => expect(Math.abs(a - b) / b).to.be.below(1e-12);
    close(harrisPriesterDensity(400, 1, 4), 7.492e-12);
    close(harrisPriesterDensity(400, -1, 4), 2.249e-12);
    close(harrisPriesterDensity(420, 1, 2), 5.684e-12);
    close(harrisPriesterDensity(800, -1, 6), 0.007069e-12);
    // midway 400–420 km the exponential interpolation is the geometric mean of the rows
    close(harrisPriesterDensity(410, -1, 4), Math.sqrt(2.249 * 1.558) * 1e-12);
    // ψ = 90°: cos^n(45°) = 2^(−n/2) weighting of (max − min)
    close(harrisPriesterDensity(400, 0, 6), (2.249 + (7.492 - 2.249) / 8) * 1e-12);
    expect(harrisPriesterDensity(1000.5, 1, 4)).to.equal(0);
  });

  it('conical shadow: full light, umbra, and penumbra fractions equal a brute-force overlap of the two disks (±2e-3)', () => {
    const sun = [AU_KM, 0, 0];
    expect(shadowFunction(0, 7000, 0, sun[0], sun[1], sun[2])).to.equal(1);
    expect(shadowFunction(-7000, 0, 0, sun[0], sun[1], sun[2])).to.equal(0);
    expect(shadowFunction(7000, 0, 0, sun[0], sun[1], sun[2])).to.equal(1);
    // penumbra: a satellite behind the Earth at the umbra/penumbra edge, scanned across it
    let sawPartial = 0;
    for (const y of [6300, 6350, 6360, 6378.137, 6390, 6400, 6420]) {
      const r = [-7000, y, 0];
      const nu = shadowFunction(r[0], r[1], r[2], sun[0], sun[1], sun[2]);
      const ref = visibleFractionBruteForce(r, sun);
      // the grid (300 × 600 samples) resolves fractions to ~1e-3
      expect(Math.abs(nu - ref), `y = ${y}: ν = ${nu}, brute force ${ref}`).to.be.below(2e-3);
      if (nu > 0.01 && nu < 0.99) sawPartial++;
    }
    expect(sawPartial).to.be.greaterThan(2);
    // annular geometry: far behind the Earth, beyond the umbra cone tip (~1.38e6 km), the Earth
    // covers the middle of the Sun: ν = 1 − b²/a²
    const far = [-2.0e6, 0, 0];
    const nu = shadowFunction(far[0], far[1], far[2], sun[0], sun[1], sun[2]);
    expect(Math.abs(nu - visibleFractionBruteForce(far, sun))).to.be.below(2e-3);
  });

  it('third body: Battin form equals the direct difference μ[(s−r)/|s−r|³ − s/|s|³] to 1e-10 relative (Sun, Moon)', () => {
    // direct formula loses ~log10(|s|/|r|) digits to cancellation: ≤ 1e-11 relative for the Sun at LEO
    const cases: [number[], number[], number][] = [
      [[7000, 100, -300], [1.3e8, -6.5e7, -2.8e7], MU_SUN_KM3_S2],
      [[42164, 0, 0], [-2.0e5, 3.0e5, 1.2e5], MU_MOON_KM3_S2],
      [[-6800, 1200, 2500], [3.8e5, 1.0e4, -2.0e4], MU_MOON_KM3_S2],
    ];
    for (const [r, s, mu] of cases) {
      const out = [0, 0, 0];
      thirdBodyAcceleration(r[0], r[1], r[2], s[0], s[1], s[2], mu, out);
      const d = [s[0] - r[0], s[1] - r[1], s[2] - r[2]];
      const dn = Math.hypot(...d);
      const sn = Math.hypot(...s);
      const ref = [0, 1, 2].map((i) => mu * (d[i] / dn ** 3 - s[i] / sn ** 3));
      const err = Math.hypot(out[0] - ref[0], out[1] - ref[1], out[2] - ref[2]);
      expect(err / Math.hypot(...ref)).to.be.below(1e-10);
    }
  });

  it('SRP at 1 AU in full light is P⊙ C_R A/m away from the Sun; drag is ½ C_D A/m ρ v² against the relative velocity', () => {
    const out = [0, 0, 0];
    // satellite on the far side of the Sun line but off the Earth's shadow: distance to Sun ≈ 1 AU
    const nu = srpAcceleration(0, 7000, 0, AU_KM, 7000, 0, 1.5, 20, 500, true, out);
    expect(nu).to.equal(1);
    // 4.56e-6 N/m² × 1.5 × 20/500 m²/kg = 2.736e-7 m/s² = 2.736e-10 km/s², along −x
    expect(out[0]).to.be.closeTo(-2.736e-10, 1e-22);
    expect(Math.abs(out[1]) + Math.abs(out[2])).to.be.below(1e-25);
    const d = [0, 0, 0];
    // ρ = 1e-12 kg/m³, v = 7.5 km/s, C_D A/m = 2.2 × 10/1000: a = ½ 0.022 1e-12 (7500)² m/s² = 6.1875e-7 m/s²
    dragAcceleration(7.5, 0, 0, 1e-12, 2.2, 10, 1000, d);
    expect(d[0]).to.be.closeTo(-6.1875e-10, 1e-22);
  });
});

describe('numerical-propagator geodetic height (one Bowring step)', () => {
  it('equals sdk/astro/frames cartesianToGeodetic (iterated) to 1 mm from 0 to 2000 km, all latitudes', async () => {
    const { cartesianToGeodetic, geodeticToCartesian } = await import('../../../sdk/astro/frames');
    const { geodeticHeightKm } = await import('../forces');
    for (let lat = -90; lat <= 90; lat += 7.5)
      for (const h of [0, 150, 400, 800, 2000]) {
        const p = geodeticToCartesian({ latRad: (lat * Math.PI) / 180, lonRad: 0.7, heightKm: h });
        expect(Math.abs(geodeticHeightKm(p[0], p[1], p[2]) - cartesianToGeodetic(p).heightKm)).to.be.below(1e-6);
      }
  });
});
