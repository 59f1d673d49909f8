import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { readReferenceText, referenceDataPath } from '../../../sdk/reference-data';
import { EopUpdated, FileReceived, FileRejected } from '../../../interfaces/topics';
import { EopProviderToken } from '../../../interfaces/services/reference-data';
import { todayMjd } from '../tables';

const PLUGIN = path.join(__dirname, '..');
const FINALS = 'eop/iers-finals2000A.all';
const CELESTRAK = 'eop/celestrak-EOP-All-2025-06-04.txt';
const C04 = 'eop/orekit/eopc04_20.2022-now.csv';

// Values at table nodes are the file's own numbers (quoted in comments), converted to arcsec and
// seconds (finals2000A gives LOD and dX/dY in ms and mas). At a node the 4-point Lagrange
// interpolation of sdk/astro/eop returns the tabulated value up to rounding: tolerance 1e-12.
const TOL = 1e-12;

function fileReceived(file: string, fileId: string, kind: 'EOP' | 'LEAP_SECONDS' = 'EOP') {
  const bytes = fs.readFileSync(file);
  return {
    fileId,
    path: file,
    originalName: path.basename(file),
    kind,
    format: 'txt' as const,
    sizeBytes: bytes.length,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    inbox: 'test',
    owner: 'eop',
    receivedAtUtc: new Date().toISOString(),
  };
}

