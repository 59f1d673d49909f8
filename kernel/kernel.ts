import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as semver from 'semver';
import chokidar, { type FSWatcher } from 'chokidar';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { PluginLogger } from '../sdk/context';
import type { HealthReport, PluginDefinition } from '../sdk/plugin';
import { PluginStateTopic, type PluginState } from '../sdk/kernel-topics';
import { PROJECT_ROOT } from '../sdk/reference-data';
import { Bus, errorText } from './bus/bus';
import type { BusTransport, ClusterNode } from './bus/transport';
import { NatsTransport } from './bus/nats';
import { readConfig, validateConfig, ConfigError, ConfigSources, isRecord, scrub, type RawConfig, type ValidatedConfig } from './config/loader';
import { KernelConfigSchema, PluginEntrySchema, type KernelConfig } from './config/schema';
import { BUS, KERNEL_CONFIG, LOG_HUB, SERVICE_DIRECTORY } from './container';
import { LogHub } from './log';
import { InstanceContext, pluginDataDir } from './plugins/context';
import { discoverOne, discoverPlugins, type DiscoveredPlugin } from './plugins/discovery';
import { buildGraph, dependentsOf } from './plugins/graph';
import { loadPluginCode, type LoadedCode } from './plugins/loader';
import { ScheduleState } from './scheduler';
import { ServiceDirectory } from './services';
import { KERNEL_VERSION } from './version';

export interface KernelOptions {
  /** Configuration files, merged in order. */
  configFiles?: string[];
  /** Configuration given as data (tests, embedding), merged after the files. */
  config?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /** Plugin directories searched before kernel.pluginDirs; default: the project's plugins/. */
  builtinPluginDirs?: string[];
  /** Plugin definitions given directly (createTestKernel): not reloadable from files. */
  inlinePlugins?: PluginDefinition[];
  /** Individual plugin folders to load besides the plugin directories. */
  pluginFolders?: string[];
  transport?: BusTransport;
  /** Overrides the watch settings (tests disable file watching when they do not need it). */
  watch?: boolean;
}

export interface PluginStatus {
  name: string;
  version?: string;
  state: PluginState;
  enabled: boolean;
  reason?: string;
  dir?: string;
  restarts: number;
  lastError?: { message: string; at: string };
  reloadError?: { message: string; at: string };
  lastHeartbeat?: string;
  health?: HealthReport;
  startedAt?: string;
  provides: string[];
  requires: string[];
  dependsOn: string[];
}

interface PluginRecord {
  name: string;
  discovered?: DiscoveredPlugin;
  code?: LoadedCode;
  definition?: PluginDefinition;
  state: PluginState;
  reason?: string;
  enabled: boolean;
  onBootFailure: 'continue' | 'abort';
  config?: unknown;
  instance?: { ctx: InstanceContext<unknown>; def: PluginDefinition; config: unknown; container: DependencyContainer };
  restarts: number;
  crashTimes: number[];
  lastError?: { message: string; at: string };
  reloadError?: { message: string; at: string };
  lastHeartbeat?: number;
  health?: HealthReport;
  startedAt?: number;
  restartPending?: NodeJS.Timeout;
  /** Serializes lifecycle operations of this plugin. */
  queue: Promise<unknown>;
}

/**
 * The kernel: configuration, bus, service directory, plugin lifecycle, hot reload and
 * supervision. It knows nothing about orbits.
 */
