import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readReferenceText, referenceDataPath } from '../../reference-data';
import { CcsdsParseError, epochSeconds, parseNdm, tdmUnitOf, writeNdm, type ParseMode, type Tdm } from '..';

/**
 * Tracking Data Message (503.0-B-2) specifics. The generic checks (every Orekit TDM example
 * parses or is rejected with its reason, round trips through KVN/XML/JSON) run in
 * codecs.test.ts with the other message types; here: the values read against the files, the
 * KVN and XML versions of the same Orekit examples against each other, the rules between
 * metadata keywords, and the XML written against the CCSDS schema.
 */
function tdm(rel: string, mode: ParseMode = 'strict'): Tdm {
  const m = parseNdm(readReferenceText(rel), { file: rel, mode }).message;
  if (m.type !== 'TDM') throw new Error(`${rel} is not a TDM`);
  return m;
}

function rejection(text: string, mode: ParseMode = 'strict'): CcsdsParseError {
  try {
    parseNdm(text, { file: 'variant.tdm', mode });
  } catch (err) {
    if (err instanceof CcsdsParseError) return err;
    throw err;
  }
  throw new Error('variant was accepted');
}

const KVN = 'ccsds/orekit/tdm/kvn';
const XML = 'ccsds/orekit/tdm/xml';
const EXAMPLES = ['TDMExample2', 'TDMExample4', 'TDMExample6', 'TDMExample8', 'TDMExample15'];

