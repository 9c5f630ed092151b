// sakari-client/validate: answers checked against the spec, differences added up by path and
// kind, with exact counts, stable order, redacted examples and both report formats.
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type AnswerRef,
  createDriftCollector,
  type DriftFinding,
  type DriftKind,
  type DriftReport,
  formatDriftReport,
  type OperationId,
} from '../src/drift/index.js';
import { type ResponseInfo, SakariValidationError } from '../src/index.js';
import type { Json } from './helpers/spec.js';

const reference: Json = JSON.parse(
  readFileSync(new URL('./fixtures/list-messages.reference.json', import.meta.url), 'utf8'),
);

/** A valid page of `n` messages: copies of the reference page's message. */
function page(n = 3): Json {
  const data = Array.from({ length: n }, (_, i) => ({
    ...structuredClone(reference.data[0]),
    id: `m${i}`,
  }));
  return { ...structuredClone(reference), data };
}

/** Each finding on a line: `path | kind: expected | ×count in answers/seen | example`. */
const brief = (report: DriftReport) =>
  report.findings.map(
    (f) =>
      `${f.path} | ${f.kind}${f.expected && `: ${f.expected}`} | ×${f.count} in ${f.answers}/${f.seen} | ${f.example ?? '-'}`,
  );

describe('a valid answer', () => {
  it('has no finding, and counts as checked', () => {
    const drift = createDriftCollector();
    drift.check('listMessages', page());
    drift.check('getMessage', { success: true, data: page().data[0] });
    expect(drift.report()).toEqual({ answers: 2, findings: [], unmatched: 0, dropped: 0 });
  });
});

describe('each kind of difference', () => {
  it('type: every message with a string for a number, counted per message and per answer', () => {
    const drift = createDriftCollector();
    const first = page(4);
    first.data[0].segments = '2';
    first.data[2].segments = '3';
    const second = page(4);
    second.data[1].segments = '1';
    drift.check('listMessages', first);
    drift.check('listMessages', second);
    drift.check('listMessages', page(4));
    expect(brief(drift.report())).toEqual(['data[].segments | type: number | ×3 in 2/3 | "2"']);
  });

  it('required: a missing property is named at its own path, with no example', () => {
    const drift = createDriftCollector();
    const body = page(3);
    delete body.data[1].id;
    delete body.data[2].conversation.contact.id;
    drift.check('listMessages', body);
    expect(brief(drift.report())).toEqual([
      'data[].conversation.contact.id | required | ×1 in 1/1 | -',
      'data[].id | required | ×1 in 1/1 | -',
    ]);
  });

  it('enum (const), format and range', () => {
    const drift = createDriftCollector();
    const body = page(2);
    body.success = false;
    body.data[0].created.at = 'yesterday';
    body.data[1].contact.email = 'not an address';
    body.pagination.limit = 0;
    drift.check('listMessages', body);
    expect(brief(drift.report())).toEqual([
      'data[].contact.email | format: email | ×1 in 1/1 | "not an address"',
      'data[].created.at | format: date-time | ×1 in 1/1 | "yesterday"',
      'pagination.limit | range: >= 1 | ×1 in 1/1 | 0',
      'success | enum: true | ×1 in 1/1 | false',
    ]);
  });

  it('unknown: a property the spec does not declare, at any depth, with its value', () => {
    const drift = createDriftCollector();
    const body = page(3);
    body.data[0].conversation.phoneNumber.channels.sms.regulatory.campaign.tcrId = 'CX1';
    body.data[1].conversation.phoneNumber.channels.sms.regulatory.campaign.tcrId = 'CX2';
    body.data[2].contact['odd.key'] = { nested: [1, 2] };
    body.data[2].contact.attributes.anything = 1; // a free-form map: not reported
    body.requestId = 'r1';
    drift.check('listMessages', body);
    expect(brief(drift.report())).toEqual([
      'data[].contact["odd.key"] | unknown | ×1 in 1/1 | {"nested":[1,2]}',
      'data[].conversation.phoneNumber.channels.sms.regulatory.campaign.tcrId | unknown | ×2 in 1/1 | "CX1"',
      'requestId | unknown | ×1 in 1/1 | "r1"',
    ]);
  });

  it('a oneOf no alternative fits: one finding, its kind from what the alternatives say', () => {
    const drift = createDriftCollector();
    const body = page(3);
    body.data[0].conversation.closed = 5;
    body.data[1].conversation.closed = 'last week';
    body.data[2].conversation.closed = true; // Sakari's own document's boolean: admitted
    drift.check('listMessages', body);
    expect(brief(drift.report())).toEqual([
      'data[].conversation.closed | format: date-time | ×1 in 1/1 | "last week"',
      'data[].conversation.closed | type: string or null or boolean | ×1 in 1/1 | 5',
    ]);
  });

  it('status: an answer with a status the operation does not list', () => {
    const drift = createDriftCollector();
    drift.check({ operation: 'getMessage', status: 409 }, { success: false });
    drift.check({ operation: 'getMessage', status: 409 }, { success: false });
    expect(drift.report().findings).toEqual([
      {
        operation: 'getMessage',
        status: '409',
        path: '',
        kind: 'status',
        expected: '',
        count: 2,
        answers: 2,
        seen: 2,
        example: '409',
      },
    ]);
  });

  it("error bodies: Sakari's `{ code, description }` against the spec's error body", () => {
    const drift = createDriftCollector();
    const status = 503;
    drift.check({ operation: 'listMessages', status }, { code: 'SRV-1', description: 'down' });
    drift.check(
      { operation: 'listMessages', status: 502 },
      { success: false, error: { code: 'X', message: 'y' } },
    );
    expect(
      drift.report().findings.map((f) => `${f.status} ${f.path} ${f.kind} ${f.count}/${f.seen}`),
    ).toEqual([
      '5XX code unknown 1/2',
      '5XX description unknown 1/2',
      '5XX error required 1/2',
      '5XX success required 1/2',
    ]);
  });
});

