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

/** How one call uses the transport. */
export interface TransportCall {
  /** Replaces the transport's hooks for this call. */
  hooks?: TransportHooks | undefined;
  /**
   * Nothing will read the body of a 200: the caller parses `bufferedBody`, and no one else sees
   * the Response. It then gets none, which spares copying the bytes into a stream for it.
   */
  bodyUnread?: boolean;
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

interface ResponseMeta {
  attempts: number;
  /** The request URL as sent; made safe to show only when shown. */
  url: string;
  /** The body the transport read: its caller can parse it without reading the copy again. */
  body: Uint8Array | null;
}

// A buffered Response has no `url`; keep it, the attempt count and the bytes beside the response.
const responseMeta = new WeakMap<Response, ResponseMeta>();

/** How many attempts produced this response (1 when it came first time). */
export function attemptsOf(response: Response): number {
  return responseMeta.get(response)?.attempts ?? 1;
}

/** The (credential-free) URL this response answered. */
export function urlOf(response: Response): string {
  return safeUrl(responseMeta.get(response)?.url ?? response.url);
}

/**
 * The body bytes of a response the transport returned (null for 204 and 304), undefined for
 * any other response. Reading them spares a second pass over the body (stream, copy, decode).
 */
export function bufferedBody(response: Response): Uint8Array | null | undefined {
  return responseMeta.get(response)?.body;
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

  return async function transport(input: Request, call?: TransportCall): Promise<Response> {
    const hooks = call?.hooks ?? options.hooks;
    const userSignal = input.signal;
    const idempotent = options.idempotent(input);
    const method = input.method;
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
        const meta = responseMeta.get(response);
        if (meta) meta.attempts = attempt;
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
      const headers = new Headers(request.headers);
      if (token !== undefined) headers.set('Authorization', `Bearer ${token}`);
      // One controller per attempt, aborted by the caller's signal or by the timeout. (Cheaper
      // than AbortSignal.any, which costs a WeakRef and a finalizer per signal.)
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new DOMException('attempt timed out', 'TimeoutError'));
      }, options.timeoutMs);
      const forward = () => controller.abort(userSignal.reason);
      userSignal.addEventListener('abort', forward, { once: true });
      if (userSignal.aborted) forward();
      try {
        // A copy per attempt: a request body can be read only once (a GET has none to spare).
        const source = request.body === null ? request : request.clone();
        const copy = new Request(source, {
          headers,
          signal: controller.signal,
          redirect: 'manual',
        });
        const response = await options.fetch(copy);
        const body =
          response.status === 204 || response.status === 304 ? null : await bytesOf(response);
        // Only a 200: it may carry a body either way (a 205 with one must still fail here).
        const unread = call?.bodyUnread === true && response.status === 200;
        return { response: buffered(response, body, request.url, unread) };
      } catch (error) {
        if (userSignal.aborted) throw userSignal.reason;
        const url = safeUrl(request.url);
        if (timedOut) {
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
        userSignal.removeEventListener('abort', forward);
      }
    }
  };
}

/**
 * The body's bytes, read as `Response.json()` reads them: the chunks, then one copy into a
 * single buffer (none for a body of one chunk). `arrayBuffer()` would copy that buffer once
 * more, some 0.5 ms per 800 kB page on a small machine (bench/, issue 8). Fails as it would:
 * a used body, a chunk that is not bytes, a stream cut or aborted midway.
 */
async function bytesOf(response: Response): Promise<Uint8Array> {
  if (response.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // Not `instanceof`: a Uint8Array from another realm is bytes too.
    if (Object.prototype.toString.call(value) !== '[object Uint8Array]') {
      throw new TypeError('Received non-Uint8Array chunk');
    }
    chunks.push(value);
    length += value.byteLength;
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * A Response over bytes already read, which are kept for `bufferedBody`: with a copy of them
 * as its body, or with none when no one will read it (`unread`), which spares the copy and the
 * stream a body costs.
 */
function buffered(
  response: Response,
  body: Uint8Array | null,
  url: string,
  unread: boolean,
): Response {
  const copy = new Response(unread ? null : (body as BodyInit | null), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  responseMeta.set(copy, { attempts: 1, url, body });
  return copy;
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
