import { expect } from 'chai';
import { readReferenceText } from '../../reference-data';
import { parseCelestrakEop } from '../eop-parsers';
import { Epoch } from '../time';
import {
  FrameError,
  ZERO_EOP,
  applyTransform,
  applyTransformBatch,
  applyTransformToCovariance,
  dxdyToDpsiDeps,
  eopAt,
  frameSetAtTimes,
  frameTransform,
  transformState,
  transformStates,
  transformCovariance,
  frameTransformAtTimes,
  invertTransform,
  composeTransforms,
  transformBetween,
  FRAME_NAMES,
  NUT80_TERM_COUNT,
  type FrameName,
  type FrameTimes,
  type FrameEopValues,
} from '../frames';

/**
 * IAU-76/FK5 reduction checked against Vallado, Fundamentals of Astrodynamics and
 * Applications, 4th ed. (2013), Example 3-15 (pp. 230–233) and its Table 3-6, and the TEME
 * example of Vallado, Crawford, Hujsak & Kelso 2006, "Revisiting Spacetrack Report #3",
 * AIAA 2006-6753, §"TEME" (same epoch and EOP). Published digits: 0.1 mm and 1 µm/s (7 and 9
 * decimals in km, km/s).
 */
const KM = 1;
const MM = 1e-6 * KM;
const UM_S = 1e-9; // 1 µm/s in km/s

// 2004-04-06 07:51:28.386009 UTC; ΔAT = 32 s so TT = UTC + 64.184 s. JD(2004-04-06 0h) = 2453101.5.
const dayFrac = (7 * 3600 + 51 * 60 + 28.386009) / 86400;
const TIMES: FrameTimes = { jdUtc: [2453101.5, dayFrac], jdTt: [2453101.5, dayFrac + (32 + 32.184) / 86400] };
const EOP_NO_CORR: FrameEopValues = { ut1MinusUtcS: -0.4399619, lodS: 0.0015563, xpArcsec: -0.140682, ypArcsec: 0.333309 };
const EOP: FrameEopValues = { ...EOP_NO_CORR, dPsiArcsec: -0.052195, dEpsArcsec: -0.003875 };

// Table 3-6 of Vallado 4th ed. (Example 3-15).
const ITRF = { posKm: [-1033.479383, 7901.2952754, 6380.3565958], velKmS: [-3.22563652, -2.87245145, 5.531924446] };
const PEF = { posKm: [-1033.4750313, 7901.3055856, 6380.3445328], velKmS: [-3.225632747, -2.872442511, 5.531931288] };
const TOD = { posKm: [5094.516203, 6127.3652784, 6380.3445327], velKmS: [-4.746088385, 0.786078324, 5.531931288] };
const MOD = { posKm: [5094.0283745, 6127.8708164, 6380.2485164], velKmS: [-4.746263052, 0.786014045, 5.531790562] };
const GCRF = { posKm: [5102.5089579, 6123.0114007, 6378.1369282], velKmS: [-4.743220157, 0.790536497, 5.533755727] };
// Rows without the dψ, dε corrections ("iau76"): the chain ends in the mean J2000 frame.
const TOD_NC = { posKm: [5094.5147804, 6127.3664612, 6380.3445328], velKmS: [-4.746088567, 0.786077222, 5.531931288] };
const MOD_NC = { posKm: [5094.0290167, 6127.8709363, 6380.2478885], velKmS: [-4.746262495, 0.786014149, 5.531791025] };
const J2000_NC = { posKm: [5102.5096, 6123.01152, 6378.1363], velKmS: [-4.7432196, 0.7905366, 5.53375619] };
// Vallado et al. 2006, TEME of the same state.
const TEME = { posKm: [5094.1801621, 6127.6446595, 6380.3445327], velKmS: [-4.746131487, 0.785818041, 5.531931288] };

type State = { posKm: number[]; velKmS: number[] };
function expectState(got: { posKm: readonly number[]; velKmS: readonly number[] }, want: State, posTolKm: number, velTolKmS: number, what: string): void {
  for (let i = 0; i < 3; i++) {
    expect(Math.abs(got.posKm[i] - want.posKm[i]), `${what} r[${i}] ${got.posKm[i]} vs ${want.posKm[i]}`).to.be.below(posTolKm);
    expect(Math.abs(got.velKmS[i] - want.velKmS[i]), `${what} v[${i}] ${got.velKmS[i]} vs ${want.velKmS[i]}`).to.be.below(velTolKmS);
  }
}
const leg = (from: FrameName, to: FrameName, s: State, eop = EOP) => applyTransform(frameTransformAtTimes(from, to, TIMES, eop), s);

