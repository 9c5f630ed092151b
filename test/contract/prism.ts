// Starts and stops Stoplight Prism (@stoplight/prism-cli 5.14.2) for the contract tests: the
// independent judge of whether requests and responses fit the spec.
//
// What Prism 5.14.2 really does with our spec (found by experiment, pinned in prism.test.ts and
// spec-constraints.test.ts):
//
// - `prism mock`: always validates requests. A request that breaks the spec is answered with the
//   spec's own 422 response if the operation declares one, else its 400, else a generated 422
//   problem (prism-http mocker: `getExpectedCodesForViolations` returns [422, 400]). Our spec
//   declares 400 and no 422, so `limit=0`, `limit=101`, `offset=-1` or a bad body get **400** with
//   the 400 example. A missing or non-Bearer `Authorization` gets 401 with the 401 example.
//   Either way the `sl-violations` header lists what was wrong, e.g.
//   `[{"location":["request","query","limit"],"severity":"Error","code":"minimum",…}]`.
//   `Prefer: code=N` picks a declared status (500 and 503 both match `5XX`); an undeclared one is
//   a 404 problem+json. `Prefer: example=<name>` picks a named example.
// - `--errors` only concerns *responses*: a response with an Error-severity violation is replaced
//   by a 500 application/problem+json (`…/errors#VIOLATIONS`) that keeps the `sl-violations`
//   header. In mock mode it does not change how a bad request is answered (in proxy mode it
//   does: see below).
// - `prism mock --dynamic --seed S`: bodies come from json-schema-faker instead of the examples.
//   The generator is re-seeded on every request, so one seed gives the same body every time;
//   `Prefer: seed=N` (read by prism-http-server's getHttpConfigFromRequest) picks another seed per
//   request. Open objects get made-up extra properties and nullable fields get nulls. The
//   generator cuts `$ref` cycles (our Message.conversation ⇄ Conversation.lastMessage) after a few
//   turns and then emits a value that need not fit the schema: see dynamic-mock.test.ts.
// - `prism proxy <spec> <upstream>`: forwards every request and adds `sl-violations` for what is
//   wrong on either side, but answers with the upstream's response unchanged. With `--errors`:
//   an invalid request is NOT forwarded: Prism answers 401 (missing auth) or 422 itself, as
//   application/problem+json (not the spec's 400 example); a response that breaks the spec becomes
//   a 500 problem+json with `sl-violations`; a status the operation does not declare is only a
//   Warning, so it passes through unchanged with `sl-violations` set. Check the header, not just
//   the status.
// - Prism's validator follows a `$ref` cycle only one turn: a message inside
//   `conversation.lastMessage.conversation.lastMessage` is not checked at all. Tests that care
//   about nested bodies should also run test/helpers/spec.ts `assertMatches` on them.
// - Sakari's own document (test/fixtures/sakari-openapi-1.0.1.yaml; pinned in
//   sakari-mock.test.ts) loads as is. Its OAuth2 scheme makes Prism ask the messages operations
//   for `Authorization: Bearer <anything>` ("bearer" in lower case is refused); without it, a
//   generated 401 problem with `WWW-Authenticate: OAuth2`. The token endpoint needs no auth. With
//   no examples, the static mock samples the schemas: "string", 0, true, the few `example`
//   values, -Number.MAX_VALUE for `format: double`; a list is one message with
//   `pagination: {limit: 0, offset: 0, totalCount: 0}` whatever the query. No 4XX is declared:
//   a bad request gets a generated 422, and `Prefer: code=N` a 404 problem. `--dynamic` fills
//   every optional property (json-schema-faker's alwaysFakeOptionals), so it never omits `data`,
//   `pagination` or an `id`, never says `hasNext`, never a null; it does make up `success: false`
//   on a 200, empty pages, negative counts and tokens with spaces. A seed gives the same page
//   whatever the offset.
// - Output: `… [CLI] ▶  start     Prism is listening on http://127.0.0.1:PORT` when ready;
//   `… [CLI] ✖  fatal     <reason>` then exit code 1 when it cannot start (missing or invalid
//   spec, port taken: then stderr also says `listen EADDRINUSE`). It installs no signal handler,
//   so SIGTERM ends it at once. It watches the spec file and restarts when it changes.
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { freePort } from '../helpers/process.js';

