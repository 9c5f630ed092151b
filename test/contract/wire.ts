// What the client's contract tests see of the wire: a `fetch` to hand to createSakariClient that
// records every exchange (the request as sent, the raw response as Prism answered it), and the
// judge that turns Prism's verdict on an exchange into a test failure.
import { afterEach, expect } from 'vitest';
import { assertMatches, deref, type Json, responsePointer, spec } from '../helpers/spec.js';
import { type Violation, violationsOf } from './prism.js';

/** One request the client sent and the response it got, both readable after the fact. */
export interface Exchange {
  readonly method: string;
  readonly url: URL;
  /** The spec path the URL falls under, such as `/v1/accounts/{accountId}/messages`. */
  readonly path: string | undefined;
  /** The headers as sent, Authorization included. */
  readonly requestHeaders: Headers;
  /** The body as sent ('' for none). */
  readonly requestBody: string;
  readonly status: number;
  readonly responseHeaders: Headers;
  /** The raw response body. */
  readonly text: string;
  /** What Prism's `sl-violations` header reported. */
  readonly violations: Violation[];
}

export interface WireOptions {
  /** A `Prefer` header set on every request: `code=429`, `seed=7`, `example=lastPage`. */
  prefer?: string;
  /** Remove the Authorization header before sending, to see what Prism says without one. */
  anonymous?: boolean;
  /** Statuses the judge accepts although they usually mean a bad request (401, 422). */
  allow?: readonly number[];
  /** Other headers set on every request, such as one a relay routes by. */
  headers?: Readonly<Record<string, string>>;
}

/** A recording `fetch` and what it recorded. */
export interface Wire {
  readonly fetch: typeof globalThis.fetch;
  readonly exchanges: Exchange[];
  readonly options: WireOptions;
  /** `METHOD /path?query → status` of each exchange, for exact assertions. */
  lines(): string[];
}

const specPaths = Object.keys(spec.paths).map((path) => ({
  path,
  pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

/** The spec path template a concrete path falls under. */
export function specPathOf(pathname: string): string | undefined {
  return specPaths.find(({ pattern }) => pattern.test(pathname))?.path;
}

export function createWire(options: WireOptions = {}): Wire {
  const exchanges: Exchange[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const given = input instanceof Request ? input : new Request(input, init);
    const headers = new Headers(given.headers);
    if (options.prefer !== undefined) headers.set('prefer', options.prefer);
    if (options.anonymous) headers.delete('authorization');
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    // A fresh connection per request. Prism's server drops a keep-alive connection after 5 s
    // idle; on a loaded machine fetch can pick such a socket just as it closes and get
    // ECONNRESET, which these tests (maxRetries: 0) would report as a failure of the client.
    headers.set('connection', 'close');
    const request = new Request(given, { headers });
    const requestBody = await request.clone().text();
    const response = await globalThis.fetch(request);
    const url = new URL(request.url);
    exchanges.push({
      method: request.method,
      url,
      path: specPathOf(url.pathname),
      requestHeaders: headers,
      requestBody,
      status: response.status,
      responseHeaders: response.headers,
      text: await response.clone().text(),
      violations: violationsOf(response),
    });
    return response;
  }) as typeof globalThis.fetch;
  return {
    fetch,
    exchanges,
    options,
    lines: () => exchanges.map((x) => `${x.method} ${x.url.pathname}${x.url.search} → ${x.status}`),
  };
}

/** The response an operation declares for a status, or for its range (`5XX`), as Prism matches. */
export function declaredStatus(path: string, method: string, status: number): string | undefined {
  const responses = spec.paths[path]?.[method.toLowerCase()]?.responses ?? {};
  if (responses[String(status)]) return String(status);
  const range = `${String(status)[0]}XX`;
  return responses[range] ? range : undefined;
}

/** The first example of a declared response: what Prism's static mock answers with. */
export function responseExample(path: string, method: string, status: number): Json {
  const key = declaredStatus(path, method, status);
  if (!key) throw new Error(`${method} ${path} declares no ${status}`);
  const response = deref(spec.paths[path][method.toLowerCase()].responses[key]);
  return deref(Object.values<Json>(response.content['application/json'].examples)[0]).value;
}

/**
 * Everything wrong with one exchange, as far as the contract goes (empty when it is fine):
 * Prism's `sl-violations`, a 422 or an unexpected 401 (Prism refusing the request), a
 * problem+json (Prism answering instead of the server), a status the operation does not declare,
 * or a body that does not fit the declared schema. The last check runs our own validator too,
 * because Prism does not look two turns down the Message ⇄ Conversation cycle.
 */
export function contractProblems(x: Exchange, allow: readonly number[] = []): string[] {
  const where = `${x.method} ${x.url.pathname}${x.url.search} → ${x.status}`;
  const problems: string[] = [];
  for (const v of x.violations) {
    problems.push(`${where}: sl-violations ${v.severity} at ${v.location.join('.')}: ${v.message}`);
  }
  if ((x.status === 422 || x.status === 401) && !allow.includes(x.status)) {
    problems.push(`${where}: Prism refused the request`);
  }
  if (/problem\+json/i.test(x.responseHeaders.get('content-type') ?? '')) {
    problems.push(`${where}: answered by Prism itself (problem+json): ${x.text.slice(0, 300)}`);
  }
  const declared = x.path && declaredStatus(x.path, x.method, x.status);
  if (!x.path || !declared) {
    problems.push(`${where}: no response declared for this status`);
    return problems;
  }
  let body: unknown;
  try {
    body = JSON.parse(x.text);
  } catch {
    problems.push(`${where}: body is not JSON: ${x.text.slice(0, 100)}`);
    return problems;
  }
  try {
    assertMatches(responsePointer(x.path, x.method.toLowerCase(), declared), body);
  } catch (error) {
    problems.push(`${where}: ${(error as Error).message}`);
  }
  return problems;
}

/**
 * Returns a factory of wires whose every exchange is judged after each test: a test fails when
 * any of its requests broke the spec or any response broke it (see `contractProblems`).
 */
export function useJudgedWires(): (options?: WireOptions) => Wire {
  let wires: Wire[] = [];
  afterEach(() => {
    const judged = wires;
    wires = [];
    const problems = judged.flatMap((w) =>
      w.exchanges.flatMap((x) => contractProblems(x, w.options.allow)),
    );
    expect(problems, 'exchanges that break the contract').toEqual([]);
  });
  return (options) => {
    const w = createWire(options);
    wires.push(w);
    return w;
  };
}

/** Whether a JSON value holds a null anywhere. */
export function hasNull(value: Json): boolean {
  return value === null || (typeof value === 'object' && Object.values(value).some(hasNull));
}
