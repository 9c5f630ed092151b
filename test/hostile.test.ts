// Hostile and broken answers: each becomes a typed error, nothing crashes, nothing waits past
// its cap, and the token never travels to another origin.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSakariClient, SakariApiError, ServerError } from '../src/index.js';
import { json, observedFetch } from './helpers/observed-fetch.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(
  handler: (
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
  ) => void,
) {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function clientFor(answer: () => Response | Promise<Response>, extra = {}) {
  const wire = observedFetch(() => answer());
  const sakari = createSakariClient({
    accountId: 'acc_1',
    auth: { token: 'hostile-test-token' },
    fetch: wire.fetch,
    maxRetries: 0,
    ...extra,
  });
  return { sakari, wire };
}

const hostile: [string, () => Response, RegExp][] = [
  [
    'an HTML error page',
    () =>
      new Response('<!doctype html><h1>Service Unavailable</h1>', {
        status: 503,
        statusText: 'Service Unavailable',
      }),
    /^503 GET .*: Service Unavailable \(non-JSON body: "<!doctype html><h1>Service Unavailable<\/h1>"\)$/,
  ],
  [
    'an HTML page with 200',
    () => new Response('<html>maintenance</html>', { headers: { 'content-type': 'text/html' } }),
    /^200 GET .*: Malformed response: the body is not JSON: "<html>maintenance<\/html>"$/,
  ],
  ['an empty body', () => new Response(''), /Malformed response: the body is not JSON: \(empty\)$/],
  ['an empty error body', () => new Response('', { status: 500 }), /^500 GET/],
  [
    'invalid JSON',
    () => new Response('{"success": tru'),
    /the body is not JSON: "\{\\"success\\": tru"$/,
  ],
  [
    'invalid JSON that says JSON',
    () => new Response('{"success": tru', { headers: { 'content-type': 'application/json' } }),
    /Malformed response: the body is not valid JSON \(cut short\?\): "\{\\"success\\": tru"$/,
  ],
  ['a JSON array', () => json([1, 2]), /Malformed response: not a JSON object: an array of 2$/],
  [
    'data missing',
    () => json({ success: true, pagination: { offset: 0, limit: 10 } }),
    /no data array/,
  ],
  [
    'data not an array',
    () => json({ success: true, pagination: { offset: 0, limit: 10 }, data: 'x' }),
    /no data array/,
  ],
  ['data missing', () => json({ success: true, pagination: { offset: 0 } }), /no data array/],
  [
    'success: false with 200',
    () => json({ success: false, error: { code: 'ACCT-006', message: 'Insufficient credit' } }),
    /^200 GET .*Insufficient credit \(ACCT-006\)$/,
  ],
];

describe('hostile responses to list', () => {
  it.each(hostile)('%s → SakariApiError', async (_name, answer, message) => {
    const { sakari } = clientFor(answer);
    const error = await sakari.messages.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SakariApiError);
    expect((error as Error).message).toMatch(message);
  });

  it('a 10 MB body of garbage → SakariApiError with a short excerpt', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(big);
    });
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: { token: 'hostile-test-token' },
      baseUrl: url,
      maxRetries: 1,
      retry: { baseDelayMs: 1 },
    });
    const error = (await sakari.messages.list().catch((e: unknown) => e)) as SakariApiError;
    expect(error).toBeInstanceOf(SakariApiError);
    expect(error).toMatchObject({ status: 200, attempts: 2 });
    expect(error.message.length).toBeLessThan(400);
  });

  describe('a 200 whose body was cut short but ended cleanly (a Content-Length to match)', () => {
    const page = JSON.stringify({
      success: true,
      pagination: { offset: 0, limit: 100, hasNext: false },
      data: [{ id: 'm1', message: 'hi', outgoing: true }],
    });
    /** Answers the first `cut` requests with the first half of `body`, whole after that. */
    async function cutting(cut: number, body = page) {
      const seen: string[] = [];
      const url = await serve((req, res) => {
        seen.push(`${req.method} ${req.url}`);
        const text = seen.length <= cut ? body.slice(0, body.length >> 1) : body;
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      });
      const retries: { attempt: number; status?: number }[] = [];
      const sakari = createSakariClient({
        accountId: 'acc_1',
        auth: { token: 'hostile-test-token' },
        baseUrl: url,
        retry: { baseDelayMs: 1 },
        onRetry: ({ attempt, status }) => retries.push({ attempt, status }),
      });
      return { sakari, seen, retries };
    }

    it('is retried, and the whole answer that follows is returned', async () => {
      const { sakari, seen, retries } = await cutting(2);
      const result = await sakari.messages.list();
      expect(result.data.map((m) => m.id)).toEqual(['m1']);
      expect(seen).toEqual(Array(3).fill('GET /v1/accounts/acc_1/messages'));
      expect(retries).toEqual([
        { attempt: 1, status: 200 },
        { attempt: 2, status: 200 },
      ]);
    });

    it('fails after maxRetries with a SakariApiError (status 200) that says it was cut short', async () => {
      const { sakari, seen } = await cutting(3);
      const error = (await sakari.messages.list().catch((e: unknown) => e)) as SakariApiError;
      expect(error.constructor).toBe(SakariApiError);
      expect(error).toMatchObject({ status: 200, method: 'GET', attempts: 3 });
      expect(error.message).toMatch(
        /^200 GET \/v1\/accounts\/acc_1\/messages: Malformed response: the body is not valid JSON \(cut short\?\): "\{/,
      );
      expect(seen).toHaveLength(3);
    });

    it('is never retried for a send, which Sakari may have acted on', async () => {
      const { sakari, seen, retries } = await cutting(1, '{"success":true,"data":{"jobId":"j1"}}');
      const error = (await sakari.messages
        .send({ template: 'hi', contacts: [{ mobile: { number: '+15551234567' } }] })
        .catch((e: unknown) => e)) as SakariApiError;
      expect(error.constructor).toBe(SakariApiError);
      expect(error).toMatchObject({ status: 200, method: 'POST', attempts: 1 });
      expect(error.message).toContain('the body is not valid JSON (cut short?)');
      expect(seen).toEqual(['POST /v1/accounts/acc_1/messages']);
      expect(retries).toEqual([]);
    });
  });

  it('a 10 MB error body → ServerError whose body is an excerpt, not 10 MB', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('e'.repeat(10 * 1024 * 1024));
    });
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: { token: 'hostile-test-token' },
      baseUrl: url,
      maxRetries: 0,
    });
    const error = (await sakari.messages.list().catch((e: unknown) => e)) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(String(error.body).length).toBeLessThan(300);
  });

  it('a Retry-After of one year waits no longer than the cap', async () => {
    let calls = 0;
    const { sakari } = clientFor(
      () => {
        calls++;
        return json({ success: false, error: { code: 'RATE-001', message: 'later' } }, 429, {
          'retry-after': '31536000',
        });
      },
      { maxRetries: 2, retry: { maxRetryAfterMs: 50 } },
    );
    const started = Date.now();
    await expect(sakari.messages.list()).rejects.toMatchObject({ status: 429, attempts: 3 });
    expect(calls).toBe(3);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a redirect to another origin is not followed and the token never leaves', async () => {
    const seenByOther: IncomingHttpHeaders[] = [];
    const other = await serve((req, res) => {
      seenByOther.push(req.headers);
      res.end('{}');
    });
    const origin = await serve((_req, res) => {
      res.writeHead(302, { location: `${other}/steal?from=sakari` });
      res.end();
    });
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: { token: 'hostile-test-token' },
      baseUrl: origin,
    });
    const error = (await sakari.messages.list().catch((e: unknown) => e)) as SakariApiError;
    expect(error).toBeInstanceOf(SakariApiError);
    expect(error.status).toBe(302);
    expect(error.message).toContain('redirect to http://127.0.0.1:');
    expect(seenByOther).toEqual([]);
  });

  it('a server that closes the connection without answering → SakariConnectionError', async () => {
    const url = await serve((req) => req.socket.destroy());
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: { token: 'hostile-test-token' },
      baseUrl: url,
      maxRetries: 1,
      retry: { baseDelayMs: 1 },
    });
    await expect(sakari.messages.list()).rejects.toMatchObject({
      name: 'SakariConnectionError',
      attempts: 2,
    });
  });
});
