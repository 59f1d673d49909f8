import { expect } from 'chai';
import * as path from 'node:path';
import type { GpElementSet } from '../../../interfaces/domain/catalog';
import type { EopRecord } from '../../../interfaces/domain/reference-data';
import { Sgp4PropagatorToken, type PropagationOutcome, type Propagator, type Sgp4Propagator } from '../../../interfaces/services/propagation';
import { EopProviderToken, type EopProvider, type ProvenanceFlags } from '../../../interfaces/services/reference-data';
import { transformState } from '../../../sdk/astro/frames';
import { Epoch } from '../../../sdk/astro/time';
import { readReferenceText } from '../../../sdk/reference-data';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { gpFromTle } from '../elements';
import { driverMinutes, firstMissingMinute, instantsAfterEpoch, verificationCases } from './vallado';

const PLUGIN = path.join(__dirname, '..');

/** Orekit TLETest.testSatCodeCompliance tolerance on this set: 2 mm and 1e-5 m/s per point. */
const POS_TOL_KM = 2e-6;
const VEL_TOL_KMS = 1e-8;

type Ok = Extract<PropagationOutcome, { ok: true }>;
type Failed = Extract<PropagationOutcome, { ok: false }>;

/** Expected typed errors (AIAA 2006-6753 App. D comments; Vallado's error codes → interface codes). */
const EXPECTED_ERRORS: Record<string, Failed['error']['code']> = {
  '22312': 'eccentricity', // code 1: mean eccentricity leaves [0, 1)
  '28350': 'eccentricity', // code 1
  '28872': 'decayed', // code 6: "lost in 50 minutes"
  '29141': 'decayed', // code 6: "lost in under 420 min"
  '33333': 'diverged', // code 4: "check error code 4" (semi-latus rectum < 0)
  '20413-2': 'decayed', // code 6: second 20413 case, 1,844,345 min
};

function catalog(): GpElementSet[] {
  const lines = readReferenceText('tle/celestrak-active-2026-05-07.txt').split(/\r?\n/);
  const sets: GpElementSet[] = [];
  for (let i = 0; i < lines.length - 1; i++) {
    if (lines[i].startsWith('1 ') && lines[i + 1].startsWith('2 ')) sets.push(gpFromTle(lines[i], lines[i + 1], lines[i - 1]));
  }
  return sets;
}

