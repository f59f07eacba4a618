// Issue 14's figures, each a ratio measured in one run with the rival interleaved (A B A B …),
// medians of BENCH_RUNS (default 7) runs, wall time with process start, peak RSS from GNU time-less
// /proc accounting (the child's ru_maxrss via `process.resourceUsage` of a wrapper): printed as a
// table and written to bench/results/speed.json.
//   - `h2doctor --version` vs `node -e 0`;
//   - a healthy diagnosis vs `node -e 0`, vs one `curl --http2`, vs `testssl.sh -p` (one run: slow);
//   - `--survey` vs sslscan (versions + suites) and vs `testssl.sh -p -e` (one run): time,
//     connections (a counting relay in front of the server) and agreement on versions/suites/ALPN;
// on real servers (bench/servers.mjs: nginx, apache2, h2o, caddy, haproxy), each on loopback with the lab certificate.
// Not part of `npm test`; no assertion, only figures. BENCH_SERVERS=nginx,caddy picks servers.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { SERVER_NAMES, startServer, writePki, which, sleep } from './servers.mjs';
import { CIPHER_SUITES } from '../dist/wire/tls/registry.js';

const BIN = new URL('../dist/h2doctor.cjs', import.meta.url).pathname;
const RUNS = Math.max(7, Number(process.env.BENCH_RUNS ?? 7));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const nameOf = (code) => CIPHER_SUITES.find((c) => c.code === code)?.name ?? `0x${code.toString(16)}`;
const eq = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** One child run: wall ms, peak RSS (MB, from /usr/bin/time -f when present, else the wrapper's rusage), stdout. */
const TIME = which('time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0 ? '/usr/bin/time' : undefined;
function once(cmd, args) {
  return new Promise((resolve) => {
    const argv = TIME ? ['-f', '__RSS__%M', cmd, ...args] : args;
    const t0 = process.hrtime.bigint();
    const c = spawn(TIME ?? cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (b) => (out += b));
    c.stderr.on('data', (b) => (err += b));
    const kill = setTimeout(() => c.kill('SIGKILL'), 600_000);
    c.on('close', (status) => {
      clearTimeout(kill);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const m = /__RSS__(\d+)/.exec(err);
      resolve({ ms, status, out, rssMB: m ? Number(m[1]) / 1024 : NaN });
    });
  });
}
/** A and B interleaved RUNS times: medians and the ratio of medians. */
async function pair(a, b, runs = RUNS) {
  const A = [];
  const B = [];
  for (let i = 0; i < runs; i++) {
    A.push(await a());
    B.push(await b());
  }
  const ma = median(A.map((x) => x.ms));
  const mb = median(B.map((x) => x.ms));
  return { a: { ms: ma, rssMB: median(A.map((x) => x.rssMB)), last: A.at(-1) }, b: { ms: mb, rssMB: median(B.map((x) => x.rssMB)), last: B.at(-1) }, ratio: ma / mb };
}

const root = mkdtempSync(join(tmpdir(), 'h2d-speed-'));
const CA = await writePki(root);

/** Connections a run opened, through the relay. */
async function counted(s, f) {
  const before = s.count();
  const r = await f();
  await sleep(30);
  return { ...r, connections: s.count() - before };
}

// The machine is shared: its load average at the start and the end goes with the figures.
const results = { runs: RUNS, node: process.version, date: new Date().toISOString(), cpus: cpus().length, load: { start: loadavg() }, command: 'node bench/speed.bench.mjs', startup: {}, servers: {} };
const node0 = () => once(process.execPath, ['-e', '0']);

// --version vs node -e 0
{
  const p = await pair(() => once(process.execPath, [BIN, '--version']), node0, Math.max(RUNS, 15));
  results.startup = { versionMs: p.a.ms, nodeMs: p.b.ms, ratio: p.ratio, versionRssMB: p.a.rssMB, nodeRssMB: p.b.rssMB };
}

const testssl = which('testssl') ?? which('testssl.sh');
const wanted = (process.env.BENCH_SERVERS ?? SERVER_NAMES.join(',')).split(',').filter((n) => SERVER_NAMES.includes(n) && which(n));
for (const name of wanted) {
  const s = await startServer(name, root);
  const row = { load1: loadavg()[0] };
  try {
    const url = `https://localhost:${s.relayPort}/`;
    const pin = ['--resolve', `localhost:${s.relayPort}:127.0.0.1`];
    const diag = () => counted(s, () => once(process.execPath, [BIN, url, '--json', '--cacert', CA, ...pin]));
    // Diagnosis vs node -e 0 and vs curl --http2, interleaved.
    const vsNode = await pair(diag, node0);
    const rep = JSON.parse(vsNode.a.last.out);
    const vsCurl = await pair(diag, () => once('curl', ['-s', '-o', '/dev/null', '--http2', '--cacert', CA, ...pin, url]));
    row.diagnosis = { ms: vsNode.a.ms, rssMB: vsNode.a.rssMB, connections: vsNode.a.last.connections, reportConnections: rep.connections, verdict: rep.verdict, findings: rep.findings.map((f) => f.code), nodeMs: vsNode.b.ms, vsNode: vsNode.ratio, curlMs: vsCurl.b.ms, vsCurl: vsCurl.ratio };
    if (testssl) {
      const t = await counted(s, () => once(testssl, ['--quiet', '--warnings', 'off', '--color', '0', '-p', `127.0.0.1:${s.relayPort}`]));
      row.diagnosis.testsslPMs = t.ms;
      row.diagnosis.vsTestsslP = row.diagnosis.ms / t.ms;
    }
    // Survey vs sslscan, interleaved; agreement on versions and suites.
    const survey = () => counted(s, () => once(process.execPath, [BIN, url, '--survey', '--json', '--cacert', CA, ...pin]));
    const sslscanRun = () => counted(s, () => once('sslscan', ['--xml=-', '--no-colour', '--no-heartbleed', '--no-fallback', '--no-renegotiation', '--no-compression', '--no-check-certificate', '--no-groups', `127.0.0.1:${s.relayPort}`]));
    const vsScan = await pair(survey, sslscanRun);
    const srep = JSON.parse(vsScan.a.last.out);
    const surface = srep.probes.find((p) => p.kind === 'tls-stage').stage.surface;
    const ours = {
      versions: surface.versions.filter((v) => v.accepted).map((v) => v.version).sort(),
      ciphers: Object.fromEntries(surface.versions.filter((v) => v.accepted).map((v) => [v.version, [...v.ciphers].sort()])),
      alpn: (surface.alpn ?? []).filter((a) => a.chosen === a.offered[0]).map((a) => a.offered[0]).sort(),
    };
    const xml = vsScan.b.last.out;
    const V = { 'TLSv1.0': 'TLSv1', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3', SSLv3: 'SSLv3' };
    const scanVersions = [...xml.matchAll(/<protocol type="(ssl|tls)" version="([\d.]+)" enabled="1"/g)].map((m) => V[`${m[1] === 'ssl' ? 'SSLv' : 'TLSv'}${m[2]}`]).sort();
    const scanCiphers = {};
    for (const m of xml.matchAll(/<cipher status="[^"]*" sslversion="([^"]+)"[^>]*? id="0x([0-9A-Fa-f]+)"/g)) (scanCiphers[V[m[1]]] ??= []).push(nameOf(parseInt(m[2], 16)));
    for (const k of Object.keys(scanCiphers)) scanCiphers[k].sort();
    row.survey = { ms: vsScan.a.ms, rssMB: vsScan.a.rssMB, connections: vsScan.a.last.connections, sslscanMs: vsScan.b.ms, sslscanConnections: vsScan.b.last.connections, vsSslscan: vsScan.ratio, versionsAgree: eq(ours.versions, scanVersions), suitesAgree: eq(ours.ciphers, scanCiphers), groups: surface.groups, alpn: ours.alpn };
    if (testssl) {
      const json = join(root, `${name}-ts.json`);
      const t = await counted(s, () => once(testssl, ['--quiet', '--warnings', 'off', '--color', '0', '--jsonfile', json, '-p', '-e', `127.0.0.1:${s.relayPort}`]));
      let items = [];
      try {
        items = JSON.parse(readFileSync(json, 'utf8'));
      } catch {}
      const alpn = items.filter((i) => i.id === 'ALPN_HTTP2' || i.id === 'ALPN').flatMap((i) => (/not offered/.test(i.finding) ? [] : i.finding.split(/[\s,]+/).filter(Boolean))).sort();
      const tsc = {};
      for (const i of items) {
        const m = /^cipher-(tls1(?:_\d)?|ssl3)_x([0-9a-f]+)$/i.exec(i.id);
        if (!m) continue;
        const v = { tls1: 'TLSv1', tls1_1: 'TLSv1.1', tls1_2: 'TLSv1.2', tls1_3: 'TLSv1.3', ssl3: 'SSLv3' }[m[1].toLowerCase()];
        (tsc[v] ??= []).push(nameOf(parseInt(m[2], 16)));
      }
      for (const k of Object.keys(tsc)) tsc[k].sort();
      // `-e` tests each suite once, not per version (ids cipher_x1302): compared with every suite found at any version.
      const each = [...new Set(items.filter((i) => /^cipher_x[0-9a-f]+$/i.test(i.id)).map((i) => nameOf(parseInt(i.id.slice('cipher_x'.length), 16))))].sort();
      const oursAll = [...new Set(Object.values(ours.ciphers).flat())].sort();
      row.survey.testsslPEMs = t.ms;
      row.survey.testsslPEConnections = t.connections;
      row.survey.vsTestsslPE = row.survey.ms / t.ms;
      row.survey.testsslSuitesAgree = Object.keys(tsc).length ? eq(tsc, ours.ciphers) : each.length ? eq(each, oursAll) : null;
      row.survey.testsslAlpnAgree = eq([...new Set(alpn)].sort(), ours.alpn);
    }
  } catch (e) {
    row.error = String(e?.stack ?? e);
  } finally {
    await s.stop();
  }
  results.servers[name] = row;
}
rmSync(root, { recursive: true, force: true });
results.load.end = loadavg();

const f = (x, d = 0) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '—');
const st = results.startup;
console.log(`h2doctor speed, ${RUNS} interleaved runs each (median wall ms, process start included; ratios of medians; peak RSS MB)`);
console.log(`${results.cpus} CPUs, load average ${results.load.start.map((x) => x.toFixed(2)).join(' ')} at the start, ${results.load.end.map((x) => x.toFixed(2)).join(' ')} at the end`);
console.log(`--version ${f(st.versionMs, 1)} ms vs node -e 0 ${f(st.nodeMs, 1)} ms: ${f(st.ratio, 2)}× (target ≤ 1.2×); RSS ${f(st.versionRssMB, 1)} vs ${f(st.nodeRssMB, 1)} MB`);
console.log(['server', 'diag ms', '×node', '×curl', '×testssl -p', 'conns', 'RSS MB', 'verdict', '|', 'survey ms', 'conns', 'sslscan ms', 'conns', '×sslscan', 'v/suites agree', 'testssl -p -e ms', 'conns', 'suites/ALPN agree', 'RSS MB', 'load'].join('\t'));
for (const [name, r] of Object.entries(results.servers)) {
  if (r.error) {
    console.log(`${name}\terror: ${r.error.split('\n')[0]}`);
    continue;
  }
  const d = r.diagnosis;
  const v = r.survey;
  console.log([name, f(d.ms), f(d.vsNode, 2), f(d.vsCurl, 1), f(d.vsTestsslP, 3), `${d.connections}`, f(d.rssMB, 1), `${d.verdict}${d.findings.length ? ` (${d.findings.join(',')})` : ''}`, '|', f(v.ms), `${v.connections}`, f(v.sslscanMs), `${v.sslscanConnections}`, f(v.vsSslscan, 2), `${v.versionsAgree && v.suitesAgree ? 'yes' : 'NO'}`, f(v.testsslPEMs), `${v.testsslPEConnections ?? '—'}`, `${v.testsslSuitesAgree === undefined ? '—' : v.testsslSuitesAgree === null ? '?' : v.testsslSuitesAgree ? 'yes' : 'NO'}/${v.testsslAlpnAgree === undefined ? '—' : v.testsslAlpnAgree ? 'yes' : 'NO'}`, f(v.rssMB, 1), f(r.load1, 1)].join('\t'));
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/speed.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
console.log('written: bench/results/speed.json');
