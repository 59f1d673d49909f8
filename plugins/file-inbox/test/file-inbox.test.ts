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
