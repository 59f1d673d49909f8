import type { Frame, TimeScaleName } from '../../interfaces/domain/common';
import type { Ephemeris } from '../../interfaces/domain/ephemeris';
import { OemSegment, type CcsdsEpoch, type KvSection, type Ocm, type Oem, type OemCovariance, type OemState } from '../../sdk/ccsds';
import { Epoch, type TimeScale } from '../../sdk/astro/time';
import { InterpolationError } from './interpolate';
import { buildSegment, SUPPORTED_SCALES, Trajectory, type InterpolationChoice, type TrajectorySegment } from './trajectory';

/**
 * OEM (CCSDS 502.0-B-2 §5) ↔ this module's trajectories and the domain `Ephemeris`.
 * Reading and writing the text is sdk/ccsds (parseNdm / writeNdm); this file maps keywords.
 */

/**
 * REF_FRAME values read (502.0-B-2 Annex A Table A-1 and the names in common use), mapped
 * to the frames of interfaces/domain/common.ts. ICRF with CENTER_NAME EARTH has the GCRF
 * axes; the ITRF realisations (ITRF-93 … ITRF2020) differ from one another by centimetres,
 * below what sdk/astro/frames resolves, and are all read as ITRF.
 */
const REF_FRAMES: Record<string, Frame> = {
  EME2000: 'EME2000',
  J2000: 'EME2000',
  GCRF: 'GCRF',
  ICRF: 'GCRF',
  TEME: 'TEME',
  TOD: 'TOD',
  MOD: 'MOD',
  PEF: 'PEF',
  ITRF: 'ITRF',
};

export function frameFromOem(refFrame: string): Frame | undefined {
  const name = refFrame.trim().toUpperCase();
  if (REF_FRAMES[name]) return REF_FRAMES[name];
  if (/^ITRF-?(\d{2}|\d{4})$/.test(name)) return 'ITRF';
  return undefined;
}

/** REF_FRAME written for a frame (the CCSDS names; our Earth-fixed ITRF as the generic ITRF). */
export function frameToOem(frame: Frame): string {
  return frame;
}

/** A group of segments of one object, frame and centre read from one OEM. */
export interface OemGroup {
  objectId: string;
  objectName?: string;
  trajectory: Trajectory;
}

export class OemContentError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'OemContentError';
  }
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : v && typeof v === 'object' && 'text' in v ? (v as CcsdsEpoch).text : undefined);

/**
 * The trajectories of an OEM: segments of the same OBJECT_ID, REF_FRAME and CENTER_NAME are
 * kept together (in file order) as one trajectory. Refuses (OemContentError, naming the
 * segment and keyword) what cannot be interpolated here: a centre other than the Earth, an
 * unknown frame, a time system without a conversion, epochs that do not increase.
 */
