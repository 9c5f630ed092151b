/**
 * `createSakariClient`: the `messages` calls over a typed openapi-fetch client whose `fetch`
 * is the transport (auth, timeouts, retries; see transport.ts).
 */
import createClient, { type Client } from 'openapi-fetch';
import { type AuthOptions, type Authorizer, clientCredentials, staticToken } from './auth.js';
import { apiError, describeValue, SakariValidationError } from './errors.js';
import type { ParsedJson } from './json.js';
import {
  type IterateOptions,
  MAX_PAGE_SIZE,
  type MessagePageWithJson,
  type PageReader,
  type PagesOptions,
  paginate,
} from './pagination.js';
import { SakariResponse } from './response.js';
import type { RetryOptions, RetryPolicy } from './retry.js';
import {
  type CallOptions,
  createTransport,
  type ResponseInfo,
  type RetryInfo,
} from './transport.js';
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
  isObject,
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
   * The fetch implementation used for every request. It is called as `fetch(request, init)`:
   * `init.signal` (the attempt's timeout and your abort) and `init.redirect` take precedence
   * over the request's own, as in `fetch`, so pass `init` on.
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
  onRetry?: (info: RetryInfo) => void;
  /**
   * Called with each answer of the API once retries are done (not the token exchange's: it
   * holds a token), before the client reads it: to check answers against the spec
   * (`sakari-client/validate`), or to log them. What it throws reaches the caller.
   * @example
   * onResponse: (answer) => drift.check(answer, answer.body)
   */
  onResponse?: (info: ResponseInfo) => void;
}

type OnRetry = (info: RetryInfo) => void;

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
    /**
     * The pages behind `iterate`; each page's `data` holds only messages not seen before. With
     * `json: true`, each page's `json[i]` is `data[i]` as one line of JSON text.
     * @example
     * for await (const page of sakari.messages.pages({}, { concurrency: 4, json: true })) {
     *   out.write(page.json.map((line) => `${line}\n`).join(''));
     * }
     */
    pages(
      params: IterateParams | undefined,
      options: PagesOptions & { json: true },
    ): AsyncGenerator<MessagePageWithJson, void, undefined>;
    pages(
      params?: IterateParams,
      options?: PagesOptions & { json?: false },
    ): AsyncGenerator<MessagePage, void, undefined>;
    pages(
      params: IterateParams | undefined,
      options: PagesOptions,
    ): AsyncGenerator<MessagePage & { json?: string[] }, void, undefined>;
  };
  /**
   * The openapi-fetch client typed by the spec's `paths`, with the same auth, retries and
   * timeout. It returns `{ data, error, response }` as openapi-fetch does.
   */
  readonly fetcher: Client<paths>;
}

