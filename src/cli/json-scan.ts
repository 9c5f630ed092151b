// Where each element of a JSON document's top-level `data` array lies in its UTF-8 bytes, found
// without parsing: a byte loop that tracks strings and nesting (a quote, backslash or bracket
// byte never occurs inside a multi-byte character), a sixth of what JSON.parse costs a page.
// The bytes are known to be valid JSON: the client parsed them.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
/** `data` as bytes, the key looked for. */
const DATA = [0x64, 0x61, 0x74, 0x61];
const FAILED = -1;

/**
 * The [start, end) byte ranges of the elements of the top-level object's `data` array, in
 * order, each on one line; undefined when the bytes are not such an object, hold `data` twice
 * (a parser keeps the last), or spread an element over lines.
 */
export function dataElements(bytes: Uint8Array): [number, number][] | undefined {
  let i = skipSpace(bytes, bytes[0] === 0xef ? 3 : 0); // past a byte order mark
  if (bytes[i] !== OPEN_BRACE) return undefined;
  let found: [number, number][] | undefined;
  i = skipSpace(bytes, i + 1);
  for (;;) {
    if (bytes[i] !== QUOTE) return undefined;
    const keyEnd = valueEnd(bytes, i, false);
    const isData = keyEnd - i === 6 && DATA.every((byte, k) => bytes[i + 1 + k] === byte);
    i = skipSpace(bytes, keyEnd);
    if (bytes[i] !== COLON) return undefined;
    i = skipSpace(bytes, i + 1);
    if (isData) {
      if (found || bytes[i] !== OPEN_BRACKET) return undefined;
      found = [];
      i = arrayElements(bytes, i, found);
    } else {
      i = valueEnd(bytes, i, false);
    }
    if (i === FAILED) return undefined;
    i = skipSpace(bytes, i);
    if (bytes[i] === CLOSE_BRACE) return found;
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
}

function skipSpace(bytes: Uint8Array, from: number): number {
  let i = from;
  for (let c = bytes[i]; c === 0x20 || c === NEWLINE || c === RETURN || c === 0x09; c = bytes[i]) {
    i++;
  }
  return i;
}

/** The elements of the array opening at `from`, pushed as ranges; the index past its `]`. */
function arrayElements(bytes: Uint8Array, from: number, into: [number, number][]): number {
  let i = skipSpace(bytes, from + 1);
  if (bytes[i] === CLOSE_BRACKET) return i + 1;
  for (;;) {
    const end = valueEnd(bytes, i, true);
    if (end === FAILED) return FAILED;
    into.push([i, end]);
    i = skipSpace(bytes, end);
    if (bytes[i] === CLOSE_BRACKET) return i + 1;
    if (bytes[i] !== COMMA) return FAILED;
    i = skipSpace(bytes, i + 1);
  }
}

/**
 * The index past the value starting at `from`; with `oneLine`, FAILED when a line break lies
 * between its tokens (within a string one cannot: JSON escapes it).
 */
function valueEnd(bytes: Uint8Array, from: number, oneLine: boolean): number {
  const first = bytes[from];
  if (first === QUOTE) return stringEnd(bytes, from);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return containerEnd(bytes, from, oneLine);
  // A number, true, false or null: up to the next delimiter.
  let i = from;
  for (let c = bytes[i]; c !== undefined && c > 0x20 && c !== COMMA; c = bytes[i]) {
    if (c === CLOSE_BRACE || c === CLOSE_BRACKET) break;
    i++;
  }
  return i === from ? FAILED : i;
}

function containerEnd(bytes: Uint8Array, from: number, oneLine: boolean): number {
  const n = bytes.length;
  let depth = 0;
  for (let i = from; i < n; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      // To the closing quote, past escaped characters.
      for (i++; i < n; i++) {
        const inner = bytes[i];
        if (inner === QUOTE) break;
        if (inner === BACKSLASH) i++;
      }
      if (i >= n) return FAILED;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (--depth === 0) return i + 1;
    } else if (oneLine && (c === NEWLINE || c === RETURN)) {
      return FAILED;
    }
  }
  return FAILED;
}

/** The index past the closing quote of the string opening at `from`. */
function stringEnd(bytes: Uint8Array, from: number): number {
  const n = bytes.length;
  for (let i = from + 1; i < n; i++) {
    const c = bytes[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++;
  }
  return FAILED;
}
