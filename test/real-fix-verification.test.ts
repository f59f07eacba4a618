/**
 * Fix verification (issue 11, "Fixes for the server that is actually there"): for each scenario a
 * real server (Debian nginx 1.22, Apache 2.4, HAProxy 2.6, Caddy 2.6, lighttpd 1.4.69, h2o 2.2.5,
 * Squid 5.7 as a forward and as a reverse proxy) is started on loopback with a
 * broken configuration; h2doctor diagnoses it; then h2doctor's OWN fix for that server — the
 * machine form of the fix (`Fix.config`) for the server kind, applied by `applyConfigChange` to the
 * block of the configuration it names — is applied, the server is started again on the same port,
 * a real client (curl / openssl) proves the fixed server works, and the diagnosis is repeated: the
 * finding must be gone (and the codes left are exact).
 *
 * The ground truth of every case comes from the real clients, before h2doctor's answer is read:
 * `broken` shows the failure with curl/openssl, `fixed` shows curl/openssl succeeding.
 * Cases run a few at a time (each server starts in about 100 ms). `FIXED_CODES` below is the list
 * of codes whose fix is verified (printed by `node scripts/real-coverage.mjs`).
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { diagnose } from '../src/diagnose.js';
import { applyConfigChange } from '../src/diagnosis/config-change.js';
import { listen, type Listening } from '../src/lab/servers.js';
import { ws426, wsUpgrade } from '../src/lab/upgrade-ws.js';
import type { LabCertPreset } from '../src/lab/pki.js';
import type { Code, Fix, Report } from '../src/model/index.js';
import { apacheHead, codes, createLabPki, findBinary, freePort, nginxArgs, nginxConf, runClient as run, skipWithout, spawnServer, type LabPki, type RealServer } from './real-helpers.js';

vi.setConfig({ testTimeout: 60_000 });

const BIN = {
  nginx: findBinary('nginx'),
  apache: findBinary('apache2'),
  haproxy: findBinary('haproxy'),
  caddy: findBinary('caddy'),
  lighttpd: findBinary('lighttpd'),
  h2o: findBinary('h2o'),
  squid: findBinary('squid'),
};
type Kind = keyof typeof BIN;

/** A configuration as named blocks of lines (the blocks `Fix.config.block` names), rendered per server kind. */
type Blocks = Record<string, string[]>;

interface Case {
  name: string;
  kind: Kind;
  scheme: 'https' | 'http' | 'ws';
  path?: string;
  /** `proxy`: the server is a forward proxy; the diagnosis goes through it (--proxy) to the lab's healthy HTTPS origin. */
  via?: 'proxy';
  /** The finding whose own fix is applied. */
  code: Code;
  /** The certificate the broken server presents (default: `valid`). */
  cert?: LabCertPreset;
  blocks: (f: Files) => Blocks;
  /** Exact codes before and after the fix. */
  before: Code[];
  after: Code[];
  /** A real client shows the failure on the broken server … */
  broken: (port: number) => Promise<void>;
  /** … and success on the fixed one. */
  fixed: (port: number) => Promise<void>;
}

/** Files of one server instance: its directory, the certificate it presents and its key. */
interface Files {
  dir: string;
  cert: string;
  key: string;
  /** cert + key in one file (HAProxy's crt). */
  pem: string;
}

let pki: LabPki;
let caFile: string;
let backend: Listening;
/** A healthy HTTPS origin (h2 and HTTP/1.1) that the proxy cases reach through the proxy. */
let origin: Listening;

