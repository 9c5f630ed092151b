// An in-memory list endpoint behind an observed fetch, for pagination tests that need exact
// control of when the list changes (before the Nth list request is answered).
import { json, message, observedFetch } from './observed-fetch.js';

export interface ListServerOptions {
  count: number;
  /** Leave totalCount out of pagination. */
  noTotal?: boolean;
  /** Leave hasNext out of pagination. */
  noHasNext?: boolean;
  /** The most a page may hold, whatever the request asks (`limit` says so). */
  maxLimit?: number;
  /** The most a page may hold, while `limit` echoes what was asked (as Sakari's document allows). */
  pageCap?: number;
  /** Leave pagination out of the answer altogether. */
  noPagination?: boolean;
  /** Messages served without an id (their text still tells them apart). */
  idless?: (id: string) => boolean;
  /** Called before list request number `n` (1-based) is answered; may change `ids`. */
  beforeAnswer?: (n: number, ids: string[]) => void;
  /** Milliseconds before each answer. */
  delayMs?: number;
  /** Called as a request for `offset` arrives; its answer waits for the promise it returns. */
  holdUntil?: (offset: number) => Promise<unknown> | undefined;
}

/** What tells a message from `listServer` apart: its id, or the id its text was made from. */
export function labelOf(m: { id?: string; message?: string }): string {
  return m.id ?? (m.message ?? '').replace(/^text of /, '');
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
      const served = Math.min(limit, options.pageCap ?? limit);
      const data = ids.slice(offset, offset + served).map((id) => {
        if (!options.idless?.(id)) return message(id);
        const { id: _none, ...rest } = message(id);
        return rest;
      });
      const pagination: Record<string, unknown> = { offset, limit };
      if (!options.noTotal) pagination.totalCount = ids.length;
      if (!options.noHasNext) pagination.hasNext = offset + data.length < ids.length;
      return json({ success: true, ...(options.noPagination ? {} : { pagination }), data });
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
