// The walk that finds the properties a schema does not declare: through $ref, allOf, anyOf,
// oneOf and if/then/else, with free-form maps left alone.
import { describe, expect, it } from 'vitest';
import { unknownPropertyWalk } from '../src/drift/unknown-properties.js';

/** The undeclared properties of `value` against `#/components/schemas/Root` of `schemas`. */
function undeclared(schemas: Record<string, unknown>, value: unknown): string[] {
  const walk = unknownPropertyWalk({ components: { schemas } });
  const found: string[] = [];
  walk('#/components/schemas/Root', value, (path, v) => found.push(`${path}=${JSON.stringify(v)}`));
  return found;
}

const Point = {
  type: 'object',
  properties: { x: { type: 'number' }, y: { type: 'number' } },
};

describe('undeclared properties', () => {
  it('are found at any depth, through $ref and array items', () => {
    const schemas = {
      Point,
      Root: {
        type: 'object',
        properties: { points: { type: 'array', items: { $ref: '#/components/schemas/Point' } } },
      },
    };
    expect(
      undeclared(schemas, { points: [{ x: 1, z: 2 }, { y: 1 }, { x: 0, w: [1] }], n: 1 }),
    ).toEqual(['points[].z=2', 'points[].w=[1]', 'n=1']);
  });

  it('allOf: a key declared by any branch is declared', () => {
    const schemas = {
      Point,
      Root: {
        allOf: [
          { $ref: '#/components/schemas/Point' },
          { type: 'object', properties: { label: { type: 'object', properties: { text: {} } } } },
        ],
      },
    };
    expect(undeclared(schemas, { x: 1, label: { text: 'a', color: 'red' }, extra: true })).toEqual([
      'label.color="red"',
      'extra=true',
    ]);
  });

  it('oneOf and anyOf: a key of another alternative than the one that fits is declared, never a false finding', () => {
    const schemas = {
      Circle: { type: 'object', required: ['r'], properties: { r: { type: 'number' } } },
      Square: { type: 'object', required: ['side'], properties: { side: { type: 'number' } } },
      Root: {
        type: 'object',
        properties: {
          shape: {
            oneOf: [
              { $ref: '#/components/schemas/Circle' },
              { $ref: '#/components/schemas/Square' },
            ],
          },
          either: { anyOf: [{ type: 'string' }, { type: 'object', properties: { a: {} } }] },
        },
      },
    };
    expect(undeclared(schemas, { shape: { side: 2, hue: 1 }, either: { a: 1, b: 2 } })).toEqual([
      'shape.hue=1',
      'either.b=2',
    ]);
    expect(undeclared(schemas, { shape: { r: 1 }, either: 'text' })).toEqual([]);
  });

  it('if/then/else and dependentSchemas declare their keys too', () => {
    const schemas = {
      Root: {
        type: 'object',
        properties: { kind: { type: 'string' } },
        if: { properties: { kind: { const: 'mms' } } },
        // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, never awaited
        then: { properties: { media: {} } },
        else: { properties: { text: {} } },
        dependentSchemas: { media: { properties: { caption: {} } } },
      },
    };
    expect(
      undeclared(schemas, { kind: 'mms', media: [], text: 'a', caption: 'c', odd: 1 }),
    ).toEqual(['odd=1']);
  });

  it('free-form maps are left alone; additionalProperties and patternProperties schemas are walked', () => {
    const schemas = {
      Point,
      Root: {
        type: 'object',
        properties: {
          attributes: { type: 'object', additionalProperties: true },
          anything: { type: 'object' },
          byCountry: {
            type: 'object',
            additionalProperties: { $ref: '#/components/schemas/Point' },
          },
          tagged: {
            type: 'object',
            properties: { fixed: {} },
            patternProperties: { '^x-': { type: 'object', properties: { v: {} } } },
          },
        },
      },
    };
    const value = {
      attributes: { a: 1, b: { c: 2 } },
      anything: { a: 1 },
      byCountry: { US: { x: 1, q: 1 }, FR: { y: 1 } },
      tagged: { fixed: 1, 'x-one': { v: 1, w: 2 }, other: 3 },
    };
    expect(undeclared(schemas, value)).toEqual([
      'byCountry.US.q=1',
      'tagged["x-one"].w=2',
      'tagged.other=3',
    ]);
  });

  it('a closed schema is left to the validator, which reports it', () => {
    const schemas = {
      Root: { type: 'object', properties: { a: {} }, additionalProperties: false },
    };
    expect(undeclared(schemas, { a: 1, b: 2 })).toEqual([]);
  });

  it('prefixItems govern their positions, items the rest', () => {
    const schemas = {
      Point,
      Root: {
        type: 'array',
        prefixItems: [{ type: 'object', properties: { head: {} } }],
        items: { $ref: '#/components/schemas/Point' },
      },
    };
    expect(undeclared(schemas, [{ head: 1, x: 1 }, { x: 1, head: 2 }, { y: 1 }])).toEqual([
      '[].x=1',
      '[].head=2',
    ]);
  });

  it('a value of a type its schema does not admit is not walked (its type is the finding)', () => {
    const schemas = {
      Root: {
        type: 'object',
        properties: {
          closed: { oneOf: [{ type: 'string' }, { type: 'null' }] },
          when: { type: ['string', 'null'] },
          maybe: { type: ['object', 'null'], properties: { a: {} } },
        },
      },
    };
    expect(
      undeclared(schemas, { closed: { a: 1 }, when: { b: 1 }, maybe: { a: 1, c: 1 } }),
    ).toEqual(['maybe.c=1']);
  });

  it('recursive schemas end where the data ends; keys that are not names are quoted', () => {
    const schemas = {
      Root: {
        type: 'object',
        properties: { id: {}, next: { $ref: '#/components/schemas/Root' } },
      },
    };
    const value = { id: 1, next: { id: 2, next: { id: 3, 'a.b': 1, '': 2, '0': 3 } } };
    expect(undeclared(schemas, value)).toEqual([
      'next.next["0"]=3',
      'next.next["a.b"]=1',
      'next.next[""]=2',
    ]);
  });
});
