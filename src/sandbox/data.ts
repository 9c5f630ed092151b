// The sandbox's made-up account: a fixed cast of contacts, conversations, groups and numbers,
// and a deterministic generator of messages between them. A message is a pure function of
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

// ---------------------------------------------------------------------------------------------
// The cast

interface Country {
  readonly code: string;
  readonly price: number;
  readonly mobile: (rng: Rng) => string;
}

// Numbers sit in ranges reserved for fiction where one exists (555-01xx, 07700 900xxx,
// 0491 570 1xx); elsewhere they only have a realistic shape.
const COUNTRIES: Record<string, Country> = {
  US: {
    code: 'US',
    price: 0.0079,
    mobile: (r) =>
      `+1${r.pick(['415', '512', '312', '206', '617', '404', '213', '303'])}55501${r.digits(2)}`,
  },
  CA: {
    code: 'CA',
    price: 0.0079,
    mobile: (r) => `+1${r.pick(['514', '418', '416', '613'])}55501${r.digits(2)}`,
  },
  GB: { code: 'GB', price: 0.0415, mobile: (r) => `+447700900${r.digits(3)}` },
  DE: { code: 'DE', price: 0.0789, mobile: (r) => `+49151${r.digits(8)}` },
  FR: { code: 'FR', price: 0.0712, mobile: (r) => `+336${r.digits(8)}` },
  ES: { code: 'ES', price: 0.0695, mobile: (r) => `+346${r.digits(8)}` },
  JP: { code: 'JP', price: 0.0698, mobile: (r) => `+8190${r.digits(8)}` },
  BR: { code: 'BR', price: 0.0521, mobile: (r) => `+55119${r.digits(8)}` },
  MX: { code: 'MX', price: 0.039, mobile: (r) => `+5255${r.digits(8)}` },
  AU: { code: 'AU', price: 0.0515, mobile: (r) => `+614915701${r.digits(2)}` },
  IN: { code: 'IN', price: 0.0246, mobile: (r) => `+9198${r.digits(8)}` },
};

/** Calling codes for reading national numbers in a send (`country` given, no `+`). */
export const CALLING_CODES: Record<string, string> = {
  US: '1',
  CA: '1',
  GB: '44',
  DE: '49',
  FR: '33',
  ES: '34',
  JP: '81',
  BR: '55',
  MX: '52',
  AU: '61',
  IN: '91',
};

/** Per-segment price of an SMS to `country`; unknown countries cost like the US. */
function smsPrice(country: string | undefined): number {
  return COUNTRIES[country ?? 'US']?.price ?? 0.0079;
}

// [country, first name, last name, city, email local part when the name is not Latin]
const NAMES: readonly (readonly [string, string, string, string, string?])[] = [
  ['US', 'Maria', 'Okafor', 'San Francisco'],
  ['US', 'James', 'Carter', 'Austin'],
  ['US', 'Aisha', 'Rahman', 'Chicago'],
  ['US', 'Tyler', 'Nguyen', 'Seattle'],
  ['US', 'Emily', 'Brooks', 'Boston'],
  ['US', 'Marcus', 'Johnson', 'Atlanta'],
  ['US', 'Grace', 'Kim', 'Los Angeles'],
  ['US', 'Daniel', "O'Brien", 'New York'],
  ['US', 'Olivia', 'Martinez', 'Miami'],
  ['US', 'Ethan', 'Walker', 'Denver'],
  ['US', 'Hannah', 'Schwartz', 'Portland'],
  ['US', 'Zoë', 'Adler', 'Philadelphia'],
  ['CA', 'Chloé', 'Tremblay', 'Montréal'],
  ['CA', 'Liam', 'Roy', 'Québec'],
  ['CA', 'Ava', 'Singh', 'Toronto'],
  ['CA', 'Benjamin', 'Côté', 'Ottawa'],
  ['GB', 'Oliver', 'Bennett', 'London'],
  ['GB', 'Siobhán', 'Kelly', 'Manchester'],
  ['GB', 'Priya', 'Patel', 'Leicester'],
  ['GB', 'Harry', 'Evans', 'Cardiff'],
  ['GB', 'Isla', 'Campbell', 'Edinburgh'],
  ['DE', 'Jürgen', 'Müller', 'München'],
  ['DE', 'Lena', 'Schäfer', 'Berlin'],
  ['DE', 'Jonas', 'Weiß', 'Hamburg'],
  ['FR', 'Zoé', 'Lefèvre', 'Paris'],
  ['FR', 'Théo', 'Dubois', 'Lyon'],
  ['FR', 'Camille', 'Rousseau', 'Bordeaux'],
  ['ES', 'José', 'Martínez', 'Madrid'],
  ['ES', 'Lucía', 'García', 'Sevilla'],
  ['ES', 'Álvaro', 'Núñez', 'Valencia'],
  ['JP', '太郎', '山田', '東京', 'taro.yamada'],
  ['JP', '花子', '佐藤', '大阪', 'hanako.sato'],
  ['JP', '健', '鈴木', '横浜', 'ken.suzuki'],
  ['BR', 'João', 'Silva', 'São Paulo'],
  ['BR', 'Ana Luíza', 'Costa', 'Rio de Janeiro'],
  ['BR', 'Thiago', 'Oliveira', 'Curitiba'],
  ['MX', 'Sofía', 'Hernández', 'Ciudad de México'],
  ['MX', 'Diego', 'Ramírez', 'Guadalajara'],
  ['MX', 'Valentina', 'Cruz', 'Monterrey'],
  ['AU', 'Jack', 'Wilson', 'Sydney'],
  ['AU', 'Matilda', 'Nguyen', 'Melbourne'],
  ['AU', 'Lachlan', 'Murphy', 'Brisbane'],
  ['IN', 'Arjun', 'Sharma', 'Bengaluru'],
  ['IN', 'Ananya', 'Iyer', 'Chennai'],
];

