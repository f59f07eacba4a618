// Fleet scans (issue 18): a loopback fleet of N targets (the lab's scenarios many times over, each
// on its own 127.0.x.y address, served by another process) scanned with the default plan.
//  1. `h2doctor scan` on this machine: targets per minute and peak RSS (GNU time), median of runs;
//  2. testssl.sh in mass mode (--file, --mode parallel, protocols incl. ALPN only: -p) on a sample
//     of the same targets, in the same run: targets per minute, and the ratio;
//  3. the same fleet through a real Redis queue with one, then two local `h2doctor worker`s: the speed-up.
// Usage: node bench/scan.bench.mjs [N=600] [runs=3] [testssl sample=12]. Writes bench/results/scan.json.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = join(here, '..', 'dist', 'cli', 'main.js');
const N = Number(process.argv[2] ?? 600);
const RUNS = Number(process.argv[3] ?? 3);
const SAMPLE = Number(process.argv[4] ?? 12);
const dir = mkdtempSync(join(tmpdir(), 'h2doctor-scan-bench-'));
const ENV = { ...process.env, NO_COLOR: '1', HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function startBg(cmd, args, opts = {}) {
  const p = spawn(cmd, args, { env: ENV, cwd: dir, ...opts });
  let out = '';
  p.stdout?.on('data', (b) => (out += b));
  p.stderr?.on('data', (b) => (out += b));
  return { p, out: () => out, done: new Promise((r) => p.on('close', r)) };
}
async function until(ok, ms = 60_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
function freePort() {
  return new Promise((res) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });
}

/** One timed scan: wall ms from its own JSON summary, peak RSS from GNU time. */
function scanOnce(extra = []) {
  const r = spawnSync('/usr/bin/time', ['-f', 'maxrss_kib=%M', process.execPath, BIN, 'scan', 'fleet.csv', '--cacert', 'ca.pem', '--json', '--no-progress', '--out', 'out.ndjson', ...extra], { cwd: dir, env: ENV, encoding: 'utf8', maxBuffer: 64 << 20 });
  const s = JSON.parse(r.stdout);
  const rss = Number(/maxrss_kib=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { ms: s.elapsedMs, targets: s.targets, rssMiB: rss / 1024, verdicts: s.verdicts };
}

function testsslOnce(targets) {
  // TLS targets only: testssl.sh speaks TLS (a cleartext port only makes it wait for its timeouts).
  const lines = targets.filter((t) => t.url.startsWith('https:')).slice(0, SAMPLE).map((t) => {
    const [host, port, ip] = t.resolve.split(':');
    return `-p --ip=${ip} --warnings=off --color=0 --quiet --connect-timeout=5 --openssl-timeout=5 ${host}:${port}`;
  });
  writeFileSync(join(dir, 'testssl.txt'), lines.join('\n') + '\n');
  const bin = has('testssl') ? 'testssl' : 'testssl.sh';
  const t0 = performance.now();
  spawnSync(bin, ['--file', 'testssl.txt', '--mode', 'parallel', '--warnings', 'off'], { cwd: dir, env: ENV, encoding: 'utf8', maxBuffer: 256 << 20, timeout: 30 * 60_000 });
  return { ms: performance.now() - t0, targets: lines.length };
}

const fleet = startBg(process.execPath, [join(here, 'fleet-serve.mjs'), String(N), dir]);
await until(() => fleet.out().includes("ready"), 120_000);
const targets = JSON.parse(readFileSync(join(dir, 'targets.json'), 'utf8'));
const out = { date: new Date().toISOString(), targets: N, runs: RUNS, local: [], testssl: [], queue: {} };
try {
  // 1 and 2, interleaved: scan, testssl, scan, testssl…
  for (let i = 0; i < RUNS; i++) {
    out.local.push(scanOnce());
    if (has('testssl') || has('testssl.sh')) out.testssl.push(testsslOnce(targets));
  }
  // 3: one worker, then two, on a real Redis.
  if (has('redis-server')) {
    const port = await freePort();
    const redis = startBg('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
    await new Promise((r) => setTimeout(r, 500));
    const q = `redis://127.0.0.1:${port}`;
    for (const workers of [1, 2, 1, 2]) {
      const ws = Array.from({ length: workers }, () => startBg(process.execPath, [BIN, 'worker', '--queue', q, '--cacert', 'ca.pem', '--concurrency', '32']));
      await until(() => ws.every((w) => w.out().includes('vantage')));
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [BIN, 'scan', 'fleet.csv', '--queue', q, '--scan-id', `bench-${workers}-${Date.now()}`, '--json', '--no-progress', '--out', 'q.ndjson'], { cwd: dir, env: ENV, encoding: 'utf8', maxBuffer: 64 << 20 });
      const ms = performance.now() - t0;
      (out.queue[workers] ??= []).push({ ms, targets: JSON.parse(r.stdout).targets });
      for (const w of ws) w.p.kill('SIGTERM');
      await Promise.all(ws.map((w) => w.done));
    }
    redis.p.kill('SIGTERM');
    await redis.done;
  }
} finally {
  fleet.p.kill('SIGTERM');
  await fleet.done;
}

const perMin = (runs) => median(runs.map((r) => (r.targets * 60_000) / r.ms));
const rows = [['h2doctor scan (this machine)', `${perMin(out.local).toFixed(0)} targets/min`, `median of ${out.local.length} × ${N} targets; wall ${(median(out.local.map((r) => r.ms)) / 1000).toFixed(1)} s; peak RSS ${median(out.local.map((r) => r.rssMiB)).toFixed(0)} MiB`]];
if (out.testssl.length) {
  const t = perMin(out.testssl);
  rows.push(['testssl.sh --file --mode parallel -p', `${t.toFixed(1)} targets/min`, `sample of ${out.testssl[0].targets} TLS targets of the same fleet; h2doctor ${(perMin(out.local) / t).toFixed(0)}× faster`]);
}
for (const [w, runs] of Object.entries(out.queue)) rows.push([`h2doctor scan --queue, ${w} worker(s)`, `${perMin(runs).toFixed(0)} targets/min`, `median of ${runs.length}`]);
if (out.queue[1] && out.queue[2]) rows.push(['speed-up of 2 workers over 1', `${(perMin(out.queue[2]) / perMin(out.queue[1])).toFixed(2)}×`, 'two workers on this 2-core machine, same fleet']);
console.log('\n| what | rate | notes |\n|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'scan.json'), JSON.stringify(out, null, 2) + '\n');
