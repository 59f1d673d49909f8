/**
 * Perturbing accelerations other than the geopotential: third bodies, solar radiation
 * pressure with a conical Earth shadow, and atmospheric drag with the Harris–Priester density
 * model. Pure functions over plain numbers (km, km/s, s; areas m², masses kg).
 */

/**
 * Third-body point-mass acceleration on a satellite at r (geocentric) from a body at s:
 * a = μ [(s − r)/|s − r|³ − s/|s|³]. Written in Battin's form (Battin, "An Introduction to the
 * Mathematics and Methods of Astrodynamics", 1999, §8.4 eqs. 8.60–8.61) to avoid the
 * cancellation of the two nearly equal terms (|r|/|s| ≈ 2e-2 for the Moon, 5e-5 for the Sun):
 *   q = r·(r − 2s)/|s|²,  F(q) = q (3 + 3q + q²)/(1 + (1 + q)^{3/2}),
 *   a = −μ/|s − r|³ (r + F(q) s).
 */
export function thirdBodyAcceleration(rx: number, ry: number, rz: number, sx: number, sy: number, sz: number, muKm3S2: number, out: Float64Array | number[], o = 0): void {
  const s2 = sx * sx + sy * sy + sz * sz;
  const q = (rx * (rx - 2 * sx) + ry * (ry - 2 * sy) + rz * (rz - 2 * sz)) / s2;
  const F = (q * (3 + 3 * q + q * q)) / (1 + (1 + q) * Math.sqrt(1 + q));
  const dx = sx - rx;
  const dy = sy - ry;
  const dz = sz - rz;
  const d2 = dx * dx + dy * dy + dz * dz;
  const k = -muKm3S2 / (d2 * Math.sqrt(d2));
  out[o] += k * (rx + F * sx);
  out[o + 1] += k * (ry + F * sy);
  out[o + 2] += k * (rz + F * sz);
}

/** Solar radius (km) and Earth equatorial radius (km) of the shadow model (Montenbruck & Gill §3.4.2). */
export const SUN_RADIUS_KM = 696_000;
export const EARTH_SHADOW_RADIUS_KM = 6378.137;
/** Solar radiation pressure at 1 AU, N/m² (Montenbruck & Gill 2000, eq. 3.69: P⊙ = 4.56e-6 N/m²). */
export const SOLAR_PRESSURE_1AU_N_M2 = 4.56e-6;
export const AU_KM = 149_597_870.7;

/**
 * Fraction of the solar disk visible from r (0 = umbra, 1 = full sunlight), conical model with
 * a spherical Earth (Montenbruck & Gill 2000, §3.4.2, eqs. 3.85–3.87): apparent radii
 * a = asin(R⊙/|s − r|) of the Sun and b = asin(R⊕/|r|) of the Earth, apparent separation
 * c = angle between −r and s − r; the occulted area of two overlapping disks is
 *   A = a² acos(x/a) + b² acos((c − x)/b) − c y,  x = (c² + a² − b²)/(2c),  y = √(a² − x²)
 * and ν = 1 − A/(π a²); annular eclipse (b < a, c < a − b): ν = 1 − b²/a².
 */
export function shadowFunction(rx: number, ry: number, rz: number, sx: number, sy: number, sz: number, earthRadiusKm = EARTH_SHADOW_RADIUS_KM): number {
  const dx = sx - rx;
  const dy = sy - ry;
  const dz = sz - rz;
  const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
  const r = Math.sqrt(rx * rx + ry * ry + rz * rz);
  if (r <= earthRadiusKm) return 0;
  const a = Math.asin(Math.min(1, SUN_RADIUS_KM / d));
  const b = Math.asin(earthRadiusKm / r);
  const cosc = -(rx * dx + ry * dy + rz * dz) / (r * d);
  const c = Math.acos(Math.max(-1, Math.min(1, cosc)));
  if (c >= a + b) return 1;
  if (c <= b - a) return 0;
  if (c <= a - b) return 1 - (b * b) / (a * a);
  const x = (c * c + a * a - b * b) / (2 * c);
  const y = Math.sqrt(Math.max(0, a * a - x * x));
  const area = a * a * Math.acos(Math.max(-1, Math.min(1, x / a))) + b * b * Math.acos(Math.max(-1, Math.min(1, (c - x) / b))) - c * y;
  return Math.max(0, Math.min(1, 1 - area / (Math.PI * a * a)));
}

