#!/usr/bin/env node
// `npm run mock`: Stoplight Prism serving this package's bundled spec, so the client (or any code
// of yours) can run against the spec's examples without a Sakari account. Works from a clone and
// from an installed copy (node node_modules/sakari-client/scripts/mock.mjs): the spec is found
// next to this file, Prism wherever Node resolves it from here.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const usage = `Usage: node scripts/mock.mjs [--port 4010] [--host 127.0.0.1] [--dynamic [--seed N]]

  --port, -p   port to listen on (default 4010)
  --host       address to listen on (default 127.0.0.1)
  --dynamic    make bodies up from the schemas instead of returning the spec's examples
  --seed       with --dynamic: seed that makes the made-up bodies reproducible`;

let options;
try {
  options = parseArgs({
    options: {
      port: { type: 'string', short: 'p', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      dynamic: { type: 'boolean', short: 'd', default: false },
      seed: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (error) {
  console.error(`${error.message}\n\n${usage}`);
  process.exit(2);
}
if (options.help) {
  console.log(usage);
  process.exit(0);
}

let prism;
try {
  prism = createRequire(import.meta.url).resolve('@stoplight/prism-cli');
} catch {
  console.error(
    'The mock needs Stoplight Prism. Install it next to sakari-client:\n' +
      '  npm install --save-dev @stoplight/prism-cli@5.14.2',
  );
  process.exit(1);
}

const spec = fileURLToPath(new URL('../generated/openapi.json', import.meta.url));
const args = [prism, 'mock', spec, '--host', options.host, '--port', options.port];
if (options.dynamic) args.push('--dynamic');
if (options.seed !== undefined) args.push('--seed', options.seed);

// Node itself runs Prism (no shell, no npx), so the signal we forward reaches Prism.
const child = spawn(process.execPath, args, { stdio: ['inherit', 'pipe', 'inherit'] });

// Prism's own log goes through unchanged; once it listens we add how to use it.
let partial = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const lines = (partial + chunk).split('\n');
  partial = lines.pop() ?? '';
  const ready = lines.map((line) => /Prism is listening on (\S+)/.exec(line)).find(Boolean);
  if (ready) printHowTo(ready[1].replace(/\/$/, ''));
});

function printHowTo(url) {
  const accountId = '5f1e8a2b9c3d4e0012a7b6c1'; // the spec's example account; any id works
  console.log(`
Sakari mock API on ${url} (${options.dynamic ? 'made-up bodies' : "the spec's examples"}).
Point the client at it:

  SAKARI_BASE_URL=${url} SAKARI_ACCOUNT_ID=${accountId} SAKARI_TOKEN=any-token <your command>

  createSakariClient({ baseUrl: '${url}', accountId: '${accountId}', auth: { token: 'any-token' } })

Any Bearer token is accepted; a request that breaks the spec gets 400 or 401 and an
sl-violations header saying why. Ask for an error with a header: Prefer: code=404
(400, 401, 403, 404, 429, 500). Ctrl-C stops the mock.
`);
}

// Ctrl-C in a terminal reaches Prism too (same process group); forwarding covers `kill <pid>`.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', (error) => {
  console.error(`Could not start Prism: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (constants.signals[signal] ?? 1));
});