describe('sgp4 plugin (real kernel)', function () {
  this.timeout(60_000);
  let tk: TestKernel;
  let sgp4: Propagator;

  before(async () => {
    tk = await createTestKernel({ plugins: [PLUGIN] });
    await tk.waitForState('sgp4', 'running');
    sgp4 = tk.service(Sgp4PropagatorToken);
  });
  after(async () => tk?.stop());

  it('reproduces Vallado et al. 2006 (tcppver.out) through the service, with typed errors at the right instant', async () => {
    const cases = verificationCases();
    const seen = new Set<string>();
    let worstKm = 0;
    for (const c of cases) {
      const key = seen.has(String(c.satnum)) ? `${c.satnum}-2` : String(c.satnum);
      seen.add(String(c.satnum));
      const gp = gpFromTle(c.line1, c.line2);
      const minutes = driverMinutes(c);
      const instantsUtc = instantsAfterEpoch(c.line1, minutes);
      const { outcomes } = await sgp4.propagate({ subjects: [{ id: key, gp }], times: { instantsUtc }, frame: 'TEME' });
      expect(outcomes).to.have.length(1);
      const o = outcomes[0];
      expect(o.id).to.equal(key);
      if (c.satnum === 33334) {
        // fails at initialisation (the reference's one row repeats the previous case's last state)
        expect(o.ok, JSON.stringify(o)).to.equal(false);
        expect((o as Failed).error.code).to.equal('eccentricity');
        expect((o as Failed).error.atUtc).to.equal(gp.epochUtc);
        continue;
      }
      const missing = firstMissingMinute(c);
      let ok: Ok;
      if (missing !== undefined) {
        expect(o.ok, `${key} should fail`).to.equal(false);
        const err = (o as Failed).error;
        expect(err.code, err.message).to.equal(EXPECTED_ERRORS[key]);
        expect(err.atUtc, err.message).to.equal(instantsAfterEpoch(c.line1, [missing])[0]);
        expect(err.message).to.contain(`NORAD ${c.satnum}`).and.contain('min after the element-set epoch');
        // the instants up to the last reference row propagate
        const before = await sgp4.propagate({ subjects: [{ id: key, gp }], times: { instantsUtc: instantsUtc.slice(0, c.rows.length) }, frame: 'TEME' });
        ok = before.outcomes[0] as Ok;
      } else {
        expect(EXPECTED_ERRORS[key]).to.equal(undefined);
        ok = o as Ok;
      }
      expect(ok.ok, JSON.stringify(ok)).to.equal(true);
      expect(ok.frame).to.equal('TEME');
      c.rows.forEach((row, k) => {
        expect(ok.epochsUtc[k]).to.equal(instantsUtc[k]);
        const dPos = Math.hypot(ok.posKm[k][0] - row[1], ok.posKm[k][1] - row[2], ok.posKm[k][2] - row[3]);
        const dVel = Math.hypot(ok.velKmS[k][0] - row[4], ok.velKmS[k][1] - row[5], ok.velKmS[k][2] - row[6]);
        expect(dPos, `${key} at ${row[0]} min`).to.be.at.most(POS_TOL_KM);
        expect(dVel, `${key} at ${row[0]} min`).to.be.at.most(VEL_TOL_KMS);
        worstKm = Math.max(worstKm, dPos);
      });
    }
    expect(seen.size).to.equal(32);
    expect(worstKm).to.be.greaterThan(0).and.at.most(POS_TOL_KM);
  });

  it('propagates the 15,347-object catalog at 3 epochs: one outcome per subject, in order, errors as values', async () => {
    const sets = catalog();
    expect(sets).to.have.length(15_347);
    const subjects = sets.map((gp) => ({ id: String(gp.noradId), gp }));
    const t0 = Date.now();
    const { outcomes } = await sgp4.propagate({ subjects, times: { startUtc: '2026-05-08T00:00:00Z', stopUtc: '2026-05-09T00:00:00Z', stepS: 43_200 }, frame: 'TEME' });
    const elapsedMs = Date.now() - t0;
    expect(outcomes).to.have.length(subjects.length);
    let failed = 0;
    outcomes.forEach((o, i) => {
      expect(o.id).to.equal(subjects[i].id);
      if (!o.ok) {
        failed++;
        expect(o.error.code).to.be.oneOf(['decayed', 'eccentricity', 'diverged', 'invalid-elements']);
        expect(o.error.message).to.be.a('string').and.not.equal('');
        return;
      }
      expect(o.epochsUtc).to.deep.equal(['2026-05-08T00:00:00.000Z', '2026-05-08T12:00:00.000Z', '2026-05-09T00:00:00.000Z']);
      // physical sanity, not a reference: above the Earth's surface, below ~lunar distance
      for (const r of o.posKm) expect(Math.hypot(...r)).to.be.within(6_378, 400_000);
    });
    expect(failed).to.be.below(100);
    process.stdout.write(`      ${subjects.length} subjects × 3 epochs in ${elapsedMs} ms, ${failed} typed errors\n`);
  });

  it('offers the bulk TEME path through the service token: the catalog × 3 epochs, the states of propagate() to 1e-9 km', async () => {
    const sets = catalog();
    const times = { startUtc: '2026-05-08T00:00:00Z', stopUtc: '2026-05-09T00:00:00Z', stepS: 43_200 };
    const { outcomes } = await sgp4.propagate({ subjects: sets.map((gp) => ({ id: String(gp.noradId), gp })), times, frame: 'TEME' });
    const bulk = (sgp4 as Sgp4Propagator).propagateTemeBulk;
    expect(bulk, 'propagator.sgp4 offers propagateTemeBulk in-process').to.be.a('function');
    const seen = new Uint8Array(sets.length);
    let worst = 0;
    let compared = 0;
    const summary = await bulk!(sets, times, (c) => {
      for (let k = 0; k < c.count; k++) {
        const s = c.subjectIndex[k];
        seen[s]++;
        const ref = outcomes[s];
        // same failures as propagate(): a subject failing there fails here (at some instant)
        expect(c.failIndex[k] >= 0, `subject ${s} (${sets[s].noradId}) fails in both or neither`).to.equal(!ref.ok);
        if (!ref.ok) continue;
        for (let i = 0; i < c.instants; i++)
          for (let q = 0; q < 3; q++) worst = Math.max(worst, Math.abs(c.posTemeKm[(k * c.instants + i) * 3 + q] - ref.posKm[i][q]));
        compared++;
      }
    });
    for (const r of summary.rejected) {
      seen[r.index]++;
      expect(outcomes[r.index].ok).to.equal(false);
    }
    expect([...seen].every((n) => n === 1), 'every element set answered once (chunk or rejection)').to.equal(true);
    expect(summary.instants).to.equal(3);
    expect(compared).to.be.above(15_000);
    // both paths run the same SGP4 (satellite.js); the bulk path shifts epochs exactly, so only
    // floating-point ordering differs: 1e-9 km (1 µm)
    expect(worst).to.be.below(1e-9);
  });

  it('answers a bad subject in its slot and refuses a malformed request with a named reason', async () => {
    const good = gpFromTle('1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753', '2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667');
    const { line1: _l1, line2: _l2, ...fieldsOnly } = good;
    const bad: GpElementSet = { ...fieldsOnly, eccentricity: 1.2 };
    const { outcomes } = await sgp4.propagate({
      subjects: [{ id: 'a', gp: good }, { id: 'b' }, { id: 'c', gp: bad }, { id: 'd', gp: fieldsOnly }],
      times: { instantsUtc: ['2000-06-28T00:50:19.733Z'] },
      frame: 'TEME',
    });
    expect(outcomes.map((o) => [o.id, o.ok])).to.deep.equal([['a', true], ['b', false], ['c', false], ['d', true]]);
    expect((outcomes[1] as Failed).error.code).to.equal('unsupported');
    expect((outcomes[2] as Failed).error).to.include({ code: 'invalid-elements' });
    expect((outcomes[2] as Failed).error.message).to.contain('eccentricity');
    // OMM-style fields (json2satrec) and the TLE lines give the same orbit: the fields are the
    // lines' values; the epoch goes to satellite.js at ms resolution for deep-space terms only.
    const a = (outcomes[0] as Ok).posKm[0];
    const d = (outcomes[3] as Ok).posKm[0];
    expect(Math.hypot(a[0] - d[0], a[1] - d[1], a[2] - d[2])).to.be.below(1e-3);
    try {
      await sgp4.propagate({ subjects: [{ id: 'a', gp: good }], times: { startUtc: '2000-06-28T00:00:00Z', stopUtc: '2000-06-27T00:00:00Z', stepS: 60 }, frame: 'TEME' });
      expect.fail('accepted a window that ends before it starts');
    } catch (err) {
      expect((err as Error).message).to.contain('times.stopUtc 2000-06-27T00:00:00Z is before times.startUtc');
    }
  });

  it('GCRF with no EOP provider: zero EOP, said in health', async () => {
    const gp = gpFromTle('1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753', '2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667');
    const at = ['2000-06-28T00:50:19.733Z'];
    const [teme] = (await sgp4.propagate({ subjects: [{ id: 'x', gp }], times: { instantsUtc: at }, frame: 'TEME' })).outcomes as Ok[];
    const [gcrf] = (await sgp4.propagate({ subjects: [{ id: 'x', gp }], times: { instantsUtc: at }, frame: 'GCRF' })).outcomes as Ok[];
    expect(gcrf.frame).to.equal('GCRF');
    const expected = transformState({ posKm: teme.posKm[0], velKmS: teme.velKmS[0] }, 'TEME', 'GCRF', Epoch.parse(at[0]), { ut1MinusUtcS: 0, lodS: 0, xpArcsec: 0, ypArcsec: 0 });
    // the service's packed rotation = the sdk/astro/frames transform (validated there against Vallado)
    expect(Math.hypot(...gcrf.posKm[0].map((x, i) => x - expected.posKm[i]))).to.be.below(1e-9);
    await new Promise((r) => setTimeout(r, 300)); // one heartbeat (200 ms in the test kernel)
    expect(tk.status('sgp4')?.health?.detail).to.contain('ZERO EOP');
  });
});

