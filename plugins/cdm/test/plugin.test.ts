import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { readReferenceText, referenceDataPath } from '../../../sdk/reference-data';
import { cdmCovarianceRtn, parseNdm, type Cdm } from '../../../sdk/ccsds';
import { CdmIssued, CdmReceived, ConjunctionDetected, FileReceived, FileRejected, ProductPublished } from '../../../interfaces/topics';
import { CdmServiceToken } from '../../../interfaces/services/collision';
import type { Conjunction } from '../../../interfaces/domain/conjunction';
import { parseCdmText, recordFromCdm } from '../read';
import { conjunctionFromRecord } from './helpers';

// The plugin in a real kernel: topics in and out, files on disk, the service, a restart on the
// same data folder. Reference CDMs: NASA CARA (see read.test.ts / issue.test.ts).

const PLUGIN = path.join(__dirname, '..');
const PC_PLUGIN = path.join(__dirname, '..', '..', 'collision-probability');
const CARA = 'ccsds/nasa-cara/pc-test-cases';
const TERRA = '000025994_conj_000037558_20210324_151047_20210323_154356';
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function caraConjunction(id: string, withPc = false): Conjunction {
  const { cdm, warnings } = parseCdmText(readReferenceText(`${CARA}/${id}.cdm`), id, true);
  const rec = recordFromCdm(cdm, id, warnings);
  const c = conjunctionFromRecord(rec, rec.hardBodyRadiusM! / 2);
  return withPc ? c : { ...c, pc: undefined };
}

function expectedRow(id: string): Record<string, string> {
  const [head, ...lines] = readReferenceText(`${CARA}/expected-pc.csv`).trim().split(/\r?\n/);
  const cols = head.split(',');
  const cells = lines.find((l) => l.startsWith(id + ','))!.split(',');
  return Object.fromEntries(cols.map((c, i) => [c, cells[i]]));
}

