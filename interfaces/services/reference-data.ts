import { defineService } from '../../sdk/service';
import type { EopRecord, GravityField, SpaceWeatherRecord } from '../domain/reference-data';
import type { GroundStation } from '../domain/station';

/** Which table answered, and whether the answer is a prediction or outside the table. */
export interface ProvenanceFlags {
  source: string;
  predicted: boolean;
  /** true: outside the loaded table; a documented fallback value was used (and logged). */
  extrapolated: boolean;
}

/** `eop`: Earth orientation (UT1−UTC, polar motion, LOD, nutation corrections). Batch: many MJDs per call. */
export interface EopProvider {
  /** Interpolated values at each UTC MJD. */
  at(mjdUtc: number[]): Promise<(EopRecord & ProvenanceFlags)[]>;
  /** Coverage of the loaded table. */
  coverage(): Promise<{ source: string; firstMjd: number; lastMjd: number; lastObservedMjd: number; loadedAtUtc: string }>;
  /** TAI−UTC steps in force (leap seconds), from the newest table received. */
  leapSeconds(): Promise<{ mjdUtc: number; taiMinusUtcS: number }[]>;
}
export const EopProviderToken = defineService<EopProvider>({ name: 'eop.provider', version: '1.0.0', description: 'Earth orientation parameters and leap seconds' });

/** `space-weather`: F10.7 and geomagnetic indices for atmosphere models. */
export interface SpaceWeatherProvider {
  /** Daily records for each UTC date (YYYY-MM-DD), with provenance. */
  daily(datesUtc: string[]): Promise<(SpaceWeatherRecord & ProvenanceFlags)[]>;
  /** Inputs of an atmosphere model at UTC instants: F10.7 of the previous day, 81-day centred mean, Ap (daily and 3-hourly history as NRLMSISE-00 needs). */
  atmosphereInputs(instantsUtc: string[]): Promise<{ f107PrevDaySfu: number; f107Avg81Sfu: number; apDaily: number; ap3hHistory: number[]; kp3h: number; flags: ProvenanceFlags }[]>;
  coverage(): Promise<{ source: string; firstDate: string; lastDate: string; lastObservedDate: string }>;
}
export const SpaceWeatherProviderToken = defineService<SpaceWeatherProvider>({ name: 'spaceweather.provider', version: '1.0.0', description: 'Solar flux and geomagnetic indices' });

/** `gravity-field`: fully normalized geopotential coefficients. */
export interface GravityFieldProvider {
  /** Coefficients truncated to the requested degree and order (≤ the loaded model's). */
  coefficients(request: { degree: number; order: number; model?: string }): Promise<GravityField>;
  models(): Promise<{ name: string; degree: number; order: number; source: string }[]>;
}
export const GravityFieldProviderToken = defineService<GravityFieldProvider>({ name: 'gravity.provider', version: '1.0.0', description: 'Normalized geopotential coefficients' });

/** `station-network`: ground stations, horizon masks, availability. */
export interface StationNetwork {
  list(): Promise<GroundStation[]>;
  get(ids: string[]): Promise<GroundStation[]>;
  /** Minimum elevation (deg) of a station's mask at each azimuth (deg), interpolated. */
  maskElevationDeg(stationId: string, azimuthsDeg: number[]): Promise<number[]>;
  isAvailable(stationId: string, instantsUtc: string[]): Promise<boolean[]>;
}
export const StationNetworkToken = defineService<StationNetwork>({ name: 'stations.network', version: '1.0.0', description: 'Ground stations with masks and availability' });
