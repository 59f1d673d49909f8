import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Diagnostics, Loc } from './problems';

/**
 * Tokens shared by the three syntaxes. KVN lines, XML elements and JSON members are all turned
 * into the same stream, so one reader per message type validates all three the same way.
 *
 * - `kv`: a keyword with its value text (and unit: KVN `[unit]`, XML `units="…"`);
 * - `comment`: a COMMENT line / element;
 * - `open`/`close`: a structural element (XML/JSON `segment`, `stateVector`…) or a KVN block
 *   marker (`META_START` opens `META`, `COVARIANCE_STOP` closes `COVARIANCE`…);
 * - `line`: a KVN raw data line (OEM ephemeris, covariance rows).
 */
export type Token =
  | { t: 'kv'; key: string; value: string; unit?: string; loc: Loc; unterminatedUnit?: boolean; parent?: string }
  | { t: 'comment'; text: string; loc: Loc }
  | { t: 'open'; name: string; attrs: Record<string, string>; loc: Loc }
  | { t: 'close'; name: string; loc: Loc }
  | { t: 'line'; text: string; loc: Loc };

export type Syntax = 'kvn' | 'xml' | 'json';

export interface Cursor {
  readonly syntax: Syntax;
  peek(): Token | undefined;
  next(): Token | undefined;
  /** Location just after the last token (for "missing …" problems at end of input). */
  endLoc(): Loc;
}

const KVN_MARKERS: Record<string, { t: 'open' | 'close'; name: string }> = {
  META_START: { t: 'open', name: 'META' },
  META_STOP: { t: 'close', name: 'META' },
  COVARIANCE_START: { t: 'open', name: 'COVARIANCE' },
  COVARIANCE_STOP: { t: 'close', name: 'COVARIANCE' },
  DATA_START: { t: 'open', name: 'DATA' },
  DATA_STOP: { t: 'close', name: 'DATA' },
};

/** Lazily tokenises KVN text (one token per non-blank line). */
export class KvnCursor implements Cursor {
  readonly syntax = 'kvn' as const;
  private pos = 0;
  private lineNo = 0;
  private buffered: Token | undefined;

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  peek(): Token | undefined {
    if (this.buffered === undefined) this.buffered = this.lex();
    return this.buffered;
  }

  next(): Token | undefined {
    const t = this.peek();
    this.buffered = undefined;
    return t;
  }

  endLoc(): Loc {
    return { line: this.lineNo + 1 };
  }

  /** The text being read. */
  get source(): string {
    return this.text;
  }

  /** Start offset and preceding line count of the line of the last token lexed. */
  private tokStart = 0;
  private tokLines = 0;

  /**
   * The raw text from the start of the peeked token's line, for a specialised scanner (the
   * OEM ephemeris lines): `line` is the number of lines before it. The peeked token is dropped;
   * the scanner gives back where it stopped with {@link resume}.
   */
  raw(): { text: string; pos: number; line: number } {
    if (this.buffered === undefined) return { text: this.text, pos: this.pos, line: this.lineNo };
    this.buffered = undefined;
    return { text: this.text, pos: this.tokStart, line: this.tokLines };
  }

  /** Continues lexing at `pos`, the start of a line preceded by `line` lines. */
  resume(pos: number, line: number): void {
    this.pos = pos;
    this.lineNo = line;
    this.buffered = undefined;
  }

  private lex(): Token | undefined {
    const text = this.text;
    while (this.pos < text.length) {
      let end = text.indexOf('\n', this.pos);
      if (end < 0) end = text.length;
      // Trim by index and slice once (hot path: one call per ephemeris line).
      let a = this.pos;
      let b = end;
      this.tokStart = a;
      this.tokLines = this.lineNo;
      this.pos = end + 1;
      this.lineNo++;
      while (a < b && text.charCodeAt(a) <= 32) a++;
      while (b > a && text.charCodeAt(b - 1) <= 32) b--;
      if (a === b) continue;
      const line = text.slice(a, b);
      const loc = { line: this.lineNo };
      if (line.charCodeAt(0) === 67 /* C */ && line.startsWith('COMMENT') && (line.length === 7 || line.charCodeAt(7) <= 32)) {
        return { t: 'comment', text: line.slice(8).trim(), loc };
      }
      const eq = line.indexOf('=');
      if (eq < 0) {
        const marker = line.length <= 16 ? KVN_MARKERS[line] : undefined;
        if (marker) return { ...marker, attrs: {}, loc } as Token;
        return { t: 'line', text: line, loc };
      }
      const key = line.slice(0, eq).trim();
      let value = line.slice(eq + 1).trim();
      let unit: string | undefined;
      if (value.endsWith(']')) {
        const open = value.lastIndexOf('[');
        if (open >= 0) {
          unit = value.slice(open + 1, -1).trim();
          value = value.slice(0, open).trim();
        }
      } else if (value.endsWith('[')) {
        // `RESIDUALS_ACCEPTED = 85.4 [` (seen in CARA sample CDMs): a unit cut off.
        return { t: 'kv', key, value: value.slice(0, -1).trim(), loc, unterminatedUnit: true };
      }
      return unit === undefined ? { t: 'kv', key, value, loc } : { t: 'kv', key, value, unit, loc };
    }
    return undefined;
  }
}

/** An element tree (from XML or JSON), the common form of the two structured syntaxes. */
export interface XNode {
  name: string;
  attrs: Record<string, string>;
  text?: string;
  children?: XNode[];
  loc: Loc;
}

