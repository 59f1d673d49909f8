import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EopProviderToken, type EopProvider } from '../../../interfaces/services/reference-data';
import { EphemerisServiceToken, Sgp4PropagatorToken, type EphemerisService, type PropagationOutcome, type Propagator } from '../../../interfaces/services/propagation';
import { EphemerisPublished, FileReceived, FileRejected, ProductPublished } from '../../../interfaces/topics';
import { keplerianToCartesian } from '../../../sdk/astro/elements';
import { Epoch } from '../../../sdk/astro/time';
import { propagateTwoBody } from '../../../sdk/astro/twobody';
import { parseNdm, type Oem } from '../../../sdk/ccsds';
import { readReferenceText, referenceDataPath } from '../../../sdk/reference-data';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { parseTle } from '../../../sdk/tle';

/**
 * The ephemeris plugin in a real kernel with the modules it works with: file-inbox (operator
 * OEMs dropped in a folder), eop (IERS finals2000A from the reference data), sgp4 and
 * analytical-propagators (generation). Acceptance criteria of issue 7.
 */
const PLUGINS = path.join(__dirname, '..', '..');
const OEM_DIR = 'ccsds/orekit/odm/oem';
const MM_KM = 1e-6;

type Ok = Extract<PropagationOutcome, { ok: true }>;
const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Data lines of a reference KVN OEM: epoch text and the six numbers. */
function dataLines(name: string): { epoch: string; v: number[] }[] {
  return readReferenceText(`${OEM_DIR}/${name}`)
    .split(/\r?\n/)
    .filter((l) => /^\s*\d{4}-\d{2}-\d{2}T/.test(l))
    .map((l) => {
      const f = l.trim().split(/\s+/);
      return { epoch: f[0], v: f.slice(1, 7).map(Number) };
    });
}

