import { expect } from 'chai';
import { readReferenceText } from '../../reference-data';
import { MU_EARTH_KM3_S2, WGS84_A_KM, WGS84_F } from '../constants';
import { type Mat3, add, cross, dot, mulMV, norm, scale } from '../vec';
import {
  cartesianToGeodetic,
  covarianceInertialToLocal,
  covarianceLocalToInertial,
  enuRotation,
  geodeticToCartesian,
  lookAngles,
  rtnRotation,
  sezRotation,
  tnwRotation,
  type Geodetic,
} from '../frames';

const DEG = Math.PI / 180;

describe('frames: WGS-84 geodetic ↔ Earth-fixed', () => {
  it('round trips to < 0.1 mm for heights −1000…50 000 km, all latitudes incl. poles and equator', () => {
    let worst = 0;
    const lats = [-90, -89.999999, -60, -45.5, -10, -1e-9, 0, 1e-9, 0.3, 30, 45, 67.8, 89.9999999, 90];
    const heights = [-1000, -50, 0, 0.001, 0.5, 400, 20200, 35786, 50000];
    for (const lat of lats) {
      for (const h of heights) {
        for (const lon of [-180, -123.4, 0, 0.5, 90, 179.999]) {
          const g: Geodetic = { latRad: lat * DEG, lonRad: lon * DEG, heightKm: h };
          const p = geodeticToCartesian(g);
          const back = cartesianToGeodetic(p);
          const p2 = geodeticToCartesian(back);
          const err = Math.hypot(p2[0] - p[0], p2[1] - p[1], p2[2] - p[2]);
          worst = Math.max(worst, err);
          expect(err, `lat ${lat} lon ${lon} h ${h}`).to.be.below(1e-7); // 0.1 mm in km
          expect(Math.abs(back.heightKm - h), `h at lat ${lat} h ${h}`).to.be.below(1e-7);
          expect(Math.abs(back.latRad - g.latRad) * (WGS84_A_KM + Math.abs(h)), `lat at ${lat} h ${h}`).to.be.below(1e-7);
        }
      }
    }
    expect(worst).to.be.below(1e-7);
  });

  it('poles and equator: exact closed-form values (b = a(1 − f) at the pole, a at the equator)', () => {
    const north = cartesianToGeodetic([0, 0, WGS84_A_KM * (1 - WGS84_F) + 100]);
    expect(north.latRad).to.equal(Math.PI / 2);
    expect(north.heightKm).to.be.closeTo(100, 1e-9);
    const south = cartesianToGeodetic([0, 0, -(WGS84_A_KM * (1 - WGS84_F)) + 1]);
    expect(south.latRad).to.equal(-Math.PI / 2);
    expect(south.heightKm).to.be.closeTo(-1, 1e-9);
    const eq = cartesianToGeodetic([0, -(WGS84_A_KM + 35786), 0]);
    expect(eq.latRad).to.equal(0);
    expect(eq.lonRad).to.be.closeTo(-Math.PI / 2, 1e-15);
    expect(eq.heightKm).to.be.closeTo(35786, 1e-9);
    expect(() => cartesianToGeodetic([0, 0, 0])).to.throw(RangeError, /geocentre/);
  });

  it('Vallado 4th ed. Example 3-3: r = (6524.834, 6862.875, 6448.296) km → φ = 34.352496°, λ = 46.4464°, h = 5085.22 km', () => {
    // Published to 6, 4 and 2 decimals; Vallado's example uses slightly different Earth
    // constants (R = 6378.1363 km), which moves φ by < 1e-6°: tolerances 2e-6°, 1e-4°, 0.01 km.
    const g = cartesianToGeodetic([6524.834, 6862.875, 6448.296]);
    expect(g.latRad / DEG).to.be.closeTo(34.352496, 2e-6);
    expect(g.lonRad / DEG).to.be.closeTo(46.4464, 1e-4);
    expect(g.heightKm).to.be.closeTo(5085.22, 0.01);
  });

  it('NASA NDOSL geodetic coordinates of the DSN antennas give the NAIF ITRF93 Cartesian positions to 5 mm', () => {
    // ndosl_140530_v01.cmt lists WGS-84 latitude, east longitude (1e-10°) and height (1 mm);
    // earthstns_itrf93_050714.cmt the ITRF93 x, y, z (0.1 mm) of the same antennas. Measured
    // agreement 0.5–2 mm (the rounding of the dd mm ss.ssss source values, 0.00005" ≈ 1.5 mm):
    // tolerance 5 mm. DSS-65 is left out: the DSN file lists its pre-2005 location first.
    const ndosl = readReferenceText('ground-stations/naif-ndosl/ndosl_140530_v01.cmt');
    const dsn = readReferenceText('ground-stations/naif-ndosl/earthstns_itrf93_050714.cmt');
    const pairs = [['DS14', 'DSS-14'], ['DS15', 'DSS-15'], ['DS16', 'DSS-16'], ['DS24', 'DSS-24'], ['DS25', 'DSS-25'], ['DS34', 'DSS-34'], ['DS43', 'DSS-43'], ['DS45', 'DSS-45'], ['DS54', 'DSS-54'], ['DS63', 'DSS-63']];
    for (const [nd, ds] of pairs) {
      const m = new RegExp(`NDOSL_${nd}_LATLON\\s*=\\s*\\(\\s*(\\S+),\\s*(\\S+),\\s*(\\S+)\\s*\\)`).exec(ndosl);
      const x = new RegExp(`${ds}_XYZ\\s*=\\s*\\(\\s*(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*\\)`).exec(dsn);
      expect(m, nd).to.not.equal(null);
      expect(x, ds).to.not.equal(null);
      const p = geodeticToCartesian({ latRad: Number(m![1]) * DEG, lonRad: Number(m![2]) * DEG, heightKm: Number(m![3]) });
      const err = Math.hypot(p[0] - Number(x![1]), p[1] - Number(x![2]), p[2] - Number(x![3]));
      expect(err, `${ds}: ${err * 1e6} mm`).to.be.below(5e-6);
    }
  });
});

