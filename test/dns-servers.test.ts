/**
 * `--dns-server` with two real resolvers on loopback that disagree: two dnsmasq instances (Debian
 * dnsmasq-base, installed by test/setup/watch-exporter.sh), started here on 127.0.0.1 with their own
 * ports and no upstream, and stopped at the end. For flaky.h2doctor.test (RFC 6761 .test), the first
 * answers 127.0.0.1 (a server with h2), the second 127.0.0.3 (ALPN http/1.1 only, same port).
 * Expected before running: dig confirms the two answers; the diagnosis probes both addresses and
 * reports dns-addresses-disagree whose evidence names each resolver, the address it gave and that
 * HTTP/2 works on the first's answer and fails on the second's; `resolvers` in the JSON says so too;
 * watch keeps one row per resolver and address.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabPki } from '../src/lab/pki.js';
import { listen, type Listening } from '../src/lab/servers.js';
import { ok } from '../src/lab/helpers.js';
import type { Report } from '../src/model/index.js';
import { findBinary, freePort, skipWithout } from './real-helpers.js';
import { readFileSync } from 'node:fs';
import { Ajv2020 as Ajv } from 'ajv/dist/2020.js';

const schema = JSON.parse(readFileSync(new URL('../docs/report.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
const validate = ajv.compile(schema);

const DNSMASQ = findBinary('dnsmasq');
const skip = skipWithout(DNSMASQ, 'dnsmasq');
const NAME = 'flaky.h2doctor.test';
const BIN = new URL('../dist/cli/main.js', import.meta.url).pathname;

let dir: string;
let ca: string;
let port: number;
const servers: Listening[] = [];
const resolvers: Array<{ label: string; child: ChildProcess }> = [];

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, stdout, stderr });
    });
  });
}

async function startDnsmasq(answer: string): Promise<string> {
  const p = await freePort();
  const child = spawn(
    DNSMASQ!,
    ['--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--no-poll', '--bind-interfaces', '--listen-address=127.0.0.1', `--port=${p}`, `--address=/${NAME}/${answer}`, '--pid-file=', '--user=root', '--log-facility=-'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (b) => (log = (log + b).slice(-2000)));
  const label = `127.0.0.1:${p}`;
  resolvers.push({ label, child });
  // Ready when it answers (bounded).
  for (let i = 0; ; i++) {
    const r = await run(findBinary('dig') ?? 'dig', ['@127.0.0.1', '-p', String(p), NAME, 'A', '+short', '+time=1', '+tries=1']);
    if (r.stdout.trim() === answer) break;
    if (i > 50 || child.exitCode !== null) throw new Error(`dnsmasq on ${label} did not answer: ${log} ${r.stderr}`);
    await new Promise((res) => setTimeout(res, 100));
  }
  return label;
}

beforeAll(async () => {
  if (skip) return;
  const pki = await createLabPki();
  dir = mkdtempSync(join(tmpdir(), 'h2d-dns-'));
  ca = join(dir, 'ca.pem');
  writeFileSync(ca, pki.rootCa.certPem);
  const c = await pki.issue({ names: [NAME] });
  const cert = { cert: c.chainPem, key: c.keyPem };
  for (let attempt = 0; ; attempt++) {
    const good = await listen(http2.createSecureServer({ ...cert, allowHTTP1: true }, ok), '127.0.0.1');
    try {
      servers.push(good, await listen(https.createServer({ ...cert, ALPNProtocols: ['http/1.1'] }, ok), '127.0.0.3', good.port));
      port = good.port;
      break;
    } catch (e) {
      await good.stop();
      servers.length = 0;
      if (attempt >= 5) throw e;
    }
  }
  await startDnsmasq('127.0.0.1');
  await startDnsmasq('127.0.0.3');
}, 60_000);

afterAll(async () => {
  for (const r of resolvers) {
    if (r.child.exitCode !== null) continue;
    const exited = new Promise((res) => r.child.once('exit', res));
    r.child.kill('SIGTERM');
    const t = setTimeout(() => r.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }
  await Promise.all(servers.map((s) => s.stop()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('--dns-server with two loopback resolvers that disagree', () => {
  test('dns-addresses-disagree, each resolver named in the evidence with its answer and whether h2 works on it', async () => {
    const [a, b] = resolvers.map((r) => r.label) as [string, string];
    const r = await run(process.execPath, [BIN, `https://${NAME}:${port}/`, '--dns-server', a, '--dns-server', b, '--cacert', ca, '--no-proxy', '--json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    expect(r.code).toBe(1);
    expect(report.resolution.addresses.sort()).toEqual(['127.0.0.1', '127.0.0.3']);
    validate(report);
    expect(validate.errors ?? []).toEqual([]);
    expect(report.resolvers).toEqual([
      { server: a, addresses: ['127.0.0.1'], protocol: 'h2', h2: true, verdict: 'ok' },
      { server: b, addresses: ['127.0.0.3'], protocol: 'http/1.1', h2: false, verdict: 'fail' },
    ]);
    const f = report.findings.find((x) => x.code === 'dns-addresses-disagree');
    expect(f).toBeDefined();
    const texts = f!.evidence.map((e) => e.text);
    expect(texts).toContainEqual(expect.stringMatching(new RegExp(`^resolver ${a.replace(/\./g, '\\.')} answered 127\\.0\\.0\\.1: .*HTTP/2 works on this answer`)));
    expect(texts).toContainEqual(expect.stringMatching(new RegExp(`^resolver ${b.replace(/\./g, '\\.')} answered 127\\.0\\.0\\.3: .*alpn-no-h2.*HTTP/2 fails on this answer`)));
    expect(f!.explanation).toContain(`resolver ${b}`);
    expect(report.findings.find((x) => x.code === 'alpn-no-h2')!.addresses).toEqual(['127.0.0.3']);
  });

  test('resolvers that agree: no dns-addresses-disagree, and a bad --dns-server is exit 2', async () => {
    const [a] = resolvers.map((r) => r.label) as [string];
    const r = await run(process.execPath, [BIN, `https://${NAME}:${port}/`, '--dns-server', a, '--dns-server', a, '--cacert', ca, '--no-proxy', '--json']);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((x) => x.code)).toEqual([]);
    expect(r.code).toBe(0);
    const bad = await run(process.execPath, [BIN, `https://${NAME}:${port}/`, '--dns-server', 'resolver.example']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--dns-server wants an IP address/);
  });

  test('watch keeps one row per resolver and address', async () => {
    const [a, b] = resolvers.map((r) => r.label) as [string, string];
    const r = await run(process.execPath, [BIN, 'watch', `https://${NAME}:${port}/`, '--dns-server', a, '--dns-server', b, '--cacert', ca, '--no-proxy', '--count', '1', '--json']);
    const [run1, summary] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(run1.resolvers.map((x: { server: string }) => x.server)).toEqual([a, b]);
    const rows = summary.rows.map((x: { resolver: string; address: string }) => `${x.resolver} ${x.address}`);
    expect(rows).toContain(`${a} 127.0.0.1`);
    expect(rows).toContain(`${b} 127.0.0.3`);
    expect(summary.steady).toContainEqual(expect.objectContaining({ resolver: b, address: '127.0.0.3', code: 'alpn-no-h2' }));
  });
});
