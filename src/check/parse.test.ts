import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatChecksFileError, parseChecksFile, type ParseChecksOptions } from './parse.js';
import { parsePin } from './values.js';

/** The errors of a bad file as [line, message]; fails the test if the file parses. */
function errorsOf(text: string, opts: ParseChecksOptions = {}): Array<[number, string]> {
  const r = parseChecksFile(text, 'checks.yaml', opts);
  if (r.ok) throw new Error('expected errors, the file parsed');
  for (const e of r.errors) expect(e.file).toBe('checks.yaml');
  return r.errors.map((e) => [e.line, e.message]);
}

const lines = (...ls: string[]): string => ls.join('\n') + '\n';

const GOOD = lines(
  'version: 1', //                                    1
  'environments:', //                                 2
  '  prod:', //                                       3
  '    baseUrl: https://api.example.com/base/', //    4
  '    resolve: ["api.example.com:443:127.0.0.1,::1"]', // 5
  '    variables: { TOKEN: abc, N: 5 }', //           6
  '  lab:', //                                        7
  '    baseUrl: http://127.0.0.1:${PORT}', //         8
  'checks:', //                                       9
  '  - name: health', //                              10
  '    url: /health', //                              11
  '    headers: { Authorization: "Bearer ${TOKEN}" }', // 12
  '    expect: { protocol: h2, minTls: 1.2, alpnIncludes: h2 }', // 13
  '  - name: absolute', //                            14
  '    url: https://other.example/x?y=${N}', //       15
  '    method: HEAD', //                              16
  '    expect: { maxSeverity: warning }', //          17
);

describe('parseChecksFile: good files', () => {
  it('parses, normalises and records each check line', () => {
    const r = parseChecksFile(GOOD, 'checks.yaml');
    if (!r.ok) throw new Error(r.errors.map(formatChecksFileError).join('\n'));
    expect(r.checkLines).toEqual([10, 14]);
    expect(r.plan).toBeUndefined();
    expect(r.file.checks[0]!.expect).toEqual({ protocol: 'h2', minTls: '1.2', alpnIncludes: ['h2'] });
    expect(r.file.environments!.prod!.variables).toEqual({ TOKEN: 'abc', N: '5' });
  });

  it('plans an environment: joins paths to baseUrl, fills variables, splits pins', () => {
    const r = parseChecksFile(GOOD, 'checks.yaml', { env: 'prod' });
    if (!r.ok) throw new Error(r.errors.map(formatChecksFileError).join('\n'));
    expect(r.plan!.environment).toEqual({
      name: 'prod',
      baseUrl: 'https://api.example.com/base/',
      resolve: [
        { host: 'api.example.com', port: 443, address: '127.0.0.1' },
        { host: 'api.example.com', port: 443, address: '::1' },
      ],
    });
    expect(r.plan!.checks).toEqual([
      {
        name: 'health',
        env: 'prod',
        url: 'https://api.example.com/base/health',
        method: 'GET',
        headers: { Authorization: 'Bearer abc' },
        expect: { protocol: 'h2', minTls: '1.2', alpnIncludes: ['h2'] },
        line: 10,
      },
      {
        name: 'absolute',
        env: 'prod',
        url: 'https://other.example/x?y=5',
        method: 'HEAD',
        headers: {},
        expect: { maxSeverity: 'warning' },
        line: 14,
      },
    ]);
  });

  it('takes variables missing from the environment from the process environment', () => {
    const r = parseChecksFile(GOOD, 'checks.yaml', { env: 'lab', processEnv: { PORT: '8080', TOKEN: 'env', N: '1' } });
    if (!r.ok) throw new Error(r.errors.map(formatChecksFileError).join('\n'));
    expect(r.plan!.checks.map((c) => c.url)).toEqual(['http://127.0.0.1:8080/health', 'https://other.example/x?y=1']);
    expect(r.plan!.checks[0]!.headers).toEqual({ Authorization: 'Bearer env' });
  });

  it('prefers the file variables over the process environment, and keeps $${ literal', () => {
    const text = lines(
      'version: 1',
      'environments: { e: { variables: { A: file } } }',
      'checks:',
      '  - { name: a, url: "https://x.test/${A}/$${B}", expect: { protocol: h2 } }',
    );
    const r = parseChecksFile(text, 'c.yaml', { env: 'e', processEnv: { A: 'env' } });
    expect(r.ok && r.plan!.checks[0]!.url).toBe('https://x.test/file/$%7BB%7D');
  });
});

