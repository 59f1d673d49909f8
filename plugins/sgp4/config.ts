import { z } from '../../sdk';

/**
 * Configuration of the 'sgp4' plugin (section plugins.sgp4.config). Every key has a default,
 * so the plugin runs with no section at all. Numbers behind the defaults: README.md
 * "Which engine, and why" (bench/sgp4.bench.ts).
 */
export const sgp4Config = z
  .object({
    /**
     * `auto`: the plain satellite.js `sgp4()` loop, switching to the WASM BulkPropagator for
     * batches with at least `autoWasmMinInstants` instants per subject; `js` / `wasm`: always
     * that engine (`wasm` still falls back to the loop for instants the WASM path cannot take
     * exactly: sub-millisecond offsets, spans over 4,000 days).
     */
    engine: z.enum(['auto', 'js', 'wasm']).default('auto'),
    /** Instants per subject from which `auto` uses the WASM engine. */
    autoWasmMinInstants: z.number().int().min(1).default(200),
    /** WASM worker threads: 1 = single-thread runtime, ≥ 2 = pthread pool of that size. */
    wasmThreads: z.number().int().min(1).max(64).default(2),
    /** Satellites per WASM run (bounds WASM memory: ~56 bytes × satellites × instants). */
    wasmChunkSatellites: z.number().int().min(1).default(1000),
    /** States per chunk of the plain loop (between chunks the event loop runs). */
    chunkStates: z.number().int().min(1).default(200_000),
    /** Largest request (subjects × instants); bigger ones are refused with a message saying so. */
    maxStatesPerRequest: z.number().int().min(1).default(2_000_000),
    /** Initialised SGP4 records kept between requests (a catalog is usually propagated again and again). */
    cacheSize: z.number().int().min(0).default(50_000),
  })
  .strict();

export type Sgp4Config = z.output<typeof sgp4Config>;
