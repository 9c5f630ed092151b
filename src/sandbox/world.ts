// The sandbox's made-up account, built from the sample tables (sample/), and a deterministic
// generator of messages between it and its contacts. A message is a pure function of
// (seed, index), so a sandbox of any size starts at once: nothing is built until it is asked
// for. The nested objects (contact, conversation, group) are shared by many messages, so their
// JSON is serialized once and spliced into each message's JSON.
import type {
  AuditStamp,
  Contact,
  ContactList,
  Conversation,
  ErrorDetail,
  Group,
  GroupReference,
  Media,
  Message,
  PhoneNumber,
  Sender,
  User,
} from '../types.js';
import { hash, hex, Rng } from './random.js';
import { CONTACT_LISTS, GROUPS, PHONE_NUMBERS, STAFF, VOICE } from './sample/account.js';
import { CONTACTS } from './sample/contacts.js';
import { COUNTRIES, type Country, FRENCH_CITIES } from './sample/countries.js';
import { DELIVERY_ERRORS, OPTED_OUT } from './sample/delivery-errors.js';
import { MEDIA } from './sample/media.js';
import { INBOUND, OUTBOUND, WORDS } from './sample/texts.js';
import { fillTemplate, segmentsOf } from './text.js';

/** The newest generated message is a little before this instant; older ones follow it. */
const ANCHOR_SECONDS = Date.UTC(2026, 10, 26, 18, 0, 0) / 1000;
/** Mean spacing of generated messages (s): 100,000 messages span about four months. */
const GAP_SECONDS = 97;
/** Message ids keep the index in their last 6 hex digits, which caps a generated set. */
export const MAX_GENERATED = 0xff_ffff;
/** How many contacts (each with one conversation) the account has. */
export const CONTACT_COUNT = 40;

// Distinct hash streams, so that e.g. the contact of message i does not correlate with its text.
const STREAM_CONTACT = 1;
const STREAM_TIME = 2;
const STREAM_MESSAGE = 3;
const STREAM_CAST = 4;
const STREAM_SALT = 5;
const STREAM_INSERT = 6;

type Actor = NonNullable<AuditStamp['by']>;

/** A contact of the account together with its conversation, as spliced into messages. */
export interface Party {
  readonly contact: Contact;
  readonly conversation: Conversation;
  readonly phoneNumber: PhoneNumber;
  readonly group: number;
  /** The language texts to and from the contact are mostly in. */
  readonly language: string;
  /** UTF-8 JSON of `contact` and `conversation`, spliced into every message with them. */
  readonly contactJson: Buffer;
  readonly conversationJson: Buffer;
}

/** What distinguishes one message; the shared parts come from its party and group. */
export interface MessageDraft {
  id: string;
  party: Party;
  outgoing: boolean;
  text: string;
  template?: string;
  status: string;
  media: Media[];
  createdSeconds: number;
  updatedSeconds: number;
  createdBy: Actor;
  updatedBy: Actor;
  read: boolean;
  sendAt: string | null;
  error?: ErrorDetail;
  /** The group the message went through, when not the party's own (a send's phoneNumberFilter). */
  group?: number;
}

/** A message as the store keeps it: its JSON and the keys the list filters look at. */
export interface StoredMessage {
  readonly id: string;
  /**
   * The message's JSON as UTF-8 chunks whose concatenation is the document. The shared parts
   * (contact, conversation, group) are the same buffers in every message, so a page is written
   * to the socket without copying or re-encoding them.
   */
  readonly json: readonly Buffer[];
  readonly contactId: string | undefined;
  readonly conversationId: string | undefined;
  readonly createdSeconds: number;
}

const CONVERSATION_KEY = Buffer.from(',"conversation":');
const GROUP_KEY = Buffer.from(',"group":');

