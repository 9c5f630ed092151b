// `sakari messages send`: one message to each --to, after a [y/N] at a terminal. Only what is
// certainly wrong stops it before the request; Sakari judges numbers, URLs and the type.
import type { SendMessagesRequest } from '../types.js';
import { checkSendBody } from '../validate.js';
import { flag, list, text } from './args.js';
import { truncate } from './columns.js';
import type { Input, Outcome } from './command.js';
import { withClient } from './config.js';
import { asUsage, EXIT, UsageError } from './errors.js';
import { formatOf, sendResult } from './output.js';
import { RetryLog } from './retries.js';
import { count, counted, oneLine } from './text.js';

/** The flag behind each field of the request body, to name it in errors. */
const FIELDS = {
  template: '--text',
  contacts: '--to',
  'contacts[].mobile.number': '--to',
  'contacts[].mobile.country': '--to',
  type: '--type',
  media: '--media',
  'media[].url': '--media',
};

export async function send(input: Input): Promise<Outcome> {
  const { values, io } = input;
  const format = formatOf(values, io.stdout);
  const to = list(values, 'to');
  const template = text(values, 'text');
  const type = channel(text(values, 'type'));
  const media = list(values, 'media');
  if (to.length === 0) {
    throw new UsageError('--to is required: a number such as +15551234567 (repeat --to for more)');
  }
  if (template === undefined && media.length === 0) {
    throw new UsageError('--text is required: the text to send (or --media, for files alone)');
  }
  const body: SendMessagesRequest = asUsage(FIELDS, () =>
    checkSendBody({
      contacts: to.map((number) => ({ mobile: { number } })),
      ...(template !== undefined ? { template } : {}),
      ...(type !== undefined ? { type } : {}),
      ...(media.length > 0 ? { media: media.map((url) => ({ url })) } : {}),
    }),
  );
  const yes = flag(values, 'yes');
  if (!yes && !io.stdin.isTTY) {
    throw new UsageError(
      'refusing to send without --yes: stdin is not a terminal, so no one can confirm (add --yes)',
    );
  }
  const retries = new RetryLog(input.debug ? input.note : undefined);
  return withClient(input, { onRetry: retries.onRetry }, async (client, connection) => {
    if (!yes) {
      const where = connection.embedded ? 'the built-in sandbox' : `account ${client.accountId}`;
      const { confirm } = await import('./prompt.js');
      if (!(await confirm(question(to, template, media, where), io, input.signal))) {
        input.note('nothing was sent');
        return { code: EXIT.failure };
      }
    }
    const result = await client.messages.send(body, { signal: input.signal });
    await input.output.write(await sendResult(format, result));
    if ((result.valid ?? 0) === 0) {
      input.note('error: no recipient could be sent to; nothing was queued');
      return { code: EXIT.failure };
    }
    return { code: EXIT.ok };
  });
}

/** `Send "Hi" with 1 file to 2 recipients (+1…, +44…) from account acc_1? [y/N] ` */
function question(
  to: readonly string[],
  template: string | undefined,
  media: readonly string[],
  where: string,
): string {
  const shown =
    to.length <= 3 ? to.join(', ') : `${to.slice(0, 3).join(', ')} and ${to.length - 3} more`;
  const files = media.length === 0 ? '' : counted(media.length, 'file');
  const what =
    template === undefined
      ? files
      : `"${truncate(oneLine(template), 60)}"${files && ` with ${files}`}`;
  return `Send ${what} to ${count(to.length)} recipient${to.length === 1 ? '' : 's'} (${oneLine(shown)}) from ${where}? [y/N] `;
}

/** `--type`: SMS or MMS in any case, as Sakari spells them; another value goes as given. */
function channel(raw: string | undefined): string | undefined {
  const known = ['SMS', 'MMS'].find((c) => c === raw?.toUpperCase());
  return known ?? raw;
}
