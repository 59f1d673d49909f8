import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConjunctionSchema, type Conjunction } from '../../../interfaces/domain/conjunction';
import { CatalogToken } from '../../../interfaces/services/acquisition';
import { ConjunctionScreenerToken } from '../../../interfaces/services/collision';
import { ConjunctionDetected } from '../../../interfaces/topics';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { Sgp4PropagatorToken } from '../../../interfaces/services/propagation';
import { runScreenCli } from '../screen-command';
import { Sgp4Source, isoToMs } from '../objects';
import { temeToGcrf } from '../service';
import { mulMV } from '../../../sdk/astro/vec';
import { execFileSync } from 'node:child_process';
import { parseNdm, type Cdm } from '../../../sdk/ccsds';
import { referenceDataPath } from '../../../sdk/reference-data';

/**
 * The plugin in a real kernel with the modules it works with — tle-catalog, sgp4 — and the
 * simulator, which writes a synthetic catalog with ENGINEERED close approaches and a manifest
 * of their TCA and miss distance computed independently (simulator/encounter.ts: 10 µs
 * refinement of SGP4 on the written TLE text). Tolerances from the acceptance criteria of
 * issue 8: TCA within 10 ms, miss distance within 1 m.
 */
interface Manifest {
  epochUtc: string;
  fleet: { noradId: number; name: string }[];
  encounters: { primaryNoradId: number; secondaryNoradId: number; tcaUtc: string; missKm: number; relativeSpeedKmS: number }[];
  file: string;
}

const ROOT = path.join(__dirname, '../..');
const WINDOW_DAYS = 3;

function findFile(dir: string, re: RegExp): string | undefined {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const f = findFile(p, re);
      if (f) return f;
    } else if (re.test(e.name)) return p;
  }
  return undefined;
}

