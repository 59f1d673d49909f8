/**
 * A service token: a stable name and semantic version bound to a TypeScript interface.
 *
 * Tokens are compared by name (not object identity), so a plugin loaded twice (hot reload)
 * or running in another process still designates the same service. Service methods that
 * other modules call must return Promises and take/return plain JSON data: that is what
 * lets the kernel hold calls while a provider is being reloaded, and lets a later
 * transport put the provider in another process.
 */
export interface ServiceToken<I> {
  readonly kind: 'service';
  readonly name: string;
  readonly version: string;
  readonly description: string;
  /** Type-only marker carrying the interface. */
  readonly __interface?: I;
}

export type ServiceOf<T> = T extends ServiceToken<infer I> ? I : never;

const SERVICE_NAME = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$/;

export function defineService<I>(def: { name: string; version: string; description: string }): ServiceToken<I> {
  if (!SERVICE_NAME.test(def.name)) throw new Error(`service name '${def.name}' must be lower-case dotted tokens`);
  if (!/^\d+\.\d+\.\d+$/.test(def.version)) throw new Error(`service '${def.name}': version '${def.version}' is not MAJOR.MINOR.PATCH`);
  return Object.freeze({ kind: 'service' as const, name: def.name, version: def.version, description: def.description });
}

/** The tsyringe injection token under which a service is registered in a container. */
export function serviceInjectionToken(token: { name: string }): string {
  return `service:${token.name}`;
}
