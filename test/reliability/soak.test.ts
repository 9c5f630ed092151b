// The fault soak: an export of 5,000 messages at concurrency 8 through every fault the sandbox
// can inject, seeded so a failure reproduces. Every message must arrive exactly once, in order.
import { afterEach, describe, expect, it } from 'vitest';
import { createSakariClient } from '../../src/index.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { SOAK_DRIFTS, SOAK_FAULTS, SOAK_TIMEOUT_MS } from './soak-plan.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

function soakClient(sb: Sandbox, onRetry: () => void) {
  return createSakariClient({
    accountId: sb.accountId,
    auth: { clientId: sb.clientId, clientSecret: sb.clientSecret },
    baseUrl: sb.url,
    timeoutMs: SOAK_TIMEOUT_MS,
    // 19 % of requests fail; 8 retries make a page that fails every time vanishingly rare
    maxRetries: 8,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    onRetry,
  });
}

describe('fault soak through the library', () => {
  it('delivers 5,000 messages exactly once, in order, through 5xx, 429, resets, cut bodies, stalls and token expiry', async () => {
    sandbox = await startSandbox({
      messages: 5000,
      seed: 11,
      faults: SOAK_FAULTS,
      latencyMs: 30,
      tokenTtlSeconds: 2,
    });
    const sb = sandbox;
    let retries = 0;
    const sakari = soakClient(sb, () => retries++);
    const expected = sb.store.ids();

    const started = Date.now();
    const ids: string[] = [];
    // Pages of 50: some 125 requests, so more than one whole block of 100 in which the plan
    // deals every kind of fault at its exact share.
    for await (const m of sakari.messages.iterate({ limit: 50 }, { concurrency: 8 }))
      ids.push(m.id);
    const elapsed = Date.now() - started;

    expect(ids).toHaveLength(5000);
    expect(new Set(ids).size).toBe(5000);
    expect(ids).toEqual(expected);

    const log = sb.store.requests.filter((r) => r.path.includes('/messages'));
    const faulted = log.filter((r) => r.fault !== undefined);
    const kinds = new Set(faulted.map((r) => r.fault));
    expect([...kinds].sort()).toEqual([
      'cutShort',
      'rateLimit',
      'reset',
      'serverError',
      'stall',
      'truncate',
    ]);
    // every fault cost exactly one retry, and nothing else did
    expect(retries).toBe(faulted.length);
    // The token (2 s) expired repeatedly; each expiry cost one token request, not one per
    // worker. The JWT's `exp` is whole seconds, so the client sees 1–2 s of life and renews at
    // half of it: at most one token request per 500 ms of run time.
    expect(sb.store.tokensIssued).toBeGreaterThanOrEqual(3);
    expect(sb.store.tokensIssued).toBeLessThanOrEqual(Math.ceil(elapsed / 500) + 1);
    expect(log.filter((r) => r.status === 401)).toEqual([]);
    console.log(
      `soak (library): ${ids.length}/5000 delivered, ${retries} retries ` +
        `(${faulted.length} faults: ${[...kinds].join(', ')}), ${sb.store.tokensIssued} tokens, ${elapsed} ms`,
    );
  }, 60_000);

  it.each(SOAK_DRIFTS)(
    'with deletes anywhere and inserts during the walk, %s: every message that stays, exactly once, in order',
    async (_, drift) => {
      sandbox = await startSandbox({
        messages: 5000,
        seed: 15,
        faults: SOAK_FAULTS,
        latencyMs: 30,
        tokenTtlSeconds: 2,
        ...drift,
      });
      const sb = sandbox;
      let retries = 0;
      const sakari = soakClient(sb, () => retries++);
      const original = sb.store.ids();
      const ids: string[] = [];
      for await (const m of sakari.messages.iterate({ limit: 50 }, { concurrency: 8 }))
        ids.push(m.id);
      const kept = new Set(sb.store.ids());
      const stayed = original.filter((id) => kept.has(id));
      expect(stayed.length).toBeLessThan(4950);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => kept.has(id) && original.includes(id))).toEqual(stayed);
      const faulted = sb.store.requests.filter((r) => r.fault !== undefined);
      expect(new Set(faulted.map((r) => r.fault))).toContain('cutShort');
      // A page re-read after a gap cancels the requests ahead, and a fault dealt to a cancelled
      // request costs no retry: every retry answers a fault, not every fault a retry.
      expect(retries).toBeGreaterThan(0);
      expect(retries).toBeLessThanOrEqual(faulted.length);
      console.log(
        `soak (library, drift, ${_}): ${stayed.length} kept of 5000, all delivered once; ` +
          `${retries} retries for ${faulted.length} faults; ${sb.store.requests.length} requests`,
      );
    },
    60_000,
  );

  it('one token request per hard expiry, even with 8 requests in flight', async () => {
    sandbox = await startSandbox({
      messages: 5000,
      seed: 12,
      latencyMs: 5,
      insertDuring: ({ request, store }) => {
        // Revoke every token twice during the export, far enough apart (401s count as list
        // requests too) that no request is still on its refresh from the first when the second
        // comes: a call refreshes its token once, and a second 401 is an error by design.
        if (request === 15 || request === 45) store.expireTokens();
        return 0;
      },
    });
    const sb = sandbox;
    const sakari = soakClient(sb, () => {});
    const ids: string[] = [];
    for await (const m of sakari.messages.iterate({}, { concurrency: 8 })) ids.push(m.id);
    expect(ids).toEqual(sb.store.ids());
    expect(sb.store.tokensIssued).toBe(3);
    expect(sb.store.requests.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
