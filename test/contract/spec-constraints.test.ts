// Raw HTTP against Prism's static mock (no client involved): the spec's examples are what a valid
// request gets back, and the constraints the spec declares are ones Prism really enforces. The
// client's own contract tests lean on both facts.
import { describe, expect, inject, it } from 'vitest';
import { deref, type Json, LIST_PATH, MESSAGE_PATH, spec, TOKEN_PATH } from '../helpers/spec.js';
import { violationsOf } from './prism.js';

const mockUrl = inject('prismMockUrl');

const accountId: string = spec.components.parameters.AccountId.example;
const messageId: string = spec.components.parameters.MessageId.example;
const contactId: string = spec.components.parameters.ContactId.example;
const conversationId: string = spec.components.parameters.ConversationId.example;
const bearer = 'Bearer contract-test-token';

interface Operation {
  id: string;
  path: string;
  method: 'get' | 'post';
  /** The concrete path requested. */
  target: string;
}

const listMessages: Operation = {
  id: 'listMessages',
  path: LIST_PATH,
  method: 'get',
  target: `/v1/accounts/${accountId}/messages`,
};
const getMessage: Operation = {
  id: 'getMessage',
  path: MESSAGE_PATH,
  method: 'get',
  target: `/v1/accounts/${accountId}/messages/${messageId}`,
};
const sendMessages: Operation = { ...listMessages, id: 'sendMessages', method: 'post' };
const createToken: Operation = {
  id: 'createToken',
  path: TOKEN_PATH,
  method: 'post',
  target: TOKEN_PATH,
};
const operations = [listMessages, getMessage, sendMessages, createToken];

function specOperation(op: Operation): Json {
  return spec.paths[op.path][op.method];
}

/** Whether the operation needs a bearer token (createToken overrides the global security). */
function secured(op: Operation): boolean {
  return (specOperation(op).security ?? spec.security).length > 0;
}

/** The declared response for a status, falling back to its range (`5XX`) as Prism does. */
function declaredResponse(op: Operation, status: number): Json | undefined {
  const responses = specOperation(op).responses;
  const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
  return response && deref(response);
}

/** The first example of a response: what Prism's static mock returns unless told otherwise. */
function firstExample(op: Operation, status: number): Json {
  const examples = declaredResponse(op, status).content['application/json'].examples;
  return deref(Object.values(examples)[0]).value;
}

function requestExample(op: Operation): Json {
  const examples = specOperation(op).requestBody.content['application/json'].examples;
  return deref(Object.values(examples)[0]).value;
}

interface Call {
  query?: string;
  headers?: Record<string, string>;
  /** Replaces the request example as the JSON body. */
  body?: Json;
  /** Leave out the Authorization header. */
  anonymous?: boolean;
}

/** One request as the client would send it: bearer token, JSON body from the spec's example. */
function call(op: Operation, { query, headers = {}, body, anonymous = false }: Call = {}) {
  const url = `${mockUrl}${op.target}${query ? `?${query}` : ''}`;
  const sent: Record<string, string> = { accept: 'application/json', ...headers };
  if (secured(op) && !anonymous) sent.authorization = bearer;
  if (op.method === 'get') return fetch(url, { headers: sent });
  sent['content-type'] = 'application/json';
  return fetch(url, {
    method: 'POST',
    headers: sent,
    body: JSON.stringify(body ?? requestExample(op)),
  });
}

describe('a valid request gets 200, the first example and no violation', () => {
  const cases: [string, Operation, string?][] = [
    ['listMessages', listMessages],
    ['listMessages offset=0', listMessages, 'offset=0'],
    ['listMessages offset=2', listMessages, 'offset=2'],
    ['listMessages limit=1', listMessages, 'limit=1'],
    ['listMessages limit=100', listMessages, 'limit=100'],
    ['listMessages contactId', listMessages, `contactId=${contactId}`],
    ['listMessages conversationId', listMessages, `conversationId=${conversationId}`],
    [
      'listMessages with every parameter',
      listMessages,
      `offset=2&limit=2&contactId=${contactId}&conversationId=${conversationId}`,
    ],
    ['getMessage', getMessage],
    ['sendMessages with the example body', sendMessages],
    ['createToken with the example body, no Authorization', createToken],
  ];

  it.each(cases)('%s', async (_name, op, query) => {
    const response = await call(op, { query });
    const body = await response.json();
    expect(violationsOf(response)).toEqual([]);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/i);
    expect(body).toEqual(firstExample(op, 200));
  });
});

