// The sandbox as a separate process (`sakari sandbox` from dist/), so that building and
// writing pages runs on its own core and event loop, as a real server's work would, and is
// never charged to the client under measurement.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface SandboxProcess {
  readonly url: string;
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly pid: number;
  /** The variables the CLI reads, pointing at this sandbox. */
  readonly env: Record<string, string>;
  /** A bearer token from `POST /oauth2/token`, for the raw-fetch sides. */
  token(): Promise<string>;
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A benchmark that throws must not leave a sandbox behind.
process.on('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

export async function startSandboxProcess(
  root: string,
  options: { messages: number; latencyMs?: number },
): Promise<SandboxProcess> {
  const args = [join(root, 'dist/cli/main.js'), 'sandbox', '--port', '0'];
  args.push('--messages', String(options.messages), '--latency', String(options.latencyMs ?? 0));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => running.delete(child));

  // It prints `export SAKARI_…=value` lines (src/cli/sandbox.ts), the client secret last.
  const env: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sakari sandbox exited with ${code}`)));
    lines.on('line', (line) => {
      const found = /export (SAKARI_\w+)=(\S+)/.exec(line);
      if (!found) return;
      env[found[1] as string] = found[2] as string;
      if (found[1] === 'SAKARI_CLIENT_SECRET') resolve();
    });
  });
  const url = env.SAKARI_BASE_URL as string;
  const clientId = env.SAKARI_CLIENT_ID as string;
  const clientSecret = env.SAKARI_CLIENT_SECRET as string;

  return {
    url,
    accountId: env.SAKARI_ACCOUNT_ID as string,
    clientId,
    clientSecret,
    pid: child.pid as number,
    env,
    async token() {
      const res = await fetch(`${url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }),
      });
      const body = (await res.json()) as { access_token: string };
      return body.access_token;
    },
    async close() {
      lines.close();
      child.kill('SIGTERM');
      await exited;
    },
  };
}
