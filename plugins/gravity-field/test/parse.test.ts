import { expect } from 'chai';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { readReferenceText, referenceDataPath } from '../../../sdk/reference-data';
import { coefficientAt, GravityFormatError, mjdFromIcgemEpoch, parseEgmNga, parseGravityField, parseIcgem, truncate } from '../parse';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('gravity-field parsers: published coefficients of each model', () => {
  it('JGM-3 (ICGEM, brahe JGM3.gfc): header and C̄20, C̄22, S̄22 as published', () => {
    const m = parseIcgem(readReferenceText('gravity/brahe/JGM3.gfc'), 'JGM3.gfc');
    expect(m).to.include({ name: 'JGM3', muKm3S2: 398600.4415, radiusKm: 6378.1363, maxDegree: 70, completeDegree: 70, tideSystem: 'unknown' });
    // Published JGM-3 (Tapley et al. 1996, JGR 101(B12) 28029; tabulated with 14 digits in Tapley,
    // Schutz & Born, Statistical Orbit Determination (2004) App. D Table D.1, and Montenbruck & Gill,
    // Satellite Orbits (2000) Table 3.2): C̄20 = −0.48416954845647e−3, C̄22 = 0.24392607486563e−5,
    // S̄22 = −0.14002663975880e−5. The file writes 12 significant digits: relative tolerance 1e−11.
    const [c20] = coefficientAt(m, 2, 0);
    const [c22, s22] = coefficientAt(m, 2, 2);
    expect(rel(c20, -0.48416954845647e-3)).to.be.below(1e-11);
    expect(rel(c22, 0.24392607486563e-5)).to.be.below(1e-11);
    expect(rel(s22, -0.1400266397588e-5)).to.be.below(1e-11);
    // The value −4.84165371736e−4 sometimes quoted as "JGM-3 C̄20" is EGM96's (next test); the
    // two differ by 4.18e−9, far above any rounding, so the file is not mislabelled EGM96.
    expect(Math.abs(c20 - -0.484165371736e-3)).to.be.closeTo(4.1767e-9, 1e-12);
  });

  it('EGM2008 (ICGEM, degree 120): tide-free header and C̄20, C̄22, S̄22 as published', () => {
    const m = parseIcgem(readReferenceText('gravity/brahe/EGM2008_120.gfc'), 'EGM2008_120.gfc');
    expect(m).to.include({ name: 'EGM2008', muKm3S2: 398600.4415, radiusKm: 6378.1363, maxDegree: 120, completeDegree: 120, tideSystem: 'tide_free' });
    // Pavlis et al. (2012), JGR 117 B04406; NGA EGM2008_to2190_TideFree: C̄20 = −0.484165143790815e−3,
    // C̄22 = 0.243938357328313e−5, S̄22 = −0.140027370385934e−5. Same 15 digits in the file: exact.
    expect(coefficientAt(m, 2, 0)[0]).to.equal(-0.484165143790815e-3);
    expect(coefficientAt(m, 2, 2)).to.deep.equal([0.243938357328313e-5, -0.140027370385934e-5]);
    // degree 1 absent from the file: implied zero (origin at the centre of mass); C00 = 1 ('1.0d0')
    const t = truncate(m, 2, 2);
    expect(t.cnm[1]).to.deep.equal([0, 0]);
    expect(t.cnm[0]).to.deep.equal([1]);
  });

  it('EGM96 (NGA format, 21×21 and the gzipped degree-5 file): C̄20, C̄22, S̄22 as published', () => {
    // Lemoine et al. (1998), NASA/TP-1998-206861; NGA egm96_to360.ascii:
    // C̄20 = −0.484165371736e−3, C̄22 = 0.243914352398e−5, S̄22 = −0.140016683654e−5 (same digits: exact)
    const m = parseEgmNga(readReferenceText('gravity/orekit/EGM96-truncated-21x21'), 'EGM96-truncated-21x21');
    expect(m).to.include({ format: 'egm', maxDegree: 21, completeDegree: 21, muKm3S2: 398600.4415, radiusKm: 6378.1363, tideSystem: 'tide_free' });
    expect(coefficientAt(m, 2, 0)[0]).to.equal(-0.484165371736e-3);
    expect(coefficientAt(m, 2, 2)).to.deep.equal([0.243914352398e-5, -0.140016683654e-5]);
    const gz = zlib.gunzipSync(fs.readFileSync(referenceDataPath('gravity/orekit/egm96_to5.ascii.gz'))).toString('utf8');
    const small = parseGravityField(gz, 'egm96_to5.ascii.gz');
    expect(small.format).to.equal('egm');
    expect(coefficientAt(small, 2, 2)).to.deep.equal([0.243914352398e-5, -0.140016683654e-5]);
    // the file has no (5, 3) line: complete to degree 4; 5×2 can be served, 5×5 cannot
    expect(small.completeDegree).to.equal(4);
    expect(small.warnings[0]).to.contain('(5, 3)');
    expect(truncate(small, 5, 2).cnm[5]).to.have.length(3);
    expect(() => truncate(small, 5, 5)).to.throw('gravity-field: egm96_to5.ascii.gz has no coefficient (5, 3); it is complete to degree 4');
  });

  it('truncation returns rows n = 0…degree of length min(n, order) + 1', () => {
    const m = parseIcgem(readReferenceText('gravity/brahe/JGM3.gfc'), 'JGM3.gfc');
    const t = truncate(m, 6, 3);
    expect(t.cnm.map((r) => r.length)).to.deep.equal([1, 2, 3, 4, 4, 4, 4]);
    expect(t.snm.map((r) => r.length)).to.deep.equal([1, 2, 3, 4, 4, 4, 4]);
    expect(t.cnm[2][2]).to.equal(coefficientAt(m, 2, 2)[0]);
    expect(() => truncate(m, 71, 71)).to.throw('JGM3 goes to degree 70, 71 requested');
    expect(() => truncate(m, 4, 5)).to.throw('order 5 invalid');
  });
});