describe('sdk/ccsds TDM (503.0-B-2)', () => {
  it('reads TDMExample2 (503.0-B-2 Annex example, 1-way Ka-band Doppler) with the values written in the file', () => {
    const m = tdm(`${KVN}/TDMExample2.txt`);
    expect(m.version).to.equal('1.0');
    expect(m.header.comments).to.deep.equal(['TDM example created by yyyyy-nnnA Nav Team (NASA/JPL)', 'StarTrek 1-way data, Ka band down']);
    expect(m.segments).to.have.length(1);
    const s = m.segments[0];
    expect(s.metadata.fields.PATH).to.equal('2,1');
    expect(s.metadata.fields.FREQ_OFFSET).to.equal(32021035200.0);
    expect(s.metadata.fields.TRANSMIT_DELAY_1).to.equal(0.000077);
    expect(s.dataComments).to.deep.equal(['This is a data comment']);
    expect(s.observations).to.have.length(7);
    expect(s.observations[0]).to.deep.equal({ keyword: 'TRANSMIT_FREQ_2', epoch: { text: '2005-159T17:41:00', timeSystem: 'UTC' }, value: 32023442781.733 });
    expect(s.observations[6]).to.deep.equal({ keyword: 'RECEIVE_FREQ_1', epoch: { text: '2005-159T17:41:05', timeSystem: 'UTC' }, value: -218.7951 });
    expect(tdmUnitOf(s, 'RECEIVE_FREQ_1')).to.equal('Hz');
  });

  it('reads the three-segment clock-offset example (TDMExample15) and RANGE in the RANGE_UNITS of its segment (TDMExample6, 8)', () => {
    const clocks = tdm(`${KVN}/TDMExample15.txt`);
    expect(clocks.segments.map((s) => s.metadata.fields.PARTICIPANT_1)).to.deep.equal(['DSS-10', 'DSS-40', 'DSS-60']);
    expect(clocks.segments.map((s) => s.observations.length)).to.deep.equal([7, 7, 7]);
    expect(clocks.segments[2].observations[6]).to.deep.include({ keyword: 'CLOCK_BIAS', value: -1.759e-6 });
    const six = tdm(`${KVN}/TDMExample6.txt`).segments[0];
    expect(tdmUnitOf(six, 'RANGE')).to.equal('km');
    expect(six.observations.find((o) => o.keyword === 'RANGE')!.value).to.equal(80452.7542);
    const eight = tdm(`${KVN}/TDMExample8.txt`).segments;
    expect(tdmUnitOf(eight[0], 'RANGE')).to.equal(undefined); // the first segment has no ranging
    expect(tdmUnitOf(eight[1], 'RANGE')).to.equal('s');
  });

  it('the KVN and XML forms of each Orekit example carry the same measurements (epochs compared as instants of one scale)', () => {
    for (const name of EXAMPLES) {
      const k = tdm(`${KVN}/${name}.txt`);
      const x = tdm(`${XML}/${name}.xml`);
      expect(x.segments.length, name).to.equal(k.segments.length);
      k.segments.forEach((ks, i) => {
        const xs = x.segments[i];
        expect(xs.observations.map((o) => o.keyword), name).to.deep.equal(ks.observations.map((o) => o.keyword));
        // Values: the XML writes them in exponent form (3.20210352E10): equal doubles expected.
        expect(xs.observations.map((o) => o.value), name).to.deep.equal(ks.observations.map((o) => o.value));
        // Epochs: day-of-year in the KVN, calendar with milliseconds in the XML — the same instants.
        expect(xs.observations.map((o) => epochSeconds(o.epoch.text)), name).to.deep.equal(ks.observations.map((o) => epochSeconds(o.epoch.text)));
        for (const key of ['PARTICIPANT_1', 'PARTICIPANT_2', 'MODE', 'PATH', 'FREQ_OFFSET', 'RANGE_UNITS', 'RANGE_MODULUS', 'ANGLE_TYPE', 'TRANSMIT_DELAY_1', 'CORRECTION_RANGE']) {
          expect(xs.metadata.fields[key], `${name} ${key}`).to.deep.equal(ks.metadata.fields[key]);
        }
      });
    }
  });

  it('day-of-year and calendar epochs give the same seconds (2005-159 is 8 June 2005: 151 days to the end of May, plus 8)', () => {
    expect(epochSeconds('2005-159T17:41:00')).to.equal(epochSeconds('2005-06-08T17:41:00.000'));
    // 2000-01-01T00:00:00 is 10,957 days after 1970-01-01 (30 years, 7 of them leap).
    expect(epochSeconds('2000-01-01T00:00:00')).to.equal(10957 * 86400);
    expect(epochSeconds('2000-060T12:00:00.5')).to.equal((10957 + 59) * 86400 + 43200.5); // 29 Feb 2000
    expect(Number.isNaN(epochSeconds('not an epoch'))).to.equal(true);
  });

  describe('rules between keywords (503.0-B-2 Table 3-3), on variants of TDMExample2', () => {
    const base = readReferenceText(`${KVN}/TDMExample2.txt`);
    const variant = (from: RegExp, to: string) => {
      const t = base.replace(from, to);
      expect(t).to.not.equal(base);
      return t;
    };
    const cases: [string, string | RegExp, string, string][] = [
      ['a path naming a participant that is not given', 'PATH = 2,1', 'PATH = 3,1', "path '3,1' refers to participant 3"],
      ['MODE = SINGLE_DIFF without PATH_1/PATH_2', 'MODE = SEQUENTIAL', 'MODE = SINGLE_DIFF', 'MODE = SINGLE_DIFF needs PATH_1 and PATH_2'],
      ['a path that is not a list of indices', 'PATH = 2,1', 'PATH = A,B', "'A,B' is not a signal path"],
      ['a delay of a participant that is not given', 'TRANSMIT_DELAY_1 = 0.000077', 'TRANSMIT_DELAY_4 = 0.000077', 'refers to participant 4'],
      ['a frequency of a participant that is not given', 'TRANSMIT_FREQ_2 = 2005', 'TRANSMIT_FREQ_3 = 2005', 'refers to participant 3'],
      ['a zero INTEGRATION_INTERVAL (schema positiveDouble)', 'INTEGRATION_INTERVAL = 1.0', 'INTEGRATION_INTERVAL = 0', 'not above the minimum 0'],
      ['an unknown INTEGRATION_REF', 'INTEGRATION_REF = MIDDLE', 'INTEGRATION_REF = LATE', "value 'LATE' not allowed"],
      ['a data line without value', 'RECEIVE_FREQ_1 = 2005-159T17:41:03 -294.9673', 'RECEIVE_FREQ_1 = 2005-159T17:41:03', 'has 1 field(s)'],
      ['a data line outside DATA_START…DATA_STOP', 'DATA_START', 'RANGE = 2005-159T17:41:00 1.0\nDATA_START', 'tracking data outside DATA_START…DATA_STOP'],
      ['a missing DATA_STOP', /DATA_STOP\s*$/, '', 'missing DATA_STOP'],
    ];
    for (const [what, from, to, reason] of cases) {
      it(`rejects ${what}`, () => {
        const err = rejection(variant(typeof from === 'string' ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : from, to));
        const hit = err.problems.find((p) => p.severity === 'error' && p.message.includes(reason));
        expect(hit, JSON.stringify(err.problems)).to.not.equal(undefined);
        expect(hit!.line).to.be.a('number');
      });
    }

    it('a measurement outside START_TIME..STOP_TIME is an error in strict mode, a warning in lenient mode', () => {
      const t = variant(/RECEIVE_FREQ_1 = 2005-159T17:41:05/, 'RECEIVE_FREQ_1 = 2005-159T17:42:05');
      const err = rejection(t);
      expect(err.problems.some((p) => p.keyword === 'RECEIVE_FREQ_1' && p.line === 30 && /outside the segment's START_TIME..STOP_TIME/.test(p.message))).to.equal(true);
      const ok = parseNdm(t, { mode: 'lenient' });
      expect(ok.warnings.some((w) => w.line === 30 && /outside/.test(w.message))).to.equal(true);
    });
  });

  it('writes XML that the CCSDS NDM/XML 2.0 TDM schema accepts, for every valid example (1.0 messages relabelled 2.0: the 2.0 schema fixes the version, and every 1.0 keyword is in it)', function () {
    this.timeout(30_000);
    const valid = [...EXAMPLES.map((n) => `${KVN}/${n}.txt`), ...EXAMPLES.map((n) => `${XML}/${n}.xml`)];
    const xsd = referenceDataPath('ccsds/xsd/ndmxml-2.0.0-master-2.0.xsd');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scoop-tdm-'));
    try {
      const files = valid.map((rel, i) => {
        const m = tdm(rel);
        const file = path.join(dir, `${i}.xml`);
        fs.writeFileSync(file, writeNdm({ ...m, version: '2.0' }, 'xml'));
        return file;
      });
      // One xmllint run for all files (a process per file costs ~150 ms).
      try {
        execFileSync('/usr/bin/xmllint', ['--noout', '--schema', xsd, ...files], { stdio: 'pipe' });
      } catch (err) {
        throw new Error(`written TDM XML fails the schema:\n${(err as { stderr?: Buffer }).stderr?.toString()}`, { cause: err });
      }
      // The schema does reject a wrong TDM: an observation with two measurements.
      const bad = fs.readFileSync(files[0], 'utf8').replace('</TRANSMIT_FREQ_2>', '</TRANSMIT_FREQ_2><RANGE>1</RANGE>');
      fs.writeFileSync(files[0], bad);
      expect(() => execFileSync('/usr/bin/xmllint', ['--noout', '--schema', xsd, files[0]], { stdio: 'pipe' })).to.throw();
      expect(rejection(bad).problems.some((p) => p.keyword === 'RANGE' && /one measurement/.test(p.message))).to.equal(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
