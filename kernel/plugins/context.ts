import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import chokidar from 'chokidar';
import type {
  Disposable,
  MessageHandler,
  PluginBus,
  PluginContext,
  PluginLogger,
  PluginScheduler,
  PluginServices,
  ScheduleOptions,
  SubscribeOptions,
  WatchEvent,
  WatchOptions,
} from '../../sdk/context';
import { DisposedError, ScoopError } from '../../sdk/errors';
import type { PluginDefinition } from '../../sdk/plugin';
import type { ServiceToken } from '../../sdk/service';
import type { RequestTopic, Topic } from '../../sdk/topic';
import type { Bus } from '../bus/bus';
import { errorText } from '../bus/bus';
import type { Subscription } from '../bus/subscription';
import { CronExpression, longTimeout, type ScheduleState } from '../scheduler';
import type { ServiceDirectory } from '../services';

export interface ContextDeps {
  bus: Bus;
  services: ServiceDirectory;
  schedules: ScheduleState;
  log: PluginLogger;
  container: DependencyContainer;
  dataDir: string;
  /** Reports a crash of this plugin (throwing timer, task, watcher callback). */
  crash(error: unknown, where: string): void;
}

/**
 * The context handed to one instance of a plugin. It records everything the instance
 * acquires; `release` gives it all back in reverse order. Subscriptions are either parked
 * (reload/restart: the next instance adopts their queues) or removed (plugin stopped).
 */
export class InstanceContext<C> implements PluginContext<C> {
  readonly bus: PluginBus;
  readonly services: PluginServices;
  readonly scheduler: PluginScheduler;
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly disposables: Disposable[] = [];
  private readonly subscriptions = new Set<Subscription>();
  private readonly handlerReleases = new Set<() => void>();
  private released = false;
  /** While true (during start), new subscriptions are created paused. */
  starting = true;