describe('sgp4 plugin: ITRF output with an EOP provider, and the WASM engine', function () {
  this.timeout(60_000);
  // EOP values of Vallado 4th ed. Example 3-15 (any realistic values exercise the rotation; these are published).
  const EOP = { xpArcsec: -0.140682, ypArcsec: 0.333309, ut1MinusUtcS: -0.4399619, lodS: 0.0015563 };
  const calls: number[][] = [];
  const eop: EopProvider = {
    at: async (mjds) => {
      calls.push(mjds);
      return mjds.map((mjdUtc): EopRecord & ProvenanceFlags => ({ mjdUtc, ...EOP, predicted: false, source: 'test', extrapolated: false }));
    },
    coverage: async () => ({ source: 'test', firstMjd: 0, lastMjd: 1e6, lastObservedMjd: 1e6, loadedAtUtc: '2026-01-01T00:00:00Z' }),
    leapSeconds: async () => [],
  };
  let tk: TestKernel;
  after(async () => tk?.stop());

  it('uses the EOP provider once per request and rotates TEME → ITRF with ω × r', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN], services: [{ token: EopProviderToken, implementation: eop }], config: { plugins: { sgp4: { config: { engine: 'wasm', wasmThreads: 1 } } } } });
    await tk.waitForState('sgp4', 'running');
    const sgp4 = tk.service(Sgp4PropagatorToken);
    const [name, l1, l2] = readReferenceText('tle/celestrak-stations-2025-06-29.txt').split(/\r?\n/);
    const gp = gpFromTle(l1, l2, name);
    const window = { startUtc: '2025-06-29T12:00:00Z', stopUtc: '2025-06-29T13:00:00Z', stepS: 600 };
    const [teme] = (await sgp4.propagate({ subjects: [{ id: 'iss', gp }], times: window, frame: 'TEME' })).outcomes as Ok[];
    const [itrf] = (await sgp4.propagate({ subjects: [{ id: 'iss', gp }], times: window, frame: 'ITRF' })).outcomes as Ok[];
    expect(calls).to.have.length(1);
    expect(calls[0]).to.have.length(7);
    for (let i = 0; i < 7; i++) {
      const expected = transformState({ posKm: teme.posKm[i], velKmS: teme.velKmS[i] }, 'TEME', 'ITRF', Epoch.parse(teme.epochsUtc[i]), EOP);
      expect(Math.hypot(...itrf.posKm[i].map((x, k) => x - expected.posKm[k]))).to.be.below(1e-9);
      expect(Math.hypot(...itrf.velKmS[i].map((x, k) => x - expected.velKmS[k]))).to.be.below(1e-12);
    }
    // the WASM engine answered (engine: wasm) and said so
    await new Promise((r) => setTimeout(r, 300));
    expect(tk.status('sgp4')?.health?.detail).to.contain('wasm-1-thread').and.not.contain('ZERO EOP');
  });
});
