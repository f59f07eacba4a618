// Prints the closing table of issue 12: for every hostile lab behaviour, `h2doctor <url>` and
// `h2doctor trace <url>` (the built CLI, dist/h2doctor.cjs, as child processes with --max-time 3)
// with their verdict and codes, wall time and peak RSS (each child's own VmHWM, from
// test/fixtures/peak-rss.cjs). The same runs test/hostile-lab.test.ts asserts; this prints them.
//
//   npm run build && node scripts/hostile-table.mjs [<id regex>]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'dist/h2doctor.cjs');
const PRELOAD = join(ROOT, 'test/fixtures/peak-rss.cjs');
const MAX_TIME_S = 3;
const { HOSTILE_SCENARIOS } = await import(join(ROOT, 'dist/lab/scenarios/hostile.js'));
const { createLabPki } = await import(join(ROOT, 'dist/lab/pki.js'));
const only = process.argv[2] ? new RegExp(process.argv[2]) : undefined;

function run(args) {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['-r', PRELOAD, CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    const kill = setTimeout(() => c.kill('SIGKILL'), 30_000);
    c.on('close', (code) => {
      clearTimeout(kill);
      const m = /H2DOCTOR_PEAK (\d+) (\d+)/.exec(stderr);
      resolve({ code, stdout, peakMb: m ? Number(m[1]) / 1024 : NaN, wallMs: m ? Number(m[2]) : NaN });
    });
  });
}

const pki = await createLabPki();
const dir = mkdtempSync(join(tmpdir(), 'h2d-hostile-table-'));
const ca = join(dir, 'ca.pem');
writeFileSync(ca, pki.rootCa.certPem);
const verdict = (c) => (c === 1 ? 'fail' : c === 0 ? 'ok' : `exit ${c}`);
const rows = [];
try {
  for (const s of HOSTILE_SCENARIOS.filter((x) => !only || only.test(x.id))) {
    const r = await s.start({ pki });
    try {
      const proxied = r.options?.proxy ? ['--proxy', r.options.proxy] : [];
      const pins = (r.resolve ?? []).flatMap((x) => ['--resolve', x]);
      const common = ['--cacert', ca, '--max-time', String(MAX_TIME_S), ...proxied];
      const d = await run([r.url, ...pins, ...common, ...(r.options?.compareDirect ? ['--compare-direct'] : []), '--json']);
      // trace follows a ws:// URL's upgrade (WebSocket frames after the 101); it goes direct when --resolve pins the name.
      const t = await run(['trace', r.url, ...(proxied.length ? [] : pins), ...common]);
      let codes;
      try {
        codes = JSON.parse(d.stdout).findings.map((f) => f.code).join(' ');
      } catch {
        codes = '(no JSON)';
      }
      rows.push(`| ${s.id} | ${verdict(d.code)}: ${codes || '(none)'} | ${d.wallMs} | ${d.peakMb.toFixed(0)} | ${verdict(t.code)} | ${t.wallMs} | ${t.peakMb.toFixed(0)} |`);
      process.stderr.write('.');
    } finally {
      await r.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stderr.write('\n');
console.log(`Hostile lab, built CLI, --max-time ${MAX_TIME_S} (bound ${MAX_TIME_S * 1000 + 500} ms, 128 MB):\n`);
console.log('| behaviour | diagnose: verdict: codes | diagnose wall ms | diagnose peak RSS MB | trace verdict | trace wall ms | trace peak RSS MB |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
