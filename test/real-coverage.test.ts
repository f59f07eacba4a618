/**
 * Real-server coverage (issue 11): finding codes a real, independently configured server produces,
 * asserted end to end — one nginx 1.22 with many server blocks, one HAProxy 2.6 and one Apache 2.4,
 * each started once for all its assertions, on loopback ports, stopped afterwards. Each test first
 * checks what a real client (curl / openssl s_client / nghttp) sees on that server, then asserts
 * h2doctor's exact codes. Which code is proven where (or why no real server can produce it) is
 * listed in src/diagnosis/registry.ts (PROOF), checked by src/diagnosis/registry.test.ts.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { diagnose } from '../src/diagnose.js';
import { checkReproduce, replayed } from './reproduce-helpers.js';
import { listen, type Listening } from '../src/lab/servers.js';
import { ws426, wsUpgrade } from '../src/lab/upgrade-ws.js';
import type { LabCertPreset } from '../src/lab/pki.js';
import type { Report } from '../src/model/index.js';
import { codes, createLabPki, findBinary, freePort, labDir, nginxArgs, nginxConf, skipWithout, spawnServer, type LabPki, type RealServer, apacheHead, runClient as run } from './real-helpers.js';

const NGINX = findBinary('nginx');
const HAPROXY = findBinary('haproxy');
const APACHE = findBinary('apache2');


// Scenarios whose server never answers wait out h2doctor's and then each reproduce command's deadline.
vi.setConfig({ testTimeout: 60_000 });

let pki: LabPki;
let caFile: string;
let backend: Listening;
/** A backend that accepts connections and never answers (a stuck application server). */
let stuck: Listening;

async function local(scheme: 'http' | 'https' | 'ws' | 'wss', port: number, more: { path?: string; resolve?: string } = {}): Promise<Report> {
  return reproduced(replayed(await diagnose(`${scheme}://localhost:${port}${more.path ?? '/'}`, {
    resolve: [more.resolve ?? `localhost:${port}:127.0.0.1`],
    ca: readFileSync(caFile, 'utf8'),
    caFile,
    timeoutMs: 3000,
    proxy: null,
  })));
}

/** curl over TLS to localhost:port with the lab CA; `-sv` shows the failure. */
const curl = (port: number, extra = '', path = '/') => run(`curl -sv --max-time 10 --cacert ${caFile} --resolve localhost:${port}:127.0.0.1 ${extra} https://localhost:${port}${path} 2>&1`);
const ossl = (port: number, extra = '') => run(`openssl s_client -connect 127.0.0.1:${port} -servername localhost -CAfile ${caFile} ${extra} </dev/null 2>&1`);

