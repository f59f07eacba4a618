// The real-client recorder. Run by corpus/record.sh inside `h2doctor lab --serve` (which sets
// <ID>_URL, <ID>_PROXY and H2DOCTOR_LAB_CA) and next to the real servers of corpus/real-servers.mjs.
// Runs every installed client stack against every failure scenario in the modes that scenario
// calls for, keeps each verbatim error line (or exception chain) and writes corpus/clients.json.
//
// The expected codes of a scenario come from what the server is set up to do (the table below,
// written from the scenario's definition), never from h2doctor's output. Every client run has a
// deadline (killed after RUN_DEADLINE_MS); every loop is over a fixed table; loopback only.
//
//   node corpus/record.mjs --out corpus/clients.json [--clients curl,go-nethttp] [--scenarios a,b]
//   node corpus/record.mjs --hostile            # the HOSTILE scenarios, into corpus/clients-hostile.json
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const BUILD = process.env.H13_CORPUS_BUILD ?? '/tmp/h2doctor-corpus-build';
// The CA bundle every client trusts: the lab's root, plus the real servers' own root (main below).
let CA = process.env.H2DOCTOR_LAB_CA;
const RUN_DEADLINE_MS = Number(process.env.CORPUS_DEADLINE_MS ?? 9000);
const CONCURRENCY = Number(process.env.CORPUS_CONCURRENCY ?? 4);
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
/**
 * Scenarios recorded into clients-hostile.json (`--hostile`), not clients.json: servers that
 * misbehave on purpose (malformed HTTP/1, broken HTTP/2 frames, floods, silence, an oversized chain,
 * broken WebSocket frames), weak DH, and nginx passing a connection-specific field into HTTP/2. Their
 * clients print mostly generic lines (timeouts, empty replies, resets) that explain's figures on
 * clients.json do not claim; they feed the findings' "clients print" lines (corpus/printed.mjs).
 */
export const HOSTILE = new Set([
  'hostile-h1-status-no-crlf', 'hostile-h1-endless-headers', 'hostile-h2-status-abc', 'hostile-h2-data-before-headers',
  'hostile-h2-ping-flood', 'hostile-h2-rst-flood', 'hostile-h2-no-response', 'tls-weak-dh-params', 'hostile-tls-huge-chain',
  'hostile-ws-garbage', 'hostile-ws-bad-close', 'hostile-ws-length-2e63', 'proxy-tls-intercepting', 'nginx-h2-upgrade-leak',
]);
const HOSTILE_RUN = process.argv.includes('--hostile');
const OUT = arg('--out') ?? join(HERE, HOSTILE_RUN ? 'clients-hostile.json' : 'clients.json');
const ONLY_CLIENTS = arg('--clients')?.split(',');
const ONLY_SCENARIOS = arg('--scenarios')?.split(',');
/** Whether this run records the scenario: a hostile one only with --hostile, the others only without. */
const inRun = (scenario) => HOSTILE.has(scenario) === HOSTILE_RUN && (!ONLY_SCENARIOS || ONLY_SCENARIOS.includes(scenario));

