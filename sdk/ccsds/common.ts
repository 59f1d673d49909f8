import type { Cursor, Token } from './lexer';
import type { Diagnostics } from './problems';
import { E, K, R, section, type SectionSpec } from './sections';

/** Message types handled by the codecs. */
export type MessageType = 'CDM' | 'OEM' | 'OPM' | 'OMM' | 'TDM' | 'OCM';

/**
 * Reads the version keyword: the first KVN line `CCSDS_xxx_VERS = v`, or the root element's
 * `id="CCSDS_xxx_VERS" version="v"` in XML/JSON (an enclosing `<ndm>` is stepped over).
 */
export function readVersion(cur: Cursor, diag: Diagnostics, type: MessageType, allowed: readonly string[]): string {
  const id = `CCSDS_${type}_VERS`;
  let tok = cur.peek();
  // Comments before the version line are not allowed by the standards, but harmless: reported.
  while (tok?.t === 'comment') {
    diag.error(tok.loc, 'COMMENT', `comment before ${id} (the version keyword must come first)`);
    cur.next();
    tok = cur.peek();
  }
  if (cur.syntax === 'kvn') {
    if (tok?.t !== 'kv' || tok.key !== id) {
      diag.error(tok?.loc ?? cur.endLoc(), id, `missing: the first keyword must be ${id}`);
      return '';
    }
    cur.next();
    checkVersion(tok.value, tok, diag, id, allowed);
    return tok.value;
  }
  if (tok?.t === 'open' && tok.name === 'ndm') {
    cur.next();
    tok = cur.peek();
  }
  if (tok?.t !== 'open' || tok.name !== type.toLowerCase()) {
    diag.error(tok?.loc ?? cur.endLoc(), id, `root element must be <${type.toLowerCase()}>`);
    return '';
  }
  cur.next();
  if (tok.attrs.id !== undefined && tok.attrs.id !== id) diag.error(tok.loc, id, `attribute id='${tok.attrs.id}' (expected '${id}')`);
  const v = tok.attrs.version;
  if (v === undefined) {
    diag.error(tok.loc, id, 'missing version attribute');
    return '';
  }
  checkVersion(v, tok, diag, id, allowed);
  return v;
}

function checkVersion(v: string, tok: Token, diag: Diagnostics, id: string, allowed: readonly string[]): void {
  if (!allowed.includes(v)) diag.error(tok.loc, id, `version '${v}' not supported (supported: ${allowed.join(', ')})`);
}

/** After the message: only closing elements may remain. */
export function expectEnd(cur: Cursor, diag: Diagnostics, what: string): void {
  for (let tok = cur.next(); tok !== undefined; tok = cur.next()) {
    if (tok.t === 'close') continue;
    const keyword = tok.t === 'kv' ? tok.key : tok.t === 'open' ? tok.name : tok.t === 'comment' ? 'COMMENT' : '';
    diag.error(tok.loc, keyword, `unexpected content after the end of the ${what}`);
    // One report is enough: the rest would repeat it.
    return;
  }
}

/** Collects comments at the current position. */
export function takeComments(cur: Cursor): string[] {
  const out: string[] = [];
  for (let tok = cur.peek(); tok?.t === 'comment'; tok = cur.peek()) {
    out.push(tok.text);
    cur.next();
  }
  return out;
}

/** Steps over structural open/close tokens of the given names; returns true when one was seen. */
export function skipStructure(cur: Cursor, names: readonly string[]): boolean {
  let seen = false;
  for (let tok = cur.peek(); tok && (tok.t === 'open' || tok.t === 'close') && names.includes(tok.name); tok = cur.peek()) {
    cur.next();
    seen = true;
  }
  return seen;
}

/**
 * ODM header (502.0-B-2 §§3.2/4.2/5.2, 502.0-B-3 adds CLASSIFICATION and MESSAGE_ID).
 * CREATION_DATE is in UTC (502.0-B-2 Table 3-2).
 */
export const ODM_HEADER: SectionSpec = section('header', [
  K('CLASSIFICATION', 'text'),
  R('CREATION_DATE', 'epoch', undefined, { utc: true }),
  R('ORIGINATOR', 'text'),
  K('MESSAGE_ID', 'text'),
]);

/** Time systems allowed for TIME_SYSTEM (502.0-B-2 Annex A, Table A-2). */
export const TIME_SYSTEM_VALUES = ['GMST', 'GPS', 'MET', 'MRT', 'SCLK', 'TAI', 'TCB', 'TDB', 'TCG', 'TT', 'UT1', 'UTC'] as const;
export const TIME_SYSTEM_KEY = E('TIME_SYSTEM', TIME_SYSTEM_VALUES, true);

/** ODM 6×6 covariance keywords (502.0-B-2 Table 3-7), lower triangle row by row, km-based units. */
export const ODM_COV_KEYS: { key: string; unit: string }[] = (() => {
  const names = ['X', 'Y', 'Z', 'X_DOT', 'Y_DOT', 'Z_DOT'];
  const out: { key: string; unit: string }[] = [];
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j <= i; j++) {
      const unit = i < 3 ? 'km**2' : j < 3 ? 'km**2/s' : 'km**2/s**2';
      out.push({ key: `C${names[i]}_${names[j]}`, unit });
    }
  }
  return out;
})();

/** Index of element (i, j) of a 6×6 lower triangle stored row by row. */
export function lowerIndex(i: number, j: number): number {
  const [r, c] = i >= j ? [i, j] : [j, i];
  return (r * (r + 1)) / 2 + c;
}

/** Expands a 21-element lower triangle into a symmetric 6×6 matrix. */
export function symmetricFromLower(lower: readonly number[]): number[][] {
  return Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => lower[lowerIndex(i, j)]));
}
