/**
 * Where a finding sits in a body, written as a maintainer reads the spec: `data[].segments`.
 * Array items fold to `[]`, so the same field of every message is one path.
 */

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The path of property `key` of the value at `path` (`''` is the body itself). */
export function childPath(path: string, key: string): string {
  // A key that is not a plain name (`a.b`, `0`, ``) is quoted, so no two paths read alike.
  if (!IDENTIFIER.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** The path of the items of the array at `path`. */
export function itemPath(path: string): string {
  return `${path}[]`;
}

/**
 * The path and the value that a JSON pointer (`/data/3/segments`) names in `body`. The body
 * tells an array index from an object key that looks like a number; past a missing value, the
 * rest of the pointer is read as keys.
 */
export function resolvePointer(body: unknown, pointer: string): { path: string; value: unknown } {
  let path = '';
  let value = body;
  if (pointer === '') return { path, value };
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(value)) {
      path = itemPath(path);
      value = value[Number(key)];
    } else {
      path = childPath(path, key);
      const object = value !== null && typeof value === 'object' ? value : {};
      value = Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
    }
  }
  return { path, value };
}
