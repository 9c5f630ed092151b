import { configDefaults, defineConfig } from 'vitest/config';

// Two projects, so the contract tests can run alone (`npm run test:contract`) and only they pay
// for starting Prism; `vitest run` (the end of `npm test`) runs both.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/contract/**'],
          // The type tests (`*.test-d.ts`) run through tsc: a wrong expectation fails the run.
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'tsconfig.json' },
        },
      },
      {
        extends: true,
        test: {
          name: 'contract',
          include: ['test/contract/**/*.test.ts'],
          globalSetup: ['test/contract/global-setup.ts'],
        },
      },
    ],
  },
});
