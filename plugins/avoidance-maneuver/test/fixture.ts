import type { Conjunction } from '../../../interfaces/domain/conjunction';
import { MU_EARTH_KM3_S2 } from '../../../sdk/astro/constants';
import type { Vec3 } from '../../../sdk/astro/vec';

/**
 * A synthetic head-on conjunction, built by hand at TCA: primary on a circular orbit of
 * radius R0 (inclination 51.6°), secondary on the same circle flying the opposite way,
 * offset radially by `missM`. Relative velocity is then along −T, so the encounter plane is
 * the primary's R–N plane and the miss vector is radial.
 */
export const R0_KM = 7000;
export const MEAN_MOTION_RAD_S = Math.sqrt(MU_EARTH_KM3_S2 / R0_KM ** 3);
export const SIGMA_RTN_M: Vec3 = [50, 200, 50];
export const HBR_M = 5;

const cov = (s: Vec3) => {
  const d = [s[0] ** 2, s[1] ** 2, s[2] ** 2, 1e-4, 1e-4, 1e-4];
  return d.map((v, i) => d.map((_, j) => (i === j ? v : 0)));
};

export function headOn(missM: number, tcaUtc: string, id = '90001-90002-head-on'): Conjunction {
  const v = Math.sqrt(MU_EARTH_KM3_S2 / R0_KM);
  const inc = (51.6 * Math.PI) / 180;
  const vel: Vec3 = [0, v * Math.cos(inc), v * Math.sin(inc)];
  const epoch = { iso: tcaUtc.replace(/Z$/, ''), scale: 'UTC' as const };
  const covariance = { frame: 'RTN' as const, units: 'm' as const, matrix: cov(SIGMA_RTN_M) };
  return {
    id,
    tcaUtc,
    missDistanceKm: missM / 1000,
    relativeSpeedKmS: 2 * v,
    relativePositionRtnKm: [missM / 1000, 0, 0],
    relativeVelocityRtnKmS: [0, -2 * v, 0],
    primary: { noradId: 90001, objectId: '90001', stateAtTca: { epoch, frame: 'GCRF', posKm: [R0_KM, 0, 0], velKmS: vel }, covarianceRtnM: covariance, hardBodyRadiusM: HBR_M },
    secondary: {
      noradId: 90002,
      objectId: '90002',
      stateAtTca: { epoch, frame: 'GCRF', posKm: [R0_KM + missM / 1000, 0, 0], velKmS: [-vel[0], -vel[1], -vel[2]] },
      covarianceRtnM: covariance,
      hardBodyRadiusM: HBR_M,
    },
    detectedAtUtc: new Date().toISOString(),
    detectedBy: 'conjunction-screening',
    source: 'screening',
  };
}
