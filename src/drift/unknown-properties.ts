/**
 * The properties of a body that its schema does not declare. The spec's schemas are open
 * (Sakari may add fields), so a validator accepts them in silence; yet each is a field a
 * maintainer wants to add to the spec. A key counts as declared when any schema that may apply
 * to the value names it: through `$ref`, in every branch of `allOf`, `anyOf`, `oneOf` and
 * `if`/`then`/`else` (whichever branch the value matches), or by `patternProperties` or
 * `additionalProperties`. An object no applicable schema says anything about (`{}`,
 * `{ type: 'object' }`) is free-form: nothing in it is reported.
 */
import { childPath, itemPath } from './paths.js';

/** A JSON Schema: an object of keywords, or `true` / `false`. */
type Schema = boolean | SchemaObject;
type SchemaObject = { readonly [keyword: string]: unknown };

/** Told of each undeclared property: its path in `[]` form and its value. */
export type OnUnknown = (path: string, value: unknown) => void;

/** Walks `value` against the schema at `pointer` (`#/components/schemas/Message`). */
export type UnknownPropertyWalk = (pointer: string, value: unknown, onUnknown: OnUnknown) => void;

/** A place in the body's shape: its path, and what the schemas that apply there say. */
interface Site {
  readonly path: string;
  /** The schemas that apply, their references and combinations followed. */
  readonly schemas: readonly SchemaObject[];
  object?: ObjectView | null;
  array?: ArrayView | null;
}

interface ObjectView {
  /** The schemas that say which keys an object may have. */
  readonly describing: readonly SchemaObject[];
  /** By key: its site, `null` when declared with nothing to walk, `false` when undeclared. */
  readonly children: Map<string, Site | null | false>;
}

interface ArrayView {
  readonly sites: (Site | null)[];
  /** Index of the first item that `items` governs (past any `prefixItems`). */
  readonly rest: number;
}

// Deeper than any answer of this API; past it a hostile body is not walked (nor can a validator).
const MAX_DEPTH = 64;
// Free-form maps have keys without end; their sites are cached up to this many.
const MAX_CACHED_KEYS = 1_000;
const COMBINATIONS = ['allOf', 'anyOf', 'oneOf'] as const;
const CONDITIONALS = ['if', 'then', 'else'] as const;

const isObject = (value: unknown): value is SchemaObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Whether a schema's `type` lets the value be of JSON type `type` (no `type`: any). */
function admits(schema: SchemaObject, type: 'object' | 'array'): boolean {
  const declared = schema.type;
  if (declared === undefined) return true;
  return declared === type || (Array.isArray(declared) && declared.includes(type));
}

