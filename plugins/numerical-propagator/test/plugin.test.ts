import { expect } from 'chai';
import * as path from 'node:path';
import type { Propagator, PropagationOutcome } from '../../../interfaces/services/propagation';
import { NumericalPropagatorToken } from '../../../interfaces/services/propagation';
import { EopProviderToken, GravityFieldProviderToken, type EopProvider, type GravityFieldProvider } from '../../../interfaces/services/reference-data';
import { keplerianToCartesian } from '../../../sdk/astro/elements';
import { frameTransform, ZERO_EOP } from '../../../sdk/astro/frames';
import { integrate } from '../../../sdk/astro/integrators';
import { Epoch } from '../../../sdk/astro/time';
import { propagateTwoBody, twoBodyTransition } from '../../../sdk/astro/twobody';
import { MU_EARTH_KM3_S2 } from '../../../sdk/astro/constants';
import { createTestKernel, type TestKernel } from '../../../sdk/testing';
import { referenceField } from './helpers';

const PLUGIN = path.join(__dirname, '..');
const DEG = Math.PI / 180;
const EPOCH = '2024-03-01T00:00:00.000';
const el = keplerianToCartesian({ aKm: 6878.137, e: 0.0012, iRad: 51.6 * DEG, raanRad: 30 * DEG, argpRad: 40 * DEG, trueAnomalyRad: 10 * DEG });
const STATE = { epoch: { iso: EPOCH, scale: 'UTC' as const }, frame: 'GCRF' as const, posKm: el.posKm, velKmS: el.velKmS };
const TWO_BODY = { degree: 0, order: 0, sun: false, moon: false, drag: 'none', srp: false, rtol: 1e-13, atolKm: 1e-10 };

const ok = (o: PropagationOutcome) => {
  if (!o.ok) throw new Error(`outcome failed: ${o.error.code}: ${o.error.message}`);
  return o;
};
const relErr = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) / Math.hypot(b[0], b[1], b[2]);

