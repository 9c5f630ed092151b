// Starts the Prism mocks that the contract test files share, once per run, and stops them when
// the run ends (vitest calls the returned teardown after the last file, failed or not; prism.ts
// covers interrupted and crashed runs). Test files read the URLs with `inject('prismMockUrl')`.
// Two mocks serve our spec, two serve Sakari's own document, whose answers the real API may give
// too. A proxy needs a sandbox to stand in front of, so the files that test through one start it
// themselves with `startProxy` from prism.ts.
import type { TestProject } from 'vitest/node';
import { type PrismInstance, sakariDocument, startPrism } from './prism.js';

/** The `--seed` of the dynamic mock: a request without its own `Prefer: seed=` uses this one. */
export const DYNAMIC_SEED = 1127;

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * Prism serving the spec's examples. It validates every request (a request that breaks the
     * spec gets the spec's 400 or 401 and an `sl-violations` header) and runs with `--errors`,
     * so an example that broke its own schema would come back as a 500.
     */
    prismMockUrl: string;
    /**
     * Prism generating bodies from the schemas (`--dynamic --seed DYNAMIC_SEED`). Send
     * `Prefer: seed=N` to get another, equally reproducible, body.
     */
    prismDynamicUrl: string;
    /**
     * Prism on Sakari's own document (`--errors`). It has no examples, so every body is built
     * from the schemas: `"string"`, `0`, `true`, the few `example` values (see sakari-mock.test.ts).
     */
    sakariMockUrl: string;
    /**
     * Prism on Sakari's own document, `--dynamic --seed DYNAMIC_SEED --errors`. `Prefer: seed=N`
     * picks another body, as on `prismDynamicUrl`.
     */
    sakariDynamicUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = await Promise.allSettled([
    startPrism({ mode: 'mock', errors: true }),
    // No --errors: Prism's generator sometimes breaks the schema itself (see
    // dynamic-mock.test.ts), and a 500 would hide the body the tests want to look at.
    startPrism({ mode: 'mock', dynamic: true, seed: DYNAMIC_SEED }),
    // --errors on both: Sakari's document has no $ref cycle in a message, so the generator never
    // breaks it, and a 500 here would be a body that does not fit Sakari's document.
    startPrism({ mode: 'mock', spec: sakariDocument, errors: true }),
    startPrism({
      mode: 'mock',
      spec: sakariDocument,
      dynamic: true,
      seed: DYNAMIC_SEED,
      errors: true,
    }),
  ]);
  const instances = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const stopAll = async (): Promise<void> => {
    await Promise.all(instances.map((prism) => prism.stop()));
  };
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await stopAll();
    throw failure.reason;
  }
  const [mock, dynamic, sakariMock, sakariDynamic] = instances as [
    PrismInstance,
    PrismInstance,
    PrismInstance,
    PrismInstance,
  ];
  project.provide('prismMockUrl', mock.url);
  project.provide('prismDynamicUrl', dynamic.url);
  project.provide('sakariMockUrl', sakariMock.url);
  project.provide('sakariDynamicUrl', sakariDynamic.url);
  return stopAll;
}
