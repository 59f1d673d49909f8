import { expect } from 'chai';
import { readReferenceText } from '../../../sdk/reference-data';
import { Sgp4Source, isoToMs, msToIso } from '../objects';
import { compareEvents, mergeEvents, pieceCoefficients } from '../screen';
import { eventId } from '../service';
import { decodeCatalogNumber, readTleText } from '../tle-text';
import { insideVolume, relativeGeometry } from '../volume';

describe('conjunction-screening building blocks', () => {
  it('the piece coefficients reproduce any quintic exactly on a sub-interval (Bézier form of the Hermite interpolant)', () => {
    // x(t) = Σ a_i t^i, t in seconds over an interval of H = 600 s: the quintic Hermite
    // interpolant of a quintic is the quintic itself, and so is its Bézier restriction.
    const H = 600;
    const a = [7000, -3.1, 2e-3, -4e-6, 5e-9, -3e-12];
    const x = (t: number) => a.reduce((s, c, i) => s + c * t ** i, 0);
    const v = (t: number) => a.reduce((s, c, i) => s + (i ? i * c * t ** (i - 1) : 0), 0);
    const acc = (t: number) => a.reduce((s, c, i) => s + (i > 1 ? i * (i - 1) * c * t ** (i - 2) : 0), 0);
    const ends = [x(0), v(0), acc(0), x(H), v(H), acc(H)];
    for (const [u0, u1] of [[0, 1], [0.2, 0.3], [0.75, 1]]) {
      const co = pieceCoefficients(u0, u1, H);
      const ctrl = Array.from({ length: 6 }, (_, m) => ends.reduce((s, e, i) => s + co[6 * m + i] * e, 0));
      for (const tau of [0, 0.1, 0.37, 0.5, 0.9, 1]) {
        const s = 1 - tau;
        const w = [s ** 5, 5 * s ** 4 * tau, 10 * s ** 3 * tau ** 2, 10 * s ** 2 * tau ** 3, 5 * s * tau ** 4, tau ** 5];
        const bez = w.reduce((acc2, wi, i) => acc2 + wi * ctrl[i], 0);
        expect(bez).to.be.closeTo(x((u0 + tau * (u1 - u0)) * H), 1e-8); // km; double rounding of terms ~7000
      }
    }
  });

  it('RTN relative geometry and volume membership on a hand-made configuration', () => {
    // primary on +x moving along +y: R = x, T = y, N = z (Vallado §3.3.3)
    const p = Float64Array.from([7000, 0, 0, 0, 7.5, 0]);
    const s = Float64Array.from([7001, 2, -3, 0.1, 7.5, 14]);
    const g = relativeGeometry(p, s);
    expect(g.rtnPosKm).to.deep.equal([1, 2, -3]);
    expect(g.rtnVelKmS[0]).to.be.closeTo(0.1, 1e-15);
    expect(g.rtnVelKmS[2]).to.be.closeTo(14, 1e-15);
    expect(g.missKm).to.be.closeTo(Math.sqrt(14), 1e-15);
    expect(g.relativeSpeedKmS).to.be.closeTo(Math.hypot(0.1, 14), 1e-15);
    expect(insideVolume({ shape: 'sphere', sizeRtnKm: [3.8, 3.8, 3.8] }, g.rtnPosKm, g.missKm)).to.equal(true); // √14 = 3.742
    expect(insideVolume({ shape: 'sphere', sizeRtnKm: [3.7, 3.7, 3.7] }, g.rtnPosKm, g.missKm)).to.equal(false);
    expect(insideVolume({ shape: 'box', sizeRtnKm: [1, 2, 3] }, g.rtnPosKm, g.missKm)).to.equal(true);
    expect(insideVolume({ shape: 'box', sizeRtnKm: [1, 1.9, 3] }, g.rtnPosKm, g.missKm)).to.equal(false);
    // (1/2)² + (2/4)² + (3/6)² = 0.75 ≤ 1; (1/1)² + … > 1
    expect(insideVolume({ shape: 'ellipsoid', sizeRtnKm: [2, 4, 6] }, g.rtnPosKm, g.missKm)).to.equal(true);
    expect(insideVolume({ shape: 'ellipsoid', sizeRtnKm: [1, 4, 6] }, g.rtnPosKm, g.missKm)).to.equal(false);
  });

  it('event ids round the TCA to 10 minutes; merge orders by TCA, primary, secondary and keeps one of duplicates', () => {
    expect(eventId('25544', '90012', isoToMs('2026-05-07T13:14:59.999Z'))).to.equal('25544-90012-20260507T1310');
    expect(eventId('25544', '90012', isoToMs('2026-05-07T13:15:00.001Z'))).to.equal('25544-90012-20260507T1320');
    const ev = (p: string, s: string, t: number) => ({ primary: { id: p }, secondary: { id: s }, tcaMs: t });
    const merged = mergeEvents([[ev('9', '10', 5000), ev('10', '2', 1000)], [ev('9', '10', 5000.4), ev('9', '100', 5000), ev('9', '11', 5000)]]);
    expect(merged.map((e) => `${e.primary.id}/${e.secondary.id}@${e.tcaMs}`)).to.deep.equal(['10/2@1000', '9/10@5000', '9/11@5000', '9/100@5000']);
    expect(compareEvents(ev('9', '10', 1), ev('10', '9', 1))).to.be.below(0); // ids compare as numbers
    expect(msToIso(isoToMs('2026-05-07T13:14:59.123456Z'))).to.equal('2026-05-07T13:14:59.123456Z');
  });

  it('reads TLE/3LE text: Alpha-5 numbers, names, and errors with file:line', () => {
    expect(decodeCatalogNumber('A0000')).to.equal(100000);
    expect(decodeCatalogNumber('Z9999')).to.equal(339999);
    expect(decodeCatalogNumber('25544')).to.equal(25544);
    const text = readReferenceText('tle/celestrak-active-2026-05-07.txt').split('\n').slice(0, 6).join('\n');
    const sets = readTleText(text, 'head.txt');
    expect(sets.map((s) => [s.noradId, s.objectName])).to.deep.equal([
      [900, 'CALSPHERE 1'],
      [902, 'CALSPHERE 2'],
    ]);
    // the epoch field 26127.81900272 is day 127 of 2026 (7 May) at 0.81900272 d
    expect(Date.parse(sets[0].epochUtc)).to.equal(Math.round(Date.UTC(2026, 4, 7) + 0.81900272 * 86_400_000));
    const broken = text.replace('0  9990', '0  9991');
    expect(() => readTleText(broken, 'head.txt')).to.throw(/head\.txt:2: checksum 1 does not match the line \(expected 0\)/);
    // an SGP4 source built from it counts time from the full-precision TLE epoch
    expect(new Sgp4Source(sets[0]).epochMs).to.be.closeTo(Date.UTC(2026, 0, 1) + 126.81900272 * 86_400_000, 1e-3);
  });
});
