#!/usr/bin/env node
// The `sakari` command: a small dispatcher from the first argument to a command module. Each
// command parses its own options and resolves to an exit code.
import { sandboxCommand } from './sandbox.js';

/** One subcommand of `sakari`. */
export interface Command {
  /** One line for the command list of `sakari --help`. */
  readonly summary: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: readonly string[]): Promise<number>;
}

const commands: Readonly<Record<string, Command>> = {
  sandbox: sandboxCommand,
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(
    ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
  );
  return [
    'Usage: sakari <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'sakari <command> --help' for a command's options.",
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and the script) and resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`sakari: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}

process.exitCode = await main(process.argv.slice(2));
// The command is done: a stray handle (a socket a peer keeps open) must not keep it alive.
setTimeout(() => process.exit(), 2000).unref();
