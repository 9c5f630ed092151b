// 2. The export at 50 ms: `iterate` with 8 pages in flight against `iterate` with one.
import { ceiling, type ExportComparison, exportRow, iterateExport, rate } from './lib/export.js';
import { fmt, median, medianRatio } from './lib/harness.js';

const GOAL = 6;

export const concurrency: ExportComparison = {
  id: '2',
  // Sequential exports take 14 s and vary by under 2 % between rounds: two keep the run short.
  rounds: 2,
  baseline: (setup) => iterateExport(setup.client, 1, setup.messages),
  result({ setup, baselineMs, iterateMs, iterateCpuMs }, context) {
    const speedup = medianRatio(baselineMs, iterateMs);
    const c1 = median(baselineMs);
    const c8 = median(iterateMs);
    return exportRow(context, {
      id: '2',
      name: `export ${setup.messages.toLocaleString('en-US')} messages at ${setup.latencyMs} ms: iterate concurrency 8 vs 1`,
      goal: `≥ ${GOAL}× faster`,
      measured: `c8 ${fmt(c8 / 1000)} s (${rate(setup, c8)}), c1 ${fmt(c1 / 1000)} s; ${ceiling(c1, median(iterateCpuMs))}`,
      ratio: speedup,
      ok: speedup >= GOAL,
    });
  },
};
