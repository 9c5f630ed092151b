/**
 * The whole error hierarchy. Every error the client throws on purpose is a `SakariError`;
 * callers branch with `instanceof` on the subclasses.
 *
 * No error ever holds a token, a client secret or a `Request` (whose headers carry the
 * token): errors get logged, serialized and inspected, so they keep only what is safe.
 *
 * Fields are `declare`d and set by the constructors: no class-field initializer runs first.
 */
import { parseRetryAfter } from './retry.js';

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
  declare readonly status: number;
  /** Sakari's error code, such as `CONT-001`, when the body had one. */
  declare readonly code: string | undefined;
  /** The HTTP method of the request. */
  declare readonly method: string;
  /** The request URL, without credentials. */
  declare readonly url: string;
  /** The server's request id, when it sent one. */
  declare readonly requestId: string | undefined;
  /** The parsed body, or a short excerpt of a body that was not JSON. */
  declare readonly body: unknown;
  /** How many attempts were made, retries included. */
  declare readonly attempts: number;

  constructor(details: ApiErrorDetails & { retryAfterMs?: number | undefined }) {
    super(formatMessage(details));
    // Every detail but the message (which the full one above replaces) and `retryAfterMs`
    // (a field of RateLimitError only).
    const { message: _message, retryAfterMs: _retryAfterMs, ...fields } = details;
    Object.assign(this, fields);
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
  declare readonly retryAfterMs: number | undefined;

  constructor(details: ApiErrorDetails & { retryAfterMs?: number | undefined }) {
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
  declare readonly method: string;
  /** The request URL, without credentials. */
  declare readonly url: string;
  /** How many attempts were made, retries included. */
  declare readonly attempts: number;

  constructor(
    message: string,
    details: { method: string; url: string; attempts: number; cause?: unknown },
  ) {
    const { cause, ...fields } = details;
    super(message, { cause });
    Object.assign(this, fields);
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
  declare readonly field: string;
  /** What is allowed, in words. */
  declare readonly allowed: string;
  /** The bad value as shown in the message: short, quoted, never a secret. */
  declare readonly valueText: string;

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
  declare readonly yielded: number;

  constructor(message: string, yielded: number) {
    super(message);
    this.yielded = yielded;
  }
}

/** What an answer is made of, for {@link apiError}. */
export interface Answer {
  response: Response;
  /** The request's method. */
  method: string;
  /** The body: parsed JSON, its text when it was not JSON, or undefined when none was read. */
  body?: unknown;
  /** Every secret the client has held: none of them may reach the error. */
  secrets: readonly string[];
  /** The message, when it is not Sakari's (a malformed answer). */
  message?: string;
}

/**
 * The one place that builds an API error: its class by status, Sakari's code and message from
 * the body (`{ error: { code, message } }`, or `{ code, description }`), the request id, the
 * attempts, and every secret taken out, even one a server echoes back.
 */
export function apiError({ response, method, body, secrets, message }: Answer): SakariApiError {
  let code: string | undefined;
  if (body && typeof body === 'object') {
    const err = (body as { error?: unknown }).error;
    const source = (err && typeof err === 'object' ? err : body) as Record<string, unknown>;
    if (typeof source.code === 'string') code = source.code;
    message ??= [source.message, source.description].find((m) => typeof m === 'string');
  }
  const { status, headers } = response;
  const isText = typeof body === 'string';
  const url = safeUrl(response.url);
  message ??= `${response.statusText || 'request failed'}${isText ? ` (non-JSON body: ${excerpt(body)})` : ''}`;
  if (status >= 300 && status < 400) {
    const location = headers.get('location');
    message = `redirect${location ? ` to ${safeUrl(new URL(location, url).href)}` : ''} not followed`;
  }
  const details = {
    status,
    code: code && redact(code, secrets),
    message: redact(message, secrets),
    method,
    url: redact(url, secrets),
    requestId:
      headers.get('x-request-id') ??
      headers.get('request-id') ??
      headers.get('x-amzn-requestid') ??
      undefined,
    body: redactDeep(isText ? excerpt(body) : body, secrets),
    // The transport's Response counts its attempts; any other came first time.
    attempts: (response as { attempts?: number }).attempts ?? 1,
    retryAfterMs: parseRetryAfter(headers.get('retry-after')),
  };
  const Class =
    {
      401: AuthenticationError,
      403: PermissionDeniedError,
      404: NotFoundError,
      429: RateLimitError,
    }[status] ?? (status >= 500 ? ServerError : SakariApiError);
  return new Class(details);
}

/** Replaces every secret in `text` (of 4 characters or more) with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.replaceAll(secret, '[redacted]');
  }
  return out;
}

function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  if (value === undefined) return undefined;
  const json = JSON.stringify(value);
  const clean = redact(json, secrets);
  return clean === json ? value : JSON.parse(clean);
}

/** A body shown in a message: on one line, at most 200 characters. */
export function excerpt(text: unknown): string {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat === '' ? '(empty)' : describeValue(flat, 200);
}

/** A URL safe to show: no credentials, no fragment. */
export function safeUrl(url: string): string {
  const u = parseUrl(url);
  if (!u) return url === '' ? '' : '[invalid url]';
  u.username = '';
  u.password = '';
  u.hash = '';
  return u.href;
}

/** `429 GET /v1/accounts/acc_1/messages: Too many requests (RATE-001)` */
function formatMessage(details: ApiErrorDetails): string {
  const code = details.code ? ` (${details.code})` : '';
  return `${details.status} ${details.method} ${pathOf(details.url)}: ${details.message}${code}`;
}

/** The URL `text` stands for, or undefined when it is not an absolute URL. */
export function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** The path and query of a URL, for messages; a URL that is not absolute is kept as given. */
export function pathOf(url: string): string {
  const u = parseUrl(url);
  return u ? u.pathname + u.search : url;
}

/**
 * A short, printable rendering of a value: never a megabyte of it (at most `max` characters),
 * never raw control characters.
 */
export function describeValue(value: unknown, max = 60): string {
  const type = typeof value;
  const text =
    type === 'string'
      ? JSON.stringify(value)
      : Array.isArray(value)
        ? `an array of ${value.length}`
        : value && type === 'object'
          ? 'an object'
          : type === 'function' || type === 'symbol'
            ? `a ${type}`
            : String(value); // a number, boolean, bigint, undefined or null
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
