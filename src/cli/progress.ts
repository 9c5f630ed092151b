// The progress line of an export: redrawn in place on stderr at a terminal, never anywhere else.
import { truncate } from './columns.js';
import { count } from './text.js';

const REDRAW_MS = 100;

type Stream = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean; columns?: number };

/** A progress line that does nothing unless its stream is a terminal. */
export class Progress {
  readonly #stream: Stream | undefined;
  readonly #now: () => number;
  readonly #start: number;
  #drawnAt = Number.NEGATIVE_INFINITY;
  #shown = false;
  #last: { done: number; total: number | undefined; retries: number } = {
    done: 0,
    total: undefined,
    retries: 0,
  };

  constructor(stream: Stream, enabled: boolean, now: () => number = Date.now) {
    this.#stream = enabled && stream.isTTY ? stream : undefined;
    this.#now = now;
    this.#start = now();
  }

  /**
   * Records where the export is; redraws at most every 100 ms, at once after `hide`, and always
   * for the last message, so the line ends on the final count rather than on a sample before it.
   */
  update(done: number, total: number | undefined, retries: number): void {
    this.#last = { done, total, retries };
    if (!this.#stream) return;
    const now = this.#now();
    const last = total !== undefined && done >= total;
    if (this.#shown && !last && now - this.#drawnAt < REDRAW_MS) return;
    this.#drawnAt = now;
    this.#shown = true;
    this.#stream.write(`\r${this.line(now)}\x1b[K`);
  }

  /** Takes the line off the screen (before other output on the same terminal), to be redrawn by the next `update`. */
  hide(): void {
    if (!this.#stream || !this.#shown) return;
    this.#stream.write('\r\x1b[K');
    this.#shown = false;
  }

  /** The text of the line: `1,200 / 2,500 messages  48%  850 msg/s  ETA 0:02`. */
  line(now = this.#now()): string {
    const { done, total, retries } = this.#last;
    const seconds = Math.max((now - this.#start) / 1000, 0.001);
    const rate = done / seconds;
    const parts = [
      total === undefined ? `${count(done)} messages` : `${count(done)} / ${count(total)} messages`,
    ];
    if (total !== undefined && total > 0) parts.push(`${Math.floor((100 * done) / total)}%`);
    parts.push(`${count(rate)} msg/s`);
    if (total !== undefined && rate > 0 && done > 0) {
      parts.push(`ETA ${duration(Math.max(0, total - done) / rate)}`);
    }
    if (retries > 0) parts.push(`${count(retries)} ${retries === 1 ? 'retry' : 'retries'}`);
    // One column short of the width: a line that fills it wraps on some terminals and breaks \r.
    return truncate(parts.join('  '), (this.#stream?.columns ?? 80) - 1);
  }
}

/** `75` → `1:15`; `3725` → `1:02:05`. */
export function duration(seconds: number): string {
  const s = Math.ceil(seconds);
  const p = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${p(m)}:${p(s % 60)}` : `${m}:${p(s % 60)}`;
}
