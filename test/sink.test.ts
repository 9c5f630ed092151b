// The sink writes each batch as one buffer; a stream that keeps what it is given must get
// bytes that later batches never write over.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Sink } from '../src/cli/sink.js';

describe('Sink.writeAll', () => {
  it('gives a stream that keeps its chunks bytes of their own, batch after batch', async () => {
    const stream = new PassThrough();
    const kept: Buffer[] = [];
    // Kept as given, without a copy, as a reader may do.
    stream.on('data', (chunk: Buffer) => kept.push(chunk));
    const sink = new Sink(stream);
    await sink.writeAll(['[', '\n{"id":"m1"}', ',\n', '{"id":"m2"}']);
    await sink.writeAll(['\n]\n']);
    await sink.writeAll(['café 😀\n']);
    expect(Buffer.concat(kept).toString('utf8')).toBe('[\n{"id":"m1"},\n{"id":"m2"}\n]\ncafé 😀\n');
  });
});
