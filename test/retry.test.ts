import { describe, expect, it, vi } from 'vitest';
import {
  createSakariClient,
  RateLimitError,
  SakariApiError,
  SakariConnectionError,
  SakariTimeoutError,
  ServerError,
} from '../src/index.js';
import { PIECEWISE_FROM } from '../src/json.js';
import { SakariResponse } from '../src/response.js';
import { parseRetryAfter, retryDelay, shouldRetry } from '../src/retry.js';
import { createTransport } from '../src/transport.js';
import {
  fakeJwt,
  json,
  message,
  observedFetch,
  sakariError,
  stall,
} from './helpers/observed-fetch.js';

const emptyPage = {
  success: true,
  pagination: { offset: 0, limit: 100, hasNext: false },
  data: [],
};
const sendBody = { template: 'hi', contacts: [{ mobile: { number: '+15551234567' } }] };
const sent = {
  success: true,
  data: { jobId: 'j1', requested: 1, valid: 1, invalid: [], messages: [] },
};

function client(
  handler: Parameters<typeof observedFetch>[0],
  options: { maxRetries?: number; timeoutMs?: number; baseDelayMs?: number } = {},
) {
  const wire = observedFetch(handler);
  const retries: number[] = [];
  const sakari = createSakariClient({
    accountId: 'acc_1',
    auth: { token: 'tok' + 'en-1' },
    fetch: wire.fetch,
    maxRetries: options.maxRetries ?? 2,
    timeoutMs: options.timeoutMs ?? 1000,
    retry: { baseDelayMs: options.baseDelayMs ?? 1 },
    onRetry: (info) => retries.push(info.attempt),
  });
  return { sakari, wire, retries };
}

function networkError(code: string) {
  return Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error(code), { code }),
  });
}

describe('retries of idempotent calls', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries %i exactly maxRetries times', async (status) => {
    const { sakari, wire, retries } = client(() => sakariError(status, 'E', 'failing'));
    const error = (await sakari.messages.list().catch((e: unknown) => e)) as SakariApiError;
    expect(error).toBeInstanceOf(SakariApiError);
    expect(error.status).toBe(status);
    expect(error.attempts).toBe(3);
    expect(wire.requests).toHaveLength(3);
    expect(retries).toEqual([1, 2]);
  });

  it.each([400, 401, 403, 404, 422])('does not retry %i', async (status) => {
    const { sakari, wire } = client(() => sakariError(status, 'E', 'final'));
    await expect(sakari.messages.get('m1')).rejects.toMatchObject({ status, attempts: 1 });
    expect(wire.requests).toHaveLength(1);
  });

  it('honours maxRetries: 0', async () => {
    const { sakari, wire } = client(() => sakariError(503, 'E', 'down'), { maxRetries: 0 });
    await expect(sakari.messages.list()).rejects.toBeInstanceOf(ServerError);
    expect(wire.requests).toHaveLength(1);
  });

  it('succeeds when a retry does', async () => {
    const { sakari, wire } = client((_, i) =>
      i < 2 ? sakariError(503, 'E', 'down') : json(emptyPage),
    );
    await expect(sakari.messages.list()).resolves.toMatchObject({ data: [] });
    expect(wire.requests).toHaveLength(3);
  });

  it('retries connection errors and reports the attempts', async () => {
    const { sakari, wire } = client(() => {
      throw networkError('ECONNRESET');
    });
    const error = (await sakari.messages.list().catch((e: unknown) => e)) as SakariConnectionError;
    expect(error).toBeInstanceOf(SakariConnectionError);
    expect(error).toMatchObject({ attempts: 3, method: 'GET' });
    expect(error.message).toContain('ECONNRESET');
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(wire.requests).toHaveLength(3);
  });

  it('times out each attempt, retries, then throws SakariTimeoutError', async () => {
    const { sakari, wire } = client(stall, { timeoutMs: 50 });
    const error = await sakari.messages.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SakariTimeoutError);
    expect(error).toMatchObject({ attempts: 3 });
    expect(wire.requests).toHaveLength(3);
  });

  it('never retries an unknown exception (a bug)', async () => {
    const bug = new RangeError('bug in a custom fetch');
    const { sakari, wire } = client(() => {
      throw bug;
    });
    await expect(sakari.messages.list()).rejects.toBe(bug);
    expect(wire.requests).toHaveLength(1);
  });

  it('throws a TypeError from a bug in a custom fetch once, as it was thrown', async () => {
    const { sakari, wire, retries } = client(() => {
      const settings: { headers?: { get(name: string): string } } = {};
      return new Response(settings.headers?.get('x') ?? (undefined as never as { a: string }).a);
    });
    const error = await sakari.messages.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(SakariConnectionError);
    expect((error as TypeError).message).toMatch(/Cannot read properties of undefined/);
    expect(wire.requests).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  it('refuses a port that fetch will never connect to, without retrying', async () => {
    const retries: number[] = [];
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: { token: 'tok' + 'en-1' },
      // Port 1 is on the list of ports fetch refuses, before any connection.
      baseUrl: 'http://127.0.0.1:1',
      maxRetries: 3,
      retry: { baseDelayMs: 1 },
      onRetry: (info) => retries.push(info.attempt),
    });
    const error = (await sakari.messages.list().catch((e: unknown) => e)) as SakariConnectionError;
    expect(error).toBeInstanceOf(SakariConnectionError);
    expect(error).toMatchObject({ attempts: 1, method: 'GET' });
    expect(error.message).toContain('bad port');
    expect(retries).toEqual([]);
  });
});

