/**
 * Offset pagination that is fast (pages fetched ahead, concurrently) and exact while messages
 * are inserted or deleted anywhere in the list, whatever the server says of its size.
 *
 * Adjacent pages overlap by one message: the page after one read at `o` (holding `n`) is read
 * at `o + n − 1`, so it must hold a message already yielded. What follows the last such message
 * is new; a page that holds none has slid past a gap (deletes moved the list back), and the walk
 * re-reads a stride earlier. Nothing depends on `totalCount` or `hasNext` being sent, and a
 * message without an id is followed by its place in the list, never merged with another.
 */
import { SakariPaginationError } from './errors.js';
import { oneLine } from './json.js';
import type { Message, MessagePage } from './types.js';

/** The most messages a page may hold: the spec's maximum `limit`. */
export const MAX_PAGE_SIZE = 100;
/** The page size when `limit` is left out: Sakari documents none, so this is the sandbox's. */
export const DEFAULT_PAGE_SIZE = 20;

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

/** Options of `pages`. */
export interface PagesOptions extends IterateOptions {
  /**
   * Give each page `json` as well: the JSON text of each message, on one line, as the server
   * sent it where a large page was parsed in pieces (else `JSON.stringify` of it); what an
   * export writes without serialising every message again.
   * @default false
   */
  json?: boolean;
}

/**
 * Fetches one page; `onRateLimited` is called when an attempt got a 429. It resolves to what
 * parses the page, so a page fetched ahead waits as bytes until the walk reads it: parsed on
 * arrival, it would outlive scavenges while it waited and be promoted, and so would a page kept
 * by anything that waited with it, which is old by then.
 */
export type PageFetcher = (
  offset: number,
  signal: AbortSignal,
  onRateLimited: () => void,
) => Promise<PageReader>;

/** A page whose answer has arrived, parsed when called. */
export type PageReader = () => Promise<PageRead>;

/** A page as parsed: its messages and, when the body gave them, each one's JSON text as sent. */
export interface PageRead {
  page: MessagePage;
  texts?: readonly string[] | undefined;
}

/** A page of `pages({ json: true })`: `json[i]` is `data[i]` as one line of JSON. */
export type MessagePageWithJson = MessagePage & { json: string[] };

export interface PaginateSettings {
  fetchPage: PageFetcher;
  start: number;
  /** The page size asked for: at least 2, so adjacent pages can overlap by one message. */
  limit: number;
  concurrency: number;
  maxItems: number;
  signal: AbortSignal | undefined;
  /** Whether each page yielded carries `json`. */
  json: boolean;
}

/** Pages in a row that repeat the page before, hold nothing new, yet claim more. */
const MAX_REPEATED_PAGES = 3;
/**
 * How many pages further the walk then reads, to tell a server that ignores the offset from a
 * list whose head grew by just the walk's step between reads: only the former repeats there.
 */
const PROBE_PAGES = 10;
/** Pages in a row with nothing new, however they end, before we call the list unsettled. */
const MAX_IDLE_PAGES = 100;
/** Re-reads after a gap before we give up on a list that never settles. */
const MAX_REWINDS = 1000;

/**
 * Yields the pages of a list in server order; each page's `data` holds only messages not
 * yielded before in this walk (and is cut at `maxItems`).
 */
export async function* paginate(
  settings: PaginateSettings,
): AsyncGenerator<MessagePage | MessagePageWithJson> {
  const walk = new Walk(settings);
  try {
    for (;;) {
      let page = await walk.next();
      if (!page) return;
      yield page;
      // Let go of it before the walk waits for the next: a page still held then is copied by
      // every scavenge the next one's parsing triggers, and soon promoted.
      page = undefined;
    }
  } finally {
    walk.close();
  }
}

/** The walk's state: what was yielded, where the list ends, and the pages fetched ahead. */
class Walk {
  readonly #start: number;
  readonly #maxItems: number;
  readonly #json: boolean;
  readonly #covered = new Coverage();
  readonly #extent: Extent;
  readonly #stalls = new Stalls();
  readonly #ahead: Lookahead;
  /** Where the walk goes on from once the page it gave is taken. */
  #continueAt: number | undefined;
  #done = false;

