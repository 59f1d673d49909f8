import type { Token } from './lexer';
import { ArrayCursor } from './lexer';
import { emptyOmm, OMM_MEAN, OMM_METADATA, OMM_TLE, SPACECRAFT, type Omm } from './odm';
import { Diagnostics, type CcsdsProblem, type ParseOptions } from './problems';
import { applyTimeSystem, readSections } from './sections';

/**
 * CelesTrak's flat OMM forms (GP data "FORMAT=json" and "FORMAT=csv"): one record per object
 * whose member/column names are the OMM keywords, without header and with the metadata that
 * CelesTrak leaves implicit (CENTER_NAME EARTH, REF_FRAME TEME, TIME_SYSTEM UTC,
 * MEAN_ELEMENT_THEORY SGP4 — as its own XML/KVN forms state). Each record becomes an OMM.
 */
const IMPLICIT: Record<string, string> = { CENTER_NAME: 'EARTH', REF_FRAME: 'TEME', TIME_SYSTEM: 'UTC', MEAN_ELEMENT_THEORY: 'SGP4' };

export function parseCelestrakOmm(text: string, opts: ParseOptions = {}): { messages: Omm[]; warnings: CcsdsProblem[] } {
  const diag = new Diagnostics(opts.file ?? '<input>', opts.mode ?? 'strict');
  const records: { values: Record<string, string>; line?: number; path?: string }[] = [];
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (err) {
      diag.error({ line: 1 }, '', `malformed JSON: ${(err as Error).message}`);
      diag.throwIfErrors();
    }
    const list = Array.isArray(json) ? json : [json];
    list.forEach((r, i) => {
      if (r === null || typeof r !== 'object' || Array.isArray(r)) diag.error({ xmlPath: `/[${i}]` }, '', 'record is not an object');
      else records.push({ values: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)])), path: `/[${i}]` });
    });
  } else {
    const lines = trimmed.split(/\r?\n/);
    const head = lines[0].split(',').map((h) => h.trim());
    lines.slice(1).forEach((line, i) => {
      if (line.trim() === '') return;
      const cols = line.split(',');
      if (cols.length !== head.length) diag.error({ line: i + 2 }, '', `${cols.length} columns where the header has ${head.length}`);
      else records.push({ values: Object.fromEntries(head.map((h, j) => [h, cols[j].trim()])), line: i + 2 });
    });
  }
  const messages: Omm[] = [];
  const known = new Set([OMM_METADATA, OMM_MEAN, SPACECRAFT, OMM_TLE].flatMap((s) => s.keys.map((k) => k.key)));
  // Extra members (Space-Track's GP adds DECAY_DATE, TLE_LINE1, …) are a deviation: an error
  // in strict mode, one warning per keyword in lenient mode (not one per record).
  const reportedExtra = new Set<string>();
  for (const rec of records) {
    const loc = rec.line !== undefined ? { line: rec.line } : { xmlPath: rec.path };
    const values = { ...rec.values };
    for (const [k, v] of Object.entries(IMPLICIT)) {
      if (values[k] === undefined) values[k] = v;
    }
    const tokens: Token[] = [];
    for (const spec of [OMM_METADATA, OMM_MEAN, SPACECRAFT, OMM_TLE]) {
      for (const k of spec.keys) if (values[k.key] !== undefined && values[k.key] !== '') tokens.push({ t: 'kv', key: k.key, value: values[k.key], loc: rec.line !== undefined ? loc : { xmlPath: `${rec.path}/${k.key}` } });
    }
    for (const k of Object.keys(values)) {
      if (known.has(k) || reportedExtra.has(k)) continue;
      if ((opts.mode ?? 'strict') === 'lenient') reportedExtra.add(k);
      diag.deviation(loc, k, 'unknown OMM keyword');
    }
    const r = readSections(new ArrayCursor('json', tokens, loc), [OMM_METADATA, OMM_MEAN, SPACECRAFT, OMM_TLE], { diag, timeSystem: 'UTC' });
    const omm = emptyOmm('2.0');
    [omm.metadata, omm.meanElements, omm.spacecraftParameters, omm.tleParameters] = r.sections;
    applyTimeSystem(omm.meanElements, OMM_MEAN, String(omm.metadata.fields.TIME_SYSTEM ?? 'UTC').toUpperCase());
    messages.push(omm);
  }
  if (records.length === 0) diag.error({ line: 1 }, '', 'no OMM record found');
  diag.throwIfErrors();
  return { messages, warnings: diag.warnings };
}