/** Element names that are always structural (never keywords), even when empty. */
export const STRUCTURAL = new Set([
  'ndm', 'header', 'body', 'segment', 'metadata', 'data', 'stateVector', 'covarianceMatrix', 'relativeMetadataData',
  'relativeStateVector', 'odParameters', 'additionalParameters', 'spacecraftParameters', 'keplerianElements',
  'maneuverParameters', 'meanElements', 'tleParameters', 'userDefinedParameters', 'observation',
  'oem', 'opm', 'omm', 'cdm', 'tdm', 'ocm',
]);

export class ArrayCursor implements Cursor {
  private i = 0;
  constructor(
    readonly syntax: Syntax,
    private readonly tokens: Token[],
    private readonly end: Loc,
  ) {}
  peek(): Token | undefined {
    return this.tokens[this.i];
  }
  next(): Token | undefined {
    return this.tokens[this.i++];
  }
  endLoc(): Loc {
    return this.end;
  }
}

/** Flattens an element tree into tokens; each keyword token names its enclosing element (`parent`). */
export function treeTokens(root: XNode, out: Token[] = [], parent?: string): Token[] {
  const isLeaf = root.children === undefined || (root.children.length === 0 && !STRUCTURAL.has(root.name));
  if (isLeaf) {
    if (root.name === 'COMMENT') out.push({ t: 'comment', text: root.text ?? '', loc: root.loc });
    else {
      const key = root.name === 'USER_DEFINED' && root.attrs.parameter !== undefined ? `USER_DEFINED_${root.attrs.parameter}` : root.name;
      const tok: Token = { t: 'kv', key, value: (root.text ?? '').trim(), loc: root.loc };
      if (root.attrs.units !== undefined) tok.unit = root.attrs.units;
      if (parent !== undefined) tok.parent = parent;
      out.push(tok);
    }
    return out;
  }
  out.push({ t: 'open', name: root.name, attrs: root.attrs, loc: root.loc });
  for (const c of root.children!) treeTokens(c, out, root.name);
  out.push({ t: 'close', name: root.name, loc: root.loc });
  return out;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Parses XML into an element tree; XML syntax errors are reported (with line) and give undefined. */
export function parseXmlTree(text: string, diag: Diagnostics): XNode | undefined {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) {
    // NDM/XML messages are defined by the CCSDS schemas, not by a DTD; a DOCTYPE can name
    // external files or define entities (XML external entity attacks): refused outright.
    diag.error({ line: text.slice(0, doctype.index).split('\n').length }, 'DOCTYPE', 'DOCTYPE declarations are not accepted in NDM/XML (external DTD or entity definitions)');
    return undefined;
  }
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) {
    diag.error({ line: valid.err.line }, '', `malformed XML: ${valid.err.msg}`);
    return undefined;
  }
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    captureMetaData: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    removeNSPrefix: true,
  });
  const meta = XMLParser.getMetaDataSymbol() as unknown as string;
  const starts = lineStarts(text);
  const doc = parser.parse(text) as any[];
  const convert = (node: any, parentPath: string, counts: Map<string, number>): XNode | undefined => {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (name === undefined || name === '#text') return undefined;
    const n = (counts.get(name) ?? 0) + 1;
    counts.set(name, n);
    const path = `${parentPath}/${name}${n > 1 ? `[${n}]` : ''}`;
    const startIndex = node[meta]?.startIndex;
    const loc: Loc = { xmlPath: path };
    if (typeof startIndex === 'number') loc.line = lineOf(starts, startIndex);
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(node[':@'] ?? {})) attrs[k] = String(v);
    const kids = node[name] as any[];
    const children: XNode[] = [];
    let textValue = '';
    const childCounts = new Map<string, number>();
    for (const k of kids ?? []) {
      if ('#text' in k) textValue += String(k['#text']);
      else {
        const c = convert(k, path, childCounts);
        if (c) children.push(c);
      }
    }
    if (children.length > 0) return { name, attrs, children, loc };
    if (STRUCTURAL.has(name) && textValue === '') return { name, attrs, children: [], loc };
    return { name, attrs, text: textValue, loc };
  };
  const rootCounts = new Map<string, number>();
  const roots = doc.map((n) => convert(n, '', rootCounts)).filter((n): n is XNode => n !== undefined);
  if (roots.length !== 1) {
    diag.error({ line: 1 }, '', `XML document must have exactly one root element (found ${roots.length})`);
    return undefined;
  }
  return roots[0];
}

/** Converts parsed JSON into an element tree: objects are elements, arrays repeat an element, `@x` members are attributes. */
export function jsonTree(name: string, value: unknown, parentPath = ''): XNode {
  const path = `${parentPath}/${name}`;
  const loc: Loc = { xmlPath: path };
  if (value === null || typeof value !== 'object') return { name, attrs: {}, text: value === null || value === undefined ? '' : String(value), loc };
  const attrs: Record<string, string> = {};
  const children: XNode[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.startsWith('@')) attrs[k.slice(1)] = String(v);
    else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        const c = jsonTree(k, item, path);
        c.loc = { xmlPath: `${path}/${k}[${i + 1}]` };
        relocate(c);
        children.push(c);
      });
    }
    else children.push(jsonTree(k, v, path));
  }
  if (children.length === 0 && attrs.value !== undefined) return { name, attrs, text: attrs.value, loc };
  return { name, attrs, children, loc };
}

/** Recomputes the paths of a subtree after its root's path changed (array items get an index). */
function relocate(node: XNode): void {
  const counts = new Map<string, number>();
  for (const c of node.children ?? []) {
    const n = (counts.get(c.name) ?? 0) + 1;
    counts.set(c.name, n);
    c.loc = { xmlPath: `${node.loc.xmlPath}/${c.name}${n > 1 ? `[${n}]` : ''}` };
    relocate(c);
  }
}
