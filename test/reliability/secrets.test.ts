// No secret in any error, however it is printed, nor in anything the CLI writes, even when a
// hostile server echoes the token and the secret back.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createSakariClient } from '../../src/index.js';
import { cleanEnv, sakari } from '../helpers/cli.js';
import { fakeJwt, json, observedFetch, stall } from '../helpers/observed-fetch.js';

const SECRET = 'sk_live_Secret-4f9c2a';
const TOKEN = fakeJwt(Math.floor(Date.now() / 1000) + 3600, 'issued-token-7e1d');
const STATIC = 'static-token-93b1c0de';
const SECRETS = [SECRET, TOKEN, STATIC];

/** Every way an error gets printed or shipped to a log. */
function renderings(error: unknown): string {
  const e = error as Error & { cause?: unknown };
  return [
    e?.message,
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: 20, showHidden: true }),
    e?.stack,
    inspect(e?.cause, { depth: 20 }),
  ].join('\n');
}

const hits = (text: string) => SECRETS.filter((s) => text.includes(s));

// A server that echoes everything it was sent — headers and body — in its error bodies.
const echo = (request: Request, status: number) =>
  request.text().then((body) =>
    json(
      {
        success: false,
        error: {
          code: 'ECHO',
          message: `you sent ${request.headers.get('authorization')} ${body}`,
          description: body,
        },
      },
      status,
    ),
  );

// The last column: whether the server echoes a secret, so that each of the three calls' errors
// must show it removed (`[redacted]`) rather than merely absent.
const scenarios: [
  string,
  (request: Request) => Response | Promise<Response>,
  'token' | 'credentials',
  boolean,
][] = [
  ['token exchange refused, body echoed', (r) => echo(r, 401), 'credentials', true],
  ['token exchange 500, body echoed', (r) => echo(r, 500), 'credentials', true],
  [
    '401 on the call, token echoed',
    (r) =>
      r.url.endsWith('/oauth2/token')
        ? json({ access_token: TOKEN, token_type: 'Bearer' })
        : echo(r, 401),
    'credentials',
    true,
  ],
  ['403 with the static token echoed', (r) => echo(r, 403), 'token', true],
  [
    'HTML page echoing the token',
    (r) => new Response(`<p>${r.headers.get('authorization')}</p>`, { status: 502 }),
    'token',
    true,
  ],
  [
    'connection reset',
    () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    },
    'token',
    false,
  ],
  ['stall until timeout', stall, 'token', false],
];

describe('secrets never leak through errors', () => {
  it.each(scenarios)('%s', async (_name, handler, auth, echoes) => {
    const wire = observedFetch(handler);
    const client = createSakariClient({
      accountId: 'acc_1',
      auth: auth === 'token' ? { token: STATIC } : { clientId: 'client-1', clientSecret: SECRET },
      fetch: wire.fetch,
      timeoutMs: 50,
      maxRetries: 1,
      retry: { baseDelayMs: 1 },
    });
    for (const call of [
      () => client.messages.list(),
      () => client.messages.get('m1'),
      () =>
        client.messages.send({
          template: 'hi',
          contacts: [{ mobile: { number: '+15551234567' } }],
        }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      const printed = renderings(error);
      expect(hits(printed)).toEqual([]);
      // The echo was real: a secret was there to be removed.
      expect(printed.includes('[redacted]')).toBe(echoes);
    }
  });
});

describe('secrets never leak through the CLI', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  it('prints no secret, even with --debug, when the server echoes them', async () => {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const echoed = `${req.headers.authorization ?? ''} ${body}`;
        if (req.url === '/oauth2/token' && body.includes(SECRET) && !req.headers['x-fail']) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ access_token: TOKEN, token_type: 'Bearer' }));
          return;
        }
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ success: false, error: { code: 'ECHO', message: `bad: ${echoed}` } }),
        );
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const runs = [
      ['messages', 'list', '--debug'],
      ['messages', 'list', '--all', '--debug', '--format', 'json'],
      ['messages', 'get', 'm1', '--debug'],
      ['messages', 'send', '--to', '+15551234567', '--text', 'hi', '--yes', '--debug'],
    ];
    for (const args of runs) {
      for (const env of <Record<string, string>[]>[
        {
          SAKARI_BASE_URL: url,
          SAKARI_ACCOUNT_ID: 'acc_1',
          SAKARI_CLIENT_ID: 'client-1',
          SAKARI_CLIENT_SECRET: SECRET,
        },
        { SAKARI_BASE_URL: url, SAKARI_ACCOUNT_ID: 'acc_1', SAKARI_TOKEN: STATIC },
      ]) {
        const result = await sakari(args, { env: cleanEnv(env) });
        expect(result.code).toBe(1);
        expect(hits(result.stdout + result.stderr)).toEqual([]);
      }
      // secrets given as flags are no safer to print
      const flagged = await sakari(
        [
          ...args,
          '--base-url',
          url,
          '--account',
          'acc_1',
          '--client-id',
          'c',
          '--client-secret',
          SECRET,
        ],
        { env: cleanEnv() },
      );
      expect(hits(flagged.stdout + flagged.stderr)).toEqual([]);
    }
  }, 60_000);
});
