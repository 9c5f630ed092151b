// 7. The library entry as a browser app would ship it (esbuild, minified, openapi-fetch
// included), gzipped; the cold `import` of the built dist/index.js in a fresh node process; and
// sakari-client/validate bundled the same way.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type Benchmark, fmt, judge, median, round3 } from './lib/harness.js';

const GOAL_KB = 8;

// Printed by the child: the time of the import alone, not of starting node.
const IMPORT_TIMER =
  'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';

/** An entry as a browser app would ship it: minified, and gzipped (gzip -9), in bytes. */
async function bundled(entry: string): Promise<{ minified: number; gzipped: number }> {
  const built = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = built.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

export const bundle: Benchmark = {
  id: '7',
  title: '7. library bundle size (esbuild, minified, gzipped) and cold import time',
  async run(context) {
    const main = await bundled(join(context.root, 'src/index.ts'));
    const kb = main.gzipped / 1000;
    const validate = await bundled(join(context.root, 'src/drift/index.ts'));

    const entry = pathToFileURL(join(context.root, 'dist/index.js')).href;
    const runs = context.quick ? 2 : 9;
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const out = execFileSync(
        process.execPath,
        ['--input-type=module', '-e', IMPORT_TIMER, entry],
        {
          encoding: 'utf8',
        },
      );
      if (i > 0) times.push(Number(out)); // the first run only warms the file cache
    }
    const importMs = median(times);
    return [
      {
        id: '7a',
        name: 'library entry bundled (esbuild, minified, browser, openapi-fetch included), gzipped',
        goal: `≤ ${GOAL_KB} kB`,
        measured: `${fmt(kb)} kB gzipped (gzip -9), ${fmt(main.minified / 1000)} kB minified`,
        ratio: round3(kb),
        pass: judge(context, kb <= GOAL_KB),
      },
      {
        id: '7b',
        name: 'cold import of dist/index.js in a fresh node process',
        goal: 'report ms',
        measured: `${fmt(importMs)} ms (median of ${runs} fresh processes)`,
        ratio: round3(importMs),
        pass: null,
      },
      {
        id: '7c',
        name: 'sakari-client/validate bundled the same way (validators and ajv-formats included)',
        goal: 'report kB',
        measured: `${fmt(validate.gzipped / 1000)} kB gzipped (gzip -9), ${fmt(validate.minified / 1000)} kB minified`,
        ratio: round3(validate.gzipped / 1000),
        pass: null,
      },
    ];
  },
};
