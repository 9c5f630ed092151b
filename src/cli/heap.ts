// How the CLI's heap grows. V8 sizes a process's heap for the machine: on one with gigabytes of
// RAM it lets the old generation grow up to fourfold between full collections. An export is the
// worst case for that rule: every page leaves a ~1.5 MB decoded text in large-object space (only
// a full collection frees it) and parsed messages that outlive a scavenge while they wait their
// turn in the look-ahead window, yet almost none of it stays alive. Capping the growth at 50 %
// makes full collections come sooner: an export of 100,000 messages peaks some 60–70 MB lower
// (bench row 5) in the same wall time, for about a tenth more CPU, mostly on V8's helper
// threads. The live set is small, so each collection is cheap.
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
