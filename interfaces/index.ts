/**
 * SCOOP-TS contracts: domain types (zod schemas + inferred types), message topics and
 * service tokens. Contracts only — no behaviour. Versioned with semver as a whole
 * (`INTERFACES_VERSION`) and per topic/service (each token's `version`).
 */
export const INTERFACES_VERSION = '1.0.0';

export * from './domain/common';
export * from './domain/state';
export * from './domain/catalog';
export * from './domain/ephemeris';
export * from './domain/station';
export * from './domain/measurement';
export * from './domain/conjunction';
export * from './domain/cdm';
export * from './domain/alert';
export * from './domain/maneuver';
export * from './domain/product';
export * from './domain/reference-data';
export * from './topics';
export * from './services';
