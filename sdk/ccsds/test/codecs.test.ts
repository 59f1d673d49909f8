import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readReferenceText, referenceDataPath } from '../../reference-data';
import { Epoch } from '../../astro/time';
import { ccsdsEpochToEpoch } from '../time-bridge';
import { CcsdsParseError, cdmCovarianceRtn, cdmHardBodyRadiusM, cdmState, parseNdm, writeNdm, type CcsdsEpoch, type NdmMessage, type ParseMode, type Syntax } from '..';

/**
 * Every CCSDS example of the reference set (Orekit ODM/CDM examples, NASA CARA CDMs, python-
 * sgp4's OMM) against the codecs: valid files parse and round-trip through KVN, XML and JSON;
 * deliberately malformed files are rejected with a problem naming the keyword and the reason.
 */
const DIRS = [
  'ccsds/orekit/odm/oem',
  'ccsds/orekit/odm/opm',
  'ccsds/orekit/odm/omm',
  'ccsds/orekit/cdm',
  'ccsds/nasa-cara/pc-test-cases',
  'ccsds/nasa-cara/sample-cdms',
  'ccsds/nasa-cara/unit-test-cdms',
  'ccsds/python-sgp4-omm',
  'ccsds/orekit/tdm/kvn',
  'ccsds/orekit/tdm/xml',
];
const NOT_MESSAGES = /(README\.md|\.csv|\.xlsx)$/;

