// stdout with backpressure, so an export of any size holds one page in memory, not the whole
// account. A batch of records goes to the stream as one write of UTF-8 bytes: an interruption
// never splits a record, and a page costs one write, not one per message.
import { once } from 'node:events';
import { OutputClosedError, OutputError } from './errors.js';

type Stream = NodeJS.WritableStream & { writableLength?: number };

/** Where a batch is encoded, and kept for the next: a page of the sandbox's messages fits. */
const SCRATCH_BYTES = 2 * 1024 * 1024;

/** Output as text, or as UTF-8 bytes ready to go. */
export type Chunk = string | Uint8Array;

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

  /** Writes `chunks` one after the other as a single write. */
  async writeAll(chunks: readonly Chunk[]): Promise<void> {
    if (this.#failure) throw this.#failure;
    // One buffer, filled: far cheaper than a stream write per chunk, or than joining texts into
    // one string that must then be flattened and encoded.
    let size = 0;
    for (const chunk of chunks) {
      size += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    }
    let bytes = this.#scratch;
    if (!bytes || bytes.length < size) bytes = Buffer.allocUnsafe(Math.max(size, SCRATCH_BYTES));
    let at = 0;
    for (const chunk of chunks) {
      if (typeof chunk === 'string') {
        at += bytes.write(chunk, at);
      } else {
        bytes.set(chunk, at);
        at += chunk.length;
      }
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
