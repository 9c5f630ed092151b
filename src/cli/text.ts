// Terminal text: how many columns a string takes, how to cut it to a width, and how to make
// text from the network safe to print (no escape sequences, no bidi overrides).

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// C0/C1 controls (ESC starts terminal escape sequences), DEL, and the bidi embedding, override
// and isolate controls that can make a line read differently from what it holds.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching controls is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;

/** One line safe for a terminal: line breaks become spaces, other controls become U+FFFD. */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(UNSAFE, '\ufffd');
}

/** Like `oneLine`, but keeps line breaks (as `\n`) and tabs. */
export function safeText(text: string): string {
  return text
    .replace(LINE_BREAKS, '\n')
    .replace(UNSAFE, (c) => (c === '\n' || c === '\t' ? c : '\ufffd'));
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\u200b-\u200f]+$/u;
const EMOJI_PRESENTATION =
  /\p{Emoji_Presentation}|\p{Extended_Pictographic}\ufe0f|\p{Regional_Indicator}{2}/u;

/** East Asian Wide and Fullwidth ranges (UAX #11), enough for CJK text and fullwidth forms. */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Columns one grapheme takes in a terminal: 0, 1 or 2. */
function graphemeWidth(grapheme: string): number {
  if (grapheme.length === 1) {
    const code = grapheme.charCodeAt(0);
    if (code < 0x300) return 1; // the common case: ASCII and Latin-1
  }
  if (ZERO_WIDTH.test(grapheme)) return 0;
  if (EMOJI_PRESENTATION.test(grapheme)) return 2;
  return isWide(grapheme.codePointAt(0) ?? 0) ? 2 : 1;
}

/** How many terminal columns `text` takes (emoji and CJK count 2, combining marks 0). */
export function displayWidth(text: string): number {
  if (/^[\u0020-\u007e]*$/.test(text)) return text.length;
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** `text` cut to at most `width` columns, ending with `…` when something was cut. Never splits a grapheme. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = graphemeWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/** `text` cut to `width` columns and padded with spaces to exactly that width. */
export function pad(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}

/** `1234567` → `1,234,567`. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
