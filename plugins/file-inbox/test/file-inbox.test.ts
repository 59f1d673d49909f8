import { expect } from 'chai';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileInboxToken } from '../../../interfaces/services/acquisition';
import { FileReceived, FileRejected } from '../../../interfaces/topics';
import { referenceDataPath, readReferenceText } from '../../../sdk/reference-data';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import type { z } from '../../../sdk';

const PLUGIN = path.join(__dirname, '..');
type FileReceivedMsg = z.infer<typeof FileReceived.schema>;
type FileRejectedMsg = z.infer<typeof FileRejected.schema>;
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Files under a folder, recursively, relative names. */
function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)).map((f) => path.join(e.name, f)) : [e.name]));
}

describe('file-inbox plugin', function () {
  this.timeout(60_000);
  let tk: TestKernel | undefined;
  let tmp: string;
  let inbox: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'file-inbox-'));
    inbox = path.join(tmp, 'drop');
  });
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const boot = async (config: Record<string, unknown> = {}) => {
    tk = await createTestKernel({
      plugins: [PLUGIN],
      config: { kernel: { dataDir: path.join(tmp, 'var') }, plugins: { 'file-inbox': { config: { inboxes: [{ name: 'ops', path: inbox }], stabilityMs: 200, ...config } } } },
    });
    // Recorded through the kernel's bus directly (not the test client, which unsubscribes before
    // the kernel stops): messages published while the plugin finishes its file at stop count too.
    const received: FileReceivedMsg[] = [];
    const rejected: FileRejectedMsg[] = [];
    tk.kernel.bus.subscribe('recorder', FileReceived, (m: FileReceivedMsg) => void received.push(m));
    tk.kernel.bus.subscribe('recorder', FileRejected, (m: FileRejectedMsg) => void rejected.push(m));
    return { received, rejected };
  };

  it('routes every kind of valid file to its module and moves it, intact, to done/<date>/', async () => {
    // Real files of the reference set; large ones are sliced into the temporary drop folder.
    const files: [string, Buffer, string, string, string][] = [
      ['stations.tle', fs.readFileSync(referenceDataPath('tle/celestrak-stations-2025-06-29.txt')), 'TLE', 'txt', 'tle-catalog'],
      ['spot5.tle', fs.readFileSync(referenceDataPath('tle/orekit/spot-5.tle')), 'TLE', 'txt', 'tle-catalog'],
      ['goes9.omm', fs.readFileSync(referenceDataPath('ccsds/orekit/odm/omm/OMMExample1.txt')), 'OMM', 'kvn', 'tle-catalog'],
      ['goes9.xml', fs.readFileSync(referenceDataPath('ccsds/orekit/odm/omm/OMM-with-units.xml')), 'OMM', 'xml', 'tle-catalog'],
      ['vanguard.json', fs.readFileSync(referenceDataPath('ccsds/python-sgp4-omm/sample_omm.json')), 'OMM', 'json', 'tle-catalog'],
      ['vanguard.csv', fs.readFileSync(referenceDataPath('ccsds/python-sgp4-omm/sample_omm.csv')), 'OMM', 'csv', 'tle-catalog'],
      ['mars.oem', fs.readFileSync(referenceDataPath('ccsds/orekit/odm/oem/OEMExample1.txt')), 'OEM', 'kvn', 'ephemeris'],
      ['oem3.xml', fs.readFileSync(referenceDataPath('ccsds/orekit/odm/oem/OEMExample3.xml')), 'OEM', 'xml', 'ephemeris'],
      ['godzilla.opm', fs.readFileSync(referenceDataPath('ccsds/orekit/odm/opm/OPMExample1.txt')), 'OPM', 'kvn', 'orbit-determination'],
      ['ranges.tdm', fs.readFileSync(referenceDataPath('ccsds/orekit/tdm/kvn/TDMExample2.txt')), 'TDM', 'kvn', 'tracking-data'],
      ['ranges.xml', fs.readFileSync(referenceDataPath('ccsds/orekit/tdm/xml/TDMExample2.xml')), 'TDM', 'xml', 'tracking-data'],
      ['conj.cdm', fs.readFileSync(referenceDataPath('ccsds/orekit/cdm/ION_SCV8_vs_STARLINK_1233.txt')), 'CDM', 'kvn', 'cdm'],
      ['conj.xml', fs.readFileSync(referenceDataPath('ccsds/orekit/cdm/CDMExample1.xml')), 'CDM', 'xml', 'cdm'],
      ['finals.all', Buffer.from(readReferenceText('eop/iers-finals2000A.all').split('\n').slice(0, 400).join('\n') + '\n'), 'EOP', 'txt', 'eop'],
      ['eop.csv', fs.readFileSync(referenceDataPath('eop/orekit/eopc04_20.2022-now.csv')), 'EOP', 'csv', 'eop'],
      ['tai-utc.dat', fs.readFileSync(referenceDataPath('eop/usno-tai-utc.dat')), 'LEAP_SECONDS', 'txt', 'eop'],
      ['sw.txt', fs.readFileSync(referenceDataPath('space-weather/orekit/SpaceWeather-All-v1.2_reduced.txt')), 'SPACE_WEATHER', 'txt', 'space-weather'],
      ['sw.csv', Buffer.from(readReferenceText('space-weather/celestrak-SW-All-2025-05-07.csv').split('\n').slice(0, 300).join('\n') + '\n'), 'SPACE_WEATHER', 'csv', 'space-weather'],
      ['flux.txt', Buffer.from(readReferenceText('space-weather/drao-penticton-fluxtable-2026-08-21.txt').split('\n').slice(0, 300).join('\n') + '\n'), 'SPACE_WEATHER', 'txt', 'space-weather'],
      ['jgm3.gfc', fs.readFileSync(referenceDataPath('gravity/brahe/JGM3.gfc')), 'GRAVITY', 'txt', 'gravity-field'],
      ['egm96.txt', fs.readFileSync(referenceDataPath('gravity/orekit/EGM96-truncated-21x21')), 'GRAVITY', 'txt', 'gravity-field'],
      ['egm96_to5.ascii.gz', fs.readFileSync(referenceDataPath('gravity/orekit/egm96_to5.ascii.gz')), 'GRAVITY', 'txt', 'gravity-field'],
    ];
    // Files present before the start are processed too: half now, half after the start.
    fs.mkdirSync(inbox, { recursive: true });
    const half = Math.floor(files.length / 2);
    for (const [name, bytes] of files.slice(0, half)) fs.writeFileSync(path.join(inbox, name), bytes);
    const { received, rejected } = await boot();
    for (const [name, bytes] of files.slice(half)) fs.writeFileSync(path.join(inbox, name), bytes);
    await waitFor(`${files.length} files`, () => received.length + rejected.length >= files.length);
    expect(rejected.map((r) => `${r.originalName}: ${r.reason}`)).to.deep.equal([]);
    const today = new Date().toISOString().slice(0, 10);
    for (const [name, bytes, kind, format, owner] of files) {
      const m = received.find((r) => r.originalName === name);
      expect(m, name).to.not.equal(undefined);
      expect({ name, kind: m!.kind, format: m!.format, owner: m!.owner }).to.deep.equal({ name, kind, format, owner });
      expect(m!.path).to.equal(path.join(fs.realpathSync(inbox), 'done', today, name));
      expect(m!.sha256).to.equal(sha(bytes));
      expect(m!.sizeBytes).to.equal(bytes.length);
      expect(sha(fs.readFileSync(m!.path)), `${name} content`).to.equal(sha(bytes));
    }
    expect(received).to.have.length(files.length);
    expect(fs.readdirSync(inbox).sort()).to.deep.equal(['done', 'rejected']);
    const status = await tk!.service(FileInboxToken).status();
    expect(status).to.deep.equal([{ inbox: 'ops', pending: 0, done: files.length, rejected: 0 }]);
  });

  it('rejects malformed files into rejected/ with a .reason file naming the problem', async () => {
    const stations = readReferenceText('tle/celestrak-stations-2025-06-29.txt').split('\n');
    const badSum = [...stations];
    badSum[5] = badSum[5].slice(0, 68) + String((Number(badSum[5][68]) + 3) % 10);
    const oem = readReferenceText('ccsds/orekit/odm/oem/OEMExample1.txt');
    const cdm = readReferenceText('ccsds/orekit/cdm/CDMExample1.txt');
    const opmXml = readReferenceText('ccsds/orekit/odm/opm/OPMExample3.xml');
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
    const cases: [string, string | Buffer, RegExp, number?][] = [
      ['bad-checksum.tle', badSum.join('\n'), /line 6: TLE checksum mismatch/, 6],
      // Cut inside an ephemeris line.
      ['truncated.oem', oem.slice(0, oem.indexOf('\n', Math.floor(oem.length * 0.6)) - 30), /ephemeris line has \d+ fields|never closed|missing/],
      // Cut before the second object's metadata and state vector (the codec names the first keyword missing, at the end).
      ['truncated.cdm', cdm.slice(0, cdm.lastIndexOf('OBJECT ') + 40), /^invalid CCSDS CDM: truncated\.cdm:43: error: OBJECT_DESIGNATOR: missing mandatory keyword/, 43],
      ['truncated.xml', opmXml.slice(0, Math.floor(opmXml.length / 2)), /malformed XML/],
      ['garbage.bin', garbage, /binary content/],
      ['empty.txt', '', /empty file \(0 bytes\)/],
      ['notes.txt', 'Dear operator,\nplease find attached nothing.\n', /content not recognised/],
      ['attitude.aem', readReferenceText('ccsds/orekit/adm/aem/AEMExample01.txt'), /no module is configured to take files of kind OTHER \(CCSDS AEM \(attitude\)\)/],
    ];
    const { received, rejected } = await boot();
    for (const [name, content] of cases) fs.writeFileSync(path.join(inbox, name), content);
    await waitFor(`${cases.length} rejections`, () => rejected.length + received.length >= cases.length);
    expect(received.map((r) => r.originalName)).to.deep.equal([]);
    const real = fs.realpathSync(inbox);
    for (const [name, content, reason, line] of cases) {
      const m = rejected.find((r) => r.originalName === name)!;
      expect(m, name).to.not.equal(undefined);
      expect(m.reason, name).to.match(reason);
      if (line) expect(m.line).to.equal(line);
      expect(m.rejectedBy).to.equal('file-inbox');
      expect(m.keptAt).to.equal(path.join(real, 'rejected', name));
      expect(fs.readFileSync(m.keptAt).equals(Buffer.from(content)), `${name} kept intact`).to.equal(true);
      expect(fs.readFileSync(m.reasonFile, 'utf8')).to.include(`reason: ${m.reason}`);
    }
    // The .reason file lists every problem the codec found: the second object's state vector too.
    expect(fs.readFileSync(rejected.find((r) => r.originalName === 'truncated.cdm')!.reasonFile, 'utf8')).to.match(/^problem: truncated\.cdm:44: error: X: missing section stateVector/m);
    const listed = await tk!.service(FileInboxToken).rejected(3);
    expect(listed).to.have.length(3);
  });

  it('rejects each malformed Orekit CCSDS example with the codec\'s problem: file, keyword and line in the .reason file', async () => {
    // [file under ccsds/orekit, kind, keyword at fault, text marking the faulty line in the file
    // (the expected line is the first non-COMMENT line holding it in the reference file, not
    // taken from the codec; without a marker — a keyword missing — the line the codec gives)].
    const cases: [string, string, string, string?][] = [
      ['odm/oem/OEM-wrong-keyword.txt', 'OEM', 'WRONG_KEYWORD', 'WRONG_KEYWORD'],
      ['odm/oem/OEM-ephemeris-number-format-error.txt', 'OEM', 'Z', 'this-is-not-a-number'],
      ['odm/oem/OEM-covariance-number-format-error.txt', 'OEM', 'CY_Y', 'this-is-not-a-number'],
      // The codec places this one on the segment's META_START (line 29), not on TIME_SYSTEM = TCG (line 33).
      ['odm/oem/OEM-inconsistent-time-systems.txt', 'OEM', 'TIME_SYSTEM'],
      ['odm/oem/OEM-keyword-within-ephemeris.txt', 'OEM', 'USER_DEFINED_TEST_KEY', 'USER_DEFINED_TEST_KEY'],
      ['odm/oem/OEM-keyword-within-covariance.txt', 'OEM', 'USER_DEFINED_TEST_KEY', 'USER_DEFINED_TEST_KEY'],
      ['odm/oem/OEM-too-few-covariance-columns.txt', 'OEM', 'CY_DOT_X'],
      ['odm/oem/OEM-too-many-covariance-columns.txt', 'OEM', 'CX_X'],
      ['odm/oem/OEM-too-small-covariance-dimension.txt', 'OEM', 'EPOCH'],
      ['odm/oem/OEM-too-large-covariance-dimension.txt', 'OEM', 'EPOCH'],
      ['odm/omm/OMM-number-format-error.txt', 'OMM', 'ARG_OF_PERICENTER', 'this-is-not-a-number'],
      ['odm/omm/OMM-wrong-keyword.txt', 'OMM', 'WRONG_KEYWORD', 'WRONG_KEYWORD'],
      ['odm/opm/OPM-number-format-error.txt', 'OPM', 'SEMI_MAJOR_AXIS', 'this-is-not-a-number'],
      ['odm/opm/OPM-wrong-keyword.txt', 'OPM', 'WRONG_KEYWORD', 'WRONG_KEYWORD'],
      ['odm/ocm/OCM-wrong-time-span.txt', 'OCM', 'TIME_SPAN', 'WRONG'],
      ['odm/ocm/OCM-missing-t0.txt', 'OCM', 'EPOCH_TZERO'],
      ['odm/ocm/OCM-missing-revnum-basis.txt', 'OCM', 'ORB_REVNUM_BASIS', 'ORB_REVNUM'],
      ['cdm/CDM-missing-TCA.txt', 'CDM', 'TCA'],
      ['cdm/CDM-wrong-key-word.txt', 'CDM', 'WRONG_KEYWORD', 'WRONG_KEYWORD'],
      ['cdm/CDM-covariance-wrong-entry-format.txt', 'CDM', 'CRDOT_T', 'this-is-not-a-number'],
      ['cdm/CDM-missing-object2-state-vector.txt', 'CDM', 'X'],
      ['cdm/CDM-missing-object1-covariance-block.xml', 'CDM', 'CR_R'],
      ['tdm/kvn/TDM-data-wrong-keyword.txt', 'TDM', 'WRONG_KEYWORD', 'WRONG_KEYWORD'],
      ['tdm/kvn/TDM-data-number-format-error.txt', 'TDM', 'RECEIVE_FREQ_1', 'this-is-not-a-number'],
      ['tdm/kvn/TDM-metadata-wrong-keyword.txt', 'TDM', 'WRONG_KEYWORD', 'WRONG_KEYWORD'],
      ['tdm/kvn/TDM-metadata-number-format-error.txt', 'TDM', 'TRANSMIT_DELAY_1', 'this-is-not-a-number'],
      ['tdm/kvn/TDM-metadata-timesystem-not-implemented.txt', 'TDM', 'TIME_SYSTEM', 'WRONG-TIME-SYSTEM'],
      ['tdm/xml/TDM-data-wrong-keyword.xml', 'TDM', 'WRONG_KEYWORD', 'WRONG_KEYWORD'],
      ['tdm/xml/TDM-data-number-format-error.xml', 'TDM', 'RECEIVE_FREQ_1', 'this-is-not-a-number'],
      ['tdm/xml/TDM-metadata-wrong-keyword.xml', 'TDM', 'WRONG_KEYWORD', 'WRONG_KEYWORD'],
      ['tdm/xml/TDM-metadata-number-format-error.xml', 'TDM', 'TRANSMIT_DELAY_1', 'this-is-not-a-number'],
      ['tdm/xml/TDM-missing-participants.xml', 'TDM', 'PARTICIPANT_1'],
    ];
    const { received, rejected } = await boot();
    for (const [rel] of cases) fs.writeFileSync(path.join(inbox, path.basename(rel)), fs.readFileSync(referenceDataPath(`ccsds/orekit/${rel}`)));
    await waitFor(`${cases.length} files`, () => received.length + rejected.length >= cases.length);
    expect(received.map((r) => r.originalName)).to.deep.equal([]);
    const real = fs.realpathSync(inbox);
    for (const [rel, kind, keyword, marker] of cases) {
      const name = path.basename(rel);
      const m = rejected.find((r) => r.originalName === name);
      expect(m, name).to.not.equal(undefined);
      expect(m!.keptAt).to.equal(path.join(real, 'rejected', name));
      expect(m!.kind, name).to.equal(kind);
      const line = marker ? readReferenceText(`ccsds/orekit/${rel}`).split('\n').findIndex((l) => l.includes(marker) && !l.trimStart().startsWith('COMMENT')) + 1 : m!.line;
      expect(line, `${name}: line of '${marker}'`).to.be.greaterThan(0);
      expect(m!.line, name).to.equal(line);
      const reason = fs.readFileSync(m!.reasonFile, 'utf8');
      // `<file>:<line>[ <XML path>]: error: <KEYWORD>: <reason>`, the codec's wording.
      const esc = name.replace(/[.]/g, '\\.');
      expect(reason, name).to.match(new RegExp(`^reason: invalid CCSDS ${kind}: ${esc}:${line}( /\\S+)?: error: ${keyword}: \\S`, 'm'));
      expect(reason, name).to.include(`line: ${line}\n`);
      expect(reason, name).to.match(new RegExp(`^problem: ${esc}:${line}`, 'm'));
    }
  });

  it('routes every real CARA CDM to cdm, and journals and logs the deviations a lenient read accepts', async () => {
    const dir = 'ccsds/nasa-cara/pc-test-cases';
    const cdms = fs.readdirSync(referenceDataPath(dir)).filter((n) => n.endsWith('.cdm'));
    expect(cdms.length, 'CDMs in pc-test-cases (SOURCES.md: 14 of the 53)').to.equal(14);
    // A CARA sample whose relative velocity is written in [m] (the standard says m/s, 508.0-B-1 Table 3-2).
    const alfano = readReferenceText('ccsds/nasa-cara/sample-cdms/AlfanoTestCase01.cdm');
    const rvLine = alfano.split('\n').findIndex((l) => /^RELATIVE_VELOCITY_R\s*=.*\[m\]/.test(l)) + 1;
    expect(rvLine).to.be.greaterThan(0);
    const { received, rejected } = await boot();
    for (const n of cdms) fs.writeFileSync(path.join(inbox, n), fs.readFileSync(referenceDataPath(`${dir}/${n}`)));
    fs.writeFileSync(path.join(inbox, 'AlfanoTestCase01.cdm'), alfano);
    const total = cdms.length + 1;
    await waitFor(`${total} CDMs`, () => received.length + rejected.length >= total);
    expect(rejected.map((r) => `${r.originalName}: ${r.reason}`)).to.deep.equal([]);
    expect(received.map((r) => [r.originalName, r.kind, r.format, r.owner]).sort()).to.deep.equal(
      [...cdms, 'AlfanoTestCase01.cdm'].map((n) => [n, 'CDM', 'kvn', 'cdm']).sort(),
    );
    const journalFile = walk(path.join(tmp, 'var')).find((f) => f.endsWith('journal.jsonl') && f.includes('file-inbox'));
    expect(journalFile).to.not.equal(undefined);
    const entries = fs
      .readFileSync(path.join(tmp, 'var', journalFile!), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"claim"'))
      .map((l) => (JSON.parse(l) as { entry: { name: string; warnings?: string[] } }).entry);
    const warned = entries.find((e) => e.name === 'AlfanoTestCase01.cdm')!;
    expect(warned.warnings).to.include(`AlfanoTestCase01.cdm:${rvLine}: warning: RELATIVE_VELOCITY_R: unit [m] differs from the standard [m/s]; value kept as written`);
    expect(entries.filter((e) => cdms.includes(e.name)).every((e) => e.warnings === undefined), 'the pc-test-case CDMs follow the standard').to.equal(true);
  });

  it('reads a file written slowly in chunks once, complete', async () => {
    const { received, rejected } = await boot({ stabilityMs: 500 });
    const text = readReferenceText('tle/celestrak-visual-2026-05-07.txt');
    const p = path.join(inbox, 'slow.tle');
    const fd = fs.openSync(p, 'w');
    const chunks = 6;
    for (let i = 0; i < chunks; i++) {
      // Chunk boundaries fall inside TLE lines: a reader too early would see a bad checksum.
      fs.writeSync(fd, text.slice(Math.floor((i * text.length) / chunks), Math.floor(((i + 1) * text.length) / chunks)));
      await sleep(200);
    }
    fs.closeSync(fd);
    await waitFor('the slow file', () => received.length + rejected.length >= 1);
    await sleep(1000);
    expect(rejected).to.deep.equal([]);
    expect(received).to.have.length(1);
    expect(received[0].sizeBytes).to.equal(Buffer.byteLength(text));
    expect(received[0].sha256).to.equal(sha(text));
  });

  it('processes 1,000 files dropped at once exactly once each', async () => {
    const lines = readReferenceText('tle/celestrak-active-2026-05-07.txt').split('\n');
    const { received, rejected } = await boot();
    const n = 1000;
    for (let i = 0; i < n; i++) fs.writeFileSync(path.join(inbox, `sat-${String(i).padStart(4, '0')}.tle`), lines.slice(3 * i, 3 * i + 3).join('\n') + '\n');
    await waitFor(`${n} files`, () => received.length + rejected.length >= n, 45_000);
    await sleep(500);
    expect(rejected.map((r) => r.reason)).to.deep.equal([]);
    expect(received).to.have.length(n);
    expect(new Set(received.map((r) => r.originalName)).size).to.equal(n);
    expect(new Set(received.map((r) => r.fileId)).size).to.equal(n);
    expect(walk(path.join(inbox, 'done'))).to.have.length(n);
  });

  it('loses nothing and duplicates nothing when restarted in the middle of a batch', async () => {
    const lines = readReferenceText('tle/celestrak-active-2026-05-07.txt').split('\n');
    const n = 300;
    fs.mkdirSync(inbox, { recursive: true });
    for (let i = 0; i < n; i++) fs.writeFileSync(path.join(inbox, `obj-${i}.tle`), lines.slice(3 * i, 3 * i + 3).join('\n') + '\n');
    const first = await boot();
    await waitFor('the batch to be under way', () => first.received.length >= 30);
    await tk!.stop();
    tk = undefined;
    const before = first.received.length;
    expect(before, 'stopped mid-batch').to.be.lessThan(n);
    const second = await boot();
    await waitFor('the rest of the batch', () => before + second.received.length >= n);
    await sleep(500);
    const all = [...first.received, ...second.received];
    expect(first.rejected.concat(second.rejected)).to.deep.equal([]);
    expect(all).to.have.length(n);
    expect(new Set(all.map((r) => r.originalName)).size).to.equal(n);
    expect(walk(path.join(inbox, 'done'))).to.have.length(n);
    expect(fs.readdirSync(inbox).sort()).to.deep.equal(['done', 'rejected']);
  });

  it('refuses symbolic links without following them, never overwrites, and refuses a duplicate delivery', async () => {
    const { received, rejected } = await boot();
    const outside = path.join(tmp, 'secret.tle');
    const text = readReferenceText('tle/celestrak-stations-2025-06-29.txt');
    fs.writeFileSync(outside, text);
    fs.symlinkSync(outside, path.join(inbox, 'link.tle'));
    await waitFor('the link', () => rejected.length >= 1);
    expect(rejected[0].reason).to.match(/symbolic link refused/);
    expect(fs.lstatSync(rejected[0].keptAt).isSymbolicLink()).to.equal(true);
    expect(fs.readFileSync(outside, 'utf8')).to.equal(text);

    // Two different files under the same name: both kept, under distinct names.
    fs.writeFileSync(path.join(inbox, 'same.tle'), text);
    await waitFor('first same.tle', () => received.length >= 1);
    const visual = readReferenceText('tle/celestrak-visual-2026-05-07.txt');
    fs.writeFileSync(path.join(inbox, 'same.tle'), visual);
    await waitFor('second same.tle', () => received.length >= 2);
    expect(path.basename(received[0].path)).to.equal('same.tle');
    expect(path.basename(received[1].path)).to.equal('same~1.tle');
    expect(fs.readFileSync(received[0].path, 'utf8')).to.equal(text);
    expect(fs.readFileSync(received[1].path, 'utf8')).to.equal(visual);

    // The very same file again (same name, same bytes): refused as a duplicate, kept.
    fs.writeFileSync(path.join(inbox, 'same.tle'), text);
    await waitFor('the duplicate', () => rejected.length >= 2);
    expect(rejected[1].reason).to.match(new RegExp(`^duplicate: .* already received as ${received[0].fileId}`));
    expect(received).to.have.length(2);
  });
});
