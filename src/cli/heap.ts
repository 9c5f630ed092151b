// How the CLI's heap grows. On a machine with plenty of RAM, V8 lets the heap grow up to fourfold
// between full collections; an export leaves a large decoded text and parsed messages behind
// every page, almost none of it alive, so its RSS would climb far above what it holds. Why
// setting this flag after start-up is safe: README, "The heap policy".
import { setFlagsFromString } from 'node:v8';

/** The growth of the heap after a full collection, in per cent of what survived it. */
const HEAP_GROWING_PERCENT = 50;

/**
 * Applies the CLI's heap policy to this process. Only for the `sakari` program itself: an
 * application that imports the library keeps its own settings. V8 reads this flag each time
 * it recomputes the heap's limit, so setting it after start-up takes effect.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
