// The `sakari` CLI as a user runs it: the built dist/cli/main.js spawned against sandboxes.
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../src/cli/columns.js';
import { COMMANDS } from '../src/cli/commands.js';
import { MAX_CHURN } from '../src/sandbox/churn.js';
import { type Sandbox, startSandbox } from '../src/sandbox/index.js';
import { MAX_GENERATED } from '../src/sandbox/world.js';
import type { Message, SendResult } from '../src/types.js';
import {
  assertBuilt,
  CLI,
  cleanEnv,
  cleanUpAfterAll,
  ndjson,
  type Result,
  ROOT,
  sakari,
  sandboxEnv,
  start,
} from './helpers/cli.js';

// The tests run concurrently: most of their time is spent waiting on child processes.
const sandboxFor = cleanUpAfterAll();
const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

// One read-only sandbox of 2,500 messages for the list and get tests.
let shared: Sandbox;
let env: NodeJS.ProcessEnv;
let ids: string[];
beforeAll(async () => {
  assertBuilt();
  shared = await sandboxFor({ messages: 2_500, seed: 1 });
  env = sandboxEnv(shared);
  ids = shared.store.ids();
});

const message = (id: string) => shared.store.get(id) as Message;

/** Exactly one line on stderr. */
function oneLine(result: Result): string {
  expect(result.stderr).toMatch(/^[^\n]+\n$/);
  return result.stderr.trimEnd();
}

