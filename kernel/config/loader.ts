import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { Document, LineCounter, parseDocument, parse as parseYaml, isMap, isSeq, type Node } from 'yaml';
import { RootConfigSchema, PluginEntrySchema, KernelConfigSchema, type KernelConfig, type PluginEntry } from './schema';
import { maskSecrets, collectSecrets } from './secrets';
import type { PluginDefinition } from '../../sdk/plugin';

/** One configuration problem, located in the operator's files. */
export interface ConfigProblem {
  /** Dotted YAML path, e.g. `plugins.eop.config.maxAgeDays`. */
  path: string;
  message: string;
  /** `file:line` of the value (or of its nearest parent present in a file), or `env NAME`. */
  location?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`configuration has ${problems.length} problem(s):\n` + problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  return `  ${p.location ? p.location + ': ' : ''}${p.path}: ${p.message}`;
}

interface SourceFile {
  file: string;
  doc: Document;
  lines: LineCounter;
}

/** Where each value came from (files in merge order, environment overrides last). */
export class ConfigSources {
  constructor(
    readonly files: SourceFile[],
    readonly env: Map<string, string>,
  ) {}

  locate(p: (string | number)[]): string | undefined {
    const key = p.join('.');
    for (const [k, name] of this.env) if (key === k || key.startsWith(k + '.')) return `env ${name}`;
    for (let depth = p.length; depth >= 0; depth--) {
      const sub = p.slice(0, depth);
      for (let i = this.files.length - 1; i >= 0; i--) {
        const line = lineOf(this.files[i], sub);
        if (line !== undefined) return `${this.files[i].file}:${line}`;
      }
    }
    return this.files.length ? this.files[this.files.length - 1].file : undefined;
  }
}

/** Line of the key (in a mapping) or of the item (in a sequence) at a path, if present. */
function lineOf(f: SourceFile, p: (string | number)[]): number | undefined {
  if (p.length === 0) return f.doc.contents?.range ? f.lines.linePos(f.doc.contents.range[0]).line : undefined;
  const parent = p.length === 1 ? f.doc.contents : f.doc.getIn(p.slice(0, -1), true);
  const last = p[p.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((it) => String((it.key as { value?: unknown })?.value ?? it.key) === String(last));
    const keyNode = pair?.key as Node | undefined;
    return keyNode?.range ? f.lines.linePos(keyNode.range[0]).line : undefined;
  }
  if (isSeq(parent) && typeof last === 'number') {
    const item = parent.items[last] as Node | undefined;
    return item?.range ? f.lines.linePos(item.range[0]).line : undefined;
  }
  return undefined;
}

export interface RawConfig {
  value: Record<string, unknown>;
  sources: ConfigSources;
  /** Environment overrides not yet applied (they need the schemas to match key names). */
  envOverrides?: EnvOverride[];
}

export const ENV_PREFIX = 'SCOOP__';

/**
 * Reads and merges the configuration files in order (later files override earlier ones,
 * key by key; lists are replaced), then applies environment overrides:
 * `SCOOP__KERNEL__LOG__LEVEL=debug` sets `kernel.log.level`. Path segments are separated by
 * a double underscore and matched case-insensitively against the keys present, with `_`
 * standing for `-` (`SCOOP__PLUGINS__FILE_INBOX__ENABLED=false`). Values are read as YAML
 * scalars, so numbers and booleans keep their type.
 */
export function readConfig(files: string[], env: NodeJS.ProcessEnv = process.env): RawConfig {
  const problems: ConfigProblem[] = [];
  const sources: SourceFile[] = [];
  let merged: Record<string, unknown> = {};
  for (const file of files) {
    const abs = path.resolve(file);
    let text: string;
    try {
      text = fs.readFileSync(abs, 'utf8');
    } catch (err) {
      problems.push({ path: '(file)', message: `cannot read: ${(err as Error).message}`, location: abs });
      continue;
    }
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length) {
      for (const e of doc.errors) {
        const line = e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line;
        problems.push({ path: '(yaml)', message: e.message.split('\n')[0], location: `${abs}:${line}` });
      }
      continue;
    }
    const value = doc.toJS() ?? {};
    if (!isRecord(value)) {
      problems.push({ path: '(root)', message: 'the file must hold a mapping (kernel:, plugins:)', location: `${abs}:1` });
      continue;
    }
    sources.push({ file: abs, doc, lines });
    merged = deepMerge(merged, value);
  }
  const envOverrides: EnvOverride[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const segments = name.slice(ENV_PREFIX.length).split('__').filter(Boolean);
    if (segments.length === 0) continue;
    envOverrides.push({ name, segments, value: parseScalar(raw) });
  }
  if (problems.length) throw new ConfigError(problems);
  const result: RawConfig = { value: merged, sources: new ConfigSources(sources, new Map()), envOverrides };
  // Kernel keys are known now; plugin keys wait for the plugins' schemas (validateConfig).
  applyEnvOverrides(result, new Map(), (o) => o.segments[0].toLowerCase() !== 'plugins');
  return result;
}

interface EnvOverride {
  name: string;
  segments: string[];
  value: unknown;
}

/**
 * Applies the environment overrides, matching each path segment case-insensitively (with
 * `_` for `-`) against the keys present in the files and the keys the schemas declare.
 */
