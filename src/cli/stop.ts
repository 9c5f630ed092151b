// How a command that runs a server in the foreground learns that it should stop.
import { InterruptedError } from './errors.js';

/** Resolves with the signal (SIGINT, SIGTERM) once the command's signal is aborted by one. */
export async function stopSignal(signal: AbortSignal): Promise<NodeJS.Signals> {
  if (!signal.aborted) {
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  }
  const reason: unknown = signal.reason;
  return reason instanceof InterruptedError ? reason.signal : 'SIGTERM';
}
