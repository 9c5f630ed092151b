// `--validate`: every answer of the run checked against the spec, and at the end a drift report
// on stderr. Stdout is untouched, so an export piped elsewhere is the same with or without it.
import type { ResponseInfo } from '../transport.js';
import { choice, text, type Values } from './args.js';
import type { Outcome } from './command.js';
import { EXIT } from './errors.js';

/** What `--validate` adds to a command: the client's hook, and the report once it is done. */
export interface DriftCheck {
  readonly onResponse: (info: ResponseInfo) => void;
  /** Prints the report; an answer that differs from the spec turns a success into exit 3. */
  finish(outcome: Outcome, note: (line: string) => void): Outcome;
}

/**
 * The check `--validate` (text) or `--validate=json` asks for; undefined without the flag. The
 * validators load only then: they would add to the start-up of every other run.
 */
export async function driftCheck(values: Values): Promise<DriftCheck | undefined> {
  const raw = text(values, 'validate');
  if (raw === undefined) return undefined;
  const format = choice('--validate', raw, ['text', 'json']);
  const { createDriftCollector, formatDriftReport } = await import('../drift/index.js');
  // Every line goes through the run's redaction too; the collector's own keeps examples short.
  const drift = createDriftCollector();
  return {
    onResponse: (info) => drift.check(info, info.body),
    finish(outcome, note) {
      const report = drift.report();
      if (format === 'json') note(JSON.stringify(report));
      else if (report.findings.length === 0) {
        note(`no drift in ${report.answers} ${report.answers === 1 ? 'answer' : 'answers'}`);
      } else {
        for (const line of formatDriftReport(report).trimEnd().split('\n')) note(line);
      }
      const drifted = report.findings.length > 0;
      return drifted && 'code' in outcome && outcome.code === EXIT.ok
        ? { code: EXIT.drift }
        : outcome;
    },
  };
}
