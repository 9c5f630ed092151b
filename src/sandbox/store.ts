// The control panel of a running sandbox: its knobs, its request log, its tokens and its
// messages. Tests hold it as `sandbox.store`; the server reads it on every request, so a
// change takes effect from the next request on.
import type { Message } from '../types.js';
import { checkDelay } from './checks.js';
import type { ChurnSchedule, SandboxChurn } from './churn.js';
import type { FaultKind, FaultPlan, FaultSchedule } from './faults.js';
import { MessageCollection, storedFromMessage } from './messages.js';
import {
  checkChurn,
  checkFaults,
  checkMessages,
  checkRate,
  checkTtl,
  type SandboxSettings,
} from './options.js';
import type { TokenBucket } from './rate-limit.js';
import { checkShapes, type ResolvedShapes, type SandboxShapes } from './shapes.js';
import { TokenIssuer } from './token.js';
import { type StoredMessage, World } from './world.js';

/** One request as the sandbox saw it. */
export interface RequestLogEntry {
  /** The HTTP method, such as `GET`. */
  readonly method: string;
  /** The path as sent, percent-encoding kept, without the query string. */
  readonly path: string;
  /** The query parameters (the first value of each). */
  readonly query: Readonly<Record<string, string>>;
  /** The status sent; 0 while unanswered, or when no status line was sent (reset, stall). */
  status: number;
  /** The fault the plan injected into this request, if any. */
  fault?: FaultKind;
  /** When the request arrived (`Date.now()`). */
  readonly at: number;
}

/** What the `insertDuring` and `deleteDuring` hooks are told. */
export interface ListRequestContext {
  /** 1-based count of the list requests handled so far, this one included. */
  readonly request: number;
  /** The sandbox's store, to inspect or change. */
  readonly store: SandboxStore;
}

/**
 * Runtime control and inspection of a running sandbox. Every setting takes effect from the next
 * request on.
 */
export interface SandboxStore {
  /** Delay added before every answer (ms). */
  latencyMs: number;
  /** Requests per second allowed before 429s (a token bucket with a one-second burst); `undefined` for no limit. */
  rateLimit: number | undefined;
  /** The fault plan; assigning one (even the same object) restarts its sequence. */
  faults: FaultPlan | undefined;
  /** Lifetime of tokens issued from now on (seconds; fractions allowed). */
  tokenTtlSeconds: number;
  /**
   * Which optional parts list answers leave out (`{}`: the full shape); see {@link SandboxShapes}.
   * Reads give a frozen copy: assign a new object to change it.
   */
  shapes: SandboxShapes;
  /**
   * Inserts and deletes before each list request, or `undefined` for none; assigning one (even
   * the same object) restarts its seeded sequence. Reads give a frozen copy. See {@link SandboxChurn}.
   */
  churn: SandboxChurn | undefined;
  /** Called before each list request is answered, after `churn`; returns how many new messages to insert on top. */
  insertDuring: ((context: ListRequestContext) => number) | undefined;
  /** Called before each list request is answered (after `insertDuring`); returns ids to delete. */
  deleteDuring: ((context: ListRequestContext) => readonly string[]) | undefined;
  /** Every request in arrival order (the newest 50,000 are kept). */
  readonly requests: readonly RequestLogEntry[];
  /** Empties `requests`. */
  clearLog(): void;
  /** How many tokens `POST /oauth2/token` has issued (`issueToken()` is not counted). */
  readonly tokensIssued: number;
  /** How many messages the account holds now. */
  readonly size: number;
  /**
   * How many generated messages have been built so far. The generator is lazy: a fresh sandbox
   * has built none, whatever its size.
   */
  readonly generated: number;
  /** The ids of all messages in server order, newest first. */
  ids(): string[];
  /** A copy of one message, or `undefined`. */
  get(id: string): Message | undefined;
  /**
   * Puts messages on top (newest): `count` realistic new ones with fresh ids and current
   * timestamps, or the given ones in the given order. Returns the new ids, newest first.
   */
  insert(messages: number | readonly Message[]): string[];
  /** Deletes a message; false when there is none with that id. */
  delete(id: string): boolean;
  /** A valid bearer token, as `POST /oauth2/token` would issue (not counted in `tokensIssued`). */
  issueToken(): string;
  /** Makes every token issued so far expired. */
  expireTokens(): void;
}

const LOG_LIMIT = 50_000;

