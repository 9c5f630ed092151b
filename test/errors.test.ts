import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  createSakariClient,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SakariApiError,
  SakariError,
  ServerError,
} from '../src/index.js';
import { json, observedFetch, sakariError } from './helpers/observed-fetch.js';

function clientAnswering(response: () => Response) {
  const wire = observedFetch(() => response());
  const sakari = createSakariClient({
    accountId: 'acc_1',
    auth: { token: 'tok-secret-1' },
    fetch: wire.fetch,
    maxRetries: 0,
  });
  return { sakari, wire };
}

const cases = [
  [400, SakariApiError, 'CONT-001', 'Invalid mobile number'],
  [401, AuthenticationError, 'AUTH-001', 'Invalid or expired access token'],
  [403, PermissionDeniedError, 'ACCT-016', 'Account does not have access to this API'],
  [404, NotFoundError, 'MSG-404', 'Message not found'],
  [429, RateLimitError, 'RATE-001', 'Too many requests'],
  [500, ServerError, 'SYS-001', 'Internal server error'],
  [503, ServerError, 'SYS-003', 'Service unavailable'],
] as const;

describe('API errors', () => {
  it.each(cases)('%i becomes %o with its fields', async (status, Class, code, text) => {
    const { sakari } = clientAnswering(() =>
      sakariError(status, code, text, { 'x-request-id': 'req_42', 'retry-after': '7' }),
    );
    const error = (await sakari.messages.get('m1').catch((e: unknown) => e)) as SakariApiError;
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(SakariApiError);
    expect(error).toBeInstanceOf(SakariError);
    expect(error).toMatchObject({
      name: Class.name,
      status,
      code,
      method: 'GET',
      url: 'https://api.sakari.io/v1/accounts/acc_1/messages/m1',
      requestId: 'req_42',
      attempts: 1,
      body: { success: false, error: { code, message: text } },
    });
    expect(error.message).toBe(`${status} GET /v1/accounts/acc_1/messages/m1: ${text} (${code})`);
    if (error instanceof RateLimitError) expect(error.retryAfterMs).toBe(7000);
  });

  it('reads the nested { code, description } form too', async () => {
    const { sakari } = clientAnswering(() =>
      json({ success: false, error: { code: 'CONT-010', description: 'Contact opted out' } }, 400),
    );
    await expect(sakari.messages.get('m1')).rejects.toMatchObject({
      code: 'CONT-010',
      message: '400 GET /v1/accounts/acc_1/messages/m1: Contact opted out (CONT-010)',
    });
  });

  it('turns an HTML 502 from a proxy into a ServerError with an excerpt', async () => {
    const { sakari } = clientAnswering(
      () =>
        new Response('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'content-type': 'text/html' },
        }),
    );
    const error = (await sakari.messages.list().catch((e: unknown) => e)) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.status).toBe(502);
    expect(error.code).toBeUndefined();
    expect(error.message).toContain(
      'Bad Gateway (non-JSON body: "<html><head><title>502 Bad Gateway',
    );
  });

  it('treats a 200 with success: false as an error', async () => {
    const { sakari } = clientAnswering(() =>
      json({ success: false, error: { code: 'ACCT-006', message: 'Insufficient credit' } }),
    );
    const error = (await sakari.messages
      .send({ template: 'hi', contacts: [{ mobile: { number: '+15551234567' } }] })
      .catch((e: unknown) => e)) as SakariApiError;
    expect(error).toBeInstanceOf(SakariApiError);
    expect(error).toMatchObject({ status: 200, code: 'ACCT-006', method: 'POST' });
  });

  it('turns invalid or truncated JSON into a SakariApiError, never a SyntaxError', async () => {
    for (const body of ['{"success":true,"data":[{"id":"m1"', '', 'null', '<html>ok</html>']) {
      const { sakari } = clientAnswering(() => new Response(body, { status: 200 }));
      const error = await sakari.messages.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SakariApiError);
      expect((error as Error).message).toMatch(
        /^200 GET \/v1\/accounts\/acc_1\/messages: Malformed response/,
      );
    }
  });

  it('rejects a page whose data is not an array', async () => {
    const { sakari } = clientAnswering(() =>
      json({ success: true, pagination: { offset: 0, limit: 1 }, data: { id: 'm1' } }),
    );
    await expect(sakari.messages.list()).rejects.toThrow(/no data array/);
  });

  it('never carries the token, however the error is printed', async () => {
    const { sakari } = clientAnswering(() =>
      sakariError(401, 'AUTH-001', 'Bad token tok-secret-1 for this account'),
    );
    const error = await sakari.messages.list().catch((e: unknown) => e);
    const printed = [
      (error as Error).message,
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      (error as Error).stack ?? '',
    ].join('\n');
    expect(printed).toContain('[redacted]');
    expect(printed).not.toContain('tok-secret-1');
  });
});
