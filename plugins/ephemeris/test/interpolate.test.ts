import { expect } from 'chai';
import { keplerianToCartesian } from '../../../sdk/astro/elements';
import { Epoch } from '../../../sdk/astro/time';
import { propagateTwoBody } from '../../../sdk/astro/twobody';
import { interpolateState, InterpolationError, stencilStart, type InterpolationMethod } from '../interpolate';
import { buildSegment, Trajectory } from '../trajectory';

/**
 * Interpolation against EXACT two-body states (sdk/astro/twobody.ts, universal variables):
 * the "direct propagation" truth of the acceptance criterion of issue 7 — interpolation
 * error ≤ 1 mm at 60 s spacing in LEO. The truth's own error is ~1e-11 km (the floor seen in
 * the tables below), far under the tolerance.
 */
const MM_KM = 1e-6;
const deg = Math.PI / 180;
/** ISS-like LEO: 400 km altitude, e = 0.001, i = 51.6°. */
const LEO = keplerianToCartesian({ aKm: 6778.137, e: 0.001, iRad: 51.6 * deg, raanRad: 30 * deg, argpRad: 45 * deg, trueAnomalyRad: 10 * deg });
const STEP_S = 60;
const SPAN_S = 6 * 3600;

function samples(stepS: number, spanS: number, r0 = LEO.posKm, v0 = LEO.velKmS): { tS: Float64Array; posVelKm: Float64Array } {
  const n = Math.floor(spanS / stepS) + 1;
  const tS = new Float64Array(n);
  const posVelKm = new Float64Array(6 * n);
  for (let i = 0; i < n; i++) {
    const s = propagateTwoBody(r0, v0, i * stepS);
    tS[i] = i * stepS;
    posVelKm.set([...s.posKm, ...s.velKmS], 6 * i);
  }
  return { tS, posVelKm };
}

/** Largest position / velocity error over off-grid instants in [fromS, toS] (10 per interval, at irrational-ish offsets). */
function maxError(data: { tS: Float64Array; posVelKm: Float64Array }, method: InterpolationMethod, degree: number, fromS: number, toS: number): { posKm: number; velKmS: number } {
  const out = new Float64Array(6);
  let posKm = 0;
  let velKmS = 0;
  for (let t = fromS + 0.731; t < toS; t += STEP_S / 10 + 0.0137) {
    interpolateState(data, t, method, degree, out);
    const s = propagateTwoBody(LEO.posKm, LEO.velKmS, t);
    posKm = Math.max(posKm, Math.hypot(out[0] - s.posKm[0], out[1] - s.posKm[1], out[2] - s.posKm[2]));
    velKmS = Math.max(velKmS, Math.hypot(out[3] - s.velKmS[0], out[4] - s.velKmS[1], out[5] - s.velKmS[2]));
  }
  return { posKm, velKmS };
}