export function trajectoriesFromOem(oem: Oem, source: string): OemGroup[] {
  const groups = new Map<string, { objectId: string; objectName?: string; frame: Frame; centre: string; scale: TimeScaleName; segments: TrajectorySegment[] }>();
  oem.segments.forEach((seg, k) => {
    const f = seg.metadata.fields;
    const where = `${source}: segment ${k + 1}`;
    const objectName = text(f.OBJECT_NAME)?.trim();
    const objectId = text(f.OBJECT_ID)?.trim() || objectName;
    if (!objectId) throw new OemContentError(`${where}: OBJECT_ID and OBJECT_NAME are empty`);
    const centre = (text(f.CENTER_NAME) ?? '').trim().toUpperCase();
    if (centre !== 'EARTH') throw new OemContentError(`${where}: CENTER_NAME '${text(f.CENTER_NAME) ?? ''}' is not supported: this module interpolates Earth-centred ephemerides only`);
    const refFrame = text(f.REF_FRAME) ?? '';
    const frame = frameFromOem(refFrame);
    if (!frame) throw new OemContentError(`${where}: REF_FRAME '${refFrame}' is not supported (EME2000, GCRF, ICRF, TEME, TOD, MOD, PEF, ITRF and its realisations)`);
    // TOD, MOD and TEME are frames "of date"; with REF_FRAME_EPOCH they are frozen at that
    // epoch (502.0-B-2 Table 5-3), which sdk/astro/frames does not model: refused, not misread.
    const frozenAt = text(f.REF_FRAME_EPOCH);
    if (frozenAt !== undefined && (frame === 'TOD' || frame === 'MOD' || frame === 'TEME')) throw new OemContentError(`${where}: REF_FRAME ${refFrame} frozen at REF_FRAME_EPOCH ${frozenAt} is not supported (only the of-date ${frame} frame is)`);
    const ts = (text(f.TIME_SYSTEM) ?? 'UTC').trim().toUpperCase();
    if (!(SUPPORTED_SCALES as readonly string[]).includes(ts)) throw new OemContentError(`${where}: TIME_SYSTEM '${ts}' is not supported (${SUPPORTED_SCALES.join(', ')})`);
    const scale = ts as TimeScaleName;
    const states = seg.states;
    if (states.length < 2) throw new OemContentError(`${where}: ${states.length} state(s): at least 2 are needed to interpolate`);
    const pv = new Float64Array(6 * states.length);
    states.forEach((s, i) => {
      pv[6 * i] = s.posKm[0];
      pv[6 * i + 1] = s.posKm[1];
      pv[6 * i + 2] = s.posKm[2];
      pv[6 * i + 3] = s.velKmS[0];
      pv[6 * i + 4] = s.velKmS[1];
      pv[6 * i + 5] = s.velKmS[2];
    });
    const interpolation = choiceFromOem(f.INTERPOLATION, f.INTERPOLATION_DEGREE, where);
    let segment: TrajectorySegment;
    try {
      segment = buildSegment(
        states.map((s) => s.epoch.text),
        pv,
        scale,
        {
          what: where,
          windowStart: text(f.USEABLE_START_TIME) ?? text(f.START_TIME),
          windowStop: text(f.USEABLE_STOP_TIME) ?? text(f.STOP_TIME),
          ...(interpolation ? { interpolation } : {}),
        },
      );
    } catch (err) {
      if (err instanceof InterpolationError) throw new OemContentError(err.message);
      throw err;
    }
    const key = `${objectId}\u0000${frame}`;
    const g = groups.get(key);
    if (g) {
      if (g.scale !== scale) throw new OemContentError(`${where}: TIME_SYSTEM ${scale} differs from ${g.scale} of an earlier segment of ${objectId}`);
      g.segments.push(segment);
    } else groups.set(key, { objectId, ...(objectName ? { objectName } : {}), frame, centre, scale, segments: [segment] });
  });
  return [...groups.values()].map((g) => ({
    objectId: g.objectId,
    ...(g.objectName ? { objectName: g.objectName } : {}),
    trajectory: new Trajectory({ objectId: g.objectId, ...(g.objectName ? { objectName: g.objectName } : {}), centre: g.centre, frame: g.frame, timeScale: g.scale, source }, g.segments),
  }));
}

/**
 * The Cartesian trajectories of an OCM (502.0-B-3 §6, trajectory blocks of Table 6-4):
 * blocks with TRAJ_TYPE CARTPV or CARTPVA (positions km, velocities km/s; CARTPV when absent)
 * around the Earth in a supported frame. Other blocks (Keplerian, geodetic, positions only…)
 * are left out and said in `skipped`; an OCM without any usable block is refused. Relative time
 * tags count from EPOCH_TZERO; TIME_SYSTEM defaults to UTC, TRAJ_REF_FRAME to ICRF and
 * CENTER_NAME to EARTH (Table 6-4 defaults). Blocks are segments, in file order.
 */
