// What Prism 5.14.2 does with Sakari's own document (test/fixtures/sakari-openapi-1.0.1.yaml), by
// plain fetch: the ground the client tests in sakari-document.test.ts stand on. The document has
// no examples, no `required`, no `nullable`, declares OAuth2 client credentials (tokenUrl
// /oauth2/token) on every messages operation and no error response for any of them.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { type Json, TOKEN_PATH } from '../helpers/spec.js';
import { type Violation, violationsOf } from './prism.js';
import { hasNull } from './wire.js';

const mockUrl = inject('sakariMockUrl');
const dynamicUrl = inject('sakariDynamicUrl');

const accountId = 'acc_1';
const listUrl = (base: string) => `${base}/v1/accounts/${accountId}/messages`;
const bearer = { authorization: 'Bearer sakari-document-test' };
const json = { 'content-type': 'application/json' };
const tokenRequest = {
  grant_type: 'client_credentials',
  client_id: 'sakari-client-id',
  client_secret: 'sakari-client-secret',
};
// Seeds of the dynamic mock; none is a shorter one repeated (seedrandom treats "5", "55" alike).
const SEEDS = Array.from({ length: 20 }, (_, i) => 5001 + i);

// The static mock samples each schema: "string", 0 and true, the document's few `example`
// values, and for `format: double` the most negative double.
const updated = {
  at: '2019-08-24T14:15:22Z',
  by: { firstName: 'Joe', id: 'string', lastName: 'Bloggs' },
};
const contact = {
  email: 'chris@sakari.io',
  firstName: 'Chris',
  id: 'string',
  lastName: 'Bloggs',
  mobile: { country: 'string', number: '123-456-7890' },
};
const error = { code: 'CONT-010', description: 'Contact has requested no further communication' };
const STATIC_MESSAGE = {
  contact,
  conversation: { id: 'string' },
  created: updated,
  error,
  id: 'string',
  media: [{ filename: 'string', type: 'string', url: 'string' }],
  message: 'string',
  outgoing: true,
  phoneNumber: '+1234567890',
  price: 0,
  read: true,
  segments: 0,
  status: 'string',
  template: 'string',
  updated,
};

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Json;
  violations: Violation[];
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: text ? JSON.parse(text) : undefined,
    violations: violationsOf(response),
  };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  call(url, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });

describe("the static mock of Sakari's document", () => {
  it('asks the messages operations for a Bearer token (any will do), case-sensitively', async () => {
    const tries = await Promise.all(
      [undefined, 'Basic dXNlcjpwYXNz', 'bearer lower-case', 'Bearer ', 'Bearer two words'].map(
        (authorization) =>
          call(`${listUrl(mockUrl)}/msg_1`, { headers: authorization ? { authorization } : {} }),
      ),
    );
    expect(tries.map((t) => t.status)).toEqual([401, 401, 401, 401, 200]);
    const [refused] = tries;
    // No 401 is declared, so Prism makes its own problem up.
    expect(refused?.headers.get('content-type')).toBe('application/problem+json');
    expect(refused?.headers.get('www-authenticate')).toBe('OAuth2');
    expect(refused?.body).toMatchObject({ status: 401, title: 'Invalid security scheme used' });
  });

  it('answers the token endpoint without auth, with the token "string"', async () => {
    const answer = await post(`${mockUrl}${TOKEN_PATH}`, tokenRequest);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ access_token: 'string', token_type: 'string' });
    expect(answer.violations).toEqual([]);
  });

  it('answers every list with one message and zero counts, whatever the query', async () => {
    const page = {
      error: { code: 'string', message: 'string' },
      pagination: { limit: 0, offset: 0, totalCount: 0 },
      success: true,
      data: [STATIC_MESSAGE],
    };
    const answers = await Promise.all(
      ['', '?limit=5', '?offset=200&limit=100'].map((query) =>
        call(`${listUrl(mockUrl)}${query}`, { headers: bearer }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.violations).toEqual([]);
      expect(answer.body).toEqual(page);
    }
  });

  it('answers get with the same message, and a send with no success field at all', async () => {
    const got = await call(`${listUrl(mockUrl)}/msg_1`, { headers: bearer });
    expect(got.body).toEqual({ data: STATIC_MESSAGE, success: true });
    const sent = await post(listUrl(mockUrl), { contacts: [{ id: 'c_1' }] }, bearer);
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({
      data: {
        estimatedPrice: -Number.MAX_VALUE,
        invalid: [
          {
            ...contact,
            attributes: {},
            tags: [{ tag: 'string', visible: true }],
            created: updated,
            error,
            updated,
            valid: true,
          },
        ],
        jobId: 'string',
        messages: [STATIC_MESSAGE],
        requested: 0,
        valid: 0,
      },
    });
  });

  it('refuses a request that breaks the document with a 422 problem of its own', async () => {
    const [limit, type] = await Promise.all([
      call(`${listUrl(mockUrl)}?limit=0`, { headers: bearer }),
      post(listUrl(mockUrl), { type: 'sms' }, bearer),
    ]);
    for (const answer of [limit, type]) {
      expect(answer.status).toBe(422);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(limit.body.validation).toEqual([
      expect.objectContaining({ location: ['query', 'limit'], code: 'minimum' }),
    ]);
    expect(type.body.validation).toEqual([
      expect.objectContaining({ location: ['body', 'type'], code: 'enum' }),
    ]);
  });

  it('cannot play an error: the document declares none for the messages operations', async () => {
    const answers = await Promise.all(
      [400, 401, 404, 429, 500].map((code) =>
        call(listUrl(mockUrl), { headers: { ...bearer, prefer: `code=${code}` } }),
      ),
    );
    for (const [i, answer] of answers.entries()) {
      expect(answer.status).toBe(404);
      expect(answer.body.detail).toBe(
        `Requested status code ${[400, 401, 404, 429, 500][i]} is not defined in the document.`,
      );
    }
  });
});

