// 5. `sakari messages list --all --format ndjson` exporting 100,000 messages from a sandbox in
// another process: the CLI's peak RSS, and how it grows from 10,000 messages to 100,000.
// RSS is sampled from /proc/<pid>/status every few ms; VmHWM is the kernel's own peak.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Benchmark, fmt, judge, round3 } from './lib/harness.js';
import { startSandboxProcess } from './lib/sandbox.js';

const PEAK_GOAL_MB = 200;
const GROWTH_GOAL = 1.5;
const SAMPLE_MS = 5;

interface Memory {
  rss: number;
  hwm: number;
}

/** VmRSS and VmHWM of a process, in MB; undefined once it is gone. */
function memoryOf(pid: number): Memory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  const rss = kb('VmRSS') / 1024;
  const hwm = kb('VmHWM') / 1024;
  // An exited process not yet reaped has a status without memory lines.
  return Number.isFinite(rss) && Number.isFinite(hwm) ? { rss, hwm } : undefined;
}

export const cliMemory: Benchmark = {
  id: '5',
  title: '5. CLI export of 100,000 messages to NDJSON: peak RSS and growth',
  async run(context) {
    const total = context.quick ? 1_000 : 100_000;
    const mark = total / 10;
    const sandbox = await startSandboxProcess(context.root, { messages: total });
    try {
      const args = [join(context.root, 'dist/cli/main.js'), 'messages', 'list', '--all'];
      args.push('--format', 'ndjson', '--concurrency', '8');
      const env = { ...process.env, ...sandbox.env };
      delete env.SAKARI_TOKEN;
      const started = performance.now();
      const cli = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      const pid = cli.pid as number;

      let lines = 0;
      let atMark: Memory | undefined;
      let atEnd: Memory | undefined;
      let last: Memory | undefined;
      const sample = () => {
        const now = memoryOf(pid);
        if (now) last = now;
        return now;
      };
      const sampler = setInterval(sample, SAMPLE_MS);
      // A counting sink: the lines are counted, not kept.
      cli.stdout.on('data', (chunk: Buffer) => {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
          lines++;
          if (lines === mark) atMark = sample();
          if (lines === total) atEnd = sample();
        }
      });
      let stderr = '';
      cli.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) => cli.once('close', resolve));
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0 || lines !== total || !atMark) {
        throw new Error(
          `the CLI exited with ${code} after ${lines} of ${total} lines: ${stderr.trim().slice(-500)}`,
        );
      }
      // The peak is the last VmHWM seen: the high-water mark only ever grows.
      const peak = Math.max(last?.hwm ?? 0, atEnd?.hwm ?? 0);
      const growth = peak / atMark.hwm;
      const k = (n: number) => `${n / 1000}k`;
      return [
        {
          id: '5a',
          name: `CLI export of ${total.toLocaleString('en-US')} messages to NDJSON: peak RSS`,
          goal: `< ${PEAK_GOAL_MB} MB`,
          measured: `peak ${fmt(peak)} MB (VmHWM); ${fmt(seconds)} s, ${fmt(total / seconds)} msg/s`,
          ratio: round3(peak),
          pass: judge(context, peak < PEAK_GOAL_MB),
        },
        {
          id: '5b',
          name: `CLI export: RSS at ${k(total)} / RSS at ${k(mark)}`,
          goal: `< ${GROWTH_GOAL}`,
          measured: `peak by ${k(mark)} ${fmt(atMark.hwm)} MB, by ${k(total)} ${fmt(peak)} MB (VmRSS then ${fmt(atMark.rss)}, ${fmt(atEnd?.rss ?? Number.NaN)} MB)`,
          ratio: round3(growth),
          pass: judge(context, growth < GROWTH_GOAL),
        },
      ];
    } finally {
      await sandbox.close();
    }
  },
};
