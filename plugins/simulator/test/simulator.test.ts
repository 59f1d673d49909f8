import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { twoline2satrec, sgp4 } from 'satellite.js';
import { createTestKernel } from '../../../sdk/testing';
import { buildScenario, type ScenarioSpec } from '../scenario';
import { ssoInclinationDeg } from '../population';

const spec = (over: Partial<ScenarioSpec> = {}): ScenarioSpec => ({
  seed: 7,
  epochMsUtc: Date.UTC(2026, 4, 7),
  firstNoradId: 90000,
  fleet: { sso: 2, leo: 1, geo: 1 },
  background: 300,
  encounters: 5,
  windowDays: 5,
  missKm: [0.05, 2],
  ...over,
});

describe('simulator: scenario', function () {
  this.timeout(60_000);

  it('engineers close approaches that SGP4 on the written TLE text reproduces', () => {
    const s = buildScenario(spec());
    expect(s.encounters).to.have.length(5);
    const text = s.tle.split('\n');
    const recs = new Map<number, ReturnType<typeof twoline2satrec>>();
    for (let i = 0; i + 2 < text.length; i += 3) recs.set(Number(text[i + 1].slice(2, 7)), twoline2satrec(text[i + 1], text[i + 2]));
    expect(recs.size).to.equal(s.objects);
    for (const e of s.encounters) {
      // Independent check: distance on a 10 ms grid around the stated TCA, straight from satellite.js.
      const a = recs.get(e.primaryNoradId)!;
      const b = recs.get(e.secondaryNoradId)!;
      const at = (ms: number) => {
        const pa = sgp4(a, (ms - (a.jdsatepoch - 2440587.5) * 864e5) / 60000)!.position as { x: number; y: number; z: number };
        const pb = sgp4(b, (ms - (b.jdsatepoch - 2440587.5) * 864e5) / 60000)!.position as { x: number; y: number; z: number };
        return Math.hypot(pa.x - pb.x, pa.y - pb.y, pa.z - pb.z);
      };
      const tca = Date.parse(e.tcaUtc);
      let best = { ms: 0, d: Infinity };
      for (let ms = tca - 2000; ms <= tca + 2000; ms += 10) {
        const d = at(ms);
        if (d < best.d) best = { ms, d };
      }
      // At > 5 km/s the distance changes by > 5 cm per 10 ms off TCA: the grid minimum is within 10 ms and 1 m.
      expect(Math.abs(best.ms - tca), 'TCA (ms)').to.be.at.most(10);
      expect(Math.abs(best.d - e.missKm), 'miss (km)').to.be.below(0.001);
      // TLE columns round angles to 1e-4 deg (≈ 12 m at LEO radius, ≈ 74 m at GEO), so the
      // achieved miss stays within 0.2 km of the engineered one and the TCA within 0.1 s.
      expect(Math.abs(e.missKm - e.engineered.missKm), 'engineered vs achieved miss').to.be.below(0.2);
      expect(Math.abs(tca - Date.parse(e.engineered.tcaUtc))).to.be.below(100);
      expect(e.relativeSpeedKmS).to.be.above(0.5);
    }
  });

  it('is deterministic for a given seed and epoch, and differs with the seed', () => {
    const a = buildScenario(spec({ encounters: 1 }));
    const b = buildScenario(spec({ encounters: 1 }));
    const c = buildScenario(spec({ encounters: 1, seed: 8 }));
    expect(a.tle).to.equal(b.tle);
    expect(a.tle).not.to.equal(c.tle);
  });

  it('places fleet SSO satellites on sun-synchronous inclinations (J2 nodal rate = 0.9856 °/day)', () => {
    // Textbook values for circular sun-synchronous orbits (e.g. Boain 2004, AAS 04-108, table of
    // altitude vs inclination): 97.4° at 500 km, 98.6° at 800 km; tolerance 0.05° (table rounding).
    expect(ssoInclinationDeg(6378.137 + 800)).to.be.closeTo(98.6, 0.05);
    expect(ssoInclinationDeg(6378.137 + 500)).to.be.closeTo(97.4, 0.05);
  });
});

describe('simulator plugin', function () {
  this.timeout(60_000);

  it('drops the scenario into the inbox once per seed and epoch, with a manifest', async () => {
    const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'scoop-sim-inbox-'));
    const config = { plugins: { simulator: { config: { outputDir: inbox, epochUtc: '2026-05-07', background: 200, encounters: 2 } } } };
    const k = await createTestKernel({ plugins: [path.join(__dirname, '..')], config });
    try {
      expect(k.status('simulator')!.state).to.equal('running');
      const files = fs.readdirSync(inbox);
      expect(files).to.deep.equal(['sim-catalog-42-20260507.tle']);
      const tle = fs.readFileSync(path.join(inbox, files[0]), 'utf8').split('\n');
      expect(tle.length).to.equal(3 * (5 + 200 + 2) + 1);
      const manifest = JSON.parse(fs.readFileSync(path.join(k.dataDir, 'plugins', 'simulator', 'sim-catalog-42-20260507.json'), 'utf8'));
      expect(manifest.encounters).to.have.length(2);
      expect(manifest.file).to.equal(path.join(inbox, files[0]));
      expect(manifest.epochUtc).to.equal('2026-05-07T00:00:00.000Z');
      // Restarting the plugin does not drop the same catalog again.
      fs.unlinkSync(path.join(inbox, files[0]));
      expect((await k.kernel.reload('simulator')).ok).to.equal(true);
      expect(fs.readdirSync(inbox)).to.deep.equal([]);
    } finally {
      await k.stop();
    }
  });

  it('refuses an invalid configuration naming the key', async () => {
    const k = await createTestKernel({ plugins: [path.join(__dirname, '..')], config: { plugins: { simulator: { config: { missKm: { min: 3, max: 1 } } } } } }).catch((e: Error) => e);
    const text = k instanceof Error ? k.message : JSON.stringify((k as { status(n: string): unknown }).status('simulator'));
    if (!(k instanceof Error)) await (k as { stop(): Promise<void> }).stop();
    expect(text).to.match(/plugins\.simulator\.config\.missKm\.min/);
  });
});
