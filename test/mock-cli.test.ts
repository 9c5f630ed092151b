// `sakari mock` as a user runs it: the built CLI starts the real Prism on a free loopback port,
// prints the settings, serves a real call through the CLI, and leaves no process behind however
// it is stopped.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI, cleanEnv, ndjson, ROOT, sakari } from './helpers/cli.js';
import { freePort, isRunning } from './helpers/process.js';

const children = new Set<ChildProcess>();
const prisms = new Set<number>();
afterAll(() => {
  // Whatever a failed test left: the CLI, and any Prism it started.
  for (const child of children) child.kill('SIGKILL');
  for (const pid of prisms) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});
beforeAll(() => assertBuilt());

/** The process ids of `pid`'s children (Linux's /proc). */
async function childrenOf(pid: number): Promise<number[]> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.split(' ').filter(Boolean).map(Number);
}

/** Starts `sakari mock …args` and resolves once it printed its settings. */
async function startMock(args: string[]) {
  const child = spawn(process.execPath, [CLI, 'mock', ...args], {
    cwd: ROOT,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (stdout.includes('Press Ctrl-C')) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    exited.then(() => {
      clearInterval(timer);
      reject(new Error(`sakari mock exited before listening:\n${stdout}\n${stderr}`));
    });
  });
  const [prism] = await childrenOf(child.pid as number);
  if (prism !== undefined) prisms.add(prism);
  const settings = Object.fromEntries(
    [...stdout.matchAll(/export (SAKARI_\w+)=(\S+)/g)].map((m) => [m[1], m[2]]),
  );
  return { child, prism, settings, stdout: () => stdout, exited };
}

describe('sakari mock', () => {
  it('serves the spec on the port asked, through which the CLI lists messages; SIGTERM stops Prism too', async () => {
    const port = await freePort();
    const mock = await startMock(['--port', String(port)]);
    expect(mock.settings).toEqual({
      SAKARI_BASE_URL: `http://127.0.0.1:${port}`,
      SAKARI_ACCOUNT_ID: '5f1e8a2b9c3d4e0012a7b6c1',
      SAKARI_TOKEN: 'any-token',
    });
    expect(mock.prism).toBeDefined();

    const listed = await sakari(['messages', 'list', '--limit', '2'], {
      env: cleanEnv(mock.settings),
    });
    expect(listed.code, listed.stderr).toBe(0);
    // The messages of the spec's first example of a list answer.
    const spec = JSON.parse(readFileSync(join(ROOT, 'generated/openapi.json'), 'utf8'));
    const [first] = Object.values(
      spec.paths['/v1/accounts/{accountId}/messages'].get.responses['200'].content[
        'application/json'
      ].examples,
    ) as { $ref: string }[];
    const name = first?.$ref.split('/').at(-1) as string;
    expect(ndjson(listed.stdout)).toEqual(spec.components.examples[name].value.data);

    mock.child.kill('SIGTERM');
    expect(await mock.exited).toEqual({ code: 0, signal: null });
    expect(mock.stdout()).toContain('Mock stopped (SIGTERM).');
    expect(isRunning(mock.prism as number)).toBe(false);
  }, 60_000);

  it('when sakari itself is killed outright, Prism goes with it', async () => {
    const mock = await startMock(['--port', String(await freePort()), '--dynamic', '--seed', '3']);
    expect(mock.stdout()).toContain('making bodies up from the schemas');
    mock.child.kill('SIGKILL');
    await mock.exited;
    const prism = mock.prism as number;
    for (let i = 0; i < 100 && isRunning(prism); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(isRunning(prism)).toBe(false);
  }, 60_000);

  it('without Prism installed, says how to install it and exits 2', async () => {
    // The package as a project without Prism gets it: no node_modules above it.
    const dir = mkdtempSync(join(tmpdir(), 'sakari-no-prism-'));
    try {
      cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
      cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
      const result = await new Promise<{ code: number | null; out: string; err: string }>(
        (resolve) => {
          const child = spawn(process.execPath, [join(dir, 'dist/cli/main.js'), 'mock'], {
            cwd: dir,
            env: cleanEnv(),
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          let err = '';
          child.stdout.on('data', (c: Buffer) => {
            out += c;
          });
          child.stderr.on('data', (c: Buffer) => {
            err += c;
          });
          child.once('close', (code) => resolve({ code, out, err }));
        },
      );
      expect(result).toEqual({
        code: 2,
        out: '',
        err: 'error: sakari mock needs Stoplight Prism, which is not installed: npm install --save-dev @stoplight/prism-cli@5.14.2\n',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad flags with exit 2 before starting anything', async () => {
    const env = cleanEnv();
    const [port, seed, unknown] = await Promise.all([
      sakari(['mock', '--port', '0'], { env }),
      sakari(['mock', '--seed', '5'], { env }),
      sakari(['mock', '--host', '0.0.0.0'], { env }),
    ]);
    expect(port).toMatchObject({
      code: 2,
      stderr: 'error: --port must be a whole number from 1 to 65535, got "0"\n',
    });
    expect(seed).toMatchObject({
      code: 2,
      stderr: 'error: --seed makes the bodies of --dynamic reproducible: add --dynamic\n',
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--host'");
  });
});
