// 8. What the CLI adds to the library: `sakari messages list --all --format ndjson` against a
// process that runs the library's `iterate` over the same sandbox, whole process against whole
// process (start-up, the walk, and for the CLI its output, written to the null device). The
// two alternate, round by round; each round's ratio is taken, then the median. The same export
// with `--validate` (every answer checked against the spec) runs in each round too (8c).
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { devNull } from 'node:os';
import { join } from 'node:path';
import { type Benchmark, fmt, judge, median, medianRatio, round3 } from './lib/harness.js';
import { type SandboxProcess, startSandboxProcess } from './lib/sandbox.js';

const GOAL = 1.15;
const VALIDATE_GOAL = 1.3;
const CONCURRENCY = 4;

interface Run {
  wallMs: number;
  cpuMs: number;
}

/** Runs `node --import report-usage.mjs …args` to its end; its stdout goes to the null device. */
async function measure(root: string, args: string[], sandbox: SandboxProcess): Promise<Run> {
  const usage = join(root, 'bench/lib/report-usage.mjs');
  const env = { ...process.env, ...sandbox.env };
  delete env.SAKARI_TOKEN;
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', usage, ...args], {
    env,
    stdio: ['ignore', openSync(devNull, 'w'), 'pipe', 'pipe'],
  });
  let stderr = '';
  let report = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  child.stdio[3]?.on('data', (chunk: Buffer) => {
    report += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const wallMs = performance.now() - started;
  if (code !== 0 || !report) {
    throw new Error(`node ${args.join(' ')} exited with ${code}: ${stderr.trim().slice(-500)}`);
  }
  return { wallMs, cpuMs: (JSON.parse(report) as { cpuUs: number }).cpuUs / 1000 };
}

export const cliVsLibrary: Benchmark = {
  id: '8',
  title: `8. CLI NDJSON export vs the library's iterate, whole processes, concurrency ${CONCURRENCY}`,
  async run(context) {
    const messages = context.quick ? 500 : 10_000;
    const rounds = context.quick ? 1 : 7;
    const sandbox = await startSandboxProcess(context.root, { messages });
    try {
      const cli = [join(context.root, 'dist/cli/main.js'), 'messages', 'list', '--all'];
      cli.push('--format', 'ndjson', '--concurrency', String(CONCURRENCY));
      const validated = [...cli, '--validate'];
      const lib = [join(context.root, 'bench/lib/iterate-export.mjs'), String(CONCURRENCY)];
      // Warm-up: the sandbox builds and caches its messages on the first walk.
      await measure(context.root, lib, sandbox);
      const cliRuns: Run[] = [];
      const libRuns: Run[] = [];
      const validatedRuns: Run[] = [];
      for (let round = 0; round < rounds; round++) {
        const sides = [
          async () => cliRuns.push(await measure(context.root, cli, sandbox)),
          async () => libRuns.push(await measure(context.root, lib, sandbox)),
          async () => validatedRuns.push(await measure(context.root, validated, sandbox)),
        ];
        if (round % 2 === 1) sides.reverse();
        for (const side of sides) await side();
        const [c, l, v] = [cliRuns, libRuns, validatedRuns].map((runs) => runs.at(-1)) as Run[] as [
          Run,
          Run,
          Run,
        ];
        context.log(
          `  round ${round + 1}/${rounds}: CLI ${fmt(c.wallMs)} ms (CPU ${fmt(c.cpuMs)}), library ${fmt(l.wallMs)} ms (CPU ${fmt(l.cpuMs)}), CLI --validate ${fmt(v.wallMs)} ms`,
        );
      }
      const wall = medianRatio(
        cliRuns.map((r) => r.wallMs),
        libRuns.map((r) => r.wallMs),
      );
      const cpu = medianRatio(
        cliRuns.map((r) => r.cpuMs),
        libRuns.map((r) => r.cpuMs),
      );
      const checked = medianRatio(
        validatedRuns.map((r) => r.wallMs),
        cliRuns.map((r) => r.wallMs),
      );
      const m = (runs: Run[], key: keyof Run) => fmt(median(runs.map((r) => r[key])) / 1000);
      const n = messages.toLocaleString('en-US');
      return [
        {
          id: '8a',
          name: `CLI export of ${n} messages to NDJSON vs library iterate: wall time`,
          goal: `ratio ≤ ${GOAL}`,
          measured: `CLI ${m(cliRuns, 'wallMs')} s, library ${m(libRuns, 'wallMs')} s (medians)`,
          ratio: round3(wall),
          pass: judge(context, wall <= GOAL),
        },
        {
          id: '8b',
          name: 'same: CPU time (user + system, all threads)',
          goal: `ratio ≤ ${GOAL}`,
          measured: `CLI ${m(cliRuns, 'cpuMs')} s, library ${m(libRuns, 'cpuMs')} s (medians)`,
          ratio: round3(cpu),
          pass: judge(context, cpu <= GOAL),
        },
        {
          id: '8c',
          name: `CLI export of ${n} messages with --validate vs without: wall time`,
          goal: `ratio ≤ ${VALIDATE_GOAL}`,
          measured: `validated ${m(validatedRuns, 'wallMs')} s, plain ${m(cliRuns, 'wallMs')} s (medians)`,
          ratio: round3(checked),
          pass: judge(context, checked <= VALIDATE_GOAL),
        },
      ];
    } finally {
      await sandbox.close();
    }
  },
};
