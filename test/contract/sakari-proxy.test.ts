// Sakari's own document in front of the sandbox: Prism in proxy mode with --errors checks every
// answer of a sandbox switched into the shapes that document allows (no hasNext, no totalCount,
// no pagination at all, pages capped below the limit asked, messages without an id), and the
// client must walk each one exactly. A Prism proxy has one upstream and takes seconds to start,
// so one proxy serves every sandbox through a relay that picks the sandbox by a header.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSakariClient,
  type Message,
  NotFoundError,
  type SakariClientOptions,
} from '../../src/index.js';
import {
  SAKARI_DOCUMENT_SHAPES,
  type Sandbox,
  type SandboxShapes,
  startSandbox,
} from '../../src/sandbox/index.js';
import { LIST_PATH, spec } from '../helpers/spec.js';
import { type PrismInstance, sakariDocument, startProxy } from './prism.js';
import { type Relay, startRelay } from './relay.js';
import { createWire, type Wire } from './wire.js';

const MESSAGES = 300;
const IDLESS_EVERY = 7;
const sendRequest = spec.components.examples.SendMessagesRequest.value;

const scenarios: [string, SandboxShapes][] = [
  ['default shapes', {}],
  ["Sakari's document shapes", SAKARI_DOCUMENT_SHAPES],
  ['no totalCount', { ...SAKARI_DOCUMENT_SHAPES, totalCount: false }],
  ['no pagination', { ...SAKARI_DOCUMENT_SHAPES, pagination: false }],
  ['pages capped at 30', { ...SAKARI_DOCUMENT_SHAPES, pageCap: 30 }],
  [
    'pages capped at 30, no totalCount',
    { ...SAKARI_DOCUMENT_SHAPES, pageCap: 30, totalCount: false },
  ],
  [
    `every ${IDLESS_EVERY}th message without id`,
    { ...SAKARI_DOCUMENT_SHAPES, idlessEvery: IDLESS_EVERY },
  ],
];

const sandboxes: Sandbox[] = [];
let relay: Relay;
let proxy: PrismInstance;

beforeAll(async () => {
  sandboxes.push(
    ...(await Promise.all(
      scenarios.map(([, shapes]) => startSandbox({ messages: MESSAGES, shapes })),
    )),
  );
  relay = await startRelay((request) => {
    const sandbox = sandboxes[Number(request.headers['x-sandbox'])];
    return sandbox && { origin: sandbox.url, path: request.url ?? '/' };
  });
  proxy = await startProxy(relay.url, { spec: sakariDocument });
}, 40_000);

afterAll(async () => {
  // Whatever failed above, nothing is left running.
  await Promise.allSettled([proxy?.stop(), relay?.close(), ...sandboxes.map((s) => s.close())]);
});

const wires: Wire[] = [];
afterEach(() => {
  // Every answer must have passed Prism untouched: a 200 without `sl-violations`.
  const exchanges = wires.splice(0).flatMap((w) => w.exchanges);
  const where = (x: (typeof exchanges)[number]) => `${x.method} ${x.url.pathname}${x.url.search}`;
  expect(exchanges.filter((x) => x.status !== 200).map((x) => `${where(x)} → ${x.status}`)).toEqual(
    [],
  );
  expect(
    exchanges.flatMap((x) => {
      const header = x.responseHeaders.get('sl-violations');
      return header === null ? [] : [`${where(x)}: ${header}`];
    }),
  ).toEqual([]);
});

/** A client of the sandbox of scenario `index`, through the proxy. */
function client(index: number, auth: 'token' | 'credentials' = 'token') {
  const sandbox = sandboxes[index] as Sandbox;
  const wire = createWire({ headers: { 'x-sandbox': String(index) } });
  wires.push(wire);
  const credentials: SakariClientOptions['auth'] =
    auth === 'token'
      ? { token: sandbox.store.issueToken() }
      : { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret };
  const sakari = createSakariClient({
    baseUrl: proxy.url,
    accountId: sandbox.accountId,
    auth: credentials,
    fetch: wire.fetch,
    maxRetries: 0,
    timeoutMs: 10_000,
  });
  return { sakari, wire, sandbox };
}

/** The id of a message, which Sakari's document does not promise. */
const idOf = (message: Message): string | undefined => (message as { id?: string }).id;

