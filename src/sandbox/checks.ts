// How the sandbox checks what it is given: each options object (the sandbox's own, a fault plan,
// shapes, churn) is a table of one check per option, run by `checkOptions`, and the store's
// setters run the same checks. A bad value is a SakariValidationError naming the option and
// what is allowed, as in the client, so a typo in a test's setup fails at once and says where.
import { SakariValidationError } from '../errors.js';
import { checkInteger, isObject } from '../validate.js';

/** Checks one option's value (`undefined` when left out) and returns it in the form it is used. */
export type Check<T> = (field: string, value: unknown) => T;

/** One check per option of `T`. */
export type Table<T> = { readonly [K in keyof T]-?: Check<T[K]> };

/** `setTimeout`'s ceiling: Node fires a longer delay at once, which would invert its meaning. */
export const MAX_DELAY_MS = 2_147_483_647;

/**
 * An options object checked against its table: an object of the table's keys only, and no
 * nulls (a default fills in a missing option only, so a null is a mistake, not a request for
 * one); then every option checked. Options are named `prefix` + key in errors.
 */
export function checkOptions<T>(
  field: string,
  value: unknown,
  table: Table<T>,
  prefix = `${field}.`,
): T {
  if (!isObject(value)) throw new SakariValidationError(field, value, 'an object');
  const keys = Object.keys(table);
  for (const [key, v] of Object.entries(value)) {
    if (!keys.includes(key)) {
      throw new SakariValidationError(prefix + key, v, `one of ${keys.join(', ')}`);
    }
    if (v === null) {
      throw new SakariValidationError(prefix + key, v, 'a value (leave it out for its default)');
    }
  }
  const checks = table as Record<string, Check<unknown>>;
  const checked: Record<string, unknown> = {};
  for (const key of keys) checked[key] = checks[key]?.(prefix + key, value[key]);
  return checked as T;
}

/** `check` run on the option, or on `fallback` when the option is left out. */
export function withDefault<T>(fallback: unknown, check: Check<T>): Check<T> {
  return (field, value) => check(field, value === undefined ? fallback : value);
}

/** `check` run on the option, or `undefined` when it is left out. */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (field, value) => (value === undefined ? undefined : check(field, value));
}

/** A number in `min..max`, both included (never NaN), or the error saying `allowed`. */
export function numberIn(min: number, max: number, allowed: string): Check<number> {
  return (field, value) => {
    if (typeof value !== 'number' || !(value >= min && value <= max)) {
      throw new SakariValidationError(field, value, allowed);
    }
    return value;
  };
}

/** A number above 0 and at most `max`; `Number.MIN_VALUE` as the floor keeps 0 out. */
export function positive(max: number, unit: string): Check<number> {
  return numberIn(Number.MIN_VALUE, max, `a positive number of ${unit}, at most ${max}`);
}

export function integerIn(min: number, max: number): Check<number> {
  return (field, value) => checkInteger(field, value, min, max);
}

export function oneOf<T extends string>(choices: readonly T[]): Check<T> {
  return (field, value) => {
    if (!choices.includes(value as T)) {
      const allowed = choices.map((c) => JSON.stringify(c)).join(' or ');
      throw new SakariValidationError(field, value, allowed);
    }
    return value as T;
  };
}

export const checkBoolean: Check<boolean> = (field, value) => {
  if (typeof value !== 'boolean') throw new SakariValidationError(field, value, 'true or false');
  return value;
};

/** A seed of generated data or of a drawn sequence: any safe integer. */
export const checkSeed: Check<number> = (field, value) => {
  if (!Number.isSafeInteger(value)) throw new SakariValidationError(field, value, 'an integer');
  return value as number;
};

/** A delay in milliseconds that `setTimeout` honours. */
export const checkDelay = numberIn(
  0,
  MAX_DELAY_MS,
  `a number of milliseconds from 0 to ${MAX_DELAY_MS}`,
);
