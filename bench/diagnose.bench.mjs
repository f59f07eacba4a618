// The foundation's figure: one full diagnosis of a loopback target, wall time with process start,
// median of 10, against `curl -sv --http2` on the same target in the same run (as ratios).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabPki } from '../dist/lab/pki.js';
import { findScenario } from '../dist/lab/scenarios.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const BIN = new URL('../dist/cli/main.js', import.meta.url).pathname;
const pki = await createLabPki();
const dir = mkdtempSync(join(tmpdir(), 'h2d-bench-'));
const ca = join(dir, 'ca.pem');
writeFileSync(ca, pki.rootCa.certPem);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
// Async: the lab servers live in this process, so its event loop must keep running.
function time(cmd, args) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (status) => {
      clearTimeout(kill);
      resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, status, stdout });
    });
  });
}
function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

const rows = [];
for (const id of ['healthy-tls', 'tls-alpn-no-h2', 'cleartext-http1-only', 'goaway-on-connect']) {
  const s = await findScenario(id).start({ pki });
  try {
    // Each run is a fresh process: node start, DNS/pin, every probe, rules, report.
    const pins = (s.resolve ?? []).flatMap((r) => ['--resolve', r]);
    const ours = [];
    let connections = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = await time(process.execPath, [BIN, s.url, '--json', '--cacert', ca, ...pins]);
      ours.push(r.ms);
      connections = JSON.parse(r.stdout).connections;
    }
    const curl = [];
    if (has('curl')) for (let i = 0; i < RUNS; i++) curl.push((await time('curl', ['-s', '-o', '/dev/null', '--http2', '--cacert', ca, ...pins, s.url])).ms);
    rows.push({ id, ours: median(ours), max: Math.max(...ours), connections, curl: curl.length ? median(curl) : NaN });
  } finally {
    await s.stop();
  }
}
rmSync(dir, { recursive: true, force: true });

console.log(`h2doctor full diagnosis vs one curl request, loopback, median of ${RUNS} runs (ms, process start included)`);
console.log(`${'scenario'.padEnd(22)} ${'h2doctor'.padStart(9)} ${'max'.padStart(7)} ${'conns'.padStart(6)} ${'curl'.padStart(7)} ${'ratio'.padStart(7)}`);
for (const r of rows) {
  console.log(`${r.id.padEnd(22)} ${r.ours.toFixed(1).padStart(9)} ${r.max.toFixed(1).padStart(7)} ${String(r.connections).padStart(6)} ${r.curl.toFixed(1).padStart(7)} ${(r.ours / r.curl).toFixed(2).padStart(7)}`);
}
const worst = Math.max(...rows.map((r) => r.ours));
console.log(`slowest median: ${worst.toFixed(1)} ms (target: under 1000 ms)`);
process.exit(worst < 1000 ? 0 : 1);
