// The four output formats, written through a `Sink`: a list of messages page by page, one
// message (`get`), and what a send returned. The table and CSV code loads only when asked for.
import type { Message, SendResult } from '../types.js';
import { choice, text, type Values } from './args.js';
import type { Sink } from './sink.js';
import type { TableStyle } from './table.js';
import { count, oneLine } from './text.js';

/** The output formats. */
export const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** Width assumed when the output is not a terminal and `COLUMNS` is not set. */
const DEFAULT_WIDTH = 120;

type Stream = { isTTY?: boolean; columns?: number };

/** `--format`, else `table` at a terminal and `ndjson` elsewhere. */
export function formatOf(values: Values, stdout: Stream): Format {
  return choice('--format', text(values, 'format'), FORMATS) ?? (stdout.isTTY ? 'table' : 'ndjson');
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

/** Writes a list of messages in one format, a page at a time. */
export interface MessageWriter {
  /**
   * Writes the messages as one write; the start of the document (CSV header, table header, `[`)
   * goes first. `json`, when given, holds each message as one line of JSON, for the JSON formats.
   */
  write(messages: readonly Message[], json?: readonly string[]): Promise<void>;
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

/** A writer for a list of messages. */
export async function listWriter(
  format: Format,
  sink: Sink,
  style: TableStyle,
): Promise<MessageWriter> {
  const { head, add } = await renderer(format, style);
  let written = 0;
  let begun = false;
  let ended = false;
  return {
    get written() {
      return written;
    },
    async write(messages, json) {
      if (messages.length === 0) return;
      const texts: string[] = begun ? [] : [head];
      for (const [i, m] of messages.entries()) add(texts, m, written + i, json?.[i]);
      await sink.writeAll(texts);
      begun = true;
      written += messages.length;
    },
    async end(complete) {
      if (ended || sink.failure || (!complete && !begun)) return;
      ended = true;
      const tail = format === 'json' ? (written === 0 ? ']\n' : '\n]\n') : '';
      await sink.writeAll(begun ? [tail] : [head, tail]);
    },
  };
}

/** The start of a document in `format`, and how a message (the `index`th) is added to it. */
async function renderer(
  format: Format,
  style: TableStyle,
): Promise<{
  head: string;
  add: (texts: string[], m: Message, index: number, json: string | undefined) => void;
}> {
  switch (format) {
    case 'ndjson':
      // Two texts, not one joined: joining would copy every line once more.
      return { head: '', add: (texts, m, _, json) => texts.push(json ?? JSON.stringify(m), '\n') };
    case 'json':
      return {
        head: '[',
        add: (texts, m, index, json) =>
          texts.push(index === 0 ? '\n' : ',\n', json ?? JSON.stringify(m)),
      };
    case 'csv': {
      const { csvHeader, csvLine } = await import('./csv.js');
      return { head: csvHeader(), add: (texts, m) => texts.push(csvLine(m)) };
    }
    case 'table': {
      const table = (await import('./table.js')).tableRenderer(style);
      return { head: table.header(), add: (texts, m) => texts.push(table.row(m)) };
    }
  }
}

/** One message (`messages get`) in a format: json is pretty-printed, table is a detail view. */
export async function singleMessage(
  format: Format,
  m: Message,
  style: TableStyle,
): Promise<string> {
  switch (format) {
    case 'json':
      return `${JSON.stringify(m, null, 2)}\n`;
    case 'ndjson':
      return `${JSON.stringify(m)}\n`;
    case 'csv': {
      const { csvHeader, csvLine } = await import('./csv.js');
      return csvHeader() + csvLine(m);
    }
    case 'table':
      return (await import('./table.js')).detailView(m, style);
  }
}

/** What a send returned, in a format: the table is a summary line and one line per recipient. */
export async function sendResult(format: Format, result: SendResult): Promise<string> {
  switch (format) {
    case 'json':
      return `${JSON.stringify(result, null, 2)}\n`;
    case 'ndjson':
      return `${JSON.stringify(result)}\n`;
    case 'csv': {
      const { csvHeader, csvLine } = await import('./csv.js');
      return csvHeader() + (result.messages ?? []).map(csvLine).join('');
    }
    case 'table': {
      const price =
        result.estimatedPrice !== undefined ? `, estimated price ${result.estimatedPrice}` : '';
      const lines = [
        `queued ${count(result.valid ?? 0)} of ${count(result.requested ?? 0)} recipients` +
          (result.jobId ? ` (job ${result.jobId}${price})` : ''),
      ];
      for (const m of result.messages ?? []) {
        const number = m.contact?.mobile?.number ?? '';
        lines.push(`  ${m.id}  → ${oneLine(number)}  ${oneLine(m.status ?? '')}`);
      }
      for (const c of result.invalid ?? []) {
        const why = [c.error?.description, c.error?.code && `(${c.error.code})`]
          .filter(Boolean)
          .join(' ');
        lines.push(`  invalid: ${oneLine(c.mobile?.number ?? '')}  ${oneLine(why)}`);
      }
      return `${lines.join('\n')}\n`;
    }
  }
}
