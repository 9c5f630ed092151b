// The shapes of list answers that Sakari's own OpenAPI document allows and our spec admits, but
// that the sandbox does not send by default: no `hasNext`, no `totalCount`, no `pagination`,
// pages shorter than asked while more follow, messages without an `id`. Tests switch them on
// to prove a client copes with Sakari's other shape.
import {
  checkBoolean,
  checkOptions,
  integerIn,
  optional,
  type Table,
  withDefault,
} from './checks.js';
import type { StoredMessage } from './world.js';

/**
 * Which optional parts of a list answer the sandbox leaves out, and how it bends pages. Every
 * field defaults to the sandbox's own full shape; `{}` is that shape.
 *
 * @example
 * // Sakari's document: pagination without hasNext, and pages of at most 25 rows.
 * const shapes: SandboxShapes = { ...SAKARI_DOCUMENT_SHAPES, pageCap: 25 };
 */
export interface SandboxShapes {
  /**
   * Send `pagination.hasNext`.
   * @default true
   */
  hasNext?: boolean;
  /**
   * Send `pagination.totalCount`.
   * @default true
   */
  totalCount?: boolean;
  /**
   * Send the `pagination` object at all; `false` leaves it out whatever `hasNext` and
   * `totalCount` say.
   * @default true
   */
  pagination?: boolean;
  /**
   * Serve at most this many messages a page (a cap of 100 or more changes nothing, as `limit`
   * is at most 100), while `pagination.limit` echoes the limit asked: a short page that is not
   * the last. `hasNext` stays true while messages follow the served ones, so the next page
   * starts at `offset + data.length`; a client that adds `limit` instead skips messages.
   * @default undefined (no cap)
   */
  pageCap?: number;
  /**
   * Every Nth message of the list (1 = every message) is served without its `id`: the message
   * at list position `p` (1-based, `offset + index + 1` within the query's list) when `p` is a
   * multiple of N. It counts positions, so inserts and deletes move which messages lose their id.
   * The store still knows each message by id (get by id, `delete`, the hooks); only list pages
   * and the `messages` of a send answer (counted from 1 within the send) leave the key out.
   * @default undefined (every message has its id)
   */
  idlessEvery?: number;
  /**
   * Every Nth message of a list page (counted as `idlessEvery` counts) differs from the spec
   * three ways, one of each kind a drift report names: `segments` is a string (a changed type),
   * it carries `sandboxDrift`, which the spec does not declare (an unknown property), and it has
   * no `id` (a missing required property). For tests of `--validate` and `sakari-client/validate`.
   * @default undefined (every message as the spec says)
   */
  driftEvery?: number;
}

/**
 * The pagination object exactly as Sakari's own OpenAPI document 1.0.1 describes it:
 * `{offset, limit, totalCount}`, without `hasNext`. Spread it and add fields to combine, as
 * `sakari sandbox --shape sakari` does.
 */
export const SAKARI_DOCUMENT_SHAPES: SandboxShapes = Object.freeze({ hasNext: false });

/** The shapes in force, every field filled in. */
interface Shapes {
  readonly hasNext: boolean;
  readonly totalCount: boolean;
  readonly pagination: boolean;
  readonly pageCap: number | undefined;
  readonly idlessEvery: number | undefined;
  readonly driftEvery: number | undefined;
}

/** The shapes in force, and as given (frozen), which is what `store.shapes` reads back. */
export interface ResolvedShapes extends Shapes {
  readonly given: SandboxShapes;
}

const atLeastOne = optional(integerIn(1, Number.MAX_SAFE_INTEGER));

const SHAPES: Table<Shapes> = {
  hasNext: withDefault(true, checkBoolean),
  totalCount: withDefault(true, checkBoolean),
  pagination: withDefault(true, checkBoolean),
  pageCap: atLeastOne,
  idlessEvery: atLeastOne,
  driftEvery: atLeastOne,
};

/** Checks shapes given by a caller (named `field` in errors) and fills in the defaults. */
export function checkShapes(field: string, given: unknown): ResolvedShapes {
  const shapes = checkOptions(field, given, SHAPES);
  // A frozen copy: changing a field in place would otherwise be ignored without a word.
  return { ...shapes, given: Object.freeze({ ...(given as SandboxShapes) }) };
}

const OPEN = Buffer.from('{');
const COMMA = 0x2c;
const CLOSE = 0x7d;

/**
 * A stored message's JSON without its `id` key. Generated messages (and given ones written id
 * first) begin with `{"id":…`, so the rest of their chunks is reused as is; others are re-encoded.
 */
export function withoutId(message: StoredMessage): readonly Buffer[] {
  const [first, ...rest] = message.json;
  // Ids are ASCII (checked on the way in), so comparing latin1 text compares the bytes.
  const prefix = `{"id":${JSON.stringify(message.id)}`;
  if (
    first &&
    first.length > prefix.length &&
    first.toString('latin1', 0, prefix.length) === prefix
  ) {
    const next = first[prefix.length];
    if (next === COMMA) return [OPEN, first.subarray(prefix.length + 1), ...rest];
    if (next === CLOSE) return [OPEN, first.subarray(prefix.length), ...rest];
  }
  const { id: _id, ...others } = JSON.parse(Buffer.concat(message.json).toString('utf8'));
  return [Buffer.from(JSON.stringify(others))];
}

/** A stored message as `driftEvery` serves it: `segments` a string, an undeclared key, no `id`. */
export function drifted(message: StoredMessage): readonly Buffer[] {
  const { id: _id, ...others } = JSON.parse(Buffer.concat(message.json).toString('utf8'));
  return [
    Buffer.from(
      JSON.stringify({ ...others, segments: String(others.segments ?? 1), sandboxDrift: true }),
    ),
  ];
}
