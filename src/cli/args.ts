// Command-line parsing on node's `util.parseArgs` (strict: an unknown flag is an error), and
// strict conversion of flag values: numbers are plain decimal integers, nothing else.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { describeValue } from '../errors.js';
import { UsageError } from './errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * Parses `args` against `options`. Throws a `UsageError` naming the flag (and pointing at the
 * command's help) for an unknown flag, a missing value or a stray argument.
 */
export function parse(
  command: string,
  args: readonly string[],
  options: Options,
  positionals = false,
): { values: Values; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args: args.map(withBareValue(options)),
      options,
      strict: true,
      allowPositionals: positionals,
    });
    return { values: parsed.values as Values, positionals: parsed.positionals };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) throw error;
    // parseArgs explains over several lines; keep the first, and the way out of the ambiguity.
    const message = (error as Error).message;
    let first = (message.split('\n')[0] ?? message).replace(/^Unknown option/, 'unknown option');
    const flag = /'(--?[^' <]+)/.exec(first)?.[1];
    if (/argument is ambiguous/.test(message) && flag) {
      first = `${flag} needs a value; to pass one starting with '-', write ${flag}=VALUE`;
    } else if (/argument missing/.test(message) && flag) {
      first = `${flag} needs a value`;
    }
    throw new UsageError(`${first} (see '${command} --help')`);
  }
}

/**
 * Flags that may stand alone or take a value (`--validate`, `--validate=json`): parseArgs has
 * no such kind, so the bare flag is given its value before parsing.
 */
const BARE_VALUES: Record<string, string> = { validate: 'text' };

function withBareValue(options: Options): (arg: string) => string {
  return (arg) => {
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    const value = BARE_VALUES[name];
    return value !== undefined && name in options ? `${arg}=${value}` : arg;
  };
}

/** A string flag's value (the last one when repeated). */
export function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable string flag's values. */
export function list(values: Values, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

/** A boolean flag. */
export function flag(values: Values, name: string): boolean {
  return values[name] === true;
}

/**
 * A whole number from `min` to `max`, written as plain decimal digits: `1.5`, `1e3`, `0x10`,
 * `+5`, ` 5` and `-1` are refused, as is anything beyond `max`.
 */
export function integer(
  flagName: string,
  raw: string | undefined,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^[0-9]{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER
        ? `a whole number of at least ${min}`
        : `a whole number from ${min} to ${max}`;
    throw new UsageError(`${flagName} must be ${range}, got ${describeValue(raw)}`);
  }
  return n;
}

/** One of `choices`, compared without regard to case; returns the choice as spelled in `choices`. */
export function choice<T extends string>(
  flagName: string,
  raw: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (raw === undefined) return undefined;
  const found = choices.find((c) => c.toLowerCase() === raw.toLowerCase());
  if (!found) {
    throw new UsageError(
      `${flagName} must be one of ${choices.join(', ')}, got ${describeValue(raw)}`,
    );
  }
  return found;
}
