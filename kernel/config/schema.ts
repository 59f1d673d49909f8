import { z } from 'zod';
import { secret } from '../../sdk/secret';

/**
 * The kernel's own configuration section. Every object is `.strict()` (unknown keys are
 * errors, so a typo never silently falls back to a default) and `.prefault({})` (zod 4:
 * an absent section is parsed through its schema so inner defaults apply).
 */
const Level = z.enum(['error', 'warn', 'info', 'debug', 'trace']);
const Overflow = z.enum(['drop-oldest', 'drop-newest', 'error']);

export const KernelConfigSchema = z
  .object({
    name: z.string().min(1).default('scoop').describe('Name of this kernel, shown by `scoop status`.'),
    node: z.string().min(1).default('main').describe('Node name of this kernel in a distributed layout.'),
    dataDir: z.string().default('var').describe('Runtime data: plugin data folders, control files, logs (relative to the working directory).'),
    pluginDirs: z.array(z.string()).default([]).describe('Extra directories searched for plugins, besides the built-in plugins/.'),
    builtinPlugins: z.boolean().default(true).describe("Search the project's own plugins/ folder; false: only kernel.pluginDirs (an explicit plugin set)."),
    enableByDefault: z
      .boolean()
      .default(true)
      .describe('Start discovered plugins that have no section in the configuration (a new plugin folder hot-loads).'),
    log: z
      .object({
        level: Level.default('info'),
        console: z.boolean().default(true),
        file: z
          .object({
            path: z.string().default('var/log/scoop.jsonl'),
            maxSizeMB: z.number().positive().default(20),
            maxFiles: z.number().int().positive().default(5),
          })
          .strict()
          .nullable()
          .prefault({})
          .describe('JSON-lines log file with size rotation; null disables it.'),
        plugins: z.record(z.string(), Level).default({}).describe('Per-plugin level overrides.'),
      })
      .strict()
      .prefault({}),
    bus: z
      .object({
        transport: z.enum(['local', 'nats']).default('local').describe('Message transport: in-process, or NATS for several kernels.'),
        nats: z
          .object({
            servers: z.array(z.string()).min(1).default(['nats://127.0.0.1:4222']),
            prefix: z
              .string()
              .regex(/^[A-Za-z0-9_-]+$/)
              .default('scoop')
              .describe('Subject prefix of this deployment (several can share a NATS server).'),
            stream: z.string().regex(/^[A-Za-z0-9_-]+$/).default('SCOOP_DURABLE').describe('JetStream stream of the durable topics.'),
            durableMaxAgeH: z.number().positive().default(168).describe('How long unacknowledged durable messages are kept (hours).'),
            discoveryMs: z.number().int().nonnegative().default(1000).describe('At start, how long to wait for other kernels to announce their services.'),
            user: z.string().optional(),
            password: secret(z.string()).optional(),
            token: secret(z.string()).optional(),
            tls: z.object({ caFile: z.string().optional(), certFile: z.string().optional(), keyFile: z.string().optional() }).strict().optional(),
          })
          .strict()
          .prefault({}),
        queue: z
          .object({
            capacity: z.number().int().min(1).default(100_000).describe('Messages queued per subscriber.'),
            overflow: Overflow.default('drop-oldest').describe('What a full subscriber queue does; drops are counted and logged.'),
          })
          .strict()
          .prefault({}),
        requestTimeoutMs: z.number().int().positive().default(5000),
        batch: z.number().int().positive().default(512).describe('Messages a subscriber handles per turn before yielding.'),
        freezePayloads: z.boolean().default(false).describe('Deep-freeze payloads so a subscriber mutating a shared message fails (costs ~0.4 µs per message).'),
      })
      .strict()
      .prefault({}),
    control: z
      .object({
        enabled: z.boolean().default(true),
        host: z.literal('127.0.0.1').default('127.0.0.1').describe('Control requests are accepted from this host only.'),
        port: z.number().int().min(0).max(65535).default(0).describe('0 picks a free port, written to <dataDir>/run/control.json.'),
      })
      .strict()
      .prefault({}),
    supervision: z
      .object({
        heartbeatMs: z.number().int().positive().default(5000),
        healthTimeoutMs: z.number().int().positive().default(2000),
        restart: z
          .object({
            initialDelayMs: z.number().int().nonnegative().default(250),
            maxDelayMs: z.number().int().positive().default(30_000),
            maxRestarts: z.number().int().nonnegative().default(5).describe('Crashes within windowMs before the plugin is marked failed.'),
            windowMs: z.number().int().positive().default(600_000),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    hotReload: z
      .object({
        enabled: z.boolean().default(true),
        debounceMs: z.number().int().nonnegative().default(150),
        watchConfig: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    timeouts: z
      .object({
        startMs: z.number().int().positive().default(30_000),
        stopMs: z.number().int().positive().default(10_000),
        drainMs: z.number().int().positive().default(5_000),
      })
      .strict()
      .prefault({}),
    providers: z
      .record(z.string(), z.string())
      .default({})
      .describe('When several plugins provide one service: service name -> plugin chosen.'),
  })
  .strict();

export type KernelConfig = z.output<typeof KernelConfigSchema>;

/** The envelope of each plugin's section; `config` is checked by the plugin's own schema. */
export const PluginEntrySchema = z
  .object({
    enabled: z.boolean().default(true),
    onBootFailure: z.enum(['continue', 'abort']).default('continue'),
    nodes: z.array(z.string()).optional().describe('Kernel nodes that run this plugin (default: every node).'),
    config: z.unknown().optional(),
  })
  .strict();

export type PluginEntry = z.output<typeof PluginEntrySchema>;

export const RootConfigSchema = z
  .object({
    kernel: KernelConfigSchema.prefault({}),
    plugins: z.record(z.string(), PluginEntrySchema).default({}),
  })
  .strict();
