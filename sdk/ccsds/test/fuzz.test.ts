import { expect } from 'chai';
import { readReferenceText } from '../../reference-data';
import { CcsdsParseError, parseNdm, type ParseMode } from '..';
import { seededRandom } from '../../random';

/**
 * Reading never crashes: random mutations of valid files (byte flips, line deletions and
 * duplications, truncations, swapped keywords) either parse or throw CcsdsParseError — never
 * anything else. Deterministic (seeded PRNG); a few thousand cases in a few seconds.
 */
/** Deterministic PRNG (sdk/random.ts, mulberry32) so that a failure can be reproduced. */
const mulberry32 = seededRandom;

const SEEDS = [
  'ccsds/orekit/cdm/CDMExample2.txt',
  'ccsds/orekit/cdm/CDMExample1.xml',
  'ccsds/orekit/odm/oem/OEMExample1.txt',
  'ccsds/orekit/odm/oem/OEMExample3.xml',
  'ccsds/orekit/odm/opm/OPMExample5.txt',
  'ccsds/orekit/odm/opm/OPMExample3.xml',
  'ccsds/orekit/odm/omm/OMMExample1.txt',
  'ccsds/orekit/odm/omm/OMMExample2.xml',
  'ccsds/nasa-cara/pc-test-cases/000020580_conj_000002017_20230613_001923_20230608_063715.cdm',
  'ccsds/orekit/tdm/kvn/TDMExample8.txt',
  'ccsds/orekit/tdm/xml/TDMExample4.xml',
  'ccsds/orekit/odm/ocm/OCMExample3.txt',
  'ccsds/orekit/odm/ocm/OCMExample2.xml',
];
const KEYWORDS = ['TRAJ_START', 'TRAJ_STOP', 'TRAJ_UNITS', 'DATA_START', 'DATA_STOP', 'RANGE', 'PATH', '<observation>', 'OBJECT', 'TCA', 'META_START', 'META_STOP', 'COVARIANCE_START', 'COVARIANCE_STOP', 'EPOCH', 'X', 'CCSDS_OEM_VERS', 'COMMENT', 'TIME_SYSTEM', '<segment>', '</data>', '<stateVector>'];

function mutate(text: string, rnd: () => number): string {
  const pick = (n: number) => Math.floor(rnd() * n);
  const lines = text.split('\n');
  switch (pick(6)) {
    case 0: {
      // byte flips
      const chars = [...text];
      for (let k = 0, n = 1 + pick(8); k < n; k++) chars[pick(chars.length)] = String.fromCharCode(pick(128));
      return chars.join('');
    }
    case 1:
      lines.splice(pick(lines.length), 1 + pick(3));
      return lines.join('\n');
    case 2: {
      const i = pick(lines.length);
      lines.splice(i, 0, ...lines.slice(i, i + 1 + pick(4)));
      return lines.join('\n');
    }
    case 3:
      return text.slice(0, pick(text.length));
    case 4: {
      const i = pick(lines.length);
      const j = pick(lines.length);
      const a = lines[i].split(/(=|>)/);
      const b = lines[j].split(/(=|>)/);
      [a[0], b[0]] = [b[0], a[0]];
      lines[i] = a.join('');
      lines[j] = b.join('');
      return lines.join('\n');
    }
    default: {
      const i = pick(lines.length);
      lines[i] = `${KEYWORDS[pick(KEYWORDS.length)]}${rnd() < 0.5 ? ' = ' : ''}${lines[pick(lines.length)]}`;
      return lines.join('\n');
    }
  }
}

describe('sdk/ccsds fuzz: mutated files only ever give a message or a CcsdsParseError', function () {
  this.timeout(30_000);
  it('4,000 mutations (seed 20240601)', () => {
    const rnd = mulberry32(20240601);
    const texts = SEEDS.map((s) => readReferenceText(s));
    let rejected = 0;
    let accepted = 0;
    for (let n = 0; n < 4000; n++) {
      let t = texts[n % texts.length];
      for (let k = 0, m = 1 + Math.floor(rnd() * 3); k < m; k++) t = mutate(t, rnd);
      const mode: ParseMode = rnd() < 0.5 ? 'strict' : 'lenient';
      try {
        parseNdm(t, { file: `mutant-${n}`, mode });
        accepted++;
      } catch (err) {
        if (!(err instanceof CcsdsParseError)) throw new Error(`mutant ${n} threw ${String(err)}:\n${t.slice(0, 500)}`, { cause: err });
        expect(err.problems.length, `mutant ${n}`).to.be.greaterThan(0);
        // No internal error may be disguised as a problem either.
        const internal = err.problems.find((p) => p.message.startsWith('internal error'));
        if (internal) throw new Error(`mutant ${n}: ${internal.message}\n${t.slice(0, 800)}`, { cause: err });
        rejected++;
      }
    }
    expect(rejected).to.be.greaterThan(1000);
    expect(accepted + rejected).to.equal(4000);
  });
});
