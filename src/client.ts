/**
 * `createSakariClient`: the `messages` calls over a typed openapi-fetch client whose `fetch`
 * is our transport (auth, timeouts, retries; see retry.ts).
 */
import createClient, { type Client } from 'openapi-fetch';
import { type AuthOptions, clientCredentials, staticToken } from './auth.js';
import {
  apiErrorFor,
  describeValue,
  type SakariApiError,
  SakariValidationError,
} from './errors.js';
import { type IterateOptions, paginate } from './pagination.js';
import {
  type Authorizer,
  attemptsOf,
  createTransport,
  INVALID_JSON,
  parseRetryAfter,
  type RetryOptions,
  type RetryPolicy,
  safeUrl,
  saysJson,
  type TransportHooks,
  takeBody,
  urlOf,
} from './retry.js';
import type {
  ListMessagesParams,
  Message,
  MessagePage,
  paths,
  SendMessagesRequest,
  SendResult,
} from './types.js';
import {
  checkBaseUrl,
  checkFunction,
  checkId,
  checkIterateOptions,
  checkListParams,
  checkOptionalInteger,
  checkOptionalObject,
  checkSecret,
  checkSendBody,
  checkSignal,
} from './validate.js';

/** Options of `createSakariClient`. */
export interface SakariClientOptions {
  /** The Sakari account whose messages are addressed. */
  accountId: string;
  /** A bearer token, or client credentials exchanged for tokens as needed. */
  auth: AuthOptions;
  /**
   * Origin of the API. Must be https, except for a server on this machine (loopback).
   * @default 'https://api.sakari.io'
   */
  baseUrl?: string;
  /**
   * The fetch implementation used for every request.
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
  /**
   * How long one attempt may take, body included, before it is abandoned (and retried when safe).
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * How many times a failed request that is safe to repeat is tried again.
   * @default 2
   */
  maxRetries?: number;
  /** Backoff settings. */
  retry?: RetryOptions;
  /** Called before each retry: for logging and metrics. Receives no secret. */
  onRetry?: TransportHooks['onRetry'];
}

type OnRetry = TransportHooks['onRetry'];

/** Options every call accepts. */
export interface RequestOptions {
  /** Aborts the call, including a backoff wait between retries. */
  signal?: AbortSignal;
}

/** Parameters of `iterate` and `pages`: the list filters plus where to start and the page size. */
export type IterateParams = ListMessagesParams;

/** The client returned by `createSakariClient`. */
export interface SakariClient {
  /** The account this client addresses. */
  readonly accountId: string;
  /** The messages of the account. */
  readonly messages: {
    /** One page of messages: `{ success, pagination, data }`. */
    list(params?: ListMessagesParams, options?: RequestOptions): Promise<MessagePage>;
    /** One message by id. */
    get(messageId: string, options?: RequestOptions): Promise<Message>;
    /**
     * Sends a message to each recipient. Never retried once the server may have received it
     * (Sakari has no idempotency key); a 429 or a refused connection is retried. Refused before
     * any request only when certainly wrong (no recipient, nothing to send, a wrong JSON type,
     * a blank text); Sakari judges the rest, and its 400 becomes a `SakariApiError`.
     */
    send(body: SendMessagesRequest, options?: RequestOptions): Promise<SendResult>;
    /**
     * Every message of the list, in server order, each at most once, fetching up to
     * `concurrency` pages ahead. Page size is `params.limit` (default 100; at least 2, as
     * adjacent pages overlap by one message).
     * @example
     * for await (const m of sakari.messages.iterate({ conversationId }, { concurrency: 4 })) {}
     */
    iterate(
      params?: IterateParams,
      options?: IterateOptions,
    ): AsyncGenerator<Message, void, undefined>;
    /** The pages behind `iterate`; each page's `data` holds only messages not seen before. */
    pages(
      params?: IterateParams,
      options?: IterateOptions,
    ): AsyncGenerator<MessagePage, void, undefined>;
  };
  /**
   * The openapi-fetch client typed by the spec's `paths`, with the same auth, retries and
   * timeout. It returns `{ data, error, response }` as openapi-fetch does.
   */
  readonly fetcher: Client<paths>;
}

const DEFAULT_BASE_URL = 'https://api.sakari.io';
const ITERATE_PAGE_SIZE = 100;
const EXCERPT_LENGTH = 200;
const LIST_PATH = '/v1/accounts/{accountId}/messages';
const MESSAGE_PATH = '/v1/accounts/{accountId}/messages/{messageId}';

/**
 * Creates a client for one Sakari account.
 * @example
 * const sakari = createSakariClient({ accountId, auth: { clientId, clientSecret } });
 * const page = await sakari.messages.list({ limit: 50 });
 */
