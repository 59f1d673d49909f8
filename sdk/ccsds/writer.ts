import type { XNode } from './lexer';
import { formatValue, type KvSection, type SectionSpec } from './sections';

/** Text builders shared by the message writers (KVN lines, XML element trees, JSON). */
export class KvnWriter {
  private readonly lines: string[] = [];
  constructor(private readonly width = 20) {}

  kv(key: string, value: string, unit?: string): void {
    this.lines.push(`${key.padEnd(this.width)} = ${value}${unit ? ` [${unit}]` : ''}`);
  }
  comments(list: string[]): void {
    for (const c of list) this.lines.push(c === '' ? 'COMMENT' : `COMMENT ${c}`);
  }
  raw(line: string): void {
    this.lines.push(line);
  }
  blank(): void {
    this.lines.push('');
  }
  /** Comments then the keywords in the standard order, each with its standard unit. */
  section(sec: KvSection, spec: SectionSpec, withComments = true): void {
    if (withComments) this.comments(sec.comments);
    for (const k of spec.keys) {
      const v = sec.fields[k.key];
      if (v !== undefined) this.kv(k.key, formatValue(v), k.kvnUnits === false ? undefined : k.unit);
    }
    if (spec.userDefined) for (const [key, v] of Object.entries(sec.fields)) if (key.startsWith('USER_DEFINED_')) this.kv(key, formatValue(v));
  }
  toString(): string {
    return this.lines.join('\n') + '\n';
  }
}

export function leaf(name: string, text: string, attrs: Record<string, string> = {}): XNode {
  return { name, attrs, text, loc: {} };
}

export function el(name: string, children: XNode[], attrs: Record<string, string> = {}): XNode {
  return { name, attrs, children, loc: {} };
}

/** COMMENT elements then one element per keyword present, in the standard (schema) order. */
export function sectionNodes(sec: KvSection, spec: SectionSpec, withComments = true): XNode[] {
  const out: XNode[] = withComments ? sec.comments.map((c) => leaf('COMMENT', c)) : [];
  for (const k of spec.keys) {
    const v = sec.fields[k.key];
    if (v === undefined) continue;
    const units: Record<string, string> = k.unit && k.xmlUnits !== false ? { units: k.unit } : {};
    out.push(leaf(k.key, formatValue(v), units));
  }
  return out;
}

/** USER_DEFINED_xxx fields as the ODM/XML `<USER_DEFINED parameter="xxx">` elements. */
export function userDefinedNodes(sec: KvSection): XNode[] {
  return Object.entries(sec.fields)
    .filter(([k]) => k.startsWith('USER_DEFINED_'))
    .map(([k, v]) => leaf('USER_DEFINED', formatValue(v), { parameter: k.slice('USER_DEFINED_'.length) }));
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export const XSD_MASTER = 'https://sanaregistry.org/r/ndmxml_unqualified/ndmxml-2.0.0-master-2.0.xsd';

/** Serialises an element tree as indented XML with declaration. */
export function xmlString(root: XNode): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const walk = (n: XNode, depth: number) => {
    const pad = '  '.repeat(depth);
    // The root names the NDM/XML 2.0 master schema (no target namespace for message roots).
    const all = depth === 0 ? { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:noNamespaceSchemaLocation': XSD_MASTER, ...n.attrs } : n.attrs;
    const attrs = Object.entries(all)
      .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
      .join('');
    if (n.children === undefined) {
      out.push(`${pad}<${n.name}${attrs}>${escapeXml(n.text ?? '')}</${n.name}>`);
      return;
    }
    if (n.children.length === 0) {
      out.push(`${pad}<${n.name}${attrs}/>`);
      return;
    }
    out.push(`${pad}<${n.name}${attrs}>`);
    for (const c of n.children) walk(c, depth + 1);
    out.push(`${pad}</${n.name}>`);
  };
  walk(root, 0);
  return out.join('\n') + '\n';
}

/** Element names always written as JSON arrays (they may repeat). */
const JSON_ARRAYS = new Set(['COMMENT', 'segment', 'stateVector', 'covarianceMatrix', 'observation', 'maneuverParameters', 'USER_DEFINED']);

/**
 * JSON form of an element tree: `{ "<root>": { "@id": …, "header": {…}, … } }`, one member per
 * element in document order, repeated elements as arrays, values as strings (exact text;
 * units are the standard ones and are not repeated).
 */
export function jsonValue(n: XNode): unknown {
  if (n.children === undefined) {
    const attrs = Object.entries(n.attrs).filter(([k]) => k !== 'units');
    if (attrs.length === 0) return n.text ?? '';
    const o: Record<string, string> = {};
    for (const [k, v] of attrs) o[`@${k}`] = v;
    o['@value'] = n.text ?? '';
    return o;
  }
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n.attrs)) o[`@${k}`] = v;
  for (const c of n.children) {
    const v = jsonValue(c);
    if (JSON_ARRAYS.has(c.name)) ((o[c.name] ??= []) as unknown[]).push(v);
    else if (c.name in o) {
      const prev = o[c.name];
      o[c.name] = Array.isArray(prev) ? [...prev, v] : [prev, v];
    } else o[c.name] = v;
  }
  return o;
}

export function jsonString(root: XNode): string {
  return JSON.stringify({ [root.name]: jsonValue(root) }, null, 2) + '\n';
}