describe('eop plugin', function () {
  this.timeout(40_000);
  let tk: TestKernel | undefined;
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eop-test-'));
  });
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('starts with no config on finals2000A.all and serves the file rows, predictions and leap seconds', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN] });
    await tk.waitForState('eop', 'running');
    const eop = tk.service(EopProviderToken);
    const cov = await eop.coverage();
    // first row '73 1 2 41684.00 I …', last IERS row '26 820 61272.00 I …', last prediction MJD 61645
    expect(cov).to.include({ source: referenceDataPath(FINALS), firstMjd: 41684, lastMjd: 61645, lastObservedMjd: 61272 });

    const [obs, pred, before] = await eop.at([59580, 61406, 30000]);
    // '22 1 1 59580.00 I  0.054644 0.000026  0.276986 0.000032  I-0.1104988 0.0000023 -0.0267 0.0022  I     0.095    0.060    -0.250    0.299'
    expect(obs.predicted).to.equal(false);
    expect(obs.extrapolated).to.equal(false);
    expect(obs.xpArcsec).to.be.closeTo(0.054644, TOL);
    expect(obs.ypArcsec).to.be.closeTo(0.276986, TOL);
    expect(obs.ut1MinusUtcS).to.be.closeTo(-0.1104988, TOL);
    expect(obs.lodS).to.be.closeTo(-0.0267e-3, TOL);
    expect(obs.dXArcsec).to.be.closeTo(0.095e-3, TOL);
    expect(obs.dYArcsec).to.be.closeTo(-0.25e-3, TOL);
    // '27 1 1 61406.00 P  0.067509 0.010266  0.344948 0.014467  P-0.0900135 0.0115721'
    expect(pred.predicted).to.equal(true);
    expect(pred.xpArcsec).to.be.closeTo(0.067509, TOL);
    expect(pred.ut1MinusUtcS).to.be.closeTo(-0.0900135, TOL);
    // before the table: the first row is held ('73 1 2 … 0.120733 … 0.136966 … I 0.8084178')
    expect(before.extrapolated).to.equal(true);
    expect(before.xpArcsec).to.be.closeTo(0.120733, TOL);
    expect(before.ut1MinusUtcS).to.be.closeTo(0.8084178, TOL);

    // bundled leap seconds = USNO tai-utc.dat (41 entries, 1961-01-01 1.4228180 s … 2017-01-01 37 s)
    const leaps = await eop.leapSeconds();
    const usno = readReferenceText('eop/usno-tai-utc.dat').split('\n').filter((l) => l.includes('TAI-UTC='));
    expect(leaps).to.have.length(usno.length);
    expect(leaps[0]).to.deep.equal({ mjdUtc: 37300, taiMinusUtcS: 1.422818 });
    expect(leaps[leaps.length - 1]).to.deep.equal({ mjdUtc: 57754, taiMinusUtcS: 37 });

    await new Promise((r) => setTimeout(r, 300)); // a heartbeat
    const h = tk.status('eop')!.health!;
    const predAge = todayMjd() - 61273; // first 'P' row: '26 821 61273.00 P'
    expect(h.metrics).to.include({ rows: 19962, lastObservedMjd: 61272, predictionAgeDays: predAge, lastObservedAgeDays: todayMjd() - 61272, leapSecondEntries: 41 });
    expect(h.status).to.equal(predAge > 7 ? 'degraded' : 'ok');
    if (predAge > 7) expect(h.detail).to.contain(`predictions are ${predAge} days old (> 7)`);
  });

  it('loads CelesTrak EOP-All.txt (with dPsi/dEps) and the IERS C04 CSV; both give the same C04 values', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN], config: { plugins: { eop: { config: { file: `ref:${CELESTRAK}`, leapSecondsFile: 'ref:eop/usno-tai-utc.dat' } } } } });
    await tk.waitForState('eop', 'running');
    // '2022 01 01 59580  0.054651  0.276982 -0.1105073 -0.0000314 -0.111883 -0.005535  0.000066 -0.000221  37'
    const [c] = await tk.service(EopProviderToken).at([59580]);
    expect(c.xpArcsec).to.be.closeTo(0.054651, TOL);
    expect(c.ut1MinusUtcS).to.be.closeTo(-0.1105073, TOL);
    expect(c.lodS).to.be.closeTo(-0.0000314, TOL);
    expect(c.dPsiArcsec).to.be.closeTo(-0.111883, TOL);
    expect(c.dEpsArcsec).to.be.closeTo(-0.005535, TOL);
    expect(c.dXArcsec).to.be.closeTo(0.000066, TOL);
    const cov = await tk.service(EopProviderToken).coverage();
    expect(cov).to.include({ firstMjd: 37665, lastMjd: 61011, lastObservedMjd: 60830 }); // 1962-01-01 … 2025-12-02, observed to 2025-06-04
    await tk.stop();

    tk = await createTestKernel({ plugins: [PLUGIN], config: { plugins: { eop: { config: { file: `ref:${C04}` } } } } });
    await tk.waitForState('eop', 'running');
    // '59580;2022;01;01;;0.054651;…;0.276982;…;-0.1105073;0.0000134;-0.0000314;…;0.000066;0.000053;-0.000221;0.000056'
    const [v] = await tk.service(EopProviderToken).at([59580]);
    for (const k of ['xpArcsec', 'ypArcsec', 'ut1MinusUtcS', 'lodS', 'dXArcsec', 'dYArcsec'] as const) expect(v[k], k).to.be.closeTo(c[k]!, TOL);
    expect(v.dPsiArcsec).to.equal(undefined); // the C04 CSV leaves dPsi/dEps empty
  });

  it('a missing configured file: runs without a table, says so, and at() fails naming the reason', async () => {
    const missing = path.join(tmp, 'finals.all');
    tk = await createTestKernel({ plugins: [PLUGIN], config: { plugins: { eop: { config: { file: missing } } } } });
    await tk.waitForState('eop', 'running');
    await new Promise((r) => setTimeout(r, 300));
    const h = tk.status('eop')!.health!;
    expect(h.status).to.equal('degraded');
    expect(h.detail).to.contain(`configured file ${missing}`).and.contain('not found');
    expect(await tk.service(EopProviderToken).leapSeconds()).to.have.length(41); // the bundled table still serves
    try {
      await tk.service(EopProviderToken).at([60000]);
      expect.fail('no error');
    } catch (err) {
      expect((err as Error).message).to.match(/^eop: no EOP table loaded \(configured file .* not found\)/);
    }
  });

  it('a malformed configured file: runs without a table and health() gives the file and line', async () => {
    const bad = path.join(tmp, 'finals.all');
    const lines = readReferenceText(FINALS).split('\n').slice(0, 10);
    lines[4] = lines[4].slice(0, 18) + '  0.1x7227' + lines[4].slice(28);
    fs.writeFileSync(bad, lines.join('\n'));
    tk = await createTestKernel({ plugins: [PLUGIN], config: { plugins: { eop: { config: { file: bad } } } } });
    await tk.waitForState('eop', 'running');
    await new Promise((r) => setTimeout(r, 300));
    const h = tk.status('eop')!.health!;
    expect(h.status).to.equal('degraded');
    expect(h.detail).to.contain(`configured EOP file refused: ${bad} line 5:`);
  });

  it('file.received: newer EOP in, broken and older refused (table kept), leap seconds replaced; kept across a restart', async () => {
    const dataDir = path.join(tmp, 'var');
    const config = { kernel: { dataDir }, plugins: { eop: { config: { file: `ref:${C04}` } } } };
    tk = await createTestKernel({ plugins: [PLUGIN], config });
    await tk.waitForState('eop', 'running');
    const eop = tk.service(EopProviderToken);
    expect((await eop.coverage()).lastObservedMjd).to.equal(60184); // C04 to 2023-08-28

    const finals = path.join(tmp, 'finals2000A.all');
    fs.copyFileSync(referenceDataPath(FINALS), finals);
    const updated = tk.nextMessage(EopUpdated);
    tk.bus.publish(FileReceived, fileReceived(finals, 'e1'));
    expect(await updated).to.include({ source: 'finals2000A.all', firstMjd: 41684, lastMjd: 61645, lastObservedMjd: 61272, rows: 19962 });

    // broken: letters in the x-pole field of line 17897 (2022-01-01)
    const lines = readReferenceText(FINALS).split('\n');
    lines[17896] = lines[17896].slice(0, 18) + '  0.05x644' + lines[17896].slice(28);
    const broken = path.join(tmp, 'finals-broken.all');
    fs.writeFileSync(broken, lines.join('\n'));
    const rejected = tk.nextMessage(FileRejected);
    tk.bus.publish(FileReceived, fileReceived(broken, 'e2'));
    const r = await rejected;
    expect(r).to.include({ fileId: 'e2', rejectedBy: 'eop', line: 17897, kind: 'EOP' });
    expect(r.reason).to.match(/^finals-broken\.all line 17897: /);
    expect(fs.readFileSync(r.reasonFile, 'utf8')).to.contain('line 17897');
    expect((await eop.coverage()).source).to.equal('finals2000A.all');

    // older: the C04 file again
    const older = tk.nextMessage(FileRejected);
    tk.bus.publish(FileReceived, fileReceived(referenceDataPath(C04), 'e3'));
    expect((await older).reason).to.equal('older than the table in use: last observed 2023-08-28 < 2026-08-20 (finals2000A.all)');

    // leap seconds: the USNO file (kind LEAP_SECONDS) is accepted and the EOP table rebuilt with it
    const rebuilt = tk.nextMessage(EopUpdated);
    tk.bus.publish(FileReceived, fileReceived(referenceDataPath('eop/usno-tai-utc.dat'), 'l1', 'LEAP_SECONDS'));
    expect((await rebuilt).source).to.equal('finals2000A.all');
    // a table stopping at 2012 is older than the one in use
    const shortLeap = path.join(tmp, 'tai-utc.dat');
    fs.writeFileSync(shortLeap, readReferenceText('eop/usno-tai-utc.dat').split('\n').filter((l) => !/^ (2015|2017)/.test(l)).join('\n'));
    const olderLeap = tk.nextMessage(FileRejected);
    tk.bus.publish(FileReceived, fileReceived(shortLeap, 'l2', 'EOP')); // detected from its content
    expect((await olderLeap).reason).to.match(/older than the leap-second table in use: last entry 2012-07-01 < 2017-01-01/);
    expect(await eop.leapSeconds()).to.have.length(41);

    await tk.stop();
    tk = await createTestKernel({ plugins: [PLUGIN], config });
    await tk.waitForState('eop', 'running');
    expect(await tk.service(EopProviderToken).coverage()).to.include({ lastObservedMjd: 61272 });
    await new Promise((r) => setTimeout(r, 300));
    expect(tk.status('eop')!.health!.detail).to.contain('leap seconds: received earlier (41 entries, last 2017-01-01)');
  });
});
