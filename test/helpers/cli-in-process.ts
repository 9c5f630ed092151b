// Runs the CLI's `main` in this process with captured streams: fast enough to try hundreds of
// bad arguments. Behaviour that needs a real process (signals, TTYs, exit) is tested by
// spawning the built CLI instead (test/cli*.test.ts).
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  Object.assign(stream, { isTTY: false, columns: 100 });
  return {
    stream: stream as unknown as NodeJS.WriteStream,
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<InProcessResult> {
  const stdout = capture();
  const stderr = capture();
  const stdin = new PassThrough();
  Object.assign(stdin, { isTTY: false });
  const code = await main(argv, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    env,
  });
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
