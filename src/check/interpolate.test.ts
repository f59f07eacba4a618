import { describe, expect, it } from 'vitest';
import { interpolate, parseTemplate, templateNames } from './interpolate.js';
import { didYouMean, editDistance, suggest } from './suggest.js';

describe('interpolate', () => {
  const vars: Record<string, string> = { HOST: 'a.test', PORT: '8443' };
  const lookup = (n: string): string | undefined => vars[n];

  it.each([
    ['https://${HOST}:${PORT}/x', 'https://a.test:8443/x'],
    ['no vars', 'no vars'],
    ['$${HOST} is literal', '${HOST} is literal'],
    ['$HOST and $ alone', '$HOST and $ alone'],
    ['', ''],
  ])('%s', (input, out) => {
    expect(interpolate(input, lookup)).toEqual({ ok: true, value: out });
  });

  it('lists undefined names once each', () => {
    expect(interpolate('${A}${B}${A}', lookup)).toEqual({ ok: false, message: "undefined variables 'A', 'B'", missing: ['A', 'B'] });
  });

  it('rejects unterminated references and bad names', () => {
    expect(parseTemplate('${HOST').ok).toBe(false);
    expect(parseTemplate('${}').ok).toBe(false);
    expect(parseTemplate('${1A}').ok).toBe(false);
    const t = parseTemplate('${A}/${B}/${A}');
    expect(t.ok && templateNames(t.parts)).toEqual(['A', 'B']);
  });
});

describe('suggest', () => {
  it('finds slips, swaps, clipped words and case, and nothing far off', () => {
    expect(suggest('protocl', ['protocol', 'minTls'])).toBe('protocol');
    expect(suggest('mintls', ['protocol', 'minTls'])).toBe('minTls');
    expect(suggest('porotcol', ['protocol'])).toBe('protocol');
    expect(suggest('warn', ['ok', 'info', 'warning'])).toBe('warning');
    expect(suggest('banana', ['protocol', 'minTls'])).toBeUndefined();
    expect(didYouMean('h3', ['h2', 'h2c'])).toBe(" (did you mean 'h2'?)");
    expect(didYouMean('zzz', ['h2'])).toBe('');
  });

  it('editDistance counts an adjacent swap as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
