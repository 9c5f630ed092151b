// Large JSON bodies parsed in pieces: always JSON.parse's value, key order included, or a
// refusal that sends the body to JSON.parse whole.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { jsonBody, oneLine, PIECEWISE_FROM, parseInPieces, parseJson } from '../src/json.js';
import { SAKARI_DOCUMENT_SHAPES } from '../src/sandbox/index.js';
import { tokenFor, useSandboxes } from './helpers/sandbox.js';

const encoder = new TextEncoder();
const bytesOf = (text: string) => encoder.encode(text);

/** The value and its key order, so two parses compare exactly. */
function expectSameParse(actual: unknown, text: string): void {
  const expected = JSON.parse(text);
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

function sameParse(actual: unknown, text: string): boolean {
  return JSON.stringify(actual) === JSON.stringify(JSON.parse(text));
}

/** Whitespace JSON allows between tokens, inserted at random by the arbitraries below. */
const space = fc.constantFrom('', ' ', '\n', '\t', '\r\n  ');

/** An object with arrays in it, written with any indentation, and whether a key has an escape. */
const document = fc
  .tuple(
    fc.dictionary(
      fc.string(),
      fc.oneof(fc.array(fc.jsonValue(), { maxLength: 8 }), fc.jsonValue()),
      { maxKeys: 6 },
    ),
    fc.constantFrom(undefined, 0, 1, 2, '\t'),
  )
  .map(([value, indent]) => ({
    text: JSON.stringify(value, null, indent),
    escapedKey: Object.keys(value).some((key) => JSON.stringify(key).includes('\\')),
  }));

describe('parseInPieces', () => {
  it("gives JSON.parse's value for any object, and takes every one whose keys have no escape", () => {
    fc.assert(
      fc.property(document, ({ text, escapedKey }) => {
        const parsed = parseInPieces(bytesOf(text))?.value;
        if (escapedKey) expect(parsed === undefined || sameParse(parsed, text)).toBe(true);
        else expectSameParse(parsed, text);
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts what JSON.parse refuses, however a body is cut, patched or padded', () => {
    const edit = fc.tuple(
      fc.nat(),
      fc.nat({ max: 3 }),
      fc.constantFrom('', ',', '[', ']', '{', '}', '"', '\\', ':', ' ', '1', '\uFEFF', 'é'),
    );
    fc.assert(
      fc.property(document, edit, space, ({ text }, [at, removed, inserted], pad) => {
        const where = at % (text.length + 1);
        const edited = pad + text.slice(0, where) + inserted + text.slice(where + removed) + pad;
        const parsed = parseInPieces(bytesOf(edited))?.value;
        let valid = true;
        try {
          JSON.parse(edited);
        } catch {
          valid = false;
        }
        if (!valid) expect(parsed).toBeUndefined();
        else if (parsed !== undefined) expectSameParse(parsed, edited);
      }),
      { numRuns: 5000 },
    );
  });

  it('leaves to JSON.parse the bodies where equal keys could hide', () => {
    for (const text of [
      '{"data":[1,2],"data":[]}',
      '{"data":[1,2],"d\\u0061ta":[3]}',
      '{"a\\"b":[1]}',
      '[1,2,3]',
      '"text"',
    ]) {
      expect(parseInPieces(bytesOf(text)), text).toBeUndefined();
    }
  });

  it('keeps structure inside strings out of the cuts', () => {
    const text =
      '{ "data" : [ "a,b", "]", "[", "\\"", "\\\\", {"x":"},{"}, [1,[2,3]], null ] , "z":{"q":[1,2]} }';
    expectSameParse(parseInPieces(bytesOf(text))?.value, text);
  });

  it('parses an empty array, an own __proto__ key and a leading BOM as JSON.parse and fetch do', () => {
    const empty = parseInPieces(bytesOf('{"data":[ ],"b":[]}'));
    expectSameParse(empty?.value, '{"data":[ ],"b":[]}');
    expect({ ...empty?.elements }).toEqual({ data: [], b: [] });
    const proto = parseInPieces(bytesOf('{"__proto__":[1,2]}'));
    expect(Object.getPrototypeOf(proto?.value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(proto?.value, '__proto__')?.value).toEqual([1, 2]);
    expect(Object.getOwnPropertyDescriptor(proto?.elements, '__proto__')?.value).toEqual([
      '1',
      '2',
    ]);
    // A BOM opens the body: fetch drops it; one anywhere else is not JSON.
    expect(parseJson(bytesOf('\uFEFF{"a":[1]}'))).toEqual({ a: [1] });
    expect(parseInPieces(bytesOf('{"a":[1,\uFEFF2]}'))).toBeUndefined();
  });
});

/** `bytes` cut at the given offsets (any order, repeats and empty chunks allowed). */
function cutAt(bytes: Uint8Array<ArrayBuffer>, offsets: number[]): Uint8Array<ArrayBuffer>[] {
  const points = [...new Set(offsets.map((at) => at % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let from = 0;
  for (const to of [...points, bytes.length]) {
    chunks.push(bytes.slice(from, to));
    from = to;
  }
  return chunks;
}

/** Text with what a chunk's edge can split: multi-byte characters, escapes, strings, brackets. */
const awkward = fc
  .tuple(
    fc.array(
      fc.record({
        t: fc.string({ unit: fc.constantFrom('é', '€', '😀', '\\', '"', ',', ']', '}', 'a', ' ') }),
        n: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
        x: fc.array(fc.jsonValue(), { maxLength: 3 }),
      }),
      { maxLength: 8 },
    ),
    fc.constantFrom(undefined, 1),
  )
  .map(([data, indent]) => JSON.stringify({ data, done: true }, null, indent));

describe('a body in chunks', () => {
  it('parses as the same bytes in one piece, wherever the chunks are cut', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          awkward,
          document.map((d) => d.text),
        ),
        fc.array(fc.nat(), { maxLength: 12 }),
        (text, offsets) => {
          const bytes = bytesOf(text);
          const chunks = cutAt(bytes, offsets);
          expect(parseInPieces(chunks)).toStrictEqual(parseInPieces(bytes));
          expectSameParse(parseJson(chunks), text);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses in chunks what it refuses whole, however the body is cut or patched', () => {
    const edit = fc.tuple(
      fc.nat(),
      fc.nat({ max: 3 }),
      fc.constantFrom('', '"', '\\', ']', '}', ','),
    );
    fc.assert(
      fc.property(
        awkward,
        edit,
        fc.array(fc.nat(), { maxLength: 12 }),
        (text, [at, removed, inserted], offsets) => {
          const where = at % (text.length + 1);
          const bytes = bytesOf(text.slice(0, where) + inserted + text.slice(where + removed));
          expect(parseInPieces(cutAt(bytes, offsets))).toStrictEqual(parseInPieces(bytes));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('ends a string whose escaping backslash is the last byte of a chunk', () => {
    const text = '{"data":["a\\"b",1]}';
    const bytes = bytesOf(text);
    const backslash = text.indexOf('\\');
    // The backslash ends a chunk; an empty chunk between it and the quote it escapes.
    const chunks = [bytes.slice(0, backslash + 1), bytes.slice(0, 0), bytes.slice(backslash + 1)];
    expect(parseInPieces(chunks)?.elements?.data).toEqual(['"a\\"b"', '1']);
  });

  it('decodes a character split between chunks as one', () => {
    const bytes = bytesOf('{"data":["😀é"]}');
    const start = bytes.indexOf(0xf0);
    const chunks = [
      bytes.slice(0, start + 1),
      bytes.slice(start + 1, start + 3),
      bytes.slice(start + 3),
    ];
    expect(parseInPieces(chunks)?.value).toEqual({ data: ['😀é'] });
    expect(parseJson(chunks)).toEqual({ data: ['😀é'] });
  });
});

describe('element texts', () => {
  it("gives each array element's text: JSON of that element, exactly the body's when compact", () => {
    fc.assert(
      fc.property(document, ({ text, escapedKey }) => {
        fc.pre(!escapedKey);
        const parsed = parseInPieces(bytesOf(text));
        const value = parsed?.value as Record<string, unknown>;
        const compact = !text.includes('\n');
        for (const [key, texts] of Object.entries(parsed?.elements ?? {})) {
          const array = value[key] as unknown[];
          expect(texts).toHaveLength(array.length);
          texts.forEach((element, i) => {
            expect(JSON.parse(element)).toStrictEqual(array[i]);
            if (compact) expect(element).toBe(JSON.stringify(array[i]));
            expect(oneLine(element, array[i])).not.toMatch(/^\s|\s$|[\r\n]/);
          });
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the escapes and spacing the body was written with', () => {
    const text = '{"data":[ {"t":"\\u00e9\\/"} ,{"t":"é/"}]}';
    expect(parseInPieces(bytesOf(text))?.elements?.data).toEqual([
      ' {"t":"\\u00e9\\/"} ',
      '{"t":"é/"}',
    ]);
  });

  it('puts an element on one line: its own text trimmed, or JSON.stringify when it spans lines', () => {
    const value = { t: 'a\nb' };
    expect(oneLine(' {"t":"a\\nb"}\t', value)).toBe('{"t":"a\\nb"}');
    expect(oneLine('{\n  "t": "a\\nb"\n}', value)).toBe(JSON.stringify(value));
    expect(oneLine('{\r"t":"a\\nb"}', value)).toBe(JSON.stringify(value));
    expect(oneLine(undefined, value)).toBe(JSON.stringify(value));
  });
});

describe('parseJson', () => {
  const startSandbox = useSandboxes();

  it.each([
    ['our shapes', undefined],
    [
      "Sakari's document's shapes, id-less messages among them",
      { ...SAKARI_DOCUMENT_SHAPES, idlessEvery: 7 },
    ],
  ])("parses a sandbox page in %s in pieces into JSON.parse's value", async (_, shapes) => {
    const sandbox = await startSandbox({ messages: 150, ...(shapes ? { shapes } : {}) });
    const response = await fetch(
      `${sandbox.url}/v1/accounts/${sandbox.accountId}/messages?limit=100&offset=0`,
      { headers: { authorization: `Bearer ${await tokenFor(sandbox)}` } },
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.byteLength).toBeGreaterThanOrEqual(PIECEWISE_FROM);
    const text = new TextDecoder().decode(bytes);
    const pieces = parseInPieces(bytes)?.value as { data: unknown[] };
    expect(pieces.data).toHaveLength(100);
    if (shapes) {
      expect(text).not.toContain('"hasNext"');
      expect(pieces.data.some((m) => (m as { id?: string }).id === undefined)).toBe(true);
    }
    expectSameParse(pieces, text);
    expectSameParse(parseJson(bytes), text);
  });

  it("throws JSON.parse's SyntaxError for a large body cut anywhere", () => {
    const items = Array.from({ length: 2000 }, (_, i) => ({ id: `m${i}`, text: 'é, "ok" [1]' }));
    const text = JSON.stringify({ success: true, data: items, pagination: { hasNext: false } });
    const bytes = bytesOf(text);
    expect(bytes.byteLength).toBeGreaterThanOrEqual(PIECEWISE_FROM);
    expectSameParse(parseJson(bytes), text);
    for (let cut = 1; cut < bytes.byteLength; cut += 997) {
      expect(() => parseJson(bytes.subarray(0, cut)), `cut at ${cut}`).toThrow(SyntaxError);
    }
  });
});

describe('jsonBody', () => {
  const items = Array.from({ length: 2000 }, (_, i) => ({ id: `m${i}`, text: 'é, "ok" [1]' }));
  const text = JSON.stringify({ success: true, data: items, pagination: { hasNext: false } });
  const bytes = bytesOf(text);

  it('checks a large body whole at once and parses it when called, each call anew', () => {
    expect(bytes.byteLength).toBeGreaterThanOrEqual(PIECEWISE_FROM);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const read = jsonBody(bytes);
      expect(parse).not.toHaveBeenCalled();
      const { value, elements } = read(true);
      expect(parse).toHaveBeenCalledTimes(items.length + 1); // the messages and the rest
      expectSameParse(value, text);
      expect(elements?.data).toEqual(items.map((item) => JSON.stringify(item)));
      const again = read();
      expect(again.value).not.toBe(value);
      expectSameParse(again.value, text);
      expect(again.elements).toBeUndefined(); // texts are kept only when asked for
    } finally {
      parse.mockRestore();
    }
  });

  it('throws at once for a large body cut anywhere, and for any body that is not JSON', () => {
    for (let cut = 1; cut < bytes.byteLength; cut += 997) {
      expect(() => jsonBody(bytes.subarray(0, cut)), `cut at ${cut}`).toThrow(SyntaxError);
    }
    expect(() => jsonBody(bytesOf('{"data":[tru]}'))).toThrow(SyntaxError);
    expect(() => jsonBody(bytesOf(`[${text}`))).toThrow(SyntaxError);
  });

  it('leaves to the call a large body whole in structure whose values are not JSON', () => {
    const broken = bytesOf(text.replace('"m1000"', 'tru'));
    const read = jsonBody(broken);
    expect(read).toThrow(SyntaxError);
    expect(read).toThrow(/tru|token/);
  });

  it('parses a small body at once and gives that value on every call', () => {
    const read = jsonBody(bytesOf('{"a":[1,2]}'));
    expect(read()).toEqual({ value: { a: [1, 2] } });
    expect(read().value).toBe(read().value);
  });
});
