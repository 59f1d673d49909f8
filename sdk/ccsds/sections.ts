import { epochSyntaxError, type CcsdsEpoch } from './epoch';
import type { Cursor, Token } from './lexer';
import type { Diagnostics, Loc } from './problems';
import { conversionFactor, sameUnit } from './units';

/**
 * Keyword tables and the generic reader of keyword sections.
 *
 * Each section of a message (header, metadata, state vector, covariance…) is described by the
 * table of its keywords in the order of the standard (which is also the order of the XML
 * schema sequence), with type, standard unit, whether it is mandatory and the allowed values.
 * Values are stored in the standard's unit for each keyword (for example CDM positions in km,
 * CDM covariance in m**2, OEM covariance in km**2), so a consumer reads `fields.X` knowing its
 * unit from the table (`unitOf`).
 */
export type KeyType = 'text' | 'real' | 'int' | 'epoch' | 'enum';

export interface KeySpec {
  key: string;
  type: KeyType;
  /** Standard unit (as written in the standard, e.g. 'km', 'm**2/s'). */
  unit?: string;
  /** Mandatory keyword. */
  req?: boolean;
  /** Allowed values (case-insensitive) for 'enum'. */
  values?: readonly string[];
  min?: number;
  max?: number;
  /** `min` / `max` are exclusive bounds (XSD minExclusive/maxExclusive, e.g. ndm:positiveDouble). */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** Whether the KVN form writes the `[unit]` (default: when `unit` is set; the TDM KVN never does). */
  kvnUnits?: boolean;
  /** Whether the XML schema accepts a `units` attribute on this element (default: when `unit` is set). */
  xmlUnits?: boolean;
  /** XML/JSON element the keyword sits in when it is not the section's own (CDM relativeStateVector). */
  xmlElement?: string;
  /** Epoch keyword whose time system is always UTC whatever the metadata says (e.g. CREATION_DATE). */
  utc?: boolean;
}

export interface SectionSpec {
  name: string;
  keys: KeySpec[];
  /** The whole section may be absent (mandatory keywords are then only checked if one of its keywords appears). */
  optional?: boolean;
  /** Accepts USER_DEFINED_xxx keywords (ODM user-defined parameters). */
  userDefined?: boolean;
  index: Map<string, KeySpec>;
}

export type FieldValue = string | number | CcsdsEpoch;

/** One section as read: its comments (in order) and its keyword values (standard units). */
export interface KvSection {
  comments: string[];
  fields: Record<string, FieldValue>;
}

export function emptySection(): KvSection {
  return { comments: [], fields: {} };
}

/** Builds a keyword spec. Flags: '!' mandatory. */
export function K(key: string, type: KeyType, unit?: string, more?: Partial<KeySpec>): KeySpec {
  const spec: KeySpec = { key, type };
  if (unit) spec.unit = unit;
  return { ...spec, ...more };
}
export function R(key: string, type: KeyType, unit?: string, more?: Partial<KeySpec>): KeySpec {
  return K(key, type, unit, { ...more, req: true });
}
export function E(key: string, values: readonly string[], req = false): KeySpec {
  return { key, type: 'enum', values, req };
}

export function section(name: string, keys: KeySpec[], opts: { optional?: boolean; userDefined?: boolean } = {}): SectionSpec {
  return { name, keys, ...opts, index: new Map(keys.map((k) => [k.key, k])) };
}

export const YES_NO = ['YES', 'NO'] as const;

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INT_RE = /^[+-]?\d+$/;

/**
 * Strict decimal number (no hex/binary/octal, no Infinity, no blanks). Fast path through the
 * engine's number conversion, which accepts a superset of the CCSDS syntax; the few extra
 * forms it accepts are excluded by their second character.
 */
export function parseReal(text: string): number | undefined {
  const n = +text;
  if (n === n && n !== Infinity && n !== -Infinity && text.length > 0) {
    const c0 = text.charCodeAt(0);
    const c1 = text.length > 1 ? text.charCodeAt(1) | 32 : 0;
    if (c0 > 32 && c1 !== 120 && c1 !== 98 && c1 !== 111 && text.charCodeAt(text.length - 1) > 32) return n;
    return NUMBER_RE.test(text) ? n : undefined;
  }
  return undefined;
}