export function createSakariClient(options: SakariClientOptions): SakariClient {
  const o = checkOptionalObject('options', options);
  const accountId = checkId('accountId', o.accountId);
  const baseUrl = checkBaseUrl(o.baseUrl ?? DEFAULT_BASE_URL);
  const fetchImpl = checkFunction<typeof globalThis.fetch>('fetch', o.fetch ?? globalThis.fetch);
  const timeoutMs = checkOptionalInteger('timeoutMs', o.timeoutMs, 1, 600_000) ?? 30_000;
  const retry = checkOptionalObject('retry', o.retry);
  const policy: RetryPolicy = {
    maxRetries: checkOptionalInteger('maxRetries', o.maxRetries, 0, 10) ?? 2,
    baseDelayMs: checkOptionalInteger('retry.baseDelayMs', retry.baseDelayMs, 0, 60_000) ?? 500,
    maxDelayMs: checkOptionalInteger('retry.maxDelayMs', retry.maxDelayMs, 0, 300_000) ?? 8_000,
    maxRetryAfterMs:
      checkOptionalInteger('retry.maxRetryAfterMs', retry.maxRetryAfterMs, 0, 3_600_000) ?? 60_000,
  };
  const onRetry =
    o.onRetry === undefined ? undefined : checkFunction<OnRetry>('onRetry', o.onRetry);
  // What both transports (the token exchange's and the API's) share.
  const shared = { fetch: fetchImpl, timeoutMs, policy, onRetry };

  // Every secret this client has held, so that no error can carry one, even when a server
  // echoes it back in a body.
  const secrets: string[] = [];
  const remember = (secret: string) => {
    secrets.push(secret);
    if (secrets.length > 8) secrets.splice(1, 1); // keep the credential, drop old tokens
  };

  const auth = checkOptionalObject('auth', o.auth);
  let authorizer: Authorizer;
  if ('token' in auth) {
    const token = checkSecret('auth.token', auth.token);
    remember(token);
    authorizer = staticToken(token);
  } else if ('clientId' in auth || 'clientSecret' in auth) {
    const clientId = checkSecret('auth.clientId', auth.clientId);
    const clientSecret = checkSecret('auth.clientSecret', auth.clientSecret);
    remember(clientSecret);
    const tokenTransport = createTransport(shared);
    // A private client: no middleware, and `readBody` takes the body the transport kept.
    const tokenFetcher = createClient<paths>({
      baseUrl,
      fetch: ((request: Request) =>
        tokenTransport(request, { bodyUnread: true })) as typeof globalThis.fetch,
    });
    authorizer = clientCredentials(async () => {
      const result = await tokenFetcher.POST('/oauth2/token', {
        body: {
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        },
        parseAs: 'stream',
      });
      const body = await readBody<{ access_token?: unknown }>(result, 'POST', secrets);
      if (typeof body.access_token !== 'string' || body.access_token === '') {
        throw malformed(result.response, 'POST', 'no access_token', secrets);
      }
      remember(body.access_token);
      return body.access_token;
    });
  } else {
    throw new SakariValidationError('auth', o.auth, '{ token } or { clientId, clientSecret }');
  }

  const transport = createTransport({ ...shared, authorizer });
  const fetcher = createClient<paths>({
    baseUrl,
    // openapi-fetch passes a second argument (undici's init extension) that is not ours.
    fetch: ((request: Request) => transport(request)) as typeof globalThis.fetch,
  });
  const path = { accountId };
  // Middleware added with `fetcher.use` sees the Response of every call, the messages calls'
  // too. Until some is added, only `readBody` looks at their Responses, and it takes the body the
  // transport kept: the transport may then skip giving those Responses a readable body.
  let middleware = false;
  const use = fetcher.use;
  fetcher.use = (...added) => {
    middleware = true;
    use(...added);
  };
  // The options of every messages call: openapi-fetch hands the body over unread, as a stream,
  // and `readBody` parses it.
  const streamed = (signal: AbortSignal | undefined, pageOnRetry?: OnRetry) => ({
    parseAs: 'stream' as const,
    signal,
    fetch: (request: Request) =>
      transport(request, { onRetry: pageOnRetry, bodyUnread: !middleware }),
  });

  const list = async (
    params: ListMessagesParams,
    signal: AbortSignal | undefined,
    pageOnRetry?: OnRetry,
  ): Promise<MessagePage> => {
    const result = await fetcher.GET(LIST_PATH, {
      params: { path, query: params },
      ...streamed(signal, pageOnRetry),
    });
    const page = await readBody<MessagePage>(result, 'GET', secrets);
    // Sakari's own document requires no field; `data` is the one a page cannot do without.
    if (!Array.isArray(page.data)) {
      throw malformed(result.response, 'GET', 'no data array', secrets);
    }
    return page;
  };

  const pages = (params: unknown, iterateOptions: unknown) => {
    const query = checkListParams(params);
    // Adjacent pages share a message (pagination.ts), so a page holds at least two.
    const limit = Math.max(2, query.limit ?? ITERATE_PAGE_SIZE);
    return paginate({
      ...checkIterateOptions(iterateOptions),
      start: query.offset ?? 0,
      limit,
      fetchPage: (offset, pageSignal, onRateLimited) =>
        list({ ...query, offset, limit }, pageSignal, (info) => {
          if (info.status === 429) onRateLimited();
          onRetry?.(info);
        }),
    });
  };

  return {
    accountId,
    fetcher,
    messages: {
      async list(params, requestOptions) {
        return list(checkListParams(params), signalOf(requestOptions));
      },
      async get(messageId, requestOptions) {
        const result = await fetcher.GET(MESSAGE_PATH, {
          params: { path: { accountId, messageId: checkId('messageId', messageId) } },
          ...streamed(signalOf(requestOptions)),
        });
        return dataOf<Message>(result, 'GET', secrets);
      },
      async send(body, requestOptions) {
        const result = await fetcher.POST(LIST_PATH, {
          params: { path },
          body: checkSendBody(body),
          ...streamed(signalOf(requestOptions)),
        });
        return dataOf<SendResult>(result, 'POST', secrets);
      },
      iterate(params, iterateOptions) {
        const source = pages(params, iterateOptions);
        return (async function* () {
          for await (const page of source) yield* page.data;
        })();
      },
      pages,
    },
  };
}

