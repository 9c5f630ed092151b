// The CLI at a terminal: under a pseudo-terminal (util-linux `script`), where the table is the
// default format, a progress line is drawn on stderr, and a send asks before it goes.
import { beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../src/cli/columns.js';
import {
  assertBuilt,
  CLI,
  cleanEnv,
  cleanUpAfterAll,
  type Result,
  sandboxEnv,
  underPty,
} from './helpers/cli.js';

const sandboxFor = cleanUpAfterAll();
beforeAll(() => assertBuilt());

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences
const CSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const ERASE_LINE = '\x1b[K';
const ROW = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}(→ out|← in ) {2}/;

/** What a terminal would show line by line: \r\n made \n, escape sequences removed. */
function screenLines(result: Result): string[] {
  return result.stdout.replace(/\r\n/g, '\n').replace(CSI, '').split('\n');
}

describe.concurrent('at a terminal', () => {
  it('shows a table cut to the width, and a progress line redrawn in place, then cleared', async () => {
    const sandbox = await sandboxFor({ messages: 600, latencyMs: 40 });
    const result = await underPty(`node ${CLI} messages list --all --concurrency 1`, {
      env: sandboxEnv(sandbox),
      columns: 100,
    });
    expect(result.code).toBe(0);
    const raw = result.stdout;
    const marked = raw.replaceAll(ERASE_LINE, '<EL>');
    // The progress line: done / total, percentage, rate and ETA, drawn with \r and erased.
    const drawn = [
      ...marked.matchAll(
        /\r([\d,]+) \/ 600 messages {2}\d+% {2}[\d,]+ msg\/s {2}ETA \d+:\d{2}<EL>/g,
      ),
    ];
    expect(drawn.length).toBeGreaterThanOrEqual(3);
    expect(drawn.map((m) => m[1])).toContain('600');
    expect(raw.endsWith('\r\x1b[K')).toBe(true); // cleared at the end
    // The table: a bold header, then one row per message; rows never reach the last column.
    expect(raw).toContain(
      '\x1b[1mCREATED           DIR    NUMBER            CONTACT             STATUS       TEXT\x1b[22m',
    );
    const lines = screenLines(result).map((line) => line.replace(/^\r.*\r/, '').replace(/^\r/, ''));
    const rows = lines.filter((line) => ROW.test(line));
    expect(rows).toHaveLength(600);
    for (const row of rows) expect(displayWidth(row)).toBeLessThan(100);
    expect(rows.some((row) => row.endsWith('…'))).toBe(true);
    expect(rows.some((row) => /\p{Extended_Pictographic}/u.test(row))).toBe(true);
  });

  it('draws progress on stderr while stdout goes to a file, which gets NDJSON', async () => {
    const sandbox = await sandboxFor({ messages: 500, latencyMs: 40 });
    const result = await underPty(
      `node ${CLI} messages list --all --concurrency 1 > /dev/null; echo "exit=$?"`,
      { env: sandboxEnv(sandbox), columns: 60 },
    );
    expect(result.stdout).toContain('exit=0');
    expect(result.stdout.replaceAll(ERASE_LINE, '<EL>')).toMatch(
      /\r100 \/ 500 messages {2}20% {2}[\d,]+ msg\/s {2}ETA \d+:\d{2}<EL>/,
    );
    expect(result.stdout).toMatch(/\r500 \/ 500 messages {2}100%/);
    expect(result.stdout).not.toContain('CREATED');
  });

  it('npm start: the built-in sandbox as a table, with no SAKARI_* variable', async () => {
    const result = await underPty('npm start --silent', { env: cleanEnv(), columns: 120 });
    expect(result.code).toBe(0);
    const lines = screenLines(result);
    expect(lines[0]).toMatch(
      /^sakari: no SAKARI_\* settings, so using the built-in sandbox \(2,500 sample messages/,
    );
    expect(lines).toContain(
      'CREATED           DIR    NUMBER            CONTACT             STATUS       TEXT',
    );
    const rows = lines
      .map((line) => line.replace(/^\r.*\r/, '').replace(/^\r/, ''))
      .filter((line) => ROW.test(line));
    expect(rows).toHaveLength(2_500);
  });

  it('send asks first: n sends nothing, y sends', async () => {
    const sandbox = await sandboxFor({ messages: 5 });
    const command = `node ${CLI} messages send --to +15551234567 --text 'Hello 👋'`;
    const [no, yes] = await Promise.all([
      underPty(command, { env: sandboxEnv(sandbox), input: 'n\n' }),
      underPty(`${command} --format json`, { env: sandboxEnv(sandbox), input: 'y\n' }),
    ]);
    const question =
      'Send "Hello 👋" to 1 recipient (+15551234567) from account acc_sandbox? [y/N] ';
    expect(no.stdout).toContain(question);
    expect(no.stdout).toContain('nothing was sent');
    expect(no.code).toBe(1);
    expect(yes.stdout).toContain(question);
    expect(yes.code).toBe(0);
    const posts = sandbox.store.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith('/messages'),
    );
    expect(posts).toHaveLength(1);
    expect(sandbox.store.size).toBe(6);
    expect(sandbox.store.get(sandbox.store.ids()[0] as string)?.message).toBe('Hello 👋');
  });

  it('send asks about the files it attaches, with or without a text', async () => {
    const sandbox = await sandboxFor({ messages: 5 });
    const command = `node ${CLI} messages send --to +15551234567 --media https://example.com/a.jpg`;
    const [alone, withText] = await Promise.all([
      underPty(`${command} --media https://example.com/b.jpg`, {
        env: sandboxEnv(sandbox),
        input: 'n\n',
      }),
      underPty(`${command} --text Menu`, { env: sandboxEnv(sandbox), input: 'n\n' }),
    ]);
    expect(alone.stdout).toContain(
      'Send 2 files to 1 recipient (+15551234567) from account acc_sandbox? [y/N] ',
    );
    expect(withText.stdout).toContain(
      'Send "Menu" with 1 file to 1 recipient (+15551234567) from account acc_sandbox? [y/N] ',
    );
    for (const run of [alone, withText]) {
      expect(run.stdout).toContain('nothing was sent');
      expect(run.code).toBe(1);
    }
    expect(sandbox.store.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('send at the prompt: end of input (Ctrl-D) answers no and sends nothing', async () => {
    const sandbox = await sandboxFor({ messages: 5 });
    const command = `node ${CLI} messages send --to +15551234567 --text hi`;
    const eof = await underPty(command, { env: sandboxEnv(sandbox), input: '\x04' });
    expect(eof.stdout).toContain('nothing was sent');
    expect(eof.code).toBe(1);
    expect(sandbox.store.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});
