/**
 * JSON bodies parsed as `JSON.parse` parses them, without one string of a large body: a page of
 * 100 messages is ~800 kB, and a string that size is allocated outside V8's young generation,
 * which costs more than decoding and parsing the page's messages one by one.
 */

import { ByteView, type Chunks } from './body.js';

// As `Response.text()` decodes: a BOM dropped, bad sequences replaced.
const utf8 = new TextDecoder();
// Pieces keep a BOM, so one inside the body fails to parse as it does in the whole.
const inside = new TextDecoder('utf-8', { ignoreBOM: true });

/** Bodies from this size on are parsed in pieces; below it one string costs no more. */
export const PIECEWISE_FROM = 64 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const SPACE = 0x20;

/**
 * A body's value and, when it was parsed in pieces, the text of each element of its top-level
 * arrays as the body holds it (`elements.data[i]` is the JSON of `value.data[i]`).
 */
export interface ParsedJson {
  value: unknown;
  elements?: Readonly<Record<string, readonly string[]>>;
}

/** Parses a UTF-8 JSON body; throws `JSON.parse`'s SyntaxError when it is not JSON. */
export function parseJson(body: Uint8Array<ArrayBuffer> | Chunks): unknown {
  return jsonBody(body)().value;
}

/**
 * A body checked to be whole JSON, and what parses it. A large body with a top-level object is
 * only scanned here, so it can wait as bytes until it is wanted, and each call of the function
 * parses it: a value kept by it would be held from an old object, and outlive scavenges. Asked
 * for `elements`, the call keeps each piece's text too (otherwise let go once parsed, for the
 * same reason). Any other body is parsed at once. Throws `JSON.parse`'s SyntaxError when the
 * body is not JSON, and so may the function, for a large body whose structure is whole but
 * whose values are not all JSON.
 */
export function jsonBody(
  body: Uint8Array<ArrayBuffer> | Chunks,
): (elements?: boolean) => ParsedJson {
  const view = new ByteView(body);
  const layout = view.length >= PIECEWISE_FROM ? scan(view) : undefined;
  if (!layout) {
    const parsed = { value: JSON.parse(textOf(view)) as unknown };
    return () => parsed;
  }
  return (elements = false) => build(view, layout, elements) ?? { value: JSON.parse(textOf(view)) };
}

/** A body's text, as `Response.text()` gives it. */
export function textOf(body: Uint8Array<ArrayBuffer> | Chunks | ByteView): string {
  const view = body instanceof ByteView ? body : new ByteView(body);
  return view.text(utf8, 0, view.length);
}

/**
 * A body whose top level is an object, each of its arrays parsed element by element; undefined
 * when the body is anything else or anything is in doubt, for the caller to parse it whole.
 * Exact whatever the scan gets wrong: every piece goes through `JSON.parse`, and valid values
 * between the commas of brackets make a valid array of those values, so a wrong cut leaves a
 * piece that fails to parse rather than a different value.
 */
export function parseInPieces(
  body: Uint8Array<ArrayBuffer> | Chunks,
  elements = true,
): ParsedJson | undefined {
  const view = new ByteView(body);
  const layout = scan(view);
  return layout && build(view, layout, elements);
}

/**
 * `text`, the JSON of `value`, on one line without the space around it; `JSON.stringify(value)`
 * when there is no text or it spans lines (raw line breaks in JSON are only ever spacing).
 */
export function oneLine(text: string | undefined, value: unknown): string {
  if (text === undefined || text.includes('\n') || text.includes('\r')) {
    return JSON.stringify(value);
  }
  return text.trim();
}

/** Where a body's arrays are cut: the rest of the body as text, and each array's commas. */
interface Layout {
  skeleton: string;
  arrays: { key: string; from: number; cuts: number[]; to: number }[];
}

