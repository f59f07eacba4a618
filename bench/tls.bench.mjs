// The TLS figures: `h2doctor --survey` of one loopback nginx against testssl.sh (default run, and
// -p for protocols + ALPN) and sslscan on the same server in the same run — wall time (process
// start included), connections, and whether versions / suites / ALPN agree. Then the default
// diagnosis of a broken TLS target (a lab server with a suite Node does not offer): time and
// connections. BENCH_TESTSSL_DEFAULT=0 skips testssl's default run (about a minute).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { createLabPki } from '../dist/lab/pki.js';
import { findScenario } from '../dist/lab/scenarios.js';
import { CIPHER_SUITES } from '../dist/wire/tls/registry.js';

const BIN = new URL('../dist/cli/main.js', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const which = (c) => {
  const r = spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const nameOf = (code) => CIPHER_SUITES.find((c) => c.code === code)?.name ?? `0x${code.toString(16)}`;
const V = { 'TLSv1.0': 'TLSv1', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3', SSLv3: 'SSLv3' };
const eq = (a, b) => JSON.stringify(a) === JSON.stringify(b);

const nginx = which('nginx');
if (!nginx) {
  console.log('nginx not installed (bash test/setup/tls-tools.sh): TLS bench skipped');
  process.exit(0);
}
const pki = await createLabPki();
const dir = mkdtempSync(join(tmpdir(), 'h2d-tlsbench-'));
const cert = await pki.preset('valid');
writeFileSync(join(dir, 'cert.pem'), cert.chainPem);
writeFileSync(join(dir, 'key.pem'), cert.keyPem);
writeFileSync(join(dir, 'ca.pem'), pki.rootCa.certPem);
const port = await new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
writeFileSync(
  join(dir, 'nginx.conf'),
  `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 512; }
http { access_log off; client_body_temp_path ${dir}/b; proxy_temp_path ${dir}/p; fastcgi_temp_path ${dir}/f; uwsgi_temp_path ${dir}/u; scgi_temp_path ${dir}/s;
  server { listen 127.0.0.1:${port} ssl http2; server_name localhost;
    ssl_certificate ${dir}/cert.pem; ssl_certificate_key ${dir}/key.pem; ssl_protocols TLSv1.2 TLSv1.3;
    location / { return 200 "ok\\n"; } } }
`,
);
const ng = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
let relay;
// From here on, whatever fails, the finally at the end stops nginx and the relay and removes `dir`.
try {
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((r) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => (s.destroy(), r(true)));
      s.on('error', () => r(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }

  // Every tool talks to nginx through a counting relay, so the table can say how many connections each used.
  const relayPort = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  const countFile = join(dir, 'connections');
  relay = spawn(process.execPath, [new URL('./conn-counter.mjs', import.meta.url).pathname, String(relayPort), String(port), countFile], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((r, j) => {
    relay.stdout.once('data', r);
    relay.once('exit', () => j(new Error('conn-counter.mjs exited before it was ready')));
  });
  const connectionsSoFar = () => Number(readFileSync(countFile, 'utf8'));

  const timed = (cmd, args) => {
    const before = connectionsSoFar();
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
    const ms = performance.now() - t0;
    return { ms, r, connections: connectionsSoFar() - before };
  };

  // h2doctor --survey
  const args = [BIN, `https://localhost:${relayPort}/`, '--survey', '--json', '--cacert', join(dir, 'ca.pem'), '--resolve', `localhost:${relayPort}:127.0.0.1`];
  const runs = [];
  let report;
  let ourConnections = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = timed(process.execPath, args);
    runs.push(t.ms);
    ourConnections = t.connections;
    report = JSON.parse(t.r.stdout);
  }
  const surface = report.probes.find((p) => p.kind === 'tls-stage').stage.surface;
  const ours = {
    versions: surface.versions.filter((v) => v.accepted).map((v) => v.version).sort(),
    ciphers: Object.fromEntries(surface.versions.filter((v) => v.accepted).map((v) => [v.version, [...v.ciphers].sort()])),
    alpn: surface.alpn.filter((a) => a.chosen === a.offered[0]).map((a) => a.offered[0]).sort(),
  };
  // The relay's count, and the report's own (they agree when nothing else connects).
  const rows = [['h2doctor --survey', median(runs), `${ourConnections} (report: ${report.connections})`, '—', '—', '—']];

  // sslscan
  if (which('sslscan')) {
    const ms = [];
    let xml = '';
    let conns = 0;
    for (let i = 0; i < 3; i++) {
      const t = timed('sslscan', ['--xml=-', '--no-colour', '--no-heartbleed', '--no-fallback', '--no-renegotiation', '--no-compression', '--no-check-certificate', '--no-groups', `127.0.0.1:${relayPort}`]);
      ms.push(t.ms);
      conns = t.connections;
      xml = t.r.stdout;
    }
    const versions = [...xml.matchAll(/<protocol type="(ssl|tls)" version="([\d.]+)" enabled="1"/g)].map((m) => V[`${m[1] === 'ssl' ? 'SSLv' : 'TLSv'}${m[2]}`]).sort();
    const ciphers = {};
    for (const m of xml.matchAll(/<cipher status="[^"]*" sslversion="([^"]+)"[^>]*? id="0x([0-9A-Fa-f]+)"/g)) (ciphers[V[m[1]]] ??= []).push(nameOf(parseInt(m[2], 16)));
    for (const k of Object.keys(ciphers)) ciphers[k].sort();
    rows.push(['sslscan', median(ms), conns, eq(versions, ours.versions) ? 'agree' : 'DIFFER', eq(ciphers, ours.ciphers) ? 'agree' : 'DIFFER', 'no ALPN test']);
  }

  // testssl.sh
  const testssl = which('testssl') ?? which('testssl.sh');
  const runTestssl = (extra) => {
    const json = join(dir, `ts-${extra.join('')}.json`);
    rmSync(json, { force: true });
    const t = timed(testssl, ['--quiet', '--warnings', 'off', '--color', '0', '--jsonfile', json, ...extra, `127.0.0.1:${relayPort}`]);
    let items = [];
    try {
      items = JSON.parse(readFileSync(json, 'utf8'));
    } catch {}
    const ids = { SSLv3: 'SSLv3', TLS1: 'TLSv1', TLS1_1: 'TLSv1.1', TLS1_2: 'TLSv1.2', TLS1_3: 'TLSv1.3' };
    const versions = items.filter((i) => ids[i.id] && /^offered/.test(i.finding)).map((i) => ids[i.id]).sort();
    const alpn = items.filter((i) => i.id === 'ALPN_HTTP2' || i.id === 'ALPN').flatMap((i) => (/not offered/.test(i.finding) ? [] : i.finding.split(/[\s,]+/).filter(Boolean))).sort();
    const ciphers = {};
    for (const i of items) {
      const m = /^cipher-(tls1(?:_\d)?|ssl3)_x([0-9a-f]+)$/i.exec(i.id);
      if (!m) continue;
      const v = { tls1: 'TLSv1', tls1_1: 'TLSv1.1', tls1_2: 'TLSv1.2', tls1_3: 'TLSv1.3', ssl3: 'SSLv3' }[m[1].toLowerCase()];
      (ciphers[v] ??= []).push(nameOf(parseInt(m[2], 16)));
    }
    for (const k of Object.keys(ciphers)) ciphers[k].sort();
    return { ms: t.ms, connections: t.connections, versions, alpn, ciphers };
  };
  if (testssl) {
    const p = runTestssl(['-p']);
    rows.push(['testssl.sh -p', p.ms, p.connections, eq(p.versions, ours.versions) ? 'agree' : 'DIFFER', '—', eq(p.alpn, ours.alpn) ? 'agree' : 'DIFFER']);
    if (process.env.BENCH_TESTSSL_DEFAULT !== '0') {
      const d = runTestssl([]);
      rows.push(['testssl.sh (default run)', d.ms, d.connections, eq(d.versions, ours.versions) ? 'agree' : 'DIFFER', Object.keys(d.ciphers).length ? (eq(d.ciphers, ours.ciphers) ? 'agree' : 'DIFFER') : '—', eq(d.alpn, ours.alpn) ? 'agree' : 'DIFFER']);
    }
  }

  console.log(`TLS survey of one loopback nginx 1.22 (TLS 1.2 + 1.3, http2), h2doctor median of ${RUNS}, wall time with process start`);
  console.log(`h2doctor found: ${ours.versions.join(', ')}; ${Object.entries(ours.ciphers).map(([v, c]) => `${v}: ${c.length} suites`).join(', ')}; ALPN ${ours.alpn.join(', ')}`);
  console.log(['tool', 'ms', 'connections', 'versions', 'suites', 'ALPN', 'h2doctor faster by'].join('\t'));
  const base = rows[0][1];
  for (const r of rows) console.log([r[0], Math.round(r[1]), r[2], r[3], r[4], r[5], r === rows[0] ? '—' : `${(r[1] / base).toFixed(1)}×`].join('\t'));

  // The default diagnosis of a broken TLS target.
  const sc = findScenario('tls-legacy-ciphers-only');
  const running = await sc.start({ pki });
  const dargs = [BIN, running.url, '--json', '--cacert', join(dir, 'ca.pem'), ...running.resolve.flatMap((r) => ['--resolve', r])];
  const dms = [];
  let drep;
  for (let i = 0; i < 10; i++) {
    const t = await new Promise((resolve) => {
      const t0 = performance.now();
      const c = spawn(process.execPath, dargs, { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      c.stdout.on('data', (b) => (out += b));
      c.on('exit', () => resolve({ ms: performance.now() - t0, out }));
    });
    dms.push(t.ms);
    drep = JSON.parse(t.out);
  }
  await running.stop();
  const stage = drep.probes.find((p) => p.kind === 'tls-stage')?.stage;
  console.log(`\nDefault diagnosis of a broken TLS target (${sc.id}), median of 10, wall time with process start`);
  console.log(`${Math.round(median(dms))} ms; ${drep.connections} connections in all (${stage?.connections ?? 0} by the TLS bisection); found: ${drep.findings.map((f) => f.code).join(', ')}`);
} finally {
  relay?.kill();
  // nginx's graceful stop; SIGKILL if it is still there after 2 s. Its exit is awaited before `dir` goes.
  if (ng.exitCode === null && ng.signalCode === null) {
    const gone = new Promise((r) => ng.once('exit', r));
    ng.kill('SIGQUIT');
    const sleep = new Promise((r) => setTimeout(r, 2000).unref());
    if ((await Promise.race([gone.then(() => true), sleep.then(() => false)])) === false) {
      ng.kill('SIGKILL');
      await gone;
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
