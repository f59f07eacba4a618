/**
 * The CLI as users run it: the built binary, real exit codes, one-line errors for bad input.
 */
import { describe, expect, test, beforeAll, afterAll, onTestFinished } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabPki } from '../src/lab/pki.js';
import { findScenario } from '../src/lab/scenarios.js';
import type { RunningScenario } from '../src/lab/helpers.js';

const BIN = new URL('../dist/cli/main.js', import.meta.url).pathname;

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, stdout, stderr });
    });
  });
}

describe('bad input: one clear line, exit 2', () => {
  test.each([
    [['ftp://example.com'], /unsupported scheme "ftp:"/],
    [['http://localhost:99999/'], /invalid port "99999"/],
    [['http://localhost:0/'], /invalid port "0"/],
    [['http://[::1/'], /not a valid URL/],
    [['https://example.com', '--timeout', 'abc'], /--timeout wants a whole number/],
    [['https://example.com', '--timeout', '0'], /--timeout must be between/],
    [['https://example.com', '--resolve', 'nonsense'], /--resolve wants host:port:address/],
    [['https://example.com', '--resolve', 'example.com:443:not-an-ip'], /is not an IP address/],
    [['https://example.com', '--resolve', 'example.com:70000:127.0.0.1'], /--resolve: invalid port/],
    [['https://example.com', '--cacert', '/nonexistent/ca.pem'], /--cacert: cannot read/],
    [['https://example.com', '--bogus'], /unknown option '?--bogus/i],
    [['https://a.example', 'https://b.example'], /one URL at a time/],
    [['diagnose'], /no URL given/],
    [['lab', 'no-such-scenario'], /no lab scenario "no-such-scenario"/],
    [['https://example.com', '--max-addresses', '-1'], /--max-addresses wants a whole number, got "-1"/],
    [['https://example.com', '--rate', '5'], /--rate goes with --survey/],
    [['https://example.com', '-X', 'GE T'], /-X: not a valid method/],
    [['https://example.com', '-H', 'no colon'], /-H wants 'Name: value'/],
    [['https://example.com', '--websocket', 'chat'], /--websocket wants a path/],
    [['https://example.com', '--proxy', 'socks5://127.0.0.1:1080'], /unsupported proxy scheme/],
    [['https://example.com', '--proxy', 'http://127.0.0.1:3128', '--no-proxy'], /contradict/],
  ])('%j', async (args, re) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re as RegExp);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  test('--cacert with a file that holds no certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'h2d-'));
    writeFileSync(join(dir, 'x.pem'), 'not a certificate');
    const r = await run(['https://example.com', '--cacert', join(dir, 'x.pem')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds no PEM certificate/);
  });

  test('no arguments prints usage and exits 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Usage: h2doctor <url>/);
  });
});

describe('help and version', () => {
  test('--version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^h2doctor \d+\.\d+\.\d+/);
  });
  test('--help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--resolve/);
  });
  test('lab --list names every scenario', async () => {
    const r = await run(['lab', '--list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/healthy-tls/);
    expect(r.stdout).toMatch(/tls-alpn-no-h2/);
  });
});

describe('lab <scenario> serves until interrupted', () => {
  test('prints the URL and the --cacert path, then stops on SIGINT with exit 0', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'lab', 'healthy-tls'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Whatever fails below, the lab process does not outlive the test.
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
      child.stdout.on('data', (c) => {
        out += c;
        if (/Ctrl-C/.test(out)) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    expect(out).toMatch(/serving https:\/\/localhost:\d+\//);
    expect(out).toMatch(/CA file: \S+ca\.pem/);
    const url = /serving (\S+)/.exec(out)![1]!;
    const ca = /CA file: (\S+)/.exec(out)![1]!;
    const pin = /--resolve (\S+)/.exec(out)![1]!;
    const r = await run([url, '--cacert', ca, '--resolve', pin, '--json']);
    expect(JSON.parse(r.stdout).verdict).toBe('ok');
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGINT');
    });
    expect(code).toBe(0);
  });
});

describe('diagnose against the lab through the binary', () => {
  let healthy: RunningScenario;
  let broken: RunningScenario;
  let caFile: string;
  beforeAll(async () => {
    const pki = await createLabPki();
    const dir = mkdtempSync(join(tmpdir(), 'h2d-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, pki.rootCa.certPem);
    healthy = await findScenario('healthy-tls')!.start({ pki });
    broken = await findScenario('tls-alpn-no-h2')!.start({ pki });
  });
  afterAll(async () => {
    await healthy?.stop();
    await broken?.stop();
  });

  const pins = (s: RunningScenario) => (s.resolve ?? []).flatMap((r) => ['--resolve', r]);

  test('healthy: exit 0, JSON verdict ok, h2 negotiated', async () => {
    const r = await run([healthy.url, '--json', '--cacert', caFile, ...pins(healthy)]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.verdict).toBe('ok');
    expect(report.negotiated.protocol).toBe('h2');
  });

  test('broken: exit 1, verdict line first, no colour when not a TTY', async () => {
    const r = await run([broken.url, '--cacert', caFile, ...pins(broken)]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^✗ FAIL/);
    expect(r.stdout).toMatch(/alpn-no-h2/);
    expect(r.stdout).toMatch(/--resolve localhost:\d+:127\.0\.0\.1/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  test('without --cacert the system trust store is used (SSL_CERT_FILE, else the system bundle)', async () => {
    const trusted = await run([healthy.url, '--json', ...pins(healthy)], { SSL_CERT_FILE: caFile });
    const r1 = JSON.parse(trusted.stdout);
    expect(r1.verdict).toBe('ok');
    expect(r1.probes.find((p: { name?: string }) => p.name === 'tls-default').tls.trustStore).toBe(caFile);
    // The lab CA is in no system store: the same server is then untrusted.
    const untrusted = await run([healthy.url, '--json', ...pins(healthy)], { SSL_CERT_FILE: '/nonexistent.pem' });
    const r2 = JSON.parse(untrusted.stdout);
    expect(untrusted.code).toBe(1);
    expect(r2.findings.map((f: { code: string }) => f.code)).toContain('cert-untrusted');
  });

  test('-v adds the probe table', async () => {
    const r = await run([broken.url, '-v', '--cacert', caFile, ...pins(broken)], { NO_COLOR: '1' });
    expect(r.stdout).toMatch(/Probes/);
    expect(r.stdout).toMatch(/tls-alpn-h2/);
  });
});
