// 9. One 100-message page with every answer checked against the spec (onResponse feeding a
// drift collector) against the same call without: what validation costs, side by side, on
// the same sandbox, call by call in ABBA order.
import {
  alternate,
  type Benchmark,
  fmt,
  judge,
  median,
  medianRatio,
  round3,
} from './lib/harness.js';
import { library, validateLibrary } from './lib/library.js';
import { startSandboxProcess } from './lib/sandbox.js';

// The most that checking every answer may cost: the same calls without it, times 1.3.
const GOAL = 1.3;

export const validation: Benchmark = {
  id: '9',
  title: '9. one 100-message page: messages.list with every answer validated vs without',
  async run(context) {
    const sandbox = await startSandboxProcess(context.root, { messages: 1_000 });
    try {
      const { createSakariClient } = await library(context.root);
      const { createDriftCollector } = await validateLibrary(context.root);
      const options = {
        baseUrl: sandbox.url,
        accountId: sandbox.accountId,
        auth: { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
      };
      const drift = createDriftCollector({ secrets: [sandbox.clientSecret] });
      const validated = createSakariClient({
        ...options,
        onResponse: (answer) => drift.check(answer, answer.body),
      });
      const plain = createSakariClient(options);
      const list = (client: typeof plain) => async () => {
        const { data } = await client.messages.list({ offset: 0, limit: 100 });
        if (data.length !== 100) throw new Error(`expected 100 messages, got ${data.length}`);
      };
      const {
        aMs: validatedMs,
        bMs: plainMs,
        calls,
      } = await alternate(
        context,
        { name: 'validated', call: list(validated) },
        { name: 'plain', call: list(plain) },
      );
      // Every page was checked, and the sandbox's pages fit the spec.
      const { answers, findings } = drift.report();
      if (answers !== calls || findings.length > 0) {
        throw new Error(`checked ${answers} of ${calls} pages; ${findings.length} findings`);
      }
      const ratio = medianRatio(validatedMs, plainMs);
      return [
        {
          id: '9',
          name: 'one 100-message page: messages.list with onResponse validating vs without',
          goal: `ratio ≤ ${GOAL}`,
          measured: `validated ${fmt(median(validatedMs))} ms, plain ${fmt(median(plainMs))} ms per page`,
          ratio: round3(ratio),
          pass: judge(context, ratio <= GOAL),
        },
      ];
    } finally {
      await sandbox.close();
    }
  },
};
