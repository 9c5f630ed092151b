import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SakariValidationError } from '../src/index.js';
import {
  SAKARI_DOCUMENT_SHAPES,
  type Sandbox,
  type SandboxOptions,
  type SandboxShapes,
  startSandbox,
} from '../src/sandbox/index.js';
import { segmentsOf } from '../src/sandbox/text.js';
import type { Message } from '../src/types.js';
import {
  call,
  client,
  expectSpec,
  LIST_PATH,
  MESSAGE_PATH,
  TOKEN_PATH,
  tokenFor,
  tokenRequest,
  useSandboxes,
} from './helpers/sandbox.js';
import {
  assertMatches,
  closedAjv,
  type Json,
  responsePointer,
  validatorFor,
} from './helpers/spec.js';

const start = useSandboxes();

function decodeJwtPart(part: string | undefined): Json {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
}

describe('POST /oauth2/token', () => {
  it('issues a JWT-shaped bearer token whose exp is the TTL ahead', async () => {
    const sandbox = await start({ tokenTtlSeconds: 600 });
    const before = Date.now();
    const answer = await tokenRequest(sandbox, {
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
    });
    expect(answer.status).toBe(200);
    expectSpec(TOKEN_PATH, 'post', 200, answer.body);
    expect(answer.body.token_type).toBe('Bearer');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const [header, payload, signature] = answer.body.access_token.split('.');
    expect(decodeJwtPart(header)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwtPart(payload);
    expect(claims.sub).toBe(sandbox.accountId);
    expect(claims.exp).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 599);
    expect(claims.exp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 600);
    expect(signature).toMatch(/^[\w-]{43}$/);
    expect(sandbox.store.tokensIssued).toBe(1);
  });

  it('answers 401 to wrong credentials and 400 to a malformed grant, in the spec shape', async () => {
    const sandbox = await start();
    const good = {
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
    };
    for (const body of [
      { ...good, client_secret: 'nope' },
      { ...good, client_id: 'someone-else' },
    ]) {
      const answer = await tokenRequest(sandbox, body);
      expect(answer.status).toBe(401);
      expectSpec(TOKEN_PATH, 'post', 401, answer.body);
      expect(answer.body.error.code).toBe('AUTH-003');
    }
    for (const body of [
      'not json',
      '[]',
      { ...good, grant_type: 'password' },
      { grant_type: 'client_credentials', client_id: sandbox.clientId },
      { ...good, client_secret: '' },
    ]) {
      const answer = await tokenRequest(sandbox, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expectSpec(TOKEN_PATH, 'post', 400, answer.body);
    }
    expect(sandbox.store.tokensIssued).toBe(0);
  });

  it('refuses a token once it is older than the TTL', async () => {
    // Only the clock is faked: the sockets and the sandbox's timers run as usual.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const sandbox = await start({ tokenTtlSeconds: 1 });
      const api = client(sandbox, await tokenFor(sandbox));
      vi.setSystemTime(Date.now() + 999);
      expect((await api.list({ limit: 1 })).status).toBe(200);
      vi.setSystemTime(Date.now() + 2);
      const refused = await api.list({ limit: 1 });
      expect(refused.status).toBe(401);
      expectSpec(LIST_PATH, 'get', 401, refused.body);
      expect(refused.body).toEqual({
        success: false,
        error: { code: 'AUTH-001', message: 'Access token expired' },
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('expires every issued token on expireTokens(), and issues fresh ones after', async () => {
    const sandbox = await start();
    const api = client(sandbox, await tokenFor(sandbox));
    const helper = client(sandbox, sandbox.store.issueToken());
    expect((await helper.list({ limit: 1 })).status).toBe(200);
    sandbox.store.expireTokens();
    expect((await api.list({ limit: 1 })).status).toBe(401);
    expect((await helper.list({ limit: 1 })).status).toBe(401);
    expect((await client(sandbox, await tokenFor(sandbox)).list({ limit: 1 })).status).toBe(200);
    // issueToken() is a test convenience: only tokens fetched over HTTP are counted.
    expect(sandbox.store.tokensIssued).toBe(2);
  });

  it('refuses missing, malformed, tampered and foreign tokens', async () => {
    const sandbox = await start();
    const other = await start();
    const token = await tokenFor(sandbox);
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = decodeJwtPart(p);
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, exp_ms: 9e15 })).toString('base64url')}.${s}`;
    const base = `${sandbox.url}/v1/accounts/${sandbox.accountId}/messages`;
    const cases: [Record<string, string>, string][] = [
      [{}, 'Missing bearer token'],
      [{ authorization: `Basic ${token}` }, 'Missing bearer token'],
      [{ authorization: 'Bearer not-a-jwt' }, 'Invalid access token'],
      [{ authorization: `Bearer ${forged}` }, 'Invalid access token'],
      [{ authorization: `Bearer ${await tokenFor(other)}` }, 'Invalid access token'],
    ];
    for (const [headers, message] of cases) {
      const answer = await call(base, { headers });
      expect(answer.status).toBe(401);
      expectSpec(LIST_PATH, 'get', 401, answer.body);
      expect(answer.body.error.message).toBe(message);
    }
  });
});

describe('GET /v1/accounts/{accountId}/messages', () => {
  it('answers a first page of 20 by default, newest first, in the spec shape', async () => {
    const sandbox = await start();
    const api = client(sandbox, await tokenFor(sandbox));
    const page = await api.list();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expectSpec(LIST_PATH, 'get', 200, page.body);
    expect(page.body.pagination).toEqual({ offset: 0, limit: 20, totalCount: 100, hasNext: true });
    expect(page.body.data.map((m) => m.id)).toEqual(sandbox.store.ids().slice(0, 20));
    // Closed schemas: the generator invents no field the spec does not declare.
    for (const message of page.body.data) {
      assertMatches('/components/schemas/Message', message, closedAjv);
    }
  });

  it('answers an offset past the end with an empty last page', async () => {
    const sandbox = await start({ messages: 30 });
    const api = client(sandbox, await tokenFor(sandbox));
    const page = await api.list({ offset: 30, limit: 10 });
    expect(page.body.pagination).toEqual({ offset: 30, limit: 10, totalCount: 30, hasNext: false });
    expect(page.body.data).toEqual([]);
    const tail = await api.list({ offset: 25, limit: 10 });
    expect(tail.body.data).toHaveLength(5);
    expect(tail.body.pagination?.hasNext).toBe(false);
  });

  it('answers 400 with a Sakari error code to bad paging parameters', async () => {
    const sandbox = await start();
    const api = client(sandbox, await tokenFor(sandbox));
    const bad = [
      'limit=0',
      'limit=101',
      'limit=1.5',
      'limit=abc',
      'limit=-1',
      'limit=',
      'limit=5&limit=6',
      'offset=-1',
      'offset=1.5',
      'offset=ten',
      'offset=99999999999999999999',
      'contactId=',
    ];
    for (const query of bad) {
      const answer = await api.list(query);
      expect(answer.status, query).toBe(400);
      expectSpec(LIST_PATH, 'get', 400, answer.body);
      expect(answer.body).toMatchObject({ success: false, error: { code: 'ACCT-003' } });
    }
    expect((await api.list('limit=100&offset=0&unknown=1')).status).toBe(200);
    expect((await api.list('limit=007')).body.pagination?.limit).toBe(7);
  });

  it('answers 404 for an unknown account, after checking the token', async () => {
    const sandbox = await start();
    const token = await tokenFor(sandbox);
    const url = `${sandbox.url}/v1/accounts/acc_other/messages`;
    const answer = await call(url, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(404);
    expectSpec(LIST_PATH, 'get', 404, answer.body);
    expect(answer.body.error.code).toBe('ACCT-001');
    expect((await call(url)).status).toBe(401);
  });
});

// One sandbox of 2,500 messages, walked once, serves the read-only checks of whole walks.
describe('a sandbox of 2,500 messages', () => {
  let sandbox: Sandbox;
  let api: ReturnType<typeof client>;
  let walked: ReturnType<typeof api.walk> | undefined;
  const walkAll = () => {
    walked ??= api.walk();
    return walked;
  };
  beforeAll(async () => {
    sandbox = await startSandbox({ messages: 2_500 });
    api = client(sandbox, sandbox.store.issueToken());
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('walks 2,500 messages by 100 and returns each id exactly once, in order', async () => {
    const { messages, pages } = await walkAll();
    const ids = messages.map((m) => m.id);
    expect(ids).toHaveLength(2_500);
    expect(new Set(ids).size).toBe(2_500);
    expect(ids).toEqual(sandbox.store.ids());
    expect(pages).toHaveLength(25);
    expect(pages.every((p) => p.totalCount === 2_500 && p.limit === 100)).toBe(true);
    expect(pages.slice(0, -1).every((p) => p.hasNext)).toBe(true);
    expect(pages.at(-1)).toEqual({ offset: 2_400, limit: 100, totalCount: 2_500, hasNext: false });
    const stamps = messages.map((m) => Date.parse(m.created?.at ?? ''));
    expect(stamps.every((t, i) => i === 0 || t < (stamps[i - 1] as number))).toBe(true);
  });

  it('counts and returns only the messages of a contact or a conversation', async () => {
    const all = (await walkAll()).messages;
    const contactId = all[7]?.contact?.id as string;
    const conversationId = all[7]?.conversation?.id as string;
    const expected = all.filter((m) => m.contact?.id === contactId).map((m) => m.id);
    expect(expected.length).toBeGreaterThan(1);
    expect(expected.length).toBeLessThan(all.length);

    const byContact = await api.walk({ contactId }, 25);
    expect(byContact.messages.map((m) => m.id)).toEqual(expected);
    expect(byContact.pages.every((p) => p.totalCount === expected.length)).toBe(true);
    expect(byContact.pages.at(-1)?.hasNext).toBe(false);

    const byConversation = await api.walk({ conversationId }, 100);
    expect(byConversation.messages.every((m) => m.conversation?.id === conversationId)).toBe(true);
    expect(byConversation.messages.map((m) => m.id)).toEqual(
      all.filter((m) => m.conversation?.id === conversationId).map((m) => m.id),
    );

    const both = await api.list({ contactId, conversationId, limit: 100 });
    expect(both.body.pagination?.totalCount).toBe(expected.length);
    const otherConversation = all.find((m) => m.contact?.id !== contactId)?.conversation?.id;
    const mismatch = await api.list({ contactId, conversationId: otherConversation ?? '' });
    expect(mismatch.body.pagination).toEqual({
      offset: 0,
      limit: 20,
      totalCount: 0,
      hasNext: false,
    });
    const unknown = await api.list({ contactId: 'nobody' });
    expectSpec(LIST_PATH, 'get', 200, unknown.body);
    expect(unknown.body.data).toEqual([]);
  });

  it('is realistic: mixed directions, statuses, media, segments, scripts and countries', async () => {
    const { messages } = await walkAll();
    const count = (pick: (m: Message) => unknown) => {
      const counts = new Map<unknown, number>();
      for (const m of messages) counts.set(pick(m), (counts.get(pick(m)) ?? 0) + 1);
      return counts;
    };
    expect(count((m) => m.outgoing).size).toBe(2);
    expect([...count((m) => m.status).keys()].sort()).toEqual(
      ['delivered', 'error', 'queued', 'received', 'sent', 'undelivered'].sort(),
    );
    const mms = messages.filter((m) => m.type === 'MMS');
    expect(mms.length).toBeGreaterThan(50);
    expect(mms.every((m) => (m.media?.length ?? 0) > 0)).toBe(true);
    expect(messages.every((m) => m.segments === segmentsOf(m.message ?? ''))).toBe(true);
    expect(messages.some((m) => (m.segments ?? 0) >= 3)).toBe(true);
    const texts = messages.map((m) => m.message ?? '');
    expect(texts.some((t) => /\p{Extended_Pictographic}/u.test(t))).toBe(true);
    expect(texts.some((t) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(t))).toBe(true);
    expect(texts.some((t) => /[áíóúñçãõ]/i.test(t))).toBe(true);
    expect(texts.some((t) => t.includes('{{{') || /\{\w+\}/.test(t))).toBe(false);
    const failed = messages.filter((m) => m.status === 'error' || m.status === 'undelivered');
    expect(failed.every((m) => /^[A-Z]+-\d{3}$/.test(m.error?.code ?? ''))).toBe(true);
    expect(messages.filter((m) => m.error === undefined).length).toBe(
      messages.length - failed.length,
    );
    const numbers = messages.map((m) => m.contact?.mobile?.number ?? '');
    expect(numbers.every((n) => /^\+[1-9]\d{7,14}$/.test(n))).toBe(true);
    expect(count((m) => m.contact?.mobile?.country).size).toBeGreaterThanOrEqual(5);
    expect(count((m) => m.contact?.id).size).toBeGreaterThan(20);
    expect(new Set(messages.map((m) => m.id)).size).toBe(messages.length);
    expect(messages.every((m) => /^[0-9a-f]{24}$/.test(m.id))).toBe(true);
    // Full nested objects, like the reference page's example, of roughly its size.
    const sizes = messages.map((m) => Buffer.byteLength(JSON.stringify(m)));
    const average = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(average).toBeGreaterThan(5_000);
    expect(average).toBeLessThan(9_000);
    const sample = messages[0] as Json;
    expect(sample.conversation.contact.id).toBe(sample.contact.id);
    expect(sample.conversation.phoneNumber.channels.sms.regulatory).toBeDefined();
    expect(sample.group.officeHours.times.mon).toBeDefined();
    expect(sample.group.users.length).toBeGreaterThan(0);
    expect(sample.group.senders.length).toBeGreaterThan(0);
  });
});

describe('GET /v1/accounts/{accountId}/messages/{messageId}', () => {
  it('answers the same message the list holds, and 404 for an unknown id', async () => {
    const sandbox = await start({ messages: 2_500 });
    const api = client(sandbox, await tokenFor(sandbox));
    const listed = (await api.list({ offset: 2_400, limit: 100 })).body.data[99] as Message;
    const one = await api.get(listed.id);
    expect(one.status).toBe(200);
    expectSpec(MESSAGE_PATH, 'get', 200, one.body);
    expect(one.body).toEqual({ success: true, data: listed });
    expect(sandbox.store.get(listed.id)).toEqual(listed);

    const missing = await api.get('000000000000000000000000');
    expect(missing.status).toBe(404);
    expectSpec(MESSAGE_PATH, 'get', 404, missing.body);
    expect(missing.body.error.code).toBe('MSG-404');
  });

  it('decodes path parameters exactly once, so an encoded slash is just an unknown id', async () => {
    const sandbox = await start();
    const api = client(sandbox, await tokenFor(sandbox));
    const id = sandbox.store.ids()[0] as string;
    const { headers } = api;
    const base = `${sandbox.url}/v1/accounts`;
    expect((await call(`${base}/acc%5Fsandbox/messages/${id}`, { headers })).status).toBe(200);
    expect((await call(`${base}/acc_sandbox/messages/${id}%2Fx`, { headers })).status).toBe(404);
    expect((await call(`${base}/acc_sandbox/messages/%2F${id}`, { headers })).status).toBe(404);
    const twice = await call(`${base}/acc%255Fsandbox/messages/${id}`, { headers });
    expect(twice.status).toBe(404);
    expect(twice.body.error.code).toBe('ACCT-001');
    expect((await call(`${base}/acc_sandbox/messages/%zz`, { headers })).status).toBe(404);
    expect((await call(`${base}/acc_sandbox%2Fmessages/messages`, { headers })).status).toBe(404);
    // An encoded slash in the account must not reach the single-message route.
    const sneaky = await call(`${base}/acc_sandbox%2Fmessages%2F${id}/messages`, { headers });
    expect(sneaky.body.error.code).toBe('ACCT-001');
  });

  it('answers 404 to unknown paths and 405 to other methods on known ones', async () => {
    const sandbox = await start();
    const token = await tokenFor(sandbox);
    const headers = { authorization: `Bearer ${token}` };
    for (const path of ['/', '/v1/accounts', '/v1/accounts/acc_sandbox/messages/', '/v2/x']) {
      const answer = await call(`${sandbox.url}${path}`, { headers });
      expect(answer.status, path).toBe(404);
      expect(answer.body.error.code).toBe('SYS-404');
    }
    const base = `${sandbox.url}/v1/accounts/acc_sandbox/messages`;
    const del = await call(`${base}/abc`, { method: 'DELETE', headers });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET');
    expect((await call(base, { method: 'PUT', headers })).headers.get('allow')).toBe('GET, POST');
    expect((await call(`${sandbox.url}/oauth2/token`)).status).toBe(405);
  });
});

describe('POST /v1/accounts/{accountId}/messages', () => {
  it('queues one outgoing message per valid contact and lists invalid numbers', async () => {
    const sandbox = await start({ messages: 50 });
    const api = client(sandbox, await tokenFor(sandbox));
    const template = 'Hi {{{contact.firstName}}}, your table is ready 🍽️';
    const answer = await api.send({
      contacts: [
        { firstName: 'Maria', mobile: { number: '+1 (415) 555-2671' } },
        { firstName: 'Tom', mobile: { number: '07700 900123', country: 'GB' } },
        { firstName: 'Nope', mobile: { number: '12', country: 'US' } },
      ],
      template,
      type: 'SMS',
    });
    expect(answer.status).toBe(200);
    expectSpec(LIST_PATH, 'post', 200, answer.body);
    const { data } = answer.body;
    expect(data).toMatchObject({ requested: 3, valid: 2 });
    expect(data.jobId).toMatch(/^[0-9a-f]{24}$/);
    expect(data.invalid).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        firstName: 'Nope',
        mobile: { country: 'US', number: '12', valid: false },
        valid: false,
        error: { code: 'CONT-001', description: 'Invalid mobile number' },
      },
    ]);
    const sent: Message[] = data.messages;
    expect(sent.map((m) => [m.contact?.mobile?.number, m.message])).toEqual([
      ['+14155552671', 'Hi Maria, your table is ready 🍽️'],
      ['+447700900123', 'Hi Tom, your table is ready 🍽️'],
    ]);
    for (const m of sent) {
      expect(m).toMatchObject({ status: 'queued', outgoing: true, template, type: 'SMS' });
      expect(m.segments).toBe(segmentsOf(m.message ?? ''));
      assertMatches('/components/schemas/Message', m, closedAjv);
    }
    expect(data.estimatedPrice).toBeCloseTo((sent[0]?.price ?? 0) + (sent[1]?.price ?? 0), 6);
    // Queued on top of the account, newest first, and readable by id.
    expect(sandbox.store.size).toBe(52);
    expect(sandbox.store.ids().slice(0, 2)).toEqual([sent[1]?.id, sent[0]?.id]);
    const first = await api.list({ limit: 2 });
    expect(first.body.data.map((m) => m.id)).toEqual([sent[1]?.id, sent[0]?.id]);
    expect((await api.get(sent[0]?.id as string)).body.data).toEqual(sent[0]);
    // A second send to the same number reuses the contact and its conversation.
    const again = await api.send({ contacts: [{ mobile: { number: '+14155552671' } }], template });
    expect(again.body.data.messages[0].contact.id).toBe(sent[0]?.contact?.id);
    const thread = await api.list({ conversationId: sent[0]?.conversation?.id as string });
    expect(thread.body.pagination?.totalCount).toBe(2);
  });

  it('sends to conversations and to contacts matched by attribute filters', async () => {
    const sandbox = await start({ messages: 200 });
    const api = client(sandbox, await tokenFor(sandbox));
    const listed = (await api.list({ limit: 1 })).body.data[0] as Message;
    const reply = await api.send({
      conversations: [listed.conversation?.id],
      template: 'Thanks {{{contact.firstName}}}!',
      media: [{ url: 'https://media.example.com/menu.png' }],
    });
    expect(reply.status).toBe(200);
    expectSpec(LIST_PATH, 'post', 200, reply.body);
    const message = reply.body.data.messages[0] as Message;
    expect(message.contact?.id).toBe(listed.contact?.id);
    expect(message.message).toBe(`Thanks ${listed.contact?.firstName}!`);
    expect(message.type).toBe('MMS');
    expect(message.media).toEqual([
      {
        url: 'https://media.example.com/menu.png',
        type: 'image/png',
        name: 'menu.png',
        filename: 'menu.png',
      },
    ]);

    const city = listed.contact?.attributes?.city as string;
    const filtered = await api.send({
      filters: { attributes: [{ attribute: 'city', comparator: '=', value: [city] }] },
      template: 'Hello {{{contact.attributes.city}}}',
    });
    expect(filtered.body.data.requested).toBeGreaterThanOrEqual(1);
    expect(filtered.body.data.messages.map((m: Message) => m.message)).toContain(`Hello ${city}`);
    const nobody = await api.send({ filters: { tags: ['vip'] }, template: 'x' });
    expect(nobody.body.data).toMatchObject({ requested: 0, valid: 0, messages: [] });
  });

  it("sends what Sakari's document allows: a contact by id alone, media without a template", async () => {
    const sandbox = await start({ messages: 50 });
    const api = client(sandbox, await tokenFor(sandbox));
    const listed = (await api.list({ limit: 1 })).body.data[0] as Message;
    const byId = await api.send({ contacts: [{ id: listed.contact?.id }], template: 'Hi' });
    expect(byId.status).toBe(200);
    expectSpec(LIST_PATH, 'post', 200, byId.body);
    expect(byId.body.data.messages[0].contact.id).toBe(listed.contact?.id);
    const mediaOnly = await api.send({
      contacts: [{ mobile: { number: '+14155550132', country: 'us' } }],
      media: [{ url: 'https://media.example.com/menu.png' }],
    });
    expect(mediaOnly.status).toBe(200);
    expectSpec(LIST_PATH, 'post', 200, mediaOnly.body);
    const mms = mediaOnly.body.data.messages[0] as Message;
    expect([mms.type, mms.message, mms.template, mms.media?.length]).toEqual([
      'MMS',
      '',
      undefined,
      1,
    ]);
    expect(sandbox.store.size).toBe(52);
  });

  it('answers 400 to a bad send body, in the spec shape', async () => {
    const sandbox = await start();
    const api = client(sandbox, await tokenFor(sandbox));
    const contacts = [{ mobile: { number: '+14155550132' } }];
    const cases: [unknown, string][] = [
      ['{"template":', 'ACCT-003'],
      [[], 'ACCT-003'],
      [{ contacts }, 'ACCT-003'],
      [{ contacts, template: '' }, 'ACCT-003'],
      [{ contacts, template: 42 }, 'ACCT-003'],
      [{ template: 'hi' }, 'ACCT-003'],
      [{ contacts: [], conversations: [], template: 'hi' }, 'ACCT-003'],
      [{ contacts: [{ firstName: 'No number' }], template: 'hi' }, 'ACCT-003'],
      [{ contacts: [{ id: 'no-such-contact' }], template: 'hi' }, 'ACCT-003'],
      [{ contacts: [{ mobile: { number: '' } }], template: 'hi' }, 'ACCT-003'],
      [{ contacts, template: 'hi', type: 'WHATSAPP' }, 'ACCT-003'],
      [{ contacts, template: 'hi', media: [{}] }, 'ACCT-003'],
      [{ contacts, template: 'hi', phoneNumberFilter: { group: { id: 'x' } } }, 'ACCT-003'],
      [{ conversations: ['no-such-conversation'], template: 'hi' }, 'CONV-001'],
    ];
    for (const [body, code] of cases) {
      const answer = await api.send(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expectSpec(LIST_PATH, 'post', 400, answer.body);
      expect(answer.body.error.code).toBe(code);
    }
    expect(sandbox.store.size).toBe(100);
  });
});

describe('generated data', () => {
  it('is the same for the same seed and different for another', async () => {
    const [a, b, c] = await Promise.all([
      start({ seed: 42, messages: 300 }),
      start({ seed: 42, messages: 300 }),
      start({ seed: 43, messages: 300 }),
    ]);
    const pageOf = async (sandbox: typeof a) =>
      (await client(sandbox, await tokenFor(sandbox)).list({ offset: 150, limit: 100 })).body;
    const [pa, pb, pc] = await Promise.all([pageOf(a), pageOf(b), pageOf(c)]);
    expect(pb).toEqual(pa);
    expect(pc.data.map((m) => m.id)).not.toEqual(pa.data.map((m) => m.id));
    expect(pc.data.map((m) => m.message)).not.toEqual(pa.data.map((m) => m.message));
  });

  it('builds messages lazily: 100,000 start with none built and stay cheap to page', async () => {
    const sandbox = await start({ messages: 100_000 });
    expect(sandbox.store.generated).toBe(0);
    expect(sandbox.store.size).toBe(100_000);
    const api = client(sandbox, await tokenFor(sandbox));
    const last = await api.list({ offset: 99_990, limit: 100 });
    expect(last.body.pagination).toEqual({
      offset: 99_990,
      limit: 100,
      totalCount: 100_000,
      hasNext: false,
    });
    expect(sandbox.store.generated).toBe(10);
    const contactId = last.body.data[0]?.contact?.id as string;
    const filtered = await api.list({ contactId, limit: 5 });
    expect(filtered.body.pagination?.totalCount).toBeGreaterThan(100);
    expect(filtered.body.data.every((m) => m.contact?.id === contactId)).toBe(true);
    // Counting a contact's messages among 100,000 built only the five on the page.
    expect(sandbox.store.generated).toBeLessThanOrEqual(15);
    const deep = last.body.data[9] as Message;
    expect((await api.get(deep.id)).body.data).toEqual(deep);
  });

  it('serves given messages exactly, in the given order', async () => {
    const reference: Json = JSON.parse(
      readFileSync(new URL('./fixtures/list-messages.reference.json', import.meta.url), 'utf8'),
    );
    const given: Message[] = [
      { id: 'm-3', message: 'third', contact: { id: 'c-1' }, conversation: { id: 'v-1' } },
      { ...reference.data[0], id: 'm-2' },
      { id: 'm-1', message: 'first', contact: { id: 'c-1' }, conversation: { id: 'v-1' } },
    ];
    const sandbox = await start({ messages: given });
    const api = client(sandbox, await tokenFor(sandbox));
    const page = await api.list({ limit: 100 });
    expectSpec(LIST_PATH, 'get', 200, page.body);
    expect(page.body.data).toEqual(given);
    expect(page.body.pagination).toEqual({ offset: 0, limit: 100, totalCount: 3, hasNext: false });
    const mine = await api.list({ contactId: 'c-1' });
    expect(mine.body.data.map((m) => m.id)).toEqual(['m-3', 'm-1']);
    expect((await api.get('m-2')).body.data).toEqual(given[1]);
    expect(sandbox.store.generated).toBe(0);
    await expect(start({ messages: [given[0] as Message, given[0] as Message] })).rejects.toThrow(
      expect.objectContaining({
        name: 'SakariValidationError',
        field: 'messages[1].id',
        allowed: 'an id no other message has',
      }),
    );
    expect(() => sandbox.store.insert([given[1] as Message])).toThrow(
      expect.objectContaining({ field: 'messages[0].id' }),
    );
    expect(sandbox.store.size).toBe(3);
  });

  it('rejects out-of-range options before listening, naming the option', async () => {
    const cases: [SandboxOptions, string][] = [
      [{ messages: -1 }, 'messages'],
      [{ messages: 1.5 }, 'messages'],
      [{ seed: 0.5 }, 'seed'],
      [{ port: 70_000 }, 'port'],
      [{ latencyMs: -1 }, 'latencyMs'],
      [{ tokenTtlSeconds: 0 }, 'tokenTtlSeconds'],
      [{ rateLimit: 0 }, 'rateLimit'],
      [{ shapes: { pageCap: 0 } }, 'shapes.pageCap'],
      [{ shapes: { hasnext: false } as SandboxShapes }, 'shapes.hasnext'],
      [{ churn: { deletes: -1 } }, 'churn.deletes'],
    ];
    for (const [options, field] of cases) {
      await expect(start(options)).rejects.toThrow(
        expect.objectContaining({ name: 'SakariValidationError', field }),
      );
    }
    // The setters check too, and a refused value leaves the setting as it was.
    const sandbox = await start({ latencyMs: 5 });
    expect(() => {
      sandbox.store.latencyMs = Number.NaN;
    }).toThrow(SakariValidationError);
    expect(sandbox.store.latencyMs).toBe(5);
    const shapes = { pageCap: 3 };
    sandbox.store.shapes = shapes;
    expect(() => {
      sandbox.store.shapes = { pageCap: 3, idlessEvery: 0 };
    }).toThrow(expect.objectContaining({ field: 'shapes.idlessEvery' }));
    expect(sandbox.store.shapes).toEqual(shapes);
    expect(() => {
      sandbox.store.shapes.pageCap = 50;
    }).toThrow(TypeError);
    const page = await client(sandbox, sandbox.store.issueToken()).list({ limit: 10 });
    expect(page.body.data.map((m) => m.id)).toEqual(sandbox.store.ids().slice(0, 3));
  });
});

describe('the store', () => {
  it('inserts during paging shift later pages, so a client sees items twice', async () => {
    const sandbox = await start({
      messages: 300,
      insertDuring: ({ request }) => (request === 2 ? 5 : 0),
    });
    const api = client(sandbox, await tokenFor(sandbox));
    const before = sandbox.store.ids();
    const { messages, pages } = await api.walk();
    const ids = messages.map((m) => m.id);
    expect(pages.map((p) => p.totalCount)).toEqual([300, 305, 305, 305]);
    // The five newest ones pushed five already-seen messages onto the second page.
    expect(ids.length - new Set(ids).size).toBe(5);
    expect(ids.slice(100, 105)).toEqual(before.slice(95, 100));
    const inserted = sandbox.store.ids().slice(0, 5);
    expect(inserted.some((id) => ids.includes(id))).toBe(false);
    expect(sandbox.store.size).toBe(305);
    const newest = sandbox.store.get(inserted[0] as string);
    const oldHead = sandbox.store.get(before[0] as string);
    expect(Date.parse(newest?.created?.at ?? '')).toBeGreaterThan(
      Date.parse(oldHead?.created?.at ?? ''),
    );
  });

  it('deletes during paging shift later pages back, so a client misses items', async () => {
    const sandbox = await start({
      messages: 300,
      deleteDuring: ({ request, store }) => (request === 2 ? store.ids().slice(10, 13) : []),
    });
    const api = client(sandbox, await tokenFor(sandbox));
    const before = sandbox.store.ids();
    const { messages, pages } = await api.walk();
    const ids = messages.map((m) => m.id);
    expect(pages.map((p) => p.totalCount)).toEqual([300, 297, 297]);
    expect(new Set(ids).size).toBe(ids.length);
    // Three deleted from the first page (already seen): three others slid back past the offset.
    const missed = before.filter((id) => !ids.includes(id));
    expect(missed).toEqual(before.slice(100, 103));
    expect(sandbox.store.ids()).toEqual(before.filter((_, i) => i < 10 || i >= 13));
  });

  it('inserts given messages on top, deletes by id and hands out copies', async () => {
    const sandbox = await start({ messages: 10 });
    const { store } = sandbox;
    const original = store.ids();
    const ids = store.insert([
      { id: 'new-2', message: 'newest' },
      { id: 'new-1', message: 'newer' },
    ]);
    expect(ids).toEqual(['new-2', 'new-1']);
    expect(store.ids()).toEqual(['new-2', 'new-1', ...original]);
    const generated = store.insert(3);
    expect(generated).toHaveLength(3);
    expect(store.ids().slice(0, 5)).toEqual([...generated, 'new-2', 'new-1']);
    expect(() => store.insert([{ id: 'new-1' }])).toThrow(
      expect.objectContaining({ field: 'messages[0].id', allowed: 'an id no other message has' }),
    );
    expect(store.delete('new-1')).toBe(true);
    expect(store.delete('new-1')).toBe(false);
    expect(store.delete(original[4] as string)).toBe(true);
    expect(store.size).toBe(13);
    expect(store.get(original[4] as string)).toBeUndefined();
    const copy = store.get(original[0] as string) as Message;
    copy.message = 'changed';
    expect(store.get(original[0] as string)?.message).not.toBe('changed');

    const api = client(sandbox, await tokenFor(sandbox));
    const { messages } = await api.walk({}, 4);
    expect(messages.map((m) => m.id)).toEqual(store.ids());
  });

  it('logs every request with its method, path, query and status', async () => {
    const sandbox = await start();
    const api = client(sandbox, await tokenFor(sandbox));
    await api.list('limit=2&offset=4&limit=3');
    await api.get('nope%2Fx');
    const log = sandbox.store.requests;
    expect(log.map(({ method, path, query, status }) => ({ method, path, query, status }))).toEqual(
      [
        { method: 'POST', path: '/oauth2/token', query: {}, status: 200 },
        {
          method: 'GET',
          path: '/v1/accounts/acc_sandbox/messages',
          query: { limit: '2', offset: '4' },
          status: 400,
        },
        {
          method: 'GET',
          path: '/v1/accounts/acc_sandbox/messages/nope%252Fx',
          query: {},
          status: 404,
        },
      ],
    );
    expect(log.every((e) => e.fault === undefined && Math.abs(e.at - Date.now()) < 5_000)).toBe(
      true,
    );
    sandbox.store.clearLog();
    expect(sandbox.store.requests).toEqual([]);
  });

  it('reports a throwing hook as a 500 naming the error', async () => {
    const sandbox = await start({
      insertDuring: () => {
        throw new Error('hook broke');
      },
    });
    const answer = await client(sandbox, await tokenFor(sandbox)).list();
    expect(answer.status).toBe(500);
    expectSpec(LIST_PATH, 'get', 500, answer.body);
    expect(answer.body.error.message).toContain('hook broke');
    expect(sandbox.store.requests.at(-1)?.status).toBe(500);
  });
});

/** The spec's complaints about a body, one `path message` line each; none when it fits. */
function violations(pointer: string, body: unknown): string[] {
  const validate = validatorFor(pointer);
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const LIST_200 = responsePointer(LIST_PATH, 'get', '200');
const MISSING_ID = "must have required property 'id'";

/** A message as the store holds it, without its `id` key (the other keys in the same order). */
function withoutIdKey(message: Message | undefined): Json {
  const { id: _id, ...rest } = message as Message;
  return rest;
}

describe('list answer shapes', () => {
  it('sends the full shape by default, and SAKARI_DOCUMENT_SHAPES is pagination without hasNext', async () => {
    const sandbox = await start({ messages: 30 });
    expect(sandbox.store.shapes).toEqual({});
    expect(sandbox.store.churn).toBeUndefined();
    expect(SAKARI_DOCUMENT_SHAPES).toEqual({ hasNext: false });
    expect(Object.isFrozen(SAKARI_DOCUMENT_SHAPES)).toBe(true);
    const page = await client(sandbox, sandbox.store.issueToken()).list({ limit: 30 });
    expect(Object.keys(page.body)).toEqual(['success', 'pagination', 'data']);
    expect(page.body.pagination).toEqual({ offset: 0, limit: 30, totalCount: 30, hasNext: false });
    expect(page.body.data.map((m) => Object.keys(m)[0])).toEqual(Array(30).fill('id'));
    expect(page.body.data.map((m) => m.id)).toEqual(sandbox.store.ids());
  });

  it('leaves out hasNext, totalCount or the whole pagination object as asked', async () => {
    const sandbox = await start({ messages: 30 });
    const api = client(sandbox, sandbox.store.issueToken());
    const ids = sandbox.store.ids().slice(5, 15);
    const cases: [SandboxShapes, Json][] = [
      [SAKARI_DOCUMENT_SHAPES, { offset: 5, limit: 10, totalCount: 30 }],
      [{ hasNext: false }, { offset: 5, limit: 10, totalCount: 30 }],
      [{ totalCount: false }, { offset: 5, limit: 10, hasNext: true }],
      [
        { hasNext: false, totalCount: false },
        { offset: 5, limit: 10 },
      ],
      [{ hasNext: true, totalCount: true, pagination: true }, fullPagination()],
      [{ pagination: false }, undefined],
      [{ pagination: false, hasNext: true }, undefined],
      [{}, fullPagination()],
    ];
    function fullPagination() {
      return { offset: 5, limit: 10, totalCount: 30, hasNext: true };
    }
    for (const [shapes, pagination] of cases) {
      sandbox.store.shapes = shapes;
      expect(sandbox.store.shapes).toEqual(shapes);
      const page = await api.list({ offset: 5, limit: 10 });
      const context = JSON.stringify(shapes);
      expect(page.status, context).toBe(200);
      expect(violations(LIST_200, page.body), context).toEqual([]);
      expect(Object.keys(page.body), context).toEqual(
        pagination ? ['success', 'pagination', 'data'] : ['success', 'data'],
      );
      // toEqual ignores key order: the exact keys are asserted too.
      expect(page.body.pagination, context).toEqual(pagination);
      expect(Object.keys(page.body.pagination ?? {}), context).toEqual(
        Object.keys(pagination ?? {}),
      );
      expect(
        page.body.data.map((m) => m.id),
        context,
      ).toEqual(ids);
    }
  });

  it('caps a page below the limit asked, echoes that limit, and says more follow', async () => {
    const sandbox = await start({ messages: 25, shapes: { pageCap: 10 } });
    const api = client(sandbox, sandbox.store.issueToken());
    const all = sandbox.store.ids();
    const first = await api.list({ offset: 0, limit: 20 });
    expect(violations(LIST_200, first.body)).toEqual([]);
    expect(first.body.pagination).toEqual({ offset: 0, limit: 20, totalCount: 25, hasNext: true });
    expect(first.body.data.map((m) => m.id)).toEqual(all.slice(0, 10));
    // Walking by the rows served finds every message once; walking by the limit skips some.
    const byServed: string[] = [];
    const pages: Json[] = [];
    for (let offset = 0, more = true; more; ) {
      const page = await api.list({ offset, limit: 20 });
      byServed.push(...page.body.data.map((m) => m.id));
      pages.push(page.body.pagination);
      offset += page.body.data.length;
      more = page.body.pagination?.hasNext === true;
    }
    expect(byServed).toEqual(all);
    expect(pages).toEqual([
      { offset: 0, limit: 20, totalCount: 25, hasNext: true },
      { offset: 10, limit: 20, totalCount: 25, hasNext: true },
      { offset: 20, limit: 20, totalCount: 25, hasNext: false },
    ]);
    const second = await api.list({ offset: 20, limit: 20 });
    expect([...first.body.data, ...second.body.data].map((m) => m.id)).toEqual([
      ...all.slice(0, 10),
      ...all.slice(20, 25),
    ]);
    // A limit under the cap is served whole; filters are capped too.
    expect((await api.list({ limit: 4 })).body.data).toHaveLength(4);
    const contactId = (await api.list({ limit: 1 })).body.data[0]?.contact?.id as string;
    sandbox.store.shapes = { pageCap: 1 };
    const mine = await api.list({ contactId, limit: 100 });
    expect(mine.body.data).toHaveLength(1);
    expect(mine.body.pagination).toMatchObject({ offset: 0, limit: 100, hasNext: true });
    sandbox.store.shapes = {};
    expect((await api.list({ limit: 20 })).body.data).toHaveLength(20);
  });

  it('serves every Nth message of the list without its id, and changes nothing else', async () => {
    const sandbox = await start({ messages: 30, shapes: { idlessEvery: 3 } });
    const api = client(sandbox, sandbox.store.issueToken());
    const all = sandbox.store.ids();
    const page = await api.list({ limit: 30 });
    const idless = [2, 5, 8, 11, 14, 17, 20, 23, 26, 29];
    expect(page.body.data.flatMap((m, i) => ('id' in m ? [] : [i]))).toEqual(idless);
    page.body.data.forEach((m, i) => {
      const stored = sandbox.store.get(all[i] as string);
      if (idless.includes(i)) {
        expect(m).toEqual(withoutIdKey(stored));
        expect(Object.keys(m)).toEqual(Object.keys(stored as Message).slice(1));
      } else {
        expect(m).toEqual(stored);
      }
    });
    // Against the spec, the missing ids are the only fault.
    expect(violations(LIST_200, page.body)).toEqual(idless.map((i) => `/data/${i} ${MISSING_ID}`));
    // Positions count from the start of the list, not of the page.
    const shifted = await api.list({ offset: 1, limit: 5 });
    expect(shifted.body.data.map((m) => m.id)).toEqual([
      all[1],
      undefined,
      all[3],
      all[4],
      undefined,
    ]);
    // The store still knows each message by id: a get answers it whole, a delete finds it.
    const hidden = all[2] as string;
    expect((await api.get(hidden)).body.data).toEqual(sandbox.store.get(hidden));
    expect(sandbox.store.delete(hidden)).toBe(true);
    const after = await api.list({ limit: 3 });
    expect(after.body.data.map((m) => m.id)).toEqual([all[0], all[1], undefined]);
    expect(after.body.data[2]).toEqual(withoutIdKey(sandbox.store.get(all[3] as string)));

    sandbox.store.shapes = { idlessEvery: 1 };
    const none = await api.list({ limit: 4 });
    expect(none.body.data.every((m) => !('id' in m))).toBe(true);
    expect(violations(LIST_200, none.body)).toEqual(
      [0, 1, 2, 3].map((i) => `/data/${i} ${MISSING_ID}`),
    );
  });

  it('leaves the id out of given messages however they are written', async () => {
    const given: Message[] = [
      { id: 'm-1', message: 'id first' },
      { message: 'id last', id: 'm-2' } as Message,
      { id: 'm-3' },
    ];
    const sandbox = await start({ messages: given, shapes: { idlessEvery: 1 } });
    const page = await client(sandbox, sandbox.store.issueToken()).list();
    expect(page.body.data).toEqual([{ message: 'id first' }, { message: 'id last' }, {}]);
    expect(sandbox.store.ids()).toEqual(['m-1', 'm-2', 'm-3']);
  });

  it('serves every Nth message of a send answer without its id too', async () => {
    const sandbox = await start({ messages: 5, shapes: { idlessEvery: 2 } });
    const api = client(sandbox, sandbox.store.issueToken());
    const answer = await api.send({
      contacts: ['+14155550101', '+14155550102', '+14155550103'].map((number) => ({
        mobile: { number },
      })),
      template: 'hi',
    });
    expect(answer.status).toBe(200);
    const sent: Message[] = answer.body.data.messages;
    expect(sent.map((m) => 'id' in m)).toEqual([true, false, true]);
    expect(violations(responsePointer(LIST_PATH, 'post', '200'), answer.body)).toEqual([
      `/data/messages/1 ${MISSING_ID}`,
    ]);
    // Queued newest on top: the second one sent is the second in the list.
    const queued = sandbox.store.ids().slice(0, 3);
    expect(sent[1]).toEqual(withoutIdKey(sandbox.store.get(queued[1] as string)));
    expect(sandbox.store.size).toBe(8);
  });
});

describe('churn', () => {
  /**
   * Sequential list requests, and what each did to the list: the ids new on top, the ids gone
   * (and those of them the sandbox started with), and where the gone ones stood before.
   */
  async function churned(sandbox: Sandbox, requests: number) {
    const api = client(sandbox, sandbox.store.issueToken());
    const initial = new Set(sandbox.store.ids());
    const steps: { fresh: string[]; gone: string[]; goneInitial: string[]; positions: number[] }[] =
      [];
    for (let r = 0; r < requests; r++) {
      const before = sandbox.store.ids();
      const page = await api.list({ offset: 0, limit: 10 });
      const after = sandbox.store.ids();
      expect(page.body.data.map((m) => m.id)).toEqual(after.slice(0, 10));
      expect(page.body.pagination?.totalCount).toBe(after.length);
      const known = new Set(before);
      const kept = new Set(after);
      const fresh = after.filter((id) => !known.has(id));
      expect(after.slice(0, fresh.length)).toEqual(fresh);
      const gone = before.filter((id) => !kept.has(id));
      steps.push({
        fresh,
        gone,
        goneInitial: gone.filter((id) => initial.has(id)),
        positions: gone.map((id) => before.indexOf(id)),
      });
    }
    return steps;
  }

  it('inserts on top and deletes at seeded positions anywhere before each list request', async () => {
    const sandbox = await start({ messages: 1_000, churn: { inserts: 2, deletes: 3, seed: 5 } });
    const steps = await churned(sandbox, 20);
    expect(sandbox.store.size).toBe(1_000 + 20 * (2 - 3));
    for (const { fresh, gone } of steps) {
      // Three deletes a request, among them any of the two just inserted.
      expect(gone.length + (2 - fresh.length)).toBe(3);
    }
    const positions = steps.flatMap((s) => s.positions);
    expect(positions.filter((p) => p >= 10).length).toBeGreaterThan(50);
    expect(Math.max(...positions)).toBeGreaterThan(800);

    // The same seed deletes the same messages; another seed others.
    const again = await start({ messages: 1_000, churn: { inserts: 2, deletes: 3, seed: 5 } });
    const other = await start({ messages: 1_000, churn: { inserts: 2, deletes: 3, seed: 6 } });
    const [a, b] = [await churned(again, 20), await churned(other, 20)];
    expect(a.map((s) => s.positions)).toEqual(steps.map((s) => s.positions));
    // Inserted ids carry the time; the ones generated from the seed are the same.
    expect(a.map((s) => s.goneInitial)).toEqual(steps.map((s) => s.goneInitial));
    expect(steps.flatMap((s) => s.goneInitial).length).toBeGreaterThan(50);
    expect(b.map((s) => s.positions)).not.toEqual(steps.map((s) => s.positions));
  });

  it('applies before the hooks, which see its work and add theirs', async () => {
    const seen: number[] = [];
    let churnedTop = '';
    const sandbox = await start({
      messages: 50,
      churn: { inserts: 1 },
      insertDuring: ({ store }) => {
        seen.push(store.size);
        churnedTop = store.ids()[0] as string;
        return 2;
      },
      deleteDuring: () => [churnedTop],
    });
    const before = sandbox.store.ids();
    const page = await client(sandbox, sandbox.store.issueToken()).list({ limit: 5 });
    expect(seen).toEqual([51]);
    expect(sandbox.store.get(churnedTop)).toBeUndefined();
    const after = sandbox.store.ids();
    expect(after).toHaveLength(52);
    expect(after.slice(2)).toEqual(before);
    expect(page.body.data.map((m) => m.id)).toEqual(after.slice(0, 5));
  });

  it('is set at run time, only churns list requests that are answered, and stops on undefined', async () => {
    const sandbox = await start({ messages: 40 });
    const api = client(sandbox, sandbox.store.issueToken());
    const churn = { deletes: 2 };
    sandbox.store.churn = churn;
    expect(sandbox.store.churn).toEqual(churn);
    expect(() => {
      (sandbox.store.churn as { deletes: number }).deletes = 5;
    }).toThrow(TypeError);
    expect((await api.list({ limit: 0 })).status).toBe(400);
    expect((await api.get(sandbox.store.ids()[0] as string)).status).toBe(200);
    expect(sandbox.store.size).toBe(40);
    expect((await api.list()).body.pagination?.totalCount).toBe(38);
    sandbox.store.churn = undefined;
    expect((await api.list()).body.pagination?.totalCount).toBe(38);
    expect(sandbox.store.size).toBe(38);
  });
});