// ---------------------------------------------------------------------------------------------
// Ground truth: per lab scenario, the modes that make a client meet the failure and the code(s)
// that failure is. `modes` maps a mode to its expected codes (first = the scenario's cause; more
// than one when the scenario's definition proves several, as the lab's own `expect` does).
// Modes: default (what the client does by itself), h1, h2 (HTTP/2 required over TLS), h2c (prior
// knowledge on cleartext), h2-upgrade (Upgrade: h2c), tls1.3 (TLS 1.3 required), tls1.2 (TLS 1.2 at
// most), nosni (an IP literal: no SNI), proxy (through the scenario's proxy), ws, ws-protocol, ws-read (waits for the first message after the 101).
const TLS_ALL = ['default', 'h1', 'h2', 'tls1.3', 'tls1.2'];
const every = (codes, modes = TLS_ALL) => Object.fromEntries(modes.map((m) => [m, codes]));
export const LAB_TRUTH = {
  'tls-alpn-no-h2': { h2: ['alpn-no-h2'], default: ['alpn-no-h2'] },
  'tls-alpn-ignored': { h2: ['alpn-ignored', 'preface-http1-response'], default: ['alpn-ignored', 'preface-http1-response'] },
  'cleartext-http1-only': { h2c: ['h2c-not-supported', 'preface-http1-response'], 'h2-upgrade': ['h2c-not-supported'] },
  'h2c-prior-knowledge-only': { default: ['http1-not-supported'], h1: ['http1-not-supported'], 'h2-upgrade': ['h2c-upgrade-unsupported', 'http1-not-supported'] },
  'http-to-tls-port': { default: ['scheme-http-on-tls-port'], h1: ['scheme-http-on-tls-port'], h2c: ['scheme-http-on-tls-port'] },
  'https-to-cleartext-port': every(['scheme-https-on-cleartext-port'], ['default', 'h1', 'h2']),
  'preface-closed': every(['preface-closed'], ['default', 'h2']),
  'preface-timeout': every(['preface-timeout'], ['default', 'h2']),
  'goaway-on-connect': every(['goaway-on-connect'], ['default', 'h2']),
  'preface-not-settings': every(['preface-not-settings'], ['default', 'h2']),
  'preface-garbage': every(['preface-garbage'], ['default', 'h2']),
  'h2-no-streams': every(['h2-no-streams-allowed'], ['default', 'h2']),
  'h2-only-tls': every(['http1-not-supported'], ['default', 'h1']),
  // Its one suite is a CBC suite: clients that still offer it meet INADEQUATE_SECURITY, the others share no suite with it.
  'tls12-blocklisted-cipher': { default: ['h2-inadequate-security', 'tls-no-shared-cipher'], h2: ['h2-inadequate-security', 'tls-no-shared-cipher'], 'tls1.3': ['tls13-not-supported'] },
  'tcp-refused': every(['tcp-refused'], ['default']),
  'tcp-reset': every(['tcp-reset'], ['default', 'h2']),
  'tls-handshake-timeout': every(['tls-handshake-timeout'], ['default']),
  'dns-no-address': every(['dns-no-address'], ['default']),
  'tls-legacy-only': every(['tls-version-too-old'], ['default', 'h2']),
  'tls12-only': { 'tls1.3': ['tls13-not-supported'] },
  'tls13-only': { 'tls1.2': ['tls12-not-supported'] },
  'tls-legacy-ciphers-only': every(['tls-no-shared-cipher'], ['default', 'h2']),
  'tls-no-shared-group': every(['tls-no-shared-group'], ['default', 'h2']),
  'tls-sni-required': { nosni: ['tls-sni-required'] },
  'tls-sni-unknown-name-alert': every(['tls-sni-unknown-name'], ['default', 'h2']),
  'tls-sni-default-certificate': every(['tls-sni-unknown-name', 'cert-hostname-mismatch'], ['default']),
  'tls-client-cert-required': every(['tls-client-cert-required'], ['default', 'h2']),
  'tls13-client-cert-required': every(['tls-client-cert-required'], ['default', 'h2']),
  'cert-hostname-mismatch': every(['cert-hostname-mismatch'], ['default', 'h2']),
  'cert-expired': every(['cert-expired'], ['default', 'h2']),
  'cert-not-yet-valid': every(['cert-not-yet-valid'], ['default', 'h2']),
  'cert-self-signed': every(['cert-untrusted'], ['default', 'h2']),
  'cert-missing-intermediate': every(['cert-chain-incomplete'], ['default', 'h2']),
  'tls-port-speaks-ssh': every(['tls-malformed-response'], ['default', 'h2']),
  'tls-garbage-records': every(['tls-malformed-response'], ['default', 'h2']),
  'upgrade-426-h2-helper': every(['upgrade-required-h2'], ['default', 'h1']),
  'upgrade-426-h2-plain': every(['upgrade-required-h2'], ['default', 'h1']),
  'upgrade-426-no-upgrade-field': every(['upgrade-header-missing'], ['default', 'h1']),
  'upgrade-426-tls': { default: ['upgrade-required-tls'], h1: ['upgrade-required-tls'], h2c: ['h2c-not-supported', 'preface-http1-response'] },
  'upgrade-websocket-hint': every(['upgrade-required-websocket'], ['default', 'h1']),
  'websocket-upgrade-stripped': { ws: ['upgrade-header-stripped'] },
  'websocket-bad-accept': { ws: ['websocket-handshake-failed'] },
  'websocket-subprotocol-rejected': { 'ws-protocol': ['websocket-subprotocol-rejected'] },
  'h1-h2-behaviour-differs': { h1: ['h1-h2-behaviour-differs'] },
  'proxy-connect-refused': { proxy: ['proxy-connect-failed'] },
  'proxy-auth-required': { proxy: ['proxy-connect-failed'] },
  // Hostile servers real clients meet (issue 11: the codes that printed no line). HTTP/1.x clients
  // read the broken HTTP/1 answers; HTTP/2 clients the broken HTTP/2 ones; WebSocket clients the
  // broken frames after a valid 101; clients through the intercepting proxy its re-signed certificate.
  'hostile-h1-status-no-crlf': every(['http1-malformed-response'], ['default', 'h1']),
  'hostile-h1-endless-headers': every(['http1-malformed-response'], ['default', 'h1']),
  'hostile-h2-status-abc': every(['h2-protocol-error'], ['default', 'h2']),
  'hostile-h2-data-before-headers': every(['h2-protocol-error'], ['default', 'h2']),
  'hostile-h2-ping-flood': every(['h2-flood'], ['default', 'h2']),
  'hostile-h2-rst-flood': every(['h2-flood'], ['default', 'h2']),
  'hostile-h2-no-response': every(['h2-no-response'], ['default', 'h2']),
  'tls-weak-dh-params': every(['tls-weak-dh-params'], ['default', 'tls1.2']),
  'hostile-tls-huge-chain': every(['cert-chain-too-large'], ['default']),
  // ws-read: the client waits for the first message after the 101 (where these servers misbehave).
  'hostile-ws-garbage': { ws: ['websocket-protocol-error'], 'ws-read': ['websocket-protocol-error'] },
  'hostile-ws-bad-close': { ws: ['websocket-protocol-error'], 'ws-read': ['websocket-protocol-error'] },
  'hostile-ws-length-2e63': { ws: ['websocket-protocol-error'], 'ws-read': ['websocket-protocol-error'] },
  'proxy-tls-intercepting': { proxy: ['tls-interception-suspected'] },
};

