import { expect } from 'chai';
import * as fs from 'node:fs';
import { readReferenceText, referenceDataPath } from '../../reference-data';
import { CcsdsParseError, OemSegment, parseNdm, writeNdm, type Oem, type ParseMode } from '..';

/**
 * OEM ephemeris data lines: the fast scanner (oem-scan.ts) against an independent reading of
 * the same lines (split on blanks, `Number()` of each field — both correctly rounded, so the
 * doubles must be identical), its hand-over to the generic reader for unusual lines, the
 * object view of the columns, and the time order/span checks of 502.0-B-2 §5.2.3–5.2.4.
 */
function oem(text: string, mode: ParseMode = 'lenient', file = 'test.oem'): Oem {
  const m = parseNdm(text, { file, mode }).message;
  if (m.type !== 'OEM') throw new Error('not an OEM');
  return m;
}

function rejection(text: string, mode: ParseMode = 'strict'): CcsdsParseError {
  try {
    parseNdm(text, { file: 'test.oem', mode });
  } catch (err) {
    if (err instanceof CcsdsParseError) return err;
    throw err;
  }
  throw new Error('accepted');
}

/** Data lines of a KVN OEM read the plain way: [epoch, numbers] per line, segment by segment. */
function plainDataLines(text: string): [string, number[]][][] {
  const segs: [string, number[]][][] = [];
  let inData = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === 'META_START') inData = false;
    else if (line === 'META_STOP') {
      inData = true;
      segs.push([]);
    } else if (line === 'COVARIANCE_START') inData = false;
    else if (inData && /^\d/.test(line)) {
      const [epoch, ...rest] = line.split(/\s+/);
      segs[segs.length - 1].push([epoch, rest.map(Number)]);
    }
  }
  return segs;
}

const HEAD = `CCSDS_OEM_VERS = 2.0
CREATION_DATE = 2026-01-01T00:00:00
ORIGINATOR = TEST
META_START
OBJECT_NAME = SAT
OBJECT_ID = 2026-001A
CENTER_NAME = EARTH
REF_FRAME = EME2000
TIME_SYSTEM = UTC
START_TIME = 2026-001T00:00:00
STOP_TIME = 2026-01-02T00:00:00
META_STOP
`;

describe('sdk/ccsds OEM data lines (fast scanner)', () => {
  it('reads every KVN OEM example of the reference set to the same epochs and doubles as a plain split-and-Number reading', () => {
    const dir = 'ccsds/orekit/odm/oem';
    let lines = 0;
    for (const f of fs.readdirSync(referenceDataPath(dir))) {
      if (!/\.(txt|oem)$/.test(f)) continue;
      const text = readReferenceText(`${dir}/${f}`);
      let m: Oem;
      try {
        m = oem(text, 'lenient', f);
      } catch {
        continue; // malformed examples: covered by codecs.test.ts
      }
      const plain = plainDataLines(text);
      expect(m.segments.length, f).to.equal(plain.length);
      m.segments.forEach((s, k) => {
        expect(s.ephemeris.count, f).to.equal(plain[k].length);
        plain[k].forEach(([epoch, nums], i) => {
          expect(s.ephemeris.epoch(i), f).to.equal(epoch);
          expect(s.ephemeris.values(i), `${f} line ${i}`).to.deep.equal(nums);
          lines++;
        });
      });
    }
    expect(lines).to.be.greaterThan(100);
  });

  it('reads unusual but legal forms exactly (signs, bare points, exponents, 17+ digits, day-of-year and Z epochs, tabs, CRLF, no final newline)', () => {
    const rows = [
      '2026-01-01T00:00:00 +1.5 .5 5. 1E3 1e-3 -0',
      '2026-001T00:01:00\t6878.13700000000001 -0.000000000000000000000000123 1e-30 123456789012345678901234 7.6e+1 -7.60000000000000000001',
      '2026-01-01T00:02:00Z 1 2 3 4 5 6 7 8 9',
      '2026-01-01T00:03:00.123456789012 1 2 3 4 5 6\r',
      '2026-01-01T00:04:00 0.1 0.2 0.3 0.4 0.5 0.6',
    ];
    const text = HEAD + rows.join('\n'); // no final newline
    const m = oem(text, 'strict');
    const e = m.segments[0].ephemeris;
    expect(e.count).to.equal(rows.length);
    rows.forEach((r, i) => {
      const [epoch, ...nums] = r.trim().split(/\s+/);
      expect(e.epoch(i)).to.equal(epoch);
      expect(e.values(i)).to.deep.equal(nums.map(Number));
    });
    expect(Object.is(e.values(0)[5], -0)).to.equal(true);
    expect(m.segments[0].states[2].accKmS2).to.deep.equal([7, 8, 9]);
    expect(m.segments[0].states[1].accKmS2).to.equal(undefined);
  });

  it('reports a bad line deep in a long run with its own line number, and still reads the lines around it', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `2026-01-01T${String(Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} ${i} 2 3 4 5 6`);
    rows[3210] = rows[3210].replace(' 4 ', ' 4x ');
    const err = rejection(HEAD + rows.join('\n') + '\n');
    const p = err.problems.filter((x) => x.severity === 'error');
    expect(p).to.have.length(1);
    expect(p[0]).to.deep.include({ line: 12 + 3211, keyword: 'X_DOT', message: "'4x' is not a number" });
    rows[3210] = rows[3210].replace(' 4x ', ' 4 ');
    const m = oem(HEAD + rows.join('\n') + '\n', 'strict');
    expect(m.segments[0].ephemeris.count).to.equal(5000);
    expect(m.segments[0].states[4999].posKm[0]).to.equal(4999);
  });

  it('rejects what the generic reader rejects: overflow, hex, missing values, a bad epoch', () => {
    for (const [line, keyword, reason] of [
      ['2026-01-01T00:00:00 1e400 2 3 4 5 6', 'X', "'1e400' is not a number"],
      ['2026-01-01T00:00:00 0x10 2 3 4 5 6', 'X', "'0x10' is not a number"],
      ['2026-01-01T00:00:00 1 2 3 4 5', 'EPOCH', 'has 6 fields'],
      ['2026-02-30T00:00:00 1 2 3 4 5 6', 'EPOCH', 'day 30 out of range'],
    ]) {
      const err = rejection(`${HEAD}${line}\n`);
      expect(err.problems.some((p) => p.keyword === keyword && p.line === 13 && p.message.includes(reason)), line).to.equal(true);
    }
  });

  it('gives the columns as frozen state objects, and a segment built from states writes the same KVN', () => {
    const m = oem(readReferenceText('ccsds/orekit/odm/oem/OEMExample1.txt'));
    const s = m.segments[0];
    expect(s.states).to.equal(s.states); // cached
    expect(Object.isFrozen(s.states)).to.equal(true);
    expect(s.states[0]).to.deep.equal({ epoch: { text: '1996-12-18T12:00:00.331', timeSystem: 'UTC' }, posKm: [2789.619, -280.045, -1746.755], velKmS: [4.73372, -2.49586, -1.04195] });
    const rebuilt: Oem = { ...m, segments: m.segments.map((x) => new OemSegment({ metadata: x.metadata, dataComments: x.dataComments, states: x.states, covariances: x.covariances })) };
    expect(writeNdm(rebuilt, 'kvn')).to.equal(writeNdm(m, 'kvn'));
  });
});

