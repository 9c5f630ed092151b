import { describe, expect, it } from 'vitest';
import { clientCredentials, jwtExpiry } from '../src/auth.js';
import { AuthenticationError, createSakariClient } from '../src/index.js';
import { fakeJwt, json, observedFetch, sakariError } from './helpers/observed-fetch.js';

const emptyPage = {
  success: true,
  pagination: { offset: 0, limit: 100, hasNext: false },
  data: [],
};
const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

function credentialsClient(handler: Parameters<typeof observedFetch>[0]) {
  const wire = observedFetch(handler);
  const sakari = createSakariClient({
    accountId: 'acc_1',
    auth: { clientId: 'client-id-1', clientSecret: 'very-secret-value' },
    baseUrl: 'https://api.example.test',
    fetch: wire.fetch,
    retry: { baseDelayMs: 1 },
  });
  const tokenRequests = () => wire.lines().filter((l) => l === 'POST /oauth2/token').length;
  return { sakari, wire, tokenRequests };
}

describe('client credentials', () => {
  it('exchanges them with a JSON body and sends the token as a bearer', async () => {
    const token = fakeJwt(inOneHour(), 'a');
    const { sakari, wire } = credentialsClient((req) =>
      req.url.endsWith('/oauth2/token')
        ? json({ access_token: token, token_type: 'Bearer' })
        : json(emptyPage),
    );
    await sakari.messages.list();
    expect(wire.lines()).toEqual(['POST /oauth2/token', 'GET /v1/accounts/acc_1/messages']);
    const tokenRequest = wire.requests[0] as Request;
    expect(tokenRequest.headers.get('authorization')).toBeNull();
    expect(tokenRequest.headers.get('content-type')).toBe('application/json');
    expect(await tokenRequest.json()).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-id-1',
      client_secret: 'very-secret-value',
    });
    expect(wire.requests[1]?.headers.get('authorization')).toBe(`Bearer ${token}`);
  });

  it('shares one token request among 50 concurrent calls, then reuses it', async () => {
    // The token answer waits until all 50 calls have started.
    let answerToken = () => {};
    const allStarted = new Promise<void>((resolve) => {
      answerToken = resolve;
    });
    const { sakari, tokenRequests } = credentialsClient(async (req) => {
      if (req.url.endsWith('/oauth2/token')) {
        await allStarted;
        return json({ access_token: fakeJwt(inOneHour()), token_type: 'Bearer' });
      }
      return json(emptyPage);
    });
    const calls = Array.from({ length: 50 }, () => sakari.messages.list());
    answerToken();
    await Promise.all(calls);
    await sakari.messages.list();
    expect(tokenRequests()).toBe(1);
  });

  it('refreshes a token once it is within 60 s of its exp', async () => {
    let now = 1_800_000_000_000;
    let issued = 0;
    const source = clientCredentials(
      async () => {
        issued++;
        return fakeJwt(now / 1000 + 3600, `t${issued}`);
      },
      () => now,
    );
    const first = await source.token();
    now += 3600_000 - 61_000;
    expect(await source.token()).toBe(first);
    now += 2_000;
    const second = await source.token();
    expect(second).not.toBe(first);
    expect(source.exchanges).toBe(2);
  });

  it('keeps a short-lived token for half its life rather than refreshing on every call', async () => {
    let now = 1_800_000_000_000;
    const source = clientCredentials(
      async () => fakeJwt(now / 1000 + 10),
      () => now,
    );
    await source.token();
    now += 4_000;
    await source.token();
    expect(source.exchanges).toBe(1);
    now += 2_000;
    await source.token();
    expect(source.exchanges).toBe(2);
  });

  it('refreshes once and retries once on a 401 for a fetched token', async () => {
    let issued = 0;
    const { sakari, wire, tokenRequests } = credentialsClient((req) => {
      if (req.url.endsWith('/oauth2/token')) {
        issued++;
        return json({ access_token: fakeJwt(inOneHour(), `t${issued}`), token_type: 'Bearer' });
      }
      const auth = req.headers.get('authorization') ?? '';
      return auth.endsWith('.sig-t1')
        ? sakariError(401, 'AUTH-001', 'Token revoked')
        : json(emptyPage);
    });
    await expect(sakari.messages.list()).resolves.toMatchObject({ data: [] });
    expect(tokenRequests()).toBe(2);
    expect(wire.lines().filter((l) => l.startsWith('GET'))).toHaveLength(2);
  });

  it('gives up after one refresh when the fresh token is refused too', async () => {
    const { sakari, wire, tokenRequests } = credentialsClient((req) =>
      req.url.endsWith('/oauth2/token')
        ? json({ access_token: fakeJwt(inOneHour()), token_type: 'Bearer' })
        : sakariError(401, 'AUTH-001', 'Invalid or expired access token'),
    );
    const error = await sakari.messages.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(tokenRequests()).toBe(2);
    expect(wire.lines().filter((l) => l.startsWith('GET'))).toHaveLength(2);
  });

  it('refreshes on a 401 when the token has no exp', async () => {
    let issued = 0;
    const { sakari, tokenRequests } = credentialsClient((req) => {
      if (req.url.endsWith('/oauth2/token')) {
        issued++;
        return json({ access_token: fakeJwt(undefined, `n${issued}`), token_type: 'Bearer' });
      }
      return (req.headers.get('authorization') ?? '').endsWith('.sig-n1') && issued === 1
        ? sakariError(401, 'AUTH-001', 'expired')
        : json(emptyPage);
    });
    await sakari.messages.list();
    await sakari.messages.list();
    expect(tokenRequests()).toBe(2);
  });

  it('reports wrong credentials as an AuthenticationError without the secret', async () => {
    const { sakari, wire } = credentialsClient(() =>
      sakariError(401, 'AUTH-002', 'Invalid client credentials'),
    );
    const error = (await sakari.messages.list().catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toBe('401 POST /oauth2/token: Invalid client credentials (AUTH-002)');
    expect(JSON.stringify(error) + String(error)).not.toContain('very-secret-value');
    // no messages request without a token
    expect(wire.lines()).toEqual(['POST /oauth2/token']);
  });
});

describe('static token', () => {
  it('is final on a 401: no refresh, no retry', async () => {
    const wire = observedFetch(() =>
      sakariError(401, 'AUTH-001', 'Invalid or expired access token'),
    );
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: { token: 'static-token-abc' },
      fetch: wire.fetch,
    });
    await expect(sakari.messages.list()).rejects.toBeInstanceOf(AuthenticationError);
    expect(wire.requests).toHaveLength(1);
  });
});

describe('jwtExpiry', () => {
  it('reads exp in milliseconds, and nothing from a non-JWT', () => {
    expect(jwtExpiry(fakeJwt(1_900_000_000))).toBe(1_900_000_000_000);
    expect(jwtExpiry(fakeJwt(undefined))).toBeUndefined();
    expect(jwtExpiry('opaque-token')).toBeUndefined();
    expect(jwtExpiry('a.%%%.c')).toBeUndefined();
  });
});