// ---------------------------------------------------------------------------------------------
// Clients. cmd(mode, url, env) → argv (or null: the client has no such mode / scheme).
// pick(output) → the records (verbatim texts) this output gives.
const isTls = (u) => u.startsWith('https:') || u.startsWith('wss:');
const isWs = (u) => u.startsWith('ws:') || u.startsWith('wss:');
const hostPort = (u) => {
  const x = new URL(u);
  return { host: x.hostname, port: x.port || (isTls(u) ? '443' : '80') };
};
/**
 * The error lines of one run (verbatim, those that pass `keep`) as one record, as a user pastes
 * them, plus each `headline` line on its own: the line people quote from that client (curl's
 * "curl: (N) …", OpenSSL's "…:error:…", wget's "ERROR …"). Lines without evidence of their own
 * ("Unable to establish SSL connection.") are kept inside the block only.
 */
const lines = (keep, headline = () => false) => (out) => {
  const seen = new Set();
  const kept = out
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() && keep(l) && !seen.has(normalized(l)) && seen.add(normalized(l)));
  if (kept.length === 0) return [];
  const block = kept.join('\n');
  return [block, ...kept.filter((l) => headline(l) && l !== block)];
};
/** The whole output as one record (stack frames and blank lines dropped), plus its `also` line. */
const block = (drop, also) => (out) => {
  const kept = out.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() && !drop(l));
  if (kept.length === 0) return [];
  const recs = [kept.join('\n')];
  const extra = also?.(kept);
  if (extra && kept.length > 1 && !recs.includes(extra)) recs.push(extra);
  return recs;
};
const CURL_INFO = /alert|error|fail|did not agree|expired|not yet valid|self.signed|unable|refused|reset|timed out|Connection died|GOAWAY|RST_STREAM|not closed cleanly|wrong version|Empty reply|HTTP\/0\.9|unexpected|SSL certificate problem|mismatch|no alternative certificate|Received HTTP code|Proxy CONNECT|CONNECT tunnel|CONNECT phase/;
const CURL_NOISE = /^\*\s+(subject|issuer|start date|expire date|subjectAltName|SSL certificate verify ok|Connected to|Closing connection|ALPN: offers|ALPN: server accepted|SSL connection using|Trying)|close notify/;
const NODE_DROP = (l) => /^\s+at /.test(l) || /^Node\.js v\d/.test(l) || /^recorder:/.test(l) || /^\s*\^\s*$/.test(l);
const PY_KEEP = (l) => !/^\s/.test(l) && !/^Traceback \(most recent call last\):/.test(l) && !/^(During handling of the above exception|The above exception was the direct cause)/.test(l);
const JAVA_DROP = (l) => /^\s+at /.test(l) || /^\s+\.\.\. \d+ more/.test(l) || /^\s+Suppressed:/.test(l) || /^WARNING:/.test(l);
/**
 * A gRPC client whose call reached an HTTP/2 200 answer that is no gRPC (the lab's and the real
 * servers' endpoints are plain HTTP): the connection worked, so the scenario's failure was not met
 * and the run gives no record, as a client's exit status 0 does. grpc-go: "OK: HTTP status code 200;
 * transport: received the unexpected content-type"; grpc-js: "Call ended without gRPC status" (the
 * stream ended without grpc-status), "Received message larger than max" (a plain body read as a
 * length-prefixed message).
 */
const GRPC_REACHED = /HTTP status code 200; transport: received the unexpected content-type|Call ended without gRPC status|Received message larger than max/;
const pyNoProxyPin = (mode) => (mode === 'tls1.3' || mode === 'tls1.2' ? null : mode);

