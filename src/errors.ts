/**
 * The whole error hierarchy. Every error the client throws on purpose is a `SakariError`;
 * callers branch with `instanceof` on the subclasses.
 *
 * No error ever holds a token, a client secret or a `Request` (whose headers carry the
 * token): errors get logged, serialized and inspected, so they keep only what is safe.
 */

/** Root of every error thrown by this package. */
export class SakariError extends Error {
  override name: string = 'SakariError';
}

/** What a failed HTTP exchange tells us; shared by the API error and its subclasses. */
export interface ApiErrorDetails {
  /** HTTP status of the answer. */
  status: number;
  /** Sakari's error code, such as `CONT-001`, when the body had one. */
  code: string | undefined;
  /** Sakari's message, or a short description of what came back. */
  message: string;
  /** The HTTP method of the request. */
  method: string;
  /** The request URL, without credentials. */
  url: string;
  /** The server's request id, when it sent one. */
  requestId: string | undefined;
  /** The parsed body (or a short text excerpt when it was not JSON). */
  body: unknown;
  /** How many attempts were made, retries included. */
  attempts: number;
}

/** Sakari answered, but not with success: a 4xx or 5xx, or a 200 whose body says `success: false`. */
export class SakariApiError extends SakariError {
  override name: string = 'SakariApiError';
  /** HTTP status of the answer. */
  readonly status: number;
  /** Sakari's error code, such as `CONT-001`, when the body had one. */
  readonly code: string | undefined;
  /** The HTTP method of the request. */
  readonly method: string;
  /** The request URL, without credentials. */
  readonly url: string;
  /** The server's request id, when it sent one. */
  readonly requestId: string | undefined;
  /** The parsed body, or a short excerpt of a body that was not JSON. */
  readonly body: unknown;
  /** How many attempts were made, retries included. */
  readonly attempts: number;

  constructor(details: ApiErrorDetails) {
    super(formatMessage(details));
    this.status = details.status;
    this.code = details.code;
    this.method = details.method;
    this.url = details.url;
    this.requestId = details.requestId;
    this.body = details.body;
    this.attempts = details.attempts;
  }
}

/** 401: the token is missing, invalid or expired, or the client credentials are wrong. */
export class AuthenticationError extends SakariApiError {
  override name = 'AuthenticationError' as const;
}

/** 403: the credentials may not use this account or operation. */
export class PermissionDeniedError extends SakariApiError {
  override name = 'PermissionDeniedError' as const;
}

/** 404: the account or the message does not exist. */
export class NotFoundError extends SakariApiError {
  override name = 'NotFoundError' as const;
}

/** 429: too many requests. */
export class RateLimitError extends SakariApiError {
  override name = 'RateLimitError' as const;
  /** How long the server asked to wait (from `Retry-After`), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(details: ApiErrorDetails & { retryAfterMs: number | undefined }) {
    super(details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** 5xx: Sakari (or a proxy in front of it) failed. */
export class ServerError extends SakariApiError {
  override name = 'ServerError' as const;
}

/** The request never got an answer: DNS, refused or reset connection, a body cut short. */
export class SakariConnectionError extends SakariError {
  override name: string = 'SakariConnectionError';
  /** The HTTP method of the request. */
  readonly method: string;
  /** The request URL, without credentials. */
  readonly url: string;
  /** How many attempts were made, retries included. */
  readonly attempts: number;

  constructor(
    message: string,
    details: { method: string; url: string; attempts: number; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.method = details.method;
    this.url = details.url;
    this.attempts = details.attempts;
  }
}

/** An attempt took longer than `timeoutMs` (and no retry was left). */
export class SakariTimeoutError extends SakariConnectionError {
  override name = 'SakariTimeoutError' as const;
}

/** Bad input found before any request was sent. */
export class SakariValidationError extends SakariError {
  override name = 'SakariValidationError' as const;
  /** The option or parameter at fault, such as `limit` or `contacts[0].mobile.number`. */
  readonly field: string;
  /** What is allowed, in words. */
  readonly allowed: string;
  /** The bad value as shown in the message: short, quoted, never a secret. */
  readonly valueText: string;

  constructor(field: string, value: unknown, allowed: string) {
    const valueText = describeValue(value);
    super(`Invalid ${field}: ${valueText} (expected ${allowed})`);
    this.field = field;
    this.allowed = allowed;
    this.valueText = valueText;
  }
}

/** The server's pages do not add up: a repeated page, or an endless run of empty pages. */
export class SakariPaginationError extends SakariError {
  override name = 'SakariPaginationError' as const;
  /** How many messages were yielded before the iteration stopped. */
  readonly yielded: number;

  constructor(message: string, yielded: number) {
    super(message);
    this.yielded = yielded;
  }
}

type ApiErrorClass = new (
  details: ApiErrorDetails & { retryAfterMs: number | undefined },
) => SakariApiError;

/** The one place that maps a status to its class. */
export function apiErrorFor(
  details: ApiErrorDetails & { retryAfterMs?: number | undefined },
): SakariApiError {
  const Class: ApiErrorClass =
    details.status === 401
      ? AuthenticationError
      : details.status === 403
        ? PermissionDeniedError
        : details.status === 404
          ? NotFoundError
          : details.status === 429
            ? RateLimitError
            : details.status >= 500
              ? ServerError
              : SakariApiError;
  return new Class({ ...details, retryAfterMs: details.retryAfterMs });
}

/** `429 GET /v1/accounts/acc_1/messages: Too many requests (RATE-001)` */
function formatMessage(details: ApiErrorDetails): string {
  let path = details.url;
  try {
    const url = new URL(details.url);
    path = url.pathname + url.search;
  } catch {
    // not absolute: keep as given
  }
  const code = details.code ? ` (${details.code})` : '';
  return `${details.status} ${details.method} ${path}: ${details.message}${code}`;
}

/** A short, printable rendering of a bad value: never a megabyte of it, never raw control characters. */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    text = String(value);
  else if (value === undefined) text = 'undefined';
  else if (value === null) text = 'null';
  else if (Array.isArray(value)) text = `an array of ${value.length}`;
  else text = typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
