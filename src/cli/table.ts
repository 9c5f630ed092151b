// The `table` format: one row per message with fixed columns (so rows can be printed as they
// arrive, before the widest value is known) and the text cut to the terminal width; and the
// detail view of `messages get`.
import type { Message } from '../types.js';
import { pad } from './columns.js';
import { contactName, contactNumber, contactOf, direction } from './contact.js';
import { oneLine, safeText } from './text.js';

const MIN_TEXT = 20;
const GAP = '  ';

interface Column {
  readonly title: string;
  readonly width: number;
  /** Dropped first when the terminal is narrow (higher goes first). */
  readonly drop: number;
  readonly cell: (m: Message) => string;
}

const ARROWS = { out: '→ out', in: '← in', none: '' } as const;

const COLUMNS: readonly Column[] = [
  { title: 'CREATED', width: 16, drop: 0, cell: (m) => localTime(m.created?.at, false) },
  { title: 'DIR', width: 5, drop: 0, cell: (m) => ARROWS[direction(m) ?? 'none'] },
  { title: 'NUMBER', width: 16, drop: 2, cell: contactNumber },
  { title: 'CONTACT', width: 18, drop: 3, cell: contactName },
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
  const fields: [string, string][] = [
    ['id', m.id],
    ['created', m.created?.at ? `${localTime(m.created.at, true)}  (${m.created.at})` : ''],
    ['direction', { out: '→ outgoing', in: '← incoming', none: '' }[direction(m) ?? 'none']],
    [m.outgoing ? 'to' : 'from', [contactNumber(m), contactName(m)].filter(Boolean).join('  ')],
    ['contact id', contactOf(m)?.id ?? ''],
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

/** `2026-11-26 17:58` in the local time zone (`TZ` applies); with seconds when `seconds`. */
function localTime(iso: string | undefined, seconds: boolean): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  const time = `${p(d.getHours())}:${p(d.getMinutes())}${seconds ? `:${p(d.getSeconds())}` : ''}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${time}`;
}
