import { expect } from 'chai';
import * as Astronomy from 'astronomy-engine';
import { readReferenceText } from '../../reference-data';
import { ARCSEC } from '../constants';
import { type Mat3, mulMM, rot1, rot3, transpose3 } from '../vec';
import { frameBiasMatrix, frameSetAtTimes, gmst1982, meanObliquity1980, precessionMatrix1976 } from '../frames';

/**
 * Cross-check against astronomy-engine (MIT), an independent implementation of IAU 2006
 * precession, an IAU 2000B-derived nutation truncated to its 5 largest terms (its
 * `iau2000b()`), and IAU 2006 GMST from the Earth rotation angle. Expected model differences
 * are stated with each test; the tolerances follow from them.
 */
const MAS = ARCSEC / 1000;
/** Angle of the rotation a·bᵀ, rad. */
function angleBetweenRotations(a: Mat3, b: Mat3): number {
  const m = mulMM(a, transpose3(b));
  const v = Math.hypot(m[2][1] - m[1][2], m[0][2] - m[2][0], m[1][0] - m[0][1]);
  return Math.atan2(v, m[0][0] + m[1][1] + m[2][2] - 1);
}
/** astronomy-engine matrices are column-vector-on-the-left (RotateVector uses rot[i][j]·v_i): transpose. */
const fromAe = (r: Astronomy.RotationMatrix): Mat3 => transpose3(r.rot as Mat3);
/** astronomy-engine's own nutation matrix, rebuilt from its exported e_tilt (to strip it off). */
function aeNutation(t: Astronomy.AstroTime): Mat3 {
  const e = Astronomy.e_tilt(t);
  return mulMM(mulMM(rot1(-e.tobl * (Math.PI / 180)), rot3(-e.dpsi * ARCSEC)), rot1(e.mobl * (Math.PI / 180)));
}

describe('frames vs astronomy-engine (IAU 2006 / 2000B-class)', () => {
  it('IAU-1976 precession + IAU-2000 rate corrections matches IAU-2006 precession to 1 mas over 2000–2030', () => {
    // IAU 1976 differs from IAU 2006 mainly by the precession-rate errors δψ_A = −0.29965"/cy,
    // δε_A = −0.02524"/cy (IERS Conventions 2003 §5.5.2) → 90 mas by 2030; once they are
    // applied the remainder is second order (measured ≤ 0.75 mas in 2030): tolerance 1 mas.
    // Without them the angle must be within 1 mas of |(δψ_A sin ε, δε_A)|·T-ish: we check it
    // exceeds 80 % of δψ_A·T, i.e. the comparison is sensitive at the level claimed.
    for (let year = 2000; year <= 2030; year += 1.5) {
      const ttDays = (year - 2000) * 365.25;
      const T = ttDays / 36525;
      const t = Astronomy.AstroTime.FromTerrestrialTime(ttDays);
      const p2006 = mulMM(transpose3(aeNutation(t)), fromAe(Astronomy.Rotation_EQJ_EQD(t)));
      const p1976 = precessionMatrix1976(T);
      const eps = meanObliquity1980(T);
      const dPsi = -0.29965 * T * ARCSEC;
      const dEps = -0.02524 * T * ARCSEC;
      const corrected = mulMM(mulMM(mulMM(rot1(-(eps + dEps)), rot3(-dPsi)), rot1(eps)), p1976);
      expect(angleBetweenRotations(corrected, p2006) / MAS, `year ${year}`).to.be.below(1);
      if (T > 0.05) expect(angleBetweenRotations(p1976, p2006)).to.be.above(0.8 * 0.29965 * T * ARCSEC);
    }
  });

  it('GMST (IAU 1982) vs GMST (IAU 2006, from ERA): 0.014506" + δψ_A cos ε0 · T, to 1 mas over 2000–2030', () => {
    // IERS Conventions 2003 §5.5.7: the IAU 2000/2006 GMST keeps continuity with IAU 1982 up to
    // the constant 0.014506" and the precession-rate correction accumulated in right ascension.
    for (let year = 2000; year <= 2030; year += 0.77) {
      const utDays = (year - 2000) * 365.25 + 0.123;
      const t = new Astronomy.AstroTime(utDays);
      const T = t.tt / 36525;
      const gastAe = Astronomy.SiderealTime(t) * 15 * (Math.PI / 180);
      const gmstAe = gastAe - Astronomy.e_tilt(t).ee * 15 * ARCSEC; // ee is in seconds of time
      let d = gmstAe - gmst1982([2451545.0, utDays]);
      d -= 2 * Math.PI * Math.round(d / (2 * Math.PI));
      const expected = (0.014506 - 0.29965 * Math.cos(84381.406 * ARCSEC) * T) * ARCSEC;
      expect(Math.abs(d - expected) / MAS, `year ${year}`).to.be.below(1);
    }
  });

  it('GCRF → PEF with IERS C04 EOP (2000–2025) agrees with astronomy-engine within its 5-term nutation truncation (120 mas)', () => {
    // astronomy-engine keeps only 5 nutation terms; the omitted IAU 2000B terms (l: 71 mas,
    // l′+2F−2D+2Ω: 52 mas, 2F+Ω: 39 mas, ...) displace its pole by up to ~0.1" (measured max
    // 86 mas on this sample). In the full Earth rotation (GAST·N·P) the equinox part of that
    // error cancels against its equation of the equinoxes, so the pole error is what remains:
    // tolerance 120 mas (3.6 m at LEO). This checks the whole chain and the EOP wiring at that
    // level; the precession and sidereal time are checked to 1 mas above, the nutation series to
    // 0.2 mm (≈ 5 µas) against Vallado's Example 3-15 in frames.test.ts.
    const text = readReferenceText('eop/celestrak-EOP-All-2025-06-04.txt');
    let checked = 0;
    for (const line of text.split('\n')) {
      if (!/^\d{4} \d\d \d\d \d{5}/.test(line)) continue;
      const f = line.trim().split(/\s+/).map(Number);
      const [year, , , mjd, xp, yp, dut1, lod, dPsi, dEps, , , dat] = f;
      if (year < 2000 || mjd % 61 !== 0) continue;
      const frac = 0.3;
      const set = frameSetAtTimes(
        { jdUtc: [mjd + 2400000.5, frac], jdTt: [mjd + 2400000.5, frac + (dat + 32.184) / 86400] },
        { ut1MinusUtcS: dut1, lodS: lod, xpArcsec: xp, ypArcsec: yp, dPsiArcsec: dPsi, dEpsArcsec: dEps },
      );
      const t = new Astronomy.AstroTime(mjd + 2400000.5 - 2451545 + frac + dut1 / 86400);
      const gast = Astronomy.SiderealTime(t) * 15 * (Math.PI / 180);
      const aePef = mulMM(rot3(gast), mulMM(fromAe(Astronomy.Rotation_EQJ_EQD(t)), frameBiasMatrix()));
      expect(angleBetweenRotations(set.orientation.PEF.rotation, aePef) / MAS, `MJD ${mjd}`).to.be.below(120);
      checked++;
    }
    expect(checked).to.be.above(100);
  });
});
