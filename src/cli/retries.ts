// The client's retries as the CLI reports them: counted for the progress line and the summary,
// and each told on stderr under --debug.
import type { RetryInfo } from '../transport.js';

/** Counts the client's retries; pass `onRetry` to the client. */
export class RetryLog {
  #count = 0;
  readonly #tell: ((line: string) => void) | undefined;

  /** `tell` prints a line (only under --debug); without it retries are only counted. */
  constructor(tell?: (line: string) => void) {
    this.#tell = tell;
  }

  /** Retries so far. */
  get count(): number {
    return this.#count;
  }

  readonly onRetry = (info: RetryInfo): void => {
    this.#count++;
    // An error says more than its status (a 200 whose body was cut short has both).
    const why =
      info.error instanceof Error
        ? info.error.message
        : info.status !== undefined
          ? `HTTP ${info.status}`
          : 'an error';
    this.#tell?.(`debug: retry ${info.attempt} after ${why}, in ${Math.round(info.delayMs)} ms`);
  };
}
