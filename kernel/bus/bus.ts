import { z } from 'zod';
import {
  MessageValidationError,
  NoResponderError,
  QueueOverflowError,
  RemoteHandlerError,
  ReplyError,
  RequestTimeoutError,
  ScoopError,
} from '../../sdk/errors';
import type { MessageHandler, MessageMeta, PluginLogger } from '../../sdk/context';
import { formatZodIssues, type RequestTopic, type Topic } from '../../sdk/topic';
import { isPattern, matchesPattern, validatePattern } from './pattern';
import { Subscription, type Envelope, type OverflowPolicy, type SubscriptionHost } from './subscription';
import { LocalTransport, type BusInbound, type BusTransport } from './transport';

export interface BusOptions {
  capacity: number;
  overflow: OverflowPolicy;
  requestTimeoutMs: number;
  /** Messages a subscriber may handle per scheduling turn before others get their turn. */
  batch: number;
  /**
   * Deep-freeze every payload (catches a subscriber mutating a message others share).
   * Off in production for speed (a freeze costs more than the validation); on in the test
   * kernel so plugin tests fail on mutation.
   */
  freezePayloads?: boolean;
  log: PluginLogger;
  transport?: BusTransport;
  /** Node name, part of durable consumer names (`<node>__<plugin>__<topic>`). */
  node?: string;
}

export interface SubscribeParams {
  capacity?: number;
  overflow?: OverflowPolicy;
  concurrency?: number;
}

/** Receives failures of handlers, attributed to the plugin that owns them. */
export type CrashReporter = (owner: string, error: unknown, where: string) => void;

interface HandlerEntry {
  owner: string;
  topic: RequestTopic<any, any>;
  fn: (request: unknown, meta: MessageMeta) => unknown;
  parked: boolean;
  paused: boolean;
  inFlight: number;
  idleWaiters: (() => void)[];
}

interface PendingRequest {
  data: unknown;
  meta: MessageMeta;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

export interface SubscriptionStats {
  id: number;
  owner: string;
  subject: string;
  queued: number;
  delivered: number;
  dropped: number;
  failed: number;
  capacity: number;
  overflow: OverflowPolicy;
  state: 'active' | 'paused' | 'parked';
}

const TIMESTAMP = () => Date.now();

/**
 * The message bus: typed topics, publish/subscribe with wildcards, request/reply.
 *
 * Every payload is validated at the boundary (publish, reply, and arrival from a remote
 * transport). Validation returns a fresh copy, so a publisher changing its object after
 * publishing never affects subscribers; subscribers of one message share that copy and
 * must treat it as read-only (payload types are read-only by contract; with
 * `freezePayloads` the bus enforces it, as the test kernel does). Subscribers each have a bounded queue,
 * drained in turns of `batch` messages from one `setImmediate` flush.
 */
export class Bus implements SubscriptionHost, BusInbound {
  private readonly topics = new Map<string, Topic<any> | RequestTopic<any, any>>();
  private readonly exact = new Map<string, Subscription[]>();
  private readonly patterns: Subscription[] = [];
  private readonly routeCache = new Map<string, { all: Subscription[]; patterns: Subscription[] }>();
  /** Durable consumers of exact durable-topic subscriptions (remote transports only). */
  private readonly durableReleases = new Map<Subscription, Promise<() => Promise<void>>>();
  private readonly handlers = new Map<string, HandlerEntry[]>();
  private readonly pendingRequests = new Map<string, PendingRequest[]>();
  private readonly rr = new Map<string, number>();
  private ready: Subscription[] = [];
  private flushScheduled = false;
  private nextId = 1;
  private seq = 0;
  private overflowLogAt = new Map<number, number>();
  private readonly transport: BusTransport;
  crashReporter: CrashReporter = () => {};
  published = 0;
  rejected = 0;

  constructor(private readonly opts: BusOptions) {
    this.transport = opts.transport ?? new LocalTransport();
  }

  get transportName(): string {
    return this.transport.name;
  }

