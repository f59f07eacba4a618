// Prints the closing table of issue 12 (docs/hostile.md): for every hostile lab behaviour,
// `h2doctor <url> --json` and `h2doctor trace <url>` (the built CLI, dist/h2doctor.cjs, each a child
// process with --max-time 3, one run at a time), with verdict and codes, wall time and peak RSS.
//
// Each run's peak RSS is its own, measured twice: VmHWM of the child's /proc/self/status at exit
// (test/fixtures/peak-rss.cjs, the figure test/hostile-lab.test.ts asserts) and GNU time's %M around
// the child (wait4 of /usr/bin/time, whose pre-exec image is small). Not getrusage in the child:
// Linux carries ru_maxrss over exec, so a child reports its parent's peak when that was larger.
// The wall time is measured here, from spawn to exit.
//
//   npm run build && node scripts/hostile-table.mjs [<id regex>]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'dist/h2doctor.cjs');
const PRELOAD = join(ROOT, 'test/fixtures/peak-rss.cjs');
const TIME = '/usr/bin/time';
const MAX_TIME_S = 3;
const BOUND_MS = MAX_TIME_S * 1000 + 500;
const { HOSTILE_SCENARIOS } = await import(join(ROOT, 'dist/lab/scenarios/hostile.js'));
const { createLabPki } = await import(join(ROOT, 'dist/lab/pki.js'));
const only = process.argv[2] ? new RegExp(process.argv[2]) : undefined;
const haveTime = existsSync(TIME);

/** One CLI run: exit code, stdout, wall ms (spawn to exit), VmHWM KiB, GNU time %M KiB. */
function run(args) {
  return new Promise((resolve) => {
    const node = [process.execPath, '-r', PRELOAD, CLI, ...args];
    const [cmd, ...argv] = haveTime ? [TIME, '-f', 'H2DOCTOR_TIME %M', ...node] : node;
    const t0 = performance.now();
    const c = spawn(cmd, argv, { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    const kill = setTimeout(() => c.kill('SIGKILL'), 30_000);
    c.on('close', (code) => {
      const wallMs = Math.round(performance.now() - t0);
      clearTimeout(kill);
      const hwm = /H2DOCTOR_PEAK (\d+) /.exec(stderr);
      const time = /H2DOCTOR_TIME (\d+)/.exec(stderr);
      // GNU time exits with the child's status (and prints "Command exited with non-zero status N").
      resolve({ code, stdout, wallMs, hwmKib: hwm ? Number(hwm[1]) : NaN, timeKib: time ? Number(time[1]) : NaN });
    });
  });
}

const pki = await createLabPki();
const dir = mkdtempSync(join(tmpdir(), 'h2d-hostile-table-'));
const ca = join(dir, 'ca.pem');
writeFileSync(ca, pki.rootCa.certPem);
const verdict = (c) => (c === 1 ? 'fail' : c === 0 ? 'ok' : `exit ${c}`);
const mb = (kib) => (kib / 1024).toFixed(0);
/** trace's text ends with "findings (as h2doctor diagnose names them):" and one line per finding. */
const traceCodes = (out) => [...(out.split(/findings \(as h2doctor diagnose names them\):/)[1] ?? '').matchAll(/^\s+(?:error|warning|info)\s+([a-z0-9-]+)\s/gm)].map((m) => m[1]);
const rows = [];
const all = [];
try {
  for (const s of HOSTILE_SCENARIOS.filter((x) => !only || only.test(x.id))) {
    const r = await s.start({ pki });
    try {
      const proxied = r.options?.proxy ? ['--proxy', r.options.proxy] : [];
      const pins = (r.resolve ?? []).flatMap((x) => ['--resolve', x]);
      const common = ['--cacert', ca, '--max-time', String(MAX_TIME_S), ...proxied];
      const d = await run([r.url, ...pins, ...common, ...(r.options?.compareDirect ? ['--compare-direct'] : []), '--json']);
      // trace follows a ws:// URL's upgrade (WebSocket frames after the 101); it goes direct when --resolve pins the name.
      // An h2c behaviour is traced as a user traces an h2c server, with the preface at once (the Upgrade: h2c path gets HTTP/1.1).
      const t = await run(['trace', r.url, ...(proxied.length ? [] : pins), ...common, ...(s.id.startsWith('hostile-h2c-') ? ['--http2-prior-knowledge'] : [])]);
      let codes;
      try {
        codes = JSON.parse(d.stdout).findings.map((f) => f.code).join(' ');
      } catch {
        codes = '(no JSON)';
      }
      all.push(d, t);
      rows.push(`| ${s.id} | ${verdict(d.code)}: ${codes || '(none)'} | ${d.wallMs} | ${mb(d.hwmKib)} | ${verdict(t.code)}: ${traceCodes(t.stdout).join(' ') || '(none)'} | ${t.wallMs} | ${mb(t.hwmKib)} |`);
      process.stderr.write('.');
    } finally {
      await r.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stderr.write('\n');
const max = (f) => Math.max(...all.map(f));
console.log(`Hostile lab, built CLI, --max-time ${MAX_TIME_S} (bounds: ${BOUND_MS} ms, 128 MB), one run at a time:\n`);
console.log('| behaviour | diagnose: verdict: codes | wall ms | peak RSS MB | trace: verdict: codes | wall ms | peak RSS MB |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log(`\n${all.length} runs: ${all.filter((x) => x.code === 1).length} exit 1; longest ${max((x) => x.wallMs)} ms; highest peak RSS ${mb(max((x) => x.hwmKib))} MB (VmHWM)` + (haveTime ? `, ${mb(max((x) => x.timeKib))} MB (GNU time %M); largest gap between the two ${max((x) => Math.abs(x.hwmKib - x.timeKib))} KiB` : ''));
