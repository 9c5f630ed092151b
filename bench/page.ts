// 1. One 100-message page at zero latency: `messages.list` against raw `fetch` + `json()`,
// the same URL from the same sandbox, call by call in ABBA order.
import type { MessagePage } from '../src/types.js';
import {
  alternate,
  type Benchmark,
  fmt,
  judge,
  median,
  medianRatio,
  round3,
} from './lib/harness.js';
import { library } from './lib/library.js';
import { startSandboxProcess } from './lib/sandbox.js';

const GOAL = 1.05;

export const page: Benchmark = {
  id: '1',
  title: '1. one 100-message page: messages.list vs raw fetch + json()',
  async run(context) {
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
      const expect100 = (fn: () => Promise<number>) => async () => {
        const n = await fn();
        if (n !== 100) throw new Error(`expected 100 messages, got ${n}`);
      };
      const raw = expect100(async () => {
        const res = await fetch(url, { headers });
        return ((await res.json()) as MessagePage).data.length;
      });
      const client = expect100(
        async () => (await sakari.messages.list({ offset: 0, limit: 100 })).data.length,
      );
      const { aMs: clientMs, bMs: rawMs } = await alternate(
        context,
        { name: 'client', call: client },
        { name: 'raw', call: raw },
      );
      const ratio = medianRatio(clientMs, rawMs);
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
