import { expect } from 'chai';
import type { GpElementSet } from '../../../interfaces/domain/catalog';
import type { PropagationOutcome } from '../../../interfaces/services/propagation';
import { readReferenceText } from '../../../sdk/reference-data';
import { sgp4Config } from '../config';
import { gpFromTle } from '../elements';
import { Sgp4Service } from '../service';

type Ok = Extract<PropagationOutcome, { ok: true }>;

/** Every 40th object of the catalog (a mix of LEO, MEO, GEO and HEO), plus a few that must fail. */
function sample(): GpElementSet[] {
  const lines = readReferenceText('tle/celestrak-active-2026-05-07.txt').split(/\r?\n/);
  const sets: GpElementSet[] = [];
  for (let i = 0, k = 0; i < lines.length - 1; i++) {
    if (lines[i].startsWith('1 ') && lines[i + 1].startsWith('2 ') && k++ % 40 === 0) sets.push(gpFromTle(lines[i], lines[i + 1], lines[i - 1]));
  }
  return sets;
}

describe('sgp4 service: bulk TEME path (Float64Array chunks)', function () {
  this.timeout(60_000);
  const sets = sample();
  // refused before propagation (eccentricity ≥ 1 is refused by the schema) and one that decays within the window
  const bad = { ...sets[3], line1: undefined, line2: undefined, eccentricity: 1.2 } as GpElementSet;
  const decaying = gpFromTle('1 99999U 26001A   26127.50000000  .50000000  00000-0  50000-0 0  9990', '2 99999  51.6000 100.0000 0005000  90.0000 270.0000 16.20000000    19');
  const input = [...sets.slice(0, 100), bad, decaying, ...sets.slice(100)];
  const times = { startUtc: '2026-05-07T12:00:00Z', stopUtc: '2026-05-07T15:59:00Z', stepS: 60 }; // 240 instants: WASM in `auto`

  for (const cfg of [{ wasmThreads: 2 }, { wasmThreads: 1 }, { engine: 'js' as const }]) {
    it(`${JSON.stringify(cfg)}: every valid set once, the states of propagate() (plain loop), failures and refusals named`, async () => {
      const service = new Sgp4Service(sgp4Config.parse({ ...cfg, wasmChunkSatellites: 37 }), { eop: () => undefined });
      const reference = new Sgp4Service(sgp4Config.parse({ engine: 'js' }), { eop: () => undefined });
      try {
        const { outcomes } = await reference.propagate({ subjects: input.map((gp, i) => ({ id: String(i), gp })), times, frame: 'TEME' });
        const seen = new Array<number>(input.length).fill(0);
        let worstKm = 0;
        const failures: { s: number; at: number; atUtc?: string }[] = [];
        const summary = await service.propagateTemeBulk(input, times, (c) => {
          expect(c.count).to.equal(c.subjectIndex.length);
          for (let k = 0; k < c.count; k++) {
            const s = c.subjectIndex[k];
            seen[s]++;
            const ref = outcomes[s];
            if (!ref.ok) {
              failures.push({ s, at: c.failIndex[k], atUtc: ref.error.atUtc });
              continue;
            }
            expect(c.failIndex[k], `subject ${s} does not fail`).to.equal(-1);
            const r = ref as Ok;
            for (let i = 0; i < c.instants; i++) {
              for (let q = 0; q < 3; q++) {
                worstKm = Math.max(worstKm, Math.abs(c.posTemeKm[(k * c.instants + i) * 3 + q] - r.posKm[i][q]), 1e3 * Math.abs(c.velTemeKmS[(k * c.instants + i) * 3 + q] - r.velKmS[i][q]));
              }
            }
          }
        });
        expect(summary.engine).to.equal(cfg.engine === 'js' ? 'js-loop' : cfg.wasmThreads === 2 ? 'wasm-workers-2' : 'wasm-1-thread');
        expect(summary.instants).to.equal(240);
        expect(summary.epochsUtc[239]).to.equal('2026-05-07T15:59:00.000Z');
        expect(summary.rejected).to.have.length(1);
        expect(summary.rejected[0]).to.include({ index: 100, code: 'invalid-elements' });
        expect(summary.rejected[0].message).to.match(/^elements\[100\] \(NORAD \d+\): invalid element set: eccentricity/);
        expect(seen.filter((x, i) => x !== (i === 100 ? 0 : 1))).to.deep.equal([]);
        // the decaying set only, failing at the instant propagate() names
        expect(failures).to.have.length(1);
        expect(failures[0].s).to.equal(101);
        expect(failures[0].at).to.be.within(1, 239);
        expect(summary.epochsUtc[failures[0].at]).to.equal(failures[0].atUtc);
        // C++ (WASM) against JS SGP4 on the same time since epoch: far below the 2 mm / 1e-5 m/s of the Vallado tests
        expect(worstKm).to.be.below(1e-8);
      } finally {
        await service.dispose();
        await reference.dispose();
      }
    });
  }
});
