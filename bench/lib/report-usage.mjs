// Preloaded (`node --import`) into both processes of benchmark 8: on exit, writes the process's
// own CPU time (user + system, µs) and peak RSS (kB) as JSON to file descriptor 3.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  const cpuUs = usage.userCPUTime + usage.systemCPUTime;
  writeSync(3, JSON.stringify({ cpuUs, maxRssKb: usage.maxRSS }));
});
