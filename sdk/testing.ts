import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kernel, type PluginStatus } from '../kernel/kernel';
import { deepMerge } from '../kernel/config/loader';
import type { PluginState } from './kernel-topics';
import type { MessageHandler, MessageMeta, RequestOptions } from './context';
import { definePlugin, type PluginDefinition } from './plugin';
import type { ServiceToken } from './service';
import type { RequestTopic, Topic } from './topic';

/**
 * A real kernel, in-process, for a plugin's tests: the same bus, lifecycle, config
 * validation and service directory as `scoop run` — no mock of the kernel. File watching
 * and the control endpoint are off unless asked for; data goes to a temporary directory.
 */
export interface TestKernelOptions {
  /** Plugin definitions, or plugin folders (paths) loaded like the kernel loads them. */
  plugins?: (PluginDefinition | string)[];
  /** Configuration as data: `{ kernel: {...}, plugins: { name: { config: {...} } } }`. */
  config?: Record<string, unknown>;
  /** Services provided to the plugins under test by a helper plugin named 'test-services'. */
  services?: { token: ServiceToken<any>; implementation: object }[];
  /** Watch plugin folders and reload on change (default false). */
  watch?: boolean;
  /** Extra directories whose plugin folders are loaded (and watched when `watch`). */
  pluginDirs?: string[];
  /** Log to the console (default: only when SCOOP_TEST_LOG is set, at that level). */
  log?: 'error' | 'warn' | 'info' | 'debug' | 'trace';
}

export interface TestBus {
  publish<T>(topic: Topic<T>, message: T): void;
  request<Q, R>(topic: RequestTopic<Q, R>, request: Q, options?: RequestOptions): Promise<R>;
  subscribe<T>(topic: Topic<T> | string, handler: MessageHandler<T>): { dispose(): void };
}

export interface TestKernel {
  readonly kernel: Kernel;
  readonly dataDir: string;
  /** A bus client acting as the test ('test' is the publisher name). */
  readonly bus: TestBus;
  /** A handle on any provided service. */
  service<I extends object>(token: ServiceToken<I>): I;
  /** Resolves with the next message on a topic (optionally matching a predicate). */
  nextMessage<T>(topic: Topic<T>, predicate?: (m: T, meta: MessageMeta) => boolean, timeoutMs?: number): Promise<T>;
  /** Collects every message of a topic from now on. */
  collect<T>(topic: Topic<T>): { messages: T[]; dispose(): void };
  waitForState(name: string, state: PluginState | PluginState[], timeoutMs?: number): Promise<PluginStatus>;
  status(name: string): PluginStatus | undefined;
  stop(): Promise<void>;
}

export async function createTestKernel(options: TestKernelOptions = {}): Promise<TestKernel> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scoop-test-'));
  const inline: PluginDefinition[] = [];
  const folders: string[] = [];
  for (const p of options.plugins ?? []) {
    if (typeof p === 'string') folders.push(p);
    else inline.push(p);
  }
  if (options.services?.length) {
    const provided = options.services;
    inline.push(
      definePlugin({
        name: 'test-services',
        version: '1.0.0',
        kernel: '*',
        description: 'Services handed to the plugins under test',
        provides: provided.map((s) => s.token),
        start(ctx) {
          for (const s of provided) ctx.provide(s.token, s.implementation);
        },
      }),
    );
  }
  const level = options.log ?? (process.env.SCOOP_TEST_LOG as TestKernelOptions['log']);
  const base = {
    kernel: {
      dataDir,
      log: { level: level ?? 'warn', console: Boolean(level), file: null },
      control: { enabled: false },
      bus: { freezePayloads: true },
      supervision: { heartbeatMs: 200, restart: { initialDelayMs: 20, maxDelayMs: 500 } },
      pluginDirs: options.pluginDirs ?? [],
    },
  };
  const kernel = new Kernel({
    builtinPluginDirs: [],
    inlinePlugins: inline,
    pluginFolders: folders,
    config: deepMerge(base, options.config ?? {}),
    env: {},
    watch: options.watch ?? false,
  });
  await kernel.start();
  const owner = 'test';
  const disposers: (() => void)[] = [];
  const bus: TestBus = {
    publish: (topic, message) => kernel.bus.publish(topic, message, owner),
    request: (topic, request, o) => kernel.bus.request(topic, request, owner, o?.timeoutMs),
    subscribe: (topic, handler) => {
      const sub = kernel.bus.subscribe(owner, topic as Topic<any>, handler as MessageHandler<unknown>);
      const dispose = () => kernel.bus.unsubscribe(sub);
      disposers.push(dispose);
      return { dispose };
    },
  };
  return {
    kernel,
    dataDir,
    bus,
    service: (token) => kernel.services.handle(token),
    nextMessage<T>(topic: Topic<T>, predicate?: (m: T, meta: MessageMeta) => boolean, timeoutMs = 5000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          sub.dispose();
          reject(new Error(`no message on '${topic.name}' within ${timeoutMs} ms`));
        }, timeoutMs);
        const sub = bus.subscribe(topic, (m: T, meta) => {
          if (predicate && !predicate(m, meta)) return;
          clearTimeout(timer);
          sub.dispose();
          resolve(m);
        });
      });
    },
    collect<T>(topic: Topic<T>) {
      const messages: T[] = [];
      const sub = bus.subscribe(topic, (m: T) => {
        messages.push(m);
      });
      return { messages, dispose: sub.dispose };
    },
    waitForState: (name, state, timeoutMs) => kernel.waitForState(name, Array.isArray(state) ? state : [state], timeoutMs),
    status: (name) => kernel.pluginStatus(name)[0],
    async stop() {
      for (const d of disposers) d();
      await kernel.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