beforeAll(async () => {
  pki = await createLabPki();
  const dir = mkdtempSync(join(tmpdir(), 'h2d-coverage-ca-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pki.rootCa.certPem);
  const s = http.createServer((_req, res) => ws426(res));
  s.on('upgrade', (req, socket, head) => wsUpgrade(req, socket, head));
  backend = await listen(s, '127.0.0.1');
  stuck = await listen(net.createServer(() => {}), '127.0.0.1');
});
afterAll(async () => {
  await backend?.stop();
  await stuck?.stop();
});

describe.skipIf(skipWithout(NGINX, 'nginx'))('real nginx 1.22: TLS, certificate, HTTP/2 and 426 codes', () => {
  let server: RealServer;
  const P: Record<string, number> = {};
  beforeAll(async () => {
    const { dir, cert, key } = await labDir(pki, 'nginx-coverage');
    const certOf = async (preset: LabCertPreset) => {
      const c = await pki.preset(preset);
      writeFileSync(join(dir, `${preset}.pem`), c.serverCertPem);
      writeFileSync(join(dir, `${preset}.key`), c.keyPem, { mode: 0o600 });
      return `ssl_certificate ${dir}/${preset}.pem; ssl_certificate_key ${dir}/${preset}.key;`;
    };
    for (const n of ['tooOld', 'noGroup', 'streams0', 'cbc', 'tls13only', 'sniRequired', 'expired', 'notYetValid', 'selfSigned', 'wrongHost', 'missingIntermediate', 'no426Upgrade', 'h1h2', 'deprecation', 'wss', 'twoAddresses', 'stuck']) P[n] = await freePort();
    const tls = `ssl_certificate ${cert}; ssl_certificate_key ${key};`;
    const modern = 'ssl_protocols TLSv1.2 TLSv1.3;';
    const ok = 'location / { return 200 "ok\\n"; }';
    const block = (port: number, body: string, http2 = true) => `  server { listen 127.0.0.1:${port} ssl${http2 ? ' http2' : ''}; server_name localhost; ${body} }\n`;
    const conf = nginxConf(
      dir,
      [
        block(P.tooOld!, `${tls} ssl_protocols TLSv1 TLSv1.1; ssl_ciphers 'DEFAULT:@SECLEVEL=0'; ${ok}`),
        block(P.noGroup!, `${tls} ssl_protocols TLSv1.2; ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256; ssl_ecdh_curve brainpoolP256r1; ${ok}`),
        block(P.streams0!, `${tls} ${modern} http2_max_concurrent_streams 0; ${ok}`),
        block(P.cbc!, `${tls} ssl_protocols TLSv1.2; ssl_ciphers ECDHE-ECDSA-AES128-SHA256; ${ok}`),
        block(P.tls13only!, `${tls} ssl_protocols TLSv1.3; ${ok}`),
        // (the default server decides the TLS versions of its port: nginx 1.22's default has no TLS 1.3)
        `  server { listen 127.0.0.1:${P.sniRequired} ssl default_server; ssl_reject_handshake on; ${modern} }\n`,
        block(P.sniRequired!, `${tls} ${modern} ${ok}`),
        block(P.expired!, `${await certOf('expired')} ${modern} ${ok}`),
        block(P.notYetValid!, `${await certOf('notYetValid')} ${modern} ${ok}`),
        block(P.selfSigned!, `${await certOf('selfSigned')} ${modern} ${ok}`),
        block(P.wrongHost!, `${await certOf('wrongHost')} ${modern} ${ok}`),
        block(P.missingIntermediate!, `${await certOf('missingIntermediate')} ${modern} ${ok}`),
        block(P.no426Upgrade!, `${tls} ${modern} location / { return 426; }`),
        block(P.h1h2!, `${tls} ${modern} location / { if ($server_protocol = "HTTP/2.0") { return 200 "ok\\n"; } return 404; }`),
        block(P.deprecation!, `${tls} ${modern} location / { add_header Deprecation "@1767225600" always; add_header Sunset "Wed, 30 Jun 2027 23:59:59 GMT" always; return 200 "ok\\n"; }`),
        block(
          P.wss!,
          `${tls} ${modern} location / { proxy_pass http://127.0.0.1:${backend.port}; proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"; }`,
        ),
        block(P.stuck!, `${tls} ${modern} location / { proxy_pass http://127.0.0.1:${stuck.port}; proxy_read_timeout 60s; }`),
        // One name, two addresses: HTTP/2 on 127.0.0.1, HTTP/1.1 only on 127.0.0.2 (a stale edge).
        block(P.twoAddresses!, `${tls} ${modern} ${ok}`),
        `  server { listen 127.0.0.2:${P.twoAddresses} ssl; server_name localhost; ${tls} ${modern} ${ok} }\n`,
      ].join(''),
    );
    server = await spawnServer('nginx', NGINX ?? 'nginx', nginxArgs(dir, conf), dir, Object.values(P));
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('ssl_protocols TLSv1 TLSv1.1 → tls-version-too-old', async () => {
    expect(await ossl(P.tooOld!, '-tls1_2')).toMatch(/SSL alert number 70|unsupported protocol/);
    expect(codes(await local('https', P.tooOld!))).toEqual(['tls-version-too-old']);
  });

  test('ssl_ecdh_curve brainpoolP256r1, ECDHE only → tls-no-shared-group', async () => {
    expect(await ossl(P.noGroup!, '-tls1_2')).toMatch(/SSL alert number 40/);
    expect(codes(await local('https', P.noGroup!))).toEqual(['tls-no-shared-group']);
  });

  test('http2_max_concurrent_streams 0 → h2-no-streams-allowed', async () => {
    if (findBinary('nghttp')) expect(await run(`timeout 3 nghttp -nv https://127.0.0.1:${P.streams0}/ 2>&1`)).toMatch(/SETTINGS_MAX_CONCURRENT_STREAMS\(0x03\):0\]/);
    expect(codes(await local('https', P.streams0!))).toEqual(['h2-no-streams-allowed']);
  });

  test('TLS 1.2 with ECDHE-ECDSA-AES128-SHA256 only (CBC, RFC 9113 block list) → h2-inadequate-security', async () => {
    const out = await curl(P.cbc!);
    expect(out).toMatch(/SSL connection using TLSv1\.2 \/ ECDHE-ECDSA-AES128-SHA256/);
    expect(out).toMatch(/ALPN: server accepted h2/);
    expect(codes(await local('https', P.cbc!))).toEqual(['h2-inadequate-security', 'tls13-not-supported']);
  });

  test('ssl_protocols TLSv1.3 → tls12-not-supported', async () => {
    expect(await ossl(P.tls13only!, '-tls1_2')).toMatch(/SSL alert number 70/);
    expect(codes(await local('https', P.tls13only!))).toEqual(['tls12-not-supported']);
  });

  test('default server with ssl_reject_handshake on, localhost named → tls-sni-required', async () => {
    expect(await run(`openssl s_client -connect 127.0.0.1:${P.sniRequired} -noservername </dev/null 2>&1`)).toMatch(/SSL alert number 112/);
    expect(await ossl(P.sniRequired!)).toMatch(/Verify return code: 0 \(ok\)/);
    expect(codes(await local('https', P.sniRequired!))).toEqual(['tls-sni-required']);
  });

  test.each([
    ['expired', 'cert-expired', /certificate has expired|Verify return code: 10/],
    ['notYetValid', 'cert-not-yet-valid', /certificate is not yet valid|Verify return code: 9/],
    ['selfSigned', 'cert-untrusted', /self-signed certificate|Verify return code: 18/],
    ['wrongHost', 'cert-hostname-mismatch', /no alternative certificate subject name matches/],
    ['missingIntermediate', 'cert-chain-incomplete', /unable to get local issuer certificate|Verify return code: 20/],
  ] as const)('ssl_certificate %s → %s', async (preset, code, truth) => {
    expect(preset === 'wrongHost' ? await curl(P[preset]!) : await ossl(P[preset]!)).toMatch(truth);
    const r = await local('https', P[preset]!);
    expect(codes(r)).toEqual([code]);
    // The headline names the certificate layer, not "HTTP/2 works for some clients".
    expect(r.headline).toMatch(/^TLS certificate rejected by every verifying client: .+ \(HTTP\/2 works underneath\)$/);
  });

  test('return 426 (no Upgrade field) → upgrade-header-missing, upgrade-problem-details-missing', async () => {
    const out = await curl(P.no426Upgrade!, '--http1.1 -i');
    expect(out).toMatch(/< HTTP\/1\.1 426/);
    expect(out).not.toMatch(/< upgrade:/i);
    expect(codes(await local('https', P.no426Upgrade!))).toEqual(['upgrade-header-missing', 'upgrade-problem-details-missing']);
  });

  test('200 over HTTP/2, 404 over HTTP/1.1 → h1-h2-behaviour-differs', async () => {
    expect(await curl(P.h1h2!, '--http1.1')).toMatch(/< HTTP\/1\.1 404/);
    expect(await curl(P.h1h2!, '--http2')).toMatch(/< HTTP\/2 200/);
    expect(codes(await local('https', P.h1h2!))).toEqual(['h1-h2-behaviour-differs']);
  });

  test('add_header Deprecation / Sunset → deprecation-announced', async () => {
    expect(await curl(P.deprecation!)).toMatch(/< sunset: Wed, 30 Jun 2027/i);
    expect(codes(await local('https', P.deprecation!))).toEqual(['deprecation-announced']);
  });

  test('wss:// through nginx 1.22 (WebSocket over HTTP/1.1 only, no RFC 8441) → websocket-over-h2-unsupported, and the backend\'s Upgrade leaks into HTTP/2', async () => {
    const out = await run(
      `curl -si --http1.1 --max-time 3 --cacert ${caFile} --resolve localhost:${P.wss}:127.0.0.1 -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' https://localhost:${P.wss}/chat`,
    );
    expect(out).toMatch(/^HTTP\/1\.1 101/);
    if (findBinary('nghttp')) expect(await run(`nghttp -nv https://127.0.0.1:${P.wss}/ 2>&1`)).not.toMatch(/ENABLE_CONNECT_PROTOCOL\(0x08\):1/);
    // The backend's 426 to a plain GET carries Upgrade: websocket, and nginx 1.22 passes it into its
    // HTTP/2 answer: curl resets the stream (a second real finding on the same server).
    expect(await curl(P.wss!, '--http2', '/chat')).toMatch(/PROTOCOL_ERROR/);
    expect(codes(await local('wss', P.wss!, { path: '/chat' }))).toEqual(['h2-connection-specific-header', 'websocket-over-h2-unsupported']);
  });

  test('proxy_pass to a backend that never answers → h2-no-response', async () => {
    expect(await curl(P.stuck!, '--http2 --max-time 3')).toMatch(/ALPN: server accepted h2[\s\S]*Operation timed out/);
    expect(codes(await local('https', P.stuck!))).toEqual(['h2-no-response']);
  });

  test('one name on two addresses, HTTP/2 on one only → dns-addresses-disagree', async () => {
    expect(await run(`curl -sv --http2 --max-time 10 --cacert ${caFile} --resolve localhost:${P.twoAddresses}:127.0.0.2 -o /dev/null https://localhost:${P.twoAddresses}/ 2>&1`)).toMatch(/ALPN: server accepted http\/1\.1/);
    const r = await local('https', P.twoAddresses!, { resolve: `localhost:${P.twoAddresses}:127.0.0.1,127.0.0.2` });
    expect(codes(r)).toContain('dns-addresses-disagree');
    expect(codes(r)).toEqual(['alpn-no-h2', 'dns-addresses-disagree']);
  });
});

describe.skipIf(skipWithout(HAPROXY, 'haproxy'))('real HAProxy 2.6: 426 TLS, a handshake that never ends, a skewed clock', () => {
  let server: RealServer;
  let tlsUpgrade: number, hang: number, skew: number;
  beforeAll(async () => {
    const { dir, cert, key } = await labDir(pki, 'haproxy-coverage');
    const pem = join(dir, 'crt.pem');
    writeFileSync(pem, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'), { mode: 0o600 });
    [tlsUpgrade, hang, skew] = [await freePort(), await freePort(), await freePort()];
    writeFileSync(
      join(dir, 'haproxy.cfg'),
      `
global
  maxconn 100
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 5s
frontend tls_required
  bind 127.0.0.1:${tlsUpgrade}
  http-request return status 426 content-type text/plain string "TLS required" hdr Upgrade "TLS/1.2, HTTP/1.1" hdr Connection Upgrade
# A TCP frontend that inspects content for 30 s before routing: the ClientHello is never answered.
frontend inspect_forever
  mode tcp
  bind 127.0.0.1:${hang}
  tcp-request inspect-delay 30s
  tcp-request content accept if { req.len gt 100000 }
  default_backend nowhere
frontend skewed_date
  bind 127.0.0.1:${skew} ssl crt ${pem} alpn h2,http/1.1
  http-after-response set-header date "Mon, 01 Jan 2024 00:00:00 GMT"
  http-request return status 200 content-type text/plain string "ok"
backend nowhere
  mode tcp
  server s1 127.0.0.1:9
`,
    );
    server = await spawnServer('haproxy', HAPROXY ?? 'haproxy', ['-f', join(dir, 'haproxy.cfg'), '-db'], dir, [tlsUpgrade, hang, skew]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('426 with Upgrade: TLS/1.2, HTTP/1.1 → upgrade-required-tls', async () => {
    const out = await run(`curl -si --max-time 10 http://127.0.0.1:${tlsUpgrade}/`);
    expect(out).toMatch(/^HTTP\/1\.1 426/);
    expect(out).toMatch(/^upgrade: TLS\/1\.2, HTTP\/1\.1/im);
    expect(codes(await local('http', tlsUpgrade))).toEqual(['h2c-upgrade-unsupported', 'upgrade-problem-details-missing', 'upgrade-required-tls']);
  });

  test('tcp-request inspect-delay holding the ClientHello → tls-handshake-timeout', async () => {
    expect(await run(`curl -sS --max-time 3 --cacert ${caFile} --resolve localhost:${hang}:127.0.0.1 https://localhost:${hang}/ 2>&1`)).toMatch(/\(28\)/);
    expect(codes(await local('https', hang))).toEqual(['tls-handshake-timeout']);
  });

  test('the same TCP frontend over cleartext: the preface is never answered → preface-timeout (and no h2c at all)', async () => {
    expect(await run(`curl -sS --http2-prior-knowledge --max-time 3 http://127.0.0.1:${hang}/ 2>&1`)).toMatch(/\(28\)/);
    expect(await run(`curl -sS --http2 --max-time 3 http://127.0.0.1:${hang}/ 2>&1`)).toMatch(/\(28\)/);
    expect(codes(await local('http', hang))).toEqual(['h2c-not-supported', 'preface-timeout']);
  });

  test('a Date field years behind the local clock → clock-skew', async () => {
    expect(await curl(skew)).toMatch(/< date: Mon, 01 Jan 2024/i);
    expect(codes(await local('https', skew))).toEqual(['clock-skew']);
  });
});

describe.skipIf(skipWithout(APACHE, 'apache2'))('real Apache 2.4: a WebSocket endpoint behind ProxyPass upgrade=websocket', () => {
  let server: RealServer;
  let port: number;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'h2d-real-apache-cov-'));
    chmodSync(dir, 0o755);
    port = await freePort();
    writeFileSync(
      join(dir, 'httpd.conf'),
      `
${apacheHead(dir, ['mpm_event', 'authz_core', 'proxy', 'proxy_http'])}
Listen 127.0.0.1:${port}
<VirtualHost 127.0.0.1:${port}>
  ProxyPass "/" "http://127.0.0.1:${backend.port}/" upgrade=websocket
</VirtualHost>
`,
    );
    server = await spawnServer('apache2', APACHE ?? 'apache2', ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], dir, [port]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('a plain GET to the WebSocket endpoint: 426 Upgrade: websocket → upgrade-required-websocket', async () => {
    const out = await run(`curl -si --max-time 10 http://127.0.0.1:${port}/chat`);
    expect(out).toMatch(/^HTTP\/1\.1 426/);
    expect(out).toMatch(/^Upgrade: websocket/im);
    expect(codes(await local('http', port, { path: '/chat' }))).toEqual(['h2c-not-supported', 'preface-http1-response', 'upgrade-problem-details-missing', 'upgrade-required-websocket']);
  });
});

// Issue 11's bar: at least 40 codes asserted against a real server; every other code states why not
// (`node scripts/real-coverage.mjs` prints the list; registry.test.ts checks the files both ways).
test('the registry lists a real-server test for at least 40 codes, and a reason for every other', async () => {
  const { REGISTRY } = await import('../src/diagnosis/registry.js');
  const entries = Object.values(REGISTRY);
  const tested = entries.filter((e) => Array.isArray(e.realTests) && e.realTests.length > 0);
  expect(tested.length).toBeGreaterThanOrEqual(40);
  for (const e of entries) if (!tested.includes(e)) expect(typeof e.realTests === 'string' && e.realTests.length > 10).toBe(true);
});


/** The report, after every reproduce command of its findings ran and showed the symptom. */
async function reproduced(r: Report): Promise<Report> {
  await checkReproduce(r, caFile);
  return r;
}
