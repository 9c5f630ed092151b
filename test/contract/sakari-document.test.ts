// The client and the CLI against Prism's mocks of Sakari's own document, which allows answers our
// spec never gives: no `hasNext`, `success: false` on a 200, a send answered without `success`,
// counts of zero or below, made-up tokens with spaces in them (sakari-mock.test.ts pins what the
// mocks do). Every call must return data or the typed error its answer amounts to: never a
// TypeError, never a hang. What the walk should do is the target behaviour: it ends by `hasNext`
// when present, else by `totalCount`, else by an empty page; a short page alone never ends it.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createSakariClient,
  type Message,
  type MessagePage,
  SakariApiError,
  type SakariClientOptions,
  SakariError,
  SakariPaginationError,
  type SendMessagesRequest,
} from '../../src/index.js';
import { assertBuilt, cleanEnv, ndjson, sakari } from '../helpers/cli.js';
import { type Json, LIST_PATH, MESSAGE_PATH, TOKEN_PATH } from '../helpers/spec.js';
import { type Relay, startRelay } from './relay.js';
import { createWire, type Exchange, type Wire } from './wire.js';

const mockUrl = inject('sakariMockUrl');
const dynamicUrl = inject('sakariDynamicUrl');

const accountId = 'acc_1';
const listPath = `/v1/accounts/${accountId}/messages`;
const credentials = { clientId: 'sakari-client-id', clientSecret: 'sakari-client-secret' };
const auths = {
  token: { token: 'sakari-document-token' },
  'client credentials': credentials,
} as const;
// Seeds of the dynamic mock; none is a shorter one repeated (seedrandom treats "5", "55" alike).
const SEEDS = Array.from({ length: 30 }, (_, i) => 5001 + i);
const MAX_ITEMS = 3;
// Each request gives up after TIMEOUT_MS; a walk that never ends is cut at WALK_MS and then
// shows as an AbortSignal's TimeoutError, which is no SakariError.
const TIMEOUT_MS = 5_000;
const WALK_MS = 20_000;

const sends = {
  'a contact named by id alone': {
    contacts: [{ id: 'contact_1' }],
    template: 'Hi {{{contact.firstName}}}',
  },
  'an MMS with media and no template': {
    contacts: [{ mobile: { number: '+15551234567', country: 'US' } }],
    type: 'MMS',
    media: [{ url: 'https://example.com/picture.png' }],
  },
  'a regular SMS': {
    contacts: [{ mobile: { number: '+15551234567', country: 'US' } }],
    template: 'Your code is 1234',
    type: 'SMS',
  },
} as const satisfies Record<string, SendMessagesRequest>;

function client(baseUrl: string, wire: Wire, auth: SakariClientOptions['auth']) {
  return createSakariClient({
    baseUrl,
    accountId,
    auth,
    fetch: wire.fetch,
    maxRetries: 0,
    timeoutMs: TIMEOUT_MS,
  });
}

/** What the mock did wrong with an exchange, as far as Sakari's document goes. */
function problems(x: Exchange): string[] {
  const where = `${x.method} ${x.url.pathname}${x.url.search} → ${x.status}`;
  const found = x.violations.map((v) => `${where}: sl-violations ${v.location.join('.')}`);
  // 401 and 422 are Prism refusing our request; 500 is a body that broke the document.
  if (x.status !== 200) found.push(`${where}: ${x.text.slice(0, 200)}`);
  return found;
}

/** The id of a message, which Sakari's document does not promise. */
const idOf = (message: Message): unknown => (message as { id?: unknown }).id;

