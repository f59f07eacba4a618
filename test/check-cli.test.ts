/**
 * `h2doctor check` and `h2doctor init` as users run them: the built binary, real exit codes.
 * Bad files are refused with `file:line:column:` and exit 2 before any connection (a counting
 * server proves it); JUnit output has the shape of the common JUnit XSD; GitHub annotations.
 */
import { describe, expect, test, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseChecksFile } from '../src/check/parse.js';
import { validSarif, type SarifDoc } from './sarif-helpers.js';
import { labVariableNames, startLabScenarios, LAB_CA_VARIABLE } from '../src/cli/commands/lab-serve.js';
import { findScenario } from '../src/lab/scenarios.js';

const BIN = new URL('../dist/cli/main.js', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;

/** Proxy and CI variables of the outer environment must not steer these runs. */
const CLEAN = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(https?_proxy|all_proxy|no_proxy|github_actions)$/i.test(k)),
) as Record<string, string>;

function run(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...CLEAN, ...env }, cwd, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, stdout, stderr });
    });
  });
}

let dir: string;
let lab: Awaited<ReturnType<typeof startLabScenarios>>;
/** A TCP server that only counts connections: a refused file must not reach it. */
let counter: net.Server;
let connections = 0;
let counterPort = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'h2d-check-cli-'));
  lab = await startLabScenarios(['healthy-tls', 'tls-alpn-no-h2'].map((id) => findScenario(id)!), join(dir, 'pki'));
  counter = net.createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => counter.listen(0, '127.0.0.1', () => r()));
  counterPort = (counter.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await lab?.stop();
  await new Promise<void>((r) => (counter ? counter.close(() => r()) : r()));
  rmSync(dir, { recursive: true, force: true });
});

const H = labVariableNames('healthy-tls');
const B = labVariableNames('tls-alpn-no-h2');

/** Two checks; the second (line 14) expects h2 of the scenario that has none. */
const TWO_CHECKS = `version: 1
environments:
  lab:
    cacert: \${${LAB_CA_VARIABLE}}
    resolve: ["\${${H.pin}}", "\${${B.pin}}"]
checks:
  - name: healthy speaks h2
    url: \${${H.url}}
    expect:
      protocol: h2
      alpnIncludes: [h2, http/1.1]
      maxSeverity: ok

  - name: legacy speaks h2
    url: \${${B.url}}
    expect:
      protocol: h2
      maxSeverity: warning
`;

