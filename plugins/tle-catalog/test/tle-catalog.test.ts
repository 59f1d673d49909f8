import { expect } from 'chai';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CatalogToken } from '../../../interfaces/services/acquisition';
import { CatalogUpdated, FileReceived, FileRejected } from '../../../interfaces/topics';
import { readReferenceText, referenceDataPath } from '../../../sdk/reference-data';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';

const PLUGIN = path.join(__dirname, '..');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('tle-catalog plugin', function () {
  this.timeout(20_000);
  let tk: TestKernel | undefined;
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tle-catalog-'));
  });
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const boot = (config: Record<string, unknown> = {}) =>
    createTestKernel({ plugins: [PLUGIN], config: { kernel: { dataDir: path.join(tmp, 'var') }, plugins: { 'tle-catalog': { config } } } });

  it('ingests the active catalog through the service, publishes catalog.updated, answers get/list and keeps it across a restart', async () => {
    tk = await boot({ hbrTablePath: referenceDataPath('collision/nasa-cara-hbr/HBR_Mass_Estimates_20260601_ForDistribution.csv') });
    const updated = tk.nextMessage(CatalogUpdated);
    const catalog = tk.service(CatalogToken);
    const r = await catalog.ingest(readReferenceText('tle/celestrak-active-2026-05-07.txt'), 'celestrak-active-2026-05-07.txt');
    expect(r).to.deep.equal({ added: 15347, updated: 0, rejected: [] });
    const msg = await updated;
    expect(msg).to.include({ source: 'celestrak-active-2026-05-07.txt', added: 15347, updated: 0, rejected: 0, total: 15347 });
    expect(msg.changedNoradIds).to.have.length(15347);
    expect(await catalog.size()).to.equal(15347);

    const got = await catalog.get([25544, 999999 - 700000]);
    expect(got.missing).to.deep.equal([299999]);
    expect(got.found[0].elements.objectName).to.equal('ISS (ZARYA)');
    // ISS row of the CARA table: 25544,66.1,0,CARA Protected Primary,419725,0,CARA Protected Primary.
    expect(got.found[0].hardBody).to.deep.equal({ radiusM: 66.1, radiusSigmaM: 0, radiusSource: 'CARA Protected Primary', massKg: 419725, massSigmaKg: 0, massSource: 'CARA Protected Primary' });
    // Age is computed against the clock: the 2026-05-07 sets are ≥ 0 days old, more than 14 gets a warning.
    expect(got.found[0].ageDays).to.be.closeTo((Date.now() - Date.parse(got.found[0].elements.epochUtc)) / 86400e3, 1e-3);

    const geo = await catalog.list({ regime: 'GEO', limit: 5 });
    // 811 objects of the file are not LEO (SOURCES.md); GEO is a subset of those.
    expect(geo.total).to.be.greaterThan(300).and.lessThan(811);
    expect(geo.entries).to.have.length(5);
    const starlink = await catalog.list({ namePattern: 'STARLINK-1*', limit: 2 });
    expect(starlink.total).to.be.greaterThan(100);
    expect(starlink.entries.every((e) => /^STARLINK-1/.test(e.elements.objectName ?? ''))).to.equal(true);

    // Ingesting the same text again: nothing new.
    expect(await catalog.ingest(readReferenceText('tle/celestrak-active-2026-05-07.txt'), 'again')).to.deep.equal({ added: 0, updated: 0, rejected: [] });
    await tk.stop();

    tk = await boot();
    const again = tk.service(CatalogToken);
    expect(await again.size()).to.equal(15347);
    const iss = (await again.get([25544])).found[0];
    expect(iss.elements).to.deep.equal(got.found[0].elements);
    expect(iss.hardBody, 'no HBR table configured in this run').to.equal(undefined);
  });

  it('keeps history across restarts and answers history() by UTC window (SPOT-5, 250 sets)', async () => {
    tk = await boot();
    const catalog = tk.service(CatalogToken);
    // Two halves in two ingests, across a restart.
    const lines = readReferenceText('tle/orekit/spot-5.tle').split('\n');
    expect(await catalog.ingest(lines.slice(0, 250).join('\n'), 'spot-5 part 1')).to.deep.include({ added: 1 });
    await tk.stop();
    tk = await boot();
    const c2 = tk.service(CatalogToken);
    expect(await c2.ingest(lines.slice(250).join('\n'), 'spot-5 part 2')).to.deep.include({ added: 0, updated: 1 });
    const all = await c2.history(27421, '2002-01-01T00:00:00Z', '2003-01-01T00:00:00Z');
    expect(all).to.have.length(250);
    const may = await c2.history(27421, '2002-05-01T00:00:00Z', '2002-05-31T23:59:59.999999Z');
    expect(may.length).to.be.greaterThan(50).and.lessThan(250);
    expect(may.every((s) => s.epochUtc.startsWith('2002-05'))).to.equal(true);
  });

  it('ingests TLE and OMM files handed over by file.received and refuses unusable ones with a .reason file', async () => {
    tk = await boot();
    const done = path.join(tmp, 'done');
    fs.mkdirSync(done);
    const put = (name: string, text: string) => {
      const p = path.join(done, name);
      fs.writeFileSync(p, text);
      return { fileId: name, path: p, originalName: name, format: 'txt' as const, sizeBytes: text.length, sha256: sha(text), inbox: 'test', owner: 'tle-catalog', receivedAtUtc: '2026-05-07T12:00:00Z' };
    };
    const u1 = tk.nextMessage(CatalogUpdated);
    tk.bus.publish(FileReceived, { ...put('stations.txt', readReferenceText('tle/celestrak-stations-2025-06-29.txt')), kind: 'TLE' });
    expect(await u1).to.include({ source: 'stations.txt', added: 13 });
    const u2 = tk.nextMessage(CatalogUpdated);
    tk.bus.publish(FileReceived, { ...put('goes9.xml', readReferenceText('ccsds/orekit/odm/omm/OMM-with-units.xml')), kind: 'OMM', format: 'xml' });
    expect(await u2).to.include({ source: 'goes9.xml', added: 1 });
    expect((await tk.service(CatalogToken).get([23581])).found[0].elements.objectName).to.equal('GOES-9');
    // Another module's file is not ours.
    tk.bus.publish(FileReceived, { ...put('x.tle', readReferenceText('tle/celestrak-visual-2026-05-07.txt')), kind: 'TLE', owner: 'someone-else' });
    // An OMM that is not SGP4: nothing usable → file.rejected with the reason, kept where it is.
    const rej = tk.nextMessage(FileRejected);
    tk.bus.publish(FileReceived, { ...put('theory.txt', readReferenceText('ccsds/orekit/odm/omm/OMMExample3.txt')), kind: 'OMM', format: 'kvn' });
    const m = await rej;
    expect(m).to.include({ originalName: 'theory.txt', rejectedBy: 'tle-catalog', line: 14, keptAt: path.join(done, 'theory.txt') });
    expect(fs.readFileSync(m.reasonFile, 'utf8')).to.match(/^line 14: keyword MEAN_ELEMENT_THEORY: 'SOME THEORY' is not SGP4/);
    expect(await tk.service(CatalogToken).size()).to.equal(14);
  });

  it('fetches GP data from a configured source on start (local HTTP server) and logs a failing source without crashing', async () => {
    const body = readReferenceText('tle/celestrak-visual-2026-05-07.txt');
    let hits = 0;
    const server = http.createServer((req, res) => {
      hits++;
      if (req.url === '/gp.php?GROUP=visual&FORMAT=tle') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(body);
      } else {
        res.writeHead(404);
        res.end('not found');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const expected = readReferenceText('tle/celestrak-visual-2026-05-07.txt').split(/\r?\n/).filter((l) => l.startsWith('1 ')).length;
      const pending = createTestKernel({
        plugins: [PLUGIN],
        config: {
          kernel: { dataDir: path.join(tmp, 'var') },
          plugins: {
            'tle-catalog': {
              config: {
                fetch: {
                  enabled: true,
                  sources: [
                    { name: 'missing', url: `http://127.0.0.1:${port}/nothing` },
                    { name: 'visual', url: `http://127.0.0.1:${port}/gp.php?GROUP=visual&FORMAT=tle` },
                  ],
                },
              },
            },
          },
        },
      });
      tk = await pending;
      const deadline = Date.now() + 10_000;
      while ((await tk.service(CatalogToken).size()) < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await tk.service(CatalogToken).size()).to.equal(expected);
      expect(hits).to.equal(2);
      expect(tk.status('tle-catalog')?.state).to.equal('running');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
