// The client against Prism's static mock: every call it makes fits the spec (Prism validates each
// request) and gives back exactly the spec's example; every error example becomes the right
// error class; and the constraints the client checks before sending are ones Prism enforces too.
import { describe, expect, inject, it } from 'vitest';
import {
  AuthenticationError,
  createSakariClient,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SakariApiError,
  type SakariClientOptions,
  SakariPaginationError,
  SakariValidationError,
  ServerError,
} from '../../src/index.js';
import { deref, LIST_PATH, MESSAGE_PATH, spec, TOKEN_PATH } from '../helpers/spec.js';
import { violationsOf } from './prism.js';
import { createWire, responseExample, useJudgedWires, type Wire } from './wire.js';

const mockUrl = inject('prismMockUrl');

const params = spec.components.parameters;
const examples = spec.components.examples;
const accountId: string = params.AccountId.example;
const messageId: string = params.MessageId.example;
const contactId: string = params.ContactId.example;
const conversationId: string = params.ConversationId.example;
const tokenRequest = examples.TokenRequest.value;
const sendRequest = examples.SendMessagesRequest.value;
const firstPage = responseExample(LIST_PATH, 'get', 200);
const listPath = `/v1/accounts/${accountId}/messages`;

const auths = {
  token: { token: 'contract-test-token' },
  'client credentials': {
    clientId: tokenRequest.client_id,
    clientSecret: tokenRequest.client_secret,
  },
} as const;

const judged = useJudgedWires();

type Sakari = ReturnType<typeof createSakariClient>;

function client(wire: Wire, options: Partial<SakariClientOptions> = {}) {
  return createSakariClient({
    baseUrl: mockUrl,
    accountId,
    auth: auths.token,
    fetch: wire.fetch,
    ...options,
  });
}

async function collect<T>(source: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of source) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}

describe.each(Object.entries(auths))(
  'with %s auth, each call gets the spec example',
  (kind, auth) => {
    // With client credentials the first exchange is the token request; the rest is the same.
    const apiCalls = (wire: Wire) =>
      wire.lines().filter((line) => !line.startsWith('POST /oauth2'));

    it.each([
      ['no parameter', {}, ''],
      ['offset', { offset: 2 }, '?offset=2'],
      ['limit', { limit: 2 }, '?limit=2'],
      ['contactId', { contactId }, `?contactId=${contactId}`],
      ['conversationId', { conversationId }, `?conversationId=${conversationId}`],
      [
        'every parameter',
        { offset: 0, limit: 100, contactId, conversationId },
        `?offset=0&limit=100&contactId=${contactId}&conversationId=${conversationId}`,
      ],
    ])('list with %s', async (_name, query, search) => {
      const wire = judged();
      const page = await client(wire, { auth }).messages.list(query);
      expect(page).toEqual(firstPage);
      expect(apiCalls(wire)).toEqual([`GET ${listPath}${search} → 200`]);
    });

    it('get', async () => {
      const wire = judged();
      const message = await client(wire, { auth }).messages.get(messageId);
      expect(message).toEqual(responseExample(MESSAGE_PATH, 'get', 200).data);
      expect(apiCalls(wire)).toEqual([`GET ${listPath}/${messageId} → 200`]);
    });

    it('send with the spec example request', async () => {
      const wire = judged();
      const result = await client(wire, { auth }).messages.send(sendRequest);
      expect(result).toEqual(responseExample(LIST_PATH, 'post', 200).data);
      const sent = wire.exchanges.filter((x) => x.path === LIST_PATH);
      expect(sent.map((x) => JSON.parse(x.requestBody))).toEqual([sendRequest]);
      expect(sent[0]?.requestHeaders.get('content-type')).toMatch(/^application\/json/);
    });

    it(`sends the ${kind === 'token' ? 'given' : 'exchanged'} token as a Bearer`, async () => {
      const wire = judged();
      const sakari = client(wire, { auth });
      await sakari.messages.list();
      await sakari.messages.get(messageId);
      const token =
        kind === 'token' ? auths.token.token : examples.TokenResponse.value.access_token;
      const api = wire.exchanges.filter((x) => x.path !== TOKEN_PATH);
      expect(api.map((x) => x.requestHeaders.get('authorization'))).toEqual([
        `Bearer ${token}`,
        `Bearer ${token}`,
      ]);
    });
  },
);

