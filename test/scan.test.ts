/**
 * `h2doctor scan` on a loopback fleet: the lab's scenarios reached through many loopback
 * addresses by counting relays. Ground truth is each scenario's own expected codes (written with
 * the scenario) and single `diagnose` runs of the same targets.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFleet, type Fleet } from '../src/lab/fleet.js';
import { judge } from '../src/lab/run.js';
import { findScenario } from '../src/lab/scenarios.js';
import { diagnose } from '../src/diagnose.js';
import type { ScanResult } from '../src/scan/run.js';

const BIN = new URL('../dist/cli/main.js', import.meta.url).pathname;
// Generous per-probe deadline: the fleet and the scan share two cores with the rest of the suite.
const TIMEOUT = '8000';

function run(args: string[], cwd: string, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b) => (stdout += b));
    p.stderr.on('data', (b) => (stderr += b));
    if (input !== undefined) p.stdin.end(input);
    const kill = setTimeout(() => p.kill('SIGKILL'), 120_000);
    p.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ScanResult);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'h2doctor-scan-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan: a loopback fleet', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet(34);
    writeFileSync(join(dir, 'fleet.csv'), fleet.csv());
    writeFileSync(join(dir, 'ca.pem'), fleet.caPem);
  });
  afterAll(() => fleet?.stop());

  test('every target gets its scenario\'s codes, the same as a single diagnosis; NDJSON, CSV, summary and exit code agree', async () => {
    const r = await run(['scan', 'fleet.csv', '--cacert', 'ca.pem', '--timeout', TIMEOUT, '--out', 'out.ndjson', '--csv', 'out.csv', '--no-progress'], dir);
    expect(r.code, r.stderr).toBe(1);
    const results = lines(join(dir, 'out.ndjson'));
    expect(results.map((x) => x.key).sort()).toEqual(fleet.targets.map((_, i) => `t${i}-${fleet.targets[i]!.scenario}`).sort());
    for (const res of results) {
      const t = fleet.targets[Number(/^t(\d+)-/.exec(res.key)![1])]!;
      const found = res.report!.findings.map((f) => f.code);
      expect([res.key, judge(findScenario(t.scenario)!, found)]).toEqual([res.key, []]);
    }
    // A sample diagnosed alone, in this process, with the same options: the same codes.
    for (const i of [0, 2, 5, 10, 13]) {
      const t = fleet.targets[i]!;
      const alone = await diagnose(t.url, { resolve: [t.resolve], ca: fleet.caPem, timeoutMs: Number(TIMEOUT), proxy: null });
      const inScan = results.find((x) => x.key.startsWith(`t${i}-`))!;
      expect(inScan.report!.findings.map((f) => f.code).sort()).toEqual(alone.findings.map((f) => f.code).sort());
    }
    const csv = readFileSync(join(dir, 'out.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('key,url,vantage,worker,verdict,protocol,alpn,tls_version,cipher,codes,duration_ms,finished_at,error');
    expect(csv).toHaveLength(35);
    expect(r.stdout).toMatch(/✗ FAIL {2}34 targets/);
    expect(r.stdout).toMatch(/\n +2 +error +alpn-no-h2\n/);
  });

  test('--json summary carries schemaVersion and the counts', async () => {
    const r = await run(['scan', 'fleet.csv', '--cacert', 'ca.pem', '--timeout', TIMEOUT, '--json', '--no-progress', '--out', 'again.ndjson'], dir);
    const s = JSON.parse(r.stdout);
    expect(s.schemaVersion).toBe(1);
    expect(s.targets).toBe(34);
    expect(s.verdicts.ok + s.verdicts.warn + s.verdicts.fail + s.verdicts.error).toBe(34);
  });
});

describe('scan: politeness', () => {
  test('many targets on two addresses: never more connections at once per address than --per-host, as the servers count them', async () => {
    const fleet = await startFleet(24, { addresses: 2, scenarios: ['healthy-tls', 'tls-alpn-no-h2', 'h2c-upgrade'] });
    try {
      writeFileSync(join(dir, 'two.csv'), fleet.csv());
      writeFileSync(join(dir, 'ca2.pem'), fleet.caPem);
      const r = await run(['scan', 'two.csv', '--cacert', 'ca2.pem', '--timeout', TIMEOUT, '--per-host', '2', '--per-host-rate', '200', '--concurrency', '24', '--no-progress', '--out', 'two.ndjson'], dir);
      expect(r.code, r.stderr).toBe(1);
      expect(lines(join(dir, 'two.ndjson'))).toHaveLength(24);
      expect([...fleet.peakOpen.keys()].sort()).toEqual(['127.0.1.1', '127.0.1.2']);
      for (const [addr, peak] of fleet.peakOpen) expect([addr, peak <= 2]).toEqual([addr, true]);
    } finally {
      await fleet.stop();
    }
  });
});

describe('scan: resume and bad input', () => {
  test('--resume scans only the targets the output lacks; the summary counts them all', async () => {
    const fleet = await startFleet(6, { scenarios: ['healthy-tls', 'tls-alpn-no-h2'] });
    try {
      const all = fleet.csv().trim().split('\n');
      writeFileSync(join(dir, 'r.csv'), all.slice(0, 4).join('\n') + '\n');
      writeFileSync(join(dir, 'ca3.pem'), fleet.caPem);
      const first = await run(['scan', 'r.csv', '--cacert', 'ca3.pem', '--timeout', TIMEOUT, '--out', 'r.ndjson', '--no-progress'], dir);
      expect(first.code, first.stderr).toBe(1);
      expect(lines(join(dir, 'r.ndjson'))).toHaveLength(3);
      writeFileSync(join(dir, 'r.csv'), all.join('\n') + '\n');
      const second = await run(['scan', 'r.csv', '--cacert', 'ca3.pem', '--timeout', TIMEOUT, '--out', 'r.ndjson', '--resume', '--json', '--no-progress'], dir);
      const keys = lines(join(dir, 'r.ndjson')).map((x) => x.key);
      expect(keys).toHaveLength(6);
      expect(new Set(keys).size).toBe(6);
      expect(JSON.parse(second.stdout).targets).toBe(6);
    } finally {
      await fleet.stop();
    }
  });

  test('a per-target client profile: the same cleartext HTTP/1.1 server fails for gRPC and not for Chromium', async () => {
    const fleet = await startFleet(1, { scenarios: ['cleartext-http1-only'] });
    try {
      const t = fleet.targets[0]!;
      writeFileSync(join(dir, 'clients.csv'), `url,resolve,client\n${t.url},${t.resolve},grpc\n${t.url},${t.resolve},chromium\n`);
      const r = await run(['scan', 'clients.csv', '--timeout', TIMEOUT, '--out', 'clients.ndjson', '--no-progress'], dir);
      expect(r.code, r.stderr).toBe(1);
      const byClient = Object.fromEntries(lines(join(dir, 'clients.ndjson')).map((x) => [/client=(\w+)/.exec(x.key)![1], x.report!.verdict]));
      expect(byClient.grpc).toBe('fail');
      expect(byClient.chromium).not.toBe('fail');
    } finally {
      await fleet.stop();
    }
  });

  test('a bad list or bad flags: one line, exit 2, no connection', async () => {
    writeFileSync(join(dir, 'badclient.csv'), 'url,client\nhttps://a.example,netscape4\n');
    const badClient = await run(['scan', 'badclient.csv'], dir);
    expect(badClient.code).toBe(2);
    expect(badClient.stderr).toMatch(/^h2doctor: badclient\.csv:2: client "netscape4": /);
    writeFileSync(join(dir, 'bad.txt'), 'https://ok.example\nftp://nope.example\n');
    const bad = await run(['scan', 'bad.txt'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('h2doctor: bad.txt:2: unsupported scheme "ftp:" in "ftp://nope.example" (use http, https, ws or wss)');
    expect((await run(['scan', 'bad.txt', '--resume'], dir)).stderr).toMatch(/--resume needs --out/);
    expect((await run(['scan', 'missing.txt'], dir)).code).toBe(2);
    expect((await run(['scan', 'bad.txt', '--vantages', 'a,b'], dir)).stderr).toMatch(/--vantages goes with --queue/);
    expect((await run(['scan', '-'], dir, '# nothing\n')).stderr).toMatch(/stdin: no targets/);
    expect((await run(['worker'], dir)).stderr).toMatch(/worker needs --queue/);
    expect((await run(['worker', '--queue', 'http://x'], dir)).stderr).toMatch(/not a redis:\/\/ or rediss:\/\/ URL/);
  });
});