describe('frames: topocentric (SEZ/ENU) look angles', () => {
  const station: Geodetic = { latRad: 43.428696 * DEG, lonRad: 1.499412 * DEG, heightKm: 0.260479 }; // Aussaguel (NDOSL AUSS)
  const enu = enuRotation(station);
  const site = geodeticToCartesian(station);
  const at = (e: number, n: number, u: number) => add(site, add(add(scale(enu[0], e), scale(enu[1], n)), scale(enu[2], u)));

  it('ENU and SEZ are orthonormal and right-handed, up is the ellipsoid normal', () => {
    for (const m of [enu, sezRotation(station)]) {
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(dot(m[i], m[j])).to.be.closeTo(i === j ? 1 : 0, 1e-15);
      const c = cross(m[0], m[1]);
      for (let k = 0; k < 3; k++) expect(c[k]).to.be.closeTo(m[2][k], 1e-15);
    }
    // the up vector is the ellipsoid's gradient (x/a², y/a², z/b²) at the foot point (h = 0)
    const b = WGS84_A_KM * (1 - WGS84_F);
    const foot = geodeticToCartesian({ ...station, heightKm: 0 });
    const g = [foot[0] / WGS84_A_KM ** 2, foot[1] / WGS84_A_KM ** 2, foot[2] / b ** 2];
    const gn = norm(g);
    for (let k = 0; k < 3; k++) expect(enu[2][k]).to.be.closeTo(g[k] / gn, 1e-14);
  });

  it('zenith, north, east and south-west targets give the hand-computed az/el/range', () => {
    const zen = lookAngles(station, at(0, 0, 1000), [0, 0, 0]);
    expect(zen.elevationRad / DEG).to.be.closeTo(90, 1e-9);
    expect(zen.rangeKm).to.be.closeTo(1000, 1e-9);
    const north = lookAngles(station, at(0, 500, 0), [0, 0, 0]);
    expect(north.azimuthRad / DEG).to.be.closeTo(0, 1e-9);
    expect(north.elevationRad).to.be.closeTo(0, 1e-12);
    const east = lookAngles(station, at(300, 0, 300), [0, 0, 0]);
    expect(east.azimuthRad / DEG).to.be.closeTo(90, 1e-9);
    expect(east.elevationRad / DEG).to.be.closeTo(45, 1e-9);
    const sw = lookAngles(station, at(-100, -100, -100 * Math.SQRT2 * Math.tan(10 * DEG)), [0, 0, 0]);
    expect(sw.azimuthRad / DEG).to.be.closeTo(225, 1e-9);
    expect(sw.elevationRad / DEG).to.be.closeTo(-10, 1e-9);
  });

  it('range rate equals the finite difference of the range along a straight ITRF path', () => {
    // r(t) = r0 + v t, central difference with dt = 0.01 s: error O(|v|² dt²/ρ) < 1e-9 km/s.
    const r0 = at(800, -1200, 600);
    const v = [-3.1, 5.4, 2.2];
    const dt = 0.01;
    const rangeAt = (t: number) => lookAngles(station, add(r0, scale(v, t)), v).rangeKm;
    const la = lookAngles(station, r0, v);
    expect(la.rangeRateKmS).to.be.closeTo((rangeAt(dt) - rangeAt(-dt)) / (2 * dt), 1e-8);
  });
});

