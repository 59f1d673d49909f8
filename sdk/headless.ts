import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Kernel } from '../kernel/kernel';
import { PROJECT_ROOT } from './reference-data';
import type { ServiceToken } from './service';

/**
 * A real kernel, in-process, for tools (a `scoop` module command, a script, a benchmark):
 * the same plugins, configuration validation, bus and service directory as `scoop run`, with
 * only the plugins the tool needs. It is quiet and leaves nothing behind: data goes to a
 * temporary directory removed by `stop()`, no control endpoint, no file watching nor hot
 * reload, no console logging unless asked, no payload freezing (tools pass large batches).
 *
 * The kernel code is loaded when a kernel is started, not when this file is imported, so a
 * plugin's `cli.ts` (loaded by `scoop help`) stays cheap.
 */
export type HeadlessLogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface HeadlessKernelOptions {
  /**
   * Plugins to run: names of built-in plugin folders (`'sgp4'` = PROJECT_ROOT/plugins/sgp4),
   * or paths of plugin folders (anything with a path separator). Nothing else is discovered.
   */
  plugins: string[];
  /**
   * Configuration as data, merged over the headless defaults:
   * `{ kernel: {...}, plugins: { name: { config: {...} } } }`.
   */
  config?: Record<string, unknown>;
  /** Log to the console (stderr) at this level; default: no console logging. */
  log?: HeadlessLogLevel;
}

export interface HeadlessKernel {
  readonly kernel: Kernel;
  /** The temporary data directory (removed by `stop()`). */
  readonly dataDir: string;
  /** A handle on a provided service (each call reaches the current provider). */
  service<I extends object>(token: ServiceToken<I>): I;
  /** Stops every plugin (reverse dependency order) and removes the data directory. */
  stop(): Promise<void>;
}

/** A plugin asked for did not reach 'running'; names each one with the kernel's reason. */
export class HeadlessKernelError extends Error {
  constructor(readonly failures: { plugin: string; state: string; reason?: string }[]) {
    super(`headless kernel: ${failures.map((f) => `plugin '${f.plugin}' is ${f.state}${f.reason ? ` (${f.reason})` : ''}`).join('; ')}`);
    this.name = 'HeadlessKernelError';
  }
}

/** Folder of a plugin named in `plugins`: a built-in name, or a path. */
export function pluginFolder(nameOrPath: string): string {
  if (nameOrPath.includes('/') || nameOrPath.includes(path.sep)) return path.resolve(nameOrPath);
  if (!/^[a-z][a-z0-9-]*$/.test(nameOrPath)) throw new Error(`plugin '${nameOrPath}' is neither a built-in plugin name (lower-case letters, digits, dashes) nor a path`);
  return path.join(PROJECT_ROOT, 'plugins', nameOrPath);
}

export async function startHeadlessKernel(options: HeadlessKernelOptions): Promise<HeadlessKernel> {
  const folders = options.plugins.map(pluginFolder);
  for (const f of folders) {
    if (!fs.existsSync(path.join(f, 'plugin.ts')) && !fs.existsSync(path.join(f, 'plugin.js'))) throw new Error(`headless kernel: no plugin in ${f} (no plugin.ts or plugin.js)`);
  }
  // Loaded here rather than at the top: importing this file must not load the kernel.
  const { Kernel } = await import('../kernel/kernel');
  const { deepMerge } = await import('../kernel/config/loader');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scoop-headless-'));
  const base = {
    kernel: {
      dataDir,
      builtinPlugins: false,
      pluginDirs: [],
      log: { level: options.log ?? 'warn', console: options.log !== undefined, file: null },
      control: { enabled: false },
      hotReload: { enabled: false, watchConfig: false },
      bus: { freezePayloads: false },
    },
  };
  const kernel = new Kernel({ builtinPluginDirs: [], pluginFolders: folders, config: deepMerge(base, options.config ?? {}), env: {}, watch: false });
  const cleanup = async () => {
    try {
      await kernel.stop();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
  try {
    await kernel.start();
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
  const failures = folders
    .map((f) => kernel.pluginStatus(path.basename(f))[0] ?? { name: path.basename(f), state: 'absent' as const, reason: 'not discovered' })
    .filter((s) => s.state !== 'running')
    .map((s) => ({ plugin: s.name, state: s.state, ...(s.reason ? { reason: s.reason } : {}) }));
  if (failures.length) {
    await cleanup();
    throw new HeadlessKernelError(failures);
  }
  let stopped: Promise<void> | undefined;
  return {
    kernel,
    dataDir,
    service: (token) => kernel.services.handle(token),
    stop: () => (stopped ??= cleanup()),
  };
}