function writeChecks(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('examples/lab.yaml through the binary, served by lab --serve', () => {
  test('passes: exit 0, the table, "6 passed, 0 failed"', async () => {
    const junit = join(dir, 'lab-junit.xml');
    const r = await run(['lab', '--serve', '--', process.execPath, BIN, 'check', 'examples/lab.yaml', '--env', 'lab', '--junit', junit]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^check +url +result +time$/m);
    expect(r.stdout).toMatch(/^healthy-tls speaks h2 +https:\/\/localhost:\d+\/ +pass /m);
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed {2}\(\d+ checks, env lab, \d+ ms\)$/m);
    const suites = validateJUnit(readFileSync(junit, 'utf8'));
    expect(suites.failures).toBe(0);
    expect(suites.tests).toBeGreaterThanOrEqual(6);
  });

  test('lab --serve without a command prints export lines (checked with a short-lived server)', async () => {
    // Serving until interrupted cannot be awaited; the variables it prints are those a command gets.
    const r = await run(['lab', '--serve', 'healthy-tls', '--', process.execPath, '-e', `console.log(process.env.${H.url}, process.env.${H.pin}, process.env.${LAB_CA_VARIABLE})`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^https:\/\/localhost:(\d+)\/ localhost:\1:127\.0\.0\.1 \/\S+\/ca\.pem$/m);
  });
});

describe('a failing check', () => {
  const env = () => lab.vars;

  test('exit 1; the table gives each failure its reason; JUnit has the failure', async () => {
    const file = writeChecks('two.yaml', TWO_CHECKS);
    const junit = join(dir, 'two-junit.xml');
    const r = await run(['check', file, '--env', 'lab', '--junit', junit], env());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^healthy speaks h2 +https:\/\/localhost:\d+\/ +pass /m);
    expect(r.stdout).toMatch(/^legacy speaks h2 +https:\/\/localhost:\d+\/ +FAIL /m);
    expect(r.stdout).toMatch(/^ {4}protocol: expected protocol h2, negotiated http\/1\.1$/m);
    expect(r.stdout).toMatch(/^ {4}maxSeverity: expected nothing at error or above, found alpn-no-h2 \(error\)$/m);
    expect(r.stdout).toMatch(/^1 passed, 1 failed /m);
    expect(r.stdout).not.toMatch(/::error/);
    const xml = readFileSync(junit, 'utf8');
    const s = validateJUnit(xml);
    expect(s).toMatchObject({ tests: 2, failures: 1, errors: 0 });
    expect(xml).toMatch(/<failure message="expected protocol h2, negotiated http\/1\.1 \(and 1 more\)" type="protocol,maxSeverity">/);
  });

  test('--json: results with failures, same exit code', async () => {
    const file = writeChecks('two.yaml', TWO_CHECKS);
    const r = await run(['check', file, '--env', 'lab', '--json'], env());
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { env: string; passed: number; failed: number; results: Array<{ name: string; passed: boolean; line: number; failures: Array<{ expectation: string }> }> };
    expect(j).toMatchObject({ env: 'lab', passed: 1, failed: 1 });
    expect(j.results.map((x) => [x.name, x.passed, x.line])).toEqual([
      ['healthy speaks h2', true, 7],
      ['legacy speaks h2', false, 14],
    ]);
    expect(j.results[1]!.failures.map((f) => f.expectation)).toEqual(['protocol', 'maxSeverity']);
  });

  test('GITHUB_ACTIONS=true: an ::error annotation on the failing check\'s line', async () => {
    const file = writeChecks('two.yaml', TWO_CHECKS);
    const r = await run(['check', file, '--env', 'lab'], { ...env(), GITHUB_ACTIONS: 'true' });
    expect(r.code).toBe(1);
    const ann = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(ann).toHaveLength(1);
    expect(ann[0]).toMatch(/^::error file=\S*two\.yaml,line=14,title=h2doctor check%3A legacy speaks h2 \(lab\)::https:\/\/localhost:\d+\/:%0A- expected protocol h2, negotiated http\/1\.1%0A- expected nothing at error or above, found alpn-no-h2 \(error\)$/);
  });

  test('--sarif: SARIF 2.1.0 (valid against the OASIS schema), a result per failed expectation at the check\'s line; --sarif - prints it alone', async () => {
    const file = writeChecks('two.yaml', TWO_CHECKS);
    const out = join(dir, 'two.sarif');
    const r = await run(['check', file, '--env', 'lab', '--sarif', out], { ...env(), GITHUB_ACTIONS: 'true' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^1 passed, 1 failed /m);
    const log = JSON.parse(readFileSync(out, 'utf8')) as SarifDoc;
    expect(validSarif(log)).toEqual([]);
    const results = log.runs[0]!.results;
    expect(results.map((x) => [x.ruleId, x.level, x.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ['protocol', 'error', 14],
      ['maxSeverity', 'error', 14],
    ]);
    expect(results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/two\.yaml$/);
    expect(results[0]!.message.text).toMatch(/^legacy speaks h2 \(https:\/\/localhost:\d+\/\): expected protocol h2, negotiated http\/1\.1$/);

    const dash = await run(['check', file, '--env', 'lab', '--sarif', '-'], { ...env(), GITHUB_ACTIONS: 'true' });
    expect(dash.code).toBe(1);
    const printed = JSON.parse(dash.stdout) as SarifDoc; // nothing else on stdout: no table, no annotation
    expect(validSarif(printed)).toEqual([]);
    expect(printed.runs[0]!.results).toHaveLength(2);

    const both = await run(['check', file, '--env', 'lab', '--sarif', '-', '--json'], env());
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^h2doctor: --sarif - and --json both want standard output/);
  });

  test('--github-summary appends Markdown to GITHUB_STEP_SUMMARY (a second run adds to it); unset: exit 2 before connecting', async () => {
    const file = writeChecks('two.yaml', TWO_CHECKS);
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await run(['check', file, '--env', 'lab', '--github-summary'], { ...env(), GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    await run(['check', file, '--env', 'lab', '--github-summary'], { ...env(), GITHUB_STEP_SUMMARY: summary });
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n')).toBe(true);
    expect(md.match(/^### ❌ h2doctor check: \S*two\.yaml \(env lab\)$/gm)).toHaveLength(2);
    expect(md).toMatch(/^\*\*1 passed, 1 failed\*\* \(2 checks, \d+ ms\)$/m);
    expect(md).toMatch(/^\| legacy speaks h2 \| https:\/\/localhost:\d+\/ \| ❌ fail \| \d+ ms \|$/m);
    expect(md).toMatch(/^- `protocol`: expected protocol h2, negotiated http\/1\.1$/m);

    const before = connections;
    const unset = await run(['check', writeChecks('count.yaml', `version: 1\nchecks:\n  - name: c\n    url: http://127.0.0.1:${counterPort}/\n    expect: { protocol: h2 }\n`), '--github-summary']);
    expect(unset.code).toBe(2);
    expect(unset.stderr.trim().split('\n')).toHaveLength(1);
    expect(unset.stderr).toMatch(/--github-summary: GITHUB_STEP_SUMMARY is not set/);
    expect(connections - before).toBe(0);
  });

  test('connection flags in the environment (connect-to here), as on the command line; a flag given there wins; a bad value is the file\'s error at its line', async () => {
    const port = new URL(lab.vars[H.url]!).port;
    const viaFile = (connectTo: string) => `version: 1
environments:
  lab:
    cacert: \${${LAB_CA_VARIABLE}}
    connect-to: ["${connectTo}"]
checks:
  - name: through connect-to
    url: https://localhost:${counterPort}/
    expect: { protocol: h2, status: { h2: 200 } }
`;
    // Nothing speaks TLS on the URL's port (the counting server): only connect-to reaches the lab's healthy-tls.
    const before = connections;
    const file = writeChecks('connect-to.yaml', viaFile(`localhost:${counterPort}:127.0.0.1:${port}`));
    const ok = await run(['check', file, '--env', 'lab'], env());
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^1 passed, 0 failed /m);
    expect(ok.code).toBe(0);
    expect(connections - before).toBe(0);

    // The command line's --connect-to replaces the file's: to the counting server, which closes every connection.
    const cli = await run(['check', file, '--env', 'lab', '--connect-to', `localhost:${counterPort}:127.0.0.1:${counterPort}`], env());
    expect(cli.code).toBe(1);
    expect(connections - before).toBeGreaterThan(0);

    const bad = await run(['check', writeChecks('bad-connect-to.yaml', viaFile('nonsense')), '--env', 'lab'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/bad-connect-to\.yaml:5:1: --connect-to/);

    const noCert = writeChecks('no-cert.yaml', viaFile(`localhost:${counterPort}:127.0.0.1:${port}`).replace('    connect-to', '    cert: missing-client.pem\n    connect-to'));
    const missing = await run(['check', noCert, '--env', 'lab'], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-cert\.yaml:5:1: --cert: cannot read \S*missing-client\.pem/);
  });

  test('all pass: exit 0 and no annotation', async () => {
    const file = writeChecks('one.yaml', TWO_CHECKS.split('\n  - name: legacy')[0]! + '\n');
    const r = await run(['check', file], { ...env(), GITHUB_ACTIONS: 'true' });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/::error/);
    expect(r.stdout).toMatch(/^1 passed, 0 failed /m);
  });
});

describe('bad files: file:line:column: what is wrong, exit 2, no connection made', () => {
  const target = () => `http://127.0.0.1:${counterPort}/`;
  const base = (expect: string, envExtra = '') => `version: 1
environments:
  ci:
    variables:
      T: x${envExtra}
checks:
  - name: counted
    url: ${target()}
    expect:
${expect}
`;

  const cases: Array<[string, () => string, string[], RegExp[]]> = [
    ['YAML syntax', () => base('      protocol: [h2'), ['--env', 'ci'], [/^\S+:\d+:\d+: YAML: /]],
    ['misspelt key', () => base('      protocl: h2'), ['--env', 'ci'], [/:10:7: unknown key 'protocl' in expect \(did you mean 'protocol'\?\)$/]],
    ['unknown code and bad severity', () => base('      noFindings: [alpn-no-h3]\n      maxSeverity: warn'), ['--env', 'ci'], [/:10:\d+: .*alpn-no-h3.*alpn-no-h2/, /:11:\d+: .*warn.*warning/]],
    ['unknown environment', () => base('      protocol: h2'), ['--env', 'prod'], [/:2:1: unknown environment 'prod'; the file defines 'ci'$/]],
    ['undefined variable', () => base('      protocol: h2').replace(target(), target() + '${NOPE}'), ['--env', 'ci'], [/:8:10: undefined variable 'NOPE' in url/]],
    ['cacert that cannot be read', () => base('      protocol: h2', '\n    cacert: missing-ca.pem'), ['--env', 'ci'], [/:6:\d+: cacert: cannot read \S+missing-ca\.pem: ENOENT$/]],
    ['resolve pin from a variable that is not a pin', () => base('      protocol: h2', '\n    resolve: ["${T}"]'), ['--env', 'ci'], [/:6:\d+: resolve entry 'x' must look like host:port:address \(from '\$\{T\}'\)$/]],
  ];

  test.each(cases)('%s', async (_name, text, args, lines) => {
    const file = writeChecks('bad.yaml', text());
    const before = connections;
    const r = await run(['check', file, ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const out = r.stderr.trim().split('\n');
    for (const l of out) expect(l).toMatch(/^\S+bad\.yaml:\d+:\d+: \S/);
    expect(out).toHaveLength(lines.length);
    lines.forEach((re, i) => expect(out[i]).toMatch(re));
    expect(connections - before).toBe(0);
  });

  test('the counting server does count a good file (the proof above means something)', async () => {
    const file = writeChecks('good.yaml', base('      protocol: h2'));
    const before = connections;
    const r = await run(['check', file, '--env', 'ci', '--timeout', '500']);
    expect(r.code).toBe(1);
    expect(connections - before).toBeGreaterThan(0);
  });

  test('several environments and no --env: one line, exit 2, no connection', async () => {
    const file = writeChecks('envs.yaml', base('      protocol: h2').replace('environments:\n', 'environments:\n  prod: {}\n'));
    const before = connections;
    const r = await run(['check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--env is needed: \S+envs\.yaml defines 'prod', 'ci'$/m);
    expect(connections - before).toBe(0);
  });

  test('GITHUB_ACTIONS=true: the file errors are annotations too', async () => {
    const file = writeChecks('bad.yaml', base('      protocl: h2'));
    const r = await run(['check', file, '--env', 'ci'], { GITHUB_ACTIONS: 'true' });
    expect(r.code).toBe(2);
    expect(r.stdout.trim()).toMatch(/^::error file=\S+bad\.yaml,line=10,col=7,title=h2doctor%3A bad checks file::unknown key 'protocl' in expect/);
  });

  test.each([
    [[], /no checks file given/],
    [['nonexistent.yaml'], /cannot read nonexistent\.yaml: ENOENT/],
    [['examples/lab.yaml', '--env', 'lab', '--concurrency', '0'], /--concurrency must be between 1 and 64/],
    [['examples/lab.yaml', '--bogus'], /unknown option '?--bogus/i],
  ])('usage %j: one line, exit 2', async (args, re) => {
    const r = await run(['check', ...(args as string[])]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re as RegExp);
  });
});

describe('h2doctor init', () => {
  test('writes a starter that parses and passes against the same endpoint; refuses to overwrite', async () => {
    const out = join(dir, 'starter.yaml');
    rmSync(out, { force: true });
    const url = lab.vars[H.url]!;
    const r = await run(['init', url, '--resolve', lab.vars[H.pin]!, '--cacert', lab.vars[LAB_CA_VARIABLE]!, '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote \S*starter\.yaml: 1 check with \d+ expectations \(diagnosis now: ok\)/);
    const text = readFileSync(out, 'utf8');
    const parsed = parseChecksFile(text, out, { env: 'default' });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.plan!.checks[0]!.expect).toMatchObject({ protocol: 'h2', alpnIncludes: ['h2', 'http/1.1'], status: { h2: 200, 'http/1.1': 200 }, maxSeverity: 'ok' });
    expect(text).toMatch(/^ {6}protocol: h2 {2}# negotiated now over TLSv1\.\d$/m);

    const c = await run(['check', out]);
    expect(c.stderr).toBe('');
    expect(c.stdout).toMatch(/^1 passed, 0 failed /m);
    expect(c.code).toBe(0);

    const before = connections;
    const again = await run(['init', `http://127.0.0.1:${counterPort}/`, '-o', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/starter\.yaml exists; use --force to overwrite it/);
    expect(connections - before).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(text);
  });

  test('--force overwrites; a broken endpoint: a warning, the healthy expectation (protocol: h2) with the failure as a comment, and check fails', async () => {
    const out = join(dir, 'legacy.yaml');
    writeFileSync(out, 'old\n');
    const r = await run(['init', lab.vars[B.url]!, '--resolve', lab.vars[B.pin]!, '--cacert', lab.vars[LAB_CA_VARIABLE]!, '-o', out, '--force', '--env', 'staging']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^h2doctor: warning: HTTP\/2 fails on \S+ now \(alpn-no-h2\); \S*legacy\.yaml expects what a healthy endpoint gives/);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^ {6}protocol: h2 {2}# what a healthy endpoint gives; fails now: http\/1\.1 is negotiated \(alpn-no-h2\)$/m);
    expect(text).not.toMatch(/^ {6}protocol: http\/1\.1/m);
    expect(text).toMatch(/^ {6}# now: alpn-no-h2 \(error\): /m);
    const c = await run(['check', out, '--env', 'staging']);
    expect(c.code).toBe(1);
  });

  test('-o - prints the file; bad usage is one line', async () => {
    const r = await run(['init', lab.vars[H.url]!, '--resolve', lab.vars[H.pin]!, '-o', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^version: 1$/m);
    expect(existsSync(join(ROOT, 'checks.yaml'))).toBe(false);
    const u = await run(['init']);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/no URL given/);
  });
});

// ---------------------------------------------------------------------------------------------
// The JUnit shape: what the common JUnit XSD (testsuites → testsuite → testcase → failure|error)
// asks of a document, checked element by element (no XSD validator is installed here).

interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

function parseXml(xml: string): El {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const body = xml.slice(xml.indexOf('\n') + 1);
  const root: El = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: El[] = [root];
  const re = /<(\/?)([A-Za-z][\w-]*)((?:\s+[A-Za-z][\w-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/g;
  let at = 0;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    expect(m.index, `unparsable XML at offset ${m.index}`).toBe(at);
    at = re.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) {
      expect(m[5]).not.toMatch(/&(?!#\d+;|lt;|gt;|amp;|quot;|apos;)/);
      top.text += m[5];
    } else if (m[1] === '/') {
      expect(top.name, 'balanced tags').toBe(m[2]);
      stack.pop();
    } else {
      const attrs: Record<string, string> = {};
      for (const a of m[3]!.matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1]!] = a[2]!;
      const el: El = { name: m[2]!, attrs, children: [], text: '' };
      top.children.push(el);
      if (m[4] !== '/') stack.push(el);
    }
  }
  expect(at).toBe(body.length);
  expect(stack).toHaveLength(1);
  expect(root.children).toHaveLength(1);
  return root.children[0]!;
}

const INT = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/;

function attrsOk(el: El, required: Record<string, RegExp>, optional: Record<string, RegExp>): void {
  for (const [k, re] of Object.entries(required)) {
    expect(el.attrs[k], `${el.name}@${k} required`).toBeDefined();
    expect(el.attrs[k]).toMatch(re);
  }
  for (const [k, v] of Object.entries(el.attrs)) {
    const re = required[k] ?? optional[k];
    expect(re, `${el.name}@${k} is not in the JUnit schema`).toBeDefined();
    expect(v).toMatch(re!);
  }
}

/** Validates the document's shape and its counts; returns the totals. */
function validateJUnit(xml: string): { tests: number; failures: number; errors: number } {
  const root = parseXml(xml);
  expect(root.name).toBe('testsuites');
  attrsOk(root, {}, { name: /./, tests: INT, failures: INT, errors: INT, disabled: INT, time: DECIMAL });
  const totals = { tests: 0, failures: 0, errors: 0 };
  for (const suite of root.children) {
    expect(suite.name).toBe('testsuite');
    attrsOk(
      suite,
      { name: /./, tests: INT },
      { failures: INT, errors: INT, skipped: INT, disabled: INT, time: DECIMAL, timestamp: DATETIME, hostname: /./, id: /./, package: /./ },
    );
    let failures = 0;
    let errors = 0;
    for (const tc of suite.children) {
      expect(['testcase', 'properties', 'system-out', 'system-err']).toContain(tc.name);
      if (tc.name !== 'testcase') continue;
      attrsOk(tc, { name: /./, classname: /./ }, { time: DECIMAL, assertions: INT, status: /./ });
      for (const c of tc.children) {
        expect(['failure', 'error', 'skipped', 'system-out', 'system-err']).toContain(c.name);
        if (c.name === 'failure' || c.name === 'error') attrsOk(c, {}, { message: /./, type: /./ });
      }
      if (tc.children.some((c) => c.name === 'failure')) failures++;
      if (tc.children.some((c) => c.name === 'error')) errors++;
    }
    const cases = suite.children.filter((c) => c.name === 'testcase').length;
    expect(Number(suite.attrs.tests)).toBe(cases);
    expect(Number(suite.attrs.failures ?? 0)).toBe(failures);
    expect(Number(suite.attrs.errors ?? 0)).toBe(errors);
    totals.tests += cases;
    totals.failures += failures;
    totals.errors += errors;
  }
  if (root.attrs.tests !== undefined) expect(Number(root.attrs.tests)).toBe(totals.tests);
  if (root.attrs.failures !== undefined) expect(Number(root.attrs.failures)).toBe(totals.failures);
  return totals;
}
