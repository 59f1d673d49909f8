import { z } from 'zod';

/**
 * A typed bus topic: a dotted name, a semantic version and a zod schema of its payload.
 *
 * Payloads are plain JSON data (objects, arrays, strings, finite numbers, booleans, null):
 * `defineTopic` refuses a schema that cannot be written as JSON Schema (dates, maps,
 * functions...), so a message behaves the same on the in-process bus and over NATS.
 * Epochs therefore travel as ISO-8601 strings with their time scale named in the field.
 *
 * Payload objects should be plain `z.object` (unknown fields stripped), not `.strict()`:
 * a publisher on a newer minor version may add optional fields, and subscribers built
 * against the older minor must still accept its messages (semver within a major).
 *
 * `durable` marks topics whose messages must not be lost when a consumer is down (alerts,
 * CDMs, products); the distributed transport keeps them in a persistent stream.
 */
export interface Topic<T> {
  readonly kind: 'topic';
  readonly name: string;
  readonly version: string;
  readonly schema: z.ZodType<T>;
  readonly durable: boolean;
  readonly description: string;
  /** Type-only marker: `Payload<typeof MyTopic>` gives the payload type. */
  readonly __payload?: T;
}

export type Payload<TT> = TT extends Topic<infer T> ? T : never;

/** Topic names: lower-case dotted tokens, e.g. `conjunction.detected`. */
export const TOPIC_NAME = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$/;
const SEMVER = /^\d+\.\d+\.\d+$/;

export function assertJsonSchemaRepresentable(what: string, schema: z.ZodType): void {
  try {
    z.toJSONSchema(schema, { unrepresentable: 'throw', io: 'input' });
  } catch (err) {
    throw new Error(`${what}: schema is not plain JSON data (${(err as Error).message})`, { cause: err });
  }
}

export function defineTopic<S extends z.ZodType>(def: {
  name: string;
  version: string;
  schema: S;
  description: string;
  durable?: boolean;
}): Topic<z.output<S>> {
  if (!TOPIC_NAME.test(def.name)) throw new Error(`topic name '${def.name}' must be lower-case dotted tokens`);
  if (!SEMVER.test(def.version)) throw new Error(`topic '${def.name}': version '${def.version}' is not MAJOR.MINOR.PATCH`);
  assertJsonSchemaRepresentable(`topic '${def.name}'`, def.schema);
  return Object.freeze({
    kind: 'topic' as const,
    name: def.name,
    version: def.version,
    schema: def.schema as unknown as z.ZodType<z.output<S>>,
    durable: def.durable ?? false,
    description: def.description,
  });
}

/**
 * A typed request/reply endpoint: the request and the reply each have a schema. A handler
 * answers with a value matching `response`, or throws `ReplyError(reason, message)`.
 */
export interface RequestTopic<Req, Res> {
  readonly kind: 'request';
  readonly name: string;
  readonly version: string;
  readonly request: z.ZodType<Req>;
  readonly response: z.ZodType<Res>;
  readonly description: string;
  readonly __types?: { req: Req; res: Res };
}

export function defineRequest<Q extends z.ZodType, R extends z.ZodType>(def: {
  name: string;
  version: string;
  request: Q;
  response: R;
  description: string;
}): RequestTopic<z.output<Q>, z.output<R>> {
  if (!TOPIC_NAME.test(def.name)) throw new Error(`request name '${def.name}' must be lower-case dotted tokens`);
  if (!SEMVER.test(def.version)) throw new Error(`request '${def.name}': version '${def.version}' is not MAJOR.MINOR.PATCH`);
  assertJsonSchemaRepresentable(`request '${def.name}' (request)`, def.request);
  assertJsonSchemaRepresentable(`request '${def.name}' (response)`, def.response);
  return Object.freeze({
    kind: 'request' as const,
    name: def.name,
    version: def.version,
    request: def.request as unknown as z.ZodType<z.output<Q>>,
    response: def.response as unknown as z.ZodType<z.output<R>>,
    description: def.description,
  });
}

/** Formats zod issues as `path: message` strings, the form every bus and config error uses. */
export function formatZodIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const p = i.path.length ? i.path.map(String).join('.') : '(root)';
    return `${p}: ${i.message}`;
  });
}