beforeAll(async () => {
  pki = await createLabPki();
  const dir = mkdtempSync(join(tmpdir(), 'h2d-fixver-ca-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pki.rootCa.certPem);
  // The backend behind the proxies: a WebSocket endpoint (426 to a plain GET, 101 to an upgrade);
  // /h2c answers like Apache mod_http2 with h2c on (Upgrade: h2,h2c + Connection: Upgrade).
  const s = http.createServer((req, res) => {
    if (req.url?.startsWith('/h2c')) {
      res.writeHead(200, { 'content-type': 'text/plain', upgrade: 'h2,h2c', connection: 'Upgrade' });
      res.end('backend with h2c\n');
    } else ws426(res);
  });
  s.on('upgrade', (req, socket, head) => wsUpgrade(req, socket, head));
  backend = await listen(s, '127.0.0.1');
  const c = await pki.preset('valid');
  origin = await listen(http2.createSecureServer({ cert: c.chainPem, key: c.keyPem, allowHTTP1: true }, (_req, res) => res.end('origin\n')), '127.0.0.1');
});
afterAll(async () => {
  await backend?.stop();
  await origin?.stop();
});

// ---- rendering each kind's configuration from its blocks -------------------------------------

function render(kind: Kind, f: Files, port: number, b: Blocks): { bin: string; args: string[] } {
  const { dir } = f;
  switch (kind) {
    case 'nginx': {
      const server = (b.server ?? []).map((l) => l.replace('127.0.0.1:PORT', `127.0.0.1:${port}`));
      const conf = nginxConf(dir, `  server {\n    ${server.join('\n    ')}\n    location / {\n      ${(b.location ?? []).join('\n      ')}\n    }\n  }\n`);
      return { bin: BIN.nginx ?? 'nginx', args: nginxArgs(dir, conf) };
    }
    case 'apache': {
      chmodSync(dir, 0o755);
      const mods = ['mpm_event', 'authz_core', 'ssl', 'socache_shmcb', 'http2', 'proxy', 'proxy_http', 'headers'];
      const conf = `${apacheHead(dir, mods)}\nSSLSessionCache shmcb:${dir}/ssl_scache(512000)\nListen 127.0.0.1:${port}\n<VirtualHost 127.0.0.1:${port}>\n  ${(b.virtualhost ?? []).join('\n  ')}\n</VirtualHost>\n`;
      writeFileSync(join(dir, 'httpd.conf'), conf);
      return { bin: BIN.apache ?? 'apache2', args: ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'] };
    }
    case 'haproxy': {
      const conf = `global\n  maxconn 100\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 5s\n  timeout server 5s\nfrontend fe\n  bind 127.0.0.1:${port} ${(b.bind ?? []).join(' ')}\n  ${(b.frontend ?? []).join('\n  ')}\n`;
      writeFileSync(join(dir, 'haproxy.cfg'), conf);
      return { bin: BIN.haproxy ?? 'haproxy', args: ['-f', join(dir, 'haproxy.cfg'), '-db'] };
    }
    case 'caddy': {
      const tls = b.tls ? `  tls ${f.cert} ${f.key} {\n    ${b.tls.join('\n    ')}\n  }\n` : '';
      const scheme = b.tls ? 'https' : 'http';
      const conf = `{\n  admin off\n  auto_https off\n  storage file_system ${dir}/data\n  servers {\n    ${(b.servers ?? []).join('\n    ')}\n  }\n}\n${scheme}://localhost:${port} {\n  bind 127.0.0.1\n${tls}  ${(b.site ?? []).join('\n  ')}\n}\n`;
      writeFileSync(join(dir, 'Caddyfile'), conf);
      return { bin: BIN.caddy ?? 'caddy', args: ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'] };
    }
    case 'lighttpd': {
      mkdirSync(join(dir, 'htdocs'), { recursive: true });
      writeFileSync(join(dir, 'htdocs', 'index.html'), 'ok\n');
      const conf = [`server.document-root = "${dir}/htdocs"`, 'index-file.names = ("index.html")', 'server.bind = "127.0.0.1"', `server.port = ${port}`, `server.pid-file = "${dir}/lighttpd.pid"`, `server.errorlog = "${dir}/error.log"`, ...(b.global ?? [])];
      writeFileSync(join(dir, 'lighttpd.conf'), conf.join('\n') + '\n');
      return { bin: BIN.lighttpd ?? 'lighttpd', args: ['-D', '-f', join(dir, 'lighttpd.conf')] };
    }
    case 'h2o': {
      mkdirSync(join(dir, 'htdocs'), { recursive: true });
      writeFileSync(join(dir, 'htdocs', 'index.html'), 'ok\n');
      // As root h2o drops to nobody unless told otherwise; OCSP stapling would call the (absent) responder.
      const ssl = b.ssl ? ['  ssl:', '    ocsp-update-interval: 0', ...b.ssl.map((l) => `    ${l}`)] : [];
      const conf = ['user: root', `pid-file: ${dir}/h2o.pid`, `error-log: ${dir}/error.log`, ...(b.global ?? []), 'listen:', '  host: 127.0.0.1', `  port: ${port}`, ...ssl, 'hosts:', '  default:', '    paths:', '      /:', `        file.dir: ${dir}/htdocs`];
      writeFileSync(join(dir, 'h2o.conf'), conf.join('\n') + '\n');
      return { bin: BIN.h2o ?? 'h2o', args: ['-c', join(dir, 'h2o.conf')] };
    }
    case 'squid': {
      // Squid drops to the proxy user: its directory must be writable to it. A service name of its own
      // (-n) per instance keeps instances running at once apart.
      chmodSync(dir, 0o777);
      const accel = (b.global ?? []).some((l) => l.startsWith('cache_peer')) ? ' accel defaultsite=localhost' : '';
      const conf = [`http_port 127.0.0.1:${port}${accel}`, `pid_filename ${dir}/squid.pid`, `cache_log ${dir}/cache.log`, 'access_log none', 'cache deny all', 'pinger_enable off', `coredump_dir ${dir}`, 'shutdown_lifetime 0 seconds', ...(b.global ?? [])];
      writeFileSync(join(dir, 'squid.conf'), conf.join('\n') + '\n');
      return { bin: BIN.squid ?? 'squid', args: ['-N', '-n', `h2dfix${port}`, '-f', join(dir, 'squid.conf')] };
    }
  }
}

async function files(preset: LabCertPreset, prefix: string): Promise<Files> {
  const dir = mkdtempSync(join(tmpdir(), `h2d-fixver-${prefix}-`));
  const c = await pki.preset(preset);
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  writeFileSync(cert, c.serverCertPem);
  writeFileSync(key, c.keyPem, { mode: 0o600 });
  const pem = join(dir, 'crt.pem');
  writeFileSync(pem, c.serverCertPem + c.keyPem, { mode: 0o600 });
  // The files a certificate fix names (/etc/ssl/site/fullchain.pem, privkey.pem): the renewed
  // certificate (a fresh valid one), its full chain, and its key.
  const renewed = preset === 'missingIntermediate' ? c : await pki.preset('valid');
  writeFileSync(join(dir, 'fullchain.pem'), renewed.chainPem);
  writeFileSync(join(dir, 'privkey.pem'), renewed.keyPem, { mode: 0o600 });
  return { dir, cert, key, pem };
}

async function start(c: Case, f: Files, port: number, b: Blocks): Promise<RealServer> {
  const { bin, args } = render(c.kind, f, port, b);
  return spawnServer(c.kind, bin, args, f.dir, [port]);
}

async function diagnoseAt(c: Case, port: number): Promise<Report> {
  if (c.via === 'proxy') {
    const o = origin.port;
    return diagnose(`https://localhost:${o}/`, { resolve: [`localhost:${o}:127.0.0.1`], ca: readFileSync(caFile, 'utf8'), caFile, timeoutMs: 3000, proxy: `http://127.0.0.1:${port}` });
  }
  return diagnose(`${c.scheme}://localhost:${port}${c.path ?? '/'}`, { resolve: [`localhost:${port}:127.0.0.1`], ca: readFileSync(caFile, 'utf8'), caFile, timeoutMs: 3000, proxy: null });
}

/** The finding's own fix for the server kind, in machine form; the detected server's fix comes first. */
function ownFix(r: Report, c: Case): Fix & { config: NonNullable<Fix['config']> } {
  const f = r.findings.find((x) => x.code === c.code);
  expect(f, `${c.code} found`).toBeDefined();
  // A server's fix, or for a proxy (squid) a fix on the network side: never a client's.
  const fix = f!.fixes.find((x) => x.side !== 'client' && x.applies === c.kind && x.config);
  expect(fix, `${c.code}: a machine-applicable ${c.kind} fix`).toBeDefined();
  // When the server named itself (Server field), its fix is the first one shown.
  const named = r.probes.some((p) => JSON.stringify(p).toLowerCase().includes(`"server","${c.kind === 'apache' ? 'apache' : c.kind}`));
  if (named) expect(f!.fixes[0]!.applies, `${c.code}: the detected ${c.kind}'s fix first`).toBe(c.kind);
  return fix as Fix & { config: NonNullable<Fix['config']> };
}

/** Runs `jobs` at most `n` at a time. */
function limiter(n: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
const slot = limiter(3);

async function verify(c: Case): Promise<void> {
  const port = await freePort();
  // 1. The broken server: a real client shows the failure, then h2doctor diagnoses it.
  const f1 = await files(c.cert ?? 'valid', `${c.kind}-broken`);
  const blocks = c.blocks(f1);
  let server = await start(c, f1, port, blocks);
  let fix: Fix & { config: NonNullable<Fix['config']> };
  try {
    await c.broken(port);
    const r = await diagnoseAt(c, port);
    expect(codes(r), `${c.name}: before the fix`).toEqual([...c.before].sort());
    fix = ownFix(r, c);
  } finally {
    await server.stop();
  }
  // 2. h2doctor's fix, applied to the block it names; the same server started again on the same port.
  const f2 = await files(c.cert ?? 'valid', `${c.kind}-fixed`);
  const again = c.blocks(f2);
  const block = again[fix.config.block];
  expect(block, `${c.name}: the fix's block "${fix.config.block}" exists in the ${c.kind} configuration`).toBeDefined();
  again[fix.config.block] = applyConfigChange(block!, fix.config).map((l) => l.replaceAll('/etc/ssl/site/', `${f2.dir}/`));
  server = await start(c, f2, port, again);
  try {
    await c.fixed(port);
    const r = await diagnoseAt(c, port);
    expect(codes(r), `${c.name}: after the fix (${JSON.stringify(fix.config)})`).toEqual([...c.after].sort());
    expect(codes(r)).not.toContain(c.code);
  } finally {
    await server.stop();
  }
}

// ---- real-client truths ---------------------------------------------------------------------

const curl = (port: number, extra = '', scheme = 'https', path = '/') =>
  run(`curl -sv --max-time 10 --cacert ${caFile} --resolve localhost:${port}:127.0.0.1 ${extra} ${scheme}://localhost:${port}${path} 2>&1`);
const ossl = (port: number, extra = '') => run(`openssl s_client -connect 127.0.0.1:${port} -servername localhost -CAfile ${caFile} ${extra} </dev/null 2>&1`);
/** curl over HTTP/2 gets a 200 from a verified TLS connection. */
const h2ok = async (port: number) => {
  const out = await curl(port, '--http2');
  expect(out).toMatch(/SSL certificate verify ok/);
  expect(out).toMatch(/ALPN: server accepted h2/);
  expect(out).toMatch(/< HTTP\/2 200/);
};
const tls13 = async (port: number) => expect(await ossl(port, '-tls1_3')).toMatch(/Protocol\s*: TLSv1\.3|New, TLSv1\.3/);
const tls12 = async (port: number) => expect(await ossl(port, '-tls1_2')).toMatch(/Protocol\s*: TLSv1\.2|New, TLSv1\.2/);
const refused = async (port: number, extra: string, alert: RegExp) => expect(await ossl(port, extra)).toMatch(alert);

// ---- the cases ------------------------------------------------------------------------------

const ok = 'return 200 "ok\\n";';
const nginxTls = (f: Files, more: string[], listen = 'ssl http2') => ({ server: [`listen 127.0.0.1:PORT ${listen};`, 'server_name localhost;', `ssl_certificate ${f.cert};`, `ssl_certificate_key ${f.key};`, ...more], location: [ok] });

const NGINX: Case[] = [
  {
    name: 'ssl_protocols TLSv1 TLSv1.1',
    kind: 'nginx', scheme: 'https', code: 'tls-version-too-old',
    blocks: (f) => nginxTls(f, ['ssl_protocols TLSv1 TLSv1.1;', "ssl_ciphers 'DEFAULT:@SECLEVEL=0';"]),
    before: ['tls-version-too-old'], after: [],
    broken: (p) => refused(p, '-tls1_2', /alert number 70|unsupported protocol/),
    fixed: async (p) => (await h2ok(p), await tls13(p)),
  },
  {
    name: 'ssl_ecdh_curve brainpoolP256r1 with ECDHE suites only',
    kind: 'nginx', scheme: 'https', code: 'tls-no-shared-group',
    blocks: (f) => nginxTls(f, ['ssl_protocols TLSv1.2;', 'ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256;', 'ssl_ecdh_curve brainpoolP256r1;']),
    // TLS 1.2 stays the only version: the fix of this finding is the groups.
    before: ['tls-no-shared-group'], after: ['tls13-not-supported'],
    broken: (p) => refused(p, '-tls1_2', /alert number 40/),
    fixed: async (p) => (await h2ok(p), await tls12(p), await refused(p, '-tls1_3', /alert number 70|protocol version/)),
  },
  {
    name: 'http2_max_concurrent_streams 0',
    kind: 'nginx', scheme: 'https', code: 'h2-no-streams-allowed',
    blocks: (f) => nginxTls(f, ['ssl_protocols TLSv1.2 TLSv1.3;', 'http2_max_concurrent_streams 0;']),
    before: ['h2-no-streams-allowed'], after: [],
    broken: async (p) => expect(await curl(p, '--http2 --max-time 3')).not.toMatch(/< HTTP\/2 200/),
    fixed: h2ok,
  },
  {
    name: 'TLS 1.2 with a CBC suite only (RFC 9113 block list)',
    kind: 'nginx', scheme: 'https', code: 'h2-inadequate-security',
    blocks: (f) => nginxTls(f, ['ssl_protocols TLSv1.2;', 'ssl_ciphers ECDHE-ECDSA-AES128-SHA256;']),
    before: ['h2-inadequate-security', 'tls13-not-supported'], after: [],
    broken: async (p) => expect(await curl(p, '--http2')).toMatch(/TLSv1\.2 \/ ECDHE-ECDSA-AES128-SHA256/),
    fixed: async (p) => (await h2ok(p), await tls13(p), expect(await ossl(p, '-tls1_2')).toMatch(/Cipher is ECDHE-ECDSA-AES(128|256)-GCM|Cipher is ECDHE-ECDSA-CHACHA20/)),
  },
  {
    name: 'ssl_protocols TLSv1.3',
    kind: 'nginx', scheme: 'https', code: 'tls12-not-supported',
    blocks: (f) => nginxTls(f, ['ssl_protocols TLSv1.3;']),
    before: ['tls12-not-supported'], after: [],
    broken: (p) => refused(p, '-tls1_2', /alert number 70/),
    fixed: async (p) => (await h2ok(p), await tls12(p)),
  },
  {
    name: 'ssl_protocols TLSv1.2',
    kind: 'nginx', scheme: 'https', code: 'tls13-not-supported',
    blocks: (f) => nginxTls(f, ['ssl_protocols TLSv1.2;']),
    before: ['tls13-not-supported'], after: [],
    broken: (p) => refused(p, '-tls1_3', /alert number 70|protocol version/),
    fixed: async (p) => (await h2ok(p), await tls13(p)),
  },
  {
    name: 'an ECDSA certificate with only ECDHE-RSA suites, TLS 1.2',
    kind: 'nginx', scheme: 'https', code: 'tls-no-shared-cipher',
    blocks: (f) => nginxTls(f, ['ssl_protocols TLSv1.2;', 'ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384;']),
    before: ['tls-no-shared-cipher'], after: [],
    broken: (p) => refused(p, "-tls1_2 -cipher 'ALL:@SECLEVEL=0'", /alert number 40/),
    fixed: async (p) => (await h2ok(p), await tls12(p), await tls13(p)),
  },
  {
    // OpenSSL logs "no shared cipher" for TLS 1.2 hellos and "no suitable signature algorithm" for TLS 1.3
    // ones (nginx error log at info, seen by hand): the same alert 40 to every hello as a key-type mismatch.
    name: 'an ECDSA P-256 certificate with ssl_conf_command SignatureAlgorithms ed25519, TLS 1.2 and 1.3',
    kind: 'nginx', scheme: 'https', code: 'tls-no-shared-cipher',
    blocks: (f) => nginxTls(f, ['ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_conf_command SignatureAlgorithms ed25519;']),
    before: ['tls-no-shared-cipher'], after: [],
    broken: async (p) => (await refused(p, '-tls1_3', /alert number 40/), await refused(p, "-tls1_2 -cipher 'ALL:@SECLEVEL=0'", /alert number 40/)),
    fixed: async (p) => (await h2ok(p), await tls12(p), await tls13(p)),
  },
  {
    name: 'TLS 1.3, ssl_verify_client on',
    kind: 'nginx', scheme: 'https', code: 'tls-client-cert-required',
    blocks: (f) => {
      writeFileSync(join(f.dir, 'client-ca.pem'), pki.rootCa.certPem);
      return nginxTls(f, ['ssl_protocols TLSv1.2 TLSv1.3;', `ssl_client_certificate ${f.dir}/client-ca.pem;`, 'ssl_verify_client on;']);
    },
    before: ['tls-client-cert-required'], after: [],
    broken: async (p) => expect(await curl(p, '--http2')).toMatch(/No required SSL certificate was sent/),
    fixed: h2ok,
  },
  {
    name: 'proxy_pass to a backend that sends Upgrade: h2,h2c',
    kind: 'nginx', scheme: 'https', path: '/h2c', code: 'h2-connection-specific-header',
    blocks: (f) => ({ ...nginxTls(f, ['ssl_protocols TLSv1.2 TLSv1.3;']), location: [`proxy_pass http://127.0.0.1:${backend.port};`] }),
    before: ['h2-connection-specific-header'], after: [],
    broken: async (p) => expect(await curl(p, '--http2', 'https', '/h2c')).toMatch(/PROTOCOL_ERROR/),
    fixed: async (p) => {
      const out = await curl(p, '--http2', 'https', '/h2c');
      expect(out).toMatch(/< HTTP\/2 200/);
      expect(out).not.toMatch(/PROTOCOL_ERROR/);
    },
  },
  {
    name: 'listen … ssl without http2',
    kind: 'nginx', scheme: 'https', code: 'alpn-no-h2',
    blocks: (f) => nginxTls(f, ['ssl_protocols TLSv1.2 TLSv1.3;'], 'ssl'),
    before: ['alpn-no-h2'], after: [],
    broken: async (p) => expect(await curl(p, '--http2')).toMatch(/ALPN: server accepted http\/1\.1/),
    fixed: h2ok,
  },
  {
    name: 'cleartext listen without http2',
    kind: 'nginx', scheme: 'http', code: 'h2c-not-supported',
    blocks: () => ({ server: ['listen 127.0.0.1:PORT;', 'server_name localhost;'], location: [ok] }),
    before: ['h2c-not-supported', 'preface-http1-response'],
    // nginx 1.22 then speaks HTTP/2 only on the port (prior knowledge), as the fix text says.
    after: ['h2c-upgrade-unsupported', 'http1-not-supported'],
    broken: async (p) => expect(await curl(p, '--http2-prior-knowledge', 'http')).not.toMatch(/< HTTP\/2 200/),
    fixed: async (p) => expect(await curl(p, '--http2-prior-knowledge', 'http')).toMatch(/< HTTP\/2 200/),
  },
  {
    name: 'the leaf certificate alone (no intermediate)',
    kind: 'nginx', scheme: 'https', code: 'cert-chain-incomplete', cert: 'missingIntermediate',
    blocks: (f) => nginxTls(f, ['ssl_protocols TLSv1.2 TLSv1.3;']),
    before: ['cert-chain-incomplete'], after: [],
    broken: async (p) => expect(await ossl(p)).toMatch(/verify error:num=20:unable to get local issuer certificate/),
    fixed: async (p) => (await h2ok(p), expect(await ossl(p)).toMatch(/Verify return code: 0 \(ok\)/)),
  },
  {
    name: 'an expired certificate',
    kind: 'nginx', scheme: 'https', code: 'cert-expired', cert: 'expired',
    blocks: (f) => nginxTls(f, ['ssl_protocols TLSv1.2 TLSv1.3;']),
    before: ['cert-expired'], after: [],
    broken: async (p) => expect(await ossl(p)).toMatch(/Verify return code: 10/),
    fixed: async (p) => (await h2ok(p), expect(await ossl(p)).toMatch(/Verify return code: 0 \(ok\)/)),
  },
];

const apacheTls = (f: Files, more: string[]) => ({ virtualhost: ['ServerName localhost', 'SSLEngine on', `SSLCertificateFile ${f.cert}`, `SSLCertificateKeyFile ${f.key}`, 'Protocols h2 http/1.1', ...more] });
const wsCurl = (port: number) => run(`curl -si --http1.1 --max-time 3 -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' http://127.0.0.1:${port}/chat`);

const APACHE: Case[] = [
  {
    name: 'ProxyPass without upgrade=websocket in front of a WebSocket backend',
    kind: 'apache', scheme: 'ws', path: '/chat', code: 'upgrade-header-stripped',
    blocks: () => ({ virtualhost: [`ProxyPass "/" "http://127.0.0.1:${backend.port}/"`] }),
    before: ['upgrade-header-stripped'], after: [],
    broken: async (p) => expect(await wsCurl(p)).toMatch(/^HTTP\/1\.1 426/),
    fixed: async (p) => expect(await wsCurl(p)).toMatch(/^HTTP\/1\.1 101/),
  },
  {
    name: 'TLS virtual host with Protocols http/1.1',
    kind: 'apache', scheme: 'https', code: 'alpn-no-h2',
    blocks: (f) => ({ virtualhost: apacheTls(f, []).virtualhost.map((l) => (l.startsWith('Protocols') ? 'Protocols http/1.1' : l)) }),
    before: ['alpn-no-h2'], after: [],
    broken: async (p) => expect(await curl(p, '--http2')).toMatch(/ALPN: server accepted http\/1\.1/),
    fixed: async (p) => expect(await curl(p, '--http2 -o /dev/null')).toMatch(/ALPN: server accepted h2[\s\S]*< HTTP\/2 (200|404)/),
  },
  {
    name: 'cleartext Protocols http/1.1',
    kind: 'apache', scheme: 'http', code: 'h2c-not-supported',
    blocks: () => ({ virtualhost: ['ServerName localhost', 'Protocols http/1.1'] }),
    before: ['h2c-not-supported', 'preface-http1-response'], after: [],
    broken: async (p) => expect(await curl(p, '--http2-prior-knowledge', 'http')).not.toMatch(/< HTTP\/2/),
    fixed: async (p) => (expect(await curl(p, '--http2-prior-knowledge', 'http')).toMatch(/< HTTP\/2 (200|404)/), expect(await curl(p, '--http2', 'http')).toMatch(/< HTTP\/1\.1 101/)),
  },
  {
    name: 'cleartext h2c with H2Upgrade off',
    kind: 'apache', scheme: 'http', code: 'h2c-upgrade-unsupported',
    blocks: () => ({ virtualhost: ['ServerName localhost', 'Protocols h2c http/1.1', 'H2Upgrade off'] }),
    before: ['h2c-upgrade-unsupported'], after: [],
    broken: async (p) => expect(await curl(p, '--http2', 'http')).not.toMatch(/< HTTP\/1\.1 101/),
    fixed: async (p) => expect(await curl(p, '--http2', 'http')).toMatch(/< HTTP\/1\.1 101/),
  },
  {
    name: 'SSLProtocol TLSv1.3 only',
    kind: 'apache', scheme: 'https', code: 'tls12-not-supported',
    blocks: (f) => apacheTls(f, ['SSLProtocol -all +TLSv1.3']),
    before: ['tls12-not-supported'], after: [],
    broken: (p) => refused(p, '-tls1_2', /alert number 70/),
    fixed: async (p) => (await tls12(p), await tls13(p)),
  },
  {
    name: 'an ECDSA P-256 certificate with SSLOpenSSLConfCmd SignatureAlgorithms ed25519, TLS 1.2 and 1.3',
    kind: 'apache', scheme: 'https', code: 'tls-no-shared-cipher',
    blocks: (f) => apacheTls(f, ['SSLProtocol -all +TLSv1.2 +TLSv1.3', 'SSLOpenSSLConfCmd SignatureAlgorithms ed25519']),
    before: ['tls-no-shared-cipher'], after: [],
    broken: async (p) => (await refused(p, '-tls1_3', /alert number 40/), await refused(p, "-tls1_2 -cipher 'ALL:@SECLEVEL=0'", /alert number 40/)),
    // The vhost has no document root: Apache answers 404 over HTTP/2.
    fixed: async (p) => (expect(await curl(p, '--http2 -o /dev/null')).toMatch(/ALPN: server accepted h2[\s\S]*SSL certificate verify ok[\s\S]*< HTTP\/2 (200|404)/), await tls12(p), await tls13(p)),
  },
  {
    name: 'SSLProtocol TLSv1.2 only',
    kind: 'apache', scheme: 'https', code: 'tls13-not-supported',
    blocks: (f) => apacheTls(f, ['SSLProtocol -all +TLSv1.2']),
    before: ['tls13-not-supported'], after: [],
    broken: (p) => refused(p, '-tls1_3', /alert number 70|protocol version/),
    fixed: async (p) => (await tls12(p), await tls13(p)),
  },
  {
    name: 'SSLProtocol TLSv1.1 only',
    kind: 'apache', scheme: 'https', code: 'tls-version-too-old',
    blocks: (f) => apacheTls(f, ['SSLProtocol -all +TLSv1.1', 'SSLCipherSuite DEFAULT:@SECLEVEL=0']),
    before: ['tls-version-too-old'], after: [],
    broken: (p) => refused(p, '-tls1_2', /alert number 70|unsupported protocol/),
    fixed: async (p) => (await tls12(p), await tls13(p)),
  },
];

const haproxyTls = (f: Files, opts: string[]) => ({ bind: ['ssl', `crt ${f.pem}`, ...opts], frontend: ['http-request return status 200 content-type text/plain string "ok"'] });

const HAPROXY: Case[] = [
  {
    name: 'bind … ssl without alpn',
    kind: 'haproxy', scheme: 'https', code: 'alpn-ignored',
    blocks: (f) => haproxyTls(f, []),
    before: ['alpn-ignored'], after: [],
    broken: async (p) => expect(await curl(p, '--http2')).toMatch(/ALPN: server did not agree/),
    fixed: h2ok,
  },
  {
    name: 'ssl-min-ver TLSv1.3',
    kind: 'haproxy', scheme: 'https', code: 'tls12-not-supported',
    blocks: (f) => haproxyTls(f, ['alpn h2,http/1.1', 'ssl-min-ver TLSv1.3']),
    before: ['tls12-not-supported'], after: [],
    broken: (p) => refused(p, '-tls1_2', /alert number 70|protocol version/),
    fixed: async (p) => (await h2ok(p), await tls12(p)),
  },
  {
    name: 'ssl-max-ver TLSv1.2',
    kind: 'haproxy', scheme: 'https', code: 'tls13-not-supported',
    blocks: (f) => haproxyTls(f, ['alpn h2,http/1.1', 'ssl-max-ver TLSv1.2']),
    before: ['tls13-not-supported'], after: [],
    broken: (p) => refused(p, '-tls1_3', /alert number 70|protocol version/),
    fixed: async (p) => (await h2ok(p), await tls13(p)),
  },
  {
    name: 'ssl-max-ver TLSv1.1',
    kind: 'haproxy', scheme: 'https', code: 'tls-version-too-old',
    blocks: (f) => haproxyTls(f, ['alpn h2,http/1.1', 'ssl-min-ver TLSv1.0', 'ssl-max-ver TLSv1.1', 'ciphers DEFAULT:@SECLEVEL=0']),
    before: ['tls-version-too-old'], after: [],
    broken: (p) => refused(p, '-tls1_2', /alert number 70|unsupported protocol|protocol version/),
    fixed: async (p) => (await h2ok(p), await tls13(p)),
  },
  {
    name: 'an ECDSA certificate with only ECDHE-RSA suites, TLS 1.2',
    kind: 'haproxy', scheme: 'https', code: 'tls-no-shared-cipher',
    blocks: (f) => haproxyTls(f, ['alpn h2,http/1.1', 'ssl-max-ver TLSv1.2', 'ciphers ECDHE-RSA-AES128-GCM-SHA256']),
    before: ['tls-no-shared-cipher'], after: [],
    broken: (p) => refused(p, "-tls1_2 -cipher 'ALL:@SECLEVEL=0'", /alert number 40/),
    fixed: async (p) => (await h2ok(p), await tls12(p), await tls13(p)),
  },

];

const CADDY: Case[] = [
  {
    name: 'global servers { protocols h1 }',
    kind: 'caddy', scheme: 'https', code: 'alpn-no-h2',
    blocks: () => ({ servers: ['protocols h1'], tls: [], site: ['respond "ok"'] }),
    before: ['alpn-no-h2'], after: [],
    broken: async (p) => expect(await curl(p, '--http2')).toMatch(/ALPN: server accepted http\/1\.1/),
    fixed: h2ok,
  },
  {
    name: 'cleartext site, servers { protocols h1 h2 } (no h2c)',
    kind: 'caddy', scheme: 'http', code: 'h2c-not-supported',
    blocks: () => ({ servers: ['protocols h1 h2'], site: ['respond "ok"'] }),
    before: ['h2c-not-supported', 'preface-http1-response'], after: [],
    broken: async (p) => expect(await curl(p, '--http2-prior-knowledge', 'http')).not.toMatch(/< HTTP\/2 200/),
    fixed: async (p) => expect(await curl(p, '--http2-prior-knowledge', 'http')).toMatch(/< HTTP\/2 200/),
  },
  {
    name: 'tls { protocols tls1.3 }',
    kind: 'caddy', scheme: 'https', code: 'tls12-not-supported',
    blocks: () => ({ servers: ['protocols h1 h2'], tls: ['protocols tls1.3'], site: ['respond "ok"'] }),
    before: ['tls12-not-supported'], after: [],
    broken: (p) => refused(p, '-tls1_2', /alert number 70|protocol version/),
    fixed: async (p) => (await h2ok(p), await tls12(p)),
  },
  {
    name: 'tls { protocols tls1.2 tls1.2 }',
    kind: 'caddy', scheme: 'https', code: 'tls13-not-supported',
    blocks: () => ({ servers: ['protocols h1 h2'], tls: ['protocols tls1.2 tls1.2'], site: ['respond "ok"'] }),
    before: ['tls13-not-supported'], after: [],
    broken: (p) => refused(p, '-tls1_3', /alert number 70|protocol version/),
    fixed: async (p) => (await h2ok(p), await tls13(p)),
  },
  {
    name: 'an ECDSA certificate with only an ECDHE-RSA suite, TLS 1.2',
    kind: 'caddy', scheme: 'https', code: 'tls-no-shared-cipher',
    blocks: () => ({ servers: ['protocols h1 h2'], tls: ['protocols tls1.2 tls1.2', 'ciphers TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'], site: ['respond "ok"'] }),
    before: ['tls-no-shared-cipher'], after: [],
    broken: (p) => refused(p, "-tls1_2 -cipher 'ALL:@SECLEVEL=0'", /alert number 40/),
    fixed: async (p) => (await h2ok(p), await tls12(p), await tls13(p)),
  },
];

/** lighttpd 1.4.69: its lines in `global`, with mod_openssl and the certificate for a TLS listener. */
const lighty = (f: Files, global: string[], tls = true): Blocks => ({
  global: [...(tls ? ['server.modules += ("mod_openssl")', 'ssl.engine = "enable"', `ssl.pemfile = "${f.cert}"`, `ssl.privkey = "${f.key}"`] : []), ...global],
});
/** h2o 2.2.5: global lines, and the TLS listener's ssl map with the certificate. */
const h2oTls = (f: Files, ssl: string[]): Blocks => ({ global: [], ssl: [`certificate-file: ${f.cert}`, `key-file: ${f.key}`, ...ssl] });
const sslConf = (...cmds: string[]) => `ssl.openssl.ssl-conf-cmd = (${cmds.join(', ')})`;

const LIGHTTPD: Case[] = [
  {
    name: 'server.feature-flags h2proto disable (TLS)',
    kind: 'lighttpd', scheme: 'https', code: 'alpn-no-h2',
    blocks: (f) => lighty(f, ['server.feature-flags = ("server.h2proto" => "disable")']),
    before: ['alpn-no-h2'], after: [],
    broken: async (p) => expect(await curl(p, '--http2')).toMatch(/ALPN: server accepted http\/1\.1/),
    fixed: h2ok,
  },
  {
    name: 'server.feature-flags h2proto disable (cleartext)',
    kind: 'lighttpd', scheme: 'http', code: 'h2c-not-supported',
    blocks: (f) => lighty(f, ['server.feature-flags = ("server.h2proto" => "disable")'], false),
    before: ['h2c-not-supported', 'preface-http1-response'], after: [],
    broken: async (p) => expect(await curl(p, '--http2-prior-knowledge', 'http')).not.toMatch(/< HTTP\/2 200/),
    fixed: async (p) => (expect(await curl(p, '--http2-prior-knowledge', 'http')).toMatch(/< HTTP\/2 200/), expect(await curl(p, '--http2', 'http')).toMatch(/< HTTP\/1\.1 101/)),
  },
  {
    name: 'server.feature-flags h2c disable',
    kind: 'lighttpd', scheme: 'http', code: 'h2c-upgrade-unsupported',
    blocks: (f) => lighty(f, ['server.feature-flags = ("server.h2c" => "disable")'], false),
    before: ['h2c-upgrade-unsupported'], after: [],
    broken: async (p) => expect(await curl(p, '--http2', 'http')).not.toMatch(/< HTTP\/1\.1 101/),
    fixed: async (p) => expect(await curl(p, '--http2', 'http')).toMatch(/< HTTP\/1\.1 101/),
  },
  {
    name: 'MinProtocol TLSv1.3',
    kind: 'lighttpd', scheme: 'https', code: 'tls12-not-supported',
    blocks: (f) => lighty(f, [sslConf('"MinProtocol" => "TLSv1.3"')]),
    before: ['tls12-not-supported'], after: [],
    broken: (p) => refused(p, '-tls1_2', /alert number 70|protocol version/),
    fixed: async (p) => (await h2ok(p), await tls12(p)),
  },
  {
    name: 'MaxProtocol TLSv1.2',
    kind: 'lighttpd', scheme: 'https', code: 'tls13-not-supported',
    blocks: (f) => lighty(f, [sslConf('"MaxProtocol" => "TLSv1.2"')]),
    before: ['tls13-not-supported'], after: [],
    broken: (p) => refused(p, '-tls1_3', /alert number 70|protocol version/),
    fixed: async (p) => (await h2ok(p), await tls13(p)),
  },
  {
    name: 'MaxProtocol TLSv1.1',
    kind: 'lighttpd', scheme: 'https', code: 'tls-version-too-old',
    blocks: (f) => lighty(f, [sslConf('"MinProtocol" => "TLSv1"', '"MaxProtocol" => "TLSv1.1"', '"CipherString" => "DEFAULT:@SECLEVEL=0"')]),
    before: ['tls-version-too-old'], after: [],
    broken: (p) => refused(p, '-tls1_2', /alert number 70|unsupported protocol|protocol version/),
    fixed: async (p) => (await h2ok(p), await tls12(p), await tls13(p)),
  },
  {
    name: 'an ECDSA certificate with only an ECDHE-RSA suite, TLS 1.2',
    kind: 'lighttpd', scheme: 'https', code: 'tls-no-shared-cipher',
    blocks: (f) => lighty(f, [sslConf('"MaxProtocol" => "TLSv1.2"', '"CipherString" => "ECDHE-RSA-AES128-GCM-SHA256"')]),
    before: ['tls-no-shared-cipher'], after: [],
    broken: (p) => refused(p, "-tls1_2 -cipher 'ALL:@SECLEVEL=0'", /alert number 40/),
    fixed: async (p) => (await h2ok(p), await tls12(p), await tls13(p)),
  },
  {
    name: 'the leaf certificate alone (no intermediate)',
    kind: 'lighttpd', scheme: 'https', code: 'cert-chain-incomplete', cert: 'missingIntermediate',
    blocks: (f) => lighty(f, []),
    before: ['cert-chain-incomplete'], after: [],
    broken: async (p) => expect(await ossl(p)).toMatch(/verify error:num=20:unable to get local issuer certificate/),
    fixed: async (p) => (await h2ok(p), expect(await ossl(p)).toMatch(/Verify return code: 0 \(ok\)/)),
  },
  {
    name: 'an expired certificate',
    kind: 'lighttpd', scheme: 'https', code: 'cert-expired', cert: 'expired',
    blocks: (f) => lighty(f, []),
    before: ['cert-expired'], after: [],
    broken: async (p) => expect(await ossl(p)).toMatch(/Verify return code: 10/),
    fixed: async (p) => (await h2ok(p), expect(await ossl(p)).toMatch(/Verify return code: 0 \(ok\)/)),
  },
  {
    name: 'mod_proxy in front of a WebSocket backend without proxy.header upgrade',
    kind: 'lighttpd', scheme: 'ws', path: '/chat', code: 'upgrade-header-stripped',
    blocks: (f) => lighty(f, ['server.modules += ("mod_proxy")', `proxy.server = ("" => (("host" => "127.0.0.1", "port" => ${backend.port})))`], false),
    before: ['upgrade-header-stripped'], after: [],
    broken: async (p) => expect(await wsCurl(p)).toMatch(/^HTTP\/1\.1 426/),
    fixed: async (p) => expect(await wsCurl(p)).toMatch(/^HTTP\/1\.1 101/),
  },
];

const H2O: Case[] = [
  {
    name: 'http1-upgrade-to-http2: OFF (h2o 2.2 then serves no h2c at all)',
    kind: 'h2o', scheme: 'http', code: 'h2c-not-supported',
    blocks: () => ({ global: ['http1-upgrade-to-http2: OFF'] }),
    before: ['h2c-not-supported', 'preface-http1-response'], after: [],
    broken: async (p) => expect(await curl(p, '--http2-prior-knowledge', 'http')).not.toMatch(/< HTTP\/2 200/),
    fixed: async (p) => (expect(await curl(p, '--http2-prior-knowledge', 'http')).toMatch(/< HTTP\/2 200/), expect(await curl(p, '--http2', 'http')).toMatch(/< HTTP\/1\.1 101/)),
  },
  {
    // h2o closes the connection on a hello it refuses (no alert).
    name: 'ssl minimum-version: TLSv1.3',
    kind: 'h2o', scheme: 'https', code: 'tls12-not-supported',
    blocks: (f) => h2oTls(f, ['minimum-version: TLSv1.3']),
    before: ['tls12-not-supported'], after: [],
    broken: (p) => refused(p, '-tls1_2', /unexpected eof[\s\S]*Cipher is \(NONE\)/),
    fixed: async (p) => (await h2ok(p), await tls12(p)),
  },
  {
    name: 'the leaf certificate alone (no intermediate)',
    kind: 'h2o', scheme: 'https', code: 'cert-chain-incomplete', cert: 'missingIntermediate',
    blocks: (f) => h2oTls(f, []),
    before: ['cert-chain-incomplete'], after: [],
    broken: async (p) => expect(await ossl(p)).toMatch(/verify error:num=20:unable to get local issuer certificate/),
    fixed: async (p) => (await h2ok(p), expect(await ossl(p)).toMatch(/Verify return code: 0 \(ok\)/)),
  },
  {
    name: 'an expired certificate',
    kind: 'h2o', scheme: 'https', code: 'cert-expired', cert: 'expired',
    blocks: (f) => h2oTls(f, []),
    before: ['cert-expired'], after: [],
    broken: async (p) => expect(await ossl(p)).toMatch(/Verify return code: 10/),
    fixed: async (p) => (await h2ok(p), expect(await ossl(p)).toMatch(/Verify return code: 0 \(ok\)/)),
  },
];

/** curl through the proxy on `port` to the healthy origin. */
const viaProxy = (port: number) => run(`curl -sv --max-time 10 --http2 --cacert ${caFile} --resolve localhost:${origin.port}:127.0.0.1 --proxy http://127.0.0.1:${port} https://localhost:${origin.port}/ 2>&1`);

const SQUID: Case[] = [
  {
    name: 'the default CONNECT policy (SSL_ports 443 only), a target on another port',
    kind: 'squid', scheme: 'https', via: 'proxy', code: 'proxy-connect-failed',
    blocks: () => ({ global: ['acl SSL_ports port 443', 'acl CONNECT method CONNECT', 'http_access deny CONNECT !SSL_ports', 'http_access allow all'] }),
    before: ['proxy-connect-failed'], after: [],
    broken: async (p) => expect(await viaProxy(p)).toMatch(/CONNECT tunnel failed, response 403/),
    fixed: async (p) => expect(await viaProxy(p)).toMatch(/< HTTP\/2 200/),
  },
  {
    name: 'a reverse proxy (accel) in front of a WebSocket backend, no http_upgrade_request_protocols',
    kind: 'squid', scheme: 'ws', path: '/chat', code: 'upgrade-header-stripped',
    blocks: () => ({ global: [`cache_peer 127.0.0.1 parent ${backend.port} 0 no-query originserver name=backend`, 'cache_peer_access backend allow all', 'http_access allow all'] }),
    // Squid also drops the backend's Upgrade from the 426 a plain GET gets (a response field
    // http_upgrade_request_protocols does not govern), and the backend's 426 is text/plain: both
    // stay true after the fix, which is about the upgrade request.
    before: ['upgrade-header-stripped'], after: ['upgrade-header-missing', 'upgrade-problem-details-missing'],
    broken: async (p) => expect(await wsCurl(p)).not.toMatch(/^HTTP\/1\.1 101/),
    fixed: async (p) => {
      expect(await wsCurl(p)).toMatch(/^HTTP\/1\.1 101/);
      const plain = await run(`curl -si --max-time 3 http://127.0.0.1:${p}/chat`);
      expect(plain).toMatch(/^HTTP\/1\.1 426/);
      expect(plain).not.toMatch(/^upgrade:/im);
    },
  },
];

/** Every case, by server kind (also read by scripts/real-coverage.mjs through FIXED_CODES). */
const ALL: Record<Kind, Case[]> = { nginx: NGINX, apache: APACHE, haproxy: HAPROXY, caddy: CADDY, lighttpd: LIGHTTPD, h2o: H2O, squid: SQUID };

for (const [kind, cases] of Object.entries(ALL) as Array<[Kind, Case[]]>) {
  describe.skipIf(skipWithout(BIN[kind], kind))(`real ${kind}: h2doctor's own fix, applied, removes the finding`, () => {
    for (const c of cases) test.concurrent(`${c.code}: ${c.name}`, () => slot(() => verify(c)));
  });
}

test('fix verification covers at least 15 codes across at least 4 server kinds', () => {
  const byCode = new Map<string, Set<string>>();
  for (const [kind, cases] of Object.entries(ALL)) for (const c of cases) byCode.set(c.code, (byCode.get(c.code) ?? new Set()).add(kind));
  expect(byCode.size).toBeGreaterThanOrEqual(15);
  expect(Object.keys(ALL).length).toBeGreaterThanOrEqual(4);
});
