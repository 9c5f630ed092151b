/**
 * A drift report as text, one line per finding, or as JSON: for a terminal, a log or a file
 * a scheduled job keeps.
 */
import type { DriftFinding, DriftReport } from './collector.js';

/** How `formatDriftReport` writes a report: one line per finding, or a JSON document. */
export type DriftFormat = 'text' | 'json';

/**
 * The report as `'text'` (the default: one line per finding, then a line for findings dropped,
 * if any; nothing when there is no finding) or as a `'json'` document. Every line ends with a
 * newline.
 * @example
 * formatDriftReport(drift.report());
 * // listMessages 200 data[].segments  type: number  ×300 in 3/5 answers  e.g. "2"
 */
export function formatDriftReport(report: DriftReport, format: DriftFormat = 'text'): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const lines = report.findings.map(line);
  if (report.dropped > 0) lines.push(`(${report.dropped} more findings not kept)`);
  return lines.map((l) => `${l}\n`).join('');
}

/** `listMessages 200 data[].segments  type: number  ×300 in 3/5 answers  e.g. "2"` */
function line(f: DriftFinding): string {
  const what = f.expected === '' ? f.kind : `${f.kind}: ${f.expected}`;
  const example = f.example === undefined ? '' : `  e.g. ${f.example}`;
  return `${f.operation} ${f.status} ${f.path || '(body)'}  ${what}  ×${f.count} in ${f.answers}/${f.seen} answers${example}`;
}