describe('ephemeris plugin (real kernel: file-inbox, eop, sgp4, analytical-propagators)', function () {
  this.timeout(60_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eph-plugin-'));
  const inbox = path.join(tmp, 'inbox');
  const dataDir = path.join(tmp, 'var');
  let tk: TestKernel;
  let eph: EphemerisService;

  before(async () => {
    fs.mkdirSync(inbox, { recursive: true });
    tk = await createTestKernel({
      plugins: ['file-inbox', 'eop', 'sgp4', 'analytical-propagators', 'ephemeris'].map((p) => path.join(PLUGINS, p)),
      config: { kernel: { dataDir }, plugins: { 'file-inbox': { config: { inboxes: [{ name: 'ops', path: inbox }], stabilityMs: 100 } } } },
    });
    await tk.waitForState('ephemeris', 'running');
    eph = tk.service(EphemerisServiceToken);
  });
  after(async () => {
    await tk?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function drop(name: string): Promise<void> {
    fs.copyFileSync(referenceDataPath(`${OEM_DIR}/${name}`), path.join(inbox, name));
  }

  let ex5Id = '';

  it('an operator OEM dropped in the inbox (OEMExample5, GCRF) is announced, listed and interpolated; nodes come back exactly', async () => {
    const announced = tk.nextMessage(EphemerisPublished, (m) => m.source === 'OEMExample5.txt', 20_000);
    await drop('OEMExample5.txt');
    const msg = await announced;
    expect(msg).to.include({ objectId: '1998-067A', frame: 'GCRF', points: 49 });
    expect(msg.window).to.deep.equal({ startUtc: '2017-04-11T22:31:43.121856Z', stopUtc: '2017-04-12T22:31:43.121856Z' });
    const listed = (await eph.list()).find((e) => e.source === 'OEMExample5.txt');
    expect(listed).to.deep.include({ ephemerisId: msg.productId, objectId: '1998-067A', frame: 'GCRF', startUtc: '2017-04-11T22:31:43.121856Z', stopUtc: '2017-04-12T22:31:43.121856Z' });
    ex5Id = listed!.ephemerisId;
    expect(fs.existsSync(msg.path)).to.equal(true);
    expect(msg.path.startsWith(dataDir)).to.equal(true);

    const lines = dataLines('OEMExample5.txt');
    const states = await eph.interpolate({ ephemerisId: ex5Id, instantsUtc: lines.map((l) => l.epoch) });
    states.forEach((s, i) => {
      expect(s.frame).to.equal('GCRF');
      expect([...s.posKm, ...s.velKmS]).to.deep.equal(lines[i].v);
    });
    // Between nodes the file's recommendation is used (HERMITE, INTERPOLATION_DEGREE 1 → two
    // samples, cubic): checked against the cubic Hermite basis h00, h10, h01, h11 (Burden &
    // Faires, Numerical Analysis, §3.5) on the two bracketing nodes, an independent formula.
    const [a, b] = [lines[23], lines[24]];
    const ta = Epoch.parse(a.epoch, 'UTC');
    const h = Epoch.parse(b.epoch, 'UTC').minus(ta);
    const u = 0.37;
    const [own] = await eph.interpolate({ ephemerisId: ex5Id, instantsUtc: [ta.plusSeconds(u * h).toIso('UTC', 9)] });
    const [h00, h10, h01, h11] = [2 * u ** 3 - 3 * u ** 2 + 1, u ** 3 - 2 * u ** 2 + u, -2 * u ** 3 + 3 * u ** 2, u ** 3 - u ** 2];
    const cubic = [0, 1, 2].map((c) => h00 * a.v[c] + h10 * h * a.v[3 + c] + h01 * b.v[c] + h11 * h * b.v[3 + c]);
    expect(dist(own.posKm, cubic)).to.be.below(1e-9);
    // A request may choose otherwise (30-min samples of a 92-min orbit interpolate poorly whatever the method).
    const [lag] = await eph.interpolate({ ephemerisId: ex5Id, instantsUtc: [ta.plusSeconds(u * h).toIso('UTC', 9)], method: 'lagrange', degree: 8 });
    expect(dist(own.posKm, lag.posKm)).to.be.above(1);
    // No extrapolation: a clear error naming the instant and the window.
    let err: Error | undefined;
    await eph.interpolate({ ephemerisId: ex5Id, instantsUtc: ['2017-04-12T22:31:44Z'] }).catch((e: Error) => (err = e));
    expect(err?.message).to.match(/2017-04-12T22:31:44Z is outside the ephemeris \(UTC 2017-04-11T22:31:43.121856000000 … 2017-04-12T22:31:43.121856000000\): no extrapolation/);
  });

  it('converts the operator OEM to ITRF with the real EOP (finals2000A): differs from a zero-EOP conversion by the UT1−UTC rotation', async () => {
    const itrf = dataLines('OEMExample5ITRF.txt'); // Orekit's conversion with zero EOP (see the next block)
    const states = await eph.interpolate({ ephemerisId: ex5Id, instantsUtc: itrf.map((l) => l.epoch), frame: 'ITRF' });
    const eop = await tk.service(EopProviderToken).at(itrf.map((l) => Epoch.parse(l.epoch, 'UTC').mjd('UTC')));
    const omega = 7.292115146706979e-5; // rad/s, IERS nominal Earth rotation rate
    states.forEach((s, i) => {
      expect(s.frame).to.equal('ITRF');
      // Longitude difference = −ω·(UT1−UTC) (UT1 later than UTC turns the Earth further east).
      const dLon = Math.atan2(s.posKm[1], s.posKm[0]) - Math.atan2(itrf[i].v[1], itrf[i].v[0]);
      const wrapped = Math.atan2(Math.sin(dLon), Math.cos(dLon));
      // Within 5e-6 rad (1"): polar motion also moves the longitude, by up to |x_p, y_p| × tan(latitude)
      // (≤ 0.5" × tan 52° ≈ 0.65" in April 2017), plus the 3 cm chain difference. ω·(UT1−UTC) is
      // 3.1e-5 rad here: EOP not applied would be 6 tolerances off.
      expect(wrapped, itrf[i].epoch).to.be.closeTo(-omega * eop[i].ut1MinusUtcS, 5e-6);
    });
    expect(eop[0].ut1MinusUtcS).to.be.within(0.3, 0.5); // 2017-04: ~0.43 s (IERS Bulletin A), so the check above is not vacuous
  });

  it('refuses an OEM it cannot use: kept with its reason, file.rejected published (CENTER_NAME MARS; a keyword inside the data, with its line)', async () => {
    const refused = tk.nextMessage(FileRejected, (m) => m.originalName === 'OEMExample4.txt' && m.rejectedBy === 'ephemeris', 20_000);
    await drop('OEMExample4.txt');
    const r = await refused;
    expect(r.reason).to.match(/CENTER_NAME 'MARS' is not supported/);
    expect(fs.readFileSync(r.keptAt, 'utf8')).to.equal(readReferenceText(`${OEM_DIR}/OEMExample4.txt`));
    expect(fs.readFileSync(r.reasonFile, 'utf8')).to.match(/CENTER_NAME 'MARS'/);
    expect((await eph.list()).some((e) => e.source === 'OEMExample4.txt')).to.equal(false);

    // A file the inbox lets through but the full reader refuses, published here as the inbox would.
    const bad = path.join(tmp, 'bad.oem');
    fs.copyFileSync(referenceDataPath(`${OEM_DIR}/OEM-keyword-within-ephemeris.txt`), bad);
    const bytes = fs.readFileSync(bad);
    const rejected = tk.nextMessage(FileRejected, (m) => m.fileId === 'bad-1');
    tk.bus.publish(FileReceived, {
      fileId: 'bad-1',
      path: bad,
      originalName: 'bad.oem',
      kind: 'OEM',
      format: 'kvn',
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      inbox: 'ops',
      owner: 'ephemeris',
      receivedAtUtc: new Date().toISOString(),
    });
    const b = await rejected;
    expect(b.reason).to.match(/bad\.oem.*keyword not allowed within the ephemeris data/s);
    expect(b.line).to.be.a('number');
  });

  it('an OCM dropped in the inbox (OCMExample5ITRF, Cartesian, GCRF) is listed and interpolated like an OEM', async () => {
    const announced = tk.nextMessage(EphemerisPublished, (m) => m.source === 'OCMExample5ITRF.txt', 20_000);
    fs.copyFileSync(referenceDataPath('ccsds/orekit/odm/ocm/OCMExample5ITRF.txt'), path.join(inbox, 'OCMExample5ITRF.txt'));
    const msg = await announced;
    expect(msg).to.include({ frame: 'GCRF', points: 49 });
    const lines = dataLines('OEMExample5.txt');
    const states = await eph.interpolate({ ephemerisId: msg.productId, instantsUtc: [lines[10].epoch] });
    expect(dist(states[0].posKm, lines[10].v)).to.be.below(1e-9); // same data as OEMExample5 (10-decimal text there)
  });

  it('SGP4 ephemeris at 60 s (ISS, TEME and GCRF) interpolated within 1 mm of direct SGP4 propagation (Lagrange 8, the default); Hermite is not, SGP4 velocities being inconsistent with its positions', async () => {
    const lines = readReferenceText('tle/celestrak-active-2026-05-07.txt').split(/\r?\n/);
    const at = lines.findIndex((l) => l.startsWith('1 25544U'));
    const gp = parseTle(lines[at], lines[at + 1], lines[at - 1].trim());
    const sgp4: Propagator = tk.service(Sgp4PropagatorToken);
    const t0 = Epoch.parse('2026-05-07T12:00:00', 'UTC');
    const offGrid = Array.from({ length: 120 }, (_, k) => t0.plusSeconds(1 + k * 89.37).toIso('UTC', 3)); // 3 h, never on the 60 s grid
    const measured: string[] = [];
    for (const frame of ['TEME', 'GCRF'] as const) {
      const e = await eph.generate({ subject: { id: 'iss', gp }, startUtc: '2026-05-07T12:00:00Z', stopUtc: '2026-05-07T15:00:00Z', stepS: 60, frame, propagator: 'sgp4' });
      expect(e).to.deep.include({ objectId: '25544', noradId: 25544, frame, timeScale: 'UTC', source: 'propagator.sgp4', interpolation: { method: 'lagrange', degree: 8 } });
      expect(e.points).to.have.length(181);
      const direct = (await sgp4.propagate({ subjects: [{ id: 'iss', gp }], times: { instantsUtc: offGrid }, frame })).outcomes[0] as Ok;
      const worst = async (choice: { method?: 'lagrange' | 'hermite'; degree?: number }) => {
        const states = await eph.interpolate({ ephemeris: e, instantsUtc: offGrid, ...choice });
        return Math.max(...states.map((s, i) => dist(s.posKm, direct.posKm[i])));
      };
      const lagrange8 = await worst({});
      const lagrange10 = await worst({ method: 'lagrange', degree: 10 });
      const hermite7 = await worst({ method: 'hermite', degree: 7 });
      measured.push(`${frame}: Lagrange 8 ${(lagrange8 * 1e6).toFixed(5)} mm, Lagrange 10 ${(lagrange10 * 1e6).toFixed(5)} mm, Hermite 7 ${(hermite7 * 1e6).toFixed(1)} mm`);
      expect(lagrange8, measured.join('; ')).to.be.below(MM_KM);
      expect(lagrange10, measured.join('; ')).to.be.below(MM_KM);
      // SGP4's velocity is not the time derivative of its position (the short-period terms'
      // rates are truncated, AIAA 2006-6753): Hermite, which trusts the velocities as
      // derivatives, is decimetres off — why Lagrange is the default for generated ephemerides.
      expect(hermite7, measured.join('; ')).to.be.above(1e-5);
    }
  });

  it('two-body (analytical, Keplerian) ephemeris with covariance: interpolation within 1 mm of exact two-body; OEM XML and KVN products validated, round-tripped and announced', async () => {
    const s0 = keplerianToCartesian({ aKm: 6778.137, e: 0.001, iRad: 0.9, raanRad: 0.5, argpRad: 0.8, trueAnomalyRad: 0.1 });
    const cov = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? (i < 3 ? 1e-2 : 1e-8) : 0)));
    const e = await eph.generate({
      subject: { id: 'SAT-A', state: { epoch: { iso: '2026-05-07T12:00:00', scale: 'UTC' }, frame: 'EME2000', posKm: s0.posKm, velKmS: s0.velKmS }, covariance: { frame: 'EME2000', units: 'km', matrix: cov } },
      startUtc: '2026-05-07T12:00:00Z',
      stopUtc: '2026-05-07T13:59:30Z', // off the 60 s grid: the stop instant is added
      stepS: 60,
      frame: 'EME2000',
      propagator: 'analytical',
      covariance: true,
    });
    expect(e.points).to.have.length(121);
    expect(e.points[120].epoch).to.equal('2026-05-07T13:59:30.000Z');
    expect(e.covariances).to.have.length(121);
    const t0 = Epoch.parse('2026-05-07T12:00:00', 'UTC');
    const offs = Array.from({ length: 100 }, (_, k) => 0.5 + k * 71.77);
    const states = await eph.interpolate({ ephemeris: e, instantsUtc: offs.map((o) => t0.plusSeconds(o).toIso('UTC', 3)) });
    const worst = Math.max(...states.map((s, i) => dist(s.posKm, propagateTwoBody(s0.posKm, s0.velKmS, Math.round(offs[i] * 1000) / 1000).posKm)));
    expect(worst, `${(worst * 1e6).toFixed(4)} mm`).to.be.below(MM_KM);

    for (const format of ['xml', 'kvn'] as const) {
      const product = tk.nextMessage(ProductPublished, (m) => m.format === format);
      const announced = tk.nextMessage(EphemerisPublished, (m) => m.objectId === 'SAT-A');
      const out = await eph.publishOem({ ephemeris: e, format, originator: 'SCOOP TEST' });
      const p = await product;
      const a = await announced;
      expect(out.path.startsWith(dataDir) && path.basename(path.dirname(out.path)) === 'products').to.equal(true);
      const bytes = fs.readFileSync(out.path);
      expect(p).to.deep.include({ id: out.productId, kind: 'OEM', format, path: out.path, sizeBytes: bytes.length, producedBy: 'ephemeris', objectIds: ['SAT-A'] });
      expect(p.sha256).to.equal(createHash('sha256').update(bytes).digest('hex'));
      expect(p.validity).to.deep.equal({ startUtc: '2026-05-07T12:00:00.000Z', stopUtc: '2026-05-07T13:59:30.000Z' });
      expect(a).to.deep.include({ productId: out.productId, path: out.path, frame: 'EME2000', points: 121, source: 'propagator.analytical' });
      if (format === 'xml') execFileSync('/usr/bin/xmllint', ['--noout', '--schema', referenceDataPath('ccsds/xsd/ndmxml-2.0.0-master-2.0.xsd'), out.path], { stdio: 'pipe' });
      const back = parseNdm(bytes.toString('utf8'), { file: out.path, mode: 'strict' }).message as Oem;
      const seg = back.segments[0];
      expect(seg.states.map((s) => [...s.posKm, ...s.velKmS])).to.deep.equal(e.points.map((q) => [...q.posKm, ...q.velKmS]));
      expect(seg.covariances[60].lower).to.deep.equal([0, 1, 2, 3, 4, 5].flatMap((i) => e.covariances![60].covKm2[i].slice(0, i + 1)));
    }
  });

  it('generate() names the propagator that is missing', async () => {
    let err: Error | undefined;
    await eph
      .generate({ subject: { id: 'x', state: { epoch: { iso: '2026-05-07T12:00:00', scale: 'UTC' }, frame: 'GCRF', posKm: [7000, 0, 0], velKmS: [0, 7.5, 0] } }, startUtc: '2026-05-07T12:00:00Z', stopUtc: '2026-05-07T13:00:00Z', stepS: 60, frame: 'GCRF', propagator: 'numerical' })
      .catch((e: Error) => (err = e));
    expect(err?.message).to.equal("generate: propagator 'numerical' is not available: no running plugin provides the service propagator.numerical (enable the 'numerical-propagator' plugin)");
  });

  it('keeps received OEMs across a restart', async () => {
    await tk.stop();
    tk = await createTestKernel({ plugins: [path.join(PLUGINS, 'ephemeris')], config: { kernel: { dataDir } } });
    await tk.waitForState('ephemeris', 'running');
    eph = tk.service(EphemerisServiceToken);
    const listed = await eph.list();
    expect(listed.map((e) => e.ephemerisId)).to.include(ex5Id);
    expect(listed).to.have.length(2); // OEMExample5 and OCMExample5ITRF
    const [s] = await eph.interpolate({ ephemerisId: ex5Id, instantsUtc: ['2017-04-11T23:01:43.121856'] });
    expect(s.posKm).to.deep.equal([-6741.4652117311, -683.6762527309, 369.3677257921]);
  });
});

