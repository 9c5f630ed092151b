// What can go wrong in the CLI, the exit code of each, and the one line printed for it.
import { inspect } from 'node:util';
import { redact, SakariError, SakariValidationError } from '../errors.js';
import { oneLine } from './text.js';

/** Exit codes. */
export const EXIT = {
  ok: 0,
  /** The API answered with an error, or it could not be reached. */
  failure: 1,
  /** The command line is wrong; nothing was sent. */
  usage: 2,
  /** Ctrl-C (128 + SIGINT). */
  interrupted: 130,
  /** SIGTERM (128 + 15). */
  terminated: 143,
} as const;

/** The command line is wrong: an unknown flag, a bad value, a missing setting. */
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

/** What the reporter needs to turn an error into one useful line. */
export interface FailureContext {
  /** `sakari messages list`, for the help hint. */
  readonly command: string;
  /** The flag or variable the user gave a client field as: `limit` → `--limit`. */
  readonly flagOf: (field: string) => string | undefined;
  /** What to check after an API or connection error, such as the variables behind a 401. */
  readonly hint?: (error: SakariError) => string | undefined;
  /** Values never to print. */
  readonly secrets: readonly string[];
  /** Print stack traces. */
  readonly debug: boolean;
  /** Said after a failed export: how many messages reached the output before it. */
  readonly written?: () => number | undefined;
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

/** The line printed for `error` (without a trailing newline), secrets removed. */
export function describeFailure(error: unknown, context: FailureContext): string {
  let line: string;
  if (error instanceof UsageError) {
    line = `error: ${error.message}`;
  } else if (error instanceof SakariValidationError) {
    const flag = context.flagOf(error.field) ?? error.field;
    line = `error: invalid ${flag}: ${error.valueText} (expected ${error.allowed})`;
  } else if (error instanceof InterruptedError) {
    line = `sakari: ${error.message}`;
  } else if (error instanceof SakariError) {
    const notes: string[] = [];
    const hint = context.hint?.(error);
    if (hint) notes.push(hint);
    const attempts = (error as { attempts?: number }).attempts;
    if (attempts !== undefined && attempts > 1) notes.push(`after ${attempts} attempts`);
    line = `error: ${error.message}${notes.length ? ` (${notes.join('; ')})` : ''}`;
  } else if (error instanceof Error && error.message.startsWith('cannot write the output')) {
    line = `error: ${error.message}`;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    line = `error: internal error: ${message}${context.debug ? '' : ' (run with --debug for the stack trace)'}`;
  }
  const written = context.written?.();
  if (written !== undefined && written > 0 && !(error instanceof UsageError)) {
    const messages = `${written.toLocaleString('en-US')} message${written === 1 ? '' : 's'}`;
    line +=
      error instanceof InterruptedError
        ? `; ${messages} written`
        : `; ${messages} written before the error`;
  }
  return redact(oneLine(line), context.secrets);
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
