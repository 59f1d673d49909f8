import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PropagationOutcome } from '../../../interfaces/services/propagation';
import { EopProviderToken } from '../../../interfaces/services/reference-data';
import { applyTransform, frameSetAtTimes, transformBetween } from '../../../sdk/astro/frames';
import { Epoch } from '../../../sdk/astro/time';
import { parseNdm, type Oem } from '../../../sdk/ccsds';
import { startHeadlessKernel, type HeadlessKernel } from '../../../sdk/headless';
import { readReferenceText, referenceDataPath } from '../../../sdk/reference-data';
import { PROPAGATOR_PLUGINS, propagateCommand, statesAtInstants } from '../propagate-command';

/**
 * `scoop propagate` (plugins/ephemeris/cli.ts) called in-process. One headless kernel with every
 * plugin any propagator needs is shared by the file (the command starts its own when none is
 * given: that path is exercised by test/integration/plugin-commands.test.ts).
 */
type JsonState = { epoch: string; frame: string; r: number[]; v: number[] };
type JsonError = { epoch: string; error: string };

const TLE = () => referenceDataPath('sgp4-verification/SGP4-VER.TLE');

/** tcppver.out (Vallado et al. 2006, AIAA 2006-6753): rows [minutes, x, y, z km, vx, vy, vz km/s] of one case, TEME. */
function tcppver(satnum: number): number[][] {
  const rows: number[][] = [];
  let inCase = false;
  for (const line of readReferenceText('sgp4-verification/tcppver.out').split(/\r?\n/)) {
    const h = /^\s*(\d+)\s+xx\s*$/.exec(line);
    if (h) {
      inCase = Number(h[1]) === satnum;
      continue;
    }
    const f = line.trim().split(/\s+/).map(Number);
    if (inCase && f.length >= 7 && f.slice(0, 7).every(Number.isFinite)) rows.push(f.slice(0, 7));
  }
  return rows;
}

