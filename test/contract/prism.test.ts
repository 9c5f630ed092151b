// The Prism harness itself, and the proxy behaviour the sandbox tests rely on: Prism with
// `--errors` in front of a loopback upstream whose every answer we choose.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { isRunning } from '../helpers/process.js';
import { assertMatches, responsePointer, spec } from '../helpers/spec.js';
import { type PrismInstance, startPrism, startProxy, violationsOf } from './prism.js';

const examples = spec.components.examples;
const listPath = `/v1/accounts/${spec.components.parameters.AccountId.example}/messages`;

describe('startPrism', () => {
  it('rejects at once, with Prism output, when Prism cannot start', async () => {
    const started = Date.now();
    const failure = startPrism({ mode: 'mock', spec: '/nonexistent/openapi.json' });
    await expect(failure).rejects.toThrow(/fatal[\s\S]*nonexistent\/openapi\.json/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses a proxy without an upstream', async () => {
    await expect(startPrism({ mode: 'proxy' })).rejects.toThrow(/upstream/);
  });
});

/** What the upstream answers, chosen per request by the `x-scenario` header. */
const scenarios: Record<string, { status: number; body: unknown; headers?: object }> = {
  valid: { status: 200, body: examples.MessageListFirstPage.value },
  // The sabotage the issue asks to be caught: a count sent as a string.
  'string-total': {
    status: 200,
    body: {
      ...examples.MessageListFirstPage.value,
      pagination: { ...examples.MessageListFirstPage.value.pagination, totalCount: '3' },
    },
  },
  'rate-limited': {
    status: 429,
    body: examples.ErrorTooManyRequests.value,
    headers: { 'retry-after': '30' },
  },
  'bad-retry-after': {
    status: 429,
    body: examples.ErrorTooManyRequests.value,
    headers: { 'retry-after': 'soon' },
  },
  teapot: { status: 418, body: { success: false } },
  // A message two turns down the Message ⇄ Conversation cycle, lacking its required id.
  'deep-cycle': {
    status: 200,
    body: {
      ...examples.MessageListFirstPage.value,
      data: [
        {
          ...examples.MessageOutbound.value.data,
          conversation: {
            id: 'conv_1',
            lastMessage: {
              ...examples.MessageOutbound.value.data,
              conversation: { id: 'conv_1', lastMessage: { message: 'no id' } },
            },
          },
        },
      ],
    },
  },
};

describe('Prism proxy with --errors', () => {
  const seen: IncomingHttpHeaders[] = [];
  let upstream: Server;
  let proxy: PrismInstance;

  beforeAll(async () => {
    // The same sabotage on a real sandbox page, as the issue puts it: the sandbox itself cannot
    // be made to send a string count, so its page is spoiled here and served by the upstream.
    // sandbox-proxy.test.ts breaks the real sandbox in ways it can be broken (a spoiled message).
    const sandbox = await startSandbox({ messages: 2500 });
    try {
      const response = await fetch(
        `${sandbox.url}/v1/accounts/${sandbox.accountId}/messages?limit=3`,
        {
          headers: { authorization: `Bearer ${sandbox.store.issueToken()}` },
        },
      );
      const page = await response.json();
      page.pagination.totalCount = String(page.pagination.totalCount);
      scenarios['sandbox-string-total'] = { status: 200, body: page };
    } finally {
      await sandbox.close();
    }
    upstream = createServer((request, response) => {
      seen.push(request.headers);
      const scenario = scenarios[String(request.headers['x-scenario'])] ?? scenarios.valid;
      response.writeHead(scenario?.status ?? 500, {
        'content-type': 'application/json',
        ...scenario?.headers,
      });
      response.end(JSON.stringify(scenario?.body));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    proxy = await startProxy(`http://127.0.0.1:${port}`);
    // Prism needs ~4 s to start, more on a busy machine; startPrism gives up by itself at 30 s.
  }, 40_000);

  afterAll(async () => {
    await proxy?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  const list = (scenario: string, init: { query?: string; auth?: boolean } = {}) =>
    fetch(`${proxy.url}${listPath}${init.query ?? ''}`, {
      headers: {
        'x-scenario': scenario,
        prefer: 'code=200',
        ...(init.auth === false ? {} : { authorization: 'Bearer proxy-test' }),
      },
    });

  it('passes a valid response through unchanged, headers forwarded', async () => {
    const response = await list('valid');
    expect(response.status).toBe(200);
    expect(violationsOf(response)).toEqual([]);
    expect(await response.json()).toEqual(examples.MessageListFirstPage.value);
    expect(seen.at(-1)).toMatchObject({ authorization: 'Bearer proxy-test', prefer: 'code=200' });
  });

  it('passes a valid 429 through with its Retry-After', async () => {
    const response = await list('rate-limited');
    expect(response.status).toBe(429);
    expect(violationsOf(response)).toEqual([]);
    expect(response.headers.get('retry-after')).toBe('30');
  });

  // A hand-made body, then a real sandbox page whose totalCount is the string "2500".
  it.each(['string-total', 'sandbox-string-total'])(
    'turns a response body that breaks the spec into a 500 naming the violation (%s)',
    async (scenario) => {
      expect(scenarios[scenario]?.body).toMatchObject({
        pagination: { totalCount: expect.any(String) },
      });
      const response = await list(scenario);
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(violationsOf(response)).toEqual([
        expect.objectContaining({
          location: ['response', 'body', 'pagination', 'totalCount'],
          severity: 'Error',
          code: 'type',
        }),
      ]);
    },
  );

  it('turns a response header that breaks the spec into a 500', async () => {
    const response = await list('bad-retry-after');
    expect(response.status).toBe(500);
    expect(violationsOf(response)).toEqual([
      expect.objectContaining({ location: ['response', 'header', 'retry-after'] }),
    ]);
  });

  it('lets an undeclared status through, flagged only by a Warning in sl-violations', async () => {
    const response = await list('teapot');
    expect(response.status).toBe(418);
    expect(violationsOf(response)).toEqual([
      expect.objectContaining({ location: ['response'], severity: 'Warning' }),
    ]);
  });

  it('misses a violation two turns down a $ref cycle: back it up with assertMatches', async () => {
    const response = await list('deep-cycle');
    const body = await response.json();
    expect(response.status).toBe(200);
    expect(violationsOf(response)).toEqual([]);
    expect(() =>
      assertMatches(responsePointer('/v1/accounts/{accountId}/messages', 'get', '200'), body),
    ).toThrow(/lastMessage\/conversation\/lastMessage must have required property 'id'/);
  });

  it('answers an invalid request itself with 422, without forwarding it', async () => {
    const before = seen.length;
    const response = await list('valid', { query: '?limit=0' });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      status: 422,
      validation: [expect.objectContaining({ location: ['query', 'limit'], code: 'minimum' })],
    });
    expect(seen.length).toBe(before);
  });

  it('answers a request without Authorization itself with 401, without forwarding it', async () => {
    const before = seen.length;
    const response = await list('valid', { auth: false });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(seen.length).toBe(before);
  });

  it('stop() ends the Prism process', async () => {
    expect(isRunning(proxy.pid)).toBe(true);
    await proxy.stop();
    expect(isRunning(proxy.pid)).toBe(false);
    expect(proxy.output()).toContain('Prism is listening on');
  });
});
