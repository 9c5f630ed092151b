// Prism's dynamic mock makes up bodies from the schemas, so the client contract tests can face
// data the examples never show: unknown extra properties, nulls, odd strings. This file checks
// that what it makes up is fit to test against: 200s whose bodies fit the spec, reproducible
// from a seed.
import type { ErrorObject } from 'ajv';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  closedAjv,
  describeErrors,
  type Json,
  responsePointer,
  spec,
  validatorFor,
} from '../helpers/spec.js';
import { type Violation, violationsOf } from './prism.js';
import { hasNull } from './wire.js';

const dynamicUrl = inject('prismDynamicUrl');
// Each seed is one more distinct body per operation. Prism takes 0.2–0.5 s to make up a Message
// body, so 13 seeds × 4 operations (52 requests) cost about 10 s. Prism seeds with seedrandom,
// whose key schedule repeats the key: "1", "11" and "111" give the same body, so no seed here
// is another one repeated.
const SEEDS = Array.from({ length: 13 }, (_, i) => 1001 + i);

interface Operation {
  id: string;
  path: string;
  method: 'get' | 'post';
  request: (headers: Record<string, string>) => Promise<Response>;
}

const accountId: string = spec.components.parameters.AccountId.example;
const examples = spec.components.examples;
const json = { 'content-type': 'application/json', authorization: 'Bearer dynamic-test' };
const base = `${dynamicUrl}/v1/accounts/${accountId}/messages`;
const operations: Operation[] = [
  {
    id: 'listMessages',
    path: '/v1/accounts/{accountId}/messages',
    method: 'get',
    request: (headers) => fetch(`${base}?limit=5`, { headers: { ...json, ...headers } }),
  },
  {
    id: 'getMessage',
    path: '/v1/accounts/{accountId}/messages/{messageId}',
    method: 'get',
    request: (headers) => fetch(`${base}/msg_1`, { headers: { ...json, ...headers } }),
  },
  {
    id: 'sendMessages',
    path: '/v1/accounts/{accountId}/messages',
    method: 'post',
    request: (headers) =>
      fetch(base, {
        method: 'POST',
        headers: { ...json, ...headers },
        body: JSON.stringify(examples.SendMessagesRequest.value),
      }),
  },
  {
    id: 'createToken',
    path: '/oauth2/token',
    method: 'post',
    request: (headers) =>
      fetch(`${dynamicUrl}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(examples.TokenRequest.value),
      }),
  },
];

/**
 * Properties that close a `$ref` cycle of the spec's schemas (today Message.conversation and
 * Conversation.lastMessage, which lead back to each other).
 */
function cycleProperties(): Set<string> {
  const schemas: Record<string, Json> = spec.components.schemas;
  const refsIn = (node: Json, found = new Set<string>()): Set<string> => {
    if (!node || typeof node !== 'object') return found;
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#/components/schemas/')) {
      found.add(node.$ref.slice('#/components/schemas/'.length));
    }
    for (const child of Object.values(node)) refsIn(child, found);
    return found;
  };
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return [...refsIn(schemas[from])].some((next) => reaches(next, to, seen));
  };
  const found = new Set<string>();
  for (const [name, schema] of Object.entries(schemas)) {
    for (const [property, child] of Object.entries<Json>(schema.properties ?? {})) {
      if ([...refsIn(child)].some((target) => reaches(target, name))) found.add(property);
    }
  }
  return found;
}

const cycles = cycleProperties();
const atCycleCut = (path: string): boolean => cycles.has(path.split('/').pop() ?? '');

/**
 * Schema errors of a generated body, less the generator's own artefact: json-schema-faker 0.5
 * (Prism's generator) follows a `$ref` cycle only a few turns (refDepthMax 3), then drops the
 * `$ref` and emits a value for the remaining, nearly empty schema, e.g. a `lastMessage` with no
 * `id`. Errors located exactly at a cycle property are that cut; anything else is real.
 */
function schemaErrors(op: Operation, body: unknown): ErrorObject[] {
  const validate = validatorFor(responsePointer(op.path, op.method, '200'));
  if (validate(body)) return [];
  return (validate.errors ?? []).filter((error) => !atCycleCut(error.instancePath));
}

interface Draw {
  op: Operation;
  seed: number;
  status: number;
  body: Json;
  text: string;
  violations: Violation[];
}

async function draw(op: Operation, seed?: number): Promise<Draw> {
  const response = await op.request(seed === undefined ? {} : { prefer: `seed=${seed}` });
  const text = await response.text();
  return {
    op,
    seed: seed ?? -1,
    status: response.status,
    body: JSON.parse(text),
    text,
    violations: violationsOf(response),
  };
}

describe('the dynamic mock', () => {
  let draws: Draw[] = [];
  beforeAll(async () => {
    draws = await Promise.all(operations.flatMap((op) => SEEDS.map((seed) => draw(op, seed))));
  }, 60_000);

  it('cuts $ref cycles only at Message.conversation and Conversation.lastMessage', () => {
    // If the spec gains another cycle, check the artefact tolerated below still fits it.
    expect([...cycles].sort()).toEqual(['conversation', 'lastMessage']);
  });

  it(`answers ${SEEDS.length * operations.length} seeded requests with 200 bodies that fit the spec`, () => {
    expect(draws.length).toBeGreaterThanOrEqual(50);
    for (const { op, seed, status, body, violations } of draws) {
      const where = `${op.id}, Prefer: seed=${seed}`;
      expect(status, where).toBe(200);
      // Our requests are valid, and the only response violations Prism itself notices are the
      // generator's cycle cuts.
      expect(
        violations.filter((v) => v.location[0] === 'request'),
        where,
      ).toEqual([]);
      for (const v of violations) {
        expect(atCycleCut(v.location.join('/')), `${where}: ${v.message}`).toBe(true);
      }
      const errors = schemaErrors(op, body);
      expect(errors, `${where}: ${describeErrors(errors)}`).toEqual([]);
    }
  });

  it('makes up what the examples never show: unknown properties and nulls', () => {
    const undeclared = draws.filter(({ op, body }) => {
      const closed = validatorFor(responsePointer(op.path, op.method, '200'), closedAjv);
      return !closed(body) && closed.errors?.some((e) => e.keyword === 'additionalProperties');
    });
    expect(draws.filter(({ body }) => hasNull(body)).length).toBeGreaterThan(0);
    expect(undeclared.length).toBeGreaterThan(0);
  });

  it('gives the same body for the same seed and a different body for each seed', async () => {
    for (const op of operations) {
      const mine = draws.filter((d) => d.op === op);
      expect(new Set(mine.map((d) => d.text)).size, op.id).toBe(SEEDS.length);
      const again = await draw(op, SEEDS[0]);
      expect(again.text, op.id).toBe(mine[0]?.text);
      // Without `Prefer: seed` the mock's own --seed applies, just as reproducibly.
      const [plain, plainAgain] = await Promise.all([draw(op), draw(op)]);
      expect(plainAgain.text, op.id).toBe(plain.text);
    }
  });
});
