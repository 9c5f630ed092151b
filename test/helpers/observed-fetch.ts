// An observed fetch: records every Request the client sends and answers it with a handler.
// Tests assert on what went over the "wire" without a mocking library standing in for HTTP.

export type Handler = (request: Request, index: number) => Response | Promise<Response>;

export interface ObservedFetch {
  fetch: typeof globalThis.fetch;
  /** Every request, in the order sent (clones, so bodies can still be read). */
  requests: Request[];
  /** `METHOD path?query` of each request. */
  lines(): string[];
}

export function observedFetch(handler: Handler): ObservedFetch {
  const requests: Request[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    // As fetch does: what `init` gives (a signal, a redirect mode) overrides the request's own.
    const request = input instanceof Request && !init ? input : new Request(input, init);
    requests.push(request.clone());
    request.signal.throwIfAborted();
    return await handler(request, requests.length - 1);
  }) as typeof globalThis.fetch;
  return {
    fetch,
    requests,
    lines: () =>
      requests.map((r) => {
        const url = new URL(r.url);
        return `${r.method} ${url.pathname}${url.search}`;
      }),
  };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function sakariError(status: number, code: string, message: string, headers = {}) {
  return json({ success: false, error: { code, message } }, status, headers);
}

/** A JWT-shaped token (unsigned) whose `exp` is `expSeconds` (epoch seconds). */
export function fakeJwt(expSeconds: number | undefined, id = 'x'): string {
  const b64 = (o: unknown) =>
    btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const claims = expSeconds === undefined ? { sub: id } : { sub: id, exp: expSeconds };
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.sig-${id}`;
}

/** A minimal message: only what the spec requires, plus a text. */
export function message(id: string) {
  return { id, message: `text of ${id}`, outgoing: true };
}

/** Never settles until the request is aborted: a stalled server. */
export function stall(request: Request): Promise<Response> {
  return new Promise((_, reject) => {
    request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
  });
}
