// Preloaded into every Prism the contract tests start (`node --require <this> prism …`), so that
// Prism dies with the process that started it, even when that process gets SIGKILL and none of
// its exit handlers run (prism.ts kills Prism on exit and on signals, but SIGKILL skips those).
// The parent holds the other end of our stdin pipe; the kernel closes it when the parent dies,
// whatever the cause, and the 'end' event tells us. Prism itself never reads stdin.
process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