/** How to run Prism. */
export interface PrismOptions {
  /** `mock` answers from the spec; `proxy` forwards to `upstream` and validates both ways. */
  mode: 'mock' | 'proxy';
  /** The server a proxy forwards to, e.g. `http://127.0.0.1:5000`. Required in proxy mode. */
  upstream?: string;
  /**
   * Mock mode only: generate bodies from the schemas instead of returning the examples.
   * @default false
   */
  dynamic?: boolean;
  /** Mock mode only: the json-schema-faker seed, so dynamic bodies are reproducible. */
  seed?: number;
  /**
   * `--errors`: a response that violates the spec becomes a 500 problem+json (and, in proxy
   * mode, an invalid request is answered by Prism instead of being forwarded).
   * @default false
   */
  errors?: boolean;
  /**
   * Path of the OpenAPI document.
   * @default the bundled generated/openapi.json
   */
  spec?: string;
}

/** A running Prism. */
export interface PrismInstance {
  /** Base URL to send requests to, e.g. `http://127.0.0.1:38211` (no trailing slash). */
  readonly url: string;
  /** Prism's own process id (no shell or npx in between). */
  readonly pid: number;
  /** SIGTERM, then SIGKILL if Prism has not exited after a grace period. Safe to call twice. */
  stop(): Promise<void>;
  /** Everything Prism printed so far (stdout and stderr, colours removed, oldest lines cut). */
  output(): string;
}

/** One entry of Prism's `sl-violations` header. */
export interface Violation {
  /** Where: `['request', 'query', 'limit']`, `['response', 'body', 'pagination', …]`, … */
  location: string[];
  severity: 'Error' | 'Warning' | 'Information' | 'Hint';
  /** The failed JSON Schema keyword (`minimum`, `required`, …) or 401 for security. */
  code?: string | number;
  message: string;
}

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 3_000;
const PORT_ATTEMPTS = 5;
// Prism logs every request at info level; keep enough to explain a failure, not the whole run.
const OUTPUT_LIMIT = 256 * 1024;

const require = createRequire(import.meta.url);
const prismEntry = require.resolve('@stoplight/prism-cli');
const exitWithParent = fileURLToPath(new URL('./exit-with-parent.cjs', import.meta.url));
/** The bundled spec the package ships. */
export const bundledSpec = fileURLToPath(new URL('../../generated/openapi.json', import.meta.url));
/** Sakari's own OpenAPI document 1.0.1, verbatim (see test/fixtures/README.md). */
export const sakariDocument = fileURLToPath(
  new URL('../fixtures/sakari-openapi-1.0.1.yaml', import.meta.url),
);

class PortTakenError extends Error {}

/**
 * Starts Prism on 127.0.0.1 and a free port. Resolves once Prism says it is listening; rejects,
 * with Prism's output in the message, when it reports a fatal error, exits, or is not ready
 * within 30 s. Every Prism started here is also killed when this process exits or is
 * interrupted, and (through exit-with-parent.cjs) when this process dies any other way.
 *
 * @example
 * const prism = await startPrism({ mode: 'mock', errors: true });
 * await fetch(`${prism.url}/v1/accounts/acc_1/messages`, { headers: { authorization: 'Bearer t' } });
 * await prism.stop();
 */
