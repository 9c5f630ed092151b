#!/usr/bin/env node
// The `sakari` command: a small dispatcher from the first argument to a command module. Each
// command parses its own options and resolves to an exit code (see EXIT in errors.ts).
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXIT } from './errors.js';
import { limitHeapGrowth } from './heap.js';
import { MAIN_HELP } from './help.js';
import type { Io } from './session.js';
import { oneLine } from './text.js';

/** One subcommand of `sakari`. */
export interface Command {
  /** One line for the command list of `sakari --help`. */
  readonly summary: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: readonly string[]): Promise<number>;
}

/** The package version, read at run time from the package.json two levels above this file (src/cli or dist/cli). */
function version(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Runs the CLI with `argv` (without node and the script) and resolves to the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  // Loaded on demand: `sakari messages` never loads the sandbox's server and data generator.
  const commands: Readonly<Record<string, () => Promise<Command>>> = {
    messages: async () => (await import('./messages.js')).messagesCommand(io),
    sandbox: async () => (await import('./sandbox.js')).sandboxCommand(io),
  };
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(`${MAIN_HELP}\n`);
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${MAIN_HELP}\n`);
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    const what = name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}'`;
    io.stderr.write(`error: ${oneLine(what)} (see 'sakari --help')\n`);
    return EXIT.usage;
  }
  return (await load()).run(rest);
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
  limitHeapGrowth();
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
  // The command is done and its output flushed: a stray handle (a socket a peer keeps open, a
  // terminal stdin) must not keep it alive.
  setTimeout(() => process.exit(), 2000).unref();
}
