/**
 * `createDriftCollector`: checks answers against the spec and adds up what differs, over as
 * many answers as a caller gives it: each difference once per path and kind, with counts and
 * one example value, secrets taken out.
 */

// Compiled by `npm run generate`, not at first use: nothing to compile or load at run time,
// and no `new Function`, which a Content Security Policy or an edge runtime may forbid.
import { document, validators } from '../../generated/validators.js';
import { redact, SakariValidationError } from '../errors.js';
import { checkOptionalInteger, checkOptionalObject } from '../validate.js';
import { type AnswerRef, type OperationId, type Target, targetOf } from './operations.js';
import { type DriftKind, type Problem, problemsOf } from './problems.js';
import { unknownPropertyWalk } from './unknown-properties.js';

/** Options of `createDriftCollector`. */
export interface DriftCollectorOptions {
  /**
   * Strings that must never appear in a report, such as the client secret and the tokens in
   * use. Read at each check, so a list that grows as tokens are issued keeps working. Strings
   * shorter than 4 characters are not looked for.
   * @default []
   */
  secrets?: readonly string[];
  /**
   * The most characters of an example value kept (as JSON); a longer one is cut and ends in `…`.
   * @default 80
   */
  maxExampleLength?: number;
  /**
   * The most distinct findings kept; past it, new ones are counted in `dropped` only. Bounds the
   * memory a long run against a very different server can take.
   * @default 1000
   */
  maxFindings?: number;
}

/** One difference between the answers and the spec, added up over every answer checked. */
export interface DriftFinding {
  /** The operation, such as `listMessages`. */
  operation: OperationId;
  /** The spec's key for the answer's status (`200`, `5XX`), or the status when the spec lists none. */
  status: string;
  /** Where in the body, array items as `[]`: `data[].segments`; `''` is the body itself. */
  path: string;
  /** What kind of difference it is. */
  kind: DriftKind;
  /** What the spec says there, in a few words (`number`, `date-time`); `''` when the kind says it all. */
  expected: string;
  /** How many times it was found (a field of every message of a page counts once per message). */
  count: number;
  /** How many answers it was found in. */
  answers: number;
  /** How many answers were checked for this operation and status. */
  seen: number;
  /**
   * One value found there, as JSON, secrets replaced with `[redacted]`, at most
   * `maxExampleLength` characters; undefined for a missing property.
   */
  example: string | undefined;
}

/** What a collector has found so far. */
export interface DriftReport {
  /** How many answers were checked. */
  answers: number;
  /** The findings, sorted by operation, status, path, kind and expected: the same answers give the same report. */
  findings: DriftFinding[];
  /** Answers whose method and path are no operation of the spec: not checked. */
  unmatched: number;
  /** Findings not kept because `maxFindings` were held already. */
  dropped: number;
}

/** Checks answers against the spec and adds up the differences. */
export interface DriftCollector {
  /**
   * Checks the parsed JSON body of one answer. A body of `undefined` (no body, or not JSON) is
   * not checked. Throws `SakariValidationError` for an operationId the spec does not have.
   * @example
   * drift.check('listMessages', page);
   * drift.check({ method: 'GET', path: '/v1/accounts/acc_1/messages', status: 200 }, page);
   */
  check(answer: AnswerRef, body: unknown): void;
  /** The findings so far, sorted; a snapshot that later checks do not change. */
  report(): DriftReport;
}

interface Tally {
  finding: DriftFinding;
  /** The number of the answer that last added to `answers`. */
  lastAnswer: number;
}

const walkUnknown = unknownPropertyWalk(document);

/**
 * Creates a collector of the differences between answers and the spec.
 * @example
 * const drift = createDriftCollector({ secrets: [clientSecret] });
 * for (const page of pages) drift.check('listMessages', page);
 * console.log(formatDriftReport(drift.report()));
 */
