// 6. Per-call overhead, as openapi-fetch's own benchmark measures it: a stubbed `fetch` answers
// at once with a small JSON page, so only the code between the caller and `fetch` is timed.
// `messages.list` (validation, auth header, timeout, retry loop, buffering, checks) against a
// bare openapi-fetch GET of the same path with the same header.
import createClient from 'openapi-fetch';
import { Bench } from 'tinybench';
import type { paths } from '../src/types.js';
import { type Benchmark, fmt, judge, median, round3 } from './lib/harness.js';
import { library } from './lib/library.js';

const GOAL = 0.5;
const BASE_URL = 'https://api.sakari.io';
const ACCOUNT = 'acc_bench';
const BODY = JSON.stringify({
  success: true,
  pagination: { offset: 0, limit: 1, totalCount: 0, hasNext: false },
  data: [],
});
const HEADERS = { 'content-type': 'application/json', 'content-length': String(BODY.length) };

/** A fetch that answers every request with a fresh copy of the prebuilt small JSON page. */
const stubFetch = (async () =>
  new Response(BODY, { status: 200, headers: HEADERS })) as typeof fetch;

export const overhead: Benchmark = {
  id: '6',
  title: '6. per-call overhead with a stubbed fetch: messages.list vs bare openapi-fetch',
  async run(context) {
    const rounds = context.quick ? 1 : 5;
    const time = context.quick ? 50 : 400;
    const { createSakariClient } = await library(context.root);
    const sakari = createSakariClient({
      baseUrl: BASE_URL,
      accountId: ACCOUNT,
      auth: { token: 'bench-token' },
      fetch: stubFetch,
    });
    const bare = createClient<paths>({
      baseUrl: BASE_URL,
      fetch: stubFetch,
      headers: { Authorization: 'Bearer bench-token' },
    });
    const tasks = {
      client: async () => {
        await sakari.messages.list({ limit: 1 });
      },
      bare: async () => {
        const { data } = await bare.GET('/v1/accounts/{accountId}/messages', {
          params: { path: { accountId: ACCOUNT }, query: { limit: 1 } },
        });
        if (!data) throw new Error('no data');
      },
    };
    const hz = { client: [] as number[], bare: [] as number[] };
    const ratios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const bench = new Bench({ time, warmupTime: context.quick ? 20 : 150, throws: true });
      const order = round % 2 === 0 ? (['client', 'bare'] as const) : (['bare', 'client'] as const);
      for (const name of order) bench.add(name, tasks[name]);
      await bench.run();
      // Calls per second of run time (1 / mean latency): the throughput a caller gets. (The
      // mean of per-call rates, tinybench's `throughput.mean`, flatters the side with more
      // variance, such as GC pauses.)
      const opsOf = (name: string) => 1000 / (bench.getTask(name)?.result?.period ?? Number.NaN);
      hz.client.push(opsOf('client'));
      hz.bare.push(opsOf('bare'));
      ratios.push(opsOf('client') / opsOf('bare'));
      context.log(
        `  round ${round + 1}/${rounds}: client ${fmt(opsOf('client'))} ops/s, bare ${fmt(opsOf('bare'))} ops/s`,
      );
    }
    const ratio = median(ratios);
    return [
      {
        id: '6',
        name: 'per-call overhead, stubbed fetch: messages.list vs bare openapi-fetch GET',
        goal: `≥ ${GOAL} of bare ops/s`,
        measured: `client ${fmt(median(hz.client))} ops/s, bare ${fmt(median(hz.bare))} ops/s`,
        ratio: round3(ratio),
        pass: judge(context, ratio >= GOAL),
      },
    ];
  },
};