describe('retries of send (no idempotency key)', () => {
  it('never re-sends after a 500', async () => {
    const { sakari, wire } = client(() => sakariError(500, 'SYS-001', 'boom'));
    await expect(sakari.messages.send(sendBody)).rejects.toBeInstanceOf(ServerError);
    expect(wire.requests).toHaveLength(1);
  });

  it('never re-sends after a connection reset or a timeout', async () => {
    const reset = client(() => {
      throw networkError('ECONNRESET');
    });
    await expect(reset.sakari.messages.send(sendBody)).rejects.toBeInstanceOf(
      SakariConnectionError,
    );
    expect(reset.wire.requests).toHaveLength(1);
    const slow = client(stall, { timeoutMs: 30 });
    await expect(slow.sakari.messages.send(sendBody)).rejects.toBeInstanceOf(SakariTimeoutError);
    expect(slow.wire.requests).toHaveLength(1);
  });

  it('re-sends after a 429 and after a refused connection', async () => {
    const limited = client((_, i) =>
      i === 0 ? sakariError(429, 'RATE-001', 'slow down', { 'retry-after': '0' }) : json(sent),
    );
    await expect(limited.sakari.messages.send(sendBody)).resolves.toMatchObject({ jobId: 'j1' });
    expect(limited.wire.requests).toHaveLength(2);
    const refused = client((_, i) => {
      if (i === 0) throw networkError('ECONNREFUSED');
      return json(sent);
    });
    await expect(refused.sakari.messages.send(sendBody)).resolves.toMatchObject({ jobId: 'j1' });
    expect(refused.wire.requests).toHaveLength(2);
  });

  it('gives up on 429 after maxRetries with a RateLimitError', async () => {
    const { sakari, wire } = client(() =>
      sakariError(429, 'RATE-001', 'slow down', { 'retry-after': '0' }),
    );
    const error = await sakari.messages.send(sendBody).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ attempts: 3, retryAfterMs: 0 });
    expect(wire.requests).toHaveLength(3);
  });
});