export function trajectoriesFromOcm(ocm: Ocm, source: string): { groups: OemGroup[]; skipped: string[] } {
  const m = ocm.metadata.fields;
  const ts = (text(m.TIME_SYSTEM) ?? 'UTC').trim().toUpperCase();
  if (!(SUPPORTED_SCALES as readonly string[]).includes(ts)) throw new OemContentError(`${source}: TIME_SYSTEM '${ts}' is not supported (${SUPPORTED_SCALES.join(', ')})`);
  const scale = ts as TimeScaleName;
  const objectName = text(m.OBJECT_NAME)?.trim();
  const objectId = text(m.OBJECT_DESIGNATOR)?.trim() || text(m.INTERNATIONAL_DESIGNATOR)?.trim() || objectName || source;
  const tzeroText = text(m.EPOCH_TZERO);
  const skipped: string[] = [];
  const byFrame = new Map<Frame, TrajectorySegment[]>();
  ocm.trajectories.forEach((traj, k) => {
    const f = traj.block.fields;
    const where = `${source}: trajectory block ${k + 1}`;
    const type = traj.elementSet.toUpperCase();
    if (type !== 'CARTPV' && type !== 'CARTPVA') return void skipped.push(`${where}: TRAJ_TYPE ${type} (only CARTPV and CARTPVA are interpolated)`);
    const centre = (text(f.CENTER_NAME) ?? 'EARTH').trim().toUpperCase();
    if (centre !== 'EARTH') return void skipped.push(`${where}: CENTER_NAME '${centre}' (Earth-centred only)`);
    const refFrame = text(f.TRAJ_REF_FRAME) ?? 'ICRF';
    const frame = frameFromOem(refFrame);
    if (!frame) return void skipped.push(`${where}: TRAJ_REF_FRAME '${refFrame}' is not supported`);
    const frozenAt = text(f.TRAJ_FRAME_EPOCH);
    if (frozenAt !== undefined && (frame === 'TOD' || frame === 'MOD' || frame === 'TEME')) return void skipped.push(`${where}: ${refFrame} frozen at TRAJ_FRAME_EPOCH ${frozenAt}`);
    const standard = ['km', 'km', 'km', 'km/s', 'km/s', 'km/s', 'km/s**2', 'km/s**2', 'km/s**2'];
    const units = traj.units?.map((u) => u.trim().toLowerCase());
    if (units && units.some((u, i) => u !== standard[i])) return void skipped.push(`${where}: TRAJ_UNITS [${traj.units!.join(', ')}] are not km and km/s`);
    if (traj.lines.length < 2) return void skipped.push(`${where}: ${traj.lines.length} state(s), at least 2 are needed`);
    let tzero: Epoch | undefined;
    const epochs = traj.lines.map((l, i) => {
      if (l.epoch) return l.epoch.text;
      if (tzeroText === undefined || l.afterTzeroS === undefined) throw new OemContentError(`${where}: line ${i + 1} has a relative time tag and no EPOCH_TZERO`);
      tzero ??= parseEpochOrRefuse(tzeroText, scale, `${source}: EPOCH_TZERO`);
      return tzero.plusSeconds(l.afterTzeroS).toIso(scale as TimeScale, 9).replace(/Z$/, '');
    });
    const pv = new Float64Array(6 * traj.lines.length);
    traj.lines.forEach((l, i) => pv.set(l.values.slice(0, 6), 6 * i));
    const interpolation = choiceFromOem(f.INTERPOLATION, f.INTERPOLATION_DEGREE, where);
    let segment: TrajectorySegment;
    try {
      segment = buildSegment(epochs, pv, scale, { what: where, windowStart: text(f.USEABLE_START_TIME), windowStop: text(f.USEABLE_STOP_TIME), ...(interpolation ? { interpolation } : {}) });
    } catch (err) {
      if (err instanceof InterpolationError) throw new OemContentError(err.message);
      throw err;
    }
    const list = byFrame.get(frame) ?? [];
    list.push(segment);
    byFrame.set(frame, list);
  });
  if (byFrame.size === 0) throw new OemContentError(`${source}: no trajectory block this module can interpolate${skipped.length ? `: ${skipped.join('; ')}` : ' (the OCM has none)'}`);
  const groups = [...byFrame.entries()].map(([frame, segments]) => ({
    objectId,
    ...(objectName ? { objectName } : {}),
    trajectory: new Trajectory({ objectId, ...(objectName ? { objectName } : {}), centre: 'EARTH', frame, timeScale: scale, source }, segments),
  }));
  return { groups, skipped };
}

