import { expect } from 'chai';
import { sgp4, twoline2satrec, type SatRec } from 'satellite.js';
import { readReferenceText } from '../reference-data';
import {
  bulkTimesFromUnixMs,
  createSgp4Bulk,
  FAKE_BASE_JD,
  jdUtcOfUnixMs,
  sgp4ErrorKind,
  shiftBulkTimes,
  type Sgp4BulkMode,
  type Sgp4BulkSubject,
  type ShiftedBulkTimes,
} from '../sgp4-bulk';

/** The first `n` catalog objects SGP4 accepts, with their epochs as two-part JDs (from satellite.js's one-double epoch). */
function catalogSubjects(n: number): Sgp4BulkSubject[] {
  const lines = readReferenceText('tle/celestrak-active-2026-05-07.txt').split(/\r?\n/);
  const out: Sgp4BulkSubject[] = [];
  for (let i = 0; i < lines.length - 1 && out.length < n; i++) {
    if (!lines[i].startsWith('1 ') || !lines[i + 1].startsWith('2 ')) continue;
    const satrec = twoline2satrec(lines[i], lines[i + 1]);
    if (satrec.error !== 0) continue;
    const day = Math.floor(satrec.jdsatepoch - 0.5) + 0.5;
    out.push({ satrec, epochJdUtc: [day, satrec.jdsatepoch - day] });
  }
  return out;
}

/** The plain satellite.js `sgp4()` at the same instants: the independent computation the WASM output is checked against. */
function plain(subject: Sgp4BulkSubject, jdDay: number, jdFrac: number): { pos: number[]; vel: number[] } | number {
  const satrec = { ...subject.satrec } as SatRec;
  const pv = sgp4(satrec, (jdDay - subject.epochJdUtc[0] + (jdFrac - subject.epochJdUtc[1])) * 1440);
  if (!pv || satrec.error !== 0) return satrec.error || 6;
  return { pos: [pv.position.x, pv.position.y, pv.position.z], vel: [pv.velocity.x, pv.velocity.y, pv.velocity.z] };
}

function shifted(startMs: number, stepMs: number, n: number): ShiftedBulkTimes {
  const s = shiftBulkTimes(bulkTimesFromUnixMs(startMs, stepMs, n));
  if ('reason' in s) throw new Error(s.reason);
  return s;
}