const javaBase = () => [
  'java',
  `-Djavax.net.ssl.trustStore=${BUILD}/lab-ca.p12`,
  '-Djavax.net.ssl.trustStorePassword=changeit',
  '-Djavax.net.ssl.trustStoreType=PKCS12',
  '-Djdk.http.auth.tunneling.disabledSchemes=',
  '-cp',
  `${BUILD}/java:/usr/share/java/okhttp.jar:/usr/share/java/okio.jar`,
];
const javaPin = (mode) => (mode === 'tls1.3' ? ['-Djdk.tls.client.protocols=TLSv1.3'] : mode === 'tls1.2' ? ['-Djdk.tls.client.protocols=TLSv1.2'] : []);
const java = (stack, modes) => ({
  modes,
  version: () => first(spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr),
  cmd: (mode, url, env) => (isWs(url) ? null : [...javaBase(), ...javaPin(mode), 'Client', stack, mode, url, ...(mode === 'proxy' ? [env.proxy] : [])]),
  pick: block(JAVA_DROP, (kept) => [...kept].reverse().find((l) => l.startsWith('Caused by:'))),
});
const first = (s) => (s ?? '').split('\n').find((l) => l.trim())?.trim() ?? '';
const NPM = process.env.H13_CORPUS_NPM ?? join(BUILD, 'npm');
const npmVersion = (name) => {
  try {
    return JSON.parse(readFileSync(join(NPM, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
};
const grpcGoVersion = () => /Version = "([^"]+)"/.exec(existsSync('/usr/share/gocode/src/google.golang.org/grpc/version.go') ? readFileSync('/usr/share/gocode/src/google.golang.org/grpc/version.go', 'utf8') : '')?.[1] ?? '?';
const pyver = (mod, attr = '__version__') => {
  const r = spawnSync('/usr/bin/python3', ['-c', `import ${mod}; print(${mod}.${attr})`], { encoding: 'utf8' });
  return `${mod} ${r.stdout.trim()} (Python ${spawnSync('/usr/bin/python3', ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).stdout.trim()})`;
};
const py = (stack, modes, mod) => ({
  modes,
  version: () => pyver(mod),
  cmd: (mode, url, env) => {
    if (stack === 'websockets' ? !isWs(url) : isWs(url)) return null;
    if (stack === 'grpcio' && mode !== 'h2' && mode !== 'h2c') return null;
    return ['/usr/bin/python3', join(HERE, 'clients/py_client.py'), stack, mode, url, ...(mode === 'proxy' ? [env.proxy] : [])];
  },
  pick: (out) => {
    // grpcio's _InactiveRpcError spreads status, details and debug_error_string over tab-indented lines.
    const kept = out.split('\n').filter((l) => l.trim() && (PY_KEEP(l) || /^\t(status|details|debug_error_string) = /.test(l)) && l.trim() !== '>');
    if (kept.length === 0) return [];
    const recs = [kept.join('\n')];
    const last = [...kept].reverse().find((l) => /^\t?(details = |[A-Za-z_][\w.]*: )/.test(l));
    if (kept.length > 1 && last) recs.push(last);
    return recs;
  },
});
const nodeClient = (stack, modes) => ({
  modes,
  version: () => `Node.js ${process.version}${stack === 'ws' ? ` ws ${JSON.parse(readFileSync(join(HERE, '../node_modules/ws/package.json'), 'utf8')).version}` : ''}`,
  cmd: (mode, url) => {
    if (stack === 'ws' ? !isWs(url) : isWs(url)) return null;
    if (stack === 'http2' && !isTls(url) && mode !== 'h2c') return null;
    if (stack !== 'http2' && mode === 'h2c') return null;
    return ['node', join(HERE, 'clients/node-client.mjs'), stack, mode, url];
  },
  pick: block(NODE_DROP),
});

export const CLIENTS = {
  curl: {
    modes: ['default', 'h1', 'h2', 'h2c', 'h2-upgrade', 'tls1.3', 'tls1.2', 'nosni', 'proxy'],
    version: () => first(spawnSync('curl', ['--version'], { encoding: 'utf8' }).stdout),
    cmd: (mode, url, env) => {
      if (isWs(url)) return null;
      const flags = { h1: ['--http1.1'], h2: isTls(url) ? ['--http2-prior-knowledge'] : null, h2c: isTls(url) ? null : ['--http2-prior-knowledge'], 'h2-upgrade': isTls(url) ? null : ['--http2'], 'tls1.3': ['--tlsv1.3'], 'tls1.2': ['--tls-max', '1.2'], proxy: ['-x', env.proxy] }[mode] ?? (mode === 'default' || mode === 'nosni' ? [] : null);
      if (!flags) return null;
      return ['curl', '-sS', '-v', '-f', '-o', '/dev/null', '--max-time', '5', '--cacert', CA, ...flags, url];
    },
    pick: lines((l) => l.startsWith('curl: (') || (l.startsWith('* ') && CURL_INFO.test(l) && !CURL_NOISE.test(l)) || /^< HTTP\/[\d.]+ [45]\d\d/.test(l) || /^< (?:Upgrade|Via):/i.test(l), (l) => l.startsWith('curl: (')),
  },
  'openssl-s_client': {
    modes: ['default', 'h1', 'h2', 'tls1.3', 'tls1.2', 'nosni', 'proxy'],
    version: () => first(spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout),
    cmd: (mode, url, env) => {
      if (!isTls(url)) return null;
      const { host, port } = hostPort(url);
      const alpn = { h1: ['-alpn', 'http/1.1'], h2: ['-alpn', 'h2'] }[mode] ?? ['-alpn', 'h2,http/1.1'];
      const extra = { 'tls1.3': ['-tls1_3'], 'tls1.2': ['-tls1_2'], nosni: ['-noservername'], proxy: ['-proxy', env.proxy?.replace(/^http:\/\//, '')] }[mode] ?? [];
      return ['openssl', 's_client', '-connect', `${host}:${port}`, ...(mode === 'nosni' ? [] : ['-servername', host]), '-CAfile', CA, '-verify_return_error', ...alpn, ...extra];
    },
    // "no peer certificate available", "Cipher is (NONE)" and "No ALPN negotiated" follow every
    // failed handshake: consequences, not errors. "No ALPN negotiated" after a handshake that
    // worked is the finding itself (kept by recordLab).
    pick: lines((l) => /error|alert|errno|Verify return code: [1-9]|verify error|Proxy|wrong version/i.test(l) && !/^verify return:1/.test(l), (l) => /:error:|^verify error:/.test(l)),
  },
  'gnutls-cli': {
    modes: ['default', 'h1', 'h2', 'tls1.3', 'tls1.2', 'nosni'],
    version: () => first(spawnSync('gnutls-cli', ['--version'], { encoding: 'utf8' }).stdout),
    cmd: (mode, url) => {
      if (!isTls(url)) return null;
      const { host, port } = hostPort(url);
      const alpn = { h1: ['--alpn', 'http/1.1'], h2: ['--alpn', 'h2'] }[mode] ?? ['--alpn', 'h2', '--alpn', 'http/1.1'];
      const prio = { 'tls1.3': ['--priority', 'NORMAL:-VERS-ALL:+VERS-TLS1.3'], 'tls1.2': ['--priority', 'NORMAL:-VERS-TLS1.3'], nosni: ['--disable-sni'] }[mode] ?? [];
      return ['gnutls-cli', '--x509cafile', CA, '-p', port, ...alpn, ...prio, mode === 'nosni' ? '127.0.0.1' : host];
    },
    pick: lines((l) => /^\*\*\* |Error|error|fail|NOT trusted|expired|not activated|does not match|Could not|alert/i.test(l) && !/^- (Certificate|Status: The certificate is trusted)/.test(l) && !/^Processed \d+ CA/.test(l), (l) => /^\*\*\* Received alert|^- Status: /.test(l)),
  },
  wget: {
    modes: ['default', 'tls1.3', 'tls1.2', 'nosni', 'proxy'],
    version: () => first(spawnSync('wget', ['--version'], { encoding: 'utf8' }).stdout),
    cmd: (mode, url, env) => {
      if (isWs(url)) return null;
      const extra = { 'tls1.3': ['--secure-protocol=TLSv1_3'], 'tls1.2': ['--secure-protocol=TLSv1_2'], proxy: ['-e', 'use_proxy=on', '-e', `https_proxy=${env.proxy}`] }[mode] ?? [];
      return ['wget', '-O', '/dev/null', '--tries=1', '--timeout=4', `--ca-certificate=${CA}`, ...extra, url];
    },
    pick: lines((l) => /ERROR|failed|GnuTLS|OpenSSL|Unable|error|No data received|Read error|refused|timed out|closed|not trusted|expired|awaiting response\.\.\. [45]\d\d|Proxy tunneling/i.test(l), (l) => /ERROR|^GnuTLS: received alert/.test(l)),
  },
  nghttp: {
    modes: ['h2', 'h2c', 'h2-upgrade'],
    version: () => first(spawnSync('nghttp', ['--version'], { encoding: 'utf8' }).stdout),
    cmd: (mode, url) => {
      if (isWs(url)) return null;
      if (mode === 'h2c' && isTls(url)) return null;
      if (mode === 'h2-upgrade' && isTls(url)) return null;
      return ['nghttp', '-n', '-t', '4', ...(mode === 'h2-upgrade' ? ['-u'] : []), url];
    },
    alwaysPick: true,
    // nghttp has no --cacert: OpenSSL's SSL_CERT_FILE makes it trust the lab CA. "Some requests
    // were not processed" closes every failed run: a summary, not an error.
    get env() {
      return { SSL_CERT_FILE: CA };
    },
    pick: lines((l) => /ERROR|error|GOAWAY|RST_STREAM|fail|Timeout/i.test(l) && !/not processed/.test(l), (l) => /^\[ERROR\]/.test(l)),
  },
  'node-https': nodeClient('https', ['default', 'h1', 'tls1.3', 'tls1.2', 'nosni']),
  'node-http2': nodeClient('http2', ['h2', 'h2c', 'tls1.3', 'tls1.2']),
  'node-fetch': nodeClient('fetch', ['default', 'h1', 'nosni']),
  'node-ws': nodeClient('ws', ['ws', 'ws-protocol', 'ws-read']),
  'python-urllib': py('urllib', ['default', 'h1', 'tls1.3', 'tls1.2', 'nosni', 'proxy'], 'urllib.request'),
  'python-requests': py('requests', ['default', 'h1', 'tls1.3', 'tls1.2', 'nosni', 'proxy'], 'requests'),
  'python-httpx': py('httpx', ['default', 'h1', 'tls1.3', 'tls1.2', 'nosni', 'proxy'], 'httpx'),
  'python-aiohttp': py('aiohttp', ['default', 'h1', 'tls1.3', 'tls1.2', 'nosni', 'proxy'], 'aiohttp'),
  'python-websockets': py('websockets', ['ws', 'ws-protocol', 'ws-read'], 'websockets'),
  'python-grpcio': py('grpcio', ['h2', 'h2c'], 'grpc'),
  'go-nethttp': {
    modes: ['default', 'h1', 'tls1.3', 'tls1.2', 'nosni', 'proxy'],
    version: () => first(spawnSync('go', ['version'], { encoding: 'utf8' }).stdout),
    cmd: (mode, url, env) => (isWs(url) ? null : [`${BUILD}/go-client`, mode === 'h1' ? 'nethttp-h1' : 'nethttp', mode, url, ...(mode === 'proxy' ? [env.proxy] : [])]),
    pick: lines(() => true),
  },
  'go-x-net-http2': {
    modes: ['h2', 'h2c', 'tls1.3', 'tls1.2'],
    version: () => `${first(spawnSync('go', ['version'], { encoding: 'utf8' }).stdout)} golang.org/x/net (Debian golang-golang-x-net-dev)`,
    cmd: (mode, url) => {
      if (isWs(url)) return null;
      if (isTls(url) === (mode === 'h2c')) return null;
      return [`${BUILD}/go-client`, 'xhttp2', mode, url];
    },
    pick: lines(() => true),
  },
  'java-httpclient': java('httpclient', ['default', 'h2', 'tls1.3', 'tls1.2', 'nosni', 'proxy']),
  'java-httpclient-h1': java('httpclient-h1', ['h1']),
  'java-urlconnection': java('urlconnection', ['default', 'h1', 'tls1.3', 'tls1.2', 'nosni', 'proxy']),
  okhttp: {
    ...java('okhttp', ['default', 'h2', 'tls1.3', 'tls1.2', 'nosni', 'proxy']),
    version: () => `OkHttp ${(spawnSync('sh', ['-c', 'ls /usr/share/java | grep -o "^okhttp-[0-9.]*[0-9]" | head -1'], { encoding: 'utf8' }).stdout.trim().replace('okhttp-', ''))} on ${first(spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr)}`,
  },
  // npm clients, installed by record.sh in a scratch folder (never h2doctor dependencies).
  'node-axios': {
    modes: ['default', 'h1', 'tls1.3', 'tls1.2', 'nosni'],
    version: () => `Node.js ${process.version} axios ${npmVersion('axios')}`,
    cmd: (mode, url) => (isWs(url) ? null : ['node', join(HERE, 'clients/node-client.mjs'), 'axios', mode, url]),
    env: { H13_CORPUS_NPM: NPM },
    // console.error(err) of an AxiosError ends with its request config and socket dumps: kept up to them.
    pick: (out) => {
      const kept = [];
      for (const l of out.split('\n').map((x) => x.replace(/\r$/, ''))) {
        if (/^\s+(?:config|request|response|cause|status): /.test(l)) break;
        if (l.trim() && !NODE_DROP(l) && !/^\s+\.\.\. \d+ lines? matching cause stack trace/.test(l) && !/^\s+isAxiosError: true/.test(l)) kept.push(l);
      }
      if (kept.length === 0) return [];
      return kept.length > 1 ? [kept.join('\n'), kept[0]] : [kept[0]];
    },
  },
  'node-grpc-js': {
    modes: ['h2', 'h2c'],
    version: () => `Node.js ${process.version} @grpc/grpc-js ${npmVersion('@grpc/grpc-js')}`,
    cmd: (mode, url) => (isWs(url) || isTls(url) === (mode === 'h2c') ? null : ['node', join(HERE, 'clients/node-client.mjs'), 'grpc-js', mode, url]),
    env: { H13_CORPUS_NPM: NPM },
    reached: (out) => GRPC_REACHED.test(out),
    pick: block((l) => NODE_DROP(l) || /^for call at$/.test(l) || /^\s+metadata: Metadata/.test(l) || /^}$/.test(l), (kept) => kept[0]),
  },
  'grpc-go': {
    modes: ['h2', 'h2c'],
    version: () => `grpc-go ${grpcGoVersion()} (Debian golang-google-grpc-dev) on ${first(spawnSync('go', ['version'], { encoding: 'utf8' }).stdout)}`,
    cmd: (mode, url) => (isWs(url) || isTls(url) === (mode === 'h2c') ? null : [`${BUILD}/grpc-go-client`, mode, url]),
    reached: (out) => GRPC_REACHED.test(out),
    pick: lines(() => true),
  },
  // Chromium reports a failed WebSocket handshake only on the page's console (read over DevTools).
  'chromium-ws': {
    modes: ['ws', 'ws-protocol'],
    version: () => first(spawnSync('chromium', ['--version'], { encoding: 'utf8' }).stdout),
    cmd: (mode, url) => (isWs(url) ? ['node', join(HERE, 'clients/chromium-ws.mjs'), mode, url, `${BUILD}/chromium-profile-${Math.random().toString(36).slice(2)}`] : null),
    env: { HOME: `${BUILD}/chromium-home` },
    cleanup: (argv) => spawnSync('rm', ['-rf', argv[argv.length - 1]]),
    pick: lines((l) => /WebSocket|net::ERR_/.test(l)),
  },
  chromium: {
    modes: ['default', 'h1', 'nosni'],
    version: () => first(spawnSync('chromium', ['--version'], { encoding: 'utf8' }).stdout),
    cmd: (mode, url) => {
      if (isWs(url)) return null;
      return ['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${BUILD}/chromium-profile-${Math.random().toString(36).slice(2)}`, '--enable-logging=stderr', ...(mode === 'h1' ? ['--disable-http2'] : []), '--dump-dom', url];
    },
    env: { HOME: `${BUILD}/chromium-home` },
    alwaysPick: true,
    cleanup: (argv) => {
      const dir = argv.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
      if (dir) spawnSync('rm', ['-rf', dir]);
    },
    pick: lines((l) => /net::ERR_|ssl_client_socket_impl|net_error -\d+/.test(l), (l) => /Page load failed/.test(l)),
  },
};

// ---------------------------------------------------------------------------------------------
const envName = (id) => id.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
const withIp = (u) => u.replace('//localhost:', '//127.0.0.1:');

function runOne(argv, extraEnv) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_EXTRA_CA_CERTS: CA, H2DOCTOR_LAB_CA: CA, NO_PROXY: '', no_proxy: '', HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '', ...extraEnv },
      detached: true,
    });
    let out = '';
    const add = (b) => {
      if (out.length < 64_000) out += b.toString('utf8');
    };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, RUN_DEADLINE_MS);
    child.on('error', (e) => {
      clearTimeout(t);
      resolve({ code: -1, out: `spawn error: ${e.message}`, killed: false });
    });
    child.on('close', (code, signal) => {
      clearTimeout(t);
      resolve({ code: code ?? -1, out, killed: signal === 'SIGKILL' });
    });
  });
}

