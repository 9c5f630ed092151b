// `sakari sandbox`: runs the local sandbox in the foreground and prints what a client needs to
// reach it, until Ctrl-C (SIGINT) or SIGTERM.
import { parseArgs } from 'node:util';
import { startSandbox } from '../sandbox/index.js';
import type { Command } from './main.js';

const HELP = `Usage: sakari sandbox [options]

Runs a local, stateful stand-in of Sakari's messages API on 127.0.0.1 until Ctrl-C.

Options:
  --port N        port to listen on; 0 picks a free one (default 0)
  --messages N    how many messages to generate (default 100)
  --seed N        seed of the generated data (default 1)
  --latency MS    delay added before every answer, in ms (default 0)
  -h, --help      show this help

Examples:
  sakari sandbox --messages 2500
  sakari sandbox --port 4011 --latency 50     # then, in another shell, the printed
                                              # export lines and: sakari messages list --all`;

/** Reads an integer option; throws a usage error naming the option when it is not one. */
function integer(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} must be an integer of at least ${min}, got '${value}'`);
  }
  return Number(value);
}

class UsageError extends Error {
  override name = 'UsageError' as const;
}

async function run(args: readonly string[]): Promise<number> {
  let options: { port: number; messages: number; seed: number; latencyMs: number };
  try {
    const { values } = parseArgs({
      args: [...args],
      options: {
        port: { type: 'string' },
        messages: { type: 'string' },
        seed: { type: 'string' },
        latency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    options = {
      port: integer('port', values.port, 0, 0),
      messages: integer('messages', values.messages, 100, 0),
      seed: integer('seed', values.seed, 1, Number.MIN_SAFE_INTEGER),
      latencyMs: integer('latency', values.latency, 0, 0),
    };
  } catch (error) {
    // parseArgs throws TypeErrors with a `code` for unknown or malformed options.
    console.error(`sakari sandbox: ${error instanceof Error ? error.message : String(error)}`);
    console.error("Run 'sakari sandbox --help' for the options.");
    return 2;
  }

  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox(options);
  } catch (error) {
    console.error(`sakari sandbox: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  // Listen for the signals before printing: whoever reads the URL may signal at once.
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const { url, accountId, clientId, clientSecret } = sandbox;
  console.log(
    [
      `Sakari sandbox listening on ${url}`,
      `  account id     ${accountId}`,
      `  client id      ${clientId}`,
      `  client secret  ${clientSecret}   (a local, fake secret)`,
      `  messages       ${options.messages} (seed ${options.seed})`,
      '',
      'To point a client at it:',
      `  export SAKARI_BASE_URL=${url}`,
      `  export SAKARI_ACCOUNT_ID=${accountId}`,
      `  export SAKARI_CLIENT_ID=${clientId}`,
      `  export SAKARI_CLIENT_SECRET=${clientSecret}`,
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );

  const signal = await stopped;
  await sandbox.close();
  console.log(`Sandbox stopped (${signal}).`);
  return 0;
}

/** `sakari sandbox`. */
export const sandboxCommand: Command = {
  summary: 'run a local sandbox of the Sakari messages API',
  run,
};