const dayPrefixes = new Map<number, string>();
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `seconds` since the epoch as `2026-11-26T17:40:02Z`; the date part is cached per day. */
function isoSeconds(seconds: number): string {
  const dayNumber = Math.floor(seconds / 86_400);
  let prefix = dayPrefixes.get(dayNumber);
  if (prefix === undefined) {
    prefix = new Date(dayNumber * 86_400_000).toISOString().slice(0, 11);
    if (dayPrefixes.size > 10_000) dayPrefixes.clear();
    dayPrefixes.set(dayNumber, prefix);
  }
  const time = seconds - dayNumber * 86_400;
  return `${prefix}${pad2(Math.floor(time / 3600))}:${pad2(Math.floor(time / 60) % 60)}:${pad2(time % 60)}Z`;
}

function day(daysBeforeAnchor: number, rng?: Rng): string {
  const jitter = rng ? rng.int(86_400) : 0;
  return isoSeconds(ANCHOR_SECONDS - daysBeforeAnchor * 86_400 - jitter);
}

/** Per-segment price of an SMS to `country`; unknown countries cost like the US. */
function smsPrice(country: string | undefined): number {
  return COUNTRIES[country ?? 'US']?.price ?? (COUNTRIES.US as Country).price;
}

function languageOf(country: string, city: string): string {
  return FRENCH_CITIES.includes(city) ? 'fr' : (COUNTRIES[country]?.language ?? 'en');
}

function asciiEmail(first: string, last: string): string {
  const plain = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z]/g, '');
  return `${plain(first)}.${plain(last)}`;
}

interface Person {
  readonly user: User;
  readonly actor: Actor;
}

function person(
  id: string,
  firstName: string,
  lastName: string,
  email: string,
  mobile: string,
  role: string,
): Person {
  return {
    user: {
      id,
      firstName,
      lastName,
      email,
      mobile: {
        country: 'US',
        number: mobile,
        verified: day(365),
        valid: true,
        lineType: 'mobile',
      },
      role,
    },
    actor: { id, name: `${firstName} ${lastName}`, firstName, lastName, email },
  };
}

const CARRIER: Actor = { id: 'system', name: 'Sakari', source: 'carrier' };

/** A text for a contact speaking `language`: mostly in it, sometimes in English anyway. */
function textFor(texts: Readonly<Record<string, readonly string[]>>, language: string, rng: Rng) {
  const own = texts[language];
  return rng.pick(own && rng.chance(0.7) ? own : (texts.en as readonly string[]));
}

const PLACEHOLDER = new RegExp(
  `\\{(${['party', 'time24', 'order', 'code', ...Object.keys(WORDS)].join('|')})\\}`,
  'g',
);

/** The text with its `{word}` placeholders filled in. */
function fillWords(text: string, rng: Rng): string {
  return text.replace(PLACEHOLDER, (_m, word: string) => {
    switch (word) {
      case 'party':
        return String(rng.between(2, 8));
      case 'time24':
        return `${rng.between(9, 20)}:${rng.pick(['00', '15', '30', '45'])}`;
      case 'order':
      case 'code':
        return rng.digits(6);
      default:
        return rng.pick(WORDS[word] ?? []);
    }
  });
}

/** What a message costs: per segment by destination for SMS, flat for MMS; inbound is free. */
export function priceOf(draft: MessageDraft): number {
  if (!draft.outgoing) return 0;
  const unit =
    draft.media.length > 0
      ? 0.02
      : smsPrice(draft.party.contact.mobile?.country) * segmentsOf(draft.text);
  return Math.round(unit * 10_000) / 10_000;
}

function officeHours(timezone: string, open: number, close: number): Group['officeHours'] {
  const weekday = [{ start: { hour: open, minute: 0 }, end: { hour: close, minute: 0 } }];
  return {
    active: true,
    timezone,
    times: {
      sun: [],
      mon: weekday,
      tue: weekday,
      wed: weekday,
      thu: weekday,
      fri: weekday,
      sat: [{ start: { hour: open + 1, minute: 0 }, end: { hour: close - 4, minute: 30 } }],
    },
  };
}

/**
 * The account, its cast and the message generator for one seed. Building it costs a few dozen
 * objects; messages are made on demand.
 */
