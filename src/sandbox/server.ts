// The HTTP side of the sandbox: routing, the request log, latency, rate limiting and fault
// injection around the endpoint handlers, on node:http bound to 127.0.0.1.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultKind } from './faults.js';
import { authorize, createToken, getMessage, listMessages } from './handlers.js';
import { checkSandboxOptions, type SandboxOptions } from './options.js';
import {
  badRequest,
  bodyLength,
  methodNotAllowed,
  type Reply,
  routeNotFound,
  serverError,
  tooManyRequests,
} from './replies.js';
import { sendMessages } from './send.js';
import { type RequestLogEntry, type SandboxStore, Store } from './store.js';

/** A running sandbox. */
export interface Sandbox {
  /** Base URL without a trailing slash, such as `http://127.0.0.1:54321`. */
  readonly url: string;
  /** The account id to put in API paths. */
  readonly accountId: string;
  /** The client id that `POST /oauth2/token` accepts. */
  readonly clientId: string;
  /** The client secret that `POST /oauth2/token` accepts. */
  readonly clientSecret: string;
  /** Runtime control and inspection. */
  readonly store: SandboxStore;
  /** Stops listening and destroys every open connection, stalled ones included. */
  close(): Promise<void>;
}

/** Bodies beyond this are refused: the API's bodies are small JSON documents. */
const MAX_BODY_BYTES = 1 << 20;

type Route =
  | { readonly kind: 'token' }
  | { readonly kind: 'messages'; readonly accountId: string }
  | { readonly kind: 'message'; readonly accountId: string; readonly messageId: string };

const ALLOWED: Record<Route['kind'], readonly string[]> = {
  token: ['POST'],
  messages: ['GET', 'POST'],
  message: ['GET'],
};

/** Decodes a path parameter exactly once; a malformed escape stays as sent (and matches nothing). */
function param(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// Splitting the raw path before decoding keeps an encoded '/' (%2F) inside its parameter.
function route(path: string): Route | undefined {
  if (path === '/oauth2/token') return { kind: 'token' };
  const parts = path.split('/');
  if (parts.length < 5 || parts[0] !== '' || parts[1] !== 'v1' || parts[2] !== 'accounts') {
    return undefined;
  }
  const [, , , account, resource, messageId, ...rest] = parts;
  if (!account || resource !== 'messages' || rest.length > 0) return undefined;
  if (messageId === undefined) return { kind: 'messages', accountId: param(account) };
  if (messageId === '') return undefined;
  return { kind: 'message', accountId: param(account), messageId: param(messageId) };
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined));
    req.on('error', reject);
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function headersOf(reply: Reply): Record<string, string | number> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'content-length': bodyLength(reply.body),
    ...reply.headers,
  };
}

/** Writes `chunks` in order; corked, so they leave in one writev rather than one per chunk. */
function writeChunks(res: ServerResponse, chunks: readonly Buffer[], done?: () => void): void {
  res.cork();
  chunks.forEach((chunk, i) => {
    res.write(chunk, i === chunks.length - 1 ? done : undefined);
  });
  process.nextTick(() => res.uncork());
}

/** The first `length` bytes of `chunks`. */
function firstBytes(chunks: readonly Buffer[], length: number): Buffer[] {
  const head: Buffer[] = [];
  let left = length;
  for (const chunk of chunks) {
    if (left <= 0) break;
    head.push(chunk.length <= left ? chunk : chunk.subarray(0, left));
    left -= chunk.length;
  }
  return head;
}

