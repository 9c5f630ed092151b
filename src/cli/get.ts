// `sakari messages get ID`: one message, every field at a terminal or as JSON.
import { checkId } from '../validate.js';
import type { Input, Outcome } from './command.js';
import { withClient } from './config.js';
import { driftCheck } from './drift.js';
import { asUsage, EXIT, UsageError } from './errors.js';
import { formatOf, singleMessage, tableStyle } from './output.js';
import { RetryLog } from './retries.js';

export async function get(input: Input): Promise<Outcome> {
  const { values, positionals, io } = input;
  const format = formatOf(values, io.stdout);
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "missing the message ID: sakari messages get ID (see 'sakari messages get --help')"
        : `expected one message ID, got ${positionals.length}`,
    );
  }
  const id = asUsage({ messageId: 'message ID' }, () => checkId('messageId', positionals[0]));
  const drift = await driftCheck(values);
  const retries = new RetryLog(input.debug ? input.note : undefined);
  const outcome = await withClient(
    input,
    { onRetry: retries.onRetry, onResponse: drift?.onResponse },
    async (client) => {
      const message = await client.messages.get(id, { signal: input.signal });
      await input.output.write(await singleMessage(format, message, tableStyle(io.stdout, io.env)));
      return { code: EXIT.ok };
    },
  );
  return drift ? drift.finish(outcome, input.note) : outcome;
}
