// `npm run bench`: runs every benchmark, prints one table on stdout (progress goes
// to stderr) and writes bench/results.json. `npm run bench -- --quick` is the CI smoke: tiny
// sizes, one round, every benchmark run end to end, no goal judged, results.json untouched.
// `--only 1,6` runs a subset while working on one.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundle } from './bundle.js';
import { cliMemory } from './cli-memory.js';
import { cliVsLibrary } from './cli-vs-library.js';
import { concurrency } from './concurrency.js';
import { handLoop } from './hand-loop.js';
import { exportBenchmark } from './lib/export.js';
import type { Benchmark, Context, Result } from './lib/harness.js';
import { fmt } from './lib/harness.js';
import { overhead } from './overhead.js';
import { page } from './page.js';
import { rawWorkers } from './raw-workers.js';
import { validation } from './validate.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, only: { type: 'string' } },
  strict: true,
});
const quick = values.quick === true;
const only = values.only?.split(',').map((s) => s.trim());
const context: Context = { quick, root, log: (line) => process.stderr.write(`${line}\n`) };
const chosen = (id: string) => !only || only.includes(id);

// 2–4 compare three baselines with the same `iterate` export: they run as one, over one sandbox.
const exports = [concurrency, rawWorkers, handLoop].filter((c) => chosen(c.id));
const BENCHMARKS: readonly Benchmark[] = [
  ...(chosen('1') ? [page] : []),
  ...(exports.length > 0 ? [exportBenchmark(exports)] : []),
  ...(chosen('5') ? [cliMemory] : []),
  ...(chosen('6') ? [overhead] : []),
  ...(chosen('7') ? [bundle] : []),
  ...(chosen('8') ? [cliVsLibrary] : []),
  ...(chosen('9') ? [validation] : []),
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than src/: the CLI and the import run from dist/. */
function ensureBuilt(): void {
  let built = 0;
  try {
    built = Math.min(
      statSync(join(root, 'dist/index.js')).mtimeMs,
      statSync(join(root, 'dist/cli/main.js')).mtimeMs,
    );
  } catch {}
  if (built > newestMtime(join(root, 'src'))) return;
  context.log('dist/ is missing or older than src/: npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
}

function table(results: readonly Result[]): string {
  const rows = [
    ['#', 'benchmark', 'goal', 'measured', 'ratio', 'pass'],
    ...results.map((r) => [
      r.id,
      r.name,
      r.goal,
      r.measured,
      r.ratio === null ? '–' : fmt(r.ratio),
      r.pass === null ? '–' : r.pass ? 'yes' : 'NO',
    ]),
  ];
  const widths =
    rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] as string).length))) ?? [];
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => cell.padEnd(widths[c] as number))
      .join('  ')
      .trimEnd();
  return [
    line(rows[0] as string[]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}

const started = performance.now();
// Other processes compete for the same cores: the load is part of what a run measured.
const loadAtStart = loadavg()[0] as number;
ensureBuilt();
const results: Result[] = [];
const failures: string[] = [];
for (const benchmark of BENCHMARKS) {
  const { id } = benchmark;
  context.log(benchmark.title);
  const t = performance.now();
  try {
    results.push(...(await benchmark.run(context)));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failures.push(`${id}: ${message}`);
    results.push({
      id,
      name: benchmark.title,
      goal: '',
      measured: `FAILED: ${message}`,
      ratio: null,
      pass: false,
    });
  }
  context.log(`  (${fmt((performance.now() - t) / 1000)} s)`);
}
const wallSeconds = (performance.now() - started) / 1000;
const load = [loadAtStart, loadavg()[0] as number].map((l) => Math.round(l * 100) / 100);

process.stdout.write(`${table(results)}\n\n`);
process.stdout.write(
  `${quick ? 'quick smoke (goals not judged)' : 'full run'}: ${fmt(wallSeconds)} s wall, node ${process.version}, ${cpus().length} CPUs, load average ${load.join(' → ')}\n`,
);
if (!quick && !only) {
  const file = {
    command: 'npm run bench',
    node: process.version,
    cpus: cpus().length,
    loadAverage: load,
    wallSeconds: Math.round(wallSeconds),
    results,
  };
  writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(file, null, 2)}\n`);
  process.stdout.write('wrote bench/results.json\n');
}
if (failures.length > 0) {
  process.stderr.write(`benchmarks that did not run:\n${failures.join('\n')}\n`);
  process.exitCode = 1;
}
