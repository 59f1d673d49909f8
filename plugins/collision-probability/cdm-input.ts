/**
 * From a CCSDS CDM (508.0-B-1) to the inputs of a Pc computation: the two states and RTN
 * covariances at TCA, the hard-body radius, and what the CDM itself reports.
 *
 * Earth-fixed states (REF_FRAME = ITRF, as CSpOC writes them) are made inertial before use:
 * the inertial frame is the one whose axes coincide with ITRF at TCA, so positions are
 * unchanged and velocities gain ω⊕ × r (Vallado 4th ed. §3.7.3, eq. 3-79 without polar
 * motion, which tilts ω⊕ by < 1e-6 rad). The Pc only depends on the relative geometry, which
 * is invariant under the constant rotation to GCRF, so no Earth-orientation data is needed.
 * The RTN covariance of an ITRF CDM is taken in the RTN frame of the inertial state (the
 * frame CSpOC's Pc uses: checked on ION_SCV8_vs_STARLINK_1233, see the tests).
 */
import { OMEGA_EARTH_RAD_S } from '../../sdk/astro/constants';
import { cross } from '../../sdk/astro/vec';
import { cdmCovarianceRtn, cdmHardBodyRadiusM, cdmState, parseNdm, type Cdm, type CcsdsProblem } from '../../sdk/ccsds';
import type { PcFlag } from './encounter';

export interface CdmPcInput {
  tcaUtc: string;
  primary: { posKm: [number, number, number]; velKmS: [number, number, number]; covRtnM2?: number[][]; noradId?: number; name?: string };
  secondary: { posKm: [number, number, number]; velKmS: [number, number, number]; covRtnM2?: number[][]; noradId?: number; name?: string };
  /** HBR from a `COMMENT HBR = …` line, when present (m). */
  hardBodyRadiusM?: number;
  /** COLLISION_PROBABILITY and its method as written in the CDM. */
  reportedPc?: number;
  reportedPcMethod?: string;
  missDistanceM?: number;
  flags: PcFlag[];
  warnings: CcsdsProblem[];
  cdm: Cdm;
}

/** Reads a CDM (KVN, XML or JSON) and extracts what a Pc needs. Lenient by default: real CDMs deviate. */
export function pcInputFromCdmText(text: string, fileName = '<cdm>', mode: 'strict' | 'lenient' = 'lenient'): CdmPcInput {
  const parsed = parseNdm(text, { file: fileName, mode });
  if (parsed.message.type !== 'CDM') throw new Error(`${fileName}: expected a CDM, found an ${parsed.message.type}`);
  const cdm = parsed.message;
  const flags: PcFlag[] = [];
  const objects = cdm.objects.map((obj, i) => {
    const what = `${fileName}: OBJECT${i + 1}`;
    const st = cdmState(obj);
    for (const [k, v] of [...st.posKm.map((x, j) => [['X', 'Y', 'Z'][j], x] as const), ...st.velKmS.map((x, j) => [['X_DOT', 'Y_DOT', 'Z_DOT'][j], x] as const)]) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what}: state vector ${k} is missing or not a number`);
    }
    const posKm = st.posKm;
    let velKmS = st.velKmS;
    const frame = st.frame.toUpperCase();
    if (frame === 'ITRF') {
      const w = cross([0, 0, OMEGA_EARTH_RAD_S], posKm);
      velKmS = [velKmS[0] + w[0], velKmS[1] + w[1], velKmS[2] + w[2]];
      if (!flags.includes('itrf-converted')) flags.push('itrf-converted');
    } else if (frame !== 'EME2000' && frame !== 'GCRF') {
      throw new Error(`${what}: REF_FRAME ${st.frame} is not supported (EME2000, GCRF or ITRF)`);
    }
    const cov = cdmCovarianceRtn(obj);
    const hasCov = cov.every((row) => row.every((x) => Number.isFinite(x)));
    const allZero = hasCov && cov.every((row) => row.every((x) => x === 0));
    const md = obj.metadata.fields;
    const designator = Number(md.OBJECT_DESIGNATOR);
    return {
      posKm: [...posKm] as [number, number, number],
      velKmS: [...velKmS] as [number, number, number],
      ...(hasCov && !allZero ? { covRtnM2: cov } : {}),
      ...(Number.isInteger(designator) ? { noradId: designator } : {}),
      ...(typeof md.OBJECT_NAME === 'string' ? { name: md.OBJECT_NAME } : {}),
    };
  });
  if (objects.length !== 2) throw new Error(`${fileName}: a CDM needs two objects, found ${objects.length}`);
  const rel = cdm.relativeMetadata.fields;
  const tca = rel.TCA;
  const tcaUtc = typeof tca === 'object' && tca !== null && 'text' in tca ? String((tca as { text: string }).text) : String(tca);
  const hbr = cdmHardBodyRadiusM(cdm);
  return {
    tcaUtc,
    primary: objects[0],
    secondary: objects[1],
    ...(hbr !== undefined && hbr > 0 ? { hardBodyRadiusM: hbr } : {}),
    ...(typeof rel.COLLISION_PROBABILITY === 'number' ? { reportedPc: rel.COLLISION_PROBABILITY } : {}),
    ...(typeof rel.COLLISION_PROBABILITY_METHOD === 'string' ? { reportedPcMethod: rel.COLLISION_PROBABILITY_METHOD } : {}),
    ...(typeof rel.MISS_DISTANCE === 'number' ? { missDistanceM: rel.MISS_DISTANCE } : {}),
    flags,
    warnings: parsed.warnings,
    cdm,
  };
}
