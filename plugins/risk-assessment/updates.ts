import type { CdmRecord } from '../../interfaces/domain/cdm';
import type { Conjunction, ConjunctionObject } from '../../interfaces/domain/conjunction';
import type { Matrix6 } from '../../interfaces/domain/common';
import type { PcInput } from '../../interfaces/services/collision';
import type { Observation } from './classify';
import type { UpdateIdentity } from './events';

/** Turns `conjunction.detected` and `cdm.received` payloads into observations of an event. */

/** The object's key for pairing updates: NORAD number when known, else its designator. */
export function objectKey(o: ConjunctionObject): string {
  return o.noradId !== undefined ? String(o.noradId) : o.objectId.trim();
}

export function fromConjunction(c: Conjunction, receivedAtUtc: string): { who: UpdateIdentity; obs: Observation } {
  return {
    who: { ids: [c.id], primary: objectKey(c.primary), secondary: objectKey(c.secondary) },
    obs: {
      source: c.source,
      ref: c.id,
      receivedAtUtc,
      tcaUtc: c.tcaUtc,
      missDistanceKm: c.missDistanceKm,
      radialKm: c.relativePositionRtnKm[0],
      ...(c.pc !== undefined ? { pc: c.pc, pcSource: c.pcMethod ? `message:${c.pcMethod}` : 'message' } : {}),
    },
  };
}

/** CDM values are in metres (CCSDS 508.0-B-1 units); observations in km. */
export function fromCdm(r: CdmRecord, receivedAtUtc: string): { who: UpdateIdentity; obs: Observation } {
  const radialM = r.relativePositionRtnM?.[0];
  return {
    who: { ids: r.eventId ? [r.eventId] : [], primary: objectKey(r.object1), secondary: objectKey(r.object2) },
    obs: {
      source: 'cdm',
      ref: r.messageId,
      receivedAtUtc,
      tcaUtc: r.tcaUtc,
      missDistanceKm: r.missDistanceM / 1000,
      ...(radialM !== undefined ? { radialKm: radialM / 1000 } : {}),
      ...(r.collisionProbability !== undefined
        ? { pc: r.collisionProbability, pcSource: r.collisionProbabilityMethod ? `message:${r.collisionProbabilityMethod}` : 'message' }
        : {}),
    },
  };
}

/**
 * The collision-probability input for a conjunction without Pc, when both objects carry an
 * inertial state at TCA and an RTN covariance, and a hard-body radius is known for each
 * (or `defaultHbrM`). The combined hard-body radius is the sum of the two radii: the sphere
 * the 2D Pc formulations integrate over, centred on the secondary. Otherwise the reason it cannot.
 */
export function pcInputOf(c: Conjunction, defaultHbrM: number | null): { input: PcInput } | { missing: string } {
  const p = c.primary;
  const s = c.secondary;
  for (const [name, o] of [['primary', p], ['secondary', s]] as const) {
    if (!o.stateAtTca) return { missing: `${name} has no state at TCA` };
    if (!o.covarianceRtnM) return { missing: `${name} has no covariance` };
    if (o.covarianceRtnM.frame !== 'RTN') return { missing: `${name} covariance is in ${o.covarianceRtnM.frame}, not RTN` };
    if (o.hardBodyRadiusM === undefined && defaultHbrM === null) return { missing: `${name} has no hard-body radius (set defaultHardBodyRadiusM)` };
  }
  const covM2 = (o: ConjunctionObject): Matrix6 => {
    const cov = o.covarianceRtnM!;
    // km², km²/s, km²/s² → m², m²/s, m²/s²: every block scales by 1e6
    return cov.units === 'm' ? cov.matrix.map((r) => [...r]) : cov.matrix.map((r) => r.map((v) => v * 1e6));
  };
  const hbr = (o: ConjunctionObject) => o.hardBodyRadiusM ?? (defaultHbrM as number);
  return {
    input: {
      tcaUtc: c.tcaUtc,
      primary: { posKm: p.stateAtTca!.posKm, velKmS: p.stateAtTca!.velKmS, covRtnM2: covM2(p) },
      secondary: { posKm: s.stateAtTca!.posKm, velKmS: s.stateAtTca!.velKmS, covRtnM2: covM2(s) },
      hardBodyRadiusM: hbr(p) + hbr(s),
    },
  };
}
