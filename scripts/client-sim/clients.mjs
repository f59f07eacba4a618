// The real clients of the client-simulation harness: how to find each one, read its version,
// point it at a URL trusting the lab CA, and (for the real-server agreement test) read what it
// negotiated from its own output. Used by scripts/capture-clients.mjs and test/clients-real.test.ts.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const pexec = promisify(execFile);
const which = async (b) => pexec('sh', ['-c', `command -v ${b}`]).then(() => true, () => false);
const first = (s, re) => (re.exec(s) ?? [])[1] ?? 'unknown';
const GET = 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';

const GRPC_GO_SRC = '/usr/share/gocode/src/google.golang.org/grpc';

/**
 * Builds the Go probes once (offline, no modules): net/http, and grpc-go from Debian's
 * golang-google-grpc-dev sources when installed (its build cache kept in the system temp directory:
 * the first build takes about 30 s on a busy machine, later ones a second).
 */
export async function buildGoProbe(ctx) {
  if (!(await which('go'))) return;
  const env = { ...process.env, GO111MODULE: 'off', GOFLAGS: '', GOCACHE: join(tmpdir(), 'h2doctor-client-sim-gocache'), GOTOOLCHAIN: 'local', GOPROXY: 'off' };
  ctx.goProbe = join(ctx.work, 'go-probe');
  await pexec('go', ['build', '-o', ctx.goProbe, join(here, 'probe.go')], { env });
  if (!existsSync(GRPC_GO_SRC)) return;
  ctx.grpcGoProbe = join(ctx.work, 'grpc-go-probe');
  await pexec('go', ['build', '-o', ctx.grpcGoProbe, '.'], { env: { ...env, GOPATH: '/usr/share/gocode' }, cwd: join(here, 'grpc-go') });
}

const BROWSER = { kind: 'browser', cleartext: 'http1', needsH2: false, refusesBlocklistedCipher: true, note: 'browsers speak HTTP/1.1 to http:// URLs (no h2c) and refuse HTTP/2 over an RFC 9113 Appendix A suite' };
const LIB = (note) => ({ kind: 'library', cleartext: 'http1', needsH2: false, refusesBlocklistedCipher: false, note });

/** Parse "key: value" style verbose output into { version, cipher, alpn } (normalised to Node's names where they differ). */
export const PARSE = {
  // curl -Sv: "SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384", "ALPN: server accepted h2" (curl 7.88),
  // the response line "< HTTP/2 200" / "< HTTP/1.1 200", or "curl: (35) …" when it fails.
  curl: (s) => {
    const err = /^curl: \((\d+)\) (.*)$/m.exec(s);
    if (err) return { error: `curl: (${err[1]}) ${err[2]}` };
    const proto = /^< (HTTP\/[\d.]+) \d{3}/m.exec(s)?.[1];
    return { version: first(s, /SSL connection using (TLSv[\d.]+)/), cipher: first(s, /SSL connection using TLSv[\d.]+ \/ (\S+)/), alpn: /ALPN: server accepted (\S+)/.exec(s)?.[1] ?? (/ALPN: server did not agree/.test(s) ? null : 'unknown'), ...(proto ? { proto: proto === 'HTTP/2' ? 'HTTP/2.0' : proto } : {}) };
  },
  // openssl s_client: "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384", "Protocol  : TLSv1.2" and "ALPN protocol: h2" /
  // "No ALPN negotiated"; a failed handshake says "Cipher is (NONE)" (or prints no "New," line at all). The version in
  // the "New," line is the suite's own (TLSv1.0 for ECDHE-RSA-AES128-SHA on a TLS 1.2 connection): the session's
  // "Protocol" line is the negotiated one.
  openssl: (s) => {
    const cipher = first(s, /New, \S+, Cipher is (\S+)/);
    if (cipher === 'unknown' || cipher === '(NONE)') return { error: (/^[0-9A-F]+:error:.*$/m.exec(s)?.[0] ?? 'no cipher negotiated').slice(0, 200) };
    const version = first(s, /^\s*Protocol\s*: (TLSv[\d.]+|SSLv3)$/m);
    // Without a session block (TLS 1.3, before any ticket) the "New," line's version: a TLS 1.3 suite's own.
    return { version: version !== 'unknown' ? version : first(s, /New, (TLSv1\.3), Cipher is/), cipher, alpn: /ALPN protocol: (\S+)/.exec(s)?.[1] ?? (/No ALPN negotiated/.test(s) ? null : 'unknown') };
  },
  // gnutls-cli: "- Description: (TLS1.3-X.509)-(ECDHE-SECP256R1)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)" and "- Application protocol: h2";
  // "*** Fatal error: …" / "*** Handshake has failed" when it fails.
  gnutls: (s) => {
    const fatal = /^\*\*\* (Fatal error: .*|Handshake has failed.*)$/m.exec(s);
    if (fatal) return { error: fatal[1] };
    const line = /^- Description: (.*)$/m.exec(s)?.[1] ?? '';
    const parts = [...line.matchAll(/\(([^)]*)\)/g)].map((m) => m[1]);
    const version = /^(TLS1\.\d|SSL3\.0)/.exec(parts[0] ?? '')?.[1];
    return { version: version ? version.replace('TLS1.', 'TLSv1.').replace('TLSv1.0', 'TLSv1') : 'unknown', ...(version ? { cipher: gnutlsSuite(version, parts.slice(1)) } : {}), alpn: /- Application protocol: (\S+)/.exec(s)?.[1] ?? null };
  },
  json: (s) => {
    const line = s.split('\n').find((l) => l.startsWith('{'));
    return line ? JSON.parse(line) : { error: s.slice(-300) };
  },
  // A client that prints nothing about its handshake (wget, tstclnt): only its exit status, from the
  // `exit=N` line the runner prints; what it negotiated comes from the server's access log (fromServerLog).
  exit: (s) => {
    const code = Number(/^exit=(\d+)$/m.exec(s)?.[1] ?? -1);
    return code === 0 ? {} : { error: `exit ${code}: ${s.trim().split('\n').filter((l) => !/^exit=/.test(l)).slice(-2).join(' | ').slice(0, 200)}` };
  },
};

