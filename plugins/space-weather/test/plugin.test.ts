import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { referenceDataPath } from '../../../sdk/reference-data';
import { FileReceived, FileRejected, SpaceWeatherUpdated } from '../../../interfaces/topics';
import { SpaceWeatherProviderToken } from '../../../interfaces/services/reference-data';

const PLUGIN = path.join(__dirname, '..');

function fileReceived(file: string, fileId: string) {
  const bytes = fs.readFileSync(file);
  return {
    fileId,
    path: file,
    originalName: path.basename(file),
    kind: 'SPACE_WEATHER' as const,
    format: 'txt' as const,
    sizeBytes: bytes.length,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    inbox: 'test',
    owner: 'space-weather',
    receivedAtUtc: new Date().toISOString(),
  };
}

describe('space-weather plugin in a kernel', function () {
  this.timeout(30_000);
  let tk: TestKernel | undefined;
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-test-'));
  });
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('starts with no config on the reference SW-All.txt and serves it', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN] });
    await tk.waitForState('space-weather', 'running');
    const sw = tk.service(SpaceWeatherProviderToken);
    expect(await sw.coverage()).to.deep.equal({ source: referenceDataPath('space-weather/celestrak-SW-All-2026-08-22.txt'), firstDate: '1957-10-01', lastDate: '2041-10-01', lastObservedDate: '2026-08-21' });
    const [obs, pred, month] = await sw.daily(['2026-08-21', '2026-09-13', '2026-11-01']);
    expect(obs).to.include({ dateUtc: '2026-08-21', kind: 'observed', f107ObsSfu: 125.6, apDaily: 6, predicted: false, extrapolated: false });
    expect(pred).to.include({ kind: 'daily-predicted', predicted: true, f107AdjSfu: 130 });
    expect(month).to.include({ kind: 'monthly-predicted', predicted: true, f107ObsSfu: 121.1 });
    const [inputs] = await sw.atmosphereInputs(['2026-08-21T10:30:00Z']);
    expect(inputs.f107PrevDaySfu).to.equal(124.7);
    const h = tk.status('space-weather')!;
    expect(h.health?.metrics?.rows).to.equal(25162 + 45 + 180);
    expect(h.health?.metrics?.lastObservedMjd).to.equal(61273); // 2026-08-21
  });

  it('a missing configured file: runs without a table and says so; calls fail with the reason', async () => {
    const missing = path.join(tmp, 'nope.txt');
    tk = await createTestKernel({ plugins: [PLUGIN], config: { plugins: { 'space-weather': { config: { file: missing } } } } });
    await tk.waitForState('space-weather', 'running');
    await new Promise((r) => setTimeout(r, 300)); // one heartbeat (200 ms in the test kernel)
    const h = tk.status('space-weather')!;
    expect(h.health?.status).to.equal('degraded');
    expect(h.health?.detail).to.contain(`configured file ${missing} (${missing}) not found`);
    try {
      await tk.service(SpaceWeatherProviderToken).daily(['2026-01-01']);
      expect.fail('no error');
    } catch (err) {
      expect((err as Error).message).to.contain('space-weather: no table loaded').and.contain('not found');
    }
  });

  it('takes a newer file from file.received, refuses a broken or older one and keeps the table in use', async () => {
    // small files keep the test quick: Orekit's reduced CSSI file (observed to 2020-02-22) is
    // configured, CelesTrak SW-Last5Years (observed to 2025-03-12) arrives as the newer table
    const dataDir = path.join(tmp, 'var');
    const reduced = referenceDataPath('space-weather/orekit/SpaceWeather-All-v1.2_reduced.txt');
    const config = { kernel: { dataDir }, plugins: { 'space-weather': { config: { file: reduced } } } };
    tk = await createTestKernel({ plugins: [PLUGIN], config });
    await tk.waitForState('space-weather', 'running');
    const sw = tk.service(SpaceWeatherProviderToken);
    expect((await sw.coverage()).lastObservedDate).to.equal('2020-02-22');

    const newer = path.join(tmp, 'SW-Last5Years.txt');
    fs.copyFileSync(referenceDataPath('space-weather/celestrak-SW-Last5Years-2025-03-13.txt'), newer);
    const updated = tk.nextMessage(SpaceWeatherUpdated);
    tk.bus.publish(FileReceived, fileReceived(newer, 'f1'));
    // NUM_OBSERVED_POINTS 1898 + NUM_DAILY_PREDICTED_POINTS 45 + NUM_MONTHLY_PREDICTED_POINTS 198 in the file's header
    expect(await updated).to.include({ source: 'SW-Last5Years.txt', firstDate: '2020-01-01', lastObservedDate: '2025-03-12', lastDate: '2041-10-01', rows: 1898 + 45 + 198 });
    expect((await sw.coverage()).lastObservedDate).to.equal('2025-03-12');

    // broken: a letter in line 20's adjusted F10.7
    const broken = path.join(tmp, 'SW-broken.txt');
    const lines = fs.readFileSync(newer, 'utf8').split('\n');
    lines[19] = lines[19].slice(0, 93) + 'x' + lines[19].slice(94);
    fs.writeFileSync(broken, lines.join('\n'));
    const rejected = tk.nextMessage(FileRejected);
    tk.bus.publish(FileReceived, fileReceived(broken, 'f2'));
    const r = await rejected;
    expect(r).to.include({ fileId: 'f2', rejectedBy: 'space-weather', line: 20, kind: 'SPACE_WEATHER' });
    expect(r.reason).to.match(/^SW-broken\.txt:20: column 93-98 \(f107Adj\)/);
    expect(fs.readFileSync(r.reasonFile, 'utf8')).to.contain('SW-broken.txt:20');
    expect(fs.existsSync(r.keptAt)).to.equal(true);
    expect((await sw.coverage()).source).to.equal('SW-Last5Years.txt');

    // older: the reduced file again
    const older = tk.nextMessage(FileRejected);
    tk.bus.publish(FileReceived, fileReceived(reduced, 'f3'));
    expect((await older).reason).to.equal('older than the table in use: last observed 2020-02-22 < 2025-03-12 (SW-Last5Years.txt)');
    await new Promise((r) => setTimeout(r, 300));
    expect(tk.status('space-weather')!.health?.detail).to.contain('refused');

    // a restart on the same data folder keeps the received table
    await tk.stop();
    tk = await createTestKernel({ plugins: [PLUGIN], config });
    await tk.waitForState('space-weather', 'running');
    expect((await tk.service(SpaceWeatherProviderToken).coverage()).lastObservedDate).to.equal('2025-03-12');
  });

  it('ignores file.received for another module or kind', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN], config: { plugins: { 'space-weather': { config: { file: path.join(tmp, 'none.txt') } } } } });
    await tk.waitForState('space-weather', 'running');
    const seen = tk.collect(SpaceWeatherUpdated);
    const f = path.join(tmp, 'SW.txt');
    fs.copyFileSync(referenceDataPath('space-weather/orekit/SpaceWeather-All-v1.2_reduced.txt'), f);
    tk.bus.publish(FileReceived, { ...fileReceived(f, 'a'), owner: 'eop' });
    tk.bus.publish(FileReceived, { ...fileReceived(f, 'b'), kind: 'EOP' });
    tk.bus.publish(FileReceived, fileReceived(f, 'c'));
    for (let i = 0; i < 100 && seen.messages.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.messages.map((m) => m.source)).to.deep.equal(['SW.txt']);
  });
});