export class World {
  readonly seed: number;
  readonly parties: readonly Party[];
  readonly groups: readonly Group[];
  readonly groupJson: readonly Buffer[];
  /** Contacts created by sends to numbers outside the cast, by E.164 number. */
  readonly extraParties = new Map<string, Party>();
  readonly #people: readonly Person[];
  readonly #phoneNumbers: readonly PhoneNumber[];
  readonly #salt: string;
  readonly #insertSalt: string;
  #serial = 0;
  #inserted = 0;

  constructor(seed: number) {
    this.seed = seed;
    const rng = new Rng(hash(seed, STREAM_CAST));
    const id = () => this.#castId(rng);
    this.#salt = hex(hash(seed, STREAM_SALT), 8) + hex(hash(seed, STREAM_SALT, 1), 2);
    // Ids made at run time use another salt, so they can never equal a generated id.
    const insertSalt = hex(hash(seed, STREAM_INSERT), 8) + hex(hash(seed, STREAM_INSERT, 1), 2);
    this.#insertSalt =
      insertSalt === this.#salt
        ? `${insertSalt.slice(0, 9)}${insertSalt[9] === '0' ? 1 : 0}`
        : insertSalt;

    const people = STAFF.map(([first, last, email, mobile, role]) =>
      person(id(), first, last, email, mobile, role),
    );
    this.#people = people;
    const groupRefs: GroupReference[] = GROUPS.map(({ name }) => ({ id: id(), name }));
    const ref = (g: number): GroupReference => groupRefs[g] as GroupReference;
    const campaign = () =>
      `C${rng.digits(2)}${String.fromCharCode(65 + rng.int(26))}Q${rng.digits(3)}`;
    const phoneNumbers: PhoneNumber[] = PHONE_NUMBERS.map((spec) => ({
      id: id(),
      name: spec.name,
      status: 'active',
      number: spec.number,
      country: spec.country,
      type: spec.type,
      verified: true,
      provider: spec.provider,
      supportedDestinations: [...spec.destinations],
      forwardTo: {},
      universalReply: spec.universalReply,
      channels: {
        sms: {
          active: true,
          universalReply: spec.universalReply,
          supportedDestinations: Object.fromEntries(
            spec.destinations.map((code) => [code, { enabled: true }]),
          ),
          regulatory: {
            brandStatus: 'VERIFIED',
            campaign: { id: campaign(), useCase: spec.useCase },
            pft: false,
            submitted: day(360, rng),
            approved: day(355, rng),
            rejected: null,
          },
        },
        voice: {
          active: spec.type !== 'mobile',
          incoming: { ...VOICE.incoming },
          features: [...VOICE.features],
        },
        whatsapp: { active: spec.whatsapp },
      },
      groups: [ref(spec.group)],
      hosted: spec.type === 'tollfree',
    }));
    this.#phoneNumbers = phoneNumbers;
    const stamp = (daysAgo: number, by: Actor): AuditStamp => ({
      at: day(daysAgo, rng),
      by: { ...by, source: 'app' },
    });
    const admin = (people[0] as Person).actor;
    const groups: Group[] = GROUPS.map(({ members, timezone, open, close, tags }, g) => {
      const numbers = phoneNumbers.filter((p) => p.groups?.[0]?.id === ref(g).id);
      return {
        ...ref(g),
        phoneNumbers: numbers,
        notifications: [
          { destination: { id: admin.id, name: admin.name }, integration: 'email', group: ref(g) },
        ],
        tags: [...tags],
        users: members.map((m) => (people[m] as Person).user),
        senders: numbers.map(
          (p): Sender => ({
            id: id(),
            type: 'phonenumber',
            subType: p.type,
            status: 'active',
            identifier: p.number,
            channels: p.channels,
            groups: [ref(g)],
            created: stamp(400, admin),
            updated: stamp(300, admin),
          }),
        ),
        officeHours: officeHours(timezone, open, close),
        isDefault: g === 0,
        useSharedPool: false,
      };
    });
    this.groups = groups;
    this.groupJson = groups.map((g) => Buffer.from(JSON.stringify(g)));

    const lists: ContactList[] = CONTACT_LISTS.map(({ name, syncedFrom, ...rest }) => ({
      id: id(),
      name,
      ...(syncedFrom
        ? { source: { id: rng.digits(5), integration: syncedFrom, lastSynced: day(1, rng) } }
        : {}),
      ...rest,
    }));

    const cast = rng.shuffle([...CONTACTS]).slice(0, CONTACT_COUNT);
    this.parties = cast.map(([country, firstName, lastName, city, emailName], k) => {
      const prng = new Rng(hash(seed, STREAM_CAST, k + 1));
      const optedOut = prng.chance(0.05);
      const created = stamp(prng.between(200, 700), admin);
      const contact: Contact = {
        id: id(),
        email: `${emailName ?? asciiEmail(firstName, lastName)}@example.com`,
        firstName,
        lastName,
        mobile: {
          country,
          number: (COUNTRIES[country] as Country).mobile(prng),
          verified: day(prng.between(30, 200), prng),
          valid: true,
          lineType: 'mobile',
        },
        lists: lists
          .filter((_, l) => l === k % lists.length || prng.chance(0.15))
          .map((list) => ({
            ...list,
            optIn: day(prng.between(100, 199), prng),
            optOut: optedOut ? day(prng.between(1, 99), prng) : null,
          })),
        attributes: {
          city,
          language: languageOf(country, city),
          tier: prng.pick(['standard', 'standard', 'gold', 'platinum']),
          visits: prng.between(1, 60),
        },
        optIn: optedOut ? null : day(prng.between(100, 199), prng),
        blocked: null,
        ...(prng.chance(0.3) ? { activecampaign: { id: prng.between(1000, 9999) } } : {}),
        hubspot: { id: prng.between(10_000, 99_999) },
        ...(prng.chance(0.3) ? { pipedrive: { id: prng.between(100, 999) } } : {}),
        valid: true,
        ...(optedOut ? { error: OPTED_OUT } : {}),
        created,
        updated: prng.chance(0.5) ? created : stamp(prng.between(10, 199), admin),
      };
      // US contacts talk to the restaurant or to customer care; others to their region's line.
      const phoneNumber = (
        country === 'US'
          ? phoneNumbers[prng.int(2)]
          : phoneNumbers.find((p) => p.supportedDestinations?.includes(country))
      ) as PhoneNumber;
      const group = groupRefs.findIndex((g) => g.id === phoneNumber.groups?.[0]?.id);
      const contactJson = Buffer.from(JSON.stringify(contact));
      const conversation: Conversation = {
        id: id(),
        contact,
        closed: prng.chance(0.1) ? day(prng.between(1, 30), prng) : null,
        phoneNumber,
        group: ref(group),
        unread: prng.chance(0.3) ? [(people[prng.int(people.length)] as Person).user.id] : [],
        created: stamp(prng.between(150, 199), admin),
        updated: { at: day(0), by: CARRIER },
      };
      return {
        contact,
        conversation,
        phoneNumber,
        group,
        language: languageOf(country, city),
        contactJson,
        conversationJson: Buffer.from(JSON.stringify(conversation)),
      };
    });
  }

