// `sakari mock`: Stoplight Prism serving the package's own bundled spec, until Ctrl-C or
// SIGTERM. Prism is the user's dev dependency, resolved from this package or the working
// directory; it runs as a child process of this one and never outlives it.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flag, integer, text } from './args.js';
import type { Input, Outcome } from './command.js';
import { EXIT, ServerError, UsageError } from './errors.js';
import { stopSignal } from './stop.js';

/** The Prism version our contract tests run, and the one the install hint names. */
export const PRISM_VERSION = '5.14.2';
/** The spec's example account: Prism accepts any id and any bearer token. */
const EXAMPLE_ACCOUNT = '5f1e8a2b9c3d4e0012a7b6c1';
const HOST = '127.0.0.1';
const DEFAULT_PORT = 4010;
/** Prism needs a few seconds to load the spec; past this it is taken as stuck. */
const START_TIMEOUT_MS = 60_000;
/** How long Prism gets to exit on SIGTERM before it is killed. */
const STOP_GRACE_MS = 3_000;

const SPEC = fileURLToPath(new URL('../../generated/openapi.json', import.meta.url));
const GUARD = new URL('./exit-with-parent.js', import.meta.url).href;

/** Prism's entry point, from this package's place or the working directory; a usage error names the install command. */
export function resolvePrism(cwd: string): string {
  for (const from of [import.meta.url, join(cwd, 'package.json')]) {
    try {
      return createRequire(from).resolve('@stoplight/prism-cli');
    } catch {
      // Not there: try the next place.
    }
  }
  throw new UsageError(
    `sakari mock needs Stoplight Prism, which is not installed: npm install --save-dev @stoplight/prism-cli@${PRISM_VERSION}`,
  );
}

export async function mock(input: Input): Promise<Outcome> {
  const { values, io } = input;
  const port = integer('--port', text(values, 'port'), 1, 65_535) ?? DEFAULT_PORT;
  const dynamic = flag(values, 'dynamic');
  const seed = integer('--seed', text(values, 'seed'), 0);
  if (seed !== undefined && !dynamic) {
    throw new UsageError('--seed makes the bodies of --dynamic reproducible: add --dynamic');
  }
  const prism = resolvePrism(process.cwd());
  const args = ['--import', GUARD, prism, 'mock', SPEC, '--host', HOST, '--port', String(port)];
  if (dynamic) args.push('--dynamic');
  if (seed !== undefined) args.push('--seed', String(seed));
  const child = spawn(process.execPath, args, {
    // stdin stays a pipe this process never writes to: exit-with-parent.ts watches it.
    stdio: ['pipe', 'pipe', 'pipe'],
    // Plain text, so the ready line can be read whatever the terminal.
    env: { ...io.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  try {
    const url = await listening(child, io.stderr, input.signal);
    await input.output.write(
      `${[
        `Sakari mock (Prism ${dynamic ? 'making bodies up from the schemas' : "answering with the spec's examples"}) listening on ${url}`,
        '',
        'To point the CLI or the library at it (any bearer token is accepted):',
        `  export SAKARI_BASE_URL=${url}`,
        `  export SAKARI_ACCOUNT_ID=${EXAMPLE_ACCOUNT}`,
        '  export SAKARI_TOKEN=any-token',
        '',
        'Press Ctrl-C to stop.',
      ].join('\n')}\n`,
    );
    const stopped = await Promise.race([stopSignal(input.signal), exited]);
    if (Array.isArray(stopped)) {
      const [code, signal] = stopped;
      throw new ServerError(`Prism stopped on its own (exit code ${code}, signal ${signal})`);
    }
    await input.output.write(`Mock stopped (${stopped}).\n`);
    return { code: EXIT.ok };
  } finally {
    await stop(child, exited);
  }
}

/**
 * Resolves with Prism's URL once it says it listens. Prism's log goes to stderr as it comes;
 * a fatal line, an early exit, the time limit or the command's signal rejects.
 */
function listening(
  child: ChildProcess,
  log: NodeJS.WritableStream,
  signal: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new ServerError(`Prism did not start within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    const settle = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      settle();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) => {
      settle();
      reject(new ServerError(`cannot start Prism: ${error.message}`, { cause: error }));
    });
    child.once('exit', (code) => {
      settle();
      reject(
        new ServerError(`Prism exited before listening (exit code ${code}); its log is above`),
      );
    });
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        log.write(chunk);
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          const ready = /Prism is listening on (\S+)/.exec(line);
          if (ready?.[1]) {
            settle();
            resolve(ready[1].replace(/\/$/, ''));
          }
        }
      });
    }
  });
}

/** SIGTERM, then SIGKILL after a grace period; resolves once Prism has exited. */
async function stop(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
  // Our end of the pipe exit-with-parent watches: open, it would keep this process alive.
  child.stdin?.destroy();
}