/** The layout of a whole top-level object; undefined when it is anything else or in doubt. */
function scan(view: ByteView): Layout | undefined {
  const keys = new Set<string>();
  const arrays: Layout['arrays'] = [];
  let skeleton = '';
  let copied = 0;
  let i = skipSpace(view, 0);
  if (view.byteAt(i) !== OPEN_OBJECT) return undefined;
  i = skipSpace(view, i + 1);
  while (view.byteAt(i) === QUOTE) {
    const keyEnd = endOf(view, i);
    if (keyEnd < 0) return undefined;
    const key = view.text(inside, i + 1, keyEnd - 1);
    // An escaped key may equal another once unescaped, and the last of equal keys wins.
    if (key.includes('\\')) return undefined;
    if (keys.has(key)) return undefined;
    keys.add(key);
    i = skipSpace(view, keyEnd);
    if (view.byteAt(i) !== COLON) return undefined;
    i = skipSpace(view, i + 1);
    const cuts = view.byteAt(i) === OPEN_ARRAY ? [] : undefined;
    const end = endOf(view, i, cuts);
    if (end < 0) return undefined;
    if (cuts) {
      // The skeleton holds the array empty, its elements parsed apart.
      skeleton += view.text(inside, copied, i + 1);
      copied = end - 1;
      arrays.push({ key, from: i + 1, cuts, to: end - 1 });
    }
    i = skipSpace(view, end);
    if (view.byteAt(i) !== COMMA) break;
    i = skipSpace(view, i + 1);
  }
  if (view.byteAt(i) !== CLOSE_OBJECT || skipSpace(view, i + 1) !== view.length) return undefined;
  skeleton += view.text(inside, copied, view.length);
  return { skeleton, arrays };
}

/**
 * The value of a scanned body, its arrays parsed element by element, and with `keep` each
 * element's text (decoded for parsing anyway); undefined if any fails.
 */
function build(
  view: ByteView,
  { skeleton, arrays }: Layout,
  keep: boolean,
): ParsedJson | undefined {
  try {
    const value = JSON.parse(skeleton) as Record<string, unknown[]>;
    // No prototype: an array keyed `__proto__` is an element list like any other.
    const elements: Record<string, string[]> | undefined = keep ? Object.create(null) : undefined;
    for (const { key, from, cuts, to } of arrays) {
      const array = value[key] as unknown[];
      const texts: string[] | undefined = elements ? [] : undefined;
      if (elements && texts) elements[key] = texts;
      if (cuts.length === 0 && skipSpace(view, from) === to) continue;
      let start = from;
      for (const cut of [...cuts, to]) {
        const text = view.text(inside, start, cut);
        array.push(JSON.parse(text));
        texts?.push(text);
        start = cut + 1;
      }
    }
    return elements ? { value, elements } : { value };
  } catch {
    return undefined;
  }
}

/**
 * The offset just past the value that starts at `start` (-1 when it never ends); for an array,
 * `cuts` gets the offset of each comma between its elements. Strings end at an unescaped quote.
 * Each chunk is scanned in its own loop, a string left open at its end carried to the next.
 */
function endOf(view: ByteView, start: number, cuts?: number[]): number {
  const { chunks, starts } = view;
  let depth = 0;
  let open = false; // inside a string that an earlier chunk began
  let k = view.chunkOf(start);
  let i = start - (starts[k] ?? 0);
  for (; k < chunks.length; k++) {
    const chunk = chunks[k] as Uint8Array;
    const base = starts[k] as number;
    const { length } = chunk;
    if (open) {
      for (; i < length && chunk[i] !== QUOTE; i++) if (chunk[i] === BACKSLASH) i++;
      if (i >= length) {
        i -= length; // 1 when the chunk ended on a backslash: the next byte is escaped
        continue;
      }
      open = false;
      if (depth === 0) return base + i + 1;
      i++;
    }
    for (; i < length; i++) {
      const c = chunk[i] as number;
      if (c === QUOTE) {
        for (i++; i < length && chunk[i] !== QUOTE; i++) if (chunk[i] === BACKSLASH) i++;
        if (i >= length) {
          open = true;
          break;
        }
        if (depth === 0) return base + i + 1;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        depth++;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (depth === 0) return base + i; // a number or literal, ended by its container
        if (--depth === 0) return base + i + 1;
      } else if (c === COMMA || c <= SPACE) {
        if (depth === 0) return base + i;
        if (depth === 1 && c === COMMA) cuts?.push(base + i);
      }
    }
    i = open ? i - length : 0;
  }
  return depth === 0 && !open ? view.length : -1;
}

function skipSpace(view: ByteView, i: number): number {
  let at = i;
  for (let c = view.byteAt(at); c === SPACE || c === 0x0a || c === 0x0d || c === 0x09; ) {
    c = view.byteAt(++at);
  }
  return at;
}