  #castId(rng: Rng): string {
    return (
      hex(ANCHOR_SECONDS - 800 * 86_400 + rng.int(86_400 * 30), 8) +
      hex(rng.int(2 ** 32), 8) +
      hex(rng.int(2 ** 32), 8)
    );
  }

  /** Which cast member message `index` is with; some contacts are much chattier than others. */
  partyIndexAt(index: number): number {
    return this.#skewedParty(hash(this.seed, index, STREAM_CONTACT));
  }

  #skewedParty(random32: number): number {
    const r = random32 / 0x1_0000_0000;
    return Math.floor(r * r * this.parties.length);
  }

  /** Creation time (s) of message `index`: strictly decreasing as the index grows. */
  createdSecondsAt(index: number): number {
    // Jitter stays below the gap, so message i+1 is always older than message i.
    return (
      ANCHOR_SECONDS - index * GAP_SECONDS - (hash(this.seed, index, STREAM_TIME) % GAP_SECONDS)
    );
  }

  /** Mongo-style id: creation time, a per-seed salt, then the index (so lookups need no map). */
  idAt(index: number): string {
    return hex(this.createdSecondsAt(index), 8) + this.#salt + hex(index, 6);
  }

  /** The index of generated id `id` among `size` messages, or -1. */
  indexOfId(id: string, size: number): number {
    if (id.length !== 24 || id.slice(8, 18) !== this.#salt) return -1;
    const index = Number.parseInt(id.slice(18), 16);
    if (!(index >= 0 && index < size)) return -1;
    return this.idAt(index) === id ? index : -1;
  }

  /** A fresh unique id for something created at run time (a sent message, a job, a contact). */
  newId(seconds: number): string {
    this.#serial += 1;
    return hex(seconds, 8) + this.#insertSalt + hex(this.#serial, 6);
  }

  /** The JSON of generated message `index`. */
  messageAt(index: number): StoredMessage {
    const rng = new Rng(hash(this.seed, index, STREAM_MESSAGE));
    const party = this.parties[this.partyIndexAt(index)] as Party;
    return this.stored(
      this.#draft(rng, party, this.idAt(index), this.createdSecondsAt(index), index),
    );
  }

  /** A realistic new message (inbound or outbound) created at `seconds`, for store inserts. */
  freshMessage(seconds: number): StoredMessage {
    this.#inserted += 1;
    const rng = new Rng(hash(this.seed, this.#inserted, STREAM_INSERT));
    const party = this.parties[
      this.#skewedParty(hash(this.seed, this.#inserted, STREAM_INSERT, STREAM_CONTACT))
    ] as Party;
    return this.stored(this.#draft(rng, party, this.newId(seconds), seconds, 0));
  }

  #draft(rng: Rng, party: Party, id: string, createdSeconds: number, index: number): MessageDraft {
    const outgoing = rng.chance(0.55);
    const mms = rng.chance(0.08);
    const media: Media[] = mms
      ? Array.from({ length: rng.between(1, 2) }, (_, k) => {
          const kind = rng.pick(MEDIA);
          return { url: `https://media.example.com/mms/${id}/${k + 1}-${kind.filename}`, ...kind };
        })
      : [];
    const group = this.groups[party.group] as Group;
    const users = group.users ?? [];
    if (!outgoing) {
      const text = fillWords(textFor(INBOUND, party.language, rng), rng);
      const contact = party.contact;
      return {
        id,
        party,
        outgoing,
        text,
        status: 'received',
        media,
        createdSeconds,
        updatedSeconds: createdSeconds,
        createdBy: {
          id: contact.id,
          name: `${contact.firstName} ${contact.lastName}`,
          source: 'inbound',
        },
        updatedBy: CARRIER,
        // The newest inbound messages are the ones still waiting to be read.
        read: index > 30 ? rng.chance(0.97) : rng.chance(0.3),
        sendAt: null,
      };
    }
    const template = fillWords(textFor(OUTBOUND, party.language, rng), rng);
    const text = fillTemplate(template, { contact: party.contact });
    const roll = rng.next();
    // The newest outgoing messages are still on their way; older ones have settled.
    const status =
      index < 10
        ? roll < 0.5
          ? 'queued'
          : 'sent'
        : roll < 0.72
          ? 'delivered'
          : roll < 0.82
            ? 'sent'
            : roll < 0.91
              ? 'error'
              : 'undelivered';
    const sender = users[rng.int(users.length)];
    const source = rng.pick(['app', 'app', 'app', 'api', 'automation']);
    const createdBy: Actor = sender
      ? {
          id: sender.id,
          name: `${sender.firstName} ${sender.lastName}`,
          firstName: sender.firstName,
          lastName: sender.lastName,
          ...(sender.email ? { email: sender.email } : {}),
          source,
          ...(source === 'automation' ? { subSource: 'workflow' } : {}),
        }
      : { ...CARRIER, source };
    return {
      id,
      party,
      outgoing,
      text,
      template,
      status,
      media,
      createdSeconds,
      updatedSeconds: status === 'queued' ? createdSeconds : createdSeconds + rng.between(1, 40),
      createdBy,
      updatedBy: status === 'queued' ? createdBy : CARRIER,
      read: true,
      sendAt: rng.chance(0.05) ? isoSeconds(createdSeconds) : null,
      ...(status === 'error' || status === 'undelivered'
        ? { error: rng.pick(DELIVERY_ERRORS) }
        : {}),
    };
  }

  /** Serializes a draft: shared parts spliced in as cached JSON, the rest stringified. */
  stored(draft: MessageDraft): StoredMessage {
    const { party } = draft;
    const group = draft.group ?? party.group;
    const phoneNumber =
      group === party.group
        ? party.phoneNumber.number
        : (this.groups[group]?.phoneNumbers?.[0]?.number ?? party.phoneNumber.number);
    const segments = segmentsOf(draft.text);
    const own: Omit<Message, 'id' | 'contact' | 'conversation' | 'group'> = {
      type: draft.media.length > 0 ? 'MMS' : 'SMS',
      message: draft.text,
      template: draft.template,
      outgoing: draft.outgoing,
      phoneNumber,
      price: priceOf(draft),
      segments,
      read: draft.read,
      status: draft.status,
      media: draft.media,
      sendAt: draft.sendAt,
      error: draft.error,
      created: { at: isoSeconds(draft.createdSeconds), by: draft.createdBy },
      updated: { at: isoSeconds(draft.updatedSeconds), by: draft.updatedBy },
    };
    const json = [
      Buffer.from(`{"id":${JSON.stringify(draft.id)},"contact":`),
      party.contactJson,
      CONVERSATION_KEY,
      party.conversationJson,
      GROUP_KEY,
      this.groupJson[group] as Buffer,
      Buffer.from(`,${JSON.stringify(own).slice(1)}`),
    ];
    return {
      id: draft.id,
      json,
      contactId: party.contact.id,
      conversationId: party.conversation.id,
      createdSeconds: draft.createdSeconds,
    };
  }

  /** The actor recorded on messages sent through the API. */
  apiActor(): Actor {
    return { ...(this.#people[0] as Person).actor, source: 'api' };
  }

  /** The party a send to `number` talks to: a cast member, or a contact made on first use. */
  partyForNumber(
    number: string,
    country: string | undefined,
    given: { firstName?: string; lastName?: string; email?: string; attributes?: object },
    seconds: number,
  ): Party {
    const known =
      this.parties.find((p) => p.contact.mobile?.number === number) ??
      this.extraParties.get(number);
    if (known) return known;
    const stamp: AuditStamp = { at: isoSeconds(seconds), by: this.apiActor() };
    const contact: Contact = {
      id: this.newId(seconds),
      ...(given.email ? { email: given.email } : {}),
      ...(given.firstName ? { firstName: given.firstName } : {}),
      ...(given.lastName ? { lastName: given.lastName } : {}),
      mobile: { ...(country ? { country } : {}), number, valid: true, lineType: 'mobile' },
      lists: [],
      attributes: { ...given.attributes },
      optIn: null,
      blocked: null,
      valid: true,
      created: stamp,
      updated: stamp,
    };
    const phoneNumber = this.#phoneNumbers[
      number.startsWith('+1') ? 1 : /^\+(61|81|91)/.test(number) ? 3 : 2
    ] as PhoneNumber;
    const group = this.groups.findIndex((g) => g.id === phoneNumber.groups?.[0]?.id);
    const conversation: Conversation = {
      id: this.newId(seconds),
      contact,
      closed: null,
      phoneNumber,
      group: { id: (this.groups[group] as Group).id, name: (this.groups[group] as Group).name },
      unread: [],
      created: stamp,
      updated: stamp,
    };
    const party: Party = {
      contact,
      conversation,
      phoneNumber,
      group,
      language: 'en',
      contactJson: Buffer.from(JSON.stringify(contact)),
      conversationJson: Buffer.from(JSON.stringify(conversation)),
    };
    this.extraParties.set(number, party);
    return party;
  }

  /** The newest creation time among generated messages, for ordering later inserts after it. */
  get newestGeneratedSeconds(): number {
    return this.createdSecondsAt(0);
  }
}
