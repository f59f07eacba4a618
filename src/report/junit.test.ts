import { describe, expect, it } from 'vitest';
import { escapeXmlAttr, escapeXmlText, stripInvalidXmlChars, toJUnitXml } from './junit.js';
import type { CheckResult } from '../model/index.js';

const results: CheckResult[] = [
  { name: 'api speaks h2', env: 'prod', url: 'https://a.test/', passed: true, failures: [], durationMs: 120 },
  {
    name: 'legacy <426> & "quotes"',
    env: 'prod',
    url: 'https://a.test/legacy?a=1&b=2',
    passed: false,
    failures: [
      { expectation: 'http1.status', expected: '426', actual: '200', message: 'expected HTTP/1.1 status 426, got 200' },
      { expectation: 'protocol', expected: 'h2', actual: 'http/1.1', message: 'expected protocol h2, negotiated http/1.1' },
    ],
    durationMs: 1500,
  },
  { name: 'ws', env: 'staging', url: 'wss://b.test/', passed: false, failures: [], durationMs: 3, error: 'connect ECONNREFUSED\u0000 bad\u0007 bytes' },
];

/** A tiny XML reader: enough to check well-formedness (balanced tags) and read the tree back. */
interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

function unescape(s: string): string {
  return s.replace(/&(#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
    e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e]!,
  );
}

function parseXml(xml: string): El {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const root: El = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: El[] = [root];
  const re = /<(\/?)([A-Za-z]+)((?:\s+[A-Za-z]+="[^"<]*")*)\s*(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(body)) !== null) {
    expect(m.index, `unparsable XML at ${m.index}`).toBe(consumed);
    consumed = re.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) {
      expect(m[5]).not.toMatch(/[<&](?!#\d+;|lt;|gt;|amp;|quot;|apos;)/);
      top.text += unescape(m[5]);
      continue;
    }
    if (m[1] === '/') {
      expect(top.name).toBe(m[2]);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of m[3]!.matchAll(/([A-Za-z]+)="([^"]*)"/g)) attrs[a[1]!] = unescape(a[2]!);
    const el: El = { name: m[2]!, attrs, children: [], text: '' };
    top.children.push(el);
    if (m[4] !== '/') stack.push(el);
  }
  expect(consumed).toBe(body.length);
  expect(stack).toHaveLength(1);
  expect(root.children.filter((c) => c.name !== '#text')).toHaveLength(1);
  return root.children[0]!;
}

describe('toJUnitXml', () => {
  const xml = toJUnitXml(results, { timestamp: new Date('2026-01-02T03:04:05.678Z') });
  const tree = parseXml(xml);

  it('has the testsuites / testsuite / testcase / failure shape, one suite per environment', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(tree.name).toBe('testsuites');
    expect(tree.attrs).toMatchObject({ tests: '3', failures: '1', errors: '1', time: '1.623' });
    const suites = tree.children;
    expect(suites.map((s) => s.name)).toEqual(['testsuite', 'testsuite']);
    expect(suites[0]!.attrs).toEqual({
      name: 'h2doctor check (prod)',
      tests: '2',
      failures: '1',
      errors: '0',
      skipped: '0',
      time: '1.620',
      timestamp: '2026-01-02T03:04:05',
    });
    expect(suites[1]!.attrs).toMatchObject({ name: 'h2doctor check (staging)', tests: '1', failures: '0', errors: '1' });
  });

  it('writes testcases with classname, name and time; a failure lists every failed expectation', () => {
    const [ok, bad] = tree.children[0]!.children;
    expect(ok).toMatchObject({ name: 'testcase', attrs: { classname: 'h2doctor.prod', name: 'api speaks h2', time: '0.120' }, children: [] });
    expect(bad!.attrs.name).toBe('legacy <426> & "quotes"');
    const failure = bad!.children[0]!;
    expect(failure.name).toBe('failure');
    expect(failure.attrs).toEqual({ message: 'expected HTTP/1.1 status 426, got 200 (and 1 more)', type: 'http1.status,protocol' });
    expect(failure.text).toBe(
      [
        'https://a.test/legacy?a=1&b=2',
        'http1.status: expected HTTP/1.1 status 426, got 200 (expected 426, actual 200)',
        'protocol: expected protocol h2, negotiated http/1.1 (expected h2, actual http/1.1)',
      ].join('\n'),
    );
  });

  it('writes an <error> for a check that could not run, without characters XML forbids', () => {
    const err = tree.children[1]!.children[0]!.children[0]!;
    expect(err.name).toBe('error');
    expect(err.attrs.message).toBe('connect ECONNREFUSED bad bytes');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  });

  it('is well-formed for an empty run', () => {
    expect(parseXml(toJUnitXml([], { timestamp: new Date(0) })).attrs).toMatchObject({ tests: '0', failures: '0', errors: '0' });
  });
});

describe('XML escaping', () => {
  it('escapes text and attributes', () => {
    expect(escapeXmlText('a<b>&c "d"\r\n')).toBe('a&lt;b&gt;&amp;c "d"&#13;\n');
    expect(escapeXmlAttr('a<b>&c "d" \'e\'\n\t')).toBe('a&lt;b&gt;&amp;c &quot;d&quot; &apos;e&apos;&#10;&#9;');
  });

  it('strips characters outside XML 1.0 Char, keeps the rest (astral too)', () => {
    expect(stripInvalidXmlChars('a\u0000b\u001Fc\uFFFEd\uFFFFe\uD800f\uDC00g')).toBe('abcdefg');
    expect(stripInvalidXmlChars('\t\n\r é ✓ 😀 \uE000\uFFFD')).toBe('\t\n\r é ✓ 😀 \uE000\uFFFD');
  });
});
