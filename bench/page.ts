// 1. One 100-message page at zero latency: `messages.list` against raw `fetch` + `json()`,
// the same URL from the same sandbox, call by call in ABBA order.
import type { MessagePage } from '../src/types.js';
import { type Benchmark, fmt, judge, median, round3 } from './lib/harness.js';
import { library } from './lib/library.js';
import { startSandboxProcess } from './lib/sandbox.js';

const GOAL = 1.05;

export const page: Benchmark = {
  id: '1',
  title: '1. one 100-message page: messages.list vs raw fetch + json()',
  async run(context) {
    const rounds = context.quick ? 1 : 5;
    const callsPerRound = context.quick ? 4 : 40;
    const sandbox = await startSandboxProcess(context.root, { messages: 1_000 });
    try {
      const { createSakariClient } = await library(context.root);
      const sakari = createSakariClient({
        baseUrl: sandbox.url,
        accountId: sandbox.accountId,
        auth: { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
      });
      const headers = { authorization: `Bearer ${await sandbox.token()}` };
      // The query the client sends, so both sides ask the server for exactly the same thing.
      const url = `${sandbox.url}/v1/accounts/${sandbox.accountId}/messages?offset=0&limit=100`;
      const raw = async () => {
        const res = await fetch(url, { headers });
        return ((await res.json()) as MessagePage).data.length;
      };
      const client = async () =>
        (await sakari.messages.list({ offset: 0, limit: 100 })).data.length;

      const time = async (fn: () => Promise<number>) => {
        const started = performance.now();
        const n = await fn();
        if (n !== 100) throw new Error(`expected 100 messages, got ${n}`);
        return performance.now() - started;
      };
      for (let i = 0; i < (context.quick ? 2 : 20); i++) {
        await time(raw);
        await time(client);
      }
      const ratios: number[] = [];
      const clientMs: number[] = [];
      const rawMs: number[] = [];
      for (let round = 0; round < rounds; round++) {
        let c = 0;
        let r = 0;
        for (let i = 0; i < callsPerRound; i++) {
          // ABBA: neither side always follows the other.
          if (i % 2 === 0) {
            c += await time(client);
            r += await time(raw);
          } else {
            r += await time(raw);
            c += await time(client);
          }
        }
        ratios.push(c / r);
        clientMs.push(c / callsPerRound);
        rawMs.push(r / callsPerRound);
        context.log(
          `  round ${round + 1}/${rounds}: client ${fmt(c / callsPerRound)} ms, raw ${fmt(r / callsPerRound)} ms per page`,
        );
      }
      const ratio = median(ratios);
      return [
        {
          id: '1',
          name: 'one 100-message page: messages.list vs raw fetch+json(), zero latency',
          goal: `ratio ≤ ${GOAL}`,
          measured: `client ${fmt(median(clientMs))} ms, raw ${fmt(median(rawMs))} ms per page`,
          ratio: round3(ratio),
          pass: judge(context, ratio <= GOAL),
        },
      ];
    } finally {
      await sandbox.close();
    }
  },
};
