import { describe, expect, it } from 'vitest';
import { createSakariClient, SakariApiError, SakariPaginationError } from '../src/index.js';
import { type ListServerOptions, labelOf, listServer } from './helpers/list-server.js';
import { json, message, observedFetch } from './helpers/observed-fetch.js';

function setup(options: ListServerOptions) {
  const server = listServer(options);
  const sakari = createSakariClient({
    accountId: 'acc_1',
    auth: { token: 'to' + 'ken' },
    fetch: server.wire.fetch,
    retry: { baseDelayMs: 1 },
  });
  return { server, sakari };
}

/** The messages' labels: ids, or for a message without one, the id its text was made from. */
async function collect(
  source: AsyncIterable<{ id?: string; message?: string }>,
): Promise<string[]> {
  const ids: string[] = [];
  for await (const m of source) ids.push(labelOf(m));
  return ids;
}

/** A seeded sequence of numbers in [0, 1), so a drift scenario replays exactly. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

describe('iterate', () => {
  it.each([1, 4, 8])(
    'yields 2,500 messages exactly once, in order, at concurrency %i',
    async (c) => {
      const { server, sakari } = setup({ count: 2500, delayMs: 1 });
      const expected = [...server.ids];
      const ids = await collect(sakari.messages.iterate({}, { concurrency: c }));
      expect(ids).toEqual(expected);
      // Pages overlap by one message, and totalCount bounds the look-ahead: not one request
      // past the end.
      expect(server.listRequests).toBe(26);
      expect(server.offsets().sort((a, b) => a - b)).toEqual(
        Array.from({ length: 26 }, (_, i) => i * 99),
      );
      if (c > 1) expect(server.maxInFlight).toBeGreaterThan(1);
      expect(server.maxInFlight).toBeLessThanOrEqual(c);
    },
  );

  it('passes the filters on every page and starts at the given offset', async () => {
    const { server, sakari } = setup({ count: 250 });
    const ids = await collect(
      sakari.messages.iterate({ contactId: 'c1', offset: 50, limit: 100 }, { concurrency: 2 }),
    );
    expect(ids).toEqual(server.ids.slice(50));
    expect(server.wire.lines()).toEqual([
      'GET /v1/accounts/acc_1/messages?offset=50&limit=100&contactId=c1',
      'GET /v1/accounts/acc_1/messages?offset=149&limit=100&contactId=c1',
      'GET /v1/accounts/acc_1/messages?offset=248&limit=100&contactId=c1',
    ]);
  });

  it('ends on hasNext even without totalCount, cancelling the pages fetched ahead', async () => {
    const { server, sakari } = setup({ count: 1050, noTotal: true, delayMs: 2 });
    const ids = await collect(sakari.messages.iterate({}, { concurrency: 8 }));
    expect(ids).toEqual(server.ids);
  });

  it('without hasNext or totalCount, ends on a page with nothing past the last message', async () => {
    const { server, sakari } = setup({ count: 230, noHasNext: true, noTotal: true });
    expect(await collect(sakari.messages.iterate({}, { concurrency: 1 }))).toEqual(server.ids);
    // The short page at 198 does not end the walk; the page at 229 holds only its last message.
    expect(server.offsets()).toEqual([0, 99, 198, 229]);
  });

  it('steps by the page size of a server that caps limit', async () => {
    const { server, sakari } = setup({ count: 260, maxLimit: 50 });
    expect(await collect(sakari.messages.iterate({}, { concurrency: 4 }))).toEqual(server.ids);
  });

  it('goes on past a slow page: it holds back only itself, never more than the window in flight', async () => {
    // Page 99 is answered once the request for page 792 has arrived (or after 3 s): with 4 in
    // flight, that request comes only if the pages after the slow one make room as they arrive.
    let reachedFarPage!: () => void;
    const farPage = new Promise<void>((resolve) => {
      reachedFarPage = resolve;
    });
    let farPageFirst: boolean | undefined;
    const { server, sakari } = setup({
      count: 2000,
      delayMs: 1,
      holdUntil: (offset) => {
        if (offset === 792) reachedFarPage();
        if (offset !== 99) return undefined;
        const timeout = new Promise((resolve) => setTimeout(resolve, 3000, false));
        return Promise.race([farPage.then(() => true), timeout]).then((first) => {
          farPageFirst = first as boolean;
        });
      },
    });
    expect(await collect(sakari.messages.iterate({}, { concurrency: 4 }))).toEqual(server.ids);
    expect(farPageFirst).toBe(true);
    expect(server.maxInFlight).toBeLessThanOrEqual(4);
    expect(server.offsets().sort((a, b) => a - b)).toEqual(
      Array.from({ length: 21 }, (_, i) => i * 99),
    );
  });

  it('stops at maxItems and cancels the rest', async () => {
    const { server, sakari } = setup({ count: 2500, delayMs: 5 });
    const ids = await collect(sakari.messages.iterate({}, { concurrency: 8, maxItems: 150 }));
    expect(ids).toEqual(server.ids.slice(0, 150));
    expect(server.listRequests).toBeLessThanOrEqual(9);
  });

  it('stops when the consumer breaks out', async () => {
    const { server, sakari } = setup({ count: 2500 });
    let n = 0;
    for await (const _ of sakari.messages.iterate({}, { concurrency: 4 })) {
      if (++n === 10) break;
    }
    expect(server.listRequests).toBeLessThanOrEqual(5);
  });

  it('cancels the pages fetched ahead when the consumer breaks out', async () => {
    const { server, sakari } = setup({ count: 2500, delayMs: 20 });
    let n = 0;
    for await (const _ of sakari.messages.iterate({}, { concurrency: 4 })) {
      if (++n === 150) break; // in the second page, with the pages after it in flight
    }
    const [first, second, ...ahead] = server.wire.requests;
    expect([first?.signal.aborted, second?.signal.aborted]).toEqual([false, false]);
    expect(ahead.length).toBeGreaterThan(0);
    expect(ahead.every((request) => request.signal.aborted)).toBe(true);
    expect(server.listRequests).toBe(2);
  });

  it('aborts with the signal', async () => {
    const { sakari } = setup({ count: 2500, delayMs: 20 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 60);
    await expect(
      collect(sakari.messages.iterate({}, { concurrency: 2, signal: controller.signal })),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('validates its options before any request', () => {
    const { server, sakari } = setup({ count: 10 });
    expect(() => sakari.messages.iterate({}, { concurrency: 17 })).toThrow(/concurrency/);
    expect(() => sakari.messages.iterate({}, { concurrency: 0 })).toThrow(/concurrency/);
    expect(() => sakari.messages.iterate({}, { maxItems: 0 })).toThrow(/maxItems/);
    expect(() => sakari.messages.iterate({ limit: 101 })).toThrow(/limit/);
    expect(server.listRequests).toBe(0);
  });
});

describe('iterate under drift', () => {
  it.each([1, 4, 8])(
    'inserts at the head: no duplicate, no original missing (concurrency %i)',
    async (c) => {
      let inserted = 0;
      const { server, sakari } = setup({
        count: 2500,
        delayMs: 1,
        beforeAnswer: (n, ids) => {
          if (n % 3 === 0) ids.unshift(`new${inserted++}`, `new${inserted++}`);
        },
      });
      const original = [...server.ids];
      const ids = await collect(sakari.messages.iterate({}, { concurrency: c }));
      expect(new Set(ids).size).toBe(ids.length);
      expect(original.filter((id) => !ids.includes(id))).toEqual([]);
      // originals keep their relative order
      const positions = original.map((id) => ids.indexOf(id));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    },
  );

  it.each([1, 4, 8])(
    'deletes: every message that still exists is yielded (concurrency %i)',
    async (c) => {
      const { server, sakari } = setup({
        count: 2500,
        delayMs: 1,
        beforeAnswer: (n, ids) => {
          // delete near the front, behind the pages already read
          if (n % 4 === 0) ids.splice(n * 10, 3);
        },
      });
      const ids = await collect(sakari.messages.iterate({}, { concurrency: c }));
      expect(new Set(ids).size).toBe(ids.length);
      expect(server.ids.filter((id) => !ids.includes(id))).toEqual([]);
    },
  );

  it('re-reads the same page after each gap without taking it for a server that ignores the offset', async () => {
    // Three deletes at the head, each undone by inserts before the re-read: every re-read at
    // offset 11 finds the page it found before, and the next page has slid past a gap again.
    let inserted = 0;
    const { server, sakari } = setup({
      count: 50,
      noPagination: true,
      beforeAnswer: (n, ids) => {
        if (n === 3 || n === 5 || n === 7) ids.splice(0, 3);
        if (n === 4 || n === 6 || n === 8)
          ids.unshift(`x${inserted++}`, `x${inserted++}`, `x${inserted++}`);
      },
    });
    const original = [...server.ids];
    const ids = await collect(sakari.messages.iterate({ limit: 12 }));
    expect(ids).toEqual(original);
    expect(server.offsets().slice(0, 9)).toEqual([0, 11, 22, 11, 22, 11, 22, 11, 22]);
  });

  it('goes on when the head grows by just its step between reads, which repeats a page as a server that ignores the offset does', async () => {
    // Two messages on top before each of the first four answers: offsets 0, 2, 4 and 6 all
    // hold n1, n0 and m00000. The page ten pages further is not that page, so the walk goes on.
    const { server, sakari } = setup({
      count: 1,
      noPagination: true,
      beforeAnswer: (n, ids) => {
        if (n <= 4) ids.unshift(`n${2 * n - 1}`, `n${2 * n - 2}`);
      },
    });
    const ids = await collect(sakari.messages.iterate({ limit: 8 }));
    expect(ids).toEqual(['n1', 'n0', 'm00000']);
    expect(server.offsets()).toEqual([0, 2, 4, 6, 6 + 10 * 8, 8]);
  });

  it('inserts and deletes together', async () => {
    let k = 0;
    const { server, sakari } = setup({
      count: 2000,
      delayMs: 1,
      beforeAnswer: (n, ids) => {
        if (n % 2 === 0) ids.unshift(`new${k++}`);
        if (n % 3 === 0) ids.splice(500, 2);
      },
    });
    const ids = await collect(sakari.messages.iterate({}, { concurrency: 8 }));
    expect(new Set(ids).size).toBe(ids.length);
    const remainingOriginals = server.ids.filter((id) => !id.startsWith('new'));
    expect(remainingOriginals.filter((id) => !ids.includes(id))).toEqual([]);
  });
});

describe("answers Sakari's own document allows", () => {
  it('no hasNext, pages capped at 50 of the 100 asked, totalCount 1000: every message', async () => {
    const { server, sakari } = setup({ count: 1000, noHasNext: true, pageCap: 50 });
    expect(await collect(sakari.messages.iterate({ limit: 100 }, { concurrency: 4 }))).toEqual(
      server.ids,
    );
    // From the first page on, the walk steps by the server's page size less the shared message.
    expect(server.offsets().sort((a, b) => a - b)).toEqual(
      Array.from({ length: 21 }, (_, i) => i * 49),
    );
  });

  it('no hasNext, no totalCount, pages capped at 50 of the 100 asked: every message', async () => {
    const { server, sakari } = setup({ count: 1000, noHasNext: true, noTotal: true, pageCap: 50 });
    expect(await collect(sakari.messages.iterate({ limit: 100 }, { concurrency: 4 }))).toEqual(
      server.ids,
    );
    // The second page shows the first was capped; from then on the walk steps by 49. It ends on
    // the page at 999, which holds only the last message.
    const offsets = server.offsets();
    expect(offsets.slice(0, 2)).toEqual([0, 49]);
    for (let o = 98; o < 999; o += 49) expect(offsets).toContain(o);
    expect(offsets).toContain(999);
    expect(offsets.length).toBeLessThanOrEqual(35);
  });

  it('messages without an id: every one yielded, none merged with another', async () => {
    const { server, sakari } = setup({
      count: 1000,
      idless: (id) => Number(id.slice(1)) % 40 === 7,
    });
    const ids = await collect(sakari.messages.iterate({}, { concurrency: 4 }));
    expect(ids).toEqual(server.ids);
    const pages = [];
    for await (const page of sakari.messages.pages()) pages.push(page);
    expect(pages.flatMap((p) => p.data).filter((m) => m.id === undefined)).toHaveLength(25);
  });

  it('an answer without pagination: list returns it, iterate walks to a page with nothing new', async () => {
    const { server, sakari } = setup({ count: 250, noPagination: true });
    const page = await sakari.messages.list({ limit: 100 });
    expect(page.pagination).toBeUndefined();
    expect(page.data).toHaveLength(100);
    const before = server.listRequests;
    expect(await collect(sakari.messages.iterate({ limit: 100 }))).toEqual(server.ids);
    expect(server.offsets().slice(before)).toEqual([0, 99, 198, 249]);
  });

  it.each([1, 4, 8])(
    'no totalCount, inserts at the head and deletes anywhere (concurrency %i): every message that stays is yielded once',
    async (c) => {
      const random = seeded(c);
      let inserted = 0;
      const deleted = new Set<string>();
      const { server, sakari } = setup({
        count: 1500,
        noTotal: true,
        delayMs: 1,
        beforeAnswer: (n, ids) => {
          if (n % 2 === 0) ids.unshift(`new${inserted++}`);
          for (let k = 0; k < 2; k++) {
            const [gone] = ids.splice(Math.floor(random() * ids.length), 1);
            deleted.add(gone as string);
          }
        },
      });
      const original = [...server.ids];
      const ids = await collect(sakari.messages.iterate({}, { concurrency: c }));
      expect(new Set(ids).size).toBe(ids.length);
      const stayed = original.filter((id) => !deleted.has(id));
      expect(stayed.filter((id) => !ids.includes(id))).toEqual([]);
      expect(ids.filter((id) => stayed.includes(id))).toEqual(stayed);
    },
  );
});

describe('broken servers', () => {
  const page = (offset: number, hasNext: boolean, ids: string[]) =>
    json({
      success: true,
      pagination: { offset, limit: 2, totalCount: 3, hasNext },
      data: ids.map(message),
    });

  it('a server that repeats its page ends with SakariPaginationError after the new messages', async () => {
    // Prism's static mock does this: the same example page for every offset.
    const wire = observedFetch(() => page(0, true, ['a', 'b']));
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: { token: 'to' + 'ken' },
      fetch: wire.fetch,
    });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const m of sakari.messages.iterate({}, { concurrency: 4 })) seen.push(m.id);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SakariPaginationError);
    expect(error).toMatchObject({ yielded: 2 });
    expect((error as Error).message).toMatch(
      /^The server ignores the offset: it sent the page of offset \d+ for offsets up to \d+/,
    );
    expect(seen).toEqual(['a', 'b']);
    expect(wire.requests.length).toBeLessThan(10);
  });

  it('a server that repeats its page and sends no pagination ends the same way, after one read far ahead', async () => {
    const wire = observedFetch(() => json({ success: true, data: ['a', 'b', 'c'].map(message) }));
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: { token: 'to' + 'ken' },
      fetch: wire.fetch,
    });
    const error = await collect(sakari.messages.iterate({ limit: 10 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SakariPaginationError);
    expect(error).toMatchObject({ yielded: 3 });
    // Pages of 3 step by 2: offsets 2, 4 and 6 repeat the page of offset 0, and so does the
    // read ten pages of 10 further.
    expect(wire.requests.map((r) => new URL(r.url).searchParams.get('offset'))).toEqual([
      '0',
      '2',
      '4',
      '6',
      '106',
    ]);
  });

  it('an empty page that claims more ends with SakariPaginationError', async () => {
    const wire = observedFetch((req) =>
      new URL(req.url).searchParams.get('offset') === '0'
        ? page(0, true, ['a', 'b'])
        : page(2, true, []),
    );
    const sakari = createSakariClient({
      accountId: 'acc_1',
      auth: { token: 'to' + 'ken' },
      fetch: wire.fetch,
    });
    await expect(collect(sakari.messages.iterate())).rejects.toThrow(/empty page at offset 1/);
  });

  it('a large page whole in structure but not JSON ends the walk with SakariApiError, at once', async () => {
    // Cut short, it would be retried (its structure shows that at once); whole, a retry is no cure.
    const data = ['a', 'b', 'c'].map((id) => ({ ...message(id), message: 'x'.repeat(40_000) }));
    const body = JSON.stringify({ success: true, pagination: { totalCount: 3 }, data });
    const wire = observedFetch(() => json(JSON.parse(body)));
    const broken = observedFetch(
      () =>
        new Response(body.replace('"b"', 'tru'), {
          headers: { 'content-type': 'application/json' },
        }),
    );
    const clientOf = (fetch: typeof globalThis.fetch) =>
      createSakariClient({ accountId: 'acc_1', auth: { token: 'to' + 'ken' }, fetch });
    expect(await collect(clientOf(wire.fetch).messages.iterate())).toEqual(['a', 'b', 'c']);
    const error = await collect(clientOf(broken.fetch).messages.iterate()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SakariApiError);
    expect(error).toMatchObject({ status: 200, method: 'GET', attempts: 1 });
    expect((error as Error).message).toMatch(
      /^200 GET \/v1\/accounts\/acc_1\/messages\?offset=0&limit=100: Malformed response: the body is not JSON \(/,
    );
    expect(broken.requests).toHaveLength(1);
  });
});

describe('pages', () => {
  it('yields the pages in order with their pagination', async () => {
    const { server, sakari } = setup({ count: 250 });
    const pages = [];
    for await (const p of sakari.messages.pages({ limit: 100 }, { concurrency: 3 })) pages.push(p);
    expect(pages.map((p) => [p.pagination?.offset, p.data.length, p.pagination?.hasNext])).toEqual([
      [0, 100, true],
      [99, 99, true],
      [198, 51, false],
    ]);
    expect(pages.flatMap((p) => p.data.map((m) => m.id))).toEqual(server.ids);
  });
});

describe('pages with json', () => {
  /** Messages served as `write` puts them: each ~4 kB unless `short`, so a page of 20 is parsed in pieces. */
  function textServer(write: (body: unknown) => string, count = 250, short = false) {
    const messages = Array.from({ length: count }, (_, i) => ({
      ...message(`m${String(i).padStart(5, '0')}`),
      message: `${'é'.repeat(short ? 10 : 2000)} ${i}`,
    }));
    const wire = observedFetch((request) => {
      const url = new URL(request.url);
      const offset = Number(url.searchParams.get('offset'));
      const limit = Number(url.searchParams.get('limit'));
      const data = messages.slice(offset, offset + limit);
      const pagination = { offset, limit, totalCount: count };
      return new Response(write({ success: true, pagination, data }), {
        headers: { 'content-type': 'application/json' },
      });
    });
    return { messages, wire };
  }
  const escaped = (value: unknown) => JSON.stringify(value).replaceAll('é', '\\u00e9');
  const clientOf = (fetch: typeof globalThis.fetch, onResponse?: () => void) =>
    createSakariClient({
      accountId: 'acc_1',
      auth: { token: 'to' + 'ken' },
      fetch,
      ...(onResponse ? { onResponse } : {}),
    });

  async function walk(
    sakari: ReturnType<typeof clientOf>,
    options: { maxItems?: number; limit?: number } = {},
  ) {
    const pages = [];
    const { limit = 100, ...rest } = options;
    for await (const page of sakari.messages.pages(
      { limit },
      { concurrency: 3, json: true, ...rest },
    )) {
      pages.push(page);
    }
    return pages;
  }

  it.each([
    ['parsed when read', undefined],
    ['parsed on arrival for onResponse', () => {}],
  ])(
    "gives each message's JSON as the server sent it, beside data, without the overlap (%s)",
    async (_, onResponse) => {
      const { messages, wire } = textServer(escaped);
      const pages = await walk(clientOf(wire.fetch, onResponse));
      expect(pages.map((p) => [p.data.length, p.json.length])).toEqual([
        [100, 100],
        [99, 99],
        [51, 51],
      ]);
      // The server's escapes kept, so the text is not JSON.stringify's.
      expect(pages.flatMap((p) => p.json)).toEqual(messages.map(escaped));
      expect(pages.flatMap((p) => p.data)).toEqual(messages);
      expect(wire.requests).toHaveLength(3);
    },
  );

  it('cuts json where maxItems cuts data', async () => {
    const { messages, wire } = textServer(escaped);
    const pages = await walk(clientOf(wire.fetch), { maxItems: 150 });
    expect(pages.flatMap((p) => p.json)).toEqual(messages.slice(0, 150).map(escaped));
    expect(pages.map((p) => p.json.length)).toEqual(pages.map((p) => p.data.length));
  });

  it('puts a message the server spread over lines on one line, as JSON.stringify writes it', async () => {
    const { messages, wire } = textServer((body) => JSON.stringify(body, null, 2));
    const lines = (await walk(clientOf(wire.fetch))).flatMap((p) => p.json);
    expect(lines).toEqual(messages.map((m) => JSON.stringify(m)));
  });

  it('serialises the messages of a small page, which is parsed whole', async () => {
    const { messages, wire } = textServer(escaped, 30, true);
    const pages = await walk(clientOf(wire.fetch), { limit: 10 });
    expect(pages.flatMap((p) => p.json)).toEqual(messages.map((m) => JSON.stringify(m)));
  });

  it('gives no json unless asked, and refuses a json option that is not a boolean', async () => {
    const { wire } = textServer(escaped);
    const sakari = clientOf(wire.fetch);
    for await (const page of sakari.messages.pages({}, { maxItems: 5 })) {
      expect(page).not.toHaveProperty('json');
    }
    const requests = wire.requests.length;
    expect(() => sakari.messages.pages({}, { json: 'yes' } as never)).toThrow(
      expect.objectContaining({
        name: 'SakariValidationError',
        field: 'json',
        allowed: 'true or false',
      }),
    );
    expect(wire.requests).toHaveLength(requests);
  });
});
