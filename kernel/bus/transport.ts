import type { MessageMeta } from '../../sdk/context';

/**
 * The seam between the bus and the wire. The bus validates every message against its
 * topic's schema, owns the subscriber queues and the request handlers; a transport only
 * moves already-validated, plain-JSON payloads between kernels.
 *
 * - `local` (default): one process; nothing leaves it.
 * - `nats` (distributed mode, kernel/bus/nats.ts): topics map to subjects, requests and
 *   service calls to NATS request/reply with queue groups, durable topics to a JetStream
 *   stream. Messages arriving from the wire come back through `BusInbound`, where the bus
 *   validates them again before any subscriber sees them (a remote kernel may run another
 *   version).
 */
export interface BusInbound {
  /**
   * A message published by another kernel. Validated against the local topic schema, then
   * given only to the local subscriptions whose subject is `via` (the pattern or topic
   * name the transport's wire subscription serves), so a message matching several local
   * subjects is delivered once to each subscriber.
   */
  deliverRemote(topic: string, data: unknown, meta: MessageMeta, options: { via: string }): void;
  /** A request from another kernel for a handler registered here. */
  answerRemote(topic: string, data: unknown, timeoutMs: number): Promise<unknown>;
}

/** Delivery from a durable consumer: `ack(true)` once handled, `ack(false)` to have it redelivered. */
export type DurableDelivery = (data: unknown, meta: MessageMeta, ack: (ok: boolean) => void) => void;

/** One kernel of a distributed deployment, as announced by its heartbeats. */
export interface ClusterNode {
  node: string;
  instance: string;
  pid: number;
  host: string;
  lastSeen: string;
  plugins: { name: string; version?: string; state: string }[];
  services: string[];
}

export interface BusTransport {
  readonly name: string;
  /** True when messages may reach other kernels (so the bus forwards them). */
  readonly remote: boolean;
  start(inbound: BusInbound): Promise<void>;
  forward(topic: string, data: unknown, meta: MessageMeta, durable: boolean): void;
  /** A local subscription to `pattern` exists (on) or no longer (off). */
  interest(pattern: string, on: boolean, durableToo: boolean): void;
  /** Reads a durable topic through a named durable consumer; resolves to its release. */
  subscribeDurable(topic: string, consumer: string, deliver: DurableDelivery): Promise<() => Promise<void>>;
  /** Sends a request to a handler in another kernel; `answered: false` when nobody handles it. */
  requestRemote(topic: string, data: unknown, timeoutMs: number): Promise<{ answered: boolean; data?: unknown }>;
  /** Declares that this kernel answers `topic` (so remote requesters can reach it). */
  advertise(topic: string): void;
  withdraw(topic: string): void;
  serveService(service: string, call: (method: string, args: unknown[]) => Promise<unknown>): void;
  unserveService(service: string): void;
  callService(service: string, method: string, args: unknown[], timeoutMs: number): Promise<unknown>;
  /** Services provided by other kernels of the cluster. */
  remoteServices(): Set<string>;
  /** Other kernels of the cluster. */
  peers(): ClusterNode[];
  setLocalInfo(info: () => Omit<ClusterNode, 'instance' | 'lastSeen'>): void;
  onClusterChange(listener: () => void): void;
  close(): Promise<void>;
}

/** The in-process transport: no peers. */
export class LocalTransport implements BusTransport {
  readonly name = 'local';
  readonly remote = false;
  async start(): Promise<void> {}
  forward(): void {}
  interest(): void {}
  async subscribeDurable(): Promise<() => Promise<void>> {
    return async () => {};
  }
  async requestRemote(): Promise<{ answered: boolean }> {
    return { answered: false };
  }
  advertise(): void {}
  withdraw(): void {}
  serveService(): void {}
  unserveService(): void {}
  async callService(service: string): Promise<unknown> {
    throw new Error(`service '${service}' is not provided in this process`);
  }
  remoteServices(): Set<string> {
    return new Set();
  }
  peers(): ClusterNode[] {
    return [];
  }
  setLocalInfo(): void {}
  onClusterChange(): void {}
  async close(): Promise<void> {}
}