const LANGUAGES: Record<string, string> = {
  DE: 'de',
  FR: 'fr',
  ES: 'es',
  JP: 'ja',
  BR: 'pt',
  MX: 'es',
};

function languageOf(country: string, city: string): string {
  if (country === 'CA') return city === 'Montréal' || city === 'Québec' ? 'fr' : 'en';
  return LANGUAGES[country] ?? 'en';
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

const ERRORS: readonly ErrorDetail[] = [
  { code: 'MSG-019', description: 'Message could not be delivered by the carrier' },
  { code: 'MSG-020', description: 'Destination number is a landline' },
  { code: 'MSG-008', description: 'Message was marked as spam by the carrier' },
  { code: 'CONT-010', description: 'Contact has requested no further communication' },
  { code: 'MSG-029', description: 'Daily message limit exceeded' },
  { code: 'INT-002', description: 'Provider is not enabled for the destination country' },
];

// Texts by language. Outbound ones are templates: single-brace words are filled per message by
// the generator (so stored templates vary like real one-off sends), triple-brace ones are
// Sakari placeholders. Long ones need several segments; accents, kana and emoji force UCS-2.
const OUTBOUND: Readonly<Record<string, readonly string[]>> = {
  en: [
    'Hi {{{contact.firstName}}}, your table for {party} is booked for {time} tonight.',
    'Hi {{{contact.firstName}}}, order #{order} has shipped and should arrive {day}.',
    'Reminder: your appointment is {day} at {time}. Reply C to confirm or R to reschedule.',
    'Your verification code is {code}. It expires in 10 minutes.',
    'Thanks for visiting, {{{contact.firstName}}}! How did we do? Reply with a score from 1 to 5.',
    'Weekend special: 2-for-1 pasta Fri-Sun. Show this text at the counter. Reply STOP to opt out.',
    'Happy birthday {{{contact.firstName}}}! 🎂🎉 Enjoy 20% off all week with code BDAY{code}.',
    'Your order is on its way 🚚💨 Track it here: https://track.example.com/{order} 📦',
    'Hi {{{contact.firstName}}}, this is a reminder from Harbor Dental about your cleaning on {day} at {time}. Please arrive 10 minutes early to update your paperwork, and bring your insurance card and a photo ID. If you need to reschedule, reply R or call us at +1 415 555 0100. Reply C to confirm.',
    'Important update for our members: from next month the studio opens at 6:00 am on weekdays and 8:00 am on weekends. Classes booked through the app are moved automatically and you will get a confirmation email for each one. Lockers must be emptied every evening; anything left overnight goes to lost property at the front desk. Questions? Reply to this message and a member of the team will get back to you within one business day.',
  ],
  es: [
    'Hola {{{contact.firstName}}}, ¿confirmas tu cita del {dia} a las {time24}? Responde SÍ o NO.',
    'Hola {{{contact.firstName}}}: tu pedido n.º {order} salió de nuestro almacén y llegará el {dia} entre las 9:00 y las 14:00. Si no vas a estar en casa, responde con otra fecha o con la dirección de un vecino. ¡Gracias por tu compra!',
  ],
  fr: [
    'Bonjour {{{contact.firstName}}}, votre commande n°{order} est prête. À bientôt ! 🛍️',
    'Bonjour {{{contact.firstName}}}, rappel : votre rendez-vous est prévu {jour} à {time24}. Répondez C pour confirmer.',
  ],
  de: [
    'Hallo {{{contact.firstName}}}, Ihre Bestellung {order} ist unterwegs und kommt am {tag}. Schöne Grüße!',
  ],
  pt: [
    'Olá {{{contact.firstName}}}! Seu pedido {order} foi enviado e chega na {dia_pt}. Obrigado pela preferência!',
  ],
  ja: [
    '{{{contact.lastName}}}様、ご予約ありがとうございます。{youbi}の{time24}にお待ちしております。',
    '{{{contact.lastName}}}様、いつもご利用いただきありがとうございます。ご注文の商品（注文番号{order}）は{youbi}にお届け予定です。お届け日時の変更をご希望の場合は、このメッセージにご返信ください。',
  ],
};

const INBOUND: Readonly<Record<string, readonly string[]>> = {
  en: [
    'Yes',
    'C',
    'Confirmed, thanks!',
    'Can we make it {time} instead?',
    'STOP',
    'Running 10 min late, sorry!',
    '5',
    'Where is my order? It was supposed to arrive yesterday.',
    'Here is the photo of the damaged box 📷',
    'Hi, I ordered the blue one in size M but received a green one in size L. I have attached a photo of the label. Could you please send the right one and tell me how to return this one? I will be away from Friday until the following Tuesday so please do not deliver in that window. Thanks a lot.',
  ],
  es: ['Sí, confirmo. ¡Gracias!', '¿Podemos cambiarla al {dia}?'],
  fr: ['Merci beaucoup ! À bientôt 😊', 'Oui, c’est confirmé.'],
  de: ['Danke, bis {tag}!', 'Ja, passt.'],
  pt: ['Obrigado! 👍', 'Pode ser na {dia_pt}?'],
  ja: ['ありがとうございます！よろしくお願いします。', '了解しました。'],
};

/** A text for a contact speaking `language`: mostly in it, sometimes in English anyway. */
function textFor(texts: Readonly<Record<string, readonly string[]>>, language: string, rng: Rng) {
  const own = texts[language];
  return rng.pick(own && rng.chance(0.7) ? own : (texts.en as readonly string[]));
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DIAS = ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'];
const YOUBI = ['月曜日', '火曜日', '水曜日', '木曜日', '金曜日', '土曜日'];
const JOURS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];
const TAGE = ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'];
const DIAS_PT = ['segunda-feira', 'terça-feira', 'quarta-feira', 'quinta-feira', 'sexta-feira'];
const TIMES = ['9:00 am', '10:30 am', '12:15 pm', '2:00 pm', '4:45 pm', '6:30 pm', '7:30 pm'];

function fillWords(text: string, rng: Rng): string {
  const words = /\{(party|time|time24|day|dia|dia_pt|jour|tag|youbi|order|code)\}/g;
  return text.replace(words, (_m, word: string) => {
    switch (word) {
      case 'party':
        return String(rng.between(2, 8));
      case 'time':
        return rng.pick(TIMES);
      case 'time24':
        return `${rng.between(9, 20)}:${rng.pick(['00', '15', '30', '45'])}`;
      case 'day':
        return rng.pick(DAYS);
      case 'dia':
        return rng.pick(DIAS);
      case 'youbi':
        return rng.pick(YOUBI);
      case 'jour':
        return rng.pick(JOURS);
      case 'tag':
        return rng.pick(TAGE);
      case 'dia_pt':
        return rng.pick(DIAS_PT);
      default: // order numbers and codes
        return rng.digits(6);
    }
  });
}

const MEDIA: readonly Omit<Media, 'url'>[] = [
  { type: 'image/jpeg', name: 'Photo', filename: 'IMG_4821.jpg' },
  { type: 'image/png', name: 'Screenshot', filename: 'screenshot.png' },
  { type: 'image/gif', name: 'Animation', filename: 'thanks.gif' },
  { type: 'image/jpeg', name: 'Saturday menu', filename: 'menu.jpg' },
];

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

    const people = [
      person(id(), 'Dana', 'Whitfield', 'dana@harborbistro.com', '+14155550177', 'Administrator'),
      person(id(), 'Sam', 'Ortiz', 'sam@harborbistro.com', '+14155550178', 'Agent'),
      person(id(), 'Keiko', 'Tanaka', 'keiko@harborbistro.com', '+14155550179', 'Agent'),
      person(id(), 'Omar', 'Haddad', 'omar@harborbistro.com', '+14155550180', 'Manager'),
      person(id(), 'Ingrid', 'Larsen', 'ingrid@harborbistro.com', '+14155550181', 'Agent'),
    ];
    this.#people = people;
    const groupRefs: GroupReference[] = [
      { id: id(), name: 'Front of house' },
      { id: id(), name: 'Customer care' },
      { id: id(), name: 'Europe & LatAm' },
      { id: id(), name: 'APAC' },
    ];
    const ref = (g: number): GroupReference => groupRefs[g] as GroupReference;
    const campaign = () =>
      `C${rng.digits(2)}${String.fromCharCode(65 + rng.int(26))}Q${rng.digits(3)}`;
    const numberSpecs = [
      ['Main line', '+14155550100', 'US', 'local', 'bandwidth', 0, ['US', 'CA']],
      ['Support line', '+18885550123', 'US', 'tollfree', 'bandwidth', 1, ['US', 'CA']],
      [
        'UK line',
        '+447700900100',
        'GB',
        'mobile',
        'sinch',
        2,
        ['GB', 'DE', 'FR', 'ES', 'BR', 'MX'],
      ],
      ['APAC line', '+61491570100', 'AU', 'mobile', 'sinch', 3, ['AU', 'JP', 'IN']],
    ] as const;
    const phoneNumbers: PhoneNumber[] = numberSpecs.map(
      ([name, number, country, type, provider, group, destinations]) => ({
        id: id(),
        name,
        status: 'active',
        number,
        country,
        type,
        verified: true,
        provider,
        supportedDestinations: [...destinations],
        forwardTo: {},
        universalReply: group < 2,
        channels: {
          sms: {
            active: true,
            universalReply: group < 2,
            supportedDestinations: Object.fromEntries(
              destinations.map((code) => [code, { enabled: true }]),
            ),
            regulatory: {
              brandStatus: 'VERIFIED',
              campaign: { id: campaign(), useCase: group === 0 ? 'MIXED' : 'CUSTOMER_CARE' },
              pft: false,
              submitted: day(360, rng),
              approved: day(355, rng),
              rejected: null,
            },
          },
          voice: {
            active: type !== 'mobile',
            incoming: {
              action: 'forward',
              forwardTo: '+14155550199',
              message: 'Thanks for calling Harbor Bistro. Please hold.',
              transcribe: true,
            },
            features: ['voicemail', 'transcription'],
          },
          whatsapp: { active: group >= 2 },
        },
        groups: [ref(group)],
        hosted: type === 'tollfree',
      }),
    );
    this.#phoneNumbers = phoneNumbers;
    const stamp = (daysAgo: number, by: Actor): AuditStamp => ({
      at: day(daysAgo, rng),
      by: { ...by, source: 'app' },
    });
    const admin = (people[0] as Person).actor;
    const groupSpecs = [
      [0, [0, 1], 'America/Los_Angeles', 11, 22, ['restaurant']],
      [1, [0, 2, 3], 'America/New_York', 8, 20, ['support', 'priority']],
      [2, [3, 4], 'Europe/London', 8, 18, ['international']],
      [3, [2, 4], 'Australia/Sydney', 9, 19, ['international', 'apac']],
    ] as const;
    const groups: Group[] = groupSpecs.map(([g, members, timezone, open, close, tags]) => {
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

    const lists: ContactList[] = [
      {
        id: id(),
        name: 'Weekend specials',
        source: { id: rng.digits(5), integration: 'hubspot', lastSynced: day(1, rng) },
        keyword: 'TABLES',
        doubleOptIn: {
          enabled: true,
          prompt: 'Reply YES to get weekend specials from Harbor Bistro.',
        },
        optInConfirmation: "Thanks! You'll get our weekend specials. Reply STOP to opt out.",
      },
      {
        id: id(),
        name: 'VIP members',
        keyword: 'VIP',
        doubleOptIn: { enabled: false, prompt: '' },
        filter: {
          q: '',
          attributes: [{ attribute: 'tier', comparator: '=', value: ['gold', 'platinum'] }],
          valid: true,
          invalid: false,
          blocked: false,
          unblocked: true,
          optIn: true,
        },
        optInConfirmation: 'Welcome to the VIP list! Reply STOP to opt out.',
      },
      {
        id: id(),
        name: 'Appointment reminders',
        keyword: 'REMIND',
        doubleOptIn: { enabled: false, prompt: '' },
        optInConfirmation: 'You will get a reminder the day before each appointment.',
      },
    ];

    const cast = rng.shuffle([...NAMES]).slice(0, CONTACT_COUNT);
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
        ...(optedOut ? { error: ERRORS[3] as ErrorDetail } : {}),
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
      ...(status === 'error' || status === 'undelivered' ? { error: rng.pick(ERRORS) } : {}),
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
