import { expect } from 'chai';
import { readReferenceText, referenceDataPath } from '../../reference-data';
import { ccsdsCli } from '../cli';
import { parseCelestrakOmm, parseNdm } from '..';

/** The `scoop ccsds` sub-commands over an in-memory file system, and CelesTrak's flat OMM. */
function memoryIo(files: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    files,
    io: {
      readFile: async (p: string) => {
        if (!(p in files)) throw new Error('ENOENT');
        return files[p];
      },
      writeFile: async (p: string, s: string) => {
        files[p] = s;
      },
      stdout: (s: string) => out.push(s),
      stderr: (s: string) => err.push(s),
    },
  };
}

describe('scoop ccsds (sdk/ccsds/cli.ts)', () => {
  const good = readReferenceText('ccsds/orekit/cdm/CDMExample1.txt');
  const bad = readReferenceText('ccsds/orekit/cdm/CDM-missing-TCA.txt');

  it('validate: prints each problem with file and line, exit 1 when a file is invalid', async () => {
    const m = memoryIo({ 'a.cdm': good, 'b.cdm': bad });
    expect(await ccsdsCli(['validate', 'a.cdm', 'b.cdm'], m.io)).to.equal(1);
    expect(m.out.join('\n')).to.contain('a.cdm: valid CDM 1.0');
    expect(m.out.join('\n')).to.contain('b.cdm:5: error: TCA: missing mandatory keyword');
    const ok = memoryIo({ 'a.cdm': good });
    expect(await ccsdsCli(['validate', 'a.cdm'], ok.io)).to.equal(0);
  });

  it('validate --lenient accepts a CARA sample CDM with mislabelled units, listing the warnings', async () => {
    const m = memoryIo({ 'c.cdm': readReferenceText('ccsds/nasa-cara/sample-cdms/AlfanoTestCase01.cdm') });
    expect(await ccsdsCli(['validate', 'c.cdm'], m.io)).to.equal(1);
    const l = memoryIo({ 'c.cdm': readReferenceText('ccsds/nasa-cara/sample-cdms/AlfanoTestCase01.cdm') });
    expect(await ccsdsCli(['validate', '--lenient', 'c.cdm'], l.io)).to.equal(0);
    expect(l.out.join('\n')).to.contain('warning: RELATIVE_VELOCITY_R: unit [m] differs from the standard [m/s]');
  });

  it('convert: writes to stdout or --out, and the result reads back to the same message', async () => {
    const m = memoryIo({ 'a.cdm': good });
    expect(await ccsdsCli(['convert', 'a.cdm', '--to', 'xml'], m.io)).to.equal(0);
    expect(parseNdm(m.out.join('')).message).to.deep.equal(parseNdm(good).message);
    expect(await ccsdsCli(['convert', 'a.cdm', '--to', 'json', '--out', 'a.json'], m.io)).to.equal(0);
    expect(parseNdm(m.files['a.json']).message).to.deep.equal(parseNdm(good).message);
  });

  it('validates and converts a TDM (KVN → XML → KVN gives the same message)', async () => {
    const tdm = readReferenceText('ccsds/orekit/tdm/kvn/TDMExample4.txt');
    const m = memoryIo({ 'ranges.tdm': tdm });
    expect(await ccsdsCli(['validate', 'ranges.tdm'], m.io)).to.equal(0);
    expect(m.out.join('\n')).to.contain('ranges.tdm: valid TDM 1.0 (KVN');
    expect(await ccsdsCli(['convert', 'ranges.tdm', '--to', 'xml', '--out', 'ranges.xml'], m.io)).to.equal(0);
    expect(await ccsdsCli(['convert', 'ranges.xml', '--to', 'kvn', '--out', 'back.tdm'], m.io)).to.equal(0);
    expect(parseNdm(m.files['back.tdm']).message).to.deep.equal(parseNdm(tdm).message);
  });

  it('usage errors exit 2; unreadable or invalid input exits 1', async () => {
    const m = memoryIo({ 'b.cdm': bad });
    expect(await ccsdsCli([], m.io)).to.equal(2);
    expect(await ccsdsCli(['convert', 'b.cdm'], m.io)).to.equal(2);
    expect(await ccsdsCli(['convert', 'b.cdm', '--to', 'yaml'], m.io)).to.equal(2);
    expect(await ccsdsCli(['validate'], m.io)).to.equal(2);
    expect(await ccsdsCli(['frobnicate'], m.io)).to.equal(2);
    expect(await ccsdsCli(['validate', 'missing.cdm'], m.io)).to.equal(1);
    expect(await ccsdsCli(['convert', 'b.cdm', '--to', 'xml'], m.io)).to.equal(1);
    expect(m.err.join('\n')).to.contain('TCA: missing mandatory keyword');
  });
});

describe('CelesTrak flat OMM (python-sgp4 sample_omm.json / .csv)', () => {
  it('reads the JSON and CSV records with the values written in them', () => {
    const json = parseCelestrakOmm(readReferenceText('ccsds/python-sgp4-omm/sample_omm.json'), { file: 'sample_omm.json' }).messages;
    expect(json).to.have.length(1);
    expect(json[0].meanElements.fields.MEAN_MOTION).to.equal(10.85873516);
    expect(json[0].meanElements.fields.EPOCH).to.deep.equal({ text: '2025-02-14T14:36:48.662784', timeSystem: 'UTC' });
    expect(json[0].tleParameters.fields.NORAD_CAT_ID).to.equal(5);
    const csv = parseCelestrakOmm(readReferenceText('ccsds/python-sgp4-omm/sample_omm.csv'), { file: 'sample_omm.csv' }).messages;
    // The CSV and the CCSDS XML of python-sgp4 describe the same element set (2020-10-13).
    const xml = parseNdm(readReferenceText('ccsds/python-sgp4-omm/sample_omm.xml'), { mode: 'lenient' }).message;
    if (xml.type !== 'OMM') throw new Error('not an OMM');
    expect(csv[0].meanElements).to.deep.equal(xml.meanElements);
    expect(csv[0].tleParameters).to.deep.equal(xml.tleParameters);
    expect(referenceDataPath('ccsds/python-sgp4-omm/sample_omm.csv')).to.be.a('string');
  });

  it('extra members (Space-Track GP: DECAY_DATE, TLE_LINE1) are an error in strict mode, one warning per keyword in lenient mode', () => {
    const base = JSON.parse(readReferenceText('ccsds/python-sgp4-omm/sample_omm.json'));
    const rec = { ...(Array.isArray(base) ? base[0] : base), DECAY_DATE: null, TLE_LINE1: '1 00005U …' };
    const text = JSON.stringify([rec, rec, rec]);
    expect(() => parseCelestrakOmm(text, { file: 'gp.json' })).to.throw(/DECAY_DATE.*unknown OMM keyword|unknown OMM keyword/);
    const r = parseCelestrakOmm(text, { file: 'gp.json', mode: 'lenient' });
    expect(r.messages).to.have.length(3);
    expect(r.warnings.map((w) => w.keyword).sort()).to.deep.equal(['DECAY_DATE', 'TLE_LINE1']);
  });
});
