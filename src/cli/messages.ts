// `sakari messages list|get|send`: each parses and checks every flag before any request, then
// runs against the configured account or the built-in sandbox.
import type { SakariClient } from '../client.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination.js';
import type { ListMessagesParams, SendMessagesRequest, SendResult } from '../types.js';
import { checkId, checkListParams, checkSendBody } from '../validate.js';
import {
  choice,
  flag,
  integer,
  list as listOf,
  type Options,
  parse,
  text,
  type Values,
} from './args.js';
import { CONNECTION_OPTIONS, type Connection, readConnection } from './config.js';
import { csvHeader, csvLine } from './csv.js';
import { EXIT, UsageError } from './errors.js';
import { GET_HELP, LIST_HELP, MESSAGES_HELP, SEND_HELP } from './help.js';
import type { Command } from './main.js';
import { FORMATS, type Format, listWriter, singleMessage, tableStyle } from './output.js';
import { Progress } from './progress.js';
import { confirm } from './prompt.js';
import { execute, type Io, type Run } from './session.js';
import { count, oneLine, truncate } from './text.js';

const COMMON = {
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...CONNECTION_OPTIONS,
} as const satisfies Options;

/** Pages in flight with `--all`: fast on a real network, far below any rate limit. */
const DEFAULT_CONCURRENCY = 4;

function formatOf(values: Values, io: Io): Format {
  return (
    choice('--format', text(values, 'format'), FORMATS) ?? (io.stdout.isTTY ? 'table' : 'ndjson')
  );
}

/** Parses a subcommand's arguments; `--debug` takes effect at once, `--help` ends the run. */
function start(
  run: Run,
  args: readonly string[],
  options: Options,
  help: string,
  positionals = false,
) {
  const parsed = parse(run.command, args, options, positionals);
  run.debug = flag(parsed.values, 'debug');
  return { ...parsed, help: flag(parsed.values, 'help') ? `${help}\n` : undefined };
}

/** Reads the connection, then runs `body` with a client; whatever was started is stopped after. */
async function withClient(
  run: Run,
  values: Values,
  body: (client: SakariClient, connection: Connection) => Promise<number>,
): Promise<number> {
  const connection = readConnection(values, run.io.env, run.fields);
  run.hint = (error) => connection.hint(error);
  run.signal.throwIfAborted();
  const { client, close } = await connection.open(run);
  try {
    return await body(client, connection);
  } finally {
    await close();
  }
}

// ---------------------------------------------------------------------------------------------

const LIST_OPTIONS = {
  contact: { type: 'string' },
  conversation: { type: 'string' },
  limit: { type: 'string' },
  offset: { type: 'string' },
  all: { type: 'boolean' },
  max: { type: 'string' },
  concurrency: { type: 'string' },
  ...COMMON,
} as const satisfies Options;

async function list(args: readonly string[], io: Io): Promise<number> {
  return execute('sakari messages list', args, io, async (run) => {
    run.fields = {
      limit: '--limit',
      offset: '--offset',
      contactId: '--contact',
      conversationId: '--conversation',
      concurrency: '--concurrency',
      maxItems: '--max',
    };
    const { values, help } = start(run, args, LIST_OPTIONS, LIST_HELP);
    if (help) return write(run, help);
    const format = formatOf(values, io);
    const limit = integer('--limit', text(values, 'limit'), 1, MAX_PAGE_SIZE);
    const offset = integer('--offset', text(values, 'offset'), 0);
    const max = integer('--max', text(values, 'max'), 1);
    const concurrency = integer('--concurrency', text(values, 'concurrency'), 1, 16);
    const all = flag(values, 'all') || max !== undefined;
    // Without --all one default page; with it the largest pages, or --max when fewer are wanted.
    const fewer = max !== undefined && max < MAX_PAGE_SIZE ? max : undefined;
    const pageSize = all ? fewer : DEFAULT_PAGE_SIZE;
    const query = checkListParams({
      ...(limit !== undefined || pageSize !== undefined ? { limit: limit ?? pageSize } : {}),
      ...(offset !== undefined ? { offset } : {}),
      ...optional('contactId', text(values, 'contact')),
      ...optional('conversationId', text(values, 'conversation')),
    });
    return withClient(run, values, async (client) => {
      const writer = listWriter(format, run.output, tableStyle(io.stdout, io.env));
      if (!all) {
        const page = await client.messages.list(query, { signal: run.signal });
        for (const message of page.data) await writer.write(message);
        await writer.end(true);
        const { totalCount, hasNext } = page.pagination ?? {};
        const first = (offset ?? 0) + 1;
        const last = (offset ?? 0) + page.data.length;
        // Sakari may send neither: then any message on this page may have more behind it.
        const more =
          hasNext ?? (totalCount === undefined ? page.data.length > 0 : last < totalCount);
        if (io.stderr.isTTY && more) {
          const of = totalCount === undefined ? '' : ` of ${count(totalCount)}`;
          run.note(
            `messages ${count(first)}–${count(last)}${of}; --offset ${last} for the next page, --all for every message`,
          );
        }
        return EXIT.ok;
      }
      return exportAll(run, client, query, writer, {
        concurrency: concurrency ?? DEFAULT_CONCURRENCY,
        max,
        offset: offset ?? 0,
      });
    });
  });
}

