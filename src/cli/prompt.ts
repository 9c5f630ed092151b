// The y/N question before a send, asked on stderr and read from stdin.
import { once } from 'node:events';
import { createInterface } from 'node:readline/promises';

/** Asks `question`; true only for an answer of y or yes. End of input answers no; an abort rejects. */
export async function confirm(
  question: string,
  streams: { readonly stdin: NodeJS.ReadableStream; readonly stderr: NodeJS.WritableStream },
  signal: AbortSignal,
): Promise<boolean> {
  signal.throwIfAborted();
  // terminal: false leaves Ctrl-C to the terminal, which signals the process like anywhere else.
  const rl = createInterface({ input: streams.stdin, output: streams.stderr, terminal: false });
  try {
    const answer = rl.question(question, { signal });
    const ended = once(rl, 'close').then(() => undefined);
    const said = await Promise.race([answer, ended]);
    return said !== undefined && /^\s*y(es)?\s*$/i.test(said);
  } finally {
    rl.close();
  }
}