/** Starts a sandbox on 127.0.0.1 and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const settings = checkSandboxOptions(options);
  const store = new Store(settings);

  // Pending delays, so close() can cut them short instead of leaving timers behind.
  const waits = new Map<NodeJS.Timeout, () => void>();
  let closing = false;
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        waits.delete(timer);
        resolve();
      }, ms);
      waits.set(timer, resolve);
    });

  const send = (res: ServerResponse, entry: RequestLogEntry, reply: Reply) => {
    if (res.destroyed) return;
    entry.status = reply.status;
    res.writeHead(reply.status, headersOf(reply));
    writeChunks(res, reply.body);
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = req.url ?? '/';
    const queryAt = raw.indexOf('?');
    const path = queryAt < 0 ? raw : raw.slice(0, queryAt);
    const query = new URLSearchParams(queryAt < 0 ? '' : raw.slice(queryAt + 1));
    const firstValues: Record<string, string> = {};
    for (const [key, value] of query) {
      if (!Object.hasOwn(firstValues, key)) firstValues[key] = value;
    }
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path,
      query: firstValues,
      status: 0,
      at: Date.now(),
    };
    store.log(entry);
    try {
      await respond(req, res, entry, query);
    } catch (error) {
      // A bug, or a throwing test hook: answer 500 with the reason so the test shows it.
      if (!res.headersSent && !res.destroyed) {
        send(res, entry, serverError(500, error instanceof Error ? error.message : String(error)));
      }
    }
  };

  const respond = async (
    req: IncomingMessage,
    res: ServerResponse,
    entry: RequestLogEntry,
    query: URLSearchParams,
  ): Promise<void> => {
    const { method, path } = entry;
    if (store.latencyMs > 0) await wait(store.latencyMs);
    if (closing) return;

    const found = route(path);
    if (!found) return send(res, entry, routeNotFound(method, path));
    if (!ALLOWED[found.kind].includes(method)) {
      return send(res, entry, methodNotAllowed(ALLOWED[found.kind]));
    }

    const schedule = store.schedule;
    let fault: FaultKind | undefined;
    if (schedule && (found.kind !== 'token' || schedule.appliesTo === 'all')) {
      fault = schedule.next();
      if (fault) entry.fault = fault;
    }
    switch (fault) {
      case 'serverError':
        return send(res, entry, serverError(schedule?.nextServerStatus() ?? 500));
      case 'rateLimit':
        return send(res, entry, tooManyRequests(schedule?.nextRetryAfter() ?? 1));
      case 'reset':
        req.socket.destroy();
        return;
      case 'stall': {
        // Held until the client gives up (the socket closes) or stallMs passes.
        const timer = setTimeout(() => req.socket.destroy(), schedule?.stallMs ?? 30_000);
        waits.set(timer, () => {});
        res.on('close', () => {
          clearTimeout(timer);
          waits.delete(timer);
        });
        return;
      }
    }

    const retryAfter = store.limiter?.take() ?? 0;
    if (retryAfter > 0) return send(res, entry, tooManyRequests(retryAfter));

    let body: unknown;
    if (method === 'POST') {
      const bytes = await readBody(req);
      if (closing) return;
      if (!bytes) return send(res, entry, badRequest('Request body is larger than 1 MiB'));
      body = parseJson(bytes);
      if (body === undefined) return send(res, entry, badRequest('Body must be valid JSON'));
    }

    const reply = dispatch(found, method, req, query, body);
    if (fault === 'cutShort') {
      // Half the body under a Content-Length that matches it: the answer ends cleanly, the JSON does not.
      const length = Math.floor(bodyLength(reply.body) / 2);
      return send(res, entry, { ...reply, body: firstBytes(reply.body, length) });
    }
    if (fault === 'truncate') {
      if (res.destroyed) return;
      entry.status = reply.status;
      res.writeHead(reply.status, headersOf(reply));
      // The full Content-Length is announced, then the connection dies halfway through.
      const half = firstBytes(reply.body, Math.floor(bodyLength(reply.body) / 2));
      writeChunks(res, half, () => res.destroy());
      return;
    }
    send(res, entry, reply);
  };

  const dispatch = (
    found: Route,
    method: string,
    req: IncomingMessage,
    query: URLSearchParams,
    body: unknown,
  ): Reply => {
    if (found.kind === 'token') return createToken(store, body);
    const denied = authorize(store, req.headers.authorization, found.accountId);
    if (denied) return denied;
    if (found.kind === 'message') return getMessage(store, found.messageId);
    return method === 'GET' ? listMessages(store, query) : sendMessages(store, body);
  };

  const server = createServer((req, res) => void handle(req, res));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      closing = true;
      for (const [timer, release] of waits) {
        clearTimeout(timer);
        release();
      }
      waits.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };

  return {
    url: `http://127.0.0.1:${address.port}`,
    accountId: store.accountId,
    clientId: store.clientId,
    clientSecret: store.clientSecret,
    store,
    close,
  };
}
