import type { Frame } from '../../interfaces/domain/common';
import type { Ephemeris } from '../../interfaces/domain/ephemeris';
import type { PropagationOutcome } from '../../interfaces/services/propagation';
import { Epoch } from '../../sdk/astro/time';
import { writeNdm } from '../../sdk/ccsds';
import { oemFromEphemeris } from './oem-io';

/**
 * Output of `scoop propagate … --format json|csv|oem-kvn|oem-xml` (pure: text in, text out).
 *
 * - json: an array, one element per requested epoch, in request order:
 *   `{ "epoch": ISO-8601 UTC with Z, "frame": …, "r": [x, y, z] km, "v": [vx, vy, vz] km/s }`,
 *   or `{ "epoch": …, "error": message }` for an epoch without a state;
 * - csv: header `epoch_utc,frame,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s,error`, one line per
 *   epoch, the error column filled (RFC 4180 quoting) where there is no state;
 * - oem-kvn / oem-xml: a CCSDS OEM 2.0 (502.0-B-2) of the states; epochs without a state are
 *   listed as COMMENT lines of the metadata (an OEM has no place for them otherwise). At least
 *   one state is needed.
 * Numbers are written in full (the shortest text that reads back to the same double).
 */
export type PropagateFormat = 'json' | 'csv' | 'oem-kvn' | 'oem-xml';
export const PROPAGATE_FORMATS: readonly PropagateFormat[] = ['json', 'csv', 'oem-kvn', 'oem-xml'];

export type PropagatedRow = { epochUtc: string; posKm: readonly [number, number, number]; velKmS: readonly [number, number, number] } | { epochUtc: string; error: string };

export interface PropagatedTable {
  /** Designator written as OBJECT_ID (NORAD number as text, or a name). */
  objectId: string;
  objectName?: string;
  frame: Frame;
  rows: readonly PropagatedRow[];
  /** Producer named in the OEM comment, e.g. `propagator.sgp4`. */
  source?: string;
}

export interface FormatOptions {
  /** OEM ORIGINATOR (default 'SCOOP'). */
  originator?: string;
  /** OEM CREATION_DATE, UTC ISO-8601 (default: now). */
  creationUtc?: string;
  /** OEM INTERPOLATION / INTERPOLATION_DEGREE recommended to readers (default Lagrange 8, see README). */
  interpolation?: Ephemeris['interpolation'];
}

export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

const ISO_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,12})?Z?$/;

/** ISO-8601 UTC with the Z; other accepted forms (day of year, no seconds) are rewritten. */
function utcText(text: string, row: number): string {
  if (ISO_RE.test(text)) return text.endsWith('Z') ? text : `${text}Z`;
  try {
    return Epoch.parse(text, 'UTC').toIso('UTC', 9).replace(/(\.\d{3}\d*?)0*Z$/, '$1Z');
  } catch (err) {
    throw new FormatError(`row ${row + 1}: epoch '${text}': ${(err as Error).message}`);
  }
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows of one propagation outcome at the requested instants (a failed subject fails every instant with its error). */
export function rowsFromOutcome(outcome: PropagationOutcome, instantsUtc: readonly string[]): PropagatedRow[] {
  if (!outcome.ok) {
    const why = `${outcome.error.code}: ${outcome.error.message}${outcome.error.atUtc ? ` (at ${outcome.error.atUtc})` : ''}`;
    return instantsUtc.map((epochUtc) => ({ epochUtc, error: why }));
  }
  return outcome.epochsUtc.map((epochUtc, i) => ({ epochUtc, posKm: outcome.posKm[i], velKmS: outcome.velKmS[i] }));
}

export function formatPropagation(table: PropagatedTable, format: PropagateFormat, opts: FormatOptions = {}): string {
  const rows = table.rows.map((r, i) => ({ ...r, epochUtc: utcText(r.epochUtc, i) }));
  switch (format) {
    case 'json': {
      const items = rows.map((r) => JSON.stringify('error' in r ? { epoch: r.epochUtc, error: r.error } : { epoch: r.epochUtc, frame: table.frame, r: r.posKm, v: r.velKmS }));
      return items.length ? `[\n  ${items.join(',\n  ')}\n]\n` : '[]\n';
    }
    case 'csv': {
      const lines = ['epoch_utc,frame,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s,error'];
      for (const r of rows) lines.push('error' in r ? `${r.epochUtc},${table.frame},,,,,,,${csvField(r.error)}` : [r.epochUtc, table.frame, ...r.posKm.map(String), ...r.velKmS.map(String), ''].join(','));
      return lines.join('\n') + '\n';
    }
    case 'oem-kvn':
    case 'oem-xml': {
      const ok = rows.filter((r): r is Extract<(typeof rows)[number], { posKm: unknown }> => !('error' in r));
      const failed = rows.filter((r): r is Extract<(typeof rows)[number], { error: string }> => 'error' in r);
      if (ok.length === 0) throw new FormatError(`no state to write in an OEM: all ${rows.length} epoch(s) failed${failed.length ? ` (first: ${failed[0].epochUtc}: ${failed[0].error})` : ''}`);
      const eph: Ephemeris = {
        objectId: table.objectId,
        ...(table.objectName ? { objectName: table.objectName } : {}),
        centre: 'EARTH',
        frame: table.frame,
        timeScale: 'UTC',
        interpolation: opts.interpolation ?? { method: 'lagrange', degree: 8 },
        points: ok.map((r) => ({ epoch: r.epochUtc, posKm: [...r.posKm], velKmS: [...r.velKmS] })),
        ...(table.source ? { source: table.source } : {}),
      };
      for (let i = 1; i < eph.points.length; i++) {
        if (!(Epoch.parse(eph.points[i].epoch, 'UTC').minus(Epoch.parse(eph.points[i - 1].epoch, 'UTC')) > 0)) throw new FormatError(`an OEM needs increasing epochs: ${eph.points[i].epoch} follows ${eph.points[i - 1].epoch}`);
      }
      const comments = failed.map((r) => `no state at ${r.epochUtc}: ${r.error.replace(/[\r\n]+/g, ' ')}`);
      return writeNdm(oemFromEphemeris(eph, opts.originator ?? 'SCOOP', opts.creationUtc ?? new Date().toISOString(), comments), format === 'oem-kvn' ? 'kvn' : 'xml');
    }
    default:
      throw new FormatError(`format '${String(format)}' is not one of ${PROPAGATE_FORMATS.join(', ')}`);
  }
}
