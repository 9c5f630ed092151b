// 4. The export at 50 ms: `iterate` (concurrency 8) against the sequential `hasNext` loop a
// user would write over bare openapi-fetch.
import { ceiling, type ExportComparison, exportRow, handLoopExport } from './lib/export.js';
import { fmt, median, medianRatio } from './lib/harness.js';

const GOAL = 6;

export const handLoop: ExportComparison = {
  id: '4',
  // As for row 2: the sequential side is slow and steady, so two rounds.
  rounds: 2,
  baseline: (setup) => handLoopExport(setup),
  result({ baselineMs, iterateMs, iterateCpuMs }, context) {
    const speedup = medianRatio(baselineMs, iterateMs);
    const loop = median(baselineMs);
    return exportRow(context, {
      id: '4',
      name: 'same export: iterate concurrency 8 vs hand-written hasNext loop over openapi-fetch',
      goal: `≥ ${GOAL}× faster`,
      measured: `iterate ${fmt(median(iterateMs) / 1000)} s, loop ${fmt(loop / 1000)} s; ${ceiling(loop, median(iterateCpuMs))}`,
      ratio: speedup,
      ok: speedup >= GOAL,
    });
  },
};
