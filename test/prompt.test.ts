// The send confirmation: what counts as yes, end of input, and Ctrl-C while it waits.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confirm } from '../src/cli/prompt.js';

function streams() {
  const stdin = new PassThrough();
  const stderr = new PassThrough();
  let asked = '';
  stderr.on('data', (chunk: Buffer) => {
    asked += chunk;
  });
  return { stdin, stderr, asked: () => asked };
}

describe('the [y/N] prompt', () => {
  it.each([
    ['y\n', true],
    ['Yes\n', true],
    ['  y  \n', true],
    ['n\n', false],
    ['\n', false],
    ['yep\n', false],
  ])('answer %j is %s', async (answer, expected) => {
    const io = streams();
    const asking = confirm('Send? [y/N] ', io, new AbortController().signal);
    io.stdin.end(answer);
    expect(await asking).toBe(expected);
    expect(io.asked()).toBe('Send? [y/N] ');
  });

  it('end of input answers no', async () => {
    const io = streams();
    const asking = confirm('Send? [y/N] ', io, new AbortController().signal);
    io.stdin.end();
    expect(await asking).toBe(false);
  });

  it('an abort while it waits (Ctrl-C) rejects, and an aborted signal asks nothing', async () => {
    const io = streams();
    const controller = new AbortController();
    const asking = confirm('Send? [y/N] ', io, controller.signal);
    controller.abort(new Error('interrupted'));
    await expect(asking).rejects.toThrow();
    const late = streams();
    await expect(confirm('Send? [y/N] ', late, controller.signal)).rejects.toThrow('interrupted');
    expect(late.asked()).toBe('');
  });
});
