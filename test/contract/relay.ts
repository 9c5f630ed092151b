// A loopback relay that passes each request on to an upstream chosen per request, bytes and
// headers unchanged but for what the route adds. It lets one Prism proxy stand in front of several
// sandboxes, and gives a process that cannot set headers (the CLI) a seed of the dynamic mock.
import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where one request goes: the upstream origin, the path there, headers to set. */
export interface Route {
  origin: string;
  path: string;
  headers?: Record<string, string>;
}

/** A running relay. */
export interface Relay {
  /** Base URL, such as `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

/** Starts a relay on 127.0.0.1; a request `route` gives no route for is answered 502. */
export async function startRelay(
  route: (request: IncomingMessage) => Route | undefined,
): Promise<Relay> {
  const server = createServer((incoming, outgoing) => {
    const to = route(incoming);
    if (!to) {
      outgoing.writeHead(502, { 'content-type': 'text/plain' }).end('no route');
      return;
    }
    const upstream = request(
      `${to.origin}${to.path}`,
      {
        method: incoming.method,
        headers: { ...incoming.headers, host: new URL(to.origin).host, ...to.headers },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    // A broken upstream shows as a dropped connection, which the client reports as such.
    upstream.once('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
