/**
 * Distributed scans on a real Redis (Debian redis-server, started here on a loopback port): two
 * `h2doctor worker` processes on the BullMQ queue of `h2doctor scan --queue`. Killing one worker
 * in the middle of the scan loses no target and repeats none; two vantage labels that see
 * different servers (each worker's own --resolve view) give vantage-points-disagree.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFleet, tcpRelay } from '../src/lab/fleet.js';
import { judge } from '../src/lab/run.js';
import { findScenario } from '../src/lab/scenarios.js';
import { createLabPki } from '../src/lab/pki.js';
import { freePort } from '../src/lab/servers.js';
import { findBinary, skipWithout } from './real-helpers.js';
import { waitPort } from './net-helpers.js';
import type { ScanResult } from '../src/scan/run.js';

const BIN = new URL('../dist/cli/main.js', import.meta.url).pathname;
const REDIS = findBinary('redis-server');
const skip = skipWithout(REDIS, 'redis-server');
const ENV = { ...process.env, NO_COLOR: '1', HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' };

let dir: string;
let redis: ChildProcess | undefined;
let queue = '';
const children: ChildProcess[] = [];

function start(args: string[]): { p: ChildProcess; out: () => string; done: Promise<number | null> } {
  const p = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: ENV });
  children.push(p);
  let out = '';
  p.stdout!.on('data', (b) => (out += b));
  p.stderr!.on('data', (b) => (out += b));
  const done = new Promise<number | null>((resolve) => p.on('close', (code) => resolve(code)));
  return { p, out: () => out, done };
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const results = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ScanResult & { type: string }) : []);

beforeAll(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'h2doctor-queue-'));
  const port = await freePort();
  redis = spawn(REDIS!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  if (!(await waitPort(port, 10_000))) throw new Error('redis-server did not listen');
  queue = `redis://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  redis?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('scan --queue with h2doctor workers on a real Redis', () => {
  test('a worker killed mid-scan: every target once in the results, none lost, none repeated', async () => {
    const fleet = await startFleet(16, { scenarios: ['healthy-tls', 'tls-alpn-no-h2', 'h2c-upgrade', 'cleartext-http1-only'] });
    try {
      writeFileSync(join(dir, 'fleet.csv'), fleet.csv());
      writeFileSync(join(dir, 'ca.pem'), fleet.caPem);
      // Slow workers (4 new connections a second per address), short job locks: the kill lands mid-job.
      const workerArgs = ['worker', '--queue', queue, '--concurrency', '2', '--lock-ms', '1500', '--per-host-rate', '4', '--cacert', 'ca.pem', '--timeout', '8000', '-v'];
      const a = start(workerArgs);
      const b = start(workerArgs);
      await until('both workers', () => a.out().includes('vantage') && b.out().includes('vantage'));
      const scan = start(['scan', 'fleet.csv', '--queue', queue, '--out', 'out.ndjson', '--no-progress', '--scan-id', 'kill-test']);
      await until('a first result from worker a', () => / → /.test(a.out()));
      a.p.kill('SIGKILL');
      const code = await Promise.race([scan.done, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 90_000))]);
      expect(code, scan.out()).toBe(1);
      const rs = results(join(dir, 'out.ndjson')).filter((r) => r.type === 'result');
      const keys = rs.map((r) => r.key).sort();
      expect(keys).toEqual(fleet.targets.map((t, i) => `t${i}-${t.scenario}`).sort());
      expect(new Set(keys).size).toBe(16);
      for (const r of rs) {
        const t = fleet.targets[Number(/^t(\d+)-/.exec(r.key)![1])]!;
        expect([r.key, r.error, judge(findScenario(t.scenario)!, r.report!.findings.map((f) => f.code))]).toEqual([r.key, undefined, []]);
      }
      const workers = new Set(rs.map((r) => r.worker));
      expect(workers.size).toBe(2);
      expect(workers).toContain(`${hostname()}:${a.p.pid}`);
      b.p.kill('SIGTERM');
      expect(await b.done).toBe(0);
    } finally {
      await fleet.stop();
    }
  });

  test('two vantage points that resolve the name to different servers: vantage-points-disagree', async () => {
    const pki = await createLabPki();
    const healthy = await findScenario('healthy-tls')!.start({ pki });
    const broken = await findScenario('tls-alpn-no-h2')!.start({ pki });
    const port = Number(new URL(healthy.url).port);
    const brokenPort = Number(new URL(broken.url).port);
    const relays = [await tcpRelay('127.0.6.1', port, port), await tcpRelay('127.0.6.2', port, brokenPort)];
    try {
      writeFileSync(join(dir, 'one.txt'), `${healthy.url}\n`);
      writeFileSync(join(dir, 'ca2.pem'), pki.rootCa.certPem);
      const common = ['--queue', queue, '--cacert', 'ca2.pem', '--timeout', '8000'];
      const wa = start(['worker', ...common, '--vantage', 'eu', '--resolve', `localhost:${port}:127.0.6.1`]);
      const wb = start(['worker', ...common, '--vantage', 'us', '--resolve', `localhost:${port}:127.0.6.2`]);
      await until('both workers', () => wa.out().includes('vantage') && wb.out().includes('vantage'));
      const scan = start(['scan', 'one.txt', '--queue', queue, '--vantages', 'eu,us', '--out', 'v.ndjson', '--json', '--no-progress']);
      const code = await Promise.race([scan.done, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
      expect(code, scan.out()).toBe(1);
      const lines = results(join(dir, 'v.ndjson'));
      const byVantage = Object.fromEntries(lines.filter((l) => l.type === 'result').map((r) => [r.vantage, r.report!.findings.map((f) => f.code)]));
      expect(byVantage).toEqual({ eu: [], us: ['alpn-no-h2'] });
      const cmp = lines.find((l) => (l as { type: string }).type === 'comparison') as unknown as { findings: Array<{ code: string; evidence: Array<{ text: string }> }> };
      expect(cmp.findings[0]!.code).toBe('vantage-points-disagree');
      expect(cmp.findings[0]!.evidence[0]!.text).toBe('HTTP/2 works from eu but not from us');
      const summary = JSON.parse(scan.out().slice(scan.out().indexOf('{')));
      expect(summary.comparisons).toHaveLength(1);
      wa.p.kill('SIGTERM');
      wb.p.kill('SIGTERM');
      await Promise.all([wa.done, wb.done]);
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
      await healthy.stop();
      await broken.stop();
    }
  });
});
