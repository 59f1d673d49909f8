import { expect } from 'chai';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readReferenceText } from '../../../sdk/reference-data';
import { detectFile } from '../detect';
import { Inbox } from '../inbox';
import { Journal, type JournalEntry } from '../journal';

/**
 * Crashes at each step of a delivery, reproduced on disk, then a restart (a new journal and
 * inbox over the same folders): every file must end up delivered exactly once.
 */
describe('file-inbox: recovery after a crash', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-recovery-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  const make = (published: (e: JournalEntry) => void) => {
    const journal = new Journal(path.join(tmp, 'journal.jsonl'));
    journal.load();
    const inbox = new Inbox({
      name: 'ops',
      dir: path.join(tmp, 'drop'),
      routing: { TLE: 'tle-catalog' },
      maxFileBytes: 1e9,
      ignore: [],
      journal,
      now: () => new Date(),
      published,
      log: quiet,
      signal: new AbortController().signal,
      stabilityMs: 0,
    });
    return { journal, inbox };
  };
  const tle = readReferenceText('tle/celestrak-stations-2025-06-29.txt');

  it('publishes, after a restart, a file moved just before the crash (between "moved" and "published")', () => {
    const first = make(() => {
      throw new Error('crash while publishing');
    });
    const p = path.join(first.inbox.realDir, 'a.tle');
    fs.writeFileSync(p, tle);
    expect(() => first.inbox.handle(p)).to.throw(/crash while publishing/);
    first.journal.close();
    expect(fs.existsSync(p)).to.equal(false);

    const out: JournalEntry[] = [];
    const second = make((e) => out.push(e));
    second.inbox.recover();
    expect(out.map((e) => [e.name, e.kind, e.owner])).to.deep.equal([['a.tle', 'TLE', 'tle-catalog']]);
    expect(out[0].stage, 'journaled as published once published').to.equal('published');
    expect(fs.readFileSync(out[0].dest, 'utf8')).to.equal(tle);
    second.journal.close();

    // A third start has nothing left to do.
    const third: JournalEntry[] = [];
    make((e) => third.push(e)).inbox.recover();
    expect(third).to.deep.equal([]);
  });

  it('completes a move interrupted between the hard link and the unlink, and publishes it once', () => {
    const first = make(() => {});
    const p = path.join(first.inbox.realDir, 'b.tle');
    fs.writeFileSync(p, tle);
    // Reproduce the on-disk state: decision journaled, link made, original still there.
    const sha256 = createHash('sha256').update(tle).digest('hex');
    const day = new Date().toISOString().slice(0, 10);
    const dest = path.join(first.inbox.realDir, 'done', day, 'b.tle');
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    first.journal.claim({ fileId: 'f-b', inbox: 'ops', name: 'b.tle', sha256, sizeBytes: tle.length, outcome: 'done', dest, kind: 'TLE', format: 'txt', owner: 'tle-catalog', atUtc: new Date().toISOString(), stage: 'claimed' });
    fs.linkSync(p, dest);
    first.journal.close();

    const out: JournalEntry[] = [];
    const second = make((e) => out.push(e));
    second.inbox.recover(); // the file is still in the inbox: left to the scan
    expect(out).to.deep.equal([]);
    second.inbox.handle(p); // the start-up scan meets it
    expect(out.map((e) => [e.fileId, e.dest])).to.deep.equal([['f-b', dest]]);
    expect(fs.existsSync(p)).to.equal(false);
    expect(fs.readdirSync(path.dirname(dest))).to.deep.equal(['b.tle']);
  });
});

