import type { MessageHandler, MessageMeta } from '../../sdk/context';

export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'error';

export interface Envelope {
  readonly data: unknown;
  readonly meta: MessageMeta;
  /** Called once the handler finished (durable delivery acknowledges through it). */
  readonly done?: (ok: boolean) => void;
}

export interface SubscriptionHost {
  schedule(sub: Subscription): void;
  onHandlerError(sub: Subscription, error: unknown, meta: MessageMeta): void;
  onOverflow(sub: Subscription, dropped: number): void;
}

/**
 * One subscriber with its own bounded FIFO queue (a ring buffer). The bus enqueues; a
 * drain loop (scheduled by the bus) calls the handler. A slow or blocked subscriber only
 * fills its own queue; when full, its overflow policy applies and every dropped message
 * is counted.
 */
export class Subscription {
  private buf: (Envelope | undefined)[];
  private head = 0;
  private size = 0;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  /** Not dispatching (plugin starting, draining or being swapped); messages still queue. */
  paused = false;
  /** Held for the next instance of the same plugin during a reload. */
  parked = false;
  disposed = false;
  scheduled = false;
  delivered = 0;
  dropped = 0;
  failed = 0;

  constructor(
    readonly id: number,
    readonly owner: string,
    readonly subject: string,
    public handler: MessageHandler<unknown>,
    readonly capacity: number,
    readonly overflow: OverflowPolicy,
    readonly concurrency: number,
    private readonly host: SubscriptionHost,
  ) {
    this.buf = new Array(Math.min(capacity, 1024));
  }

  get queued(): number {
    return this.size;
  }

  get busy(): number {
    return this.inFlight;
  }

  /** Returns false when the message was refused (queue full, policy `error`). */
  enqueue(env: Envelope): boolean {
    if (this.size === this.capacity) {
      if (this.overflow === 'drop-newest') {
        this.dropped++;
        this.host.onOverflow(this, 1);
        env.done?.(false);
        return true;
      }
      if (this.overflow === 'error') {
        this.dropped++;
        this.host.onOverflow(this, 1);
        env.done?.(false);
        return false;
      }
      // drop-oldest
      this.buf[this.head]?.done?.(false);
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) % this.buf.length;
      this.size--;
      this.dropped++;
      this.host.onOverflow(this, 1);
    }
    if (this.size === this.buf.length) this.grow();
    this.buf[(this.head + this.size) % this.buf.length] = env;
    this.size++;
    if (!this.scheduled && !this.paused) {
      this.scheduled = true;
      this.host.schedule(this);
    }
    return true;
  }

  private grow(): void {
    const n = Math.min(this.capacity, this.buf.length * 2);
    const next: (Envelope | undefined)[] = new Array(n);
    for (let i = 0; i < this.size; i++) next[i] = this.buf[(this.head + i) % this.buf.length];
    this.buf = next;
    this.head = 0;
  }

  /**
   * Delivers up to `budget` messages. Returns true when messages remain that could be
   * delivered now (the bus schedules another turn).
   */
  drain(budget: number): boolean {
    let n = 0;
    while (this.size > 0 && n < budget && !this.paused && this.inFlight < this.concurrency) {
      const env = this.buf[this.head]!;
      this.buf[this.head] = undefined;
      this.head = this.head + 1 === this.buf.length ? 0 : this.head + 1;
      this.size--;
      n++;
      this.invoke(env);
    }
    return this.size > 0 && !this.paused && this.inFlight < this.concurrency;
  }

  private invoke(env: Envelope): void {
    let result: void | Promise<void>;
    try {
      result = this.handler(env.data, env.meta);
    } catch (err) {
      this.failed++;
      env.done?.(false);
      this.host.onHandlerError(this, err, env.meta);
      return;
    }
    if (result && typeof (result as Promise<void>).then === 'function') {
      this.inFlight++;
      (result as Promise<void>).then(
        () => this.settle(true, undefined, env),
        (err) => this.settle(false, err, env),
      );
    } else {
      this.delivered++;
      env.done?.(true);
    }
  }

  private settle(ok: boolean, err: unknown, env: Envelope): void {
    this.inFlight--;
    env.done?.(ok);
    if (ok) this.delivered++;
    else {
      this.failed++;
      this.host.onHandlerError(this, err, env.meta);
    }
    if (this.inFlight === 0 && this.idleWaiters.length) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
    if (this.size > 0 && !this.paused && !this.scheduled && !this.disposed) {
      this.scheduled = true;
      this.host.schedule(this);
    }
  }

  /** Resolves when no handler of this subscription is running. */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    if (this.size > 0 && !this.scheduled && !this.disposed) {
      this.scheduled = true;
      this.host.schedule(this);
    }
  }

  /** Empties the queue; returns how many messages were discarded (durable ones are redelivered later). */
  clear(): number {
    for (let i = 0; i < this.size; i++) this.buf[(this.head + i) % this.buf.length]?.done?.(false);
    const n = this.size;
    this.buf = new Array(Math.min(this.capacity, 1024));
    this.head = 0;
    this.size = 0;
    return n;
  }
}