function applyEnvOverrides(raw: RawConfig, plugins: Map<string, PluginDefinition>, which: (o: EnvOverride) => boolean = () => true): void {
  const pending = raw.envOverrides ?? [];
  raw.envOverrides = pending.filter((o) => !which(o));
  for (const o of pending.filter(which)) {
    const resolved: string[] = [];
    let node: Record<string, unknown> = raw.value;
    o.segments.forEach((seg, i) => {
      const keys = new Set([...Object.keys(node), ...schemaKeysAt(resolved, plugins)]);
      const want = seg.toLowerCase();
      const key = [...keys].find((k) => k.toLowerCase() === want || k.toLowerCase() === want.replace(/_/g, '-')) ?? want.replace(/_/g, '-');
      resolved.push(key);
      if (i === o.segments.length - 1) node[key] = o.value;
      else {
        if (!isRecord(node[key])) node[key] = {};
        node = node[key] as Record<string, unknown>;
      }
    });
    raw.sources.env.set(resolved.join('.'), o.name);
  }
}

/** Object keys the schemas declare at a path of the configuration tree. */
function schemaKeysAt(p: string[], plugins: Map<string, PluginDefinition>): string[] {
  let schema: z.ZodType | undefined;
  let rest = p;
  if (p[0] === 'plugins') {
    if (p.length === 1) return [...plugins.keys()];
    const def = plugins.get(p[1]);
    if (p.length === 2) return Object.keys(PluginEntrySchema.shape);
    if (!def || p[2] !== 'config') return [];
    schema = def.config;
    rest = p.slice(3);
  } else {
    schema = RootConfigSchema;
  }
  for (const seg of rest) {
    const shape = objectShape(schema);
    schema = shape?.[seg];
    if (!schema) return [];
  }
  return Object.keys(objectShape(schema) ?? {});
}

function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  let s: any = schema;
  for (let i = 0; i < 10 && s; i++) {
    const def = s._zod?.def;
    if (!def) return undefined;
    if (def.type === 'object') return def.shape;
    s = def.innerType ?? def.in;
  }
  return undefined;
}

export interface ValidatedConfig {
  kernel: KernelConfig;
  plugins: Record<string, PluginEntry & { config: unknown }>;
  raw: RawConfig;
  /** Secret values found, to scrub from anything printed. */
  secrets: string[];
}

/**
 * Validates the kernel section and the section of every plugin (with each plugin's own
 * schema). Collects every problem before failing, each with its path and file:line.
 * `plugins` lists the discovered plugin definitions; a section naming an unknown plugin
 * is an error. Plugins that could not be loaded are passed in `unloadable` so their
 * sections are not reported twice.
 */
export function validateConfig(
  raw: RawConfig,
  plugins: Map<string, PluginDefinition>,
  unloadable: Set<string> = new Set(),
): ValidatedConfig {
  applyEnvOverrides(raw, plugins);
  const problems: ConfigProblem[] = [];
  const root = RootConfigSchema.safeParse(raw.value);
  if (!root.success) problems.push(...zodProblems(root.error, [], raw.sources));
  const out: ValidatedConfig['plugins'] = {};
  const secrets: string[] = [];
  const sections = isRecord(raw.value.plugins) ? raw.value.plugins : {};
  for (const name of Object.keys(sections)) {
    if (!plugins.has(name) && !unloadable.has(name)) {
      problems.push({ path: `plugins.${name}`, message: `no plugin named '${name}' was found in the plugin directories`, location: raw.sources.locate(['plugins', name]) });
    }
  }
  for (const [name, def] of plugins) {
    const section = isRecord(sections[name]) ? (sections[name] as Record<string, unknown>) : {};
    const entry = PluginEntrySchema.safeParse(section);
    if (!entry.success) continue; // already reported through RootConfigSchema
    const parsed = def.config.safeParse(section.config ?? {});
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, ['plugins', name, 'config'], raw.sources));
      continue;
    }
    secrets.push(...collectSecrets(def.config, parsed.data));
    out[name] = { ...entry.data, config: parsed.data };
  }
  if (problems.length) throw new ConfigError(problems);
  secrets.push(...collectSecrets(KernelConfigSchema, root.data!.kernel));
  return { kernel: root.data!.kernel, plugins: out, raw, secrets };
}

function zodProblems(error: z.ZodError, prefix: (string | number)[], sources: ConfigSources): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of error.issues) {
    const p = [...prefix, ...issue.path.map((x) => (typeof x === 'symbol' ? String(x) : x))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const kp = [...p, key];
        out.push({ path: kp.join('.'), message: `unknown key '${key}'`, location: sources.locate(kp) });
      }
      continue;
    }
    out.push({ path: p.join('.') || '(root)', message: issue.message, location: sources.locate(p) });
  }
  return out;
}

/** The whole configuration as JSON Schema (kernel + each discovered plugin's section). */
export function configJsonSchema(plugins: Map<string, PluginDefinition>): unknown {
  const pluginShapes: Record<string, z.ZodType> = {};
  for (const [name, def] of plugins) {
    pluginShapes[name] = PluginEntrySchema.extend({ config: (def.config as z.ZodType).optional() })
      .strict()
      .describe(def.description || name);
  }
  const full = RootConfigSchema.extend({ plugins: z.object(pluginShapes).strict().optional() });
  return z.toJSONSchema(full, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
}

/** The effective configuration with secrets masked (for `config show` and logs). */
export function maskedConfig(cfg: ValidatedConfig, plugins: Map<string, PluginDefinition>): Record<string, unknown> {
  const pluginsOut: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(cfg.plugins)) {
    const def = plugins.get(name);
    pluginsOut[name] = { ...entry, config: def ? maskSecrets(def.config, entry.config) : entry.config };
  }
  return { kernel: maskSecrets(KernelConfigSchema, cfg.kernel), plugins: pluginsOut };
}

/** Replaces every known secret value in a text by the mask. */
export function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('********');
  return out;
}

/** Merges b into a: objects key by key (recursively), anything else (arrays included) replaced. */
export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = isRecord(v) && isRecord(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

function parseScalar(raw: string): unknown {
  try {
    return parseYaml(raw);
  } catch {
    return raw;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