describe('sdk/ccsds OEM time order and span (502.0-B-2 §5.2.3–5.2.4)', () => {
  const line = (hhmm: string) => `2026-01-01T${hhmm}:00 1 2 3 4 5 6`;
  const cases: [string, string, RegExp][] = [
    ['a data line before the previous one', [line('00:10'), line('00:05')].join('\n'), /ephemeris epoch 2026-01-01T00:05:00 is not after the previous one \(2026-01-01T00:10:00\)/],
    ['two data lines at one epoch', [line('00:10'), line('00:10')].join('\n'), /is not after the previous one/],
    ['a data line after STOP_TIME', line('00:10') + '\n2026-01-02T00:00:01 1 2 3 4 5 6', /ephemeris epoch 2026-01-02T00:00:01 is outside START_TIME..STOP_TIME/],
    ['a covariance after STOP_TIME', `${line('00:10')}\nCOVARIANCE_START\nEPOCH = 2026-01-03T00:00:00\n1\n0 1\n0 0 1\n0 0 0 1\n0 0 0 0 1\n0 0 0 0 0 1\nCOVARIANCE_STOP`, /covariance epoch 2026-01-03T00:00:00 is outside START_TIME..STOP_TIME/],
  ];
  for (const [what, data, reason] of cases) {
    it(`${what}: an error in strict mode, a warning in lenient mode`, () => {
      const text = `${HEAD}${data}\n`;
      expect(rejection(text).problems.some((p) => p.severity === 'error' && p.keyword === 'EPOCH' && reason.test(p.message) && p.line !== undefined)).to.equal(true);
      const ok = parseNdm(text, { mode: 'lenient' });
      expect(ok.warnings.some((w) => reason.test(w.message))).to.equal(true);
    });
  }

  it('USEABLE_START_TIME before START_TIME is a deviation; data lines outside the useable span are fine (interpolation margin)', () => {
    const head = HEAD.replace('STOP_TIME = 2026-01-02T00:00:00', 'USEABLE_START_TIME = 2025-12-31T23:00:00\nSTOP_TIME = 2026-01-02T00:00:00');
    expect(rejection(`${head}${line('00:10')}\n`).problems.some((p) => p.keyword === 'USEABLE_START_TIME' && /before START_TIME/.test(p.message))).to.equal(true);
    const inside = HEAD.replace('STOP_TIME = 2026-01-02T00:00:00', 'USEABLE_START_TIME = 2026-01-01T00:20:00\nUSEABLE_STOP_TIME = 2026-01-01T00:30:00\nSTOP_TIME = 2026-01-02T00:00:00');
    expect(oem(`${inside}${line('00:10')}\n${line('00:40')}\n`, 'strict').segments[0].ephemeris.count).to.equal(2);
  });

  it('lists at most 10 breaches per segment, then counts the rest', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `2026-01-01T00:${String(59 - i).padStart(2, '0')}:00 1 2 3 4 5 6`);
    const err = rejection(`${HEAD}${rows.join('\n')}\n`);
    const order = err.problems.filter((p) => /not after/.test(p.message));
    expect(order).to.have.length(10);
    expect(err.problems.some((p) => /39 more ephemeris epoch\(s\)/.test(p.message))).to.equal(true);
  });
});