describe('frames: local orbital frames RTN / TNW', () => {
  const r = [7000, 0, 0];
  const vc = Math.sqrt(MU_EARTH_KM3_S2 / 7000);
  const v = [0, vc, 0];
  const sample = { r: [-4150.3, 5120.9, 2870.2], v: [-5.1, -3.9, 2.8] };

  it('circular equatorial orbit: RTN = (x, y, z), TNW = (y, −x, z)', () => {
    const rtn = rtnRotation(r, v);
    const tnw = tnwRotation(r, v);
    const want: [Mat3, Mat3] = [
      [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
      [[0, 1, 0], [-1, 0, 0], [0, 0, 1]],
    ];
    [rtn, tnw].forEach((m, k) => m.forEach((row, i) => row.forEach((x, j) => expect(x).to.be.closeTo(want[k][i][j], 1e-15))));
  });

  it('orthonormal and right-handed for an eccentric inclined state; R along r, T·v > 0', () => {
    for (const m of [rtnRotation(sample.r, sample.v), tnwRotation(sample.r, sample.v)]) {
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(dot(m[i], m[j])).to.be.closeTo(i === j ? 1 : 0, 1e-15);
      const c = cross(m[0], m[1]);
      for (let k = 0; k < 3; k++) expect(c[k]).to.be.closeTo(m[2][k], 1e-15);
    }
    const rtn = rtnRotation(sample.r, sample.v);
    expect(mulMV(rtn, sample.r)[0]).to.be.closeTo(norm(sample.r), 1e-9);
    expect(mulMV(rtn, sample.v)[1]).to.be.above(0);
    expect(mulMV(rtn, sample.v)[2]).to.be.closeTo(0, 1e-12);
    expect(mulMV(tnwRotation(sample.r, sample.v), sample.v)[0]).to.be.closeTo(norm(sample.v), 1e-12);
  });

  it('covariance: trace of each block is invariant, round trip to 1e-12, with and without frame rotation', () => {
    const A = [
      [0.5, 0.1, 0, 0.001, 0, 0],
      [0, 0.2, 0.05, 0, 0.0004, 0],
      [0, 0, 0.3, 0, 0, 0.0002],
      [0, 0, 0, 0.0005, 0.0001, 0],
      [0, 0, 0, 0, 0.0003, 0],
      [0, 0, 0, 0, 0, 0.0004],
    ];
    const C = A.map((_, i) => A.map((__, j) => A[i].reduce((s, a, k) => s + a * A[j][k], 0)));
    for (const kind of ['RTN', 'TNW'] as const) {
      const L = covarianceInertialToLocal(kind, sample.r, sample.v, C);
      expect(L[0][0] + L[1][1] + L[2][2]).to.be.closeTo(C[0][0] + C[1][1] + C[2][2], 1e-14);
      expect(L[3][3] + L[4][4] + L[5][5]).to.be.closeTo(C[3][3] + C[4][4] + C[5][5], 1e-18);
      for (const includeFrameRotation of [false, true]) {
        const back = covarianceLocalToInertial(kind, sample.r, sample.v, covarianceInertialToLocal(kind, sample.r, sample.v, C, { includeFrameRotation }), { includeFrameRotation });
        for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expect(Math.abs(back[i][j] - C[i][j])).to.be.below(1e-12 * Math.sqrt(C[i][i] * C[j][j]));
      }
    }
  });

  it('with frame rotation, a radial offset on a circular orbit appears as a −n·δr along-track velocity in RTN', () => {
    // Rotating RTN at the mean motion n: δv_L = R δv − ω × (R δr), ω = (0, 0, n). δr = 1 km
    // radial, δv = 0 → δv_L = (0, −n, 0). Rank-one covariance δx δxᵀ keeps that image.
    const n = vc / 7000;
    const dx = [1, 0, 0, 0, 0, 0];
    const C = dx.map((a) => dx.map((b) => a * b));
    const L = covarianceInertialToLocal('RTN', r, v, C, { includeFrameRotation: true });
    expect(L[0][0]).to.be.closeTo(1, 1e-15);
    expect(L[4][0]).to.be.closeTo(-n, 1e-15);
    expect(L[4][4]).to.be.closeTo(n * n, 1e-18);
    const noRot = covarianceInertialToLocal('RTN', r, v, C);
    expect(noRot[4][0]).to.equal(0);
  });
});
