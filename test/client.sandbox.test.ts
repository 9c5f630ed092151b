// The client against the sandbox: real loopback HTTP, the sandbox's request log as the witness.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSakariClient, NotFoundError, type SakariClientOptions } from '../src/index.js';
import {
  SAKARI_DOCUMENT_SHAPES,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from '../src/sandbox/index.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await sandbox?.close();
  sandbox = undefined;
});

async function setup(options: SandboxOptions, client: Partial<SakariClientOptions> = {}) {
  sandbox = await startSandbox(options);
  const sakari = createSakariClient({
    accountId: sandbox.accountId,
    auth: { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
    baseUrl: sandbox.url,
    retry: { baseDelayMs: 5 },
    ...client,
  });
  return { sb: sandbox, sakari };
}

const listCalls = (sb: Sandbox) =>
  sb.store.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/messages'));

async function ids(source: AsyncIterable<{ id: string }>) {
  const out: string[] = [];
  for await (const m of source) out.push(m.id);
  return out;
}

describe('client against the sandbox', () => {
  it.each([1, 4, 8])(
    'iterate delivers exactly the 2,500 ids in order at concurrency %i',
    async (c) => {
      const { sb, sakari } = await setup({ messages: 2500, seed: 7 });
      const expected = sb.store.ids();
      expect(await ids(sakari.messages.iterate({}, { concurrency: c }))).toEqual(expected);
      // Pages overlap by one message: offsets 0, 99, …, 2475.
      expect(listCalls(sb)).toHaveLength(26);
      expect(sb.store.tokensIssued).toBe(1);
    },
  );

  it('iterate with inserts during paging: no duplicate, every original message', async () => {
    const { sb, sakari } = await setup({
      messages: 2500,
      seed: 3,
      latencyMs: 2,
      insertDuring: ({ request }) => (request % 2 === 0 ? 3 : 0),
    });
    const original = sb.store.ids();
    const got = await ids(sakari.messages.iterate({}, { concurrency: 8 }));
    expect(new Set(got).size).toBe(got.length);
    const delivered = new Set(got);
    expect(original.filter((id) => !delivered.has(id))).toEqual([]);
  });

  it('iterate with deletes during paging: every message that still exists', async () => {
    const { sb, sakari } = await setup({
      messages: 2500,
      seed: 4,
      latencyMs: 2,
      deleteDuring: ({ request, store }) =>
        request % 3 === 0 ? store.ids().slice(request * 20, request * 20 + 2) : [],
    });
    const got = await ids(sakari.messages.iterate({}, { concurrency: 8 }));
    expect(new Set(got).size).toBe(got.length);
    const delivered = new Set(got);
    expect(sb.store.ids().filter((id) => !delivered.has(id))).toEqual([]);
  });

  it("in the shapes Sakari's document allows (no hasNext, pages capped at 30, every 7th message without id): every message, in order", async () => {
    const { sb, sakari } = await setup({
      messages: 1000,
      seed: 5,
      shapes: { ...SAKARI_DOCUMENT_SHAPES, pageCap: 30, idlessEvery: 7 },
    });
    const got = [];
    for await (const m of sakari.messages.iterate({ limit: 100 }, { concurrency: 4 })) got.push(m);
    const expected = sb.store.ids();
    expect(got).toHaveLength(1000);
    expect(got.map((_, i) => ((i + 1) % 7 === 0 ? undefined : expected[i]))).toEqual(
      got.map((m) => m.id),
    );
    // From the first page on, the walk steps by the 30 it is served, less the shared message.
    const offsets = listCalls(sb).map((r) => Number(r.query.offset));
    expect(offsets.sort((a, b) => a - b)).toEqual(Array.from({ length: 35 }, (_, i) => i * 29));
  });

  it("pages with json in the shapes Sakari's document allows, while the list changes: each line is its message", async () => {
    const { sakari } = await setup({
      messages: 1500,
      seed: 6,
      latencyMs: 2,
      shapes: { ...SAKARI_DOCUMENT_SHAPES, pageCap: 30, idlessEvery: 7 },
      churn: { inserts: 1, deletes: 2, seed: 9 },
    });
    let lines = 0;
    for await (const page of sakari.messages.pages({}, { concurrency: 4, json: true })) {
      expect(page.json).toHaveLength(page.data.length);
      // The sandbox writes compact JSON, so Sakari's text and JSON.stringify's agree.
      expect(page.json).toEqual(page.data.map((m) => JSON.stringify(m)));
      lines += page.json.length;
    }
    expect(lines).toBeGreaterThan(1000);
  });

  it.each([
    ['no hasNext', SAKARI_DOCUMENT_SHAPES],
    ['neither hasNext nor totalCount', { hasNext: false, totalCount: false }],
    ['no pagination', { pagination: false }],
  ])(
    'deletes anywhere and inserts while it walks, %s: every message that stays, exactly once',
    async (_, shapes) => {
      const { sb, sakari } = await setup({
        messages: 2000,
        seed: 6,
        latencyMs: 2,
        shapes,
        churn: { inserts: 1, deletes: 2, seed: 9 },
      });
      const original = sb.store.ids();
      const got = await ids(sakari.messages.iterate({}, { concurrency: 4 }));
      const kept = new Set(sb.store.ids());
      const stayed = original.filter((id) => kept.has(id));
      expect(stayed.length).toBeLessThan(original.length);
      expect(new Set(got).size).toBe(got.length);
      expect(got.filter((id) => original.includes(id) && kept.has(id))).toEqual(stayed);
    },
  );

  it('one token request for 50 concurrent calls', async () => {
    const { sb, sakari } = await setup({ messages: 100 });
    await Promise.all(Array.from({ length: 50 }, (_, i) => sakari.messages.list({ offset: i })));
    expect(sb.store.tokensIssued).toBe(1);
    expect(listCalls(sb)).toHaveLength(50);
  });

  it('refreshes an expired token in the middle of an iteration', async () => {
    const { sb, sakari } = await setup({
      messages: 2500,
      insertDuring: ({ request, store }) => {
        if (request === 10) store.expireTokens();
        return 0;
      },
    });
    const expected = sb.store.ids();
    expect(await ids(sakari.messages.iterate({}, { concurrency: 4 }))).toEqual(expected);
    expect(sb.store.tokensIssued).toBe(2);
    expect(sb.store.requests.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
  });

  it('refreshes before expiry when the token is short-lived', async () => {
    // Only Date is faked, from a whole second, and each page moves it 300 ms on.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 1) });
    const { sb, sakari } = await setup({
      messages: 600,
      tokenTtlSeconds: 1,
      insertDuring: () => {
        vi.setSystemTime(Date.now() + 300);
        return 0;
      },
    });
    expect(await ids(sakari.messages.iterate({ limit: 100 }))).toEqual(sb.store.ids());
    // Each token is renewed at half its life (`exp` is whole seconds), before any 401.
    const [token, page] = ['POST 200', 'GET 200'];
    expect(sb.store.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      ...[token, page, page],
      ...[token, page],
      ...[token, page],
      ...[token, page, page],
      ...[token, page],
    ]);
    expect(sb.store.tokensIssued).toBe(5);
  });

  it('gets and sends, and the sent message is listed first', async () => {
    const { sb, sakari } = await setup({ messages: 20 });
    const first = sb.store.ids()[0] as string;
    expect((await sakari.messages.get(first)).id).toBe(first);
    await expect(sakari.messages.get('000000000000000000000000')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const sent = await sakari.messages.send({
      contacts: [{ firstName: 'Ana', mobile: { number: '+15551234567', country: 'US' } }],
      template: 'Olá {{{contact.firstName}}} 🎉',
    });
    expect(sent.messages).toHaveLength(1);
    const page = await sakari.messages.list({ limit: 1 });
    expect(page.data[0]?.id).toBe(sent.messages?.[0]?.id);
    expect(page.pagination?.totalCount).toBe(21);
  });

  it('parses a page fetched ahead only when the walk reaches it', async () => {
    // Counts the list answers whose bodies the transport has read to their end.
    let bodies = 0;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const answer = await globalThis.fetch(input, init);
      if (!(input as Request).url.includes('/messages') || !answer.body) return answer;
      const counted = new TransformStream<Uint8Array, Uint8Array>({
        flush() {
          bodies++;
        },
      });
      return new Response(answer.body.pipeThrough(counted), answer);
    };
    const { sakari } = await setup({ messages: 1000 }, { fetch });
    const messages = sakari.messages.iterate({}, { concurrency: 4 });
    const parse = vi.spyOn(JSON, 'parse');
    // The messages parsed so far: each is parsed on its own (json.ts).
    const parsed = () =>
      parse.mock.calls.filter(([text]) => String(text).startsWith('{"id"')).length;
    try {
      // Into the second page: the walk has asked for it and for the three after it.
      for (let i = 0; i <= 100; i++) await messages.next();
      await vi.waitFor(() => expect(bodies).toBeGreaterThanOrEqual(5));
      expect(parsed()).toBe(200); // two pages, though more have come
      for (let i = 0; i < 99; i++) await messages.next();
      expect(parsed()).toBe(300); // the third, once the walk reached it
    } finally {
      parse.mockRestore();
      await messages.return(undefined);
    }
  });

  it('middleware reading every answer over real sockets leaves the calls their bodies', async () => {
    const { sb, sakari } = await setup({ messages: 300 });
    const read: number[] = [];
    sakari.fetcher.use({
      async onResponse({ response }) {
        read.push((await response.clone().arrayBuffer()).byteLength);
        return undefined;
      },
    });
    const first = sb.store.ids()[0] as string;
    expect((await sakari.messages.get(first)).id).toBe(first);
    expect(await ids(sakari.messages.iterate({}, { concurrency: 3 }))).toEqual(sb.store.ids());
    // The get, then pages at offsets 0, 99 and 198 (which reaches the 300th message).
    expect(read).toHaveLength(5);
    expect(Math.min(...read)).toBeGreaterThan(1000);
  });

  it('reports the retries it made through the sandbox faults', async () => {
    let retries = 0;
    const { sb, sakari } = await setup(
      {
        messages: 1000,
        faults: { seed: 1, serverError: 0.2, rateLimit: 0.1, retryAfterSeconds: [0, 0] },
      },
      { maxRetries: 5, onRetry: () => retries++ },
    );
    expect(await ids(sakari.messages.iterate({}, { concurrency: 4 }))).toEqual(sb.store.ids());
    const faulted = sb.store.requests.filter((r) => r.status === 429 || r.status >= 500).length;
    expect(retries).toBe(faulted);
    expect(retries).toBeGreaterThan(0);
  });
});
