/**
 * A local, stateful stand-in of Sakari's messages API, for tests, demos and benchmarks:
 * `startSandbox()` serves the endpoints of the spec on 127.0.0.1, with generated data, exact
 * seeded faults and knobs that tests turn at run time. Node only; the library never imports it.
 *
 * @example
 * import { startSandbox } from 'sakari-client/sandbox';
 * const sandbox = await startSandbox({ messages: 2500, faults: { serverError: 0.1 } });
 * // … point a client at sandbox.url with sandbox.clientId / sandbox.clientSecret …
 * await sandbox.close();
 *
 * @module
 */
export type { SandboxChurn } from './churn.js';
export type { FaultKind, FaultPlan } from './faults.js';
export type { SandboxOptions } from './options.js';
export { type Sandbox, startSandbox } from './server.js';
export { SAKARI_DOCUMENT_SHAPES, type SandboxShapes } from './shapes.js';
export type { ListRequestContext, RequestLogEntry, SandboxStore } from './store.js';