/** Every message (up to `max`), written as it arrives, with a progress line at a terminal. */
async function exportAll(
  run: Run,
  client: SakariClient,
  query: ListMessagesParams,
  writer: ReturnType<typeof listWriter>,
  options: { concurrency: number; max: number | undefined; offset: number },
): Promise<number> {
  const { stdout, stderr } = run.io;
  const progress = new Progress(stderr, true);
  // Rows and the progress line share the screen when both streams are the terminal.
  const shared = Boolean(stdout.isTTY && stderr.isTTY);
  run.beforeNote = () => progress.hide();
  run.written = () => writer.written;
  let total: number | undefined;
  const started = Date.now();
  try {
    const pages = client.messages.pages(query, {
      concurrency: options.concurrency,
      ...(options.max !== undefined ? { maxItems: options.max } : {}),
      signal: run.signal,
    });
    for await (const page of pages) {
      const totalCount = page.pagination?.totalCount;
      if (total === undefined && totalCount !== undefined) {
        total = Math.min(
          options.max ?? Number.POSITIVE_INFINITY,
          Math.max(0, totalCount - options.offset),
        );
      }
      if (shared) progress.hide();
      for (const message of page.data) await writer.write(message);
      progress.update(writer.written, total, run.retries);
    }
    await writer.end(true);
  } catch (error) {
    // Close what was written (a JSON array) so it stays usable, then report.
    await writer.end(false).catch(() => {});
    throw error;
  } finally {
    progress.hide();
    run.beforeNote = undefined;
    if (run.debug) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      run.note(
        `debug: ${count(writer.written)} messages in ${seconds} s, ${count(run.retries)} ${run.retries === 1 ? 'retry' : 'retries'}`,
      );
    }
  }
  run.written = undefined;
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------

async function get(args: readonly string[], io: Io): Promise<number> {
  return execute('sakari messages get', args, io, async (run) => {
    run.fields = { messageId: 'message ID' };
    const { values, positionals, help } = start(run, args, COMMON, GET_HELP, true);
    if (help) return write(run, help);
    const format = formatOf(values, io);
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0
          ? "missing the message ID: sakari messages get ID (see 'sakari messages get --help')"
          : `expected one message ID, got ${positionals.length}`,
      );
    }
    const id = checkId('messageId', positionals[0]);
    return withClient(run, values, async (client) => {
      const message = await client.messages.get(id, { signal: run.signal });
      return write(run, singleMessage(format, message, tableStyle(io.stdout, io.env)));
    });
  });
}

// ---------------------------------------------------------------------------------------------

const SEND_OPTIONS = {
  to: { type: 'string', multiple: true },
  text: { type: 'string' },
  type: { type: 'string' },
  media: { type: 'string', multiple: true },
  yes: { type: 'boolean', short: 'y' },
  ...COMMON,
} as const satisfies Options;

