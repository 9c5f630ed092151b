// One run of a command: its streams, the signal that Ctrl-C aborts, the secrets to keep out
// of every line it prints, and the single place where an error becomes a line and an exit code.
import { redact, type SakariError } from '../errors.js';
import { secretsIn } from './config.js';
import {
  debugDetails,
  describeFailure,
  EXIT,
  exitCodeOf,
  InterruptedError,
  OutputClosedError,
  UsageError,
} from './errors.js';
import { Sink } from './output.js';

/** The process's streams and environment, as a command sees them. */
export interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly env: NodeJS.ProcessEnv;
}

/** A second Ctrl-C this long after the first quits at once; sooner, it is taken as the same one (npm forwards the terminal's). */
const SECOND_SIGNAL_MS = 1_000;

/** The state of one command run, shared by its parts. */
export class Run {
  readonly command: string;
  readonly io: Io;
  /** Values that no printed line may contain. */
  readonly secrets: string[];
  /** Print stack traces and retries. */
  debug = false;
  /** Client fields → the flag or variable that set them. */
  fields: Record<string, string> = {};
  /** What to check after an API error (set once the connection is known). */
  hint: ((error: SakariError) => string | undefined) | undefined;
  /** How many messages reached the output, for the line printed after a failed export. */
  written: (() => number | undefined) | undefined;
  /** Called before a note is printed, so a progress line can get out of the way. */
  beforeNote: (() => void) | undefined;
  /** Retries performed by the client so far. */
  retries = 0;
  readonly #controller = new AbortController();
  #output: Sink | undefined;

  constructor(command: string, io: Io, secrets: string[]) {
    this.command = command;
    this.io = io;
    this.secrets = secrets;
  }

  /** Aborted by Ctrl-C (SIGINT) or SIGTERM, with an `InterruptedError` as its reason. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** stdout, with backpressure. */
  get output(): Sink {
    this.#output ??= new Sink(this.io.stdout);
    return this.#output;
  }

  interrupt(signal: NodeJS.Signals): void {
    this.#controller.abort(new InterruptedError(signal));
  }

  /** Prints one line on stderr, secrets removed. */
  note(line: string): void {
    this.beforeNote?.();
    this.io.stderr.write(`${redact(line, this.secrets)}\n`);
  }

  /** The client's `onRetry`: counts, and tells under `--debug`. */
  readonly onRetry = (info: {
    attempt: number;
    status?: number;
    error?: unknown;
    delayMs: number;
  }) => {
    this.retries++;
    if (this.debug) {
      // An error says more than its status (a 200 whose body was cut short has both).
      const why =
        info.error instanceof Error
          ? info.error.message
          : info.status !== undefined
            ? `HTTP ${info.status}`
            : 'an error';
      this.note(`debug: retry ${info.attempt} after ${why}, in ${Math.round(info.delayMs)} ms`);
    }
  };
}

/**
 * Runs `body` as the command `command`: Ctrl-C aborts `run.signal` (a second one, later, quits
 * at once); any error is printed as one line (plus a stack under `--debug`) and becomes the
 * exit code; stdout is flushed before returning.
 */
export async function execute(
  command: string,
  args: readonly string[],
  io: Io,
  body: (run: Run) => Promise<number>,
): Promise<number> {
  const run = new Run(command, io, secretsIn(args, io.env));
  let first = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!run.signal.aborted) {
      first = Date.now();
      run.interrupt(signal);
    } else if (Date.now() - first > SECOND_SIGNAL_MS) {
      process.exit(signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await body(run);
  } catch (thrown) {
    // Once interrupted, whatever the abort caused (an AbortError, a failed page) is the interruption.
    const error =
      run.signal.aborted && !(thrown instanceof UsageError)
        ? (run.signal.reason as unknown)
        : thrown;
    if (!(error instanceof OutputClosedError)) {
      run.note(
        describeFailure(error, {
          command,
          flagOf: (field) => flagOf(run.fields, field),
          hint: run.hint,
          secrets: run.secrets,
          debug: run.debug,
          written: run.written,
        }),
      );
      const expected = error instanceof UsageError || error instanceof InterruptedError;
      if (run.debug && !expected) run.note(debugDetails(error, run.secrets));
    }
    return exitCodeOf(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await run.output.flush();
  }
}

/** `contacts[2].mobile.number` → the flag for `contacts[].mobile.number`. */
function flagOf(fields: Readonly<Record<string, string>>, field: string): string | undefined {
  return fields[field] ?? fields[field.replace(/\[\d+\]/g, '[]')];
}
