/**
 * The retry policy: pure functions of what an attempt came to. The loop that applies them is the
 * transport's.
 */

/** Retry settings. */
export interface RetryOptions {
  /**
   * First backoff delay; each retry doubles it (with jitter), up to `maxDelayMs`.
   * @default 500
   */
  baseDelayMs?: number;
  /**
   * Longest backoff delay.
   * @default 8000
   */
  maxDelayMs?: number;
  /**
   * Longest wait a `Retry-After` header may impose; a longer one is cut to this.
   * @default 60000
   */
  maxRetryAfterMs?: number;
}

export interface RetryPolicy extends Required<RetryOptions> {
  maxRetries: number;
}

/**
 * What one attempt came to: an answer (`cutShort` when a 2xx body that says JSON does not parse),
 * or no answer — refused before any byte left, failed on the way, timed out, or blocked by the
 * fetch implementation itself (a port or scheme it never connects to).
 */
export type Outcome =
  | { status: number; cutShort?: boolean }
  | { failure: 'refused' | 'network' | 'timeout' | 'blocked' };

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Whether a failed attempt may be tried again. Sending a message has no idempotency key, so a
 * request that is not idempotent is retried only when the server certainly did not act on it: a
 * 429, or a connection refused.
 */
export function shouldRetry(outcome: Outcome, idempotent: boolean): boolean {
  if ('failure' in outcome) {
    return outcome.failure === 'refused' || (idempotent && outcome.failure !== 'blocked');
  }
  if (outcome.cutShort) return idempotent;
  return idempotent ? RETRYABLE_STATUS.has(outcome.status) : outcome.status === 429;
}

/** Milliseconds from a `Retry-After` header (seconds or an HTTP date), if it has a usable one. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  const text = value?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text); // NaN for no header, or no date
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Delay before retry number `attempt` (1 = first retry): the server's `Retry-After` when it
 * gave one (capped), else exponential backoff with full jitter in its upper half.
 */
export function retryDelay(
  attempt: number,
  headers: Headers | undefined,
  policy: RetryPolicy,
  random = Math.random,
): number {
  const retryAfter = parseRetryAfter(headers?.get('retry-after'));
  if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  return ceiling / 2 + (random() * ceiling) / 2;
}