/**
 * The IANA name of the suite gnutls-cli's Description line names in parts: TLS 1.3 "(AES-256-GCM)";
 * TLS 1.2 "(ECDHE-SECP256R1)-(RSA-SHA256)-(AES-128-CBC)-(SHA1)" or "(RSA)-(AES-128-GCM)". Undefined
 * for a combination it does not know (the cipher is then not compared).
 */
export function gnutlsSuite(version, parts) {
  const AEAD = { 'AES-128-GCM': 'AES_128_GCM_SHA256', 'AES-256-GCM': 'AES_256_GCM_SHA384', 'CHACHA20-POLY1305': 'CHACHA20_POLY1305_SHA256' };
  if (version === 'TLS1.3') return AEAD[parts.at(-1)] ? `TLS_${AEAD[parts.at(-1)]}` : undefined;
  const [kx] = parts;
  const cbc = /^(AES-(?:128|256))-CBC$/.exec(parts.find((p) => /-CBC$/.test(p)) ?? '');
  const mac = { SHA1: 'SHA', SHA256: 'SHA256', SHA384: 'SHA384' }[parts.at(-1)];
  const bulk = parts.map((p) => AEAD[p]).find(Boolean) ?? (cbc && mac ? `${cbc[1].replace('-', '_')}_CBC_${mac}` : undefined);
  // The signature part names the certificate's key; below TLS 1.2 the line has none ("(ECDHE-SECP256R1)-(AES-256-CBC)-(SHA1)").
  const sig = parts.slice(1).find((p) => /RSA|ECDSA|ED25519|ED448/.test(p));
  const auth = kx === 'RSA' ? 'RSA' : /^ECDHE/.test(kx) && sig ? `ECDHE_${/ECDSA|ED25519|ED448/.test(sig) ? 'ECDSA' : 'RSA'}` : /^DHE/.test(kx) && sig ? 'DHE_RSA' : undefined;
  return bulk && auth ? `TLS_${auth}_WITH_${bulk}` : undefined;
}

/** The query a client run through the server log carries, so that its log line can be found. */
export const marker = (id) => `h2doctor-client=${id}`;

/**
 * The access-log formats the real-server agreement test configures: one line per request with the
 * TLS version, the suite (OpenSSL name), the request's protocol and ALPN, and the request URI.
 */
