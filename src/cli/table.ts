// The `table` format: one row per message with fixed columns (so rows can be printed as they
// arrive, before the widest value is known) and the text cut to the terminal width; and the
// detail view of `messages get`.
import type { Message } from '../types.js';
import { oneLine, pad, safeText } from './text.js';

/** Width assumed when the output is not a terminal and `COLUMNS` is not set. */
export const DEFAULT_WIDTH = 120;
const MIN_TEXT = 20;
const GAP = '  ';

interface Column {
  readonly title: string;
  readonly width: number;
  /** Dropped first when the terminal is narrow (higher goes first). */
  readonly drop: number;
  readonly cell: (m: Message) => string;
}

const COLUMNS: readonly Column[] = [
  { title: 'CREATED', width: 16, drop: 0, cell: (m) => localTime(m.created?.at, false) },
  { title: 'DIR', width: 5, drop: 0, cell: direction },
  { title: 'NUMBER', width: 16, drop: 2, cell: (m) => numberOf(m) },
  { title: 'CONTACT', width: 18, drop: 3, cell: (m) => nameOf(m) },
  { title: 'STATUS', width: 11, drop: 1, cell: (m) => m.status ?? '' },
];

/** The columns that fit in `width`, and the width left for the text. */
function layout(width: number): { columns: Column[]; text: number } {
  let columns = [...COLUMNS];
  // One column short of the width: a row that fills it wraps on some terminals.
  const textWidth = () => width - columns.reduce((sum, c) => sum + c.width + GAP.length, 0) - 1;
  const byDrop = [...COLUMNS].filter((c) => c.drop > 0).sort((a, b) => b.drop - a.drop);
  for (const column of byDrop) {
    if (textWidth() >= MIN_TEXT) break;
    columns = columns.filter((c) => c !== column);
  }
  return { columns, text: Math.max(MIN_TEXT, textWidth()) };
}

export interface TableStyle {
  /** Total width of a row, in terminal columns. */
  readonly width: number;
  /** Whether to use ANSI styles (bold header). */
  readonly color: boolean;
}

/** Renders rows for one table; the header first. */
export function tableRenderer(style: TableStyle): {
  header(): string;
  row(m: Message): string;
} {
  const { columns, text } = layout(style.width);
  return {
    header() {
      const line = [...columns.map((c) => pad(c.title, c.width)), 'TEXT'].join(GAP);
      return `${style.color ? `\x1b[1m${line}\x1b[22m` : line}\n`;
    },
    row(m) {
      const cells = columns.map((c) => pad(oneLine(c.cell(m)), c.width));
      return `${[...cells, pad(oneLine(m.message ?? ''), text).trimEnd()].join(GAP)}\n`;
    },
  };
}

/** `messages get`: one field per line, the text in full. */
export function detailView(m: Message, style: TableStyle): string {
  const contact = m.contact ?? m.conversation?.contact;
  const fields: [string, string][] = [
    ['id', m.id],
    ['created', m.created?.at ? `${localTime(m.created.at, true)}  (${m.created.at})` : ''],
    ['direction', m.outgoing === undefined ? '' : m.outgoing ? '→ outgoing' : '← incoming'],
    [m.outgoing ? 'to' : 'from', [numberOf(m), nameOf(m)].filter(Boolean).join('  ')],
    ['contact id', contact?.id ?? ''],
    [m.outgoing ? 'from number' : 'to number', m.phoneNumber ?? ''],
    ['conversation', m.conversation?.id ?? ''],
    ['status', [m.status, m.error?.code, m.error?.description].filter(Boolean).join('  ')],
    ['type', m.type ?? ''],
    ['segments', m.segments === undefined ? '' : String(m.segments)],
    ['price', m.price === undefined ? '' : String(m.price)],
    ['media', (m.media ?? []).map((x) => x.url ?? '').join('\n')],
    ['text', m.message ?? ''],
  ];
  const labelWidth = Math.max(...fields.map(([label]) => label.length));
  const lines: string[] = [];
  for (const [label, value] of fields) {
    if (value === '') continue;
    const title = label.padEnd(labelWidth);
    const [first = '', ...rest] = safeText(value).split('\n');
    lines.push(`${style.color ? `\x1b[1m${title}\x1b[22m` : title}  ${first}`);
    for (const more of rest) lines.push(`${' '.repeat(labelWidth)}  ${more}`);
  }
  return `${lines.join('\n')}\n`;
}

function direction(m: Message): string {
  if (m.outgoing === undefined) return '';
  return m.outgoing ? '→ out' : '← in';
}

/** The other party's number: the contact's (the account's own number is `phoneNumber`). */
function numberOf(m: Message): string {
  return m.contact?.mobile?.number ?? m.conversation?.contact?.mobile?.number ?? '';
}

function nameOf(m: Message): string {
  const c = m.contact ?? m.conversation?.contact;
  if (!c) return '';
  return [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || '';
}

/** `2026-11-26 17:58` in the local time zone (`TZ` applies); with seconds when `seconds`. */
function localTime(iso: string | undefined, seconds: boolean): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  const time = `${p(d.getHours())}:${p(d.getMinutes())}${seconds ? `:${p(d.getSeconds())}` : ''}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${time}`;
}
