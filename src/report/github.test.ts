import { describe, expect, it } from 'vitest';
import { checkAnnotations, checksFileErrorAnnotations, escapeData, escapeProperty, formatAnnotation, isGitHubActions } from './github.js';

describe('GitHub Actions annotations', () => {
  it('escapes data: %, CR, LF (and % first)', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeData('%0A')).toBe('%250A');
  });

  it('escapes properties: also : and ,', () => {
    expect(escapeProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
  });

  it('formats a command with properties in order', () => {
    expect(formatAnnotation({ level: 'error', file: 'checks.yaml', line: 12, col: 3, title: 'h2: check, one', message: 'line1\nline2' })).toBe(
      '::error file=checks.yaml,line=12,col=3,title=h2%3A check%2C one::line1%0Aline2',
    );
    expect(formatAnnotation({ level: 'notice', message: 'hi' })).toBe('::notice::hi');
  });

  it('annotates failed and errored checks at their line, not passed ones', () => {
    const lines = checkAnnotations(
      [
        { name: 'ok', env: 'prod', url: 'https://a.test/', passed: true, failures: [], durationMs: 1, line: 3 },
        {
          name: 'bad',
          env: 'prod',
          url: 'https://a.test/x',
          passed: false,
          failures: [
            { expectation: 'protocol', expected: 'h2', actual: 'http/1.1', message: 'expected protocol h2, negotiated http/1.1' },
            { expectation: 'minTls', expected: '1.3', actual: '1.2', message: 'expected TLS 1.3 or newer, negotiated TLS 1.2' },
          ],
          durationMs: 1,
          line: 9,
        },
        { name: 'err', env: 'prod', url: 'https://b.test/', passed: false, failures: [], durationMs: 1, error: 'refused' },
      ],
      'ci/checks.yaml',
    );
    expect(lines).toEqual([
      '::error file=ci/checks.yaml,line=9,title=h2doctor check%3A bad (prod)::https://a.test/x:%0A- expected protocol h2, negotiated http/1.1%0A- expected TLS 1.3 or newer, negotiated TLS 1.2',
      '::error file=ci/checks.yaml,title=h2doctor check%3A err (prod)::https://b.test/: could not run: refused',
    ]);
  });

  it('annotates checks-file errors at line and column', () => {
    expect(checksFileErrorAnnotations([{ file: 'c.yaml', line: 4, column: 7, message: "unknown key 'x'" }])).toEqual([
      "::error file=c.yaml,line=4,col=7,title=h2doctor%3A bad checks file::unknown key 'x'",
    ]);
  });

  it('detects GitHub Actions only when GITHUB_ACTIONS is exactly true', () => {
    expect(isGitHubActions({ GITHUB_ACTIONS: 'true' })).toBe(true);
    expect(isGitHubActions({ GITHUB_ACTIONS: '1' })).toBe(false);
    expect(isGitHubActions({})).toBe(false);
  });
});

describe('checkSummaryMarkdown', () => {
  it('totals, a row per check (| escaped), then each failure and each check that could not run', async () => {
    const { checkSummaryMarkdown } = await import('./github.js');
    const md = checkSummaryMarkdown(
      [
        { name: 'a|b', env: 'prod', url: 'https://a.test/', passed: true, failures: [], durationMs: 4 },
        { name: 'c', env: 'prod', url: 'https://c.test/', passed: false, durationMs: 7, failures: [{ expectation: 'protocol', expected: 'h2', actual: 'http/1.1', message: 'expected protocol h2, negotiated http/1.1 <b>' }] },
        { name: 'd', env: 'prod', url: 'https://d.test/', passed: false, durationMs: 1, failures: [], error: 'could not connect: tcp-refused: refused' },
      ],
      { file: 'checks.yaml', env: 'prod', wall: 12 },
    );
    expect(md.split('\n')).toEqual([
      '### ❌ h2doctor check: checks.yaml (env prod)',
      '',
      '**1 passed, 1 failed, 1 could not run** (3 checks, 12 ms)',
      '',
      '| check | url | result | time |',
      '|---|---|---|---:|',
      '| a\\|b | https://a.test/ | ✅ pass | 4 ms |',
      '| c | https://c.test/ | ❌ fail | 7 ms |',
      '| d | https://d.test/ | ⚠️ could not run | 1 ms |',
      '',
      '**c** (https://c.test/)',
      '- `protocol`: expected protocol h2, negotiated http/1.1 &lt;b&gt;',
      '',
      '**d** (https://d.test/)',
      '- could not run: could not connect: tcp-refused: refused',
      '',
      '',
    ]);
  });
});
