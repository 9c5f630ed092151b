/**
 * The `fetch` beneath openapi-fetch, so every operation of the spec gets it: per attempt a fresh
 * bearer token, its own signal and a timeout that covers the body too; what failed is retried
 * when the policy (retry.ts) says it is safe. The body is read inside the attempt, so a
 * connection cut mid-body, or a JSON body cut short, is retried like any other such failure.
 */
import isNetworkError from 'is-network-error';
import type { Authorizer } from './auth.js';
import { type Chunks, readBody } from './body.js';
import {
  apiError,
  excerpt,
  parseUrl,
  pathOf,
  SakariConnectionError,
  SakariTimeoutError,
  safeUrl,
} from './errors.js';
import { jsonBody, type ParsedJson, parseJson, textOf } from './json.js';
import { NULL_BODY, SakariResponse } from './response.js';
import { type Outcome, type RetryPolicy, retryDelay, shouldRetry } from './retry.js';

/** What `onRetry` is told before each retry. Holds no secret. */
export interface RetryInfo {
  /** The attempt that failed (1 = the first). */
  attempt: number;
  /** The status of its answer, when one came. */
  status?: number;
  /** Why it failed, when no usable answer came. */
  error?: unknown;
  /** How long the transport waits before the next attempt. */
  delayMs: number;
}

/** What `onResponse` is told of each answer, once retries are done. */
export interface ResponseInfo {
  /** The request's method. */
  method: string;
  /** The URL that answered. */
  url: string;
  /** Its path, such as `/v1/accounts/acc_1/messages`. */
  path: string;
  /** HTTP status of the answer. */
  status: number;
  /**
   * The parsed JSON body; undefined when there is none or it is not JSON. It is the value the
   * caller gets too: read it, never change it.
   */
  body: unknown;
  /** The answer, for its headers; its body is the caller's to read (`body` holds it parsed). */
  response: Response;
}

export interface TransportOptions {
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  policy: RetryPolicy;
  /** Which requests carry a bearer token: all but the token exchange. */
  authorizer?: Authorizer | undefined;
  onRetry?: ((info: RetryInfo) => void) | undefined;
  onResponse?: ((info: ResponseInfo) => void) | undefined;
  /** Every secret the client has held (a list that grows as tokens are issued). */
  secrets: readonly string[];
}

/** How one call uses the transport. */
export interface CallOptions {
  /**
   * Whether the request may be repeated after the server may have acted on it. The operation
   * decides; by default its method does (GET, HEAD, OPTIONS, PUT and DELETE are).
   */
  idempotent?: boolean;
  /** Replaces the transport's `onRetry` for this call. */
  onRetry?: ((info: RetryInfo) => void) | undefined;
  /**
   * Whether a large 2xx JSON body may be parsed only when `json()` is first called: it is
   * checked to be whole at once (its structure scanned, so a body cut short is still retried),
   * and until then it waits as bytes. Unless `onResponse` is set, which needs the value.
   */
  parseLater?: boolean;
  /** Whether a large JSON body parsed in pieces keeps each element's text (`jsonWithElements()`). */
  elements?: boolean;
}

