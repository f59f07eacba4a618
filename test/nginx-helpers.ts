/**
 * Real TLS servers and reference scanners for the TLS integration tests and the bench: an nginx
 * (Debian package, installed by test/setup/tls-tools.sh) started on a loopback port with a given
 * TLS configuration and the lab PKI's certificate; sslscan and testssl.sh run against it, their
 * answers reduced to versions, cipher suites (IANA names) and ALPN.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net-helpers.js';
import { findBinary, labDir, nginxArgs, nginxConf, spawnServer } from './real-helpers.js';
import type { LabPki } from '../src/lab/pki.js';
import { CIPHER_SUITES } from '../src/wire/tls/registry.js';

export { findBinary };

export interface NginxTls {
  /** Lines inside the server block (ssl_protocols, ssl_ciphers, …). */
  tls: string;
  /** Whether `listen … ssl http2` (nginx 1.22 syntax). */
  http2: boolean;
  /** RSA certificate instead of ECDSA. */
  rsa?: boolean;
}

export interface RunningNginx {
  port: number;
  stop(): Promise<void>;
}

export async function startNginx(pki: LabPki, cfg: NginxTls): Promise<RunningNginx> {
  const { dir, cert, key } = await labDir(pki, 'nginx-tls', cfg.rsa ? 'rsa' : 'valid');
  const port = await freePort();
  const conf = nginxConf(
    dir,
    `
  server {
    listen 127.0.0.1:${port} ssl${cfg.http2 ? ' http2' : ''};
    server_name localhost;
    ssl_certificate ${cert};
    ssl_certificate_key ${key};
    ${cfg.tls}
    location / { return 200 "ok\\n"; }
  }`,
  );
  const server = await spawnServer('nginx', findBinary('nginx') ?? 'nginx', nginxArgs(dir, conf), dir, [port]);
  return { port, stop: server.stop };
}

/** What a scanner found, in comparable form. */
export interface ScanResult {
  versions: string[];
  /** IANA names per version. */
  ciphers: Record<string, string[]>;
  alpn?: string[];
}

const VERSION_OF: Record<string, string> = { 'SSLv3': 'SSLv3', 'TLSv1.0': 'TLSv1', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3' };

/** sslscan --xml: protocols enabled and every accepted suite (by id → IANA name). */
export function sslscan(port: number): { result: ScanResult; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(findBinary('sslscan')!, ['--xml=-', '--no-colour', '--no-heartbleed', '--no-fallback', '--no-renegotiation', '--no-compression', '--no-check-certificate', '--no-groups', `127.0.0.1:${port}`], { encoding: 'utf8', timeout: 120_000 });
  const ms = performance.now() - t0;
  const xml = r.stdout;
  const versions: string[] = [];
  for (const m of xml.matchAll(/<protocol type="(ssl|tls)" version="([\d.]+)" enabled="1"/g)) {
    const v = m[1] === 'ssl' ? `SSLv${m[2]}` : `TLSv${m[2]}`;
    versions.push(VERSION_OF[v] ?? v);
  }
  const ciphers: Record<string, string[]> = {};
  for (const m of xml.matchAll(/<cipher status="[^"]*" sslversion="([^"]+)"[^>]*? id="0x([0-9A-Fa-f]+)"/g)) {
    const v = VERSION_OF[m[1]!] ?? m[1]!;
    const code = parseInt(m[2]!, 16);
    const name = CIPHER_SUITES.find((c) => c.code === code)?.name ?? `0x${m[2]}`;
    (ciphers[v] ??= []).push(name);
  }
  return { result: { versions: versions.sort(), ciphers }, ms };
}

/** testssl.sh: `args` (e.g. ['-p'] or [] for the default run) with a JSON file; versions and ALPN from it. */
export function testssl(port: number, args: string[]): { result: ScanResult; ms: number; ok: boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'h2d-testssl-'));
  const json = join(dir, 'out.json');
  const t0 = performance.now();
  const r = spawnSync(findBinary('testssl') ?? 'testssl.sh', ['--quiet', '--warnings', 'off', '--color', '0', '--jsonfile', json, ...args, `127.0.0.1:${port}`], { encoding: 'utf8', timeout: 600_000 });
  const ms = performance.now() - t0;
  let items: Array<{ id: string; finding: string }> = [];
  try {
    items = JSON.parse(readFileSync(json, 'utf8'));
  } catch {
    /* no JSON */
  }
  rmSync(dir, { recursive: true, force: true });
  const ids: Record<string, string> = { SSLv3: 'SSLv3', TLS1: 'TLSv1', TLS1_1: 'TLSv1.1', TLS1_2: 'TLSv1.2', TLS1_3: 'TLSv1.3' };
  const versions = items.filter((i) => ids[i.id] && /^offered/.test(i.finding)).map((i) => ids[i.id]!);
  // testssl reports h2 apart (ALPN_HTTP2) from the other ALPN protocols (ALPN); "not offered" when none.
  const alpnItems = items.filter((i) => i.id === 'ALPN_HTTP2' || i.id === 'ALPN');
  const alpn = alpnItems.length ? alpnItems.flatMap((i) => (/not offered/.test(i.finding) ? [] : i.finding.split(/[\s,]+/).filter(Boolean))) : undefined;
  // Default run: cipher lists per protocol, ids like cipher-tls1_2_xc02c with "TLSv1.2 xc02c ECDHE-… ".
  const ciphers: Record<string, string[]> = {};
  for (const i of items) {
    const m = /^cipher-(tls1(?:_\d)?|ssl3)_x([0-9a-f]+)$/i.exec(i.id);
    if (!m) continue;
    const v = ({ tls1: 'TLSv1', tls1_1: 'TLSv1.1', tls1_2: 'TLSv1.2', tls1_3: 'TLSv1.3', ssl3: 'SSLv3' } as Record<string, string>)[m[1]!.toLowerCase()]!;
    const code = parseInt(m[2]!, 16);
    (ciphers[v] ??= []).push(CIPHER_SUITES.find((c) => c.code === code)?.name ?? `0x${m[2]}`);
  }
  return { result: { versions: versions.sort(), ciphers, ...(alpn ? { alpn } : {}) }, ms, ok: r.status !== null };
}
