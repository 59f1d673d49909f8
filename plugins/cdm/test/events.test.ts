import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readReferenceText } from '../../../sdk/reference-data';
import type { CdmRecord } from '../../../interfaces/domain/cdm';
import { EventBook } from '../events';
import { parseCdmText, recordFromCdm } from '../read';

// One conjunction event followed across three successive CDMs of the same pair.
//
// The reference data holds two real successive CSpOC CDMs of one event: NPP (37849) vs 31427,
// TCA 2020-05-04T21:58:57, created 2020-04-28T01:37:32 and 08:18:57 (CARA unit-test files
// DensityDecorrelationTestCaseCDM02/03). It has no third one, so a third is DERIVED from the
// second real one: CREATION_DATE 12 h later, TCA 16 ms earlier, MISS_DISTANCE 2941 m,
// COLLISION_PROBABILITY 7.1e-5 and every covariance element × 0.25 (σ halved), as a later
// orbit update would look.

const DIR = 'ccsds/nasa-cara/unit-test-cdms';
const SECOND = readReferenceText(`${DIR}/DensityDecorrelationTestCaseCDM03.txt`);

function derivedThird(): string {
  return SECOND.replace(/^CREATION_DATE(\s*)=.*$/m, 'CREATION_DATE$1=2020-04-28T20:18:57')
    .replace(/^MESSAGE_ID(\s*)=.*$/m, 'MESSAGE_ID$1=000037849_conj_000031427_DERIVED_THIRD')
    .replace(/^TCA(\s*)=.*$/m, 'TCA$1=2020-05-04T21:58:57.131')
    .replace(/^MISS_DISTANCE(\s*)=.*$/m, 'MISS_DISTANCE$1=2941 [m]')
    .replace(/^COLLISION_PROBABILITY(\s*)=.*$/m, 'COLLISION_PROBABILITY$1=0.000071')
    .replace(/^(C(?:R|T|N|RDOT|TDOT|NDOT)_(?:R|T|N|RDOT|TDOT|NDOT)\s*=\s*)([-+0-9.eE]+)/gm, (_, k: string, v: string) => `${k}${Number(v) * 0.25}`);
}

function record(text: string, name: string): CdmRecord {
  const { cdm, warnings } = parseCdmText(text, name, true);
  return recordFromCdm(cdm, name, warnings);
}

/** √(Σ CR_R + CT_T + CN_N over both objects), read from the text with a regular expression. */
function combinedSigmaFromText(text: string): number {
  const sum = ['CR_R', 'CT_T', 'CN_N'].flatMap((k) => [...text.matchAll(new RegExp(`^${k}\\s*=\\s*([-+0-9.eE]+)`, 'gm'))].map((m) => Number(m[1]))).reduce((a, b) => a + b, 0);
  return Math.sqrt(sum);
}

describe('cdm conjunction events across successive CDMs', () => {
  let dir: string;
  const NOW = Date.parse('2020-04-29T00:00:00Z');
  const book = (now = NOW) => new EventBook(path.join(dir, 'events.jsonl'), { tcaToleranceS: 300, retentionDays: 30, now: () => now });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdm-events-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const texts = () => [readReferenceText(`${DIR}/DensityDecorrelationTestCaseCDM02.txt`), SECOND, derivedThird()];

  it('joins three CDMs of one pair into one event with the history of Pc, miss distance and covariance size', () => {
    const b = book();
    expect(b.load()).to.deep.equal([]);
    const ids = texts().map((t, i) => b.attach(record(t, `cdm${i + 1}`), 'received').record.eventId);
    expect(new Set(ids).size).to.equal(1);
    expect(ids[0]).to.equal('37849-31427-20200504T215857');
    expect(b.size).to.equal(1);
    const h = b.history(ids[0]!)!;
    expect(h.map((r) => r.creationDateUtc)).to.deep.equal(['2020-04-28T01:37:32.000Z', '2020-04-28T08:18:57.000Z', '2020-04-28T20:18:57.000Z']);
    // values as written in the three files
    expect(h.map((r) => r.pc)).to.deep.equal([0.00005858711, 0.00006354202, 0.000071]);
    expect(h.map((r) => r.missDistanceM)).to.deep.equal([2937, 2956, 2941]);
    // covariance size from the files' own numbers (relative 1e-12: sum order of doubles)
    texts().forEach((t, i) => expect(h[i].combinedSigmaM!).to.be.closeTo(combinedSigmaFromText(t), 1e-12 * combinedSigmaFromText(t)));
    // the third CDM's covariance is a quarter of the second's: σ halved
    expect(h[2].combinedSigmaM! / h[1].combinedSigmaM!).to.be.closeTo(0.5, 1e-12);
    expect(h[1].sigmaRtnM.object1![0]).to.be.closeTo(Math.sqrt(99.82063316200573), 1e-12); // CR_R of OBJECT1 in CDM03
    // the event follows the newest CDM's TCA
    expect(b.get(ids[0]!)!.tcaUtc).to.equal('2020-05-04T21:58:57.131Z');
  });

  it('keeps other pairs, other close approaches of the pair and swapped object order apart or together as they should be', () => {
    const b = book();
    b.load();
    const r = record(SECOND, 'cdm2');
    const first = b.attach(r, 'received').record.eventId!;
    // same pair, objects in the other order, TCA 2 min later: same event
    const swapped = { ...r, messageId: 'swapped', object1: r.object2, object2: r.object1, tcaUtc: '2020-05-04T22:00:57.000Z' };
    expect(b.attach(swapped, 'received').record.eventId).to.equal(first);
    // same pair, next day: another close approach
    const later = { ...r, messageId: 'later', tcaUtc: '2020-05-05T21:58:57.147Z' };
    expect(b.attach(later, 'received').record.eventId).to.not.equal(first);
    // another secondary
    const other = { ...r, messageId: 'other', object2: { ...r.object2, noradId: 40000, objectId: '40000' } };
    expect(b.attach(other, 'received').record.eventId).to.not.equal(first);
    expect(b.size).to.equal(3);
    // the same MESSAGE_ID again is a duplicate, not a new CDM of the event
    const dup = b.attach(r, 'received');
    expect(dup.duplicate).to.equal(true);
    expect(b.records(first)!.length).to.equal(2);
  });

  it('keeps the history across restarts, survives a line cut by a crash, and forgets events past retention', () => {
    let b = book();
    b.load();
    const ids = texts().map((t, i) => b.attach(record(t, `cdm${i + 1}`), 'received').record.eventId!);
    b.close();
    // a crash in the middle of a write leaves half a line
    fs.appendFileSync(path.join(dir, 'events.jsonl'), '{"v":1,"eventId":"x","direc');
    b = book();
    const problems = b.load();
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/events\.jsonl:4: line skipped/);
    expect(b.history(ids[0])!.map((r) => r.missDistanceM)).to.deep.equal([2937, 2956, 2941]);
    // the journal was rewritten clean: appending and reloading again works
    b.attach({ ...record(SECOND, 'again'), messageId: 'fourth', creationDateUtc: '2020-04-29T00:00:00.000Z' }, 'received');
    b.close();
    b = book();
    expect(b.load()).to.deep.equal([]);
    expect(b.records(ids[0])!.length).to.equal(4);
    b.close();
    // 31 days after TCA the event is dropped (retention 30 days)
    b = book(Date.parse('2020-06-05T00:00:00Z'));
    expect(b.load()).to.deep.equal([]);
    expect(b.size).to.equal(0);
    b.close();
    b = book();
    b.load();
    expect(b.size).to.equal(0);
    b.close();
  });
});
