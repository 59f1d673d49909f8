import { readReferenceText } from '../../../sdk/reference-data';
import { tleEpoch } from '../elements';
import { instantsAfterEpochUtc } from '../times';

/**
 * Vallado, Crawford, Hujsak & Kelso, "Revisiting Spacetrack Report #3", AIAA 2006-6753:
 * the verification TLEs (SGP4-VER.TLE: start/stop/step minutes after line 2) and the output
 * of the reference C++ code (tcppver.out: `NNNNN xx` header, then rows of minutes since
 * epoch, TEME r km, v km/s). Read from the shared reference data, never copied.
 */
export interface VerificationCase {
  satnum: number;
  line1: string;
  line2: string;
  startMin: number;
  stopMin: number;
  stepMin: number;
  /** Reference rows: [minutes, x, y, z km, vx, vy, vz km/s]. */
  rows: number[][];
}

export function verificationCases(): VerificationCase[] {
  const tle = readReferenceText('sgp4-verification/SGP4-VER.TLE').split(/\r?\n/);
  const out = readReferenceText('sgp4-verification/tcppver.out').split(/\r?\n/);
  const blocks: { satnum: number; rows: number[][] }[] = [];
  for (const line of out) {
    const h = /^\s*(\d+)\s+xx\s*$/.exec(line);
    if (h) {
      blocks.push({ satnum: Number(h[1]), rows: [] });
      continue;
    }
    const f = line.trim().split(/\s+/).map(Number);
    if (blocks.length && f.length >= 7 && f.slice(0, 7).every(Number.isFinite)) blocks[blocks.length - 1].rows.push(f.slice(0, 7));
  }
  const cases: VerificationCase[] = [];
  for (let i = 0; i < tle.length - 1; i++) {
    if (!tle[i].startsWith('1 ') || !tle[i + 1].startsWith('2 ')) continue;
    const [startMin, stopMin, stepMin] = tle[i + 1].slice(69).trim().split(/\s+/).map(Number);
    const block = blocks[cases.length];
    const satnum = Number(tle[i + 1].slice(2, 7));
    if (!block || block.satnum !== satnum) throw new Error(`tcppver.out block ${cases.length} is ${block?.satnum}, SGP4-VER.TLE case is ${satnum}`);
    cases.push({ satnum, line1: tle[i].slice(0, 69), line2: tle[i + 1].slice(0, 69), startMin, stopMin, stepMin, rows: block.rows });
  }
  return cases;
}

/**
 * The minutes the reference driver visits (Vallado's testcpp): 0 (printed by the
 * initialisation), then start, start + step, … and stop.
 */
export function driverMinutes(c: VerificationCase): number[] {
  const t = [0];
  let m = c.startMin;
  if (Math.abs(m) > 1e-8) t.push(m);
  while (m < c.stopMin) {
    m = Math.min(m + c.stepMin, c.stopMin);
    t.push(m);
  }
  return t;
}

/**
 * Expected SGP4 failures: the reference output stops early for these (AIAA 2006-6753 App. D
 * comments: 28872 "lost in 50 minutes", 29141 "lost in under 420 min", 33333 "check error
 * code 4", 33334 error at initialisation; 22312 and 28350 reach a mean eccentricity outside
 * [0, 1); the second 20413 case decays at 1,844,345 min). The first minute of the driver
 * after the last reference row is where the error must be reported.
 */
export function firstMissingMinute(c: VerificationCase): number | undefined {
  const minutes = driverMinutes(c);
  const last = c.rows[c.rows.length - 1][0];
  const idx = minutes.findIndex((m) => Math.abs(m - last) < 1e-9);
  return idx >= 0 && idx < minutes.length - 1 ? minutes[idx + 1] : undefined;
}

/** Instants `minutes` after the TLE epoch, in UTC Julian-date arithmetic (Vallado's tsince convention). */
export function instantsAfterEpoch(line1: string, minutes: number[]): string[] {
  return instantsAfterEpochUtc(tleEpoch(line1).jd('UTC'), minutes);
}