describe('the token exchange', () => {
  it('posts the example credentials once and uses the example token until its exp', async () => {
    const wire = judged();
    const sakari = client(wire, { auth: auths['client credentials'] });
    await Promise.all([sakari.messages.list(), sakari.messages.get(messageId)]);
    await sakari.messages.send(sendRequest);
    const tokens = wire.exchanges.filter((x) => x.path === TOKEN_PATH);
    expect(tokens).toHaveLength(1);
    expect(JSON.parse(tokens[0]?.requestBody ?? '')).toEqual(tokenRequest);
    expect(tokens[0]?.requestHeaders.get('authorization')).toBeNull();
    expect(JSON.parse(tokens[0]?.text ?? '')).toEqual(responseExample(TOKEN_PATH, 'post', 200));
    expect(wire.exchanges).toHaveLength(4);
  });
});

describe('iterate against a mock that repeats its example page', () => {
  it('yields the example messages once, then ends with SakariPaginationError', async () => {
    const wire = judged();
    const { items, error } = await collect(client(wire).messages.iterate());
    expect(items).toEqual(firstPage.data);
    expect(error).toBeInstanceOf(SakariPaginationError);
    expect(error).toMatchObject({ yielded: firstPage.data.length });
    // The first page holds 2 of the 100 asked while more follow, so the walk steps by 1 (pages
    // share a message); after three repeats of that page with nothing new, the same page ten
    // pages of 2 further ends it.
    expect(wire.lines()).toEqual([
      `GET ${listPath}?offset=0&limit=100 → 200`,
      `GET ${listPath}?offset=1&limit=100 → 200`,
      `GET ${listPath}?offset=2&limit=100 → 200`,
      `GET ${listPath}?offset=3&limit=100 → 200`,
      `GET ${listPath}?offset=23&limit=100 → 200`,
    ]);
  });

  it('ends without error on a page that says hasNext: false (Prefer: example=lastPage)', async () => {
    const wire = judged({ prefer: 'example=lastPage' });
    const { items, error } = await collect(client(wire).messages.iterate({ limit: 2 }));
    expect(error).toBeUndefined();
    expect(items).toEqual(examples.MessageListLastPage.value.data);
    expect(wire.lines()).toEqual([`GET ${listPath}?limit=2&offset=0 → 200`]);
  });
});

describe('Prefer: code=N gives the error class of N with the example code and message', () => {
  const classes = {
    400: SakariApiError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
    500: ServerError,
  } as const;
  type Code = keyof typeof classes;
  const operations = [
    {
      id: 'list',
      method: 'GET',
      path: LIST_PATH,
      url: listPath,
      call: (s: Sakari) => s.messages.list(),
    },
    {
      id: 'get',
      method: 'GET',
      path: MESSAGE_PATH,
      url: `${listPath}/${messageId}`,
      call: (s: Sakari) => s.messages.get(messageId),
    },
    {
      id: 'send',
      method: 'POST',
      path: LIST_PATH,
      url: listPath,
      call: (s: Sakari) => s.messages.send(sendRequest),
    },
  ];
  const cases = operations.flatMap((op) =>
    (Object.keys(classes) as unknown as Code[]).map((code) => [op.id, Number(code), op] as const),
  );
  const retryAfterMs = Number(deref(spec.components.headers.RetryAfter).example) * 1000;

  it.each(cases)('%s, code=%i', async (_id, code, op) => {
    const wire = judged({ prefer: `code=${code}`, allow: [code] });
    const error = await op.call(client(wire, { maxRetries: 0 })).catch((e: unknown) => e);
    const example = responseExample(op.path, op.method, code);
    expect(error).toBeInstanceOf(classes[code as Code]);
    // SakariApiError is the class of a 400; no subclass is more specific.
    if (code === 400) expect((error as object).constructor).toBe(SakariApiError);
    expect(error).toMatchObject({
      status: code,
      code: example.error.code,
      method: op.method,
      url: `${mockUrl}${op.url}`,
      body: example,
      attempts: 1,
      message: `${code} ${op.method} ${op.url}: ${example.error.message} (${example.error.code})`,
    });
    if (code === 429) {
      expect(retryAfterMs).toBe(30_000);
      expect((error as RateLimitError).retryAfterMs).toBe(retryAfterMs);
    }
    expect(wire.exchanges).toHaveLength(1);
  });

  it.each([400, 401, 429, 500])('the token exchange, code=%i', async (code) => {
    const wire = judged({ prefer: `code=${code}`, allow: [code] });
    const sakari = client(wire, { auth: auths['client credentials'], maxRetries: 0 });
    const error = await sakari.messages.list().catch((e: unknown) => e);
    const example = responseExample(TOKEN_PATH, 'post', code);
    expect(error).toBeInstanceOf(classes[code as Code]);
    expect(error).toMatchObject({
      status: code,
      code: example.error.code,
      message: `${code} POST ${TOKEN_PATH}: ${example.error.message} (${example.error.code})`,
    });
    // The token request failed, so no API request was made.
    expect(wire.lines()).toEqual([`POST ${TOKEN_PATH} → ${code}`]);
  });
});

