// 3. The export at 50 ms: `iterate` (concurrency 8) against raw fetch + `json()` with 8
// workers, the most 8 connections can carry.
import { type ExportComparison, exportRow, rate, rawWorkersExport } from './lib/export.js';
import { median, medianRatio } from './lib/harness.js';

const GOAL = 0.9;

export const rawWorkers: ExportComparison = {
  id: '3',
  rounds: 5,
  baseline: (setup) => rawWorkersExport(setup, 8),
  result({ setup, baselineMs, iterateMs }, context) {
    // iterate's throughput over raw's = raw's time over iterate's.
    const share = medianRatio(baselineMs, iterateMs);
    return exportRow(context, {
      id: '3',
      name: 'same export: iterate concurrency 8 vs raw fetch with 8 workers',
      goal: `≥ ${GOAL} of raw throughput`,
      measured: `iterate ${rate(setup, median(iterateMs))}, raw ${rate(setup, median(baselineMs))}`,
      ratio: share,
      ok: share >= GOAL,
    });
  },
};
