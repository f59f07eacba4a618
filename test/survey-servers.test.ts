/**
 * `--survey` on the five servers of the speed bench (bench/servers.mjs: nginx, apache2, haproxy, caddy,
 * h2o; TLS 1.2 + 1.3, the lab's ECDSA P-256 certificate, h2 + http/1.1), each behind the bench's
 * counting relay (bench/conn-counter.mjs). Ground truth from real software on the same server in the
 * same run, written before the survey runs: versions and suites per version from sslscan, the TLS 1.3
 * groups from `openssl s_client -tls1_3 -groups G` (one handshake per group OpenSSL has), ALPN from
 * `openssl s_client -alpn`. The survey must find exactly those, and open no more connections than the
 * counts below (counts through the relay, which equal the report's): fewer than sslscan takes for
 * versions and suites alone on every server but haproxy (server order on suites and groups: each of
 * its 10 groups costs a hello; see docs/speed.md). A lost suite, group, version or ALPN answer fails here.
 */
import { describe, expect, test, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabPki } from '../src/lab/pki.js';
import { diagnose } from '../src/diagnose.js';
import type { Probe } from '../src/model/index.js';
import { startServer } from '../bench/servers.mjs';
import { sslscan } from './nginx-helpers.js';
import { findBinary, skipWithout } from './real-helpers.js';

/** Most connections a survey may open per server (measured 2026-12-03), and whether that must be fewer than sslscan's. */
const SERVERS: Array<{ name: string; max: number; underSslscan: boolean }> = [
  { name: 'nginx', max: 26, underSslscan: true },
  { name: 'apache2', max: 18, underSslscan: true },
  { name: 'haproxy', max: 23, underSslscan: false },
  { name: 'caddy', max: 15, underSslscan: true },
  { name: 'h2o', max: 18, underSslscan: true },
];
const OPENSSL_GROUPS = ['x25519', 'secp256r1', 'x448', 'secp521r1', 'secp384r1', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192'];
const OPENSSL = findBinary('openssl');
const SSLSCAN = findBinary('sslscan');

let root: string;
let ca: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'h2d-survey-servers-'));
  const pki = await createLabPki();
  const c = await pki.preset('valid');
  writeFileSync(join(root, 'cert.pem'), c.chainPem);
  writeFileSync(join(root, 'key.pem'), c.keyPem, { mode: 0o600 });
  writeFileSync(join(root, 'crt.pem'), c.chainPem + c.keyPem, { mode: 0o600 });
  ca = pki.rootCa.certPem;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** One openssl s_client handshake (stdin closed); its output. */
function sClient(port: number, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(OPENSSL!, ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...args], { input: '', encoding: 'utf8', timeout: 20_000 });
  return { ok: /^New, TLSv1\.3/m.test(r.stdout ?? '') || /^New, TLSv1\.2/m.test(r.stdout ?? ''), out: r.stdout ?? '' };
}

describe('--survey on the speed bench servers: same answers as sslscan and openssl, fewer connections', () => {
  for (const sv of SERVERS) {
    test.skipIf(skipWithout(findBinary(sv.name), sv.name) || skipWithout(SSLSCAN, 'sslscan') || skipWithout(OPENSSL, 'openssl'))(sv.name, async () => {
      const s = await startServer(sv.name, root);
      try {
        // Ground truth first.
        const before = s.count();
        const scan = sslscan(s.relayPort).result;
        await new Promise((r) => setTimeout(r, 50));
        const scanConnections = s.count() - before;
        const groups = OPENSSL_GROUPS.filter((g) => sClient(s.port, ['-tls1_3', '-groups', g]).ok).sort();
        const alpn = ['h2', 'http/1.1'].filter((a) => new RegExp(`^ALPN protocol: ${a.replace('/', '\\/')}$`, 'm').test(sClient(s.port, ['-alpn', a]).out)).sort();
        expect(scan.versions.length).toBeGreaterThan(0);
        expect(groups.length).toBeGreaterThan(0);

        const at = s.count();
        const report = await diagnose(`https://localhost:${s.relayPort}/`, { ca, resolve: [`localhost:${s.relayPort}:127.0.0.1`], survey: true, timeoutMs: 5000 });
        await new Promise((r) => setTimeout(r, 50));
        const counted = s.count() - at;
        const st = report.probes.find((p): p is Extract<Probe, { kind: 'tls-stage' }> => p.kind === 'tls-stage');
        const surface = st!.stage.surface!;
        expect(report.findings.map((f) => f.code)).toEqual([]);
        const ok = surface.versions.filter((v) => v.accepted);
        expect(ok.map((v) => v.version).sort()).toEqual(scan.versions);
        for (const v of ok) expect([...(v.ciphers ?? [])].sort(), v.version).toEqual([...(scan.ciphers[v.version] ?? [])].sort());
        expect([...(surface.groups ?? [])].sort()).toEqual(groups);
        expect((surface.alpn ?? []).filter((a) => a.chosen === a.offered[0]).map((a) => a.offered[0]).sort()).toEqual(alpn);
        // Connections: the relay's count is the report's, and within the bound.
        expect(counted).toBe(report.connections);
        expect(report.connections).toBeLessThanOrEqual(sv.max);
        if (sv.underSslscan) expect(report.connections).toBeLessThan(scanConnections);
      } finally {
        await s.stop();
      }
    }, 120_000);
  }
});
