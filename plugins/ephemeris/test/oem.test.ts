import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Ephemeris } from '../../../interfaces/domain/ephemeris';
import { keplerianToCartesian } from '../../../sdk/astro/elements';
import { Epoch } from '../../../sdk/astro/time';
import { propagateTwoBody } from '../../../sdk/astro/twobody';
import { parseNdm, writeNdm, type Ocm, type Oem } from '../../../sdk/ccsds';
import { readReferenceText, referenceDataPath } from '../../../sdk/reference-data';
import { frameFromOem, OemContentError, oemFromEphemeris, trajectoriesFromOcm, trajectoriesFromOem } from '../oem-io';

const OEM_DIR = 'ccsds/orekit/odm/oem';
const XSD = 'ccsds/xsd/ndmxml-2.0.0-master-2.0.xsd';

function read(name: string): Oem {
  return parseNdm(readReferenceText(`${OEM_DIR}/${name}`), { file: name, mode: 'lenient' }).message as Oem;
}

/** A two-body LEO ephemeris (60 s, 10 points) with three covariances, as a module would produce. */
function sampleEphemeris(): Ephemeris {
  const s0 = keplerianToCartesian({ aKm: 6778.137, e: 0.001, iRad: 0.9, raanRad: 0.5, argpRad: 0.8, trueAnomalyRad: 0.1 });
  const t0 = Epoch.parse('2026-05-07T12:00:00', 'UTC');
  const points = Array.from({ length: 10 }, (_, i) => {
    const s = propagateTwoBody(s0.posKm, s0.velKmS, 60 * i);
    return { epoch: t0.plusSeconds(60 * i).toIso('UTC', 3), posKm: s.posKm, velKmS: s.velKmS };
  });
  const cov = (k: number) => Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? (i < 3 ? 1e-2 : 1e-8) * (1 + k) : 1e-9 * (i + j + 1) * (i < 3 === j < 3 ? 1 : 0.01))));
  return {
    objectName: 'SAT-A',
    objectId: '2026-001A',
    centre: 'EARTH',
    frame: 'EME2000',
    timeScale: 'UTC',
    interpolation: { method: 'hermite', degree: 7 },
    points,
    covariances: [0, 4, 9].map((i, k) => ({ epoch: points[i].epoch, frame: k === 1 ? 'RTN' : 'EME2000', covKm2: cov(k) })),
    source: 'test',
  };
}

describe('ephemeris OEM reading (reference OEMs of /work/shared/data/ccsds/orekit/odm/oem)', () => {
  it('reads the Earth-centred examples into trajectories with their frame, scale, segments and interpolation', () => {
    const ex5 = trajectoriesFromOem(read('OEMExample5.txt'), 'OEMExample5.txt');
    expect(ex5).to.have.length(1);
    const t = ex5[0].trajectory;
    expect(ex5[0].objectId).to.equal('1998-067A');
    expect(t.info).to.include({ frame: 'GCRF', timeScale: 'UTC', centre: 'EARTH' });
    expect(t.points).to.equal(49); // 24 h every 30 min
    expect(t.segments[0].interpolation).to.deep.equal({ method: 'hermite', degree: 1 });
    expect(t.window().startText).to.equal('2017-04-11T22:31:43.121856000000');

    const iss = trajectoriesFromOem(read('ISS.resampled.truncated.txt'), 'ISS');
    expect(iss[0].trajectory.info.frame).to.equal('EME2000');
    expect(iss[0].trajectory.points).to.equal(25);

    const lower = trajectoriesFromOem(read('oemLowerCaseValue.oem'), 'lower');
    expect(lower[0].trajectory.segments[0].interpolation).to.deep.equal({ method: 'lagrange', degree: 5 });
    expect(trajectoriesFromOem(read('test.oem'), 'test.oem')[0].trajectory.info.frame).to.equal('TOD');
    expect(trajectoriesFromOem(read('OEMExample5ITRF.txt'), 'itrf')[0].trajectory.info.frame).to.equal('ITRF');
  });

  it('refuses what it cannot interpolate correctly, naming the segment and keyword', () => {
    const refused: [string, RegExp][] = [
      ['OEMExample1.txt', /segment 1: CENTER_NAME 'MARS BARYCENTER' is not supported/],
      ['OEMExample4.txt', /CENTER_NAME 'MARS'/],
      ['OEMExample2.txt', /segment 1: REF_FRAME TOD frozen at REF_FRAME_EPOCH 1996-353T12:00:00.331 is not supported/],
      ['OEMExample9.txt', /segment 1: TIME_SYSTEM 'MRT' is not supported/],
      ['test_cov.oem', /REF_FRAME TOD frozen at REF_FRAME_EPOCH 2019-09-09T00:00:00.0 is not supported/],
    ];
    for (const [name, why] of refused) {
      expect(() => trajectoriesFromOem(read(name), name), name).to.throw(OemContentError, why);
    }
  });

  it('maps REF_FRAME names (CCSDS 502.0-B-2 Annex A and common ones)', () => {
    expect(['EME2000', 'J2000', 'GCRF', 'ICRF', 'ITRF2014', 'ITRF-93', 'ITRF1997', 'itrf2000', 'TEME', 'TOD'].map(frameFromOem)).to.deep.equal(['EME2000', 'EME2000', 'GCRF', 'GCRF', 'ITRF', 'ITRF', 'ITRF', 'ITRF', 'TEME', 'TOD']);
    expect(frameFromOem('MCI')).to.equal(undefined);
    expect(frameFromOem('RTN')).to.equal(undefined);
  });
});