async function send(args: readonly string[], io: Io): Promise<number> {
  return execute('sakari messages send', args, io, async (run) => {
    run.fields = {
      template: '--text',
      contacts: '--to',
      'contacts[].mobile.number': '--to',
      'contacts[].mobile.country': '--to',
      type: '--type',
      media: '--media',
      'media[].url': '--media',
    };
    const { values, help } = start(run, args, SEND_OPTIONS, SEND_HELP);
    if (help) return write(run, help);
    const format = formatOf(values, io);
    const to = listOf(values, 'to');
    const template = text(values, 'text');
    const type = channel(text(values, 'type'));
    const media = listOf(values, 'media');
    if (to.length === 0) {
      throw new UsageError(
        '--to is required: a number such as +15551234567 (repeat --to for more)',
      );
    }
    if (template === undefined && media.length === 0) {
      throw new UsageError('--text is required: the text to send (or --media, for files alone)');
    }
    // Only what is certainly wrong stops here; Sakari judges numbers, URLs and the type.
    const body: SendMessagesRequest = checkSendBody({
      contacts: to.map((number) => ({ mobile: { number } })),
      ...(template !== undefined ? { template } : {}),
      ...(type !== undefined ? { type } : {}),
      ...(media.length > 0 ? { media: media.map((url) => ({ url })) } : {}),
    });
    const yes = flag(values, 'yes');
    if (!yes && !io.stdin.isTTY) {
      throw new UsageError(
        'refusing to send without --yes: stdin is not a terminal, so no one can confirm (add --yes)',
      );
    }
    return withClient(run, values, async (client, connection) => {
      if (!yes) {
        const where = connection.embedded ? 'the built-in sandbox' : `account ${client.accountId}`;
        const shown =
          to.length <= 3 ? to.join(', ') : `${to.slice(0, 3).join(', ')} and ${to.length - 3} more`;
        const files =
          media.length === 0 ? '' : `${count(media.length)} file${media.length === 1 ? '' : 's'}`;
        const what =
          template === undefined
            ? files
            : `"${truncate(oneLine(template), 60)}"${files && ` with ${files}`}`;
        const question = `Send ${what} to ${count(to.length)} recipient${to.length === 1 ? '' : 's'} (${shown}) from ${where}? [y/N] `;
        if (!(await confirm(question, io, run.signal))) {
          run.note('nothing was sent');
          return EXIT.failure;
        }
      }
      const result = await client.messages.send(body, { signal: run.signal });
      await write(run, sendOutput(format, result));
      if ((result.valid ?? 0) === 0) {
        run.note('error: no recipient could be sent to; nothing was queued');
        return EXIT.failure;
      }
      return EXIT.ok;
    });
  });
}

/** `--type`: SMS or MMS in any case, as Sakari spells them; another value goes as given. */
function channel(raw: string | undefined): string | undefined {
  const known = ['SMS', 'MMS'].find((c) => c === raw?.toUpperCase());
  return known ?? raw;
}

function sendOutput(format: Format, result: SendResult): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(result, null, 2)}\n`;
    case 'ndjson':
      return `${JSON.stringify(result)}\n`;
    case 'csv':
      return csvHeader() + (result.messages ?? []).map(csvLine).join('');
    case 'table': {
      const lines = [
        `queued ${count(result.valid ?? 0)} of ${count(result.requested ?? 0)} recipients` +
          (result.jobId
            ? ` (job ${result.jobId}${result.estimatedPrice !== undefined ? `, estimated price ${result.estimatedPrice}` : ''})`
            : ''),
      ];
      for (const m of result.messages ?? []) {
        const number = m.contact?.mobile?.number ?? '';
        lines.push(`  ${m.id}  → ${oneLine(number)}  ${oneLine(m.status ?? '')}`);
      }
      for (const c of result.invalid ?? []) {
        const why = [c.error?.description, c.error?.code && `(${c.error.code})`]
          .filter(Boolean)
          .join(' ');
        lines.push(`  invalid: ${oneLine(c.mobile?.number ?? '')}  ${oneLine(why)}`);
      }
      return `${lines.join('\n')}\n`;
    }
  }
}

// ---------------------------------------------------------------------------------------------

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

async function write(run: Run, text: string): Promise<number> {
  await run.output.write(text);
  return EXIT.ok;
}

const SUBCOMMANDS: Record<string, (args: readonly string[], io: Io) => Promise<number>> = {
  list,
  get,
  send,
};

/** `sakari messages`. */
export function messagesCommand(io: Io): Command {
  return {
    summary: 'list, export, show and send messages',
    async run(args) {
      const [name, ...rest] = args;
      if (name === '--help' || name === '-h' || name === 'help') {
        io.stdout.write(`${MESSAGES_HELP}\n`);
        return EXIT.ok;
      }
      const sub =
        name !== undefined && Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
      if (!sub) {
        io.stderr.write(
          `${name === undefined ? 'error: missing a command' : `error: unknown command 'messages ${oneLine(name)}'`} (see 'sakari messages --help')\n`,
        );
        return EXIT.usage;
      }
      return sub(rest, io);
    },
  };
}
