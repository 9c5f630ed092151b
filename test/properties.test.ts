// Property-based tests (fast-check): input validation, the pagination window arithmetic, and
// pagination while the list changes anywhere under it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSakariClient, SakariValidationError } from '../src/index.js';
import { checkId, checkInteger } from '../src/validate.js';
import { labelOf, listServer } from './helpers/list-server.js';

describe('validation properties', () => {
  it('an integer check accepts exactly the safe integers in range', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.constant(2 ** 53)), (value) => {
        const ok = Number.isSafeInteger(value) && value >= 1 && value <= 100;
        let accepted = true;
        try {
          checkInteger('limit', value, 1, 100);
        } catch (error) {
          expect(error).toBeInstanceOf(SakariValidationError);
          expect((error as SakariValidationError).field).toBe('limit');
          accepted = false;
        }
        expect(accepted).toBe(ok);
      }),
    );
  });

  it('an accepted id always stays one path segment, decoded back to itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (id) => {
        let accepted: string | undefined;
        try {
          accepted = checkId('messageId', id);
        } catch (error) {
          expect(error).toBeInstanceOf(SakariValidationError);
          return;
        }
        const url = new URL(
          `https://api.sakari.io/v1/accounts/a/messages/${encodeURIComponent(accepted)}`,
        );
        const segments = url.pathname.split('/');
        expect(segments).toHaveLength(6);
        expect(decodeURIComponent(segments[5] as string)).toBe(id);
      }),
      { numRuns: 2000 },
    );
  });

  it('ids of URL-safe characters are accepted', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._~-]{0,60}$/), (id) => {
        expect(checkId('contactId', id)).toBe(id);
      }),
    );
  });
});

describe('pagination window arithmetic', () => {
  it('covers offsets 0..total exactly once, whatever the total, limit and concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 16 }),
        fc.boolean(),
        async (total, limit, concurrency, withTotal) => {
          const server = listServer({ count: total, noTotal: !withTotal });
          const sakari = createSakariClient({
            accountId: 'acc_1',
            auth: { token: 'to' + 'ken' },
            fetch: server.wire.fetch,
          });
          const ids: string[] = [];
          for await (const m of sakari.messages.iterate({ limit }, { concurrency })) ids.push(m.id);
          expect(ids).toEqual(server.ids);
          // Pages of `size` overlap by one message; the walk needs pages up to the one that
          // reaches the last message.
          const size = Math.max(2, limit);
          const stride = size - 1;
          const pagesNeeded = 1 + Math.max(0, Math.ceil((total - size) / stride));
          const offsets = server.offsets();
          const expected = Array.from({ length: pagesNeeded }, (_, i) => i * stride);
          // Every page of the list was requested exactly once…
          for (const offset of expected)
            expect(offsets.filter((o) => o === offset)).toHaveLength(1);
          if (withTotal) {
            // …and, knowing the total, nothing past it.
            expect(offsets.sort((a, b) => a - b)).toEqual(expected);
          } else {
            // without a total, look-ahead may overshoot by at most a window
            expect(offsets.length).toBeLessThanOrEqual(pagesNeeded + concurrency);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

/** A change the server makes before answering a request: at a place given as a fraction. */
const change = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'none'),
  at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  count: fc.integer({ min: 1, max: 3 }),
});

describe('pagination under drift', () => {
  it('yields every message that stays from start to end exactly once, whatever the shapes, the changes and the order pages arrive in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          count: fc.integer({ min: 0, max: 300 }),
          limit: fc.integer({ min: 5, max: 40 }),
          concurrency: fc.integer({ min: 1, max: 8 }),
          noHasNext: fc.boolean(),
          noTotal: fc.boolean(),
          noPagination: fc.boolean(),
          pageCap: fc.option(fc.integer({ min: 5, max: 40 }), { nil: undefined }),
          idlessEvery: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
          changes: fc.array(change, { maxLength: 60 }),
          // How many turns of the event loop each answer waits: the order pages arrive in.
          waits: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 40 }),
        }),
        async (plan) => {
          let made = 0;
          const gone = new Set<string>();
          let answered = 0;
          const server = listServer({
            count: plan.count,
            noHasNext: plan.noHasNext,
            noTotal: plan.noTotal,
            noPagination: plan.noPagination,
            pageCap: plan.pageCap,
            idless: (id) =>
              plan.idlessEvery !== undefined &&
              Number(id.replace(/\D/g, '')) % plan.idlessEvery === 0,
            holdUntil: async () => {
              const turns = plan.waits[answered++ % plan.waits.length] as number;
              for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
            },
            beforeAnswer: (n, ids) => {
              if (n > 2000) throw new Error(`runaway: ${n} requests`);
              const c = plan.changes[n - 1];
              if (!c || c.kind === 'none') return;
              const at = Math.floor(c.at * (ids.length + (c.kind === 'insert' ? 1 : 0)));
              if (c.kind === 'insert') {
                ids.splice(at, 0, ...Array.from({ length: c.count }, () => `n${made++}`));
              } else {
                for (const id of ids.splice(at, c.count)) gone.add(id);
              }
            },
          });
          const original = [...server.ids];
          const sakari = createSakariClient({
            accountId: 'acc_1',
            auth: { token: 'to' + 'ken' },
            fetch: server.wire.fetch,
          });
          const yielded: string[] = [];
          for await (const m of sakari.messages.iterate(
            { limit: plan.limit },
            { concurrency: plan.concurrency },
          )) {
            yielded.push(labelOf(m));
          }
          // Never one message twice, never one that did not exist…
          expect(new Set(yielded).size).toBe(yielded.length);
          for (const label of yielded)
            expect(original.includes(label) || label.startsWith('n')).toBe(true);
          // …and every message that stayed, once, in list order.
          const stayed = original.filter((id) => !gone.has(id));
          expect(yielded.filter((id) => !id.startsWith('n') && !gone.has(id))).toEqual(stayed);
        },
      ),
      { numRuns: 300, endOnFailure: true },
    );
  });
});
