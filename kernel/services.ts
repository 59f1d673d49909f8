import type { DependencyContainer } from 'tsyringe';
import { ServiceUnavailableError } from '../sdk/errors';
import { serviceInjectionToken, type ServiceToken } from '../sdk/service';
import { LocalTransport, type BusTransport } from './bus/transport';

interface Entry {
  token: ServiceToken<any>;
  owner: string;
  container?: DependencyContainer;
  /** True while the provider is being reloaded or restarted: calls wait. */
  swapping: boolean;
  waiters: { resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[];
}

/**
 * Which plugin provides which service, and the handles other plugins call them through.
 *
 * Implementations live in their provider's child container (tsyringe), registered under
 * the token's name. A consumer never holds the implementation itself but a handle whose
 * every method call looks up the current provider: after a reload the same handle reaches
 * the new version, and calls made during the swap wait for it (up to `waitMs`) instead of
 * failing or reaching a stopped instance.
 */
export class ServiceDirectory {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly waitMs: number,
    private readonly transport: BusTransport = new LocalTransport(),
  ) {}

  provide(owner: string, container: DependencyContainer, token: ServiceToken<any>, impl: object): void {
    const existing = this.entries.get(token.name);
    if (existing && existing.owner !== owner && existing.container) {
      throw new Error(`service '${token.name}' is already provided by '${existing.owner}'`);
    }
    container.registerInstance(serviceInjectionToken(token), impl);
    const entry: Entry = existing ?? { token, owner, swapping: false, waiters: [] };
    entry.owner = owner;
    entry.container = container;
    entry.swapping = false;
    this.entries.set(token.name, entry);
    // Distributed mode: other kernels reach this implementation through the transport.
    if (this.transport.remote) this.transport.serveService(token.name, (method, args) => this.call(token, method, args));
    const waiters = entry.waiters;
    entry.waiters = [];
    for (const w of waiters) {
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  /** Holds calls to an owner's services while it is swapped (reload, restart). */
  beginSwap(owner: string): void {
    for (const e of this.entries.values()) if (e.owner === owner) {
      e.swapping = true;
      e.container = undefined;
    }
  }

  /**
   * Ends a swap: services the new instance did not provide again are withdrawn, and calls
   * waiting for them fail with a clear reason.
   */
  endSwap(owner: string): void {
    for (const [name, e] of this.entries) {
      if (e.owner === owner && e.swapping) {
        this.entries.delete(name);
        this.transport.unserveService(name);
        this.failWaiters(e, `its provider '${owner}' no longer provides it`);
      }
    }
  }

  /** Removes an owner's services (plugin stopped or failed). */
  withdraw(owner: string, reason: string): void {
    for (const [name, e] of this.entries) {
      if (e.owner === owner) {
        this.entries.delete(name);
        this.transport.unserveService(name);
        this.failWaiters(e, reason);
      }
    }
  }

  private failWaiters(e: Entry, reason: string): void {
    const waiters = e.waiters;
    e.waiters = [];
    for (const w of waiters) {
      clearTimeout(w.timer);
      w.reject(new ServiceUnavailableError(e.token.name, reason));
    }
  }

  /** Provided here (or being swapped here), or by another kernel of the cluster. */
  isProvided(name: string): boolean {
    const e = this.entries.get(name);
    return Boolean(e && (e.container || e.swapping)) || this.transport.remoteServices().has(name);
  }

  /** Provided by a plugin of this kernel. */
  isLocal(name: string): boolean {
    return this.entries.has(name);
  }

  providerOf(name: string): string | undefined {
    return this.entries.get(name)?.owner;
  }

  list(): { service: string; version: string; provider: string; state: 'ready' | 'swapping' }[] {
    return [...this.entries.values()].map((e) => ({
      service: e.token.name,
      version: e.token.version,
      provider: e.owner,
      state: e.swapping ? 'swapping' : 'ready',
    }));
  }

  /** A handle whose methods call the current implementation (see the class comment). */
  handle<I extends object>(token: ServiceToken<I>): I {
    return new Proxy({} as I, {
      get: (_target, prop) => {
        if (prop === 'then' || typeof prop === 'symbol') return undefined;
        return (...args: unknown[]) => this.call(token, prop, args);
      },
    });
  }

  private async call(token: ServiceToken<any>, method: string, args: unknown[]): Promise<unknown> {
    let e = this.entries.get(token.name);
    if (!e && this.transport.remote && this.transport.remoteServices().has(token.name)) {
      return this.transport.callService(token.name, method, args, this.waitMs);
    }
    if (!e) throw new ServiceUnavailableError(token.name, 'no plugin provides it');
    if (!e.container) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = e!.waiters.findIndex((w) => w.timer === timer);
          if (i >= 0) e!.waiters.splice(i, 1);
          reject(new ServiceUnavailableError(token.name, `its provider '${e!.owner}' did not come back within ${this.waitMs} ms`));
        }, this.waitMs);
        e!.waiters.push({ resolve, reject, timer });
      });
      e = this.entries.get(token.name)!;
    }
    const impl = e.container!.resolve<Record<string, unknown>>(serviceInjectionToken(token));
    const fn = impl[method];
    if (typeof fn !== 'function') throw new TypeError(`service '${token.name}' has no method '${method}'`);
    return (fn as (...a: unknown[]) => unknown).apply(impl, args);
  }
}
