// Terminal columns, checked against widths written down by hand from Unicode's East Asian Width
// property (UAX #11) and the emoji presentation rules terminals follow, not against the function
// under test.
import { describe, expect, it } from 'vitest';
import { displayWidth, pad, truncate } from '../src/cli/columns.js';

// [text, columns, why]
const KNOWN: readonly [string, number, string][] = [
  ['', 0, 'empty'],
  ['abc', 3, 'ASCII: narrow'],
  ['Schäfer', 7, 'Latin-1: narrow'],
  ['e\u0301', 1, 'e + combining acute: the mark takes no column'],
  ['日本語', 6, 'CJK ideographs: wide (W)'],
  ['予約', 4, 'CJK ideographs: wide (W)'],
  ['한국어', 6, 'Hangul syllables: wide (W)'],
  ['ｱｲｳ', 3, 'halfwidth katakana: narrow (H)'],
  ['ＡＢ', 4, 'fullwidth Latin: wide (F)'],
  ['👍', 2, 'emoji with emoji presentation: wide'],
  ['🚚💨', 4, 'two emoji'],
  ['✅', 2, 'U+2705 has emoji presentation: wide'],
  ['☺', 1, 'U+263A alone is text presentation: narrow'],
  ['☺\ufe0f', 2, 'U+263A + VS16 asks for emoji presentation: wide'],
  ['👨\u200d👩\u200d👧', 2, 'a ZWJ family is one glyph'],
  ['🇯🇵', 2, 'a flag (two regional indicators) is one glyph'],
  ['👍🏽', 2, 'emoji + skin tone modifier is one glyph'],
  ['\u200b', 0, 'zero width space'],
  ['Hi 👋 日本', 10, 'mixed: 2 + 1 + 2 + 1 + 4'],
];

describe('terminal columns', () => {
  it.each(KNOWN)('%j takes %i columns (%s)', (text, columns) => {
    expect(displayWidth(text)).toBe(columns);
  });

  it('cuts to a width without splitting a character, and pads to exactly it', () => {
    // Hand-counted: 日本 is 4 columns, so 5 columns hold 日本 and the ellipsis.
    expect(truncate('日本語テキスト', 5)).toBe('日本…');
    expect(truncate('👨\u200d👩\u200d👧 family', 3)).toBe('👨\u200d👩\u200d👧…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
    expect(truncate('abc', 0)).toBe('');
    expect(pad('日本', 6)).toBe('日本  ');
    expect(pad('日本語テキスト', 6)).toBe('日本…'.concat(' '));
  });
});