  async start(): Promise<void> {
    await this.transport.start(this);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  /**
   * Registers a topic (first use does it implicitly). The same name with another major
   * version is refused: a subscriber compiled against 1.x cannot read 2.x payloads.
   */
  registerTopic(topic: Topic<any> | RequestTopic<any, any>): void {
    const known = this.topics.get(topic.name);
    if (!known) {
      this.topics.set(topic.name, topic);
      return;
    }
    if (known === topic) return;
    if (known.kind !== topic.kind) {
      throw new ScoopError('TOPIC_VERSION', `'${topic.name}' is already registered as a ${known.kind}, not a ${topic.kind}`);
    }
    if (major(known.version) !== major(topic.version)) {
      throw new ScoopError(
        'TOPIC_VERSION',
        `topic '${topic.name}' version ${topic.version} is incompatible with registered version ${known.version}`,
      );
    }
    // Same major: keep the newest minor (backward-compatible by semver).
    if (compareSemver(topic.version, known.version) > 0) this.topics.set(topic.name, topic);
  }

  topicNames(): string[] {
    return [...this.topics.keys()].sort();
  }

  // ---------------------------------------------------------------- publish / subscribe

  publish<T>(topic: Topic<T>, message: T, publisher: string): void {
    if (this.topics.get(topic.name) !== topic) this.registerTopic(topic);
    const parsed = topic.schema.safeParse(message);
    if (!parsed.success) {
      this.rejected++;
      throw new MessageValidationError(topic.name, formatZodIssues(parsed.error));
    }
    const data = this.opts.freezePayloads ? deepFreeze(parsed.data) : parsed.data;
    const meta: MessageMeta = { topic: topic.name, version: topic.version, publisher, publishedAtMs: TIMESTAMP(), seq: ++this.seq };
    this.published++;
    if (!this.transport.remote) {
      this.route(topic.name, { data, meta }, false);
      return;
    }
    // Distributed: a durable topic reaches its exact subscribers (here too) through their
    // durable consumers, so each gets it once, acknowledged; wildcard subscribers here are
    // served directly.
    this.route(topic.name, { data, meta }, topic.durable);
    this.transport.forward(topic.name, data, meta, topic.durable);
  }

  deliverRemote(topicName: string, data: unknown, meta: MessageMeta, options: { via: string }): void {
    const valid = this.validateRemote(topicName, data, meta);
    if (valid === undefined) return;
    const subs = isPattern(options.via) ? this.patterns.filter((s) => s.subject === options.via) : (this.exact.get(options.via) ?? []);
    const env: Envelope = { data: valid, meta: { ...meta } };
    for (const sub of subs) {
      if (!sub.enqueue(env)) this.opts.log.warn(`message on '${topicName}' from ${meta.publisher} refused by the full queue of ${sub.owner}`);
    }
  }

  /** Validates a payload that arrived from another kernel; undefined (logged) if refused. */
  private validateRemote(topicName: string, data: unknown, meta: MessageMeta): unknown {
    const topic = this.topics.get(topicName);
    if (!topic || topic.kind !== 'topic') {
      this.opts.log.warn(`message on unknown topic '${topicName}' from ${meta?.publisher} rejected`);
      this.rejected++;
      return undefined;
    }
    const parsed = topic.schema.safeParse(data);
    if (!parsed.success) {
      this.rejected++;
      this.opts.log.warn(`message on '${topicName}' from ${meta?.publisher} rejected: ${formatZodIssues(parsed.error).join('; ')}`);
      return undefined;
    }
    return this.opts.freezePayloads ? deepFreeze(parsed.data) : parsed.data;
  }

  private route(name: string, env: Envelope, patternsOnly: boolean): void {
    let cached = this.routeCache.get(name);
    if (!cached) {
      const patterns = this.patterns.filter((s) => matchesPattern(s.subject, name));
      cached = { all: [...(this.exact.get(name) ?? []), ...patterns], patterns };
      this.routeCache.set(name, cached);
    }
    const subs = patternsOnly ? cached.patterns : cached.all;
    let refused: Subscription | undefined;
    for (let i = 0; i < subs.length; i++) {
      if (!subs[i].enqueue(env)) refused = subs[i];
    }
    if (refused) throw new QueueOverflowError(name, refused.owner, refused.capacity);
  }

  subscribe(owner: string, subject: Topic<any> | string, handler: MessageHandler<any>, params: SubscribeParams = {}): Subscription {
    let name: string;
    if (typeof subject === 'string') {
      validatePattern(subject);
      name = subject;
    } else {
      this.registerTopic(subject);
      name = subject.name;
    }
    // Hot reload: the next instance of a plugin adopts the queue its predecessor left parked.
    const parked = this.allSubscriptions().find((s) => s.parked && s.owner === owner && s.subject === name);
    if (parked) {
      parked.handler = handler;
      parked.parked = false;
      return parked;
    }
    const sub = new Subscription(
      this.nextId++,
      owner,
      name,
      handler,
      params.capacity ?? this.opts.capacity,
      params.overflow ?? this.opts.overflow,
      Math.max(1, params.concurrency ?? 1),
      this,
    );
    if (isPattern(name)) this.patterns.push(sub);
    else this.exact.set(name, [...(this.exact.get(name) ?? []), sub]);
    this.routeCache.clear();
    if (this.transport.remote) {
      const durable = typeof subject !== 'string' && subject.durable;
      if (durable) this.attachDurable(sub, name);
      else this.transport.interest(name, true, isPattern(name));
    }
    return sub;
  }

  private attachDurable(sub: Subscription, topicName: string): void {
    const consumer = `${this.opts.node ?? 'main'}__${sub.owner}__${topicName}`;
    const release = this.transport.subscribeDurable(topicName, consumer, (data, meta, ack) => {
      const valid = this.validateRemote(topicName, data, meta);
      if (valid === undefined) return ack(true); // refused and logged; never redelivered
      if (sub.disposed) return ack(false);
      sub.enqueue({ data: valid, meta, done: ack });
    });
    release.catch((err) => this.opts.log.error(`durable consumer ${consumer} could not start: ${errorText(err)}`));
    this.durableReleases.set(sub, release);
  }

  unsubscribe(sub: Subscription): number {
    if (sub.disposed) return 0;
    sub.disposed = true;
    if (isPattern(sub.subject)) {
      const i = this.patterns.indexOf(sub);
      if (i >= 0) this.patterns.splice(i, 1);
    } else {
      const list = (this.exact.get(sub.subject) ?? []).filter((s) => s !== sub);
      if (list.length) this.exact.set(sub.subject, list);
      else this.exact.delete(sub.subject);
    }
    this.routeCache.clear();
    this.overflowLogAt.delete(sub.id);
    if (this.transport.remote) {
      const durable = this.durableReleases.get(sub);
      if (durable) {
        this.durableReleases.delete(sub);
        void durable.then((release) => release()).catch(() => undefined);
      } else this.transport.interest(sub.subject, false, isPattern(sub.subject));
    }
    return sub.clear();
  }

  allSubscriptions(): Subscription[] {
    const out: Subscription[] = [];
    for (const list of this.exact.values()) out.push(...list);
    out.push(...this.patterns);
    return out;
  }

  stats(): SubscriptionStats[] {
    return this.allSubscriptions().map((s) => ({
      id: s.id,
      owner: s.owner,
      subject: s.subject,
      queued: s.queued,
      delivered: s.delivered,
      dropped: s.dropped,
      failed: s.failed,
      capacity: s.capacity,
      overflow: s.overflow,
      state: s.parked ? 'parked' : s.paused ? 'paused' : 'active',
    }));
  }

  // ---------------------------------------------------------------- delivery loop

  schedule(sub: Subscription): void {
    this.ready.push(sub);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const list = this.ready;
    this.ready = [];
    for (let i = 0; i < list.length; i++) {
      const sub = list[i];
      sub.scheduled = false;
      if (sub.disposed || sub.paused) continue;
      if (sub.drain(this.opts.batch) && !sub.scheduled) {
        sub.scheduled = true;
        this.schedule(sub);
      }
    }
  };

  onHandlerError(sub: Subscription, error: unknown, meta: MessageMeta): void {
    this.opts.log.error(`handler of '${sub.owner}' failed on '${meta.topic}' (seq ${meta.seq}): ${errorText(error)}`);
    this.crashReporter(sub.owner, error, `handler of '${meta.topic}'`);
  }

  onOverflow(sub: Subscription, _dropped: number): void {
    // Logged at most once a second per subscription, with the running count: never silent,
    // never a log storm.
    const now = Date.now();
    const last = this.overflowLogAt.get(sub.id) ?? 0;
    if (now - last >= 1000) {
      this.overflowLogAt.set(sub.id, now);
      this.opts.log.warn(
        `queue of '${sub.owner}' on '${sub.subject}' is full (${sub.capacity}); policy ${sub.overflow}; ${sub.dropped} message(s) dropped so far`,
      );
    }
  }

  // ---------------------------------------------------------------- owner control (lifecycle)

  /** Stops dispatching to an owner's subscriptions and handlers; messages keep queueing. */
  pauseOwner(owner: string): void {
    for (const s of this.allSubscriptions()) if (s.owner === owner) s.pause();
    for (const list of this.handlers.values()) for (const h of list) if (h.owner === owner) h.paused = true;
  }

  resumeOwner(owner: string): void {
    for (const s of this.allSubscriptions()) if (s.owner === owner && !s.parked) s.resume();
    for (const [name, list] of this.handlers) {
      for (const h of list) if (h.owner === owner && !h.parked) h.paused = false;
      this.servePending(name);
    }
  }

  /** Waits (up to `timeoutMs`) until no handler of this owner is running. */
  async drainOwner(owner: string, timeoutMs: number): Promise<boolean> {
    const waits: Promise<void>[] = [];
    for (const s of this.allSubscriptions()) if (s.owner === owner) waits.push(s.whenIdle());
    for (const list of this.handlers.values()) {
      for (const h of list) {
        if (h.owner === owner && h.inFlight > 0) waits.push(new Promise((r) => h.idleWaiters.push(r)));
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
    const done = await Promise.race([Promise.all(waits).then(() => true), timeout]);
    if (timer) clearTimeout(timer);
    return done;
  }

  /** Keeps an owner's queues and handler slots for its next instance (hot reload). */
  parkOwner(owner: string): void {
    for (const s of this.allSubscriptions()) {
      if (s.owner === owner) {
        s.pause();
        s.parked = true;
      }
    }
    for (const list of this.handlers.values()) {
      for (const h of list) {
        if (h.owner === owner) {
          h.paused = true;
          h.parked = true;
        }
      }
    }
  }

  /**
   * Releases whatever an owner still has parked (the new version no longer subscribes to
   * it). Returns the subjects and the number of queued messages that had to be discarded.
   */
  releaseParked(owner: string): { subject: string; discarded: number }[] {
    const out: { subject: string; discarded: number }[] = [];
    for (const s of this.allSubscriptions()) {
      if (s.owner === owner && s.parked) out.push({ subject: s.subject, discarded: this.unsubscribe(s) });
    }
    for (const [name, list] of this.handlers) {
      const keep = list.filter((h) => !(h.owner === owner && h.parked));
      if (keep.length !== list.length) {
        if (keep.length) this.handlers.set(name, keep);
        else {
          this.handlers.delete(name);
          this.transport.withdraw(name);
          this.failPending(name);
        }
      }
    }
    return out;
  }

  /** Removes everything an owner has (plugin stopped for good). */
  removeOwner(owner: string): number {
    let discarded = 0;
    for (const s of this.allSubscriptions()) if (s.owner === owner) discarded += this.unsubscribe(s);
    for (const [name, list] of this.handlers) {
      const keep = list.filter((h) => h.owner !== owner);
      if (keep.length !== list.length) {
        if (keep.length) this.handlers.set(name, keep);
        else {
          this.handlers.delete(name);
          this.transport.withdraw(name);
          this.failPending(name);
        }
      }
    }
    return discarded;
  }

  // ---------------------------------------------------------------- request / reply

  handle(owner: string, topic: RequestTopic<any, any>, fn: (request: any, meta: MessageMeta) => unknown): () => void {
    this.registerTopic(topic);
    const list = this.handlers.get(topic.name) ?? [];
    const parked = list.find((h) => h.parked && h.owner === owner);
    let entry: HandlerEntry;
    if (parked) {
      parked.fn = fn;
      parked.parked = false;
      entry = parked;
    } else {
      entry = { owner, topic, fn, parked: false, paused: false, inFlight: 0, idleWaiters: [] };
      list.push(entry);
      this.handlers.set(topic.name, list);
      this.transport.advertise(topic.name);
    }
    this.servePending(topic.name);
    return () => {
      // A parked handler belongs to the plugin's next instance now (hot reload).
      if (entry.parked) return;
      const current = this.handlers.get(topic.name) ?? [];
      const keep = current.filter((h) => h !== entry);
      if (keep.length) this.handlers.set(topic.name, keep);
      else {
        this.handlers.delete(topic.name);
        this.transport.withdraw(topic.name);
        this.failPending(topic.name);
      }
    };
  }

  async request<Q, R>(topic: RequestTopic<Q, R>, request: Q, requester: string, timeoutMs?: number): Promise<R> {
    this.registerTopic(topic);
    const parsed = topic.request.safeParse(request);
    if (!parsed.success) throw new MessageValidationError(`${topic.name} (request)`, formatZodIssues(parsed.error));
    const timeout = timeoutMs ?? this.opts.requestTimeoutMs;
    const meta: MessageMeta = { topic: topic.name, version: topic.version, publisher: requester, publishedAtMs: TIMESTAMP(), seq: ++this.seq };
    const data = parsed.data;
    const list = this.handlers.get(topic.name);
    let raw: unknown;
    if (!list || list.length === 0) {
      if (!this.transport.remote) throw new NoResponderError(topic.name);
      const remote = await this.transport.requestRemote(topic.name, data, timeout);
      if (!remote.answered) throw new NoResponderError(topic.name);
      raw = remote.data;
    } else {
      raw = await this.dispatchLocal(topic.name, data, meta, timeout);
    }
    const reply = topic.response.safeParse(raw);
    if (!reply.success) {
      throw new RemoteHandlerError(topic.name, 'invalid-reply', formatZodIssues(reply.error).join('; '));
    }
    return reply.data as R;
  }

  async answerRemote(topicName: string, data: unknown, timeoutMs: number): Promise<unknown> {
    const topic = this.topics.get(topicName);
    if (!topic || topic.kind !== 'request') throw new NoResponderError(topicName);
    const parsed = topic.request.safeParse(data);
    if (!parsed.success) throw new MessageValidationError(`${topicName} (request)`, formatZodIssues(parsed.error));
    const meta: MessageMeta = { topic: topicName, version: topic.version, publisher: 'remote', publishedAtMs: TIMESTAMP(), seq: ++this.seq };
    return this.dispatchLocal(topicName, parsed.data, meta, timeoutMs);
  }

  private dispatchLocal(name: string, data: unknown, meta: MessageMeta, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const queue = this.pendingRequests.get(name);
        if (queue) {
          const i = queue.findIndex((p) => p.timer === timer);
          if (i >= 0) queue.splice(i, 1);
        }
        reject(new RequestTimeoutError(name, timeoutMs));
      }, timeoutMs);
      const pending: PendingRequest = {
        data,
        meta,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
        timer,
      };
      const queue = this.pendingRequests.get(name) ?? [];
      queue.push(pending);
      this.pendingRequests.set(name, queue);
      this.servePending(name);
    });
  }

