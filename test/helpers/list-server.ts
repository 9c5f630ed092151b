// An in-memory list endpoint behind an observed fetch, for pagination tests that need exact
// control of when the list changes (before the Nth list request is answered).
import { json, message, observedFetch } from './observed-fetch.js';

export interface ListServerOptions {
  count: number;
  /** Leave totalCount out of pagination. */
  noTotal?: boolean;
  /** Leave hasNext out of pagination. */
  noHasNext?: boolean;
  /** The most a page may hold, whatever the request asks. */
  maxLimit?: number;
  /** Called before list request number `n` (1-based) is answered; may change `ids`. */
  beforeAnswer?: (n: number, ids: string[]) => void;
  /** Milliseconds before each answer. */
  delayMs?: number;
  /** Called as a request for `offset` arrives; its answer waits for the promise it returns. */
  holdUntil?: (offset: number) => Promise<unknown> | undefined;
}

export function listServer(options: ListServerOptions) {
  const ids = Array.from({ length: options.count }, (_, i) => `m${String(i).padStart(5, '0')}`);
  let listRequests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const wire = observedFetch(async (request) => {
    const url = new URL(request.url);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await options.holdUntil?.(Number(url.searchParams.get('offset') ?? 0));
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      request.signal.throwIfAborted();
      listRequests++;
      options.beforeAnswer?.(listRequests, ids);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 20), options.maxLimit ?? 100);
      const data = ids.slice(offset, offset + limit).map(message);
      const pagination: Record<string, unknown> = { offset, limit };
      if (!options.noTotal) pagination.totalCount = ids.length;
      if (!options.noHasNext) pagination.hasNext = offset + data.length < ids.length;
      return json({ success: true, pagination, data });
    } finally {
      inFlight--;
    }
  });
  return {
    ids,
    wire,
    get listRequests() {
      return listRequests;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    /** Offsets requested, in order. */
    offsets: () => wire.requests.map((r) => Number(new URL(r.url).searchParams.get('offset'))),
  };
}
