// Shared by the sandbox suites: start sandboxes that are always closed after each test, talk to
// them with plain fetch, and check answers against the bundled spec.
import { afterEach, expect } from 'vitest';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';
import type { Message, MessagePage } from '../../src/types.js';
import { assertMatches, type Json, responsePointer, TOKEN_PATH } from './spec.js';

export { LIST_PATH, MESSAGE_PATH, TOKEN_PATH } from './spec.js';

/** Registers an afterEach that closes every sandbox the returned function started. */
export function useSandboxes(): (options?: SandboxOptions) => Promise<Sandbox> {
  const running: Sandbox[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((sandbox) => sandbox.close()));
  });
  return async (options) => {
    const sandbox = await startSandbox(options);
    running.push(sandbox);
    return sandbox;
  };
}

/** Throws unless `body` fits the spec's schema for that operation and status. */
export function expectSpec(path: string, method: string, status: number, body: unknown): void {
  const key = status >= 500 ? '5XX' : String(status);
  assertMatches(responsePointer(path, method, key), body);
}

/** A success body that, on an error status, is Sakari's error body instead. */
export type OrError<T> = T & {
  readonly error: { readonly code: string; readonly message: string };
};

/** A fetched answer with its parsed JSON body. */
export interface Answer<T = Json> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export async function call<T = Json>(url: string, init?: RequestInit): Promise<Answer<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export function tokenRequest(sandbox: Sandbox, body: unknown): Promise<Answer> {
  return call(`${sandbox.url}${TOKEN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function tokenFor(sandbox: Sandbox): Promise<string> {
  const answer = await tokenRequest(sandbox, {
    grant_type: 'client_credentials',
    client_id: sandbox.clientId,
    client_secret: sandbox.clientSecret,
  });
  expect(answer.status).toBe(200);
  return answer.body.access_token;
}

/** Authorized calls to one sandbox's message endpoints. */
export function client(sandbox: Sandbox, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  const base = `${sandbox.url}/v1/accounts/${sandbox.accountId}/messages`;
  return {
    base,
    headers,
    list(
      query: Record<string, string | number> | string = {},
    ): Promise<Answer<OrError<MessagePage>>> {
      const search =
        typeof query === 'string'
          ? query
          : new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
      return call(`${base}${search ? `?${search}` : ''}`, { headers });
    },
    get(id: string): Promise<Answer<OrError<{ success: boolean; data: Message }>>> {
      return call(`${base}/${encodeURIComponent(id)}`, { headers });
    },
    send(body: unknown): Promise<Answer> {
      return call(base, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    /** Every message, walking pages of `limit` by offset, and the pages' pagination objects. */
    async walk(query: Record<string, string> = {}, limit = 100) {
      const messages: Message[] = [];
      const pages: NonNullable<MessagePage['pagination']>[] = [];
      for (let offset = 0; ; offset += limit) {
        const page = await this.list({ ...query, offset, limit });
        expect(page.status).toBe(200);
        messages.push(...page.body.data);
        const pagination = page.body.pagination ?? {};
        pages.push(pagination);
        if (!pagination.hasNext) break;
      }
      return { messages, pages };
    },
  };
}
