import * as crypto from 'node:crypto';
import * as os from 'node:os';
import {
  AckPolicy,
  connect,
  DeliverPolicy,
  headers as natsHeaders,
  JSONCodec,
  RetentionPolicy,
  StorageType,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
  type Subscription as NatsSubscription,
} from 'nats';
import type { MessageMeta, PluginLogger } from '../../sdk/context';
import { MessageValidationError, NoResponderError, RemoteHandlerError, RequestTimeoutError, ScoopError } from '../../sdk/errors';
import type { BusInbound, BusTransport, ClusterNode, DurableDelivery } from './transport';

export interface NatsTransportOptions {
  servers: string[];
  /** Subject prefix of this deployment; several deployments can share one NATS server. */
  prefix: string;
  /** JetStream stream holding durable topics. */
  stream: string;
  /** How long the stream keeps durable messages nobody acknowledged. */
  durableMaxAgeS: number;
  user?: string;
  pass?: string;
  token?: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
  node: string;
  heartbeatMs: number;
  log: PluginLogger;
}

const codec = JSONCodec<unknown>();

interface Wire {
  data: unknown;
  meta: MessageMeta;
}

type Reply = { ok: true; data: unknown } | { ok: false; error: { code: string; reason?: string; message: string; topic?: string; issues?: string[] } };

/**
 * The bus over NATS. Topics map to subjects `<prefix>.t.<topic>` (plain pub/sub, no echo
 * to the publishing connection: local subscribers were already served in-process);
 * durable topics to `<prefix>.d.<topic>`, captured by a JetStream stream, each subscriber
 * reading through its own durable consumer `<node>__<plugin>__<topic>` (acknowledged after
 * its handler succeeds, so a consumer that was down receives what it missed). Requests
 * use NATS request/reply on `<prefix>.r.<topic>`, services `<prefix>.s.<service>`, both
 * with queue groups so several instances share the work. Kernels announce themselves on
 * `<prefix>.k.hb` (cluster view for `scoop status`, remote services for the graph).
 *
 * The transport moves plain JSON only; the bus validates on both sides.
 */
