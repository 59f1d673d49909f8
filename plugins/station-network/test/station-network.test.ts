import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { definePlugin } from '../../../sdk';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { readReferenceText } from '../../../sdk/reference-data';
import { StationsUpdated } from '../../../interfaces/topics';
import { StationNetworkToken } from '../../../interfaces/services/reference-data';
import { GroundStationSchema } from '../../../interfaces/domain/station';
import { DEFAULT_STATIONS } from '../defaults';
import { Network } from '../network';

const PLUGIN = path.join(__dirname, '..');

describe('station-network default configuration against the NASA NDOSL file', () => {
  // Table 2 of NAIF's ndosl_140530_v01 comment file:
  // "   AUSS  4259   43 25 43.3056    1 29 57.8832   260.479" (code, number, lat d m s, E lon d m s, height m)
  const text = readReferenceText('ground-stations/naif-ndosl/ndosl_140530_v01.cmt');
  const table2 = (code: string) => {
    const m = new RegExp(`^\\s+${code}\\s+(\\d{4})\\s+(-?\\d+)\\s+(\\d+)\\s+([\\d.]+)\\s+(\\d+)\\s+(\\d+)\\s+([\\d.]+)\\s+(-?[\\d.]+)`, 'm').exec(text);
    if (!m) throw new Error(`${code} not in NDOSL Table 2`);
    const dms = (d: string, mi: string, s: string) => (d.startsWith('-') ? -1 : 1) * (Math.abs(Number(d)) + Number(mi) / 60 + Number(s) / 3600);
    const lonE = dms(m[5], m[6], m[7]);
    return { nasa: m[1], latDeg: dms(m[2], m[3], m[4]), lonDeg: lonE > 180 ? lonE - 360 : lonE, heightM: Number(m[8]) };
  };
  // the SPICE kernel's own decimal conversion: "NDOSL_AUSS_LATLON = ( 43.4286960000, 1.4994120000, 0.260479 )" (deg, deg, km)
  const latlon = (code: string) => {
    const m = new RegExp(`NDOSL_${code}_LATLON\\s*=\\s*\\(\\s*(\\S+),\\s*(\\S+),\\s*(\\S+)\\s*\\)`).exec(text)!;
    const lon = Number(m[2]);
    return { latDeg: Number(m[1]), lonDeg: lon > 180 ? lon - 360 : lon, heightM: Number(m[3]) * 1000 };
  };

  for (const code of ['AUSS', 'KRUS', 'KIXS', 'HBKS']) {
    it(`${code}: position as in NDOSL Table 2 and in the kernel's LATLON (1e-9 deg, 1e-6 m)`, () => {
      const s = DEFAULT_STATIONS.find((x) => x.id === code)!;
      const t = table2(code);
      const k = latlon(code);
      for (const ref of [t, k]) {
        expect(s.latDeg).to.be.closeTo(ref.latDeg, 1e-9);
        expect(s.lonDeg).to.be.closeTo(ref.lonDeg, 1e-9);
        expect(s.heightM).to.be.closeTo(ref.heightM, 1e-6);
      }
      expect(s.source).to.contain(`STDN ${code} / NASA ${Number(t.nasa)}`);
    });
  }

  it('the five stations are valid GroundStations, Toulouse marked approximate', () => {
    expect(DEFAULT_STATIONS.map((s) => s.name)).to.deep.equal(['Aussaguel', 'Kourou', 'Kiruna', 'Hartebeesthoek', 'Toulouse']);
    for (const s of DEFAULT_STATIONS) expect(GroundStationSchema.safeParse(s).success, s.id).to.equal(true);
    const tlse = DEFAULT_STATIONS.find((s) => s.id === 'TLSE')!;
    expect(tlse.source).to.match(/^APPROXIMATE/);
    expect([tlse.latDeg, tlse.lonDeg]).to.deep.equal([43.56, 1.48]);
  });
});

describe('station-network look-ups', () => {
  const net = new Network([
    {
      ...DEFAULT_STATIONS[0],
      minElevationDeg: 5,
      horizonMask: [
        { azDeg: 90, minElDeg: 20 },
        { azDeg: 0, minElDeg: 10 },
        { azDeg: 270, minElDeg: 0 },
      ],
      availability: [
        { startUtc: '2026-01-01T00:00:00Z', stopUtc: '2026-01-01T06:00:00Z' },
        { startUtc: '2026-01-02T00:00:00Z', stopUtc: '2026-01-02T00:30:00Z' },
      ],
    },
    { ...DEFAULT_STATIONS[1], minElevationDeg: 0, horizonMask: [], availability: [] },
  ]);

  it('mask: linear in azimuth between points, wrapping through north, never below minElevationDeg', () => {
    // hand-computed from the three points (0°→10°, 90°→20°, 270°→0°) and the 5° floor
    expect(net.maskElevationDeg('AUSS', [0, 45, 90, 180, 270, 315, 342, 360, -45, 720 + 45])).to.deep.equal([10, 15, 20, 10, 5, 5, 8, 10, 5, 15]);
    expect(net.maskElevationDeg('KRUS', [0, 123.4])).to.deep.equal([0, 0]);
  });

  it('availability: inside a window (bounds included), none = always', () => {
    expect(net.isAvailable('AUSS', ['2026-01-01T00:00:00Z', '2026-01-01T06:00:00Z', '2026-01-01T06:00:00.001Z', '2026-01-02T00:15:00', '2025-12-31T23:59:60Z'])).to.deep.equal([true, true, false, true, false]);
    expect(net.isAvailable('KRUS', ['2030-05-05T05:05:05Z'])).to.deep.equal([true]);
  });

  it('errors name the station or the value', () => {
    expect(() => net.get(['AUSS', 'XXXX'])).to.throw("unknown station(s) 'XXXX' (known: AUSS, KRUS)");
    expect(() => net.maskElevationDeg('AUSS', [NaN])).to.throw('azimuth NaN is not a finite number');
    expect(() => net.isAvailable('AUSS', ['2026-13-01T00:00:00Z'])).to.throw("'2026-13-01T00:00:00Z' is not a UTC instant");
  });
});