/** Malformed (by name, or by the standard) → [keyword, fragment of the reason]. */
export const INVALID: Record<string, [string, string]> = {
  'ccsds/orekit/cdm/CDM-covariance-wrong-entry-format.txt': ['CRDOT_T', 'is not a number'],
  'ccsds/orekit/cdm/CDM-missing-TCA.txt': ['TCA', 'missing mandatory keyword'],
  'ccsds/orekit/cdm/CDM-missing-object1-covariance-block.xml': ['CR_R', 'missing section covarianceMatrix'],
  'ccsds/orekit/cdm/CDM-missing-object2-state-vector.txt': ['X', 'missing mandatory keyword (section stateVector)'],
  'ccsds/orekit/cdm/CDM-wrong-key-word.txt': ['WRONG_KEYWORD', 'unknown or misplaced keyword'],
  'ccsds/orekit/cdm/CDMExample1InvalidTca.txt': ['TCA', "day 31 out of range in '2010-04-31"],
  'ccsds/orekit/cdm/CDMExample_issue1319_mandatory_empty_value.xml': ['X', 'empty value for a mandatory keyword'],
  // CDM 2.0 draft keywords (COVARIANCE_SOURCE, ALT_COV_TYPE, OEB_*, CX_X…) in a message that
  // declares CCSDS_CDM_VERS = 1.0: not part of 508.0-B-1 (an Orekit extension test).
  'ccsds/orekit/cdm/CDM-frame-mapper.txt': ['COVARIANCE_SOURCE', 'unknown or misplaced keyword'],
  'ccsds/orekit/odm/oem/OEM-covariance-number-format-error.txt': ['CY_Y', "'this-is-not-a-number' is not a number"],
  'ccsds/orekit/odm/oem/OEM-ephemeris-number-format-error.txt': ['Z', "'this-is-not-a-number' is not a number"],
  'ccsds/orekit/odm/oem/OEM-inconsistent-time-systems.txt': ['TIME_SYSTEM', 'different time systems (UTC then TCG)'],
  'ccsds/orekit/odm/oem/OEM-keyword-within-covariance.txt': ['USER_DEFINED_TEST_KEY', 'not allowed within the covariance section'],
  'ccsds/orekit/odm/oem/OEM-keyword-within-ephemeris.txt': ['USER_DEFINED_TEST_KEY', 'not allowed within the ephemeris data'],
  'ccsds/orekit/odm/oem/OEM-too-few-covariance-columns.txt': ['CY_DOT_X', 'row 5 has 4 values'],
  'ccsds/orekit/odm/oem/OEM-too-large-covariance-dimension.txt': ['EPOCH', 'more than 6 rows'],
  'ccsds/orekit/odm/oem/OEM-too-many-covariance-columns.txt': ['CX_X', 'row 1 has 6 values'],
  'ccsds/orekit/odm/oem/OEM-too-small-covariance-dimension.txt': ['EPOCH', 'has 4 rows'],
  'ccsds/orekit/odm/oem/OEM-wrong-keyword.txt': ['WRONG_KEYWORD', 'unknown or misplaced keyword'],
  'ccsds/orekit/odm/opm/OPM-incompatible-units.txt': ['SOLAR_RAD_AREA', 'unit [s] where the standard requires [m**2]'],
  'ccsds/orekit/odm/opm/OPM-non-standard-units.txt': ['X', 'unit [m] where the standard requires [km]'],
  'ccsds/orekit/odm/opm/OPM-number-format-error.txt': ['SEMI_MAJOR_AXIS', 'is not a number'],
  'ccsds/orekit/odm/opm/OPM-wrong-keyword.txt': ['WRONG_KEYWORD', 'unknown or misplaced keyword'],
  'ccsds/orekit/odm/opm/spurious-metadata.xml': ['metadata', 'spurious second metadata section'],
  'ccsds/orekit/odm/omm/OMM-number-format-error.txt': ['ARG_OF_PERICENTER', 'is not a number'],
  'ccsds/orekit/odm/omm/OMM-wrong-keyword.txt': ['WRONG_KEYWORD', 'unknown or misplaced keyword'],
  'ccsds/orekit/odm/omm/spurious-metadata.xml': ['metadata', 'spurious second metadata section'],
  // TDM (503.0-B-2): Orekit's malformed examples, each checked by hand against TDMExample2.
  'ccsds/orekit/tdm/kvn/TDM-data-inconsistent-line.txt': ['RECEIVE_FREQ_1', 'data line has 3 field(s)'],
  'ccsds/orekit/tdm/kvn/TDM-data-number-format-error.txt': ['RECEIVE_FREQ_1', "'this-is-not-a-number' is not a number"],
  'ccsds/orekit/tdm/kvn/TDM-data-wrong-keyword.txt': ['WRONG_KEYWORD', 'unknown tracking data keyword'],
  'ccsds/orekit/tdm/kvn/TDM-inconsistent-time-systems.txt': ['TIME_SYSTEM', 'different time systems (UTC then TCG)'],
  // Orekit issue 963: PATH written '2, 1' and a data line with a third field.
  'ccsds/orekit/tdm/kvn/TDM-issue963.txt': ['RECEIVE_FREQ_1', 'data line has 3 field(s)'],
  'ccsds/orekit/tdm/kvn/TDM-metadata-number-format-error.txt': ['TRANSMIT_DELAY_1', "'this-is-not-a-number' is not a number"],
  // 'WRONG-TIME-SYSTEM' is not a time system at all (not one the standard lists but we cannot convert): invalid.
  'ccsds/orekit/tdm/kvn/TDM-metadata-timesystem-not-implemented.txt': ['TIME_SYSTEM', "value 'WRONG-TIME-SYSTEM' not allowed"],
  'ccsds/orekit/tdm/kvn/TDM-metadata-wrong-keyword.txt': ['WRONG_KEYWORD', 'unknown or misplaced keyword in metadata'],
  'ccsds/orekit/tdm/xml/TDM-data-inconsistent-block.xml': ['EPOCH', 'observation of TRANSMIT_FREQ_2 has no EPOCH'],
  'ccsds/orekit/tdm/xml/TDM-data-number-format-error.xml': ['RECEIVE_FREQ_1', "'this-is-not-a-number' is not a number"],
  'ccsds/orekit/tdm/xml/TDM-data-wrong-keyword.xml': ['WRONG_KEYWORD', 'unknown tracking data keyword'],
  'ccsds/orekit/tdm/xml/TDM-external-doctype.xml': ['DOCTYPE', 'DOCTYPE declarations are not accepted'],
  'ccsds/orekit/tdm/xml/TDM-inconsistent-time-systems.xml': ['TIME_SYSTEM', 'different time systems (UTC then TCG)'],
  'ccsds/orekit/tdm/xml/TDM-metadata-number-format-error.xml': ['TRANSMIT_DELAY_1', "'this-is-not-a-number' is not a number"],
  'ccsds/orekit/tdm/xml/TDM-metadata-timesystem-not-implemented.xml': ['TIME_SYSTEM', "value 'WRONG-TIME-SYSTEM' not allowed"],
  'ccsds/orekit/tdm/xml/TDM-metadata-wrong-keyword.xml': ['WRONG_KEYWORD', 'unknown or misplaced keyword in metadata'],
  'ccsds/orekit/tdm/xml/TDM-missing-participants.xml': ['PARTICIPANT_1', 'missing mandatory keyword'],
  'ccsds/orekit/tdm/xml/TDM-missing-timesystem.xml': ['TIME_SYSTEM', 'missing mandatory keyword'],
};