export function createDriftCollector(options?: DriftCollectorOptions): DriftCollector {
  const o = checkOptionalObject('options', options);
  const secrets = (o.secrets ?? []) as readonly string[];
  if (!Array.isArray(secrets) || !secrets.every((s) => typeof s === 'string')) {
    throw new SakariValidationError('secrets', o.secrets, 'an array of strings');
  }
  const maxExample = checkOptionalInteger('maxExampleLength', o.maxExampleLength, 8) ?? 80;
  const maxFindings = checkOptionalInteger('maxFindings', o.maxFindings, 0) ?? 1_000;

  const tallies = new Map<string, Tally>();
  const seen = new Map<string, number>();
  let answers = 0;
  let unmatched = 0;
  let dropped = 0;

  function add(target: Target, problem: Problem, answer: number): void {
    const key = `${target.operation} ${target.status} ${problem.kind} ${problem.expected} ${problem.path}`;
    let tally = tallies.get(key);
    if (!tally) {
      if (tallies.size >= maxFindings) {
        dropped++;
        return;
      }
      tally = {
        finding: {
          operation: target.operation,
          status: target.status,
          path: clean(problem.path, secrets, Number.POSITIVE_INFINITY),
          kind: problem.kind,
          expected: problem.expected,
          count: 0,
          answers: 0,
          seen: 0,
          example:
            problem.value === undefined ? undefined : example(problem.value, secrets, maxExample),
        },
        lastAnswer: -1,
      };
      tallies.set(key, tally);
    }
    tally.finding.count++;
    if (tally.lastAnswer !== answer) {
      tally.lastAnswer = answer;
      tally.finding.answers++;
    }
  }

  return {
    check(answer, body) {
      const target = targetOf(answer);
      if (target === undefined) {
        unmatched++;
        return;
      }
      if (body === undefined) return;
      const number = answers++;
      const where = `${target.operation} ${target.status}`;
      seen.set(where, (seen.get(where) ?? 0) + 1);
      for (const problem of problemsIn(target, body)) add(target, problem, number);
    },
    report() {
      const findings = [...tallies.values()]
        .map(({ finding }) => ({
          ...finding,
          seen: seen.get(`${finding.operation} ${finding.status}`) ?? 0,
          // Again, for secrets added to the list since the finding was made.
          path: clean(finding.path, secrets, Number.POSITIVE_INFINITY),
          example: finding.example && clean(finding.example, secrets, Number.POSITIVE_INFINITY),
        }))
        .sort(byPlace);
      return { answers, findings, unmatched, dropped };
    },
  };
}

/** Every problem of one body: the rules it breaks, then the properties the spec does not declare. */
function problemsIn(target: Target, body: unknown): Problem[] {
  const { pointer } = target;
  if (pointer === undefined) {
    return [{ path: '', kind: 'status', expected: '', value: Number(target.status) }];
  }
  const validate = validators[pointer];
  if (!validate) throw new Error(`no validator for ${pointer}`); // generated/ is out of date
  try {
    const problems = validate(body) ? [] : problemsOf(validate.errors ?? [], body);
    walkUnknown(pointer, body, (path, value) => {
      problems.push({ path, kind: 'unknown', expected: '', value });
    });
    return problems;
  } catch (error) {
    // A body nested deeper than the stack allows: said, rather than thrown at the caller.
    if (!(error instanceof RangeError)) throw error;
    return [{ path: '', kind: 'other', expected: 'a body nested less deeply', value: undefined }];
  }
}

const textOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function byPlace(a: DriftFinding, b: DriftFinding): number {
  return (
    textOrder(a.operation, b.operation) ||
    textOrder(a.status, b.status) ||
    textOrder(a.path, b.path) ||
    textOrder(a.kind, b.kind) ||
    textOrder(a.expected, b.expected)
  );
}

/** A value as the report shows it: JSON, secrets redacted, then cut. */
function example(value: unknown, secrets: readonly string[], max: number): string {
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = String(value);
  }
  return clean(json, secrets, max);
}

/**
 * `text` with every secret replaced (as it is, and as it reads inside a JSON string), then cut
 * to `max` characters: cut after, so no part of a secret is left at the cut.
 */
function clean(text: string, secrets: readonly string[], max: number): string {
  const escaped = secrets.map((s) => JSON.stringify(s).slice(1, -1));
  const out = redact(redact(text, secrets), escaped);
  if (out.length <= max) return out;
  let end = max - 1;
  // Not between the two halves of a surrogate pair.
  if (/[\uDC00-\uDFFF]/.test(out[end] ?? '')) end--;
  return `${out.slice(0, end)}…`;
}