/** A plugin of the test that records stations.updated from the moment the kernel starts. */
function recorder(messages: { stationIds: string[] }[]) {
  return definePlugin({
    name: 'recorder',
    version: '1.0.0',
    kernel: '*',
    subscribes: [StationsUpdated],
    start(ctx) {
      ctx.subscribe(StationsUpdated, (m) => {
        messages.push(m);
      });
    },
  });
}

const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));

describe('station-network plugin in a kernel', function () {
  this.timeout(20_000);
  let tk: TestKernel | undefined;
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stations-test-'));
  });
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('starts with no config on the default network; stations.updated only when the configuration changed', async () => {
    const dataDir = path.join(tmp, 'var');
    const boot = async (config: Record<string, unknown>) => {
      const seen: { stationIds: string[] }[] = [];
      tk = await createTestKernel({ plugins: [PLUGIN, recorder(seen)], config: { kernel: { dataDir }, ...config } });
      await tk.waitForState('station-network', 'running');
      await settle();
      return seen;
    };
    const first = await boot({});
    expect(first.map((m) => m.stationIds)).to.deep.equal([['AUSS', 'KRUS', 'KIXS', 'HBKS', 'TLSE']]);
    const list = await tk!.service(StationNetworkToken).list();
    expect(list).to.deep.equal(DEFAULT_STATIONS);
    expect(tk!.status('station-network')!.health?.status).to.equal('ok');
    await tk!.stop();

    expect(await boot({})).to.deep.equal([]); // same network: nothing to announce
    await tk!.stop();

    const edited = await boot({ plugins: { 'station-network': { config: { stations: [DEFAULT_STATIONS[0], { ...DEFAULT_STATIONS[3], minElevationDeg: 10 }] } } } });
    expect(edited.map((m) => m.stationIds)).to.deep.equal([['AUSS', 'HBKS']]);
    expect((await tk!.service(StationNetworkToken).get(['HBKS']))[0].minElevationDeg).to.equal(10);
  });

  it('refuses an invalid configuration before starting (duplicate id, unknown key)', async () => {
    for (const stations of [[DEFAULT_STATIONS[0], DEFAULT_STATIONS[0]], [{ ...DEFAULT_STATIONS[0], elevationMask: 3 }]]) {
      try {
        tk = await createTestKernel({ plugins: [PLUGIN], config: { plugins: { 'station-network': { config: { stations } } } } });
        const st = await tk.waitForState('station-network', ['failed', 'running']);
        expect(st.state).to.equal('failed');
        expect(st.lastError).to.match(/already used by entry 0|elevationMask/);
      } catch (err) {
        expect((err as Error).message).to.match(/already used by entry 0|elevationMask/);
      }
      await tk?.stop();
      tk = undefined;
    }
  });

  it('a watched station file: a valid edit replaces the network and is announced, an invalid one is refused with file:line', async () => {
    const file = path.join(tmp, 'stations.yaml');
    const yaml = (lat: number) =>
      [
        'stations:',
        '  - id: AUSS',
        '    name: Aussaguel',
        `    latDeg: ${lat}`,
        '    lonDeg: 1.499412',
        '    heightM: 260.479',
        '    horizonMask: [{ azDeg: 0, minElDeg: 3 }, { azDeg: 180, minElDeg: 7 }]',
        '',
      ].join('\n');
    fs.writeFileSync(file, yaml(43.428696));
    const seen: { stationIds: string[] }[] = [];
    tk = await createTestKernel({ plugins: [PLUGIN, recorder(seen)], config: { plugins: { 'station-network': { config: { file } } } } });
    await tk.waitForState('station-network', 'running');
    const net = tk.service(StationNetworkToken);
    expect((await net.list()).map((s) => s.id)).to.deep.equal(['AUSS']);
    expect(await net.maskElevationDeg('AUSS', [90])).to.deep.equal([5]);
    await settle(500); // let the file watcher get ready

    fs.writeFileSync(file, yaml(43.428696) + ['  - id: KRUS', '    name: Kourou', '    latDeg: 5.098848', '    lonDeg: -52.639872', '    heightM: 110.039', ''].join('\n'));
    for (let i = 0; i < 100 && seen.length < 2; i++) await settle(50);
    expect(seen.map((m) => m.stationIds)).to.deep.equal([['AUSS'], ['AUSS', 'KRUS']]);

    fs.writeFileSync(file, yaml(95));
    for (let i = 0; i < 100 && tk.status('station-network')!.health?.status !== 'degraded'; i++) await settle(50);
    const h = tk.status('station-network')!.health!;
    expect(h.status).to.equal('degraded');
    expect(h.detail).to.contain(`${file}:4: stations[0].latDeg:`);
    expect((await net.list()).map((s) => s.id)).to.deep.equal(['AUSS', 'KRUS']);
  });

  it('a missing station file at start: runs on the inline stations and says so', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN], config: { plugins: { 'station-network': { config: { file: path.join(tmp, 'none.yaml') } } } } });
    await tk.waitForState('station-network', 'running');
    await settle(300);
    const h = tk.status('station-network')!.health!;
    expect(h.status).to.equal('degraded');
    expect(h.detail).to.contain('station file refused').and.contain('using the inline stations of the configuration');
    expect(await tk.service(StationNetworkToken).list()).to.have.length(5);
  });
});
