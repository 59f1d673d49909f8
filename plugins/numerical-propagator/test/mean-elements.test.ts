import { expect } from 'chai';
import * as path from 'node:path';
import { AnalyticalPropagatorToken, NumericalPropagatorToken, Sgp4PropagatorToken, type PropagationOutcome, type Propagator } from '../../../interfaces/services/propagation';
import { MU_EARTH_KM3_S2 } from '../../../sdk/astro/constants';
import { readReferenceText } from '../../../sdk/reference-data';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { readTles } from '../../../sdk/tle';

const PLUGIN = path.join(__dirname, '..');
const SGP4 = path.join(__dirname, '..', '..', 'sgp4');
const ANALYTICAL = path.join(__dirname, '..', '..', 'analytical-propagators');

const ok = (o: PropagationOutcome) => {
  if (!o.ok) throw new Error(`outcome failed: ${o.error.code}: ${o.error.message}`);
  return o;
};
const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe('numerical-propagator: mean-element subjects through the services of their theory', function () {
  this.timeout(60_000);
  let tk: TestKernel | undefined;
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
  });
  const iss = readTles(readReferenceText('tle/celestrak-stations-2025-06-29.txt'), 'stations').records[0].set;
  const mean = { epoch: { iso: '2024-03-01T00:00:00', scale: 'UTC' as const }, frame: 'GCRF' as const, muKm3S2: MU_EARTH_KM3_S2, aKm: 7078.137, e: 0.001, iDeg: 98, raanDeg: 10, argpDeg: 90, anomalyDeg: 0, anomalyType: 'mean' as const, mean: true, theory: 'eckstein-hechler' };

  it('without propagator.sgp4 / propagator.analytical: "unsupported" naming the service and its plugin', async () => {
    tk = await createTestKernel({ plugins: [PLUGIN] });
    await tk.waitForState('numerical-propagator', 'running');
    const p = tk.service(NumericalPropagatorToken);
    const { outcomes } = await p.propagate({ subjects: [{ id: 'iss', gp: iss }, { id: 'eh', elements: mean }], times: { instantsUtc: [iss.epochUtc] }, frame: 'GCRF' });
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).to.deep.equal(['unsupported', 'unsupported']);
    expect(outcomes[0].ok ? '' : outcomes[0].error.message).to.match(/GP element set.*propagator\.sgp4 service \(plugin 'sgp4'\), which is not running/);
    expect(outcomes[1].ok ? '' : outcomes[1].error.message).to.match(/mean elements \(eckstein-hechler\).*propagator\.analytical service \(plugin 'analytical-propagators'\)/);
  });

  it('a GP set starts from the SGP4 state at its epoch; Eckstein–Hechler mean elements from the theory\'s osculating state, which a zonal integration then follows', async () => {
    tk = await createTestKernel({ plugins: [SGP4, ANALYTICAL, PLUGIN] });
    for (const n of ['sgp4', 'analytical-propagators', 'numerical-propagator']) await tk.waitForState(n, 'running');
    const p: Propagator = tk.service(NumericalPropagatorToken);
    expect((await p.capabilities()).inputs).to.include('gp');

    // GP: the state at the set's epoch is SGP4's (both converted TEME → GCRF with the same zero EOP)
    const later = new Date(Date.parse(iss.epochUtc.endsWith('Z') ? iss.epochUtc : `${iss.epochUtc}Z`) + 3600e3).toISOString();
    const times = { instantsUtc: [iss.epochUtc, later] };
    const num = ok((await p.propagate({ subjects: [{ id: 'iss', gp: iss, physical: { massKg: 420000, dragAreaM2: 1600, cd: 2.2 } }], times, frame: 'GCRF' })).outcomes[0]);
    const sgp = ok((await tk.service(Sgp4PropagatorToken).propagate({ subjects: [{ id: 'iss', gp: iss }], times, frame: 'GCRF' })).outcomes[0]);
    expect(dist(num.posKm[0], sgp.posKm[0]), 'position at epoch').to.be.below(1e-6);
    expect(dist(num.velKmS[0], sgp.velKmS[0]), 'velocity at epoch').to.be.below(1e-9);
    // an hour later the two models (full force model vs SGP4) differ, but by kilometres at most, not by an orbit
    const d1 = dist(num.posKm[1], sgp.posKm[1]);
    expect(d1).to.be.above(1e-3).and.below(20);

    // mean elements: state at the epoch = the analytical propagator's (mean → osculating), then a J2…J6
    // integration follows the theory: a mean/osculating mix-up (Δa ≈ 1e-3 a ≈ 7 km) would drift by tens of km in an hour
    const zonal = { degree: 6, order: 0, sun: false, moon: false, drag: 'none', srp: false };
    const tMean = { instantsUtc: ['2024-03-01T00:00:00', '2024-03-01T01:00:00', '2024-03-01T03:00:00'] };
    const n2 = ok((await p.propagate({ subjects: [{ id: 'eh', elements: mean }], times: tMean, frame: 'GCRF', forceModel: zonal })).outcomes[0]);
    const an = ok((await tk.service(AnalyticalPropagatorToken).propagate({ subjects: [{ id: 'eh', elements: mean }], times: tMean, frame: 'GCRF' })).outcomes[0]);
    expect(dist(n2.posKm[0], an.posKm[0]), 'position at epoch').to.be.below(1e-6);
    expect(dist(n2.velKmS[0], an.velKmS[0]), 'velocity at epoch').to.be.below(1e-9);
    // the theory's own error against a zonal integration: 141 m over a day (analytical-propagators README); here ≤ 3 h
    expect(dist(n2.posKm[1], an.posKm[1]), 'after 1 h').to.be.below(0.2);
    expect(dist(n2.posKm[2], an.posKm[2]), 'after 3 h').to.be.below(0.2);
  });
});
