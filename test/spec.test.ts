import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  assertMatches,
  closedAjv,
  deref,
  type Json,
  responsePointer,
  spec,
} from './helpers/spec.js';

const reference: Json = JSON.parse(
  readFileSync(new URL('./fixtures/list-messages.reference.json', import.meta.url), 'utf8'),
);
const listPath = '/v1/accounts/{accountId}/messages';
const listSchema = responsePointer(listPath, 'get', '200');

/** Every key path of a JSON value, array indices folded to `[]`. */
function keyPaths(value: Json, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, `${prefix}[]`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...keyPaths(child, path)];
  });
}

/** Whether the schema (refs followed) declares `key` among its properties. */
function declaredChild(schema: Json, key: string): Json | undefined {
  return deref(schema)?.properties?.[key];
}

/** The paths of `value` that the schema does not declare (open schemas would hide them). */
function undeclared(value: Json, schema: Json, prefix = ''): string[] {
  const resolved = deref(schema);
  if (Array.isArray(value)) {
    return value.flatMap((item) => undeclared(item, resolved.items, `${prefix}[]`));
  }
  if (!value || typeof value !== 'object') return [];
  // Free-form maps (attributes, forwardTo, …) declare no properties on purpose.
  if (!resolved.properties && resolved.additionalProperties === true) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const childSchema = declaredChild(resolved, key);
    return childSchema ? undeclared(child, childSchema, path) : [path];
  });
}

describe('the reference page example', () => {
  it('validates against the 200 response schema of listMessages', () => {
    expect(() => assertMatches(listSchema, reference)).not.toThrow();
  });

  it('declares every key path of the example in the spec', () => {
    const paths = [...new Set(keyPaths(reference))];
    expect(paths.length).toBeGreaterThan(300);
    expect(undeclared(reference, { $ref: `#${listSchema}` })).toEqual([]);
  });

  it('fails the check when a field is missing from the spec', () => {
    const withExtra = structuredClone(reference);
    withExtra.data[0].conversation.phoneNumber.channels.sms.regulatory.campaign.tcrId = 'x';
    expect(undeclared(withExtra, { $ref: `#${listSchema}` })).toEqual([
      'data[].conversation.phoneNumber.channels.sms.regulatory.campaign.tcrId',
    ]);
  });

  it('keeps the type the page shows for numbers, booleans and timestamps', () => {
    const wrong = structuredClone(reference);
    wrong.pagination.totalCount = '123';
    expect(() => assertMatches(listSchema, wrong)).toThrow(/totalCount|integer/);
    const badStamp = structuredClone(reference);
    badStamp.data[0].created.at = 'yesterday';
    expect(() => assertMatches(listSchema, badStamp)).toThrow(/date-time/);
  });
});

type Example = { where: string; pointer: string; value: unknown };

/** Every example in the spec with the schema it must satisfy. */
function examples(): Example[] {
  const found: Example[] = [];
  const fromContent = (where: string, content: Json, pointer: string) => {
    for (const [name, example] of Object.entries<Json>(content.examples ?? {})) {
      found.push({ where: `${where} ${name}`, pointer, value: deref(example).value });
    }
  };
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    const escaped = path.replaceAll('/', '~1');
    for (const method of ['get', 'post']) {
      const op = item[method];
      if (!op) continue;
      const body = op.requestBody && deref(op.requestBody);
      if (body) {
        const json = body.content['application/json'];
        fromContent(`${op.operationId} request`, json, json.schema.$ref.slice(1));
      }
      for (const status of Object.keys(op.responses)) {
        const json = deref(op.responses[status]).content?.['application/json'];
        if (json)
          fromContent(`${op.operationId} ${status}`, json, responsePointer(path, method, status));
      }
      for (const param of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const p = deref(param);
        if (p.example !== undefined) {
          const schema = p.schema.$ref ? p.schema.$ref.slice(1) : null;
          found.push({
            where: `${op.operationId} parameter ${p.name}`,
            pointer: schema ?? `/paths/${escaped}`,
            value: p.example,
          });
          if (!schema) expect(p.example).toSatisfy((v) => inlineOk(p.schema, v));
        }
      }
    }
  }
  return found;
}

// Inline parameter schemas are small (type, bounds, pattern): check them directly.
function inlineOk(schema: Json, value: unknown): boolean {
  if (schema.type === 'integer' && !Number.isInteger(value)) return false;
  if (schema.type === 'string' && typeof value !== 'string') return false;
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
  }
  if (typeof value === 'string' && schema.pattern && !new RegExp(schema.pattern).test(value)) {
    return false;
  }
  return true;
}

describe('the examples of the spec', () => {
  const all = examples();

  it('include a first and a last list page and one example per error status', () => {
    const names = all.map((e) => e.where);
    expect(names).toContain('listMessages 200 firstPage');
    expect(names).toContain('listMessages 200 lastPage');
    for (const status of ['400', '401', '403', '404', '429', '5XX']) {
      expect(names.some((n) => n.startsWith(`listMessages ${status} `))).toBe(true);
    }
    const list = all.filter((e) => e.where.startsWith('listMessages 200')).map((e) => e.value);
    expect(list.map((v: Json) => v.pagination.hasNext)).toEqual([true, false]);
  });

  it.each(all.filter((e) => !e.where.includes('parameter')).map((e) => [e.where, e] as const))(
    '%s fits its schema, with no undeclared field',
    (_name, example) => {
      expect(() => assertMatches(example.pointer, example.value, closedAjv)).not.toThrow();
    },
  );

  it('rejects an example that carries a field the spec does not declare', () => {
    const example = all.find((e) => e.where === 'getMessage 200 outbound');
    const value = structuredClone(example?.value) as Json;
    value.data.deliveredAt = '2026-11-26T17:40:05Z';
    expect(() => assertMatches(example?.pointer ?? '', value, closedAjv)).toThrow(
      /additional properties/,
    );
  });

  it('uses realistic values, never placeholders', () => {
    const text = JSON.stringify(all.map((e) => e.value));
    expect(text).not.toMatch(/<string>|"123"|: ?123\b/);
  });
});

describe("the shapes Sakari's own document allows", () => {
  const listPath = '/v1/accounts/{accountId}/messages';
  const message = {
    id: 'm1',
    message: 'Hi',
    segments: 1.0,
    conversation: { id: 'c1', closed: true },
  };

  it('admits a list page without pagination, without hasNext, or with an error object beside it', () => {
    const list = responsePointer(listPath, 'get', '200');
    for (const body of [
      { success: true, data: [message] },
      { data: [message], pagination: { offset: 0, limit: 100, totalCount: 1 } },
      { success: true, data: [], pagination: {}, error: { code: 'X', message: 'y' } },
    ]) {
      expect(() => assertMatches(list, body), JSON.stringify(body)).not.toThrow();
    }
    expect(() => assertMatches(list, { success: true })).toThrow(/data/);
    expect(() => assertMatches(list, { success: false, data: [] })).toThrow(/success/);
  });

  it("admits a send's answer without success", () => {
    const body = {
      data: { jobId: 'j1', requested: 1, valid: 1, invalid: [], messages: [message] },
    };
    expect(() => assertMatches(responsePointer(listPath, 'post', '200'), body)).not.toThrow();
  });
});
