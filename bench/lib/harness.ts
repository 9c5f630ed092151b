// What every benchmark shares: the shape of a result, timing, medians and formatting. Every
// comparison runs both sides in this one process, interleaved, over several rounds, and reports
// the median of the per-round ratios.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

/** One row of the table and of `bench/results.json`. */
export interface Result {
  /** The row of the table: `1`, `5a`, … */
  id: string;
  name: string;
  /** The goal as written in the issue; `report …` when there is none. */
  goal: string;
  /** The figures behind the ratio, for a reader. */
  measured: string;
  /** The headline figure: the ratio the goal is about, else the figure in the goal's unit (MB, kB, ms). */
  ratio: number | null;
  /** Whether the goal is met; null in a quick run (not judged) or when there is no goal. */
  pass: boolean | null;
}

export interface Context {
  /** A smoke run: tiny sizes, one round, goals not judged. */
  quick: boolean;
  /** The repository root. */
  root: string;
  /** Progress on stderr, so stdout holds only the table. */
  log(line: string): void;
}

export interface Benchmark {
  /** The rows of the table it fills: `1`, `2, 3, 4`, … */
  id: string;
  /** What the runner prints while this one runs. */
  title: string;
  run(context: Context): Promise<Result[]>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

// `gc()` without starting node with --expose-gc: the flag is honoured by contexts made after it.
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A full collection, so that the next side timed does not pay for the garbage of the last. */
export function collectGarbage(): void {
  gc();
}

/** Milliseconds `fn` took. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** One side of a call-by-call comparison. */
export interface Side {
  /** How the progress lines name it. */
  name: string;
  call: () => Promise<unknown>;
}

/**
 * Two sides timed call by call in one process, after a warm-up: per round, each side's mean ms
 * per call, the calls in ABBA order so that neither side always follows the other. `calls` is
 * how many calls each side made in all, the warm-up's included.
 */
export async function alternate(
  context: Context,
  a: Side,
  b: Side,
): Promise<{ aMs: number[]; bMs: number[]; calls: number }> {
  const rounds = context.quick ? 1 : 5;
  const perRound = context.quick ? 4 : 40;
  const warmUp = context.quick ? 2 : 20;
  for (let i = 0; i < warmUp; i++) {
    await b.call();
    await a.call();
  }
  const aMs: number[] = [];
  const bMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let aTotal = 0;
    let bTotal = 0;
    for (let i = 0; i < perRound; i++) {
      if (i % 2 === 0) {
        aTotal += await timed(a.call);
        bTotal += await timed(b.call);
      } else {
        bTotal += await timed(b.call);
        aTotal += await timed(a.call);
      }
    }
    aMs.push(aTotal / perRound);
    bMs.push(bTotal / perRound);
    context.log(
      `  round ${round + 1}/${rounds}: ${a.name} ${fmt(aTotal / perRound)} ms, ${b.name} ${fmt(bTotal / perRound)} ms per call`,
    );
  }
  return { aMs, bMs, calls: warmUp + rounds * perRound };
}

/** Median over rounds of `num[i] / den[i]`: each round's ratio, so a slow round hits both sides. */
export function medianRatio(num: readonly number[], den: readonly number[]): number {
  return median(num.map((n, i) => n / (den[i] as number)));
}

/** A number for the table: 3 significant digits, no exponent. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 10 ** digits) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toString();
}

/** Rounds for results.json: 3 significant digits, so reruns differ only where figures do. */
export function round3(value: number): number {
  return Number(value.toPrecision(3));
}

export function judge(context: Context, ok: boolean): boolean | null {
  return context.quick ? null : ok;
}