describe('frames: IAU-1980 nutation table', () => {
  it('has the 106 terms of the 1980 theory', () => {
    expect(NUT80_TERM_COUNT).to.equal(106);
  });
});

describe('frames: Vallado 4th ed. Example 3-15 (IAU-76/FK5 reduction)', () => {
  // Each leg from the published input of that leg; rounding of the 7-decimal inputs and outputs
  // gives ≤ 0.15 mm, hence 0.2 mm; velocities 9 decimals → 2 µm/s.
  it('ITRF → PEF (polar motion) to the published 0.1 mm / 1 µm/s', () => {
    expectState(leg('ITRF', 'PEF', ITRF), PEF, 0.2 * MM, 2 * UM_S, 'PEF');
  });
  it('TOD → MOD (IAU-1980 nutation with dψ, dε) to 0.2 mm / 2 µm/s', () => {
    expectState(leg('TOD', 'MOD', TOD), MOD, 0.2 * MM, 2 * UM_S, 'MOD');
  });
  it('MOD → GCRF (IAU-1976 precession) to 0.2 mm / 2 µm/s', () => {
    expectState(leg('MOD', 'GCRF', MOD), GCRF, 0.2 * MM, 2 * UM_S, 'GCRF');
  });
  it('without dψ, dε: TOD → MOD and MOD → EME2000 match the "iau76" rows (J2000 row has 4-5 decimals)', () => {
    expectState(leg('TOD', 'MOD', TOD_NC, EOP_NO_CORR), MOD_NC, 0.2 * MM, 2 * UM_S, 'MOD iau76');
    // J2000 published to 0.1 m / 0.1 mm/s (4 decimals in x, z; 5 in y).
    expectState(leg('MOD', 'EME2000', MOD_NC, EOP_NO_CORR), J2000_NC, 0.06 * 1e-3, 0.06 * 1e-6, 'J2000 iau76');
  });
  // The sidereal-time leg: our result differs from the published TOD by a rotation of 0.16 mas
  // about the pole (6.6 mm at 8,000 km from the axis; z agrees to 0.1 mm). TEME, reached from
  // PEF by GMST only, shows the same 6.6 mm, so the difference is in the published GMST
  // evaluation (0.16 mas = 10 µs of UT1, the size of the rounding of a one-number Julian date
  // in double precision, 2e-5 s), not in nutation or precession (checked to 0.2 mm above).
  // Tolerance: 1 cm in position, 10 µm/s in velocity.
  it('PEF → TOD (GAST with the 1994 equation of the equinoxes, ω from LOD) to 1 cm / 10 µm/s', () => {
    const got = leg('PEF', 'TOD', PEF);
    expectState(got, TOD, 10 * MM, 10 * UM_S, 'TOD');
    expect(Math.abs(got.posKm[2] - TOD.posKm[2])).to.be.below(0.2 * MM);
  });
  it('ITRF → GCRF end to end to 1 cm / 10 µm/s, and back', () => {
    expectState(leg('ITRF', 'GCRF', ITRF), GCRF, 10 * MM, 10 * UM_S, 'GCRF');
    expectState(leg('GCRF', 'ITRF', GCRF), ITRF, 10 * MM, 10 * UM_S, 'ITRF');
  });
  it('ITRF → EME2000 without corrections matches the published J2000 row', () => {
    expectState(leg('ITRF', 'EME2000', ITRF, EOP_NO_CORR), J2000_NC, 10 * MM, 10 * UM_S, 'J2000');
  });
});

describe('frames: TEME (Vallado et al. 2006, AIAA 2006-6753)', () => {
  it('PEF → TEME and ITRF → TEME to 1 cm / 10 µm/s (same GMST leg as above)', () => {
    expectState(leg('PEF', 'TEME', PEF), TEME, 10 * MM, 10 * UM_S, 'TEME from PEF');
    expectState(leg('ITRF', 'TEME', ITRF), TEME, 10 * MM, 10 * UM_S, 'TEME from ITRF');
  });
  it('TEME → GCRF reaches the published GCRF of the same state (1 cm / 10 µm/s)', () => {
    expectState(leg('TEME', 'GCRF', TEME), GCRF, 10 * MM, 10 * UM_S, 'GCRF from TEME');
  });
  it('TEME → GCRF → TEME round trip to 1e-12 relative', () => {
    const g = leg('TEME', 'GCRF', TEME);
    const back = leg('GCRF', 'TEME', g);
    expectState(back, TEME, 1e-12 * 8000, 1e-12 * 8, 'TEME round trip');
  });
});