export const SERVER_LOG = {
  nginx: `log_format h2dclients 'h2dclients $ssl_protocol $ssl_cipher $server_protocol alpn=$ssl_alpn_protocol $request_uri';`,
  apache: 'LogFormat "h2dclients %{SSL_PROTOCOL}x %{SSL_CIPHER}x %H alpn=- %U%q" h2dclients',
};

/** What the server's log says a client (by its marker) negotiated: { version, cipher, proto, alpn? } or undefined. */
export function fromServerLog(log, id) {
  const line = log.split('\n').find((l) => l.startsWith('h2dclients ') && l.includes(marker(id)));
  if (!line) return undefined;
  const [, version, cipher, proto, alpn] = line.split(' ');
  const a = alpn.slice('alpn='.length);
  // nginx logs an empty $ssl_alpn_protocol when none was negotiated; Apache's line carries no ALPN.
  return { version, cipher, proto, ...(a === '-' ? {} : { alpn: a || null }) };
}

/** Runs a client through sh, printing its exit status after its output (PARSE.exit reads it). */
const withExit = (cmd, args) => ({ cmd: 'sh', args: ['-c', `"$@"; echo "exit=$?"`, 'sh', cmd, ...args] });
const withMarker = (u, id) => `${u}${u.includes('?') ? '&' : '?'}${marker(id)}`;

