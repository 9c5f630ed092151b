import type { FaultPlan } from '../../src/sandbox/index.js';

/** The faults of the soak (issue: 10 % 5xx, 5 % 429, 2 % resets, 1 % cut bodies, 1 % stalls). */
export const SOAK_FAULTS: FaultPlan = {
  seed: 20261127,
  serverError: 0.1,
  rateLimit: 0.05,
  retryAfterSeconds: [0, 1],
  reset: 0.02,
  truncate: 0.01,
  stall: 0.01,
  stallMs: 2_000,
};

/** Per-attempt timeout of the soak: shorter than the stalls, so a stall costs one timeout. */
export const SOAK_TIMEOUT_MS = 400;