describe('abort', () => {
  it('aborts at once during a backoff wait', async () => {
    const { sakari, wire } = client(() => sakariError(503, 'E', 'down'), { baseDelayMs: 20_000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const error = await sakari.messages
      .list({}, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(wire.requests).toHaveLength(1);
  });

  it('aborts a request in flight, and does not start one when already aborted', async () => {
    const { sakari, wire } = client(stall, { timeoutMs: 60_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(sakari.messages.get('m1', { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    await expect(sakari.messages.get('m1', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(wire.requests).toHaveLength(1);
  });
});

describe('retry policy', () => {
  const policy = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };

  it('backs off exponentially with jitter, capped at 8 s', () => {
    expect(retryDelay(1, undefined, policy, () => 0)).toBe(250);
    expect(retryDelay(1, undefined, policy, () => 1)).toBe(500);
    expect(retryDelay(2, undefined, policy, () => 1)).toBe(1000);
    expect(retryDelay(5, undefined, policy, () => 1)).toBe(8000);
    expect(retryDelay(9, undefined, policy, () => 1)).toBe(8000);
  });

  it('honours Retry-After in seconds or as a date, up to 60 s', () => {
    expect(retryDelay(1, new Headers({ 'retry-after': '3' }), policy)).toBe(3000);
    expect(retryDelay(1, new Headers({ 'retry-after': '31536000' }), policy)).toBe(60_000);
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('retries only what is safe', () => {
    expect(shouldRetry({ status: 503 }, true)).toBe(true);
    expect(shouldRetry({ status: 503 }, false)).toBe(false);
    expect(shouldRetry({ status: 429 }, false)).toBe(true);
    expect(shouldRetry({ status: 400 }, true)).toBe(false);
    expect(shouldRetry({ status: 200, cutShort: true }, true)).toBe(true);
    expect(shouldRetry({ status: 200, cutShort: true }, false)).toBe(false);
    expect(shouldRetry({ status: 200, cutShort: false }, true)).toBe(false);
    expect(shouldRetry({ failure: 'network' }, true)).toBe(true);
    expect(shouldRetry({ failure: 'timeout' }, true)).toBe(true);
    expect(shouldRetry({ failure: 'network' }, false)).toBe(false);
    expect(shouldRetry({ failure: 'refused' }, false)).toBe(true);
    expect(shouldRetry({ failure: 'blocked' }, true)).toBe(false);
  });
});

describe('a 2xx whose JSON body was cut short, though the response ended cleanly', () => {
  const cut = (text: string, headers: Record<string, string> = {}) =>
    new Response(text, { headers: { 'content-type': 'application/json', ...headers } });
  const page = {
    success: true,
    pagination: { offset: 0, limit: 100, hasNext: false },
    data: [{ id: 'm1', message: 'hi', outgoing: true }],
  };
  const halfPage = JSON.stringify(page).slice(0, 40);
  const why = 'Malformed response: the body is not valid JSON (cut short?)';

  function observed(handler: Parameters<typeof observedFetch>[0], maxRetries = 2) {
    const wire = observedFetch(handler);
    const infos: { attempt: number; status?: number; error?: unknown; delayMs: number }[] = [];
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: { token: 'tok' + 'en-1' },
      fetch: wire.fetch,
      maxRetries,
      retry: { baseDelayMs: 1 },
      onRetry: (info) => infos.push(info),
    });
    return { sakari, wire, infos };
  }

  it('retries a GET like a 5xx and returns the data of the answer that came whole', async () => {
    const { sakari, wire, infos } = observed((_, i) => (i < 2 ? cut(halfPage) : json(page)));
    const result = await sakari.messages.list({ limit: 100 });
    expect(result.data.map((m) => m.id)).toEqual(['m1']);
    expect(wire.lines()).toEqual(Array(3).fill('GET /v1/accounts/acc_1/messages?limit=100'));
    expect(infos.map(({ attempt, status }) => ({ attempt, status }))).toEqual([
      { attempt: 1, status: 200 },
      { attempt: 2, status: 200 },
    ]);
    for (const [i, info] of infos.entries()) {
      expect(info.delayMs).toBeGreaterThanOrEqual(0.5);
      expect(info.delayMs).toBeLessThanOrEqual(2 ** i);
      // The status alone would read as a success: the error says why it is retried.
      expect(info.error).toBeInstanceOf(SakariApiError);
      expect(info.error).toMatchObject({
        status: 200,
        method: 'GET',
        attempts: i + 1,
        message: `200 GET /v1/accounts/acc_1/messages?limit=100: ${why}: ${JSON.stringify(halfPage)}`,
      });
    }
  });

  it('after the last retry, throws a SakariApiError with status 200 that says so', async () => {
    const { sakari, wire, infos } = observed(() => cut(halfPage));
    const error = (await sakari.messages.list().catch((e: unknown) => e)) as SakariApiError;
    expect(error.constructor).toBe(SakariApiError);
    expect(error).toMatchObject({ status: 200, code: undefined, method: 'GET', attempts: 3 });
    expect(error.message).toBe(
      `200 GET /v1/accounts/acc_1/messages: ${why}: ${JSON.stringify(halfPage)}`,
    );
    expect(wire.requests).toHaveLength(3);
    expect(infos.map((info) => info.attempt)).toEqual([1, 2]);
  });

  it('honours maxRetries, and retries get() and an empty JSON body too', async () => {
    const none = observed(() => cut(halfPage), 0);
    await expect(none.sakari.messages.list()).rejects.toMatchObject({ status: 200, attempts: 1 });
    expect(none.wire.requests).toHaveLength(1);
    expect(none.infos).toEqual([]);

    const one = { success: true, data: { id: 'm_9', message: 'hi', outgoing: true } };
    const get = observed((_, i) => (i === 0 ? cut('') : json(one)));
    await expect(get.sakari.messages.get('m_9')).resolves.toEqual(one.data);
    expect(get.wire.lines()).toEqual(Array(2).fill('GET /v1/accounts/acc_1/messages/m_9'));
  });

  it('knows JSON by any JSON media type, parameters and case aside', async () => {
    for (const type of [
      'application/json; charset=utf-8',
      'Application/JSON',
      'application/problem+json',
      'application/vnd.sakari.v1+json;charset=UTF-8',
    ]) {
      const { sakari, wire } = observed((_, i) =>
        i === 0 ? cut(halfPage, { 'content-type': type }) : json(page),
      );
      await expect(sakari.messages.list(), type).resolves.toMatchObject({ success: true });
      expect(wire.requests, type).toHaveLength(2);
    }
  });

  it('never re-sends a send: it fails at once, with the same kind of error', async () => {
    const { sakari, wire, infos } = observed(() => cut('{"success":true,"data":{"jobId":"j'));
    const error = (await sakari.messages.send(sendBody).catch((e: unknown) => e)) as SakariApiError;
    expect(error.constructor).toBe(SakariApiError);
    expect(error).toMatchObject({ status: 200, method: 'POST', attempts: 1 });
    expect(error.message).toBe(
      `200 POST /v1/accounts/acc_1/messages: ${why}: "{\\"success\\":true,\\"data\\":{\\"jobId\\":\\"j"`,
    );
    expect(wire.requests).toHaveLength(1);
    expect(infos).toEqual([]);
  });

  it.each([
    ['a JSON array', () => json([1, 2]), 'not a JSON object: an array of 2'],
    ['a JSON string', () => json('ok'), 'not a JSON object: "ok"'],
    ['JSON null', () => json(null), 'not a JSON object: null'],
    [
      'success: false',
      () => json({ success: false, error: { code: 'ACCT-006', message: 'Insufficient credit' } }),
      'Insufficient credit (ACCT-006)',
    ],
    [
      'a body that does not say JSON',
      () => new Response(halfPage, { headers: { 'content-type': 'text/plain' } }),
      `the body is not JSON: ${JSON.stringify(halfPage)}`,
    ],
  ])('does not retry %s (whole, or not JSON at all)', async (_name, answer, message) => {
    const { sakari, wire, infos } = observed(answer);
    const error = (await sakari.messages.list().catch((e: unknown) => e)) as SakariApiError;
    expect(error.constructor).toBe(SakariApiError);
    expect(error).toMatchObject({ status: 200, attempts: 1 });
    expect(error.message).toContain(message);
    expect(wire.requests).toHaveLength(1);
    expect(infos).toEqual([]);
  });

  it('retries the token exchange, which is safe to repeat', async () => {
    const token = fakeJwt(Math.floor(Date.now() / 1000) + 3600);
    const wire = observedFetch((request, i) => {
      if (!request.url.endsWith('/oauth2/token')) return json(page);
      return i === 0 ? cut('{"access_token":"ey') : json({ access_token: token });
    });
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: { clientId: 'id-1', clientSecret: 'secret-1' },
      fetch: wire.fetch,
      retry: { baseDelayMs: 1 },
    });
    await expect(sakari.messages.list()).resolves.toMatchObject({ success: true });
    expect(wire.lines()).toEqual([
      'POST /oauth2/token',
      'POST /oauth2/token',
      'GET /v1/accounts/acc_1/messages',
    ]);
    expect(wire.requests[2]?.headers.get('authorization')).toBe(`Bearer ${token}`);
  });

  it('retries the typed fetcher and middleware-watched calls as well', async () => {
    const { sakari, wire } = observed((_, i) => (i % 2 === 0 ? cut(halfPage) : json(page)));
    const { data } = await sakari.fetcher.GET('/v1/accounts/{accountId}/messages', {
      params: { path: { accountId: 'acc_1' } },
    });
    expect(data?.data[0]?.id).toBe('m1');
    const seen: number[] = [];
    sakari.fetcher.use({
      async onResponse({ response }) {
        seen.push((await response.clone().text()).length);
        return undefined;
      },
    });
    await expect(sakari.messages.list()).resolves.toMatchObject({ data: [{ id: 'm1' }] });
    expect(wire.requests).toHaveLength(4);
    // Middleware sees only the answer that came whole, with its body readable.
    expect(seen).toEqual([JSON.stringify(page).length]);
  });
});

describe('each attempt sends the request openapi-fetch built', () => {
  it('as it is, with the token on for the send only and a signal of its own', async () => {
    const seen: Request[] = [];
    const sent: { input: unknown; signal: AbortSignal | null | undefined }[] = [];
    const authorization: (string | null)[] = [];
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: { token: 'tok' + 'en-1' },
      fetch: (async (input: Request, init?: RequestInit) => {
        sent.push({ input, signal: init?.signal });
        authorization.push(input.headers.get('authorization'));
        return sent.length === 1 ? sakariError(503, 'DOWN', 'down') : json(emptyPage);
      }) as typeof fetch,
      retry: { baseDelayMs: 1 },
    });
    sakari.fetcher.use({
      onRequest: ({ request }) => {
        seen.push(request);
      },
      onResponse: ({ request }) => {
        // What middleware sees after the send carries no token.
        authorization.push(request.headers.get('authorization'));
      },
    });
    await sakari.messages.list();
    expect(authorization).toEqual(['Bearer token-1', 'Bearer token-1', null]);
    expect(seen).toHaveLength(1);
    expect(sent.map((s) => s.input)).toEqual([seen[0], seen[0]]);
    // Each attempt has its own signal, given beside the request, not the request's own.
    const [first, second] = sent.map((s) => s.signal);
    expect(first).toBeInstanceOf(AbortSignal);
    expect(second).toBeInstanceOf(AbortSignal);
    expect(first).not.toBe(second);
    expect(first).not.toBe(seen[0]?.signal);
    expect(seen[0]?.headers.get('authorization')).toBeNull();
  });

  it('sends a request with a body as a copy, so a retry can send it again', async () => {
    const bodies: string[] = [];
    const { sakari, wire } = client(
      async (request, i) => {
        bodies.push(await request.text());
        // A 429 means the send was not acted on, so even a send is retried.
        return i === 0
          ? sakariError(429, 'RATE', 'slow down')
          : json({ success: true, data: { jobId: 'j1' } });
      },
      { maxRetries: 1 },
    );
    await sakari.fetcher.POST('/v1/accounts/{accountId}/messages', {
      params: { path: { accountId: 'acc_1' } },
      body: { contacts: [{ mobile: { number: '+15551234567' } }], template: 'hi' },
    });
    expect(wire.requests).toHaveLength(2);
    expect(bodies[0]).toBe(bodies[1]);
    expect(JSON.parse(bodies[0] as string)).toMatchObject({ template: 'hi' });
  });

  it('cancels the request of an attempt that timed out', async () => {
    const { sakari, wire } = client(stall, { timeoutMs: 40, maxRetries: 0 });
    await expect(sakari.messages.list()).rejects.toBeInstanceOf(SakariTimeoutError);
    expect(wire.requests).toHaveLength(1);
    expect(wire.requests[0]?.signal.aborted).toBe(true);
  });

  it('times out an attempt whose fetch ignores the signal it was given', async () => {
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: { token: 'tok' + 'en-1' },
      // A fetch that never answers and takes no signal: only the transport can end the wait.
      fetch: (() => new Promise<Response>(() => {})) as typeof fetch,
      timeoutMs: 40,
      maxRetries: 0,
    });
    await expect(sakari.messages.list()).rejects.toBeInstanceOf(SakariTimeoutError);
  });

  it('follows no redirect', async () => {
    const { sakari, wire } = client(
      () => new Response(null, { status: 302, headers: { location: 'https://elsewhere.test/' } }),
    );
    await expect(sakari.messages.list()).rejects.toMatchObject({ status: 302 });
    expect(wire.requests.map((r) => r.redirect)).toEqual(['manual']);
  });
});

describe('a large 2xx body parsed later (the pages of a walk)', () => {
  const items = Array.from({ length: 2000 }, (_, i) => message(`m${i}`));
  const text = JSON.stringify({ success: true, pagination: { hasNext: false }, data: items });
  const url = 'https://api.sakari.io/v1/accounts/acc_1/messages';
  const answer = (body: string) =>
    new Response(body, { headers: { 'content-type': 'application/json' } });

  function transportOf(handler: Parameters<typeof observedFetch>[0]) {
    const wire = observedFetch(handler);
    const transport = createTransport({
      fetch: wire.fetch,
      timeoutMs: 1000,
      policy: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
      secrets: [],
    });
    return { wire, transport };
  }

  it('is checked whole at arrival and parsed when json() is called', async () => {
    const { transport } = transportOf(() => answer(text));
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const response = await transport.fetch(new Request(url), { parseLater: true });
      expect(parse).not.toHaveBeenCalled();
      expect(((await response.json()) as { data: unknown[] }).data).toEqual(items);
      expect(parse).toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('is still retried when cut short, as the structure shows at once', async () => {
    const { wire, transport } = transportOf((_, i) =>
      answer(i < 2 ? text.slice(0, text.length - 40) : text),
    );
    const response = await transport.fetch(new Request(url), { parseLater: true });
    expect(wire.requests).toHaveLength(3);
    expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(2000);
  });

  it('rejects json() with a SyntaxError when whole in structure but not JSON, without retrying', async () => {
    const { wire, transport } = transportOf(() => answer(text.replace('"m500"', 'tru')));
    const response = await transport.fetch(new Request(url), { parseLater: true });
    expect(wire.requests).toHaveLength(1);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('gives json() its value once its body was asked for as a stream but not read', async () => {
    const { transport } = transportOf(() => answer(text));
    const response = await transport.fetch(new Request(url), { parseLater: true });
    expect(response.body).toBeInstanceOf(ReadableStream);
    expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(2000);
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);

    // A stream someone holds a reader of is theirs: json() cannot have it, as with fetch.
    const held = await transport.fetch(new Request(url), { parseLater: true });
    held.body?.getReader();
    await expect(held.json()).rejects.toThrow(TypeError);
  });
});

describe("the transport's Response", () => {
  const transport = createTransport({
    fetch: observedFetch(() => json({ success: true, data: [] })).fetch,
    timeoutMs: 1000,
    policy: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    secrets: [],
  });
  const url = 'https://api.sakari.io/v1/x?limit=1';

  it('keeps its url, status and headers, counts its attempts, and gives the parsed JSON once', async () => {
    const response = await transport.fetch(new Request(url));
    expect(response).toBeInstanceOf(SakariResponse);
    expect(response).toBeInstanceOf(Response);
    expect([response.url, response.status, response.attempts]).toEqual([url, 200, 1]);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('content-length')).toBe('26');
    expect(await response.json()).toEqual({ success: true, data: [] });
    expect(response.bodyUsed).toBe(true);
    await expect(response.json()).rejects.toThrow(TypeError);
  });

  it("reads its body once, in any form, as fetch's own Response does", async () => {
    const expected = '{"success":true,"data":[]}';
    const asText = {
      text: (body: unknown) => body,
      json: (body: unknown) => JSON.stringify(body),
      arrayBuffer: (body: unknown) => new TextDecoder().decode(body as ArrayBuffer),
      bytes: (body: unknown) => new TextDecoder().decode(body as Uint8Array),
      blob: (body: unknown) => (body as Blob).text(),
    };
    for (const [read, decode] of Object.entries(asText)) {
      const response = await transport.fetch(new Request(url));
      expect(await decode(await response[read as keyof typeof asText]())).toBe(expected);
      expect(response.bodyUsed).toBe(true);
      await expect(response.text()).rejects.toThrow(TypeError);
      expect(() => response.clone()).toThrow(TypeError);
    }
    // Taken as a stream, the body counts as used too.
    const streamed = await transport.fetch(new Request(url));
    await streamed.body?.getReader().read();
    expect(streamed.bodyUsed).toBe(true);
    await expect(streamed.json()).rejects.toThrow(TypeError);
  });

  it('lets go of the chunks of a large body once json() has taken them, unless a clone reads them too', async () => {
    const page = { success: true, data: Array.from({ length: 2000 }, (_, i) => message(`m${i}`)) };
    const text = JSON.stringify(page);
    expect(text.length).toBeGreaterThanOrEqual(PIECEWISE_FROM);
    let chunks: Uint8Array[] = [];
    const size = () => chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    const keeping = createTransport({
      fetch: async () => {
        const bytes = new TextEncoder().encode(text);
        chunks = [bytes.slice(0, 1000), bytes.slice(1000, 70_000), bytes.slice(70_000)];
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(chunk);
            controller.close();
          },
        });
        return new Response(body);
      },
      timeoutMs: 1000,
      policy: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
      secrets: [],
    });
    for (const parseLater of [false, true]) {
      const response = await keeping.fetch(new Request(url), { parseLater });
      expect(size()).toBe(text.length);
      expect(await response.json()).toEqual(page);
      expect(size()).toBe(0);
      await expect(response.text()).rejects.toThrow(TypeError);
    }

    const shared = await keeping.fetch(new Request(url), { parseLater: true });
    const copy = shared.clone();
    expect(await shared.json()).toEqual(page);
    expect(size()).toBe(text.length);
    expect(await copy.text()).toBe(text);
  });

  it('has no body when the answer has none', async () => {
    const empty = createTransport({
      fetch: observedFetch(() => new Response(null, { status: 204 })).fetch,
      timeoutMs: 1000,
      policy: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
      secrets: [],
    });
    const response = await empty.fetch(new Request(url));
    expect([response.status, response.body, await response.text()]).toEqual([204, null, '']);
  });

  it('has a body that reads as a stream, and clones that read whole', async () => {
    const response = await transport.fetch(new Request(url));
    expect(await response.clone().text()).toBe('{"success":true,"data":[]}');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let length = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) length += r.value.length;
    expect(length).toBe(26);
  });
});