export interface ReadContext {
  diag: Diagnostics;
  /** Time system applying to epochs of the section being read. */
  timeSystem: string;
}

/** Parses and checks one keyword value against its spec; undefined when it cannot be stored. */
export function parseValue(spec: KeySpec, tok: { key: string; value: string; unit?: string; loc: Loc; unterminatedUnit?: boolean }, ctx: ReadContext): FieldValue | undefined {
  const { diag } = ctx;
  if (tok.unterminatedUnit) diag.deviation(tok.loc, tok.key, "unterminated unit bracket '[' (unit ignored)");
  const v = tok.value;
  if (v === '') {
    // An empty optional element is read as absent (XML producers write <KEY/> for "no value";
    // Orekit issue 1319); an empty mandatory one is a deviation.
    if (!spec.req) {
      diag.warn(tok.loc, tok.key, 'empty value read as absent');
      return undefined;
    }
    diag.deviation(tok.loc, tok.key, 'empty value for a mandatory keyword');
    if (diag.mode === 'strict') return undefined;
    // Lenient: kept as an explicit empty value so that the message is rewritten as it came.
    if (spec.type === 'epoch') return { text: '', timeSystem: spec.utc ? 'UTC' : ctx.timeSystem };
    return spec.type === 'real' || spec.type === 'int' ? NaN : '';
  }
  let out: FieldValue | undefined;
  switch (spec.type) {
    case 'text':
      out = v;
      break;
    case 'enum': {
      const up = v.toUpperCase();
      if (!spec.values!.some((a) => a.toUpperCase() === up)) {
        diag.error(tok.loc, tok.key, `value '${v}' not allowed (expected one of ${spec.values!.join(', ')})`);
        return undefined;
      }
      out = v;
      break;
    }
    case 'int':
      if (v === 'NaN' && diag.mode === 'lenient') {
        diag.warn(tok.loc, tok.key, "'NaN' read as not-a-number");
        out = NaN;
        break;
      }
      if (!INT_RE.test(v)) {
        diag.error(tok.loc, tok.key, `'${v}' is not an integer`);
        return undefined;
      }
      out = Number(v);
      break;
    case 'real':
      if (v === 'NaN' && diag.mode === 'lenient') {
        // Some producers write NaN for "not computed" (CARA sample CDMs).
        diag.warn(tok.loc, tok.key, "'NaN' read as not-a-number");
        out = NaN;
        break;
      }
      if (!NUMBER_RE.test(v)) {
        diag.error(tok.loc, tok.key, `'${v}' is not a number`);
        return undefined;
      }
      out = Number(v);
      break;
    case 'epoch': {
      const why = epochSyntaxError(v);
      if (why) {
        diag.error(tok.loc, tok.key, why);
        return undefined;
      }
      out = { text: v, timeSystem: spec.utc ? 'UTC' : ctx.timeSystem };
      break;
    }
  }
  if (tok.unit !== undefined) out = checkUnit(spec, tok, out, ctx);
  if (typeof out === 'number') {
    if (spec.min !== undefined && (out < spec.min || (spec.minExclusive && out === spec.min))) diag.error(tok.loc, tok.key, `value ${v} ${spec.minExclusive ? 'not above' : 'below'} the minimum ${spec.min}`);
    if (spec.max !== undefined && (out > spec.max || (spec.maxExclusive && out === spec.max))) diag.error(tok.loc, tok.key, `value ${v} ${spec.maxExclusive ? 'not below' : 'above'} the maximum ${spec.max}`);
  }
  return out;
}

