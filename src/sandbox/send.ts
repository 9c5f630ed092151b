// `POST /v1/accounts/{accountId}/messages`: checks the send request, queues one outgoing message
// per recipient on top of the store and answers with the send result. Numbers that are not
// E.164 (after reading a national number with its country) are rejected per recipient, as
// Sakari does, rather than failing the whole request.
import type { Contact, components, Media } from '../types.js';
import { isObject } from '../validate.js';
import { badRequest, jsonReply, type Reply, spliceJson } from './replies.js';
import { COUNTRIES } from './sample/countries.js';
import { withoutId } from './shapes.js';
import type { Store } from './store.js';
import { fillTemplate } from './text.js';
import { type MessageDraft, type Party, priceOf, type StoredMessage } from './world.js';

function optionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

/** `raw` as E.164, reading a national number in `country` (default US); undefined if invalid. */
function toE164(raw: string, country: string | undefined): string | undefined {
  const compact = raw.replace(/[\s().-]/g, '');
  let e164: string;
  if (compact.startsWith('+')) e164 = compact;
  else if (compact.startsWith('00')) e164 = `+${compact.slice(2)}`;
  else {
    const code = COUNTRIES[(country ?? 'US').toUpperCase()]?.callingCode;
    if (!code) return undefined;
    let national = compact.replace(/^0/, '');
    if (code === '1' && national.length === 11 && national.startsWith('1'))
      national = national.slice(1);
    e164 = `+${code}${national}`;
  }
  if (!/^\+[1-9]\d{7,14}$/.test(e164)) return undefined;
  // North American numbers have exactly ten digits after the 1.
  if (e164.startsWith('+1') && e164.length !== 12) return undefined;
  return e164;
}

const MEDIA_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
};