describe('conjunction-screening plugin (kernel with tle-catalog, sgp4 and the simulator)', function () {
  this.timeout(120_000);
  let tk: TestKernel | undefined;
  let tmp: string;
  let manifest: Manifest;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'screening-'));
    tk = await createTestKernel({
      plugins: [path.join(ROOT, 'simulator'), path.join(ROOT, 'tle-catalog'), path.join(ROOT, 'sgp4'), path.join(__dirname, '..')],
      config: {
        kernel: { dataDir: path.join(tmp, 'var') },
        plugins: {
          simulator: { config: { seed: 11, epochUtc: '2026-05-07', outputDir: path.join(tmp, 'inbox'), background: 300, encounters: 6, windowDays: WINDOW_DAYS } },
          'conjunction-screening': { config: { schedule: { cron: null, onCatalogUpdate: false } } },
        },
      },
    });
    const file = findFile(tk.dataDir, /^sim-catalog-.*\.json$/) ?? findFile(path.join(tmp, 'var'), /^sim-catalog-.*\.json$/);
    expect(file, 'simulator manifest').to.be.a('string');
    manifest = JSON.parse(fs.readFileSync(file!, 'utf8'));
    expect(manifest.encounters).to.have.length(6);
  });
  after(async () => {
    await tk?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('finds every engineered approach of the simulator (TCA within 10 ms, miss within 1 m of its manifest) and publishes them', async () => {
    const catalog = tk!.service(CatalogToken);
    const ing = await catalog.ingest(fs.readFileSync(manifest.file, 'utf8'), path.basename(manifest.file));
    expect(ing.rejected).to.deep.equal([]);
    const published = tk!.collect(ConjunctionDetected);
    const screener = tk!.service(ConjunctionScreenerToken);
    const start = `${manifest.epochUtc.slice(0, 19)}Z`;
    const stop = new Date(Date.parse(start) + WINDOW_DAYS * 86_400_000).toISOString();
    const r = await screener.screen({ primaries: manifest.fleet.map((f) => ({ noradId: f.noradId })), startUtc: start, stopUtc: stop, missDistanceKm: 5 });
    for (const enc of manifest.encounters) {
      const found = r.conjunctions.filter((c) => c.primary.noradId === enc.primaryNoradId && c.secondary.noradId === enc.secondaryNoradId);
      expect(found, `encounter ${enc.primaryNoradId}/${enc.secondaryNoradId}`).to.have.length.greaterThan(0);
      const best = found.reduce((a, b) => (Math.abs(Date.parse(a.tcaUtc) - Date.parse(enc.tcaUtc)) <= Math.abs(Date.parse(b.tcaUtc) - Date.parse(enc.tcaUtc)) ? a : b));
      expect(Math.abs(Date.parse(best.tcaUtc) - Date.parse(enc.tcaUtc)), `TCA of ${best.id}`).to.be.at.most(10);
      expect(Math.abs(best.missDistanceKm - enc.missKm) * 1000, `miss of ${best.id}`).to.be.at.most(1);
      expect(Math.abs(best.relativeSpeedKmS - enc.relativeSpeedKmS) * 1000, `relative speed of ${best.id}`).to.be.at.most(1);
      // geometry: |RTN position| is the miss distance; states are inertial (GCRF through the sgp4 service)
      const [rr, tt, nn] = best.relativePositionRtnKm;
      expect(Math.hypot(rr, tt, nn)).to.be.closeTo(best.missDistanceKm, 1e-9);
      expect(best.primary.stateAtTca?.frame).to.equal('GCRF');
      const dp = best.secondary.stateAtTca!.posKm.map((x, i) => x - best.primary.stateAtTca!.posKm[i]);
      expect(Math.hypot(...dp)).to.be.closeTo(best.missDistanceKm, 1e-6); // a rotation keeps distances (1 mm)
    }
    expect(r.stats.skipped).to.deep.equal([]);
    expect(r.stats.pairs).to.equal(manifest.fleet.length * (await catalog.size()) - manifest.fleet.length - (manifest.fleet.length * (manifest.fleet.length - 1)) / 2);
    // every record is a valid Conjunction and went out on conjunction.detected
    for (const c of r.conjunctions) ConjunctionSchema.parse(c);
    await new Promise((res) => setTimeout(res, 50));
    expect(published.messages.map((m: Conjunction) => m.id)).to.deep.equal(r.conjunctions.map((c) => c.id));
    published.dispose();
  });

  it('its SGP4 states are those of the propagator.sgp4 service (same satellite.js engine), to 1 mm', async () => {
    const catalog = tk!.service(CatalogToken);
    const { found } = await catalog.get([manifest.fleet[0].noradId, manifest.encounters[0].secondaryNoradId]);
    const at = '2026-05-08T03:17:42.125Z';
    const r = await tk!.service(Sgp4PropagatorToken).propagate({ subjects: found.map((e) => ({ id: String(e.elements.noradId), gp: e.elements })), times: { instantsUtc: [at] }, frame: 'TEME' });
    const buf = new Float64Array(6);
    found.forEach((e, i) => {
      const o = r.outcomes[i];
      if (!o.ok) throw new Error(o.error.message);
      expect(new Sgp4Source(e.elements).stateAt(isoToMs(at), buf)).to.equal(null);
      for (let k = 0; k < 3; k++) {
        expect(buf[k]).to.be.closeTo(o.posKm[0][k], 1e-6);
        expect(buf[3 + k]).to.be.closeTo(o.velKmS[0][k], 1e-9);
      }
    });
    // large surveys rotate TEME → GCRF here (service.ts temeToGcrf): same GCRF as the service, to 1 mm and 1 µm/s
    const g = await tk!.service(Sgp4PropagatorToken).propagate({ subjects: found.map((e) => ({ id: String(e.elements.noradId), gp: e.elements })), times: { instantsUtc: [at] }, frame: 'GCRF' });
    const R = temeToGcrf(isoToMs(at));
    found.forEach((e, i) => {
      const o = g.outcomes[i];
      if (!o.ok) throw new Error(o.error.message);
      new Sgp4Source(e.elements).stateAt(isoToMs(at), buf);
      const p = mulMV(R, [buf[0], buf[1], buf[2]]);
      const v = mulMV(R, [buf[3], buf[4], buf[5]]);
      for (let k = 0; k < 3; k++) {
        expect(p[k]).to.be.closeTo(o.posKm[0][k], 1e-6);
        expect(v[k]).to.be.closeTo(o.velKmS[0][k], 1e-9);
      }
    });
  });

  it('reports unknown and ephemeris primaries in stats.skipped and refuses malformed requests with the field named', async () => {
    const screener = tk!.service(ConjunctionScreenerToken);
    const start = `${manifest.epochUtc.slice(0, 19)}Z`;
    const r = await screener.screen({ primaries: [{ noradId: 12 }, { ephemerisId: 'OPS-SAT-OEM-1' }], secondaries: [manifest.fleet[0].noradId], startUtc: start, stopUtc: '2026-05-07T06:00:00Z' });
    expect(r.conjunctions).to.deep.equal([]);
    expect(r.stats.skipped.map((s) => s.id)).to.have.members(['12', 'OPS-SAT-OEM-1']);
    expect(r.stats.skipped.find((s) => s.id === '12')?.reason).to.match(/primary not in the catalog/);
    expect(r.stats.skipped.find((s) => s.id === 'OPS-SAT-OEM-1')?.reason).to.match(/ephemeris module/);
    let err: Error | undefined;
    try {
      await screener.screen({ primaries: [], startUtc: '2026-05-08T00:00:00Z', stopUtc: '2026-05-07T00:00:00Z' });
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).to.match(/stopUtc .* must be after startUtc/);
  });

  it('scoop screen: same approaches from the simulator file, JSON and CSV; usage errors exit 2 with the reason', async () => {
    const out: string[] = [];
    const errs: string[] = [];
    const io = { readFile: (p: string) => fs.readFileSync(p, 'utf8'), stdout: (t: string) => out.push(t), stderr: (t: string) => errs.push(t) };
    const primaries = [...new Set(manifest.encounters.map((e) => e.primaryNoradId))].join(',');
    const code = await runScreenCli(['screen', '--catalog', manifest.file, '--primary', primaries, '--start', manifest.epochUtc, '--hours', String(WINDOW_DAYS * 24), '--threshold-km', '5'], io);
    expect(code, errs.join('')).to.equal(0);
    const rows = JSON.parse(out.join('')) as { primary: string; secondary: string; tca: string; missDistanceM: number; relativeSpeedMps: number; rtnM: number[] }[];
    for (const enc of manifest.encounters) {
      const row = rows.find((x) => x.primary === String(enc.primaryNoradId) && x.secondary === String(enc.secondaryNoradId) && Math.abs(Date.parse(x.tca) - Date.parse(enc.tcaUtc)) < 1000);
      expect(row, `encounter ${enc.primaryNoradId}/${enc.secondaryNoradId}`).to.not.equal(undefined);
      expect(Math.abs(Date.parse(row!.tca) - Date.parse(enc.tcaUtc))).to.be.at.most(10);
      expect(Math.abs(row!.missDistanceM - enc.missKm * 1000)).to.be.at.most(1);
      expect(row!.rtnM).to.have.length(3);
    }
    out.length = 0;
    expect(await runScreenCli(['screen', '--catalog', manifest.file, '--primary', String(manifest.encounters[0].primaryNoradId), '--start', manifest.epochUtc, '--hours', '24', '--format', 'csv'], io)).to.equal(0);
    expect(out.join('').split('\n')[0]).to.equal('primary,secondary,tca,missDistanceM,relativeSpeedMps,rtnR_m,rtnT_m,rtnN_m');

    errs.length = 0;
    expect(await runScreenCli(['screen', '--catalog', manifest.file, '--start', manifest.epochUtc, '--hours', '1'], io)).to.equal(2);
    expect(errs.join('')).to.match(/either --primary .* or --all/);
    errs.length = 0;
    expect(await runScreenCli(['screen', '--catalog', manifest.file, '--all', '--start', manifest.epochUtc, '--hours', '1', '--format', 'cdm'], io)).to.equal(2);
    expect(errs.join('')).to.match(/--out DIR is required/);
    errs.length = 0;
    const bad = path.join(tmp, 'bad.tle');
    const lines = fs.readFileSync(manifest.file, 'utf8').split('\n');
    lines[1] = lines[1].slice(0, 68) + String((Number(lines[1][68]) + 1) % 10);
    fs.writeFileSync(bad, lines.join('\n'));
    expect(await runScreenCli(['screen', '--catalog', bad, '--all', '--start', manifest.epochUtc, '--hours', '1'], io)).to.equal(1);
    expect(errs.join('')).to.match(/bad\.tle:2: checksum/);
  });

  it('scoop screen --format cdm: one CDM per event (the cdm module\'s default TLE covariance, said in COMMENTs), strict KVN; XML valid against the NDM/XML schema', async () => {
    const out: string[] = [];
    const errs: string[] = [];
    const io = { readFile: (p: string) => fs.readFileSync(p, 'utf8'), stdout: (t: string) => out.push(t), stderr: (t: string) => errs.push(t) };
    const primaries = [...new Set(manifest.encounters.map((e) => e.primaryNoradId))].join(',');
    const common = ['screen', '--catalog', manifest.file, '--primary', primaries, '--start', manifest.epochUtc, '--hours', String(WINDOW_DAYS * 24), '--threshold-km', '5'];
    expect(await runScreenCli(common, io), errs.join('')).to.equal(0);
    const rows = JSON.parse(out.join('')) as { primary: string; secondary: string; tca: string; missDistanceM: number }[];
    out.length = 0;
    const dir = path.join(tmp, 'cdm-out');
    expect(await runScreenCli([...common, '--format', 'cdm', '--out', dir], io), errs.join('')).to.equal(0);
    const files = out.join('').trim().split('\n');
    expect(files).to.have.length(rows.length);
    expect(fs.readdirSync(dir).sort()).to.deep.equal(files.map((f) => path.basename(f)).sort());
    files.forEach((f, i) => {
      // one file per event, named by the event id: <primary>-<secondary>-<TCA to 10 min>
      expect(path.basename(f)).to.match(new RegExp(`^${rows[i].primary}-${rows[i].secondary}-\\d{8}T\\d{4}\\.cdm$`));
      const cdm = parseNdm(fs.readFileSync(f, 'utf8'), { file: f, mode: 'strict' }).message as Cdm;
      const tca = cdm.relativeMetadata.fields.TCA as { text?: string } | string;
      const tcaText = typeof tca === 'string' ? tca : String(tca.text);
      // the same event as the JSON output: TCA to the microsecond written, miss to 1 mm
      expect(Math.abs(isoToMs(tcaText.replace(/Z?$/, 'Z')) - isoToMs(rows[i].tca))).to.be.below(0.001);
      expect(cdm.relativeMetadata.fields.MISS_DISTANCE as number).to.be.closeTo(rows[i].missDistanceM, 1e-3);
      for (const o of cdm.objects) {
        expect(o.metadata.fields.COVARIANCE_METHOD).to.equal('DEFAULT');
        expect(o.metadata.comments.join('\n'), o.metadata.comments.join('\n')).to.match(/DEFAULT COVARIANCE \(operational assumption[^)]*\).*regime (LEO|MEO|GEO|HEO|GTO|OTHER), element age \d+\.\d\d d/s);
      }
    });
    out.length = 0;
    const xmlDir = path.join(tmp, 'cdm-xml');
    expect(await runScreenCli([...common, '--format', 'cdm', '--out', xmlDir, '--cdm-syntax', 'xml'], io), errs.join('')).to.equal(0);
    const xmlFiles = out.join('').trim().split('\n');
    expect(xmlFiles).to.have.length(rows.length);
    execFileSync('/usr/bin/xmllint', ['--noout', '--schema', referenceDataPath('ccsds/xsd/ndmxml-2.0.0-master-2.0.xsd'), ...xmlFiles], { stdio: 'pipe' });
    for (const f of xmlFiles) expect(parseNdm(fs.readFileSync(f, 'utf8'), { file: f, mode: 'strict' }).message.type).to.equal('CDM');
  });
});