function checkUnit(spec: KeySpec, tok: { key: string; unit?: string; loc: Loc }, value: FieldValue, ctx: ReadContext): FieldValue {
  const unit = tok.unit!;
  const { diag } = ctx;
  if (!spec.unit) {
    if (unit === '' || unit.toLowerCase() === 'n/a') return value;
    diag.deviation(tok.loc, tok.key, `unit [${unit}] given for a keyword without unit`);
    return value;
  }
  if (sameUnit(unit, spec.unit)) return value;
  const f = conversionFactor(unit, spec.unit);
  if (diag.mode === 'strict') {
    diag.error(tok.loc, tok.key, `unit [${unit}] where the standard requires [${spec.unit}]`);
    return value;
  }
  if (f !== undefined && typeof value === 'number') {
    diag.warn(tok.loc, tok.key, `unit [${unit}] converted to the standard [${spec.unit}] (factor ${f})`);
    return value * f;
  }
  diag.warn(tok.loc, tok.key, `unit [${unit}] differs from the standard [${spec.unit}]; value kept as written`);
  return value;
}

export interface ReadOptions {
  /** Comments read before the first keyword, attached to the first section that gets a keyword. */
  leading?: string[];
  /** Stop (without consuming) at this token. */
  stopAt?: (tok: Token, sections: KvSection[]) => boolean;
  /** Keywords known in other parts of the message: reading stops there instead of reporting them as unknown. */
  elsewhere?: (key: string) => boolean;
}

export interface ReadResult {
  sections: KvSection[];
  present: boolean[];
  /** Comments after the last keyword read (they belong to whatever comes next). */
  trailing: string[];
  firstLoc: (Loc | undefined)[];
}

/**
 * Reads consecutive keyword sections in their standard order. A comment is attached to the
 * section of the keyword that follows it (so a comment block opening a section in KVN lands
 * in that section, as in the XML form where comments open each section).
 */
export function readSections(cur: Cursor, specs: SectionSpec[], ctx: ReadContext, opts: ReadOptions = {}): ReadResult {
  const sections = specs.map(() => emptySection());
  const present = specs.map(() => false);
  const firstLoc: (Loc | undefined)[] = specs.map(() => undefined);
  const emptied = specs.map(() => new Set<string>());
  let pending = opts.leading ? [...opts.leading] : [];
  let at = 0;
  const { diag } = ctx;
  for (let tok = cur.peek(); tok !== undefined; tok = cur.peek()) {
    if (tok.t === 'comment') {
      pending.push(tok.text);
      cur.next();
      continue;
    }
    if (opts.stopAt?.(tok, sections)) break;
    if (tok.t === 'open' || tok.t === 'close') {
      // Structural XML/JSON element (header, metadata, stateVector…): the keywords decide,
      // except that comments of an element holding no keyword stay with that element.
      if (tok.t === 'close' && pending.length) {
        const j = specs.findIndex((s) => s.name === tok.name);
        if (j >= at) {
          sections[j].comments.push(...pending);
          pending = [];
        }
      }
      cur.next();
      continue;
    }
    if (tok.t === 'line') break;
    let j = -1;
    let spec: KeySpec | undefined;
    for (let s = 0; s < specs.length; s++) {
      spec = specs[s].index.get(tok.key);
      if (spec) {
        j = s;
        break;
      }
    }
    if (j < 0 && tok.key.startsWith('USER_DEFINED_')) {
      j = specs.findIndex((s) => s.userDefined);
      if (j >= 0) spec = { key: tok.key, type: 'text' };
    }
    if (j < 0 || !spec) {
      if (opts.elsewhere?.(tok.key)) break;
      diag.error(tok.loc, tok.key, /^[A-Z][A-Z0-9_]*$/.test(tok.key) ? `unknown or misplaced keyword in ${specs.map((s) => s.name).join('/')}` : `not a keyword line`);
      cur.next();
      continue;
    }
    if (tok.parent !== undefined && tok.parent !== (spec.xmlElement ?? specs[j].name)) {
      // XML/JSON: each keyword belongs in the element of its section (NDM/XML schemas).
      const where = tok.loc.xmlPath?.replace(/\/[^/]*$/, '') ?? `<${tok.parent}>`;
      diag.error(tok.loc, tok.key, `keyword of <${specs[j].name}> found inside ${where} (it belongs in the ${spec.xmlElement ?? specs[j].name} element)`);
    }
    if (j < at) diag.error(tok.loc, tok.key, `keyword of section ${specs[j].name} found after section ${specs[at].name} (sections out of order)`);
    else at = j;
    const sec = sections[j];
    if (pending.length) {
      sec.comments.push(...pending);
      pending = [];
    }
    present[j] = true;
    firstLoc[j] ??= tok.loc;
    cur.next();
    if (Object.prototype.hasOwnProperty.call(sec.fields, tok.key) || emptied[j].has(tok.key)) {
      diag.error(tok.loc, tok.key, `duplicate keyword in section ${specs[j].name}`);
      continue;
    }
    const value = parseValue(spec, tok, ctx);
    if (value !== undefined) sec.fields[tok.key] = value;
    else emptied[j].add(tok.key); // already reported: do not report it missing too
  }
  // Mandatory keywords.
  for (let s = 0; s < specs.length; s++) {
    if (specs[s].optional && !present[s]) continue;
    const mandatory = specs[s].keys.filter((k) => k.req);
    if (!present[s] && mandatory.length > 1) {
      diag.error(cur.peek()?.loc ?? cur.endLoc(), mandatory[0].key, `missing section ${specs[s].name} (mandatory keywords ${mandatory.map((k) => k.key).join(', ')})`);
      continue;
    }
    for (const k of specs[s].keys) {
      if (k.req && !(k.key in sections[s].fields) && !emptied[s].has(k.key)) {
        diag.error(firstLoc[s] ?? cur.peek()?.loc ?? cur.endLoc(), k.key, `missing mandatory keyword (section ${specs[s].name})`);
      }
    }
  }
  return { sections, present, trailing: pending, firstLoc };
}

