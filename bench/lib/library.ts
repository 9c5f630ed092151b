// The library as users run it: the built dist/index.js and dist/drift/index.js (tsc output),
// not src/ through tsx, whose transform adds a helper call to every function it creates. Typed
// from src/, so that type-checking the benchmarks does not need a build.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type Library = typeof import('../../src/index.js');
export type ValidateLibrary = typeof import('../../src/drift/index.js');

let loaded: Promise<Library> | undefined;
let validateLoaded: Promise<ValidateLibrary> | undefined;

export function library(root: string): Promise<Library> {
  loaded ??= import(pathToFileURL(join(root, 'dist/index.js')).href) as Promise<Library>;
  return loaded;
}

/** `sakari-client/validate`, built. */
export function validateLibrary(root: string): Promise<ValidateLibrary> {
  validateLoaded ??= import(
    pathToFileURL(join(root, 'dist/drift/index.js')).href
  ) as Promise<ValidateLibrary>;
  return validateLoaded;
}