/** Files real producers write that deviate from the standard: rejected in strict mode (keyword, reason), read in lenient mode. */
export const LENIENT_ONLY: Record<string, [string, string]> = {
  'ccsds/orekit/odm/omm/OMM-empty-object-id.txt': ['OBJECT_ID', 'empty value for a mandatory keyword'],
  'ccsds/orekit/odm/omm/OMM-empty-object-id.xml': ['OBJECT_ID', 'empty value for a mandatory keyword'],
  'ccsds/python-sgp4-omm/sample_omm.xml': ['CREATION_DATE', 'empty value for a mandatory keyword'],
  'ccsds/orekit/odm/opm/OPM-non-standard-units.txt': ['X', 'unit [m] where the standard requires [km]'],
  // CARA sample CDMs: relative velocities labelled [m] instead of [m/s], 'NaN' for values not
  // computed (OD parameters), and "RESIDUALS_ACCEPTED = 85.4 [" with the unit cut off.
  'ccsds/nasa-cara/sample-cdms/AlfanoTestCase01.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/AlfanoTestCase02.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/AlfanoTestCase03.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/AlfanoTestCase04.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/AlfanoTestCase05.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/AlfanoTestCase06.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/AlfanoTestCase07.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/AlfanoTestCase08.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/AlfanoTestCase09.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/AlfanoTestCase10.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/AlfanoTestCase11.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/FrisbeeMaxPcTestCase_Test01.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/OmitronTestCase_Test01_HighPc.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/OmitronTestCase_Test02_MaxRadialSigma.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/OmitronTestCase_Test03_MaxIntrackSigma.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/OmitronTestCase_Test04_MaxCrossTrackSigma.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/OmitronTestCase_Test05_MinMiss.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/OmitronTestCase_Test06_MinRelVel.cdm': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  'ccsds/nasa-cara/sample-cdms/SingleCovTestCase1-1.cdm': ['RESIDUALS_ACCEPTED', "unterminated unit bracket '['"],
  'ccsds/nasa-cara/sample-cdms/SingleCovTestCase1-10.cdm': ['RESIDUALS_ACCEPTED', "unterminated unit bracket '['"],
  'ccsds/nasa-cara/sample-cdms/SingleCovTestCase1-11.cdm': ['RESIDUALS_ACCEPTED', "unterminated unit bracket '['"],
  'ccsds/nasa-cara/sample-cdms/SingleCovTestCase1-12.cdm': ['RESIDUALS_ACCEPTED', "unterminated unit bracket '['"],
  'ccsds/nasa-cara/sample-cdms/SingleCovTestCase1-13.cdm': ['RESIDUALS_ACCEPTED', "unterminated unit bracket '['"],
  'ccsds/nasa-cara/sample-cdms/SingleCovTestCase1-14.cdm': ['RESIDUALS_ACCEPTED', "unterminated unit bracket '['"],
  'ccsds/nasa-cara/sample-cdms/SingleCovTestCase1-15.cdm': ['RESIDUALS_ACCEPTED', "unterminated unit bracket '['"],
  'ccsds/nasa-cara/sample-cdms/SingleCovTestCase1-3.cdm': ['RESIDUALS_ACCEPTED', "unterminated unit bracket '['"],
  'ccsds/nasa-cara/sample-cdms/SingleCovTestCase1-4.cdm': ['RESIDUALS_ACCEPTED', "unterminated unit bracket '['"],
  'ccsds/nasa-cara/sample-cdms/SingleCovTestCase1-5.cdm': ['RESIDUALS_ACCEPTED', "unterminated unit bracket '['"],
  'ccsds/nasa-cara/sample-cdms/SingleCovTestCase1-6.cdm': ['RESIDUALS_ACCEPTED', "unterminated unit bracket '['"],
  'ccsds/nasa-cara/sample-cdms/SingleCovTestCase1-7.cdm': ['RESIDUALS_ACCEPTED', "unterminated unit bracket '['"],
  'ccsds/nasa-cara/sample-cdms/SingleCovTestCase1-8.cdm': ['RESIDUALS_ACCEPTED', "unterminated unit bracket '['"],
  'ccsds/nasa-cara/sample-cdms/SingleCovTestCase1-9.cdm': ['RESIDUALS_ACCEPTED', "unterminated unit bracket '['"],
  'ccsds/nasa-cara/unit-test-cdms/ODQATestCaseCDM.txt': ['RELATIVE_VELOCITY_R', 'unit [m] where the standard requires [m/s]'],
  // OEM time order and span (502.0-B-2 §5.2.3–5.2.4): Orekit's copies of the Annex example
  // repeat the last data line of the second segment (same epoch twice); OEMExample3.xml and
  // test_cov.oem give a covariance epoch outside START_TIME..STOP_TIME, which spans the
  // ephemeris and covariance data.
  'ccsds/orekit/odm/oem/OEMExample1.txt': ['EPOCH', 'ephemeris epoch 1996-12-30T01:28:02.267 is not after the previous one'],
  'ccsds/orekit/odm/oem/OEMExampleWithHeaderComment.txt': ['EPOCH', 'ephemeris epoch 1996-12-30T01:28:02.267 is not after the previous one'],
  'ccsds/orekit/odm/oem/OEM-Issue839.txt': ['EPOCH', 'ephemeris epoch 1996-12-30T01:28:02.267 is not after the previous one'],
  'ccsds/orekit/odm/oem/OEMExample3.xml': ['EPOCH', 'covariance epoch 1996-12-28T22:28:00.331 is outside START_TIME..STOP_TIME'],
  'ccsds/orekit/odm/oem/test_cov.oem': ['EPOCH', 'covariance epoch 1996-12-28T21:29:07.267 is outside START_TIME..STOP_TIME'],
  // Orekit's "all keywords" TDMs number their values 1, 2, 3…: ANGLE_1 = 2062.6 deg (36 rad
  // written as degrees) and RHUMIDITY = 4600 % are outside the ranges of 503.0-B-2 (schema
  // angleRange −180 ≤ a < 360, percentType 0…100). TDM-Custom-Frame adds a REFERENCE_FRAME
  // (TOD_EARTH) that is not one of the standard's frames.
  'ccsds/orekit/tdm/kvn/TDMExampleAllKeywordsSequential.txt': ['ANGLE_1', 'value 2062.6480624709635516 out of the range of the standard'],
  'ccsds/orekit/tdm/kvn/TDMExampleAllKeywordsSequentialWithRollover.txt': ['RHUMIDITY', 'value 4600.0 out of the range of the standard'],
  'ccsds/orekit/tdm/kvn/TDMExampleAllKeywordsSingleDiff.txt': ['ANGLE_2', 'out of the range of the standard'],
  'ccsds/orekit/tdm/kvn/TDM-Custom-Frame.txt': ['REFERENCE_FRAME', "'TOD_EARTH' is not a frame of 503.0-B-2"],
  'ccsds/orekit/tdm/xml/TDMExampleAllKeywordsSequential.xml': ['ANGLE_1', 'out of the range of the standard'],
  'ccsds/orekit/tdm/xml/TDMExampleAllKeywordsSingleDiff.xml': ['RHUMIDITY', 'out of the range of the standard'],
};