describe('retries of what is safe to repeat', () => {
  const fast = { maxRetries: 1, retry: { baseDelayMs: 1, maxRetryAfterMs: 5 } };

  it.each([
    ['get', 429, 2, RateLimitError],
    ['get', 500, 2, ServerError],
    ['send', 429, 2, RateLimitError],
    // Sakari may have queued the messages before failing: a send is never repeated after a 5xx.
    ['send', 500, 1, ServerError],
  ] as const)('%s, code=%i: fails after %i request(s)', async (op, code, requests, Class) => {
    const wire = judged({ prefer: `code=${code}` });
    const delays: number[] = [];
    const sakari = client(wire, { ...fast, onRetry: ({ delayMs }) => delays.push(delayMs) });
    const call = op === 'get' ? sakari.messages.get(messageId) : sakari.messages.send(sendRequest);
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Class);
    expect(error).toMatchObject({ status: code, attempts: requests });
    expect(wire.exchanges).toHaveLength(requests);
    // Prism's Retry-After: 30 is capped by maxRetryAfterMs; a 500 has none, so backoff applies.
    if (requests === 2) expect(delays).toEqual([code === 429 ? 5 : expect.any(Number)]);
    else expect(delays).toEqual([]);
    if (code === 429) expect((error as RateLimitError).retryAfterMs).toBe(30_000);
  });
});

describe('through sakari.fetcher, which skips the client checks, Prism enforces the spec', () => {
  it.each([
    ['limit=0', { limit: 0 }, 'limit', 'minimum'],
    ['limit=101', { limit: 101 }, 'limit', 'maximum'],
    ['offset=-1', { offset: -1 }, 'offset', 'minimum'],
  ])(
    '%s: the client refuses it; sent anyway, Prism answers 400 and names it',
    async (_n, query, name, keyword) => {
      // Not judged: these requests are meant to break the spec.
      const wire = createWire();
      const sakari = client(wire, { maxRetries: 0 });
      await expect(sakari.messages.list(query)).rejects.toBeInstanceOf(SakariValidationError);
      expect(wire.exchanges).toEqual([]);

      const { data, error, response } = await sakari.fetcher.GET(LIST_PATH, {
        params: { path: { accountId }, query },
      });
      // Our spec declares 400 and no 422, so Prism's mock answers with the 400 example (see the
      // header of prism.ts); a proxy with --errors would answer 422 itself.
      expect(response.status).toBe(400);
      expect(data).toBeUndefined();
      expect(error).toEqual(responseExample(LIST_PATH, 'get', 400));
      expect(violationsOf(response)).toEqual([
        expect.objectContaining({
          location: ['request', 'query', name],
          severity: 'Error',
          code: keyword,
        }),
      ]);
    },
  );

  it.each([
    [
      'list',
      LIST_PATH,
      'get',
      (s: Sakari) => s.fetcher.GET(LIST_PATH, { params: { path: { accountId } } }),
    ],
    [
      'get',
      MESSAGE_PATH,
      'get',
      (s: Sakari) => s.fetcher.GET(MESSAGE_PATH, { params: { path: { accountId, messageId } } }),
    ],
    [
      'send',
      LIST_PATH,
      'post',
      (s: Sakari) =>
        s.fetcher.POST(LIST_PATH, { params: { path: { accountId } }, body: sendRequest }),
    ],
  ] as const)(
    '%s without Authorization: 401 with the example and a security violation',
    async (_op, path, method, call) => {
      const wire = createWire({ anonymous: true });
      const { error, response } = await call(client(wire, { maxRetries: 0 }));
      expect(wire.exchanges[0]?.requestHeaders.has('authorization')).toBe(false);
      expect(response.status).toBe(401);
      expect(error).toEqual(responseExample(path, method, 401));
      expect(violationsOf(response)).toEqual([
        expect.objectContaining({ location: ['request'], code: 401 }),
      ]);
    },
  );

  it('the messages calls turn the same 401 into AuthenticationError', async () => {
    const wire = createWire({ anonymous: true });
    await expect(client(wire, { maxRetries: 0 }).messages.list()).rejects.toMatchObject({
      name: 'AuthenticationError',
      status: 401,
      code: responseExample(LIST_PATH, 'get', 401).error.code,
    });
  });
});
