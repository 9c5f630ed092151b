// Every answer the sandbox gives, and in particular its error answers. Errors use Sakari's body,
// `{"success":false,"error":{"code","message"}}`, and codes in Sakari's families: ACCT-003 and
// AUTH-001 are the spec's own examples; Sakari documents no code for the other cases, so the
// ones here are plausible stand-ins, stable so that tests can assert them.

/** A complete answer: status, headers and the body as UTF-8 chunks, written in order. */
export interface Reply {
  readonly status: number;
  readonly body: readonly Buffer[];
  readonly headers?: Readonly<Record<string, string>>;
}

export function jsonReply(
  status: number,
  json: string | readonly Buffer[],
  headers?: Readonly<Record<string, string>>,
): Reply {
  const body = typeof json === 'string' ? [Buffer.from(json)] : json;
  return { status, body, ...(headers ? { headers } : {}) };
}

const COMMA = Buffer.from(',');

/**
 * `before`, the items joined by commas, then `after`. Items are already-encoded JSON chunks,
 * so a page of messages is put together without serializing, encoding or copying them.
 */
export function spliceJson(
  before: string,
  items: readonly (readonly Buffer[])[],
  after: string,
): Buffer[] {
  const chunks: Buffer[] = [Buffer.from(before)];
  items.forEach((item, i) => {
    if (i > 0) chunks.push(COMMA);
    chunks.push(...item);
  });
  chunks.push(Buffer.from(after));
  return chunks;
}

/** The byte length of a body. */
export function bodyLength(body: readonly Buffer[]): number {
  let length = 0;
  for (const chunk of body) length += chunk.length;
  return length;
}

function errorReply(
  status: number,
  code: string,
  message: string,
  headers?: Readonly<Record<string, string>>,
): Reply {
  return jsonReply(status, JSON.stringify({ success: false, error: { code, message } }), headers);
}

/** 400: a parameter or body field is missing or out of range. */
export const badRequest = (message: string, code = 'ACCT-003'): Reply =>
  errorReply(400, code, message);

/** 401: no usable bearer token. */
export const badToken = (message: string): Reply => errorReply(401, 'AUTH-001', message);

/** 401 from the token endpoint: the client id or secret is wrong. */
export const badCredentials = (): Reply =>
  errorReply(401, 'AUTH-003', 'Invalid client credentials');

export const accountNotFound = (): Reply => errorReply(404, 'ACCT-001', 'Account not found');

export const messageNotFound = (): Reply => errorReply(404, 'MSG-404', 'Message not found');

export const routeNotFound = (method: string, path: string): Reply =>
  errorReply(404, 'SYS-404', `No route for ${method} ${path}`);

/** 405 (not in the spec, which lists no such status): a known path with another method. */
export const methodNotAllowed = (allowed: readonly string[]): Reply =>
  errorReply(405, 'SYS-405', `Method not allowed; use ${allowed.join(' or ')}`, {
    allow: allowed.join(', '),
  });

export const tooManyRequests = (retryAfterSeconds: number): Reply =>
  errorReply(429, 'RATE-001', 'Too many requests, slow down', {
    'retry-after': String(retryAfterSeconds),
  });

const SERVER_ERRORS: Record<number, readonly [string, string]> = {
  500: ['SYS-001', 'Internal server error'],
  502: ['SYS-002', 'Bad gateway'],
  503: ['SYS-003', 'Service temporarily unavailable'],
};

export function serverError(status: 500 | 502 | 503, detail?: string): Reply {
  const [code, message] = SERVER_ERRORS[status] ?? ['SYS-001', 'Internal server error'];
  return errorReply(status, code, detail ? `${message}: ${detail}` : message);
}