/** A full-rank 6×6 covariance (km², km²/s, km²/s²) built as A·Aᵀ. */
function sampleCovariance(): number[][] {
  const A = [
    [0.1, 0.02, -0.01, 1e-4, 0, 0],
    [0, 0.3, 0.05, 0, 2e-4, 0],
    [0, 0, 0.05, 0, 0, 5e-5],
    [0, 0, 0, 1e-4, 1e-5, 0],
    [0, 0, 0, 0, 3e-4, -2e-5],
    [0, 0, 0, 0, 0, 5e-5],
  ];
  const C = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) for (let k = 0; k < 6; k++) C[i][j] += A[i][k] * A[j][k];
  return C;
}

describe('frames: round trips, covariance, velocities', () => {
  it('GCRF → ITRF → GCRF (state) to 1e-12 relative, and every pair of frames inverts', () => {
    const back = leg('ITRF', 'GCRF', leg('GCRF', 'ITRF', GCRF));
    expectState(back, GCRF, 1e-12 * 9000, 1e-12 * 8, 'GCRF round trip');
    const set = frameSetAtTimes(TIMES, EOP);
    for (const a of FRAME_NAMES) {
      for (const b of FRAME_NAMES) {
        const s = applyTransform(transformBetween(set, b, a), applyTransform(transformBetween(set, a, b), GCRF));
        expectState(s, GCRF, 1e-12 * 9000, 1e-12 * 8, `${a}→${b}→${a}`);
      }
    }
  });

  it('composition and inversion agree with the direct transform', () => {
    const set = frameSetAtTimes(TIMES, EOP);
    const direct = transformBetween(set, 'TEME', 'ITRF');
    const composed = composeTransforms(transformBetween(set, 'TEME', 'GCRF'), invertTransform(transformBetween(set, 'ITRF', 'GCRF')));
    const a = applyTransform(direct, TEME);
    const b = applyTransform(composed, TEME);
    expectState(a, { posKm: [...b.posKm], velKmS: [...b.velKmS] }, 1e-11, 1e-14, 'composed');
  });

  it('covariance GCRF → ITRF → GCRF to 1e-12 relative', () => {
    const C = sampleCovariance();
    const t = frameTransformAtTimes('GCRF', 'ITRF', TIMES, EOP);
    const back = applyTransformToCovariance(invertTransform(t), applyTransformToCovariance(t, C));
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expect(Math.abs(back[i][j] - C[i][j])).to.be.below(1e-12 * Math.sqrt(C[i][i] * C[j][j]));
  });

  it('covariance uses the full Jacobian: a rank-one covariance δx·δxᵀ maps to the image of δx under the state transform', () => {
    // The state transform is linear in (r, v); so J·δx is the difference of two transformed
    // states. This checks the ω× block independently of how the Jacobian is assembled.
    const t = frameTransformAtTimes('GCRF', 'ITRF', TIMES, EOP);
    const dx = [0.3, -0.2, 0.1, 1e-4, 2e-4, -3e-4];
    const C = dx.map((a) => dx.map((b) => a * b));
    const got = applyTransformToCovariance(t, C);
    const s0 = applyTransform(t, GCRF);
    const s1 = applyTransform(t, { posKm: GCRF.posKm.map((x, i) => x + dx[i]), velKmS: GCRF.velKmS.map((x, i) => x + dx[i + 3]) });
    const jdx = [...s1.posKm.map((x, i) => x - s0.posKm[i]), ...s1.velKmS.map((x, i) => x - s0.velKmS[i])];
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expect(got[i][j]).to.be.closeTo(jdx[i] * jdx[j], 1e-9 * Math.abs(jdx[i] * jdx[j]) + 1e-20);
    // the ω× block is really there: velocity-position cross terms do not vanish
    expect(Math.abs(got[3][0])).to.be.above(1e-6);
  });

  it('ITRF velocity equals the time derivative of the ITRF position of a GCRF trajectory (ω × r from LOD)', () => {
    // Straight-line GCRF motion r(t) = r0 + v0 t; the ITRF position at t ± 1 s through two
    // frame sets; central difference error O(ω²r dt²) ≈ 4e-8 km/s, precession/nutation rates
    // neglected by the transform ≈ 1e-10 rad/s·r ≈ 1e-6 km/s at most: tolerance 2e-6 km/s.
    const dt = 1;
    const at = (s: number) => {
      const times: FrameTimes = { jdUtc: [TIMES.jdUtc[0], TIMES.jdUtc[1] + s / 86400], jdTt: [TIMES.jdTt[0], TIMES.jdTt[1] + s / 86400] };
      const r = GCRF.posKm.map((x, i) => x + GCRF.velKmS[i] * s);
      return applyTransform(frameTransformAtTimes('GCRF', 'ITRF', times, EOP), { posKm: r, velKmS: GCRF.velKmS });
    };
    const plus = at(dt);
    const minus = at(-dt);
    const mid = at(0);
    for (let i = 0; i < 3; i++) expect(Math.abs((plus.posKm[i] - minus.posKm[i]) / (2 * dt) - mid.velKmS[i])).to.be.below(2e-6);
  });

  it('batch transform equals the one-state transform', () => {
    const t = frameTransformAtTimes('TEME', 'ITRF', TIMES, EOP);
    const n = 50;
    const pos = new Float64Array(3 * n);
    const vel = new Float64Array(3 * n);
    for (let k = 0; k < n; k++) for (let i = 0; i < 3; i++) {
      pos[3 * k + i] = TEME.posKm[i] * (1 + 0.01 * k) + i;
      vel[3 * k + i] = TEME.velKmS[i] * (1 - 0.005 * k);
    }
    const out = applyTransformBatch(t, pos, vel);
    for (let k = 0; k < n; k++) {
      const one = applyTransform(t, { posKm: Array.from(pos.subarray(3 * k, 3 * k + 3)), velKmS: Array.from(vel.subarray(3 * k, 3 * k + 3)) });
      for (let i = 0; i < 3; i++) {
        expect(out.posKm[3 * k + i]).to.be.closeTo(one.posKm[i], 1e-9);
        expect(out.velKmS[3 * k + i]).to.be.closeTo(one.velKmS[i], 1e-12);
      }
    }
  });
});

