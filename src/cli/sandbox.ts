// `sakari sandbox`: runs the local sandbox in the foreground and prints what a client needs to
// reach it, until Ctrl-C (SIGINT) or SIGTERM.
import { MAX_GENERATED } from '../sandbox/data.js';
import { startSandbox } from '../sandbox/index.js';
import { MAX_DELAY_MS } from '../sandbox/options.js';
import { flag, integer, parse, text } from './args.js';
import { EXIT, UsageError } from './errors.js';
import type { Command } from './main.js';
import type { Io } from './session.js';
import { oneLine } from './text.js';

const HELP = `Usage: sakari sandbox [options]

Runs a local, stateful stand-in of Sakari's messages API on 127.0.0.1 until Ctrl-C.

Options:
  --port N        port to listen on, 0 to 65535; 0 picks a free one (default 0)
  --messages N    how many messages to generate, at most 16777215 (default 100)
  --seed N        seed of the generated data, a whole number (default 1)
  --latency MS    delay added before every answer, in ms (default 0)
  -h, --help      show this help

Examples:
  sakari sandbox --messages 2500
  sakari sandbox --port 4011 --latency 50     # then, in another shell, the printed
                                              # export lines and: sakari messages list --all`;

async function run(io: Io, args: readonly string[]): Promise<number> {
  let options: { port: number; messages: number; seed: number; latencyMs: number };
  try {
    const { values } = parse('sakari sandbox', args, {
      port: { type: 'string' },
      messages: { type: 'string' },
      seed: { type: 'string' },
      latency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (flag(values, 'help')) {
      io.stdout.write(`${HELP}\n`);
      return EXIT.ok;
    }
    options = {
      port: integer('--port', text(values, 'port'), 0, 65_535) ?? 0,
      messages: integer('--messages', text(values, 'messages'), 0, MAX_GENERATED) ?? 100,
      seed: integer('--seed', text(values, 'seed'), 0) ?? 1,
      latencyMs: integer('--latency', text(values, 'latency'), 0, MAX_DELAY_MS) ?? 0,
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`error: ${oneLine(error.message)}\n`);
    return EXIT.usage;
  }

  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox(options);
  } catch (error) {
    // The options were checked above; what is left is the system's answer, such as a port in use.
    io.stderr.write(`error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT.failure;
  }
  // Listen for the signals before printing: whoever reads the URL may signal at once.
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const { url, accountId, clientId, clientSecret } = sandbox;
  io.stdout.write(
    `${[
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
    ].join('\n')}\n`,
  );

  const signal = await stopped;
  await sandbox.close();
  io.stdout.write(`Sandbox stopped (${signal}).\n`);
  return EXIT.ok;
}

/** `sakari sandbox`. */
export function sandboxCommand(io: Io): Command {
  return {
    summary: 'run a local sandbox of the Sakari messages API',
    run: (args) => run(io, args),
  };
}
