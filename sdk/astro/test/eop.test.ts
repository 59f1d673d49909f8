import { expect } from 'chai';
import { readReferenceText } from '../../reference-data';
import { EopError, EopTable } from '../eop';
import { parseCelestrakEop, parseEop, parseFinals2000A, parseIersEopCsv } from '../eop-parsers';
import { Epoch } from '../time';

const FINALS = 'eop/iers-finals2000A.all';
const CELESTRAK = 'eop/celestrak-EOP-All-2025-06-04.txt';
const C04 = 'eop/orekit/eopc04_20.2022-now.csv';
const BULL_A = 'eop/orekit/bulletina-xxxvi-037.csv';
const BULL_B = 'eop/orekit/bulletinb-427.csv';

/** The line of `text` that starts with `prefix` (and its 1-based number). */
function lineStarting(text: string, prefix: string): { line: string; no: number } {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith(prefix));
  if (i < 0) throw new Error(`no line starts with '${prefix}'`);
  return { line: lines[i], no: i + 1 };
}

/** Replaces line `no` (1-based) of `text`. */
function withLine(text: string, no: number, edit: (l: string) => string): string {
  const lines = text.split('\n');
  lines[no - 1] = edit(lines[no - 1]);
  return lines.join('\n');
}

describe('sdk/astro/eop — EOP tables', function () {
  this.timeout(20000);
  let finalsText: string;
  let celestrakText: string;
  let c04Text: string;
  let finals: EopTable;
  let celestrak: EopTable;
  let c04: EopTable;

  before(() => {
    finalsText = readReferenceText(FINALS);
    celestrakText = readReferenceText(CELESTRAK);
    c04Text = readReferenceText(C04);
    finals = parseFinals2000A(finalsText, FINALS);
    celestrak = parseCelestrakEop(celestrakText, CELESTRAK);
    c04 = parseIersEopCsv(c04Text, C04);
  });

  it('finals2000A: row values equal the text of the file, and the table reproduces them at the node', () => {
    // 2016-12-31 (MJD 57753), IERS final values; the literal strings are checked to be in the line
    const { line } = lineStarting(finalsText, '161231 57753.00');
    for (const s of [' I  0.081400 ', ' 0.263094 ', ' I-0.4077601 ', ' 0.8842 ', '     0.025 ', '    -0.169 ']) expect(line).to.include(s);
    const row = finals.rows.find((r) => r.mjd === 57753)!;
    expect(row).to.include({ predicted: false, xpArcsec: 0.0814, ypArcsec: 0.263094, ut1MinusUtcS: -0.4077601 });
    expect(row.lodS).to.be.closeTo(0.8842e-3, 1e-15);
    expect(row.dXArcsec).to.be.closeTo(0.025e-3, 1e-15);
    expect(row.dYArcsec).to.be.closeTo(-0.169e-3, 1e-15);
    const at = finals.at(57753);
    // removing and restoring TAI − UTC (36 s) costs at most a few ulp of 36 s
    expect(at.ut1MinusUtcS).to.be.closeTo(-0.4077601, 1e-13);
    expect(at).to.include({ xpArcsec: 0.0814, ypArcsec: 0.263094, predicted: false, outOfRange: false });
    // a prediction row: flags P, LOD blank in the file → derived from UT1
    const p = lineStarting(finalsText, '26 821 61273.00').line;
    for (const s of [' P  0.218722 ', ' 0.348700 ', ' P 0.0067371 ']) expect(p).to.include(s);
    const prow = finals.rows.find((r) => r.mjd === 61273)!;
    expect(prow).to.include({ predicted: true, xpArcsec: 0.218722, ypArcsec: 0.3487, ut1MinusUtcS: 0.0067371 });
    expect(finals.firstPredictedMjd).to.equal(61273);
    expect(prow.lodDerived).to.equal(true);
    expect(row.lodDerived).to.equal(undefined);
    // derived LOD = −d(UT1 − TAI)/dt: compare with a published LOD one day before predictions start
    const k = lineStarting(finalsText, '26 819 61271.00');
    expect(k.line.slice(79, 86)).to.equal(' 0.2690'); // published LOD 0.2690 ms
    const blanked = parseFinals2000A(withLine(finalsText, k.no, (l) => l.slice(0, 79) + ' '.repeat(7) + l.slice(86)), FINALS);
    const derived = blanked.rows.find((r) => r.mjd === 61271)!;
    expect(derived.lodDerived).to.equal(true);
    expect(derived.lodS).to.be.closeTo(0.269e-3, 0.05e-3);
    // rows 1973-01-02 … the last prediction; date-only rows at the end are skipped
    expect(finals.firstMjd).to.equal(41684);
    expect(finals.lastMjd).to.equal(61645);
    expect(finals.rows.length).to.equal(61645 - 41684 + 1);
    // Bulletin B columns on request
    const b = parseFinals2000A(finalsText, FINALS, { bulletin: 'B' }).rows.find((r) => r.mjd === 57753)!;
    expect(line).to.include('  0.081318  0.262990 -0.4077600 ');
    expect(b).to.include({ xpArcsec: 0.081318, ypArcsec: 0.26299, ut1MinusUtcS: -0.40776 });
  });

  it('CelesTrak EOP-All: OBSERVED and PREDICTED sections, values equal the file text', () => {
    const { line } = lineStarting(celestrakText, '2016 12 31 57753');
    expect(line).to.equal('2016 12 31 57753  0.081440  0.263099 -0.4077697  0.0008920 -0.098958 -0.009327  0.000106 -0.000192  36');
    const row = celestrak.rows.find((r) => r.mjd === 57753)!;
    expect(row).to.deep.equal({
      mjd: 57753,
      predicted: false,
      xpArcsec: 0.08144,
      ypArcsec: 0.263099,
      ut1MinusUtcS: -0.4077697,
      lodS: 0.000892,
      dPsiArcsec: -0.098958,
      dEpsArcsec: -0.009327,
      dXArcsec: 0.000106,
      dYArcsec: -0.000192,
    });
    // header: NUM_OBSERVED_POINTS 23166, NUM_PREDICTED_POINTS 181 (checked by the parser too)
    expect(celestrak.rows.filter((r) => !r.predicted).length).to.equal(23166);
    expect(celestrak.rows.filter((r) => r.predicted).length).to.equal(181);
    expect(celestrak.firstMjd).to.equal(37665); // 1962-01-01
    expect(celestrak.firstPredictedMjd).to.equal(60831);
    expect(celestrak.at(60900).predicted).to.equal(true);
    expect(celestrak.at(60830.5).predicted).to.equal(true); // brackets the first prediction
    expect(celestrak.at(60830).predicted).to.equal(false);
  });

  it('IERS CSV: C04 in arcsec/s, Bulletin B in mas/ms, Bulletin A mixed — inferred units give the same values', () => {
    const { line } = lineStarting(c04Text, '59580;');
    expect(line).to.equal('59580;2022;01;01;;0.054651;0.000076;0.276982;0.000055;-0.001480;0.000084;0.000936;0.000094;;-0.1105073;0.0000134;-0.0000314;0.0000313;;;;;;0.000066;0.000053;-0.000221;0.000056');
    const row = c04.rows[0];
    expect(row).to.deep.include({ mjd: 59580, predicted: false, xpArcsec: 0.054651, ypArcsec: 0.276982, ut1MinusUtcS: -0.1105073, lodS: -0.0000314, dXArcsec: 0.000066, dYArcsec: -0.000221 });
    expect(row.dPsiArcsec).to.equal(undefined); // blank in the file
    expect(c04.rows.length).to.equal(60184 - 59580 + 1);
    // Bulletin B 427 (mas, ms) holds the same final C04 values for 2023-07: the unit inference
    // must land on identical numbers (tolerance: 1e-9, the printed digits of the finer file)
    const bb = parseIersEopCsv(readReferenceText(BULL_B), BULL_B);
    expect(bb.rows[0]).to.include({ mjd: 60127 });
    expect(bb.rows.filter((r) => !r.predicted).length).to.equal(31);
    for (const r of bb.rows) {
      if (!c04.covers(r.mjd) || r.predicted) continue; // its 'prediction' rows are not final values
      const c = c04.at(r.mjd);
      expect(r.xpArcsec).to.be.closeTo(c.xpArcsec, 1e-9);
      expect(r.ut1MinusUtcS).to.be.closeTo(c.ut1MinusUtcS, 1e-9);
      if (!r.lodDerived) expect(r.lodS).to.be.closeTo(c.lodS, 1e-9);
    }
    // Bulletin A 36-037: pole in arcsec, UT1 in s, predictions flagged by Type = prediction
    const ba = parseIersEopCsv(readReferenceText(BULL_A), BULL_A);
    expect(lineStarting(readReferenceText(BULL_A), '60195;').line).to.include(';rapid;0.30505;.00009;0.39576;.00009;rapid;0.004393;');
    expect(ba.rows[0]).to.include({ mjd: 60195, xpArcsec: 0.30505, ypArcsec: 0.39576, ut1MinusUtcS: 0.004393, predicted: false });
    expect(ba.firstPredictedMjd).to.equal(60202);
    expect(() => parseIersEopCsv(c04Text, C04, { units: { pole: 'mas', ut1: 's' } })).not.to.throw();
    expect(() => parseIersEopCsv(c04Text, C04, { units: { ut1: 'ms' } })).not.to.throw(); // 1000× smaller is still plausible…
    expect(() => parseIersEopCsv(readReferenceText(BULL_B), BULL_B, { units: { pole: 'arcsec' } })).to.throw(EopError, /wrong units/); // …1000× larger is not
  });

  it('the three sources agree within the differences expected between IERS series (2022-01-01 … 2023-08-28)', () => {
    // EOP-All observed values are IERS 20 C04, the same series as the C04 CSV: identical to the
    // printed digits (tolerance 1e-9). finals2000A Bulletin A "I" values are a different
    // combination (IERS Rapid Service/Prediction Centre); over these 605 days their differences
    // from C04 measure max 0.17 ms (RMS 0.03 ms) in UT1−UTC, 0.21 mas in the pole, 0.44 mas in
    // dX/dY. Bounds: 0.25 ms, 0.5 mas, 1 mas — above the natural scatter, far below what a
    // column, unit or leap-second error produces (≥ 1 ms, ≥ 10 mas, or a factor 1000).
    let maxDut1 = 0;
    let sumSq = 0;
    let maxPole = 0;
    let maxNut = 0;
    for (let mjd = 59580; mjd <= 60184; mjd++) {
      const a = finals.at(mjd);
      const b = c04.at(mjd);
      const e = celestrak.at(mjd);
      expect(e.ut1MinusUtcS).to.be.closeTo(b.ut1MinusUtcS, 1e-9);
      expect(e.xpArcsec).to.be.closeTo(b.xpArcsec, 1e-9);
      expect(e.ypArcsec).to.be.closeTo(b.ypArcsec, 1e-9);
      const d = Math.abs(a.ut1MinusUtcS - b.ut1MinusUtcS);
      maxDut1 = Math.max(maxDut1, d);
      sumSq += d * d;
      maxPole = Math.max(maxPole, Math.abs(a.xpArcsec - b.xpArcsec), Math.abs(a.ypArcsec - b.ypArcsec));
      maxNut = Math.max(maxNut, Math.abs(a.dXArcsec! - b.dXArcsec!), Math.abs(a.dYArcsec! - b.dYArcsec!));
    }
    expect(maxDut1).to.be.below(0.25e-3);
    expect(Math.sqrt(sumSq / 605)).to.be.below(0.05e-3);
    expect(maxPole).to.be.below(0.5e-3);
    expect(maxNut).to.be.below(1e-3);
  });

  it('4-point Lagrange interpolation: exact at the nodes; on withheld days better than linear and within 0.1 ms / 0.5 mas', () => {
    // Build a table from every other day of C04 and interpolate the withheld days: a 2-day grid
    // is a harder case than the real 1-day grid (the error of a cubic scales with h^4).
    const rows = c04.rows.filter((r) => r.mjd % 2 === 0);
    const half = new EopTable(rows, { source: 'C04 even days' });
    let maxUt1 = 0;
    let maxPole = 0;
    let linUt1 = 0;
    let linPole = 0;
    for (const r of c04.rows) {
      if (r.mjd % 2 === 0 || !half.covers(r.mjd)) continue;
      const v = half.at(r.mjd);
      maxUt1 = Math.max(maxUt1, Math.abs(v.ut1MinusUtcS - r.ut1MinusUtcS));
      maxPole = Math.max(maxPole, Math.abs(v.xpArcsec - r.xpArcsec), Math.abs(v.ypArcsec - r.ypArcsec));
      // linear interpolation between the two neighbours (no leap second in 2022-2023)
      const a = c04.at(r.mjd - 1);
      const b = c04.at(r.mjd + 1);
      linUt1 = Math.max(linUt1, Math.abs((a.ut1MinusUtcS + b.ut1MinusUtcS) / 2 - r.ut1MinusUtcS));
      linPole = Math.max(linPole, Math.abs((a.xpArcsec + b.xpArcsec) / 2 - r.xpArcsec), Math.abs((a.ypArcsec + b.ypArcsec) / 2 - r.ypArcsec));
    }
    // measured: Lagrange 0.067 ms / 0.33 mas, linear 0.16 ms / 0.43 mas (the pole's day-to-day
    // scatter in C04 limits both); bounds ~1.5× the Lagrange maxima
    expect(maxUt1).to.be.below(0.1e-3);
    expect(maxPole).to.be.below(0.5e-3);
    expect(maxUt1).to.be.below(linUt1);
    expect(maxPole).to.be.below(linPole);
    for (const r of c04.rows.slice(0, 50)) expect(c04.at(r.mjd).xpArcsec).to.equal(r.xpArcsec);
  });

  it('UT1−UTC interpolation across the 2016-12-31 leap second is continuous apart from the real +1 s step', () => {
    // IERS practice: interpolate UT1 − TAI (leap seconds removed), then restore TAI − UTC.
    const before = finals.at(57753.999999).ut1MinusUtcS;
    const after = finals.at(57754).ut1MinusUtcS;
    expect(after - before).to.be.closeTo(1, 1e-5); // the real step (UT1 drifts ~1e-8 s in 0.09 s)
    // UT1 − TAI sampled through the day is smooth: no sample departs from its neighbours'
    // mean by more than a µs (a 1 s jump, or the naive mixing of ±0.5 s values, would)
    let worst = 0;
    const ut1MinusTai = (m: number): number => finals.at(m).ut1MinusUtcS - (m < 57754 ? 36 : 37);
    for (let m = 57752; m <= 57756; m += 0.05) worst = Math.max(worst, Math.abs(ut1MinusTai(m) - (ut1MinusTai(m - 0.05) + ut1MinusTai(m + 0.05)) / 2));
    expect(worst).to.be.below(1e-6);
    // midway through the leap day the value lies between the neighbouring nodes (−0.40776 and
    // 0.59128 − 1 s): a naive interpolation of UT1−UTC would give ≈ +0.09 s
    const mid = finals.at(57753.5).ut1MinusUtcS;
    expect(mid).to.be.within(-0.4087179 - 1e-6, -0.4077601 + 1e-6);
    // through Epoch: UT1 advances 1 s per SI second across 23:59:60 (within 1 µs, the LOD effect)
    const opts = { ut1: finals };
    const t0 = Epoch.parse('2016-12-31T23:59:59', 'UTC', opts);
    for (let k = 1; k <= 4; k++) {
      const t = t0.plusSeconds(0.5 * k);
      expect(t.secondsSinceJ2000('UT1') - t0.secondsSinceJ2000('UT1')).to.be.closeTo(0.5 * k, 1e-6);
    }
    expect(Epoch.parse('2016-12-31T23:59:60.5', 'UTC', opts).toIso('UT1', 3)).to.equal('2017-01-01T00:00:00.091');
  });

  it('outside the table: values of the nearest end row, flagged outOfRange', () => {
    const first = finals.rows[0];
    const early = finals.at(finals.firstMjd - 10);
    expect(early).to.include({ outOfRange: true, ut1MinusUtcS: first.ut1MinusUtcS, xpArcsec: first.xpArcsec, ypArcsec: first.ypArcsec });
    const last = finals.rows[finals.rows.length - 1];
    const late = finals.at(finals.lastMjd + 100);
    expect(late).to.include({ outOfRange: true, predicted: true, ut1MinusUtcS: last.ut1MinusUtcS });
    expect(finals.ut1MinusUtcS(finals.lastMjd + 100)).to.equal(last.ut1MinusUtcS);
    expect(finals.at(finals.lastMjd).outOfRange).to.equal(false);
    expect(() => finals.at(NaN)).to.throw(EopError, /non-finite MJD/);
  });

  it('parseEop picks the format from the content', () => {
    expect(parseEop(c04Text, 'x').rows.length).to.equal(c04.rows.length);
    const short = celestrakText.split('\n').slice(0, 40).join('\n').replace('NUM_OBSERVED_POINTS 23166', 'NUM_OBSERVED_POINTS 16') + '\nEND OBSERVED\n';
    expect(parseEop(short, 'x').rows.length).to.equal(16);
    expect(parseEop(finalsText.split('\n').slice(0, 10).join('\n'), 'x').rows.length).to.equal(10);
  });

  it('a corrupted line in each format raises an EopError naming the source and the line number', () => {
    const f = lineStarting(finalsText, '161231 57753.00').no;
    expect(() => parseFinals2000A(withLine(finalsText, f, (l) => l.slice(0, 60) + 'x' + l.slice(61)), 'finals')).to.throw(EopError, new RegExp(`finals line ${f}: Bulletin A UT1-UTC \\(columns 59-68\\) '.*x.*' is not a number`));
    expect(() => parseFinals2000A(withLine(finalsText, f, (l) => l.replace('57753.00', '57754.00')), 'finals')).to.throw(EopError, new RegExp(`finals line ${f}: date 2016-12-31 does not match MJD 57754`));
    const c = lineStarting(celestrakText, '2016 12 31 57753').no;
    expect(() => parseCelestrakEop(withLine(celestrakText, c, (l) => l.replace(' -0.009327', '')), 'cel')).to.throw(EopError, new RegExp(`cel line ${c}: expected 13 fields`));
    expect(() => parseCelestrakEop(withLine(celestrakText, c, (l) => l.replace(/36$/, '37')), 'cel')).to.throw(EopError, new RegExp(`cel line ${c}: DAT 37 s disagrees with the leap-second table`));
    expect(() => parseCelestrakEop(withLine(celestrakText, c, (l) => l.replace('0.081440', '0.08l440')), 'cel')).to.throw(EopError, new RegExp(`cel line ${c}: field 5 '0.08l440' is not a number`));
    const v = lineStarting(c04Text, '59600;').no;
    expect(() => parseIersEopCsv(withLine(c04Text, v, (l) => l.replace(';-0.1082893;', ';-0.1O82893;')), 'c04')).to.throw(EopError, new RegExp(`c04 line ${v}: UT1-UTC '-0.1O82893' is not a number`));
    expect(() => parseIersEopCsv(withLine(c04Text, v, (l) => l + ';'), 'c04')).to.throw(EopError, new RegExp(`c04 line ${v}: 28 fields, the header has 27`));
    expect(() => parseIersEopCsv(withLine(c04Text, v, (l) => l.replace('59600;2022;01;21', '59600;2022;01;22')), 'c04')).to.throw(EopError, new RegExp(`c04 line ${v}: date 2022-1-22 does not match MJD 59600`));
    expect(() => parseIersEopCsv(c04Text.replace('x_pole', 'xpole'), 'c04')).to.throw(EopError, /c04 line 1: header has no 'x_pole' column/);
  });
});
