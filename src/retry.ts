/**
 * The retry policy (pure functions) and the one loop that applies it: a `fetch` that sits
 * beneath openapi-fetch, so every operation of the spec gets auth, timeouts and retries.
 */
import {
  apiErrorFor,
  parseUrl,
  pathOf,
  SakariConnectionError,
  SakariTimeoutError,
} from './errors.js';

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
 * What one attempt came to: an answer, by its status (`invalidJson` when it was a 2xx that said
 * JSON but whose body does not parse), or an error and no answer.
 */
export type AttemptOutcome = { status: number; invalidJson?: boolean } | { error: unknown };

/**
 * Whether a failed attempt may be tried again. Sending a message has no idempotency key, so a
 * POST is retried only when the server certainly did not act on it: a 429, or a connection
 * refused before any byte left.
 */
export function shouldRetry(outcome: AttemptOutcome, idempotent: boolean): boolean {
  if ('status' in outcome) {
    // A body cut short that still ended cleanly is a transport fault, like a 5xx.
    if (outcome.invalidJson) return idempotent;
    return idempotent ? RETRYABLE_STATUS.has(outcome.status) : outcome.status === 429;
  }
  // A timeout is a connection error too, and never a refused one: retried only when idempotent.
  return outcome.error instanceof SakariConnectionError && (idempotent || isRefused(outcome.error));
}

/**
 * The requests that are safe to repeat: reads, and the token exchange, which creates nothing
 * (a second token just replaces the first).
 */
function isIdempotent(request: Request): boolean {
  return (
    request.method === 'GET' || request.method === 'HEAD' || request.url.endsWith('/oauth2/token')
  );
}

function isRefused(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if ((e as { code?: unknown }).code === 'ECONNREFUSED') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Milliseconds from a `Retry-After` header (seconds or an HTTP date), if it has a usable one. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  const text = value?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text); // NaN for no header, or no date
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
  const retryAfter = parseRetryAfter(headers?.get('retry-after'));
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
  /**
   * Called before each retry with the status of the answer, or the error when none came; a
   * 2xx whose JSON body was cut short has both (the error says so).
   */
  onRetry?: (info: { attempt: number; status?: number; error?: unknown; delayMs: number }) => void;
}

/**
 * How one call uses the transport, given by a caller that takes the body with `takeBody`; its
 * `onRetry` replaces the transport's for this call.
 */
export interface TransportCall extends TransportHooks {
  /**
   * Nothing will read the body of a 200: the caller uses `takeBody`, and no one else sees
   * the Response. It then gets none, which spares copying the bytes into a stream for it.
   */
  bodyUnread?: boolean;
}

export interface TransportOptions extends TransportHooks {
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  policy: RetryPolicy;
  /** Which requests carry a bearer token (all but the token exchange). */
  authorizer?: Authorizer | undefined;
}

/**
 * The body the transport read, for its caller: its bytes (null when there was none), or the
 * value it parsed them into when it checked the JSON.
 */
export type ReadBody = { bytes: Uint8Array | null } | { json: unknown };

interface ResponseMeta {
  attempts: number;
  /** The request URL as sent; made safe to show only when shown. */
  url: string;
  /** The body the transport read: its caller need not read or parse the copy again. */
  body: ReadBody;
}

const NO_BODY: ReadBody = { bytes: null };

// A buffered Response has no `url`; keep it, the attempt count and the body beside the response.
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
 * The body of a response the transport returned, undefined for any other response. Using it
 * spares a second pass over the body (stream, copy, decode, parse). It is handed over once
 * (then no bytes): a WeakMap's entries go only with a full collection, and a body left in one
 * would outlive its page by far (a page is ~800 kB).
 */
export function takeBody(response: Response): ReadBody | undefined {
  const meta = responseMeta.get(response);
  const body = meta?.body;
  if (meta) meta.body = NO_BODY;
  return body;
}

/** Whether a response's `content-type` says JSON (`application/json` or a `+json` type). */
export function saysJson(headers: Headers): boolean {
  return /^\s*application\/(?:[^;\s]*\+)?json\s*(?:;|$)/i.test(headers.get('content-type') ?? '');
}

// As `Response.text()` decodes: a BOM dropped, bad sequences replaced.
const utf8 = new TextDecoder();

/** What a 2xx whose JSON body does not parse amounts to, in `onRetry` and in errors. */
export const INVALID_JSON = 'the body is not valid JSON (cut short?)';

/** URL safe to show: no credentials, no fragment. */
export function safeUrl(url: string): string {
  const u = parseUrl(url);
  if (!u) return '[invalid url]';
  u.username = '';
  u.password = '';
  u.hash = '';
  return u.href;
}

/**
 * Builds the `fetch` openapi-fetch calls. Per attempt: a fresh token, a copy of the request,
 * a timeout that also covers reading the body. The body is read inside the attempt so that a
 * connection cut mid-body is retried like any other connection failure, and so is a body cut
 * short that still ended cleanly: a safe request's JSON answer is parsed inside the attempt.
 */
