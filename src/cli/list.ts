// `sakari messages list`: one page, or with --all every message, written as it arrives with a
// progress line at a terminal. Every flag is checked before any request.
import type { SakariClient } from '../client.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination.js';
import type { ListMessagesParams } from '../types.js';
import { checkListParams } from '../validate.js';
import { flag, integer, text } from './args.js';
import type { Input, Outcome } from './command.js';
import { withClient } from './config.js';
import { driftCheck } from './drift.js';
import { asUsage, EXIT } from './errors.js';
import { formatOf, listWriter, type MessageWriter, tableStyle } from './output.js';
import type { Progress } from './progress.js';
import { RetryLog } from './retries.js';
import { count, counted } from './text.js';

/** Pages in flight with `--all`: fast on a real network, far below any rate limit. */
const DEFAULT_CONCURRENCY = 4;

/** The flag behind each list parameter, to name it in errors. */
const FIELDS = {
  limit: '--limit',
  offset: '--offset',
  contactId: '--contact',
  conversationId: '--conversation',
  concurrency: '--concurrency',
  maxItems: '--max',
};

export async function list(input: Input): Promise<Outcome> {
  const { values, io } = input;
  const format = formatOf(values, io.stdout);
  const limit = integer('--limit', text(values, 'limit'), 1, MAX_PAGE_SIZE);
  const offset = integer('--offset', text(values, 'offset'), 0);
  const max = integer('--max', text(values, 'max'), 1);
  const concurrency =
    integer('--concurrency', text(values, 'concurrency'), 1, 16) ?? DEFAULT_CONCURRENCY;
  const all = flag(values, 'all') || max !== undefined;
  // Without --all one default page; with it the largest pages, or --max when fewer are wanted.
  const fewer = max !== undefined && max < MAX_PAGE_SIZE ? max : undefined;
  const pageSize = all ? fewer : DEFAULT_PAGE_SIZE;
  const query = asUsage(FIELDS, () =>
    checkListParams({
      ...(limit !== undefined || pageSize !== undefined ? { limit: limit ?? pageSize } : {}),
      ...(offset !== undefined ? { offset } : {}),
      ...optional('contactId', text(values, 'contact')),
      ...optional('conversationId', text(values, 'conversation')),
    }),
  );
  const drift = await driftCheck(values);
  const progress =
    all && io.stderr.isTTY
      ? new (await import('./progress.js')).Progress(io.stderr, true)
      : undefined;
  const retries = new RetryLog(
    input.debug
      ? (line) => {
          progress?.hide();
          input.note(line);
        }
      : undefined,
  );
  const hooks = { onRetry: retries.onRetry, onResponse: drift?.onResponse };
  const outcome = await withClient(input, hooks, async (client) => {
    const writer = await listWriter(format, input.output, tableStyle(io.stdout, io.env));
    if (all) {
      const json = format === 'ndjson' || format === 'json';
      const plan = { concurrency, max, offset: offset ?? 0, json };
      return exportAll(input, client, query, writer, plan, progress, retries);
    }
    const page = await client.messages.list(query, { signal: input.signal });
    await writer.write(page.data);
    await writer.end(true);
    const { totalCount, hasNext } = page.pagination ?? {};
    const first = offset ?? 0;
    const last = first + page.data.length;
    // Sakari may send neither: then any message on this page may have more behind it.
    const more = hasNext ?? (totalCount === undefined ? page.data.length > 0 : last < totalCount);
    if (io.stderr.isTTY && more) {
      const of = totalCount === undefined ? '' : ` of ${count(totalCount)}`;
      input.note(
        `messages ${count(first + 1)}–${count(last)}${of}; --offset ${last} for the next page, --all for every message`,
      );
    }
    return { code: EXIT.ok };
  });
  return drift ? drift.finish(outcome, input.note) : outcome;
}

/** Every message (up to `max`), written page by page as it arrives. */
async function exportAll(
  input: Input,
  client: SakariClient,
  query: ListMessagesParams,
  writer: MessageWriter,
  options: { concurrency: number; max: number | undefined; offset: number; json: boolean },
  progress: Progress | undefined,
  retries: RetryLog,
): Promise<Outcome> {
  const { stdout, stderr } = input.io;
  // Rows and the progress line share the screen when both streams are the terminal.
  const shared = Boolean(stdout.isTTY && stderr.isTTY);
  const started = Date.now();
  let total: number | undefined;
  let outcome: Outcome = { code: EXIT.ok };
  try {
    const pages = client.messages.pages(query, {
      concurrency: options.concurrency,
      ...(options.max !== undefined ? { maxItems: options.max } : {}),
      signal: input.signal,
      // The JSON formats write each message as the server sent it, rather than serialise it again.
      json: options.json,
    });
    try {
      for (;;) {
        let page: Awaited<ReturnType<typeof pages.next>>['value'] = (await pages.next()).value;
        if (!page) break;
        const totalCount = page.pagination?.totalCount;
        if (total === undefined && totalCount !== undefined) {
          total = Math.min(
            options.max ?? Number.POSITIVE_INFINITY,
            Math.max(0, totalCount - options.offset),
          );
        }
        if (shared) progress?.hide();
        await writer.write(page.data, page.json);
        // Let go of the page before the walk parses the next (a `for await` would hold it): one
        // still held is copied by the scavenges that parsing triggers, and soon promoted.
        page = undefined;
        progress?.update(writer.written, total, retries.count);
      }
    } finally {
      await pages.return(undefined); // cancels the pages in flight after a failed write
    }
    await writer.end(true);
  } catch (error) {
    // Close what was written (a JSON array) so it stays usable, then report.
    await writer.end(false).catch(() => {});
    outcome = { error, written: writer.written };
  }
  progress?.hide();
  if (input.debug) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    input.note(
      `debug: ${count(writer.written)} messages in ${seconds} s, ${counted(retries.count, 'retry', 'retries')}`,
    );
  }
  return outcome;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