describe('cdm plugin', function () {
  this.timeout(30_000);
  let tk: TestKernel | undefined;
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdm-plugin-'));
  });
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const boot = async (config: Record<string, unknown> = {}, extra: string[] = []) => {
    tk = await createTestKernel({ plugins: [PLUGIN, ...extra], config: { kernel: { dataDir: path.join(tmp, 'var') }, plugins: { cdm: { config } } } });
    await tk.waitForState('cdm', 'running');
    return tk;
  };

  it('starts with no config; reads CDMs from file.received and keeps a malformed one with its reason (file.rejected)', async () => {
    const k = await boot();
    const received = k.collect(CdmReceived);
    const rejected = k.collect(FileRejected);
    const good = path.join(tmp, `${TERRA}.cdm`);
    fs.writeFileSync(good, readReferenceText(`${CARA}/${TERRA}.cdm`));
    const badText = readReferenceText(`${CARA}/${TERRA}.cdm`).replace(/^MISS_DISTANCE\s*=.*$/m, 'MISS_DISTANCE = far [m]');
    const bad = path.join(tmp, 'bad.cdm');
    fs.writeFileSync(bad, badText);
    const msg = (fileId: string, p: string, name: string) => ({
      fileId,
      path: p,
      originalName: name,
      kind: 'CDM' as const,
      format: 'kvn' as const,
      sizeBytes: fs.statSync(p).size,
      sha256: sha(fs.readFileSync(p)),
      inbox: 'default',
      owner: 'cdm',
      receivedAtUtc: new Date().toISOString(),
    });
    k.bus.publish(FileReceived, msg('f-good', good, `${TERRA}.cdm`));
    k.bus.publish(FileReceived, msg('f-bad', bad, 'bad.cdm'));
    // a file routed to another module is not ours
    k.bus.publish(FileReceived, { ...msg('f-other', bad, 'other.cdm'), owner: 'tle-catalog' });
    const r = await k.nextMessage(FileRejected, undefined, 5000);
    expect(r.rejectedBy).to.equal('cdm');
    expect(r.kind).to.equal('CDM');
    expect(r.line).to.equal(8);
    expect(r.reason).to.match(/bad\.cdm:8: error: MISS_DISTANCE: 'far' is not a number/);
    expect(fs.readFileSync(r.keptAt, 'utf8')).to.equal(badText);
    expect(fs.readFileSync(r.reasonFile, 'utf8')).to.contain("MISS_DISTANCE: 'far' is not a number");
    await new Promise((res) => setTimeout(res, 200));
    expect(received.messages.map((m) => m.messageId)).to.deep.equal([TERRA]);
    expect(rejected.messages.map((m) => m.fileId)).to.deep.equal(['f-bad']);
    expect(received.messages[0].hardBodyRadiusM).to.equal(15);
    expect(received.messages[0].eventId).to.equal('25994-37558-20210324T151047');
    const events = await k.service(CdmServiceToken).events({ noradId: 37558 });
    expect(events).to.deep.equal([{ eventId: '25994-37558-20210324T151047', tcaUtc: '2021-03-24T15:10:47.417Z', primary: '25994', secondary: '37558', cdms: 1, lastPc: 0.02117 }]);
  });

  it('takes CDM files dropped in a file-inbox folder: a real one is read, a malformed one is refused (by the inbox, with the codec\'s reason) and kept', async () => {
    const inbox = path.join(tmp, 'inbox');
    fs.mkdirSync(inbox, { recursive: true });
    tk = await createTestKernel({
      plugins: [PLUGIN, path.join(__dirname, '..', '..', 'file-inbox')],
      config: { kernel: { dataDir: path.join(tmp, 'var') }, plugins: { 'file-inbox': { config: { inboxes: [{ name: 'ops', path: inbox }], stabilityMs: 50 } } } },
    });
    await tk.waitForState('cdm', 'running');
    await tk.waitForState('file-inbox', 'running');
    const received = tk.nextMessage(CdmReceived, undefined, 10_000);
    // The inbox checks CCSDS files with the same codecs before routing, so it refuses the bad one.
    const refused = tk.nextMessage(FileRejected, (m) => m.originalName === 'bad.cdm', 10_000);
    const text = readReferenceText(`${CARA}/${TERRA}.cdm`);
    fs.writeFileSync(path.join(inbox, `${TERRA}.cdm`), text);
    fs.writeFileSync(path.join(inbox, 'bad.cdm'), text.replace(/^TCA\s*=.*$/m, 'TCA = 2021-02-30T15:10:47.417'));
    expect((await received).messageId).to.equal(TERRA);
    const r = await refused;
    expect(r.originalName).to.equal('bad.cdm');
    expect(r.line).to.equal(7);
    expect(r.rejectedBy).to.equal('file-inbox');
    expect(r.reason).to.match(/bad\.cdm:7: error: TCA: day 30 out of range/);
    expect(fs.existsSync(r.keptAt) && fs.existsSync(r.reasonFile)).to.equal(true);
  });

  it('issues a KVN CDM for conjunction.detected with inertial states and covariances, with the Pc of collision-probability, and publishes product.published', async () => {
    const k = await boot({}, [PC_PLUGIN]);
    await k.waitForState('collision-probability', 'running');
    const products = k.collect(ProductPublished);
    k.bus.publish(ConjunctionDetected, caraConjunction(TERRA));
    const issued = await k.nextMessage(CdmIssued, undefined, 10_000);
    await new Promise((res) => setTimeout(res, 100));
    expect(products.messages).to.have.length(1);
    const p = products.messages[0];
    expect(p.kind).to.equal('CDM');
    expect(p.format).to.equal('kvn');
    expect(p.producedBy).to.equal('cdm');
    expect(p.id).to.equal(issued.productId);
    expect(p.path.startsWith(path.join(tmp, 'var'))).to.equal(true);
    expect(path.basename(path.dirname(p.path))).to.equal('products');
    const text = fs.readFileSync(p.path, 'utf8');
    expect(sha(text)).to.equal(p.sha256);
    expect(p.sizeBytes).to.equal(Buffer.byteLength(text));
    const m = parseNdm(text, { file: p.path, mode: 'strict' }).message as Cdm;
    expect(m.header.fields.ORIGINATOR).to.equal('SCOOP');
    // The Pc forwarded from collision-probability (Foster, projected miss) vs CARA's Pc2D for
    // this CDM: that module matches it to 1e-6 relative in its own tests; 1e-5 here.
    const want = Number(expectedRow(TERRA).Pc2D);
    expect(Math.abs(issued.collisionProbability! / want - 1)).to.be.below(1e-5);
    expect(m.relativeMetadata.fields.COLLISION_PROBABILITY).to.equal(issued.collisionProbability);
    expect(m.relativeMetadata.fields.COLLISION_PROBABILITY_METHOD).to.equal('FOSTER-1992');
    expect(issued.eventId).to.equal('25994-37558');
    expect(issued.hardBodyRadiusM).to.equal(15);
  });

  it('applies the default covariance model to TLE-only objects and says so in the CDM; XML output validates against the CCSDS schema', async () => {
    const productsDir = path.join(tmp, 'out');
    const k = await boot({ format: 'xml', productsDir, originator: 'FDC-TEST' });
    const tca = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const epoch = { iso: tca.slice(0, -1), scale: 'UTC' as const };
    // two LEO objects, SGP4 states in TEME, element epochs 1.5 days and unknown before TCA
    const c: Conjunction = {
      id: '43013-40000-test',
      tcaUtc: tca,
      missDistanceKm: 0.42,
      relativeSpeedKmS: 13.9,
      relativePositionRtnKm: [0.05, 0.3, -0.28],
      relativeVelocityRtnKmS: [0.02, -9.1, 10.5],
      primary: { noradId: 43013, objectId: '43013', name: 'NOAA 20', stateAtTca: { epoch, frame: 'TEME', posKm: [-1130.2, 2570.9, 6603.1], velKmS: [-1.67, 6.85, -2.95] }, ephemerisSource: `sgp4:TLE epoch ${new Date(Date.parse(tca) - 1.5 * 86_400_000).toISOString()}` },
      secondary: { noradId: 40000, objectId: '40000', stateAtTca: { epoch, frame: 'TEME', posKm: [-1130.0, 2571.2, 6602.9], velKmS: [7.35, 0, 1.258] } },
      detectedAtUtc: new Date().toISOString(),
      detectedBy: 'conjunction-screening',
      source: 'screening',
    };
    const products = k.collect(ProductPublished);
    k.bus.publish(ConjunctionDetected, c);
    const issued = await k.nextMessage(CdmIssued, undefined, 10_000);
    expect(issued.object1.covarianceRtnM?.frame).to.equal('RTN');
    expect(issued.warnings.join('\n')).to.match(/default covariance model applied \(OBJECT1: LEO, age 1\.50 d; OBJECT2: LEO, age 7\.00 d\)/);
    await new Promise((res) => setTimeout(res, 100));
    const p = products.messages[0];
    expect(p.format).to.equal('xml');
    expect(path.dirname(p.path)).to.equal(productsDir);
    expect(p.metadata.defaultCovariance).to.match(/OBJECT1: LEO/);
    execFileSync('/usr/bin/xmllint', ['--noout', '--schema', referenceDataPath('ccsds/xsd/ndmxml-2.0.0-master-2.0.xsd'), p.path], { stdio: 'pipe' });
    const m = parseNdm(fs.readFileSync(p.path, 'utf8'), { file: p.path, mode: 'strict' }).message as Cdm;
    expect(m.header.fields.ORIGINATOR).to.equal('FDC-TEST');
    for (const o of m.objects) {
      expect(o.metadata.fields.COVARIANCE_METHOD).to.equal('DEFAULT');
      expect(o.metadata.comments.some((x) => x.startsWith('DEFAULT COVARIANCE (operational assumption'))).to.equal(true);
    }
    // README, LEO: σ_T(1.5 d) = 0.5 + 1.0·1.5 + 0.2·1.5² = 2.45 km
    expect(Math.sqrt(cdmCovarianceRtn(m.objects[0])[1][1])).to.be.closeTo(2450, 1e-6);
    // no state → no CDM, reported (the plugin keeps running)
    k.bus.publish(ConjunctionDetected, { ...c, id: 'no-state', secondary: { noradId: 40001, objectId: '40001' } });
    await new Promise((res) => setTimeout(res, 300));
    expect(k.status('cdm')?.state).to.equal('running');
    // two CDMs for the same conjunction in the same millisecond get distinct names
    const svc = k.service(CdmServiceToken);
    const [a, b] = await Promise.all([svc.issue({ conjunction: c, format: 'kvn', originator: 'X' }), svc.issue({ conjunction: c, format: 'kvn', originator: 'X' })]);
    expect(a.path).to.not.equal(b.path);
    expect(a.record.messageId).to.not.equal(b.record.messageId);
    expect((await svc.event(a.record.eventId!)).length).to.equal(3);
  });

  it('keeps the events and their history across a kernel restart on the same data folder', async () => {
    // the 2020 TCAs are kept only with a retention longer than their age
    const cfg = { retentionDays: 36_500 };
    let k = await boot(cfg);
    const svc = k.service(CdmServiceToken);
    const dir = 'ccsds/nasa-cara/unit-test-cdms';
    const r2 = await svc.read({ text: readReferenceText(`${dir}/DensityDecorrelationTestCaseCDM02.txt`), fileName: 'cdm02.txt' });
    const r3 = await svc.read({ text: readReferenceText(`${dir}/DensityDecorrelationTestCaseCDM03.txt`), fileName: 'cdm03.txt' });
    expect(r3.eventId).to.equal(r2.eventId);
    // strict reading refuses the deviations of CARA's ODQA file; lenient (the default) keeps them as warnings
    let strictError = '';
    await svc.read({ text: readReferenceText(`${dir}/ODQATestCaseCDM.txt`), fileName: 'odqa.txt', lenient: false }).catch((e: Error) => (strictError = e.message));
    expect(strictError).to.match(/odqa\.txt:11: error: RELATIVE_VELOCITY_R: unit \[m\] where the standard requires \[m\/s\]/);
    const odqa = await svc.read({ text: readReferenceText(`${dir}/ODQATestCaseCDM.txt`), fileName: 'odqa.txt' });
    expect(odqa.warnings.some((w) => /odqa\.txt:11: warning: RELATIVE_VELOCITY_R/.test(w))).to.equal(true);
    expect(odqa.hardBodyRadiusM).to.equal(20); // COMMENT HBR = 20.0
    await k.stop();
    tk = undefined;
    k = await boot(cfg);
    const history = await k.service(CdmServiceToken).event(r2.eventId!);
    expect(history.map((r) => [r.messageId, r.collisionProbability])).to.deep.equal([
      [r2.messageId, 0.00005858711],
      [r3.messageId, 0.00006354202],
    ]);
    const again = await k.service(CdmServiceToken).read({ text: readReferenceText(`${dir}/DensityDecorrelationTestCaseCDM03.txt`) });
    expect(again.eventId).to.equal(r2.eventId);
    expect((await k.service(CdmServiceToken).event(r2.eventId!)).length).to.equal(2);
    let unknown = '';
    await k.service(CdmServiceToken).event('nope').catch((e: Error) => (unknown = e.message));
    expect(unknown).to.match(/unknown event id 'nope'/);
  });
});
