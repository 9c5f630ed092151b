import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../src/sandbox/index.js';
import {
  client,
  expectSpec,
  LIST_PATH,
  TOKEN_PATH,
  tokenRequest,
  useSandboxes,
} from './helpers/sandbox.js';

const start = useSandboxes();

/** What a raw fetch observed for one request. */
type Outcome =
  | { kind: 'answer'; status: number; retryAfter: string | null; body: unknown; bytes: Buffer }
  | { kind: 'fetch-error' }
  | { kind: 'body-error'; status: number; announced: number }
  | { kind: 'not-json'; status: number; announced: number; bytes: Buffer };

async function observe(url: string, init: RequestInit = {}): Promise<Outcome> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    return { kind: 'fetch-error' };
  }
  const announced = Number(res.headers.get('content-length'));
  let bytes: Buffer;
  try {
    bytes = Buffer.from(await res.arrayBuffer());
  } catch {
    return { kind: 'body-error', status: res.status, announced };
  }
  try {
    const body: unknown = JSON.parse(bytes.toString('utf8'));
    return {
      kind: 'answer',
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body,
      bytes,
    };
  } catch {
    return { kind: 'not-json', status: res.status, announced, bytes };
  }
}

/** `count` sequential list requests (one message a page), observed raw. */
async function listMany(sandbox: Sandbox, count: number, init: RequestInit = {}) {
  const token = sandbox.store.issueToken();
  const url = `${sandbox.url}/v1/accounts/${sandbox.accountId}/messages?limit=1`;
  const outcomes: Outcome[] = [];
  for (let i = 0; i < count; i++) {
    outcomes.push(await observe(url, { headers: { authorization: `Bearer ${token}` }, ...init }));
  }
  return outcomes;
}

const statusOf = (o: Outcome) => (o.kind === 'fetch-error' ? 0 : o.status);

/** Resolves once `sandbox` has logged `count` requests: each is logged as it arrives. */
async function arrived(sandbox: Sandbox, count: number): Promise<void> {
  while (sandbox.store.requests.length < count) await new Promise(setImmediate);
}