describe('which answer a body is', () => {
  it('an operationId means its success answer; method, path and status find the rest', () => {
    const drift = createDriftCollector();
    const message = { success: true, data: { id: 'm1', segments: 'x' } };
    drift.check('getMessage', message);
    drift.check({ method: 'GET', path: '/v1/accounts/acc_1/messages/m1', status: 200 }, message);
    drift.check(
      { method: 'get', path: 'https://api.sakari.io/v1/accounts/a/messages/m1?x=1', status: 200 },
      message,
    );
    drift.check(
      { method: 'GET', path: '/v1/accounts/{accountId}/messages/{messageId}', status: 200 },
      message,
    );
    // A base URL with a path prefix, as a proxy might have.
    drift.check(
      { method: 'GET', path: 'https://proxy.test/sakari/v1/accounts/a/messages/m1', status: 200 },
      message,
    );
    drift.check(
      { method: 'GET', path: '/v1/accounts/a/messages', status: 200 },
      { data: [{ id: 'm1', read: 'no' }] },
    );
    drift.check({ method: 'DELETE', path: '/v1/accounts/a/messages/m1', status: 200 }, message);
    drift.check({ method: 'GET', path: '/v2/elsewhere', status: 200 }, message);
    const report = drift.report();
    expect(report.answers).toBe(6);
    expect(report.unmatched).toBe(2);
    expect(
      report.findings.map((f) => `${f.operation} ${f.status} ${f.path} ${f.count}/${f.seen}`),
    ).toEqual(['getMessage 200 data.segments 5/5', 'listMessages 200 data[].read 1/1']);
  });

  it('skips a body of undefined (none, or not JSON)', () => {
    const drift = createDriftCollector();
    drift.check({ operation: 'listMessages', status: 502 }, undefined);
    expect(drift.report()).toEqual({ answers: 0, findings: [], unmatched: 0, dropped: 0 });
  });

  it('refuses an operationId the spec does not have, and a status that is none', () => {
    const drift = createDriftCollector();
    expect(() => drift.check('listMessage' as OperationId, {})).toThrow(SakariValidationError);
    expect(() => drift.check({ operation: 'listMessages', status: 2000 }, {})).toThrow(/status/);
  });
});

