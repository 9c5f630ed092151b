// Regenerates everything under generated/ and fails when the result differs from what was
// there before: a spec change without `npm run generate`, or a hand edit of a generated file.
// openapi-typescript's own --check is unreliable for multi-file specs, so we compare bytes.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const outputs = [
  'generated/openapi.json',
  'generated/schema.d.ts',
  'generated/validators.js',
  'generated/validators.d.ts',
];
const read = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : null);

const before = outputs.map(read);
execFileSync('npm', ['run', '--silent', 'generate'], { stdio: ['ignore', 'ignore', 'inherit'] });
const stale = outputs.filter((file, i) => read(file) !== before[i]);

if (stale.length > 0) {
  console.error(
    `generated/ was stale: ${stale.join(', ')} differed from a fresh "npm run generate" ` +
      '(now rewritten).\nCommit the regenerated files; never edit generated files by hand.',
  );
  process.exit(1);
}
console.log(`generated/ is up to date with openapi/ (${outputs.join(', ')}).`);
