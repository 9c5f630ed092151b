// JSON and NDJSON exports pass on each message as the server wrote it: the scanner that finds
// each message's bytes in a page (checked against JSON.stringify of random documents), and the
// CLI against a server whose pages are valid JSON written unlike JSON.stringify would.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { dataElements } from '../src/cli/json-scan.js';
import { cleanEnv } from './helpers/cli.js';
import { runCli } from './helpers/cli-in-process.js';

const utf8 = new TextEncoder();
const texts = (bytes: Uint8Array, ranges: [number, number][] | undefined) =>
  ranges?.map(([start, end]) => new TextDecoder().decode(bytes.subarray(start, end)));

describe('dataElements', () => {
  it('finds every element of data, whatever the other keys hold and wherever data is', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.dictionary(
          fc.string().filter((k) => k !== 'data'),
          fc.jsonValue(),
        ),
        fc.boolean(),
        (data, others, first) => {
          const page = first ? { data, ...others } : { ...others, data };
          const bytes = utf8.encode(JSON.stringify(page));
          expect(texts(bytes, dataElements(bytes))).toEqual(data.map((v) => JSON.stringify(v)));
        },
      ),
    );
  });

  it('keeps escapes, spacing and brackets inside strings exactly as written', () => {
    const page = String.raw`{"pagination" : {"offset":0} , "data" : [ {"id":"m1","t":"a \"}]\\"} ,{"id" : "m2","t":"caf\u00e9 ] ["}, 7, "x" ] }`;
    expect(texts(utf8.encode(page), dataElements(utf8.encode(page)))).toEqual([
      String.raw`{"id":"m1","t":"a \"}]\\"}`,
      String.raw`{"id" : "m2","t":"caf\u00e9 ] ["}`,
      '7',
      '"x"',
    ]);
  });

  it('gives nothing for what is not one object with one data array on single lines', () => {
    for (const page of [
      '[{"data":[]}]',
      '{"data":{"id":"m1"}}',
      '{"data":[1],"data":[2]}',
      '{"data":[{"id":\n"m1"}]}',
      '{"success":true}',
      '{"data":[{"id":"m1"}',
    ]) {
      expect(dataElements(utf8.encode(page)), page).toBeUndefined();
    }
    // A line break between elements is fine: each element is still on one line.
    const spread = '\uFEFF{\n  "data": [\n    {"id":"m1"},\n    {"id":"m2"}\n  ]\n}\n';
    expect(texts(utf8.encode(spread), dataElements(utf8.encode(spread)))).toEqual([
      '{"id":"m1"}',
      '{"id":"m2"}',
    ]);
  });
});

describe('sakari messages list passes on the bytes the server sent', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  /** A server that answers every list request with `page`, as bytes. */
  async function serving(page: Uint8Array) {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(page);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return cleanEnv({
      SAKARI_BASE_URL: `http://127.0.0.1:${port}`,
      SAKARI_ACCOUNT_ID: 'acc_1',
      SAKARI_TOKEN: 'tok-sources-test',
    });
  }

  const m1 = String.raw`{"id":"m1", "message":"caf\u00e9 \"ol\u00e9\" }]","outgoing":true}`;
  const m2 = '{ "id" : "m2" , "message" : "日本 😀" }';
  const compact = `{"success":true,"pagination":{"offset":0,"limit":100,"totalCount":2,"hasNext":false},"data":[${m1},${m2}]}`;

  it('as NDJSON, one message a line as written, and as a JSON array that parses', async () => {
    const env = await serving(utf8.encode(compact));
    const lines = await runCli(['messages', 'list', '--all', '--format', 'ndjson'], env);
    expect(lines).toMatchObject({ code: 0, stderr: '' });
    expect(lines.stdout).toBe(`${m1}\n${m2}\n`);
    const array = await runCli(['messages', 'list', '--format', 'json'], env);
    expect(array.stdout).toBe(`[\n${m1},\n${m2}\n]\n`);
    expect(JSON.parse(array.stdout)).toEqual(JSON.parse(compact).data);
  });

  it('serialises the messages of a page written over several lines, one a line', async () => {
    const pretty = JSON.stringify(JSON.parse(compact), null, 2);
    const env = await serving(utf8.encode(pretty));
    const result = await runCli(['messages', 'list', '--all', '--format', 'ndjson'], env);
    expect(result.stdout).toBe(
      `${JSON.parse(compact)
        .data.map((m: unknown) => JSON.stringify(m))
        .join('\n')}\n`,
    );
  });

  it('serialises what the client decoded when the bytes are not UTF-8', async () => {
    const bytes = utf8.encode(compact.replace('日本', 'XX'));
    const at = bytes.indexOf(0x58); // the first X becomes a byte no UTF-8 text holds
    bytes[at] = 0xff;
    const env = await serving(bytes);
    const result = await runCli(['messages', 'list', '--all', '--format', 'ndjson'], env);
    const lines = result.stdout.trim().split('\n');
    expect(lines[1]).toBe(JSON.stringify({ id: 'm2', message: '\uFFFDX 😀' }));
    expect(Buffer.from(result.stdout).includes(0xff)).toBe(false);
  });
});
