import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { formatHttpDate, parseHttpDate, parseParams, readQuoted, splitList } from './fields.js';

describe('splitList', () => {
  it('respects quoted strings and angle brackets', () => {
    expect(splitList('a, "b,\\"c", d').items).toEqual(['a', '"b,\\"c"', 'd']);
    expect(splitList('<http://x/a,b>; rel=x, <y>', true).items).toEqual(['<http://x/a,b>; rel=x', '<y>']);
  });
  it('reports unterminated quotes', () => {
    expect(splitList('a, "b').error).toMatch(/quoted/);
    expect(splitList('<a, b', true).error).toMatch(/URI/);
  });
  it('is total', () => {
    fc.assert(fc.property(fc.string(), fc.boolean(), (s, a) => void splitList(s, a)), { numRuns: 300 });
  });
});

describe('readQuoted / parseParams', () => {
  it('unescapes', () => {
    expect(readQuoted('"a\\"b" rest', 0)).toEqual({ value: 'a"b', end: 6 });
    expect(readQuoted('"open', 0)).toBeUndefined();
  });
  it('parses token and quoted values and bare names', () => {
    expect(parseParams(' ; REL = "next prev" ;type=text/html; crossorigin')).toEqual({
      params: [['rel', 'next prev'], ['type', 'text/html'], ['crossorigin', undefined]],
    });
    expect(parseParams('; =x').error).toBeDefined();
  });
});

describe('HTTP-date (RFC 9110 §5.6.7 examples)', () => {
  test.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', 'imf-fixdate'],
    ['Sunday, 06-Nov-94 08:49:37 GMT', 'rfc850'],
    ['Sun Nov  6 08:49:37 1994', 'asctime'],
  ])('%s', (s, form) => {
    const r = parseHttpDate(s, new Date('2025-01-01T00:00:00Z'));
    expect(r?.form).toBe(form);
    expect(r?.date.toISOString()).toBe('1994-11-06T08:49:37.000Z');
  });
  test.each(['', '1994-11-06', 'Sun, 31 Feb 1994 08:49:37 GMT', 'Sun, 06 Foo 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 25:49:37 GMT', 'Sun, 06 Nov 1994 08:49:37 UTC'])(
    'rejects %j',
    (s) => expect(parseHttpDate(s)).toBeUndefined(),
  );
  it('round-trips formatHttpDate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799 }), (sec) => {
        const d = new Date(sec * 1000);
        expect(parseHttpDate(formatHttpDate(d))?.date.getTime()).toBe(d.getTime());
      }),
      { numRuns: 300 },
    );
  });
});
