// The y/N question before a send, asked on stderr and read from stdin.
import { createInterface } from 'node:readline';

/** Asks `question`; true only for an answer of y or yes. End of input or an abort answers no. */
export function confirm(
  question: string,
  streams: { readonly stdin: NodeJS.ReadableStream; readonly stderr: NodeJS.WritableStream },
  signal: AbortSignal,
): Promise<boolean> {
  signal.throwIfAborted();
  // terminal: false leaves Ctrl-C to the terminal, which signals the process like anywhere else.
  const rl = createInterface({ input: streams.stdin, output: streams.stderr, terminal: false });
  return new Promise<boolean>((resolve, reject) => {
    const onAbort = () => {
      rl.close();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    rl.once('close', () => resolve(false));
    rl.question(question, (answer) => {
      signal.removeEventListener('abort', onAbort);
      resolve(/^\s*y(es)?\s*$/i.test(answer));
      rl.close();
    });
  });
}
