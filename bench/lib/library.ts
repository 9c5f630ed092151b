// The library as users run it: the built dist/index.js (tsc output), not src/ through tsx,
// whose transform adds a helper call to every function it creates. Typed from src/, so that
// type-checking the benchmarks does not need a build.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type Library = typeof import('../../src/index.js');

let loaded: Promise<Library> | undefined;

export function library(root: string): Promise<Library> {
  loaded ??= import(pathToFileURL(join(root, 'dist/index.js')).href) as Promise<Library>;
  return loaded;
}
