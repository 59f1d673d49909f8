import { sgp4 } from 'satellite.js';
import type { Sgp4BulkChunk, Sgp4BulkSubject } from '../../sdk/sgp4-bulk';
import { minutesSince, type RequestTimes } from './times';

/**
 * The two ways of running SGP4 over subjects × instants, with the same inputs and outputs:
 *
 * - `propagateJs` (here): a plain loop over satellite.js `sgp4(satrec, minutes)`, used for
 *   batches with few instants per subject (uploading a record into WASM memory costs more than
 *   it saves there) and for instants the WASM path cannot take exactly;
 * - the WebAssembly `BulkPropagator` (Vallado's C++ SGP4 compiled to WASM) through the
 *   project's one bulk runtime, sdk/sgp4-bulk.ts (single thread, pthread pool, or worker
 *   threads), shared with conjunction-screening.
 *
 * Both produce `Sgp4BulkChunk`s: TEME position (km) and velocity (km/s) in Float64Arrays,
 * packed per subject, instant-major (`[s][i][xyz]`), and for each subject the first instant (in
 * request order) at which SGP4 set an error, with Vallado's error code. Which one the service
 * uses, and why, is in the README (measured in bench/sgp4.bench.ts).
 */
export type EngineSubject = Sgp4BulkSubject;
export type ChunkResult = Sgp4BulkChunk;

/** Buffers of the plain loop, grown when needed and reused from chunk to chunk (no allocation per state or per chunk). */
export class JsLoopBuffers {
  pos = new Float64Array(0);
  vel = new Float64Array(0);
  failIndex = new Int32Array(0);
  failCode = new Int8Array(0);

  ensure(subjects: number, instants: number): void {
    const values = subjects * instants * 3;
    if (this.pos.length < values) {
      this.pos = new Float64Array(values);
      this.vel = new Float64Array(values);
    }
    if (this.failIndex.length < subjects) {
      this.failIndex = new Int32Array(subjects);
      this.failCode = new Int8Array(subjects);
    }
  }
}

/**
 * Plain-JS loop over `subjects[first … first + count − 1]`; stops a subject at its first error
 * (later instants would fail or be meaningless). With `buffers`, the output arrays are views
 * on them (valid until the next call with the same buffers); without, fresh arrays.
 */
export function propagateJs(subjects: readonly EngineSubject[], times: RequestTimes, first = 0, count = subjects.length - first, buffers = new JsLoopBuffers()): ChunkResult {
  const nT = times.count;
  buffers.ensure(count, nT);
  const posKm = buffers.pos;
  const velKmS = buffers.vel;
  const failIndex = buffers.failIndex;
  const failCode = buffers.failCode;
  for (let s = 0; s < count; s++) {
    const { satrec, epochJdUtc } = subjects[first + s];
    failIndex[s] = -1;
    failCode[s] = 0;
    let k = s * nT * 3;
    for (let i = 0; i < nT; i++, k += 3) {
      const pv = sgp4(satrec, minutesSince(times, i, epochJdUtc));
      if (pv === null || satrec.error !== 0) {
        failIndex[s] = i;
        failCode[s] = satrec.error || 6;
        break;
      }
      const p = pv.position;
      const v = pv.velocity;
      posKm[k] = p.x;
      posKm[k + 1] = p.y;
      posKm[k + 2] = p.z;
      velKmS[k] = v.x;
      velKmS[k + 1] = v.y;
      velKmS[k + 2] = v.z;
    }
  }
  const values = count * nT * 3;
  return {
    first,
    count,
    instants: nT,
    posTemeKm: posKm.subarray(0, values),
    velTemeKmS: velKmS.subarray(0, values),
    failIndex: failIndex.subarray(0, count),
    failCode: failCode.subarray(0, count),
  };
}