  /** Hands queued requests to an available (not paused) handler, round-robin. */
  private servePending(name: string): void {
    const queue = this.pendingRequests.get(name);
    if (!queue || queue.length === 0) return;
    const list = (this.handlers.get(name) ?? []).filter((h) => !h.paused);
    if (list.length === 0) return;
    while (queue.length) {
      const p = queue.shift()!;
      const i = (this.rr.get(name) ?? 0) % list.length;
      this.rr.set(name, i + 1);
      this.runHandler(list[i], p);
    }
  }

  private runHandler(h: HandlerEntry, p: PendingRequest): void {
    h.inFlight++;
    const finish = () => {
      h.inFlight--;
      if (h.inFlight === 0 && h.idleWaiters.length) {
        const w = h.idleWaiters;
        h.idleWaiters = [];
        w.forEach((f) => f());
      }
    };
    let out: unknown;
    try {
      out = h.fn(p.data, p.meta);
    } catch (err) {
      finish();
      p.reject(this.handlerFailure(h, err));
      return;
    }
    Promise.resolve(out).then(
      (v) => {
        finish();
        p.resolve(v);
      },
      (err) => {
        finish();
        p.reject(this.handlerFailure(h, err));
      },
    );
  }

  private handlerFailure(h: HandlerEntry, err: unknown): ScoopError {
    if (err instanceof ReplyError) return new RemoteHandlerError(h.topic.name, err.reason, err.message);
    this.opts.log.error(`request handler of '${h.owner}' for '${h.topic.name}' threw: ${errorText(err)}`);
    this.crashReporter(h.owner, err, `request handler of '${h.topic.name}'`);
    return new RemoteHandlerError(h.topic.name, 'internal', errorText(err));
  }

  private failPending(name: string): void {
    const queue = this.pendingRequests.get(name);
    if (!queue) return;
    this.pendingRequests.delete(name);
    for (const p of queue) p.reject(new NoResponderError(name));
  }

  /** True while some handler (possibly parked during a reload) is registered for `name`. */
  hasHandler(name: string): boolean {
    return (this.handlers.get(name)?.length ?? 0) > 0;
  }
}

function major(v: string): number {
  return Number(v.split('.')[0]);
}

function compareSemver(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Freezes a parsed payload so a subscriber cannot change what others receive. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
    } else {
      for (const k in value) deepFreeze((value as Record<string, unknown>)[k]);
    }
  }
  return value;
}

export type { z };
