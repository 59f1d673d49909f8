import type { CdmRecord } from '../../../interfaces/domain/cdm';
import type { Conjunction } from '../../../interfaces/domain/conjunction';

/** A conjunction carrying exactly what a CARA CDM says (km, km/s; covariance in RTN, m). */
export function conjunctionFromRecord(r: CdmRecord, halfHbrM?: number): Conjunction {
  const obj = (o: CdmRecord['object1']) => ({ ...o, ...(halfHbrM ? { hardBodyRadiusM: halfHbrM, hardBodyRadiusSource: 'cdm' as const } : {}) });
  return {
    id: `${r.object1.noradId}-${r.object2.noradId}`,
    tcaUtc: r.tcaUtc,
    missDistanceKm: r.missDistanceM / 1000,
    relativeSpeedKmS: r.relativeSpeedMS! / 1000,
    relativePositionRtnKm: r.relativePositionRtnM!.map((x) => x / 1000) as [number, number, number],
    relativeVelocityRtnKmS: r.relativeVelocityRtnMS!.map((x) => x / 1000) as [number, number, number],
    primary: obj(r.object1),
    secondary: obj(r.object2),
    detectedAtUtc: r.creationDateUtc,
    detectedBy: 'conjunction-screening',
    source: 'screening',
  };
}
