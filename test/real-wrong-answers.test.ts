/**
 * Issue 11's eight wrong answers, each against the real server that showed it (Debian nginx 1.22,
 * HAProxy 2.6, Apache 2.4), started on loopback by this file and stopped after it. For every
 * scenario the ground truth comes first from a real client (curl, openssl s_client, nghttp) run in
 * the same test, and only then is h2doctor's answer compared with it:
 *
 * 1. alert 112 (nginx `ssl_reject_handshake on`, HAProxy `strict-sni`) → tls-sni-unknown-name;
 * 2. HAProxy h2c by prior knowledge, 426 + `Upgrade: h2c` to HTTP/1.1 → no upgrade-header-stripped;
 * 3. `--websocket /ws` against a plain 200 origin → websocket-handshake-failed, not "an intermediary";
 * 4. Apache ProxyPass without upgrade=websocket → upgrade-header-stripped with the Apache fix first;
 * 5. ECDSA certificate with only ECDHE-RSA suites → tls-no-shared-cipher naming the key-type mistake;
 * 6. nginx TLS 1.3 `ssl_verify_client on` (HTTP 400 after the handshake) → tls-client-cert-required;
 * 7. nginx 1.22 passing a backend's `Upgrade` into HTTP/2 answers → h2-connection-specific-header;
 * 8. tls-malformed-response: see test/real-coverage.test.ts (a TLS port answered by a non-TLS server).
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { diagnose } from '../src/diagnose.js';
import { checkReproduce, replayed } from './reproduce-helpers.js';
import { listen, type Listening } from '../src/lab/servers.js';
import { ws426, wsUpgrade } from '../src/lab/upgrade-ws.js';
import type { Report } from '../src/model/index.js';
import { codes, createLabPki, findBinary, freePort, labDir, nginxArgs, nginxConf, skipWithout, spawnServer, type LabPki, type RealServer, apacheHead, runClient as run } from './real-helpers.js';

const NGINX = findBinary('nginx');
const HAPROXY = findBinary('haproxy');
const APACHE = findBinary('apache2');
const CURL = findBinary('curl');


async function local(scheme: 'http' | 'https' | 'ws', port: number, caFile: string, more: { path?: string; websocket?: string } = {}): Promise<Report> {
  return reproduced(replayed(await diagnose(`${scheme}://localhost:${port}${more.path ?? '/'}`, {
    resolve: [`localhost:${port}:127.0.0.1`],
    ca: readFileSync(caFile, 'utf8'),
    caFile,
    timeoutMs: 3000,
    proxy: null,
    ...(more.websocket ? { websocket: more.websocket } : {}),
  })));
}

// Scenarios whose server never answers wait out h2doctor's and then each reproduce command's deadline.
vi.setConfig({ testTimeout: 60_000 });

let pki: LabPki;
let caFile: string;
let backend: Listening;

beforeAll(async () => {
  pki = await createLabPki();
  const dir = mkdtempSync(join(tmpdir(), 'h2d-wrong-ca-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pki.rootCa.certPem);
  // The backend behind the proxies: a WebSocket endpoint (426 to a plain GET, 101 to an upgrade),
  // and /h2c answering like Apache mod_http2 with h2c on: `Upgrade: h2,h2c` + `Connection: Upgrade`.
  const s = http.createServer((req, res) => {
    if (req.url?.startsWith('/h2c')) {
      res.writeHead(200, { 'content-type': 'text/plain', upgrade: 'h2,h2c', connection: 'Upgrade' });
      res.end('backend with h2c\n');
    } else if (req.url?.startsWith('/plain')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('backend ok\n');
    } else ws426(res);
  });
  s.on('upgrade', (req, socket, head) => wsUpgrade(req, socket, head));
  backend = await listen(s, '127.0.0.1');
});
afterAll(async () => {
  await backend?.stop();
});

describe.skipIf(skipWithout(NGINX, 'nginx'))('real nginx 1.22: wrong answers 1, 3, 5, 6, 7', () => {
  let server: RealServer;
  let reject112: number, ecdsaRsaSuites: number, verifyClient: number, plainOrigin: number, upgradeLeak: number, rejectOne: number;
  beforeAll(async () => {
    const { dir, cert, key } = await labDir(pki, 'nginx-wrong');
    [reject112, ecdsaRsaSuites, verifyClient, plainOrigin, upgradeLeak, rejectOne] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    writeFileSync(join(dir, 'client-ca.pem'), pki.rootCa.certPem);
    const tls = `ssl_certificate ${cert}; ssl_certificate_key ${key};`;
    const conf = nginxConf(
      dir,
      `
  # 1: only www.lab.example is configured; the default server refuses every other name with alert 112.
  server { listen 127.0.0.1:${reject112} ssl default_server; ssl_reject_handshake on; }
  server { listen 127.0.0.1:${reject112} ssl http2; server_name www.lab.example; ${tls} location / { return 200 "ok\\n"; } }
  # 1b: the default server serves the lab certificate; one name, blocked.lab.example, is refused with alert 112.
  server { listen 127.0.0.1:${rejectOne} ssl http2 default_server; server_name localhost; ${tls} location / { return 200 "ok\\n"; } }
  server { listen 127.0.0.1:${rejectOne} ssl; server_name blocked.lab.example; ssl_reject_handshake on; }
  # 5: an ECDSA certificate (the lab's default key) with only ECDHE-RSA suites, TLS 1.2 only.
  server { listen 127.0.0.1:${ecdsaRsaSuites} ssl http2; server_name localhost; ${tls}
           ssl_protocols TLSv1.2; ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384; location / { return 200 "ok\\n"; } }
  # 6: mutual TLS the nginx way: TLS 1.3, ssl_verify_client on (nginx < 1.23.4 defaults to TLS ≤ 1.2).
  server { listen 127.0.0.1:${verifyClient} ssl http2; server_name localhost; ${tls} ssl_protocols TLSv1.2 TLSv1.3;
           ssl_client_certificate ${dir}/client-ca.pem; ssl_verify_client on; location / { return 200 "ok\\n"; } }
  # 3: a plain origin that answers 200 to everything, /ws included.
  server { listen 127.0.0.1:${plainOrigin} ssl http2; server_name localhost; ${tls} ssl_protocols TLSv1.2 TLSv1.3; location / { return 200 "plain origin\\n"; } }
  # 7: HTTP/2 in front of a backend that sends Upgrade: h2,h2c (nginx 1.22 passes it through).
  server { listen 127.0.0.1:${upgradeLeak} ssl http2; server_name localhost; ${tls} ssl_protocols TLSv1.2 TLSv1.3; location / { proxy_pass http://127.0.0.1:${backend.port}; } }
`,
    );
    server = await spawnServer('nginx', NGINX ?? 'nginx', nginxArgs(dir, conf), dir, [reject112, ecdsaRsaSuites, verifyClient, plainOrigin, upgradeLeak, rejectOne]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('1: ssl_reject_handshake on → alert 112 for localhost and without SNI → tls-sni-unknown-name', async () => {
    // Ground truth: openssl and curl see the fatal alert 112 (with the name, and without SNI).
    expect(await run(`openssl s_client -connect 127.0.0.1:${reject112} -servername localhost </dev/null 2>&1`)).toMatch(/unrecognized name.*SSL alert number 112/);
    expect(await run(`openssl s_client -connect 127.0.0.1:${reject112} -noservername </dev/null 2>&1`)).toMatch(/SSL alert number 112/);
    expect(await run(`openssl s_client -connect 127.0.0.1:${reject112} -servername www.lab.example -CAfile ${caFile} </dev/null 2>&1`)).toMatch(/Verify return code: 0 \(ok\)/);
    const r = await local('https', reject112, caFile);
    expect(codes(r)).toEqual(['tls-sni-unknown-name']);
    const f = r.findings[0]!;
    expect(f.evidence.map((e) => e.text).join('\n')).toMatch(/without SNI.*unrecognized_name \(112\)/);
    expect(f.explanation).not.toMatch(/handshake_failure \(40\)/);
    // The server shows no certificate for any name, so the names it serves are not in the evidence:
    // the client fix says to send one as SNI (--sni, curl --connect-to), without a placeholder for it.
    const client = f.fixes.find((x) => x.side === 'client');
    expect(client?.text).toMatch(/--sni.*--connect-to/);
    expect(JSON.stringify(f)).not.toMatch(/<configured name>|<that name>/);
    expect(f.fixes.find((x) => x.applies === 'nginx')?.snippet).toMatch(/server_name localhost;/);
    // nginx 1.22 has no `http2 on;` (1.25.1): the snippet must use the listen-line syntax... when nginx named itself.
    expect(f.fixes.find((x) => x.applies === 'haproxy')?.snippet).toMatch(/strict-sni/);
    expect(f.clientsSee.join('\n')).toMatch(/unrecognized name/);
  });

  test('1b: alert 112 for one name, the default certificate without SNI → tls-sni-unknown-name whose --sni names a name that certificate covers (no placeholder)', async () => {
    // Ground truth: openssl sees alert 112 for the blocked name and the default certificate without SNI.
    expect(await run(`openssl s_client -connect 127.0.0.1:${rejectOne} -servername blocked.lab.example </dev/null 2>&1`)).toMatch(/unrecognized name.*SSL alert number 112/);
    const plain = await run(`openssl s_client -connect 127.0.0.1:${rejectOne} -noservername </dev/null 2>/dev/null | openssl x509 -noout -ext subjectAltName`);
    const covered = [...plain.matchAll(/DNS:([\w.-]+)/g)].map((m) => m[1]!);
    expect(covered).toContain('localhost');
    const r = await reproduced(replayed(await diagnose(`https://blocked.lab.example:${rejectOne}/`, { resolve: [`blocked.lab.example:${rejectOne}:127.0.0.1`], ca: pki.rootCa.certPem, caFile, timeoutMs: 3000, proxy: null })));
    expect(codes(r)).toEqual(['tls-sni-unknown-name']);
    const f = r.findings[0]!;
    const client = f.fixes.find((x) => x.side === 'client')!;
    const sni = /--sni (\S+)/.exec(client.snippet ?? '')?.[1];
    expect(covered).toContain(sni);
    expect(client.snippet).toContain(`curl -v --connect-to ${sni}:${rejectOne}:127.0.0.1:${rejectOne} https://${sni}:${rejectOne}/`);
    expect(JSON.stringify(f)).not.toMatch(/<configured name>|<that name>/);
    // The name it suggests works: openssl with it verifies.
    expect(await run(`openssl s_client -connect 127.0.0.1:${rejectOne} -servername ${sni} -CAfile ${caFile} </dev/null 2>&1`)).toMatch(/Verify return code: 0 \(ok\)/);
  });

  test('5: ECDSA certificate, only ECDHE-RSA suites → tls-no-shared-cipher naming the key type', async () => {
    expect(await run(`openssl s_client -connect 127.0.0.1:${ecdsaRsaSuites} -servername localhost -tls1_2 </dev/null 2>&1`)).toMatch(/alert handshake failure.*SSL alert number 40/);
    expect(await run(`openssl s_client -connect 127.0.0.1:${ecdsaRsaSuites} -servername localhost -tls1_2 -cipher ALL:@SECLEVEL=0 </dev/null 2>&1`)).toMatch(/SSL alert number 40/);
    const r = await local('https', ecdsaRsaSuites, caFile);
    expect(codes(r)).toEqual(['tls-no-shared-cipher']);
    expect(r.headline).toBe('TLS handshake fails: no cipher suite in common');
    expect(r.findings[0]!.explanation).toMatch(/key type/);
    expect(r.findings[0]!.explanation).toMatch(/ECDSA/);
  });

  test('6: TLS 1.3 ssl_verify_client on → HTTP 400 after the handshake → tls-client-cert-required', async () => {
    const out = await run(`curl -sv --max-time 10 --cacert ${caFile} --resolve localhost:${verifyClient}:127.0.0.1 https://localhost:${verifyClient}/ 2>&1`);
    expect(out).toMatch(/Request CERT/);
    expect(out).toMatch(/SSL connection using TLSv1\.3/);
    expect(out).toMatch(/HTTP\/2 400/);
    expect(out).toMatch(/No required SSL certificate was sent/);
    const r = await local('https', verifyClient, caFile);
    expect(codes(r)).toEqual(['tls-client-cert-required']);
    expect(r.findings[0]!.evidence.map((e) => e.text).join('\n')).toMatch(/CertificateRequest/);
  });

  test('3: --websocket /ws on a plain origin that answers 200 → no WebSocket endpoint, not "an intermediary"', async () => {
    const out = await run(`curl -si --http1.1 --max-time 10 --cacert ${caFile} --resolve localhost:${plainOrigin}:127.0.0.1 -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' https://localhost:${plainOrigin}/ws`);
    expect(out).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(out).not.toMatch(/^via:/im);
    const r = await local('https', plainOrigin, caFile, { websocket: '/ws' });
    expect(codes(r)).toEqual(['websocket-handshake-failed']);
    const f = r.findings[0]!;
    expect(f.title).toMatch(/no WebSocket endpoint at \/ws/);
    expect(f.explanation).toMatch(/tell them apart/);
  });

  test('7: nginx passes the backend\'s Upgrade into HTTP/2 answers → h2-connection-specific-header', async () => {
    const c = await run(`curl -sS --http2 --max-time 10 --cacert ${caFile} --resolve localhost:${upgradeLeak}:127.0.0.1 -o /dev/null https://localhost:${upgradeLeak}/h2c`);
    expect(c).toMatch(/\(92\) HTTP\/2 stream 1 was not closed cleanly: PROTOCOL_ERROR/);
    if (findBinary('nghttp')) expect(await run(`nghttp -v https://127.0.0.1:${upgradeLeak}/h2c 2>&1`)).toMatch(/Invalid HTTP header field was received.*name: \[upgrade\], value: \[h2,h2c\]/);
    const r = await local('https', upgradeLeak, caFile, { path: '/h2c' });
    expect(codes(r)).toEqual(['h2-connection-specific-header']);
    const f = r.findings[0]!;
    expect(f.title).toMatch(/upgrade/);
    // nginx named itself (Server: nginx/1.22.1): its fix comes first.
    expect(f.fixes[0]).toMatchObject({ side: 'server', applies: 'nginx' });
    expect(f.fixes[0]!.snippet).toBe('proxy_hide_header Upgrade;');
    // The same nginx proxying a backend that sends no such field: clean.
    expect(codes(await local('https', upgradeLeak, caFile, { path: '/plain' }))).toEqual([]);
  });
});

describe.skipIf(skipWithout(HAPROXY, 'haproxy'))('real HAProxy 2.6: wrong answers 1 and 2', () => {
  let server: RealServer;
  let strictSni: number, h2c426: number;
  beforeAll(async () => {
    const { dir, cert, key } = await labDir(pki, 'haproxy-wrong', 'wrongHost');
    const pem = join(dir, 'crt.pem');
    writeFileSync(pem, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'), { mode: 0o600 });
    [strictSni, h2c426] = [await freePort(), await freePort()];
    writeFileSync(
      join(dir, 'haproxy.cfg'),
      `
global
  maxconn 100
defaults
  mode http
  timeout connect 2s
  timeout client 5s
  timeout server 5s
# 1: a certificate for other.example only, strict-sni: every other name (and no SNI) is refused.
frontend strict
  bind 127.0.0.1:${strictSni} ssl crt ${pem} strict-sni alpn h2,http/1.1
  default_backend app
# 2: h2c by prior knowledge (HAProxy detects the preface), and a 426 + Upgrade: h2c to every HTTP/1.x
# request, Upgrade: h2c included (HAProxy never implemented the h2c upgrade).
frontend h2c_only
  bind 127.0.0.1:${h2c426}
  http-request return status 426 content-type text/plain string "HTTP/2 required" hdr Upgrade h2c hdr Connection Upgrade unless { fc_http_major 2 }
  default_backend app
backend app
  server app1 127.0.0.1:${backend.port}
`,
    );
    server = await spawnServer('haproxy', HAPROXY ?? 'haproxy', ['-f', join(dir, 'haproxy.cfg'), '-db'], dir, [strictSni, h2c426]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('1: strict-sni → alert 112 → tls-sni-unknown-name', async () => {
    const out = await run(`openssl s_client -connect 127.0.0.1:${strictSni} -servername localhost </dev/null 2>&1`);
    const alert = /SSL alert number (\d+)/.exec(out)?.[1];
    expect(alert).toBe('112');
    const r = await local('https', strictSni, caFile);
    expect(codes(r)).toEqual(['tls-sni-unknown-name']);
    expect(r.findings[0]!.fixes.find((f) => f.applies === 'haproxy')?.snippet).toMatch(/strict-sni/);
  });

  test('2: prior knowledge works, HTTP/1.1 and Upgrade: h2c get 426 Upgrade: h2c → no upgrade-header-stripped, exit 0', async () => {
    expect(await run(`curl -si --http2-prior-knowledge --max-time 10 http://127.0.0.1:${h2c426}/plain`)).toMatch(/^HTTP\/2 200/);
    const up = await run(`curl -si --http2 --max-time 10 http://127.0.0.1:${h2c426}/plain`);
    expect(up).toMatch(/^HTTP\/1\.1 426/);
    expect(up).toMatch(/^upgrade: h2c/im);
    expect(up).not.toMatch(/^via:/im);
    const r = await local('http', h2c426, caFile, { path: '/plain' });
    expect(codes(r)).toEqual(['h2c-upgrade-unsupported', 'upgrade-problem-details-missing', 'upgrade-required-h2']);
    expect(r.verdict).toBe('warn');
    expect(r.headline).toBe('HTTP/2 works; HTTP/1.1 clients get 426');
  });
});

describe.skipIf(skipWithout(APACHE, 'apache2'))('real Apache 2.4: wrong answer 4', () => {
  let server: RealServer;
  let noUpgrade: number, withUpgrade: number;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'h2d-real-apache-ws-'));
    chmodSync(dir, 0o755);
    [noUpgrade, withUpgrade] = [await freePort(), await freePort()];
    const mods = ['mpm_event', 'authz_core', 'proxy', 'proxy_http'];
    writeFileSync(
      join(dir, 'httpd.conf'),
      `
${apacheHead(dir, mods)}
Listen 127.0.0.1:${noUpgrade}
<VirtualHost 127.0.0.1:${noUpgrade}>
  ProxyPass "/" "http://127.0.0.1:${backend.port}/"
</VirtualHost>
Listen 127.0.0.1:${withUpgrade}
<VirtualHost 127.0.0.1:${withUpgrade}>
  ProxyPass "/" "http://127.0.0.1:${backend.port}/" upgrade=websocket
</VirtualHost>
`,
    );
    server = await spawnServer('apache2', APACHE ?? 'apache2', ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], dir, [noUpgrade, withUpgrade]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('4: ProxyPass without upgrade=websocket → 426 with no Upgrade field → upgrade-header-stripped, Apache fix first', async () => {
    const ws = (port: number) => run(`curl -si --http1.1 --max-time 3 -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' http://127.0.0.1:${port}/chat`);
    const stripped = await ws(noUpgrade);
    expect(stripped).toMatch(/^HTTP\/1\.1 426/);
    expect(stripped).toMatch(/^Server: Apache/im);
    expect(stripped).not.toMatch(/^upgrade:/im);
    expect(await ws(withUpgrade)).toMatch(/^HTTP\/1\.1 101/);
    const r = await local('ws', noUpgrade, caFile, { path: '/chat' });
    expect(codes(r)).toEqual(['upgrade-header-stripped']);
    expect(r.headline).toBe('WebSocket upgrade fails: a hop drops the upgrade request');
    const f = r.findings[0]!;
    expect(f.title).toMatch(/Apache/);
    expect(f.fixes[0]).toMatchObject({ side: 'server', applies: 'apache' });
    expect(f.fixes[0]!.snippet).toMatch(/ProxyPass "\/chat" ".*" upgrade=websocket/);
    // The fix, applied (the second virtual host): the WebSocket handshake passes.
    expect(codes(await local('ws', withUpgrade, caFile, { path: '/chat' }))).toEqual([]);
  });
});

test.skipIf(!CURL)('curl is the ground truth of these tests', async () => {
  expect(await run('curl --version')).toMatch(/^curl \d/);
});


/** The report, after every reproduce command of its findings ran and showed the symptom. */
async function reproduced(r: Report): Promise<Report> {
  await checkReproduce(r, caFile);
  return r;
}