describe('frames: EOP input', () => {
  it('requires EOP explicitly and names bad values', () => {
    expect(() => eopAt(undefined as never, 53101)).to.throw(FrameError, /ZERO_EOP/);
    expect(() => eopAt({ ...EOP, ut1MinusUtcS: Number.NaN }, 53101)).to.throw(FrameError, /ut1MinusUtcS = NaN at MJD\(UTC\) 53101/);
    expect(() => eopAt({ ...EOP, ut1MinusUtcS: 32 }, 53101)).to.throw(FrameError, /outside ±1 s/);
    expect(() => frameTransformAtTimes('GCRF', 'ECEF' as FrameName, TIMES, EOP)).to.throw(FrameError, /unknown target frame 'ECEF'/);
    expect(eopAt({ at: () => EOP }, 53101)).to.equal(EOP);
    expect(eopAt(ZERO_EOP, 53101).ut1MinusUtcS).to.equal(0);
  });

  it('chain base: GCRF with celestial-pole offsets, EME2000 without', () => {
    expect(frameSetAtTimes(TIMES, EOP).precessionBase).to.equal('GCRF');
    expect(frameSetAtTimes(TIMES, EOP_NO_CORR).precessionBase).to.equal('EME2000');
    expect(frameSetAtTimes(TIMES, { ...EOP_NO_CORR, dXArcsec: 0, dYArcsec: 0 }).precessionBase).to.equal('GCRF');
  });

  it('dX, dY (IAU 2000A) converted to dψ, dε (IAU 1980) agree with the IERS C04 values of the same days to 5 mas', () => {
    // CelesTrak EOP-All carries both pairs from IERS 20 C04. The conversion keeps the IAU
    // 2000B−1980 differences of the five largest terms only; the rest of the periodic model
    // difference is ≤ 3.3 mas in ψ, 2.9 mas in ε over 1990–2025 (measured), hence 5 mas.
    const text = readReferenceText('eop/celestrak-EOP-All-2025-06-04.txt');
    let checked = 0;
    for (const line of text.split('\n')) {
      if (!/^\d{4} \d\d \d\d \d{5}/.test(line)) continue;
      const f = line.trim().split(/\s+/).map(Number);
      const [year, , , mjd] = f;
      if (year < 1990 || mjd % 7 !== 0) continue;
      const [dPsi, dEps, dX, dY] = [f[8], f[9], f[10], f[11]];
      const tTt = (mjd + 2400000.5 - 2451545) / 36525;
      const c = dxdyToDpsiDeps(dX, dY, tTt);
      expect(Math.abs(c.dPsiArcsec - dPsi), `dPsi at MJD ${mjd}`).to.be.below(0.005);
      expect(Math.abs(c.dEpsArcsec - dEps), `dEps at MJD ${mjd}`).to.be.below(0.005);
      checked++;
    }
    expect(checked).to.be.above(1000);
  });

  it('with dX, dY only, the Example 3-15 GCRF is reached to 0.2 m (no correction at all: 0.73 m off)', () => {
    // C04 of 2004-04-06: dX = −0.000097", dY = −0.000098". The residual of the conversion
    // (≤ 5 mas) is ≤ 0.2 m at 8,000 km (measured 0.08 m). Without any offset the IAU-1980
    // model errors (precession rate, 18.6-yr amplitude) remain: 0.73 m measured, > 0.5 m.
    const withDxDy = leg('ITRF', 'GCRF', ITRF, { ...EOP_NO_CORR, dXArcsec: -0.000097, dYArcsec: -0.000098 });
    const noCorr = leg('ITRF', 'GCRF', ITRF, EOP_NO_CORR);
    const err = (s: { posKm: readonly number[] }) => Math.hypot(...s.posKm.map((x, i) => x - GCRF.posKm[i]));
    expect(err(withDxDy)).to.be.below(0.2e-3);
    expect(err(noCorr)).to.be.within(0.5e-3, 1e-3);
  });
});