describe('ephemeris interpolation vs exact two-body states (LEO, 60 s spacing)', () => {
  const data = samples(STEP_S, SPAN_S);

  it('Lagrange: error falls with the degree; degree ≥ 7 is within 1 mm, degree 3 is not', () => {
    const inner: number[] = [];
    for (let d = 1; d <= 15; d++) inner[d] = maxError(data, 'lagrange', d, 20 * STEP_S, SPAN_S - 20 * STEP_S).posKm;
    // Convergence: each odd degree at least 100× better than the previous odd one until the floor of the truth.
    for (const d of [3, 5, 7]) expect(inner[d], `degree ${d}`).to.be.below(inner[d - 2] / 100);
    expect(inner[3]).to.be.above(MM_KM); // metres: degree 3 does not meet the criterion
    for (let d = 7; d <= 15; d++) expect(inner[d], `degree ${d}`).to.be.below(MM_KM);
    // Measured (recorded in the README): degree 5 ≈ 2.5 mm, 7 ≈ 2 µm, ≥ 9 at the 3e-8 m floor.
    expect(inner[5]).to.be.within(1e-7, 1e-5);
  });

  it('Hermite (positions + velocities): degree 5 (3 samples) and 7 (4 samples) within 1 mm, velocities within 1e-6 m/s at degree 7', () => {
    const h3 = maxError(data, 'hermite', 3, 0, SPAN_S);
    const h5 = maxError(data, 'hermite', 5, 0, SPAN_S);
    const h7 = maxError(data, 'hermite', 7, 0, SPAN_S);
    expect(h3.posKm).to.be.above(MM_KM); // cubic Hermite: ~0.3 m
    expect(h5.posKm).to.be.below(MM_KM);
    expect(h7.posKm).to.be.below(1e-9); // measured 3e-8 m
    expect(h7.velKmS).to.be.below(1e-9);
    expect(h5.posKm).to.be.below(h3.posKm / 100);
  });

  it('near the ends the stencil shifts inwards and keeps the accuracy (Lagrange 8, Hermite 7)', () => {
    for (const [method, d] of [['lagrange', 8], ['hermite', 7]] as const) {
      const head = maxError(data, method, d, 0, 3 * STEP_S);
      const tail = maxError(data, method, d, SPAN_S - 3 * STEP_S, SPAN_S);
      expect(head.posKm, `${method} head`).to.be.below(MM_KM);
      expect(tail.posKm, `${method} tail`).to.be.below(MM_KM);
    }
    // Stencil of 9 samples for t in the first interval: samples 0..8; in the last: the last 9.
    const n = data.tS.length;
    expect(stencilStart(data.tS, 10, 9)).to.equal(0);
    expect(stencilStart(data.tS, SPAN_S - 10, 9)).to.equal(n - 9);
    // In the middle, centred: t in [60·100, 60·101] with 8 samples → 97..104.
    expect(stencilStart(data.tS, 6030, 8)).to.equal(97);
  });

  it('refuses to extrapolate and returns the samples themselves on the grid', () => {
    const out = new Float64Array(6);
    expect(() => interpolateState(data, -0.001, 'lagrange', 8, out)).to.throw(InterpolationError, /no extrapolation/);
    expect(() => interpolateState(data, SPAN_S + 0.001, 'hermite', 7, out)).to.throw(InterpolationError, /no extrapolation/);
    interpolateState(data, SPAN_S, 'hermite', 7, out);
    expect([...out]).to.deep.equal([...data.posVelKm.subarray(data.posVelKm.length - 6)]);
  });

  it('reproduces polynomials exactly: Lagrange of degree d through d + 1 samples, Hermite of degree 2m − 1 from m samples', () => {
    // x(t) = 1 + 2t − 0.5t² + 0.1t³ (km, t in s), velocity its derivative: cubic Hermite on 2 samples
    // and Lagrange of degree 3 on 4 samples reproduce it to rounding.
    const x = (t: number) => 1 + 2 * t - 0.5 * t * t + 0.1 * t ** 3;
    const dx = (t: number) => 2 - t + 0.3 * t * t;
    const tS = Float64Array.from([0, 1.5, 2.5, 4]);
    const pv = new Float64Array(24);
    tS.forEach((t, i) => pv.set([x(t), 0, 0, dx(t), 0, 0], 6 * i));
    const out = new Float64Array(6);
    for (const t of [0.3, 1.9, 3.7]) {
      interpolateState({ tS, posVelKm: pv }, t, 'lagrange', 3, out);
      expect(out[0]).to.be.closeTo(x(t), 1e-12);
      interpolateState({ tS, posVelKm: pv }, t, 'hermite', 3, out);
      expect(out[0]).to.be.closeTo(x(t), 1e-12);
      expect(out[3]).to.be.closeTo(dx(t), 1e-12);
    }
    // A degree above what the samples allow uses them all (degree 3 here): still exact.
    interpolateState({ tS, posVelKm: pv }, 3.1, 'lagrange', 8, out);
    expect(out[0]).to.be.closeTo(x(3.1), 1e-12);
  });
});

