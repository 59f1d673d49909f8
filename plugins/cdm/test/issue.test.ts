import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readReferenceText, referenceDataPath } from '../../../sdk/reference-data';
import { cdmCovarianceRtn, cdmHardBodyRadiusM, cdmState, parseNdm, writeNdm, type Cdm } from '../../../sdk/ccsds';
import { DEG, keplerianToCartesian, norm } from '../../../sdk/astro';
import type { Conjunction } from '../../../interfaces/domain/conjunction';
import { DEFAULT_REGIME_MODELS } from '../config';
import { defaultCovariance, orbitRegimeOfState } from '../default-covariance';
import { buildCdm, type BuildInput } from '../issue';
import { parseCdmText, recordFromCdm } from '../read';
import { conjunctionFromRecord } from './helpers';

// CDMs written for conjunctions: schema validity (xmllint against the CCSDS NDM/XML 2.0 master
// schema), round trip through the codecs against the real CARA CDMs they were made from, and
// the default covariance model for TLE-only objects (numbers of the README table).

const CARA = 'ccsds/nasa-cara/pc-test-cases';
const XSD = 'ccsds/xsd/ndmxml-2.0.0-master-2.0.xsd';

const base = (conjunction: Conjunction): BuildInput => ({
  conjunction,
  originator: 'SCOOP',
  messageId: 'TEST-1',
  creationDateUtc: '2026-05-07T12:00:00.000Z',
  models: DEFAULT_REGIME_MODELS,
  assumedAgeDaysWhenUnknown: 7,
});

function xmllint(files: string[]): void {
  try {
    execFileSync('/usr/bin/xmllint', ['--noout', '--schema', referenceDataPath(XSD), ...files], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`written XML fails the CCSDS schema:\n${(err as { stderr?: Buffer }).stderr?.toString()}`, { cause: err });
  }
}

/** A state from elements (two-body), km and km/s. */
function stateOf(aKm: number, e: number, iDeg: number, nuDeg = 30) {
  return keplerianToCartesian({ aKm, e, iRad: iDeg * DEG, raanRad: 40 * DEG, argpRad: 10 * DEG, trueAnomalyRad: nuDeg * DEG });
}

