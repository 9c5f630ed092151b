// The bad-input catalog: every public entry point, every field, every kind of bad value.
// Each must throw SakariValidationError naming the field, before any request: the sandbox's
// request log is the witness.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSakariClient,
  SakariApiError,
  type SakariClient,
  SakariValidationError,
  type SendContact,
  type SendMessagesRequest,
} from '../src/index.js';
import {
  type Sandbox,
  type SandboxShapes,
  type SandboxStore,
  startSandbox,
} from '../src/sandbox/index.js';
import { runCli } from './helpers/cli-in-process.js';
import { json, observedFetch } from './helpers/observed-fetch.js';

const MEGABYTE = 'x'.repeat(1_000_000);

/** The catalog of values, by kind. Each field takes those that are bad for it. */
const catalog = {
  wrongType: [true, {}, [], null, () => 1, Symbol('s'), 10n] as unknown[],
  blank: ['', ' ', '\t', '\n  '],
  numbers: [
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -1,
    -0.5,
    1.5,
    1e21,
    Number.MAX_VALUE,
  ],
  pathish: ['/', 'a/b', '..', '.', '../x', '%2F', 'a%2Fb'],
  control: ['a\0b', 'a\nb', 'a\rb'],
  long: [MEGABYTE],
  unicode: ['é', '联系人', '🙂', 'a\u202Eb'],
  numericStrings: ['10', '1e2', '0x10', ' 5 '],
};

const idBad = [
  ...catalog.wrongType,
  ...catalog.blank,
  ...catalog.pathish,
  ...catalog.control,
  ...catalog.long,
  ...catalog.unicode,
  1,
  Number.NaN,
];
const intBad = [
  ...catalog.wrongType.filter((v) => v !== null),
  ...catalog.numbers,
  ...catalog.numericStrings,
  ...catalog.blank,
];

let sandbox: Sandbox;
let sakari: SakariClient;
let tried = 0;

