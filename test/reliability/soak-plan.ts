import {
  type FaultPlan,
  SAKARI_DOCUMENT_SHAPES,
  type SandboxOptions,
} from '../../src/sandbox/index.js';

/**
 * The faults of the soak: 10 % 5xx, 5 % 429, 2 % resets, 1 % bodies cut mid-way, 1 % bodies cut
 * short that end cleanly (invalid JSON), 1 % stalls.
 */
export const SOAK_FAULTS: FaultPlan = {
  seed: 20261127,
  serverError: 0.1,
  rateLimit: 0.05,
  retryAfterSeconds: [0, 1],
  reset: 0.02,
  truncate: 0.01,
  cutShort: 0.01,
  stall: 0.01,
  stallMs: 2_000,
};

/** Per-attempt timeout of the soak: shorter than the stalls, so a stall costs one timeout. */
export const SOAK_TIMEOUT_MS = 400;

/**
 * The soak again, with the list changing under the walk in the shapes Sakari's own document
 * allows: a message inserted at the head and one deleted anywhere before every list answer.
 */
export const SOAK_DRIFTS: [string, Pick<SandboxOptions, 'shapes' | 'churn'>][] = [
  ['no hasNext', { shapes: SAKARI_DOCUMENT_SHAPES, churn: { inserts: 1, deletes: 1, seed: 3 } }],
  [
    'neither hasNext nor totalCount',
    { shapes: { hasNext: false, totalCount: false }, churn: { inserts: 1, deletes: 1, seed: 4 } },
  ],
];
