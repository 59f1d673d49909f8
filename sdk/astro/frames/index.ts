/** Reference frames (IAU-76/FK5 family, TEME), geodetic and topocentric coordinates, local orbital frames. */
export * from './frames';
export * from './geodetic';
export * from './topocentric';
export * from './local';
export {
  NUT80_TERM_COUNT,
  EARTH_ROTATION_RATE_RAD_S,
  earthRotationRate,
  equationOfEquinoxes1994,
  gmst1982,
  meanObliquity1980,
  nutation1980,
  nutationMatrix1980,
  precessionAngles1976,
  precessionMatrix1976,
  polarMotionMatrix,
  delaunayArgs1980,
  centuriesSinceJ2000,
  type Nutation1980,
} from './iau1980';
