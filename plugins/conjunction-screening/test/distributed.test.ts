import { expect } from 'chai';
import * as net from 'node:net';
import * as path from 'node:path';
import { connect } from 'nats';
import type { Conjunction } from '../../../interfaces/domain/conjunction';
import { CatalogToken } from '../../../interfaces/services/acquisition';
import { ConjunctionScreenerToken } from '../../../interfaces/services/collision';
import { readReferenceText } from '../../../sdk/reference-data';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { ScreeningPart, screenDistributed } from '../distributed';
import { Sgp4Source, isoToMs } from '../objects';
import { screenPart, type ScreenEvent } from '../screen';
import { sphere } from '../service';
import { readTleText } from '../tle-text';

/**
 * Distributed screening over NATS (issue 9): a coordinator kernel (distributed on, not a
 * worker) and two worker kernels, each with tle-catalog + sgp4 + this plugin, on a real
 * catalog subset (tle/celestrak-active-2026-05-07.txt): ISS, Hubble and Tiangong against 300
 * objects of their altitude band (mean motion 14.8–16.2 rev/day), 6 h, 100 km sphere (a wide volume, for enough events in a short test). The
 * reference is the same request screened on one node (a kernel without NATS): the events must
 * be IDENTICAL (deep equality of the records but `detectedAtUtc`, same order) — the split and
 * merge must not change a bit, because every number crosses JSON unchanged.
 */
const FILE = 'tle/celestrak-active-2026-05-07.txt';
const PRIMARIES = [25544, 20580, 48274];
const START = '2026-05-07T12:00:00.000Z';
const STOP = '2026-05-07T18:00:00.000Z';
const MISS_KM = 100;
const ROOT = path.join(__dirname, '../..');
// The machine's NATS server (as test/distributed; plugins may not import the project's tests).
const NATS_URL = process.env.SCOOP_TEST_NATS ?? 'nats://127.0.0.1:4222';

function natsReachable(): Promise<boolean> {
  const u = new URL(NATS_URL.replace(/^nats:/, 'http:'));
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || 4222) });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
  });
}

/** A subject prefix and stream of this run only, so that no other test sees its messages. */
function uniqueNamespace(): { prefix: string; stream: string } {
  const id = `scr${process.pid}${Math.random().toString(36).slice(2, 8)}`.replace(/[^A-Za-z0-9]/g, '');
  return { prefix: `t${id}`, stream: `T${id}`.toUpperCase() };
}

function subsetText(): string {
  const lines = readReferenceText(FILE).split(/\r?\n/);
  const sets = readTleText(lines.join('\n'), FILE);
  const band = sets.filter((g) => !PRIMARIES.includes(g.noradId) && g.meanMotionRevPerDay > 14.8 && g.meanMotionRevPerDay < 16.2);
  const chosen = [...sets.filter((g) => PRIMARIES.includes(g.noradId)), ...band.filter((_, i) => i % 10 === 0).slice(0, 300)];
  expect(chosen).to.have.length(303);
  return chosen.map((g) => `${g.objectName ?? g.noradId}\n${g.line1}\n${g.line2}`).join('\n') + '\n';
}

const pluginConfig = (distributed: Record<string, unknown>) => ({
  'conjunction-screening': { config: { schedule: { cron: null, onCatalogUpdate: false }, publish: false, filters: { wasmThreads: 0 }, distributed } },
});

const strip = (cs: Conjunction[]) => cs.map(({ detectedAtUtc: _d, ...rest }) => rest);