/**
 * Switching functions of the conical shadow of `shadowFunction` (same a, b, c), smooth in time,
 * written to out[o], out[o + 1]:
 *   penumbra boundary  g₀ = c − (a + b)   (> 0 in full light, < 0 in penumbra or umbra)
 *   umbra boundary     g₁ = c − (b − a)   (< 0 in umbra, > 0 outside)
 * The disks touch externally at c = a + b and the Earth's disk just covers the Sun's at
 * c = b − a (Montenbruck & Gill 2000 §3.4.2): the roots are the entry/exit instants.
 */
export function shadowBoundaries(rx: number, ry: number, rz: number, sx: number, sy: number, sz: number, out: Float64Array, o = 0, earthRadiusKm = EARTH_SHADOW_RADIUS_KM): void {
  const dx = sx - rx;
  const dy = sy - ry;
  const dz = sz - rz;
  const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
  const r = Math.sqrt(rx * rx + ry * ry + rz * rz);
  const a = Math.asin(Math.min(1, SUN_RADIUS_KM / d));
  const b = Math.asin(Math.min(1, earthRadiusKm / r));
  const cosc = -(rx * dx + ry * dy + rz * dz) / (r * d);
  const c = Math.acos(Math.max(-1, Math.min(1, cosc)));
  out[o] = c - (a + b);
  out[o + 1] = c - (b - a);
}

/**
 * Cannonball solar radiation pressure (Montenbruck & Gill 2000, eq. 3.75):
 *   a = −ν P⊙ C_R (A/m) (AU/|s − r|)² e_{r→s}
 * i.e. pointing away from the Sun; P⊙ in N/m², A in m², m in kg → m/s², converted to km/s².
 * Adds to out; returns ν.
 */
export function srpAcceleration(rx: number, ry: number, rz: number, sx: number, sy: number, sz: number, cr: number, areaM2: number, massKg: number, shadow: boolean, out: Float64Array | number[], o = 0): number {
  const nu = shadow ? shadowFunction(rx, ry, rz, sx, sy, sz) : 1;
  if (nu === 0) return 0;
  const dx = rx - sx;
  const dy = ry - sy;
  const dz = rz - sz;
  const d2 = dx * dx + dy * dy + dz * dz;
  const d = Math.sqrt(d2);
  const k = (nu * SOLAR_PRESSURE_1AU_N_M2 * cr * (areaM2 / massKg) * ((AU_KM * AU_KM) / d2)) / 1000 / d;
  out[o] += k * dx;
  out[o + 1] += k * dy;
  out[o + 2] += k * dz;
  return nu;
}

/**
 * Harris–Priester density table for mean solar activity (Montenbruck & Gill 2000, Table 3.8,
 * from Long et al. 1989): height (km), minimum (antapex) and maximum (apex) density in g/km³
 * (= 1e-12 kg/m³).
 */
