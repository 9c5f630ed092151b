// A body read as the chunks it arrived in: all of its bytes, in order, readable by offset and
// as text across the chunks' edges, and handed on through SakariResponse as any body is.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ByteView, readBody, streamOf } from '../src/body.js';
import { createSakariClient } from '../src/client.js';
import { PIECEWISE_FROM } from '../src/json.js';
import { SakariResponse } from '../src/response.js';
import { message } from './helpers/observed-fetch.js';

const encoder = new TextEncoder();
const utf8 = new TextDecoder();

/** A response whose body arrives as exactly these chunks. */
function answerOf(chunks: unknown[]): Response {
  const body = new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(body as ReadableStream<Uint8Array>);
}

describe('readBody', () => {
  it('keeps the chunks as they came, in order, without the empty ones', async () => {
    const chunks = [encoder.encode('{"a":'), new Uint8Array(0), encoder.encode('[1,2]}')];
    const read = await readBody(answerOf(chunks));
    expect(read).toHaveLength(2);
    expect(read[0]).toBe(chunks[0]);
    expect(read[1]).toBe(chunks[2]);
    expect(await readBody(new Response(null))).toEqual([]);
  });

  it('refuses a chunk that is not bytes, as fetch does', async () => {
    await expect(readBody(answerOf(['text']))).rejects.toThrow(
      new TypeError('Received non-Uint8Array chunk'),
    );
  });

  it('reads a body that is not a web stream as one buffer', async () => {
    const answer = {
      body: { pipe() {} },
      arrayBuffer: async () => encoder.encode('{"a":1}').buffer,
    } as unknown as Response;
    const read = await readBody(answer);
    expect(read.map((chunk) => utf8.decode(chunk))).toEqual(['{"a":1}']);
  });
});

describe('ByteView', () => {
  const text = 'ab€😀cd';
  const bytes = encoder.encode(text);
  // Every way to cut the bytes in three, split characters included.
  const cuts: [number, number][] = [];
  for (let a = 0; a <= bytes.length; a++) for (let b = a; b <= bytes.length; b++) cuts.push([a, b]);

  it('reads each byte and each range across any cut of the chunks', () => {
    const whole = new ByteView(bytes);
    for (const [a, b] of cuts) {
      const view = new ByteView([bytes.slice(0, a), bytes.slice(a, b), bytes.slice(b)]);
      expect(view.length).toBe(bytes.length);
      for (let at = -1; at <= bytes.length; at++) expect(view.byteAt(at)).toBe(bytes[at]);
      for (let from = 0; from <= bytes.length; from++) {
        for (let to = from; to <= bytes.length; to++) {
          expect(view.text(new TextDecoder(), from, to)).toBe(
            whole.text(new TextDecoder(), from, to),
          );
        }
      }
    }
  });
});

describe('streamOf', () => {
  it('streams copies of the chunks, in order, and ends', async () => {
    const chunks = [encoder.encode('ab'), encoder.encode('c')];
    const reader = streamOf(chunks).getReader();
    const first = await reader.read();
    expect(first.value).toEqual(chunks[0]);
    expect(first.value).not.toBe(chunks[0]);
    expect((await reader.read()).value).toEqual(chunks[1]);
    expect((await reader.read()).done).toBe(true);
  });
});

describe('SakariResponse over chunks', () => {
  const chunks = () => [
    encoder.encode('{"t":"'),
    encoder.encode('é').slice(0, 1),
    encoder.encode('é').slice(1),
    encoder.encode('"}'),
  ];

  it('reads as every form of body, its length the sum of the chunks', async () => {
    const from = new Response(null, { status: 200, headers: { 'content-length': '999' } });
    const response = new SakariResponse(chunks(), from, 'https://x.test/', 1);
    expect(response.headers.get('content-length')).toBe('10');
    const copy = response.clone();
    expect(await response.text()).toBe('{"t":"é"}');
    expect(new Uint8Array(await copy.arrayBuffer())).toEqual(encoder.encode('{"t":"é"}'));
    const streamed = new SakariResponse(chunks(), from, 'https://x.test/', 1);
    expect(await new Response(streamed.body).json()).toEqual({ t: 'é' });
    expect(new SakariResponse([], from, 'https://x.test/', 1).body).toBeNull();
  });
});

describe('a compressed page over a socket, in small pieces', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('arrives whole: every message, the decoded length, no encoding left', async () => {
    // Multi-byte text and escapes that compress poorly, so that the inflated chunks are many
    // and cut through characters and escapes somewhere.
    const alphabet = ['é', '😀', 'ß', '"', '\\', 'a', 'Z', '7', '€', ' '];
    let seed = 1;
    const noise = (n: number) =>
      Array.from({ length: n }, () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return alphabet[seed % alphabet.length];
      }).join('');
    const data = Array.from({ length: 100 }, (_, i) => ({
      ...message(`m${i}`),
      message: noise(400),
    }));
    const page = { success: true, data, pagination: { totalCount: 100, hasNext: false } };
    const text = JSON.stringify(page);
    expect(Buffer.byteLength(text)).toBeGreaterThan(PIECEWISE_FROM);
    const compressed = gzipSync(text);
    const server = createServer(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      for (let at = 0; at < compressed.length; at += 500) {
        response.write(compressed.subarray(at, at + 500));
        await new Promise((resolve) => setImmediate(resolve));
      }
      response.end();
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const lengths: (string | null)[] = [];
    let chunks = 0;
    const sakari = createSakariClient({
      baseUrl: `http://127.0.0.1:${port}`,
      accountId: 'acc_1',
      auth: { token: 'tok' },
      // Counts the chunks the body arrives in, passing them on as they are.
      fetch: async (input, init) => {
        const answer = await fetch(input, init);
        const counted = new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            chunks++;
            controller.enqueue(chunk);
          },
        });
        return new Response(answer.body?.pipeThrough(counted) ?? null, answer);
      },
      onResponse: ({ response }) => {
        lengths.push(
          response.headers.get('content-length'),
          response.headers.get('content-encoding'),
        );
      },
    });
    const listed = await sakari.messages.list({ limit: 100 });
    expect(listed).toEqual(page);
    expect(lengths).toEqual([String(Buffer.byteLength(text)), null]);
    expect(chunks).toBeGreaterThan(10);
    const walked = [];
    for await (const m of sakari.messages.iterate({}, { concurrency: 2 })) walked.push(m);
    expect(walked).toEqual(data);
  });
});