beforeAll(async () => {
  sandbox = await startSandbox({ messages: 10 });
  sakari = createSakariClient({
    accountId: sandbox.accountId,
    auth: { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
    baseUrl: sandbox.url,
  });
});

afterAll(async () => {
  await sandbox.close();
  console.log(`bad inputs tried: ${tried}`);
});

async function expectRejected(field: string | RegExp, run: () => unknown) {
  tried++;
  const requests = sandbox.store.requests.length;
  let error: unknown;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  expect(error, `expected a SakariValidationError for ${String(field)}`).toBeInstanceOf(
    SakariValidationError,
  );
  // Stopped in the client: not one request reached the server.
  expect(sandbox.store.requests).toHaveLength(requests);
  const { field: named, message } = error as SakariValidationError;
  if (typeof field === 'string') expect(named).toBe(field);
  else expect(named).toMatch(field);
  expect(message).toContain(named);
  expect(message.length).toBeLessThan(300);
}

type Case = [field: string, values: unknown[], run: (value: unknown) => unknown];

// biome-ignore lint/suspicious/noExplicitAny: deliberately calling with wrong types
const loose = (f: unknown) => f as (...args: any[]) => any;

const clientCases = (): Case[] => {
  const base = () => ({
    accountId: 'acc_1',
    auth: { token: 'valid-token' },
    baseUrl: sandbox.url,
  });
  return [
    ['accountId', idBad, (v) => createSakariClient({ ...base(), accountId: v as string })],
    [
      'baseUrl',
      [
        ...catalog.wrongType.filter((v) => v !== null),
        ...catalog.blank,
        ...catalog.pathish,
        ...catalog.control,
        MEGABYTE,
        'http://api.sakari.io',
        'ftp://127.0.0.1',
        'https://user:pw@api.sakari.io',
        'javascript:alert(1)',
        'api.sakari.io',
        'https://api.sakari.io/?token=x',
      ],
      (v) => createSakariClient({ ...base(), baseUrl: v as string }),
    ],
    [
      'timeoutMs',
      [...intBad, 0, 10_000_000],
      (v) => createSakariClient({ ...base(), timeoutMs: v as number }),
    ],
    [
      'maxRetries',
      [...intBad, 11],
      (v) => createSakariClient({ ...base(), maxRetries: v as number }),
    ],
    [
      'retry.baseDelayMs',
      intBad,
      (v) => createSakariClient({ ...base(), retry: { baseDelayMs: v as number } }),
    ],
    [
      'retry.maxDelayMs',
      intBad,
      (v) => createSakariClient({ ...base(), retry: { maxDelayMs: v as number } }),
    ],
    [
      'retry.maxRetryAfterMs',
      intBad,
      (v) => createSakariClient({ ...base(), retry: { maxRetryAfterMs: v as number } }),
    ],
    [
      'auth.token',
      [
        ...catalog.wrongType.filter((v) => v !== null && !(typeof v === 'object')),
        ...catalog.blank,
        ...catalog.control,
        'a b',
        'x'.repeat(9000),
      ],
      (v) => createSakariClient({ ...base(), auth: { token: v as string } }),
    ],
    [
      'auth.clientId',
      [1, ...catalog.blank, ...catalog.control],
      (v) =>
        createSakariClient({ ...base(), auth: { clientId: v as string, clientSecret: 's3cret' } }),
    ],
    [
      'auth.clientSecret',
      [1, ...catalog.blank, ...catalog.control],
      (v) => createSakariClient({ ...base(), auth: { clientId: 'id', clientSecret: v as string } }),
    ],
    [
      'auth',
      [null, 'token', 1, [], {}],
      (v) => createSakariClient({ ...base(), auth: loose(v) as never }),
    ],
    ['fetch', [1, 'fetch', {}], (v) => createSakariClient({ ...base(), fetch: v as typeof fetch })],
    ['onRetry', [1, 'f', {}], (v) => createSakariClient({ ...base(), onRetry: v as never })],
    ['options', [null, 'x', 1, []], (v) => loose(createSakariClient)(v)],
  ];
};

const number = '+15551234567';

const callCases = (): Case[] => [
  ['limit', [...intBad, 0, 101], (v) => sakari.messages.list({ limit: v as number })],
  ['offset', intBad, (v) => sakari.messages.list({ offset: v as number })],
  [
    'contactId',
    idBad.filter((v) => v !== null),
    (v) => sakari.messages.list({ contactId: v as string }),
  ],
  [
    'conversationId',
    idBad.filter((v) => v !== null),
    (v) => sakari.messages.list({ conversationId: v as string }),
  ],
  ['params.page', [1], (v) => loose(sakari.messages.list)({ page: v })],
  ['params', ['x', 1, [], true], (v) => loose(sakari.messages.list)(v)],
  ['signal', [1, 'x', {}], (v) => sakari.messages.list({}, { signal: v as AbortSignal })],
  ['messageId', idBad.filter((v) => v !== undefined), (v) => sakari.messages.get(v as string)],
  // A send: only the wrong JSON type, a blank text, no recipient or nothing to send.
  [
    'template',
    [...catalog.wrongType, ...catalog.blank, undefined],
    (v) => sakari.messages.send({ template: v as string, contacts: [{ mobile: { number } }] }),
  ],
  [
    'template',
    [[], undefined],
    (v) =>
      sakari.messages.send({
        contacts: [{ mobile: { number } }],
        media: v as [],
      }),
  ],
  [
    'contacts[0].mobile.number',
    [...catalog.wrongType, ...catalog.blank],
    (v) =>
      sakari.messages.send({ template: 'hi', contacts: [{ mobile: { number: v as string } }] }),
  ],
  [
    'contacts[0].mobile.country',
    [...catalog.wrongType, ...catalog.blank, 1],
    (v) =>
      sakari.messages.send({
        template: 'hi',
        contacts: [{ mobile: { number, country: v as string } }],
      }),
  ],
  [
    'contacts[0].mobile',
    [null, 'x', 1, [], true],
    (v) => sakari.messages.send({ template: 'hi', contacts: [{ mobile: v as never }] }),
  ],
  [
    'contacts[0].id',
    [...catalog.wrongType, ...catalog.blank, 1, Number.NaN],
    (v) => sakari.messages.send({ template: 'hi', contacts: [{ id: v as string }] }),
  ],
  ...(['firstName', 'lastName', 'email'] as const).map(
    (key): Case => [
      `contacts[0].${key}`,
      [1, null, true, {}, []],
      (v) => sakari.messages.send({ template: 'hi', contacts: [{ id: 'c1', [key]: v }] }),
    ],
  ),
  [
    'contacts[0].attributes',
    [null, 'x', 1, []],
    (v) =>
      sakari.messages.send({ template: 'hi', contacts: [{ id: 'c1', attributes: v as never }] }),
  ],
  [
    'contacts[0].tags',
    [null, 'x', {}],
    (v) => sakari.messages.send({ template: 'hi', contacts: [{ id: 'c1', tags: v as never }] }),
  ],
  [
    'contacts[0].tags[0]',
    [null, 'vip', 1],
    (v) => sakari.messages.send({ template: 'hi', contacts: [{ id: 'c1', tags: [v as never] }] }),
  ],
  [
    'contacts[0].tags[0].tag',
    [null, 1, true, undefined],
    (v) =>
      sakari.messages.send({
        template: 'hi',
        contacts: [{ id: 'c1', tags: [{ tag: v as string }] }],
      }),
  ],
  [
    'contacts[0].tags[0].visible',
    [null, 'yes', 1],
    (v) =>
      sakari.messages.send({
        template: 'hi',
        contacts: [{ id: 'c1', tags: [{ tag: 'vip', visible: v as boolean }] }],
      }),
  ],
  [
    'contacts[0]',
    [null, 'x', 1, [], true],
    (v) => sakari.messages.send({ template: 'hi', contacts: [v as never] }),
  ],
  [
    'contacts',
    [[], 'x', 1, {}, null, undefined],
    (v) => sakari.messages.send({ template: 'hi', contacts: v as never }),
  ],
  [
    'conversations[0]',
    [...catalog.wrongType, ...catalog.blank, 1, Number.NaN],
    (v) => sakari.messages.send({ template: 'hi', conversations: [v as string] }),
  ],
  [
    'conversations',
    ['x', 1, {}, null],
    (v) => sakari.messages.send({ template: 'hi', conversations: v as never }),
  ],
  [
    'filters',
    ['x', 1, [], null],
    (v) => sakari.messages.send({ template: 'hi', filters: v as never }),
  ],
  [
    'filters.tags[0]',
    [1, null, {}],
    (v) => sakari.messages.send({ template: 'hi', filters: { tags: [v as string] } }),
  ],
  [
    'filters.attributes[0]',
    [null, 'x', 1],
    (v) => sakari.messages.send({ template: 'hi', filters: { attributes: [v as never] } }),
  ],
  [
    'filters.attributes[0].value[0]',
    [1, null],
    (v) =>
      sakari.messages.send({ template: 'hi', filters: { attributes: [{ value: [v as string] }] } }),
  ],
  [
    'type',
    [1, null, true, {}, []],
    (v) => sakari.messages.send({ template: 'hi', conversations: ['c1'], type: v as 'SMS' }),
  ],
  [
    'conversationStrategy',
    [1, null, {}],
    (v) =>
      sakari.messages.send({
        template: 'hi',
        conversations: ['c1'],
        conversationStrategy: v as string,
      }),
  ],
  [
    'phoneNumberFilter.group.id',
    [1, null, {}],
    (v) =>
      sakari.messages.send({
        template: 'hi',
        conversations: ['c1'],
        phoneNumberFilter: { group: { id: v as string } },
      }),
  ],
  [
    'phoneNumberFilter',
    ['x', 1, null],
    (v) =>
      sakari.messages.send({
        template: 'hi',
        conversations: ['c1'],
        phoneNumberFilter: v as never,
      }),
  ],
  [
    'media[0].url',
    [...catalog.wrongType, ...catalog.blank, undefined],
    (v) =>
      sakari.messages.send({
        template: 'hi',
        conversations: ['c1'],
        media: [{ url: v as string }],
      }),
  ],
  [
    'media[0]',
    [null, 'https://example.com/a.jpg', 1, []],
    (v) => sakari.messages.send({ conversations: ['c1'], media: [v as never] }),
  ],
  [
    'media',
    ['https://example.com/a.jpg', 1, {}, null],
    (v) => sakari.messages.send({ template: 'hi', conversations: ['c1'], media: v as never }),
  ],
  ['body', [null, 'x', 1, []], (v) => loose(sakari.messages.send)(v)],
  [
    'concurrency',
    [...intBad, 0, 17],
    (v) => sakari.messages.iterate({}, { concurrency: v as number }),
  ],
  ['maxItems', [...intBad, 0], (v) => sakari.messages.iterate({}, { maxItems: v as number })],
  ['limit', [0, 101, 1.5, '50'], (v) => sakari.messages.pages({ limit: v as number })],
];

/** The setters and `insert` of a running sandbox's store. */
const knobCases = (store: () => SandboxStore): Case[] => [
  [
    'latencyMs',
    [Number.NaN, -1, '5'],
    (v) => {
      store().latencyMs = v as number;
    },
  ],
  [
    'rateLimit',
    [0, Number.NaN, '5'],
    (v) => {
      store().rateLimit = v as number;
    },
  ],
  [
    'tokenTtlSeconds',
    [0, Number.POSITIVE_INFINITY, '5'],
    (v) => {
      store().tokenTtlSeconds = v as number;
    },
  ],
  [
    'faults.reset',
    [2, -1],
    (v) => {
      store().faults = { reset: v as number };
    },
  ],
  [
    'shapes.pageCap',
    [0, '5', null],
    (v) => {
      store().shapes = { hasNext: false, pageCap: v as number };
    },
  ],
  [
    'shapes',
    [undefined, null, 'sakari'],
    (v) => {
      store().shapes = v as SandboxShapes;
    },
  ],
  [
    'churn.deletes',
    [-1, 1.5, '1'],
    (v) => {
      store().churn = { inserts: 1, deletes: v as number };
    },
  ],
  ['messages', [-1, 1.5, '3', null, {}], (v) => store().insert(v as number)],
  ['messages[0].id', ['', 'a/b', 1], (v) => store().insert([{ id: v as string }])],
];

/** `startSandbox` and the store's setters: bad options are refused before anything listens. */
const sandboxCases = (): Case[] => {
  const numberBad = [
    ...catalog.wrongType,
    ...catalog.numbers.filter((v) => v !== 1.5 && v !== -0.5 && v !== 1e21),
    ...catalog.numericStrings,
    ...catalog.blank,
  ];
  const share = [-0.1, 1.5, Number.NaN, '0.1', null, true, Number.POSITIVE_INFINITY];
  const start = async (options: unknown) => {
    // Should one be accepted, it is closed at once; the assertion then fails on no error.
    const started = await loose(startSandbox)(options);
    await started.close();
  };
  return [
    ['options', [null, 'x', 1, [], true], (v) => start(v)],
    ['latencyMS', [1], (v) => start({ latencyMS: v })],
    ['port', [...intBad, null, 65_536, 70_000], (v) => start({ port: v })],
    ['accountId', idBad.filter((v) => v !== undefined), (v) => start({ accountId: v })],
    [
      'clientId',
      [1, null, {}, ...catalog.blank, ...catalog.control, 'a b'],
      (v) => start({ clientId: v }),
    ],
    [
      'clientSecret',
      [1, null, {}, ...catalog.blank, ...catalog.control, 'a b', 'x'.repeat(9000)],
      (v) => start({ clientSecret: v }),
    ],
    [
      'messages',
      [
        ...catalog.wrongType.filter((v) => !Array.isArray(v)),
        ...catalog.numbers,
        ...catalog.numericStrings,
        ...catalog.blank,
        16_777_216,
      ],
      (v) => start({ messages: v }),
    ],
    ['messages[0]', [null, 'm-1', 1, []], (v) => start({ messages: [v] })],
    ['messages[0].id', idBad, (v) => start({ messages: [{ id: v }] })],
    ['messages[1].id', ['m-1'], (v) => start({ messages: [{ id: 'm-1' }, { id: v }] })],
    [
      'seed',
      [...catalog.wrongType, Number.NaN, Number.POSITIVE_INFINITY, 0.5, 1e21, '1'],
      (v) => start({ seed: v }),
    ],
    ['latencyMs', [...numberBad, 2 ** 31], (v) => start({ latencyMs: v })],
    ['rateLimit', [...numberBad, 0, 1e7], (v) => start({ rateLimit: v })],
    ['tokenTtlSeconds', [...numberBad, 0, 1e9], (v) => start({ tokenTtlSeconds: v })],
    ['insertDuring', [1, 'f', {}, null], (v) => start({ insertDuring: v })],
    ['deleteDuring', [1, 'f', {}, null], (v) => start({ deleteDuring: v })],
    ['faults', ['x', 1, [], true, null, { reset: 0.6, stall: 0.5 }], (v) => start({ faults: v })],
    ['faults.serverErrors', [0.1], (v) => start({ faults: { serverErrors: v } })],
    ...(['serverError', 'rateLimit', 'reset', 'truncate', 'stall', 'cutShort'] as const).map(
      (kind): Case => [`faults.${kind}`, share, (v) => start({ faults: { [kind]: v } })],
    ),
    ['faults.seed', [0.5, Number.NaN, '1', null], (v) => start({ faults: { seed: v } })],
    [
      'faults.retryAfterSeconds',
      [[3, 1], [-1, 1], [1], [1, 2, 3], 'x', [0.5, 1], [0, 1e9], null],
      (v) => start({ faults: { retryAfterSeconds: v } }),
    ],
    [
      'faults.stallMs',
      [-1, Number.NaN, Number.POSITIVE_INFINITY, '5', 2 ** 31, null],
      (v) => start({ faults: { stallMs: v } }),
    ],
    [
      'faults.appliesTo',
      ['everything', '', 'ALL', 1, null],
      (v) => start({ faults: { appliesTo: v } }),
    ],
    ['shapes', ['x', 1, [], true, null, () => 1], (v) => start({ shapes: v })],
    ['shapes.hasnext', [false], (v) => start({ shapes: { hasnext: v } })],
    ...(['hasNext', 'totalCount', 'pagination'] as const).map(
      (key): Case => [
        `shapes.${key}`,
        [1, 0, 'false', 'true', null, {}, Number.NaN],
        (v) => start({ shapes: { [key]: v } }),
      ],
    ),
    ...(['pageCap', 'idlessEvery'] as const).map(
      (key): Case => [
        `shapes.${key}`,
        [...intBad, 0, null],
        (v) => start({ shapes: { [key]: v } }),
      ],
    ),
    ['churn', ['x', 1, [], true, null, () => 1], (v) => start({ churn: v })],
    ['churn.insert', [1], (v) => start({ churn: { insert: v } })],
    ...(['inserts', 'deletes'] as const).map(
      (key): Case => [
        `churn.${key}`,
        [...intBad, 1_001, null],
        (v) => start({ churn: { [key]: v } }),
      ],
    ),
    ['churn.seed', [0.5, Number.NaN, '1', null], (v) => start({ churn: { seed: v } })],
    // The running sandbox's knobs check what they are given, too.
    ...knobCases(() => sandbox.store),
  ];
};

describe('bad input is refused before any request', () => {
  it.each(clientCases().map((c) => [c[0], c[1].length, c] as const))(
    'createSakariClient %s (%i values)',
    async (field, _n, [, values, run]) => {
      for (const value of values) await expectRejected(field, () => run(value));
    },
  );

  it.each(callCases().map((c) => [c[0], c[1].length, c] as const))(
    'messages.* %s (%i values)',
    async (field, _n, [, values, run]) => {
      for (const value of values) await expectRejected(field, () => run(value));
    },
  );

  it.each(sandboxCases().map((c) => [c[0], c[1].length, c] as const))(
    'startSandbox / sandbox.store %s (%i values)',
    async (field, _n, [, values, run]) => {
      for (const value of values) await expectRejected(field, () => run(value));
    },
  );

  it('keeps the knobs of a running sandbox as they were after a refused value', async () => {
    const knobs = await startSandbox({ messages: 10 });
    try {
      for (const [field, values, run] of knobCases(() => knobs.store)) {
        for (const value of values) await expectRejected(field, () => run(value));
      }
      expect(knobs.store.latencyMs).toBe(0);
      expect(knobs.store.rateLimit).toBeUndefined();
      expect(knobs.store.tokenTtlSeconds).toBe(3600);
      expect(knobs.store.faults).toBeUndefined();
      expect(knobs.store.shapes).toEqual({});
      expect(knobs.store.churn).toBeUndefined();
      expect(knobs.store.size).toBe(10);
    } finally {
      await knobs.close();
    }
  });

  it('never echoes a secret given as a bad value', async () => {
    const error = await Promise.resolve()
      .then(() =>
        createSakariClient({
          accountId: 'a',
          auth: { clientId: 'id', clientSecret: 'top secret value' },
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SakariValidationError);
    expect(String(error)).not.toContain('top secret value');
    tried++;
  });
});

describe('bad CLI arguments exit 2 naming the flag, before any request', () => {
  const text = {
    blank: ['', ' ', '\t'],
    numbers: [
      'NaN',
      'Infinity',
      '-Infinity',
      '-1',
      '-0.5',
      '1.5',
      '1e21',
      '99999999999999999999',
      '0x10',
      ' 5',
    ],
    pathish: ['/', 'a/b', '..', '.', '%2F'],
    control: ['a\0b', 'a\nb', 'a\rb'],
    long: [MEGABYTE],
    unicode: ['é', '联系人', '🙂'],
  };
  const all = Object.values(text).flat();
  const ids = [...text.blank, ...text.pathish, ...text.control, ...text.long, ...text.unicode];
  const env = () => ({
    SAKARI_BASE_URL: sandbox.url,
    SAKARI_ACCOUNT_ID: sandbox.accountId,
    SAKARI_CLIENT_ID: sandbox.clientId,
    SAKARI_CLIENT_SECRET: sandbox.clientSecret,
  });
  const send = ['messages', 'send', '--to', '+15551234567', '--text', 'hi', '--yes'];
  const flags: [flag: string, values: string[], argv: (value: string) => string[]][] = [
    ['--limit', [...all, '0', '101'], (v) => ['messages', 'list', `--limit=${v}`]],
    ['--offset', all, (v) => ['messages', 'list', `--offset=${v}`]],
    ['--max', [...all, '0'], (v) => ['messages', 'list', `--max=${v}`]],
    [
      '--concurrency',
      [...all, '0', '17'],
      (v) => ['messages', 'list', '--all', `--concurrency=${v}`],
    ],
    ['--timeout', [...all, '0'], (v) => ['messages', 'list', `--timeout=${v}`]],
    ['--retries', [...all, '11'], (v) => ['messages', 'list', `--retries=${v}`]],
    ['--format', [...all, 'xml'], (v) => ['messages', 'list', `--format=${v}`]],
    ['--contact', ids, (v) => ['messages', 'list', `--contact=${v}`]],
    ['--conversation', ids, (v) => ['messages', 'list', `--conversation=${v}`]],
    ['--account', ids, (v) => ['messages', 'list', `--account=${v}`]],
    [
      '--base-url',
      [...all, 'http://example.com', 'ftp://127.0.0.1', 'example.com'],
      (v) => ['messages', 'list', `--base-url=${v}`],
    ],
    [
      '--token',
      [...text.blank, ...text.control, 'a b', 'x'.repeat(9000)],
      (v) => ['messages', 'list', `--token=${v}`],
    ],
    [
      '--client-id',
      [...text.blank, ...text.control],
      (v) => ['messages', 'list', `--client-id=${v}`, '--client-secret=s3cret-value'],
    ],
    [
      '--client-secret',
      [...text.blank, ...text.control, MEGABYTE],
      (v) => ['messages', 'list', '--client-id=id-1', `--client-secret=${v}`],
    ],
    ['message ID', ids, (v) => ['messages', 'get', v]],
    // A send: only a blank value; Sakari judges numbers, URLs and the type.
    ['--to', text.blank, (v) => ['messages', 'send', `--to=${v}`, '--text=hi', '--yes']],
    [
      '--text',
      text.blank,
      (v) => ['messages', 'send', '--to=+15551234567', `--text=${v}`, '--yes'],
    ],
    ['--media', text.blank, (v) => [...send, `--media=${v}`]],
    ['--port', [...all, '65536'], (v) => ['sandbox', `--port=${v}`]],
    ['--messages', [...all, '16777216'], (v) => ['sandbox', `--messages=${v}`]],
    ['--seed', all, (v) => ['sandbox', `--seed=${v}`]],
    ['--latency', [...all, '2147483648'], (v) => ['sandbox', `--latency=${v}`]],
    ['--shape', [...all, 'full', 'sakari2'], (v) => ['sandbox', `--shape=${v}`]],
    ...['--no-has-next', '--no-total-count', '--no-pagination'].map(
      (flag): [string, string[], (value: string) => string[]] => [
        flag,
        ['', 'false', '1'],
        (v) => ['sandbox', `${flag}=${v}`],
      ],
    ),
    ['--page-cap', [...all, '0'], (v) => ['sandbox', `--page-cap=${v}`]],
    ['--idless-every', [...all, '0'], (v) => ['sandbox', `--idless-every=${v}`]],
    ['--inserts-per-request', [...all, '1001'], (v) => ['sandbox', `--inserts-per-request=${v}`]],
    ['--deletes-per-request', [...all, '1001'], (v) => ['sandbox', `--deletes-per-request=${v}`]],
  ];

  it.each(flags.map((f) => [f[0], f[1].length, f] as const))(
    '%s (%i values)',
    async (flag, _n, [, values, argv]) => {
      for (const value of values) {
        tried++;
        const result = await runCli(argv(value), env());
        const context = `${flag} ${JSON.stringify(value.slice(0, 30))}`;
        expect(result.code, context).toBe(2);
        expect(result.stdout, context).toBe('');
        expect(result.stderr, context).toMatch(/^error: [^\n]+\n$/);
        expect(result.stderr, context).toContain(flag);
        expect(result.stderr.length, context).toBeLessThan(400);
        expect(result.stderr, context).not.toContain(sandbox.clientSecret);
      }
    },
  );
});

/** Sakari's answer to every send below: the 400 it gives for a number it cannot read. */
const REFUSAL = { success: false, error: { code: 'CONT-001', message: 'Invalid mobile number' } };

describe('what only Sakari can judge is sent as given, and its 400 is the error', () => {
  const wire = observedFetch(() => json(REFUSAL, 400));
  const client = createSakariClient({
    accountId: 'acc_1',
    auth: { token: 'tok-sent-cases' },
    fetch: wire.fetch,
  });
  const sent: [name: string, values: unknown[], body: (value: unknown) => SendMessagesRequest][] = [
    [
      'contacts[0].mobile.number',
      [
        ...catalog.pathish,
        ...catalog.control,
        ...catalog.unicode,
        ...catalog.numericStrings,
        MEGABYTE,
        '12',
        'call me',
        '+1 555 abc',
        '5551234567',
      ],
      (v) => ({ template: 'hi', contacts: [{ mobile: { number: v as string } }] }),
    ],
    [
      'contacts[0].mobile.country',
      ['us', 'Us', 'usa', 'U1', '🇺🇸'],
      (v) => ({ template: 'hi', contacts: [{ mobile: { number, country: v as string } }] }),
    ],
    [
      'contacts[0].id, alone',
      [...catalog.pathish, ...catalog.control, ...catalog.unicode, '5f1e8a2b9c3d4e0012a7b6c1'],
      (v) => ({ template: 'hi', contacts: [{ id: v as string }] }),
    ],
    [
      'contacts[0], with what Sakari decides is enough',
      [{}, { email: 'ana@example.com' }, { mobile: {} }, { mobile: { country: 'US' } }],
      (v) => ({ template: 'hi', contacts: [v as SendContact] }),
    ],
    [
      'conversations[0]',
      [...catalog.pathish, ...catalog.unicode],
      (v) => ({ template: 'hi', conversations: [v as string] }),
    ],
    [
      'type',
      ['sms', 'mms', 'FAX', ''],
      (v) => ({ template: 'hi', conversations: ['c1'], type: v as 'SMS' }),
    ],
    [
      'media[0].url, without a template',
      [
        'https://example.com/menu.jpg',
        'ftp://x/y',
        'not a url',
        'https://a b',
        `https://x/${MEGABYTE}`,
      ],
      (v) => ({ conversations: ['c1'], media: [{ url: v as string }] }),
    ],
    [
      'template',
      ['a\0b', 'x'.repeat(10_001), MEGABYTE],
      (v) => ({ template: v as string, conversations: ['c1'] }),
    ],
    [
      'filters, as the recipients',
      [{}, { tags: [] }],
      (v) => ({ template: 'hi', filters: v as SendMessagesRequest['filters'] }),
    ],
  ];

  it.each(sent.map((c) => [c[0], c[1].length, c] as const))(
    '%s (%i values)',
    async (_name, _n, [, values, body]) => {
      for (const value of values) {
        const given = body(value);
        const before = wire.requests.length;
        const error = (await client.messages
          .send(given)
          .catch((e: unknown) => e)) as SakariApiError;
        expect(error.constructor).toBe(SakariApiError);
        expect(error).toMatchObject({ status: 400, code: 'CONT-001', method: 'POST', attempts: 1 });
        expect(error.message).toBe(
          '400 POST /v1/accounts/acc_1/messages: Invalid mobile number (CONT-001)',
        );
        expect(wire.requests).toHaveLength(before + 1);
        expect(await wire.requests.at(-1)?.json()).toEqual(given);
      }
    },
  );
});

describe('the CLI sends what only Sakari can judge, and exits 1 with its 400', () => {
  const bodies: unknown[] = [];
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify(REFUSAL));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const to = (n: string) => ({ contacts: [{ mobile: { number: n } }] });
  const media = { media: [{ url: 'https://example.com/menu.jpg' }] };
  const cases: [args: string[], body: Record<string, unknown>][] = [
    ...['call me', '12', '555-0100', 'a/b', '..', '联系人', '🙂', 'a\nb'].map(
      (n): [string[], Record<string, unknown>] => [
        [`--to=${n}`, '--text=hi'],
        { ...to(n), template: 'hi' },
      ],
    ),
    [['--to=+15551234567', '--media=https://example.com/menu.jpg'], { ...to(number), ...media }],
    [
      ['--to=+15551234567', '--media=https://example.com/menu.jpg', '--type=mms'],
      { ...to(number), ...media, type: 'MMS' },
    ],
    ...['ftp://x/y', 'not a url'].map((u): [string[], Record<string, unknown>] => [
      ['--to=+15551234567', `--media=${u}`],
      { ...to(number), media: [{ url: u }] },
    ]),
    ...['FAX', 'whatsapp', ''].map((t): [string[], Record<string, unknown>] => [
      ['--to=+15551234567', '--text=hi', `--type=${t}`],
      { ...to(number), template: 'hi', type: t },
    ]),
    [['--to=+15551234567', '--text=a\0b'], { ...to(number), template: 'a\0b' }],
  ];

  it(`${cases.length} cases, each one request with the body as given`, async () => {
    for (const [args, body] of cases) {
      tried++;
      const before = bodies.length;
      const result = await runCli(['messages', 'send', ...args, '--yes'], {
        SAKARI_BASE_URL: url,
        SAKARI_ACCOUNT_ID: 'acc_1',
        SAKARI_TOKEN: 'tok-cli-sent-cases',
      });
      const context = args.join(' ');
      expect(result, context).toEqual({
        code: 1,
        stdout: '',
        stderr: 'error: 400 POST /v1/accounts/acc_1/messages: Invalid mobile number (CONT-001)\n',
      });
      expect(bodies, context).toHaveLength(before + 1);
      expect(bodies.at(-1), context).toEqual(body);
    }
  });
});