/** Files that are not messages of the covered types, with the reason. */
export const SKIPPED: Record<string, string> = {
  'ccsds/orekit/cdm/CDMExample_issue_940.txt': 'CDM version 2.0 (draft successor of 508.0-B-1, not a published Blue Book): out of scope',
  'ccsds/orekit/cdm/CDMExample_issue_940.xml': 'CDM version 2.0 (draft successor of 508.0-B-1, not a published Blue Book): out of scope',
  'ccsds/orekit/odm/oem/OEMExample7.txt.pre': 'first half of an OEM cut in two for Orekit streaming tests (not a message by itself)',
  'ccsds/orekit/odm/oem/OEMExample7.txt.post': 'second half of the same cut OEM (starts in the middle of a metadata block)',
  'ccsds/python-sgp4-omm/sample_omm.json': 'CelesTrak flat OMM JSON (not the CCSDS layout): read by parseCelestrakOmm in celestrak.test.ts',
};

/** True when some section holds comments but no keyword (KVN cannot say where such comments belong). */
function hasCommentOnlySection(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const o = v as { comments?: unknown; fields?: unknown };
  if (Array.isArray(o.comments) && o.comments.length > 0 && o.fields !== undefined && Object.keys(o.fields as object).length === 0) return true;
  return Object.values(v).some(hasCommentOnlySection);
}