export const HARRIS_PRIESTER_TABLE: readonly (readonly [number, number, number])[] = [
  [100, 497400.0, 497400.0], [120, 24900.0, 24900.0], [130, 8377.0, 8710.0], [140, 3899.0, 4059.0],
  [150, 2122.0, 2215.0], [160, 1263.0, 1344.0], [170, 800.8, 875.8], [180, 528.3, 601.0],
  [190, 361.7, 429.7], [200, 255.7, 316.2], [210, 183.9, 239.6], [220, 134.1, 185.3],
  [230, 99.49, 145.5], [240, 74.88, 115.7], [250, 57.09, 93.08], [260, 44.03, 75.55],
  [270, 34.3, 61.82], [280, 26.97, 50.95], [290, 21.39, 42.26], [300, 17.08, 35.26],
  [320, 10.99, 25.11], [340, 7.214, 18.19], [360, 4.824, 13.37], [380, 3.274, 9.955],
  [400, 2.249, 7.492], [420, 1.558, 5.684], [440, 1.091, 4.355], [460, 0.7701, 3.362],
  [480, 0.5474, 2.612], [500, 0.3916, 2.042], [520, 0.2819, 1.605], [540, 0.2042, 1.267],
  [560, 0.1488, 1.005], [580, 0.1092, 0.7997], [600, 0.0807, 0.639], [620, 0.06012, 0.5123],
  [640, 0.04519, 0.4121], [660, 0.0343, 0.3325], [680, 0.02632, 0.2691], [700, 0.02043, 0.2185],
  [720, 0.01607, 0.1779], [740, 0.01281, 0.1452], [760, 0.01036, 0.119], [780, 0.008496, 0.09776],
  [800, 0.007069, 0.08059], [840, 0.00468, 0.05741], [880, 0.0032, 0.0421], [920, 0.00221, 0.0313],
  [960, 0.00156, 0.0236], [1000, 0.00115, 0.0181],
];
const HP_H = HARRIS_PRIESTER_TABLE.map((r) => r[0]);
/** Scale heights of each interval, (h_i − h_{i+1}) / ln(ρ_{i+1}/ρ_i) (M&G eq. 3.100). */
const HP_HMIN = HARRIS_PRIESTER_TABLE.slice(0, -1).map((r, i) => (r[0] - HARRIS_PRIESTER_TABLE[i + 1][0]) / Math.log(HARRIS_PRIESTER_TABLE[i + 1][1] / r[1]));
const HP_HMAX = HARRIS_PRIESTER_TABLE.slice(0, -1).map((r, i) => (r[0] - HARRIS_PRIESTER_TABLE[i + 1][0]) / Math.log(HARRIS_PRIESTER_TABLE[i + 1][2] / r[2]));
/** Right-ascension lag of the diurnal bulge apex behind the Sun, 30° (M&G §3.5.2). */
export const HP_LAG_RAD = (30 * Math.PI) / 180;

/**
 * Harris–Priester density (kg/m³), Montenbruck & Gill 2000 §3.5.2 (eqs. 3.100–3.104):
 *   ρ = ρ_min(h) + (ρ_max(h) − ρ_min(h)) cos^n(ψ/2),
 * ρ_min/ρ_max interpolated exponentially in the table, ψ the angle between the satellite and
 * the bulge apex (Sun direction turned by +30° in right ascension), n = 2 (low inclination) to
 * 6 (polar). Outside 100–1000 km: 0 above, the 100 km values held below (the caller stops
 * a propagation at decay long before).
 *
 * `heightKm`: geodetic height; `cosPsi`: cosine of the angle satellite–apex.
 */
export function harrisPriesterDensity(heightKm: number, cosPsi: number, n: number): number {
  if (heightKm >= 1000) return 0;
  let i = 0;
  if (heightKm > 100) {
    let lo = 0;
    let hi = HP_H.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (HP_H[mid] <= heightKm) lo = mid;
      else hi = mid;
    }
    i = lo;
  }
  const h = Math.max(heightKm, 100);
  const row = HARRIS_PRIESTER_TABLE[i];
  const dMin = row[1] * Math.exp((row[0] - h) / HP_HMIN[i]);
  const dMax = row[2] * Math.exp((row[0] - h) / HP_HMAX[i]);
  const c2 = Math.max(0, 0.5 + 0.5 * cosPsi); // cos²(ψ/2)
  return (dMin + (dMax - dMin) * Math.pow(c2, n / 2)) * 1e-12;
}

