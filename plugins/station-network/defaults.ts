import type { GroundStation } from '../../interfaces/domain/station';

/**
 * The default network: four antennas of the CNES 2 GHz network taken from the NASA Directory of
 * Station Locations (NDOSL, 2014-05-30) as published in NAIF's ndosl_140530_v01 comment file,
 * Table 2 (WGS-84 geodetic latitude, east longitude, height above the ellipsoid). Degrees-minutes-
 * seconds converted to decimal degrees, longitudes brought into (−180°, 180°]; the test
 * re-reads the NDOSL file and checks every value. Toulouse is not in NDOSL: approximate.
 *
 * Minimum elevation 5° is an operational choice of this default (typical for S-band TT&C), not
 * a value from NDOSL; no horizon mask and no availability window (always available): an
 * operator configures the real ones.
 */
export const DEFAULT_STATIONS: GroundStation[] = [
  {
    id: 'AUSS',
    name: 'Aussaguel',
    latDeg: 43.428696, // 43 25 43.3056
    lonDeg: 1.499412, // 1 29 57.8832
    heightM: 260.479,
    minElevationDeg: 5,
    horizonMask: [],
    availability: [],
    source: 'NDOSL 2014-05-30 (NAIF ndosl_140530_v01), STDN AUSS / NASA 4259: Aussaguel, France; S-bd az-el 11m',
  },
  {
    id: 'KRUS',
    name: 'Kourou',
    latDeg: 5.098848, // 5 05 55.8528
    lonDeg: -52.639872, // 307 21 36.4608 E
    heightM: 110.039,
    minElevationDeg: 5,
    horizonMask: [],
    availability: [],
    source: 'NDOSL 2014-05-30 (NAIF ndosl_140530_v01), STDN KRUS / NASA 4258: Kourou, Fr. Guiana; S-bd az-el 11m',
  },
  {
    id: 'KIXS',
    name: 'Kiruna',
    latDeg: 67.878157, // 67 52 41.3652
    lonDeg: 21.063398, // 21 03 48.2328
    heightM: 508.573,
    minElevationDeg: 5,
    horizonMask: [],
    availability: [],
    source: 'NDOSL 2014-05-30 (NAIF ndosl_140530_v01), STDN KIXS / NASA 4257: Kiruna, Sweden; S-bd az-el 9m',
  },
  {
    id: 'HBKS',
    name: 'Hartebeesthoek',
    latDeg: -25.887, // -25 53 13.2000
    lonDeg: 27.712, // 27 42 43.2000
    heightM: 1544.83,
    minElevationDeg: 5,
    horizonMask: [],
    availability: [],
    source: 'NDOSL 2014-05-30 (NAIF ndosl_140530_v01), STDN HBKS / NASA 1402: Hartebeeshoek, S. Africa; S-bd x-y 12m',
  },
  {
    id: 'TLSE',
    name: 'Toulouse',
    latDeg: 43.56,
    lonDeg: 1.48,
    heightM: 200,
    minElevationDeg: 5,
    horizonMask: [],
    availability: [],
    source: 'APPROXIMATE (not in NDOSL): CNES Toulouse Space Centre, 18 av. Edouard Belin; 43.56°N 1.48°E ±0.01°, height above the ellipsoid ≈ 200 m ±60 m (ground ≈ 150 m above sea level + geoid ≈ 50 m)',
  },
];
