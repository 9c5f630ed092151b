// The progress line's drawing rules, on a fake terminal and a fake clock.
import { describe, expect, it } from 'vitest';
import { duration, Progress } from '../src/cli/progress.js';

function terminal(isTTY = true) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 80, write: (s: string) => writes.push(s) > 0 } };
}

describe('the progress line', () => {
  it('redraws at most every 100 ms, but always draws the final count', () => {
    let now = 0;
    const { writes, stream } = terminal();
    const progress = new Progress(stream, true, () => now);
    progress.update(100, 500, 0);
    now = 50;
    progress.update(200, 500, 0); // too soon: skipped
    now = 120;
    progress.update(300, 500, 1);
    now = 130;
    progress.update(400, 500, 1); // too soon: skipped
    progress.update(500, 500, 1); // the last one: drawn anyway
    expect(writes.map((w) => /^\r([\d,]+) \//.exec(w)?.[1])).toEqual(['100', '300', '500']);
    expect(writes.at(-1)).toMatch(/^\r500 \/ 500 messages {2}100% .* 1 retry/);
    expect(writes.at(-1)?.endsWith('\x1b[K')).toBe(true);
  });

  it('draws at once after hide, and erases the line on hide', () => {
    let now = 0;
    const { writes, stream } = terminal();
    const progress = new Progress(stream, true, () => now);
    progress.update(1, undefined, 0);
    progress.hide();
    now = 10;
    progress.update(2, undefined, 0);
    expect(writes).toEqual([
      expect.stringMatching(/^\r1 messages /),
      '\r\x1b[K',
      expect.stringMatching(/^\r2 messages /),
    ]);
  });

  it('writes nothing when the stream is not a terminal, or when disabled', () => {
    for (const [isTTY, enabled] of [
      [false, true],
      [true, false],
    ] as const) {
      const { writes, stream } = terminal(isTTY);
      const progress = new Progress(stream, enabled);
      progress.update(5, 5, 0);
      progress.hide();
      expect(writes).toEqual([]);
    }
  });

  it('formats durations', () => {
    expect(duration(75)).toBe('1:15');
    expect(duration(3725)).toBe('1:02:05');
    expect(duration(0.2)).toBe('0:01');
  });
});