interface Draw {
  seed: number;
  list: Answer;
  get: Answer;
  send: Answer;
  token: Answer;
}

async function draw(seed: number, query = '?limit=5'): Promise<Draw> {
  const headers = { ...bearer, prefer: `seed=${seed}` };
  const [list, get, send, token] = await Promise.all([
    call(`${listUrl(dynamicUrl)}${query}`, { headers }),
    call(`${listUrl(dynamicUrl)}/msg_1`, { headers }),
    post(listUrl(dynamicUrl), { contacts: [{ id: 'c_1' }], template: 'Hi' }, headers),
    post(`${dynamicUrl}${TOKEN_PATH}`, tokenRequest, { prefer: `seed=${seed}` }),
  ]);
  return { seed, list, get, send, token };
}

describe("the dynamic mock of Sakari's document", () => {
  let draws: Draw[] = [];
  beforeAll(async () => {
    draws = await Promise.all(SEEDS.map((seed) => draw(seed)));
  }, 60_000);
  const answers = () => draws.flatMap((d) => [d.list, d.get, d.send, d.token]);

  it(`answers ${SEEDS.length * 4} seeded requests with 200 and bodies that fit the document`, () => {
    // --errors: a body that broke the document would be a 500.
    for (const answer of answers()) {
      expect(answer.status).toBe(200);
      expect(answer.violations).toEqual([]);
    }
  });

  it('fills in every property the document declares, optional or not, and never a null', () => {
    for (const { seed, list, get, send, token } of draws) {
      expect(Array.isArray(list.body.data), `seed=${seed}`).toBe(true);
      expect(Object.keys(list.body.pagination).sort(), `seed=${seed}`).toEqual([
        'limit',
        'offset',
        'totalCount',
      ]);
      expect(typeof list.body.success, `seed=${seed}`).toBe('boolean');
      for (const message of [...list.body.data, get.body.data]) {
        expect(typeof message.id, `seed=${seed}`).toBe('string');
      }
      expect(typeof token.body.access_token, `seed=${seed}`).toBe('string');
      expect(Object.keys(send.body.data).sort(), `seed=${seed}`).toEqual([
        'estimatedPrice',
        'invalid',
        'jobId',
        'messages',
        'requested',
        'valid',
      ]);
    }
    expect(answers().filter((a) => hasNull(a.body))).toEqual([]);
  });

  it('never says hasNext, nor success on a send; makes up extra properties', () => {
    expect(draws.filter((d) => 'hasNext' in d.list.body.pagination)).toEqual([]);
    expect(draws.filter((d) => 'success' in d.send.body)).toEqual([]);
    // The document's objects are open: the generator adds made-up keys beside `data`.
    expect(draws.filter((d) => Object.keys(d.send.body).length > 1).length).toBeGreaterThan(0);
  });

  it('makes up success: false on a 200, empty pages and counts of zero or below', () => {
    const seen = (what: (d: Draw) => boolean) => draws.filter(what).length;
    expect(seen((d) => d.list.body.success === false)).toBeGreaterThan(0);
    expect(seen((d) => d.list.body.success === true)).toBeGreaterThan(0);
    expect(seen((d) => d.get.body.success === false)).toBeGreaterThan(0);
    expect(seen((d) => d.list.body.data.length === 0)).toBeGreaterThan(0);
    expect(seen((d) => d.list.body.pagination.limit <= 0)).toBeGreaterThan(0);
    expect(seen((d) => d.list.body.pagination.offset < 0)).toBeGreaterThan(0);
    expect(seen((d) => d.list.body.pagination.totalCount < 0)).toBeGreaterThan(0);
    expect(seen((d) => d.send.body.data.requested < 0)).toBeGreaterThan(0);
  });

  it('makes up tokens with spaces in them, which it then takes as a Bearer', async () => {
    const spaced = draws.find((d) => /\s/.test(d.token.body.access_token));
    expect(spaced).toBeDefined();
    const answer = await call(`${listUrl(dynamicUrl)}/msg_1`, {
      headers: { authorization: `Bearer ${spaced?.token.body.access_token}` },
    });
    expect(answer.status).toBe(200);
  });

  it('answers a seed with the same page whatever the offset and limit asked', async () => {
    const [first] = draws;
    const again = await draw(first?.seed ?? 0, '?offset=300&limit=100');
    expect(again.list.text).toBe(first?.list.text);
    expect(new Set(draws.map((d) => d.list.text)).size).toBe(SEEDS.length);
  });
});