describe('cdm writer', function () {
  this.timeout(60_000);
  const files = fs.readdirSync(referenceDataPath(CARA)).filter((f) => f.endsWith('.cdm'));
  const hbr = new Map<string, number>();
  for (const line of readReferenceText(`${CARA}/expected-pc.csv`).trim().split(/\r?\n/).slice(1)) {
    const c = line.split(',');
    hbr.set(c[0], Number(c[4]));
  }

  it('writes, for each CARA CDM made into a conjunction, KVN and XML that validate and read back to the CARA values', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdm-issue-'));
    try {
      const xmlFiles: string[] = [];
      for (const f of files) {
        const ref = parseCdmText(readReferenceText(`${CARA}/${f}`), f, true);
        const orig = ref.cdm;
        const record = recordFromCdm(orig, f, ref.warnings);
        const combined = hbr.get(f.replace(/\.cdm$/, ''))!;
        const built = buildCdm(base(conjunctionFromRecord(record, combined / 2)));
        expect(built.defaults).to.deep.equal([undefined, undefined]);
        for (const syntax of ['kvn', 'xml'] as const) {
          const text = writeNdm(built.cdm, syntax);
          if (syntax === 'xml') {
            const file = path.join(dir, f.replace(/\.cdm$/, '.xml'));
            fs.writeFileSync(file, text);
            xmlFiles.push(file);
          }
          // strict reading: what we write is the standard, not a deviation
          const back = parseNdm(text, { file: `${f}.${syntax}`, mode: 'strict' });
          expect(back.warnings, `${f} ${syntax}`).to.deep.equal([]);
          const m = back.message as Cdm;
          expect(m.relativeMetadata.fields.TCA).to.deep.equal(orig.relativeMetadata.fields.TCA);
          for (let i = 0; i < 2; i++) {
            // States and covariances go through unchanged: exact equality with the CARA file.
            expect(cdmState(m.objects[i]), `${f} ${syntax} state ${i}`).to.deep.equal(cdmState(orig.objects[i]));
            expect(cdmCovarianceRtn(m.objects[i]), `${f} ${syntax} cov ${i}`).to.deep.equal(cdmCovarianceRtn(orig.objects[i]));
            expect(m.objects[i].metadata.fields.OBJECT_DESIGNATOR).to.equal(String(Number(orig.objects[i].metadata.fields.OBJECT_DESIGNATOR)));
            expect(m.objects[i].metadata.fields.COVARIANCE_METHOD).to.equal('CALCULATED');
          }
          // Relative values travel km → m (×1000 after ÷1000): equal to 1e-12 relative (double rounding).
          for (const k of ['MISS_DISTANCE', 'RELATIVE_SPEED', 'RELATIVE_POSITION_R', 'RELATIVE_POSITION_T', 'RELATIVE_POSITION_N', 'RELATIVE_VELOCITY_R', 'RELATIVE_VELOCITY_T', 'RELATIVE_VELOCITY_N']) {
            const want = orig.relativeMetadata.fields[k] as number;
            expect(m.relativeMetadata.fields[k] as number, `${f} ${k}`).to.be.closeTo(want, 1e-12 * Math.max(1, Math.abs(want)));
          }
          // combined hard-body radius = sum of the two radii, in CARA's comment form
          expect(cdmHardBodyRadiusM(m), `${f} HBR`).to.equal(combined);
        }
      }
      xmllint(xmlFiles);
      expect(xmlFiles.length).to.equal(14);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('classifies orbit regimes by the ESA Space Environment Report classes', () => {
    const re = 6378.137;
    const cases: [string, ReturnType<typeof stateOf>][] = [
      ['LEO', stateOf(6778, 0.0005, 51.6)], // ISS-like
      ['MEO', stateOf(26_560, 0.01, 55)], // GPS
      ['GEO', stateOf(42_164, 0.0002, 0.05)],
      ['GTO', stateOf((2 * re + 250 + 35_786) / 2, (35_786 - 250) / (2 * re + 250 + 35_786), 7)],
      ['HEO', stateOf((2 * re + 500 + 70_000) / 2, (70_000 - 500) / (2 * re + 500 + 70_000), 40)],
    ];
    for (const [want, s] of cases) expect(orbitRegimeOfState(s.posKm, s.velKmS), want).to.equal(want);
  });

  it('applies the default covariance model to TLE-only objects, with the README numbers, flagged in COMMENT', () => {
    // LEO, element epoch 2 days before TCA. README table (LEO): σ0 = (0.1, 0.5, 0.2) km,
    // rate = (0.1, 1.0, 0.1) km/d, accel = (0, 0.2, 0) km/d² → σ(2 d) = (0.3, 3.3, 0.4) km.
    const tca = '2026-05-09T03:12:44.125Z';
    const teme = (s: ReturnType<typeof stateOf>) => ({ epoch: { iso: tca.slice(0, -1), scale: 'UTC' as const }, frame: 'TEME' as const, posKm: s.posKm, velKmS: s.velKmS });
    const p = stateOf(6778, 0.0005, 51.6, 30);
    const s = stateOf(6790, 0.002, 98.2, 30.01);
    const c: Conjunction = {
      id: '25544-48274-20260509T0312',
      tcaUtc: tca,
      missDistanceKm: 0.9,
      relativeSpeedKmS: 12.1,
      relativePositionRtnKm: [0.1, 0.5, -0.7],
      relativeVelocityRtnKmS: [0.1, -8, 9],
      primary: { noradId: 25544, objectId: '25544', name: 'ISS (ZARYA)', stateAtTca: teme(p), ephemerisSource: 'sgp4:TLE epoch 2026-05-07T03:12:44.125Z', hardBodyRadiusM: 20, hardBodyRadiusSource: 'catalog' },
      secondary: { noradId: 48274, objectId: '48274', stateAtTca: teme(s), hardBodyRadiusM: 1, hardBodyRadiusSource: 'config' },
      detectedAtUtc: '2026-05-07T12:00:00Z',
      detectedBy: 'conjunction-screening',
      source: 'screening',
      screeningVolume: { shape: 'sphere', sizeRtnKm: [5, 5, 5] },
    };
    const built = buildCdm(base(c));
    const text = writeNdm(built.cdm, 'kvn');
    const back = parseNdm(text, { file: 'tle.cdm', mode: 'strict' }).message as Cdm;
    const [o1, o2] = back.objects;
    expect(o1.metadata.fields.COVARIANCE_METHOD).to.equal('DEFAULT');
    expect(o1.metadata.comments.join('\n')).to.match(/DEFAULT COVARIANCE \(operational assumption.*regime LEO, element age 2\.00 d, sigma R\/T\/N = 300\/3300\/400 m/);
    const cov = cdmCovarianceRtn(o1);
    // (σ·1000)² in m²; relative 1e-12 for the km→m products
    [300, 3300, 400].forEach((sig, i) => expect(cov[i][i]).to.be.closeTo(sig * sig, 1e-12 * sig * sig));
    expect(cov[0][1]).to.equal(0);
    // secondary: no element epoch anywhere → the configured 7 days, said so
    expect(o2.metadata.comments.join('\n')).to.match(/element age 7\.00 d \(epoch unknown: assumed\)/);
    // σ(7 d) = (0.1+0.7, 0.5+7+0.2·49, 0.2+0.7) = (0.8, 17.3, 0.9) km
    expect(Math.sqrt(cdmCovarianceRtn(o2)[1][1])).to.be.closeTo(17_300, 1e-6);
    // TEME rotated to GCRF: a rotation keeps |r| (to 1e-9 km, double rounding) and says so
    expect(o1.metadata.fields.REF_FRAME).to.equal('GCRF');
    expect(norm(cdmState(o1).posKm)).to.be.closeTo(norm(p.posKm), 1e-9);
    expect(o1.metadata.comments.join('\n')).to.match(/rotated from TEME to GCRF/);
    // the screening volume is written in metres
    expect(back.relativeMetadata.fields.SCREEN_VOLUME_X).to.equal(5000);
    expect(cdmHardBodyRadiusM(back)).to.equal(21);
    // and the record read from it carries the per-object radii written in the comments
    const rec = recordFromCdm(back, 'tle.cdm', []);
    expect([rec.object1.hardBodyRadiusM, rec.object2.hardBodyRadiusM, rec.hardBodyRadiusM]).to.deep.equal([20, 1, 21]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdm-tle-'));
    try {
      const file = path.join(dir, 'tle.xml');
      fs.writeFileSync(file, writeNdm(built.cdm, 'xml'));
      xmllint([file]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('grows the default sigmas with age (linear and quadratic terms) and starts at σ0', () => {
    const s = stateOf(6778, 0.0005, 51.6);
    const at = (days: number) =>
      defaultCovariance({ ...s, tcaUtc: '2026-05-10T00:00:00Z', elementEpochUtc: new Date(Date.parse('2026-05-10T00:00:00Z') - days * 86_400_000).toISOString(), models: DEFAULT_REGIME_MODELS, assumedAgeDaysWhenUnknown: 7 });
    const tol = 1e-9; // m, double rounding of km sums
    [100, 500, 200].forEach((w, i) => expect(at(0).sigmaRtnM[i]).to.be.closeTo(w, tol));
    // 5 days: T = 0.5 + 1.0·5 + 0.2·25 = 10.5 km
    expect(at(5).sigmaRtnM[1]).to.be.closeTo(10_500, tol);
    expect(at(5).ageAssumed).to.equal(false);
  });

  it('converts TNW and km covariances to the CDM RTN metres', () => {
    // Circular orbit: T (TNW, along v) = T (RTN), N (TNW) = −R (RTN), W = N (RTN). A diagonal
    // TNW covariance (4, 9, 16) km² is diagonal (9, 4, 16)·10⁶ m² in RTN (CDM 508.0-B-1 Annex
    // A frame definitions; ODM 502.0-B-3 Annex A for TNW).
    const s = stateOf(7000, 0, 45);
    const diag = (v: number[]) => Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? v[i] : 0)));
    const epoch = { iso: '2026-05-09T00:00:00.000', scale: 'UTC' as const };
    const obj = { objectId: 'OPS-1', stateAtTca: { epoch, frame: 'GCRF' as const, ...s }, covarianceRtnM: { frame: 'TNW' as const, units: 'km' as const, matrix: diag([4, 9, 16, 1e-6, 1e-6, 1e-6]) } };
    const c: Conjunction = {
      id: 'x',
      tcaUtc: '2026-05-09T00:00:00.000Z',
      missDistanceKm: 1,
      relativeSpeedKmS: 1,
      relativePositionRtnKm: [1, 0, 0],
      relativeVelocityRtnKmS: [0, 1, 0],
      primary: obj,
      secondary: { ...obj, objectId: 'OPS-2' },
      detectedAtUtc: '2026-05-09T00:00:00Z',
      detectedBy: 'test',
      source: 'operator',
    };
    const cov = cdmCovarianceRtn(buildCdm(base(c)).cdm.objects[0]);
    const want = [9e6, 4e6, 16e6];
    for (let i = 0; i < 3; i++) expect(cov[i][i]).to.be.closeTo(want[i], 1e-6 * want[i]);
    expect(Math.abs(cov[0][1])).to.be.lessThan(1e-6 * 9e6);
    expect(buildCdm(base(c)).cdm.objects[0].metadata.fields.CATALOG_NAME).to.equal('OPERATOR');
  });

  it('refuses a conjunction without a state at TCA, naming the object', () => {
    const rec = recordFromCdm(parseCdmText(readReferenceText(`${CARA}/${files[0]}`), files[0], true).cdm, files[0], []);
    const c = conjunctionFromRecord(rec);
    delete c.secondary.stateAtTca;
    expect(() => buildCdm(base(c))).to.throw(/OBJECT2 \(000002017\) has no state at TCA/);
  });
});
