import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isRunning } from './helpers/process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const children = new Set<ChildProcess>();

// Node with tsx's loader runs the TypeScript entry in one process, so signals reach the CLI
// itself rather than a wrapper.
function sakari(...args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

async function finished(child: ChildProcess): Promise<{ code: number | null; out: string }> {
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, out };
}

/** Resolves with the stdout printed so far once it contains `pattern`. */
function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk;
      if (pattern.test(out)) resolve(out);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing: ${out}`)));
  });
}

describe('sakari sandbox', () => {
  it('serves pages a plain HTTP client can walk, then stops cleanly on SIGINT', async () => {
    const child = sakari('sandbox', '--port', '0', '--messages', '2500', '--seed', '7');
    const out = await waitForOutput(child, /Press Ctrl-C/);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] as string;
    const secret = /SAKARI_CLIENT_SECRET=(\S+)/.exec(out)?.[1];
    expect(out).toContain('export SAKARI_BASE_URL=');
    expect(out).toContain('export SAKARI_ACCOUNT_ID=acc_sandbox');
    expect(out).toContain('export SAKARI_CLIENT_ID=sandbox-client');

    const grant = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: 'sandbox-client',
        client_secret: secret,
      }),
    });
    const { access_token: token } = await grant.json();
    const ids: string[] = [];
    let hasNext = true;
    for (let offset = 0; hasNext; offset += 100) {
      const res = await fetch(
        `${url}/v1/accounts/acc_sandbox/messages?offset=${offset}&limit=100`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      const page = await res.json();
      ids.push(...page.data.map((m: { id: string }) => m.id));
      hasNext = page.pagination.hasNext;
    }
    expect(ids).toHaveLength(2_500);
    expect(new Set(ids).size).toBe(2_500);

    const exit = finished(child);
    child.kill('SIGINT');
    const { code, out: rest } = await exit;
    expect(code).toBe(0);
    expect(rest).toContain('Sandbox stopped (SIGINT).');
    expect(isRunning(child.pid as number)).toBe(false);
  });

  it('serves the shapes and the churn its flags ask for, and says so', async () => {
    const child = sakari(
      'sandbox',
      '--messages',
      '50',
      '--shape',
      'sakari',
      '--page-cap',
      '7',
      '--idless-every',
      '3',
      '--inserts-per-request',
      '2',
      '--deletes-per-request',
      '1',
    );
    const out = await waitForOutput(child, /Press Ctrl-C/);
    expect(out).toContain(
      '  shapes         no hasNext, at most 7 a page, no id at list positions 3, 6, 9, …\n',
    );
    expect(out).toContain('  churn          2 inserted, 1 deleted before each list request\n');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] as string;
    const secret = /SAKARI_CLIENT_SECRET=(\S+)/.exec(out)?.[1];
    const grant = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: 'sandbox-client',
        client_secret: secret,
      }),
    });
    const { access_token: token } = await grant.json();
    const list = async () => {
      const res = await fetch(`${url}/v1/accounts/acc_sandbox/messages?limit=20`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return res.json();
    };
    const [first, second] = [await list(), await list()];
    // Sakari's document's pagination, the limit asked echoed over 7 rows, every third id-less.
    expect(first.pagination).toEqual({ offset: 0, limit: 20, totalCount: 51 });
    expect(second.pagination).toEqual({ offset: 0, limit: 20, totalCount: 52 });
    expect(first.data.map((m: object) => 'id' in m)).toEqual([
      true,
      true,
      false,
      true,
      true,
      false,
      true,
    ]);

    const plain = sakari('sandbox', '--messages', '5', '--no-pagination', '--no-total-count');
    const plainOut = await waitForOutput(plain, /Press Ctrl-C/);
    expect(plainOut).toContain('  shapes         no pagination, no totalCount\n');
    expect(plainOut).not.toContain('churn');
  });

  it('stops on SIGTERM too', async () => {
    const child = sakari('sandbox', '--messages', '5', '--latency', '10');
    await waitForOutput(child, /Press Ctrl-C/);
    const exit = finished(child);
    child.kill('SIGTERM');
    expect((await exit).code).toBe(0);
  });

  it('prints help, and refuses unknown commands and bad options with exit code 2', async () => {
    const [help, commandHelp, unknown, badOption, badValue, none] = await Promise.all([
      finished(sakari('--help')),
      finished(sakari('sandbox', '--help')),
      finished(sakari('frobnicate')),
      finished(sakari('sandbox', '--colour', 'red')),
      finished(sakari('sandbox', '--messages', 'lots')),
      finished(sakari()),
    ]);
    const [badCap, badShape] = await Promise.all([
      finished(sakari('sandbox', '--page-cap', '0')),
      finished(sakari('sandbox', '--shape', 'full')),
    ]);
    expect(badCap).toEqual({
      code: 2,
      out: 'error: --page-cap must be a whole number of at least 1, got "0"\n',
    });
    expect(badShape).toEqual({
      code: 2,
      out: 'error: --shape must be one of sakari, got "full"\n',
    });
    expect(help).toMatchObject({ code: 0 });
    expect(help.out).toMatch(/Usage: sakari <command>[\s\S]*sandbox/);
    expect(commandHelp).toMatchObject({ code: 0 });
    expect(commandHelp.out).toMatch(
      /--port N[\s\S]*--messages N[\s\S]*--seed N[\s\S]*--latency MS/,
    );
    for (const flag of [
      '--shape sakari',
      '--no-has-next',
      '--no-total-count',
      '--no-pagination',
      '--page-cap N',
      '--idless-every N',
      '--inserts-per-request N',
      '--deletes-per-request N',
    ]) {
      expect(commandHelp.out).toContain(`\n  ${flag} `);
    }
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain("unknown command 'frobnicate'");
    expect(badOption.code).toBe(2);
    expect(badOption.out).toContain('--colour');
    expect(badValue.code).toBe(2);
    expect(badValue.out).toBe(
      'error: --messages must be a whole number from 0 to 16777215, got "lots"\n',
    );
    expect(none.code).toBe(2);
  });
});
