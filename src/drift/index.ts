/**
 * `sakari-client/validate`: checks Sakari's answers against the spec and reports where they
 * differ, so that a maintainer knows what to change in `openapi/`.
 *
 * @example
 * import { createDriftCollector, formatDriftReport } from 'sakari-client/validate';
 * const drift = createDriftCollector({ secrets: [clientSecret] });
 * const sakari = createSakariClient({ accountId, auth, onResponse: (a) => drift.check(a, a.body) });
 * for await (const _ of sakari.messages.iterate()) {}
 * process.stderr.write(formatDriftReport(drift.report()));
 *
 * @module
 */
export {
  createDriftCollector,
  type DriftCollector,
  type DriftCollectorOptions,
  type DriftFinding,
  type DriftReport,
} from './collector.js';
export { type DriftFormat, formatDriftReport } from './format.js';
export type { AnswerRef, OperationId } from './operations.js';
export type { DriftKind } from './problems.js';