export class Kernel {
  readonly container: DependencyContainer;
  bus!: Bus;
  services!: ServiceDirectory;
  logs!: LogHub;
  log!: PluginLogger;
  kernelConfig!: KernelConfig;
  private cfg!: ValidatedConfig;
  private raw!: RawConfig;
  private schedules!: ScheduleState;
  private readonly records = new Map<string, PluginRecord>();
  private deps = new Map<string, Set<string>>();
  private watchers: FSWatcher[] = [];
  private reloadTimers = new Map<string, NodeJS.Timeout>();
  private heartbeat?: NodeJS.Timeout;
  private stopping = false;
  private started = false;
  readonly startedAt = Date.now();
  private readonly configFiles: string[];
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: KernelOptions = {}) {
    this.configFiles = (options.configFiles ?? []).map((f) => path.resolve(f));
    this.env = options.env ?? process.env;
    this.container = rootContainer.createChildContainer();
  }

  // ------------------------------------------------------------------ configuration

  private readRaw(): RawConfig {
    const raw = readConfig(this.configFiles, this.env);
    if (this.options.config) raw.value = mergeData(raw.value, this.options.config);
    return raw;
  }

  /** Plugin directories: built-in ones then kernel.pluginDirs (resolved from the cwd). */
  private pluginDirs(kernel: KernelConfig): string[] {
    const builtin = kernel.builtinPlugins ? (this.options.builtinPluginDirs ?? [path.join(PROJECT_ROOT, 'plugins')]) : [];
    return [...builtin, ...kernel.pluginDirs.map((d) => path.resolve(d))];
  }

  /**
   * Reads, discovers and validates everything without starting anything
   * (`scoop config check`). Throws ConfigError listing every problem.
   */
  async check(): Promise<{ config: ValidatedConfig; definitions: Map<string, PluginDefinition>; loadErrors: Map<string, string> }> {
    const raw = this.readRaw();
    const kernel = salvageKernel(raw);
    const { definitions, loadErrors, problems } = await this.loadAll(kernel, raw);
    const enabled = new Map([...definitions].filter(([name]) => this.isEnabled(name, raw, kernel)));
    let config: ValidatedConfig;
    try {
      config = validateConfig(raw, enabled, new Set([...loadErrors.keys(), ...definitions.keys()]));
    } catch (err) {
      if (err instanceof ConfigError) throw new ConfigError([...problems, ...err.problems]);
      throw err;
    }
    if (problems.length) throw new ConfigError(problems);
    return { config, definitions, loadErrors };
  }

  private isEnabled(name: string, raw: RawConfig, kernel: KernelConfig): boolean {
    const section = isRecord(raw.value.plugins) ? (raw.value.plugins as Record<string, unknown>)[name] : undefined;
    if (isRecord(section) && typeof section.enabled === 'boolean') return section.enabled;
    if (isRecord(section)) return true;
    return kernel.enableByDefault;
  }

  private async loadAll(kernel: KernelConfig, raw: RawConfig) {
    const definitions = new Map<string, PluginDefinition>();
    const loadErrors = new Map<string, string>();
    const discovered = new Map<string, DiscoveredPlugin>();
    const problems: { path: string; message: string; location?: string }[] = [];
    const { found, duplicates } = discoverPlugins(this.pluginDirs(kernel));
    for (const folder of this.options.pluginFolders ?? []) {
      const one = discoverOne(path.resolve(folder));
      if (!one) loadErrors.set(path.basename(folder), `${path.resolve(folder)} holds no plugin.ts or plugin.js`);
      else if (!found.some((f) => f.folder === one.folder)) found.push(one);
    }
    for (const d of duplicates) problems.push({ path: 'kernel.pluginDirs', message: d, location: raw.sources.locate(['kernel', 'pluginDirs']) });
    for (const def of this.options.inlinePlugins ?? []) definitions.set(def.name, def);
    await Promise.all(
      found.map(async (d) => {
        discovered.set(d.folder, d);
        if (definitions.has(d.folder)) return;
        try {
          const code = await loadPluginCode(d.entry);
          const why = checkDefinition(code.definition, d.folder);
          if (why) loadErrors.set(d.folder, why);
          else definitions.set(d.folder, code.definition);
          this.codeCache.set(d.folder, code);
        } catch (err) {
          loadErrors.set(d.folder, errorText(err));
        }
      }),
    );
    this.discoveredCache = discovered;
    return { definitions, loadErrors, problems };
  }
  private codeCache = new Map<string, LoadedCode>();
  private transport?: BusTransport;
  /** Plugins configured for other nodes (`plugins.<name>.nodes`), not run here. */
  private readonly elsewhere = new Map<string, string[]>();

  private natsTransport(k: KernelConfig): NatsTransport {
    const n = k.bus.nats;
    return new NatsTransport({
      servers: n.servers,
      prefix: n.prefix,
      stream: n.stream,
      durableMaxAgeS: n.durableMaxAgeH * 3600,
      user: n.user,
      pass: n.password,
      token: n.token,
      tls: n.tls,
      node: k.node,
      heartbeatMs: Math.min(k.supervision.heartbeatMs, 2000),
      log: this.logs.child('nats'),
    });
  }

  /**
   * Distributed start: waits (up to `ms`) until the services this kernel's plugins require
   * but do not provide themselves are announced by other kernels.
   */
  private async discoverPeers(definitions: Map<string, PluginDefinition>, ms: number): Promise<void> {
    const local = new Set([...definitions.values()].flatMap((d) => d.provides.map((t) => t.name)));
    const needed = new Set([...definitions.values()].flatMap((d) => d.requires.filter((r) => !r.optional && !local.has(r.token.name)).map((r) => r.token.name)));
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      const remote = this.transport!.remoteServices();
      if ([...needed].every((n) => remote.has(n)) && (needed.size > 0 || this.transport!.peers().length > 0)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const peers = this.transport!.peers();
    this.log.info(`cluster: ${peers.length} other kernel(s) seen (${peers.map((p) => `${p.node}@${p.host}`).join(', ') || 'none'})`);
  }

  /** This kernel and the other kernels of the cluster (distributed mode). */
  cluster(): ClusterNode[] {
    const self: ClusterNode = {
      node: this.kernelConfig.node,
      instance: 'self',
      pid: process.pid,
      host: os.hostname(),
      lastSeen: new Date().toISOString(),
      plugins: this.pluginStatus().map((p) => ({ name: p.name, version: p.version, state: p.state })),
      services: this.services.list().map((x) => x.service),
    };
    return [self, ...(this.transport?.peers() ?? [])];
  }

  /** Every loadable plugin definition, whatever the state of the configuration (config schema). */
  async discoverDefinitions(): Promise<Map<string, PluginDefinition>> {
    let raw: RawConfig;
    try {
      raw = this.readRaw();
    } catch {
      raw = { value: {}, sources: new ConfigSources([], new Map()) };
    }
    const { definitions } = await this.loadAll(salvageKernel(raw), raw);
    this.codeCache.clear();
    return definitions;
  }
  private discoveredCache = new Map<string, DiscoveredPlugin>();

  // ------------------------------------------------------------------ start / stop

  async start(): Promise<void> {
    if (this.started) throw new Error('kernel already started');
    this.started = true;
    const { config, definitions, loadErrors } = await this.check();
    this.cfg = config;
    this.raw = config.raw;
    this.kernelConfig = config.kernel;
    const k = config.kernel;
    fs.mkdirSync(path.resolve(k.dataDir), { recursive: true });
    this.logs = new LogHub({
      level: k.log.level,
      console: k.log.console,
      file: k.log.file ? { path: path.resolve(k.log.file.path), maxSizeBytes: k.log.file.maxSizeMB * 1024 * 1024, maxFiles: k.log.file.maxFiles } : undefined,
      plugins: k.log.plugins,
    });
    this.logs.setSecrets(config.secrets);
    this.log = this.logs.child();
    this.schedules = new ScheduleState(path.join(path.resolve(k.dataDir), 'scheduler.json'));
    const transport = this.options.transport ?? (k.bus.transport === 'nats' ? this.natsTransport(k) : undefined);
    this.transport = transport;
    this.services = new ServiceDirectory(k.timeouts.startMs, transport);
    this.bus = new Bus({
      capacity: k.bus.queue.capacity,
      overflow: k.bus.queue.overflow,
      requestTimeoutMs: k.bus.requestTimeoutMs,
      batch: k.bus.batch,
      freezePayloads: k.bus.freezePayloads,
      log: this.logs.child('bus'),
      transport,
      node: k.node,
    });
    this.bus.crashReporter = (owner, err, where) => this.reportCrash(owner, err, where);
    this.container.registerInstance(BUS, this.bus);
    this.container.registerInstance(SERVICE_DIRECTORY, this.services);
    this.container.registerInstance(LOG_HUB, this.logs);
    this.container.registerInstance(KERNEL_CONFIG, k);
    await this.bus.start();
    this.bus.registerTopic(PluginStateTopic);
    if (transport?.remote) {
      transport.setLocalInfo(() => ({
        node: k.node,
        pid: process.pid,
        host: os.hostname(),
        plugins: this.pluginStatus().map((p) => ({ name: p.name, version: p.version, state: p.state })),
        services: this.services.list().filter((x) => x.state === 'ready').map((x) => x.service),
      }));
      transport.onClusterChange(() => {
        if (!this.stopping) void this.startDependentsOf('another node');
      });
      await this.discoverPeers(definitions, k.bus.nats.discoveryMs);
    }
    this.log.info(`kernel ${KERNEL_VERSION} '${k.name}' node '${k.node}' starting (pid ${process.pid}, transport ${this.bus.transportName})`);

    for (const [name, err] of loadErrors) {
      const rec = this.newRecord(name);
      rec.discovered = this.discoveredCache.get(name);
      this.records.set(name, rec);
      this.setState(rec, 'failed', `cannot load: ${err}`);
    }
    for (const [name, def] of definitions) {
      const nodes = config.plugins[name]?.nodes;
      if (nodes && !nodes.includes(k.node)) {
        this.elsewhere.set(name, nodes);
        continue;
      }
      const rec = this.newRecord(name);
      rec.discovered = this.discoveredCache.get(name);
      rec.definition = def;
      rec.code = this.codeCache.get(name);
      this.applyEntry(rec);
      this.records.set(name, rec);
      this.setState(rec, 'discovered');
    }
    this.codeCache.clear();
    await this.startEnabled();
    if (this.options.watch ?? k.hotReload.enabled) await this.startWatching();
    this.heartbeat = setInterval(() => void this.beat(), k.supervision.heartbeatMs);
    this.heartbeat.unref();
    void this.beat();
    const running = [...this.records.values()].filter((r) => r.state === 'running').length;
    this.log.info(`kernel ready: ${running} plugin(s) running, ${[...this.records.values()].filter((r) => r.state === 'failed').length} failed`);
  }

  private newRecord(name: string): PluginRecord {
    return { name, state: 'discovered', enabled: true, onBootFailure: 'continue', restarts: 0, crashTimes: [], queue: Promise.resolve() };
  }

  private applyEntry(rec: PluginRecord): void {
    const entry = this.cfg.plugins[rec.name];
    const section = isRecord(this.raw.value.plugins) ? (this.raw.value.plugins as Record<string, unknown>)[rec.name] : undefined;
    rec.enabled = entry ? entry.enabled : isRecord(section) ? PluginEntrySchema.parse(section).enabled : this.kernelConfig.enableByDefault;
    if (isRecord(section) && section.enabled === false) rec.enabled = false;
    rec.onBootFailure = entry?.onBootFailure ?? 'continue';
    rec.config = entry?.config;
  }

  /** Starts every enabled plugin not running, in dependency order (levels in parallel). */
  private async startEnabled(): Promise<void> {
    const defs = new Map<string, PluginDefinition>();
    for (const rec of this.records.values()) if (rec.enabled && rec.definition && rec.state !== 'failed') defs.set(rec.name, rec.definition);
    for (const rec of this.records.values()) if (rec.enabled && rec.definition && rec.state === 'running') defs.set(rec.name, rec.instance!.def);
    const graph = buildGraph(defs, this.kernelConfig.providers, this.transport?.remoteServices());
    this.deps = graph.deps;
    for (const [name, why] of graph.invalid) {
      const rec = this.records.get(name)!;
      if (rec.state !== 'running') this.setState(rec, 'failed', why);
    }
    for (const level of graph.levels) {
      await Promise.all(
        level.map(async (name) => {
          const rec = this.records.get(name)!;
          if (rec.state === 'running') return;
          if (rec.state === 'discovered' || rec.state === 'stopped' || rec.state === 'failed') this.setState(rec, 'validated');
          await this.serialize(rec, () => this.bootOne(rec));
        }),
      );
      const abort = level.map((n) => this.records.get(n)!).find((r) => r.state === 'failed' && r.onBootFailure === 'abort');
      if (abort) {
        const reason = `plugin '${abort.name}' failed to start and its onBootFailure is 'abort': ${abort.reason}`;
        this.log.error(reason);
        await this.stop();
        throw new Error(reason);
      }
    }
  }

  private async bootOne(rec: PluginRecord): Promise<void> {
    for (const req of rec.definition!.requires) {
      const provider = [...this.records.values()].find((r) => r.enabled && r.definition?.provides.some((t) => t.name === req.token.name) && this.deps.get(rec.name)?.has(r.name));
      if (!provider || provider.state === 'running') continue;
      if (req.optional) {
        this.log.info(`'${rec.name}' starts without optional service '${req.token.name}' (provider '${provider.name}' is ${provider.state})`);
        continue;
      }
      this.setState(rec, 'failed', `dependency '${provider.name}' ${provider.state === 'failed' ? `failed: ${provider.reason}` : 'is not running'}`);
      return;
    }
    try {
      await this.startInstance(rec, rec.definition!, rec.config);
    } catch (err) {
      this.setState(rec, 'failed', `start failed: ${this.scrub(errorText(err))}`);
      rec.lastError = { message: this.scrub(errorText(err)), at: new Date().toISOString() };
    }
  }

  private serialize<T>(rec: PluginRecord, op: () => Promise<T>): Promise<T> {
    const next = rec.queue.then(op, op);
    rec.queue = next.catch(() => undefined);
    return next;
  }

  private async startInstance(rec: PluginRecord, def: PluginDefinition, config: unknown): Promise<void> {
    this.setState(rec, 'starting', undefined, def.version);
    const child = this.container.createChildContainer();
    const ctx = new InstanceContext<unknown>(def, config, {
      bus: this.bus,
      services: this.services,
      schedules: this.schedules,
      log: this.logs.child(def.name, def.version),
      container: child,
      dataDir: pluginDataDir(path.resolve(this.kernelConfig.dataDir), def.name),
      crash: (err, where) => this.reportCrash(def.name, err, where),
    });
    try {
      await withTimeout(Promise.resolve().then(() => def.start(ctx)), this.kernelConfig.timeouts.startMs, `start of '${def.name}'`);
      for (const t of def.provides) {
        if (!this.services.isProvided(t.name) || this.services.providerOf(t.name) !== def.name) {
          throw new Error(`declares that it provides '${t.name}' but did not call provide() for it in start()`);
        }
      }
    } catch (err) {
      ctx.abort();
      await ctx.release();
      this.bus.parkOwner(def.name);
      throw err;
    }
    ctx.starting = false;
    rec.instance = { ctx, def, config, container: child };
    rec.definition = def;
    rec.startedAt = Date.now();
    this.services.endSwap(def.name);
    for (const r of this.bus.releaseParked(def.name)) {
      if (r.discarded > 0) this.log.warn(`'${def.name}' ${def.version} no longer subscribes to '${r.subject}': ${r.discarded} queued message(s) discarded`);
    }
    this.bus.resumeOwner(def.name);
    this.setState(rec, 'running', undefined, def.version);
  }

  /**
   * Stops the running instance. `park` keeps its queues, request slots and service entries
   * for the next instance (reload, restart); `remove` releases them for good.
   */
  private async stopInstance(rec: PluginRecord, mode: 'park' | 'remove', reason?: string): Promise<void> {
    const inst = rec.instance;
    if (!inst) return;
    this.setState(rec, 'stopping', reason);
    const t = this.kernelConfig.timeouts;
    this.bus.pauseOwner(rec.name);
    if (mode === 'park') this.services.beginSwap(rec.name);
    else this.services.withdraw(rec.name, `its provider '${rec.name}' was stopped`);
    inst.ctx.abort();
    const drained = await this.bus.drainOwner(rec.name, t.drainMs);
    if (!drained) this.log.warn(`'${rec.name}' still had handlers running after ${t.drainMs} ms; stopping anyway`);
    if (inst.def.stop) {
      try {
        await withTimeout(Promise.resolve().then(() => inst.def.stop!(inst.ctx)), t.stopMs, `stop of '${rec.name}'`);
      } catch (err) {
        this.log.warn(`stop of '${rec.name}' failed: ${errorText(err)}`);
      }
    }
    await inst.ctx.release();
    if (mode === 'park') this.bus.parkOwner(rec.name);
    else {
      const discarded = this.bus.removeOwner(rec.name);
      if (discarded) this.log.info(`'${rec.name}' stopped with ${discarded} queued message(s) unhandled`);
    }
    rec.instance = undefined;
    this.setState(rec, 'stopped', reason);
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const t of this.reloadTimers.values()) clearTimeout(t);
    for (const r of this.records.values()) if (r.restartPending) clearTimeout(r.restartPending);
    await Promise.all(this.watchers.map((w) => w.close()));
    this.watchers = [];
    if (this.bus) {
      // Reverse dependency order: dependents stop before what they depend on.
      const levels = buildGraph(new Map([...this.records.values()].filter((r) => r.instance).map((r) => [r.name, r.instance!.def]))).levels;
      const rest = [...this.records.values()].filter((r) => r.instance && !levels.flat().includes(r.name)).map((r) => r.name);
      for (const level of [...levels, rest].reverse()) {
        await Promise.all(level.map((n) => this.serialize(this.records.get(n)!, () => this.stopInstance(this.records.get(n)!, 'remove', 'kernel stopping'))));
      }
      await this.bus.close();
      this.log.info('kernel stopped');
    }
    if (this.logs) await this.logs.close();
    await this.container.dispose();
  }

  // ------------------------------------------------------------------ operations

  /** Reloads a plugin's code (and config) from disk; the previous version keeps serving on failure. */
  async reload(name: string, why = 'reload requested'): Promise<{ ok: boolean; error?: string }> {
    const rec = this.records.get(name);
    if (!rec) return { ok: false, error: `no plugin named '${name}'` };
    return this.serialize(rec, async () => {
      if (!rec.discovered) {
        // Inline plugin (test kernel): restart the same definition.
        if (!rec.definition) return { ok: false, error: `plugin '${name}' has no code to reload` };
        return this.swap(rec, rec.definition, rec.config, why);
      }
      let code: LoadedCode;
      try {
        code = await loadPluginCode(rec.discovered.entry);
      } catch (err) {
        return this.reloadFailed(rec, errorText(err));
      }
      const bad = checkDefinition(code.definition, name);
      if (bad) return this.reloadFailed(rec, bad);
      const parsed = code.definition.config.safeParse(this.sectionConfig(name) ?? {});
      if (!parsed.success) {
        return this.reloadFailed(rec, `configuration of '${name}' does not fit the new version: ${parsed.error.issues.map((i) => `${['plugins', name, 'config', ...i.path].join('.')}: ${i.message}`).join('; ')}`);
      }
      const missing = code.definition.requires.filter((r) => !r.optional && !this.services.isProvided(r.token.name) && !(rec.instance?.def.provides.some((t) => t.name === r.token.name)));
      if (missing.length) return this.reloadFailed(rec, `new version requires ${missing.map((m) => `'${m.token.name}'`).join(', ')}, not provided`);
      const result = await this.swap(rec, code.definition, parsed.data, why);
      if (result.ok) rec.code = code;
      return result;
    });
  }

  private reloadFailed(rec: PluginRecord, message: string): { ok: false; error: string } {
    const text = this.scrub(message);
    rec.reloadError = { message: text, at: new Date().toISOString() };
    rec.lastError = rec.reloadError;
    this.log.error(`reload of '${rec.name}' refused; ${rec.instance ? `version ${rec.instance.def.version} keeps serving` : 'it stays stopped'}: ${text}`);
    return { ok: false, error: text };
  }

  /** Replaces the running instance by a new one (new code and/or config), with fallback. */
  private async swap(rec: PluginRecord, def: PluginDefinition, config: unknown, why: string): Promise<{ ok: boolean; error?: string }> {
    const old = rec.instance ? { def: rec.instance.def, config: rec.instance.config } : undefined;
    const t0 = Date.now();
    if (rec.instance) await this.stopInstance(rec, 'park', why);
    if (!rec.enabled) {
      rec.definition = def;
      rec.config = config;
      this.setState(rec, 'stopped', 'disabled');
      return { ok: true };
    }
    try {
      await this.startInstance(rec, def, config);
      rec.config = config;
      rec.reloadError = undefined;
      this.log.info(`'${rec.name}' ${def.version} running (${why}; swap took ${Date.now() - t0} ms)`);
      await this.startDependentsOf(rec.name);
      return { ok: true };
    } catch (err) {
      const message = this.scrub(errorText(err));
      if (old) {
        try {
          await this.startInstance(rec, old.def, old.config);
          return this.reloadFailed(rec, `new version failed to start: ${message}`);
        } catch (err2) {
          this.setState(rec, 'failed', `new version failed to start (${message}) and the previous version could not be restarted: ${errorText(err2)}`);
          return { ok: false, error: message };
        }
      }
      this.setState(rec, 'failed', `start failed: ${message}`);
      rec.lastError = { message, at: new Date().toISOString() };
      return { ok: false, error: message };
    }
  }

  /** Plugins that failed because a dependency was down get another chance once it runs. */
  private async startDependentsOf(name: string): Promise<void> {
    const waiting = [...this.records.values()].filter((r) => r.state === 'failed' && r.enabled && r.definition && /^dependency '|required service '/.test(r.reason ?? ''));
    if (waiting.length === 0) return;
    for (const r of waiting) this.setState(r, 'validated', `retrying after '${name}' started`);
    await this.startEnabled();
  }

  async enable(name: string): Promise<{ ok: boolean; error?: string }> {
    const rec = this.records.get(name);
    if (!rec) return { ok: false, error: `no plugin named '${name}'` };
    rec.enabled = true;
    if (rec.state === 'running') return { ok: true };
    if (!rec.definition) return { ok: false, error: rec.reason ?? 'plugin has no loadable code' };
    if (rec.config === undefined) {
      const parsed = rec.definition.config.safeParse(this.sectionConfig(name) ?? {});
      if (!parsed.success) return { ok: false, error: `invalid configuration: ${parsed.error.issues.map((i) => i.message).join('; ')}` };
      rec.config = parsed.data;
    }
    this.setState(rec, 'validated', 'enabled');
    await this.startEnabled();
    return (rec.state as PluginState) === 'running' ? { ok: true } : { ok: false, error: rec.reason };
  }

  async disable(name: string): Promise<{ ok: boolean; error?: string }> {
    const rec = this.records.get(name);
    if (!rec) return { ok: false, error: `no plugin named '${name}'` };
    rec.enabled = false;
    await this.serialize(rec, () => this.stopInstance(rec, 'remove', 'disabled'));
    if (rec.state !== 'stopped') this.setState(rec, 'stopped', 'disabled');
    return { ok: true };
  }

  private sectionConfig(name: string): unknown {
    const plugins = isRecord(this.raw.value.plugins) ? (this.raw.value.plugins as Record<string, unknown>) : {};
    const section = plugins[name];
    return isRecord(section) ? section.config : undefined;
  }

  // ------------------------------------------------------------------ supervision

  /** A plugin crashed (throwing handler, timer or task): restart it with back-off. */
  reportCrash(name: string, err: unknown, where: string): void {
    const rec = this.records.get(name);
    if (!rec || this.stopping) return;
    const now = Date.now();
    rec.lastError = { message: this.scrub(`${where}: ${errorText(err)}`), at: new Date(now).toISOString() };
    if (rec.state !== 'running' || rec.restartPending) return;
    const policy = this.kernelConfig.supervision.restart;
    rec.crashTimes = [...rec.crashTimes.filter((t) => now - t < policy.windowMs), now];
    if (rec.crashTimes.length > policy.maxRestarts) {
      void this.serialize(rec, async () => {
        await this.stopInstance(rec, 'remove', 'crash limit reached');
        this.setState(rec, 'failed', `crashed ${rec.crashTimes.length} times within ${policy.windowMs} ms; last: ${rec.lastError!.message}`);
      });
      return;
    }
    const delay = Math.min(policy.initialDelayMs * 2 ** (rec.crashTimes.length - 1), policy.maxDelayMs);
    this.log.warn(`'${name}' crashed (${rec.lastError.message}); restart ${rec.crashTimes.length}/${policy.maxRestarts} in ${delay} ms`);
    const def = rec.instance?.def ?? rec.definition!;
    const config = rec.instance?.config ?? rec.config;
    void this.serialize(rec, () => this.stopInstance(rec, 'park', `crashed; restarting in ${delay} ms`));
    rec.restartPending = setTimeout(() => {
      rec.restartPending = undefined;
      if (this.stopping || !rec.enabled) return;
      void this.serialize(rec, async () => {
        rec.restarts++;
        try {
          await this.startInstance(rec, def, config);
        } catch (e) {
          this.reportStartFailureAfterCrash(rec, e);
        }
      });
    }, delay);
  }

  private reportStartFailureAfterCrash(rec: PluginRecord, err: unknown): void {
    rec.lastError = { message: this.scrub(errorText(err)), at: new Date().toISOString() };
    this.setState(rec, 'failed', `restart after crash failed: ${rec.lastError.message}`);
  }

  private async beat(): Promise<void> {
    const timeout = this.kernelConfig.supervision.healthTimeoutMs;
    await Promise.all(
      [...this.records.values()].map(async (rec) => {
        if (rec.state !== 'running' || !rec.instance) return;
        const def = rec.instance.def;
        try {
          rec.health = def.health ? await withTimeout(Promise.resolve(def.health()), timeout, `health of '${rec.name}'`) : { status: 'ok' };
          rec.lastHeartbeat = Date.now();
        } catch (err) {
          rec.health = { status: 'degraded', detail: errorText(err) };
        }
      }),
    );
  }

  private setState(rec: PluginRecord, state: PluginState, reason?: string, version?: string): void {
    const previous = rec.state;
    rec.state = state;
    rec.reason = reason;
    const v = version ?? rec.instance?.def.version ?? rec.definition?.version ?? '0.0.0';
    if (state === 'failed') this.log?.error(`plugin '${rec.name}' failed: ${reason}`);
    else this.log?.debug(`plugin '${rec.name}' ${previous} -> ${state}${reason ? ` (${reason})` : ''}`);
    if (!this.bus) return;
    try {
      this.bus.publish(
        PluginStateTopic,
        { plugin: rec.name, version: v, state, previous, reason, node: this.kernelConfig.node, at: new Date().toISOString() },
        'kernel',
      );
    } catch (err) {
      this.log.warn(`could not publish plugin.state: ${errorText(err)}`);
    }
  }

  private scrub(text: string): string {
    return this.cfg ? scrub(text, this.cfg.secrets) : text;
  }

  // ------------------------------------------------------------------ hot reload

  private async startWatching(): Promise<void> {
    const k = this.kernelConfig;
    const all = this.pluginDirs(k);
    const dirs = all.filter((d) => fs.existsSync(d));
    for (const d of all) if (!dirs.includes(d)) this.log.warn(`plugin directory ${d} does not exist; it is not watched`);
    // chokidar never reports 'ready' for an empty path list: only watch when there is something to watch.
    if (dirs.length) this.watchPluginDirs(dirs);
    if (k.hotReload.watchConfig && this.configFiles.length) {
      const cw = chokidar.watch(this.configFiles, { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 80, pollInterval: 20 } });
      cw.on('change', () => this.scheduleReload('\0config', ''));
      this.watchers.push(cw);
    }
    // Edits made right after start must not be missed: wait for the initial scan.
    await Promise.all(this.watchers.map((x) => new Promise<void>((resolve) => x.once('ready', () => resolve()))));
  }

  private watchPluginDirs(dirs: string[]): void {
    const w = chokidar.watch(dirs, {
      ignoreInitial: true,
      depth: 4,
      ignored: (p: string) => /(^|[/\\])(node_modules|\.git|test|data)([/\\]|$)/.test(p.slice(Math.max(0, dirs.find((d) => p.startsWith(d))?.length ?? 0))) || /\.(md|log|tmp|swp)$|~$/.test(p),
      awaitWriteFinish: { stabilityThreshold: 80, pollInterval: 20 },
    });
    const onPath = (p: string) => {
      const dir = dirs.find((d) => p.startsWith(d + path.sep));
      if (!dir) return;
      const folder = p.slice(dir.length + 1).split(path.sep)[0];
      this.scheduleReload(folder, path.join(dir, folder));
    };
    w.on('add', onPath).on('change', onPath).on('unlink', onPath).on('addDir', onPath);
    w.on('error', (err) => this.log.warn(`plugin watcher: ${errorText(err)}`));
    this.watchers.push(w);
  }

  private scheduleReload(key: string, dir: string): void {
    clearTimeout(this.reloadTimers.get(key));
    this.reloadTimers.set(
      key,
      setTimeout(() => {
        this.reloadTimers.delete(key);
        if (this.stopping) return;
        if (key === '\0config') void this.reloadConfig();
        else void this.onPluginFolderChanged(key, dir);
      }, this.kernelConfig.hotReload.debounceMs),
    );
  }

  private async onPluginFolderChanged(folder: string, dir: string): Promise<void> {
    const rec = this.records.get(folder);
    const found = discoverOne(dir);
    if (rec && !found) {
      this.log.info(`plugin folder '${folder}' removed; stopping it`);
      await this.serialize(rec, () => this.stopInstance(rec, 'remove', 'plugin folder removed'));
      this.records.delete(folder);
      return;
    }
    if (!found) return;
    if (rec && rec.discovered) {
      await this.reload(folder, 'code changed on disk');
      return;
    }
    // A new plugin folder.
    const nrec = this.newRecord(folder);
    nrec.discovered = found;
    this.records.set(folder, nrec);
    this.setState(nrec, 'discovered');
    let code: LoadedCode;
    try {
      code = await loadPluginCode(found.entry);
    } catch (err) {
      this.setState(nrec, 'failed', `cannot load: ${errorText(err)}`);
      return;
    }
    const bad = checkDefinition(code.definition, folder);
    if (bad) {
      this.setState(nrec, 'failed', bad);
      return;
    }
    nrec.code = code;
    nrec.definition = code.definition;
    const section = isRecord(this.raw.value.plugins) ? (this.raw.value.plugins as Record<string, unknown>)[folder] : undefined;
    nrec.enabled = isRecord(section) ? section.enabled !== false : this.kernelConfig.enableByDefault;
    const parsed = code.definition.config.safeParse(this.sectionConfig(folder) ?? {});
    if (!parsed.success) {
      this.setState(nrec, 'failed', `invalid configuration: ${parsed.error.issues.map((i) => `${['plugins', folder, 'config', ...i.path].join('.')}: ${i.message}`).join('; ')}`);
      return;
    }
    nrec.config = parsed.data;
    this.log.info(`new plugin '${folder}' ${code.definition.version} found in ${path.dirname(dir)}`);
    if (nrec.enabled) {
      this.setState(nrec, 'validated');
      await this.startEnabled();
    } else this.setState(nrec, 'stopped', 'disabled in configuration');
  }

  /** The configuration files changed: validate everything, then apply only what changed. */
  async reloadConfig(): Promise<{ ok: boolean; errors?: string[] }> {
    let raw: RawConfig;
    let next: ValidatedConfig;
    try {
      raw = this.readRaw();
      const defs = new Map<string, PluginDefinition>();
      for (const rec of this.records.values()) {
        const def = rec.definition;
        if (def && this.isEnabled(rec.name, raw, this.kernelConfig)) defs.set(rec.name, def);
      }
      next = validateConfig(raw, defs, new Set(this.records.keys()));
    } catch (err) {
      const errors = err instanceof ConfigError ? err.problems.map((p) => `${p.location ? p.location + ': ' : ''}${p.path}: ${p.message}`) : [errorText(err)];
      this.log.error(`configuration change rejected; the running configuration is kept:\n${errors.join('\n')}`);
      return { ok: false, errors };
    }
    const before = this.cfg;
    this.cfg = next;
    this.raw = raw;
    this.logs.updateLevels(next.kernel.log.level, next.kernel.log.plugins);
    this.logs.setSecrets(next.secrets);
    const { log: _l1, ...kernelBefore } = before.kernel;
    const { log: _l2, ...kernelAfter } = next.kernel;
    if (JSON.stringify(kernelBefore) !== JSON.stringify(kernelAfter)) {
      this.log.warn('kernel settings other than log levels changed; they take effect at the next kernel start');
    }
    for (const rec of this.records.values()) {
      if (!rec.definition) continue;
      const enabled = this.isEnabled(rec.name, raw, this.kernelConfig);
      const entry = next.plugins[rec.name];
      if (!enabled && rec.enabled) {
        this.log.info(`'${rec.name}' disabled in configuration`);
        await this.disable(rec.name);
        continue;
      }
      if (enabled && !rec.enabled) {
        rec.enabled = true;
        rec.config = entry?.config;
        this.log.info(`'${rec.name}' enabled in configuration`);
        await this.enable(rec.name);
        continue;
      }
      if (entry) rec.onBootFailure = entry.onBootFailure;
      if (enabled && entry && JSON.stringify(entry.config) !== JSON.stringify(rec.config)) {
        this.log.info(`configuration of '${rec.name}' changed; restarting it`);
        await this.serialize(rec, () => this.swap(rec, rec.instance?.def ?? rec.definition!, entry.config, 'configuration changed'));
      }
    }
    return { ok: true };
  }

  // ------------------------------------------------------------------ status

  pluginStatus(name?: string): PluginStatus[] {
    const out: PluginStatus[] = [];
    for (const rec of [...this.records.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      if (name && rec.name !== name) continue;
      const def = rec.instance?.def ?? rec.definition;
      out.push({
        name: rec.name,
        version: def?.version,
        state: rec.state,
        enabled: rec.enabled,
        reason: rec.reason,
        dir: rec.discovered?.dir,
        restarts: rec.restarts,
        lastError: rec.lastError,
        reloadError: rec.reloadError,
        lastHeartbeat: rec.lastHeartbeat ? new Date(rec.lastHeartbeat).toISOString() : undefined,
        health: rec.health,
        startedAt: rec.startedAt ? new Date(rec.startedAt).toISOString() : undefined,
        provides: def ? def.provides.map((t) => t.name) : [],
        requires: def ? def.requires.map((r) => r.token.name + (r.optional ? '?' : '')) : [],
        dependsOn: [...(this.deps.get(rec.name) ?? [])],
      });
    }
    return out;
  }

  status() {
    return {
      kernel: {
        name: this.kernelConfig.name,
        node: this.kernelConfig.node,
        version: KERNEL_VERSION,
        pid: process.pid,
        startedAt: new Date(this.startedAt).toISOString(),
        uptimeS: Math.round((Date.now() - this.startedAt) / 1000),
        transport: this.bus.transportName,
        elsewhere: Object.fromEntries(this.elsewhere),
        heapUsedMB: Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10,
      },
      plugins: this.pluginStatus(),
      services: this.services.list(),
      cluster: this.cluster(),
      bus: { published: this.bus.published, rejected: this.bus.rejected, subscriptions: this.bus.stats() },
    };
  }

  /** Resolves when the plugin reaches one of `states` (tests, CLI wait). */
  async waitForState(name: string, states: PluginState[], timeoutMs = 10_000): Promise<PluginStatus> {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      const s = this.pluginStatus(name)[0];
      if (s && states.includes(s.state)) return s;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`plugin '${name}' did not reach ${states.join('|')} within ${timeoutMs} ms (now ${this.pluginStatus(name)[0]?.state ?? 'absent'})`);
  }

  dependentsOf(name: string): string[] {
    return dependentsOf(name, this.deps);
  }
}