describe('sdk/sgp4-bulk: one WASM bulk SGP4 runtime', function () {
  this.timeout(30_000);

  it('two-part Julian dates of Unix milliseconds, and the fake window starting at JD 0.5', () => {
    expect(jdUtcOfUnixMs(0)).to.deep.equal([2440587.5, 0]);
    expect(jdUtcOfUnixMs(Date.UTC(2026, 4, 7, 18))).to.deep.equal([2461167.5, 0.75]);
    expect(jdUtcOfUnixMs(-43_200_000)).to.deep.equal([2440586.5, 0.5]);
    expect(FAKE_BASE_JD).to.equal(0.5);
  });

  it('shifts whole-millisecond instants exactly and says why others cannot be shifted', () => {
    const t = shifted(Date.UTC(2026, 4, 7, 12), 60_000, 3);
    expect(Array.from(t.fakeUnixMs, (ms) => ms - t.fakeUnixMs[0])).to.deep.equal([0, 60_000, 120_000]);
    expect(t.originJd).to.deep.equal([2461167.5, 0.5]);
    // the earliest instant is the origin whatever the order
    const back = shiftBulkTimes(bulkTimesFromUnixMs(Date.UTC(2026, 4, 7, 12), -1_000, 3));
    expect('reason' in back ? back.reason : back.originJd).to.deep.equal(jdUtcOfUnixMs(Date.UTC(2026, 4, 7, 12) - 2_000));
    const sub = shiftBulkTimes(bulkTimesFromUnixMs(Date.UTC(2026, 4, 7, 12), 0.5, 3));
    expect('reason' in sub && sub.reason).to.equal('instant #1 is not a whole number of milliseconds after instant #0');
    const long = shiftBulkTimes({ count: 2, jdDay: [2461167.5, 2461167.5 + 4001], jdFrac: [0, 0] }, (i) => `t${i}`);
    expect('reason' in long && long.reason).to.equal('instants span more than 4000 days (t0 → t1)');
  });

  it('maps Vallado error codes to the interface codes', () => {
    expect([1, 2, 3, 4, 6, 5].map(sgp4ErrorKind)).to.deep.equal(['eccentricity', 'diverged', 'eccentricity', 'diverged', 'decayed', 'internal']);
  });

  const modes: [Sgp4BulkMode, number][] = [
    ['single', 1],
    ['pthreads', 2],
    ['workers', 2],
  ];
  for (const [mode, threads] of modes) {
    it(`${mode} (${threads} thread${threads > 1 ? 's' : ''}): every object once, same states as the plain sgp4() loop, first failure and its code`, async () => {
      const subjects = catalogSubjects(23);
      // a record that decays within the window: the 1st object with a huge drag term (B* = 0.5 /ER and ṅ)
      const decaying = twoline2satrec('1 99999U 26001A   26127.50000000  .50000000  00000-0  50000-0 0  9990', '2 99999  51.6000 100.0000 0005000  90.0000 270.0000 16.20000000    19');
      expect(decaying.error).to.equal(0);
      const day = Math.floor(decaying.jdsatepoch - 0.5) + 0.5;
      subjects.splice(5, 0, { satrec: decaying, epochJdUtc: [day, decaying.jdsatepoch - day] });
      // the same record twice in one chunk; the callers' records must come back untouched
      subjects.splice(7, 0, subjects[6]);
      const before = subjects.map((s) => JSON.stringify(s.satrec));
      const startMs = Date.UTC(2026, 4, 7, 12, 0, 0, 123);
      const n = 97;
      const times = shifted(startMs, 37_000, n);
      const engine = createSgp4Bulk({ mode, threads, chunkSatellites: 5 });
      const seen = new Array<number>(subjects.length).fill(0);
      let worst = 0;
      let decayAt = -2;
      try {
        await engine.propagate(subjects, times, (c) => {
          expect(c.count).to.be.within(1, 5);
          expect(c.instants).to.equal(n);
          for (let k = 0; k < c.count; k++) {
            const s = c.first + k;
            seen[s]++;
            for (let i = 0; i < n; i++) {
              const [d, f] = jdUtcOfUnixMs(startMs + i * 37_000);
              const ref = plain(subjects[s], d, f);
              if (typeof ref === 'number') {
                expect(c.failIndex[k], `object ${s}: first failure`).to.equal(i);
                expect(c.failCode[k]).to.equal(ref);
                if (s === 5) decayAt = i;
                break;
              }
              for (let q = 0; q < 3; q++) {
                worst = Math.max(worst, Math.abs(c.posTemeKm[(k * n + i) * 3 + q] - ref.pos[q]), 1e3 * Math.abs(c.velTemeKmS[(k * n + i) * 3 + q] - ref.vel[q]));
              }
              if (i === n - 1) expect(c.failIndex[k], `object ${s} never fails`).to.equal(-1);
            }
          }
        });
      } finally {
        await engine.dispose();
      }
      expect(seen).to.deep.equal(new Array(subjects.length).fill(1));
      expect(subjects.map((s) => JSON.stringify(s.satrec))).to.deep.equal(before);
      expect(decayAt, 'the decaying record fails inside the window').to.be.within(1, n - 1);
      // The C++ and JS codes of the same algorithm in doubles, on the same time since epoch: far
      // below the 2 mm / 1e-5 m/s of Orekit's compliance test on Vallado's set (plugins/sgp4/test).
      expect(worst).to.be.below(1e-8);
    });
  }

  it('workers keep the records between calls (sent once), and forget them all past their bound: same states', async () => {
    const subjects = catalogSubjects(30);
    const times = shifted(Date.UTC(2026, 4, 7), 60_000, 20);
    const collect = async (engine: ReturnType<typeof createSgp4Bulk>, list: Sgp4BulkSubject[]): Promise<Float64Array> => {
      const out = new Float64Array(list.length * 20 * 3);
      await engine.propagate(list, times, (c) => out.set(c.posTemeKm, c.first * 20 * 3));
      return out;
    };
    const single = createSgp4Bulk({ mode: 'single' });
    const reference = await collect(single, subjects);
    await single.dispose();
    // bound 12 < 30 records: every worker forgets and is sent them again within each call
    for (const workerRecordsMax of [100_000, 12]) {
      const engine = createSgp4Bulk({ mode: 'workers', threads: 2, chunkSatellites: 4, workerRecordsMax });
      try {
        for (let call = 0; call < 3; call++) {
          // a different order each call: the ids, not the positions, name the records
          const order = call === 1 ? [...subjects].reverse() : subjects;
          const got = await collect(engine, order);
          const expected = call === 1 ? Float64Array.from(order.flatMap((_, i) => Array.from(reference.subarray((order.length - 1 - i) * 60, (order.length - i) * 60)))) : reference;
          expect(Array.from(got), `bound ${workerRecordsMax}, call ${call}`).to.deep.equal(Array.from(expected));
        }
      } finally {
        await engine.dispose();
      }
    }
  });

  it('an exception of the consumer and an aborted signal end the call; the engine serves the next one', async () => {
    const subjects = catalogSubjects(12);
    const times = shifted(Date.UTC(2026, 4, 7), 60_000, 10);
    for (const [mode, threads] of modes) {
      const engine = createSgp4Bulk({ mode, threads, chunkSatellites: 3 });
      try {
        await engine.warmUp();
        let err: Error | undefined = await engine.propagate(subjects, times, () => {
          throw new Error('consumer failed');
        }).then(() => undefined, (e: Error) => e);
        expect(err?.message, mode).to.equal('consumer failed');
        const ctl = new AbortController();
        let chunks = 0;
        err = await engine.propagate(subjects, times, () => (++chunks === 1 ? ctl.abort() : undefined), { signal: ctl.signal }).then(() => undefined, (e: Error) => e);
        expect(err?.message, mode).to.match(/abandoned/);
        let rows = 0;
        await engine.propagate(subjects, times, (c) => (rows += c.count));
        expect(rows, mode).to.equal(12);
      } finally {
        await engine.dispose();
      }
      const after = await engine.propagate(subjects, times, () => undefined).then(() => undefined, (e: Error) => e);
      expect(after?.message, mode).to.match(/is disposed/);
    }
  });
});