function signalOf(options: unknown): AbortSignal | undefined {
  return checkSignal(checkOptionalObject('options', options).signal);
}

type StreamResult = { data?: unknown; error?: unknown; response: Response };

const utf8 = new TextDecoder();

/**
 * Parses an answer into its JSON body, or throws the typed error it amounts to. The calls ask
 * openapi-fetch for the body as a stream, which it hands over unread; the body comes from the
 * transport, which read it (and parsed it, for a safe request that said JSON). Bytes are decoded
 * as `Response.text()` would (BOM dropped, bad sequences replaced), so a body is read, copied,
 * decoded and parsed once, as a bare `res.json()` does.
 */
async function readBody<T>(
  result: StreamResult,
  method: string,
  secrets: readonly string[],
): Promise<T> {
  const { response } = result;
  if (!response.ok) throw apiError(response, method, secrets, result.error);
  const read = takeBody(response);
  let body: unknown;
  if (read && 'json' in read) body = read.json;
  else {
    let text: string;
    if (read) text = read.bytes === null ? '' : utf8.decode(read.bytes);
    // A Response that middleware put in place: its body is still unread, as openapi-fetch left it.
    else text = result.data === undefined ? '' : await response.text();
    try {
      body = JSON.parse(text);
    } catch {
      const why = saysJson(response.headers) ? INVALID_JSON : 'the body is not JSON';
      throw malformed(response, method, `${why}: ${excerpt(text)}`, secrets);
    }
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    const value = describeValue(body, EXCERPT_LENGTH);
    throw malformed(response, method, `not a JSON object: ${value}`, secrets);
  }
  if ((body as { success?: unknown }).success === false) {
    throw apiError(response, method, secrets, body);
  }
  return body as T;
}

/** The `data` of an answer about one thing (a message, a send). */
async function dataOf<T>(
  result: StreamResult,
  method: string,
  secrets: readonly string[],
): Promise<T> {
  const { data } = await readBody<{ data?: T }>(result, method, secrets);
  if (!data || typeof data !== 'object') {
    throw malformed(result.response, method, 'no data', secrets);
  }
  return data;
}

/**
 * The typed error an answer amounts to, with every secret the client has held taken out. Its
 * message is Sakari's, from the body, else `message`, else the status text.
 */
function apiError(
  response: Response,
  method: string,
  secrets: readonly string[],
  body: unknown,
  message?: string,
): SakariApiError {
  let code: string | undefined;
  if (body && typeof body === 'object') {
    const err = (body as { error?: unknown }).error;
    const source = (err && typeof err === 'object' ? err : body) as Record<string, unknown>;
    if (typeof source.code === 'string') code = source.code;
    message = [source.message, source.description].find((m) => typeof m === 'string') ?? message;
  }
  const isText = typeof body === 'string';
  const status = response.statusText || 'request failed';
  message ??= isText ? `${status} (non-JSON body: ${excerpt(body)})` : status;
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get('location');
    message = `redirect${location ? ` to ${safeUrl(new URL(location, urlOf(response)).href)}` : ''} not followed`;
  }
  return apiErrorFor({
    status: response.status,
    code: code && redact(code, secrets),
    message: redact(message, secrets),
    method,
    url: redact(urlOf(response), secrets),
    requestId:
      response.headers.get('x-request-id') ??
      response.headers.get('request-id') ??
      response.headers.get('x-amzn-requestid') ??
      undefined,
    body: redactDeep(isText ? excerpt(body) : body, secrets),
    attempts: attemptsOf(response),
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  });
}

/** A 2xx whose body is not what the spec says. */
function malformed(
  response: Response,
  method: string,
  why: string,
  secrets: readonly string[],
): SakariApiError {
  return apiError(response, method, secrets, undefined, `Malformed response: ${why}`);
}

function excerpt(text: unknown): string {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat === '' ? '(empty)' : describeValue(flat, EXCERPT_LENGTH);
}

function redact(text: string, secrets: readonly string[]): string {
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
