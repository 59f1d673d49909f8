import { expect } from 'chai';
import * as fs from 'node:fs';
import { readReferenceText, referenceDataPath } from '../../../sdk/reference-data';
import { CcsdsParseError } from '../../../sdk/ccsds';
import { Epoch, parseFinals2000A, rtnRotation } from '../../../sdk/astro';
import { CdmRecordSchema } from '../../../interfaces/domain/cdm';
import { ccsdsUtcToIso, parseCdmText, recordFromCdm } from '../read';

// Reading real CDMs (NASA CARA, CSpOC through CARA's unit tests) onto CdmRecord. Expected
// values come from the reference files themselves and from CARA's expected-pc.csv.

const CARA = 'ccsds/nasa-cara/pc-test-cases';

/** expected-pc.csv rows by Conjunction_ID (= file name without .cdm). Plain CSV, no quoted commas in the used columns. */
function expectedRows(): Map<string, Record<string, string>> {
  const [head, ...lines] = readReferenceText(`${CARA}/expected-pc.csv`).trim().split(/\r?\n/);
  const cols = head.split(',');
  const out = new Map<string, Record<string, string>>();
  for (const line of lines) {
    const cells = line.split(',');
    const row: Record<string, string> = {};
    cols.forEach((c, i) => (row[c] = cells[i]));
    out.set(row.Conjunction_ID, row);
  }
  return out;
}

function readRef(rel: string, lenient = true) {
  const name = rel.split('/').pop()!;
  const { cdm, warnings } = parseCdmText(readReferenceText(rel), name, lenient);
  return { cdm, record: recordFromCdm(cdm, name, warnings) };
}

/** A keyword's numeric value read from the file text with a regular expression (independent of the codec). */
function kvnNumbers(text: string, key: string): number[] {
  return [...text.matchAll(new RegExp(`^${key}\\s*=\\s*([-+0-9.eE]+)`, 'gm'))].map((m) => Number(m[1]));
}