function parseEpochOrRefuse(t: string, scale: TimeScaleName, what: string): Epoch {
  try {
    return Epoch.parse(t, scale as TimeScale);
  } catch (err) {
    throw new OemContentError(`${what}: ${(err as Error).message}`);
  }
}

/** INTERPOLATION / INTERPOLATION_DEGREE → a choice (LINEAR is Lagrange of degree 1; others are ignored). */
function choiceFromOem(method: unknown, degree: unknown, where: string): InterpolationChoice | undefined {
  const m = text(method)?.trim().toUpperCase();
  if (m === undefined) return undefined;
  if (m === 'LINEAR') return { method: 'lagrange', degree: 1 };
  if (m !== 'LAGRANGE' && m !== 'HERMITE') return undefined;
  const d = typeof degree === 'number' ? degree : Number(text(degree));
  if (!Number.isInteger(d) || d < 1) throw new OemContentError(`${where}: INTERPOLATION ${m} needs INTERPOLATION_DEGREE ≥ 1 (got ${String(degree)})`);
  return { method: m === 'LAGRANGE' ? 'lagrange' : 'hermite', degree: d };
}

/** ISO text of the domain (may end with Z) → CCSDS epoch text (no zone letter). */
const ccsdsText = (iso: string): string => (iso.endsWith('Z') ? iso.slice(0, -1) : iso);

/**
 * The OEM of a domain ephemeris (version 2.0, one segment; covariances when present, lower
 * triangles of `covKm2`, COV_REF_FRAME written when it differs from REF_FRAME). `notes` are
 * added as COMMENT lines of the metadata.
 */
export function oemFromEphemeris(e: Ephemeris, originator: string, creationUtc: string, notes: readonly string[] = []): Oem {
  const ts = e.timeScale;
  const ep = (iso: string): CcsdsEpoch => ({ text: ccsdsText(iso), timeSystem: ts });
  const fields: KvSection['fields'] = {
    OBJECT_NAME: e.objectName ?? e.objectId,
    OBJECT_ID: e.objectId,
    CENTER_NAME: e.centre,
    REF_FRAME: frameToOem(e.frame),
    TIME_SYSTEM: ts,
    START_TIME: ep(e.points[0].epoch),
    STOP_TIME: ep(e.points[e.points.length - 1].epoch),
  };
  if (e.interpolation) {
    fields.INTERPOLATION = e.interpolation.method.toUpperCase();
    fields.INTERPOLATION_DEGREE = e.interpolation.degree;
  }
  const states: OemState[] = e.points.map((p) => ({ epoch: ep(p.epoch), posKm: [...p.posKm], velKmS: [...p.velKmS], ...(p.accKmS2 ? { accKmS2: [...p.accKmS2] } : {}) }));
  const covariances: OemCovariance[] = (e.covariances ?? []).map((c) => {
    const lower: number[] = [];
    for (let i = 0; i < 6; i++) for (let j = 0; j <= i; j++) lower.push(c.covKm2[i][j]);
    return { comments: [], epoch: ep(c.epoch), ...(c.frame !== e.frame ? { frame: c.frame } : {}), lower };
  });
  const comments = [`produced by SCOOP-TS ephemeris${e.source ? ` from ${e.source}` : ''}`, ...notes];
  return {
    type: 'OEM',
    version: '2.0',
    header: { comments: [], fields: { CREATION_DATE: { text: ccsdsText(creationUtc), timeSystem: 'UTC' }, ORIGINATOR: originator } },
    segments: [new OemSegment({ metadata: { comments, fields }, states, covariances })],
  };
}