async function pool(jobs, n) {
  const results = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) {
        const j = jobs[next++];
        results.push(await j());
      }
    }),
  );
  return results;
}

export async function recordLab(clientIds = Object.keys(CLIENTS)) {
  const jobs = [];
  for (const [scenario, modes] of Object.entries(LAB_TRUTH)) {
    if (!inRun(scenario)) continue;
    const url = process.env[`${envName(scenario)}_URL`];
    if (!url) {
      console.error(`record: ${scenario}: not served, skipped`);
      continue;
    }
    const proxy = process.env[`${envName(scenario)}_PROXY`];
    for (const [mode, expect] of Object.entries(modes)) {
      for (const client of clientIds) {
        const c = CLIENTS[client];
        if (!c.modes.includes(mode)) continue;
        if (mode === 'proxy' && !proxy) continue;
        const target = mode === 'nosni' ? withIp(url) : url;
        const argv = c.cmd(mode, target, { proxy });
        if (!argv) continue;
        jobs.push(async () => {
          const r = await runOne(argv, c.env);
          const alpnNone = client === 'openssl-s_client' && r.code === 0 && /^No ALPN negotiated$/m.test(r.out) && /Cipher is (?!\(NONE\))/.test(r.out);
          // Chromium and nghttp exit 0 after a failed load; their failure lines are read whatever the status.
          const texts = alpnNone ? ['No ALPN negotiated'] : (r.code === 0 && !c.alwaysPick) || c.reached?.(r.out) ? [] : c.pick(r.out);
          if (c.cleanup) c.cleanup(argv);
          return { scenario, server: 'h2doctor lab', client, mode, expect, exit: r.code, killed: r.killed, texts, argv };
        });
      }
    }
  }
  return pool(jobs, CONCURRENCY);
}

