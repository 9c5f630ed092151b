/**
 * Which response of the spec an answer is: its operation, and the status key (`200`, `5XX`)
 * whose schema it must fit, from an operationId or from the request's method and path.
 */

import { operations } from '../../generated/validators.js';
import { SakariValidationError } from '../errors.js';

/** The id of an operation of the spec, such as `listMessages`. */
export type OperationId = keyof typeof operations;

/**
 * Which answer a body is.
 * - An operationId alone: the operation's success (2xx) answer.
 * - `{ operation, status }`: that operation's answer with that status.
 * - `{ method, path, status }`: the answer to a request, as the client's `onResponse` tells it;
 *   `path` is the request's path (`/v1/accounts/acc_1/messages`), its full URL, or the
 *   spec's template.
 */
export type AnswerRef =
  | OperationId
  | { operation: OperationId; status: number }
  | { method: string; path: string; status: number };

/** The response of the spec an answer is checked against. */
export interface Target {
  operation: OperationId;
  /** The spec's key for the status: `200`, `5XX`, `default`; the status itself when unlisted. */
  status: string;
  /** JSON pointer of the response schema; undefined when the spec lists no such status. */
  pointer: string | undefined;
}

type Operation = (typeof operations)[OperationId];

const ids = Object.keys(operations) as OperationId[];
const templates = ids.map((id) => ({
  id,
  method: operations[id].method,
  segments: segmentsOf(operations[id].path),
}));

function segmentsOf(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** The target of `answer`; undefined when its method and path are no operation of the spec. */
export function targetOf(answer: AnswerRef): Target | undefined {
  if (typeof answer === 'string') {
    const operation = checkOperation(answer);
    const success = Object.keys(operations[operation].responses).find((k) => k.startsWith('2'));
    return responseOf(operation, success ?? '2XX');
  }
  if (typeof answer !== 'object' || answer === null) {
    throw new SakariValidationError('answer', answer, 'an operationId or { method, path, status }');
  }
  const status = checkStatus(answer.status);
  if ('operation' in answer) return responseOf(checkOperation(answer.operation), status);
  const operation = match(String(answer.method).toUpperCase(), String(answer.path));
  return operation === undefined ? undefined : responseOf(operation, status);
}

function checkOperation(value: unknown): OperationId {
  if (typeof value !== 'string' || !Object.hasOwn(operations, value)) {
    throw new SakariValidationError('operation', value, `an operationId: ${ids.join(', ')}`);
  }
  return value as OperationId;
}

function checkStatus(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 100 || value > 599) {
    throw new SakariValidationError('status', value, 'an HTTP status from 100 to 599');
  }
  return value;
}

/** The response the spec gives for a status: itself, else its range (`4XX`), else `default`. */
function responseOf(operation: OperationId, status: number | string): Target {
  const responses: Operation['responses'] = operations[operation].responses;
  const exact = String(status);
  for (const key of [exact, `${exact[0]}XX`, 'default']) {
    if (Object.hasOwn(responses, key)) return { operation, status: key, pointer: responses[key] };
  }
  return { operation, status: exact, pointer: undefined };
}

/**
 * The operation whose path template the path ends with; one that matches the whole path wins,
 * then the one with more fixed segments. Matching the end admits a base URL with a path prefix.
 */
function match(method: string, path: string): OperationId | undefined {
  let pathname: string;
  try {
    pathname = new URL(path, 'http://base.invalid').pathname;
  } catch {
    return undefined;
  }
  const segments = segmentsOf(pathname);
  let best: { id: OperationId; offset: number; fixed: number } | undefined;
  for (const template of templates) {
    if (template.method !== method || template.segments.length > segments.length) continue;
    const offset = segments.length - template.segments.length;
    let fixed = 0;
    const fits = template.segments.every((part, i) => {
      if (part.startsWith('{') && part.endsWith('}')) return true;
      fixed++;
      return part === segments[offset + i];
    });
    if (!fits) continue;
    if (!best || offset < best.offset || (offset === best.offset && fixed > best.fixed)) {
      best = { id: template.id, offset, fixed };
    }
  }
  return best?.id;
}
