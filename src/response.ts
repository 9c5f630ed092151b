/**
 * The transport's answer: a `Response` whose body was read in full by the transport (to retry a
 * body cut short) and is handed on whole. The bytes become a stream only when someone asks for
 * one: a byte stream costs more to set up than a small API call costs in all.
 */

import { type Chunks, chunksOf, streamOf } from './body.js';
import { type ParsedJson, PIECEWISE_FROM } from './json.js';

const UNUSABLE = 'Body is unusable: Body has already been read';
/** Statuses whose answer has no body. */
export const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A `Response` with the URL it answered and the attempts it took. Its body reads as JSON, text,
 * bytes or a stream, once, as fetch's own do; a 2xx JSON body was checked by the transport, and
 * `json()` takes its value from that check (parsed then, or for a page of a walk parsed now)
 * rather than decoding the bytes again.
 */
export class SakariResponse extends Response {
  readonly #url: string;
  readonly #attempts: number;
  /** The body's chunks; let go once `json()` has taken a large body's value. */
  #chunks: Chunks | null;
  readonly #size: number;
  readonly #json: ((elements?: boolean) => ParsedJson) | undefined;
  /** The body as an ordinary Response, made when something other than `json()` reads it. */
  #plain: Response | undefined;
  #used = false;
  /** A clone reads the same chunks: then they are never released. */
  #shared = false;

  /**
   * Built by the transport from the answer `from`, the body it read (its bytes, or the chunks
   * they arrived in), and `json` when that body is JSON: what gives its value; callers only
   * read these answers.
   */
  constructor(
    body: Uint8Array<ArrayBuffer> | Chunks,
    from: Response,
    url: string,
    attempts: number,
    json?: (elements?: boolean) => ParsedJson,
  ) {
    super(null, { status: from.status, statusText: from.statusText, headers: from.headers });
    // The bytes are what the fetch implementation decoded: their length, and no encoding.
    const chunks = chunksOf(body);
    const size = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    const { headers } = this;
    const length = String(size);
    if (headers.get('content-length') !== length) headers.set('content-length', length);
    if (headers.has('content-encoding')) headers.delete('content-encoding');
    if (headers.has('transfer-encoding')) headers.delete('transfer-encoding');
    this.#chunks = size === 0 || NULL_BODY.has(from.status) ? null : chunks;
    this.#size = this.#chunks ? size : 0;
    this.#json = json;
    this.#url = url;
    this.#attempts = attempts;
  }

  override get url(): string {
    return this.#url;
  }

  /** How many attempts produced this answer (1 when it came first time). */
  get attempts(): number {
    return this.#attempts;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.#size > 0 ? this.#read().body : null;
  }

  override get bodyUsed(): boolean {
    return this.#used || this.#plain?.bodyUsed === true;
  }

  override json(): Promise<unknown> {
    return this.#take(false)?.then((parsed) => parsed.value) ?? this.#read().json();
  }

  /**
   * What `json()` gives, with the JSON text of each element of the body's top-level arrays as
   * the server sent it where the transport parsed a large body in pieces (`elements.data[i]`
   * is the text of `value.data[i]`); without `elements` otherwise. Reads the body as `json()`.
   */
  jsonWithElements(): Promise<ParsedJson> {
    return (
      this.#take(true) ??
      this.#read()
        .json()
        .then((value: unknown) => ({ value }))
    );
  }

  override text(): Promise<string> {
    return this.#read().text();
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#read().arrayBuffer();
  }

  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#read().bytes();
  }

  override blob(): Promise<Blob> {
    return this.#read().blob();
  }

  override formData(): Promise<FormData> {
    return this.#read().formData();
  }

  override clone(): SakariResponse {
    if (this.bodyUsed) throw new TypeError(UNUSABLE);
    const copy = new SakariResponse(this.#chunks ?? [], this, this.url, this.attempts, this.#json);
    this.#shared = true;
    copy.#shared = true;
    return copy;
  }

  /** The value the transport's check gives, taken once; undefined when the body must be read anew. */
  #take(elements: boolean): Promise<ParsedJson> | undefined {
    if (this.#json === undefined || this.bodyUsed || this.#plain?.body?.locked) return undefined;
    this.#used = true;
    this.#plain?.body?.cancel().catch(() => {}); // a stream asked for and never read
    try {
      const parsed = this.#json(elements);
      this.#release();
      return Promise.resolve(parsed);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Frees the chunks of a large body once `json()` has taken their value: the answer to a page
   * fetched ahead is old by the time it is read, and its chunks would otherwise stay until a
   * full collection. A transfer detaches each chunk that has its buffer to itself.
   */
  #release(): void {
    const chunks = this.#chunks;
    if (!chunks || this.#size < PIECEWISE_FROM || this.#shared) return;
    this.#chunks = null;
    const buffers = new Set<ArrayBuffer>();
    for (const { buffer, byteOffset, byteLength } of chunks) {
      if (byteOffset === 0 && byteLength === buffer.byteLength) buffers.add(buffer);
    }
    try {
      structuredClone([...buffers], { transfer: [...buffers] });
    } catch {
      // A buffer that cannot be transferred (shared) is freed by the collector instead.
    }
  }

  /** The body as a plain Response, disturbed already when `json()` has taken it. */
  #read(): Response {
    if (!this.#plain) {
      const body = this.#size > 0 ? streamOf(this.#chunks ?? []) : null;
      this.#plain = new Response(body, { headers: this.headers });
      if (this.#used) void this.#plain.body?.cancel();
    }
    return this.#plain;
  }
}
