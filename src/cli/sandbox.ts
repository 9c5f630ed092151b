// `sakari sandbox`: runs the local sandbox in the foreground and prints what a client needs to
// reach it, until Ctrl-C (SIGINT) or SIGTERM.
import { MAX_DELAY_MS } from '../sandbox/checks.js';
import { MAX_CHURN } from '../sandbox/churn.js';
import {
  SAKARI_DOCUMENT_SHAPES,
  type SandboxOptions,
  type SandboxShapes,
  startSandbox,
} from '../sandbox/index.js';
import { MAX_GENERATED } from '../sandbox/world.js';
import { choice, flag, integer, parse, text, type Values } from './args.js';
import { EXIT, UsageError } from './errors.js';
import type { Command } from './main.js';
import type { Io } from './session.js';
import { oneLine } from './text.js';

const HELP = `Usage: sakari sandbox [options]

Runs a local, stateful stand-in of Sakari's messages API on 127.0.0.1 until Ctrl-C.

Options:
  --port N                  port to listen on, 0 to 65535; 0 picks a free one (default 0)
  --messages N              how many messages to generate, at most 16777215 (default 100)
  --seed N                  seed of the generated data and of the churn, a whole number (default 1)
  --latency MS              delay added before every answer, in ms (default 0)
  -h, --help                show this help

Shapes of list answers that Sakari's own API document allows (default: the full shape):
  --shape sakari            pagination as that document shows it: no hasNext (the flags
                            below add to it)
  --no-has-next             leave pagination.hasNext out
  --no-total-count          leave pagination.totalCount out
  --no-pagination           leave the pagination object out
  --page-cap N              serve at most N messages a page (N >= 1) while pagination.limit
                            echoes the limit asked
  --idless-every N          serve every Nth message of a list without its id (N >= 1)

Churn before each list request (messages arriving and going while a client pages):
  --inserts-per-request N   put N new messages on top, 0 to ${MAX_CHURN} (default 0)
  --deletes-per-request N   delete N messages at random positions, 0 to ${MAX_CHURN} (default 0)

Examples:
  sakari sandbox --messages 2500
  sakari sandbox --port 4011 --latency 50     # then, in another shell, the printed
                                              # export lines and: sakari messages list --all
  sakari sandbox --shape sakari --page-cap 30 --deletes-per-request 1`;

/** The shapes the flags ask for; `undefined` when none does. */
function shapesOf(values: Values): SandboxShapes | undefined {
  const shapes: SandboxShapes = {
    ...(choice('--shape', text(values, 'shape'), ['sakari']) ? SAKARI_DOCUMENT_SHAPES : {}),
  };
  if (flag(values, 'no-has-next')) shapes.hasNext = false;
  if (flag(values, 'no-total-count')) shapes.totalCount = false;
  if (flag(values, 'no-pagination')) shapes.pagination = false;
  const pageCap = integer('--page-cap', text(values, 'page-cap'), 1);
  if (pageCap !== undefined) shapes.pageCap = pageCap;
  const idlessEvery = integer('--idless-every', text(values, 'idless-every'), 1);
  if (idlessEvery !== undefined) shapes.idlessEvery = idlessEvery;
  return Object.keys(shapes).length > 0 ? shapes : undefined;
}

/** What the banner says about non-default shapes and churn, one line each. */
function describe(options: SandboxOptions): string[] {
  const lines: string[] = [];
  const { shapes, churn } = options;
  if (shapes) {
    const parts: string[] = [];
    if (shapes.pagination === false) parts.push('no pagination');
    if (shapes.hasNext === false) parts.push('no hasNext');
    if (shapes.totalCount === false) parts.push('no totalCount');
    if (shapes.pageCap !== undefined) parts.push(`at most ${shapes.pageCap} a page`);
    if (shapes.idlessEvery !== undefined) {
      const n = shapes.idlessEvery;
      parts.push(`no id at list positions ${n}, ${2 * n}, ${3 * n}, …`);
    }
    lines.push(`  shapes         ${parts.join(', ')}`);
  }
  if (churn) {
    lines.push(
      `  churn          ${churn.inserts ?? 0} inserted, ${churn.deletes ?? 0} deleted before each list request`,
    );
  }
  return lines;
}

type Options = SandboxOptions & { messages: number; seed: number };

/** The sandbox's options from the flags; a `UsageError` names the first bad one. */
function optionsOf(values: Values): Options {
  const options: Options = {
    port: integer('--port', text(values, 'port'), 0, 65_535) ?? 0,
    messages: integer('--messages', text(values, 'messages'), 0, MAX_GENERATED) ?? 100,
    seed: integer('--seed', text(values, 'seed'), 0) ?? 1,
    latencyMs: integer('--latency', text(values, 'latency'), 0, MAX_DELAY_MS) ?? 0,
  };
  const shapes = shapesOf(values);
  if (shapes) options.shapes = shapes;
  const inserts = integer(
    '--inserts-per-request',
    text(values, 'inserts-per-request'),
    0,
    MAX_CHURN,
  );
  const deletes = integer(
    '--deletes-per-request',
    text(values, 'deletes-per-request'),
    0,
    MAX_CHURN,
  );
  if (inserts !== undefined || deletes !== undefined) {
    // Deletes are drawn from the data's seed, so one --seed replays a whole run.
    options.churn = { inserts: inserts ?? 0, deletes: deletes ?? 0, seed: options.seed };
  }
  return options;
}

async function run(io: Io, args: readonly string[]): Promise<number> {
  let options: Options;
  try {
    const { values } = parse('sakari sandbox', args, {
      port: { type: 'string' },
      messages: { type: 'string' },
      seed: { type: 'string' },
      latency: { type: 'string' },
      shape: { type: 'string' },
      'no-has-next': { type: 'boolean' },
      'no-total-count': { type: 'boolean' },
      'no-pagination': { type: 'boolean' },
      'page-cap': { type: 'string' },
      'idless-every': { type: 'string' },
      'inserts-per-request': { type: 'string' },
      'deletes-per-request': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (flag(values, 'help')) {
      io.stdout.write(`${HELP}\n`);
      return EXIT.ok;
    }
    options = optionsOf(values);
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
      ...describe(options),
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
