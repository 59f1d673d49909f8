import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readReferenceText } from '../../../sdk/reference-data';
import { readOmm } from '../omm';
import { CatalogStore } from '../store';
import { decodeAlpha5, encodeAlpha5, formatTle, parseTle, readTles, tleChecksum } from '../../../sdk/tle';

/** Replaces columns [from, to) (0-based) of a TLE line and recomputes its checksum. */
function patch(line: string, from: number, text: string): string {
  const l = line.slice(0, from) + text + line.slice(from + text.length, 68);
  return l + tleChecksum(l);
}

describe('tle-catalog: TLE reading', () => {
  // The worked example of the TLE format on Wikipedia ("Two-line element set", section
  // "Format"), which decodes this ISS set field by field.
  const ISS = [
    'ISS (ZARYA)',
    '1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927',
    '2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537',
  ];

  it('decodes the published ISS example field by field', () => {
    const s = parseTle(ISS[1], ISS[2], ISS[0]);
    // Epoch 08264.51782528: 2008, day 264 (leap year → 20 September), 0.51782528 d = 44740.104192 s.
    expect(s.epochUtc).to.equal('2008-09-20T12:25:40.104192Z');
    expect(s).to.include({
      noradId: 25544,
      objectName: 'ISS (ZARYA)',
      objectId: '1998-067A',
      classification: 'U',
      meanMotionDotRevPerDay2: -0.00002182,
      meanMotionDdotRevPerDay3: 0,
      inclinationDeg: 51.6416,
      raanDeg: 247.4627,
      eccentricity: 0.0006703,
      argPericenterDeg: 130.536,
      meanAnomalyDeg: 325.0288,
      meanMotionRevPerDay: 15.72125391,
      revAtEpoch: 56353,
      elementSetNo: 292,
      ephemerisType: 0,
    });
    // B* "-11606-4" = -0.11606e-4 1/ER; compared to 1e-18 (floating-point rounding of the product).
    expect(s.bstarPerEarthRadius).to.be.closeTo(-0.11606e-4, 1e-18);
    expect(tleChecksum(ISS[1])).to.equal(7);
    expect(tleChecksum(ISS[2])).to.equal(7);
  });

  it('loads the 15,347-object CelesTrak active catalog with zero errors and re-writes every line byte for byte', () => {
    const text = readReferenceText('tle/celestrak-active-2026-05-07.txt');
    const r = readTles(text, 'celestrak-active');
    expect(r.errors).to.deep.equal([]);
    expect(r.records).to.have.length(15347);
    expect(new Set(r.records.map((x) => x.set.noradId)).size).to.equal(15347);
    // The first record, decoded by hand from the file's lines 1-3 (CALSPHERE 1):
    // 26127.81900272 → 2026 day 127 = 7 May; 0.81900272 d = 70761.835008 s = 19:39:21.835008.
    expect(r.records[0].line).to.equal(2);
    expect(r.records[0].set).to.include({ noradId: 900, objectName: 'CALSPHERE 1', epochUtc: '2026-05-07T19:39:21.835008Z', bstarPerEarthRadius: 0.64291e-3, revAtEpoch: 6587 });
    let differing = 0;
    for (const { set } of r.records) {
      const [l1, l2] = formatTle(set);
      if (l1 !== set.line1 || l2 !== set.line2) differing++;
    }
    expect(differing, 'element sets whose re-written TLE differs from the original').to.equal(0);
  });

  it('reports bad checksums and garbled lines with their line numbers and keeps the good sets', () => {
    const lines = readReferenceText('tle/celestrak-stations-2025-06-29.txt').split(/\r?\n/);
    // Line 3 (line 2 of the first set): change the last checksum digit.
    const l3 = lines[2];
    lines[2] = l3.slice(0, 68) + String((Number(l3[68]) + 1) % 10);
    // Line 8 (line 2 of the third set): cut it short (a truncated transfer).
    lines[7] = lines[7].slice(0, 40);
    // Line 12 (line 2 of the fourth set): letters in the inclination field, checksum made valid.
    lines[11] = patch(lines[11], 8, ' 5X.6Y1 ');
    const r = readTles(lines.join('\n'));
    expect(r.errors.map((e) => e.line)).to.deep.equal([3, 8, 12]);
    expect(r.errors[0].reason).to.match(/checksum mismatch/);
    expect(r.errors[1].reason).to.match(/40 characters, expected 69/);
    expect(r.errors[2].reason).to.match(/inclination \(columns 9-16\) ' 5X.6Y1 ' is not a number/);
    expect(r.records).to.have.length(13 - 3);
  });

  it('reports a line 1 without line 2 and a name without an element set', () => {
    const r = readTles(['SAT A', ISS[1], 'SAT B', 'SAT C', ISS[1], ISS[2]].join('\n'));
    expect(r.errors).to.deep.equal([
      { line: 2, reason: 'line 1 of an element set is not followed by its line 2' },
      { line: 3, reason: "'SAT B' is neither a TLE line nor followed by one" },
    ]);
    expect(r.records).to.have.length(1);
    expect(r.records[0].set.objectName).to.equal('SAT C');
  });

  it('round-trips Alpha-5 catalog numbers (A..Z without I and O for 100000..339999)', () => {
    // The scheme's anchors: A = 10, H = 17, J = 18 (I skipped), N = 22, P = 23 (O skipped), Z = 33.
    expect(decodeAlpha5('A0000')).to.equal(100000);
    expect(decodeAlpha5('H9999')).to.equal(179999);
    expect(decodeAlpha5('J0000')).to.equal(180000);
    expect(decodeAlpha5('N9999')).to.equal(229999);
    expect(decodeAlpha5('P0000')).to.equal(230000);
    expect(decodeAlpha5('Z9999')).to.equal(339999);
    expect(decodeAlpha5('00005')).to.equal(5);
    expect(() => decodeAlpha5('I0000')).to.throw(/I and O are excluded/);
    expect(() => decodeAlpha5('O1234')).to.throw(/I and O are excluded/);
    expect(() => encodeAlpha5(340000)).to.throw(/outside 0..339999/);
    for (let n = 0; n <= 339_999; n++) {
      if (decodeAlpha5(encodeAlpha5(n)) !== n) throw new Error(`round trip failed for ${n}`);
    }
    // A whole element set with an Alpha-5 number: E8493 = 14·10000 + 8493 = 148493.
    // (CelesTrak's ISS set: its zero n̈/6 is written `00000+0`, as formatTle writes it.)
    const [, c1, c2] = readReferenceText('tle/celestrak-stations-2025-06-29.txt').split(/\r?\n/);
    const l1 = patch(c1, 2, 'E8493');
    const l2 = patch(c2, 2, 'E8493');
    const s = parseTle(l1, l2, 'ALPHA5 TEST');
    expect(s.noradId).to.equal(148493);
    expect(formatTle(s)).to.deep.equal([l1, l2]);
  });

  it('keeps the 250-set history of SPOT-5 in epoch order (Orekit spot-5.tle)', () => {
    const r = readTles(readReferenceText('tle/orekit/spot-5.tle'), 'spot-5.tle');
    expect(r.errors).to.deep.equal([]);
    expect(r.records).to.have.length(250);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tle-store-'));
    try {
      const store = new CatalogStore(dir, { historyMaxSets: 1000, futureEpochToleranceDays: 1, meanMotionJumpFraction: 0.01, now: () => Date.parse('2002-06-25T00:00:00Z') });
      // Shuffled on purpose: the history must come out sorted whatever the arrival order.
      const sets = r.records.map((x) => x.set).reverse();
      const out = store.ingest(sets);
      expect(out.added).to.equal(1);
      const h = store.objects.get(27421)!.history;
      expect(h).to.have.length(250);
      // First and last sets of the file: 02124.48976499 → 4 May 2002 11:45:15.695136;
      // the last line-1 epoch of the file is 02175.xxxx (24 June).
      expect(h[0].epochUtc).to.equal('2002-05-04T11:45:15.695136Z');
      expect(h[249].epochUtc.slice(0, 10)).to.equal('2002-06-24');
      for (let i = 1; i < h.length; i++) expect(h[i].epochUtc > h[i - 1].epochUtc).to.equal(true);
      // Ingesting the same file again changes nothing (idempotent).
      const again = store.ingest(r.records.map((x) => x.set));
      expect(again).to.include({ added: 0, updated: 0, duplicates: 250 });
      store.close();
      // Persistence: a new store over the same folder reads the same history back.
      const reopened = new CatalogStore(dir, { historyMaxSets: 1000, futureEpochToleranceDays: 1, meanMotionJumpFraction: 0.01, now: () => 0 });
      expect(reopened.load().sets).to.equal(250);
      expect(reopened.objects.get(27421)!.history).to.deep.equal(h);
      reopened.snapshot();
      const third = new CatalogStore(dir, { historyMaxSets: 1000, futureEpochToleranceDays: 1, meanMotionJumpFraction: 0.01, now: () => 0 });
      expect(third.load().sets).to.equal(250);
      expect(fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8')).to.equal('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('treats two sets with the same epoch and elements (Orekit same-date-tle.txt) as one', () => {
    const r = readTles(readReferenceText('tle/orekit/same-date-tle.txt'));
    expect(r.records).to.have.length(2);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tle-store-'));
    try {
      const store = new CatalogStore(dir, { historyMaxSets: 10, futureEpochToleranceDays: 1, meanMotionJumpFraction: 0.01, now: () => Date.now() });
      const out = store.ingest(r.records.map((x) => x.set));
      expect(out).to.include({ added: 1, duplicates: 1 });
      expect(store.objects.get(16908)!.history).to.have.length(1);
      store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tle-catalog: OMM reading', () => {
  it('reads the CCSDS 502.0-B-3 OMM example (GOES 9, Orekit OMMExample1) in KVN and XML alike', () => {
    const kvn = readOmm(readReferenceText('ccsds/orekit/odm/omm/OMMExample1.txt'));
    const xml = readOmm(readReferenceText('ccsds/orekit/odm/omm/OMM-with-units.xml'));
    expect(kvn.errors).to.deep.equal([]);
    expect(xml.errors).to.deep.equal([]);
    // Values as written in the message; EPOCH 2007-064T10:34:41.4264 is day 64 = 5 March.
    expect(kvn.records[0].set).to.deep.include({
      noradId: 23581,
      objectName: 'GOES 9',
      objectId: '1995-025A',
      epochUtc: '2007-03-05T10:34:41.426400Z',
      meanMotionRevPerDay: 1.00273272,
      eccentricity: 0.0005013,
      inclinationDeg: 3.0539,
      raanDeg: 81.7939,
      argPericenterDeg: 249.2363,
      meanAnomalyDeg: 150.1602,
      bstarPerEarthRadius: 0.0001,
      meanMotionDotRevPerDay2: -0.00000113,
      elementSetNo: 925,
      revAtEpoch: 4316,
    });
    const { objectName: _n, ...k } = kvn.records[0].set;
    const { objectName: _m, ...x } = xml.records[0].set;
    expect(x).to.deep.equal(k);
  });

  it('reads CelesTrak-style OMM CSV and XML of the same set identically (python-sgp4 sample, VANGUARD 1)', () => {
    const csv = readOmm(readReferenceText('ccsds/python-sgp4-omm/sample_omm.csv'));
    const xml = readOmm(readReferenceText('ccsds/python-sgp4-omm/sample_omm.xml'));
    const json = readOmm(readReferenceText('ccsds/python-sgp4-omm/sample_omm.json'));
    expect([csv.syntax, xml.syntax, json.syntax]).to.deep.equal(['csv', 'xml', 'json']);
    expect(csv.records[0].set).to.deep.equal(xml.records[0].set);
    expect(csv.records[0].set).to.include({ noradId: 5, epochUtc: '2020-10-13T04:52:48.472320Z', bstarPerEarthRadius: -0.22483e-4, meanMotionDotRevPerDay2: -1.6e-7 });
    expect(json.records[0].set).to.include({ noradId: 5, epochUtc: '2025-02-14T14:36:48.662784Z', meanMotionRevPerDay: 10.85873516, revAtEpoch: 39027 });
  });

  it('refuses non-SGP4 and malformed OMMs naming the keyword and its line', () => {
    const bad = readOmm(readReferenceText('ccsds/orekit/odm/omm/OMM-number-format-error.txt'));
    expect(bad.errors).to.deep.equal([{ line: 15, reason: "keyword ARG_OF_PERICENTER: 'this-is-not-a-number' is not a number" }]);
    const theory = readOmm(readReferenceText('ccsds/orekit/odm/omm/OMMExample3.txt'));
    expect(theory.errors[0].reason).to.match(/MEAN_ELEMENT_THEORY: 'SOME THEORY' is not SGP4/);
    expect(theory.errors[0].line, 'MEAN_ELEMENT_THEORY is on line 14 of OMMExample3.txt').to.equal(14);
    // SGP4-XP (502.0-B-3 Table 4-2) is another theory: BTERM/AGOM in place of BSTAR and n̈/6.
    const xp = readOmm(readReferenceText('ccsds/orekit/odm/omm/OMMExample5.txt'));
    expect(xp.records).to.deep.equal([]);
    expect(xp.errors).to.deep.equal([{ line: 10, reason: "keyword MEAN_ELEMENT_THEORY: 'SGP4-XP' is not SGP4: SGP4-XP elements need the SGP4-XP propagator" }]);
    // Problems the codec finds (here an unknown keyword), with their line.
    const wrong = readOmm(readReferenceText('ccsds/orekit/odm/omm/OMM-wrong-keyword.txt'));
    expect(wrong.records).to.deep.equal([]);
    expect(wrong.errors).to.have.length(1);
    expect(wrong.errors[0]).to.include({ line: 9 });
    expect(wrong.errors[0].reason).to.match(/^keyword WRONG_KEYWORD: unknown or misplaced keyword/);
  });

  it('reports the deviations it accepts (CelesTrak XML with empty mandatory header values) with their line', () => {
    const xml = readOmm(readReferenceText('ccsds/python-sgp4-omm/sample_omm.xml'));
    expect(xml.records).to.have.length(1);
    expect(xml.warnings.map((w) => [w.line, w.reason.split(':')[0]])).to.deep.equal([
      [4, 'keyword CREATION_DATE'],
      [4, 'keyword ORIGINATOR'],
    ]);
  });

  it('reads files holding several OMMs (concatenated KVN, an <ndm> of several <omm>) as the messages read alone, lines in place', () => {
    const dir = 'ccsds/orekit/odm/omm/';
    const one = (f: string) => readOmm(readReferenceText(dir + f)).records.map((r) => r.set);
    const goes = one('OMMExample1.txt');
    const starlette = one('OMMExample4.txt');
    expect(starlette[0]).to.include({ noradId: 7646, objectName: 'STARLETTE' });
    const kvn = readOmm(readReferenceText(dir + 'OMMExample1.txt') + readReferenceText(dir + 'OMMExample4.txt'));
    expect(kvn.errors).to.deep.equal([]);
    expect(kvn.records.map((r) => [r.line, r.set])).to.deep.equal([
      [1, goes[0]],
      [28, starlette[0]],
    ]);
    // An error in the second message is reported on its line of the whole file (27 + 15).
    const bad = readOmm(readReferenceText(dir + 'OMMExample1.txt') + readReferenceText(dir + 'OMM-number-format-error.txt'));
    expect(bad.records.map((r) => r.set)).to.deep.equal(goes);
    expect(bad.errors).to.deep.equal([{ line: 42, reason: "keyword ARG_OF_PERICENTER: 'this-is-not-a-number' is not a number" }]);
    // CelesTrak's FORMAT=xml layout: one <ndm> holding one <omm> per object.
    const body = (f: string) => readReferenceText(f).replace(/<\?xml[^>]*\?>/, '').replace(/<\/?ndm[^>]*>/g, '').trim();
    const ndm = `<?xml version="1.0" encoding="UTF-8"?>\n<ndm>\n${body(dir + 'OMMExample4.xml')}\n${body('ccsds/python-sgp4-omm/sample_omm.xml')}\n</ndm>\n`;
    const both = readOmm(ndm);
    expect(both.errors).to.deep.equal([]);
    expect(both.records.map((r) => r.set)).to.deep.equal([...one('OMMExample4.xml'), ...readOmm(readReferenceText('ccsds/python-sgp4-omm/sample_omm.xml')).records.map((r) => r.set)]);
    // An <ndm> holding one OMM and a COMMENT of its own (as Orekit's NDM-opm.xml holds an OPM).
    const commented = readOmm(`<ndm>\n  <COMMENT>one OMM</COMMENT>\n${body(dir + 'OMMExample4.xml')}\n</ndm>\n`);
    expect(commented.errors).to.deep.equal([]);
    expect(commented.records.map((r) => [r.line, r.set])).to.deep.equal([[3, one('OMMExample4.xml')[0]]]);
    // Each record's line is the line of its <omm> element.
    const ommLines = ndm.split('\n').flatMap((l, i) => (l.trimStart().startsWith('<omm') ? [i + 1] : []));
    expect(ommLines).to.have.length(2);
    expect(both.records.map((r) => r.line)).to.deep.equal(ommLines);
  });

  it('keeps the good records of a CelesTrak CSV/JSON and refuses the bad one with its line (record)', () => {
    const csv = readReferenceText('ccsds/python-sgp4-omm/sample_omm.csv').trim().split('\n');
    const badRow = csv[1].replace(',162.2516,', ',this-is-not-a-number,').replace(/,5,999,/, ',6,999,');
    const r = readOmm([csv[0], badRow, csv[1]].join('\n'));
    expect(r.records.map((x) => [x.line, x.set.noradId])).to.deep.equal([[3, 5]]);
    expect(r.errors).to.deep.equal([{ line: 2, reason: "keyword ARG_OF_PERICENTER: 'this-is-not-a-number' is not a number" }]);
    const json = JSON.parse(readReferenceText('ccsds/python-sgp4-omm/sample_omm.json')) as Record<string, unknown>[];
    const j = readOmm(JSON.stringify([{ ...json[0], NORAD_CAT_ID: 6, ECCENTRICITY: -0.1 }, json[0]]));
    expect(j.records.map((x) => [x.line, x.set.noradId])).to.deep.equal([[2, 5]]);
    expect(j.errors).to.have.length(1);
    expect(j.errors[0].line).to.equal(1);
    expect(j.errors[0].reason).to.match(/^keyword ECCENTRICITY: .*\(\/\[0\]\/ECCENTRICITY\)$/);
  });
});
