// The export that benchmarks 2–4 time: every message of a sandbox at 50 ms latency, through
// the client's `iterate` at concurrency 8 and through each benchmark's baseline. The three
// comparisons share one sandbox process and, in each round, one `iterate` run, which all the
// baselines of that round are compared with; the order of the sides turns every round.
import { readFileSync } from 'node:fs';
import createClient from 'openapi-fetch';
import type { SakariClient } from '../../src/index.js';
import type { MessagePage, paths } from '../../src/types.js';
import {
  type Benchmark,
  type Context,
  collectGarbage,
  fmt,
  judge,
  type Result,
  round3,
  timed,
} from './harness.js';
import { library } from './library.js';
import { type SandboxProcess, startSandboxProcess } from './sandbox.js';

export const PAGE = 100;

/** What a side of a comparison runs against. */
export interface ExportSetup {
  readonly sandbox: SandboxProcess;
  readonly client: SakariClient;
  /** A bearer token for the sides that do without the client. */
  readonly token: string;
  readonly messages: number;
  readonly latencyMs: number;
}

/** Times of one comparison, one entry per round it ran in (ms). */
export interface ExportFigures {
  readonly setup: ExportSetup;
  readonly baselineMs: readonly number[];
  /** `iterate` (concurrency 8) in the same rounds. */
  readonly iterateMs: readonly number[];
  /** CPU time of this process's main thread during those `iterate` runs: JavaScript runs there. */
  readonly iterateCpuMs: readonly number[];
}

/** One of benchmarks 2–4: a baseline export against `iterate` at concurrency 8. */
export interface ExportComparison {
  readonly id: string;
  /** Rounds in a full run (a quick run has one). */
  readonly rounds: number;
  /** The other side of the comparison. */
  baseline(setup: ExportSetup): Promise<void>;
  /** Builds the row from the figures. */
  result(figures: ExportFigures, context: Context): Result;
}

const CONCURRENCY = 8;

