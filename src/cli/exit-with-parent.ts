// Loaded into Prism before its own code (`node --import`), so Prism dies with the `sakari mock`
// that started it however that ends, SIGKILL included: sakari holds the other end of Prism's
// stdin, the kernel closes it when sakari dies, and the pipe's end tells us. Prism never reads stdin.
process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();

export {};
