// Runs the built CLI (`node dist/cli/main.js`) as a child process, as a user would, and makes
// sure no child outlives its test.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist/cli/main.js');

/** Throws unless dist/ was built after the last change to src/: the tests run the built CLI. */
export function assertBuilt(): void {
  const stale: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts')) {
        const built = join(ROOT, 'dist', path.slice('src/'.length).replace(/\.ts$/, '.js'));
        let builtAt = 0;
        try {
          builtAt = statSync(built).mtimeMs;
        } catch {
          // missing: stale
        }
        if (builtAt < statSync(join(ROOT, path)).mtimeMs) stale.push(path);
      }
    }
  };
  walk('src');
  if (stale.length > 0) {
    throw new Error(`dist/ is older than ${stale.join(', ')}: run \`npm run build\` first`);
  }
}

/** The environment without any SAKARI_* variable (so the user's own never leak into a test). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('SAKARI_')) env[key] = value;
  }
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return { ...env, ...extra };
}

/** The variables that point the CLI at `sandbox`. */
export function sandboxEnv(
  sandbox: Sandbox,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return cleanEnv({
    SAKARI_BASE_URL: sandbox.url,
    SAKARI_ACCOUNT_ID: sandbox.accountId,
    SAKARI_CLIENT_ID: sandbox.clientId,
    SAKARI_CLIENT_SECRET: sandbox.clientSecret,
    ...extra,
  });
}

export interface Result {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Running {
  readonly child: ChildProcess;
  /** stdout so far. */
  stdout(): string;
  /** Resolves once stdout holds `count` newlines. */
  lines(count: number): Promise<void>;
  /** Resolves when the process exits. */
  readonly done: Promise<Result>;
}

const children = new Set<ChildProcess>();
/** A child still running this long is stuck (a test's own limit is 60 s): it is killed. */
const CHILD_TIMEOUT_MS = 50_000;

/**
 * For a file of concurrent tests (an afterEach would hit its neighbours' children and
 * sandboxes): kills every child still running and closes every sandbox `sandboxFor` started,
 * once the file is done. Each child is also killed on its own after 50 s.
 */
export function cleanUpAfterAll(): (options?: SandboxOptions) => Promise<Sandbox> {
  const sandboxes: Sandbox[] = [];
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    children.clear();
    await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
  });
  return async (options) => {
    const sandbox = await startSandbox(options);
    sandboxes.push(sandbox);
    return sandbox;
  };
}

/** Starts `command args` (default: the built CLI) with stdin closed unless `input` is given. */
export function start(
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; input?: string; command?: string },
): Running {
  const command = options.command ?? process.execPath;
  const argv = options.command ? [...args] : [CLI, ...args];
  const child = spawn(command, argv, {
    cwd: ROOT,
    env: options.env,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  if (options.input !== undefined) child.stdin?.end(options.input);
  let stdout = '';
  let stderr = '';
  let newlines = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) newlines++;
    for (const w of waiters.splice(0)) {
      if (newlines >= w.count) w.resolve();
      else waiters.push(w);
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<Result>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    stdout: () => stdout,
    lines: (count) =>
      new Promise<void>((resolve, reject) => {
        if (newlines >= count) return resolve();
        waiters.push({ count, resolve });
        done.then(() => reject(new Error(`exited before ${count} lines:\n${stderr}`)), reject);
      }),
    done,
  };
}

/** Runs the built CLI to completion. */
export function sakari(
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; input?: string },
): Promise<Result> {
  return start(args, options).done;
}

/** Runs `shellCommand` under a pseudo-terminal of `columns` × 40 (util-linux `script`). */
export function underPty(
  shellCommand: string,
  options: { env: NodeJS.ProcessEnv; columns?: number; input?: string },
): Promise<Result> {
  const sized = `stty cols ${options.columns ?? 100} rows 40; ${shellCommand}`;
  return start(['-qfec', sized, '/dev/null'], { ...options, command: 'script' }).done;
}

/** Parses NDJSON, failing on any line that is not a whole JSON value. */
export function ndjson<T = { id: string }>(text: string): T[] {
  if (text === '') return [];
  if (!text.endsWith('\n'))
    throw new Error(`output does not end with a newline: …${text.slice(-80)}`);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}