/** Unit vector of the diurnal bulge apex from the Sun's position (inertial): RA + 30°, same declination. */
export function bulgeApex(sx: number, sy: number, sz: number, out: Float64Array | number[]): void {
  const s = Math.sqrt(sx * sx + sy * sy + sz * sz);
  const dec = Math.asin(sz / s);
  const ra = Math.atan2(sy, sx) + HP_LAG_RAD;
  const cd = Math.cos(dec);
  out[0] = cd * Math.cos(ra);
  out[1] = cd * Math.sin(ra);
  out[2] = Math.sin(dec);
}

/**
 * Drag acceleration (Montenbruck & Gill 2000, eq. 3.97): a = −½ C_D (A/m) ρ |v_r| v_r with the
 * velocity relative to an atmosphere co-rotating with the Earth, v_r = v − ω⊕ × r.
 * ρ in kg/m³, A in m², m in kg, v in km/s → the factor 1000 gives km/s². Adds to out.
 */
export function dragAcceleration(vrx: number, vry: number, vrz: number, rhoKgM3: number, cd: number, areaM2: number, massKg: number, out: Float64Array | number[], o = 0): void {
  const v = Math.sqrt(vrx * vrx + vry * vry + vrz * vrz);
  const k = -0.5 * cd * (areaM2 / massKg) * rhoKgM3 * v * 1000;
  out[o] += k * vrx;
  out[o + 1] += k * vry;
  out[o + 2] += k * vrz;
}

const WGS84_A = 6378.137;
const WGS84_F = 1 / 298.257223563;
const WGS84_B = WGS84_A * (1 - WGS84_F);
const WGS84_E2 = WGS84_F * (2 - WGS84_F);
const WGS84_EP2 = WGS84_E2 / (1 - WGS84_E2);

/**
 * Geodetic height (km, WGS-84) of an Earth-fixed position (km) by one step of Bowring's method
 * (Bowring 1976, Survey Review 23(181)): from the parametric latitude of the point's
 * direction, φ = atan2(z + e′² b sin³β, p − e² a cos³β), h = p cos φ + z sin φ − a √(1 − e² sin² φ).
 * One step is accurate to well below a millimetre for heights under 10,000 km — the same
 * formulas sdk/astro/frames `cartesianToGeodetic` iterates, without its allocations (this sits
 * in the drag force, called ~10⁴ times per propagated day; it shares `geodeticLatitudeHeight`).
 * Checked against it in forces.test.ts.
 */
const latHeight = new Float64Array(2);
export function geodeticHeightKm(x: number, y: number, z: number): number {
  geodeticLatitudeHeight(x, y, z, latHeight);
  return latHeight[1];
}

/**
 * Geodetic latitude (rad, into out[0]) and height (km, out[1]), WGS-84, of an Earth-fixed
 * position (km): the same one step of Bowring's method as `geodeticHeightKm` (same accuracy),
 * for the NRLMSISE-00 density, which also needs the latitude.
 */
export function geodeticLatitudeHeight(x: number, y: number, z: number, out: Float64Array | number[]): void {
  const p = Math.sqrt(x * x + y * y);
  const za = z * WGS84_A;
  const pb = p * WGS84_B;
  const hb = Math.sqrt(za * za + pb * pb);
  const sb = za / hb;
  const cb = pb / hb;
  const num = z + WGS84_EP2 * WGS84_B * sb * sb * sb;
  const den = p - WGS84_E2 * WGS84_A * cb * cb * cb;
  const hl = Math.sqrt(num * num + den * den);
  const sl = num / hl;
  const cl = den / hl;
  out[0] = Math.atan2(sl, cl);
  out[1] = p * cl + z * sl - WGS84_A * Math.sqrt(1 - WGS84_E2 * sl * sl);
}
