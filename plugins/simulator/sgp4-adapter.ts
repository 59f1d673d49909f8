import { json2satrec, sgp4, type SatRec } from 'satellite.js';

/**
 * SGP4 mean elements as the simulator manipulates them (continuous values, before they are
 * rounded to TLE columns). Angles in degrees, mean motion rev/day, epoch UTC ms.
 */
export interface MeanElements {
  noradId: number;
  objectId: string;
  name: string;
  epochMsUtc: number;
  meanMotionRevPerDay: number;
  eccentricity: number;
  inclinationDeg: number;
  raanDeg: number;
  argPericenterDeg: number;
  meanAnomalyDeg: number;
  bstar: number;
}

/** ISO text with microseconds, the EPOCH form of a CCSDS OMM. */
function ommEpoch(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000');
}

/** A satellite.js record from continuous mean elements (OMM route: no TLE rounding). */
export function satrecOf(el: MeanElements): SatRec {
  const rec = json2satrec({
    OBJECT_NAME: el.name,
    OBJECT_ID: el.objectId,
    EPOCH: ommEpoch(el.epochMsUtc),
    MEAN_MOTION: el.meanMotionRevPerDay,
    ECCENTRICITY: el.eccentricity,
    INCLINATION: el.inclinationDeg,
    RA_OF_ASC_NODE: ((el.raanDeg % 360) + 360) % 360,
    ARG_OF_PERICENTER: ((el.argPericenterDeg % 360) + 360) % 360,
    MEAN_ANOMALY: ((el.meanAnomalyDeg % 360) + 360) % 360,
    EPHEMERIS_TYPE: 0,
    CLASSIFICATION_TYPE: 'U',
    NORAD_CAT_ID: el.noradId,
    ELEMENT_SET_NO: 999,
    REV_AT_EPOCH: 1,
    BSTAR: el.bstar,
    MEAN_MOTION_DOT: 0,
    MEAN_MOTION_DDOT: 0,
  });
  return rec;
}

export interface TemeState {
  posKm: [number, number, number];
  velKmS: [number, number, number];
}

/** TEME state at `msUtc`, or an Error naming the SGP4 error code (decay, eccentricity…). */
export function stateAt(rec: SatRec, msUtc: number): TemeState {
  // satellite.js keeps the epoch as one Julian date (≈ 20 µs resolution: ample here).
  const epochMs = (rec.jdsatepoch - 2440587.5) * 86_400_000;
  const pv = sgp4(rec, (msUtc - epochMs) / 60_000);
  if (!pv || rec.error) throw new Error(`SGP4 error ${rec.error} for object ${rec.satnum} at ${new Date(msUtc).toISOString()}`);
  const p = pv.position as { x: number; y: number; z: number };
  const v = pv.velocity as { x: number; y: number; z: number };
  return { posKm: [p.x, p.y, p.z], velKmS: [v.x, v.y, v.z] };
}