/** Benchmarks 2–4 as one run over a shared sandbox; `comparisons` may be any subset. */
export function exportBenchmark(comparisons: readonly ExportComparison[]): Benchmark {
  const id = comparisons.map((c) => c.id).join(', ');
  return {
    id,
    title: `${id}. export at 50 ms: iterate concurrency 8 vs each baseline`,
    async run(context) {
      const { messages, latencyMs } = context.quick
        ? { messages: 600, latencyMs: 5 }
        : { messages: 20_000, latencyMs: 50 };
      const sandbox = await startSandboxProcess(context.root, { messages, latencyMs });
      try {
        const { createSakariClient } = await library(context.root);
        const client = createSakariClient({
          baseUrl: sandbox.url,
          accountId: sandbox.accountId,
          auth: { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
        });
        const setup: ExportSetup = {
          sandbox,
          client,
          token: await sandbox.token(),
          messages,
          latencyMs,
        };
        // Warm-up: the JIT, the connections and the sandbox's cache of built messages.
        await iterateExport(client, CONCURRENCY, messages);

        const rounds = (c: ExportComparison) => (context.quick ? 1 : c.rounds);
        const figures = comparisons.map(() => ({
          baselineMs: [] as number[],
          iterateMs: [] as number[],
          iterateCpuMs: [] as number[],
        }));
        const most = Math.max(...comparisons.map(rounds));
        for (let round = 0; round < most; round++) {
          const sides: { name: string; run: () => Promise<unknown>; index: number }[] = [
            { name: 'iterate', run: () => iterateExport(client, CONCURRENCY, messages), index: -1 },
          ];
          comparisons.forEach((c, index) => {
            if (round < rounds(c)) sides.push({ name: c.id, run: () => c.baseline(setup), index });
          });
          const turned = sides.map(
            (_, i) => sides[(i + round) % sides.length] as (typeof sides)[0],
          );
          const times = new Map<number, number>();
          let iterateMs = 0;
          let iterateCpuMs = 0;
          for (const side of turned) {
            collectGarbage();
            const cpu = mainThreadCpuMs();
            const ms = await timed(side.run);
            if (side.index === -1) {
              iterateMs = ms;
              iterateCpuMs = mainThreadCpuMs() - cpu;
            } else times.set(side.index, ms);
          }
          for (const [index, ms] of times) {
            const f = figures[index] as (typeof figures)[0];
            f.baselineMs.push(ms);
            f.iterateMs.push(iterateMs);
            f.iterateCpuMs.push(iterateCpuMs);
          }
          const shown = [...times].map(([i, ms]) => `#${comparisons[i]?.id} ${fmt(ms)} ms`);
          context.log(
            `  round ${round + 1}/${most}: iterate ${fmt(iterateMs)} ms, ${shown.join(', ')}`,
          );
        }
        return comparisons.map((c, i) =>
          c.result({ setup, ...(figures[i] as (typeof figures)[0]) }, context),
        );
      } finally {
        await sandbox.close();
      }
    },
  };
}

/** A row of benchmarks 2–4: the ratio judged against `goal`, at least or at most. */
export function exportRow(
  context: Context,
  row: { id: string; name: string; goal: string; measured: string; ratio: number; ok: boolean },
): Result {
  return {
    id: row.id,
    name: row.name,
    goal: row.goal,
    measured: row.measured,
    ratio: round3(row.ratio),
    pass: judge(context, row.ok),
  };
}

/** Messages per second of an export that took `ms`. */
export function rate(setup: ExportSetup, ms: number): string {
  return `${fmt((setup.messages / ms) * 1000)} msg/s`;
}

/**
 * How much faster than `sequentialMs` concurrency can make the export at best, when the client
 * spends `cpuMs` of CPU on it: the client's own core, not the network, is then the limit.
 */
export function ceiling(sequentialMs: number, cpuMs: number): string {
  return `CPU-bound ceiling ${fmt(sequentialMs / cpuMs)}× (client CPU ${fmt(cpuMs / 1000)} s)`;
}

/**
 * CPU time of the main thread so far (ms, 10 ms resolution), from /proc: `process.cpuUsage()`
 * also counts the GC's and the loader's helper threads, which run on the other core.
 */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function expect(what: string, got: number, expected: number): void {
  if (got !== expected) throw new Error(`${what}: got ${got} messages, expected ${expected}`);
}

/** `iterate` at `concurrency`, every message consumed one by one as a caller would. */
export async function iterateExport(
  client: SakariClient,
  concurrency: number,
  total: number,
): Promise<void> {
  let count = 0;
  for await (const message of client.messages.iterate({ limit: PAGE }, { concurrency })) {
    if (message.id) count++;
  }
  expect(`iterate (concurrency ${concurrency})`, count, total);
}

/**
 * Raw fetch + `json()` with `workers` workers taking the next offset from a shared counter,
 * the total known in advance: no validation, no retries, no ordering, each page consumed as it
 * arrives. The upper limit.
 */
export async function rawWorkersExport(setup: ExportSetup, workers: number): Promise<void> {
  const { sandbox, token, messages: total } = setup;
  const base = `${sandbox.url}/v1/accounts/${sandbox.accountId}/messages?limit=${PAGE}&offset=`;
  const headers = { authorization: `Bearer ${token}` };
  let next = 0;
  let count = 0;
  const worker = async () => {
    while (next < total) {
      const offset = next;
      next += PAGE;
      const res = await fetch(base + offset, { headers });
      const page = (await res.json()) as MessagePage;
      for (const message of page.data) if (message.id) count++;
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  expect(`raw fetch (${workers} workers)`, count, total);
}

/** What a user would write: a token, then one page after another until `hasNext` is false. */
export async function handLoopExport(setup: ExportSetup): Promise<void> {
  const { sandbox, messages: total } = setup;
  const client = createClient<paths>({ baseUrl: sandbox.url });
  const { data: token } = await client.POST('/oauth2/token', {
    body: {
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
    },
  });
  if (!token?.access_token) throw new Error('hand-written loop: no token');
  const headers = { Authorization: `Bearer ${token.access_token}` };
  let count = 0;
  let offset = 0;
  for (;;) {
    const { data, error } = await client.GET('/v1/accounts/{accountId}/messages', {
      params: { path: { accountId: sandbox.accountId }, query: { offset, limit: PAGE } },
      headers,
    });
    if (error || !data) throw new Error(`hand-written loop: ${JSON.stringify(error)}`);
    for (const message of data.data) if (message.id) count++;
    if (!data.pagination?.hasNext) break;
    offset += data.data.length;
  }
  expect('hand-written hasNext loop', count, total);
}
