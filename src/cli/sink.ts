// stdout with backpressure, so an export of any size holds one page in memory, not the whole
// account. A batch of records goes to the stream as one write of UTF-8 bytes: an interruption
// never splits a record, and a page costs one write, not one per message.
import { once } from 'node:events';
import { OutputClosedError, OutputError } from './errors.js';

type Stream = NodeJS.WritableStream & { writableLength?: number };

/** Where a batch is encoded, and kept for the next: a page of the sandbox's messages fits. */
const SCRATCH_BYTES = 2 * 1024 * 1024;

/** A writable stream used with backpressure; remembers the first error (EPIPE when the reader left). */
export class Sink {
  readonly stream: Stream;
  #failure: Error | undefined;
  #scratch: Buffer | undefined;

  constructor(stream: Stream) {
    this.stream = stream;
    // Without a listener an EPIPE (`sakari … | head`) would crash the process.
    stream.on('error', (error: NodeJS.ErrnoException) => {
      this.#failure ??=
        error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED'
          ? new OutputClosedError()
          : new OutputError(error);
    });
  }

  /** The error that stopped the output, if any. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Writes `text`, waiting for the stream to drain when its buffer is full. */
  async write(text: string): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (!this.stream.write(text)) await this.#drained();
  }

  /** Writes `texts` one after the other as a single write. */
  async writeAll(texts: readonly string[]): Promise<void> {
    if (this.#failure) throw this.#failure;
    // Encoding into one buffer costs far less than a stream write per text, or than joining
    // the texts into one string that must then be flattened and encoded.
    let bytes = this.#scratch ?? Buffer.allocUnsafe(SCRATCH_BYTES);
    let at = 0;
    for (const text of texts) {
      const most = at + text.length * 3; // UTF-8 needs at most 3 bytes per UTF-16 unit
      if (most > bytes.length) {
        const larger = Buffer.allocUnsafe(Math.max(most, bytes.length * 2));
        bytes.copy(larger, 0, 0, at);
        bytes = larger;
      }
      at += bytes.write(text, at);
    }
    const ready = this.stream.write(bytes.subarray(0, at));
    // A file descriptor's stream that wrote the bytes at once (a file; a pipe or terminal on
    // Linux) is done with the buffer; any other may keep it (a PassThrough's reader does).
    this.#scratch = 'fd' in this.stream && !this.stream.writableLength ? bytes : undefined;
    if (!ready) await this.#drained();
  }

  /** Resolves once everything written so far has been handed to the OS (or the stream failed). */
  async flush(): Promise<void> {
    if (this.#failure || !this.stream.writableLength) return;
    // Not 'drain': it is emitted only after a write returned false, so waiting for it with a
    // few bytes pending would wait forever. Callbacks run in order, so an empty write's runs
    // once everything before it is out (or with the error that stopped the stream).
    await new Promise<void>((resolve) => this.stream.write('', () => resolve()));
  }

  async #drained(): Promise<void> {
    if (this.#failure) throw this.#failure; // a failed stream never drains
    try {
      await once(this.stream as NodeJS.EventEmitter, 'drain');
    } catch {
      // The error listener above has recorded it.
    }
    if (this.#failure) throw this.#failure;
  }
}
