import { expect } from 'chai';
import * as fs from 'node:fs';
import { readReferenceText, referenceDataPath } from '../../reference-data';
import { ccsdsCli } from '../cli';
import { CcsdsParseError, parseNdm, type Ocm, type ParseMode } from '..';

/**
 * OCM (502.0-B-3 §6), read only: header, metadata, trajectory and user blocks are checked;
 * the other blocks are kept raw with a warning. Every Orekit OCM example is classified here.
 */
const DIR = 'ccsds/orekit/odm/ocm';

/** Rejected → [keyword, fragment of the reason]. */
const INVALID: Record<string, [string, string]> = {
  'OCM-incompatible-units-scale.txt': ['TRAJ_UNITS', 'unit [m] of element 1 where CARTPV uses [km]'],
  'OCM-missing-revnum-basis.txt': ['ORB_REVNUM_BASIS', 'ORB_REVNUM is given without ORB_REVNUM_BASIS'],
  'OCM-missing-t0.txt': ['EPOCH_TZERO', 'missing mandatory keyword'],
  'OCM-spurious-metadata-section.txt': ['META_START', 'spurious second metadata section'],
  'OCM-wrong-nb-elements.txt': ['TRAJ_TYPE', 'trajectory line has 6 elements; CARTP has 3'],
  'OCM-wrong-time-span.txt': ['TIME_SPAN', "'WRONG' is not a number"],
  // No OCM 2.0 exists: the OCM first appeared in 502.0-B-3 as version 3.0.
  'OCMExample5Geodetic.txt': ['CCSDS_OCM_VERS', "version '2.0' not supported"],
  'OCMExample5GeodeticStreamingOutput.txt': ['CCSDS_OCM_VERS', "version '2.0' not supported"],
  // ORB_AVERAGING given twice in the fourth trajectory block (lines 116 and 123).
  'OCMExample4.txt': ['ORB_AVERAGING', 'duplicate keyword in section traj'],
};

/**
 * Malformed for Orekit but accepted here, and why (what this reader does not check yet).
 * Listed so that the gap is visible; a check added later moves the file to INVALID.
 */
const NOT_DETECTED: Record<string, string> = {
  'OCM-incompatible-units-dimension.txt': 'units of DELAUNAY elements are not checked (only CARTP/CARTPV/CARTPVA/KEPLERIAN units are)',
  'OCM-missing-maneuver-time.txt': 'MAN blocks are kept raw (not checked)',
  'OCM-unknown-frame.txt': 'frame names are text, as for OEM REF_FRAME (no SANA frame registry in the codecs)',
  'OCM-unknown-frame-center.txt': 'frame and centre names are text (no SANA registry in the codecs)',
};

function read(rel: string, mode: ParseMode = 'strict') {
  return parseNdm(readReferenceText(`${DIR}/${rel}`), { file: rel, mode });
}

function ocm(rel: string, mode: ParseMode = 'strict'): Ocm {
  const m = read(rel, mode).message;
  if (m.type !== 'OCM') throw new Error('not an OCM');
  return m;
}

describe('sdk/ccsds OCM (502.0-B-3), reading', () => {
  const files = fs.readdirSync(referenceDataPath(DIR));

  it('reads every example not listed as invalid, and rejects each invalid one naming the keyword and reason', () => {
    for (const k of [...Object.keys(INVALID), ...Object.keys(NOT_DETECTED)]) expect(files, k).to.include(k);
    let ok = 0;
    for (const f of files) {
      if (f in INVALID) {
        let err: CcsdsParseError | undefined;
        try {
          read(f);
        } catch (e) {
          if (!(e instanceof CcsdsParseError)) throw e;
          err = e;
        }
        const [keyword, fragment] = INVALID[f];
        expect(err?.problems.some((p) => p.severity === 'error' && p.keyword === keyword && p.message.includes(fragment) && p.line !== undefined), `${f}: ${JSON.stringify(err?.problems.slice(0, 3))}`).to.equal(true);
      } else {
        expect(read(f).message.type, f).to.equal('OCM');
        ok++;
      }
    }
    expect(ok).to.equal(files.length - Object.keys(INVALID).length);
  });

  it('OCMExample1: relative and absolute time tags, CARTPV by default, values as written', () => {
    const m = ocm('OCMExample1.txt');
    expect(m.metadata.fields.EPOCH_TZERO).to.deep.equal({ text: '1998-12-18T14:28:15.1172', timeSystem: 'UTC' });
    expect(m.trajectories).to.have.length(1);
    const t = m.trajectories[0];
    expect(t.elementSet).to.equal('CARTPV');
    expect(t.units).to.deep.equal(['km', 'km', 'km', 'km/s', 'km/s', 'km/s']);
    expect(t.block.comments).to.deep.equal(['intervening data records omitted between DT=20.0 and DT=500.0']);
    expect(t.lines.map((l) => l.afterTzeroS ?? l.epoch?.text)).to.deep.equal([0, '1998-12-18T14:28:25.1172', 20, 500]);
    expect(t.lines[3].values).to.deep.equal([2164.375, 1115.811, -688.131, -3.53328, -2.88452, 0.88535]);
  });

  it('keeps the blocks it does not check as raw lines, each with a warning', () => {
    const r = read('OCMExample3.txt');
    if (r.message.type !== 'OCM') throw new Error('not an OCM');
    expect(r.message.otherBlocks.map((b) => b.name)).to.deep.equal(['PHYS', 'MAN', 'MAN', 'PERT', 'OD']);
    expect(r.message.otherBlocks[3].lines).to.deep.equal(['COMMENT Perturbations specification', 'GM = 398600.4415 [km**3/s**2]']);
    expect(r.warnings.filter((w) => /kept as raw lines/.test(w.message)).map((w) => w.keyword)).to.deep.equal(['PHYS_START', 'MAN_START', 'MAN_START', 'PERT_START', 'OD_START']);
  });

  it('reads the XML form (OCMExample2.xml) and its user-defined parameters', () => {
    const m = ocm('OCMExample2.xml');
    expect(m.trajectories[0].elementSet).to.equal('CARTPVA');
    expect(m.trajectories[0].lines[0]).to.deep.equal({ afterTzeroS: 0, values: [2854.5, -2916.2, -5360.7, 5.9, 4.86, 0.52, 0.0037, -0.0038, -0.007] });
    expect(ocm('OCM-user-defined.txt').user.fields).to.deep.equal({ USER_DEFINED_GENERATOR: 'OREKIT' });
  });

  it('lenient mode converts commensurable TRAJ_UNITS (m → km, factor 1e-3)', () => {
    const m = ocm('OCM-incompatible-units-scale.txt', 'lenient');
    // 3.0e6 m is 3000 km exactly; -1.0e3 m/s is -1 km/s.
    expect(m.trajectories[0].lines[0].values).to.deep.equal([3000, 4000, 5000, -1, -2, -3]);
  });

  it('documents what is not detected yet (these files are accepted)', () => {
    for (const [f, why] of Object.entries(NOT_DETECTED)) expect(() => read(f), `${f}: ${why}`).to.not.throw();
  });

  it('scoop ccsds convert refuses to write an OCM (read only) with a message, exit 1', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { readFile: async () => readReferenceText(`${DIR}/OCMExample1.txt`), writeFile: async () => undefined, stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) };
    expect(await ccsdsCli(['convert', 'a.ocm', '--to', 'xml'], io)).to.equal(1);
    expect(err.join('\n')).to.contain('OCM messages are read only');
    expect(await ccsdsCli(['validate', 'a.ocm'], io)).to.equal(0);
    expect(out.join('\n')).to.contain('valid OCM 3.0');
  });
});