describe('file-inbox: content detection over the reference set', () => {
  it('detects the valid CCSDS examples (Orekit *Example* files) with their kind and syntax', () => {
    const cases: [string, string, string][] = [
      ['ccsds/orekit/odm/oem/OEMExample5.txt', 'OEM', 'kvn'],
      ['ccsds/orekit/odm/opm/OPMExample3.xml', 'OPM', 'xml'],
      ['ccsds/orekit/odm/omm/OMMExample4.xml', 'OMM', 'xml'],
      ['ccsds/orekit/odm/ocm/OCMExample1.txt', 'OCM', 'kvn'],
      ['ccsds/orekit/tdm/kvn/TDMExampleAllKeywordsSequential.txt', 'TDM', 'kvn'],
      ['ccsds/orekit/cdm/CDMExample_issue988.xml', 'CDM', 'xml'],
      ['ccsds/nasa-cara/sample-cdms/OmitronTestCase_Test01_HighPc.cdm', 'CDM', 'kvn'],
      ['ccsds/orekit/ndm/NDM-opm.xml', 'OPM', 'xml'],
      ['space-weather/celestrak-SW-Last5Years-2025-03-13.txt', 'SPACE_WEATHER', 'txt'],
      ['eop/orekit/bulletinb_IAU2000.218', 'EOP', 'txt'],
      ['eop/orekit/UTC-TAI.history', 'LEAP_SECONDS', 'txt'],
      ['gravity/orekit/eigen-6s-truncated', 'GRAVITY', 'txt'],
    ];
    for (const [rel, kind, format] of cases) {
      const d = detectFile(Buffer.from(readReferenceText(rel)), path.basename(rel));
      expect(d.kind === null ? d.reason : `${d.kind}/${d.format}`, rel).to.equal(`${kind}/${format}`);
    }
  });

  it('refuses the deliberately malformed inputs of the Orekit set through the CCSDS codec, naming file, line and keyword', () => {
    const detect = (rel: string) => detectFile(Buffer.from(readReferenceText(rel)), path.basename(rel));
    const oem = detect('ccsds/orekit/odm/oem/OEM-ephemeris-number-format-error.txt');
    expect(oem).to.deep.equal({
      kind: null,
      claimed: 'OEM',
      reason: "invalid CCSDS OEM: OEM-ephemeris-number-format-error.txt:44: error: Z: 'this-is-not-a-number' is not a number",
      line: 44,
      problems: ["OEM-ephemeris-number-format-error.txt:44: error: Z: 'this-is-not-a-number' is not a number"],
    });
    const cdm = detect('ccsds/orekit/cdm/CDM-missing-TCA.txt');
    expect(cdm.kind === null && cdm.reason).to.match(/^invalid CCSDS CDM: CDM-missing-TCA\.txt:5: error: TCA: missing mandatory keyword/);
    // A file cut after its metadata's first lines (META_START at line 5, never closed).
    const pre = detect('ccsds/orekit/odm/oem/OEMExample7.txt.pre');
    expect(pre.kind === null && pre.reason).to.match(/^invalid CCSDS OEM: OEMExample7\.txt\.pre:7: error: REF_FRAME: missing mandatory keyword/);
    expect(pre.kind === null && pre.problems).to.include('OEMExample7.txt.pre:10: error: META_STOP: missing META_STOP at the end of the metadata');
  });

  it('reads a multi-OMM file message by message and names the line of a problem in the whole file', () => {
    const dir = 'ccsds/orekit/odm/omm/';
    // CelesTrak FORMAT=kvn concatenates OMMs; both GOES 9 (27 lines) and STARLETTE are valid.
    const kvn = detectFile(Buffer.from(readReferenceText(dir + 'OMMExample1.txt') + readReferenceText(dir + 'OMMExample4.txt')), 'two.omm');
    expect(kvn).to.deep.include({ kind: 'OMM', format: 'kvn', detail: 'CCSDS OMM × 2' });
    const bad = detectFile(Buffer.from(readReferenceText(dir + 'OMMExample1.txt') + readReferenceText(dir + 'OMM-wrong-keyword.txt')), 'two.omm');
    // WRONG_KEYWORD is on line 9 of the second message, which starts on line 28.
    expect(bad).to.deep.include({ kind: null, line: 36, claimed: 'OMM' });
    expect(bad.kind === null && bad.reason).to.match(/^invalid CCSDS OMM: two\.omm:36: error: WRONG_KEYWORD: unknown or misplaced keyword/);
    // An <ndm> of several OEMs: its owner reads one message per file.
    const oem = readReferenceText('ccsds/orekit/odm/oem/OEMExample3.xml').replace(/<\?xml[^>]*\?>/, '').trim();
    const ndm = detectFile(Buffer.from(`<ndm>\n${oem}\n${oem}\n</ndm>\n`), 'two.xml');
    expect(ndm.kind === null && ndm.reason).to.equal('CCSDS NDM container of OEM, OEM: its owner reads one OEM per file (split the container)');
  });
});
