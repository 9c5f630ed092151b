import { describe, expect, it } from 'vitest';
import {
  createSakariClient,
  type ResponseInfo,
  SakariApiError,
  SakariResponse,
  SakariValidationError,
  type SendMessagesRequest,
} from '../src/index.js';
import { fakeJwt, json, message, observedFetch, sakariError } from './helpers/observed-fetch.js';

const page = (ids: string[], offset = 0, hasNext = false) => ({
  success: true,
  pagination: { offset, limit: 100, totalCount: ids.length, hasNext },
  data: ids.map(message),
});

function client(handler: Parameters<typeof observedFetch>[0]) {
  const wire = observedFetch(handler);
  const sakari = createSakariClient({
    accountId: 'acc_1',
    auth: { token: 'tok_static_123' },
    baseUrl: 'https://api.example.test',
    fetch: wire.fetch,
    retry: { baseDelayMs: 1 },
  });
  return { sakari, wire };
}

describe('messages.list', () => {
  it('sends each parameter in the query and the token in the header', async () => {
    const { sakari, wire } = client(() => json(page(['m1', 'm2'])));
    const result = await sakari.messages.list({
      offset: 10,
      limit: 50,
      contactId: 'c_1',
      conversationId: 'conv_1',
    });
    expect(result.data.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(result.pagination?.totalCount).toBe(2);
    expect(wire.lines()).toEqual([
      'GET /v1/accounts/acc_1/messages?offset=10&limit=50&contactId=c_1&conversationId=conv_1',
    ]);
    expect(wire.requests[0]?.headers.get('authorization')).toBe('Bearer tok_static_123');
  });

  it('sends no query when called without parameters', async () => {
    const { sakari, wire } = client(() => json(page([])));
    await sakari.messages.list();
    expect(wire.lines()).toEqual(['GET /v1/accounts/acc_1/messages']);
  });
});

describe('messages.get', () => {
  it('returns the message of the data envelope', async () => {
    const { sakari, wire } = client(() => json({ success: true, data: message('m_9') }));
    await expect(sakari.messages.get('m_9')).resolves.toEqual(message('m_9'));
    expect(wire.lines()).toEqual(['GET /v1/accounts/acc_1/messages/m_9']);
  });

  it('refuses ids that could change the path, before any request', async () => {
    const { sakari, wire } = client(() => json({}));
    for (const id of ['..', '.', 'a/b', '%2F', 'a b', '', 'a\nb', 'a\0b']) {
      await expect(sakari.messages.get(id)).rejects.toMatchObject({
        name: 'SakariValidationError',
        field: 'messageId',
      });
    }
    expect(wire.requests).toHaveLength(0);
  });
});

describe('messages.send', () => {
  it('posts the body as JSON once and returns the send result', async () => {
    const result = {
      jobId: 'job_1',
      requested: 1,
      valid: 1,
      invalid: [],
      messages: [message('m_new')],
    };
    const { sakari, wire } = client(() => json({ success: true, data: result }));
    const body = {
      contacts: [{ mobile: { number: '+15551234567', country: 'US' } }],
      template: 'Hi {{{contact.firstName}}} 👋',
    };
    await expect(sakari.messages.send(body)).resolves.toEqual(result);
    expect(wire.lines()).toEqual(['POST /v1/accounts/acc_1/messages']);
    expect(wire.requests[0]?.headers.get('content-type')).toBe('application/json');
    expect(await wire.requests[0]?.json()).toEqual(body);
  });

  it('needs a recipient and something to send', async () => {
    const { sakari, wire } = client(() => json({}));
    const to = [{ mobile: { number: '+15551234567' } }];
    await expect(sakari.messages.send({ contacts: to })).rejects.toMatchObject({
      name: 'SakariValidationError',
      field: 'template',
      allowed: 'a text, or media to send without one',
    });
    await expect(sakari.messages.send({ contacts: to, media: [] })).rejects.toMatchObject({
      field: 'template',
    });
    await expect(sakari.messages.send({ template: 'hi' })).rejects.toMatchObject({
      field: 'contacts',
      allowed: 'at least one recipient in contacts, conversations or filters',
    });
    await expect(
      sakari.messages.send({ template: 'hi', contacts: [], conversations: [] }),
    ).rejects.toMatchObject({ field: 'contacts' });
    expect(wire.requests).toHaveLength(0);
  });

  it('refuses a value of the wrong type or a blank text, naming its path', async () => {
    const { sakari, wire } = client(() => json({}));
    const cases: [body: unknown, field: string, allowed: string][] = [
      [
        { template: 42, conversations: ['c1'] },
        'template',
        'the text to send, as a non-blank string',
      ],
      [
        { template: ' ', conversations: ['c1'] },
        'template',
        'the text to send, as a non-blank string',
      ],
      [
        {
          template: 'hi',
          contacts: [{ id: 'c1' }, { id: 'c2' }, { mobile: { number: 15551234567 } }],
        },
        'contacts[2].mobile.number',
        'a phone number, as a non-blank string',
      ],
      [
        { template: 'hi', contacts: [{ id: '' }] },
        'contacts[0].id',
        'a contact id, as a non-blank string',
      ],
      [
        { template: 'hi', contacts: [{ mobile: '+15551234567' }] },
        'contacts[0].mobile',
        'an object',
      ],
      [{ template: 'hi', contacts: { id: 'c1' } }, 'contacts', 'an array'],
      [
        { template: 'hi', conversations: ['c1', '\t'] },
        'conversations[1]',
        'a conversation id, as a non-blank string',
      ],
      [
        { conversations: ['c1'], media: [{ url: '' }] },
        'media[0].url',
        'the URL of a file, as a non-blank string',
      ],
      [{ conversations: ['c1'], media: ['https://example.com/a.jpg'] }, 'media[0]', 'an object'],
      [{ template: 'hi', conversations: ['c1'], type: 1 }, 'type', 'a string'],
    ];
    for (const [body, field, allowed] of cases) {
      const error = await sakari.messages.send(body as never).catch((e: unknown) => e);
      expect(error, field).toBeInstanceOf(SakariValidationError);
      expect(error, field).toMatchObject({ field, allowed });
      expect((error as Error).message, field).toContain(`Invalid ${field}: `);
    }
    expect(wire.requests).toHaveLength(0);
  });
});

describe('messages.send leaves to Sakari what only Sakari can judge', () => {
  const refusal = () => sakariError(400, 'CONT-001', 'Invalid mobile number');
  const allowed: [name: string, body: SendMessagesRequest][] = [
    [
      'a contact named by id alone',
      { template: 'hi', contacts: [{ id: '5f1e8a2b9c3d4e0012a7b6c1' }] },
    ],
    [
      'media without a template',
      {
        contacts: [{ mobile: { number: '+15551234567' } }],
        media: [{ url: 'https://example.com/menu.jpg' }],
        type: 'MMS',
      },
    ],
    [
      'a lowercase country code',
      { template: 'hi', contacts: [{ mobile: { number: '5551234567', country: 'us' } }] },
    ],
  ];

  it.each(allowed)('sends %s, and its 400 becomes the typed error', async (_name, body) => {
    const { sakari, wire } = client(refusal);
    const error = (await sakari.messages.send(body).catch((e: unknown) => e)) as SakariApiError;
    expect(error.constructor).toBe(SakariApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'CONT-001',
      method: 'POST',
      url: 'https://api.example.test/v1/accounts/acc_1/messages',
      attempts: 1,
      body: { success: false, error: { code: 'CONT-001', message: 'Invalid mobile number' } },
    });
    expect(error.message).toBe(
      '400 POST /v1/accounts/acc_1/messages: Invalid mobile number (CONT-001)',
    );
    expect(wire.lines()).toEqual(['POST /v1/accounts/acc_1/messages']);
    expect(await wire.requests[0]?.json()).toEqual(body);
  });

  it.each(allowed)('sends %s, and returns what Sakari queued', async (_name, body) => {
    const result = {
      jobId: 'job_2',
      requested: 1,
      valid: 1,
      invalid: [],
      messages: [message('m_2')],
    };
    const { sakari, wire } = client(() => json({ success: true, data: result }));
    await expect(sakari.messages.send(body)).resolves.toEqual(result);
    expect(wire.requests).toHaveLength(1);
  });

  it('keeps the strict id check on path parameters', async () => {
    const { sakari, wire } = client(() => json({}));
    await expect(sakari.messages.get('a/b')).rejects.toMatchObject({ field: 'messageId' });
    // The same value is only data in a body: Sakari judges it.
    await expect(
      sakari.messages.send({ template: 'hi', contacts: [{ id: 'a/b' }] }),
    ).rejects.toThrow(/^200 POST .*: Malformed response: no data$/);
    expect(wire.requests).toHaveLength(1);
  });
});