describe('numerical-propagator plugin in a kernel', function () {
  this.timeout(30_000);
  let tk: TestKernel | undefined;
  afterEach(async () => {
    await tk?.stop();
    tk = undefined;
  });
  /** health() is sampled by the kernel's heartbeat (200 ms in the test kernel): wait for a fresh report. */
  const healthDetail = async (until: (d: string) => boolean = (d) => !/none yet/.test(d)): Promise<string> => {
    for (let i = 0; i < 40; i++) {
      const d = tk!.status('numerical-propagator')?.health?.detail ?? '';
      if (until(d)) return d;
      await new Promise((r) => setTimeout(r, 50));
    }
    return tk!.status('numerical-propagator')?.health?.detail ?? '';
  };
  const boot = async (services: { token: any; implementation: object }[] = []): Promise<Propagator> => {
    tk = await createTestKernel({ plugins: [PLUGIN], services });
    await tk.waitForState('numerical-propagator', 'running');
    return tk.service(NumericalPropagatorToken);
  };

  it('starts with no config; two-body run equals the universal-variable solution to 1e-9 (state and elements inputs)', async () => {
    const p = await boot();
    const caps = await p.capabilities();
    expect(caps).to.include({ name: 'numerical', covariance: true, maneuvers: true });
    const { outcomes } = await p.propagate({
      subjects: [
        { id: 'sv', state: STATE },
        { id: 'kep', elements: { epoch: STATE.epoch, frame: 'GCRF', muKm3S2: MU_EARTH_KM3_S2, aKm: 6878.137, e: 0.0012, iDeg: 51.6, raanDeg: 30, argpDeg: 40, anomalyDeg: 10, anomalyType: 'true', mean: false } },
      ],
      times: { startUtc: '2024-02-29T23:00:00', stopUtc: '2024-03-02T00:00:00', stepS: 3600 },
      frame: 'GCRF',
      forceModel: TWO_BODY,
    });
    for (const o of outcomes.map(ok)) {
      expect(o.epochsUtc).to.have.length(26);
      expect(o.epochsUtc[0]).to.equal('2024-02-29T23:00:00.000Z');
      o.epochsUtc.forEach((iso, k) => {
        const dt = Epoch.parse(iso, 'UTC').minus(Epoch.parse(EPOCH, 'UTC'));
        const ref = propagateTwoBody(el.posKm, el.velKmS, dt);
        expect(relErr(o.posKm[k], ref.posKm), `${o.id} ${iso}`).to.be.below(1e-9);
        expect(relErr(o.velKmS[k], ref.velKmS)).to.be.below(1e-9);
      });
    }
  });

  it('covariance: Φ P₀ Φᵀ with the analytic two-body STM (input in RTN, metres) to 1e-7 relative', async () => {
    const p = await boot();
    const diag = [100, 400, 25, 1e-4, 4e-4, 1e-4]; // m², m²/s²
    const covM = diag.map((d, i) => diag.map((_, j) => (i === j ? d : 0)));
    const { outcomes } = await p.propagate({
      subjects: [{ id: 'c', state: STATE, covariance: { frame: 'RTN', units: 'm', matrix: covM } }],
      times: { instantsUtc: ['2024-03-01T06:00:00'] },
      frame: 'GCRF',
      covariance: true,
      forceModel: TWO_BODY,
    });
    const o = ok(outcomes[0]);
    expect(o.covariances).to.have.length(1);
    // reference: RTN → GCRF by the RTN axes, km units, then Φ from sdk/astro/twobody
    const r = el.posKm;
    const v = el.velKmS;
    const R = [r.map((x) => x / Math.hypot(...r))];
    const h = [r[1] * v[2] - r[2] * v[1], r[2] * v[0] - r[0] * v[2], r[0] * v[1] - r[1] * v[0]];
    const N = h.map((x) => x / Math.hypot(...h));
    const T = [N[1] * R[0][2] - N[2] * R[0][1], N[2] * R[0][0] - N[0] * R[0][2], N[0] * R[0][1] - N[1] * R[0][0]];
    const A = [R[0], T, N]; // rows: local axes
    const J = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i < 3 && j < 3 ? A[j][i] : i >= 3 && j >= 3 ? A[j - 3][i - 3] : 0)));
    const mul = (X: number[][], Y: number[][]) => X.map((row) => Y[0].map((_, j) => row.reduce((acc, x, k) => acc + x * Y[k][j], 0)));
    const tr = (X: number[][]) => X[0].map((_, j) => X.map((row) => row[j]));
    const P0 = mul(mul(J, covM.map((row) => row.map((x) => x * 1e-6))), tr(J));
    const phi = twoBodyTransition(el.posKm, el.velKmS, 6 * 3600).stm;
    const P = mul(mul(phi, P0), tr(phi));
    let d = 0;
    let n = 0;
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++) {
        d += (o.covariances![0][i][j] - P[i][j]) ** 2;
        n += P[i][j] ** 2;
      }
    expect(Math.sqrt(d / n)).to.be.below(1e-7);
  });

  it('manoeuvres: impulsive Δv in TNW and a finite burn equal independent two-body computations to 1e-9', async () => {
    const p = await boot();
    const tImp = 1800;
    const dvT = 0.01; // 10 m/s along the velocity
    const burnStart = 4000;
    const burnS = 300;
    const accel = 0.005 / burnS; // 5 m/s over 300 s, along GCRF +z
    const { outcomes } = await p.propagate({
      subjects: [
        {
          id: 'm',
          state: STATE,
          maneuvers: [
            { id: 'imp', objectId: 'm', kind: 'impulsive', epoch: { iso: '2024-03-01T00:30:00', scale: 'UTC' }, durationS: 0, deltaVKmS: [dvT, 0, 0], frame: 'TNW', purpose: 'other', status: 'planned' },
            { id: 'fin', objectId: 'm', kind: 'finite', epoch: { iso: '2024-03-01T01:06:40', scale: 'UTC' }, durationS: burnS, deltaVKmS: [0, 0, 0.005], frame: 'GCRF', purpose: 'other', status: 'planned' },
            { id: 'no', objectId: 'm', kind: 'impulsive', epoch: { iso: '2024-03-01T00:40:00', scale: 'UTC' }, durationS: 0, deltaVKmS: [1, 0, 0], frame: 'TNW', purpose: 'other', status: 'cancelled' },
          ],
        },
      ],
      times: { instantsUtc: ['2024-03-01T00:30:00', '2024-03-01T01:00:00', '2024-03-01T03:00:00'] },
      frame: 'GCRF',
      forceModel: TWO_BODY,
    });
    const o = ok(outcomes[0]);
    // before/at the impulse: plain two-body (state at the impulse instant = before the burn)
    const pre = propagateTwoBody(el.posKm, el.velKmS, tImp);
    expect(relErr(o.posKm[0], pre.posKm)).to.be.below(1e-9);
    const vhat = pre.velKmS.map((x) => x / Math.hypot(...pre.velKmS));
    const post = { posKm: pre.posKm, velKmS: pre.velKmS.map((x, i) => x + dvT * vhat[i]) };
    const at1h = propagateTwoBody(post.posKm, post.velKmS, 3600 - tImp);
    expect(relErr(o.posKm[1], at1h.posKm)).to.be.below(1e-9);
    // finite burn: integrate two-body + constant acceleration along z independently (DOPRI5)
    const ign = propagateTwoBody(post.posKm, post.velKmS, burnStart - tImp);
    const f = (_t: number, y: Float64Array, d: Float64Array) => {
      const r3 = Math.hypot(y[0], y[1], y[2]) ** 3;
      d[0] = y[3]; d[1] = y[4]; d[2] = y[5];
      d[3] = (-MU_EARTH_KM3_S2 * y[0]) / r3;
      d[4] = (-MU_EARTH_KM3_S2 * y[1]) / r3;
      d[5] = (-MU_EARTH_KM3_S2 * y[2]) / r3 + accel;
    };
    const cut = integrate({ f, t0: 0, y0: [...ign.posKm, ...ign.velKmS], tEnd: burnS, method: 'dp54', rtol: 1e-14, atol: 1e-14 }).y;
    const end = propagateTwoBody([cut[0], cut[1], cut[2]], [cut[3], cut[4], cut[5]], 10800 - burnStart - burnS);
    expect(relErr(o.posKm[2], end.posKm)).to.be.below(1e-9);
    expect(relErr(o.velKmS[2], end.velKmS)).to.be.below(1e-9);
  });

  it('full force model (20×20, Sun, Moon, SRP, drag) in ITRF equals the GCRF run rotated by sdk/astro/frames with the same (zero) EOP', async () => {
    const p = await boot();
    const subject = { id: 'full', state: STATE, physical: { massKg: 500, dragAreaM2: 5, cd: 2.2, srpAreaM2: 5, cr: 1.3 } };
    const times = { startUtc: EPOCH, stopUtc: '2024-03-01T03:00:00', stepS: 1800 };
    const g = ok((await p.propagate({ subjects: [subject], times, frame: 'GCRF' })).outcomes[0]);
    const i = ok((await p.propagate({ subjects: [subject], times, frame: 'ITRF' })).outcomes[0]);
    g.epochsUtc.forEach((iso, k) => {
      const t = frameTransform('GCRF', 'ITRF', Epoch.parse(iso, 'UTC'), ZERO_EOP);
      const R = t.rotation;
      const r = [0, 1, 2].map((a) => R[a][0] * g.posKm[k][0] + R[a][1] * g.posKm[k][1] + R[a][2] * g.posKm[k][2]);
      expect(relErr(i.posKm[k], r)).to.be.below(1e-12);
    });
    // the perturbations matter: after 3 h the full model departs from two-body by km
    const tb = propagateTwoBody(el.posKm, el.velKmS, 10800);
    const dKm = Math.hypot(...g.posKm[6].map((x, a) => x - tb.posKm[a]));
    expect(dKm).to.be.above(1).and.below(200);
    expect(await healthDetail()).to.match(/JGM3.*ZERO EOP/);
  });

  it('uses the gravity.provider and eop.provider services when they run', async () => {
    const egm = referenceField('EGM2008');
    const calls = { gravity: 0, eop: 0 };
    const gravity: GravityFieldProvider = {
      async coefficients({ degree, order }) {
        calls.gravity++;
        return { ...egm, degree, order, cnm: egm.cnm.slice(0, degree + 1), snm: egm.snm.slice(0, degree + 1) };
      },
      async models() {
        return [{ name: 'EGM2008', degree: 120, order: 120, source: 'test' }];
      },
    };
    const eop: EopProvider = {
      async at(mjds) {
        calls.eop++;
        return mjds.map((mjdUtc) => ({ mjdUtc, xpArcsec: 0.1, ypArcsec: 0.3, ut1MinusUtcS: -0.2, lodS: 0.001, predicted: false, source: 'test', extrapolated: false }));
      },
      async coverage() {
        return { source: 'test', firstMjd: 0, lastMjd: 1e6, lastObservedMjd: 1e6, loadedAtUtc: '2024-01-01T00:00:00Z' };
      },
      async leapSeconds() {
        return [];
      },
    };
    const p = await boot([
      { token: GravityFieldProviderToken, implementation: gravity },
      { token: EopProviderToken, implementation: eop },
    ]);
    const o = ok((await p.propagate({ subjects: [{ id: 'x', state: STATE }], times: { instantsUtc: ['2024-03-01T01:00:00'] }, frame: 'ITRF' })).outcomes[0]);
    expect(o.posKm[0].every(Number.isFinite)).to.equal(true);
    expect(calls).to.deep.equal({ gravity: 1, eop: 1 });
    expect(await healthDetail((d) => /EGM2008/.test(d))).to.match(/gravity\.provider \(EGM2008\)/).and.not.match(/ZERO EOP/);
  });

  it('per-subject typed errors; malformed requests are refused with the reason', async () => {
    const p = await boot();
    const low = keplerianToCartesian({ aKm: 6378.137 + 150, e: 0.0, iRad: 0.5, raanRad: 0, argpRad: 0, trueAnomalyRad: 0 });
    const { outcomes } = await p.propagate({
      subjects: [
        { id: 'gp', gp: { noradId: 1 } as never },
        { id: 'mean', elements: { epoch: STATE.epoch, frame: 'GCRF', muKm3S2: MU_EARTH_KM3_S2, aKm: 7000, e: 0.001, iDeg: 98, raanDeg: 0, argpDeg: 0, anomalyDeg: 0, anomalyType: 'mean', mean: true, theory: 'brouwer' } },
        { id: 'decay', state: { ...STATE, posKm: low.posKm, velKmS: low.velKmS }, physical: { massKg: 10, dragAreaM2: 10, cd: 2.2 } },
        { id: 'bad', state: { ...STATE, posKm: [1, 2] as never } },
        { id: 'good', state: STATE },
      ],
      times: { instantsUtc: ['2024-03-03T00:00:00'] },
      frame: 'GCRF',
      forceModel: { degree: 2, order: 0 },
    });
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).to.deep.equal(['unsupported', 'unsupported', 'decayed', 'invalid-elements', 'ok']);
    const dec = outcomes[2];
    if (dec.ok) throw new Error('unreachable');
    expect(dec.error.atUtc).to.match(/^2024-03-0[12]T/);
    expect(dec.error.message).to.match(/decay/);
    let err: Error | undefined;
    try {
      await p.propagate({ subjects: [{ id: 'x', state: STATE }], times: { instantsUtc: ['2024-03-01T01:00:00'] }, frame: 'GCRF', forceModel: { degree: 2, bogus: 1 } });
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).to.match(/forceModel.*bogus/);
  });
});
