// The shape every `sakari` command has: what it is given, and what it hands back.
import type { Options, Values } from './args.js';
import type { Sink } from './sink.js';

/** The process's streams and environment, as a command sees them. */
export interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly env: NodeJS.ProcessEnv;
}

/** What a command runs with, once its arguments are parsed. */
export interface Input {
  /** The flags, by name. */
  readonly values: Values;
  readonly positionals: readonly string[];
  readonly io: Io;
  /** stdout, with backpressure. */
  readonly output: Sink;
  /** Aborted by Ctrl-C (SIGINT) or SIGTERM, with an `InterruptedError` as its reason. */
  readonly signal: AbortSignal;
  /** `--debug`: stack traces and retries on stderr. */
  readonly debug: boolean;
  /** Prints one line on stderr, secrets removed. */
  note(line: string): void;
}

/** A command that could not do its work: the error, and what is known about it. */
export interface Failure {
  readonly error: unknown;
  /** What to check, such as the variables behind a 401. */
  readonly hint?: string | undefined;
  /** How many messages reached the output before the error. */
  readonly written?: number | undefined;
}

/** How a command ended: an exit code, or a failure to report. */
export type Outcome = { readonly code: number } | Failure;

/** A command of `sakari`, as the command table lists it. */
export interface Command {
  /** The words that name it: `messages list`. */
  readonly name: string;
  /** How the command list shows it: `messages get ID`. */
  readonly synopsis: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The whole `--help` text. */
  readonly help: string;
  /** Its flags (`--help` and `--debug` are every command's). */
  readonly options: Options;
  /** Whether it takes arguments besides flags. */
  readonly positionals?: boolean;
  /** Loads the code that runs it: a command's dependencies load only when it runs. */
  load(): Promise<(input: Input) => Promise<Outcome>>;
}
