// Where results go: a sink over stdout that respects backpressure (so an export of any size
// holds one page in memory, not the whole account) and the four formats written through it.
// Every message is handed to the stream in one write, so a record is never split by an
// interruption: what has been written is whole lines.
import { once } from 'node:events';
import type { Message } from '../types.js';
import { csvHeader, csvLine } from './csv.js';
import { OutputClosedError } from './errors.js';
import { DEFAULT_WIDTH, detailView, type TableStyle, tableRenderer } from './table.js';

/** The output formats. */
export const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

type Stream = NodeJS.WritableStream & {
  writableLength?: number;
  isTTY?: boolean;
  columns?: number;
};

/** A writable stream used with backpressure; remembers the first error (EPIPE when the reader left). */
export class Sink {
  readonly stream: Stream;
  #failure: Error | undefined;

  constructor(stream: Stream) {
    this.stream = stream;
    // Without a listener an EPIPE (`sakari … | head`) would crash the process.
    stream.on('error', (error: NodeJS.ErrnoException) => {
      this.#failure ??=
        error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED'
          ? new OutputClosedError()
          : new Error(`cannot write the output: ${error.message}`);
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

/** Writes a stream of messages in one format. */
export interface MessageWriter {
  /** Writes a message; the start of the document (CSV header, table header, `[`) goes first. */
  write(message: Message): Promise<void>;
  /**
   * Ends the document. `complete` is false after a failure: then a document that was started
   * is closed (a JSON array gets its `]`, so what was written stays usable) and one that was
   * not stays empty, rather than an empty array or a lone header pretending to be the answer.
   * Does nothing once the output itself has failed.
   */
  end(complete: boolean): Promise<void>;
  /** How many messages were written. */
  readonly written: number;
}

/** The table style for this stream: its width (or `COLUMNS`, or 120) and colour at a terminal. */
export function tableStyle(stream: Stream, env: NodeJS.ProcessEnv): TableStyle {
  const fromEnv = Number(env.COLUMNS);
  const width =
    stream.isTTY && stream.columns
      ? stream.columns
      : Number.isInteger(fromEnv) && fromEnv > 0
        ? fromEnv
        : DEFAULT_WIDTH;
  const color = Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  return { width, color };
}

/** A writer for a list of messages. */
export function listWriter(format: Format, sink: Sink, style: TableStyle): MessageWriter {
  let written = 0;
  let begun = false;
  let ended = false;
  const table = format === 'table' ? tableRenderer(style) : undefined;
  const begin = async () => {
    if (begun) return;
    begun = true;
    if (format === 'json') await sink.write('[');
    else if (format === 'csv') await sink.write(csvHeader());
    else if (table) await sink.write(table.header());
  };
  const render = (m: Message): string => {
    switch (format) {
      case 'ndjson':
        return `${JSON.stringify(m)}\n`;
      case 'json':
        return `${written === 0 ? '\n' : ',\n'}${JSON.stringify(m)}`;
      case 'csv':
        return csvLine(m);
      case 'table':
        return (table as NonNullable<typeof table>).row(m);
    }
  };
  return {
    get written() {
      return written;
    },
    async write(m) {
      await begin();
      await sink.write(render(m));
      written++;
    },
    async end(complete) {
      if (ended || sink.failure || (!complete && !begun)) return;
      ended = true;
      await begin();
      if (format === 'json') await sink.write(written === 0 ? ']\n' : '\n]\n');
    },
  };
}

/** One message (`messages get`) in a format: json is pretty-printed, table is a detail view. */
export function singleMessage(format: Format, m: Message, style: TableStyle): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(m, null, 2)}\n`;
    case 'ndjson':
      return `${JSON.stringify(m)}\n`;
    case 'csv':
      return csvHeader() + csvLine(m);
    case 'table':
      return detailView(m, style);
  }
}
