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
    /**
     * Threads of the WASM engine: 1 = one single-thread runtime in the kernel's thread; ≥ 2 =
     * `wasmParallel` with that many threads (worker threads are never more than the machine's
     * cores, os.availableParallelism()).
     */
    wasmThreads: z.number().int().min(1).max(64).default(2),
    /**
     * How ≥ 2 WASM threads run (sdk/sgp4-bulk.ts): `workers` = worker threads each with its own
     * single-thread runtime, chunks dealt to the free one (uploads, propagation and copies in
     * parallel; the faster, bench/sgp4.bench.ts); `pthreads` = satellite.js's pthread pool
     * (propagation in parallel, uploads and copies serial).
     */
    wasmParallel: z.enum(['workers', 'pthreads']).default('workers'),
    /**
     * Satellites per WASM run (bounds memory: ~56 bytes × satellites × instants in WASM, plus, with
     * `workers`, up to three transfer buffers of 48 bytes × satellites × instants per worker).
     */
    wasmChunkSatellites: z.number().int().min(1).default(250),
    /** States per chunk of the plain loop (between chunks the event loop runs). */
    chunkStates: z.number().int().min(1).default(200_000),
    /** Largest request (subjects × instants); bigger ones are refused with a message saying so. */
    maxStatesPerRequest: z.number().int().min(1).default(2_000_000),
    /** Initialised SGP4 records kept between requests (a catalog is usually propagated again and again). */
    cacheSize: z.number().int().min(0).default(50_000),
  })
  .strict();

export type Sgp4Config = z.output<typeof sgp4Config>;
