// The sandbox checks its options the way the client checks its own: a SakariValidationError
// naming the option, the value and what is allowed, before it listens. A typo in a test's setup
// then fails at once and says where, instead of surfacing later as a puzzling answer.
import { SakariValidationError } from '../errors.js';
import type { Message } from '../types.js';
import { checkId, checkInteger, checkSecret, isObject } from '../validate.js';
import { MAX_GENERATED } from './data.js';

/** `setTimeout`'s ceiling: Node fires a longer delay at once, which would invert its meaning. */
export const MAX_DELAY_MS = 2_147_483_647;
const MAX_RATE = 1_000_000;
const MAX_TTL_SECONDS = 366 * 24 * 3600;

const OPTION_NAMES = [
  'port',
  'accountId',
  'clientId',
  'clientSecret',
  'messages',
  'seed',
  'latencyMs',
  'rateLimit',
  'faults',
  'tokenTtlSeconds',
  'shapes',
  'churn',
  'insertDuring',
  'deleteDuring',
] as const;

/** A finite number in `min..max` (both included), or the error saying `allowed`. */
export function checkNumber(
  field: string,
  value: unknown,
  min: number,
  max: number,
  allowed: string,
): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new SakariValidationError(field, value, allowed);
  }
  return value;
}

/** How many messages to generate or insert. */
export function checkCount(field: string, value: unknown): number {
  if (!(Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_GENERATED)) {
    throw new SakariValidationError(
      field,
      value,
      `an integer from 0 to ${MAX_GENERATED}, or an array of messages`,
    );
  }
  return value as number;
}

export function checkSeed(field: string, value: unknown): number {
  if (!Number.isSafeInteger(value)) throw new SakariValidationError(field, value, 'an integer');
  return value as number;
}

export function checkLatency(value: unknown): number {
  return checkNumber(
    'latencyMs',
    value,
    0,
    MAX_DELAY_MS,
    `a number of milliseconds from 0 to ${MAX_DELAY_MS}`,
  );
}

/** A number above 0 and at most `max`; `Number.MIN_VALUE` as the floor keeps 0 out. */
function checkPositive(field: string, value: unknown, max: number, unit: string): number {
  return checkNumber(
    field,
    value,
    Number.MIN_VALUE,
    max,
    `a positive number of ${unit}, at most ${max}`,
  );
}

export function checkRate(value: unknown): number | undefined {
  return value === undefined
    ? undefined
    : checkPositive('rateLimit', value, MAX_RATE, 'requests per second');
}

export function checkTtl(value: unknown): number {
  return checkPositive('tokenTtlSeconds', value, MAX_TTL_SECONDS, 'seconds');
}

export function checkHook<T>(field: string, value: T): T {
  if (value !== undefined && typeof value !== 'function') {
    throw new SakariValidationError(field, value, 'a function (or undefined)');
  }
  return value;
}

/**
 * Messages given by the caller: an array of objects whose ids are usable in a URL path and
 * unique, among themselves and against `taken` (the messages already held).
 */
export function checkGivenMessages(
  field: string,
  value: unknown,
  taken: (id: string) => boolean = () => false,
): readonly Message[] {
  if (!Array.isArray(value)) {
    throw new SakariValidationError(field, value, 'an array of messages');
  }
  const seen = new Set<string>();
  value.forEach((message: unknown, i) => {
    if (!isObject(message)) {
      throw new SakariValidationError(`${field}[${i}]`, message, 'a message object');
    }
    const id = checkId(`${field}[${i}].id`, message.id);
    if (seen.has(id) || taken(id)) {
      throw new SakariValidationError(`${field}[${i}].id`, id, 'an id no other message has');
    }
    seen.add(id);
  });
  return value as readonly Message[];
}

/**
 * An object of options: only `keys`, and no nulls (defaults fill in missing options only, so a
 * null is a mistake, not a request for one). Keys are named `prefix` + key in errors.
 */
export function checkOptionObject(
  field: string,
  value: unknown,
  keys: readonly string[],
  prefix = '',
): Record<string, unknown> {
  if (!isObject(value)) throw new SakariValidationError(field, value, 'an object');
  for (const [key, v] of Object.entries(value)) {
    if (!keys.includes(key)) {
      throw new SakariValidationError(prefix + key, v, `one of ${keys.join(', ')}`);
    }
    if (v === null) {
      throw new SakariValidationError(prefix + key, v, 'a value (leave it out for its default)');
    }
  }
  return value;
}

/**
 * What `startSandbox` checks before building its store: the object, its keys, and the options
 * the store does not hold. The store checks the rest itself (messages, seed, latency, rate,
 * token TTL, faults, shapes, churn), as its setters do at run time.
 */
export function checkSandboxOptions(options: unknown): void {
  if (options === undefined) return;
  const o = checkOptionObject('options', options, OPTION_NAMES);
  if (o.port !== undefined) checkInteger('port', o.port, 0, 65_535);
  if (o.accountId !== undefined) checkId('accountId', o.accountId);
  if (o.clientId !== undefined) checkSecret('clientId', o.clientId);
  if (o.clientSecret !== undefined) checkSecret('clientSecret', o.clientSecret);
  checkHook('insertDuring', o.insertDuring);
  checkHook('deleteDuring', o.deleteDuring);
}