describe('ephemeris trajectories: segments, windows, manoeuvre boundaries', () => {
  const t0 = Epoch.parse('2026-05-07T00:00:00', 'UTC');
  const iso = (s: number) => t0.plusSeconds(s).toIso('UTC', 3);
  // Orbit A until the manoeuvre at 3600 s; orbit B after a 1 m/s along-track Δv at that instant.
  const burnS = 3600;
  const atBurn = propagateTwoBody(LEO.posKm, LEO.velKmS, burnS);
  const u = atBurn.velKmS.map((c) => c / Math.hypot(...atBurn.velKmS));
  const vB = atBurn.velKmS.map((c, i) => c + 1e-3 * u[i]);
  const truth = (s: number) => (s < burnS ? propagateTwoBody(LEO.posKm, LEO.velKmS, s) : propagateTwoBody(atBurn.posKm, vB, s - burnS));
  const segmentOf = (fromS: number, toS: number, window?: { start?: number; stop?: number }) => {
    const epochs: string[] = [];
    const pv: number[] = [];
    for (let s = fromS; s <= toS; s += STEP_S) {
      const st = s === burnS && toS === burnS ? propagateTwoBody(LEO.posKm, LEO.velKmS, s) : truth(s);
      epochs.push(iso(s));
      pv.push(...st.posKm, ...st.velKmS);
    }
    return buildSegment(epochs, Float64Array.from(pv), 'UTC', { what: 'test', ...(window?.start !== undefined ? { windowStart: iso(window.start) } : {}), ...(window?.stop !== undefined ? { windowStop: iso(window.stop) } : {}) });
  };
  const info = { objectId: 'SAT-1', centre: 'EARTH', frame: 'EME2000' as const, timeScale: 'UTC' as const, source: 'test' };
  const hermite7 = { method: 'hermite' as const, degree: 7 };

  it('never interpolates across a segment boundary: within 1 mm on both sides of a manoeuvre, the later segment at the boundary', () => {
    const traj = new Trajectory(info, [segmentOf(0, burnS), segmentOf(burnS, 2 * burnS)]);
    const offsets = [-150.3, -61.7, -30.2, -0.4, 0.4, 29.9, 61.1, 150.7];
    const epochs = offsets.map((o) => t0.plusSeconds(burnS + o));
    const states = traj.statesAt(epochs, epochs.map(String), hermite7, hermite7);
    offsets.forEach((o, i) => {
      const s = truth(burnS + o);
      expect(Math.hypot(...states[i].posKm.map((x, k) => x - s.posKm[k])), `offset ${o} s`).to.be.below(MM_KM);
    });
    const [at] = traj.statesAt([t0.plusSeconds(burnS)], ['burn'], hermite7, hermite7);
    expect(at.velKmS).to.deep.equal(vB); // the state after the manoeuvre
    // Interpolating through the manoeuvre as one segment is metres off: why boundaries matter.
    const merged = new Trajectory(info, [segmentOf(0, 2 * burnS)]);
    const [wrong] = merged.statesAt([t0.plusSeconds(burnS - 30.2)], ['x'], hermite7, hermite7);
    const s = truth(burnS - 30.2);
    expect(Math.hypot(...wrong.posKm.map((x, k) => x - s.posKm[k]))).to.be.above(MM_KM);
  });

  it('refuses instants in a gap, outside the data or outside the useable window, naming them', () => {
    const traj = new Trajectory(info, [segmentOf(0, 1800, { start: 120 }), segmentOf(2400, 3600, { stop: 3480 })]);
    const label = (s: number) => `t+${s}`;
    const ask = (s: number) => () => traj.statesAt([t0.plusSeconds(s)], [label(s)], hermite7, hermite7);
    expect(ask(2000)).to.throw(InterpolationError, /t\+2000 is in a gap between segments/);
    expect(ask(60)).to.throw(InterpolationError, /t\+60 is outside the ephemeris .*no extrapolation/);
    expect(ask(3500)).to.throw(InterpolationError, /t\+3500 is outside the ephemeris \(UTC 2026-05-07T00:02:00.000Z … 2026-05-07T00:58:00.000Z\)/);
    expect(ask(4000)).to.throw(InterpolationError, /outside/);
    expect(ask(120)).not.to.throw();
    expect(ask(3480)).not.to.throw();
  });

  it('refuses epochs that do not increase, naming the states', () => {
    expect(() => buildSegment([iso(0), iso(60), iso(60)], new Float64Array(18).fill(7000), 'UTC', { what: 'x.oem: segment 1' })).to.throw(InterpolationError, /x.oem: segment 1: state 3 epoch .* is not after state 2/);
  });

  it('counts SI seconds across a UTC leap second (2016-12-31T23:59:60)', () => {
    // 61 SI seconds between 23:59:30 and 00:00:30 across the leap second: the samples are placed
    // accordingly, so a state at 23:59:60.5 interpolates between the right neighbours.
    const seg = buildSegment(['2016-12-31T23:59:30', '2017-01-01T00:00:30', '2017-01-01T00:01:30'], Float64Array.from([...[0, 0, 0, 1, 0, 0], ...[61, 0, 0, 1, 0, 0], ...[121, 0, 0, 1, 0, 0]]), 'UTC', { what: 'leap' });
    expect([...seg.tS]).to.deep.equal([0, 61, 121]);
    const traj = new Trajectory(info, [seg]);
    const [s] = traj.statesAt([Epoch.parse('2016-12-31T23:59:60.5', 'UTC')], ['leap'], { method: 'lagrange', degree: 2 }, hermite7);
    expect(s.posKm[0]).to.be.closeTo(30.5, 1e-9);
  });
});
