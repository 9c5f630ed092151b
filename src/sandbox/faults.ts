// Seeded fault injection. Faults are dealt like cards rather than drawn like dice: each block of
// 100 faultable requests holds exactly round(share × 100) requests of each kind, in an order
// shuffled by the seed. So a test can assert exact counts ("200 requests at 10 % → 20 errors")
// and a failure reproduces with the same seed.
import { SakariValidationError } from '../errors.js';
import { checkNumber, checkOptionObject, checkSeed, MAX_DELAY_MS } from './options.js';
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

const PLAN_KEYS = [...KINDS, 'seed', 'retryAfterSeconds', 'stallMs', 'appliesTo'];

function checkShare(name: string, value: unknown): number {
  if (value === undefined) return 0;
  return checkNumber(`faults.${name}`, value, 0, 1, 'a share from 0 to 1');
}

/** `[min, max]` whole seconds, `0 <= min <= max <= MAX_RETRY_AFTER_SECONDS`. */
function isSecondsRange(value: unknown): value is readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [min, max] = value;
  return (
    Number.isInteger(min) &&
    Number.isInteger(max) &&
    min >= 0 &&
    min <= max &&
    max <= MAX_RETRY_AFTER_SECONDS
  );
}

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

  constructor(given: FaultPlan) {
    // A plan may come from a test's untyped setup: checked field by field.
    const plan = checkOptionObject('faults', given, PLAN_KEYS, 'faults.') as FaultPlan;
    const counts = new Map<FaultKind, number>();
    let total = 0;
    for (const kind of KINDS) {
      const n = Math.round(checkShare(kind, plan[kind]) * BLOCK);
      counts.set(kind, n);
      total += n;
    }
    if (total > BLOCK) {
      throw new SakariValidationError('faults', plan, 'shares that add up to at most 1');
    }
    const seed = checkSeed('faults.seed', plan.seed ?? 1);
    const range: unknown = plan.retryAfterSeconds ?? [1, 1];
    if (!isSecondsRange(range)) {
      throw new SakariValidationError(
        'faults.retryAfterSeconds',
        range,
        `[min, max] whole seconds, 0 <= min <= max <= ${MAX_RETRY_AFTER_SECONDS}`,
      );
    }
    const stallMs = checkNumber(
      'faults.stallMs',
      plan.stallMs ?? 30_000,
      0,
      MAX_DELAY_MS,
      `a number of milliseconds from 0 to ${MAX_DELAY_MS}`,
    );
    const appliesTo = plan.appliesTo ?? 'messages';
    if (appliesTo !== 'messages' && appliesTo !== 'all') {
      throw new SakariValidationError('faults.appliesTo', appliesTo, '"messages" or "all"');
    }
    this.plan = plan;
    this.appliesTo = appliesTo;
    this.stallMs = stallMs;
    this.#counts = counts;
    this.#seed = seed;
    this.#retryAfter = range;
    this.#retryRng = new Rng(hash(seed, 0x7e7a));
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
