/**
 * A body as the chunks it arrived in. Joined into one buffer, every page of a walk would be a
 * large block allocated and freed again; the C allocator serves blocks that size from its heap
 * once one has been freed, and the gaps they leave keep a long export's memory high.
 */

/** A body's bytes, in the chunks the fetch implementation gave them. */
export type Chunks = readonly Uint8Array<ArrayBuffer>[];

/** A body given as bytes or as chunks, as chunks. */
export function chunksOf(body: Uint8Array<ArrayBuffer> | Chunks): Chunks {
  return ArrayBuffer.isView(body) ? [body] : body;
}

/** Reads a response's body to its end, as the chunks it arrives in. */
export async function readBody(response: Response): Promise<Chunks> {
  const { body } = response;
  // A fetch implementation whose bodies are not web streams still reads as one buffer.
  if (typeof body?.getReader !== 'function') {
    const bytes = new Uint8Array(await response.arrayBuffer());
    return bytes.byteLength > 0 ? [bytes] : [];
  }
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    if (!ArrayBuffer.isView(value)) throw new TypeError('Received non-Uint8Array chunk');
    if (value.byteLength > 0) chunks.push(value);
  }
}

/** A body's bytes read by offset across its chunks, and any range of them as text. */
export class ByteView {
  readonly chunks: Chunks;
  /** The offset of each chunk's first byte. */
  readonly starts: readonly number[];
  readonly length: number;

  constructor(body: Uint8Array<ArrayBuffer> | Chunks) {
    // Without empty chunks, the byte after a chunk's last is always the next chunk's first.
    const chunks = chunksOf(body);
    this.chunks = chunks.every((chunk) => chunk.byteLength > 0)
      ? chunks
      : chunks.filter((chunk) => chunk.byteLength > 0);
    const starts: number[] = [];
    let length = 0;
    for (const chunk of this.chunks) {
      starts.push(length);
      length += chunk.byteLength;
    }
    this.starts = starts;
    this.length = length;
  }

  /** The index of the chunk that holds byte `at` (the last chunk past the end). */
  chunkOf(at: number): number {
    const { starts } = this;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] as number) <= at) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** The byte at `at`; undefined past the end, as an array's index is. */
  byteAt(at: number): number | undefined {
    if (at < 0 || at >= this.length) return undefined;
    const k = this.chunkOf(at);
    return this.chunks[k]?.[at - (this.starts[k] as number)];
  }

  /** Bytes `from` to `to` decoded by `decoder`; a range across chunks is joined first. */
  text(decoder: TextDecoder, from: number, until: number): string {
    const to = Math.min(until, this.length);
    if (to <= from) return '';
    let k = this.chunkOf(from);
    let at = from - (this.starts[k] as number);
    const first = this.chunks[k] as Uint8Array<ArrayBuffer>;
    if (at + (to - from) <= first.byteLength)
      return decoder.decode(first.subarray(at, at + to - from));
    // Not decoded as a stream: Node's decoder leaves its fast path for good after one.
    const joined = new Uint8Array(to - from);
    for (let filled = 0; filled < joined.length; k++, at = 0) {
      const chunk = this.chunks[k] as Uint8Array<ArrayBuffer>;
      const piece = chunk.subarray(at, at + joined.length - filled);
      joined.set(piece, filled);
      filled += piece.byteLength;
    }
    return decoder.decode(joined);
  }
}

/** A byte stream of a body, each chunk copied only when read: asking for a body costs nothing. */
export function streamOf(chunks: Chunks): ReadableStream<Uint8Array<ArrayBuffer>> {
  let next = 0;
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk) controller.enqueue(chunk.slice());
      if (next >= chunks.length) controller.close();
    },
  });
}