  constructor(
    readonly def: PluginDefinition,
    readonly config: C,
    private readonly deps: ContextDeps,
  ) {
    this.signal = this.controller.signal;
    fs.mkdirSync(deps.dataDir, { recursive: true });
    const owner = def.name;
    // The bus facade's methods are called detached (`const { publish } = ctx.bus`), so they
    // close over the context instead of relying on `this`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    this.bus = {
      publish(topic, message) {
        self.alive('publish');
        deps.bus.publish(topic, message, owner);
      },
      subscribe(topic, handler, options) {
        return self.addSubscription(topic, handler as MessageHandler<unknown>, options);
      },
      subscribePattern(pattern, handler, options) {
        return self.addSubscription(pattern, handler, options);
      },
      request(topic, request, options) {
        self.alive('request');
        return deps.bus.request(topic, request, owner, options?.timeoutMs);
      },
      handle(topic: RequestTopic<any, any>, handler) {
        self.alive('handle');
        const release = deps.bus.handle(owner, topic, handler as (r: unknown, m: any) => unknown);
        self.handlerReleases.add(release);
        return {
          dispose() {
            if (self.handlerReleases.delete(release)) release();
          },
        };
      },
    };
    this.services = {
      get<I extends object>(token: ServiceToken<I>): I {
        if (!deps.services.isProvided(token.name)) {
          throw new ScoopError('SERVICE_UNAVAILABLE', `service '${token.name}' is not provided by any running plugin`);
        }
        return deps.services.handle(token);
      },
      tryGet<I extends object>(token: ServiceToken<I>): I | undefined {
        return deps.services.isProvided(token.name) ? deps.services.handle(token) : undefined;
      },
      provide<I extends object>(token: ServiceToken<I>, implementation: I): void {
        self.alive('provide');
        if (!def.provides.some((t) => t.name === token.name)) {
          throw new ScoopError('PLUGIN', `plugin '${owner}' provides '${token.name}' without declaring it in 'provides'`);
        }
        deps.services.provide(owner, deps.container, token, implementation);
      },
    };
    this.scheduler = {
      cron: (expression, task, options) => this.cron(expression, task, options),
      every: (intervalMs, task) => this.every(intervalMs, task),
      after: (delayMs, task) => {
        const t = longTimeout(() => this.runTask(task, `timer (${delayMs} ms)`), delayMs);
        return this.track({ dispose: () => t.cancel() });
      },
    };
  }

  get name(): string {
    return this.def.name;
  }
  get version(): string {
    return this.def.version;
  }
  get log(): PluginLogger {
    return this.deps.log;
  }
  get dataDir(): string {
    return this.deps.dataDir;
  }

  publish<T>(topic: Topic<T>, message: T): void {
    this.bus.publish(topic, message);
  }
  subscribe<T>(topic: Topic<T>, handler: MessageHandler<T>, options?: SubscribeOptions): Disposable {
    return this.bus.subscribe(topic, handler, options);
  }
  provide<I extends object>(token: ServiceToken<I>, implementation: I): void {
    this.services.provide(token, implementation);
  }

  onDispose(d: Disposable | (() => void | Promise<void>)): void {
    this.track(typeof d === 'function' ? { dispose: d } : d);
  }

  watch(paths: string | string[], handler: (event: WatchEvent) => void | Promise<void>, options: WatchOptions = {}): Disposable {
    this.alive('watch');
    const watcher = chokidar.watch(paths, {
      ignoreInitial: options.initial === false,
      depth: options.depth,
      awaitWriteFinish: { stabilityThreshold: options.stabilityMs ?? 200, pollInterval: 50 },
    });
    const on = (kind: WatchEvent['kind']) => (p: string) => this.runTask(() => handler({ kind, path: p }), `file watcher (${kind} ${p})`);
    watcher.on('add', on('add')).on('change', on('change')).on('unlink', on('unlink'));
    watcher.on('error', (err) => this.deps.log.warn(`file watcher error: ${errorText(err)}`));
    return this.track({ dispose: () => watcher.close() });
  }

  private addSubscription(subject: Topic<any> | string, handler: MessageHandler<unknown>, options?: SubscribeOptions): Disposable {
    this.alive('subscribe');
    const sub = this.deps.bus.subscribe(this.def.name, subject, handler, options);
    if (this.starting) sub.pause();
    this.subscriptions.add(sub);
    return {
      dispose: () => {
        if (this.subscriptions.delete(sub)) this.deps.bus.unsubscribe(sub);
      },
    };
  }

  private cron(expression: string, task: () => void | Promise<void>, options: ScheduleOptions = {}): Disposable {
    this.alive('cron');
    const cron = new CronExpression(expression);
    const key = `${this.def.name}:${options.id ?? expression}`;
    let timer: { cancel(): void } | undefined;
    let stopped = false;
    const run = async () => {
      this.deps.schedules.record(key, Date.now());
      await this.runTask(task, `cron '${expression}'`);
    };
    const arm = () => {
      if (stopped) return;
      const next = cron.next(Date.now());
      timer = longTimeout(() => {
        void run().finally(arm);
      }, next - Date.now());
    };
    const last = this.deps.schedules.lastRun(key);
    if (options.catchUp === 'once' && last !== undefined && cron.next(last) <= Date.now()) {
      this.deps.log.info(`schedule '${expression}' missed a run while stopped (last run ${new Date(last).toISOString()}); running it once now`);
      void run().finally(arm);
    } else arm();
    return this.track({
      dispose: () => {
        stopped = true;
        timer?.cancel();
      },
    });
  }

  private every(intervalMs: number, task: () => void | Promise<void>): Disposable {
    this.alive('every');
    if (!(intervalMs > 0)) throw new Error(`interval must be positive, got ${intervalMs}`);
    let running = false;
    const t = setInterval(() => {
      if (running) {
        this.deps.log.warn(`interval task (${intervalMs} ms) still running; this run is skipped`);
        return;
      }
      running = true;
      void this.runTask(task, `interval (${intervalMs} ms)`).finally(() => (running = false));
    }, intervalMs);
    t.unref?.();
    return this.track({ dispose: () => clearInterval(t) });
  }

  private async runTask(task: () => void | Promise<void>, where: string): Promise<void> {
    if (this.released) return;
    try {
      await task();
    } catch (err) {
      this.deps.log.error(`${where} threw: ${errorText(err)}`);
      this.deps.crash(err, where);
    }
  }

  private track(d: Disposable): Disposable {
    this.disposables.push(d);
    return {
      dispose: () => {
        const i = this.disposables.indexOf(d);
        if (i >= 0) this.disposables.splice(i, 1);
        return d.dispose();
      },
    };
  }

  private alive(what: string): void {
    if (this.released) throw new DisposedError(`plugin '${this.def.name}' context (${what} after stop)`);
  }

  abort(): void {
    this.controller.abort();
  }

  /**
   * Releases everything except subscriptions (the kernel parks or removes those through
   * the bus), in reverse order of acquisition. Errors are logged, never thrown: a release
   * that fails must not keep the rest held.
   */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.controller.abort();
    for (const release of [...this.handlerReleases].reverse()) release();
    this.handlerReleases.clear();
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        await d.dispose();
      } catch (err) {
        this.deps.log.warn(`releasing a resource failed: ${errorText(err)}`);
      }
    }
    this.subscriptions.clear();
    try {
      await this.deps.container.dispose();
    } catch (err) {
      this.deps.log.warn(`disposing the plugin container failed: ${errorText(err)}`);
    }
  }
}

export function pluginDataDir(root: string, name: string): string {
  return path.join(root, 'plugins', name);
}