describe('parseChecksFile: bad files point at the offending line', () => {
  const cases: Array<[string, string, Array<[number, RegExp]>, ParseChecksOptions?]> = [
    ['YAML syntax error', lines('version: 1', 'checks:', '  - name: [a', '    url: /x'), [[4, /^YAML: /]]],
    ['duplicate YAML key', lines('version: 1', 'checks: []', 'version: 1'), [[3, /YAML: Map keys must be unique/]]],
    ['tab indentation', lines('version: 1', 'checks:', '\t- name: a'), [[3, /^YAML: /]]],
    ['empty file', '', [[1, /the file is empty/]]],
    ['a list, not a mapping', lines('- 1'), [[1, /the file must be a mapping, not a list/]]],
    ['missing version', lines('checks:', '  - { name: a, url: "https://a.test", expect: { protocol: h2 } }'), [[1, /missing the required key 'version'/]]],
    ['wrong version', lines('version: 2', 'checks:', '  - { name: a, url: "https://a.test", expect: { protocol: h2 } }'), [[1, /version must be 1, not 2/]]],
    ['no checks', lines('version: 1', 'checks: []'), [[2, /checks must have at least 1 item/]]],
    [
      'unknown top-level key, did you mean',
      lines('version: 1', 'enviroments: {}', 'checks:', '  - { name: a, url: "https://a.test", expect: { protocol: h2 } }'),
      [[2, /unknown key 'enviroments' in the file \(did you mean 'environments'\?\)/]],
    ],
    [
      'unknown key in expect, did you mean; and one too far from anything',
      lines('version: 1', 'checks:', '  - name: a', '    url: https://a.test', '    expect:', '      protocl: h2', '      banana: 1'),
      [
        [6, /unknown key 'protocl' in expect \(did you mean 'protocol'\?\)/],
        [7, /^unknown key 'banana' in expect$/],
      ],
    ],
    [
      'unknown status protocol',
      lines('version: 1', 'checks:', '  - name: a', '    url: https://a.test', '    expect:', '      status:', '        http1.1: 426'),
      [[7, /unknown key 'http1.1' in status \(did you mean 'http\/1.1'\?\)/]],
    ],
    [
      'unknown finding code',
      lines('version: 1', 'checks:', '  - name: a', '    url: https://a.test', '    expect:', '      noFindings:', '        - alpn-no-h2', '        - cert-expird'),
      [[8, /unknown finding code 'cert-expird' \(did you mean 'cert-expired'\?\)/]],
    ],
    [
      'a finding code listed twice',
      lines('version: 1', 'checks:', '  - name: a', '    url: https://a.test', '    expect:', '      noFindings:', '        - alpn-no-h2', '        - alpn-no-h2'),
      [[8, /noFindings lists 'alpn-no-h2' twice/]],
    ],
    [
      'enum values',
      lines('version: 1', 'checks:', '  - name: a', '    url: https://a.test', '    expect:', '      protocol: h3', '      maxSeverity: warn', '      minTls: 1.4'),
      [
        [6, /protocol must be one of 'h2', 'h2c', 'http\/1.1', not 'h3'/],
        [7, /maxSeverity must be one of .* not 'warn' \(did you mean 'warning'\?\)/],
        [8, /minTls must be one of '1.0', '1.1', '1.2', '1.3', not 1.4/],
      ],
    ],
    [
      'types and ranges',
      lines(
        'version: 1',
        'checks:',
        '  - name: a',
        '    url: 42',
        '    expect:',
        '      status: { h2: 99 }',
        '      certValidDays: -1',
        '      http1: { problemDetails: { detail: yes } }',
        '      alpnIncludes: 5',
      ),
      [
        [4, /url must be a string, not 42/],
        [6, /h2 must be >= 100, not 99/],
        [7, /certValidDays must be >= 0, not -1/],
        [8, /detail must be true or false, not 'yes'/],
        [9, /alpnIncludes must be a string or a list, not 5/],
      ],
    ],
    [
      'null value points at its key',
      lines('version: 1', 'checks:', '  - name: a', '    url:', '    expect: { protocol: h2 }'),
      [[4, /url must be a string, not nothing/]],
    ],
    [
      'empty expect, missing name',
      lines('version: 1', 'checks:', '  - url: https://a.test', '    expect: {}'),
      [
        [3, /check is missing the required key 'name'/],
        [4, /expect needs at least one expectation/],
      ],
    ],
    [
      'duplicate check names',
      lines(
        'version: 1',
        'checks:',
        '  - name: same',
        '    url: https://a.test',
        '    expect: { protocol: h2 }',
        '  - name: same',
        '    url: https://b.test',
        '    expect: { protocol: h2 }',
      ),
      [[6, /duplicate check name 'same' \(first used on line 3\)/]],
    ],
    [
      'bad URLs',
      lines(
        'version: 1',
        'environments:',
        '  e:',
        '    baseUrl: /relative',
        '    proxy: socks5://127.0.0.1:1080',
        'checks:',
        '  - { name: a, url: "ftp://a.test/", expect: { protocol: h2 } }',
        '  - { name: b, url: "localhost:8443/x", expect: { protocol: h2 } }',
        '  - { name: c, url: "https://", expect: { protocol: h2 } }',
      ),
      [
        [4, /baseUrl '\/relative' must be an absolute URL/],
        [5, /proxy 'socks5:\/\/127.0.0.1:1080' must use http or https/],
        [7, /url 'ftp:\/\/a.test\/' must use http, https, ws or wss/],
        [8, /did you forget 'https:\/\/'\?/],
        [9, /url 'https:\/\/' is not a valid URL/],
      ],
    ],
    [
      'a path with no baseUrl anywhere',
      lines('version: 1', 'checks:', '  - { name: a, url: /health, expect: { protocol: h2 } }'),
      [[3, /url '\/health' is a path, but no environment defines a baseUrl/]],
    ],
    [
      'bad resolve pins, names and methods',
      lines(
        'version: 1',
        'environments:',
        '  "bad env": {}',
        '  e:',
        '    baseUrl: https://a.test',
        '    resolve:',
        '      - a.test:443',
        '      - a.test:70000:127.0.0.1',
        '      - a.test:443:not-an-ip',
        '      - a.test:443:256.1.1.1',
        '    variables: { 9lives: x }',
        'checks:',
        '  - { name: a, url: /x, method: "GET X", headers: { "bad header": v }, expect: { protocol: h2 } }',
      ),
      [
        [3, /environment name 'bad env'/],
        [7, /resolve entry 'a.test:443' must look like host:port:address/],
        [8, /port 70000 is not between 1 and 65535/],
        [9, /'not-an-ip' is not an IP address/],
        [10, /'256.1.1.1' is not an IP address/],
        [11, /variable name '9lives'/],
        [13, /method 'GET X' is not an HTTP method name/],
        [13, /header name 'bad header'/],
      ],
    ],
    [
      'bad templates',
      lines('version: 1', 'environments: { e: { baseUrl: "https://${HOST" } }', 'checks:', '  - { name: a, url: "/${a-b}", expect: { protocol: h2 } }'),
      [
        [2, /unterminated '\$\{'/],
        [4, /invalid variable name 'a-b'/],
      ],
    ],
    [
      'unknown environment',
      lines('version: 1', 'environments:', '  prod: {}', '  staging: {}', 'checks:', '  - { name: a, url: "https://a.test", expect: { protocol: h2 } }'),
      [[2, /unknown environment 'stagin' \(did you mean 'staging'\?\); the file defines 'prod', 'staging'/]],
      { env: 'stagin' },
    ],
    [
      'environment asked for, none defined',
      lines('version: 1', 'checks:', '  - { name: a, url: "https://a.test", expect: { protocol: h2 } }'),
      [[1, /unknown environment 'prod'; the file defines no environments/]],
      { env: 'prod' },
    ],
    [
      'undefined variables, at the line using them',
      lines(
        'version: 1',
        'environments:',
        '  e:',
        '    baseUrl: https://a.test',
        '  f: { variables: { X: y } }',
        'checks:',
        '  - name: a',
        '    url: /${MISSING}',
        '    headers:',
        '      X-Token: ${TOKEN}',
        '    expect: { protocol: h2 }',
      ),
      [
        [8, /undefined variable 'MISSING' in url: not in environments.e.variables nor the process environment/],
        [10, /undefined variable 'TOKEN' in header X-Token/],
      ],
      { env: 'e' },
    ],
    [
      'a path in an environment without baseUrl',
      lines('version: 1', 'environments:', '  e: {}', '  f: { baseUrl: "https://a.test" }', 'checks:', '  - { name: a, url: /x, expect: { protocol: h2 } }'),
      [[6, /url '\/x' is a path, but environment 'e' has no baseUrl/]],
      { env: 'e' },
    ],
    [
      'a variable that makes a bad URL',
      lines('version: 1', 'environments:', '  e: { variables: { U: "gopher://a" } }', 'checks:', '  - { name: a, url: "${U}/x", expect: { protocol: h2 } }'),
      [[5, /url 'gopher:\/\/a\/x' must use http, https, ws or wss/]],
      { env: 'e' },
    ],
  ];

  it.each(cases)('%s', (_name, text, expected, opts) => {
    const got = errorsOf(text, opts);
    expect(got.length, JSON.stringify(got)).toBe(expected.length);
    expected.forEach(([line, re], i) => {
      expect(got[i]![0], JSON.stringify(got[i])).toBe(line);
      expect(got[i]![1]).toMatch(re);
    });
  });

  it('gives columns too, formatted as file:line:column: message', () => {
    const r = parseChecksFile(lines('version: 1', 'checks:', '  - name: a', '    url: https://a.test', '    expect:', '      protocl: h2'), 'dir/c.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ file: 'dir/c.yaml', line: 6, column: 7 });
    expect(formatChecksFileError(r.errors[0]!)).toBe("dir/c.yaml:6:7: unknown key 'protocl' in expect (did you mean 'protocol'?)");
  });

  it('sorts errors by position and reports a check once per problem', () => {
    const got = errorsOf(lines('version: 3', 'checks:', '  - { name: a, url: x, expect: { protocol: h9 } }', 'extra: 1'));
    const ls = got.map(([l]) => l);
    expect(ls).toEqual([...ls].sort((a, b) => a - b));
    expect(new Set(got.map(([l, m]) => `${l}${m}`)).size).toBe(got.length);
  });

  it('stops alias bombs', () => {
    const bomb = lines('a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]');
    expect(errorsOf(bomb)[0]![1]).toMatch(/^YAML: /);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.option(fc.string({ maxLength: 10 }), { nil: undefined }), (text, env) => {
        const r = parseChecksFile(text, 'f.yaml', env === undefined ? {} : { env });
        if (!r.ok) for (const e of r.errors) expect(e.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on structurally plausible files either', () => {
    const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
    const key = fc.constantFrom('version', 'checks', 'environments', 'name', 'url', 'expect', 'protocol', 'status', 'h2', 'baseUrl', 'resolve', 'variables', 'x');
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
    })).v;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5 }), (obj) => {
        const r = parseChecksFile(JSON.stringify(obj), 'f.json', { env: 'x' });
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('parsePin', () => {
  it.each([
    ['a.test:443:127.0.0.1', [{ host: 'a.test', port: 443, address: '127.0.0.1' }]],
    ['a.test:443:[::1]', [{ host: 'a.test', port: 443, address: '::1' }]],
    ['[::1]:8443:::1', [{ host: '::1', port: 8443, address: '::1' }]],
    ['a.test:80:10.0.0.1,10.0.0.2', [{ host: 'a.test', port: 80, address: '10.0.0.1' }, { host: 'a.test', port: 80, address: '10.0.0.2' }]],
  ])('%s', (pin, pins) => {
    expect(parsePin(pin)).toEqual({ ok: true, pins });
  });

  it.each(['a.test:0:127.0.0.1', 'a.test:443:01.2.3.4', 'a.test:443:example.com', 'nocolon'])('rejects %s', (pin) => {
    expect(parsePin(pin).ok).toBe(false);
  });
});
