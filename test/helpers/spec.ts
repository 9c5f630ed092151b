// JSON Schema 2020-12 validation against the bundled spec, shared by every test that checks a
// body against the spec (the spec tests, the sandbox tests).
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const specPath = new URL('../../generated/openapi.json', import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: the spec is walked generically
export type Json = any;
export const spec: Json = JSON.parse(readFileSync(specPath, 'utf8'));

/** The spec's path templates. */
export const TOKEN_PATH = '/oauth2/token';
export const LIST_PATH = '/v1/accounts/{accountId}/messages';
export const MESSAGE_PATH = '/v1/accounts/{accountId}/messages/{messageId}';

/** Follows a local `$ref` such as `#/components/schemas/Message` within `doc`. */
export function deref(node: Json, doc: Json = spec): Json {
  let current = node;
  while (current && typeof current === 'object' && typeof current.$ref === 'string') {
    const pointer: string = current.$ref;
    if (!pointer.startsWith('#/')) throw new Error(`not a local ref: ${pointer}`);
    current = pointer
      .slice(2)
      .split('/')
      .reduce((at: Json, part) => at?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
    if (current === undefined) throw new Error(`unresolved ref: ${pointer}`);
  }
  return current;
}

function makeAjv(doc: Json): Ajv2020 {
  // strict: false because the document carries OpenAPI keywords (example, paths, …) that are
  // not JSON Schema vocabulary.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, 'openapi.json');
  return ajv;
}

const openAjv = makeAjv(spec);
const cache = new Map<string, ValidateFunction>();

/** Compiles (once) a validator for a schema given by its JSON pointer in the spec. */
export function validatorFor(pointer: string, ajv = openAjv): ValidateFunction {
  const key = `${ajv === openAjv ? 'open' : 'closed'}:${pointer}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const validate = ajv.compile({ $ref: `openapi.json#${pointer}` });
  cache.set(key, validate);
  return validate;
}

export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
}

/** Throws with a readable list of violations when `value` does not fit the schema. */
export function assertMatches(pointer: string, value: unknown, ajv = openAjv): void {
  const validate = validatorFor(pointer, ajv);
  if (!validate(value)) {
    throw new Error(`does not match ${pointer}: ${describeErrors(validate.errors)}`);
  }
}

/**
 * A copy of the spec in which every object schema that lists its properties is closed, so that
 * a field the spec does not declare is an error. The real spec stays open (Sakari may add
 * fields); this closed view is for checking our own examples and fixtures.
 */
export function closedSpec(): Json {
  const copy = structuredClone(spec);
  const close = (node: Json): void => {
    if (Array.isArray(node)) {
      for (const item of node) close(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    if (node.properties && node.additionalProperties === undefined) {
      node.additionalProperties = false;
    }
    for (const value of Object.values(node)) close(value);
  };
  close(copy.components.schemas);
  return copy;
}

export const closedAjv = makeAjv(closedSpec());

/** The schema pointer of an operation's JSON response for a status. */
export function responsePointer(path: string, method: string, status: string): string {
  const escaped = path.replaceAll('~', '~0').replaceAll('/', '~1');
  const response = deref(spec.paths[path][method].responses[status]);
  const schema = response.content['application/json'].schema;
  if (schema.$ref) return schema.$ref.slice(1);
  return `/paths/${escaped}/${method}/responses/${status}/content/application~1json/schema`;
}
