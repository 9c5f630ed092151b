// What every benchmark shares: the shape of a result, medians, and running two sides of a
// comparison interleaved over several rounds in this one process.

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

/** Milliseconds `fn` took. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/**
 * Runs both sides `rounds` times, alternating which goes first, and returns the time of each
 * side in each round (ms). Alternating the order cancels what running second gains or loses
 * (a warmer JIT, a GC debt left by the other side).
 */
export async function interleaved(
  rounds: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  log: (line: string) => void = () => {},
): Promise<{ a: number[]; b: number[] }> {
  const times = { a: [] as number[], b: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      times.a.push(await timed(a));
      times.b.push(await timed(b));
    } else {
      times.b.push(await timed(b));
      times.a.push(await timed(a));
    }
    log(
      `  round ${round + 1}/${rounds}: ${fmt(times.a.at(-1) as number)} ms vs ${fmt(times.b.at(-1) as number)} ms`,
    );
  }
  return times;
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
