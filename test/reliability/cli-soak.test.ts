// The soak and exhausted retries through the built CLI: what a user's export job sees.
import { describe, expect, it } from 'vitest';
import { assertBuilt, cleanUpAfterAll, ndjson, sakari, sandboxEnv } from '../helpers/cli.js';
import { SOAK_DRIFTS, SOAK_FAULTS, SOAK_TIMEOUT_MS } from './soak-plan.js';

assertBuilt();
const sandboxFor = cleanUpAfterAll();

describe('fault soak through the CLI', () => {
  it('exports 5,000 messages as NDJSON exactly once, in order, through every fault', async () => {
    const sandbox = await sandboxFor({
      messages: 5000,
      seed: 13,
      faults: SOAK_FAULTS,
      latencyMs: 30,
      tokenTtlSeconds: 2,
    });
    const result = await sakari(
      [
        'messages',
        'list',
        '--all',
        '--format',
        'ndjson',
        '--limit',
        '50',
        '--concurrency',
        '8',
        '--timeout',
        String(SOAK_TIMEOUT_MS),
        '--retries',
        '8',
        '--debug',
      ],
      { env: sandboxEnv(sandbox) },
    );
    expect(result.code, result.stderr).toBe(0);
    const ids = ndjson(result.stdout).map((m) => m.id);
    expect(ids).toHaveLength(5000);
    expect(new Set(ids).size).toBe(5000);
    expect(ids).toEqual(sandbox.store.ids());
    const faulted = sandbox.store.requests.filter((r) => r.fault !== undefined).length;
    const summary = /debug: 5,?000 messages in [\d.]+ s, (\d+) retr/.exec(result.stderr);
    expect(summary, result.stderr).not.toBeNull();
    expect(Number(summary?.[1])).toBe(faulted);
    expect(result.stderr).not.toContain(sandbox.clientSecret);
    console.log(
      `soak (CLI): ${ids.length}/5000 delivered, ${summary?.[1]} retries, ${sandbox.store.tokensIssued} tokens`,
    );
  }, 60_000);

  it.each(SOAK_DRIFTS)(
    'exports every message that stays exactly once while the list changes, %s',
    async (_, drift) => {
      const sandbox = await sandboxFor({
        messages: 2000,
        seed: 16,
        faults: SOAK_FAULTS,
        latencyMs: 30,
        ...drift,
      });
      const original = sandbox.store.ids();
      const result = await sakari(
        [
          'messages',
          'list',
          '--all',
          '--format',
          'ndjson',
          '--limit',
          '50',
          '--concurrency',
          '8',
          '--timeout',
          String(SOAK_TIMEOUT_MS),
          '--retries',
          '8',
          '--debug',
        ],
        { env: sandboxEnv(sandbox) },
      );
      expect(result.code, result.stderr).toBe(0);
      const ids = ndjson(result.stdout).map((m) => m.id);
      const kept = new Set(sandbox.store.ids());
      const stayed = original.filter((id) => kept.has(id));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => kept.has(id) && original.includes(id))).toEqual(stayed);
      const faulted = sandbox.store.requests.filter((r) => r.fault !== undefined).length;
      const summary = /debug: [\d,]+ messages in [\d.]+ s, (\d+) retr/.exec(result.stderr);
      // Requests cancelled after a gap may have drawn faults that cost no retry.
      expect(Number(summary?.[1])).toBeGreaterThan(0);
      expect(Number(summary?.[1])).toBeLessThanOrEqual(faulted);
    },
    60_000,
  );

  it('when faults outlast the retries: exit 1, the attempt count, every fetched message written whole', async () => {
    const sandbox = await sandboxFor({
      messages: 2500,
      seed: 14,
      insertDuring: ({ request, store }) => {
        // From the 11th page on, every request fails.
        if (request === 10) store.faults = { serverError: 1 };
        return 0;
      },
    });
    const result = await sakari(
      ['messages', 'list', '--all', '--format', 'ndjson', '--concurrency', '1', '--retries', '1'],
      { env: sandboxEnv(sandbox) },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: 50[023] GET \/v1\/accounts\/acc_sandbox\/messages\?[^\n]*after 2 attempts[^\n]*\n$/,
    );
    // the ten pages answered before the failure (100 + 9 × 99 new), whole lines only
    const ids = ndjson(result.stdout).map((m) => m.id);
    expect(ids).toEqual(sandbox.store.ids().slice(0, 991));
  }, 30_000);
});
