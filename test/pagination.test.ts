import { describe, expect, it } from 'vitest';
import { createSakariClient, SakariPaginationError } from '../src/index.js';
import { type ListServerOptions, listServer } from './helpers/list-server.js';
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

async function collect(source: AsyncIterable<{ id: string }>): Promise<string[]> {
  const ids: string[] = [];
  for await (const m of source) ids.push(m.id);
  return ids;
}

describe('iterate', () => {
  it.each([1, 4, 8])(
    'yields 2,500 messages exactly once, in order, at concurrency %i',
    async (c) => {
      const { server, sakari } = setup({ count: 2500, delayMs: 1 });
      const expected = [...server.ids];
      const ids = await collect(sakari.messages.iterate({}, { concurrency: c }));
      expect(ids).toEqual(expected);
      // totalCount bounds the look-ahead: not one request past the end.
      expect(server.listRequests).toBe(25);
      expect(server.offsets().sort((a, b) => a - b)).toEqual(
        Array.from({ length: 25 }, (_, i) => i * 100),
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
      'GET /v1/accounts/acc_1/messages?offset=150&limit=100&contactId=c1',
    ]);
  });

  it('ends on hasNext even without totalCount, cancelling the pages fetched ahead', async () => {
    const { server, sakari } = setup({ count: 1050, noTotal: true, delayMs: 2 });
    const ids = await collect(sakari.messages.iterate({}, { concurrency: 8 }));
    expect(ids).toEqual(server.ids);
  });

  it('falls back to a short page when hasNext is absent', async () => {
    const { server, sakari } = setup({ count: 230, noHasNext: true, noTotal: true });
    expect(await collect(sakari.messages.iterate({}, { concurrency: 1 }))).toEqual(server.ids);
    expect(server.offsets()).toEqual([0, 100, 200]);
  });

  it('steps by the page size of a server that caps limit', async () => {
    const { server, sakari } = setup({ count: 260, maxLimit: 50 });
    expect(await collect(sakari.messages.iterate({}, { concurrency: 4 }))).toEqual(server.ids);
  });

  it('goes on past a slow page: it holds back only itself, never more than the window in flight', async () => {
    // Page 100 is answered once the request for page 800 has arrived (or after 3 s): with 4 in
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
        if (offset === 800) reachedFarPage();
        if (offset !== 100) return undefined;
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
      Array.from({ length: 20 }, (_, i) => i * 100),
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
    expect(seen).toEqual(['a', 'b']);
    expect(wire.requests.length).toBeLessThan(10);
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
    await expect(collect(sakari.messages.iterate())).rejects.toThrow(/empty page at offset 2/);
  });
});

describe('pages', () => {
  it('yields the pages in order with their pagination', async () => {
    const { server, sakari } = setup({ count: 250 });
    const pages = [];
    for await (const p of sakari.messages.pages({ limit: 100 }, { concurrency: 3 })) pages.push(p);
    expect(pages.map((p) => [p.pagination?.offset, p.data.length, p.pagination?.hasNext])).toEqual([
      [0, 100, true],
      [100, 100, true],
      [200, 50, false],
    ]);
    expect(pages.flatMap((p) => p.data.map((m) => m.id))).toEqual(server.ids);
  });
});
