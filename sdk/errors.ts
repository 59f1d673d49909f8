/**
 * Typed errors that cross the plugin / kernel boundary. Each carries a stable `code` so a
 * caller (or a remote kernel, once the bus is distributed) can branch on it without parsing
 * messages. All are plain data once serialized: `{ name, code, message, details }`.
 */
export type ScoopErrorCode =
  | 'VALIDATION'
  | 'TIMEOUT'
  | 'NO_RESPONDER'
  | 'HANDLER_ERROR'
  | 'QUEUE_OVERFLOW'
  | 'UNKNOWN_TOPIC'
  | 'TOPIC_VERSION'
  | 'SERVICE_UNAVAILABLE'
  | 'CONFIG'
  | 'PLUGIN'
  | 'DISPOSED';

export class ScoopError extends Error {
  constructor(
    readonly code: ScoopErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toJSON(): { name: string; code: ScoopErrorCode; message: string; details?: Record<string, unknown> } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/** A message or request failed its topic's schema at the bus boundary. */
export class MessageValidationError extends ScoopError {
  constructor(
    readonly topic: string,
    readonly issues: string[],
  ) {
    super('VALIDATION', `message on '${topic}' is invalid: ${issues.join('; ')}`, { topic, issues });
  }
}

/** No reply arrived within the request's timeout. */
export class RequestTimeoutError extends ScoopError {
  constructor(
    readonly topic: string,
    readonly timeoutMs: number,
  ) {
    super('TIMEOUT', `request '${topic}' timed out after ${timeoutMs} ms`, { topic, timeoutMs });
  }
}

/** Nobody handles this request topic. */
export class NoResponderError extends ScoopError {
  constructor(readonly topic: string) {
    super('NO_RESPONDER', `no handler for request '${topic}'`, { topic });
  }
}

/**
 * Thrown by a request handler to answer with a typed error; the requester receives a
 * `RemoteHandlerError` with the same `reason` code and message.
 */
export class ReplyError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReplyError';
  }
}

/** The handler of a request threw or answered with a `ReplyError`. */
export class RemoteHandlerError extends ScoopError {
  constructor(
    readonly topic: string,
    readonly reason: string,
    message: string,
  ) {
    super('HANDLER_ERROR', `request '${topic}' failed (${reason}): ${message}`, { topic, reason });
  }
}

/** A subscriber queue is full and its overflow policy is `error`. */
export class QueueOverflowError extends ScoopError {
  constructor(
    readonly topic: string,
    readonly subscriber: string,
    readonly capacity: number,
  ) {
    super('QUEUE_OVERFLOW', `queue of subscriber '${subscriber}' on '${topic}' is full (${capacity} messages)`, {
      topic,
      subscriber,
      capacity,
    });
  }
}

/** A required service is not provided (its provider is missing, failed or stopped). */
export class ServiceUnavailableError extends ScoopError {
  constructor(
    readonly service: string,
    reason: string,
  ) {
    super('SERVICE_UNAVAILABLE', `service '${service}' is unavailable: ${reason}`, { service });
  }
}

/** Something was used after its owner was disposed (a plugin context after stop, ...). */
export class DisposedError extends ScoopError {
  constructor(what: string) {
    super('DISPOSED', `${what} has been disposed`);
  }
}