describe('conjunction-screening routine: catalog.updated screens the protected assets and publishes', function () {
  this.timeout(120_000);
  let tk: TestKernel | undefined;
  let tmp: string;
  after(async () => {
    await tk?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a catalog update triggers a screening of protectedNoradIds from now on; the engineered approaches ahead are published', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'screening-routine-'));
    const fleet = [90000, 90001, 90002, 90003, 90004];
    tk = await createTestKernel({
      plugins: [path.join(ROOT, 'simulator'), path.join(ROOT, 'tle-catalog'), path.join(ROOT, 'sgp4'), path.join(__dirname, '..')],
      config: {
        kernel: { dataDir: path.join(tmp, 'var') },
        plugins: {
          // epoch null: 00:00 UTC today, so the engineered TCAs lie in the next days
          simulator: { config: { seed: 5, epochUtc: null, outputDir: path.join(tmp, 'inbox'), background: 100, encounters: 6, windowDays: 3 } },
          'conjunction-screening': { config: { protectedNoradIds: fleet, windowDays: 4, schedule: { cron: null, onCatalogUpdate: true } } },
        },
      },
    });
    const file = findFile(path.join(tmp, 'var'), /^sim-catalog-.*\.json$/) ?? findFile(tk.dataDir, /^sim-catalog-.*\.json$/);
    const m = JSON.parse(fs.readFileSync(file!, 'utf8')) as Manifest;
    expect(m.fleet.map((f) => f.noradId)).to.deep.equal(fleet);
    const ahead = m.encounters.filter((e) => Date.parse(e.tcaUtc) > Date.now() + 60_000);
    expect(ahead.length, 'engineered approaches still ahead').to.be.greaterThan(0);
    const published = tk.collect(ConjunctionDetected);
    await tk.service(CatalogToken).ingest(fs.readFileSync(m.file, 'utf8'), path.basename(m.file));
    const deadline = Date.now() + 60_000;
    const done = () => ahead.every((e) => published.messages.some((c: Conjunction) => c.primary.noradId === e.primaryNoradId && c.secondary.noradId === e.secondaryNoradId && Math.abs(Date.parse(c.tcaUtc) - Date.parse(e.tcaUtc)) <= 10));
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(done(), `published: ${published.messages.map((c: Conjunction) => c.id).join(', ')}`).to.equal(true);
    published.dispose();
  });
});