/** The standard unit of a keyword in a section (undefined when dimensionless or text). */
export function unitOf(spec: SectionSpec, key: string): string | undefined {
  return spec.index.get(key)?.unit;
}

/** Formats a stored value back to text (numbers in the shortest form that reads back identically). */
export function formatValue(v: FieldValue): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return v;
  return v.text;
}

/** Shortest text that reads back to the same double (keeps the sign of -0). */
export function formatNumber(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/** Sets the time system of every epoch field of a section (after TIME_SYSTEM is known). */
export function applyTimeSystem(sec: KvSection, spec: SectionSpec, timeSystem: string): void {
  for (const k of spec.keys) {
    const v = sec.fields[k.key];
    if (k.type === 'epoch' && !k.utc && v && typeof v === 'object') v.timeSystem = timeSystem;
  }
}

/**
 * Reads a segment's metadata block (KVN `META_START … META_STOP`, XML `<metadata>`; the
 * opening token already consumed), checks its close, and applies the block's TIME_SYSTEM
 * (UTC when absent) to its epoch keywords. Shared by the messages made of segments (OEM,
 * TDM). Returns the block, its time system and the comments that follow it.
 */
export function readMetadataBlock(cur: Cursor, spec: SectionSpec, ctx: ReadContext, leading: string[], kvn: boolean): { metadata: KvSection; timeSystem: string; trailing: string[]; loc: Loc | undefined } {
  const r = readSections(cur, [spec], ctx, { leading, stopAt: (t) => t.t === 'close' || t.t === 'line' || (t.t === 'open' && t.name !== 'metadata') });
  const end = cur.peek();
  if (end?.t === 'close' && end.name === (kvn ? 'META' : 'metadata')) cur.next();
  else ctx.diag.error(end?.loc ?? cur.endLoc(), kvn ? 'META_STOP' : 'metadata', kvn ? 'missing META_STOP at the end of the metadata' : 'metadata element not closed where expected');
  const metadata = r.sections[0];
  const timeSystem = typeof metadata.fields.TIME_SYSTEM === 'string' ? metadata.fields.TIME_SYSTEM.toUpperCase() : 'UTC';
  applyTimeSystem(metadata, spec, timeSystem);
  return { metadata, timeSystem, trailing: r.trailing, loc: r.firstLoc[0] };
}
