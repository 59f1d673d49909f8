/**
 * sdk/astro: the astrodynamics core every module computes with. Pure functions and data
 * types (no I/O, no globals). Each file states its theory, sources and measured accuracy.
 *
 * - time.ts, leap-seconds.ts: Epoch (UTC, TAI, TT, TDB, GPS, UT1), leap seconds
 * - eop.ts, eop-parsers.ts: Earth orientation tables and their interpolation
 * - frames/: GCRF, EME2000, MOD, TOD, TEME, PEF, ITRF (IAU-76/FK5 + EOP), geodetic,
 *   topocentric, RTN/TNW
 * - bodies.ts: analytic Sun and Moon (GCRF, geometric)
 * - elements.ts, kepler.ts, twobody.ts, lambert.ts: orbital elements, Kepler's equation,
 *   universal-variable propagation and STM, Lambert (Izzo)
 * - integrators/: RK4, DP5(4), DOP853 with dense output and events
 * - atmosphere/: NRLMSISE-00 (GTD7, GTD7D) densities and temperatures
 * - linalg.ts, vec.ts, constants.ts
 */
export * from './constants';
export * from './vec';
export * from './time';
export * from './eop';
export * from './eop-parsers';
export * from './frames';
export * from './bodies';
export * from './elements';
export * from './kepler';
export * from './twobody';
export * from './lambert';
export * from './integrators';
export * from './atmosphere/nrlmsise00';
// linalg's matrix `add`/`scale` would shadow the vector ones of vec.ts: exported by namespace.
export * as linalg from './linalg';
export type { Matrix, ReadonlyMatrix } from './linalg';