function mediaFor(url: string): Media {
  const filename = url.split(/[?#]/)[0]?.split('/').pop() || 'attachment';
  const extension = filename.split('.').pop()?.toLowerCase() ?? '';
  return {
    url,
    type: MEDIA_TYPES[extension] ?? 'application/octet-stream',
    name: filename,
    filename,
  };
}

type AttributeFilter = components['schemas']['AttributeFilter'];

function attributeMatches(contact: Contact, condition: AttributeFilter): boolean {
  const actual = contact.attributes?.[condition.attribute ?? ''];
  const text = actual === undefined ? undefined : String(actual);
  const values = condition.value ?? [];
  switch ((condition.comparator ?? '=').toLowerCase()) {
    case '!=':
    case 'neq':
      return text === undefined || !values.includes(text);
    case 'contains':
      return text !== undefined && values.some((v) => text.includes(v));
    default:
      return text !== undefined && values.includes(text);
  }
}

interface Recipient {
  readonly party: Party;
  readonly given: Record<string, unknown>;
}

/** Handles a send (after `authorize`); `body` is the parsed JSON. */
export function sendMessages(store: Store, body: unknown): Reply {
  if (!isObject(body)) return badRequest('Body must be a JSON object');
  const { template, type, contacts, conversations, filters, media, phoneNumberFilter } = body;
  if (template !== undefined && (typeof template !== 'string' || template.trim() === '')) {
    return badRequest('template must be a non-empty string');
  }
  if (type !== undefined && type !== 'SMS' && type !== 'MMS') {
    return badRequest('type must be SMS or MMS');
  }
  if (contacts !== undefined && !Array.isArray(contacts))
    return badRequest('contacts must be an array');
  if (conversations !== undefined && !Array.isArray(conversations)) {
    return badRequest('conversations must be an array');
  }
  if (filters !== undefined && !isObject(filters)) return badRequest('filters must be an object');
  if (media !== undefined && !Array.isArray(media)) return badRequest('media must be an array');
  if (!contacts?.length && !conversations?.length && filters === undefined) {
    return badRequest('Give at least one recipient: contacts, conversations or filters');
  }

  const { world } = store;
  let group: number | undefined;
  if (phoneNumberFilter !== undefined) {
    const id =
      isObject(phoneNumberFilter) && isObject(phoneNumberFilter.group)
        ? phoneNumberFilter.group.id
        : undefined;
    group = world.groups.findIndex((g) => g.id === id);
    if (group < 0) return badRequest('phoneNumberFilter.group.id is not a group of the account');
  }
  const attachments: Media[] = [];
  for (const [i, item] of (media ?? []).entries()) {
    if (!isObject(item) || typeof item.url !== 'string' || item.url === '') {
      return badRequest(`media[${i}].url must be a non-empty string`);
    }
    attachments.push(mediaFor(item.url));
  }
  // Sakari's document requires no field: an MMS may carry media alone.
  if (template === undefined && attachments.length === 0) {
    return badRequest('Give a template, media or both');
  }

  const now = Date.now();
  const seconds = Math.floor(now / 1000);
  const recipients: Recipient[] = [];
  const invalid: Contact[] = [];
  for (const [i, contact] of (contacts ?? []).entries()) {
    if (!isObject(contact)) return badRequest(`contacts[${i}] must be an object`);
    if (contact.mobile === undefined && contact.id !== undefined) {
      // An existing contact named by its id alone.
      const party = world.parties.find((p) => p.contact.id === contact.id);
      if (!party) return badRequest(`contacts[${i}].id is not a contact of the account`);
      recipients.push({ party, given: {} });
      continue;
    }
    if (!isObject(contact.mobile)) {
      return badRequest(`contacts[${i}] needs an id or a mobile`);
    }
    const { number, country } = contact.mobile;
    if (typeof number !== 'string' || number === '') {
      return badRequest(`contacts[${i}].mobile.number must be a non-empty string`);
    }
    if (!optionalString(country))
      return badRequest(`contacts[${i}].mobile.country must be a string`);
    const { firstName, lastName, email, attributes } = contact;
    if (!optionalString(firstName) || !optionalString(lastName) || !optionalString(email)) {
      return badRequest(`contacts[${i}]: firstName, lastName and email must be strings`);
    }
    if (attributes !== undefined && !isObject(attributes)) {
      return badRequest(`contacts[${i}].attributes must be an object`);
    }
    const e164 = toE164(number, country);
    if (!e164) {
      invalid.push({
        id: store.newId(),
        ...(firstName ? { firstName } : {}),
        ...(lastName ? { lastName } : {}),
        mobile: { ...(country ? { country } : {}), number, valid: false },
        valid: false,
        error: { code: 'CONT-001', description: 'Invalid mobile number' },
      });
      continue;
    }
    const byId = world.parties.find((p) => p.contact.id === contact.id);
    const given = { firstName, lastName, email, attributes };
    const party = byId ?? world.partyForNumber(e164, country, given, seconds);
    // What the request says about the contact wins over what the account has on file.
    const fields = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
    recipients.push({ party, given: fields });
  }
  for (const [i, id] of (conversations ?? []).entries()) {
    const party =
      world.parties.find((p) => p.conversation.id === id) ??
      [...world.extraParties.values()].find((p) => p.conversation.id === id);
    if (typeof id !== 'string' || !party) {
      return badRequest(`conversations[${i}] is not a conversation of the account`, 'CONV-001');
    }
    recipients.push({ party, given: {} });
  }
  if (filters !== undefined) {
    const conditions = filters.attributes ?? [];
    const tags = filters.tags ?? [];
    if (!Array.isArray(conditions) || !conditions.every(isObject)) {
      return badRequest('filters.attributes must be an array of conditions');
    }
    if (!Array.isArray(tags)) return badRequest('filters.tags must be an array');
    // The sandbox's contacts carry no tags, so a tag filter matches nobody.
    if (tags.length === 0) {
      for (const party of world.parties) {
        if (conditions.every((c) => attributeMatches(party.contact, c as AttributeFilter))) {
          recipients.push({ party, given: {} });
        }
      }
    }
  }

  const queued: StoredMessage[] = [];
  let estimatedPrice = 0;
  for (const { party, given } of recipients) {
    const createdSeconds = store.messages.nextSeconds(now);
    const actor = world.apiActor();
    const draft: MessageDraft = {
      id: store.newId(),
      party,
      outgoing: true,
      text:
        template === undefined
          ? ''
          : fillTemplate(template, { contact: { ...party.contact, ...given } }),
      ...(template === undefined ? {} : { template }),
      status: 'queued',
      media: type === 'SMS' ? [] : attachments,
      createdSeconds,
      updatedSeconds: createdSeconds,
      createdBy: actor,
      updatedBy: actor,
      read: true,
      sendAt: null,
      ...(group === undefined ? {} : { group }),
    };
    estimatedPrice += priceOf(draft);
    queued.push(world.stored(draft));
  }
  // Each message is newer than the one before it, so the last one goes on top.
  store.messages.insert([...queued].reverse());

  const data = {
    estimatedPrice: Math.round(estimatedPrice * 10_000) / 10_000,
    jobId: store.newId(),
    requested: recipients.length + invalid.length,
    valid: queued.length,
    invalid,
  };
  const head = JSON.stringify({ success: true, data }).slice(0, -2);
  const every = store.resolvedShapes.idlessEvery;
  const messages = queued.map((m, i) =>
    every !== undefined && (i + 1) % every === 0 ? withoutId(m) : m.json,
  );
  return jsonReply(200, spliceJson(`${head},"messages":[`, messages, ']}}'));
}