describe('ephemeris frame conversion of an operator OEM vs Orekit (OEMExample5 GCRF → OEMExample5ITRF)', function () {
  this.timeout(30_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eph-frames-'));
  let tk: TestKernel;
  after(async () => {
    await tk?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('GCRF → ITRF through sdk/astro/frames within 10 cm and 0.2 mm/s of Orekit, with the EOP Orekit used (none: zero)', async () => {
    // OEMExample5ITRF says "CIO/2010-based ITRF simple EOP": Orekit had no EOP for 2017 and
    // used zero corrections (UT1 = UTC, no polar motion, zero celestial-pole offsets). The
    // same EOP are served here by an eop.provider returning zeros (dX = dY = 0: the pole of
    // the IAU 2006/2000A model, not the uncorrected IAU-1980 one).
    const zero: EopProvider = {
      at: async (mjds) => mjds.map((mjdUtc) => ({ mjdUtc, xpArcsec: 0, ypArcsec: 0, ut1MinusUtcS: 0, lodS: 0, dXArcsec: 0, dYArcsec: 0, predicted: false, source: 'zero (as Orekit)', extrapolated: false })),
      coverage: async () => ({ source: 'zero', firstMjd: 0, lastMjd: 1e6, lastObservedMjd: 1e6, loadedAtUtc: '2026-01-01T00:00:00Z' }),
      leapSeconds: async () => [],
    };
    tk = await createTestKernel({ plugins: [path.join(PLUGINS, 'ephemeris')], services: [{ token: EopProviderToken, implementation: zero }], config: { kernel: { dataDir: path.join(tmp, 'var') } } });
    await tk.waitForState('ephemeris', 'running');
    const file = path.join(tmp, 'OEMExample5.txt');
    fs.copyFileSync(referenceDataPath(`${OEM_DIR}/OEMExample5.txt`), file);
    const bytes = fs.readFileSync(file);
    const announced = tk.nextMessage(EphemerisPublished);
    tk.bus.publish(FileReceived, { fileId: 'ex5', path: file, originalName: 'OEMExample5.txt', kind: 'OEM', format: 'kvn', sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), inbox: 'ops', owner: 'ephemeris', receivedAtUtc: new Date().toISOString() });
    expect((await announced).productId).to.equal('ex5');
    const itrf = dataLines('OEMExample5ITRF.txt');
    const states = await tk.service(EphemerisServiceToken).interpolate({ ephemerisId: 'ex5', instantsUtc: itrf.map((l) => l.epoch), frame: 'ITRF' });
    let worstKm = 0;
    let worstKmS = 0;
    states.forEach((s, i) => {
      worstKm = Math.max(worstKm, dist(s.posKm, itrf[i].v.slice(0, 3)));
      worstKmS = Math.max(worstKmS, dist(s.velKmS, itrf[i].v.slice(3)));
    });
    // Tolerance: sdk/astro/frames is the IAU-76/FK5 chain, Orekit the IERS 2010 CIO chain; they
    // agree to a few mas (sdk/astro/frames/README.md: precession ≤ 1 mas, GMST ≤ 1 mas; the
    // 1980 nutation series vs 2000A adds a few mas): 3 mas is 10 cm at the ISS radius.
    // Measured: 4.8 cm, 0.06 mm/s. A missing frame bias (~0.7 m here), the uncorrected
    // IAU-1980 pole (0.9 m) or one second of time (7.7 km) would fail.
    expect(worstKm, `worst ${(worstKm * 1e3).toFixed(3)} m`).to.be.below(0.1e-3);
    expect(worstKmS, `worst ${(worstKmS * 1e6).toFixed(3)} mm/s`).to.be.below(0.2e-6);
  });
});
