// Property tests of the drift report (fast-check): valid messages from the sandbox, mutated at
// random places, must be reported at exactly those places (array items as `[]`), with exact
// counts; and a secret in a drifting value never reaches the report.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriftCollector, formatDriftReport } from '../src/drift/index.js';
import type { Sandbox } from '../src/sandbox/index.js';
import { startSandbox } from '../src/sandbox/index.js';
import { client, tokenFor } from './helpers/sandbox.js';
import { deref, type Json } from './helpers/spec.js';

const MESSAGES = 40;
let sandbox: Sandbox;
let page: Json;

beforeAll(async () => {
  sandbox = await startSandbox({ messages: MESSAGES });
  const answer = await client(sandbox, await tokenFor(sandbox)).list({ limit: MESSAGES });
  page = answer.body;
});
afterAll(() => sandbox.close());

type Step = string | number;

/** A place in one message that the spec describes: where it is, and its schema. */
interface Place {
  /** Keys and indices from the message. */
  at: Step[];
  /** Its path in the report's form, from the page. */
  path: string;
  schema: Json;
  required: boolean;
}

/**
 * Every place of `value` the spec describes, found by following the spec alongside it
 * (`properties`, `items`, `$ref`): the test's own reading of the spec, not the code's.
 */
function placesOf(value: Json, schema: Json, at: Step[], path: string, out: Place[]): Place[] {
  const s = deref(schema);
  if (Array.isArray(value)) {
    if (s.items) {
      for (const [i, item] of value.entries())
        placesOf(item, s.items, [...at, i], `${path}[]`, out);
    }
  } else if (value && typeof value === 'object' && s.properties) {
    for (const key of Object.keys(value)) {
      expect(key).toMatch(/^[A-Za-z_$][\w$]*$/); // so the path needs no quoting
      const child = s.properties[key];
      expect(child, `${path}.${key} is declared`).toBeDefined();
      const place = {
        at: [...at, key],
        path: `${path}.${key}`,
        schema: deref(child),
        required: (s.required ?? []).includes(key),
      };
      out.push(place);
      placesOf(value[key], child, place.at, place.path, out);
    }
  }
  return out;
}

/** The JSON types a schema admits, its alternatives' included; empty when it does not say. */
function typesOf(schema: Json): string[] {
  const own = schema.type === undefined ? [] : [schema.type].flat();
  const alternatives = (schema.oneOf ?? schema.anyOf ?? []).flatMap((s: Json) => typesOf(deref(s)));
  return [...own, ...alternatives];
}

const jsonType = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;

/** Values of every JSON type; those a schema does not admit make a type mismatch. */
const REPLACEMENTS: unknown[] = ['text', 12345, true, null, { a: 1 }, [1]];

function wrongValuesFor(schema: Json): unknown[] {
  const types = typesOf(schema);
  if (types.length === 0) return [];
  return REPLACEMENTS.filter((v) => {
    const type = jsonType(v);
    return !types.includes(type) && !(type === 'integer' && types.includes('number'));
  });
}

/** The object at `at` in `root`, and the last key. */
function parentOf(root: Json, at: Step[]): [Json, Step] {
  let node = root;
  for (const step of at.slice(0, -1)) node = node[step];
  return [node, at[at.length - 1] as Step];
}

const mutation = fc.record({
  message: fc.nat({ max: MESSAGES - 1 }),
  kind: fc.constantFrom('type', 'required', 'unknown'),
  pick: fc.nat(),
  wrong: fc.nat(),
});

describe('drift report properties', () => {
  it('the sandbox page fits the spec: no finding', () => {
    expect(page.data).toHaveLength(MESSAGES);
    const drift = createDriftCollector();
    drift.check('listMessages', page);
    expect(drift.report().findings).toEqual([]);
  });

  it('names exactly the mutated paths, in [] form, with exact counts', () => {
    const message = { $ref: '#/components/schemas/Message' };
    const places = page.data.map((m: Json, i: number) =>
      placesOf(m, message, ['data', i], 'data[]', []),
    );
    fc.assert(
      fc.property(
        // One mutation per message at most, so no two of them touch the same value.
        fc.uniqueArray(mutation, { selector: (m) => m.message, minLength: 1, maxLength: 12 }),
        (mutations) => {
          const body = structuredClone(page);
          const expected = new Map<string, number>();
          for (const m of mutations) {
            const all: Place[] = places[m.message];
            let key: string;
            if (m.kind === 'unknown') {
              // Into the message itself or any object the spec describes in it.
              const objects = [
                { at: ['data', m.message], path: 'data[]' },
                ...all.filter((p) => p.schema.properties && !Array.isArray(valueAt(body, p.at))),
              ].filter((p) => isObject(valueAt(body, p.at)));
              const target = objects[m.pick % objects.length] as { at: Step[]; path: string };
              valueAt(body, target.at).zz_undeclared = { drift: m.pick };
              key = `unknown ${target.path}.zz_undeclared`;
            } else if (m.kind === 'required') {
              const required = all.filter((p) => p.required);
              const target = required[m.pick % required.length] as Place;
              const [parent, last] = parentOf(body, target.at);
              delete parent[last];
              key = `required ${target.path}`;
            } else {
              const typed = all.filter((p) => wrongValuesFor(p.schema).length > 0);
              const target = typed[m.pick % typed.length] as Place;
              const wrong = wrongValuesFor(target.schema);
              const [parent, last] = parentOf(body, target.at);
              parent[last] = wrong[m.wrong % wrong.length];
              key = `type ${target.path}`;
            }
            expected.set(key, (expected.get(key) ?? 0) + 1);
          }
          const drift = createDriftCollector();
          drift.check('listMessages', body);
          const report = drift.report();
          const found = report.findings.map(
            (f) => `${f.kind} ${f.path} ×${f.count} in ${f.answers}/${f.seen}`,
          );
          const want = [...expected].map(([k, count]) => `${k} ×${count} in 1/1`);
          expect(found.sort()).toEqual(want.sort());
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never lets a secret in a drifting value or key reach either format of the report', () => {
    // Secrets as they come: long, of letters, digits and the symbols tokens use, quotes too.
    const secret = fc.string({
      unit: fc.constantFrom(...'abcXYZ0189-_.~+/="\\'.split('')),
      minLength: 12,
      maxLength: 40,
    });
    fc.assert(
      fc.property(
        secret,
        fc.string({ maxLength: 30 }),
        fc.string({ maxLength: 30 }),
        fc.integer({ min: 8, max: 120 }),
        fc.constantFrom('segments', 'unknownValue', 'unknownKey', 'nested'),
        (token, before, after, maxExampleLength, where) => {
          const body = structuredClone(page);
          const m = body.data[0];
          const text = `${before}${token}${after}`;
          if (where === 'segments') m.segments = text;
          else if (where === 'unknownValue') m.contact.leaked = text;
          else if (where === 'unknownKey') m.contact[text] = 1;
          else m.echo = { headers: [{ authorization: `Bearer ${text}` }] };
          const drift = createDriftCollector({ secrets: [token], maxExampleLength });
          drift.check('listMessages', body);
          const report = drift.report();
          expect(report.findings).toHaveLength(1);
          for (const out of [formatDriftReport(report), formatDriftReport(report, 'json')]) {
            expect(out).not.toContain(token);
            expect(out).not.toContain(JSON.stringify(token).slice(1, -1));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

function valueAt(root: Json, at: Step[]): Json {
  return at.reduce((node, step) => node?.[step], root);
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
