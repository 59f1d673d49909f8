import type { Topic, RequestTopic } from './topic';
import type { ServiceToken } from './service';

/** Anything the kernel can release when a plugin stops. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface PluginLogger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
  trace(message: string, meta?: Record<string, unknown>): void;
}

/**
 * Metadata delivered with every message. `publishedAtMs` is UTC Unix time in milliseconds
 * (a number, not a formatted string, so the hot path does not format dates).
 */
export interface MessageMeta {
  readonly topic: string;
  readonly version: string;
  readonly publisher: string;
  readonly publishedAtMs: number;
  /** Per-kernel publication sequence number, increasing. */
  readonly seq: number;
}

export type MessageHandler<T> = (message: T, meta: MessageMeta) => void | Promise<void>;

export interface SubscribeOptions {
  /** Queue capacity for this subscriber; defaults to `kernel.bus.queue.capacity`. */
  capacity?: number;
  /** What happens when the queue is full; defaults to `kernel.bus.queue.overflow`. */
  overflow?: 'drop-oldest' | 'drop-newest' | 'error';
  /**
   * Handlers allowed to run at once for this subscription (default 1: messages are handled
   * in publication order).
   */
  concurrency?: number;
}

export interface RequestOptions {
  /** Defaults to `kernel.bus.requestTimeoutMs`. */
  timeoutMs?: number;
}

export interface PluginBus {
  /** Validates `message` against the topic schema and queues it for every subscriber. */
  publish<T>(topic: Topic<T>, message: T): void;
  /** Subscribes to one typed topic. Released automatically when the plugin stops. */
  subscribe<T>(topic: Topic<T>, handler: MessageHandler<T>, options?: SubscribeOptions): Disposable;
  /**
   * Subscribes to every topic matching a pattern: `*` matches one dotted token, `>` matches
   * one or more trailing tokens (NATS subject syntax), e.g. `alert.*`, `catalog.>`.
   * Messages arrive already validated against their own topic's schema.
   */
  subscribePattern(pattern: string, handler: MessageHandler<unknown>, options?: SubscribeOptions): Disposable;
  /** Sends a request and awaits its validated reply; rejects with a typed `ScoopError`. */
  request<Q, R>(topic: RequestTopic<Q, R>, request: Q, options?: RequestOptions): Promise<R>;
  /** Answers a request topic. Throw `ReplyError` to answer with a typed error. */
  handle<Q, R>(topic: RequestTopic<Q, R>, handler: (request: Q, meta: MessageMeta) => R | Promise<R>): Disposable;
}

export interface PluginServices {
  /**
   * A handle on a service provided by some plugin. Calls go to whichever instance currently
   * provides it, and wait while that provider is being reloaded.
   * Throws `ServiceUnavailableError` when nobody provides it.
   */
  get<I extends object>(token: ServiceToken<I>): I;
  /** Like `get`, but `undefined` when nobody provides it (optional dependencies). */
  tryGet<I extends object>(token: ServiceToken<I>): I | undefined;
  /** Registers this plugin's implementation of a service it declared in `provides`. */
  provide<I extends object>(token: ServiceToken<I>, implementation: I): void;
}

export interface ScheduleOptions {
  /**
   * What to do about runs missed while the kernel or the plugin was stopped:
   * `skip` (default) forgets them; `once` runs once at start when at least one run was missed.
   */
  catchUp?: 'skip' | 'once';
  /** Stable id for remembering the last run across restarts; defaults to the expression. */
  id?: string;
}

export interface PluginScheduler {
  /** Runs `task` on a 5- or 6-field cron expression evaluated in UTC. */
  cron(expression: string, task: () => void | Promise<void>, options?: ScheduleOptions): Disposable;
  /** Runs `task` every `intervalMs` milliseconds (the first run one interval after now). */
  every(intervalMs: number, task: () => void | Promise<void>): Disposable;
  /** Runs `task` once after `delayMs`. */
  after(delayMs: number, task: () => void | Promise<void>): Disposable;
}

export interface WatchEvent {
  readonly kind: 'add' | 'change' | 'unlink';
  readonly path: string;
}

export interface WatchOptions {
  /** Wait until a file has not grown for this long before reporting it (default 200 ms). */
  stabilityMs?: number;
  /** Report files already present when the watch starts (default true). */
  initial?: boolean;
  depth?: number;
}

/** What a plugin receives in `start`. Everything acquired through it is released on stop. */
export interface PluginContext<C = unknown> {
  readonly name: string;
  readonly version: string;
  /** The plugin's configuration section, validated against its schema, defaults applied. */
  readonly config: C;
  readonly log: PluginLogger;
  readonly bus: PluginBus;
  readonly services: PluginServices;
  readonly scheduler: PluginScheduler;
  /** A private, persistent directory for this plugin (kept across restarts and reloads). */
  readonly dataDir: string;
  /** Watches files or directories (chokidar), released on stop. */
  watch(paths: string | string[], handler: (event: WatchEvent) => void | Promise<void>, options?: WatchOptions): Disposable;
  /** Adds anything to the list the kernel disposes (in reverse order) when the plugin stops. */
  onDispose(disposable: Disposable | (() => void | Promise<void>)): void;
  /** Aborted when the plugin is asked to stop: long computations should check it. */
  readonly signal: AbortSignal;

  // Shortcuts that read like the design sketch.
  publish<T>(topic: Topic<T>, message: T): void;
  subscribe<T>(topic: Topic<T>, handler: MessageHandler<T>, options?: SubscribeOptions): Disposable;
  provide<I extends object>(token: ServiceToken<I>, implementation: I): void;
}
