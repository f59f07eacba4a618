#!/usr/bin/env node
// Client simulation: `h2doctor <url> --clients all` next to `testssl -c` on the same loopback
// server (node:http2, TLS 1.2 + 1.3, h2 + http/1.1), in one run, interleaved (h2doctor, testssl,
// h2doctor…): wall time, connections (counted by a relay in front of the server), and, for the
// clients both simulate, whether they agree on the TLS version and cipher. testssl reports no
// protocol outcome (h2 / HTTP/1.1 / fails); h2doctor does, per client.
//   npm run build && node bench/clients.bench.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import http2 from 'node:http2';
import net from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { createLabPki, writeLabPki } = await import(join(root, 'dist/lab/pki.js'));
const which = (b) => (spawnSync('sh', ['-c', `command -v ${b}`]).status === 0 ? b : undefined);
const testssl = which('testssl') ?? which('testssl.sh');
const ROUNDS = Number(process.env.ROUNDS ?? 2);

const work = mkdtempSync(join(tmpdir(), 'h2doctor-bench-clients-'));
const pki = await createLabPki();
const cert = await pki.preset('rsa');
const { caFile } = await writeLabPki(work, pki);
const server = http2.createSecureServer({ cert: cert.serverCertPem, key: cert.keyPem, allowHTTP1: true }, (_q, r) => r.end('ok\n'));
server.on('tlsClientError', () => {});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
let count = 0;
const relay = net.createServer((a) => {
  count++;
  const b = net.connect({ host: '127.0.0.1', port: server.address().port });
  a.pipe(b).pipe(a);
  const end = () => (a.destroy(), b.destroy());
  a.on('error', end).on('close', end);
  b.on('error', end).on('close', end);
});
await new Promise((r) => relay.listen(0, '127.0.0.1', r));
const port = relay.address().port;

const run = (cmd, args) =>
  new Promise((resolve) => {
    const t0 = performance.now();
    const before = count;
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c) => (out += c));
    p.on('close', () => resolve({ ms: performance.now() - t0, conns: count - before, out }));
  });

const h2d = () => run(process.execPath, [join(root, 'dist/cli/main.js'), `https://localhost:${port}/`, '--resolve', `localhost:${port}:127.0.0.1`, '--cacert', caFile, '--clients', 'all', '--json']);
const tss = (json) => run(testssl, ['--quiet', '--warnings', 'off', '--color', '0', '--jsonfile', json, '-c', `127.0.0.1:${port}`]);

const rows = [];
let agreement;
for (let i = 0; i < ROUNDS; i++) {
  const a = await h2d();
  const row = { h2doctorMs: Math.round(a.ms), h2doctorConns: a.conns };
  if (testssl) {
    const json = join(work, `testssl-${i}.json`);
    const b = await tss(json);
    Object.assign(row, { testsslMs: Math.round(b.ms), testsslConns: b.conns, ratio: +(b.ms / a.ms).toFixed(1) });
    if (i === 0) agreement = agree(JSON.parse(a.out), JSON.parse(readFileSync(json, 'utf8')));
  }
  rows.push(row);
}
console.log('client simulation: h2doctor --clients all vs testssl -c (same loopback server, interleaved)');
console.table(rows);
if (!testssl) console.log('testssl not installed: h2doctor alone');
if (agreement) {
  console.log('clients both simulate (h2doctor profile ↔ testssl client): TLS version and cipher');
  console.table(agreement);
}
const outcomes = {};
for (const c of JSON.parse((await h2d()).out).clients ?? []) outcomes[c.client] = `${c.outcome} (${c.tlsVersion ?? '-'} ${c.alpn ?? '-'})`;
console.log('h2doctor per-client protocol outcome (testssl reports none):');
console.table(outcomes);
relay.close();
server.close();
rmSync(work, { recursive: true, force: true });

/** testssl's client-simulation lines ("clientsimulation-<name>": "TLSv1.3 TLS_AES_256_GCM_SHA384") matched to our profiles by family. */
function agree(report, ts) {
  const lines = (Array.isArray(ts) ? ts : ts.scanResult ?? []).filter((x) => String(x.id).startsWith('clientsimulation-'));
  const pick = (re) => lines.filter((x) => re.test(x.id)).pop();
  const map = { chromium: /chrome/i, java17: /java_17/i, go: /go_/i, openssl: /openssl_3/i, 'python-urllib': /python/i, curl: /openssl_3/i };
  const out = [];
  for (const [id, re] of Object.entries(map)) {
    const ours = report.clients?.find((c) => c.client === id);
    const theirs = pick(re);
    if (!ours || !theirs) continue;
    const m = /(TLSv1\.\d|TLSv1)\s+(\S+)/.exec(theirs.finding ?? '');
    const ver = m?.[1];
    const ourVer = ours.tlsVersion;
    // testssl names suites in OpenSSL or IANA form: compare on the IANA name's tail.
    const tail = (s) => (s ?? '').replace(/^TLS_/, '').replace(/-/g, '_').toUpperCase();
    out.push({ client: id, testssl: theirs.id.replace('clientsimulation-', ''), h2doctor: `${ourVer} ${ours.cipher}`, testsslSays: theirs.finding, versionAgrees: ver === ourVer, cipherAgrees: !!m && (tail(m[2]) === tail(ours.cipher) || tail(ours.cipher).includes(tail(m[2]))) });
  }
  return out;
}
