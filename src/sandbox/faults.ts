// Seeded fault injection. Faults are dealt like cards rather than drawn like dice: each block of
// 100 faultable requests holds exactly round(share × 100) requests of each kind, in an order
// shuffled by the seed. So a test can assert exact counts ("200 requests at 10 % → 20 errors")
// and a failure reproduces with the same seed.
import { SakariValidationError } from '../errors.js';
import {
  type Check,
  checkDelay,
  checkOptions,
  checkSeed,
  numberIn,
  oneOf,
  type Table,
  withDefault,
} from './checks.js';
import { hash, Rng } from './random.js';

/** A way a request can fail. */
export type FaultKind = 'serverError' | 'rateLimit' | 'reset' | 'truncate' | 'stall' | 'cutShort';

/**
 * Which share of requests fail, and how. Each share is a fraction of requests in 0..1, applied
 * exactly within every consecutive block of 100 faultable requests (so shares are rounded to
 * hundredths, and together may not exceed 1).
 *
 * @example
 * // Exactly 10 of every 100 message calls answer 500/502/503, 5 are dropped mid-body.
 * const faults: FaultPlan = { seed: 7, serverError: 0.1, truncate: 0.05 };
 */
export interface FaultPlan {
  /**
   * Seed of the shuffle that places the faults.
   * @default 1
   */
  readonly seed?: number;
  /**
   * Share answered 500, 502 or 503 (in turn) with a Sakari error body. The request is not handled.
   * @default 0
   */
  readonly serverError?: number;
  /**
   * Share answered 429 with a `Retry-After` header drawn from `retryAfterSeconds`. Not handled.
   * @default 0
   */
  readonly rateLimit?: number;
  /**
   * Share whose connection is destroyed before any byte of an answer: the client sees a
   * connection reset. The request is not handled.
   * @default 0
   */
  readonly reset?: number;
  /**
   * Share that is handled (a send does queue its messages) but whose answer stops halfway
   * through the body: the full `Content-Length` is announced, half the bytes are sent, then the
   * connection is destroyed.
   * @default 0
   */
  readonly truncate?: number;
  /**
   * Share never answered: the connection is held until the client gives up or `stallMs` passes,
   * then destroyed. The request is not handled.
   * @default 0
   */
  readonly stall?: number;
  /**
   * Share that is handled (a send does queue its messages) and answered in full as far as HTTP
   * goes (status, headers, a `Content-Length` matching the bytes sent, the connection kept), but
   * whose body is the first half of the JSON: a complete answer that does not parse.
   * @default 0
   */
  readonly cutShort?: number;
  /**
   * Range, in whole seconds and both ends included, of the `Retry-After` of injected 429s.
   * @default [1, 1]
   */
  readonly retryAfterSeconds?: readonly [min: number, max: number];
  /**
   * How long a stalled request is held before its connection is destroyed (ms).
   * @default 30000
   */
  readonly stallMs?: number;
  /**
   * Which requests may fail: `'messages'` for the `/v1` message endpoints only, `'all'` to
   * include `POST /oauth2/token`. Unknown paths never fail by plan.
   * @default 'messages'
   */
  readonly appliesTo?: 'messages' | 'all';
}

const KINDS: readonly FaultKind[] = [
  'serverError',
  'rateLimit',
  'reset',
  'truncate',
  'stall',
  'cutShort',
];
const BLOCK = 100;
/** A day: a longer Retry-After would only stall the test that asked for it. */
const MAX_RETRY_AFTER_SECONDS = 86_400;
const SERVER_STATUSES = [500, 502, 503] as const;

const share = withDefault(0, numberIn(0, 1, 'a share from 0 to 1'));

/** `[min, max]` whole seconds, `0 <= min <= max <= MAX_RETRY_AFTER_SECONDS`. */
const checkSecondsRange: Check<readonly [number, number]> = (field, value) => {
  const [min, max] = Array.isArray(value) && value.length === 2 ? value : [];
  if (
    !Number.isInteger(min) ||
    !Number.isInteger(max) ||
    !(min >= 0 && min <= max && max <= MAX_RETRY_AFTER_SECONDS)
  ) {
    throw new SakariValidationError(
      field,
      value,
      `[min, max] whole seconds, 0 <= min <= max <= ${MAX_RETRY_AFTER_SECONDS}`,
    );
  }
  return [min, max];
};

const PLAN: Table<Required<FaultPlan>> = {
  serverError: share,
  rateLimit: share,
  reset: share,
  truncate: share,
  stall: share,
  cutShort: share,
  seed: withDefault(1, checkSeed),
  retryAfterSeconds: withDefault([1, 1], checkSecondsRange),
  stallMs: withDefault(30_000, checkDelay),
  appliesTo: withDefault('messages', oneOf(['messages', 'all'] as const)),
};

/** The dealt sequence of one fault plan; replaced (and so restarted) when the plan changes. */
export class FaultSchedule {
  readonly plan: FaultPlan;
  readonly appliesTo: 'messages' | 'all';
  readonly stallMs: number;
  readonly #counts: ReadonlyMap<FaultKind, number>;
  readonly #seed: number;
  readonly #retryAfter: readonly [number, number];
  readonly #retryRng: Rng;
  #served = 0;
  #block: (FaultKind | undefined)[] = [];
  #serverErrors = 0;

  /** Checks `given` (named `field` in errors) and deals its first block on the first request. */
  constructor(field: string, given: unknown) {
    const plan = checkOptions(field, given, PLAN);
    const counts = new Map<FaultKind, number>();
    let total = 0;
    for (const kind of KINDS) {
      const n = Math.round(plan[kind] * BLOCK);
      counts.set(kind, n);
      total += n;
    }
    if (total > BLOCK) {
      throw new SakariValidationError(field, given, 'shares that add up to at most 1');
    }
    this.plan = given as FaultPlan;
    this.appliesTo = plan.appliesTo;
    this.stallMs = plan.stallMs;
    this.#counts = counts;
    this.#seed = plan.seed;
    this.#retryAfter = plan.retryAfterSeconds;
    this.#retryRng = new Rng(hash(plan.seed, 0x7e7a));
  }

  /** The fault of the next faultable request, or undefined when it is to be answered normally. */
  next(): FaultKind | undefined {
    const slot = this.#served % BLOCK;
    if (slot === 0) this.#block = this.#deal(this.#served / BLOCK);
    this.#served += 1;
    return this.#block[slot];
  }

  /** 500, 502 and 503 in turn, so a run sees all three. */
  nextServerStatus(): 500 | 502 | 503 {
    const status = SERVER_STATUSES[this.#serverErrors % SERVER_STATUSES.length] ?? 500;
    this.#serverErrors += 1;
    return status;
  }

  /** Seconds for the `Retry-After` of an injected 429. */
  nextRetryAfter(): number {
    return this.#retryRng.between(this.#retryAfter[0], this.#retryAfter[1]);
  }

  #deal(block: number): (FaultKind | undefined)[] {
    const cards: (FaultKind | undefined)[] = [];
    for (const kind of KINDS) {
      for (let n = this.#counts.get(kind) ?? 0; n > 0; n--) cards.push(kind);
    }
    while (cards.length < BLOCK) cards.push(undefined);
    return new Rng(hash(this.#seed, block)).shuffle(cards);
  }
}
