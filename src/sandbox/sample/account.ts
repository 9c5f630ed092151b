// The sample account, a restaurant with a customer-care desk: its users, its groups, its phone
// numbers and its contact lists. Ids, dates and campaign ids are drawn from the seed.
import type { ContactList } from '../../types.js';

/** The account's users, in order: [first name, last name, email, mobile, role]. The first is its admin. */
export const STAFF: readonly (readonly [string, string, string, string, string])[] = [
  ['Dana', 'Whitfield', 'dana@harborbistro.com', '+14155550177', 'Administrator'],
  ['Sam', 'Ortiz', 'sam@harborbistro.com', '+14155550178', 'Agent'],
  ['Keiko', 'Tanaka', 'keiko@harborbistro.com', '+14155550179', 'Agent'],
  ['Omar', 'Haddad', 'omar@harborbistro.com', '+14155550180', 'Manager'],
  ['Ingrid', 'Larsen', 'ingrid@harborbistro.com', '+14155550181', 'Agent'],
];

export interface GroupSpec {
  readonly name: string;
  /** Indices into `STAFF`. */
  readonly members: readonly number[];
  readonly timezone: string;
  /** Weekday opening hours (Saturdays open an hour later and close 3½ hours earlier). */
  readonly open: number;
  readonly close: number;
  readonly tags: readonly string[];
}

/** The account's groups, in order; the first is its default. */
export const GROUPS: readonly GroupSpec[] = [
  {
    name: 'Front of house',
    members: [0, 1],
    timezone: 'America/Los_Angeles',
    open: 11,
    close: 22,
    tags: ['restaurant'],
  },
  {
    name: 'Customer care',
    members: [0, 2, 3],
    timezone: 'America/New_York',
    open: 8,
    close: 20,
    tags: ['support', 'priority'],
  },
  {
    name: 'Europe & LatAm',
    members: [3, 4],
    timezone: 'Europe/London',
    open: 8,
    close: 18,
    tags: ['international'],
  },
  {
    name: 'APAC',
    members: [2, 4],
    timezone: 'Australia/Sydney',
    open: 9,
    close: 19,
    tags: ['international', 'apac'],
  },
];

export interface PhoneNumberSpec {
  readonly name: string;
  readonly number: string;
  readonly country: string;
  readonly type: 'local' | 'tollfree' | 'mobile';
  readonly provider: string;
  /** Index into `GROUPS`. */
  readonly group: number;
  /** The countries it may text. */
  readonly destinations: readonly string[];
  /** The 10DLC campaign's use case. */
  readonly useCase: string;
  readonly universalReply: boolean;
  readonly whatsapp: boolean;
}

/** The account's numbers, in order: one a group. */
export const PHONE_NUMBERS: readonly PhoneNumberSpec[] = [
  {
    name: 'Main line',
    number: '+14155550100',
    country: 'US',
    type: 'local',
    provider: 'bandwidth',
    group: 0,
    destinations: ['US', 'CA'],
    useCase: 'MIXED',
    universalReply: true,
    whatsapp: false,
  },
  {
    name: 'Support line',
    number: '+18885550123',
    country: 'US',
    type: 'tollfree',
    provider: 'bandwidth',
    group: 1,
    destinations: ['US', 'CA'],
    useCase: 'CUSTOMER_CARE',
    universalReply: true,
    whatsapp: false,
  },
  {
    name: 'UK line',
    number: '+447700900100',
    country: 'GB',
    type: 'mobile',
    provider: 'sinch',
    group: 2,
    destinations: ['GB', 'DE', 'FR', 'ES', 'BR', 'MX'],
    useCase: 'CUSTOMER_CARE',
    universalReply: false,
    whatsapp: true,
  },
  {
    name: 'APAC line',
    number: '+61491570100',
    country: 'AU',
    type: 'mobile',
    provider: 'sinch',
    group: 3,
    destinations: ['AU', 'JP', 'IN'],
    useCase: 'CUSTOMER_CARE',
    universalReply: false,
    whatsapp: true,
  },
];

/** What the numbers that take calls (all but mobile ones) do with them. */
export const VOICE = {
  incoming: {
    action: 'forward',
    forwardTo: '+14155550199',
    message: 'Thanks for calling Harbor Bistro. Please hold.',
    transcribe: true,
  },
  features: ['voicemail', 'transcription'],
} as const;

/** The account's contact lists, in order, without their ids; `syncedFrom` names a CRM source. */
export const CONTACT_LISTS: readonly (Omit<ContactList, 'id' | 'source'> & {
  readonly syncedFrom?: string;
})[] = [
  {
    name: 'Weekend specials',
    syncedFrom: 'hubspot',
    keyword: 'TABLES',
    doubleOptIn: {
      enabled: true,
      prompt: 'Reply YES to get weekend specials from Harbor Bistro.',
    },
    optInConfirmation: "Thanks! You'll get our weekend specials. Reply STOP to opt out.",
  },
  {
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
    name: 'Appointment reminders',
    keyword: 'REMIND',
    doubleOptIn: { enabled: false, prompt: '' },
    optInConfirmation: 'You will get a reminder the day before each appointment.',
  },
];