export function createTransport(options: TransportOptions) {
  const { policy, authorizer } = options;

  return async function transport(input: Request, call?: TransportCall): Promise<Response> {
    const onRetry = call?.onRetry ?? options.onRetry;
    const userSignal = input.signal;
    const idempotent = isIdempotent(input);
    const method = input.method;
    let reauthorized = false;

    for (let attempt = 1; ; attempt++) {
      userSignal.throwIfAborted();
      const token = authorizer ? await abortable(authorizer.token(), userSignal) : undefined;
      const outcome = await attemptOnce(token, attempt);
      const response = 'response' in outcome ? outcome.response : undefined;
      if (
        response?.status === 401 &&
        token !== undefined &&
        !reauthorized &&
        authorizer?.rejected(token)
      ) {
        reauthorized = true;
        attempt--; // a refreshed token is not a retry of a failure
        continue;
      }
      // What went wrong, as `shouldRetry` sees it: a status or an error.
      const failure: AttemptOutcome =
        'response' in outcome
          ? { status: outcome.response.status, invalidJson: outcome.invalidJson }
          : outcome;
      if (attempt <= policy.maxRetries && shouldRetry(failure, idempotent)) {
        const delayMs = retryDelay(attempt, response?.headers, policy);
        onRetry?.({ attempt, ...reported(failure, attempt), delayMs });
        await sleep(delayMs, userSignal);
        continue;
      }
      if (!response) throw (failure as { error: unknown }).error;
      return response;
    }

    /** What `onRetry` hears: the status, the error, or both when a 2xx's JSON was cut short. */
    function reported(failure: AttemptOutcome, attempts: number) {
      if ('error' in failure) return { error: failure.error };
      if (!failure.invalidJson) return { status: failure.status };
      const error = apiErrorFor({
        status: failure.status,
        code: undefined,
        message: `Malformed response: ${INVALID_JSON}`,
        method,
        url: safeUrl(input.url),
        requestId: undefined,
        body: undefined,
        attempts,
      });
      return { status: failure.status, error };
    }

    async function attemptOnce(
      token: string | undefined,
      attempt: number,
    ): Promise<{ response: Response; invalidJson: boolean } | { error: unknown }> {
      const headers = new Headers(input.headers);
      if (token !== undefined) headers.set('Authorization', `Bearer ${token}`);
      // One controller per attempt, aborted by the caller's signal or by the timeout. (Cheaper
      // than AbortSignal.any, which costs a WeakRef and a finalizer per signal.)
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), options.timeoutMs);
      const forward = () => controller.abort(userSignal.reason);
      userSignal.addEventListener('abort', forward, { once: true });
      if (userSignal.aborted) forward();
      try {
        // A copy per attempt: a request body can be read only once (a GET has none to spare).
        const source = input.body === null ? input : input.clone();
        const copy = new Request(source, {
          headers,
          signal: controller.signal,
          redirect: 'manual',
        });
        const response = await options.fetch(copy);
        const bytes = await bytesOf(response);
        // Only a 200: it may carry a body either way (a 205 with one must still fail here).
        const unread = call?.bodyUnread === true && response.status === 200;
        let body: ReadBody = { bytes };
        let invalidJson = false;
        // Parsed once, here and not by the caller: a page is ~800 kB.
        if (idempotent && response.ok && bytes !== null && saysJson(response.headers)) {
          try {
            const json: unknown = JSON.parse(utf8.decode(bytes));
            // Kept only for a caller that takes it; the typed fetcher's users read the Response.
            if (call) body = { json };
          } catch {
            invalidJson = true; // the bytes stay, for the caller's error
          }
        }
        const meta = { attempts: attempt, url: input.url, body };
        return { response: buffered(response, bytes, meta, unread), invalidJson };
      } catch (error) {
        if (userSignal.aborted) throw userSignal.reason;
        // Not the caller's abort: then an aborted attempt is one that timed out.
        const timedOut = controller.signal.aborted;
        // Anything but a timeout or a network failure is a bug (ours or the caller's fetch):
        // never retried, never disguised.
        if (!timedOut && !isNetworkError(error)) throw error;
        const url = safeUrl(input.url);
        const details = { method, url, attempts: attempt };
        return {
          error: timedOut
            ? new SakariTimeoutError(
                `${method} ${pathOf(url)}: timed out after ${options.timeoutMs} ms`,
                details,
              )
            : new SakariConnectionError(
                `${method} ${pathOf(url)}: ${describeNetworkError(error)}`,
                {
                  ...details,
                  cause: error,
                },
              ),
        };
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
 * a used body, a chunk that is not bytes, a stream cut or aborted midway. Null when there is no
 * body at all (a 204 or 304 always, which a Response copy may not be given even empty bytes).
 */
async function bytesOf(response: Response): Promise<Uint8Array | null> {
  if (response.bodyUsed) throw new TypeError('Body has already been read');
  if (response.body === null) return null;
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
 * A Response over bytes already read, whose body (`meta.body`) is kept for `takeBody`: with a
 * copy of the bytes as its body, or with none when no one will read it (`unread`), which spares
 * the copy and the stream a body costs.
 */
function buffered(
  response: Response,
  bytes: Uint8Array | null,
  meta: ResponseMeta,
  unread: boolean,
): Response {
  const copy = new Response(unread ? null : (bytes as BodyInit | null), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  responseMeta.set(copy, meta);
  return copy;
}

/** fetch signals every network failure as a TypeError (undici: "fetch failed", "terminated"). */
function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError || (error as { name?: unknown })?.name === 'TypeError';
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  // The cause's code (ECONNRESET) says most; else its message.
  const detail = [cause?.code, cause?.message].find((d) => typeof d === 'string');
  const base = (error as Error).message || 'network error';
  return detail ? `${base} (${detail})` : base;
}

/** Waits `ms`, or rejects at once with the signal's reason when it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wait = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return abortable(wait, signal).finally(() => clearTimeout(timer));
}

/** Races a promise against a signal, so a caller can walk away from shared work (a token fetch). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
