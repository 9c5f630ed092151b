import { describe, expect, it } from 'vitest';
import {
  assertBuilt,
  cleanEnv,
  cleanUpAfterAll,
  ndjson,
  sakari,
  sandboxEnv,
} from './helpers/cli.js';

assertBuilt();
const sandboxFor = cleanUpAfterAll();

describe('sakari messages list|get --validate', () => {
  it('over the built-in 2,500 messages: stdout as without it, no drift, exit 0', async () => {
    const env = cleanEnv();
    const [plain, checked] = await Promise.all([
      sakari(['messages', 'list', '--all', '--format', 'ndjson'], { env }),
      sakari(['messages', 'list', '--all', '--format', 'ndjson', '--validate'], { env }),
    ]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toBe(plain.stdout);
    expect(ndjson(checked.stdout)).toHaveLength(2500);
    // 2,500 messages in pages of 100 that share a message: 26 answers.
    expect(checked.stderr.trim().split('\n').at(-1)).toBe('no drift in 26 answers');
  });

  it('names each kind of drift with exact counts, after writing every message; exit 3', async () => {
    const sandbox = await sandboxFor({ messages: 1000, shapes: { driftEvery: 10 } });
    const result = await sakari(['messages', 'list', '--all', '--format', 'ndjson', '--validate'], {
      env: sandboxEnv(sandbox),
    });
    expect(result.code).toBe(3);
    expect(ndjson<Record<string, unknown>>(result.stdout)).toHaveLength(1000);
    // Pages of 100 at offsets 0, 99, 198…: 11 answers; list positions 10, 20, … 1000 differ, and
    // position 100 is served twice (the last of page 1, the first of page 2): 101 times.
    expect(result.stderr.trim().split('\n')).toEqual([
      'listMessages 200 data[].id  required  ×101 in 11/11 answers',
      'listMessages 200 data[].sandboxDrift  unknown  ×101 in 11/11 answers  e.g. true',
      'listMessages 200 data[].segments  type: number  ×101 in 11/11 answers  e.g. "1"',
    ]);
  });

  it('--validate=json writes the report as one JSON object on stderr', async () => {
    const sandbox = await sandboxFor({ messages: 30, shapes: { driftEvery: 7 } });
    const result = await sakari(
      ['messages', 'list', '--limit', '30', '--format', 'json', '--validate=json'],
      { env: sandboxEnv(sandbox) },
    );
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toHaveLength(30);
    const report = JSON.parse(result.stderr);
    expect(report).toMatchObject({ answers: 1, unmatched: 0, dropped: 0 });
    expect(
      report.findings.map((f: { path: string; kind: string; count: number }) => [
        f.path,
        f.kind,
        f.count,
      ]),
    ).toEqual([
      ['data[].id', 'required', 4],
      ['data[].sandboxDrift', 'unknown', 4],
      ['data[].segments', 'type', 4],
    ]);
  });

  it('on get: a clean answer is no drift, exit 0; a bad --validate value is a usage error', async () => {
    const sandbox = await sandboxFor({ messages: 5 });
    const id = sandbox.store.ids()[0] as string;
    const env = sandboxEnv(sandbox);
    const result = await sakari(['messages', 'get', id, '--format', 'json', '--validate'], { env });
    expect(result).toMatchObject({ code: 0, stderr: 'no drift in 1 answer\n' });
    expect(JSON.parse(result.stdout).id).toBe(id);
    const bad = await sakari(['messages', 'get', id, '--validate=yaml'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--validate must be one of text, json, got "yaml"/);
    expect(sandbox.store.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
  });
});