describe('the report', () => {
  it('is sorted by operation, status, path and kind, whatever order the answers came in', () => {
    const answers: [AnswerRef, Json][] = [
      [{ operation: 'listMessages', status: 500 }, { success: false }],
      ['listMessages', { data: [{ id: 'm1', segments: 'x', zz: 1 }] }],
      ['getMessage', { data: { read: 1 } }],
      ['listMessages', { data: [{ id: 'm2', price: 'free' }], success: 'yes' }],
    ];
    const forward = createDriftCollector();
    for (const [answer, body] of answers) forward.check(answer, body);
    const backward = createDriftCollector();
    for (const [answer, body] of [...answers].reverse()) backward.check(answer, body);
    const order = (r: DriftReport) =>
      r.findings.map((f) => `${f.operation} ${f.status} ${f.path} ${f.kind}`);
    expect(order(forward.report())).toEqual([
      'getMessage 200 data.id required',
      'getMessage 200 data.read type',
      'listMessages 200 data[].price type',
      'listMessages 200 data[].segments type',
      'listMessages 200 data[].zz unknown',
      'listMessages 200 success type',
      'listMessages 5XX error required',
    ]);
    expect(order(backward.report())).toEqual(order(forward.report()));
  });

  it('is a snapshot: later checks do not change a report already taken', () => {
    const drift = createDriftCollector();
    drift.check('listMessages', { data: [{ id: 'm1', read: 1 }] });
    const before = drift.report();
    drift.check('listMessages', { data: [{ id: 'm2', read: 2 }] });
    expect(before.findings[0]?.count).toBe(1);
    expect(drift.report().findings[0]?.count).toBe(2);
  });

  it('keeps at most maxFindings distinct findings and counts the rest as dropped', () => {
    const drift = createDriftCollector({ maxFindings: 2 });
    drift.check('listMessages', { data: [{ id: 'm1', a: 1, b: 2, c: 3 }] });
    drift.check('listMessages', { data: [{ id: 'm2', a: 1, d: 4 }] });
    const report = drift.report();
    expect(report.findings.map((f) => `${f.path} ${f.count}`)).toEqual([
      'data[].a 2',
      'data[].b 1',
    ]);
    expect(report.dropped).toBe(2);
    expect(formatDriftReport(report)).toMatch(/\(2 more findings not kept\)\n$/);
  });

  it('formats as one line per finding, or as JSON', () => {
    const drift = createDriftCollector();
    const body = page(5);
    for (const m of body.data) m.segments = '2';
    delete body.data[0].id;
    drift.check('listMessages', body);
    drift.check('listMessages', page(1));
    const report = drift.report();
    expect(formatDriftReport(report)).toBe(
      'listMessages 200 data[].id  required  ×1 in 1/2 answers\n' +
        'listMessages 200 data[].segments  type: number  ×5 in 1/2 answers  e.g. "2"\n',
    );
    expect(JSON.parse(formatDriftReport(report, 'json'))).toEqual(report);
    expect(formatDriftReport(createDriftCollector().report())).toBe('');
  });
});

