import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { formatDeprecation, parseDeprecation, parseLink, parseSunset, pickAnnouncementLinks, readDeprecationInfo } from './deprecation.js';

describe('parseDeprecation', () => {
  test.each([
    // RFC 9745 §2.1 example
    ['@1688169599', { malformed: false, form: 'rfc9745-date', deprecated: true, date: '2023-06-30T23:59:59.000Z' }],
    ['  @0 ;foo=1', { malformed: false, form: 'rfc9745-date', deprecated: true, date: '1970-01-01T00:00:00.000Z' }],
    ['true', { malformed: false, form: 'draft-boolean', deprecated: true }],
    ['?1', { malformed: false, form: 'draft-boolean', deprecated: true }],
    ['?0', { malformed: false, form: 'draft-boolean', deprecated: false }],
    ['Sun, 11 Nov 2018 23:59:59 GMT', { malformed: false, form: 'draft-http-date', deprecated: true, date: '2018-11-11T23:59:59.000Z' }],
  ])('%j', (v, expected) => expect(parseDeprecation(v)).toEqual(expected));

  test.each(['', '@', '@1.5', '@999999999999999', 'yes', '1688169599', '@1, @2'])('malformed %j', (v) => {
    expect(parseDeprecation(v)?.malformed).toBe(true);
  });

  it('is absent when the field is', () => expect(parseDeprecation(undefined)).toBeUndefined());
  it('reports a repeated field', () => expect(parseDeprecation(['@1', '@2'])).toMatchObject({ malformed: true, reason: /more than one/ }));

  it('round-trips formatDeprecation', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e12, max: 8.64e12 }), (sec) => {
        const r = parseDeprecation(formatDeprecation(new Date(sec * 1000)));
        expect(r).toMatchObject({ malformed: false, form: 'rfc9745-date' });
        expect(r && !r.malformed && new Date(r.date!).getTime()).toBe(sec * 1000);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseSunset', () => {
  it('parses the RFC 8594 §3 example', () => {
    expect(parseSunset('Sat, 31 Dec 2018 23:59:59 GMT')).toEqual({ malformed: false, date: '2018-12-31T23:59:59.000Z', form: 'imf-fixdate' });
  });
  test.each([['2018-12-31'], ['@1688169599'], [['Sat, 31 Dec 2018 23:59:59 GMT', 'Sat, 31 Dec 2019 23:59:59 GMT']]])('malformed %j', (v) => {
    expect(parseSunset(v)?.malformed).toBe(true);
  });
  it('is absent when the field is', () => expect(parseSunset(undefined)).toBeUndefined());
});

describe('parseLink', () => {
  it('parses several links, quoted params and rel lists', () => {
    const h = parseLink(
      [
        '<https://developer.example.com/deprecation>; rel="deprecation"; type="text/html", <https://example.com/policy>;rel=sunset',
        '</v2/orders>; REL="Successor-Version alternate"; title="v2, the \\"new\\" one"; rel=ignored',
      ],
      'https://api.example.com/v1/orders',
    );
    expect(h.errors).toEqual([]);
    expect(h.links).toEqual([
      { href: 'https://developer.example.com/deprecation', target: 'https://developer.example.com/deprecation', rels: ['deprecation'], params: { type: 'text/html' } },
      { href: 'https://example.com/policy', target: 'https://example.com/policy', rels: ['sunset'], params: {} },
      { href: '/v2/orders', target: 'https://api.example.com/v2/orders', rels: ['successor-version', 'alternate'], params: { title: 'v2, the "new" one' } },
    ]);
    const picked = pickAnnouncementLinks(h.links);
    expect(picked.deprecation.map((l) => l.href)).toEqual(['https://developer.example.com/deprecation']);
    expect(picked.sunset.length).toBe(1);
    expect(picked.successorVersion.map((l) => l.target)).toEqual(['https://api.example.com/v2/orders']);
    expect(picked.alternate.length).toBe(1);
  });

  it('keeps commas inside <…>', () => {
    expect(parseLink('<https://x.test/a,b>; rel=next').links[0]?.href).toBe('https://x.test/a,b');
  });

  it('skips bad link-values and reports them', () => {
    const h = parseLink('https://no-brackets; rel=x, <https://ok.test/>; rel=next; title="open');
    expect(h.links.map((l) => [l.href, l.rels])).toEqual([['https://ok.test/', ['next']]]);
    expect(h.errors).toEqual([expect.stringMatching(/unterminated/), expect.stringMatching(/no-brackets/), expect.stringMatching(/ok.test.*unterminated/)]);
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.string(), fc.option(fc.constantFrom('https://a.test/x/y', 'not a base')), (s, base) => void parseLink(s, base ?? undefined)), { numRuns: 300 });
  });
});

describe('readDeprecationInfo', () => {
  it('summarises the three fields', () => {
    const info = readDeprecationInfo({
      deprecation: '@1688169599',
      sunset: 'Sat, 31 Dec 2033 23:59:59 GMT',
      link: '<https://d.test/>; rel="deprecation"',
    });
    expect(info.announced).toBe(true);
    expect(info.deprecation).toMatchObject({ date: '2023-06-30T23:59:59.000Z' });
    expect(info.sunset).toMatchObject({ date: '2033-12-31T23:59:59.000Z' });
    expect(info.links.deprecation.length).toBe(1);
  });
  it('announces nothing for nothing', () => {
    expect(readDeprecationInfo({}).announced).toBe(false);
    expect(readDeprecationInfo({ deprecation: 'nonsense' }).announced).toBe(false);
    expect(readDeprecationInfo({ link: '<https://s.test/>; rel=sunset' }).announced).toBe(true);
  });
});
