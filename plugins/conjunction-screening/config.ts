import { availableParallelism } from 'node:os';
import { z } from '../../sdk';

const Volume = z
  .object({
    shape: z.enum(['sphere', 'ellipsoid', 'box']).describe('sphere: radius = sizeRtnKm[0]; ellipsoid: semi-axes; box: half-sizes'),
    sizeRtnKm: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).describe('R, T, N in the primary RTN frame, km'),
  })
  .strict();

/**
 * Configuration of the `conjunction-screening` plugin (plugins.conjunction-screening.config).
 * Every key has a default: the plugin starts with no section (and then screens nothing on
 * its own until protected assets are listed; the service answers requests).
 */
export const ScreeningConfig = z
  .object({
    /** NORAD ids of the protected assets screened by the schedule and on catalog updates. */
    protectedNoradIds: z.array(z.number().int().min(0).max(339_999)).default([]),
    /** Screening window from now, days. */
    windowDays: z.number().positive().max(60).default(7),
    /** Default screening volume: a sphere of this radius, km (when no regime volume applies). */
    missDistanceKm: z.number().positive().max(1000).default(5),
    /** Screening volumes by the primary's orbit regime (ESA classes: LEO, MEO, GEO, HEO, GTO, OTHER). */
    volumes: z.object({ LEO: Volume, MEO: Volume, GEO: Volume, HEO: Volume, GTO: Volume, OTHER: Volume }).partial().strict().default({}),
    schedule: z
      .object({
        /** Cron (UTC) of the routine screening; null: no schedule. */
        cron: z.string().nullable().default('15 */8 * * *'),
        /** Screen again when `catalog.updated` says a protected asset or any object changed. */
        onCatalogUpdate: z.boolean().default(true),
        /** Also run a catalog-wide all-vs-all survey on the schedule (events are published too). */
        allVsAll: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** Publish each event on `conjunction.detected` (durable). */
    publish: z.boolean().default(true),
    /** Frame of the states at TCA in the published records: GCRF (through the sgp4 service, EOP when available) or TEME. */
    stateFrame: z.enum(['GCRF', 'TEME']).default('GCRF'),
    /** Hard-body radius when the catalog has none, m; null: left out of the record. */
    defaultHardBodyRadiusM: z.number().positive().nullable().default(null),
    /**
     * Distributed screening over the bus (README "Distributed screening"): jobs cut into
     * `screening.part` requests answered by every kernel running this plugin.
     */
    distributed: z
      .object({
        /** Split this kernel's screenings into parts sent over the bus (off: screened here). */
        enabled: z.boolean().default(false),
        /** Parts per job (more when a part's element sets would exceed 512 kB of JSON). */
        parts: z.number().int().min(1).max(1024).default(8),
        /** Time allowed to one part's request, ms; then it is re-issued. */
        partTimeoutMs: z.number().int().positive().default(120_000),
        /** Re-issues of a part (timeout, no responder, worker stopping) before the job fails. */
        retries: z.number().int().min(0).max(20).default(3),
        /** Answer `screening.part` requests (be a worker). */
        serve: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /**
     * Operator-ephemeris primaries (README "Ephemeris primaries"): states are fetched once
     * from the `ephemeris` service, in TEME, every `stepS` seconds (and at the midpoints, to
     * measure the local interpolation), in requests of at most `batch` instants.
     */
    ephemerisPrimaries: z
      .object({
        /** Spacing of the states fetched from the ephemeris module, s (Lagrange 7 between them). */
        stepS: z.number().min(1).max(300).default(60),
        /** Instants per `interpolate` request (bounds a message: ~150 B per state). */
        batch: z.number().int().min(10).max(100_000).default(2000),
      })
      .strict()
      .prefault({}),
    /** Tuning (README "Filters" explains each number). */
    filters: z
      .object({
        /** Propagator sample step of the filters, s (interpolated between samples with bounded error). */
        stepS: z.number().positive().max(3600).default(600),
        /** Sub-step of the spatial grid (all-vs-all), s; a divisor of stepS (60 s: fewest grid operations on the 15,347-object catalog, README "Filters"). */
        gridStepS: z.number().positive().max(3600).default(60),
        /** Window blocks, hours: memory ≈ objects × (blockHours·3600/stepS + 1) × 72 bytes. */
        blockHours: z.number().positive().max(240).default(24),
        /** TCA refinement: final bracket width, s (requirement: < 1 ms). */
        tcaToleranceS: z.number().positive().max(0.001).default(1e-6),
        /** From this many primaries on, pairs come from the spatial grid. */
        gridMinPrimaries: z.number().int().min(1).default(32),
        /**
         * All-vs-all surveys: worker threads, each screening a time sub-window (parallel.ts);
         * 1: in the plugin's thread. Default: the machine's cores, at most 4 (a catalog-wide
         * survey is CPU-bound: 25.9 s in one thread, 16.9 s on two workers on the 2-core
         * reference machine, README "Performance"); set 1 on a node that must keep a core free.
         */
        workers: z.number().int().min(1).max(16).default(() => Math.min(4, availableParallelism())),
        /** WASM worker threads for the filter samples; 0: the plain satellite.js sgp4() loop. */
        wasmThreads: z.number().int().min(0).max(16).default(2),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ScreeningConfig = z.output<typeof ScreeningConfig>;
