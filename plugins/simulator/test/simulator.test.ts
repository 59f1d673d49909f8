import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { twoline2satrec, sgp4 } from 'satellite.js';
import { readReferenceText } from '../../../sdk/reference-data';
import { createTestKernel } from '../../../sdk/testing';
import { buildScenario, type ScenarioSpec } from '../scenario';
import { formatCatalogNumber, formatImpliedExponent, formatTle, tleChecksum } from '../tle-format';
import { ssoInclinationDeg } from '../population';

/** Reads the fields of a real TLE by column (CelesTrak's format description), independently of the writer. */
function fieldsOf(l1: string, l2: string) {
  const year2 = Number(l1.slice(18, 20));
  const year = year2 < 57 ? 2000 + year2 : 1900 + year2;
  const doy = Number(l1.slice(20, 32));
  const implied = (s: string) => Number(`${s[0] === '-' ? '-' : ''}0.${s.slice(1, 6)}e${s.slice(6, 8)}`);
  const intl = l1.slice(9, 17).trim();
  return {
    noradId: Number(l1.slice(2, 7)),
    classification: l1[7] as 'U',
    objectId: `${year2 < 57 ? 20 : 19}${intl.slice(0, 2)}-${intl.slice(2, 5)}${intl.slice(5)}`,
    epochMsUtc: Date.UTC(year, 0, 1) + (doy - 1) * 86_400_000,
    ndotRevPerDay2: Number(l1.slice(33, 43).replace(' .', '0.').replace('-.', '-0.')),
    nddotRevPerDay3: implied(l1.slice(44, 52)),
    bstar: implied(l1.slice(53, 61)),
    elementSetNo: Number(l1.slice(64, 68)),
    inclinationDeg: Number(l2.slice(8, 16)),
    raanDeg: Number(l2.slice(17, 25)),
    eccentricity: Number(`0.${l2.slice(26, 33)}`),
    argPericenterDeg: Number(l2.slice(34, 42)),
    meanAnomalyDeg: Number(l2.slice(43, 51)),
    meanMotionRevPerDay: Number(l2.slice(52, 63)),
    revAtEpoch: Number(l2.slice(63, 68)),
  };
}

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

describe('simulator: TLE writer', () => {
  it('rewrites real catalog lines byte for byte (CelesTrak active catalog, 2,000 objects)', () => {
    const lines = readReferenceText('tle/celestrak-active-2026-05-07.txt').split(/\r?\n/);
    let checked = 0;
    const mismatches: string[] = [];
    for (let i = 0; i + 2 < lines.length && checked < 2000; i += 3) {
      const [l1, l2] = [lines[i + 1], lines[i + 2]];
      if (!/^[0-9]{5}$/.test(l1.slice(2, 7)) || l1.slice(9, 17).trim().length < 6) continue; // Alpha-5 and blank designators are covered below
      const f = fieldsOf(l1, l2);
      // Epoch: written from ms, so compare the epoch field through the day fraction the writer produces.
      const [w1, w2] = formatTle(f);
      checked++;
      if (w2 !== l2) mismatches.push(`line 2 of ${f.noradId}:\n  ${l2}\n  ${w2}`);
      // The 8-decimal day fraction survives the ms round trip except for sub-ms digits (a 1e-8 day is 0.864 ms).
      if (w1.slice(0, 18) + w1.slice(32) !== l1.slice(0, 18) + l1.slice(32) || Math.abs(Number(w1.slice(20, 32)) - Number(l1.slice(20, 32))) > 1.5e-8) mismatches.push(`line 1 of ${f.noradId}:\n  ${l1}\n  ${w1}`);
    }
    expect(checked).to.equal(2000);
    expect(mismatches.slice(0, 5), `${mismatches.length} mismatches`).to.deep.equal([]);
  });

  it('writes Alpha-5 catalog numbers, checksums and implied exponents as the format defines', () => {
    expect(formatCatalogNumber(25544)).to.equal('25544');
    expect(formatCatalogNumber(100000)).to.equal('A0000');
    expect(formatCatalogNumber(180123)).to.equal('J0123'); // A=10 … H=17, J=18 (I skipped)
    expect(formatCatalogNumber(339999)).to.equal('Z9999');
    expect(() => formatCatalogNumber(340000)).to.throw(/0\.\.339999/);
    // ISS line 1 from Vallado et al. 2006 / CelesTrak documentation: checksum 7.
    expect(tleChecksum('1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  292')).to.equal(7);
    expect(formatImpliedExponent(-1.1606e-5)).to.equal('-11606-4');
    expect(formatImpliedExponent(6.4291e-4)).to.equal(' 64291-3');
    expect(formatImpliedExponent(0)).to.equal(' 00000+0');
  });
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
