import { applyTransform, applyTransformBatch, frameSet, frameTransform, transformBetween, type FrameEopValues } from '../sdk/astro/frames';
import { Epoch } from '../sdk/astro/time';
import type { BenchResult } from './lib';

/**
 * Frame rotations of a whole catalog at one epoch: 15,000 TEME states (the size of the
 * CelesTrak active catalog, as SGP4 produces them) → GCRF → ITRF. The batch path computes the
 * IAU-76/FK5 rotations once per epoch and applies two 3×3 products (+ ω × r) per state; the
 * naive path recomputes the rotations (nutation series, sidereal time, ...) for every state.
 */
const N = 15_000;
const EOP: FrameEopValues = { ut1MinusUtcS: 0.0512, lodS: 0.0009, xpArcsec: 0.1234, ypArcsec: 0.3456, dPsiArcsec: -0.1157, dEpsArcsec: -0.0081 };

function catalog(): { pos: Float64Array; vel: Float64Array } {
  const pos = new Float64Array(3 * N);
  const vel = new Float64Array(3 * N);
  for (let k = 0; k < N; k++) {
    const a = 6778 + (k % 300) * 120; // LEO to MEO radii, km
    const inc = ((k * 37) % 180) * (Math.PI / 180);
    const raan = ((k * 101) % 360) * (Math.PI / 180);
    const u = ((k * 7919) % 360) * (Math.PI / 180);
    const v = Math.sqrt(398600.4418 / a);
    const cu = Math.cos(u), su = Math.sin(u), ci = Math.cos(inc), si = Math.sin(inc), co = Math.cos(raan), so = Math.sin(raan);
    pos[3 * k] = a * (co * cu - so * su * ci);
    pos[3 * k + 1] = a * (so * cu + co * su * ci);
    pos[3 * k + 2] = a * su * si;
    vel[3 * k] = v * (-co * su - so * cu * ci);
    vel[3 * k + 1] = v * (-so * su + co * cu * ci);
    vel[3 * k + 2] = v * cu * si;
  }
  return { pos, vel };
}

function timeMs(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function run(): Promise<BenchResult[]> {
  const epoch = Epoch.fromCalendar(2026, 5, 7, 12, 0, 0, 'UTC');
  const { pos, vel } = catalog();
  const gcrf = { posKm: new Float64Array(3 * N), velKmS: new Float64Array(3 * N) };
  const itrf = { posKm: new Float64Array(3 * N), velKmS: new Float64Array(3 * N) };

  const batch = () => {
    const set = frameSet(epoch, EOP); // rotations once per epoch
    applyTransformBatch(transformBetween(set, 'TEME', 'GCRF'), pos, vel, gcrf);
    applyTransformBatch(transformBetween(set, 'GCRF', 'ITRF'), gcrf.posKm, gcrf.velKmS, itrf);
  };
  for (let i = 0; i < 20; i++) batch(); // warm-up (JIT)
  const samples: number[] = [];
  for (let i = 0; i < 30; i++) samples.push(timeMs(batch));
  samples.sort((a, b) => a - b);
  const batchMs = samples[Math.floor(samples.length / 2)];

  let check = 0;
  const naive = () => {
    for (let k = 0; k < N; k++) {
      const s = { posKm: [pos[3 * k], pos[3 * k + 1], pos[3 * k + 2]], velKmS: [vel[3 * k], vel[3 * k + 1], vel[3 * k + 2]] };
      const g = applyTransform(frameTransform('TEME', 'GCRF', epoch, EOP), s);
      const e = applyTransform(frameTransform('GCRF', 'ITRF', epoch, EOP), g);
      check += e.posKm[0] - itrf.posKm[3 * k];
    }
  };
  const naiveMs = timeMs(naive);
  if (!(Math.abs(check) < 1e-6)) throw new Error(`batch and naive results differ (sum of x differences ${check} km)`);

  const rotationsOnlyMs = (() => {
    const reps = 200;
    return timeMs(() => {
      for (let i = 0; i < reps; i++) frameSet(epoch, EOP);
    }) / reps;
  })();

  return [
    { name: `TEME→GCRF→ITRF, ${N.toLocaleString('en-US')} states, batch (rotations once)`, value: batchMs, unit: 'ms', target: '≤ 10 ms', pass: batchMs <= 10 },
    { name: 'same, per state', value: (batchMs * 1e6) / N, unit: 'ns/state' },
    { name: `TEME→GCRF→ITRF, ${N.toLocaleString('en-US')} states, naive (rotations per state)`, value: naiveMs, unit: 'ms', reference: 'batch path above' },
    { name: 'speed-up batch vs naive', value: naiveMs / batchMs, unit: '×' },
    { name: 'all frame rotations at one epoch (frameSet)', value: rotationsOnlyMs * 1000, unit: 'µs' },
  ];
}