/** Whether `promise` has settled, after letting pending I/O run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (let i = 0; i < 10; i++) await new Promise(setImmediate);
  return done;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('fault plans', () => {
  it('answers exactly the planned share with 500, 502 and 503 in Sakari error bodies', async () => {
    const sandbox = await start({ messages: 0, faults: { seed: 3, serverError: 0.1 } });
    const outcomes = await listMany(sandbox, 200);
    const failed = outcomes.filter((o) => statusOf(o) >= 500);
    expect(failed).toHaveLength(20);
    expect(outcomes.filter((o) => statusOf(o) === 200)).toHaveLength(180);
    for (const o of failed) if (o.kind === 'answer') expectSpec(LIST_PATH, 'get', o.status, o.body);
    const statuses = failed.map(statusOf);
    expect(new Set(statuses)).toEqual(new Set([500, 502, 503]));
    const log = sandbox.store.requests;
    expect(log.filter((e) => e.fault === 'serverError').map((e) => e.status)).toEqual(statuses);
  });

  it('answers exactly the planned share with 429 and a Retry-After in range', async () => {
    const sandbox = await start({
      messages: 0,
      faults: { rateLimit: 0.05, retryAfterSeconds: [2, 5] },
    });
    const outcomes = await listMany(sandbox, 200);
    const limited = outcomes.filter((o) => o.kind === 'answer' && o.status === 429);
    expect(limited).toHaveLength(10);
    for (const o of limited) {
      if (o.kind !== 'answer') continue;
      expectSpec(LIST_PATH, 'get', 429, o.body);
      expect(o.retryAfter).toMatch(/^\d+$/);
      expect(Number(o.retryAfter)).toBeGreaterThanOrEqual(2);
      expect(Number(o.retryAfter)).toBeLessThanOrEqual(5);
    }
  });

  it('resets exactly the planned share of connections without a byte of answer', async () => {
    const sandbox = await start({ messages: 0, faults: { reset: 0.05 } });
    const outcomes = await listMany(sandbox, 200);
    expect(outcomes.filter((o) => o.kind === 'fetch-error')).toHaveLength(10);
    expect(outcomes.filter((o) => statusOf(o) === 200)).toHaveLength(190);
    const resets = sandbox.store.requests.filter((e) => e.fault === 'reset');
    expect(resets).toHaveLength(10);
    expect(resets.every((e) => e.status === 0)).toBe(true);
  });

  it('cuts exactly the planned share of bodies short of their Content-Length', async () => {
    const sandbox = await start({ messages: 1, faults: { truncate: 0.05 } });
    const outcomes = await listMany(sandbox, 200);
    const cut = outcomes.filter((o) => o.kind === 'body-error');
    expect(cut).toHaveLength(10);
    for (const o of cut) {
      expect(o).toMatchObject({ status: 200 });
      expect(o.kind === 'body-error' && o.announced).toBeGreaterThan(1_000);
    }
    expect(outcomes.filter((o) => o.kind === 'answer')).toHaveLength(190);
  });

  it('cuts exactly the planned share of bodies short inside complete answers', async () => {
    const sandbox = await start({ messages: 1, faults: { seed: 4, cutShort: 0.05 } });
    const outcomes = await listMany(sandbox, 200);
    const answers = outcomes.filter((o) => o.kind === 'answer');
    expect(answers).toHaveLength(190);
    const full = answers[0]?.bytes as Buffer;
    expect(answers.every((o) => o.bytes.equals(full))).toBe(true);
    const cut = outcomes.filter((o) => o.kind === 'not-json');
    expect(cut).toHaveLength(10);
    for (const o of cut) {
      // The whole announced body arrived: HTTP-wise a clean answer, JSON-wise half of one.
      expect(o).toMatchObject({ status: 200, announced: Math.floor(full.length / 2) });
      expect(o.bytes).toEqual(full.subarray(0, o.announced));
    }
    const log = sandbox.store.requests;
    expect(log.filter((e) => e.fault === 'cutShort').map((e) => e.status)).toEqual(
      Array(10).fill(200),
    );
    expect(outcomes.map((o) => o.kind === 'not-json')).toEqual(
      log.map((e) => e.fault === 'cutShort'),
    );
  });

  it('cuts get and send answers short too, after handling them', async () => {
    const sandbox = await start({ messages: 3, faults: { cutShort: 1 } });
    const headers = { authorization: `Bearer ${sandbox.store.issueToken()}` };
    const base = `${sandbox.url}/v1/accounts/${sandbox.accountId}/messages`;
    const id = sandbox.store.ids()[0] as string;
    const got = await observe(`${base}/${id}`, { headers });
    const sent = await observe(base, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ contacts: [{ mobile: { number: '+14155552671' } }], template: 'hi' }),
    });
    expect(sandbox.store.size).toBe(4);
    sandbox.store.faults = undefined;
    const whole = await observe(`${base}/${id}`, { headers });
    if (got.kind !== 'not-json' || whole.kind !== 'answer') throw new Error(got.kind);
    expect(got.status).toBe(200);
    expect(got.bytes).toEqual(whole.bytes.subarray(0, Math.floor(whole.bytes.length / 2)));
    expect(sent).toMatchObject({ kind: 'not-json', status: 200 });
    expect(sandbox.store.requests.map((e) => [e.status, e.fault])).toEqual([
      [200, 'cutShort'],
      [200, 'cutShort'],
      [200, undefined],
    ]);
  });

  it('handles a send before cutting its answer, as a connection lost mid-answer would', async () => {
    const sandbox = await start({ messages: 3, faults: { truncate: 1 } });
    const outcome = await observe(`${sandbox.url}/v1/accounts/${sandbox.accountId}/messages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sandbox.store.issueToken()}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ contacts: [{ mobile: { number: '+14155552671' } }], template: 'hi' }),
    });
    expect(outcome.kind).toBe('body-error');
    // The client saw an error, yet the message was queued: why a send must not be retried.
    expect(sandbox.store.size).toBe(4);
    expect(sandbox.store.requests.at(-1)).toMatchObject({ status: 200, fault: 'truncate' });
  });

  it('stalls exactly the planned share until the client gives up', async () => {
    const sandbox = await start({ messages: 0, faults: { stall: 0.04 } });
    const token = sandbox.store.issueToken();
    const url = `${sandbox.url}/v1/accounts/${sandbox.accountId}/messages?limit=1`;
    let aborted = 0;
    for (let i = 0; i < 100; i++) {
      const giveUp = new AbortController();
      const outcome = observe(url, {
        headers: { authorization: `Bearer ${token}` },
        signal: giveUp.signal,
      });
      await arrived(sandbox, i + 1);
      // Any other request is answered as it is handled; one left without a status is stalled.
      if (sandbox.store.requests[i]?.status === 0) {
        expect(await settled(outcome)).toBe(false);
        giveUp.abort();
      }
      if ((await outcome).kind === 'fetch-error') aborted += 1;
    }
    expect(aborted).toBe(4);
    expect(sandbox.store.requests.filter((e) => e.fault === 'stall')).toHaveLength(4);
  });

  it('gives up on a stalled request itself after stallMs', async () => {
    const sandbox = await start({ faults: { stall: 1, stallMs: 100 } });
    // The sandbox's timers are faked; sockets run as usual.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const outcome = listMany(sandbox, 1);
    await arrived(sandbox, 1);
    vi.advanceTimersByTime(99);
    expect(await settled(outcome)).toBe(false);
    vi.advanceTimersByTime(1);
    expect((await outcome).map((o) => o.kind)).toEqual(['fetch-error']);
  });

  it('deals every kind at once, exactly, at the same places for the same seed', async () => {
    const plan = {
      seed: 11,
      serverError: 0.05,
      rateLimit: 0.04,
      reset: 0.03,
      truncate: 0.02,
      stall: 0.01,
      cutShort: 0.06,
      stallMs: 50,
    };
    const runs = await Promise.all([
      start({ messages: 0, faults: plan }),
      start({ messages: 0, faults: plan }),
    ]);
    const faults = async (sandbox: Sandbox) => {
      await listMany(sandbox, 200);
      return sandbox.store.requests.map((e) => e.fault ?? '-');
    };
    const [a, b] = [await faults(runs[0] as Sandbox), await faults(runs[1] as Sandbox)];
    const count = (kind: string) => a.filter((f) => f === kind).length;
    expect([
      count('serverError'),
      count('rateLimit'),
      count('reset'),
      count('truncate'),
      count('stall'),
      count('cutShort'),
    ]).toEqual([10, 8, 6, 4, 2, 12]);
    expect(b).toEqual(a);
    const other = await start({ messages: 0, faults: { ...plan, seed: 12 } });
    expect(await faults(other)).not.toEqual(a);
  });

  it('leaves token requests alone unless the plan applies to all', async () => {
    const sandbox = await start({ faults: { serverError: 1 } });
    const grant = {
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
    };
    expect((await tokenRequest(sandbox, grant)).status).toBe(200);
    sandbox.store.faults = { serverError: 1, appliesTo: 'all' };
    const failed = await tokenRequest(sandbox, grant);
    expect(failed.status).toBe(500);
    expectSpec(TOKEN_PATH, 'post', 500, failed.body);
    // Unknown paths are never faulted.
    expect((await observe(`${sandbox.url}/nowhere`)).kind).toBe('answer');
    sandbox.store.faults = undefined;
    expect((await tokenRequest(sandbox, grant)).status).toBe(200);
  });

  it('refuses plans whose shares are out of range or add up to more than 1', async () => {
    const refused = (field: string, allowed?: string) =>
      expect.objectContaining({
        name: 'SakariValidationError',
        field,
        ...(allowed === undefined ? {} : { allowed }),
      });
    await expect(start({ faults: { serverError: 1.5 } })).rejects.toThrow(
      refused('faults.serverError', 'a share from 0 to 1'),
    );
    await expect(start({ faults: { reset: 0.6, stall: 0.5 } })).rejects.toThrow(
      refused('faults', 'shares that add up to at most 1'),
    );
    await expect(start({ faults: { rateLimit: 0.1, retryAfterSeconds: [3, 1] } })).rejects.toThrow(
      refused('faults.retryAfterSeconds'),
    );
    const sandbox = await start({ faults: { serverError: 0.5 } });
    expect(() => {
      sandbox.store.faults = { truncate: -0.1 };
    }).toThrow(refused('faults.truncate'));
    // The plan in force is kept when a new one is refused.
    expect(sandbox.store.faults).toEqual({ serverError: 0.5 });
  });
});

describe('rate limit and latency', () => {
  it('answers 429 with Retry-After beyond the allowed rate', async () => {
    const sandbox = await start({ rateLimit: 2 });
    const api = client(sandbox, sandbox.store.issueToken());
    // A burst of one second's worth passes; the bucket then refills at two a second.
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.list({ limit: 1 })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    for (const answer of answers.filter((a) => a.status === 429)) {
      expectSpec(LIST_PATH, 'get', 429, answer.body);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(answer.body.error.code).toBe('RATE-001');
    }
    sandbox.store.rateLimit = undefined;
    expect((await api.list({ limit: 1 })).status).toBe(200);
  });

  it('adds the configured latency before answering', async () => {
    const sandbox = await start({ latencyMs: 120 });
    const api = client(sandbox, sandbox.store.issueToken());
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const answer = api.list({ limit: 1 });
    await arrived(sandbox, 1);
    vi.advanceTimersByTime(119);
    expect(await settled(answer)).toBe(false);
    // Logged as it arrived, with no status yet: nothing has been answered.
    expect(sandbox.store.requests[0]?.status).toBe(0);
    vi.advanceTimersByTime(1);
    expect((await answer).status).toBe(200);
    expect(sandbox.store.requests[0]?.status).toBe(200);
  });

  it('closes promptly while requests are stalled or delayed', async () => {
    const sandbox = await start({ faults: { stall: 1 }, latencyMs: 0 });
    const url = `${sandbox.url}/v1/accounts/${sandbox.accountId}/messages`;
    const pending = fetch(url).catch((error: unknown) => error);
    const slow = await start({ latencyMs: 10_000 });
    const delayed = fetch(`${slow.url}/oauth2/token`, { method: 'POST' }).catch((e: unknown) => e);
    await Promise.all([arrived(sandbox, 1), arrived(slow, 1)]);
    const begun = performance.now();
    await Promise.all([sandbox.close(), slow.close()]);
    expect(performance.now() - begun).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
    expect(await delayed).toBeInstanceOf(Error);
    await sandbox.close();
  });
});