describe('ephemeris OCM reading (Cartesian trajectory blocks, 502.0-B-3 §6)', () => {
  const ocm = (name: string) => parseNdm(readReferenceText(`ccsds/orekit/odm/ocm/${name}`), { file: name, mode: 'lenient' }).message as Ocm;

  it('reads CARTPV blocks with absolute (OCMExample5ITRF) and relative time tags (OCMExample1)', () => {
    const ex5 = trajectoriesFromOcm(ocm('OCMExample5ITRF.txt'), 'ocm5');
    expect(ex5.skipped).to.deep.equal([]);
    const t = ex5.groups[0].trajectory;
    expect(t.info).to.include({ frame: 'GCRF', timeScale: 'UTC' });
    expect(t.segments[0].interpolation).to.deep.equal({ method: 'lagrange', degree: 2 });
    // The same ephemeris as OEMExample5 (Orekit wrote both): the OEM text has 10 decimals
    // (±5e-11 km, ±5e-11 km/s), the OCM the full doubles, so they agree to 1e-10.
    const oem = trajectoriesFromOem(read('OEMExample5.txt'), 'oem5')[0].trajectory.segments[0];
    const seg = t.segments[0];
    expect(seg.tS.length).to.equal(49);
    for (let i = 0; i < seg.posVelKm.length; i++) expect(seg.posVelKm[i]).to.be.closeTo(oem.posVelKm[i], 1e-10);
    expect([...seg.tS]).to.deep.equal([...oem.tS]);

    const ex1 = trajectoriesFromOcm(ocm('OCMExample1.txt'), 'ocm1').groups[0].trajectory;
    expect(ex1.info.frame).to.equal('ITRF'); // TRAJ_REF_FRAME ITRF2000
    expect(ex1.points).to.equal(4);
    // Relative tags counted from EPOCH_TZERO 1998-12-18T14:28:15.1172.
    expect(ex1.window().startText).to.equal('1998-12-18T14:28:15.117200000');
  });

  it('refuses OCMs without a block it can interpolate, saying why for each block', () => {
    expect(() => trajectoriesFromOcm(ocm('OCMExample2.txt'), 'ocm2')).to.throw(OemContentError, /TIME_SYSTEM 'UT1' is not supported/);
    expect(() => trajectoriesFromOcm(ocm('OCMExample3.txt'), 'ocm3')).to.throw(OemContentError, /trajectory block 1: TOD frozen at TRAJ_FRAME_EPOCH/);
    expect(() => trajectoriesFromOcm(ocm('OCMMinimal.txt'), 'min')).to.throw(OemContentError, /trajectory block 1: 1 state\(s\), at least 2 are needed/);
  });
});

describe('ephemeris OEM writing', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eph-oem-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes KVN and XML that read back (parseNdm, strict) to the same states and covariances', () => {
    const eph = sampleEphemeris();
    for (const syntax of ['kvn', 'xml'] as const) {
      const text = writeNdm(oemFromEphemeris(eph, 'SCOOP TEST', '2026-05-07T13:00:00.000Z'), syntax);
      const back = parseNdm(text, { file: `out.${syntax}`, mode: 'strict' });
      expect(back.syntax).to.equal(syntax);
      const oem = back.message as Oem;
      expect(oem.header.fields.ORIGINATOR).to.equal('SCOOP TEST');
      const seg = oem.segments[0];
      expect(seg.metadata.fields).to.include({ OBJECT_NAME: 'SAT-A', OBJECT_ID: '2026-001A', CENTER_NAME: 'EARTH', REF_FRAME: 'EME2000', TIME_SYSTEM: 'UTC', INTERPOLATION: 'HERMITE', INTERPOLATION_DEGREE: 7 });
      // Numbers are written in the shortest form that reads back identically: exact equality.
      expect(seg.states.map((s) => [s.epoch.text, ...s.posKm, ...s.velKmS])).to.deep.equal(eph.points.map((p) => [p.epoch.replace(/Z$/, ''), ...p.posKm, ...p.velKmS]));
      expect(seg.covariances).to.have.length(3);
      seg.covariances.forEach((c, k) => {
        const m = eph.covariances![k].covKm2;
        expect(c.lower).to.deep.equal([0, 1, 2, 3, 4, 5].flatMap((i) => m[i].slice(0, i + 1)));
        expect(c.frame).to.equal(k === 1 ? 'RTN' : undefined);
      });
      // And the ephemeris module reads its own product as an operator OEM.
      const again = trajectoriesFromOem(oem, 'own');
      expect(again[0].trajectory.points).to.equal(10);
    }
  });

  it('written XML validates against the CCSDS NDM/XML 2.0 schema (xmllint); a broken copy does not', () => {
    const file = path.join(tmp, 'oem.xml');
    fs.writeFileSync(file, writeNdm(oemFromEphemeris(sampleEphemeris(), 'SCOOP TEST', '2026-05-07T13:00:00Z'), 'xml'));
    const xsd = referenceDataPath(XSD);
    execFileSync('/usr/bin/xmllint', ['--noout', '--schema', xsd, file], { stdio: 'pipe' });
    // The check can fail: an element out of order is refused by the schema.
    const broken = path.join(tmp, 'broken.xml');
    fs.writeFileSync(broken, fs.readFileSync(file, 'utf8').replace(/<OBJECT_ID>[^<]*<\/OBJECT_ID>/, '').replace('<CENTER_NAME>', '<OBJECT_ID>X</OBJECT_ID><CENTER_NAME>').replace(/<OBJECT_NAME>/, '<CENTER_NAME>EARTH</CENTER_NAME><OBJECT_NAME>'));
    expect(() => execFileSync('/usr/bin/xmllint', ['--noout', '--schema', xsd, broken], { stdio: 'pipe' })).to.throw();
  });
});
