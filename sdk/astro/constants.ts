/**
 * Physical and geodetic constants used across sdk/astro. Each value names its source;
 * every module takes its constants from here so that two modules never disagree on, say,
 * the Earth's radius.
 */

/** Earth gravitational parameter, km³/s² (EGM-96 / WGS-84 value, also IERS Conventions 2010 Table 1.1 TT-compatible GM⊕). */
export const MU_EARTH_KM3_S2 = 398600.4418;
/** Sun gravitational parameter, km³/s² (IAU 2015 Resolution B3 nominal, DE430 value 132712440041.9394). */
export const MU_SUN_KM3_S2 = 132712440041.9394;
/** Moon gravitational parameter, km³/s² (DE430/DE441: 4902.800066). */
export const MU_MOON_KM3_S2 = 4902.800066;

/** WGS-84 semi-major axis, km (NIMA TR8350.2, 3rd ed., Table 3.1). */
export const WGS84_A_KM = 6378.137;
/** WGS-84 flattening (NIMA TR8350.2, Table 3.1: 1/298.257223563). */
export const WGS84_F = 1 / 298.257223563;
/** WGS-84 first eccentricity squared, e² = f(2 − f). */
export const WGS84_E2 = WGS84_F * (2 - WGS84_F);

/** Nominal mean angular velocity of the Earth, rad/s (IERS Conventions 2010, §1.2; WGS-84). */
export const OMEGA_EARTH_RAD_S = 7.292115e-5;

/** Astronomical unit, km (IAU 2012 Resolution B2, exact). */
export const AU_KM = 149597870.7;
/** Speed of light, km/s (exact). */
export const C_KM_S = 299792.458;

export const SECONDS_PER_DAY = 86400;
/** Julian date of J2000.0 (2000-01-01T12:00:00 TT). */
export const JD_J2000 = 2451545.0;
/** Offset between Julian and modified Julian dates. */
export const MJD_OFFSET = 2400000.5;
/** Days in a Julian century. */
export const DAYS_PER_JULIAN_CENTURY = 36525;

export const DEG = Math.PI / 180;
export const ARCSEC = Math.PI / (180 * 3600);
export const TWO_PI = 2 * Math.PI;
