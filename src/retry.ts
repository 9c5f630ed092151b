/**
 * The retry policy (pure functions) and the one loop that applies it: a `fetch` that sits
 * beneath openapi-fetch, so every operation of the spec gets auth, timeouts and retries.
 */
import { SakariConnectionError, SakariTimeoutError } from './errors.js';

/** Retry settings. */
export interface RetryOptions {
  /**
   * First backoff delay; each retry doubles it (with jitter), up to `maxDelayMs`.
   * @default 500
   */
  baseDelayMs?: number;
  /**
   * Longest backoff delay.
   * @default 8000
   */
  maxDelayMs?: number;
  /**
   * Longest wait a `Retry-After` header may impose; a longer one is cut to this.
   * @default 60000
   */
  maxRetryAfterMs?: number;
}

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Whether a failed attempt may be tried again. Sending a message has no idempotency key, so a
 * POST is retried only when the server certainly did not act on it: a 429, or a connection
 * refused before any byte left.
 */
export function shouldRetry(
  outcome: { status: number } | { error: unknown },
  idempotent: boolean,
): boolean {
  if ('status' in outcome) {
    return idempotent ? RETRYABLE_STATUS.has(outcome.status) : outcome.status === 429;
  }
  if (outcome.error instanceof SakariTimeoutError) return idempotent;
  if (outcome.error instanceof SakariConnectionError) {
    return idempotent || isRefused(outcome.error);
  }
  return false;
}

function isRefused(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if ((e as { code?: unknown }).code === 'ECONNREFUSED') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Milliseconds from a `Retry-After` header (seconds or an HTTP date), if it has a usable one. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Delay before retry number `attempt` (1 = first retry): the server's `Retry-After` when it
 * gave one (capped), else exponential backoff with full jitter in its upper half.
 */
export function retryDelay(
  attempt: number,
  headers: Headers | undefined,
  policy: RetryPolicy,
  random = Math.random,
): number {
  const retryAfter = parseRetryAfter(headers?.get('retry-after') ?? null);
  if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  return ceiling / 2 + (random() * ceiling) / 2;
}

/** How the transport gets and renews the bearer token; absent for the token request itself. */
export interface Authorizer {
  /** The token for the next attempt. */
  token(): Promise<string>;
  /** Called after a 401 with the token that failed; true when a fresh one is worth a retry. */
  rejected(token: string): boolean;
}

/** Observes what the transport does, for adaptive concurrency and reporting. */
export interface TransportHooks {
  onRetry?: (info: { attempt: number; status?: number; error?: unknown; delayMs: number }) => void;
}

export interface TransportOptions {
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  policy: RetryPolicy;
  /** Which requests carry a bearer token (all but the token exchange). */
  authorizer: Authorizer | undefined;
  /** Which requests are safe to repeat. */
  idempotent: (request: Request) => boolean;
  hooks?: TransportHooks;
}

// A buffered Response has no `url`; keep it, and the attempt count, beside the response.
const responseMeta = new WeakMap<Response, { attempts: number; url: string }>();

/** How many attempts produced this response (1 when it came first time). */
export function attemptsOf(response: Response): number {
  return responseMeta.get(response)?.attempts ?? 1;
}

/** The (credential-free) URL this response answered. */
export function urlOf(response: Response): string {
  return responseMeta.get(response)?.url ?? safeUrl(response.url);
}

/** URL safe to show: no credentials, no fragment. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.hash = '';
    return u.href;
  } catch {
    return '[invalid url]';
  }
}

/**
 * Builds the `fetch` openapi-fetch calls. Per attempt: a fresh token, a copy of the request,
 * a timeout that also covers reading the body. The body is read inside the attempt so that a
 * connection cut mid-body is retried like any other connection failure.
 */
export function createTransport(options: TransportOptions) {
  const { policy, authorizer } = options;

  return async function transport(input: Request, hooks = options.hooks): Promise<Response> {
    const userSignal = input.signal;
    const idempotent = options.idempotent(input);
    const method = input.method;
    const url = safeUrl(input.url);
    let reauthorized = false;

    for (let attempt = 1; ; attempt++) {
      userSignal.throwIfAborted();
      const token = authorizer ? await abortable(authorizer.token(), userSignal) : undefined;
      const outcome = await attemptOnce(input, token, attempt);

      if ('response' in outcome) {
        const { response } = outcome;
        if (
          response.status === 401 &&
          token !== undefined &&
          !reauthorized &&
          authorizer?.rejected(token)
        ) {
          reauthorized = true;
          attempt--; // a refreshed token is not a retry of a failure
          continue;
        }
        if (attempt <= policy.maxRetries && shouldRetry(response, idempotent)) {
          const delayMs = retryDelay(attempt, response.headers, policy);
          hooks?.onRetry?.({ attempt, status: response.status, delayMs });
          await sleep(delayMs, userSignal);
          continue;
        }
        responseMeta.set(response, { attempts: attempt, url });
        return response;
      }

      const { error } = outcome;
      if (attempt <= policy.maxRetries && shouldRetry({ error }, idempotent)) {
        const delayMs = retryDelay(attempt, undefined, policy);
        hooks?.onRetry?.({ attempt, error, delayMs });
        await sleep(delayMs, userSignal);
        continue;
      }
      throw error;
    }

    async function attemptOnce(
      request: Request,
      token: string | undefined,
      attempt: number,
    ): Promise<{ response: Response } | { error: unknown }> {
      const timeout = new AbortController();
      const timer = setTimeout(
        () => timeout.abort(new DOMException('attempt timed out', 'TimeoutError')),
        options.timeoutMs,
      );
      const signal = AbortSignal.any([userSignal, timeout.signal]);
      const headers = new Headers(request.headers);
      if (token !== undefined) headers.set('Authorization', `Bearer ${token}`);
      try {
        // A copy per attempt: a request body can be read only once.
        const copy = new Request(request.clone(), { headers, signal, redirect: 'manual' });
        const response = await options.fetch(copy);
        const body =
          response.status === 204 || response.status === 304 ? null : await response.arrayBuffer();
        const buffered = new Response(body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
        return { response: buffered };
      } catch (error) {
        if (userSignal.aborted) throw userSignal.reason;
        if (timeout.signal.aborted) {
          return {
            error: new SakariTimeoutError(
              `${method} ${pathOf(url)}: no complete answer within ${options.timeoutMs} ms`,
              { method, url, attempts: attempt },
            ),
          };
        }
        if (isNetworkError(error)) {
          return {
            error: new SakariConnectionError(
              `${method} ${pathOf(url)}: ${describeNetworkError(error)}`,
              {
                method,
                url,
                attempts: attempt,
                cause: error,
              },
            ),
          };
        }
        // Anything else is a bug (ours or the caller's fetch): never retried, never disguised.
        throw error;
      } finally {
        clearTimeout(timer);
      }
    }
  };
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

/** fetch signals every network failure as a TypeError (undici: "fetch failed", "terminated"). */
function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError || (error as { name?: unknown })?.name === 'TypeError';
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail = code ?? (typeof cause?.message === 'string' ? cause.message : undefined);
  const base = (error as Error).message || 'network error';
  return detail ? `${base} (${detail})` : base;
}

/** Waits `ms`, or rejects at once with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Races a promise against a signal, so a caller can walk away from shared work (a token fetch). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