export function messageFiles(): string[] {
  return DIRS.flatMap((d) =>
    fs
      .readdirSync(referenceDataPath(d))
      .filter((f) => !NOT_MESSAGES.test(f) && fs.statSync(path.join(referenceDataPath(d), f)).isFile())
      .map((f) => `${d}/${f}`),
  );
}

function parse(rel: string, mode: ParseMode = 'strict') {
  return parseNdm(readReferenceText(rel), { file: rel, mode });
}

function rejection(rel: string, mode: ParseMode = 'strict'): CcsdsParseError {
  try {
    parse(rel, mode);
  } catch (err) {
    expect(err).to.be.instanceOf(CcsdsParseError);
    return err as CcsdsParseError;
  }
  throw new Error(`${rel} was accepted`);
}

const files = messageFiles();
const valid = files.filter((f) => !(f in INVALID) && !(f in SKIPPED) && !(f in LENIENT_ONLY));

describe('sdk/ccsds codecs on the reference examples', () => {
  it('classifies every file of the covered folders (valid, invalid, lenient-only or skipped)', () => {
    for (const k of [...Object.keys(INVALID), ...Object.keys(LENIENT_ONLY), ...Object.keys(SKIPPED)]) expect(files, k).to.include(k);
    expect(valid.length).to.be.greaterThan(90);
  });

  it('parses every valid example in strict mode with no warning', () => {
    for (const rel of valid) {
      const r = parse(rel);
      expect(r.warnings.filter((w) => !/empty value read as absent/.test(w.message)), rel).to.deep.equal([]);
    }
  });

  it('rejects every malformed example, naming the keyword and the reason', () => {
    for (const [rel, [keyword, fragment]] of Object.entries(INVALID)) {
      const err = rejection(rel);
      const hit = err.problems.find((p) => p.severity === 'error' && p.keyword === keyword && p.message.includes(fragment));
      expect(hit, `${rel}: ${JSON.stringify(err.problems.slice(0, 3))}`).to.not.equal(undefined);
      expect(hit!.file).to.equal(rel);
      expect(hit!.line !== undefined || hit!.xmlPath !== undefined, `${rel}: location`).to.equal(true);
    }
  });

  it('reads the deviating real files in lenient mode only, with the deviation as a warning', () => {
    for (const [rel, [keyword, fragment]] of Object.entries(LENIENT_ONLY)) {
      const err = rejection(rel, 'strict');
      expect(err.problems.some((p) => p.keyword === keyword && p.message.includes(fragment)), rel).to.equal(true);
      const r = parse(rel, 'lenient');
      expect(r.warnings.some((w) => w.keyword === keyword), rel).to.equal(true);
    }
  });

  it('locates problems in XML by line and path', () => {
    const err = rejection('ccsds/orekit/cdm/CDMExample_issue1319_mandatory_empty_value.xml');
    const p = err.problems.find((x) => x.keyword === 'X' && x.severity === 'error')!;
    expect(p.xmlPath).to.equal('/cdm/body/segment/data/stateVector/X');
    expect(p.line).to.equal(88); // the <X/> line of the file
  });

  for (const syntax of ['kvn', 'xml', 'json'] as Syntax[]) {
    it(`round-trips every valid example through ${syntax.toUpperCase()} (parse → write → parse gives an equal object)`, () => {
      for (const rel of [...valid, ...Object.keys(LENIENT_ONLY)]) {
        const mode: ParseMode = rel in LENIENT_ONLY ? 'lenient' : 'strict';
        const first = parse(rel, mode).message;
        const text = writeNdm(first, syntax);
        let again: NdmMessage;
        try {
          again = parseNdm(text, { file: `${rel} as ${syntax}`, mode }).message;
        } catch (err) {
          throw new Error(`${rel} rewritten as ${syntax} does not read back: ${(err as Error).message}\n${text.slice(0, 2000)}`, { cause: err });
        }
        if (syntax === 'kvn' && hasCommentOnlySection(first)) {
          // KVN has no way to say that a comment belongs to a section with no keyword: the
          // comment moves to the next section. The rewritten KVN must then be stable.
          expect(writeNdm(again, 'kvn'), rel).to.equal(text);
          continue;
        }
        expect(again, `${rel} via ${syntax}`).to.deep.equal(first);
        // OEM epoch texts live behind an accessor (not an own field): compared explicitly.
        if (first.type === 'OEM' && again.type === 'OEM') {
          expect(again.segments.map((s) => s.states), `${rel} via ${syntax}`).to.deep.equal(first.segments.map((s) => s.states));
        }
      }
    });
  }
});