/**
 * The kernel section as far as it is valid: when it has errors (reported separately), the
 * plugin directories it names are still searched so plugin sections are checked too.
 */
function salvageKernel(raw: RawConfig): KernelConfig {
  const section = isRecord(raw.value.kernel) ? raw.value.kernel : {};
  const parsed = KernelConfigSchema.safeParse(section);
  if (parsed.success) return parsed.data;
  const { pluginDirs: dirs, builtinPlugins } = section as Record<string, unknown>;
  const ok = Array.isArray(dirs) && dirs.every((d) => typeof d === 'string');
  return KernelConfigSchema.parse({ ...(ok ? { pluginDirs: dirs } : {}), ...(typeof builtinPlugins === 'boolean' ? { builtinPlugins } : {}) });
}

function checkDefinition(def: PluginDefinition, folder: string): string | undefined {
  if (def.name !== folder) return `plugin in folder '${folder}' is named '${def.name}'; the folder and the name must match`;
  if (!semver.validRange(def.kernel)) return `plugin '${def.name}' declares an invalid kernel range '${def.kernel}'`;
  if (!semver.satisfies(KERNEL_VERSION, def.kernel)) return `plugin '${def.name}' needs kernel ${def.kernel}; this kernel is ${KERNEL_VERSION}`;
  return undefined;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

function mergeData(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isRecord(v) && isRecord(out[k]) ? mergeData(out[k] as Record<string, unknown>, v) : v;
  return out;
}