export const CLIENTS = [
  {
    id: 'curl', name: 'curl', describe: 'curl --http2 <url> (OpenSSL)',
    installed: () => which('curl'),
    version: async (_c, run) => first(await run('curl', ['--version']), /^curl (\S+)/),
    library: () => 'OpenSSL 3',
    policy: { kind: 'cli', cleartext: 'h2c-upgrade', needsH2: false, refusesBlocklistedCipher: false, note: 'curl --http2: ALPN h2,http/1.1 on TLS, Upgrade: h2c on cleartext, HTTP/1.1 when refused' },
    https: (u, c) => ({ cmd: 'curl', args: ['-sv', '--http2', '--max-time', '5', '--cacert', c.caFile, u] }),
    http: (u) => ({ cmd: 'curl', args: ['-sv', '--http2', '--max-time', '5', u] }),
    real: { parse: 'curl', run: (u, c) => ({ cmd: 'curl', args: ['-sSv', '--http2', '--max-time', '5', '-o', '/dev/null', '--cacert', c.caFile, u] }) },
  },
  {
    id: 'curl-tls12', name: 'curl --tls-max 1.2', describe: 'curl --http2 --tls-max 1.2 <url>: a client limited to TLS 1.2 (OpenSSL)',
    installed: () => which('curl'),
    version: async (_c, run) => first(await run('curl', ['--version']), /^curl (\S+)/),
    library: () => 'OpenSSL 3',
    policy: { kind: 'cli', cleartext: 'h2c-upgrade', needsH2: false, refusesBlocklistedCipher: false, note: 'curl limited to TLS 1.2, like clients that predate TLS 1.3' },
    https: (u, c) => ({ cmd: 'curl', args: ['-sv', '--http2', '--tls-max', '1.2', '--max-time', '5', '--cacert', c.caFile, u] }),
    http: (u) => ({ cmd: 'curl', args: ['-sv', '--http2', '--max-time', '5', u] }),
    real: { parse: 'curl', run: (u, c) => ({ cmd: 'curl', args: ['-sSv', '--http2', '--tls-max', '1.2', '--max-time', '5', '-o', '/dev/null', '--cacert', c.caFile, u] }) },
  },
  {
    id: 'openssl', name: 'openssl s_client', describe: 'openssl s_client -alpn h2,http/1.1',
    installed: () => which('openssl'),
    version: async (_c, run) => first(await run('openssl', ['version']), /^OpenSSL (\S+)/),
    library: (v) => `OpenSSL ${v}`,
    policy: LIB('openssl s_client with -alpn h2,http/1.1: the OpenSSL 3 defaults'),
    https: (u, c) => ({ cmd: 'openssl', args: ['s_client', '-connect', `127.0.0.1:${new URL(u).port}`, '-servername', 'localhost', '-alpn', 'h2,http/1.1', '-CAfile', c.caFile], stdin: '' }),
    real: { parse: 'openssl', run: (u, c) => ({ cmd: 'openssl', args: ['s_client', '-connect', `127.0.0.1:${new URL(u).port}`, '-servername', 'localhost', '-alpn', 'h2,http/1.1', '-CAfile', c.caFile], stdin: '' }) },
  },
  {
    id: 'wget', name: 'GNU Wget', describe: 'wget -O - <url> (GnuTLS)',
    installed: () => which('wget'),
    version: async (_c, run) => first(await run('wget', ['--version']), /GNU Wget (\S+)/),
    library: () => 'GnuTLS',
    policy: LIB('wget speaks HTTP/1.1 only (no ALPN h2)'),
    https: (u, c) => ({ cmd: 'wget', args: ['-q', '-O', '-', '--tries=1', '--timeout=5', `--ca-certificate=${c.caFile}`, u] }),
    http: (u) => ({ cmd: 'wget', args: ['-q', '-O', '-', '--tries=1', '--timeout=5', u] }),
    // wget prints nothing about its handshake (not even with -d): the server's log says what it negotiated.
    real: { parse: 'exit', serverLog: true, run: (u, c) => withExit('wget', ['-q', '-O', '/dev/null', '--tries=1', '--timeout=5', `--ca-certificate=${c.caFile}`, withMarker(u, 'wget')]) },
  },
  {
    id: 'gnutls-cli', name: 'gnutls-cli', describe: 'gnutls-cli --alpn h2 --alpn http/1.1',
    installed: () => which('gnutls-cli'),
    version: async (_c, run) => first(await run('gnutls-cli', ['--version']), /gnutls-cli (\S+)/),
    library: (v) => `GnuTLS ${v}`,
    policy: LIB('gnutls-cli with ALPN h2, http/1.1: the GnuTLS defaults'),
    https: (u, c) => ({ cmd: 'gnutls-cli', args: ['--x509cafile', c.caFile, '--alpn', 'h2', '--alpn', 'http/1.1', '-p', new URL(u).port, 'localhost'], stdin: '' }),
    real: { parse: 'gnutls', run: (u, c) => ({ cmd: 'gnutls-cli', args: ['--x509cafile', c.caFile, '--alpn', 'h2', '--alpn', 'http/1.1', '-p', new URL(u).port, 'localhost'], stdin: '' }) },
  },
  {
    id: 'nss-tstclnt', name: 'NSS tstclnt', describe: 'tstclnt -D -o (NSS defaults)',
    installed: () => which('tstclnt'),
    version: async () => (await pexec('dpkg-query', ['-W', '-f', '${Version}', 'libnss3']).then((r) => r.stdout, () => 'unknown')).replace(/^\d+:/, '').replace(/-.*$/, ''),
    library: (v) => `NSS ${v}`,
    policy: LIB('NSS (the library of Firefox) with its defaults; tstclnt offers no ALPN'),
    https: (u) => ({ cmd: 'tstclnt', args: ['-h', 'localhost', '-p', new URL(u).port, '-D', '-o', '-4'], stdin: GET }),
    // tstclnt -v prints the suite's parts, not its name ("SSL version 3.3 using 128-bit AES with 160-bit SHA1 MAC"):
    // the server's log names it. -o: the lab CA is not in an NSS database here.
    real: { parse: 'exit', serverLog: true, run: (u) => ({ ...withExit('tstclnt', ['-h', 'localhost', '-p', new URL(u).port, '-D', '-o', '-4']), stdin: `GET /?${marker('nss-tstclnt')} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n` }) },
  },
  {
    id: 'chromium', name: 'Chromium (headless)', describe: 'chromium --headless --dump-dom <url> (BoringSSL)',
    installed: () => which('chromium'),
    version: async (_c, run) => first(await run('chromium', ['--version'], { timeoutMs: 15000 }), /Chromium (\S+)/),
    library: () => 'BoringSSL',
    policy: BROWSER,
    https: (u, c) => ({ cmd: 'chromium', args: chromeArgs(c, u), timeoutMs: 30000 }),
    http: (u, c) => ({ cmd: 'chromium', args: chromeArgs(c, u), timeoutMs: 30000 }),
    // Its own net log: SSL_CONNECT (version, suite, ALPN), the HTTP/2 session, the page load's net error.
    real: { parse: 'json', run: (u, c) => ({ cmd: process.execPath, args: [join(here, 'probe-chromium.mjs'), u, c.work], timeoutMs: 40000 }) },
  },
  {
    id: 'go', name: 'Go net/http', describe: 'http.Client GET (Go crypto/tls, ForceAttemptHTTP2)',
    installed: async (c) => !!c.goProbe && existsSync(c.goProbe),
    version: async (_c, run) => first(await run('go', ['version']), /go version go(\S+)/),
    library: (v) => `Go crypto/tls ${v}`,
    policy: LIB('Go net/http: ALPN h2,http/1.1 on TLS, HTTP/1.1 on cleartext'),
    https: (u, c) => ({ cmd: c.goProbe, args: [u, c.caFile] }),
    http: (u, c) => ({ cmd: c.goProbe, args: [u, c.caFile] }),
    real: { parse: 'json', run: (u, c) => ({ cmd: c.goProbe, args: [u, c.caFile] }) },
  },
  {
    id: 'java17', name: 'Java HttpClient', describe: 'java.net.http.HttpClient GET (JDK JSSE)',
    installed: () => which('java'),
    version: async (_c, run) => first(await run('java', ['-version']), /version "([^"]+)"/),
    library: (v) => `JSSE ${v}`,
    policy: { ...LIB('java.net.http.HttpClient: HTTP/2 preferred, falls back to HTTP/1.1; cleartext tries Upgrade: h2c'), cleartext: 'h2c-upgrade' },
    https: (u, c) => ({ cmd: 'java', args: [join(here, 'Probe.java'), u, c.caFile], timeoutMs: 30000 }),
    http: (u, c) => ({ cmd: 'java', args: [join(here, 'Probe.java'), u, c.caFile], timeoutMs: 30000 }),
    real: { parse: 'json', run: (u, c) => ({ cmd: 'java', args: [join(here, 'Probe.java'), u, c.caFile], timeoutMs: 30000 }) },
  },
  {
    id: 'python-urllib', name: 'Python urllib', describe: '/usr/bin/python3 urllib.request.urlopen (ssl module, OpenSSL)',
    installed: async () => existsSync('/usr/bin/python3'),
    version: async (_c, run) => first(await run('/usr/bin/python3', ['--version']), /Python (\S+)/),
    library: () => 'Python ssl (OpenSSL 3)',
    policy: LIB('urllib speaks HTTP/1.1 only'),
    https: (u, c) => ({ cmd: '/usr/bin/python3', args: [join(here, 'probe.py'), u, c.caFile] }),
    http: (u, c) => ({ cmd: '/usr/bin/python3', args: [join(here, 'probe.py'), u, c.caFile] }),
    real: { parse: 'json', run: (u, c) => ({ cmd: '/usr/bin/python3', args: [join(here, 'probe.py'), u, c.caFile] }) },
  },
  ...['https', 'http2', 'fetch'].map((m) => ({
    id: `node-${m}`, name: `Node.js ${m === 'fetch' ? 'fetch (undici)' : m}`, describe: `node ${m}`,
    installed: async () => true,
    version: async () => process.versions.node,
    library: () => `OpenSSL ${process.versions.openssl}`,
    policy: m === 'http2'
      ? { kind: 'library', cleartext: 'h2c-prior-knowledge', needsH2: true, refusesBlocklistedCipher: false, note: 'node:http2 connect() speaks only HTTP/2 (ALPN h2; h2c by prior knowledge on http://)' }
      : LIB(`node:${m === 'fetch' ? 'fetch (undici)' : 'https'} speaks HTTP/1.1`),
    https: (u, c) => ({ cmd: process.execPath, args: [join(here, 'probe.mjs'), m, u, c.caFile], env: { NODE_EXTRA_CA_CERTS: c.caFile } }),
    ...(m === 'https' ? {} : { http: (u, c) => ({ cmd: process.execPath, args: [join(here, 'probe.mjs'), m, u, c.caFile] }) }),
    real: { parse: 'json', run: (u, c) => ({ cmd: process.execPath, args: [join(here, 'probe.mjs'), m, u, c.caFile], env: { NODE_EXTRA_CA_CERTS: c.caFile } }) },
  })),
  {
    id: 'grpc-js', name: '@grpc/grpc-js', describe: 'grpc-js unary call (node:http2)',
    installed: async (c) => existsSync(join(c.root, 'node_modules', '@grpc', 'grpc-js')),
    version: async (c) => JSON.parse(await import('node:fs/promises').then((f) => f.readFile(join(c.root, 'node_modules', '@grpc', 'grpc-js', 'package.json'), 'utf8'))).version,
    library: () => `Node.js ${process.versions.node} http2`,
    policy: { kind: 'grpc', cleartext: 'h2c-prior-knowledge', needsH2: true, refusesBlocklistedCipher: false, note: 'gRPC needs HTTP/2: ALPN h2 on TLS, h2c by prior knowledge on cleartext; grpc-js (node:http2) does not check the suite itself' },
    https: (u, c) => ({ cmd: process.execPath, args: [join(here, 'probe.mjs'), 'grpc', u, c.caFile] }),
    http: (u, c) => ({ cmd: process.execPath, args: [join(here, 'probe.mjs'), 'grpc', u, c.caFile] }),
    real: { parse: 'json', run: (u, c) => ({ cmd: process.execPath, args: [join(here, 'probe.mjs'), 'grpc', u, c.caFile] }) },
  },
  {
    id: 'grpc-python', name: 'grpcio (Python)', describe: '/usr/bin/python3 grpcio unary call (gRPC C-core, OpenSSL)',
    installed: async () => pexec('/usr/bin/python3', ['-c', 'import grpc']).then(() => true, () => false),
    version: async (_c, run) => first(await run('/usr/bin/python3', ['-c', 'import grpc; print("grpcio", grpc.__version__)']), /grpcio (\S+)/),
    library: () => 'gRPC C-core (OpenSSL 3)',
    policy: { kind: 'grpc', cleartext: 'h2c-prior-knowledge', needsH2: true, refusesBlocklistedCipher: false, note: 'gRPC needs HTTP/2: ALPN h2 on TLS, h2c by prior knowledge on cleartext; gRPC C-core offers only ECDHE AEAD suites for TLS 1.2, so a server with only block-listed suites fails its handshake' },
    https: (u, c) => ({ cmd: '/usr/bin/python3', args: [join(here, 'probe-grpc.py'), u, c.caFile] }),
    http: (u, c) => ({ cmd: '/usr/bin/python3', args: [join(here, 'probe-grpc.py'), u, c.caFile] }),
    // grpcio does not show its TLS session: the server's log names the version and suite of its call.
    real: { parse: 'json', serverLog: true, run: (u, c) => ({ cmd: '/usr/bin/python3', args: [join(here, 'probe-grpc.py'), u, c.caFile], env: { GRPC_VERBOSITY: 'NONE' } }) },
  },
  {
    id: 'grpc-go', name: 'grpc-go', describe: 'grpc-go unary call (Debian golang-google-grpc-dev, Go crypto/tls)',
    installed: async (c) => !!c.grpcGoProbe && existsSync(c.grpcGoProbe),
    version: async () => (await pexec('dpkg-query', ['-W', '-f', '${Version}', 'golang-google-grpc-dev']).then((r) => r.stdout, () => 'unknown')).replace(/^\d+:/, '').replace(/-.*$/, ''),
    library: () => 'Go crypto/tls (Debian golang-go)',
    policy: { kind: 'grpc', cleartext: 'h2c-prior-knowledge', needsH2: true, refusesBlocklistedCipher: false, note: 'gRPC needs HTTP/2: ALPN h2 on TLS, h2c by prior knowledge on cleartext; grpc-go takes HTTP/2 over a block-listed TLS 1.2 suite' },
    https: (u, c) => ({ cmd: c.grpcGoProbe, args: [u, c.caFile] }),
    http: (u, c) => ({ cmd: c.grpcGoProbe, args: [u, c.caFile] }),
    real: { parse: 'json', run: (u, c) => ({ cmd: c.grpcGoProbe, args: [u, c.caFile] }) },
  },
];

function chromeArgs(c, u) {
  return ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(c.work, `chrome-${Math.random().toString(36).slice(2)}`)}`, '--ignore-certificate-errors', '--dump-dom', u];
}
