// The endpoints of the spec, as functions from a parsed request to a reply. Transport concerns
// (latency, faults, rate limits, writing bytes) live in server.ts.
import { timingSafeEqual } from 'node:crypto';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination.js';
import type { Pagination } from '../types.js';
import { isObject } from '../validate.js';
import type { MessageFilter } from './messages.js';
import {
  accountNotFound,
  badCredentials,
  badRequest,
  badToken,
  jsonReply,
  messageNotFound,
  type Reply,
  spliceJson,
} from './replies.js';
import { drifted, withoutId } from './shapes.js';
import type { Store } from './store.js';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Constant-time for equal lengths; a length mismatch is no secret worth hiding here.
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `POST /oauth2/token`: the client credentials grant, JSON body. */
export function createToken(store: Store, body: unknown): Reply {
  if (!isObject(body)) return badRequest('Body must be a JSON object', 'AUTH-002');
  if (body.grant_type !== 'client_credentials') {
    return badRequest('grant_type must be client_credentials', 'AUTH-002');
  }
  for (const field of ['client_id', 'client_secret'] as const) {
    const value = body[field];
    if (typeof value !== 'string' || value === '') {
      return badRequest(`${field} must be a non-empty string`, 'AUTH-002');
    }
  }
  if (
    !sameSecret(body.client_id as string, store.clientId) ||
    !sameSecret(body.client_secret as string, store.clientSecret)
  ) {
    return badCredentials();
  }
  const token = { access_token: store.grantToken(), token_type: 'Bearer' };
  // OAuth 2.0 (RFC 6749 §5.1) asks token answers not to be cached.
  return jsonReply(200, JSON.stringify(token), { 'cache-control': 'no-store' });
}

/** Checks the bearer token and the account; undefined when the request may go on. */
export function authorize(
  store: Store,
  authorization: string | undefined,
  accountId: string,
): Reply | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return badToken('Missing bearer token');
  const check = store.tokens.check(match[1] as string, store.accountId);
  if (check === 'expired') return badToken('Access token expired');
  if (check === 'invalid') return badToken('Invalid access token');
  return accountId === store.accountId ? undefined : accountNotFound();
}

const DIGITS = /^\d+$/;

/** One query parameter given at most once; `null` when repeated. */
function single(query: URLSearchParams, name: string): string | undefined | null {
  const values = query.getAll(name);
  return values.length > 1 ? null : values[0];
}

/** `GET /v1/accounts/{accountId}/messages` (after `authorize`). */
export function listMessages(store: Store, query: URLSearchParams): Reply {
  const rawOffset = single(query, 'offset');
  const rawLimit = single(query, 'limit');
  const offset = rawOffset === undefined ? 0 : Number(rawOffset);
  const limit = rawLimit === undefined ? DEFAULT_PAGE_SIZE : Number(rawLimit);
  if (
    rawOffset === null ||
    (rawOffset !== undefined && !DIGITS.test(rawOffset)) ||
    !Number.isSafeInteger(offset)
  ) {
    return badRequest('offset must be an integer of at least 0');
  }
  if (
    rawLimit === null ||
    (rawLimit !== undefined && !DIGITS.test(rawLimit)) ||
    !(limit >= 1 && limit <= MAX_PAGE_SIZE)
  ) {
    return badRequest(`limit must be an integer between 1 and ${MAX_PAGE_SIZE}`);
  }
  const filter: { contactId?: string; conversationId?: string } = {};
  for (const name of ['contactId', 'conversationId'] as const) {
    const value = single(query, name);
    if (value === null || value === '') return badRequest(`${name} must be given once, not empty`);
    if (value !== undefined) filter[name] = value;
  }

  store.listRequests += 1;
  store.churnSchedule?.apply(store);
  const context = { request: store.listRequests, store };
  const inserts = store.insertDuring?.(context) ?? 0;
  if (inserts > 0) store.insert(inserts);
  for (const id of store.deleteDuring?.(context) ?? []) store.delete(id);

  return jsonReply(200, pageJson(store, offset, limit, filter));
}

function pageJson(store: Store, offset: number, limit: number, filter: MessageFilter): Buffer[] {
  const shapes = store.resolvedShapes;
  const served = shapes.pageCap === undefined ? limit : Math.min(limit, shapes.pageCap);
  const { total, items } = store.messages.page(offset, served, filter);
  let head = '{"success":true,';
  if (shapes.pagination) {
    // `limit` echoes the limit asked, even when a cap served fewer.
    const pagination: Pagination = { offset, limit };
    if (shapes.totalCount) pagination.totalCount = total;
    if (shapes.hasNext) pagination.hasNext = offset + items.length < total;
    head += `"pagination":${JSON.stringify(pagination)},`;
  }
  const { idlessEvery, driftEvery } = shapes;
  const json =
    idlessEvery === undefined && driftEvery === undefined
      ? items.map((item) => item.json)
      : items.map((item, i) => {
          const position = offset + i + 1;
          if (driftEvery !== undefined && position % driftEvery === 0) return drifted(item);
          if (idlessEvery !== undefined && position % idlessEvery === 0) return withoutId(item);
          return item.json;
        });
  return spliceJson(`${head}"data":[`, json, ']}');
}

/** `GET /v1/accounts/{accountId}/messages/{messageId}` (after `authorize`). */
export function getMessage(store: Store, messageId: string): Reply {
  const message = store.messages.get(messageId);
  if (!message) return messageNotFound();
  return jsonReply(200, spliceJson('{"success":true,"data":', [message.json], '}'));
}
