import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { readReferenceText, referenceDataPath } from '../../../sdk/reference-data';
import { FileReceived, FileRejected, GravityFieldUpdated } from '../../../interfaces/topics';
import { GravityFieldProviderToken } from '../../../interfaces/services/reference-data';
import { GravityFieldSchema } from '../../../interfaces/domain/reference-data';

const PLUGIN = path.join(__dirname, '..');

function fileReceived(file: string, fileId: string) {
  const bytes = fs.readFileSync(file);
  return {
    fileId,
    path: file,
    originalName: path.basename(file),
    kind: 'GRAVITY' as const,
    format: 'other' as const,
    sizeBytes: bytes.length,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    inbox: 'test',
    owner: 'gravity-field',
    receivedAtUtc: new Date().toISOString(),
  };
}

async function rejects(p: Promise<unknown>, text: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect((err as Error).message).to.contain(text);
    return;
  }
  expect.fail('no error');
}

describe('gravity-field plugin in a kernel', function () {
  this.timeout(30_000);
  let tk: TestKernel | undefined;
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'grav-test-'));
  });
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('starts with no config on EGM2008 (default) and JGM-3, serving truncated fully normalized fields', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN] });
    await tk.waitForState('gravity-field', 'running');
    const g = tk.service(GravityFieldProviderToken);
    expect(await g.models()).to.deep.equal([
      { name: 'EGM2008', degree: 120, order: 120, source: referenceDataPath('gravity/brahe/EGM2008_120.gfc') },
      { name: 'JGM3', degree: 70, order: 70, source: referenceDataPath('gravity/brahe/JGM3.gfc') },
    ]);
    const f = await g.coefficients({ degree: 4, order: 2 });
    expect(GravityFieldSchema.safeParse(f).success).to.equal(true);
    expect(f).to.include({ name: 'EGM2008', degree: 4, order: 2, muKm3S2: 398600.4415, radiusKm: 6378.1363, tideSystem: 'tide_free' });
    expect(f.cnm.map((r) => r.length)).to.deep.equal([1, 2, 3, 3, 3]);
    expect(f.cnm[2][0]).to.equal(-0.484165143790815e-3); // Pavlis et al. 2012 (exact: same digits)
    const j = await g.coefficients({ degree: 2, order: 2, model: 'JGM3' });
    expect(j.cnm[2][0]).to.equal(-0.484169548456e-3); // file value; published −0.48416954845647e−3 (parse.test.ts)
    await rejects(g.coefficients({ degree: 2, order: 2, model: 'GGM05' }), "unknown model 'GGM05' (loaded: EGM2008, JGM3)");
    await rejects(g.coefficients({ degree: 71, order: 0, model: 'JGM3' }), 'JGM3 goes to degree 70, 71 requested');
    await new Promise((r) => setTimeout(r, 300));
    expect(tk.status('gravity-field')!.health).to.deep.include({ status: 'ok', metrics: { models: 2, maxDegree: 120 } });
  });

  it('missing model files: runs with none, says so, and calls fail naming the reason', async () => {
    const missing = path.join(tmp, 'EGM.gfc');
    tk = await createTestKernel({ plugins: [PLUGIN], config: { plugins: { 'gravity-field': { config: { models: [{ file: missing }] } } } } });
    await tk.waitForState('gravity-field', 'running');
    await new Promise((r) => setTimeout(r, 300));
    const h = tk.status('gravity-field')!.health!;
    expect(h.status).to.equal('degraded');
    expect(h.detail).to.contain('no gravity model loaded').and.contain(`configured model file ${missing}`);
    await rejects(tk.service(GravityFieldProviderToken).coefficients({ degree: 2, order: 2 }), 'gravity-field: no model loaded (configured model file');
  });

  it('NGA EGM file (gzipped) from config with a time-variable ICGEM model at a configured epoch', async () => {
    tk = await createTestKernel({
      plugins: [PLUGIN],
      config: {
        plugins: {
          'gravity-field': {
            config: {
              models: [
                { file: 'ref:gravity/orekit/egm96_to5.ascii.gz', name: 'EGM96' },
                { file: 'ref:gravity/orekit/eigen-6s-truncated', epochUtc: '2006-01-01T06:00:00Z' },
              ],
              defaultModel: 'EGM96',
            },
          },
        },
      },
    });
    await tk.waitForState('gravity-field', 'running');
    const g = tk.service(GravityFieldProviderToken);
    const e = await g.coefficients({ degree: 2, order: 2 });
    expect(e.name).to.equal('EGM96');
    expect([e.cnm[2][0], e.cnm[2][2], e.snm[2][2]]).to.deep.equal([-0.484165371736e-3, 0.243914352398e-5, -0.140016683654e-5]); // Lemoine et al. 1998
    await rejects(g.coefficients({ degree: 5, order: 5 }), 'has no coefficient (5, 3)');
    // 2006-01-01T06:00Z = t0 (2005-01-01) + one Julian year: gfct + trnd + acos1 + acos2 (file lines of (2, 0))
    const six = await g.coefficients({ degree: 2, order: 0, model: 'EIGEN-6S' });
    expect(six.cnm[2][0]).to.be.closeTo(-4.8416529982e-4 - 1.26059939709e-11 + 4.10019292536e-11 + 3.33920225943e-11, 1e-22);
  });

  it('file.received: a new model is added (kept across a restart), a broken one refused with its line', async () => {
    const dataDir = path.join(tmp, 'var');
    const config = { kernel: { dataDir }, plugins: { 'gravity-field': { config: { models: [{ file: 'ref:gravity/brahe/JGM3.gfc' }] } } } };
    tk = await createTestKernel({ plugins: [PLUGIN], config });
    await tk.waitForState('gravity-field', 'running');
    const eigen = path.join(tmp, 'eigen5c.gfc');
    fs.copyFileSync(referenceDataPath('gravity/orekit/g007_eigen_05c_coef'), eigen);
    const updated = tk.nextMessage(GravityFieldUpdated);
    tk.bus.publish(FileReceived, fileReceived(eigen, 'g1'));
    expect(await updated).to.deep.equal({ name: 'EIGEN-5C', degree: 8, order: 8, source: 'eigen5c.gfc' });

    const lines = readReferenceText('gravity/orekit/g007_eigen_05c_coef').split('\n');
    const at = lines.findIndex((l) => l.startsWith('gfc    3    1'));
    lines[at] = lines[at].replace(/D-05/, 'Q-05');
    const broken = path.join(tmp, 'broken.gfc');
    fs.writeFileSync(broken, lines.join('\n'));
    const rejected = tk.nextMessage(FileRejected);
    tk.bus.publish(FileReceived, fileReceived(broken, 'g2'));
    const r = await rejected;
    expect(r).to.include({ fileId: 'g2', rejectedBy: 'gravity-field', line: at + 1, kind: 'GRAVITY' });
    expect(r.reason).to.match(new RegExp(`^broken\\.gfc:${at + 1}: C/S `));
    expect((await tk.service(GravityFieldProviderToken).models()).map((m) => m.name)).to.deep.equal(['JGM3', 'EIGEN-5C']);

    await tk.stop();
    tk = await createTestKernel({ plugins: [PLUGIN], config });
    await tk.waitForState('gravity-field', 'running');
    expect((await tk.service(GravityFieldProviderToken).models()).map((m) => m.name)).to.deep.equal(['JGM3', 'EIGEN-5C']);
  });
});
