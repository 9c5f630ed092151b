// How the CLI's heap grows. V8 sizes a process's heap for the machine: on one with gigabytes of
// RAM it lets the old generation grow up to fourfold between full collections. An export is the
// worst case for that rule: every page leaves a ~1.5 MB decoded text in large-object space (only
// a full collection frees it) and parsed messages that outlive a scavenge while they wait their
// turn in the look-ahead window, yet almost none of it stays alive. Capping the growth at 50 %
// makes full collections come sooner. Measured side by side on 100,000 messages (2 cores): peak
// RSS ~170 MB instead of ~245 MB, for ~14 % more CPU (much of it on V8's helper threads) and a
// few per cent more wall time; 100 % would save less (~188 MB, too close to the 200 MB goal of
// bench row 5). The live set is small, so each collection is cheap.
import { setFlagsFromString } from 'node:v8';

/** The growth of the heap after a full collection, in per cent of what survived it. */
const HEAP_GROWING_PERCENT = 50;

/**
 * Applies the CLI's heap policy to this process. Only for the `sakari` program itself: an
 * application that imports the library keeps its own settings. V8 reads this flag at every
 * full collection, so setting it after start-up takes effect.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