describe('conjunction-screening distributed over NATS (coordinator + 2 workers)', function () {
  this.timeout(60_000);
  const kernels: TestKernel[] = [];
  let ns: { prefix: string; stream: string };
  let text: string;
  let reference: Conjunction[];
  let coordinator: TestKernel;
  let workers: TestKernel[];

  const boot = async (node: string, distributed: Record<string, unknown>, nats = true): Promise<TestKernel> => {
    const k = await createTestKernel({
      plugins: [path.join(ROOT, 'tle-catalog'), path.join(ROOT, 'sgp4'), path.join(__dirname, '..')],
      config: {
        ...(nats ? { kernel: { node, bus: { transport: 'nats', nats: { servers: [NATS_URL], prefix: ns.prefix, stream: ns.stream, discoveryMs: 300 } } } } : {}),
        plugins: pluginConfig(distributed),
      },
    });
    kernels.push(k);
    const ing = await k.service(CatalogToken).ingest(text, 'subset.tle');
    expect(ing.rejected).to.deep.equal([]);
    return k;
  };

  before(async function () {
    if (!(await natsReachable())) throw new Error(`NATS is not reachable at ${NATS_URL}; start it (README "Distributed mode") or set SCOOP_TEST_NATS`);
    ns = uniqueNamespace();
    text = subsetText();
    const single = await boot('single', {}, false);
    const r = await single.service(ConjunctionScreenerToken).screen({ primaries: PRIMARIES.map((noradId) => ({ noradId })), startUtc: START, stopUtc: STOP, missDistanceKm: MISS_KM });
    reference = r.conjunctions;
    coordinator = await boot('coord', { enabled: true, parts: 8, partTimeoutMs: 5000, retries: 3, serve: false });
    workers = [await boot('w1', {}), await boot('w2', {})];
  });
  after(async () => {
    for (const k of kernels.splice(0)) await k.stop().catch(() => undefined);
    const nc = await connect({ servers: NATS_URL });
    try {
      await (await nc.jetstreamManager()).streams.delete(ns.stream).catch(() => undefined);
    } finally {
      await nc.close();
    }
  });

  it('gives exactly the events of a single-node run, in the same order', async () => {
    // Enough events to make the comparison meaningful (the subset holds real approaches at 25 km).
    expect(reference.length).to.be.greaterThan(3);
    const r = await coordinator.service(ConjunctionScreenerToken).screen({ primaries: PRIMARIES.map((noradId) => ({ noradId })), startUtc: START, stopUtc: STOP, missDistanceKm: MISS_KM });
    expect(strip(r.conjunctions)).to.deep.equal(strip(reference));
  });

  it('completes a job when a worker stops during it (its parts re-issued to the other)', async () => {
    // The coordinator's own split (the service's code path), driven here so that the re-issues
    // and the answering workers can be seen; a heavier job (the primaries against every 4th
    // object of their band, ~3,200) so that parts are still running when w1 stops.
    const all = readTleText(readReferenceText(FILE), FILE);
    const primaries = PRIMARIES.map((id) => new Sgp4Source(all.find((g) => g.noradId === id)!));
    const secondaries = all.filter((g) => !PRIMARIES.includes(g.noradId) && g.meanMotionRevPerDay > 14.8 && g.meanMotionRevPerDay < 16.2).filter((_, i) => i % 4 === 0).map((g) => new Sgp4Source(g));
    const window = { startMs: isoToMs(START), stopMs: isoToMs(STOP) };
    const tuning = { stepS: 600, gridStepS: 20, blockHours: 24, tcaToleranceS: 1e-6, gridMinPrimaries: 32 };
    const warnings: string[] = [];
    const t0 = Date.now();
    let stopping: Promise<void> | undefined;
    const job = screenDistributed(
      { primaries, secondaries, window, volumes: { override: sphere(MISS_KM), byRegime: {}, fallback: sphere(MISS_KM) }, options: tuning },
      { parts: 16, partTimeoutMs: 5000, retries: 3 },
      // w1 is stopped when the first part comes back: by then it has answered at most one of the
      // ~8 parts the queue group gave it (16 parts at random over two workers), so the others
      // are running (aborted: 'worker-stopping' reply) or queued (discarded: timeout) → re-issued.
      (q, o) =>
        coordinator.bus.request(ScreeningPart, q, o).then((answer) => {
          stopping ??= workers[0].stop();
          return answer;
        }),
      { jobId: 'stop-test', log: { warn: (m) => void warnings.push(m) } },
    );
    const r = await job;
    await stopping;
    const tJob = Date.now() - t0;
    expect(warnings.length, `at least one part re-issued (job ${tJob} ms)`).to.be.greaterThan(0);
    expect(warnings[0]).to.match(/screening part \d+\/16 of job stop-test .* re-issued/);
    // Reference: the same job in one pure screenPart run here (plain sgp4() samples, as the workers).
    const one = await screenPart(primaries, secondaries, window, { ...tuning, volumeFor: () => sphere(MISS_KM) });
    expect(one.events.length).to.be.greaterThan(10);
    const flat = (es: ScreenEvent[]) => es.map((e) => ({ p: e.primary.id, s: e.secondary.id, tcaMs: e.tcaMs, geometry: e.geometry, states: [Array.from(e.states.primary), Array.from(e.states.secondary)], volume: e.volume }));
    expect(flat(r.events)).to.deep.equal(flat(one.events));
  });

  it('fails with the part named when no worker answers', async () => {
    await workers[1].stop();
    const err = await coordinator
      .service(ConjunctionScreenerToken)
      .screen({ primaries: [{ noradId: 25544 }], startUtc: START, stopUtc: STOP, missDistanceKm: MISS_KM })
      .then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/screening part \d+\/\d+ of job .* failed after 4 attempts \(3 retries\)/);
  });
});
