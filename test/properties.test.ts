// Property-based tests (fast-check): input validation and the pagination window arithmetic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSakariClient, SakariValidationError } from '../src/index.js';
import { checkId, checkInteger } from '../src/validate.js';
import { listServer } from './helpers/list-server.js';

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
          const pagesNeeded = Math.max(1, Math.ceil(total / limit));
          const offsets = server.offsets();
          const expected = Array.from({ length: pagesNeeded }, (_, i) => i * limit);
          // Every page of the list was requested exactly once…
          for (const offset of expected)
            expect(offsets.filter((o) => o === offset)).toHaveLength(1);
          if (withTotal) {
            // …and, knowing the total, nothing past it (an exact list that ends on a page
            // boundary needs the empty page after it only when hasNext said so).
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
