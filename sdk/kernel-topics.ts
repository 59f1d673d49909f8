import { z } from 'zod';
import { defineTopic } from './topic';

/** Lifecycle states of a plugin, in the order a healthy plugin goes through them. */
export const PLUGIN_STATES = ['discovered', 'validated', 'starting', 'running', 'stopping', 'stopped', 'failed'] as const;
export type PluginState = (typeof PLUGIN_STATES)[number];

/**
 * Published by the kernel at every lifecycle transition of a plugin (supervision, console
 * and gateways follow plugins through it). `at` is UTC ISO-8601.
 */
export const PluginStateTopic = defineTopic({
  name: 'plugin.state',
  version: '1.0.0',
  description: 'A plugin changed lifecycle state (published by the kernel).',
  schema: z
    .object({
      plugin: z.string(),
      version: z.string(),
      state: z.enum(PLUGIN_STATES),
      previous: z.enum(PLUGIN_STATES).optional(),
      reason: z.string().optional(),
      node: z.string(),
      at: z.string().datetime(),
    })
    .strict(),
});
