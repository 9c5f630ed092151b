/**
 * Input checks that run before any request is sent. Each throws `SakariValidationError`
 * naming the field, the value and what is allowed.
 */
import { parseUrl, SakariValidationError } from './errors.js';
import { MAX_PAGE_SIZE } from './pagination.js';
import type { ListMessagesParams, SendMessagesRequest } from './types.js';

/** Whether `value` is a string that `pattern` matches (no coercion of anything else). */
function matches(pattern: RegExp, value: unknown): value is string {
  return typeof value === 'string' && pattern.test(value);
}

/**
 * Sakari ids are short opaque tokens (hex ObjectIds in practice). Anything outside URL-safe
 * characters, or a dot segment, could change the path it is put in, so it is refused.
 */
const ID = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,127}$/;

export function checkId(field: string, value: unknown): string {
  if (!matches(ID, value)) {
    throw new SakariValidationError(
      field,
      value,
      'an id of 1 to 128 letters, digits, "_", "-", "." or "~"',
    );
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

/** A plain JSON-style object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkObject(field: string, value: unknown): Record<string, unknown> {
  if (!isObject(value)) throw new SakariValidationError(field, value, 'an object');
  return value;
}

export function checkOptionalObject(field: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : checkObject(field, value);
}

function checkArray(field: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new SakariValidationError(field, value, 'an array');
  return value;
}

/** The query keys of a list call and their checks, in the order they are sent. */
const LIST_PARAMS: Record<keyof ListMessagesParams, (field: string, value: unknown) => unknown> = {
  offset: (field, value) => checkOptionalInteger(field, value, 0),
  limit: (field, value) => checkOptionalInteger(field, value, 1, MAX_PAGE_SIZE),
  contactId: checkId,
  conversationId: checkId,
};

/** The query of a list call, checked; unknown keys are refused so a typo is not silently ignored. */
export function checkListParams(params: unknown): ListMessagesParams {
  const p = checkOptionalObject('params', params);
  const keys = Object.keys(LIST_PARAMS);
  for (const key of Object.keys(p)) {
    if (!keys.includes(key)) {
      throw new SakariValidationError(`params.${key}`, p[key], `one of ${keys.join(', ')}`);
    }
  }
  const checked: Record<string, unknown> = {};
  for (const [key, check] of Object.entries(LIST_PARAMS)) {
    if (p[key] !== undefined) checked[key] = check(key, p[key]);
  }
  return checked as ListMessagesParams;
}

/** A string with something besides whitespace, of at most `max` characters, without NUL. */
function isText(value: unknown, max: number): value is string {
  return (
    typeof value === 'string' && value.trim() !== '' && value.length <= max && !value.includes('\0')
  );
}

/**
 * The JSON type a send's field must have: `s` a string, `b` true or false, `o` an object; any
 * other text is a non-blank string and says what it stands for. `[shape]` is an array of that
 * shape, an object maps keys to shapes; a key ending in `!` must be there.
 */
type Shape = string | [Shape] | { [key: string]: Shape };

const SEND_SHAPE: Shape = {
  template: 'the text to send',
  contacts: [
    {
      id: 'a contact id',
      firstName: 's',
      lastName: 's',
      email: 's',
      mobile: { number: 'a phone number', country: 'a country code' },
      attributes: 'o',
      tags: [{ 'tag!': 's', visible: 'b' }],
    },
  ],
  conversations: ['a conversation id'],
  filters: { attributes: [{ attribute: 's', comparator: 's', value: ['s'] }], tags: ['s'] },
  media: [{ 'url!': 'the URL of a file' }],
  type: 's',
  conversationStrategy: 's',
  phoneNumberFilter: { group: { id: 's' } },
};

function checkShape(field: string, value: unknown, shape: Shape): void {
  if (Array.isArray(shape)) {
    checkArray(field, value).forEach((item, i) => {
      checkShape(`${field}[${i}]`, item, shape[0]);
    });
  } else if (typeof shape === 'object') {
    const o = checkObject(field || 'body', value);
    for (const [key, inner] of Object.entries(shape)) {
      const name = key.replace('!', '');
      if (o[name] !== undefined || name !== key) {
        checkShape(field ? `${field}.${name}` : name, o[name], inner);
      }
    }
  } else if (shape === 'o') {
    checkObject(field, value);
  } else if (
    shape === 'b' ? typeof value !== 'boolean' : shape === 's' && typeof value !== 'string'
  ) {
    throw new SakariValidationError(field, value, shape === 'b' ? 'true or false' : 'a string');
  } else if (shape.length > 1 && (typeof value !== 'string' || value.trim() === '')) {
    throw new SakariValidationError(field, value, `${shape}, as a non-blank string`);
  }
}

/**
 * The body of a send. Refused here is only what is certainly wrong: a value of the wrong JSON
 * type, a blank string where text is needed, no recipient, nothing to send. Sakari judges the
 * rest (number formats, country casing, an unknown type) and its 400 becomes the error.
 */
export function checkSendBody(body: unknown): SendMessagesRequest {
  checkShape('', body, SEND_SHAPE);
  const b = body as SendMessagesRequest;
  if (!b.contacts?.length && !b.conversations?.length && b.filters === undefined) {
    throw new SakariValidationError(
      'contacts',
      b.contacts,
      'at least one recipient in contacts, conversations or filters',
    );
  }
  if (b.template === undefined && !b.media?.length) {
    throw new SakariValidationError('template', b.template, 'a text, or media to send without one');
  }
  return b;
}

/** Options shared by the iterating calls. */
export function checkIterateOptions(options: unknown): {
  concurrency: number;
  maxItems: number;
  signal: AbortSignal | undefined;
  json: boolean;
} {
  const o = checkOptionalObject('options', options);
  if (o.json !== undefined) checkShape('json', o.json, 'b');
  return {
    signal: checkSignal(o.signal),
    concurrency: checkOptionalInteger('concurrency', o.concurrency, 1, 16) ?? 1,
    maxItems: checkOptionalInteger('maxItems', o.maxItems, 1) ?? Number.POSITIVE_INFINITY,
    json: o.json === true,
  };
}

/** A callback option; `T` is the signature the caller documents (it cannot be checked). */
export function checkFunction<T>(field: string, value: unknown): T {
  if (typeof value !== 'function') throw new SakariValidationError(field, value, 'a function');
  return value as T;
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
  const url = typeof value === 'string' ? parseUrl(value) : undefined;
  if (url?.protocol !== 'https:' && !(url?.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw new SakariValidationError(
      'baseUrl',
      value,
      'an https URL (http only to localhost, 127.x.x.x or [::1])',
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
  if (!isText(value, 8192) || /\s/.test(value)) {
    // The value is a secret: never echo it.
    throw new SakariValidationError(
      field,
      typeof value === 'string' ? '[redacted]' : value,
      'a non-empty string without whitespace',
    );
  }
  return value;
}
