// The JSON text each listed message came as, so that NDJSON and JSON output pass the server's
// own bytes on instead of serialising every message again (which, with encoding it, would cost
// more than the rest of an export). The client's `onResponse` is told of each page, bytes and
// parsed body, before its messages reach the writer; they are kept by the message object.
import { isUtf8 } from 'node:buffer';
import type { ResponseInfo } from '../transport.js';
import type { Message } from '../types.js';
import { dataElements } from './json-scan.js';

/** The bytes each message of the pages seen so far was sent as. */
export class MessageSources {
  readonly #texts = new WeakMap<object, Uint8Array>();

  /** For the client's `onResponse`: reads the messages of a list page. */
  readonly onResponse = ({ body, bytes, status }: ResponseInfo): void => {
    const data = (body as { data?: unknown } | undefined)?.data;
    if (status !== 200 || !Array.isArray(data) || data.length === 0) return;
    // A text that does not decode as UTF-8 was parsed with replacement characters: not kept.
    if (!isUtf8(bytes)) return;
    // Each on one line, as a line of NDJSON holds one message.
    const ranges = dataElements(bytes);
    if (ranges?.length !== data.length) return;
    ranges.forEach(([start, end], i) => {
      const message: unknown = data[i];
      if (message && typeof message === 'object') {
        this.#texts.set(message, bytes.subarray(start, end));
      }
    });
  };

  /** The bytes `message` came as, on one line; undefined when they are not known. */
  of(message: Message): Uint8Array | undefined {
    return this.#texts.get(message);
  }
}
