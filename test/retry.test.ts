import { describe, expect, it } from 'vitest';
import {
  createSakariClient,
  RateLimitError,
  SakariApiError,
  SakariConnectionError,
  SakariTimeoutError,
  ServerError,
} from '../src/index.js';
import {
  createTransport,
  parseRetryAfter,
  retryDelay,
  shouldRetry,
  takeBody,
} from '../src/retry.js';
import { json, observedFetch, sakariError, stall } from './helpers/observed-fetch.js';

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
    expect(shouldRetry({ error: new Error('bug') }, true)).toBe(false);
  });
});

describe('the buffered body', () => {
  it('is handed over once, so the transport keeps no page after its caller took it', async () => {
    const wire = observedFetch(() => json({ success: true, data: [] }));
    const transport = createTransport({
      fetch: wire.fetch,
      timeoutMs: 1000,
      policy: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    });
    const response = await transport(new Request('https://api.sakari.io/v1/x'), {
      bodyUnread: true,
    });
    const bytes = takeBody(response);
    expect(new TextDecoder().decode(bytes ?? undefined)).toBe('{"success":true,"data":[]}');
    expect(takeBody(response)).toBeNull();
    // A Response the transport did not make has nothing to hand over.
    expect(takeBody(new Response('{}'))).toBeUndefined();
  });
});
