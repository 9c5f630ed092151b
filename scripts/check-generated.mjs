// Regenerates everything under generated/ and fails when it differs from what is committed.
// openapi-typescript's own --check is unreliable for multi-file specs, so git is the judge.
import { execFileSync, spawnSync } from 'node:child_process';

execFileSync('npm', ['run', '--silent', 'generate'], { stdio: 'inherit' });

const status = execFileSync('git', ['status', '--porcelain', '--', 'generated'], {
  encoding: 'utf8',
}).trim();
if (status !== '') {
  const files = status
    .split('\n')
    .map((line) => line.slice(3))
    .join(', ');
  console.error(
    `generated/ is stale: ${files} differ from a fresh "npm run generate".\n` +
      'Run "npm run generate" and commit the result; never edit generated files by hand.',
  );
  spawnSync('git', ['--no-pager', 'diff', '--stat', '--', 'generated'], { stdio: 'inherit' });
  process.exit(1);
}
console.log('generated/ is up to date with openapi/.');