export class Store implements SandboxStore {
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly world: World;
  readonly messages: MessageCollection;
  readonly tokens = new TokenIssuer();
  insertDuring: SandboxStore['insertDuring'];
  deleteDuring: SandboxStore['deleteDuring'];
  /** The rate limiter, when a rate is set. */
  limiter: TokenBucket | undefined;
  /** The dealt faults, when a plan is set. */
  schedule: FaultSchedule | undefined;
  /** The shapes in force, every field filled in. */
  resolvedShapes: ResolvedShapes;
  /** The drawn churn, when churn is set. */
  churnSchedule: ChurnSchedule | undefined;
  /** List requests handled so far (the hooks' `request`). */
  listRequests = 0;
  #latencyMs: number;
  #tokenTtlSeconds: number;
  #requests: RequestLogEntry[] = [];
  #tokensIssued = 0;

  constructor(settings: SandboxSettings) {
    this.accountId = settings.accountId;
    this.clientId = settings.clientId;
    this.clientSecret = settings.clientSecret;
    this.world = new World(settings.seed);
    this.messages = new MessageCollection(this.world, settings.messages);
    this.#latencyMs = settings.latencyMs;
    this.#tokenTtlSeconds = settings.tokenTtlSeconds;
    this.limiter = settings.rateLimit;
    this.schedule = settings.faults;
    this.resolvedShapes = settings.shapes;
    this.churnSchedule = settings.churn;
    this.insertDuring = settings.insertDuring;
    this.deleteDuring = settings.deleteDuring;
  }

  get latencyMs(): number {
    return this.#latencyMs;
  }

  set latencyMs(value: number) {
    this.#latencyMs = checkDelay('latencyMs', value);
  }

  get rateLimit(): number | undefined {
    return this.limiter?.ratePerSecond;
  }

  set rateLimit(value: number | undefined) {
    this.limiter = checkRate('rateLimit', value);
  }

  get faults(): FaultPlan | undefined {
    return this.schedule?.plan;
  }

  set faults(plan: FaultPlan | undefined) {
    this.schedule = checkFaults('faults', plan);
  }

  get shapes(): SandboxShapes {
    return this.resolvedShapes.given;
  }

  set shapes(value: SandboxShapes) {
    this.resolvedShapes = checkShapes('shapes', value);
  }

  get churn(): SandboxChurn | undefined {
    return this.churnSchedule?.churn;
  }

  set churn(value: SandboxChurn | undefined) {
    this.churnSchedule = checkChurn('churn', value);
  }

  get tokenTtlSeconds(): number {
    return this.#tokenTtlSeconds;
  }

  set tokenTtlSeconds(value: number) {
    this.#tokenTtlSeconds = checkTtl('tokenTtlSeconds', value);
  }

  get requests(): readonly RequestLogEntry[] {
    return this.#requests;
  }

  clearLog(): void {
    this.#requests = [];
  }

  /** Records a request as it arrives; the server fills in its status later. */
  log(entry: RequestLogEntry): void {
    if (this.#requests.length >= LOG_LIMIT) this.#requests.splice(0, LOG_LIMIT / 10);
    this.#requests.push(entry);
  }

  get tokensIssued(): number {
    return this.#tokensIssued;
  }

  get size(): number {
    return this.messages.size;
  }

  get generated(): number {
    return this.messages.built;
  }

  ids(): string[] {
    return this.messages.ids();
  }

  get(id: string): Message | undefined {
    const stored = this.messages.get(id);
    return stored
      ? (JSON.parse(Buffer.concat(stored.json).toString('utf8')) as Message)
      : undefined;
  }

  insert(messages: number | readonly Message[]): string[] {
    const checked = checkMessages('messages', messages, (id) => this.messages.has(id));
    let fresh: StoredMessage[];
    if (typeof checked === 'number') {
      const oldestFirst = Array.from({ length: checked }, () => this.freshMessage());
      fresh = oldestFirst.reverse();
    } else {
      fresh = checked.map(storedFromMessage);
    }
    this.messages.insert(fresh);
    return fresh.map((m) => m.id);
  }

  delete(id: string): boolean {
    return this.messages.delete(id);
  }

  /** A new realistic message created now (not yet inserted). */
  freshMessage(): StoredMessage {
    for (;;) {
      const message = this.world.freshMessage(this.messages.nextSeconds(Date.now()));
      // Run-time ids cannot collide with generated ones, but given messages may hold any id.
      if (!this.messages.has(message.id)) return message;
    }
  }

  /** A new id for something made at run time, unused by any message. */
  newId(): string {
    for (;;) {
      const id = this.world.newId(Math.floor(Date.now() / 1000));
      if (!this.messages.has(id)) return id;
    }
  }

  issueToken(): string {
    return this.tokens.issue(this.accountId, this.clientId, this.#tokenTtlSeconds);
  }

  /** Issues a token for `POST /oauth2/token`, which counts it. */
  grantToken(): string {
    this.#tokensIssued += 1;
    return this.issueToken();
  }

  expireTokens(): void {
    this.tokens.expireAll();
  }
}
