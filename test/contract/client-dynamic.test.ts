// The client against Prism's dynamic mock: bodies made up from the schemas (nulls, unknown extra
// properties, odd strings, odd numbers), one seed per client through `Prefer: seed=N`. What the
// generator makes is checked against the spec in dynamic-mock.test.ts; here the client must
// parse it.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createSakariClient,
  type Message,
  SakariApiError,
  SakariPaginationError,
} from '../../src/index.js';
import {
  closedAjv,
  type Json,
  LIST_PATH,
  MESSAGE_PATH,
  responsePointer,
  spec,
  TOKEN_PATH,
  validatorFor,
} from '../helpers/spec.js';
import { createWire, type Exchange, hasNull, responseExample, type Wire } from './wire.js';

const dynamicUrl = inject('prismDynamicUrl');

const examples = spec.components.examples;
const accountId: string = spec.components.parameters.AccountId.example;
const messageId: string = spec.components.parameters.MessageId.example;
const sendRequest = examples.SendMessagesRequest.value;
const MAX_ITEMS = 3;
// One client per seed, each making a token exchange, list, get, send and an iterate of one to
// seven pages: about 6 requests a seed, at 0.1–0.5 s each for Prism to make up. Seeds are picked
// as in dynamic-mock.test.ts (none is another one repeated, which seedrandom would treat alike).
const SEEDS = Array.from({ length: 10 }, (_, i) => 3001 + i);

type Op = 'list' | 'get' | 'send' | 'iterate';

interface Outcome {
  op: Op;
  value?: unknown;
  error?: unknown;
}

interface Run {
  seed: number;
  wire: Wire;
  outcomes: Outcome[];
}

/** The operation a recorded exchange belongs to (the list call sends no offset; iterate does). */
function opOf(x: Exchange): Op | 'token' {
  if (x.path === TOKEN_PATH) return 'token';
  if (x.path === MESSAGE_PATH) return 'get';
  if (x.method === 'POST') return 'send';
  return x.url.searchParams.has('offset') ? 'iterate' : 'list';
}

async function settle(op: Op, promise: Promise<unknown>): Promise<Outcome> {
  try {
    return { op, value: await promise };
  } catch (error) {
    return { op, error };
  }
}

/** What an iterate gave before it ended, and how it ended. */
interface Walk {
  items: Message[];
  error?: unknown;
}