const DEFAULT_BASE_URL = 'https://api.sakari.io';
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
  const onResponse =
    o.onResponse === undefined
      ? undefined
      : checkFunction<(info: ResponseInfo) => void>('onResponse', o.onResponse);

  // Every secret this client has held, so that no error can carry one, even when a server
  // echoes it back in a body.
  const secrets: string[] = [];
  const remember = (secret: string) => {
    secrets.push(secret);
    if (secrets.length > 8) secrets.splice(1, 1); // keep the credential, drop old tokens
  };
  // What both transports (the token exchange's and the API's) share.
  const shared = { fetch: fetchImpl, timeoutMs, policy, onRetry, secrets };

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
    // A private client, without the user's middleware; a second token only replaces the first,
    // so the exchange is safe to repeat.
    const tokenFetcher = createClient<paths>({
      baseUrl,
      fetch: (request: Request) => tokenTransport.fetch(request, { idempotent: true }),
    });
    authorizer = clientCredentials(async () => {
      const body = bodyOf(
        await tokenFetcher.POST('/oauth2/token', {
          body: {
            grant_type: 'client_credentials',
            client_id: clientId,
            client_secret: clientSecret,
          },
        }),
        'POST',
        secrets,
      );
      const token = body.data.access_token;
      if (typeof token !== 'string' || token === '') {
        throw malformed(body.response, 'POST', 'no access_token', secrets);
      }
      remember(token);
      return token;
    });
  } else {
    throw new SakariValidationError('auth', o.auth, '{ token } or { clientId, clientSecret }');
  }

  const transport = createTransport({ ...shared, authorizer, onResponse });
  const fetcher = createClient<paths>({
    baseUrl,
    // openapi-fetch passes a second argument (undici's init extension) that is not ours.
    fetch: (request: Request) => transport.fetch(request),
  });
  const path = { accountId };
  // Per call: the caller's signal, and for a walk's page how the transport treats it.
  const per = (signal: AbortSignal | undefined, call?: CallOptions) => ({
    signal,
    fetch: (request: Request) => transport.fetch(request, call),
  });

  const list = async (
    params: ListMessagesParams,
    signal: AbortSignal | undefined,
  ): Promise<MessagePage> => {
    const result = await fetcher.GET(LIST_PATH, {
      params: { path, query: params },
      ...per(signal),
    });
    return pageOf(bodyOf(result, 'GET', secrets), secrets);
  };

  // A page of a walk: its body is read now and parsed when the walk reads it (pagination.ts).
  const fetchForWalk = async (
    params: ListMessagesParams,
    signal: AbortSignal,
    onPageRetry: OnRetry,
    elements: boolean,
  ): Promise<PageReader> => {
    const result = await fetcher.GET(LIST_PATH, {
      params: { path, query: params },
      parseAs: 'stream',
      ...per(signal, { onRetry: onPageRetry, parseLater: true, elements }),
    });
    const { response } = result;
    if (!response.ok) bodyOf(result, 'GET', secrets);
    return async () => {
      let parsed: ParsedJson;
      try {
        // Middleware may have put another Response in its place.
        parsed =
          elements && response instanceof SakariResponse
            ? await response.jsonWithElements()
            : { value: await response.json() };
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        throw malformed(response, 'GET', `the body is not JSON (${error.message})`, secrets);
      }
      const page = pageOf(bodyOf({ data: parsed.value, response }, 'GET', secrets), secrets);
      const texts = parsed.elements?.data;
      return { page, texts: texts?.length === page.data.length ? texts : undefined };
    };
  };

  // `iterate` hands out messages alone, so it never asks for their text.
  const walk = (params: unknown, walkOptions: unknown, forMessages: boolean) => {
    const query = checkListParams(params);
    const checked = checkIterateOptions(walkOptions);
    const json = checked.json && !forMessages;
    // Adjacent pages share a message (pagination.ts), so a page holds at least two.
    const limit = Math.max(2, query.limit ?? MAX_PAGE_SIZE);
    return paginate({
      ...checked,
      json,
      start: query.offset ?? 0,
      limit,
      fetchPage: (offset, pageSignal, onRateLimited) =>
        fetchForWalk(
          { ...query, offset, limit },
          pageSignal,
          (info) => {
            if (info.status === 429) onRateLimited();
            onRetry?.(info);
          },
          json,
        ),
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
          ...per(signalOf(requestOptions)),
        });
        return dataOf<Message>(bodyOf(result, 'GET', secrets), 'GET', secrets);
      },
      async send(body, requestOptions) {
        const result = await fetcher.POST(LIST_PATH, {
          params: { path },
          body: checkSendBody(body),
          ...per(signalOf(requestOptions)),
        });
        return dataOf<SendResult>(bodyOf(result, 'POST', secrets), 'POST', secrets);
      },
      iterate(params, iterateOptions) {
        const source = walk(params, iterateOptions, true);
        return (async function* () {
          try {
            for (;;) {
              let next: IteratorResult<MessagePage, void> | undefined = await source.next();
              if (next.done) return;
              let data: readonly Message[] | undefined = next.value.data;
              next = undefined;
              for (let i = 0; i < data.length; i++) yield data[i] as Message;
              data = undefined; // let go of the page before awaiting the next (see paginate)
            }
          } finally {
            await source.return(undefined);
          }
        })();
      },
      pages: ((params: unknown, pagesOptions: unknown) =>
        walk(params, pagesOptions, false)) as SakariClient['messages']['pages'],
    },
  };
}

function signalOf(options: unknown): AbortSignal | undefined {
  return checkSignal(checkOptionalObject('options', options).signal);
}

type Result = { data?: unknown; error?: unknown; response: Response };
type Body = { data: Record<string, unknown>; response: Response };

/** The JSON object an answer holds, or the typed error the answer amounts to. */
function bodyOf(result: Result, method: string, secrets: readonly string[]): Body {
  const { data, error, response } = result;
  if (!response.ok) throw apiError({ response, method, body: error, secrets });
  if (!isObject(data)) {
    const value = describeValue(data, 200);
    throw malformed(response, method, `not a JSON object: ${value}`, secrets);
  }
  if (data.success === false) throw apiError({ response, method, body: data, secrets });
  return { data, response };
}

/** A page of messages: Sakari's own document requires no field, and `data` is the one it needs. */
function pageOf({ data, response }: Body, secrets: readonly string[]): MessagePage {
  if (!Array.isArray(data.data)) throw malformed(response, 'GET', 'no data array', secrets);
  return data as MessagePage;
}

/** The `data` of an answer about one thing (a message, a send). */
function dataOf<T>({ data, response }: Body, method: string, secrets: readonly string[]): T {
  if (!data.data || typeof data.data !== 'object') {
    throw malformed(response, method, 'no data', secrets);
  }
  return data.data as T;
}

/** A 2xx whose body is not what the spec says. */
function malformed(response: Response, method: string, why: string, secrets: readonly string[]) {
  return apiError({ response, method, secrets, message: `Malformed response: ${why}` });
}