/** Builds the walk for the schemas of `document` (an OpenAPI document, or any JSON). */
export function unknownPropertyWalk(document: unknown): UnknownPropertyWalk {
  const roots = new Map<string, Site>();
  const patterns = new Map<string, RegExp | null>();

  function resolve(ref: string): Schema {
    if (!ref.startsWith('#')) return true; // not in this document: nothing to compare against
    let node: unknown = document;
    for (const raw of ref === '#' ? [] : ref.slice(2).split('/')) {
      const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
      node = isObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
    }
    return typeof node === 'boolean' || isObject(node) ? node : true;
  }

  /** The schemas that apply with `schemas`: each, and what it refers to and combines. */
  function expand(schemas: readonly unknown[]): SchemaObject[] {
    const out: SchemaObject[] = [];
    const seen = new Set<SchemaObject>();
    const visit = (schema: unknown): void => {
      if (!isObject(schema) || seen.has(schema)) return;
      seen.add(schema);
      out.push(schema);
      if (typeof schema.$ref === 'string') visit(resolve(schema.$ref));
      for (const keyword of COMBINATIONS) {
        const branches = schema[keyword];
        if (Array.isArray(branches)) for (const branch of branches) visit(branch);
      }
      for (const keyword of CONDITIONALS) visit(schema[keyword]);
      if (isObject(schema.dependentSchemas)) {
        for (const branch of Object.values(schema.dependentSchemas)) visit(branch);
      }
    };
    for (const schema of schemas) visit(schema);
    return out;
  }

  const site = (path: string, schemas: readonly unknown[]): Site => ({
    path,
    schemas: expand(schemas),
  });

  function matches(pattern: string, key: string): boolean {
    let regex = patterns.get(pattern);
    if (regex === undefined) {
      try {
        regex = new RegExp(pattern, 'u');
      } catch {
        regex = null; // a pattern this engine cannot read declares nothing
      }
      patterns.set(pattern, regex);
    }
    return regex?.test(key) ?? false;
  }

  function objectView(at: Site): ObjectView | null {
    if (at.object !== undefined) return at.object;
    const describing = at.schemas.filter(
      (s) =>
        admits(s, 'object') &&
        (s.properties !== undefined ||
          s.patternProperties !== undefined ||
          s.additionalProperties !== undefined ||
          s.unevaluatedProperties !== undefined),
    );
    at.object = describing.length === 0 ? null : { describing, children: new Map() };
    return at.object;
  }

  /** What the view says of `key` (the walk looks in `view.children` first). */
  function child(at: Site, view: ObjectView, key: string): Site | null | false {
    const schemas: unknown[] = [];
    let declared = false;
    for (const schema of view.describing) {
      const { properties, patternProperties } = schema;
      if (isObject(properties) && Object.hasOwn(properties, key)) {
        schemas.push(properties[key]);
        declared = true;
        continue;
      }
      let matched = false;
      if (isObject(patternProperties)) {
        for (const [pattern, sub] of Object.entries(patternProperties)) {
          if (matches(pattern, key)) {
            schemas.push(sub);
            matched = true;
          }
        }
      }
      if (matched) {
        declared = true;
        continue;
      }
      // `true` leaves the rest open on purpose; `false` closes it, and a validator reports it.
      const rest = schema.additionalProperties ?? schema.unevaluatedProperties;
      if (rest !== undefined) {
        declared = true;
        if (isObject(rest)) schemas.push(rest);
      }
    }
    const found = !declared
      ? false
      : schemas.length === 0
        ? null
        : site(childPath(at.path, key), schemas);
    if (view.children.size < MAX_CACHED_KEYS) view.children.set(key, found);
    return found;
  }

  function arrayView(at: Site): ArrayView | null {
    if (at.array !== undefined) return at.array;
    const applicable = at.schemas.filter(
      (s) => admits(s, 'array') && (s.items !== undefined || s.prefixItems !== undefined),
    );
    if (applicable.length === 0) {
      at.array = null;
      return null;
    }
    const prefixes = applicable.map((s) => (Array.isArray(s.prefixItems) ? s.prefixItems : []));
    const rest = Math.max(...prefixes.map((p) => p.length));
    const path = itemPath(at.path);
    const sites: (Site | null)[] = [];
    // One site per prefix position, then one for every item past them.
    for (let i = 0; i <= rest; i++) {
      const schemas = applicable.flatMap((s, n) =>
        i < (prefixes[n] as unknown[]).length ? [(prefixes[n] as unknown[])[i]] : [s.items],
      );
      const objects = schemas.filter(isObject);
      sites.push(objects.length === 0 ? null : site(path, objects));
    }
    at.array = { sites, rest };
    return at.array;
  }

  function walk(value: unknown, at: Site, depth: number, onUnknown: OnUnknown): void {
    if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return;
    if (Array.isArray(value)) {
      const view = arrayView(at);
      if (!view) return;
      for (let i = 0; i < value.length; i++) {
        const item = view.sites[Math.min(i, view.rest)];
        if (item) walk(value[i], item, depth + 1, onUnknown);
      }
      return;
    }
    const view = objectView(at);
    if (!view) return;
    const object = value as Record<string, unknown>;
    // for…in: no array of keys per object; a parsed body inherits no enumerable key.
    for (const key in object) {
      let found = view.children.get(key);
      if (found === undefined) found = child(at, view, key);
      const item = object[key];
      if (found === false) onUnknown(childPath(at.path, key), item);
      else if (found && item !== null && typeof item === 'object') {
        walk(item, found, depth + 1, onUnknown);
      }
    }
  }

  return (pointer, value, onUnknown) => {
    let root = roots.get(pointer);
    if (!root) {
      root = site('', [resolve(pointer)]);
      roots.set(pointer, root);
    }
    walk(value, root, 0, onUnknown);
  };
}