const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe('ephemeris cli: scoop propagate', function () {
  this.timeout(60_000);
  let hk: HeadlessKernel;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eph-propagate-'));

  before(async () => {
    hk = await startHeadlessKernel({ plugins: [...new Set(Object.values(PROPAGATOR_PLUGINS).flat())] });
  });
  after(async () => {
    await hk?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await propagateCommand(
      args,
      { out: (t) => void out.push(t), err: (t) => void err.push(t), readFile: (p) => fs.promises.readFile(p, 'utf8') },
      { kernel: hk, creationUtc: '2026-01-01T00:00:00Z' },
    );
    return { code, stdout: out.join(''), stderr: err.join('\n') };
  }
  async function json(args: string[]): Promise<(JsonState | JsonError)[]> {
    const r = await run([...args, '--format', 'json']);
    expect(r.code, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as (JsonState | JsonError)[];
  }
  const states = (a: (JsonState | JsonError)[]) => a.filter((s): s is JsonState => 'r' in s);

  describe('sgp4 against the Vallado verification set (tcppver.out)', () => {
    // Tolerances: 2 mm in position is the one Orekit uses on this set (TLETest); tcppver.out prints
    // 8 decimals of km and 9 of km/s, so velocities are compared at 2e-9 km/s (a few print steps).
    for (const [satnum, minutes] of [
      [5, '0:4320:360'],
      [9880, '0:2880:120'],
    ] as const) {
      it(`NORAD ${satnum} (--minutes ${minutes}, TEME) reproduces the reference code within 2 mm and 2e-9 km/s`, async () => {
        const ref = tcppver(satnum);
        const out = states(await json(['--tle', TLE(), '--norad', String(satnum), '--minutes', minutes, '--propagator', 'sgp4', '--frame', 'TEME']));
        expect(out).to.have.length(ref.length);
        let dr = 0;
        let dv = 0;
        ref.forEach((row, k) => {
          dr = Math.max(dr, dist(out[k].r, row.slice(1, 4)));
          dv = Math.max(dv, dist(out[k].v, row.slice(4, 7)));
        });
        expect(dr, 'position km').to.be.at.most(2e-6);
        expect(dv, 'velocity km/s').to.be.at.most(2e-9);
      });
    }

    it('--minutes counts from the element-set epoch (line 1: 00179.78495062 = 2000-06-27T18:50:19.733568Z)', async () => {
      const out = await json(['--tle', TLE(), '--norad', '5', '--minutes', '-1:1:1']);
      expect(out.map((s) => s.epoch)).to.deep.equal(['2000-06-27T18:49:19.733568Z', '2000-06-27T18:50:19.733568Z', '2000-06-27T18:51:19.733568Z']);
    });
  });

  describe('output formats', () => {
    const args = ['--tle', TLE(), '--norad', '5', '--start', '2000-06-28T00:00:00Z', '--stop', '2000-06-28T00:03:00Z', '--step', '60', '--frame', 'GCRF'];
    let ref: JsonState[];
    before(async () => {
      ref = (await json(args)) as JsonState[];
    });

    it('json: an array of { epoch, frame, r, v } exactly, one per epoch of the window (stop included)', () => {
      expect(ref.map((s) => s.epoch)).to.deep.equal(['2000-06-28T00:00:00.000Z', '2000-06-28T00:01:00.000Z', '2000-06-28T00:02:00.000Z', '2000-06-28T00:03:00.000Z']);
      for (const s of ref) {
        expect(Object.keys(s)).to.deep.equal(['epoch', 'frame', 'r', 'v']);
        expect(s.frame).to.equal('GCRF');
        expect(s.r).to.have.length(3);
        expect(s.v).to.have.length(3);
      }
    });

    it('csv: header and the same numbers', async () => {
      const r = await run([...args, '--format', 'csv']);
      expect(r.code, r.stderr).to.equal(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).to.equal('epoch_utc,frame,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s,error');
      expect(lines.slice(1).map((l) => l.split(','))).to.deep.equal(ref.map((s) => [s.epoch, 'GCRF', ...s.r.map(String), ...s.v.map(String), '']));
    });

    for (const format of ['oem-kvn', 'oem-xml'] as const) {
      it(`${format}: a CCSDS OEM that sdk/ccsds reads back (strict) to the same numbers`, async () => {
        const r = await run([...args, '--format', format]);
        expect(r.code, r.stderr).to.equal(0);
        const oem = parseNdm(r.stdout, { file: format, mode: 'strict' }).message as Oem;
        expect(oem.segments).to.have.length(1);
        const seg = oem.segments[0];
        expect(seg.metadata.fields).to.include({ OBJECT_ID: '5', REF_FRAME: 'GCRF', TIME_SYSTEM: 'UTC', CENTER_NAME: 'EARTH' });
        expect(seg.states.map((s) => [...s.posKm, ...s.velKmS])).to.deep.equal(ref.map((s) => [...s.r, ...s.v]));
      });
    }
  });

  describe('propagators', () => {
    // 28057: near-circular LEO (800 km, 98.4°, 101.5 min period). One orbit, 5-minute steps.
    const leo = ['--tle', TLE(), '--norad', '28057', '--minutes', '0:105:5'];
    let sgp4Gcrf: JsonState[];
    before(async () => {
      sgp4Gcrf = states(await json([...leo, '--propagator', 'sgp4', '--frame', 'GCRF']));
    });

    // Bounds over one orbit, from what each model leaves out (estimates, not this code's output):
    // - kepler: two-body from an osculating state. J2's short-period terms put the osculating
    //   semi-major axis up to ~J2·R²/a ≈ 6 km from the mean one (first-order theory, Brouwer 1959;
    //   Kozai 1959), and Δn/n = −1.5 Δa/a accumulates to 3π·Δa ≈ 57 km along-track per orbit;
    //   SGP4 also turns the node (+0.99°/day, sun-synchronous: ≈ 9 km per orbit). Bound 70 km.
    // - numerical (20×20, Sun, Moon): the same physics as SGP4's, so what is left is SGP4's own
    //   theory error, of the order of a kilometre near the epoch. Bound 3 km.
    // Measured (2026-11): kepler 32.2 km, numerical 0.76 km.
    for (const [propagator, boundKm] of [
      ['kepler', 70],
      ['numerical', 3],
    ] as const) {
      it(`${propagator} starts from the SGP4 state at the epoch and stays within ${boundKm} km of SGP4 over one orbit`, async () => {
        const out = states(await json([...leo, '--propagator', propagator, '--frame', 'GCRF']));
        expect(out.map((s) => s.epoch)).to.deep.equal(sgp4Gcrf.map((s) => s.epoch));
        // At the epoch: the same state (1 µm / 1 nm/s: a Cartesian → elements → Cartesian round trip)
        expect(dist(out[0].r, sgp4Gcrf[0].r)).to.be.below(1e-9);
        expect(dist(out[0].v, sgp4Gcrf[0].v)).to.be.below(1e-12);
        const worst = Math.max(...out.map((s, k) => dist(s.r, sgp4Gcrf[k].r)));
        console.log(`      ${propagator}: ${worst.toFixed(3)} km from SGP4 at most over one orbit`);
        expect(worst).to.be.below(boundKm);
        // and it is a different model: it does not just copy SGP4 (> 10 m somewhere)
        expect(worst).to.be.above(0.01);
      });
    }

    for (const propagator of ['sgp4', 'kepler', 'numerical'] as const) {
      it(`${propagator}: ITRF output is the GCRF output rotated by sdk/astro/frames with the eop module's EOP`, async () => {
        const win = ['--tle', TLE(), '--norad', '28057', '--minutes', '0:60:20', '--propagator', propagator];
        const gcrf = states(await json([...win, '--frame', 'GCRF']));
        const itrf = states(await json([...win, '--frame', 'ITRF']));
        expect(itrf.every((s) => s.frame === 'ITRF')).to.equal(true);
        const epochs = gcrf.map((s) => Epoch.parse(s.epoch, 'UTC'));
        const eop = await hk.service(EopProviderToken).at(epochs.map((e) => e.mjd('UTC')));
        expect(eop.every((e) => e.ut1MinusUtcS !== 0 && e.xpArcsec !== 0)).to.equal(true);
        gcrf.forEach((s, k) => {
          const t = transformBetween(frameSetAtTimes({ jdTt: epochs[k].jd('TT'), jdUtc: epochs[k].jd('UTC') }, eop[k]), 'GCRF', 'ITRF');
          const want = applyTransform(t, { posKm: s.r as [number, number, number], velKmS: s.v as [number, number, number] });
          // 1 mm, 1 µm/s: the propagators rotate with EOP interpolated on their own grids (every
          // propagator passes both celestial-pole pairs, sdk/astro/eop.ts eopValuesOf; dropping
          // finals2000A's dX/dY moved kepler's ITRF output by 0.2–0.5 m). Zero EOP would be
          // hundreds of metres off.
          const [posKm, velKmS] = [1e-6, 1e-9];
          expect(dist(itrf[k].r, want.posKm), `${s.epoch} position`).to.be.below(posKm);
          expect(dist(itrf[k].v, want.velKmS), `${s.epoch} velocity`).to.be.below(velKmS);
        });
      });
    }
  });

  describe('epochs without a state', () => {
    // 28872 decays: tcppver.out has states up to 50 min, SGP4 error 6 at 55 and 60 min.
    it('a decaying object: states while it flies, { epoch, error } after, exit 0', async () => {
      const r = await run(['--tle', TLE(), '--norad', '28872', '--minutes', '0:60:5']);
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout) as (JsonState | JsonError)[];
      expect(out).to.have.length(13);
      const ref = tcppver(28872);
      expect(ref).to.have.length(11);
      ref.forEach((row, k) => expect(dist((out[k] as JsonState).r, row.slice(1, 4))).to.be.at.most(2e-6));
      for (const e of out.slice(11)) {
        expect(Object.keys(e)).to.deep.equal(['epoch', 'error']);
        expect((e as JsonError).error).to.match(/^decayed: SGP4 error 6/);
      }
      expect((out[11] as JsonError).error).to.contain(out[11].epoch.replace(/Z$/, ''));
      expect(r.stderr).to.contain('2 of 13 epoch(s) without a state');
      // Minute by minute: SGP4 fails first at 52 min and, decayed, never flies again (satellite.js
      // alone would return states again after 1 h, from elements that no longer mean anything).
      const each = await run(['--tle', TLE(), '--norad', '28872', '--minutes', '0:120:1', '--format', 'csv']);
      expect(each.code, each.stderr).to.equal(0);
      const errs = each.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(',')[8] !== '');
      expect(errs.indexOf(true)).to.equal(52);
      expect(errs.slice(52).every(Boolean)).to.equal(true);
    });

    it('exit 1 when no epoch has a state (JSON still lists every epoch with its error; OEM has nothing to write)', async () => {
      const r = await run(['--tle', TLE(), '--norad', '28872', '--minutes', '55:60:5']);
      expect(r.code).to.equal(1);
      expect((JSON.parse(r.stdout) as JsonError[]).map((e) => Object.keys(e))).to.deep.equal([
        ['epoch', 'error'],
        ['epoch', 'error'],
      ]);
      const oem = await run(['--tle', TLE(), '--norad', '28872', '--minutes', '55:60:5', '--format', 'oem-kvn']);
      expect(oem.code).to.equal(1);
      expect(oem.stdout).to.equal('');
      expect(oem.stderr).to.contain('no state to write in an OEM');
    });

    it('statesAtInstants: per-instant failures (SGP4) and a trajectory that ends (integration), with few calls', async () => {
      const t0 = Epoch.parse('2026-01-01T00:00:00Z', 'UTC');
      const instants = Array.from({ length: 1000 }, (_, k) => t0.plusSeconds((k - 100) * 60).toIso('UTC', 3));
      const calls: number[] = [];
      const state = (t: string) => ({ posKm: [t0.minus(Epoch.parse(t, 'UTC')), 0, 0] as [number, number, number], velKmS: [0, 0, 0] as [number, number, number] });
      const answer = (code: 'eccentricity' | 'decayed', bad: (t: Epoch) => boolean, at: (t: string[]) => string | undefined) => async (ts: string[]): Promise<PropagationOutcome> => {
        calls.push(ts.length);
        const a = at(ts);
        if (a !== undefined) return { id: 'x', ok: false, error: { code, message: `at ${a}`, atUtc: a } };
        if (ts.some((t) => bad(Epoch.parse(t, 'UTC')))) throw new Error('a failing instant was returned as a state');
        return { id: 'x', ok: true, frame: 'GCRF', epochsUtc: ts, posKm: ts.map((t) => state(t).posKm), velKmS: ts.map((t) => state(t).velKmS) };
      };
      // SGP4-like, an error other than decay: each instant on its own; instants 300 and 500..999 fail.
      const badSgp4 = (t: Epoch) => {
        const k = Math.round(t.minus(t0) / 60) + 100;
        return k === 300 || k >= 500;
      };
      const rows = await statesAtInstants(answer('eccentricity', badSgp4, (ts) => ts.find((t) => badSgp4(Epoch.parse(t, 'UTC')))), instants, t0);
      expect(rows.filter((r) => 'error' in r).map((r) => instants.indexOf(r.epochUtc))).to.deep.equal([300, ...Array.from({ length: 500 }, (_, k) => 500 + k)]);
      expect(rows.filter((r) => 'posKm' in r)).to.have.length(499);
      // 500 failing instants each cost one call of at most 256 instants
      expect(calls.length).to.be.below(520);
      expect(calls[1], 'the instants before the first failure, asked again at once').to.equal(300);
      expect(Math.max(...calls.slice(2))).to.be.at.most(256);
      // A decay, between instants (integration) or on one (SGP4): the trajectory ends 123.5 min
      // (then 124 min) after the epoch; every instant beyond fails, those before the epoch fly.
      for (const endMin of [123.5, 124]) {
        calls.length = 0;
        const end = t0.plusSeconds(endMin * 60);
        const rows2 = await statesAtInstants(
          answer(
            'decayed',
            (t) => t.minus(end) >= 0,
            (ts) => (ts.some((t) => Epoch.parse(t, 'UTC').minus(end) >= 0) ? end.toIso('UTC', 3) : undefined),
          ),
          instants,
          t0,
        );
        expect(rows2.findIndex((r) => 'error' in r)).to.equal(224);
        expect(rows2.slice(224).every((r) => 'error' in r)).to.equal(true);
        expect(calls).to.deep.equal([1000, 224]);
      }
    });
  });

  describe('usage and unusable input', () => {
    const base = ['--tle', 'x.tle', '--norad', '5'];
    for (const [args, message] of [
      [['--norad', '5', '--minutes', '0:1:1'], '--tle FILE is required'],
      [['--tle', 'x.tle', '--minutes', '0:1:1'], '--norad ID'],
      [[...base, '--norad', '5'], '--norad is given twice'],
      [base, 'give either --start/--stop/--step or --minutes'],
      [[...base, '--minutes', '0:1:1', '--start', '2000-01-01T00:00:00Z'], 'give either'],
      [[...base, '--start', '2000-01-01T00:00:00Z', '--stop', '2000-01-01T00:01:00Z'], 'go together'],
      [[...base, '--start', '2000-13-01T00:00:00Z', '--stop', '2000-01-01T00:01:00Z', '--step', '60'], '--start: invalid UTC epoch'],
      [[...base, '--start', '2000-01-02T00:00:00Z', '--stop', '2000-01-01T00:01:00Z', '--step', '60'], 'is before --start'],
      [[...base, '--minutes', '10:0:1'], 'FROM ≤ TO'],
      [[...base, '--minutes', '0:10:0'], 'STEP > 0'],
      [[...base, '--minutes', '0:1e6:1'], 'more than 100000'],
      [[...base, '--minutes', '0:1:1', '--frame', 'J2000'], '--frame J2000 is not one of'],
      [[...base, '--minutes', '0:1:1', '--propagator', 'sgp8'], '--propagator sgp8 is not one of sgp4, numerical, kepler'],
      [[...base, '--minutes', '0:1:1', '--format', 'xml'], '--format xml is not one of'],
      [[...base, '--minutes', '0:1:1', '--json'], '--json is now --format json'],
      [[...base, '--minutes'], '--minutes needs a value'],
      [[...base, '--minutes', '0:1:1', 'extra'], "unexpected argument 'extra'"],
    ] as const) {
      it(`exit 2: ${message}`, async () => {
        const r = await run([...args]);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain(message).and.contain('usage: scoop propagate');
      });
    }

    it('--help prints the usage on stdout, exit 0', async () => {
      const r = await run(['--help']);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.contain('usage: scoop propagate').and.contain('--propagator');
    });

    it('exit 1: unreadable file, object not in the file, a damaged element set (named by file and line)', async () => {
      const missing = await run(['--tle', path.join(tmp, 'none.tle'), '--norad', '5', '--minutes', '0:1:1']);
      expect(missing.code).to.equal(1);
      expect(missing.stderr).to.contain('cannot read').and.contain('none.tle');
      const absent = await run(['--tle', TLE(), '--norad', '99999', '--minutes', '0:1:1']);
      expect(absent.code).to.equal(1);
      expect(absent.stderr).to.contain('NORAD 99999 is not in');
      const lines = readReferenceText('sgp4-verification/SGP4-VER.TLE').split(/\r?\n/);
      const i = lines.findIndex((l) => l.startsWith('2 00005'));
      lines[i] = lines[i].slice(0, 26) + '18x9667' + lines[i].slice(33);
      const damaged = path.join(tmp, 'damaged.tle');
      fs.writeFileSync(damaged, lines.join('\n'));
      const bad = await run(['--tle', damaged, '--norad', '5', '--minutes', '0:1:1']);
      expect(bad.code).to.equal(1);
      expect(bad.stderr).to.contain(`damaged.tle:${i + 1}:`).and.contain('eccentricity');
      // other objects of the same file are still usable
      expect((await run(['--tle', damaged, '--norad', '6251', '--minutes', '0:1:1'])).code).to.equal(0);
    });
  });
});
