// The options of `startSandbox`: what each means, its default and its check, in one table. The
// store's setters run the same checks, so a knob turned at run time is held to the same rules.
import { SakariValidationError } from '../errors.js';
import type { Message } from '../types.js';
import { checkFunction, checkId, checkSecret, isObject } from '../validate.js';
import {
  type Check,
  checkDelay,
  checkOptions,
  checkSeed,
  integerIn,
  optional,
  positive,
  type Table,
  withDefault,
} from './checks.js';
import { ChurnSchedule, type SandboxChurn } from './churn.js';
import { type FaultPlan, FaultSchedule } from './faults.js';
import { TokenBucket } from './rate-limit.js';
import { checkShapes, type ResolvedShapes, type SandboxShapes } from './shapes.js';
import type { SandboxStore } from './store.js';
import { MAX_GENERATED } from './world.js';

/** How to start a sandbox. Every field is optional. */
export interface SandboxOptions {
  /**
   * TCP port to listen on (the host is always 127.0.0.1); 0 picks a free one.
   * @default 0
   */
  port?: number;
  /**
   * The account id the API paths must name.
   * @default 'acc_sandbox'
   */
  accountId?: string;
  /**
   * Client id accepted by `POST /oauth2/token`.
   * @default 'sandbox-client'
   */
  clientId?: string;
  /**
   * Client secret accepted by `POST /oauth2/token` (a local, fake secret).
   * @default 'sandbox-secret-0123456789abcdef'
   */
  clientSecret?: string;
  /**
   * The account's messages: a count generates that many realistic messages from `seed`
   * (lazily, so any size starts at once; at most 16,777,215); an array is served exactly as
   * given, in the given order (newest first).
   * @default 100
   */
  messages?: number | readonly Message[];
  /**
   * Seed of the generated data: the same seed gives the same messages, ids and contacts.
   * @default 1
   */
  seed?: number;
  /**
   * Delay added before every answer (ms).
   * @default 0
   */
  latencyMs?: number;
  /**
   * Requests per second allowed (a token bucket holding one second's worth); beyond it the
   * answer is 429 with `Retry-After` in whole seconds. Applies to every request on a known path.
   * @default undefined (no limit)
   */
  rateLimit?: number;
  /**
   * Seeded, exact fault injection; see {@link FaultPlan}.
   * @default undefined (no faults)
   */
  faults?: FaultPlan;
  /**
   * Lifetime of issued tokens (seconds; fractions allowed, enforced to the millisecond).
   * @default 3600
   */
  tokenTtlSeconds?: number;
  /**
   * Which optional parts of list answers to leave out, and how to bend pages, so a client meets
   * the shapes Sakari's own document allows; see {@link SandboxShapes} and
   * `SAKARI_DOCUMENT_SHAPES`.
   * @default {} (the full shape: pagination with all four fields, every message with its id)
   */
  shapes?: SandboxShapes;
  /**
   * Seeded inserts and deletes before each list request is answered (before the hooks below);
   * see {@link SandboxChurn}.
   * @default undefined (no churn)
   */
  churn?: SandboxChurn;
  /**
   * Called before each list request is answered (`request` counts list requests from 1), after
   * `churn`; returns how many new messages to insert on top before answering. Reproduces
   * messages arriving while a client pages.
   * @default undefined
   */
  insertDuring?: (context: { request: number; store: SandboxStore }) => number;
  /**
   * Called before each list request is answered, after `insertDuring`; returns the ids to
   * delete before answering.
   * @default undefined
   */
  deleteDuring?: (context: { request: number; store: SandboxStore }) => readonly string[];
}

/** The options as the sandbox runs on them: checked, defaulted, each in the form its part uses. */
export interface SandboxSettings {
  readonly port: number;
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly messages: number | readonly Message[];
  readonly seed: number;
  readonly latencyMs: number;
  readonly rateLimit: TokenBucket | undefined;
  readonly faults: FaultSchedule | undefined;
  readonly tokenTtlSeconds: number;
  readonly shapes: ResolvedShapes;
  readonly churn: ChurnSchedule | undefined;
  readonly insertDuring: SandboxStore['insertDuring'];
  readonly deleteDuring: SandboxStore['deleteDuring'];
}

const MAX_RATE = 1_000_000;
const MAX_TTL_SECONDS = 366 * 24 * 3600;

/**
 * How many messages to generate, or messages given as they are to be served: objects whose ids
 * are usable in a URL path and unique, among themselves and against `taken` (those already held).
 */
export function checkMessages(
  field: string,
  value: unknown,
  taken: (id: string) => boolean = () => false,
): number | readonly Message[] {
  if (typeof value === 'number') {
    if (!(Number.isInteger(value) && value >= 0 && value <= MAX_GENERATED)) {
      throw new SakariValidationError(
        field,
        value,
        `an integer from 0 to ${MAX_GENERATED}, or an array of messages`,
      );
    }
    return value;
  }
  if (!Array.isArray(value)) throw new SakariValidationError(field, value, 'an array of messages');
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

export const checkRate: Check<TokenBucket | undefined> = optional(
  (field, value) => new TokenBucket(positive(MAX_RATE, 'requests per second')(field, value)),
);
export const checkTtl = positive(MAX_TTL_SECONDS, 'seconds');
export const checkFaults: Check<FaultSchedule | undefined> = optional(
  (field, plan) => new FaultSchedule(field, plan),
);
export const checkChurn: Check<ChurnSchedule | undefined> = optional(
  (field, churn) => new ChurnSchedule(field, churn),
);

// `satisfies` both ways: an option without a check, or a check of no option, does not compile.
const SANDBOX_OPTIONS = {
  port: withDefault(0, integerIn(0, 65_535)),
  accountId: withDefault('acc_sandbox', checkId),
  clientId: withDefault('sandbox-client', checkSecret),
  clientSecret: withDefault('sandbox-secret-0123456789abcdef', checkSecret),
  messages: withDefault(100, checkMessages),
  seed: withDefault(1, checkSeed),
  latencyMs: withDefault(0, checkDelay),
  rateLimit: checkRate,
  faults: checkFaults,
  tokenTtlSeconds: withDefault(3600, checkTtl),
  shapes: withDefault({}, checkShapes),
  churn: checkChurn,
  insertDuring: optional(checkFunction<NonNullable<SandboxStore['insertDuring']>>),
  deleteDuring: optional(checkFunction<NonNullable<SandboxStore['deleteDuring']>>),
} satisfies Table<SandboxSettings> & Record<keyof SandboxOptions, unknown>;

/** The options of `startSandbox`, checked before it listens, with their defaults filled in. */
export function checkSandboxOptions(options: unknown): SandboxSettings {
  return checkOptions<SandboxSettings>('options', options, SANDBOX_OPTIONS, '');
}