describe.concurrent('sakari', () => {
  describe('sakari messages list', () => {
    it('prints one page (20, newest first) as NDJSON when stdout is not a terminal', async () => {
      const result = await sakari(['messages', 'list'], { env });
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(ndjson(result.stdout)).toEqual(ids.slice(0, 20).map(message));
    });

    it('pages with --limit and --offset, and filters by --contact and --conversation', async () => {
      const first = message(ids[0] as string);
      const contactId = first.contact?.id as string;
      const conversationId = first.conversation?.id as string;
      const [page, byContact, byConversation] = await Promise.all([
        sakari(['messages', 'list', '--limit', '5', '--offset', '10'], { env }),
        sakari(['messages', 'list', '--contact', contactId, '--all'], { env }),
        sakari(['messages', 'list', '--conversation', conversationId, '--limit', '100'], { env }),
      ]);
      expect(ndjson(page.stdout).map((m) => m.id)).toEqual(ids.slice(10, 15));
      const ofContact = ids.filter((id) => message(id).contact?.id === contactId);
      expect(ofContact.length).toBeGreaterThan(20);
      expect(ndjson(byContact.stdout).map((m) => m.id)).toEqual(ofContact);
      const ofConversation = ids.filter((id) => message(id).conversation?.id === conversationId);
      expect(ndjson(byConversation.stdout).map((m) => m.id)).toEqual(ofConversation.slice(0, 100));
    });

    it('--all --format ndjson: one line per message, every id once, in server order', async () => {
      const result = await sakari(['messages', 'list', '--all', '--format', 'ndjson'], { env });
      expect(result, result.stderr).toMatchObject({ code: 0, stderr: '' });
      const lines = ndjson<Message>(result.stdout);
      expect(lines).toHaveLength(2_500);
      expect(new Set(lines.map((m) => m.id)).size).toBe(2_500);
      expect(lines.map((m) => m.id)).toEqual(ids);
      // Unicode and emoji arrive intact: the messages equal the sandbox's, field for field.
      expect(lines[0]).toEqual(message(ids[0] as string));
      expect(lines.some((m) => /\p{Extended_Pictographic}/u.test(m.message ?? ''))).toBe(true);
      expect(lines.some((m) => /\p{Script=Han}|\p{Script=Hiragana}/u.test(m.message ?? ''))).toBe(
        true,
      );
    });

    it('--all --format json: one array, streamed', async () => {
      const small = await sandboxFor({ messages: 500, seed: 3 });
      const result = await sakari(['messages', 'list', '--all', '--format', 'json'], {
        env: sandboxEnv(small),
      });
      expect(result.code).toBe(0);
      expect(result.stdout.startsWith('[\n{')).toBe(true);
      expect(result.stdout.endsWith('}\n]\n')).toBe(true);
      const array = JSON.parse(result.stdout) as Message[];
      expect(array).toEqual(small.store.ids().map((id) => small.store.get(id)));

      const empty = await sakari(
        ['messages', 'list', '--contact', 'nobody', '--all', '--format', 'json'],
        { env },
      );
      expect(empty).toMatchObject({ code: 0, stdout: '[]\n' });
    });

    it('--all --format csv: RFC 4180 (header, CRLF, quoting), every field as in the sandbox', async () => {
      const small = await sandboxFor({ messages: 500, seed: 4 });
      const smallIds = small.store.ids();
      const result = await sakari(['messages', 'list', '--all', '--format', 'csv'], {
        env: sandboxEnv(small),
      });
      expect(result.code).toBe(0);
      const header =
        'id,created,direction,phoneNumber,contact_id,contact_name,contact_number,conversation_id,status,type,segments,price,text,media_urls';
      expect(result.stdout.startsWith(`${header}\r\n`)).toBe(true);
      expect(result.stdout.endsWith('\r\n')).toBe(true);
      const records = parseCsv(result.stdout, {
        columns: true,
        record_delimiter: '\r\n',
      }) as Record<string, string>[];
      expect(records).toHaveLength(500);
      records.forEach((record, i) => {
        const m = small.store.get(smallIds[i] as string) as Message;
        expect(record).toEqual({
          id: m.id,
          created: m.created?.at,
          direction: m.outgoing ? 'out' : 'in',
          phoneNumber: m.phoneNumber,
          contact_id: m.contact?.id,
          contact_name: `${m.contact?.firstName} ${m.contact?.lastName}`,
          contact_number: m.contact?.mobile?.number,
          conversation_id: m.conversation?.id,
          status: m.status,
          type: m.type,
          segments: String(m.segments),
          price: String(m.price),
          text: m.message,
          media_urls: (m.media ?? []).map((x) => x.url).join(' '),
        });
      });
      expect(records.some((r) => r.media_urls?.includes(' '))).toBe(true); // two attachments
      expect(records.some((r) => /[",]/.test(r.text ?? ''))).toBe(true); // quoted fields
      expect(records.some((r) => /\p{Extended_Pictographic}/u.test(r.text ?? ''))).toBe(true);
    });

    it('--max stops after N messages; --offset starts later', async () => {
      const [max, tail] = await Promise.all([
        sakari(['messages', 'list', '--max', '250', '--concurrency', '8'], { env }),
        sakari(['messages', 'list', '--all', '--offset', '2450', '--limit', '30'], { env }),
      ]);
      expect(ndjson(max.stdout).map((m) => m.id)).toEqual(ids.slice(0, 250));
      expect(ndjson(tail.stdout).map((m) => m.id)).toEqual(ids.slice(2_450));
    });

    it('--format table: a header and one row per message, cut to the width (COLUMNS)', async () => {
      const [result, narrow] = (await Promise.all(
        ['100', '80'].map((COLUMNS) =>
          sakari(['messages', 'list', '--format', 'table', '--limit', '50'], {
            env: { ...env, COLUMNS },
          }),
        ),
      )) as [Result, Result];
      expect(result.code).toBe(0);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^CREATED\s+DIR\s+NUMBER\s+CONTACT\s+STATUS\s+TEXT$/);
      expect(lines).toHaveLength(51);
      for (const line of lines) expect(displayWidth(line)).toBeLessThan(100);
      const first = message(ids[0] as string);
      expect(lines[1]).toContain(first.contact?.mobile?.number);
      expect(lines[1]).toContain(`${first.contact?.firstName} ${first.contact?.lastName}`);
      expect(lines[1]).toMatch(/ (→ out|← in) /);
      expect(lines.some((line) => line.endsWith('…'))).toBe(true);
      // No escape sequence when stdout is not a terminal.
      expect(result.stdout).not.toContain('\x1b');
      // A narrow terminal drops the contact column before cutting the text below 20 columns.
      const narrowLines = narrow.stdout.trimEnd().split('\n');
      expect(narrowLines[0]).toMatch(/^CREATED\s+DIR\s+NUMBER\s+STATUS\s+TEXT$/);
      for (const line of narrowLines) expect(displayWidth(line)).toBeLessThan(80);
    });
  });

  describe('sakari messages get', () => {
    it('prints one message in each format', async () => {
      const id = ids[3] as string;
      const m = message(id);
      const [nd, json, table, csv] = await Promise.all(
        ['ndjson', 'json', 'table', 'csv'].map((format) =>
          sakari(['messages', 'get', id, '--format', format], { env }),
        ),
      );
      expect(ndjson(nd?.stdout as string)).toEqual([m]);
      expect(JSON.parse(json?.stdout as string)).toEqual(m);
      expect(table?.stdout).toMatch(new RegExp(`^id +${id}\\n`));
      expect(table?.stdout).toContain(m.message);
      expect(table?.stdout).toContain(m.contact?.mobile?.number);
      const records = parseCsv(csv?.stdout as string, { columns: true });
      expect(records).toMatchObject([{ id, text: m.message }]);
    });

    it('exits 1 with the API error for an unknown id, and 2 for a malformed one', async () => {
      const [unknown, malformed, missing] = await Promise.all([
        sakari(['messages', 'get', 'nope'], { env }),
        sakari(['messages', 'get', '../x'], { env }),
        sakari(['messages', 'get'], { env }),
      ]);
      expect(unknown.code).toBe(1);
      expect(oneLine(unknown)).toBe(
        'error: 404 GET /v1/accounts/acc_sandbox/messages/nope: Message not found (MSG-404)',
      );
      expect(malformed.code).toBe(2);
      expect(oneLine(malformed)).toMatch(/^error: invalid message ID: "\.\.\/x"/);
      expect(missing.code).toBe(2);
      expect(oneLine(missing)).toContain('missing the message ID');
    });
  });

  describe('sakari messages send', () => {
    it('with --yes, queues one message per recipient and prints the result', async () => {
      const sandbox = await sandboxFor({ messages: 10 });
      const before = sandbox.store.size;
      const text = 'Table for 2 at 7 pm ✅ — 予約';
      const result = await sakari(
        [
          'messages',
          'send',
          '--to',
          '+15551234567',
          '--to',
          '+447700900123',
          '--text',
          text,
          '--yes',
          '--format',
          'json',
        ],
        { env: sandboxEnv(sandbox) },
      );
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const sent = JSON.parse(result.stdout) as SendResult;
      expect(sent).toMatchObject({ requested: 2, valid: 2, invalid: [] });
      expect(sandbox.store.size).toBe(before + 2);
      for (const m of sent.messages ?? []) expect(sandbox.store.get(m.id)?.message).toBe(text);
      expect(
        sandbox.store.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')),
      ).toHaveLength(1);

      const table = await sakari(
        ['messages', 'send', '--to', '+15551234567', '--text', 'hi', '-y', '--format', 'table'],
        {
          env: sandboxEnv(sandbox),
        },
      );
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^queued 1 of 1 recipients \(job \w+/);
    });

    it('without --yes and stdin not a terminal, refuses (exit 2) and sends no request', async () => {
      const sandbox = await sandboxFor({ messages: 10 });
      const result = await sakari(['messages', 'send', '--to', '+15551234567', '--text', 'hi'], {
        env: sandboxEnv(sandbox),
        input: 'y\n',
      });
      expect(result.code).toBe(2);
      expect(oneLine(result)).toContain('refusing to send without --yes');
      expect(result.stdout).toBe('');
      expect(sandbox.store.requests).toHaveLength(0);
      expect(sandbox.store.size).toBe(10);
    });
  });

  describe('what only Sakari can judge goes to Sakari', () => {
    /** A server that records each request and answers with `answer`, as Sakari would. */
    async function fakeSakari(answer: (request: number) => { status: number; body: string }) {
      const seen: { method: string; url: string; body: string }[] = [];
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          seen.push({ method: req.method ?? '', url: req.url ?? '', body });
          const reply = answer(seen.length - 1);
          res.writeHead(reply.status, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(reply.body),
          });
          res.end(reply.body);
        });
      });
      // Idle connections stay open: on a loaded machine the default 5 s can pass between a
      // cut answer and its retry, and a reset then adds a retry the test does not expect.
      server.keepAliveTimeout = 60_000;
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const fakeEnv = cleanEnv({
        SAKARI_BASE_URL: url,
        SAKARI_ACCOUNT_ID: 'acc_1',
        SAKARI_TOKEN: 'tok-fake-sakari',
      });
      return { seen, env: fakeEnv };
    }
    const refusal = JSON.stringify({
      success: false,
      error: { code: 'CONT-001', message: 'Invalid mobile number' },
    });

    it('exports each message of a large page as Sakari wrote it, one line each', async () => {
      const messages = Array.from({ length: 40 }, (_, i) => ({
        id: `m${i}`,
        message: `${'é'.repeat(1000)} ${i}`,
        outgoing: true,
      }));
      // Sakari's escapes, not JSON.stringify's: what the export writes is what was sent.
      const escaped = (value: unknown) => JSON.stringify(value).replaceAll('é', '\\u00e9');
      const pagination = { offset: 0, limit: 100, totalCount: 40, hasNext: false };
      const body = `{"success":true,"pagination":${JSON.stringify(pagination)},"data":[${messages.map(escaped).join(',')}]}`;
      const compact = await fakeSakari(() => ({ status: 200, body }));
      const listed = await sakari(['messages', 'list', '--all', '--format', 'ndjson'], {
        env: compact.env,
      });
      expect(listed).toMatchObject({ code: 0, stderr: '' });
      expect(listed.stdout).toBe(messages.map((m) => `${escaped(m)}\n`).join(''));
      const asArray = await sakari(['messages', 'list', '--all', '--format', 'json'], {
        env: compact.env,
      });
      expect(asArray.stdout).toBe(`[\n${messages.map(escaped).join(',\n')}\n]\n`);
      expect(compact.seen).toHaveLength(2);

      // Spread over lines by the server, each message is still one line.
      const spread = await fakeSakari(() => ({
        status: 200,
        body: JSON.stringify(JSON.parse(body), null, 2),
      }));
      const relisted = await sakari(['messages', 'list', '--all', '--format', 'ndjson'], {
        env: spread.env,
      });
      expect(relisted.stdout).toBe(messages.map((m) => `${JSON.stringify(m)}\n`).join(''));
    });

    it('sends media without --text, and --type in any case as SMS or MMS', async () => {
      const result = { jobId: 'job_9', requested: 1, valid: 1, invalid: [], messages: [] };
      const sakariApi = await fakeSakari(() => ({
        status: 200,
        body: JSON.stringify({ success: true, data: result }),
      }));
      const media = 'https://example.com/menu.jpg';
      const sent = await sakari(
        ['messages', 'send', '--to', '+15551234567', '--media', media, '--type', 'mms', '--yes'],
        { env: sakariApi.env },
      );
      expect(sent).toMatchObject({ code: 0, stderr: '' });
      expect(ndjson<typeof result>(sent.stdout)).toEqual([result]);
      expect(sakariApi.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
        'POST /v1/accounts/acc_1/messages',
      ]);
      expect(JSON.parse(sakariApi.seen[0]?.body ?? '')).toEqual({
        contacts: [{ mobile: { number: '+15551234567' } }],
        type: 'MMS',
        media: [{ url: media }],
      });
    });

    it('sends a number, URL or type Sakari may refuse, and exits 1 with its error', async () => {
      const sakariApi = await fakeSakari(() => ({ status: 400, body: refusal }));
      const runs: [args: string[], body: unknown][] = [
        [
          ['--to', '5551234567', '--text', 'hi'],
          { contacts: [{ mobile: { number: '5551234567' } }], template: 'hi' },
        ],
        [
          ['--to', 'call me', '--text', 'hi', '--type', 'FAX'],
          { contacts: [{ mobile: { number: 'call me' } }], template: 'hi', type: 'FAX' },
        ],
        [
          ['--to', '+15551234567', '--media', 'ftp://x/y'],
          { contacts: [{ mobile: { number: '+15551234567' } }], media: [{ url: 'ftp://x/y' }] },
        ],
      ];
      for (const [args, body] of runs) {
        const before = sakariApi.seen.length;
        const result = await sakari(['messages', 'send', ...args, '--yes'], {
          env: sakariApi.env,
        });
        expect(result, args.join(' ')).toMatchObject({ code: 1, stdout: '' });
        expect(oneLine(result)).toBe(
          'error: 400 POST /v1/accounts/acc_1/messages: Invalid mobile number (CONT-001)',
        );
        expect(sakariApi.seen).toHaveLength(before + 1);
        expect(JSON.parse(sakariApi.seen.at(-1)?.body ?? ''), args.join(' ')).toEqual(body);
      }
    });

    it('retries a page whose JSON was cut short, and says why under --debug', async () => {
      const page = JSON.stringify({
        success: true,
        pagination: { offset: 0, limit: 20, hasNext: false },
        data: [{ id: 'm1', message: 'hi', outgoing: true }],
      });
      const sakariApi = await fakeSakari((i) => ({
        status: 200,
        body: i === 0 ? page.slice(0, 50) : page,
      }));
      const result = await sakari(['messages', 'list', '--debug'], { env: sakariApi.env });
      expect(result.code, result.stderr).toBe(0);
      expect(ndjson(result.stdout).map((m) => m.id)).toEqual(['m1']);
      expect(oneLine(result)).toMatch(
        /^debug: retry 1 after 200 GET \/v1\/accounts\/acc_1\/messages\?limit=20: Malformed response: the body is not valid JSON \(cut short\?\): ".+", in \d+ ms$/,
      );
      expect(sakariApi.seen).toHaveLength(2);
    });
  });

  // Every flag, each bad value, exit 2 naming the flag; none of them sends a request.
  const USAGE_ERRORS: [args: string[], expected: string | RegExp][] = [
    [['messages', 'list', '--colour'], "unknown option '--colour'"],
    [['messages', 'list', 'extra'], "Unexpected argument 'extra'"],
    [['messages', 'list', '--limit', '0'], '--limit must be a whole number from 1 to 100, got "0"'],
    [['messages', 'list', '--limit', '101'], '--limit must be a whole number from 1 to 100'],
    [
      ['messages', 'list', '--limit', 'abc'],
      '--limit must be a whole number from 1 to 100, got "abc"',
    ],
    [
      ['messages', 'list', '--limit', '1.5'],
      '--limit must be a whole number from 1 to 100, got "1.5"',
    ],
    [
      ['messages', 'list', '--limit', '1e3'],
      '--limit must be a whole number from 1 to 100, got "1e3"',
    ],
    [['messages', 'list', '--limit', '0x10'], '--limit must be a whole number'],
    [['messages', 'list', '--limit', '+5'], '--limit must be a whole number'],
    [['messages', 'list', '--limit', ' 5'], '--limit must be a whole number'],
    [['messages', 'list', '--limit', ''], '--limit must be a whole number'],
    [['messages', 'list', '--limit', '-1'], "--limit needs a value; to pass one starting with '-'"],
    [['messages', 'list', '--limit=-1'], '--limit must be a whole number from 1 to 100, got "-1"'],
    [['messages', 'list', '--limit'], '--limit needs a value'],
    [['messages', 'list', '--offset=-5'], '--offset must be a whole number of at least 0'],
    [['messages', 'list', '--offset', 'NaN'], '--offset must be a whole number of at least 0'],
    [['messages', 'list', '--offset', '99999999999999999999'], '--offset must be a whole number'],
    [['messages', 'list', '--max', '0'], '--max must be a whole number of at least 1'],
    [['messages', 'list', '--max', 'Infinity'], '--max must be a whole number of at least 1'],
    [
      ['messages', 'list', '--concurrency', '17'],
      '--concurrency must be a whole number from 1 to 16',
    ],
    [
      ['messages', 'list', '--concurrency', '0'],
      '--concurrency must be a whole number from 1 to 16',
    ],
    [['messages', 'list', '--timeout', '0'], '--timeout must be a whole number from 1 to 600000'],
    [['messages', 'list', '--retries', '11'], '--retries must be a whole number from 0 to 10'],
    [['messages', 'list', '--format', 'xml'], '--format must be one of table, json, ndjson, csv'],
    [['messages', 'list', '--contact', 'a/b'], /^error: invalid --contact: "a\/b" \(expected/],
    [['messages', 'list', '--contact', '%2F'], 'invalid --contact'],
    [['messages', 'list', '--conversation', '..'], 'invalid --conversation'],
    [['messages', 'list', '--conversation', 'a\nb'], 'invalid --conversation: "a\\nb"'],
    [['messages', 'list', '--contact', 'x'.repeat(100_000)], /invalid --contact: "x+…/],
    [['messages', 'list', '--all=yes'], "Option '--all' does not take an argument"],
    [['messages', 'get', 'a', 'b'], 'expected one message ID, got 2'],
    [['messages', 'get', 'a b'], 'invalid message ID'],
    [['messages', 'send', '--text', 'hi', '--yes'], '--to is required'],
    [
      ['messages', 'send', '--to', '+15551234567', '--yes'],
      '--text is required: the text to send (or --media, for files alone)',
    ],
    [
      ['messages', 'send', '--to', '+15551234567', '--text', '   ', '--yes'],
      'error: invalid --text: "   " (expected the text to send, as a non-blank string)',
    ],
    [
      ['messages', 'send', '--to', '+15551234567', '--to', '', '--text', 'hi', '--yes'],
      'error: invalid --to: "" (expected a phone number, as a non-blank string)',
    ],
    [
      ['messages', 'send', '--to', '+15551234567', '--media', ' ', '--yes'],
      'error: invalid --media: " " (expected the URL of a file, as a non-blank string)',
    ],
    [['messages', 'list', '--account', ''], 'invalid --account'],
    [['messages', 'list', '--account', 'a/b'], 'invalid --account'],
    [['messages', 'list', '--base-url', 'http://example.com'], 'invalid --base-url'],
    [
      ['messages', 'list', '--token', 't0k3n-value', '--client-id', 'x', '--client-secret', 'y'],
      'give either --token or --client-id',
    ],
    [['messages', 'list', '--token', 'two words'], 'invalid --token: "[redacted]"'],
    [['messages', 'frobnicate'], "unknown command 'messages frobnicate'"],
    [['messages', 'toString'], "unknown command 'messages toString'"],
    [['constructor'], "unknown command 'constructor'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['--nope'], "unknown option '--nope'"],
  ];

  describe('usage errors', () => {
    it(`exit 2 with one line naming the flag, before any request (${USAGE_ERRORS.length} cases)`, async () => {
      const sandbox = await sandboxFor({ messages: 10 });
      const results = await Promise.all(
        USAGE_ERRORS.map(([args]) => sakari(args, { env: sandboxEnv(sandbox) })),
      );
      results.forEach((result, i) => {
        const [args, expected] = USAGE_ERRORS[i] as (typeof USAGE_ERRORS)[number];
        const context = `sakari ${args.map((a) => a.slice(0, 40)).join(' ')}`;
        expect(result.code, context).toBe(2);
        expect(result.stdout, context).toBe('');
        expect(result.stderr, context).toMatch(/^error: [^\n]+\n$/);
        if (typeof expected === 'string') expect(result.stderr, context).toContain(expected);
        else expect(result.stderr, context).toMatch(expected);
        expect(result.stderr.length, context).toBeLessThan(400);
      });
      expect(sandbox.store.requests).toHaveLength(0);
      // Nor did any of them fall back to the built-in sandbox.
      for (const result of results) expect(result.stderr).not.toContain('built-in sandbox');
    });

    it('a partial configuration is an error, not a silent fallback to the sample data', async () => {
      const result = await sakari(['messages', 'list'], {
        env: cleanEnv({ SAKARI_ACCOUNT_ID: 'acc_1' }),
      });
      expect(result.code).toBe(2);
      expect(oneLine(result)).toContain(
        'no credentials: set SAKARI_CLIENT_ID and SAKARI_CLIENT_SECRET',
      );
      const half = await sakari(['messages', 'list', '--client-secret', 'only-the-secret'], {
        env: cleanEnv({ SAKARI_ACCOUNT_ID: 'acc_1' }),
      });
      expect(half.code).toBe(2);
      expect(oneLine(half)).toBe(
        'error: --client-id (or SAKARI_CLIENT_ID) is missing: client credentials need both the id and the secret',
      );
    });

    it('names the variable when a bad value comes from the environment', async () => {
      const result = await sakari(['messages', 'list'], {
        env: { ...env, SAKARI_ACCOUNT_ID: 'acc/../x' },
      });
      expect(result.code).toBe(2);
      expect(oneLine(result)).toMatch(/^error: invalid SAKARI_ACCOUNT_ID: "acc\/\.\.\/x"/);
    });
  });

  describe('API and network errors', () => {
    it('a 401 says what to check and never prints the secret, even with --debug', async () => {
      const secret = 'wrong-secret-9f8e7d6c5b4a';
      const [fromEnv, fromFlag, debug, token] = await Promise.all([
        sakari(['messages', 'list'], { env: { ...env, SAKARI_CLIENT_SECRET: secret } }),
        sakari(['messages', 'list', '--client-secret', secret], { env }),
        sakari(['messages', 'list', '--all', '--debug', `--client-secret=${secret}`], { env }),
        sakari(['messages', 'list', '--debug'], { env: { ...env, SAKARI_TOKEN: secret } }),
      ]);
      expect(fromEnv.code).toBe(1);
      expect(oneLine(fromEnv)).toBe(
        'error: 401 POST /oauth2/token: Invalid client credentials (AUTH-003) (check SAKARI_CLIENT_ID / SAKARI_CLIENT_SECRET)',
      );
      expect(fromFlag.code).toBe(1);
      expect(oneLine(fromFlag)).toContain('(check SAKARI_CLIENT_ID / --client-secret)');
      expect(debug.code).toBe(1);
      expect(debug.stderr).toMatch(/AuthenticationError: 401 POST \/oauth2\/token[\s\S]*\n +at /);
      expect(token.code).toBe(1);
      expect(token.stderr).toContain(
        'error: 401 GET /v1/accounts/acc_sandbox/messages?limit=20: Invalid access token (AUTH-001) (check SAKARI_TOKEN: the token may be wrong or expired)',
      );
      for (const result of [fromEnv, fromFlag, debug, token]) {
        expect(result.stdout).toBe('');
        expect(result.stderr).not.toContain(secret);
        expect(result.stderr).not.toContain(shared.clientSecret);
      }
    });

    it('an unreachable API exits 1 and points at SAKARI_BASE_URL', async () => {
      const closed = await startSandbox();
      const url = closed.url;
      await closed.close();
      const result = await sakari(['messages', 'list', '--retries', '0'], {
        env: { ...env, SAKARI_BASE_URL: url },
      });
      expect(result.code).toBe(1);
      expect(oneLine(result)).toMatch(
        /^error: POST \/oauth2\/token: fetch failed \(ECONNREFUSED\) \(check SAKARI_BASE_URL and your network\)$/,
      );
    });

    it('when retries run out mid-export, every message fetched before is written whole, and JSON stays an array', async () => {
      for (const format of ['ndjson', 'json'] as const) {
        const sandbox = await sandboxFor({
          messages: 1_000,
          // From the fourth page on, every answer is a 500.
          insertDuring: ({ request, store }) => {
            if (request === 3) store.faults = { serverError: 1 };
            return 0;
          },
        });
        const result = await sakari(
          ['messages', 'list', '--all', '--concurrency', '1', '--retries', '1', '--format', format],
          { env: sandboxEnv(sandbox) },
        );
        expect(result.code).toBe(1);
        const got =
          format === 'json' ? (JSON.parse(result.stdout) as Message[]) : ndjson(result.stdout);
        // Pages at offsets 0, 99 and 198 share a message with their neighbours: 100 + 99 + 99.
        expect(got.map((m) => m.id)).toEqual(sandbox.store.ids().slice(0, 298));
        expect(oneLine(result)).toMatch(
          /^error: 50[023] GET \/v1\/accounts\/acc_sandbox\/messages\?offset=297&limit=100: .+ \(after 2 attempts\); 298 messages written before the error$/,
        );
      }
    });
  });

  it('--debug reports each retry and the total, which match the faults the sandbox injected', async () => {
    const sandbox = await sandboxFor({
      messages: 1_000,
      faults: { seed: 5, serverError: 0.3 },
    });
    const result = await sakari(
      ['messages', 'list', '--all', '--debug', '--retries', '8', '--concurrency', '2'],
      { env: sandboxEnv(sandbox) },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(ndjson(result.stdout).map((m) => m.id)).toEqual(sandbox.store.ids());
    const injected = sandbox.store.requests.filter((r) => r.fault === 'serverError').length;
    expect(injected).toBeGreaterThan(0);
    const retries = result.stderr.match(/^debug: retry \d+ after HTTP 50[023], in \d+ ms$/gm) ?? [];
    expect(retries).toHaveLength(injected);
    expect(result.stderr).toMatch(
      new RegExp(`^debug: 1,000 messages in [\\d.]+ s, ${injected} retr(y|ies)$`, 'm'),
    );
    expect(result.stderr).not.toContain(sandbox.clientSecret);
  });

  describe('signals and pipes', () => {
    it('Ctrl-C (SIGINT) during a slow export exits 130 with only complete lines written', async () => {
      const sandbox = await sandboxFor({ messages: 2_500, latencyMs: 50 });
      const run = start(['messages', 'list', '--all', '--concurrency', '1', '--format', 'ndjson'], {
        env: sandboxEnv(sandbox),
      });
      await run.lines(150);
      run.child.kill('SIGINT');
      const result = await run.done;
      expect(result.code, result.stderr).toBe(130);
      const lines = ndjson(result.stdout); // throws on a partial line
      expect(lines.length).toBeGreaterThanOrEqual(199); // two pages: 100 + 99 new
      expect(lines.length).toBeLessThan(2_500);
      expect(lines.map((m) => m.id)).toEqual(sandbox.store.ids().slice(0, lines.length));
      expect(oneLine(result)).toBe(
        `sakari: interrupted (SIGINT); ${lines.length} messages written`,
      );
    });

    it('stops quietly (exit 0) when the reader goes away, as in `| head`', async () => {
      const run = start(['messages', 'list', '--all'], { env });
      await run.lines(1);
      run.child.stdout?.destroy();
      const result = await run.done;
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
    });
  });

  describe('the process', () => {
    /** Runs the CLI with stdin a pipe that stays open and stdout `stdout`; resolves with its exit. */
    function run(args: string[], runEnv: NodeJS.ProcessEnv, stdout: 'pipe' | number = 'pipe') {
      const child = spawn(process.execPath, [CLI, ...args], {
        env: runEnv,
        stdio: ['pipe', stdout, 'pipe'],
      });
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      child.stdout?.resume();
      return new Promise<{ code: number | null; stderr: string }>((resolve) => {
        // Past this the process is taken as kept alive by a handle left open.
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          child.stdin?.destroy();
          resolve({ code, stderr });
        });
      });
    }

    it('ends by itself when done, even with stdin a pipe that nobody closes', async () => {
      const sandbox = await sandboxFor({ messages: 300 });
      const own = sandboxEnv(sandbox);
      const results = await Promise.all([
        run(['messages', 'list', '--all'], own),
        run(['messages', 'list', '--max', '5'], cleanEnv()),
        run(['messages', 'get', 'nope'], own),
        run(['messages', 'send', '--to', '+15551234567', '--text', 'hi', '--yes'], own),
        run(['messages', 'list', '--limit', '0'], own),
        run(['sandbox', '--help'], own),
      ]);
      expect(results.map((r) => r.code)).toEqual([0, 0, 1, 0, 2, 0]);
    });

    it('an output that cannot be written is one line and exit 1, not a crash', async () => {
      const result = await run(['messages', 'list', '--all'], env, openSync('/dev/full', 'w'));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^error: cannot write the output: ENOSPC: no space left on device, write\n$/,
      );
    });
  });

  describe('the built-in sandbox (npm start)', () => {
    it('with no SAKARI_* variable, exports 2,500 sample messages and says so in one line', async () => {
      const result = await sakari(['messages', 'list', '--all'], { env: cleanEnv() });
      expect(result.code).toBe(0);
      expect(oneLine(result)).toMatch(
        /^sakari: no SAKARI_\* settings, so using the built-in sandbox \(2,500 sample messages at http:\/\/127\.0\.0\.1:\d+\)/,
      );
      const lines = ndjson(result.stdout);
      expect(lines).toHaveLength(2_500);
      expect(new Set(lines.map((m) => m.id)).size).toBe(2_500);
      // The same data as a sandbox with the same seed: the demo is reproducible.
      expect(lines.map((m) => m.id)).toEqual(ids);
    });

    it('package.json: `npm start` runs exactly that command', () => {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
      expect(pkg.scripts.start).toBe('node dist/cli/main.js messages list --all');
      expect(pkg.bin).toEqual({ sakari: 'dist/cli/main.js' });
    });
  });

  describe('help and version', () => {
    it('--help on every command, with examples; --version from package.json', async () => {
      const commands = [
        [],
        ['messages'],
        ['messages', 'list'],
        ['messages', 'get'],
        ['messages', 'send'],
        ['sandbox'],
        ['mock'],
      ];
      const helps = await Promise.all(commands.map((c) => sakari([...c, '--help'], { env })));
      helps.forEach((help, i) => {
        expect(help.code, commands[i]?.join(' ')).toBe(0);
        expect(help.stderr).toBe('');
        expect(help.stdout).toMatch(/^Usage: sakari|^sakari: /);
      });
      for (const help of [helps[0], helps[2], helps[3], helps[4]]) {
        expect(help?.stdout).toContain('Examples:');
        expect(help?.stdout).toContain('SAKARI_CLIENT_SECRET');
      }
      expect(helps[0]?.stdout).toMatch(
        /Exit codes: 0 success, 1 API or network error, 2 usage error/,
      );
      expect(helps[2]?.stdout).toMatch(/--concurrency N[\s\S]*--format F/);
      expect(helps[5]?.stdout).toContain('Examples:');
      expect(helps[5]?.stdout).toContain(`0 to ${MAX_CHURN} (default 0)`);
      expect(helps[5]?.stdout).toContain(`at most ${MAX_GENERATED} (default 100)`);
      expect(helps[6]?.stdout).toContain('npm install --save-dev @stoplight/prism-cli@5.14.2');
      // The command list is the command table's, every command with its summary.
      for (const command of COMMANDS) {
        expect(helps[0]?.stdout).toMatch(
          new RegExp(`\\n  ${command.synopsis} +${command.summary.replace(/[()]/g, '\\$&')}\\n`),
        );
      }
      for (const command of COMMANDS.filter((c) => c.name.startsWith('messages '))) {
        expect(helps[1]?.stdout).toContain(command.summary);
      }
      // Every command takes --debug and --help, and its help says so.
      for (const help of helps.slice(2)) expect(help.stdout).toMatch(/--debug[\s\S]*-h, --help/);

      const version = await sakari(['--version'], { env });
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
      expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    });
  });
});
