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
import { choice, flag, integer, text, type Values } from './args.js';
import type { Input, Outcome } from './command.js';
import { EXIT, ServerError } from './errors.js';
import { stopSignal } from './stop.js';

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
  const driftEvery = integer('--drift-every', text(values, 'drift-every'), 1);
  if (driftEvery !== undefined) shapes.driftEvery = driftEvery;
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
    if (shapes.driftEvery !== undefined) {
      parts.push(`every ${shapes.driftEvery}th message of a list differs from the spec`);
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

/** Runs the sandbox until the command's signal (Ctrl-C, SIGTERM). */
export async function sandbox(input: Input): Promise<Outcome> {
  const options = optionsOf(input.values);
  let server: Awaited<ReturnType<typeof startSandbox>>;
  try {
    server = await startSandbox(options);
  } catch (error) {
    // The options were checked above; what is left is the system's answer, such as a port in use.
    throw new ServerError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const { url, accountId, clientId, clientSecret } = server;
  await input.output.write(
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
  const signal = await stopSignal(input.signal);
  await server.close();
  await input.output.write(`Sandbox stopped (${signal}).\n`);
  return { code: EXIT.ok };
}