export class NatsTransport implements BusTransport {
  readonly name = 'nats';
  readonly remote = true;
  readonly instance = `${os.hostname()}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  private nc?: NatsConnection;
  private js?: JetStreamClient;
  private jsm?: JetStreamManager;
  private inbound?: BusInbound;
  private interests = new Map<string, { count: number; subs: NatsSubscription[] }>();
  private served = new Map<string, NatsSubscription>();
  private services = new Map<string, NatsSubscription>();
  private consumers = new Set<ConsumerMessages>();
  private pendingDurable: { subject: string; payload: Uint8Array; msgID: string; attempt: number }[] = [];
  private flushing = false;
  private closed = false;
  private readonly cluster = new Map<string, ClusterNode & { lastSeenMs: number }>();
  private heartbeatTimer?: NodeJS.Timeout;
  private localInfo: () => Omit<ClusterNode, 'instance' | 'lastSeen'> = () => ({ node: this.opts.node, pid: process.pid, host: os.hostname(), plugins: [], services: [] });
  private clusterListeners: (() => void)[] = [];
  private seq = 0;

  constructor(private readonly opts: NatsTransportOptions) {}

  async start(inbound: BusInbound): Promise<void> {
    this.inbound = inbound;
    try {
      this.nc = await connect({
        servers: this.opts.servers,
        name: `scoop:${this.opts.node}:${this.instance}`,
        noEcho: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        user: this.opts.user,
        pass: this.opts.pass,
        token: this.opts.token,
        tls: this.opts.tls,
      });
    } catch (err) {
      throw new ScoopError('CONFIG', `cannot connect to NATS at ${this.opts.servers.join(', ')}: ${(err as Error).message}`);
    }
    this.js = this.nc.jetstream();
    this.jsm = await this.nc.jetstreamManager();
    await this.ensureStream();
    void this.watchStatus();
    this.nc.subscribe(`${this.opts.prefix}.k.hb`, { callback: (_e, m) => this.onHeartbeat(m.data) });
    this.nc.subscribe(`${this.opts.prefix}.k.hello`, { callback: () => this.sendHeartbeat() });
    this.heartbeatTimer = setInterval(() => this.sendHeartbeat(), this.opts.heartbeatMs);
    this.heartbeatTimer.unref();
    this.nc.publish(`${this.opts.prefix}.k.hello`, codec.encode({ from: this.instance }));
    this.sendHeartbeat();
  }

  private async ensureStream(): Promise<void> {
    const config = {
      name: this.opts.stream,
      subjects: [`${this.opts.prefix}.d.>`],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      max_age: this.opts.durableMaxAgeS * 1e9,
      duplicate_window: 120 * 1e9,
    };
    try {
      await this.jsm!.streams.info(this.opts.stream);
    } catch {
      try {
        await this.jsm!.streams.add(config);
      } catch (err) {
        // Another kernel may have created it at the same moment.
        await this.jsm!.streams.info(this.opts.stream).catch(() => {
          throw err;
        });
      }
    }
  }

  private async watchStatus(): Promise<void> {
    for await (const s of this.nc!.status()) {
      if (s.type === 'disconnect') this.opts.log.warn(`NATS connection lost (${String(s.data)}); reconnecting`);
      else if (s.type === 'reconnect') {
        this.opts.log.info(`NATS reconnected to ${String(s.data)}`);
        void this.flushDurable();
      }
    }
  }

  // ---------------------------------------------------------------- pub/sub

  forward(topic: string, data: unknown, meta: MessageMeta, durable: boolean): void {
    if (this.closed) return;
    const payload = codec.encode({ data, meta: { ...meta, publisher: `${meta.publisher}@${this.opts.node}` } } satisfies Wire);
    if (!durable) {
      this.nc!.publish(`${this.opts.prefix}.t.${topic}`, payload);
      return;
    }
    // Durable: JetStream with a message id (the stream drops a duplicate re-sent within its
    // window), retried until the stream acknowledges it, through broker restarts.
    this.pendingDurable.push({ subject: `${this.opts.prefix}.d.${topic}`, payload, msgID: `${this.instance}-${++this.seq}`, attempt: 0 });
    void this.flushDurable();
  }

  /** Sends queued durable messages in order; a failure keeps the rest queued and retries. */
  private async flushDurable(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pendingDurable.length && !this.closed) {
        const m = this.pendingDurable[0];
        try {
          await this.js!.publish(m.subject, m.payload, { msgID: m.msgID, timeout: 2000 });
          this.pendingDurable.shift();
        } catch (err) {
          m.attempt++;
          if (m.attempt === 1 || m.attempt % 20 === 0) {
            this.opts.log.warn(`durable publish on ${m.subject} not acknowledged (${(err as Error).message}); ${this.pendingDurable.length} message(s) kept for retry`);
          }
          await new Promise((r) => setTimeout(r, Math.min(2000, 100 * m.attempt)));
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Durable messages published here and not yet acknowledged by the stream. */
  get pendingDurableCount(): number {
    return this.pendingDurable.length;
  }

  interest(pattern: string, on: boolean, durableToo: boolean): void {
    const key = pattern;
    const cur = this.interests.get(key);
    if (on) {
      if (cur) {
        cur.count++;
        return;
      }
      const subs = [this.coreSub(`${this.opts.prefix}.t.${pattern}`, pattern)];
      if (durableToo) subs.push(this.coreSub(`${this.opts.prefix}.d.${pattern}`, pattern));
      this.interests.set(key, { count: 1, subs });
    } else if (cur && --cur.count === 0) {
      cur.subs.forEach((s) => s.unsubscribe());
      this.interests.delete(key);
    }
  }

  /**
   * One NATS subscription per local subscription subject (`via`). A message matching several
   * of them (`dist.position` and `dist.*`) arrives once on each, so each copy is routed only
   * to the local subscriptions of its own subject: every subscriber gets it exactly once.
   */
  private coreSub(subject: string, via: string): NatsSubscription {
    const strip = subject.indexOf('.', this.opts.prefix.length + 1) + 1;
    return this.nc!.subscribe(subject, {
      callback: (err, msg) => {
        if (err) return;
        let wire: Wire;
        try {
          wire = codec.decode(msg.data) as Wire;
        } catch {
          this.opts.log.warn(`undecodable message on ${msg.subject} rejected`);
          return;
        }
        this.inbound!.deliverRemote(msg.subject.slice(strip), wire?.data, wire?.meta ?? ({} as MessageMeta), { via });
      },
    });
  }

  async subscribeDurable(topic: string, consumer: string, deliver: DurableDelivery): Promise<() => Promise<void>> {
    const durable = consumer.replace(/[^A-Za-z0-9_-]/g, '_');
    try {
      await this.jsm!.consumers.info(this.opts.stream, durable);
    } catch {
      await this.jsm!.consumers.add(this.opts.stream, {
        durable_name: durable,
        filter_subject: `${this.opts.prefix}.d.${topic}`,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.New,
        ack_wait: 30 * 1e9,
        max_deliver: 10,
      });
    }
    const c = await this.js!.consumers.get(this.opts.stream, durable);
    const messages = await c.consume({ max_messages: 256 });
    this.consumers.add(messages);
    // Stream sequences already handled: a redelivery (ack lost in a broker restart) is
    // acknowledged again without reaching the handler a second time.
    const handled = new Set<number>();
    const order: number[] = [];
    void (async () => {
      for await (const m of messages) {
        const seq = m.seq;
        if (handled.has(seq)) {
          m.ack();
          continue;
        }
        let wire: Wire;
        try {
          wire = codec.decode(m.data) as Wire;
        } catch {
          this.opts.log.warn(`undecodable durable message ${seq} on ${m.subject} rejected`);
          m.term();
          continue;
        }
        deliver(wire?.data, wire?.meta ?? ({} as MessageMeta), (ok) => {
          if (ok) {
            handled.add(seq);
            order.push(seq);
            if (order.length > 100_000) handled.delete(order.shift()!);
            m.ack();
          } else m.nak(1000);
        });
      }
    })().catch((err) => this.opts.log.warn(`durable consumer ${durable} ended: ${(err as Error).message}`));
    return async () => {
      this.consumers.delete(messages);
      await messages.close().catch(() => undefined);
    };
  }

  // ---------------------------------------------------------------- request / reply

  advertise(topic: string): void {
    if (this.served.has(topic) || !this.nc) return;
    const subject = `${this.opts.prefix}.r.${topic}`;
    const sub = this.nc.subscribe(subject, {
      queue: subject,
      callback: (_err, msg) => {
        const req = safeDecode(msg.data) as { data?: unknown; timeoutMs?: number } | undefined;
        this.inbound!.answerRemote(topic, req?.data, req?.timeoutMs ?? 5000).then(
          (data) => msg.respond(codec.encode({ ok: true, data } satisfies Reply)),
          (err) => msg.respond(codec.encode(errorReply(err))),
        );
      },
    });
    this.served.set(topic, sub);
  }

  withdraw(topic: string): void {
    this.served.get(topic)?.unsubscribe();
    this.served.delete(topic);
  }

  async requestRemote(topic: string, data: unknown, timeoutMs: number): Promise<{ answered: boolean; data?: unknown }> {
    let msg;
    try {
      msg = await this.nc!.request(`${this.opts.prefix}.r.${topic}`, codec.encode({ data, timeoutMs }), { timeout: timeoutMs });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '503') return { answered: false };
      if (code === 'TIMEOUT') throw new RequestTimeoutError(topic, timeoutMs);
      throw err;
    }
    const reply = safeDecode(msg.data) as Reply | undefined;
    if (!reply) throw new RemoteHandlerError(topic, 'invalid-reply', 'undecodable reply');
    if (reply.ok) return { answered: true, data: reply.data };
    throw replyError(topic, reply.error);
  }

  // ---------------------------------------------------------------- services

  serveService(service: string, call: (method: string, args: unknown[]) => Promise<unknown>): void {
    if (this.services.has(service) || !this.nc) return;
    const subject = `${this.opts.prefix}.s.${service}`;
    const sub = this.nc.subscribe(subject, {
      queue: subject,
      callback: (_err, msg) => {
        const req = safeDecode(msg.data) as { method?: string; args?: unknown[] } | undefined;
        if (!req || typeof req.method !== 'string' || !Array.isArray(req.args)) {
          msg.respond(codec.encode({ ok: false, error: { code: 'VALIDATION', message: 'malformed service call' } } satisfies Reply));
          return;
        }
        call(req.method, req.args).then(
          (data) => msg.respond(codec.encode({ ok: true, data: data === undefined ? null : data } satisfies Reply)),
          (err) => msg.respond(codec.encode(errorReply(err))),
        );
      },
    });
    this.services.set(service, sub);
  }

  unserveService(service: string): void {
    this.services.get(service)?.unsubscribe();
    this.services.delete(service);
  }

  async callService(service: string, method: string, args: unknown[], timeoutMs: number): Promise<unknown> {
    let msg;
    try {
      msg = await this.nc!.request(`${this.opts.prefix}.s.${service}`, codec.encode({ method, args }), { timeout: timeoutMs });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '503') throw new ScoopError('SERVICE_UNAVAILABLE', `service '${service}' is unavailable: no kernel of the cluster provides it`);
      if (code === 'TIMEOUT') throw new RequestTimeoutError(`service ${service}.${method}`, timeoutMs);
      throw err;
    }
    const reply = safeDecode(msg.data) as Reply | undefined;
    if (!reply) throw new RemoteHandlerError(`service ${service}`, 'invalid-reply', 'undecodable reply');
    if (reply.ok) return reply.data;
    throw replyError(`service ${service}.${method}`, reply.error);
  }

  // ---------------------------------------------------------------- cluster

  setLocalInfo(info: () => Omit<ClusterNode, 'instance' | 'lastSeen'>): void {
    this.localInfo = info;
  }

  onClusterChange(listener: () => void): void {
    this.clusterListeners.push(listener);
  }

  private sendHeartbeat(): void {
    if (!this.nc || this.nc.isClosed() || this.closed) return;
    this.nc.publish(`${this.opts.prefix}.k.hb`, codec.encode({ ...this.localInfo(), instance: this.instance, lastSeen: new Date().toISOString() }));
  }

  private onHeartbeat(raw: Uint8Array): void {
    const info = safeDecode(raw) as ClusterNode | undefined;
    if (!info || typeof info.instance !== 'string' || info.instance === this.instance) return;
    const before = this.cluster.get(info.instance);
    this.cluster.set(info.instance, { ...info, lastSeenMs: Date.now() });
    if (!before || JSON.stringify(before.services) !== JSON.stringify(info.services)) this.clusterListeners.forEach((l) => l());
  }

  /** Other kernels seen within three heartbeat periods. */
  peers(): ClusterNode[] {
    const horizon = Date.now() - 3 * this.opts.heartbeatMs;
    const out: ClusterNode[] = [];
    for (const [id, n] of this.cluster) {
      if (n.lastSeenMs < horizon) this.cluster.delete(id);
      else {
        const { lastSeenMs: _ignored, ...rest } = n;
        out.push(rest);
      }
    }
    return out;
  }

  remoteServices(): Set<string> {
    return new Set(this.peers().flatMap((p) => p.services));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Give queued durable messages a moment to reach the stream before closing.
    const deadline = Date.now() + 3000;
    while (this.pendingDurable.length && Date.now() < deadline && this.nc && !this.nc.isClosed()) await new Promise((r) => setTimeout(r, 50));
    if (this.pendingDurable.length) this.opts.log.error(`${this.pendingDurable.length} durable message(s) could not reach NATS before shutdown`);
    this.closed = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    for (const c of this.consumers) await c.close().catch(() => undefined);
    if (this.nc && !this.nc.isClosed()) {
      await this.nc.drain().catch(() => undefined);
    }
  }
}

function safeDecode(data: Uint8Array): unknown {
  try {
    return codec.decode(data);
  } catch {
    return undefined;
  }
}

function errorReply(err: unknown): Reply {
  if (err instanceof RemoteHandlerError) return { ok: false, error: { code: err.code, reason: err.reason, message: err.message } };
  if (err instanceof MessageValidationError) return { ok: false, error: { code: err.code, message: err.message, topic: err.topic, issues: err.issues } };
  if (err instanceof ScoopError) return { ok: false, error: { code: err.code, message: err.message } };
  return { ok: false, error: { code: 'HANDLER_ERROR', reason: 'internal', message: (err as Error)?.message ?? String(err) } };
}

function replyError(topic: string, e: { code: string; reason?: string; message: string; topic?: string; issues?: string[] }): Error {
  switch (e.code) {
    case 'VALIDATION':
      return new MessageValidationError(e.topic ?? topic, e.issues ?? [e.message]);
    case 'NO_RESPONDER':
      return new NoResponderError(topic);
    case 'TIMEOUT':
      return new RequestTimeoutError(topic, 0);
    case 'HANDLER_ERROR':
      return new RemoteHandlerError(topic, e.reason ?? 'internal', stripPrefix(e.message, topic));
    default:
      return new ScoopError(e.code as ScoopError['code'], e.message);
  }
}

/** A remote RemoteHandlerError message already says "request 'x' failed (reason): ..."; keep only the cause. */
function stripPrefix(message: string, topic: string): string {
  const m = /^request '.*?' failed \(.*?\): (.*)$/s.exec(message);
  return m ? m[1] : message.replace(`request '${topic}' failed: `, '');
}

export { natsHeaders };