describe('frames: Epoch-based API (sdk/astro/time.ts) on Example 3-15', () => {
  const epoch = Epoch.fromCalendar(2004, 4, 6, 7, 51, 28.386009, 'UTC');

  it('transformState ITRF → GCRF with the published EOP values: same 1 cm / 10 µm/s as above', () => {
    expectState(transformState(ITRF, 'ITRF', 'GCRF', epoch, EOP), GCRF, 10 * MM, 10 * UM_S, 'GCRF (Epoch)');
    expectState(transformState(TEME, 'TEME', 'ITRF', epoch, EOP), ITRF, 10 * MM, 10 * UM_S, 'ITRF from TEME (Epoch)');
  });

  it('with an EOP provider (CelesTrak EOP-All, IERS C04) the provider is read at the epoch and the ΔUT1 difference explains the offset', () => {
    // The book uses the 0h values of the day (ΔUT1 = −0.4399619 s; C04 0h: −0.4399552 s); the
    // provider interpolates to 07:51 UTC, where ΔUT1 has moved by about −LOD·0.33 d. The GCRF
    // result then turns about the pole by ω·(ΔUT1_interp − ΔUT1_book): expected displacement
    // ω·δt·ρ_xy, checked to 10 % + 1 cm (the other EOP differences are a few mm).
    const table = parseCelestrakEop(readReferenceText('eop/celestrak-EOP-All-2025-06-04.txt'));
    const eopHere = table.at(epoch.mjd('UTC'));
    const got = transformState(ITRF, 'ITRF', 'GCRF', epoch, table);
    const explicit = transformState(ITRF, 'ITRF', 'GCRF', epoch, eopHere);
    expect(got.posKm).to.deep.equal(explicit.posKm);
    const dt = eopHere.ut1MinusUtcS - EOP.ut1MinusUtcS;
    expect(Math.abs(dt)).to.be.above(1e-4);
    const expected = 7.292115e-5 * Math.abs(dt) * Math.hypot(GCRF.posKm[0], GCRF.posKm[1]);
    const moved = Math.hypot(got.posKm[0] - GCRF.posKm[0], got.posKm[1] - GCRF.posKm[1]);
    expect(Math.abs(moved - expected)).to.be.below(0.1 * expected + 10 * MM);
    // z moves only through polar motion (and dψ, dε): bounded by |δ(xp, yp)|·|r| + 1 cm.
    const dPole = Math.hypot(eopHere.xpArcsec - EOP.xpArcsec, eopHere.ypArcsec - EOP.ypArcsec) * (Math.PI / 648000);
    expect(Math.abs(got.posKm[2] - GCRF.posKm[2])).to.be.below(dPole * 10160 + 10 * MM);
  });

  it('batch and covariance forms at an Epoch agree with the single-state forms', () => {
    const pos = Float64Array.from([...TEME.posKm, ...GCRF.posKm]);
    const vel = Float64Array.from([...TEME.velKmS, ...GCRF.velKmS]);
    const out = transformStates(pos, vel, 'TEME', 'ITRF', epoch, EOP);
    const one = transformState(TEME, 'TEME', 'ITRF', epoch, EOP);
    for (let i = 0; i < 3; i++) expect(out.posKm[i]).to.equal(one.posKm[i]);
    const C = sampleCovariance();
    const viaEpoch = transformCovariance(C, 'GCRF', 'ITRF', epoch, EOP);
    const viaTransform = applyTransformToCovariance(frameTransform('GCRF', 'ITRF', epoch, EOP), C);
    expect(viaEpoch).to.deep.equal(viaTransform);
  });
});