describe('gravity-field: time-variable ICGEM terms (EIGEN-6S, EIGEN-5C)', () => {
  // eigen-6s-truncated, coefficient (2, 0):
  // gfct   2    0 -4.84165299820e-04 0.000000000000e+00 1.9551e-13 0.0000e+00 20050101
  // trnd   2    0 -1.26059939709e-11 …
  // acos   2    0  4.10019292536e-11 … 1.0     asin   2    0  5.32367408468e-11 … 1.0
  // acos   2    0  3.33920225943e-11 … 0.5     asin   2    0 -2.44369818145e-11 … 0.5
  const gfct = -4.8416529982e-4;
  const trnd = -1.26059939709e-11;
  const acos1 = 4.10019292536e-11;
  const asin1 = 5.32367408468e-11;
  const acos2 = 3.33920225943e-11;
  const asin2 = -2.44369818145e-11;
  const m = parseIcgem(readReferenceText('gravity/orekit/eigen-6s-truncated'), 'eigen-6s-truncated');
  const t0 = mjdFromIcgemEpoch('20050101')!;
  // Expected values follow the formula printed in the file's own header,
  // G(t) = gfct + trnd·(t−t0) + asin1·sin(2π/p1·(t−t0)) + acos1·cos(…) + asin2·sin(2π/p2·(t−t0)) + acos2·cos(…),
  // at instants where the sines and cosines are 0 or ±1; tolerance 1e-22 (≪ the 1e-13 sigmas).

  it('keeps the terms and serves the mean field (gfct) without an epoch', () => {
    expect(t0).to.equal(53371);
    expect(m.gfct).to.have.length(228);
    expect(m.timeVariable).to.have.length(228 * 5);
    expect(coefficientAt(m, 2, 0)[0]).to.equal(gfct);
  });

  it('one Julian year after t0: gfct + trnd + acos1 + acos2', () => {
    expect(coefficientAt(m, 2, 0, t0 + 365.25)[0]).to.be.closeTo(gfct + trnd + acos1 + acos2, 1e-22);
  });

  it('a quarter year after t0: gfct + trnd/4 + asin1 − acos2', () => {
    expect(coefficientAt(m, 2, 0, t0 + 365.25 / 4)[0]).to.be.closeTo(gfct + trnd / 4 + asin1 - acos2, 1e-22);
    // truncate() uses the same evaluation
    expect(truncate(m, 2, 0, t0 + 365.25 / 4).cnm[2][0]).to.equal(coefficientAt(m, 2, 0, t0 + 365.25 / 4)[0]);
  });

  it('an eighth of a year after t0: gfct + trnd/8 + (asin1 + acos1)·√2/2 + asin2', () => {
    expect(coefficientAt(m, 2, 0, t0 + 365.25 / 8)[0]).to.be.closeTo(gfct + trnd / 8 + ((asin1 + acos1) * Math.SQRT2) / 2 + asin2, 1e-22);
  });

  it("EIGEN-5C's format-1.0 'dot' drift: gfct + dot·(t − t0)", () => {
    // gfct   2    0 -.484165270522D-03 … 20041001 ;  dot    2    0 0.116275500000D-10
    const e = parseIcgem(readReferenceText('gravity/orekit/g007_eigen_05c_coef'), 'g007_eigen_05c_coef');
    const e0 = mjdFromIcgemEpoch('20041001')!;
    expect(coefficientAt(e, 2, 0)[0]).to.equal(-0.484165270522e-3);
    expect(coefficientAt(e, 2, 0, e0 + 2 * 365.25)[0]).to.be.closeTo(-0.484165270522e-3 + 2 * 0.1162755e-10, 1e-22);
    expect(e.completeDegree).to.equal(8);
  });
});

