// The `csv` format: a message flattened to one record, quoted per RFC 4180 by csv-stringify.
import { stringify } from 'csv-stringify/sync';
import type { Message } from '../types.js';
import { contactName, contactNumber, contactOf, direction } from './contact.js';

/** The header row, in column order. */
export const CSV_COLUMNS = [
  'id',
  'created',
  'direction',
  'phoneNumber',
  'contact_id',
  'contact_name',
  'contact_number',
  'conversation_id',
  'status',
  'type',
  'segments',
  'price',
  'text',
  'media_urls',
] as const;

/** One message as strings, column by column. Media URLs are joined by a space (URLs hold none). */
export function csvRecord(m: Message): string[] {
  return [
    m.id,
    m.created?.at ?? '',
    direction(m) ?? '',
    m.phoneNumber ?? '',
    contactOf(m)?.id ?? '',
    contactName(m),
    contactNumber(m),
    m.conversation?.id ?? '',
    m.status ?? '',
    m.type ?? '',
    m.segments === undefined ? '' : String(m.segments),
    m.price === undefined ? '' : String(m.price),
    m.message ?? '',
    (m.media ?? []).map((x) => x.url ?? '').join(' '),
  ];
}

const OPTIONS = {
  // RFC 4180: records end with CRLF, and a field holding a line break is quoted. csv-stringify
  // quotes only the record delimiter itself, so a lone \n or \r must be matched explicitly.
  record_delimiter: 'windows',
  quoted_match: /[\r\n]/,
} as const;

/** The header row as CSV text. */
export function csvHeader(): string {
  return stringify([[...CSV_COLUMNS]], OPTIONS);
}

/** One record as CSV text. */
export function csvLine(m: Message): string {
  return stringify([csvRecord(m)], OPTIONS);
}