export interface Transport {
  /**
   * A `fetch` for openapi-fetch. The request's own signal is the caller's; each attempt is sent
   * with its own signal (timeout or the caller's abort) and `redirect: 'manual'` in `fetch`'s
   * second argument, which takes precedence over the request's, as `fetch` defines.
   */
  fetch(request: Request, call?: CallOptions): Promise<SakariResponse>;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const JSON_TYPE = /^\s*application\/(?:[^;\s]*\+)?json\s*(?:;|$)/i;

type Answered = {
  outcome: Outcome;
  response: SakariResponse;
  body: Chunks;
  /** What gives the value of a 2xx JSON answer's body. */
  json?: (elements?: boolean) => ParsedJson;
  /** The text of a 2xx body that is not JSON. */
  text?: string;
};
type Attempt = Answered | { outcome: Outcome; error: SakariConnectionError };

/** Builds the transport. */
export function createTransport(options: TransportOptions): Transport {
  const { policy, authorizer, secrets } = options;

  return { fetch: (request, call) => send(request, call) };

  async function send(request: Request, call?: CallOptions): Promise<SakariResponse> {
    const onRetry = call?.onRetry ?? options.onRetry;
    const idempotent = call?.idempotent ?? IDEMPOTENT_METHODS.has(request.method);
    const { signal } = request;
    let refreshed = false;

    for (let attempt = 1; ; attempt++) {
      signal.throwIfAborted();
      let token = authorizer?.token();
      if (typeof token === 'object') token = await abortable(token, signal);
      const result = await attemptOnce(request, token, attempt, signal, call);
      if ('response' in result) {
        const { response } = result;
        if (response.status === 401 && token && !refreshed && authorizer?.rejected(token)) {
          refreshed = true;
          attempt--; // a refreshed token is not a retry of a failure
          continue;
        }
      }
      // A 2xx body cut short is an error even though an answer came.
      const error =
        'error' in result
          ? result.error
          : result.text !== undefined
            ? apiError({
                response: result.response,
                method: request.method,
                secrets,
                message: `Malformed response: ${
                  'cutShort' in result.outcome && result.outcome.cutShort
                    ? 'the body is not valid JSON (cut short?)'
                    : 'the body is not JSON'
                }: ${excerpt(result.text)}`,
              })
            : undefined;
      if (
        !('response' in result && error === undefined && result.response.ok) &&
        attempt <= policy.maxRetries &&
        shouldRetry(result.outcome, idempotent)
      ) {
        const response = 'response' in result ? result.response : undefined;
        const delayMs = retryDelay(attempt, response?.headers, policy);
        onRetry?.({
          attempt,
          ...(response ? { status: response.status } : {}),
          ...(error ? { error } : {}),
          delayMs,
        });
        await sleep(delayMs, signal);
        continue;
      }
      if (error) throw error;
      const answer = result as Answered;
      options.onResponse?.(answered(request.method, answer));
      return answer.response;
    }
  }

  /** One try: an answer read in full, a failure worth describing, or a throw (a bug, an abort). */
  async function attemptOnce(
    input: Request,
    token: string | undefined,
    attempt: number,
    userSignal: AbortSignal,
    call: CallOptions | undefined,
  ): Promise<Attempt> {
    // One controller per attempt, aborted by the caller's signal or by the timeout.
    const controller = new AbortController();
    let stop = (reason?: unknown) => controller.abort(reason);
    const timer = setTimeout(() => stop(), options.timeoutMs);
    const forward = () => stop(userSignal.reason);
    userSignal.addEventListener('abort', forward, { once: true });
    if (userSignal.aborted) forward();
    // A request without a body is sent itself, with the token for the send only; one with a
    // body as a copy, since a body can be read only once.
    const sent = input.body === null ? input : input.clone();
    const previous = sent === input ? input.headers.get('Authorization') : null;
    try {
      if (token !== undefined) sent.headers.set('Authorization', `Bearer ${token}`);
      const [answer, body] = await new Promise<readonly [Response, Chunks]>((resolve, reject) => {
        // Stopping settles the attempt too, for a custom fetch that ignores the signal.
        stop = (reason) => {
          controller.abort(reason);
          reject(controller.signal.reason);
        };
        options
          .fetch(sent, { signal: controller.signal, redirect: 'manual' })
          .then(async (answer) => [answer, await readBody(answer)] as const)
          .then(resolve, reject);
      });
      const url = answer.url || input.url;
      // Every 2xx body of this API is JSON; a 204 has none.
      if (!answer.ok || NULL_BODY.has(answer.status)) {
        return {
          outcome: { status: answer.status },
          response: new SakariResponse(body, answer, url, attempt),
          body,
        };
      }
      let json: (elements?: boolean) => ParsedJson;
      try {
        json = jsonBody(body);
        if (!call?.parseLater || options.onResponse) {
          const parsed = json(call?.elements);
          json = () => parsed;
        }
      } catch {
        const saysJson = JSON_TYPE.test(answer.headers.get('content-type') ?? '');
        return {
          outcome: { status: answer.status, cutShort: saysJson },
          response: new SakariResponse(body, answer, url, attempt),
          body,
          text: textOf(body),
        };
      }
      return {
        outcome: { status: answer.status },
        response: new SakariResponse(body, answer, url, attempt, json),
        body,
        json,
      };
    } catch (error) {
      if (userSignal.aborted) throw userSignal.reason;
      const timedOut = controller.signal.aborted;
      const failure = timedOut ? 'timeout' : failureOf(error);
      // Anything else is a bug, ours or the caller's fetch: never retried, never disguised.
      if (!failure) throw error;
      const url = safeUrl(input.url);
      const details = { method: input.method, url, attempts: attempt };
      const where = `${input.method} ${pathOf(url)}`;
      return {
        outcome: { failure },
        error: timedOut
          ? new SakariTimeoutError(`${where}: timed out after ${options.timeoutMs} ms`, details)
          : new SakariConnectionError(`${where}: ${describe(error)}`, { ...details, cause: error }),
      };
    } finally {
      clearTimeout(timer);
      userSignal.removeEventListener('abort', forward);
      // Middleware that sees the request afterwards never sees the token.
      if (sent === input && token !== undefined) {
        if (previous === null) input.headers.delete('Authorization');
        else input.headers.set('Authorization', previous);
      }
    }
  }
}

/** What `onResponse` is told of an answer: a body that is not 2xx is parsed for it alone. */
function answered(method: string, { response, body: chunks, json }: Answered): ResponseInfo {
  let body = json?.().value;
  if (body === undefined && chunks.length > 0) {
    try {
      body = parseJson(chunks);
    } catch {}
  }
  const { url, status } = response;
  return { method, url, path: parseUrl(url)?.pathname ?? '', status, body, response };
}

/**
 * What a failed fetch was, by what it is: a network failure by the messages fetch
 * implementations give one (is-network-error's allowlist), and among those, a connection
 * refused or a request the implementation refuses to make at all.
 */
function failureOf(error: unknown): 'refused' | 'network' | 'blocked' | undefined {
  if (!isNetworkError(error)) return undefined;
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (code === 'ECONNREFUSED') return 'refused';
    if (message === 'bad port' || message === 'unknown scheme') return 'blocked';
    e = (e as { cause?: unknown }).cause;
  }
  return 'network';
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  // The cause's code (ECONNRESET) says most; else its message.
  const detail = [cause?.code, cause?.message].find((d) => typeof d === 'string');
  const base = (error as Error).message || 'network error';
  return detail ? `${base} (${detail})` : base;
}

/** Waits `ms`, or rejects at once with the signal's reason when it aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wait = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return abortable(wait, signal).finally(() => clearTimeout(timer));
}

/** Races a promise against a signal, so a caller can walk away from shared work (a token fetch). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