describe('sdk/ccsds XML/JSON nesting: a keyword inside the wrong element is an error naming the path', () => {
  function nestingError(text: string, keyword: string) {
    const err = (() => {
      try {
        parseNdm(text, { file: 'moved' });
      } catch (e) {
        if (e instanceof CcsdsParseError) return e;
        throw e;
      }
      throw new Error('accepted');
    })();
    const hit = err.problems.find((p) => p.severity === 'error' && p.keyword === keyword && /belongs in/.test(p.message));
    expect(hit, JSON.stringify(err.problems)).to.not.equal(undefined);
    return hit!;
  }

  it('OPM XML: MASS moved from spacecraftParameters into stateVector', () => {
    const text = readReferenceText('ccsds/orekit/odm/opm/OPMExample3.xml')
      .replace('<MASS>3000.000000</MASS>', '')
      .replace('<Z_DOT>-4.191076</Z_DOT>', '<Z_DOT>-4.191076</Z_DOT><MASS>3000.000000</MASS>');
    const p = nestingError(text, 'MASS');
    expect(p.xmlPath).to.equal('/opm/body/segment/data/stateVector/MASS');
    expect(p.message).to.equal('keyword of <spacecraftParameters> found inside /opm/body/segment/data/stateVector (it belongs in the spacecraftParameters element)');
  });

  it('CDM XML: SEDR moved from additionalParameters into stateVector', () => {
    const src = readReferenceText('ccsds/orekit/cdm/CDMExample1.xml');
    const text = src.replace('<SEDR units="W/kg">4.54570E-05</SEDR>', '').replace('<X units="km">2570.097065</X>', '<X units="km">2570.097065</X>\n<SEDR units="W/kg">4.54570E-05</SEDR>');
    expect(text).to.not.equal(src);
    const p = nestingError(text, 'SEDR');
    expect(p.xmlPath).to.equal('/cdm/body/segment/data/stateVector/SEDR');
  });

  it('OPM JSON: the same move in the JSON form', () => {
    const m = parse('ccsds/orekit/odm/opm/OPMExample3.xml').message;
    const json = JSON.parse(writeNdm(m, 'json')) as { opm: { body: { segment: { data: Record<string, Record<string, unknown>> }[] } } };
    const data = json.opm.body.segment[0].data;
    data.stateVector = { ...data.stateVector, MASS: data.spacecraftParameters.MASS };
    delete data.spacecraftParameters.MASS;
    const p = nestingError(JSON.stringify(json), 'MASS');
    expect(p.xmlPath).to.equal('/opm/body/segment[1]/data/stateVector/MASS');
  });
});

