// The package as users get it: pack it, install the tarball into a fresh project, and prove
// that (1) a strict TypeScript consumer compiles under nodenext and bundler resolution,
// (2) it runs against the installed sandbox, (3) the installed `sakari` bin works, and
// (4) the library entry and sakari-client/validate bundle for the browser (so they import no
// Node module), the latter's bundle checking a body as it does unbundled.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const work = mkdtempSync(join(tmpdir(), 'sakari-consumer-'));
const run = (cmd, args, options = {}) =>
  execFileSync(cmd, args, {
    cwd: work,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
const step = (name) => console.log(`check-package: ${name}`);

/** An installed entry bundled as a browser app would ship it; its bytes. */
async function bundleForBrowser(entry, outfile) {
  writeFileSync(join(work, 'entry.js'), `export * from '${entry}';\n`);
  // platform browser: any node: import (or Node-only module) in the entry fails here
  await build({
    absWorkingDir: work,
    entryPoints: ['entry.js'],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    outfile: join(work, outfile),
    logLevel: 'error',
  });
  return readFileSync(join(work, outfile));
}

try {
  step('npm pack');
  const packed = JSON.parse(
    run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root }),
  );
  const { filename, files, size, unpackedSize } = packed[0];
  console.log(
    `  ${filename}: ${files.length} files, ${size} bytes packed, ${unpackedSize} unpacked`,
  );

  step('install the tarball into a fresh project');
  writeFileSync(
    join(work, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  // @types/node: the sandbox is a Node API, so its consumers have Node's types.
  run('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    join(work, filename),
    '@types/node@20',
  ]);

  step('compile a strict consumer (nodenext and bundler resolution)');
  copyFileSync(join(root, 'test/package/consumer.ts'), join(work, 'consumer.ts'));
  const base = {
    target: 'ES2022',
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    lib: ['ES2022', 'DOM'],
    types: ['node'],
    outDir: 'out',
  };
  const configs = {
    'tsconfig.nodenext.json': { ...base, module: 'NodeNext', moduleResolution: 'NodeNext' },
    'tsconfig.bundler.json': {
      ...base,
      module: 'ESNext',
      moduleResolution: 'Bundler',
      noEmit: true,
    },
  };
  for (const [file, compilerOptions] of Object.entries(configs)) {
    writeFileSync(join(work, file), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    run('node', [tsc, '-p', file]);
    console.log(`  ${file}: compiled`);
  }

  step('run the consumer against the installed sandbox');
  const result = run('node', ['out/consumer.js']).trim();
  console.log(`  ${result}`);
  if (!JSON.parse(result).ok) throw new Error('consumer run failed');

  step('run the installed bin: sakari messages list --max 5');
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('SAKARI_')) delete env[key];
  const lines = run(
    join(work, 'node_modules/.bin/sakari'),
    ['messages', 'list', '--max', '5', '--format', 'ndjson'],
    { env },
  )
    .trim()
    .split('\n');
  if (lines.length !== 5) throw new Error(`expected 5 messages, got ${lines.length}`);
  for (const line of lines) JSON.parse(line);
  console.log(`  5 messages listed`);

  step('bundle the library entry for the browser');
  const bundle = await bundleForBrowser('sakari-client', 'bundle.js');
  console.log(`  ${bundle.length} bytes minified, ${gzipSync(bundle).length} bytes gzipped`);

  step('bundle sakari-client/validate for the browser, and run the bundle');
  const validate = await bundleForBrowser('sakari-client/validate', 'validate.mjs');
  // A format finding proves the bundler resolved ajv-formats' CommonJS module as Node does.
  const probe =
    "const { createDriftCollector: c } = await import('./validate.mjs'); const d = c();" +
    " d.check('getMessage', { data: { id: 'm1', created: { at: 'yesterday' } } });" +
    ' process.stdout.write(d.report().findings.map((f) => f.kind + " " + f.path).join());';
  const found = run('node', ['--input-type=module', '-e', probe]);
  if (found !== 'format data.created.at') throw new Error(`validate bundle found: ${found}`);
  console.log(`  ${validate.length} bytes minified, ${gzipSync(validate).length} bytes gzipped`);
  console.log('check-package: ok');
} catch (error) {
  console.error(
    `check-package: FAILED\n${error.stderr ?? ''}${error.stdout ?? ''}${error.message}`,
  );
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