export async function startPrism(options: PrismOptions): Promise<PrismInstance> {
  if (options.mode === 'proxy' && !options.upstream) {
    throw new Error('startPrism: proxy mode needs an upstream URL');
  }
  if (options.mode === 'proxy' && (options.dynamic || options.seed !== undefined)) {
    throw new Error('startPrism: dynamic and seed apply to mock mode only');
  }
  for (let attempt = 1; ; attempt++) {
    try {
      // Another process may grab the port between our probe and Prism's listen: try another.
      return await launch(options, await freePort());
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

/**
 * Prism in proxy mode with `--errors` in front of `upstream` (the sandbox): every response the
 * upstream gives is checked against the spec, and one that breaks it comes back as a 500 with
 * `sl-violations`. A status the spec does not declare still passes through (a Warning only), so
 * assert `violationsOf(response)` is empty as well as the status.
 */
export function startProxy(
  upstream: string,
  options: Pick<PrismOptions, 'errors' | 'spec'> = {},
): Promise<PrismInstance> {
  return startPrism({ errors: true, ...options, mode: 'proxy', upstream });
}

/** The violations Prism reported for this exchange (empty when it found none). */
export function violationsOf(response: Response): Violation[] {
  const header = response.headers.get('sl-violations');
  if (!header) return [];
  try {
    return JSON.parse(header) as Violation[];
  } catch {
    // Prism cuts a header longer than ~8 KB and prefixes "Too many violations! ".
    return [{ location: [], severity: 'Error', message: header }];
  }
}

function prismArgs(options: PrismOptions, port: number): string[] {
  const spec = options.spec ?? bundledSpec;
  const target = options.mode === 'proxy' ? [spec, options.upstream ?? ''] : [spec];
  return [
    '--require',
    exitWithParent,
    prismEntry,
    options.mode,
    ...target,
    '--host',
    HOST,
    '--port',
    String(port),
    ...(options.dynamic ? ['--dynamic'] : []),
    ...(options.seed !== undefined ? ['--seed', String(options.seed)] : []),
    ...(options.errors ? ['--errors'] : []),
  ];
}

function launch(options: PrismOptions, port: number): Promise<PrismInstance> {
  const child = spawn(process.execPath, prismArgs(options, port), {
    // stdin stays a pipe we never write to: exit-with-parent.cjs watches it.
    stdio: ['pipe', 'pipe', 'pipe'],
    // Plain text, so the ready and fatal lines can be matched whatever the terminal.
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  track(child);
  const log = new OutputLog();
  const closed = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    // A process that never started emits 'error' and no 'close'.
    child.once('error', () => child.pid === undefined && resolve());
  });
  const stop = once(() => terminate(child, closed));

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (reason: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Wait until Prism is gone, so the output is complete and no process is left behind.
      void stop().then(() => {
        const output = log.text();
        const message = `${reason} (prism ${options.mode}, port ${port})\n--- Prism output ---\n${output}`;
        reject(output.includes('EADDRINUSE') ? new PortTakenError(message) : new Error(message));
      });
    };
    const onLine = (line: string): void => {
      if (settled) return;
      const ready = /Prism is listening on (\S+)/.exec(line);
      if (ready?.[1]) {
        settled = true;
        clearTimeout(timer);
        resolve({
          url: ready[1].replace(/\/$/, ''),
          pid: child.pid ?? -1,
          stop,
          output: () => log.text(),
        });
      } else if (/\bfatal\b/.test(line)) {
        fail('Prism reported a fatal error');
      }
    };
    const timer = setTimeout(
      () => fail(`Prism did not report listening within ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    log.follow(child.stdout, onLine);
    log.follow(child.stderr, onLine);
    child.once('error', (error) => fail(`could not start Prism: ${error.message}`));
    child.once('exit', (code, signal) =>
      fail(`Prism exited before listening (code ${code}, signal ${signal})`),
    );
  });
}

async function terminate(child: ChildProcess, closed: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  }
  await closed;
  clearTimeout(timer);
}

function once(action: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => {
    result ??= action();
    return result;
  };
}

/** Prism's output, split into lines for matching and capped in size. */
class OutputLog {
  private chunks: string[] = [];
  private size = 0;

  follow(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
    if (!stream) return;
    stream.setEncoding('utf8');
    let partial = '';
    stream.on('data', (chunk: string) => {
      const text = stripVTControlCharacters(chunk);
      this.append(text);
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    stream.on('end', () => {
      if (partial) onLine(partial);
    });
  }

  text(): string {
    return this.chunks.join('');
  }

  private append(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    while (this.size > OUTPUT_LIMIT && this.chunks.length > 1) {
      this.size -= this.chunks.shift()?.length ?? 0;
    }
  }
}

// Every Prism still running, so an interrupted or crashing run takes them down with it.
const running = new Set<ChildProcess>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let hooked = false;

function track(child: ChildProcess): void {
  if (!hooked) hookProcess();
  running.add(child);
  child.once('exit', () => running.delete(child));
}

function hookProcess(): void {
  hooked = true;
  // 'exit' handlers must be synchronous: no time to wait for a graceful stop.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const signal of SIGNALS) {
    const onSignal = (): void => {
      for (const child of running) child.kill('SIGTERM');
      // Listening to a signal cancels Node's default (exit). If nobody else handles it (vitest
      // handles SIGINT itself), restore the default and re-raise so the process still stops.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}
