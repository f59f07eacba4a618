import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { findProblemLink, MAX_PROBLEM_BODY, parseMediaType, parseProblem, problemMediaKind } from './problem.js';

const CT = 'application/problem+json';

describe('media type', () => {
  test.each([
    ['application/problem+json', 'json'],
    ['Application/Problem+JSON ; charset="utf-8"', 'json'],
    ['application/problem+json;profile=x;;', 'json'],
    ['application/problem+xml', 'xml'],
    ['application/json', undefined],
    ['text/plain', undefined],
    ['', undefined],
    [undefined, undefined],
    ['application/problem+json extra', undefined],
  ])('%j → %s', (ct, kind) => expect(problemMediaKind(ct)).toBe(kind));

  it('keeps parameters', () => {
    expect(parseMediaType('text/html; Charset=UTF-8; q')).toEqual({ essence: 'text/html', params: { charset: 'UTF-8' } });
  });
});

describe('parseProblem', () => {
  it('parses the RFC 9457 §3 example shape with extensions and links', () => {
    const body = JSON.stringify({
      type: 'https://example.com/probs/upgrade-required',
      title: 'Upgrade Required',
      status: 426,
      detail: 'This API requires HTTP/2.',
      instance: '/v1/orders',
      migration_guide: 'https://docs.example.com/migrate-to-h2',
      deadline: '2026-01-31T00:00:00.000Z',
      see_also: { docs: ['ftp://not-http', 'http://example.com/a'] },
    });
    const r = parseProblem(`${CT}; charset=utf-8`, body, { httpStatus: 426 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toEqual([]);
    expect(r.problem).toMatchObject({ type: 'https://example.com/probs/upgrade-required', title: 'Upgrade Required', status: 426, instance: '/v1/orders' });
    expect(r.problem.extensions).toEqual({
      migration_guide: 'https://docs.example.com/migrate-to-h2',
      deadline: '2026-01-31T00:00:00.000Z',
      see_also: { docs: ['ftp://not-http', 'http://example.com/a'] },
    });
    expect(r.problem.links).toEqual([
      { pointer: '/type', url: 'https://example.com/probs/upgrade-required' },
      { pointer: '/migration_guide', url: 'https://docs.example.com/migrate-to-h2' },
      { pointer: '/see_also/docs/1', url: 'http://example.com/a' },
    ]);
    expect(findProblemLink(r.problem, /guide/)?.url).toBe('https://docs.example.com/migrate-to-h2');
  });

  it('defaults type to about:blank', () => {
    const r = parseProblem(CT, '{}');
    expect(r).toEqual({ ok: true, problem: { type: 'about:blank', extensions: {}, links: [] }, warnings: [] });
  });

  it('ignores and reports wrong-typed members (RFC 9457 §3.1)', () => {
    const r = parseProblem(CT, '{"type":1,"status":"426","title":null,"detail":["x"],"instance":{},"ok_member":1}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.problem).toEqual({ type: 'about:blank', extensions: { ok_member: 1 }, links: [] });
    expect(r.warnings.map((w) => [w.code, w.pointer])).toEqual([
      ['member-wrong-type', '/type'],
      ['member-wrong-type', '/status'],
      ['member-wrong-type', '/title'],
      ['member-wrong-type', '/detail'],
      ['member-wrong-type', '/instance'],
    ]);
  });

  it('checks status range and agreement with the response', () => {
    const r1 = parseProblem(CT, '{"status":426.5}');
    expect(r1.ok && r1.warnings[0]?.code).toBe('member-wrong-type');
    const r2 = parseProblem(CT, '{"status":42}');
    expect(r2.ok && r2.warnings[0]?.code).toBe('status-out-of-range');
    const r3 = parseProblem(CT, '{"status":400}', { httpStatus: 426 });
    expect(r3.ok && [r3.problem.status, r3.warnings[0]?.code]).toEqual([400, 'status-mismatch']);
  });

  it('warns on unusual extension names and non-UTF-8 charsets; escapes pointers', () => {
    const r = parseProblem(`${CT}; charset=iso-8859-1`, '{"a/b~":"https://x.test/"}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.map((w) => w.code)).toEqual(['charset-not-utf8', 'extension-name-unusual']);
    expect(r.problem.links).toEqual([{ pointer: '/a~1b~0', url: 'https://x.test/' }]);
  });

  it('keeps a __proto__ member as data', () => {
    const r = parseProblem(CT, '{"__proto__":{"polluted":true}}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.getPrototypeOf(r.problem.extensions)).toBe(Object.prototype);
    expect(Object.keys(r.problem.extensions)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('bounds extension members', () => {
    const o: Record<string, number> = {};
    for (let i = 0; i < 100; i++) o[`member_${i}`] = i;
    const r = parseProblem(CT, JSON.stringify(o));
    expect(r.ok && Object.keys(r.problem.extensions).length).toBe(64);
    expect(r.ok && r.warnings.filter((w) => w.code === 'extensions-truncated').length).toBe(1);
  });

  test.each([
    ['text/html', '<h1>426</h1>', 'not-problem', false],
    ['application/json', '{"title":"x"}', 'not-problem', false],
    ['application/problem+xml', '<problem xmlns="urn:ietf:rfc:7807"/>', 'xml-not-parsed', true],
    [CT, '{"title":', 'invalid-json', true],
    [CT, '[1,2]', 'not-an-object', true],
    [CT, 'null', 'not-an-object', true],
    [CT, ' '.repeat(MAX_PROBLEM_BODY + 1), 'too-large', true],
  ])('%s %j → %s', (ct, body, reason, recognized) => {
    expect(parseProblem(ct, body)).toMatchObject({ ok: false, reason, recognized });
  });

  it('accepts a leading BOM', () => {
    expect(parseProblem(CT, '\ufeff{"title":"t"}').ok).toBe(true);
  });

  it('never throws on random or deeply nested JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json({ maxDepth: 6 })), (body) => void parseProblem(CT, body)),
      { numRuns: 300 },
    );
    expect(parseProblem(CT, '{"x":' + '['.repeat(20000) + ']'.repeat(20000) + '}').ok).toBe(true);
  });
});