describe('examples', () => {
  const SECRET = 'sk_live_Secret-4f9c2a';

  it('never hold a secret, as given or as it reads inside JSON', () => {
    const quoted = 'tok"en\\with-quote';
    const drift = createDriftCollector({ secrets: [SECRET, quoted] });
    drift.check('listMessages', {
      data: [
        { id: 'm1', segments: `Bearer ${SECRET}` },
        { id: 'm2', echo: { auth: quoted, again: SECRET } },
        { id: 'm3', [SECRET]: 1 },
      ],
    });
    const text = formatDriftReport(drift.report()) + formatDriftReport(drift.report(), 'json');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(JSON.stringify(quoted).slice(1, -1));
    expect(text).not.toContain(quoted);
    expect(drift.report().findings.map((f) => `${f.path} ${f.example}`)).toEqual([
      'data[].echo {"auth":"[redacted]","again":"[redacted]"}',
      'data[].segments "Bearer [redacted]"',
      'data[]["[redacted]"] 1',
    ]);
  });

  it('are cut to maxExampleLength after redaction, so no part of a secret is left at the cut', () => {
    const drift = createDriftCollector({ secrets: [SECRET], maxExampleLength: 20 });
    drift.check('listMessages', {
      data: [{ id: 'm1', message: 7, notes: `${'x'.repeat(10)}${SECRET}` }],
    });
    const examples = drift.report().findings.map((f) => f.example);
    expect(examples).toEqual(['7', '"xxxxxxxxxx[redacte…']);
    for (const example of examples) expect((example as string).length).toBeLessThanOrEqual(20);
    expect(examples.join()).not.toContain(SECRET.slice(0, 4));
  });

  it('take secrets added to the list after the collector was made', () => {
    const secrets: string[] = [];
    const drift = createDriftCollector({ secrets });
    secrets.push('issued-token-7e1d');
    drift.check('listMessages', { data: [{ id: 'm1', token: 'issued-token-7e1d' }] });
    expect(drift.report().findings[0]?.example).toBe('"[redacted]"');
  });
});

describe('hostile bodies', () => {
  it('a body nested too deeply to check is a finding, not an exception for the caller', () => {
    let message: Json = { id: 'deep' };
    for (let i = 0; i < 20_000; i++)
      message = { id: `m${i}`, conversation: { id: 'c', lastMessage: message } };
    const drift = createDriftCollector();
    drift.check('getMessage', { data: message });
    expect(brief(drift.report())).toEqual([' | other: a body nested less deeply | ×1 in 1/1 | -']);
  });

  it('a key named __proto__ is an undeclared property like any other', () => {
    const drift = createDriftCollector();
    drift.check('listMessages', JSON.parse('{"data":[{"id":"m1","__proto__":{"polluted":true}}]}'));
    expect(drift.report().findings.map((f) => `${f.path} ${f.kind} ${f.example}`)).toEqual([
      'data[].__proto__ unknown {"polluted":true}',
    ]);
    expect(({} as Json).polluted).toBeUndefined();
  });
});

describe('types', () => {
  it('names the operations of the spec and the kinds of finding', () => {
    expectTypeOf<OperationId>().toEqualTypeOf<
      'createToken' | 'listMessages' | 'sendMessages' | 'getMessage'
    >();
    expectTypeOf<DriftFinding['kind']>().toEqualTypeOf<DriftKind>();
    const drift = createDriftCollector();
    expectTypeOf(drift.check).parameter(0).toEqualTypeOf<AnswerRef>();
    expectTypeOf(drift.report()).toEqualTypeOf<DriftReport>();
    // What the client's onResponse is told is an answer the collector takes as it is.
    expectTypeOf<ResponseInfo>().toExtend<AnswerRef>();
    const compileOnly = () => {
      // @ts-expect-error: no such operation
      drift.check('listMessage', {});
      // @ts-expect-error: a status is a number
      drift.check({ operation: 'listMessages', status: '200' }, {});
      // @ts-expect-error: a path needs its method
      drift.check({ path: '/v1/accounts/a/messages', status: 200 }, {});
      // @ts-expect-error: the formats are text and json
      formatDriftReport(drift.report(), 'yaml');
    };
    expectTypeOf(compileOnly).toBeFunction();
  });
});