async function collect(source: AsyncIterable<Message>): Promise<Walk> {
  const items: Message[] = [];
  try {
    for await (const item of source) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}

async function run(seed: number): Promise<Run> {
  const wire = createWire({ prefer: `seed=${seed}` });
  const sakari = createSakariClient({
    baseUrl: dynamicUrl,
    accountId,
    auth: {
      clientId: examples.TokenRequest.value.client_id,
      clientSecret: examples.TokenRequest.value.client_secret,
    },
    fetch: wire.fetch,
    maxRetries: 0,
  });
  const outcomes = [
    await settle('list', sakari.messages.list({ limit: 5 })),
    await settle('get', sakari.messages.get(messageId)),
    await settle('send', sakari.messages.send(sendRequest)),
    await settle(
      'iterate',
      collect(sakari.messages.iterate({ limit: 5 }, { maxItems: MAX_ITEMS })),
    ),
  ];
  return { seed, wire, outcomes };
}

/** The raw body of the (first) exchange of an operation. */
function rawBody(r: Run, op: Op): Json {
  const x = r.wire.exchanges.find((e) => opOf(e) === op);
  return x ? JSON.parse(x.text) : undefined;
}

/** What the client should return for a body: the page itself, or its `data`. */
function expectedValue(op: Op, body: Json): unknown {
  return op === 'list' ? body : body.data;
}

const saysFailure = (body: Json) => body?.success === false;

describe('the client against the dynamic mock', () => {
  let runs: Run[] = [];
  beforeAll(async () => {
    runs = await Promise.all(SEEDS.map(run));
  }, 60_000);

  const all = () => runs.flatMap((r) => r.wire.exchanges);

  it('sends at least 50 seeded requests, every one of them valid by Prism', () => {
    expect(all().length).toBeGreaterThanOrEqual(50);
    for (const r of runs) {
      for (const x of r.wire.exchanges) {
        const where = `seed=${r.seed} ${x.method} ${x.url.pathname}${x.url.search}`;
        expect(x.status, where).toBe(200);
        expect(x.requestHeaders.get('prefer'), where).toBe(`seed=${r.seed}`);
        // Response violations are the generator's own cycle cuts (see dynamic-mock.test.ts).
        expect(
          x.violations.filter((v) => v.location[0] === 'request'),
          where,
        ).toEqual([]);
      }
    }
  });

  it('sends whatever token the mock made up, once exchanged, as the Bearer', () => {
    for (const r of runs) {
      const [token, ...api] = r.wire.exchanges;
      expect(token && opOf(token), `seed=${r.seed}`).toBe('token');
      const accessToken = JSON.parse(token?.text ?? '{}').access_token;
      expect(typeof accessToken).toBe('string');
      expect(
        api.map((x) => x.requestHeaders.get('authorization')),
        `seed=${r.seed}`,
      ).toEqual(api.map(() => `Bearer ${accessToken}`));
    }
  });

  it('parses every body that says success: true, nulls and unknown properties included', () => {
    const parsed: { op: Op; body: Json }[] = [];
    for (const r of runs) {
      for (const { op, value, error } of r.outcomes) {
        if (op === 'iterate') continue;
        const body = rawBody(r, op);
        if (saysFailure(body)) continue;
        const where = `seed=${r.seed} ${op}`;
        expect(error, where).toBeUndefined();
        expect(value, where).toEqual(expectedValue(op, body));
        parsed.push({ op, body });
      }
    }
    // Enough of each operation for the check to mean something.
    for (const op of ['list', 'get', 'send'] as const) {
      expect(parsed.filter((p) => p.op === op).length, op).toBeGreaterThanOrEqual(2);
    }
    expect(parsed.filter(({ body }) => hasNull(body)).length).toBeGreaterThan(0);
    const undeclared = parsed.filter(({ op, body }) => {
      const method = op === 'send' ? 'post' : 'get';
      const closed = validatorFor(
        responsePointer(op === 'get' ? MESSAGE_PATH : LIST_PATH, method, '200'),
        closedAjv,
      );
      return !closed(body) && closed.errors?.some((e) => e.keyword === 'additionalProperties');
    });
    expect(undeclared.length).toBeGreaterThan(0);
  });

  it(`iterate with maxItems ${MAX_ITEMS} yields the page's messages and never a SakariApiError`, () => {
    let walked = 0;
    for (const r of runs) {
      const pages = r.wire.exchanges.filter((x) => opOf(x) === 'iterate');
      const body = JSON.parse(pages[0]?.text ?? '{}');
      if (saysFailure(body)) continue;
      walked++;
      const where = `seed=${r.seed}`;
      // One seed, one body: the mock repeats the same page at every offset.
      expect(new Set(pages.map((x) => x.text)).size, where).toBe(1);
      const outcome = r.outcomes.find((o) => o.op === 'iterate');
      expect(outcome?.error, where).toBeUndefined();
      const { items, error } = (outcome?.value ?? { items: [] }) as Walk;
      const unique = [...new Set<string>(body.data.map((m: Message) => m.id))];
      expect(
        items.map((m) => m.id),
        where,
      ).toEqual(unique.slice(0, MAX_ITEMS));
      // A page repeated with hasNext: true is a server that does not add up: the walk says so.
      if (error !== undefined) expect(error, where).toBeInstanceOf(SakariPaginationError);
    }
    expect(walked).toBeGreaterThanOrEqual(2);
  });

  // A 2XX body always says `success: true` (the spec's `const`), so the client may treat a 200
  // that says false as an error (it does) and Prism's generator never makes one up.
  it('parses every 200 the dynamic mock makes up; success: false breaks the spec', () => {
    for (const [path, method] of [
      [LIST_PATH, 'get'],
      [MESSAGE_PATH, 'get'],
      [LIST_PATH, 'post'],
    ] as const) {
      const validate = validatorFor(responsePointer(path, method, '200'));
      const spoiled = { ...responseExample(path, method, 200), success: false };
      expect(validate(spoiled), `${method} ${path}`).toBe(false);
    }
    const thrown = runs.flatMap((r) =>
      r.outcomes.flatMap(({ op, value, error }) => {
        const failure = op === 'iterate' ? (value as Walk | undefined)?.error : error;
        if (!(failure instanceof SakariApiError) || failure.status !== 200) return [];
        return [`seed=${r.seed} ${op}: ${failure.name}: ${failure.message}`];
      }),
    );
    expect(thrown, 'spec-valid 200 bodies the client threw on').toEqual([]);
  });
});
