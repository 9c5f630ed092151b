/**
 * Offset pagination that is fast (pages fetched ahead, concurrently) and exact under drift
 * (messages inserted or deleted while it runs). One async generator yields pages; `iterate`
 * in client.ts flattens them into messages.
 *
 * Why drift matters: a page at offset `o` read at another moment than its neighbour sees the
 * list shifted. An insert at the head repeats items (we drop ids already yielded); a delete
 * before `o` — or an insert seen by a later page but not an earlier one — skips items. Both
 * move `totalCount`, so each page is checked against the frontier of what has been covered,
 * translated by the change in `totalCount`, and a gap makes the walk re-read from the gap.
 */
import { SakariPaginationError } from './errors.js';
import type { Message, MessagePage } from './types.js';

/** Options of `iterate` and `pages`. */
export interface IterateOptions {
  /**
   * How many pages may be in flight at once. A 429 halves the window; successes grow it back.
   * @default 1
   */
  concurrency?: number;
  /** Stop after this many messages and cancel what is still in flight. */
  maxItems?: number;
  /** Aborts the iteration and every request in flight. */
  signal?: AbortSignal;
}

/** Fetches one page; `onRateLimited` is called when an attempt got a 429. */
export type PageFetcher = (
  offset: number,
  signal: AbortSignal,
  onRateLimited: () => void,
) => Promise<MessagePage>;

export interface PaginateSettings {
  fetchPage: PageFetcher;
  start: number;
  limit: number;
  concurrency: number;
  maxItems: number;
  signal: AbortSignal | undefined;
}

/** Consecutive pages with nothing new (and `hasNext: true`) before we call the server broken. */
const MAX_STAGNANT_PAGES = 3;
/** Re-reads after a detected gap before we give up on a list that never settles. */
const MAX_REWINDS = 1000;

interface Pending {
  offset: number;
  controller: AbortController;
  result: Promise<MessagePage>;
  /** Its request has settled. */
  arrived: boolean;
}

/**
 * Yields the pages of a list in server order; each page's `data` holds only messages not
 * yielded before in this walk (and is cut at `maxItems`).
 */
export async function* paginate(settings: PaginateSettings): AsyncGenerator<MessagePage> {
  const { fetchPage, start, concurrency, maxItems, signal } = settings;
  let stride = settings.limit;
  let window = concurrency;
  let nextOffset = start;
  let pending: Pending[] = [];
  // What has been covered: every item before `coveredEnd`, in the numbering of a moment when
  // the list held `coveredTotal` items.
  let coveredEnd = start;
  let coveredTotal: number | undefined;
  let knownTotal: number | undefined;
  let firstSeen = false;
  const seen = new Set<string>();
  let yielded = 0;
  let stagnant = 0;
  let rewinds = 0;

  const cancelPending = () => {
    for (const p of pending) p.controller.abort();
    pending = [];
  };

  // Requests in flight, aborted ones included until they settle: the server never sees more
  // than `window` at once. Pages that arrived and wait their turn are not in flight.
  let inFlight = 0;
  let finished = false;
  // The page the walk waits for. While it has not arrived (and the end is known), up to
  // `2 × window` pages are held, so the requests after a slow page go on. A walk held up by
  // its consumer instead keeps to `window`: more would only cost memory.
  let waitingFor: Pending | undefined;

  const canSchedule = (needOne: boolean) =>
    // The walk needs a page to wait for.
    (needOne && pending.length === 0) ||
    // Learn the size of the list before fetching ahead: a short list needs one request.
    (firstSeen &&
      inFlight < window &&
      (pending.length < window ||
        (waitingFor?.arrived === false &&
          knownTotal !== undefined &&
          pending.length < 2 * window)) &&
      (knownTotal === undefined || nextOffset < knownTotal) &&
      // No page beyond what `maxItems` can use (were all its messages new).
      nextOffset - coveredEnd < maxItems - yielded);

  /**
   * Starts every request the window allows: from the walk (`needOne`: it is about to wait for
   * the next page), and whenever a request settles. At most `window` requests are in flight.
   */
  const fill = (needOne = false) => {
    while (!finished && canSchedule(needOne)) {
      const controller = new AbortController();
      const pageSignal = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
      const result = fetchPage(nextOffset, pageSignal, () => {
        window = Math.max(1, Math.floor(window / 2));
      });
      const entry: Pending = { offset: nextOffset, controller, result, arrived: false };
      inFlight++;
      // Awaited later, in order; until then a failure must not count as unhandled.
      const onSettled = () => settled(entry);
      result.then(onSettled, onSettled);
      pending.push(entry);
      nextOffset += stride;
    }
  };
  const settled = (entry: Pending) => {
    entry.arrived = true;
    inFlight--;
    // Only where the list ends is known: without a total, only the walk learns of the end
    // (a short page, `hasNext: false`), and starting more before it does would overshoot.
    if (knownTotal !== undefined) fill();
  };

  try {
    while (true) {
      signal?.throwIfAborted();
      fill(true);
      const head = pending.shift() as Pending;
      waitingFor = head;
      fill(); // more room while it is late
      const page = await head.result;

      const { data } = page;
      const pagination = page.pagination ?? {};
      const total = pagination.totalCount;
      if (!firstSeen) {
        firstSeen = true;
        // A server that caps `limit` below what we asked: step by its page size, not ours.
        const limit = pagination.limit ?? stride;
        if (limit >= 1 && limit < stride && data.length <= limit) {
          stride = limit;
          cancelPending();
          nextOffset = head.offset + stride;
        }
      }

      const covered =
        coveredTotal !== undefined && total !== undefined
          ? coveredEnd + (total - coveredTotal)
          : coveredEnd;
      if (head.offset > covered) {
        // Items moved back past us between two reads: re-read from where coverage ends.
        if (++rewinds > MAX_REWINDS) {
          throw new SakariPaginationError(
            `The list kept shifting: gave up after ${MAX_REWINDS} re-reads`,
            yielded,
          );
        }
        cancelPending();
        nextOffset = Math.max(start, covered);
        coveredEnd = covered;
        coveredTotal = total;
        continue;
      }
      coveredEnd = Math.max(covered, head.offset + data.length);
      if (total !== undefined) {
        coveredTotal = total;
        knownTotal = total;
      }
      window = Math.min(concurrency, window + 1);

      const fresh: Message[] = [];
      for (const message of data) {
        if (yielded + fresh.length >= maxItems) break;
        if (seen.has(message.id)) continue;
        seen.add(message.id);
        fresh.push(message);
      }
      const hasNext =
        pagination.hasNext ?? data.length >= Math.min(stride, pagination.limit ?? stride);

      if (hasNext && data.length === 0) {
        throw new SakariPaginationError(
          `The server sent an empty page at offset ${head.offset} yet said more pages follow`,
          yielded,
        );
      }
      stagnant = fresh.length === 0 && hasNext ? stagnant + 1 : 0;
      if (stagnant >= MAX_STAGNANT_PAGES) {
        throw new SakariPaginationError(
          `${MAX_STAGNANT_PAGES} pages in a row up to offset ${head.offset} held no new message`,
          yielded,
        );
      }

      yielded += fresh.length;
      yield { ...page, data: fresh };
      if (yielded >= maxItems || !hasNext) return;
    }
  } finally {
    finished = true;
    cancelPending();
  }
}
