import { z } from 'zod';
import type { PluginContext } from './context';
import type { ServiceToken } from './service';
import type { Topic, RequestTopic } from './topic';

export type HealthStatus = 'ok' | 'degraded' | 'failed';

export interface HealthReport {
  status: HealthStatus;
  detail?: string;
  metrics?: Record<string, number>;
}

/** A required service; `optional: true` lets the plugin start when nobody provides it. */
export interface Requirement {
  token: ServiceToken<any>;
  optional?: boolean;
}

/**
 * The manifest and behaviour of a plugin. The kernel reads the manifest before starting
 * anything (services provided and required build the dependency graph; the config schema
 * validates the operator's section), then calls `start` with a fresh context.
 */
export interface PluginDefinition<S extends z.ZodType = z.ZodType> {
  readonly kind: 'plugin';
  readonly name: string;
  readonly version: string;
  /** semver range of kernel versions this plugin works with, e.g. `^1.0.0`. */
  readonly kernel: string;
  readonly description: string;
  readonly provides: readonly ServiceToken<any>[];
  readonly requires: readonly Requirement[];
  readonly publishes: readonly (Topic<any> | RequestTopic<any, any>)[];
  readonly subscribes: readonly (Topic<any> | RequestTopic<any, any> | string)[];
  readonly config: S;
  start(ctx: PluginContext<z.output<S>>): void | Promise<void>;
  /** Optional: finish in-flight work. Subscriptions, timers and watchers are released anyway. */
  stop?(ctx: PluginContext<z.output<S>>): void | Promise<void>;
  /** Optional health probe, called by the kernel's supervisor at each heartbeat. */
  health?(): HealthReport | Promise<HealthReport>;
}

export interface PluginSpec<S extends z.ZodType> {
  name: string;
  version: string;
  kernel: string;
  description?: string;
  provides?: ServiceToken<any>[];
  requires?: (ServiceToken<any> | Requirement)[];
  publishes?: (Topic<any> | RequestTopic<any, any>)[];
  subscribes?: (Topic<any> | RequestTopic<any, any> | string)[];
  /** zod schema of the plugin's config section; should be `.strict()` with defaults. */
  config?: S;
  start(ctx: PluginContext<z.output<S>>): void | Promise<void>;
  stop?(ctx: PluginContext<z.output<S>>): void | Promise<void>;
  health?(): HealthReport | Promise<HealthReport>;
}

export const PLUGIN_NAME = /^[a-z][a-z0-9-]*$/;

export function definePlugin<S extends z.ZodType = z.ZodObject<Record<string, never>>>(spec: PluginSpec<S>): PluginDefinition<S> {
  if (!PLUGIN_NAME.test(spec.name)) throw new Error(`plugin name '${spec.name}' must be lower-case letters, digits and dashes`);
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(spec.version)) {
    throw new Error(`plugin '${spec.name}': version '${spec.version}' is not semver`);
  }
  const requires = (spec.requires ?? []).map((r) => ('kind' in r && r.kind === 'service' ? { token: r } : (r as Requirement)));
  return Object.freeze({
    kind: 'plugin' as const,
    name: spec.name,
    version: spec.version,
    kernel: spec.kernel,
    description: spec.description ?? '',
    provides: Object.freeze([...(spec.provides ?? [])]),
    requires: Object.freeze(requires),
    publishes: Object.freeze([...(spec.publishes ?? [])]),
    subscribes: Object.freeze([...(spec.subscribes ?? [])]),
    config: (spec.config ?? z.object({}).strict()) as S,
    start: spec.start,
    stop: spec.stop,
    health: spec.health,
  });
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'plugin' &&
    typeof (value as { start?: unknown }).start === 'function'
  );
}
