// What can go wrong in the CLI, the exit code of each, and the one line printed for it.
import { inspect } from 'node:util';
import { redact, SakariError, SakariValidationError } from '../errors.js';
import type { Failure } from './command.js';
import { oneLine } from './text.js';

/** Exit codes. */
export const EXIT = {
  ok: 0,
  /** The API answered with an error, or it could not be reached. */
  failure: 1,
  /** The command line is wrong; nothing was sent. */
  usage: 2,
  /** `--validate`: an answer differed from the spec (everything else went well). */
  drift: 3,
  /** Ctrl-C (128 + SIGINT). */
  interrupted: 130,
  /** SIGTERM (128 + 15). */
  terminated: 143,
} as const;

/** The command line is wrong: an unknown flag, a bad value, a missing setting or tool. */
export class UsageError extends Error {
  override name = 'UsageError' as const;
}

/** The user (or the system) stopped the command with a signal. */
export class InterruptedError extends Error {
  override name = 'InterruptedError' as const;
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals) {
    super(`interrupted (${signal})`);
    this.signal = signal;
  }
}

/** Whoever read our output has gone (`sakari … | head`): not a failure, a reason to stop. */
export class OutputClosedError extends Error {
  override name = 'OutputClosedError' as const;
  constructor() {
    super('the output was closed');
  }
}

/** The output could not be written (a full disk, a closed file). */
export class OutputError extends Error {
  override name = 'OutputError' as const;
  constructor(cause: Error) {
    super(`cannot write the output: ${cause.message}`, { cause });
  }
}

/** A server the command runs (the sandbox, Prism) could not start or stopped on its own. */
export class ServerError extends Error {
  override name = 'ServerError' as const;
}

/**
 * Runs `check`, turning a `SakariValidationError` into a `UsageError` that names the flag or
 * variable the field came from (`limit` → `--limit`, `contacts[2].mobile.number` → `--to`).
 */
export function asUsage<T>(flags: Readonly<Record<string, string>>, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof SakariValidationError)) throw error;
    const flag = flags[error.field] ?? flags[error.field.replace(/\[\d+\]/g, '[]')] ?? error.field;
    throw new UsageError(`invalid ${flag}: ${error.valueText} (expected ${error.allowed})`);
  }
}

/** The exit code for an error. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof SakariValidationError) return EXIT.usage;
  if (error instanceof InterruptedError) {
    return error.signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
  }
  if (error instanceof OutputClosedError) return EXIT.ok;
  return EXIT.failure;
}

/** The line printed for a failure (without a trailing newline), secrets removed. */
export function describeFailure(
  { error, hint, written }: Failure,
  secrets: readonly string[],
  debug: boolean,
): string {
  let line: string;
  if (error instanceof UsageError || error instanceof OutputError || error instanceof ServerError) {
    line = `error: ${error.message}`;
  } else if (error instanceof SakariValidationError) {
    line = `error: invalid ${error.field}: ${error.valueText} (expected ${error.allowed})`;
  } else if (error instanceof InterruptedError) {
    line = `sakari: ${error.message}`;
  } else if (error instanceof SakariError) {
    const notes: string[] = [];
    if (hint) notes.push(hint);
    const attempts = (error as { attempts?: number }).attempts;
    if (attempts !== undefined && attempts > 1) notes.push(`after ${attempts} attempts`);
    line = `error: ${error.message}${notes.length ? ` (${notes.join('; ')})` : ''}`;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    line = `error: internal error: ${message}${debug ? '' : ' (run with --debug for the stack trace)'}`;
  }
  if (written !== undefined && written > 0) {
    const messages = `${written.toLocaleString('en-US')} message${written === 1 ? '' : 's'}`;
    line +=
      error instanceof InterruptedError
        ? `; ${messages} written`
        : `; ${messages} written before the error`;
  }
  return redact(oneLine(line), secrets);
}

/** The stack trace (with causes) printed under `--debug`, secrets removed. */
export function debugDetails(error: unknown, secrets: readonly string[]): string {
  const text = error instanceof Error ? (error.stack ?? error.message) : inspect(error);
  const parts = [text];
  for (
    let cause = (error as { cause?: unknown })?.cause, depth = 0;
    cause !== undefined && depth < 5;
    cause = (cause as { cause?: unknown })?.cause, depth++
  ) {
    parts.push(
      `caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : inspect(cause)}`,
    );
  }
  return redact(parts.join('\n'), secrets);
}