/**
 * Every message the sandbox serves, in order, read straight from it (no proxy, no client): pages
 * of 100 from offset 0, each starting where the last one's messages end, until an empty page.
 */
async function served(sandbox: Sandbox): Promise<Message[]> {
  const token = sandbox.store.issueToken();
  const messages: Message[] = [];
  for (let pages = 0; pages < 100; pages++) {
    const url = `${sandbox.url}/v1/accounts/${sandbox.accountId}/messages?offset=${messages.length}&limit=100`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const { data } = (await response.json()) as { data: Message[] };
    if (data.length === 0) return messages;
    messages.push(...data);
  }
  throw new Error('the sandbox never served an empty page');
}

describe.each(scenarios.map(([name, shapes], index) => ({ name, shapes, index })))(
  'through the proxy of Sakari’s document, a sandbox with $name',
  ({ shapes, index }) => {
    let truth: Message[] = [];
    beforeAll(async () => {
      truth = await served(sandboxes[index] as Sandbox);
    });

    it('serves the messages its store holds', () => {
      expect(truth).toHaveLength(MESSAGES);
      const idless = truth.filter((m) => idOf(m) === undefined).length;
      if (shapes.idlessEvery) {
        // List positions 7, 14, … 294 (1-based): the multiples of 7 up to 300.
        expect(idless).toBe(Math.floor(MESSAGES / IDLESS_EVERY));
        expect(truth.flatMap((m, i) => (idOf(m) === undefined ? [i + 1] : []))).toEqual(
          Array.from({ length: idless }, (_, k) => (k + 1) * IDLESS_EVERY),
        );
      } else {
        expect(idless).toBe(0);
      }
    });

    it('list returns the page as the sandbox sent it, in the shape asked for', async () => {
      const { sakari, wire } = client(index);
      const page = await sakari.messages.list({ limit: 50 });
      const sent = JSON.parse(wire.exchanges.find((x) => x.path === LIST_PATH)?.text ?? 'null');
      expect(page).toEqual(sent);
      expect(page.data).toEqual(truth.slice(0, Math.min(50, shapes.pageCap ?? 50)));
      if (shapes.pagination === false) {
        expect(page).not.toHaveProperty('pagination');
      } else {
        expect(Object.keys(page.pagination ?? {}).sort()).toEqual(
          [
            'limit',
            'offset',
            ...(shapes.totalCount === false ? [] : ['totalCount']),
            ...(shapes.hasNext === false ? [] : ['hasNext']),
          ].sort(),
        );
      }
    });

    it('get returns one message', async () => {
      const { sakari } = client(index);
      const message = truth.filter((m) => idOf(m) !== undefined)[12] as Message;
      expect(await sakari.messages.get(idOf(message) as string)).toEqual(message);
    });

    it(`iterate yields all ${MESSAGES} messages in order, each once`, async () => {
      const { sakari, sandbox } = client(index, 'credentials');
      const items: Message[] = [];
      for await (const message of sakari.messages.iterate()) items.push(message);
      expect(items).toEqual(truth);
      const ids = items.map(idOf).filter((id) => id !== undefined);
      const truthIds = new Set(truth.map(idOf));
      expect(ids).toEqual(sandbox.store.ids().filter((id) => truthIds.has(id)));
      expect(items.length - ids.length).toBe(truth.filter((m) => idOf(m) === undefined).length);
      if (!shapes.idlessEvery) expect(ids).toEqual(sandbox.store.ids());
    });

    it('send queues the message', async () => {
      const { sakari, sandbox } = client(index);
      const result = await sakari.messages.send(sendRequest);
      expect(result).toMatchObject({ requested: 1, valid: 1, invalid: [] });
      expect(sandbox.store.size).toBe(MESSAGES + 1);
    });
  },
);

describe('through the proxy of Sakari’s document, an error of the sandbox', () => {
  it('passes unchanged, flagged only by a Warning: the document declares no error for messages', async () => {
    const { sakari, wire } = client(0);
    const error = await sakari.messages.get('msg_unknown').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'MSG-404' });
    const [exchange] = wires.splice(wires.indexOf(wire), 1).flatMap((w) => w.exchanges);
    expect(exchange?.violations).toEqual([
      expect.objectContaining({ location: ['response'], severity: 'Warning' }),
    ]);
  });
});
