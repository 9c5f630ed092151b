// Text for people: lines from the network made safe to print (no escape sequences, no bidi
// overrides), and numbers as people read them.

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

/** `1234567` → `1,234,567`. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `3, 'retry'` → `3 retries`; `1 message`, `2 messages`. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}
