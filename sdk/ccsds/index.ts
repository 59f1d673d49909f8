import { cdmTree, readCdm, writeCdmKvn, type Cdm } from './cdm';
import type { MessageType } from './common';
import { ommTree, opmTree, readOmm, readOpm, writeOmmKvn, writeOpmKvn, type Omm, type Opm } from './odm';
import { oemTree, readOem, writeOemKvn, type Oem } from './oem';
import { readTdm, tdmTree, writeTdmKvn, type Tdm } from './tdm';
import { readOcm, type Ocm } from './ocm';
import { ArrayCursor, jsonTree, KvnCursor, parseXmlTree, treeTokens, type Cursor, type Syntax, type XNode } from './lexer';
import { CcsdsParseError, Diagnostics, type CcsdsProblem, type ParseOptions } from './problems';
import { jsonString, xmlString } from './writer';

export * from './problems';
export * from './epoch';
export * from './sections';
export * from './cdm';
export * from './oem';
export * from './odm';
export * from './tdm';
export * from './ocm';
export { parseCelestrakOmm } from './celestrak';
export type { MessageType } from './common';
export type { Syntax } from './lexer';

/** Any message the codecs read and write. */
export type NdmMessage = Cdm | Oem | Opm | Omm | Tdm | Ocm;

export interface ParseResult<M extends NdmMessage = NdmMessage> {
  message: M;
  /** Deviations accepted (lenient mode) and remarks. */
  warnings: CcsdsProblem[];
  syntax: Syntax;
}

/** Guesses the syntax from the first significant character. */
export function detectSyntax(text: string): Syntax {
  const m = /^[\uFEFF\s]*(.)/.exec(text);
  const c = m?.[1];
  if (c === '<') return 'xml';
  if (c === '{' || c === '[') return 'json';
  return 'kvn';
}

interface Codec {
  read(cur: Cursor, diag: Diagnostics): NdmMessage;
  /** Writers (absent for the read-only OCM). */
  kvn?(m: NdmMessage): string;
  tree?(m: NdmMessage): XNode;
}

const CODECS: Partial<Record<MessageType, Codec>> = {
  CDM: { read: readCdm, kvn: (m) => writeCdmKvn(m as Cdm), tree: (m) => cdmTree(m as Cdm) },
  OPM: { read: readOpm, kvn: (m) => writeOpmKvn(m as Opm), tree: (m) => opmTree(m as Opm) },
  OMM: { read: readOmm, kvn: (m) => writeOmmKvn(m as Omm), tree: (m) => ommTree(m as Omm) },
  OEM: { read: readOem, kvn: (m) => writeOemKvn(m as Oem), tree: (m) => oemTree(m as Oem) },
  OCM: { read: readOcm },
  TDM: { read: readTdm, kvn: (m) => writeTdmKvn(m as Tdm), tree: (m) => tdmTree(m as Tdm) },
};

const TYPES: MessageType[] = ['CDM', 'OEM', 'OPM', 'OMM', 'TDM', 'OCM'];

function typeFromTokens(cur: Cursor): MessageType | string | undefined {
  const first = cur.peek();
  if (first === undefined) return undefined;
  if (cur.syntax === 'kvn') {
    const m = first.t === 'kv' ? /^CCSDS_([A-Z]+)_VERS$/.exec(first.key) : null;
    return m ? m[1] : undefined;
  }
  return undefined;
}

/**
 * Reads a CCSDS NDM (CDM, OEM, OPM, OMM, TDM, and OCM for reading) in KVN, XML or JSON. Never throws anything but
 * {@link CcsdsParseError} (which lists every problem found).
 */
export function parseNdm(text: string, opts: ParseOptions = {}): ParseResult {
  const file = opts.file ?? '<input>';
  const diag = new Diagnostics(file, opts.mode ?? 'strict');
  let message: NdmMessage | undefined;
  let syntax: Syntax = 'kvn';
  try {
    if (typeof text !== 'string') throw new TypeError('input is not text');
    syntax = detectSyntax(text);
    const prepared = prepare(text, syntax, diag);
    if (prepared) {
      const { cur, type } = prepared;
      const codec = CODECS[type as MessageType];
      if (!codec) diag.error(cur.peek()?.loc ?? { line: 1 }, '', `unsupported message type '${type}' (supported: ${TYPES.filter((t) => CODECS[t]).join(', ')})`);
      else message = codec.read(cur, diag);
    }
  } catch (err) {
    if (err instanceof CcsdsParseError) throw err;
    // A reader bug must not escape as an arbitrary exception: report it as a problem.
    diag.error(undefined, '', `internal error while reading: ${(err as Error)?.message ?? String(err)}`);
  }
  diag.throwIfErrors();
  if (!message) {
    diag.error(undefined, '', 'no message found');
    diag.throwIfErrors();
  }
  return { message: message!, warnings: diag.warnings, syntax };
}

function prepare(text: string, syntax: Syntax, diag: Diagnostics): { cur: Cursor; type: string } | undefined {
  if (syntax === 'kvn') {
    const cur = new KvnCursor(text);
    const type = typeFromTokens(cur);
    if (!type) {
      diag.error(cur.peek()?.loc ?? { line: 1 }, '', 'not a CCSDS KVN message: the first keyword must be CCSDS_<type>_VERS');
      return undefined;
    }
    return { cur, type };
  }
  let root: XNode | undefined;
  if (syntax === 'xml') root = parseXmlTree(text, diag);
  else {
    let value: unknown;
    try {
      value = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      diag.error({ line: 1 }, '', `malformed JSON: ${(err as Error).message}`);
      return undefined;
    }
    root = jsonRoot(value, diag);
  }
  if (!root) return undefined;
  let msgNode = root;
  if (root.name === 'ndm') {
    const kids = (root.children ?? []).filter((c) => c.name !== 'COMMENT');
    if (kids.length !== 1) {
      diag.error(root.loc, 'ndm', `an NDM container is read only when it holds exactly one message (found ${kids.length})`);
      return undefined;
    }
    msgNode = kids[0];
  }
  const tokens = treeTokens(root);
  return { cur: new ArrayCursor(syntax, tokens, { xmlPath: `/${root.name}` }), type: msgNode.name.toUpperCase() };
}

function jsonRoot(value: unknown, diag: Diagnostics): XNode | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    diag.error({ xmlPath: '/' }, '', 'JSON message must be an object with one member named after the message (e.g. {"cdm": {...}})');
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    diag.error({ xmlPath: '/' }, '', `JSON message must have exactly one top-level member (found ${keys.length})`);
    return undefined;
  }
  return jsonTree(keys[0], (value as Record<string, unknown>)[keys[0]]);
}

/** Writes a message in KVN, XML (NDM/XML 2.0 layout) or JSON (the XML layout as JSON members). */
export function writeNdm(message: NdmMessage, syntax: Syntax): string {
  const codec = CODECS[message.type];
  if (!codec?.kvn || !codec.tree) throw new Error(`${message.type} messages are read only: no writer (supported for writing: ${TYPES.filter((t) => CODECS[t]?.kvn).join(', ')})`);
  if (syntax === 'kvn') return codec.kvn(message);
  const tree = codec.tree(message);
  return syntax === 'xml' ? xmlString(tree) : jsonString(tree);
}