describe('createSakariClient', () => {
  it('defaults to https://api.sakari.io', async () => {
    const wire = observedFetch(() => json(page([])));
    const sakari = createSakariClient({
      accountId: 'a1',
      auth: { token: 't0ken' },
      fetch: wire.fetch,
    });
    await sakari.messages.list();
    expect(wire.requests[0]?.url).toBe('https://api.sakari.io/v1/accounts/a1/messages');
  });

  it('refuses a plain-http base URL that is not loopback', () => {
    const make = (baseUrl: string) => () =>
      createSakariClient({ accountId: 'a1', auth: { token: 't0ken' }, baseUrl });
    expect(make('http://api.sakari.io')).toThrow(SakariValidationError);
    expect(make('http://api.sakari.io')).toThrow(/baseUrl/);
    expect(make('ftp://localhost')).toThrow(/baseUrl/);
    expect(make('http://127.0.0.1:4010')).not.toThrow();
    expect(make('http://localhost:4010')).not.toThrow();
    expect(make('http://[::1]:4010')).not.toThrow();
  });

  it('names the bad option', () => {
    const base = { accountId: 'a1', auth: { token: 't0ken' } };
    expect(() => createSakariClient({ ...base, accountId: ' ' })).toThrow(/accountId/);
    expect(() => createSakariClient({ ...base, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createSakariClient({ ...base, maxRetries: 1.5 })).toThrow(/maxRetries/);
    // @ts-expect-error: auth needs a token or client credentials
    expect(() => createSakariClient({ ...base, auth: {} })).toThrow(/auth/);
  });
});

describe('fetcher', () => {
  it('is the typed openapi-fetch client with the same auth', async () => {
    const { sakari, wire } = client(() => json(page(['m1'])));
    const { data, error } = await sakari.fetcher.GET('/v1/accounts/{accountId}/messages', {
      params: { path: { accountId: 'acc_1' }, query: { limit: 5 } },
    });
    expect(error).toBeUndefined();
    expect(data?.data[0]?.id).toBe('m1');
    expect(wire.requests[0]?.headers.get('authorization')).toBe('Bearer tok_static_123');
  });

  it('answers with a body that reads as a byte stream, as many times as it is cloned', async () => {
    const { sakari } = client(() => json(page(['m1'])));
    const { response } = await sakari.fetcher.GET('/v1/accounts/{accountId}/messages', {
      params: { path: { accountId: 'acc_1' } },
      parseAs: 'stream',
    });
    const copy = response.clone();
    const reader = (response.body as ReadableStream<Uint8Array>).getReader({ mode: 'byob' });
    const { value } = await reader.read(new Uint8Array(8));
    expect(new TextDecoder().decode(value)).toBe('{"succes');
    expect(JSON.parse(await copy.text()).data[0].id).toBe('m1');
  });

  it('lets middleware read and replace the answers of the messages calls', async () => {
    const { sakari } = client((request) =>
      request.method === 'GET' ? json(page(['m1'])) : json({ success: true, data: {} }),
    );
    const seen: string[] = [];
    sakari.fetcher.use({
      async onResponse({ response }) {
        seen.push(JSON.parse(await response.clone().text()).data[0]?.id ?? '-');
        return undefined;
      },
    });
    expect((await sakari.messages.list()).data.map((m) => m.id)).toEqual(['m1']);
    expect(seen).toEqual(['m1']);

    sakari.fetcher.use({ onResponse: () => json(page(['m2'])) });
    expect((await sakari.messages.list()).data.map((m) => m.id)).toEqual(['m2']);
  });

  it("answers with the request's URL, as fetch does", async () => {
    const { sakari } = client(() => json(page(['m1'])));
    const { response } = await sakari.fetcher.GET('/v1/accounts/{accountId}/messages', {
      params: { path: { accountId: 'acc_1' }, query: { limit: 5 } },
    });
    expect(response.url).toBe('https://api.example.test/v1/accounts/acc_1/messages?limit=5');
    expect(response).toBeInstanceOf(SakariResponse);
    expect((response as SakariResponse).attempts).toBe(1);
  });

  it('lets middleware stream the body of an answer, and eject it again', async () => {
    const { sakari, wire } = client(() => json(page(['m1', 'm2'])));
    const seen: { url: string; bytes: number }[] = [];
    const streaming = {
      async onResponse({ response }: { response: Response }) {
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        const chunks: Uint8Array[] = [];
        for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
        const bytes = Buffer.concat(chunks);
        seen.push({ url: response.url, bytes: bytes.length });
        // The body is spent: hand openapi-fetch an answer made of what was read.
        return new Response(bytes, { status: response.status, headers: response.headers });
      },
    };
    sakari.fetcher.use(streaming);
    expect((await sakari.messages.list()).data.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(seen).toEqual([
      {
        url: 'https://api.example.test/v1/accounts/acc_1/messages',
        bytes: JSON.stringify(page(['m1', 'm2'])).length,
      },
    ]);

    sakari.fetcher.eject(streaming);
    expect((await sakari.messages.list()).data.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(seen).toHaveLength(1);
    expect(wire.requests).toHaveLength(2);
  });
});

describe('onResponse', () => {
  /** A client whose every answer's info is kept, in order. */
  function observed(
    handler: Parameters<typeof observedFetch>[0],
    auth: object = { token: 'tok_static_123' },
  ) {
    const wire = observedFetch(handler);
    const answers: ResponseInfo[] = [];
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: auth as { token: string },
      baseUrl: 'https://api.example.test',
      fetch: wire.fetch,
      retry: { baseDelayMs: 1 },
      onResponse: (info) => answers.push(info),
    });
    return { sakari, wire, answers };
  }

  it('is told of each answer with its parsed body: the very value the caller gets', async () => {
    const { sakari, answers } = observed(() =>
      json(page(['m1', 'm2']), 200, { 'x-request-id': 'r1' }),
    );
    const result = await sakari.messages.list({ limit: 2 });
    expect(answers).toHaveLength(1);
    const [answer] = answers as [ResponseInfo];
    expect(answer).toMatchObject({
      method: 'GET',
      url: 'https://api.example.test/v1/accounts/acc_1/messages?limit=2',
      path: '/v1/accounts/acc_1/messages',
      status: 200,
    });
    // Parsed once: the same object, not a second parse of the same bytes.
    expect(answer.body).toBe(result);
    expect(answer.response.headers.get('x-request-id')).toBe('r1');
  });

  it('is told once per call, of the answer after the retries', async () => {
    const { sakari, wire, answers } = observed((_, i) =>
      i < 2 ? sakariError(503, 'SRV-1', 'busy') : json(page(['m1'])),
    );
    await sakari.messages.list();
    expect(wire.requests).toHaveLength(3);
    expect(answers.map((a) => a.status)).toEqual([200]);
  });

  it('is told of an error answer, its body parsed, before the caller gets the error', async () => {
    const { sakari, answers } = observed((request) =>
      request.url.endsWith('/gone')
        ? sakariError(404, 'MSG-404', 'Message not found')
        : new Response('<html>bad gateway</html>', { status: 400 }),
    );
    await expect(sakari.messages.get('gone')).rejects.toBeInstanceOf(SakariApiError);
    await expect(sakari.messages.get('html')).rejects.toBeInstanceOf(SakariApiError);
    expect(answers.map((a) => [a.path, a.status, a.body])).toEqual([
      [
        '/v1/accounts/acc_1/messages/gone',
        404,
        { success: false, error: { code: 'MSG-404', message: 'Message not found' } },
      ],
      ['/v1/accounts/acc_1/messages/html', 400, undefined],
    ]);
  });

  it("is told of the fetcher's answers, never of the token exchange's (it holds the token)", async () => {
    const token = fakeJwt(Math.floor(Date.now() / 1000) + 3600);
    const { sakari, wire, answers } = observed(
      (request) =>
        request.url.endsWith('/oauth2/token')
          ? json({ access_token: token, token_type: 'Bearer' })
          : json({ success: true, data: message('m1') }),
      { clientId: 'client_1', clientSecret: 'secret_123456' },
    );
    await sakari.fetcher.GET('/v1/accounts/{accountId}/messages/{messageId}', {
      params: { path: { accountId: 'acc_1', messageId: 'm1' } },
    });
    expect(wire.lines()).toEqual(['POST /oauth2/token', 'GET /v1/accounts/acc_1/messages/m1']);
    expect(answers.map((a) => a.path)).toEqual(['/v1/accounts/acc_1/messages/m1']);
    expect(JSON.stringify(answers.map((a) => a.body))).not.toContain(token);
  });

  it('passes what it throws to the caller, and must be a function', async () => {
    const bug = new Error('hook bug');
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: { token: 'tok_static_123' },
      fetch: observedFetch(() => json(page([]))).fetch,
      onResponse: () => {
        throw bug;
      },
    });
    await expect(sakari.messages.list()).rejects.toBe(bug);
    expect(() =>
      createSakariClient({
        accountId: 'acc_1',
        auth: { token: 'tok_static_123' },
        onResponse: 'log' as never,
      }),
    ).toThrow(expect.objectContaining({ name: 'SakariValidationError', field: 'onResponse' }));
  });
});