describe('a request that breaks the spec is rejected', () => {
  // Prism answers a request violation with the operation's 422 response if the spec declares
  // one, else its 400 (prism-http mocker, getExpectedCodesForViolations → [422, 400]). Sakari
  // answers a bad parameter with 400 and our spec declares no 422, so Prism answers 400 with the
  // spec's 400 example; the `sl-violations` header says what was wrong.
  it.each([
    ['limit=0', 'limit', 'minimum'],
    ['limit=101', 'limit', 'maximum'],
    ['offset=-1', 'offset', 'minimum'],
    ['limit=ten', 'limit', 'type'],
  ])('listMessages ?%s → 400', async (query, parameter, keyword) => {
    const response = await call(listMessages, { query });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(firstExample(listMessages, 400));
    expect(violationsOf(response)).toEqual([
      expect.objectContaining({
        location: ['request', 'query', parameter],
        severity: 'Error',
        code: keyword,
      }),
    ]);
  });

  it.each(operations.filter(secured).map((op) => [op.id, op] as const))(
    '%s without Authorization → 401',
    async (_id, op) => {
      const response = await call(op, { anonymous: true });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual(firstExample(op, 401));
      expect(violationsOf(response)).toEqual([
        expect.objectContaining({ location: ['request'], code: 401 }),
      ]);
    },
  );

  it('listMessages with a Basic instead of a Bearer Authorization → 401', async () => {
    const response = await call(listMessages, {
      anonymous: true,
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(response.status).toBe(401);
    expect(violationsOf(response)).toEqual([expect.objectContaining({ code: 401 })]);
  });

  it('sendMessages with a template that is not text → 400; a contact by id alone → 200', async () => {
    const response = await call(sendMessages, {
      body: { ...requestExample(sendMessages), template: 42 },
    });
    expect(response.status).toBe(400);
    expect(violationsOf(response)).toEqual([
      expect.objectContaining({ location: ['request', 'body', 'template'], code: 'type' }),
    ]);
    const byId = await call(sendMessages, { body: { contacts: [{ id: 'c1' }], template: 'Hi' } });
    expect(byId.status).toBe(200);
  });

  it('createToken with another grant type → 400', async () => {
    const body = { ...requestExample(createToken), grant_type: 'password' };
    const response = await call(createToken, { body });
    expect(response.status).toBe(400);
    expect(violationsOf(response)).toEqual([
      expect.objectContaining({ location: ['request', 'body', 'grant_type'], code: 'const' }),
    ]);
  });
});

describe('Prefer: code=N answers with the error example of N', () => {
  const codes = [400, 401, 403, 404, 429, 500];
  // Only the statuses an operation declares: createToken has no 403 or 404 (Prism would answer
  // an undeclared one with its own 404 problem).
  const cases = operations.flatMap((op) =>
    codes.filter((code) => declaredResponse(op, code)).map((code) => [op.id, code, op] as const),
  );

  it.each(cases)('%s, Prefer: code=%i', async (_id, code, op) => {
    const response = await call(op, { headers: { prefer: `code=${code}` } });
    expect(response.status).toBe(code);
    expect(violationsOf(response)).toEqual([]);
    expect(await response.json()).toEqual(firstExample(op, code));
    const retryAfter = declaredResponse(op, code).headers?.['Retry-After'];
    if (code === 429) {
      expect(response.headers.get('retry-after')).toBe(deref(retryAfter).example);
    } else {
      expect(response.headers.get('retry-after')).toBeNull();
    }
  });

  it('covers 429 on every operation, each with a Retry-After example', () => {
    expect(cases.filter(([, code]) => code === 429)).toHaveLength(operations.length);
  });
});