/** A page's messages, each id once (the first), id-less ones all kept. */
function unique(data: readonly Message[]): Message[] {
  const seen = new Set<unknown>();
  return data.filter((m) => {
    const id = idOf(m);
    if (id === undefined) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

interface Walk<T> {
  items: T[];
  error: unknown;
}

async function collect<T>(source: AsyncIterable<T>): Promise<Walk<T>> {
  const items: T[] = [];
  try {
    for await (const item of source) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}

/** The list requests of a walk. */
const listCalls = (wire: Wire) => wire.exchanges.filter((x) => x.path === LIST_PATH);

describe("the client against the static mock of Sakari's document", () => {
  const wires: Wire[] = [];
  const wire = () => {
    const w = createWire();
    wires.push(w);
    return w;
  };
  afterEach(() => {
    const found = wires.splice(0).flatMap((w) => w.exchanges.flatMap(problems));
    expect(found, "exchanges Sakari's document does not allow").toEqual([]);
  });
  const raw = (w: Wire, path: string) =>
    JSON.parse(w.exchanges.find((x) => x.path === path)?.text ?? 'null');

  describe.each(Object.entries(auths))('with %s auth', (kind, auth) => {
    it('list returns the page as Sakari sent it', async () => {
      const w = wire();
      const page = await client(mockUrl, w, auth).messages.list({ limit: 5 });
      expect(page).toEqual(raw(w, LIST_PATH));
      expect(page.data.map(idOf)).toEqual(['string']);
      expect(listCalls(w).map((x) => x.url.search)).toEqual(['?limit=5']);
    });

    it('get returns the message', async () => {
      const w = wire();
      const message = await client(mockUrl, w, auth).messages.get('msg_1');
      expect(message).toEqual(raw(w, MESSAGE_PATH).data);
      expect(idOf(message)).toBe('string');
    });

    it.each(Object.entries(sends))(
      'send %s returns the answer, which has no success field',
      async (_name, body) => {
        const w = wire();
        const result = await client(mockUrl, w, auth).messages.send(body);
        const answer = raw(w, LIST_PATH);
        expect(answer).not.toHaveProperty('success');
        expect(result).toEqual(answer.data);
        const sent = listCalls(w);
        expect(sent.map((x) => JSON.parse(x.requestBody))).toEqual([body]);
      },
    );

    it(`sends the ${kind === 'token' ? 'given' : 'exchanged'} token as the Bearer`, async () => {
      const w = wire();
      const sakari = client(mockUrl, w, auth);
      await sakari.messages.list();
      await sakari.messages.get('msg_1');
      const token = kind === 'token' ? auths.token.token : 'string';
      const api = w.exchanges.filter((x) => x.path !== TOKEN_PATH);
      expect(api.map((x) => x.requestHeaders.get('authorization'))).toEqual([
        `Bearer ${token}`,
        `Bearer ${token}`,
      ]);
      const exchanged = w.exchanges.filter((x) => x.path === TOKEN_PATH);
      expect(exchanged.map((x) => JSON.parse(x.requestBody))).toEqual(
        kind === 'token'
          ? []
          : [
              {
                grant_type: 'client_credentials',
                client_id: credentials.clientId,
                client_secret: credentials.clientSecret,
              },
            ],
      );
    });
  });

  // The page says totalCount 0: the walk ends after it, without asking for another.
  it.each([
    ['with maxItems', { maxItems: MAX_ITEMS }],
    ['without maxItems', {}],
  ])('iterate %s yields the one message and ends by totalCount', async (_name, options) => {
    const w = wire();
    const sakari = client(mockUrl, w, auths.token);
    const signal = AbortSignal.timeout(WALK_MS);
    const walk = await collect(sakari.messages.iterate({}, { ...options, signal }));
    expect(walk.error).toBeUndefined();
    expect(walk.items).toEqual(raw(w, LIST_PATH).data);
    expect(w.lines()).toEqual([`GET ${listPath}?offset=0&limit=100 → 200`]);
  });

  it('pages yields one page and ends by totalCount', async () => {
    const w = wire();
    const sakari = client(mockUrl, w, auths.token);
    const signal = AbortSignal.timeout(WALK_MS);
    const walk = await collect(sakari.messages.pages({ limit: 10 }, { signal }));
    expect(walk.error).toBeUndefined();
    expect(walk.items).toEqual([raw(w, LIST_PATH)]);
    expect(w.lines()).toEqual([`GET ${listPath}?limit=10&offset=0 → 200`]);
  });
});

type Op = 'list' | 'get' | `send ${keyof typeof sends}` | 'iterate' | 'iterate maxItems' | 'pages';

interface Outcome {
  op: Op;
  value?: unknown;
  error?: unknown;
  /** The exchanges of this call alone (a token exchange included, when it made one). */
  exchanges: Exchange[];
}

interface Run {
  seed: number;
  auth: keyof typeof auths;
  wire: Wire;
  outcomes: Outcome[];
}

async function run(seed: number): Promise<Run> {
  const wire = createWire({ prefer: `seed=${seed}` });
  // Half the seeds exchange credentials (the token the mock makes up is then the Bearer).
  const auth = seed % 2 === 0 ? 'client credentials' : 'token';
  const sakari = client(dynamicUrl, wire, auths[auth]);
  const calls: [Op, () => Promise<unknown>][] = [
    ['list', () => sakari.messages.list({ limit: 5 })],
    ['get', () => sakari.messages.get('msg_1')],
    ...Object.entries(sends).map(
      ([name, body]) =>
        [`send ${name}` as Op, () => sakari.messages.send(body)] as [Op, () => Promise<unknown>],
    ),
    [
      'iterate maxItems',
      () =>
        collect(
          sakari.messages.iterate(
            {},
            { maxItems: MAX_ITEMS, signal: AbortSignal.timeout(WALK_MS) },
          ),
        ),
    ],
    [
      'iterate',
      () => collect(sakari.messages.iterate({}, { signal: AbortSignal.timeout(WALK_MS) })),
    ],
    ['pages', () => collect(sakari.messages.pages({}, { signal: AbortSignal.timeout(WALK_MS) }))],
  ];
  const outcomes: Outcome[] = [];
  for (const [op, call] of calls) {
    const from = wire.exchanges.length;
    const settled = await call().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    outcomes.push({ op, ...settled, exchanges: wire.exchanges.slice(from) });
  }
  return { seed, auth, wire, outcomes };
}

/** The body of the first API (not token) exchange of a call. */
function firstBody(outcome: Outcome): Json {
  const x = outcome.exchanges.find((e) => e.path !== TOKEN_PATH);
  return x ? JSON.parse(x.text) : undefined;
}

/** Text as the client puts it in an error: every secret it holds replaced. */
function redacted(text: unknown, secrets: readonly string[]): unknown {
  if (typeof text !== 'string') return text;
  return secrets.reduce((out, secret) => out.replaceAll(secret, '[redacted]'), text);
}

/**
 * The error a 200 that says `success: false` amounts to: a plain SakariApiError with Sakari's
 * code and message, less any secret (a made-up token can be a word of the made-up message).
 */
function expectRefusal(
  error: unknown,
  body: Json,
  where: string,
  secrets: readonly string[] = [],
): void {
  expect(error, where).toBeInstanceOf(SakariApiError);
  expect((error as object).constructor, where).toBe(SakariApiError);
  expect(error, where).toMatchObject({
    status: 200,
    code: redacted(body.error?.code, secrets),
  });
  if (typeof body.error?.message === 'string') {
    expect((error as Error).message, where).toContain(redacted(body.error.message, secrets));
  }
}

/** The secrets a run's client holds: its credential and the token it was given or got. */
function secretsOf(r: Run): string[] {
  const exchanged = r.wire.exchanges.find((x) => x.path === TOKEN_PATH);
  const token =
    r.auth === 'token' ? auths.token.token : JSON.parse(exchanged?.text ?? '{}').access_token;
  return [credentials.clientSecret, token].filter((s) => typeof s === 'string' && s.length >= 4);
}

/** Whether a page certainly ends the walk by its totalCount, whichever offset one counts from. */
function endsByTotal(page: Json): boolean {
  const { totalCount, offset } = page.pagination ?? {};
  const length = page.data.length;
  return typeof totalCount === 'number' && totalCount <= length && totalCount <= offset + length;
}

describe(`the client against the dynamic mock of Sakari's document, ${SEEDS.length} seeds`, () => {
  let runs: Run[] = [];
  beforeAll(async () => {
    runs = await Promise.all(SEEDS.map(run));
  }, 90_000);

  const outcomes = (op: Op) =>
    runs.map((r) => ({
      r,
      o: r.outcomes.find((o) => o.op === op) as Outcome,
      where: `seed=${r.seed} ${op}`,
      secrets: secretsOf(r),
    }));

  it('sends only requests the document allows, each answered 200 with a body that fits it', () => {
    const all = runs.flatMap((r) => r.wire.exchanges);
    expect(all.length).toBeGreaterThanOrEqual(SEEDS.length * 8);
    expect(all.flatMap(problems)).toEqual([]);
    for (const r of runs) {
      for (const x of r.wire.exchanges) {
        expect(x.requestHeaders.get('prefer'), `seed=${r.seed}`).toBe(`seed=${r.seed}`);
      }
    }
  });

  it('never throws anything but a SakariError', () => {
    const foreign = runs.flatMap((r) =>
      r.outcomes.flatMap((o) => {
        const walked = o.op.startsWith('iterate') || o.op === 'pages';
        const error = walked ? (o.value as Walk<unknown>).error : o.error;
        return error === undefined || error instanceof SakariError
          ? []
          : [`seed=${r.seed} ${o.op}: ${String(error)}`];
      }),
    );
    expect(foreign).toEqual([]);
  });

  it('uses the token the mock made up, spaces and all, as the Bearer', () => {
    const exchanging = runs.filter((r) => r.auth === 'client credentials');
    let spaced = 0;
    for (const r of exchanging) {
      const [token, ...api] = r.wire.exchanges;
      expect(token?.path, `seed=${r.seed}`).toBe(TOKEN_PATH);
      const accessToken: string = JSON.parse(token?.text ?? '{}').access_token;
      if (/\s/.test(accessToken)) spaced++;
      expect(
        new Set(api.map((x) => x.requestHeaders.get('authorization'))),
        `seed=${r.seed}`,
      ).toEqual(new Set([`Bearer ${accessToken}`]));
    }
    expect(spaced).toBeGreaterThan(0);
  });

  it('list returns the page as sent, or the API error a success: false amounts to', () => {
    const refused = outcomes('list').filter(({ o, where, secrets }) => {
      const body = firstBody(o);
      if (body.success === false) {
        expectRefusal(o.error, body, where, secrets);
        return true;
      }
      expect(o.error, where).toBeUndefined();
      expect(o.value, where).toEqual(body);
      return false;
    });
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThan(SEEDS.length);
  });

  it('get returns the message, or the API error a success: false amounts to', () => {
    const refused = outcomes('get').filter(({ o, where, secrets }) => {
      const body = firstBody(o);
      if (body.success === false) {
        expectRefusal(o.error, body, where, secrets);
        return true;
      }
      expect(o.error, where).toBeUndefined();
      expect(o.value, where).toEqual(body.data);
      return false;
    });
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThan(SEEDS.length);
  });

  it.each(Object.keys(sends))('send %s returns the data of an answer without success', (name) => {
    for (const { o, where } of outcomes(`send ${name}` as Op)) {
      const body = firstBody(o);
      expect(o.error, where).toBeUndefined();
      expect(body, where).not.toHaveProperty('success');
      expect(o.value, where).toEqual(body.data);
    }
  });

  it.each([
    ['iterate maxItems', MAX_ITEMS],
    ['iterate', Number.POSITIVE_INFINITY],
  ] as const)('%s yields the page once, and ends or says the pages repeat', (op, maxItems) => {
    let ended = 0;
    for (const { o, where, secrets } of outcomes(op)) {
      const walk = o.value as Walk<Message>;
      const page = firstBody(o);
      const lists = o.exchanges.filter((x) => x.path === LIST_PATH);
      if (page.success === false) {
        expectRefusal(walk.error, page, where, secrets);
        expect(walk.items, where).toEqual([]);
        expect(lists, where).toHaveLength(1);
        continue;
      }
      // Every page of a seed is the same page: its messages are all there is.
      expect(walk.items, where).toEqual(unique(page.data).slice(0, maxItems));
      if (walk.error !== undefined) {
        expect((walk.error as object).constructor, where).toBe(SakariPaginationError);
      }
      if (unique(page.data).length >= maxItems || endsByTotal(page)) {
        expect(walk.error, where).toBeUndefined();
        expect(lists, where).toHaveLength(1);
        ended++;
      }
    }
    expect(ended).toBeGreaterThan(0);
  });

  it('pages gives the messages iterate gives, and ends the same way', () => {
    for (const { r, o, where } of outcomes('pages')) {
      const pages = o.value as Walk<MessagePage>;
      const walk = r.outcomes.find((x) => x.op === 'iterate')?.value as Walk<Message>;
      expect(
        pages.items.flatMap((p) => p.data),
        where,
      ).toEqual(walk.items);
      expect(pages.error?.constructor, where).toBe(walk.error?.constructor);
    }
  });
});

describe("the CLI against the mocks of Sakari's document", () => {
  let relay: Relay;
  beforeAll(async () => {
    assertBuilt();
    // `/seed/N/…` goes to the dynamic mock with `Prefer: seed=N`: the CLI sets no headers.
    relay = await startRelay((request) => {
      const match = /^\/seed\/(\d+)(\/.*)$/.exec(request.url ?? '');
      return match?.[2]
        ? { origin: dynamicUrl, path: match[2], headers: { prefer: `seed=${match[1]}` } }
        : undefined;
    });
  });
  afterAll(async () => {
    await relay?.close();
  });

  /** The first page the list call gets, fetched straight from the mock. */
  async function firstPage(base: string, seed?: number): Promise<Json> {
    const response = await fetch(`${base}${listPath}?offset=0&limit=100`, {
      headers: {
        authorization: 'Bearer cli-test',
        ...(seed === undefined ? {} : { prefer: `seed=${seed}` }),
      },
    });
    return response.json();
  }

  const targets = [
    ...Object.keys(auths).map((auth) => ({ name: `static mock, ${auth}`, auth, seed: undefined })),
    // A success: false, a page that ends by its negative totalCount, one whose totalCount says
    // more (the same page again: the walk says so), an empty page.
    ...[5002, 5004, 5005, 5018].map((seed) => ({
      name: `dynamic mock seed ${seed}`,
      auth: seed % 2 === 0 ? 'client credentials' : 'token',
      seed,
    })),
  ];

  it.concurrent.each(targets)(
    'messages list --all --format ndjson: exit 0, or 1 with one clean line ($name)',
    async ({ auth, seed }) => {
      const base = seed === undefined ? mockUrl : `${relay.url}/seed/${seed}`;
      const page = await firstPage(seed === undefined ? mockUrl : dynamicUrl, seed);
      const env = cleanEnv({
        SAKARI_BASE_URL: base,
        SAKARI_ACCOUNT_ID: accountId,
        ...(auth === 'token'
          ? { SAKARI_TOKEN: auths.token.token }
          : {
              SAKARI_CLIENT_ID: credentials.clientId,
              SAKARI_CLIENT_SECRET: credentials.clientSecret,
            }),
      });
      const result = await sakari(['messages', 'list', '--all', '--format', 'ndjson'], { env });
      expect(result.signal).toBeNull();
      expect([0, 1]).toContain(result.code);
      expect(result.stderr).not.toMatch(/^\s+at |internal error/m);
      if (result.code === 0) expect(result.stderr).toBe('');
      else expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
      if (page.success === false) {
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(page.error.message);
        expect(result.stdout).toBe('');
      } else {
        expect(ndjson<Message>(result.stdout)).toEqual(unique(page.data));
      }
    },
  );
});
