/**
 * Input checks that run before any request is sent. Each throws `SakariValidationError`
 * naming the field, the value and what is allowed.
 */
import { SakariValidationError } from './errors.js';
import type { ListMessagesParams, SendMessagesRequest } from './types.js';

/**
 * Sakari ids are short opaque tokens (hex ObjectIds in practice). Anything outside URL-safe
 * characters, or a dot segment, could change the path it is put in, so it is refused.
 */
const ID = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,127}$/;
const ID_ALLOWED = 'a non-empty id of letters, digits, "_", "-", "." or "~" (at most 128)';

export function checkId(field: string, value: unknown): string {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new SakariValidationError(field, value, ID_ALLOWED);
  }
  return value;
}

export function checkInteger(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`;
    throw new SakariValidationError(field, value, range);
  }
  return value;
}

export function checkOptionalInteger(
  field: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  return value === undefined ? undefined : checkInteger(field, value, min, max);
}

function checkObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SakariValidationError(field, value, 'an object');
  }
  return value as Record<string, unknown>;
}

export function checkOptionalObject(field: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : checkObject(field, value);
}

/** The query of a list call, checked; unknown keys are refused so a typo is not silently ignored. */
export function checkListParams(params: unknown): ListMessagesParams {
  const p = checkOptionalObject('params', params);
  for (const key of Object.keys(p)) {
    if (!['offset', 'limit', 'contactId', 'conversationId'].includes(key)) {
      throw new SakariValidationError(
        `params.${key}`,
        p[key],
        'one of offset, limit, contactId, conversationId',
      );
    }
  }
  const checked: ListMessagesParams = {};
  const offset = checkOptionalInteger('offset', p.offset, 0);
  const limit = checkOptionalInteger('limit', p.limit, 1, 100);
  if (offset !== undefined) checked.offset = offset;
  if (limit !== undefined) checked.limit = limit;
  if (p.contactId !== undefined) checked.contactId = checkId('contactId', p.contactId);
  if (p.conversationId !== undefined) {
    checked.conversationId = checkId('conversationId', p.conversationId);
  }
  return checked;
}

const MAX_TEMPLATE = 10_000;
const PHONE = /^\+?[0-9 ().-]{4,31}$/;
const COUNTRY = /^[A-Z]{2}$/;

function checkText(field: string, value: unknown, max: number): string {
  if (
    typeof value !== 'string' ||
    value.trim() === '' ||
    value.length > max ||
    value.includes('\0')
  ) {
    throw new SakariValidationError(field, value, `a non-blank text of at most ${max} characters`);
  }
  return value;
}

/**
 * The body of a send. Only what the client can know for certain is checked: at least one
 * recipient, a template, well-formed numbers; Sakari judges the rest.
 */
export function checkSendBody(body: unknown): SendMessagesRequest {
  const b = checkObject('body', body);
  checkText('template', b.template, MAX_TEMPLATE);
  const contacts = b.contacts ?? [];
  const conversations = b.conversations ?? [];
  if (!Array.isArray(contacts)) throw new SakariValidationError('contacts', contacts, 'an array');
  if (!Array.isArray(conversations)) {
    throw new SakariValidationError('conversations', conversations, 'an array');
  }
  if (contacts.length === 0 && conversations.length === 0 && b.filters === undefined) {
    throw new SakariValidationError(
      'contacts',
      contacts,
      'at least one recipient in contacts, conversations or filters',
    );
  }
  contacts.forEach((contact: unknown, i) => {
    const c = checkObject(`contacts[${i}]`, contact);
    const mobile = checkObject(`contacts[${i}].mobile`, c.mobile);
    const number = mobile.number;
    if (
      typeof number !== 'string' ||
      !PHONE.test(number) ||
      !/\d{4}/.test(number.replace(/\D/g, ''))
    ) {
      throw new SakariValidationError(
        `contacts[${i}].mobile.number`,
        number,
        'a phone number such as +15551234567',
      );
    }
    if (
      mobile.country !== undefined &&
      (typeof mobile.country !== 'string' || !COUNTRY.test(mobile.country))
    ) {
      throw new SakariValidationError(
        `contacts[${i}].mobile.country`,
        mobile.country,
        'an ISO 3166-1 alpha-2 code such as US',
      );
    }
    if (c.id !== undefined) checkId(`contacts[${i}].id`, c.id);
  });
  conversations.forEach((id: unknown, i) => {
    checkId(`conversations[${i}]`, id);
  });
  if (b.type !== undefined && b.type !== 'SMS' && b.type !== 'MMS') {
    throw new SakariValidationError('type', b.type, '"SMS" or "MMS"');
  }
  if (b.media !== undefined) {
    if (!Array.isArray(b.media)) throw new SakariValidationError('media', b.media, 'an array');
    b.media.forEach((item: unknown, i) => {
      const url = checkObject(`media[${i}]`, item).url;
      if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url) || url.length > 2048) {
        throw new SakariValidationError(`media[${i}].url`, url, 'an http(s) URL');
      }
    });
  }
  return b as SendMessagesRequest;
}

/** Options shared by the iterating calls. */
export function checkIterateOptions(options: unknown): {
  concurrency: number;
  maxItems: number;
  signal: AbortSignal | undefined;
} {
  const o = checkOptionalObject('options', options);
  const signal = checkSignal(o.signal);
  return {
    concurrency: checkOptionalInteger('concurrency', o.concurrency, 1, 16) ?? 1,
    maxItems: checkOptionalInteger('maxItems', o.maxItems, 1) ?? Number.POSITIVE_INFINITY,
    signal,
  };
}

export function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (
    typeof signal !== 'object' ||
    signal === null ||
    typeof (signal as AbortSignal).aborted !== 'boolean'
  ) {
    throw new SakariValidationError('signal', signal, 'an AbortSignal');
  }
  return signal as AbortSignal;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Credentials must not cross the network in clear text: https, or http to this machine only. */
export function checkBaseUrl(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new SakariValidationError('baseUrl', value, 'an absolute https URL');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SakariValidationError('baseUrl', value, 'an absolute https URL');
  }
  const loopback = LOOPBACK.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new SakariValidationError(
      'baseUrl',
      value,
      'an https URL (plain http only to localhost, 127.x.x.x or [::1])',
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new SakariValidationError(
      'baseUrl',
      url.origin,
      'a URL without credentials, query or fragment',
    );
  }
  return url.href.replace(/\/+$/, '');
}

export function checkSecret(field: string, value: unknown): string {
  if (
    typeof value !== 'string' ||
    value.trim() === '' ||
    /[\s\0]/.test(value) ||
    value.length > 8192
  ) {
    // The value is a secret: never echo it.
    throw new SakariValidationError(
      field,
      typeof value === 'string' ? '[redacted]' : value,
      'a non-empty string without whitespace',
    );
  }
  return value;
}
