// SMS text rules: how many segments a text needs and how a template is filled in.

// GSM 03.38 default alphabet (escape excluded) and its extension table, whose characters
// cost two septets. Any other character forces the whole text into UCS-2. A table indexed by
// UTF-16 code unit keeps the check to one load per character.
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const SEPTETS = new Uint8Array(0x1_0000);
for (const char of GSM_BASIC) SEPTETS[char.charCodeAt(0)] = 1;
for (const char of GSM_EXTENDED) SEPTETS[char.charCodeAt(0)] = 2;

/** GSM-7 septets `text` needs, or -1 when it needs UCS-2. */
function septets(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const cost = SEPTETS[text.charCodeAt(i)] as number;
    if (cost === 0) return -1;
    count += cost;
  }
  return count;
}

/**
 * How many SMS segments `text` takes: up to 160 GSM-7 septets fit one segment and 153 fit each
 * part of a longer one; in UCS-2 it is 70 and 67 UTF-16 code units (an emoji takes two).
 */
export function segmentsOf(text: string): number {
  const gsm = septets(text);
  if (gsm < 0) return text.length <= 70 ? 1 : Math.ceil(text.length / 67);
  return gsm <= 160 ? 1 : Math.ceil(gsm / 153);
}

/**
 * Fills Sakari placeholders such as `{{{contact.firstName}}}` from `values` (a dotted path into
 * the object); an unknown path becomes the empty string, as a mail-merge would do.
 */
export function fillTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{\{\{\s*([\w.]+)\s*\}\}\}/g, (_match, path: string) => {
    let at: unknown = values;
    for (const key of path.split('.')) {
      at = at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
    }
    return typeof at === 'string' || typeof at === 'number' ? String(at) : '';
  });
}
