// Steady, seeded churn of the account's messages while a client pages: the drift of offset
// paging (an insert shows an item twice, a delete skips one) without writing a hook.
import { checkOptions, checkSeed, integerIn, type Table, withDefault } from './checks.js';
import { hash, Rng } from './random.js';
import type { Store } from './store.js';

/**
 * Messages that arrive and disappear before each list request is answered.
 *
 * @example
 * // Two new messages on top and one deleted somewhere before every page.
 * const churn: SandboxChurn = { inserts: 2, deletes: 1, seed: 7 };
 */
export interface SandboxChurn {
  /**
   * New messages put on top (newest) before each list request is answered.
   * @default 0
   */
  inserts?: number;
  /**
   * Messages deleted before each list request is answered (after the inserts), each at a
   * position drawn from the whole list, head to tail, unfiltered.
   * @default 0
   */
  deletes?: number;
  /**
   * Seed of the positions deleted: the same seed and the same list give the same deletes.
   * @default 1
   */
  seed?: number;
}

/** One request's churn; beyond this a request would spend its time generating messages. */
export const MAX_CHURN = 1_000;

const CHURN: Table<Required<SandboxChurn>> = {
  inserts: withDefault(0, integerIn(0, MAX_CHURN)),
  deletes: withDefault(0, integerIn(0, MAX_CHURN)),
  seed: withDefault(1, checkSeed),
};

/** The drawn sequence of one churn setting; replaced (and so restarted) when it changes. */
export class ChurnSchedule {
  readonly churn: SandboxChurn;
  readonly inserts: number;
  readonly deletes: number;
  readonly #rng: Rng;

  /** Checks `given`, named `field` in errors. */
  constructor(field: string, given: unknown) {
    const { inserts, deletes, seed } = checkOptions(field, given, CHURN);
    this.inserts = inserts;
    this.deletes = deletes;
    this.#rng = new Rng(hash(seed, 0xc4a2));
    this.churn = Object.freeze({ ...(given as SandboxChurn) });
  }

  /** One list request's churn: the inserts on top, then the deletes anywhere. */
  apply(store: Store): void {
    if (this.inserts > 0) store.insert(this.inserts);
    for (let n = 0; n < this.deletes && store.messages.size > 0; n++) {
      store.messages.delete(store.messages.idAt(this.#rng.int(store.messages.size)));
    }
  }
}