describe('cdm reader on real CDMs', () => {
  const files = fs.readdirSync(referenceDataPath(CARA)).filter((f) => f.endsWith('.cdm'));
  const expected = expectedRows();

  it('reads every CARA pc-test-case CDM (lenient) with the HBR of its comments equal to expected-pc.csv HBR_m', () => {
    expect(files.length).to.equal(14);
    for (const f of files) {
      const { record } = readRef(`${CARA}/${f}`);
      const row = expected.get(f.replace(/\.cdm$/, ''));
      expect(row, `${f} in expected-pc.csv`).to.not.equal(undefined);
      // HBR is written as a decimal in both files: exact equality of the parsed doubles.
      expect(record.hardBodyRadiusM, f).to.equal(Number(row!.HBR_m));
      // CDM MISS_DISTANCE is rounded to the metre and RELATIVE_SPEED to 1 m/s by CARA; the CSV
      // holds the unrounded values computed from the states: |difference| ≤ 0.5 (rounding).
      expect(record.missDistanceM, `${f} miss`).to.be.closeTo(Number(row!.MissDist_m), 0.5);
      expect(record.relativeSpeedMS!, `${f} speed`).to.be.closeTo(Number(row!.Vrel_mps), 0.5);
      expect(record.object1.noradId, f).to.equal(Number(row!.Primary));
      expect(record.object2.noradId, f).to.equal(Number(row!.Secondary));
      expect(record.object1.name, f).to.equal(row!.PrimaryName);
      expect(record.object2.name, f).to.equal(row!.SecondaryName);
      // Both objects carry an inertial state (EME2000) and a full RTN covariance.
      for (const o of [record.object1, record.object2]) {
        expect(o.stateAtTca?.frame).to.equal('EME2000');
        expect(o.covarianceRtnM?.matrix.flat().every(Number.isFinite)).to.equal(true);
      }
      expect(CdmRecordSchema.safeParse(record).success, f).to.equal(true);
    }
  });

  it('keeps the numbers of the file: covariance, states, TCA (TERRA vs IRIDIUM 33 DEB)', () => {
    const rel = `${CARA}/000025994_conj_000037558_20210324_151047_20210323_154356.cdm`;
    const text = readReferenceText(rel);
    const { record } = readRef(rel);
    expect(record.tcaUtc).to.equal('2021-03-24T15:10:47.417Z');
    expect(record.creationDateUtc).to.equal('2021-03-23T15:43:56.000Z');
    expect(record.originator).to.equal('CARA');
    expect(record.collisionProbability).to.equal(2.117e-2);
    expect(record.collisionProbabilityMethod).to.equal('FOSTER-1992');
    expect(record.relativePositionRtnM).to.deep.equal([-5.5, 73.7, -78.2]);
    const ctt = kvnNumbers(text, 'CT_T');
    const x = kvnNumbers(text, 'X');
    expect(record.object1.covarianceRtnM!.matrix[1][1]).to.equal(ctt[0]);
    expect(record.object2.covarianceRtnM!.matrix[1][1]).to.equal(ctt[1]);
    expect(record.object1.stateAtTca!.posKm[0]).to.equal(x[0]);
    expect(record.object2.stateAtTca!.posKm[0]).to.equal(x[1]);
    // symmetric as read from the lower triangle (CDM Table 3-4)
    expect(record.object1.covarianceRtnM!.matrix[0][1]).to.equal(record.object1.covarianceRtnM!.matrix[1][0]);
  });

  it('reads the CSpOC-style CDMs (ITRF, day-of-year dates, empty values as warnings, operator HBR comment)', () => {
    const { record } = readRef('ccsds/nasa-cara/unit-test-cdms/DensityDecorrelationTestCaseCDM02.txt');
    expect(record.object1.hardBodyRadiusM).to.equal(6); // COMMENT Operator Hard Body Radius = 6.00 [m]
    expect(record.object1.hardBodyRadiusSource).to.equal('cdm');
    expect(record.hardBodyRadiusM).to.equal(undefined); // no combined HBR in this file
    expect(record.warnings.some((w) => /TIME_LASTOB_START: empty value/.test(w))).to.equal(true);
    // ITRF states without EOP: left out (a state at TCA is inertial by contract), with the reason
    expect(record.object1.stateAtTca).to.equal(undefined);
    expect(record.warnings.some((w) => /ITRF and no EOP/.test(w))).to.equal(true);
    const doy = readRef('ccsds/nasa-cara/unit-test-cdms/DensityDecorrelationTestCaseCDM01.txt').record;
    // CREATION_DATE = 2018-229T13:56:33.000: day 229 of 2018 is 17 August
    expect(doy.creationDateUtc).to.equal('2018-08-17T13:56:33.000Z');
    expect(doy.tcaUtc).to.equal('2018-08-19T05:18:32.104Z');
    expect(ccsdsUtcToIso('2020-04-28T01:37:32')).to.equal('2020-04-28T01:37:32.000Z');
  });

  it('converts ITRF states to GCRF with EOP so that the relative state in RTN matches the CDM', () => {
    // The CDM gives the relative position/velocity in the primary's RTN frame (0.1 m, 0.1 m/s).
    // RTN axes come from the INERTIAL velocity: with the ITRF states as they are, T and N are
    // ~50 m and ~200 m/s off; converted with IERS finals2000A EOP at TCA, they must agree to the
    // rounding of the file (0.05) plus 0.01 for the EOP interpolation.
    const eopTable = parseFinals2000A(readReferenceText('eop/iers-finals2000A.all'));
    for (const n of [1, 2, 3]) {
      const name = `DensityDecorrelationTestCaseCDM0${n}.txt`;
      const { cdm, warnings } = parseCdmText(readReferenceText(`ccsds/nasa-cara/unit-test-cdms/${name}`), name, true);
      const tca = recordFromCdm(cdm, name, []).tcaUtc;
      const rec = recordFromCdm(cdm, name, warnings, eopTable.at(Epoch.parse(tca, 'UTC').mjd('UTC')));
      const p = rec.object1.stateAtTca!;
      const s = rec.object2.stateAtTca!;
      expect(p.frame).to.equal('GCRF');
      const R = rtnRotation(p.posKm, p.velKmS);
      const rot = (v: number[]) => R.map((row) => row[0] * v[0] + row[1] * v[1] + row[2] * v[2]);
      const drRtnM = rot([0, 1, 2].map((i) => (s.posKm[i] - p.posKm[i]) * 1000));
      const dvRtnMS = rot([0, 1, 2].map((i) => (s.velKmS[i] - p.velKmS[i]) * 1000));
      for (let i = 0; i < 3; i++) {
        expect(drRtnM[i], `${name} dr[${i}]`).to.be.closeTo(rec.relativePositionRtnM![i], 0.06);
        expect(dvRtnMS[i], `${name} dv[${i}]`).to.be.closeTo(rec.relativeVelocityRtnMS![i], 0.06);
      }
    }
  });

  it('refuses what is not a usable CDM, naming file, line and keyword', () => {
    const text = readReferenceText(`${CARA}/000025994_conj_000037558_20210324_151047_20210323_154356.cdm`);
    const bad = text.replace(/^MISS_DISTANCE\s*=.*$/m, 'MISS_DISTANCE = far [m]');
    try {
      parseCdmText(bad, 'bad.cdm', true);
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).to.be.instanceOf(CcsdsParseError);
      expect((err as Error).message).to.match(/bad\.cdm:8: .*MISS_DISTANCE/);
    }
    // truncated transfer: the second object is missing
    const cut = text.slice(0, text.indexOf('OBJECT                                      = OBJECT2'));
    expect(() => parseCdmText(cut, 'cut.cdm', true)).to.throw(CcsdsParseError, /cut\.cdm.*OBJECT2/);
    expect(() => parseCdmText(readReferenceText('ccsds/orekit/odm/opm/OPMExample1.txt'), 'opm.txt', true)).to.throw(/not a CDM/);
  });
});
