/**
 * Bad user input gets one clear line on stderr and exit 2 (issue 12 item 8), from the built CLI:
 *   - a --resolve pin that names another host (an IDN host compares in its xn-- form either way);
 *   - checks-file variables that refer to each other;
 *   - option values that start with a dash: our words, never Node's raw "argument is ambiguous".
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = new URL('../dist/h2doctor.cjs', import.meta.url).pathname;
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1', HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
/** One line on stderr, exit 2, nothing on stdout. */
const usage = (r: ReturnType<typeof cli>) => {
  expect(r.code, r.err).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.trimEnd().split('\n'), r.err).toHaveLength(1);
  expect(r.err).not.toMatch(/ambiguous|ERR_PARSE_ARGS|\n\s+at /);
  return r.err;
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'h2d-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--resolve and the URL host', () => {
  test('a pin for another host is one line and exit 2, for diagnose and trace', () => {
    for (const cmd of [[], ['trace']]) {
      const err = usage(cli(...cmd, 'https://bücher.example:8443/', '--resolve', 'other.example:8443:127.0.0.1', '-m', '2'));
      expect(err).toBe("h2doctor: --resolve other.example:8443:127.0.0.1 does not match the URL's host xn--bcher-kva.example:8443 (bücher.example): pin it as xn--bcher-kva.example:8443:<address>\n");
      // The right host on another port is another pin, too.
      expect(usage(cli(...cmd, 'https://example.test:8443/', '--resolve', 'example.test:443:127.0.0.1', '-m', '2'))).toMatch(/does not match the URL's host example\.test:8443/);
    }
  });

  test('an IDN pin matches in either form (Unicode or xn--): the pinned address is used', () => {
    for (const pin of ['bücher.example:1:127.0.0.1', 'xn--bcher-kva.example:1:127.0.0.1', 'BÜCHER.example:1:127.0.0.1']) {
      const r = cli('https://bücher.example:1/', '--resolve', pin, '--json', '-m', '3');
      const report = JSON.parse(r.out) as { resolution: { source: string; addresses: string[] }; findings: Array<{ code: string }> };
      expect(report.resolution, pin).toMatchObject({ source: 'resolve-pin', addresses: ['127.0.0.1'] });
      expect(report.findings.map((f) => f.code), pin).toEqual(['tcp-refused']);
    }
  });
});

describe('checks-file variables', () => {
  const file = (vars: string, url: string) => {
    const f = join(dir, `checks-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(f, `version: 1\nenvironments:\n  prod:\n    variables:\n${vars}\nchecks:\n  - name: api\n    url: ${url}\n    expect:\n      protocol: h2\n`);
    return f;
  };

  test('variables that refer to each other: one line naming the loop, exit 2, before any connection', () => {
    const err = usage(cli('check', file('      A: "${B}"\n      B: "${A}"', 'https://${A}/'), '--env', 'prod'));
    expect(err).toMatch(/:9:10: variables 'A' → 'B' → 'A' refer to each other \(recursive\), in url\n$/);
    expect(usage(cli('check', file('      A: "x${A}"', 'https://${A}/'), '--env', 'prod'))).toMatch(/variables 'A' → 'A' refer to each other/);
  });

  test('a variable may use another; one that uses an undefined name says which', () => {
    const nested = cli('check', file('      HOST: "127.0.0.1"\n      URL: "http://${HOST}:1/"', '${URL}'), '--env', 'prod');
    expect(nested.out).toMatch(/http:\/\/127\.0\.0\.1:1\//);
    expect(nested.err).not.toMatch(/\$\{/);
    expect(usage(cli('check', file('      A: "${NOPE_NOT_SET_12}"', 'https://${A}/'), '--env', 'prod'))).toMatch(/variable 'A': undefined variable 'NOPE_NOT_SET_12'/);
  });
});

describe('option values that start with a dash', () => {
  test.each([
    [['https://example.invalid/', '-m', '-5']],
    [['https://example.invalid/', '--max-time', '--json']],
    [['https://example.invalid/', '--resolve', '-x']],
    [['https://example.invalid/', '-H', '-x']],
    [['trace', 'https://example.invalid/', '--timeout', '-1']],
    [['https://example.invalid/', '-x', '-H']],
    [['https://example.invalid/', '-m']],
  ])('%j: our one line, never Node\'s "argument is ambiguous"', (args) => {
    usage(cli(...args));
  });
});