describe('gravity-field: unnormalized input and malformed files', () => {
  const head = (extra = '') => `free text\nbegin_of_head\nproduct_type gravity_field\nmodelname T\nearth_gravity_constant 0.3986004415E+15\nradius 0.63781363E+07\nmax_degree 2\n${extra}end_of_head ===\n`;

  it('unnormalized coefficients are divided by N̄nm = sqrt((2−δ0m)(2n+1)(n−m)!/(n+m)!)', () => {
    // J2-type input: C20 = C̄20·√5; C22 = C̄22·sqrt(2·5·0!/4!) (Heiskanen & Moritz 1967, eq. 1-73)
    const c20 = -0.48416954845647e-3;
    const c22 = 0.24392607486563e-5;
    const text = head('norm unnormalized\n') + `gfc 0 0 1 0\ngfc 1 0 0 0\ngfc 1 1 0 0\ngfc 2 0 ${c20 * Math.sqrt(5)} 0\ngfc 2 1 0 0\ngfc 2 2 ${c22 * Math.sqrt(10 / 24)} 0\n`;
    const m = parseIcgem(text, 'u.gfc');
    expect(rel(coefficientAt(m, 2, 0)[0], c20)).to.be.below(1e-14);
    expect(rel(coefficientAt(m, 2, 2)[0], c22)).to.be.below(1e-14);
  });

  const expectError = (fn: () => unknown, re: RegExp) => {
    try {
      fn();
    } catch (err) {
      expect(err).to.be.instanceOf(GravityFormatError);
      expect((err as Error).message).to.match(re);
      return;
    }
    expect.fail('no error');
  };

  it('names the file, the line and the reason', () => {
    expectError(() => parseIcgem(head().replace('radius 0.63781363E+07\n', ''), 'a.gfc'), /^a\.gfc:7: header has no 'radius' keyword/);
    expectError(() => parseIcgem(head() + 'gfc 2 0 -0.48x 0\n', 'b.gfc'), /^b\.gfc:9: C\/S '-0\.48x 0' are not numbers/);
    expectError(() => parseIcgem(head() + 'gfc 3 0 1e-6 0\n', 'c.gfc'), /^c\.gfc:9: degree 3 above max_degree 2 \(line 7\)/);
    expectError(() => parseIcgem(head() + 'gfk 2 0 1e-6 0\n', 'd.gfc'), /^d\.gfc:9: unknown key 'gfk'/);
    expectError(() => parseIcgem(head() + 'gfc 2 0 1e-6 0\ngfc 2 0 1e-6 0\n', 'e.gfc'), /^e\.gfc:10: coefficient \(2, 0\) given twice/);
    expectError(() => parseIcgem(head() + 'trnd 2 0 1e-12 0 0 0\n', 'f.gfc'), /^f\.gfc:9: trnd \(2, 0\) without a preceding gfct line/);
    expectError(() => parseIcgem('just text\n', 'g.gfc'), /^g\.gfc: no 'end_of_head' line/);
    expectError(() => parseEgmNga(' 2 0 -0.48e-3 0\n 2 3 1 1\n', 'h.ascii'), /^h\.ascii:2: expected 'n m C S/);
  });
});