describe('sdk/ccsds XML output against the CCSDS NDM/XML 2.0 schemas', function () {
  this.timeout(60_000);
  it('validates (xmllint) the XML written for every CDM 1.0 and ODM 2.0 example', () => {
    const xsd = referenceDataPath('ccsds/xsd/ndmxml-2.0.0-master-2.0.xsd');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scoop-ccsds-'));
    let checked = 0;
    try {
      for (const rel of valid) {
        const m = parse(rel).message;
        // The 2.0 schemas fix version="2.0" (ODM) and "1.0" (CDM) and know no 3.0 header keywords.
        const schemaVersion = m.type === 'CDM' ? '1.0' : '2.0';
        if (m.version !== schemaVersion) continue;
        const file = path.join(dir, `${checked}.xml`);
        fs.writeFileSync(file, writeNdm(m, 'xml'));
        try {
          execFileSync('/usr/bin/xmllint', ['--noout', '--schema', xsd, file], { stdio: 'pipe' });
        } catch (err) {
          throw new Error(`${rel}: written XML fails the schema:\n${(err as { stderr?: Buffer }).stderr?.toString()}`, { cause: err });
        }
        checked++;
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(checked).to.be.greaterThan(40);
  });
});

describe('sdk/ccsds typed views and lenient extraction', () => {
  it('reads CDMExample1 (508.0-B-1 Annex C example) state and covariance in the standard units', () => {
    const cdm = parse('ccsds/orekit/cdm/CDMExample1.txt').message;
    if (cdm.type !== 'CDM') throw new Error('not a CDM');
    // Values as printed in the file (km, km/s, m**2): exact decimal conversions.
    expect(cdmState(cdm.objects[0])).to.deep.equal({ posKm: [2570.097065, 2244.654904, 6281.497978], velKmS: [4.418769571, 4.833547743, -3.526774282], frame: 'EME2000' });
    const cov = cdmCovarianceRtn(cdm.objects[1]);
    expect(cov[1][0]).to.equal(-4.806e4);
    expect(cov[0][1]).to.equal(-4.806e4);
    expect(cov[5][5]).to.equal(5.178e-5);
    expect(cdm.relativeMetadata.fields.MISS_DISTANCE).to.equal(715);
    expect(cdm.relativeMetadata.fields.TCA).to.deep.equal({ text: '2010-03-13T22:37:52.618', timeSystem: 'UTC' });
  });

  it('extracts the hard-body radius of every CARA test CDM from its COMMENT, equal to the HBR_m column of expected-pc.csv', () => {
    const rows = readReferenceText('ccsds/nasa-cara/pc-test-cases/expected-pc.csv').trim().split('\n');
    const head = rows[0].split(',');
    const idCol = head.indexOf('Conjunction_ID');
    const hbrCol = head.indexOf('HBR_m');
    let n = 0;
    for (const row of rows.slice(1)) {
      const cols = row.split(',');
      const rel = `ccsds/nasa-cara/pc-test-cases/${cols[idCol]}.cdm`;
      if (!files.includes(rel)) continue;
      const cdm = parse(rel).message;
      if (cdm.type !== 'CDM') throw new Error('not a CDM');
      // Exact: the CSV and the comment carry the same decimal value.
      expect(cdmHardBodyRadiusM(cdm), rel).to.equal(Number(cols[hbrCol]));
      n++;
    }
    expect(n).to.equal(14);
  });

  it('converts a non-standard but commensurable unit in lenient mode (OPM-non-standard-units: [m] → km)', () => {
    const r = parse('ccsds/orekit/odm/opm/OPM-non-standard-units.txt', 'lenient');
    const ref = parse('ccsds/orekit/odm/opm/OPMExample1.txt').message;
    if (r.message.type !== 'OPM' || ref.type !== 'OPM') throw new Error('not an OPM');
    // Same state as OPMExample1 written in m and m×s⁻¹; 1e-12 relative: one decimal scaling.
    for (const k of ['X', 'Y', 'Z', 'X_DOT', 'Y_DOT', 'Z_DOT']) {
      const a = r.message.stateVector.fields[k] as number;
      const b = ref.stateVector.fields[k] as number;
      expect(Math.abs(a - b), k).to.be.at.most(1e-12 * Math.abs(b));
    }
    expect(r.warnings.some((w) => w.keyword === 'X' && /converted/.test(w.message))).to.equal(true);
  });
});

describe('sdk/ccsds epochs', () => {
  it('keeps epoch text and time system, and converts to Epoch for supported scales (day-of-year form too)', () => {
    const omm = parse('ccsds/orekit/odm/omm/OMMExample1.txt').message;
    if (omm.type !== 'OMM') throw new Error('not an OMM');
    const e = omm.meanElements.fields.EPOCH as CcsdsEpoch;
    expect(e).to.deep.equal({ text: '2007-064T10:34:41.4264', timeSystem: 'UTC' });
    // Day 64 of 2007 is 5 March (2007 is not a leap year): same instant as the calendar form.
    const calendar = Epoch.parse('2007-03-05T10:34:41.4264', 'UTC');
    expect(ccsdsEpochToEpoch(e).minus(calendar)).to.equal(0);
    expect(() => ccsdsEpochToEpoch({ text: '2007-064T10:34:41', timeSystem: 'TCB' })).to.throw(/TCB/);
  });
});