/** The text with what changes from run to run (ports, times, pids, addresses of objects) masked: the dedup key. */
export function normalized(text) {
  return text
    .replace(/^\[\d+:\d+:\d+\/[\d.]+:/gm, '[')
    .replace(/:\d{2,5}\b/g, ':PORT')
    .replace(/\d{4}-\d\d-\d\d[ T][\d:.]+(?:\+\d\d:\d\d|Z)?/g, 'TIME')
    .replace(/\b[0-9A-F]{12,16}:error/g, 'X:error')
    .replace(/E\d{4} [\d:.]+\s+\d+/g, 'ELOG')
    .replace(/\b\d{5,}\b/g, 'N');
}

export function toRecords(runs, versions) {
  const seen = new Set();
  const records = [];
  for (const run of runs.sort((a, b) => `${a.scenario} ${a.client} ${a.mode}`.localeCompare(`${b.scenario} ${b.client} ${b.mode}`))) {
    for (const text of run.texts) {
      const key = `${run.scenario}\u0000${run.client}\u0000${normalized(text)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      records.push({ scenario: run.scenario, server: run.server, client: run.client, clientVersion: versions[run.client], mode: run.mode, expect: run.expect, text });
    }
  }
  return records;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!CA || !existsSync(CA)) {
    console.error('record: run me through corpus/record.sh (H2DOCTOR_LAB_CA is not set)');
    process.exit(2);
  }
  // The real servers get their certificates from a second lab PKI (its root joins the bundle).
  const { createLabPki } = await import('../dist/lab/pki.js');
  const realPki = await createLabPki();
  const pkiCerts = Object.fromEntries(await Promise.all(['valid', 'expired', 'wrongHost', 'selfSigned'].map(async (n) => [n, await realPki.preset(n)])));
  const labCa = CA;
  const realCa = `${BUILD}/real-ca.pem`;
  writeFileSync(realCa, realPki.rootCa.certPem);
  CA = `${BUILD}/ca-bundle.pem`;
  writeFileSync(CA, readFileSync(labCa, 'utf8') + realPki.rootCa.certPem);
  // The CAs are new on every run: trust them in Java (PKCS12) and Chromium (an NSS db in its HOME).
  spawnSync('rm', ['-rf', `${BUILD}/lab-ca.p12`, `${BUILD}/chromium-home`]);
  spawnSync('mkdir', ['-p', `${BUILD}/chromium-home/.pki/nssdb`]);
  spawnSync('certutil', ['-d', `sql:${BUILD}/chromium-home/.pki/nssdb`, '-N', '--empty-password']);
  for (const [alias, file] of [['lab', labCa], ['real', realCa]]) {
    spawnSync('keytool', ['-importcert', '-noprompt', '-alias', alias, '-file', file, '-keystore', `${BUILD}/lab-ca.p12`, '-storetype', 'PKCS12', '-storepass', 'changeit']);
    spawnSync('certutil', ['-d', `sql:${BUILD}/chromium-home/.pki/nssdb`, '-A', '-t', 'C,,', '-n', alias, '-i', file]);
  }
  const ids = Object.keys(CLIENTS).filter((id) => !ONLY_CLIENTS || ONLY_CLIENTS.includes(id));
  const versions = Object.fromEntries(ids.map((id) => [id, CLIENTS[id].version()]));
  const t0 = Date.now();
  const runs = await recordLab(ids);
  let realRuns = [];
  if (process.env.CORPUS_REAL !== '0' && existsSync(join(HERE, 'real-servers.mjs'))) {
    const { recordRealServers, REAL_SCENARIOS } = await import('./real-servers.mjs');
    realRuns = await recordRealServers({ clients: CLIENTS, ids, runOne, pool, concurrency: CONCURRENCY, ca: CA, pki: pkiCerts, only: REAL_SCENARIOS.map((sc) => sc.id).filter(inRun) });
  }
  const all = [...runs, ...realRuns];
  const records = toRecords(all, versions);
  const prev = existsSync(OUT) && process.argv.includes('--merge') ? JSON.parse(readFileSync(OUT, 'utf8')) : null;
  const counts = { total: all.length, failed: all.filter((r) => r.texts.length > 0).length, killed: all.filter((r) => r.killed).length };
  const doc = {
    schemaVersion: 1,
    recorded: new Date().toISOString().slice(0, 10),
    generator: 'corpus/record.sh',
    note: 'Verbatim output of real clients run against failing servers on loopback. expect = the codes of what the server was set up to do (corpus/record.mjs LAB_TRUTH, corpus/real-servers.mjs), never h2doctor output. Ports and temporary paths are those of the recording run.',
    clients: prev ? { ...prev.clients, ...versions } : versions,
    // A merge keeps the first recording's counts and appends this run's (which clients, which scenarios).
    runs: prev
      ? { ...prev.runs, merges: [...(prev.runs.merges ?? []), { recorded: new Date().toISOString().slice(0, 10), clients: ONLY_CLIENTS ?? 'all', scenarios: ONLY_SCENARIOS ?? 'all', ...counts }] }
      : counts,
    records: prev ? [...prev.records.filter((r) => !(ids.includes(r.client) && (!ONLY_SCENARIOS || ONLY_SCENARIOS.includes(r.scenario)))), ...records] : records,
  };
  writeFileSync(OUT, JSON.stringify(doc, null, 1) + '\n');
  console.error(`record: ${all.length} runs, ${records.length} records, ${Math.round((Date.now() - t0) / 1000)} s → ${OUT}`);
}
