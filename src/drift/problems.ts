/**
 * What a validator's errors say about a body, in the terms of the drift report: one problem per
 * rule broken, at a path in `[]` form, with the value at fault.
 */
import type { ValidatorError } from '../../generated/validators.js';
import { childPath, resolvePointer } from './paths.js';

/**
 * What kind of difference from the spec a finding is.
 * - `type`: a value of another JSON type than the spec's (`"2"` where a number is declared).
 * - `required`: a property the spec requires is missing.
 * - `enum`: a value outside the spec's `enum` or `const`.
 * - `format`: a string not in the spec's `format` (`date-time`, `email`).
 * - `pattern`: a string the spec's `pattern` does not match.
 * - `range`: a number, length or count outside the spec's bounds (`minimum`, `maxLength`, …).
 * - `unknown`: a property the spec does not declare (the spec's schemas are open, so it is
 *   admitted; it is reported because it is what a maintainer adds to the spec).
 * - `status`: a status the spec does not list for the operation.
 * - `other`: any other rule broken (no alternative of a `oneOf` fits, `not`, …), or a body too
 *   deeply nested to check.
 */
export type DriftKind =
  | 'type'
  | 'required'
  | 'enum'
  | 'format'
  | 'pattern'
  | 'range'
  | 'unknown'
  | 'status'
  | 'other';

/** One rule a body breaks, at one place. */
export interface Problem {
  /** Where, in `[]` form: `data[].segments`; `''` is the body itself. */
  path: string;
  kind: DriftKind;
  /** What the spec says, in a few words: `number`, `date-time`, `>= 0`; `''` when the kind says it all. */
  expected: string;
  /** The value at fault; undefined when it is missing. */
  value: unknown;
}

/** How each bound reads, by keyword: `>= 0`, `length <= 10`. */
const BOUNDS: Record<string, (params: Record<string, unknown>) => string> = {
  minimum: (p) => `${p.comparison} ${p.limit}`,
  maximum: (p) => `${p.comparison} ${p.limit}`,
  exclusiveMinimum: (p) => `${p.comparison} ${p.limit}`,
  exclusiveMaximum: (p) => `${p.comparison} ${p.limit}`,
  multipleOf: (p) => `multiple of ${p.multipleOf}`,
  minLength: (p) => `length >= ${p.limit}`,
  maxLength: (p) => `length <= ${p.limit}`,
  minItems: (p) => `items >= ${p.limit}`,
  maxItems: (p) => `items <= ${p.limit}`,
  minProperties: (p) => `properties >= ${p.limit}`,
  maxProperties: (p) => `properties <= ${p.limit}`,
  uniqueItems: () => 'unique items',
};

const either = (values: readonly string[]) => [...new Set(values)].join(' or ');
const typeList = (type: unknown) => (Array.isArray(type) ? either(type.map(String)) : String(type));

/** Whether JSON pointer `pointer` is `base` or within it. */
const within = (pointer: string, base: string) =>
  pointer === base || pointer.startsWith(`${base}/`);

/** The problems a validator's errors (`allErrors`) describe in `body`. */
export function problemsOf(errors: readonly ValidatorError[], body: unknown): Problem[] {
  const isBranchOf = (error: ValidatorError, combinator: ValidatorError) =>
    error !== combinator &&
    within(error.schemaPath, combinator.schemaPath) &&
    within(error.instancePath, combinator.instancePath);
  // The errors of the alternatives of a oneOf or anyOf come with the combinator's own error:
  // the combinator stands for them, so one value that fits no alternative is one problem.
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const outermost = combinators.filter((c) => !combinators.some((o) => isBranchOf(c, o)));
  // A value of the wrong type breaks its `const` or `enum` too: the type says it.
  const mistyped = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const problems: Problem[] = [];
  for (const error of errors) {
    if (outermost.some((c) => isBranchOf(error, c))) continue;
    if (
      (error.keyword === 'const' || error.keyword === 'enum') &&
      mistyped.has(error.instancePath)
    ) {
      continue;
    }
    problems.push(
      outermost.includes(error)
        ? combined(
            error,
            errors.filter((e) => isBranchOf(e, error)),
            body,
          )
        : single(error, body),
    );
  }
  return problems;
}

function single(error: ValidatorError, body: unknown): Problem {
  const { path, value } = resolvePointer(body, error.instancePath);
  const { keyword, params } = error;
  const problem = (kind: DriftKind, expected: string): Problem => ({
    path,
    kind,
    expected,
    value,
  });
  switch (keyword) {
    case 'type':
      return problem('type', typeList(params.type));
    case 'required':
      return {
        path: childPath(path, String(params.missingProperty)),
        kind: 'required',
        expected: '',
        value: undefined,
      };
    case 'enum':
      return problem(
        'enum',
        either((params.allowedValues as unknown[]).map((v) => JSON.stringify(v))),
      );
    case 'const':
      return problem('enum', JSON.stringify(params.allowedValue));
    case 'format':
      return problem('format', String(params.format));
    case 'pattern':
      return problem('pattern', String(params.pattern));
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(params.additionalProperty ?? params.unevaluatedProperty);
      return resolveUnknown(body, error.instancePath, key);
    }
  }
  const bound = BOUNDS[keyword];
  return bound ? problem('range', bound(params)) : problem('other', keyword);
}

/** A property a closed schema (`additionalProperties: false`) does not allow. */
function resolveUnknown(body: unknown, pointer: string, key: string): Problem {
  const escaped = key.replaceAll('~', '~0').replaceAll('/', '~1');
  const { path, value } = resolvePointer(body, `${pointer}/${escaped}`);
  return { path, kind: 'unknown', expected: '', value };
}

/** One problem for a value that fits no alternative of a oneOf or anyOf. */
function combined(
  combinator: ValidatorError,
  branches: readonly ValidatorError[],
  body: unknown,
): Problem {
  const { path, value } = resolvePointer(body, combinator.instancePath);
  const here = branches.every((e) => e.instancePath === combinator.instancePath);
  // Several alternatives fit a oneOf: no branch error says why.
  if (branches.length === 0 || !here) {
    return { path, kind: 'other', expected: combinator.keyword, value };
  }
  // A string that is not a date-time, where the alternatives are a date-time or null, is
  // a format problem; a number there is a type problem whose expected types are all of theirs.
  const specific = branches.find((e) => e.keyword !== 'type');
  if (specific) return single(specific, body);
  return {
    path,
    kind: 'type',
    expected: either(branches.map((e) => typeList(e.params.type))),
    value,
  };
}