  constructor(settings: PaginateSettings) {
    this.#start = settings.start;
    this.#maxItems = settings.maxItems;
    this.#json = settings.json;
    this.#extent = new Extent(settings.limit);
    const left = () => this.#maxItems - this.#covered.yielded;
    this.#ahead = new Lookahead(settings, this.#extent.pageSize - 1, left);
  }

  /** The next page with something new, or undefined at the end of the list. */
  async next(): Promise<MessagePage | MessagePageWithJson | undefined> {
    if (this.#done) return undefined;
    const covered = this.#covered;
    const ahead = this.#ahead;
    if (this.#continueAt !== undefined) ahead.continueFrom(this.#continueAt);
    for (;;) {
      const { offset, read } = await ahead.next();
      const { page, texts } = await read();
      refuseEmptyPageClaimingMore(page, offset, covered.yielded);
      const reading = covered.read(page.data, offset === this.#start);
      if (reading === GAP) {
        this.#stalls.rewound(covered.yielded);
        ahead.restartAt(Math.max(this.#start, offset - ahead.stride));
        continue;
      }
      const { fresh } = reading;
      const more = this.#extent.read(page, offset, fresh.length > 0);
      ahead.stride = this.#extent.pageSize - 1;
      ahead.knownTotal = page.pagination?.totalCount ?? ahead.knownTotal;
      const stuck = more && fresh.length === 0;
      if (this.#stalls.read(page.data, offset, stuck, covered.yielded)) {
        const far = offset + PROBE_PAGES * this.#extent.pageSize;
        const probe = await ahead.readOnce(far);
        this.#stalls.probed(probe.page.data, far, covered.yielded);
      }

      const kept = fresh.slice(0, this.#maxItems - covered.yielded);
      covered.accept(kept);
      ahead.grow();
      this.#done = !more || covered.yielded >= this.#maxItems;
      this.#continueAt = offset + Math.max(0, page.data.length - 1);
      if (!this.#json) return { ...page, data: kept };
      const from = page.data.length - fresh.length;
      const json = kept.map((message, i) => oneLine(texts?.[from + i], message));
      return { ...page, data: kept, json };
    }
  }

  close(): void {
    this.#ahead.close();
  }
}

function refuseEmptyPageClaimingMore(page: MessagePage, offset: number, yielded: number): void {
  const { hasNext, totalCount } = page.pagination ?? {};
  if (page.data.length === 0 && (hasNext ?? (totalCount ?? 0) > offset)) {
    throw new SakariPaginationError(
      `The server sent an empty page at offset ${offset} yet said more pages follow`,
      yielded,
    );
  }
}

/** What the pages tell of where the list ends, and of the page size the server keeps to. */
class Extent {
  /** The page size: the limit asked for, until the server is seen to cap its pages below it. */
  pageSize: number;
  #longest = 0;
  #lastLength: number;

  constructor(limit: number) {
    this.pageSize = limit;
    this.#lastLength = limit;
  }

  /** Reads a page that was not past a gap; whether more of the list follows it. */
  read(page: MessagePage, offset: number, bringsNews: boolean): boolean {
    const { data } = page;
    const { hasNext, totalCount } = page.pagination ?? {};
    const counted = hasNext !== undefined || totalCount !== undefined;
    // Trust a count only for the page it came with. Without one, the end is a page with nothing
    // new that is shorter than the longest served: a short page with news may just be capped,
    // and a full one that ends on a message already yielded may have more behind it.
    this.#longest = Math.max(this.#longest, data.length);
    const more =
      hasNext ??
      (totalCount !== undefined
        ? offset + data.length < totalCount
        : bringsNews || (data.length > 1 && data.length >= this.#longest));
    // A page shorter than asked that is not the last: the server caps its pages. A count tells
    // at once; without one, the next page bringing something new tells of the page before.
    const capped = counted ? (more ? data.length : 0) : bringsNews ? this.#lastLength : 0;
    if (capped >= 2 && capped < this.pageSize) this.pageSize = capped;
    this.#lastLength = data.length;
    return more;
  }
}

/** Gives up on a list that never settles, or on a server that ignores the offset. */
class Stalls {
  #rewinds = 0;
  #repeated = 0;
  #idle = 0;
  #lastSignature = '';
  #lastOffset = 0;

  /** The walk re-reads a stride earlier after a gap. */
  rewound(yielded: number): void {
    // A re-read finds the page it found before: a repeat only at another offset tells.
    this.#repeated = 0;
    this.#lastSignature = '';
    if (++this.#rewinds > MAX_REWINDS) {
      throw new SakariPaginationError(
        `The list kept shifting: gave up after ${MAX_REWINDS} re-reads`,
        yielded,
      );
    }
  }

  /**
   * A page read; `stuck`: it holds nothing new yet more is said to follow. Messages arriving
   * ahead of the walk can leave pages with nothing new, but only so many in a row. True when
   * the page repeats the pages before it, as from a server that ignores the offset: the walk
   * then reads a page far ahead for `probed`.
   */
  read(data: readonly Message[], offset: number, stuck: boolean, yielded: number): boolean {
    const signature = signatureOf(data);
    this.#repeated = stuck && signature === this.#lastSignature ? this.#repeated + 1 : 0;
    this.#idle = stuck ? this.#idle + 1 : 0;
    this.#lastSignature = signature;
    this.#lastOffset = offset;
    if (this.#idle >= MAX_IDLE_PAGES) {
      throw new SakariPaginationError(
        `${this.#idle} pages in a row up to offset ${offset} held no new message`,
        yielded,
      );
    }
    return this.#repeated >= MAX_REPEATED_PAGES;
  }

  /** The page read far ahead of a repeated one: the same page again means the offset is ignored. */
  probed(data: readonly Message[], offset: number, yielded: number): void {
    if (signatureOf(data) === this.#lastSignature) {
      throw new SakariPaginationError(
        `The server ignores the offset: it sent the page of offset ${this.#lastOffset} for offsets up to ${offset}, with nothing new`,
        yielded,
      );
    }
    this.#repeated = 0;
  }
}

/** What the walk learns from a page: it slid past a gap, or what it adds. */
type Reading = typeof GAP | { fresh: Message[] };
const GAP = Symbol('gap');

/** A message's identity across reads: its id, else a hash of what does not change about it. */
type Identity = string | number;

/**
 * What the walk has yielded: the identity of every message. Messages are yielded in list order,
 * so an unseen message that stands before a seen one in a page arrived behind the walk, and one
 * after the last seen one is new to it.
 */
class Coverage {
  yielded = 0;
  readonly #seen = new Set<Identity>();

  /** Reads a page; `atStart`: read at the walk's first offset, where nothing can come before. */
  read(data: readonly Message[], atStart: boolean): Reading {
    let last = data.length - 1;
    while (last >= 0 && !this.#seen.has(identityOf(data[last] as Message))) last--;
    if (last < 0 && this.yielded > 0 && !atStart) return GAP;
    return { fresh: data.slice(last + 1) };
  }

  accept(messages: readonly Message[]): void {
    for (const message of messages) this.#seen.add(identityOf(message));
    this.yielded += messages.length;
  }
}

// Fields a message changes as it is delivered or read; an id-less one is known by the rest.
const CHANGING = new Set(['status', 'read', 'updated', 'error', 'price', 'segments']);

function identityOf(message: Message): Identity {
  const id = (message as { id?: unknown }).id;
  if (typeof id === 'string' && id !== '') return id;
  return hash(JSON.stringify(message, (key, value) => (CHANGING.has(key) ? undefined : value)));
}

/** Enough of a page to tell it from the page before: its size and its ends. */
function signatureOf(data: readonly Message[]): string {
  const ends = data.length === 0 ? [] : [data[0], data[data.length - 1]];
  return `${data.length}:${ends.map((m) => String(identityOf(m as Message))).join(':')}`;
}

/** A 53-bit hash of a string (cyrb53): a number, so it never equals an id. */
function hash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

interface Pending {
  offset: number;
  controller: AbortController;
  result: Promise<PageReader>;
  /** Its request has settled. */
  arrived: boolean;
}

/**
 * The requests ahead of the walk, at the offsets it will want if nothing shifts. Never more than
 * `window` in flight; pages that arrived and wait their turn are not in flight. While the page
 * the walk waits for is late (and the end is known), up to `2 × window` pages are held, so the
 * requests after a slow page go on; a walk held up by its consumer keeps to `window`.
 */
class Lookahead {
  /** Offsets between adjacent pages: a page size less the one message they share. */
  stride: number;
  /** The list's size as last reported: nothing is fetched past it. */
  knownTotal: number | undefined;
  #window: number;
  #queue: Pending[] = [];
  #inFlight = 0;
  #nextOffset: number;
  /** Where the walk goes on from: the offset of the last message it has read. */
  #frontierOffset: number;
  #started = false;
  #closed = false;
  #waitingFor: Pending | undefined;

  readonly #settings: PaginateSettings;
  readonly #wanted: () => number;

  constructor(settings: PaginateSettings, stride: number, wanted: () => number) {
    this.#settings = settings;
    this.#wanted = wanted;
    this.stride = stride;
    this.#window = settings.concurrency;
    this.#nextOffset = settings.start;
    this.#frontierOffset = settings.start;
  }

  /** The next page in offset order, with the offset it was read at. */
  async next(): Promise<{ offset: number; read: PageReader }> {
    this.#settings.signal?.throwIfAborted();
    if (this.#queue.length === 0) this.#schedule(this.#nextOffset);
    const head = this.#queue.shift() as Pending;
    this.#waitingFor = head;
    this.#fill(); // more room while it is late
    const read = await head.result;
    if (this.#waitingFor === head) this.#waitingFor = undefined;
    this.#started = true;
    return { offset: head.offset, read };
  }

  /** The walk goes on from `offset`: pages fetched ahead that start past it would leave a gap. */
  continueFrom(offset: number): void {
    this.#frontierOffset = offset;
    const head = this.#queue[0];
    if (head ? head.offset > offset : this.#nextOffset > offset) this.restartAt(offset);
  }

  /** Drops what is ahead and starts again from `offset`. */
  restartAt(offset: number): void {
    this.#cancel();
    this.#nextOffset = offset;
    this.#frontierOffset = Math.min(this.#frontierOffset, offset);
  }

  /** One page read out of turn, beside the pages fetched ahead. */
  async readOnce(offset: number): Promise<PageRead> {
    const { fetchPage, signal } = this.#settings;
    const read = await fetchPage(offset, signal ?? new AbortController().signal, this.#halve);
    return read();
  }

  /** A page came without a 429: let one more request in flight, up to `concurrency`. */
  grow(): void {
    this.#window = Math.min(this.#settings.concurrency, this.#window + 1);
  }

  close(): void {
    this.#closed = true;
    this.#cancel();
  }

  /** An attempt got a 429: halve the requests in flight. */
  readonly #halve = () => {
    this.#window = Math.max(1, Math.floor(this.#window / 2));
  };

  #cancel(): void {
    for (const p of this.#queue) p.controller.abort();
    this.#queue = [];
  }

  /** Starts every request the window allows, from the walk and whenever a request settles. */
  #fill(): void {
    while (!this.#closed && this.#started && this.#hasRoom()) this.#schedule(this.#nextOffset);
  }

  #hasRoom(): boolean {
    const { knownTotal } = this;
    const queue = this.#queue;
    const window = this.#window;
    const nextOffset = this.#nextOffset;
    const late = this.#waitingFor?.arrived === false && knownTotal !== undefined;
    return (
      this.#inFlight < window &&
      (queue.length < window || (late && queue.length < 2 * window)) &&
      // A page read at the last message has nothing after it.
      (knownTotal === undefined || nextOffset + 1 < knownTotal) &&
      // No page beyond what `maxItems` can use, were all its messages new.
      nextOffset - this.#frontierOffset < this.#wanted()
    );
  }

  #schedule(offset: number): void {
    const { fetchPage, signal } = this.#settings;
    const controller = new AbortController();
    const pageSignal = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    const result = fetchPage(offset, pageSignal, this.#halve);
    const entry: Pending = { offset, controller, result, arrived: false };
    this.#inFlight++;
    // Awaited later, in order; until then a failure must not count as unhandled.
    const onSettled = () => this.#settled(entry);
    result.then(onSettled, onSettled);
    this.#queue.push(entry);
    this.#nextOffset = offset + this.stride;
  }

  #settled(entry: Pending): void {
    entry.arrived = true;
    this.#inFlight--;
    // Only where the list ends is known: without a total, only the walk learns of the end, and
    // starting more before it does would overshoot.
    if (this.knownTotal !== undefined) this.#fill();
  }
}
