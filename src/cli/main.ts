#!/usr/bin/env node
// The `sakari` command: finds the command in the table and runs it on the one path every command
// takes: parse (a usage error exits 2), --help, --debug, Ctrl-C, then one redacted line for any
// failure and its exit code.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { redact } from '../errors.js';
import { flag, parse } from './args.js';
import type { Command, Io, Outcome } from './command.js';
import { COMMANDS, COMMON_OPTIONS } from './commands.js';
import {
  debugDetails,
  describeFailure,
  EXIT,
  exitCodeOf,
  InterruptedError,
  OutputClosedError,
  UsageError,
} from './errors.js';
import { groupHelp, mainHelp } from './help.js';
import { secretsIn } from './secrets.js';
import { Sink } from './sink.js';
import { oneLine } from './text.js';

export type { Io } from './command.js';

/** A second Ctrl-C this long after the first quits at once; sooner, it is taken as the same one (npm forwards the terminal's). */
const SECOND_SIGNAL_MS = 1_000;
const HELP_FLAGS = new Set(['--help', '-h', 'help']);

/** The package version, read at run time from the package.json two levels above this file (src/cli or dist/cli). */
function version(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Runs the CLI with `argv` (without node and the script) and resolves to the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [first] = argv;
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  if (first !== undefined && HELP_FLAGS.has(first)) {
    io.stdout.write(`${mainHelp(COMMANDS)}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name.split(' ').every((word, i) => argv[i] === word));
  if (command) return execute(command, argv.slice(command.name.split(' ').length), io);

  // Not a command: the help or a usage error, on the same terms as a command's.
  const group = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
  const [, second] = argv;
  if (group.length > 0 && second !== undefined && HELP_FLAGS.has(second)) {
    io.stdout.write(`${groupHelp(first as string, group)}\n`);
    return EXIT.ok;
  }
  if (first === undefined) io.stderr.write(`${mainHelp(COMMANDS)}\n`);
  const secrets = secretsIn(argv, io.env);
  return report({ error: new UsageError(notACommand(argv, group.length > 0)) }, io, secrets, false);
}

function notACommand(argv: readonly string[], isGroup: boolean): string {
  const [first = '', second] = argv;
  if (argv.length === 0) return "missing a command (see 'sakari --help')";
  if (isGroup) {
    return second === undefined
      ? `missing a command (see 'sakari ${first} --help')`
      : `unknown command '${oneLine(`${first} ${second}`)}' (see 'sakari ${first} --help')`;
  }
  const what = first.startsWith('-') ? 'unknown option' : 'unknown command';
  return `${what} '${oneLine(first)}' (see 'sakari --help')`;
}

/** Runs `command` with its arguments; Ctrl-C aborts its signal, and a second one later quits at once. */
async function execute(command: Command, args: readonly string[], io: Io): Promise<number> {
  const secrets = secretsIn(args, io.env);
  const output = new Sink(io.stdout);
  const controller = new AbortController();
  let first = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      first = Date.now();
      controller.abort(new InterruptedError(signal));
    } else if (Date.now() - first > SECOND_SIGNAL_MS) {
      process.exit(signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let outcome: Outcome;
  let debug = false;
  try {
    const name = `sakari ${command.name}`;
    const options = { ...command.options, ...COMMON_OPTIONS };
    const { values, positionals } = parse(name, args, options, command.positionals);
    debug = flag(values, 'debug');
    if (flag(values, 'help')) {
      await output.write(`${command.help}\n`);
      outcome = { code: EXIT.ok };
    } else {
      const run = await command.load();
      const note = (line: string) => io.stderr.write(`${redact(line, secrets)}\n`);
      const { signal } = controller;
      outcome = await run({ values, positionals, io, output, signal, debug, note });
    }
  } catch (error) {
    outcome = { error };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  // Once interrupted, whatever the abort caused (an AbortError, a failed page) is the interruption.
  if ('error' in outcome && controller.signal.aborted && !(outcome.error instanceof UsageError)) {
    outcome = { ...outcome, error: controller.signal.reason };
  }
  const code = report(outcome, io, secrets, debug);
  await output.flush();
  return code;
}

/** Prints a failure as one line (and its stack under --debug); returns the exit code. */
function report(outcome: Outcome, io: Io, secrets: readonly string[], debug: boolean): number {
  if (!('error' in outcome)) return outcome.code;
  const { error } = outcome;
  if (!(error instanceof OutputClosedError)) {
    io.stderr.write(`${describeFailure(outcome, secrets, debug)}\n`);
    const expected = error instanceof UsageError || error instanceof InterruptedError;
    if (debug && !expected) io.stderr.write(`${debugDetails(error, secrets)}\n`);
  }
  return exitCodeOf(error);
}

/** Whether this file is the program being run (through the `sakari` bin link or directly), not an import. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
}
