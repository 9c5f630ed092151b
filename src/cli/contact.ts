// Who a message is with, as the table and the CSV show it: the contact (on the message, or on
// its conversation), their name and number, and which way the message went.
import type { Contact, Message } from '../types.js';

/** The other party: the message's contact, else its conversation's. */
export function contactOf(m: Message): Contact | undefined {
  return m.contact ?? m.conversation?.contact;
}

/** The contact's full name, else their email; empty when neither is known. */
export function contactName(m: Message): string {
  const c = contactOf(m);
  if (!c) return '';
  return [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || '';
}

/** The other party's number (the account's own number is `phoneNumber`). */
export function contactNumber(m: Message): string {
  return contactOf(m)?.mobile?.number ?? '';
}

/** `out` for a message the account sent, `in` for one it received, undefined when not said. */
export function direction(m: Message): 'out' | 'in' | undefined {
  if (m.outgoing === undefined) return undefined;
  return m.outgoing ? 'out' : 'in';
}
