// Real servers for the real-client recorder (corpus/record.mjs): Debian's nginx, apache2 (mod_ssl,
// mod_http2, mod_proxy), h2o, haproxy, nghttpd, lighttpd, caddy, squid and tinyproxy, each configured to fail in one known way, started in the
// foreground on a loopback port with its configuration in a temporary directory, and stopped when
// the clients are done. The expected codes below come from each configuration (what the server was
// set up to do), never from h2doctor's output.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = (name) => ['/usr/sbin', '/usr/bin'].map((d) => join(d, name)).find((p) => existsSync(p));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitPort(port, ms = 8000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise((r) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), r(true)));
      c.once('error', () => r(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Starts `cmd args` in its own process group; resolves once every port accepts TCP. */
async function start(name, cmd, args, dir, ports) {
  const child = spawn(cmd, args, { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: dir } });
  let out = '';
  child.stdout.on('data', (b) => (out = (out + b).slice(-2000)));
  child.stderr.on('data', (b) => (out = (out + b).slice(-2000)));
  const exited = new Promise((r) => child.once('exit', r));
  for (const p of ports) {
    if (!(await waitPort(p))) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      throw new Error(`${name} did not listen on ${p}: ${out.trim().split('\n').slice(-3).join(' | ')}`);
    }
  }
  return {
    async stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      const t = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, 3000);
      await exited;
      clearTimeout(t);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function nginxConf(dir, servers) {
  return `worker_processes 1;
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
${servers}
}
`;
}

async function nginx(id, pki, servers) {
  const b = bin('nginx');
  if (!b) throw new Error('nginx is not installed');
  const dir = mkdtempSync(join(tmpdir(), `h2d-corpus-${id}-`));
  const port = await freePort();
  const files = {};
  for (const [k, v] of Object.entries(pki)) {
    files[`${k}Cert`] = join(dir, `${k}.pem`);
    files[`${k}Key`] = join(dir, `${k}.key`);
    writeFileSync(files[`${k}Cert`], v.chainPem);
    writeFileSync(files[`${k}Key`], v.keyPem, { mode: 0o600 });
  }
  writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, servers(port, files)));
  const s = await start(id, b, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], dir, [port]);
  return { url: `https://localhost:${port}/`, stop: s.stop };
}

/** Apache httpd in the foreground: `vhosts(ports, files)` is the virtual-host part of httpd.conf. */
async function apache(id, pki, mods, nPorts, vhosts) {
  const b = bin('apache2');
  if (!b) throw new Error('apache2 is not installed');
  const dir = mkdtempSync(join(tmpdir(), `h2d-corpus-apache-${id}-`));
  // The workers run as www-data: they must read the configuration folder.
  chmodSync(dir, 0o755);
  const ports = [];
  for (let i = 0; i < nPorts; i++) ports.push(await freePort());
  const files = {};
  for (const [k, v] of Object.entries(pki)) {
    files[`${k}Cert`] = join(dir, `${k}.pem`);
    files[`${k}Key`] = join(dir, `${k}.key`);
    writeFileSync(files[`${k}Cert`], v.chainPem);
    writeFileSync(files[`${k}Key`], v.keyPem, { mode: 0o600 });
  }
  mkdirSync(join(dir, 'htdocs'));
  writeFileSync(join(dir, 'htdocs', 'index.html'), 'ok\n');
  const conf = [
    `ServerRoot ${dir}`,
    ...mods.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`),
    'ServerName localhost',
    `PidFile ${dir}/httpd.pid`,
    `DefaultRuntimeDir ${dir}`,
    `ErrorLog ${dir}/error.log`,
    'LogLevel warn',
    'User www-data',
    'Group www-data',
    'StartServers 1',
    'ServerLimit 1',
    'ThreadsPerChild 16',
    'MaxRequestWorkers 16',
    `DocumentRoot ${dir}/htdocs`,
    'DirectoryIndex index.html',
    `<Directory ${dir}/htdocs>`,
    '  Require all granted',
    '</Directory>',
    ...(mods.includes('ssl') ? [`SSLSessionCache shmcb:${dir}/ssl_scache(512000)`] : []),
    vhosts(ports, files),
  ].join('\n');
  writeFileSync(join(dir, 'httpd.conf'), conf + '\n');
  const s = await start(id, b, ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], dir, ports);
  return { ports, stop: s.stop };
}

const APACHE_TLS = ['mpm_event', 'authz_core', 'dir', 'ssl', 'socache_shmcb', 'http2'];
const apacheTls = (port, cert, key, extra) => `Listen 127.0.0.1:${port}\n<VirtualHost 127.0.0.1:${port}>\n  ServerName localhost\n  SSLEngine on\n  SSLCertificateFile ${cert}\n  SSLCertificateKeyFile ${key}\n${extra}\n</VirtualHost>`;

/** h2o in the foreground: one TLS listener (`tls`: the preset certificate to use) and/or one cleartext one. */
async function h2o(id, pki, { tls, clear, ssl = {} }) {
  const b = bin('h2o');
  if (!b) throw new Error('h2o is not installed');
  const dir = mkdtempSync(join(tmpdir(), `h2d-corpus-h2o-${id}-`));
  mkdirSync(join(dir, 'htdocs'));
  writeFileSync(join(dir, 'htdocs', 'index.html'), 'ok\n');
  const lines = ['user: root', `pid-file: ${join(dir, 'h2o.pid')}`, `error-log: ${join(dir, 'error.log')}`];
  const ports = {};
  if (tls) {
    ports.tls = await freePort();
    writeFileSync(join(dir, 'cert.pem'), pki[tls].chainPem);
    writeFileSync(join(dir, 'key.pem'), pki[tls].keyPem, { mode: 0o600 });
    // As root h2o drops to `nobody` unless told otherwise; OCSP stapling would try to fetch from an absent responder.
    lines.push('listen:', '  host: 127.0.0.1', `  port: ${ports.tls}`, '  ssl:', `    certificate-file: ${join(dir, 'cert.pem')}`, `    key-file: ${join(dir, 'key.pem')}`, '    ocsp-update-interval: 0', ...Object.entries(ssl).map(([k, v]) => `    ${k}: ${v}`));
  }
  if (clear) {
    ports.clear = await freePort();
    lines.push('listen:', '  host: 127.0.0.1', `  port: ${ports.clear}`);
  }
  lines.push('hosts:', '  default:', '    paths:', '      /:', `        file.dir: ${join(dir, 'htdocs')}`, '');
  writeFileSync(join(dir, 'h2o.conf'), lines.join('\n'));
  const s = await start(id, b, ['-c', join(dir, 'h2o.conf')], dir, Object.values(ports));
  return { ports, stop: s.stop };
}

/** A WebSocket endpoint (the `ws` package) on loopback: 101 to a WebSocket handshake, 426 (Upgrade: websocket) to anything else. */
async function wsBackend() {
  const { default: http } = await import('node:http');
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ noServer: true });
  const s = http.createServer((_q, r) => {
    r.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket', connection: 'Upgrade' });
    r.end('Upgrade Required\n');
  });
  s.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (c) => c.send('hello')));
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  return { port: s.address().port, stop: () => new Promise((r) => (wss.clients.forEach((c) => c.terminate()), s.closeAllConnections?.(), s.close(() => r()))) };
}

/** A healthy HTTPS h2 origin (node:http2) for the proxies to tunnel to. */
async function origin(pki) {
  const { default: http2 } = await import('node:http2');
  const s = http2.createSecureServer({ cert: pki.valid.chainPem, key: pki.valid.keyPem, allowHTTP1: true }, (_q, r) => r.end('ok\n'));
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  return { port: s.address().port, stop: () => new Promise((r) => (s.closeAllConnections?.(), s.close(() => r()))) };
}

/**
 * The real-server scenarios. `modes` maps a client mode to the expected codes, as LAB_TRUTH does.
 * `start(pki)` → { url, proxy?, stop }.
 */
export const REAL_SCENARIOS = [
  {
    id: 'nginx-http1-only-tls',
    server: 'nginx',
    note: 'listen ssl without http2: ALPN offers http/1.1 only',
    modes: { h2: ['alpn-no-h2'], default: ['alpn-no-h2'] },
    start: (pki) => nginx('h1tls', pki, (port, f) => `server { listen 127.0.0.1:${port} ssl; server_name localhost; ssl_certificate ${f.validCert}; ssl_certificate_key ${f.validKey}; location / { return 200 "ok\\n"; } }`),
  },
  {
    id: 'nginx-cert-expired',
    server: 'nginx',
    note: 'ssl_certificate is past its notAfter',
    modes: { default: ['cert-expired'], h2: ['cert-expired'] },
    start: (pki) => nginx('expired', pki, (port, f) => `server { listen 127.0.0.1:${port} ssl http2; server_name localhost; ssl_certificate ${f.expiredCert}; ssl_certificate_key ${f.expiredKey}; location / { return 200 "ok\\n"; } }`),
  },
  {
    id: 'nginx-cert-wrong-host',
    server: 'nginx',
    note: 'the certificate names other.example only',
    modes: { default: ['cert-hostname-mismatch'], h2: ['cert-hostname-mismatch'] },
    start: (pki) => nginx('wronghost', pki, (port, f) => `server { listen 127.0.0.1:${port} ssl http2; server_name localhost; ssl_certificate ${f.wrongHostCert}; ssl_certificate_key ${f.wrongHostKey}; location / { return 200 "ok\\n"; } }`),
  },
  {
    id: 'nginx-self-signed',
    server: 'nginx',
    note: 'a self-signed certificate',
    modes: { default: ['cert-untrusted'], h2: ['cert-untrusted'] },
    start: (pki) => nginx('selfsigned', pki, (port, f) => `server { listen 127.0.0.1:${port} ssl http2; server_name localhost; ssl_certificate ${f.selfSignedCert}; ssl_certificate_key ${f.selfSignedKey}; location / { return 200 "ok\\n"; } }`),
  },
  {
    id: 'nginx-tls12-only',
    server: 'nginx',
    note: 'ssl_protocols TLSv1.2',
    modes: { 'tls1.3': ['tls13-not-supported'] },
    start: (pki) => nginx('tls12', pki, (port, f) => `server { listen 127.0.0.1:${port} ssl http2; server_name localhost; ssl_protocols TLSv1.2; ssl_certificate ${f.validCert}; ssl_certificate_key ${f.validKey}; location / { return 200 "ok\\n"; } }`),
  },
  {
    id: 'nginx-tls13-only',
    server: 'nginx',
    note: 'ssl_protocols TLSv1.3',
    modes: { 'tls1.2': ['tls12-not-supported'] },
    start: (pki) => nginx('tls13', pki, (port, f) => `server { listen 127.0.0.1:${port} ssl http2; server_name localhost; ssl_protocols TLSv1.3; ssl_certificate ${f.validCert}; ssl_certificate_key ${f.validKey}; location / { return 200 "ok\\n"; } }`),
  },
  {
    id: 'nginx-reject-unknown-sni',
    server: 'nginx',
    note: 'default server with ssl_reject_handshake on; only www.lab.example is served',
    modes: { default: ['tls-sni-unknown-name'], h2: ['tls-sni-unknown-name'] },
    start: (pki) =>
      nginx('rejectsni', pki, (port, f) =>
        [
          `server { listen 127.0.0.1:${port} ssl default_server; ssl_reject_handshake on; }`,
          `server { listen 127.0.0.1:${port} ssl http2; server_name www.lab.example; ssl_certificate ${f.validCert}; ssl_certificate_key ${f.validKey}; location / { return 200 "ok\\n"; } }`,
        ].join('\n'),
      ),
  },
  {
    id: 'nginx-h2-upgrade-leak',
    server: 'nginx',
    note: 'HTTP/2 in front of a backend that sends Upgrade: h2,h2c and Connection: Upgrade: nginx 1.22 passes Upgrade into its HTTP/2 answer',
    modes: { default: ['h2-connection-specific-header'], h2: ['h2-connection-specific-header'] },
    start: async (pki) => {
      const { default: http } = await import('node:http');
      const b = http.createServer((_q, r) => (r.writeHead(200, { 'content-type': 'text/plain', upgrade: 'h2,h2c', connection: 'Upgrade' }), r.end('backend\n')));
      await new Promise((r) => b.listen(0, '127.0.0.1', r));
      const stopB = () => new Promise((r) => (b.closeAllConnections?.(), b.close(() => r())));
      const n = await nginx('upleak', pki, (port, f) => `server { listen 127.0.0.1:${port} ssl http2; server_name localhost; ssl_certificate ${f.validCert}; ssl_certificate_key ${f.validKey}; location / { proxy_pass http://127.0.0.1:${b.address().port}; } }`);
      return { ...n, stop: async () => (await n.stop(), await stopB()) };
    },
  },
  {
    id: 'nginx-426-h2-required',
    server: 'nginx',
    note: 'HTTP/2 served; HTTP/1.x answered 426 with Upgrade: h2',
    modes: { h1: ['upgrade-required-h2'], default: ['upgrade-required-h2'] },
    start: (pki) =>
      nginx('426', pki, (port, f) => `server { listen 127.0.0.1:${port} ssl http2; server_name localhost; ssl_certificate ${f.validCert}; ssl_certificate_key ${f.validKey}; location / { if ($server_protocol != "HTTP/2.0") { add_header Upgrade "h2" always; add_header Connection "Upgrade" always; return 426 "HTTP/2 required\\n"; } return 200 "ok\\n"; } }`),
  },
  {
    id: 'nginx-h2c-prior-knowledge',
    server: 'nginx',
    note: 'cleartext listen ... http2 (nginx 1.22): HTTP/2 by prior knowledge only, no HTTP/1.1',
    modes: { default: ['http1-not-supported'], h1: ['http1-not-supported'], 'h2-upgrade': ['h2c-upgrade-unsupported', 'http1-not-supported'] },
    start: async (pki) => {
      const r = await nginx('h2c', pki, (port) => `server { listen 127.0.0.1:${port} http2; server_name localhost; location / { return 200 "ok\\n"; } }`);
      return { ...r, url: r.url.replace('https:', 'http:') };
    },
  },
  {
    id: 'nginx-cleartext-http1',
    server: 'nginx',
    note: 'cleartext HTTP/1.1 only, spoken to with HTTP/2 and with TLS',
    modes: { h2c: ['h2c-not-supported', 'preface-http1-response'], 'h2-upgrade': ['h2c-not-supported'] },
    start: async (pki) => {
      const r = await nginx('h1clear', pki, (port) => `server { listen 127.0.0.1:${port}; server_name localhost; location / { return 200 "ok\\n"; } }`);
      return { ...r, url: r.url.replace('https:', 'http:') };
    },
  },
  {
    id: 'nginx-https-to-cleartext',
    server: 'nginx',
    note: 'https:// pointed at nginx\'s cleartext port',
    modes: { default: ['scheme-https-on-cleartext-port'], h2: ['scheme-https-on-cleartext-port'] },
    start: (pki) => nginx('tlsclear', pki, (port) => `server { listen 127.0.0.1:${port}; server_name localhost; location / { return 200 "ok\\n"; } }`),
  },
  {
    id: 'nginx-http-to-tls',
    server: 'nginx',
    note: 'http:// pointed at nginx\'s TLS port (nginx answers 400 "plain HTTP request was sent to HTTPS port")',
    modes: { default: ['scheme-http-on-tls-port'], h1: ['scheme-http-on-tls-port'], h2c: ['scheme-http-on-tls-port'] },
    start: async (pki) => {
      const r = await nginx('plainontls', pki, (port, f) => `server { listen 127.0.0.1:${port} ssl http2; server_name localhost; ssl_certificate ${f.validCert}; ssl_certificate_key ${f.validKey}; location / { return 200 "ok\\n"; } }`);
      return { ...r, url: r.url.replace('https:', 'http:') };
    },
  },
  {
    id: 'apache-http1-only-tls',
    server: 'apache2',
    note: 'TLS virtual host with Protocols http/1.1: ALPN offers http/1.1 only',
    modes: { h2: ['alpn-no-h2'], default: ['alpn-no-h2'] },
    start: async (pki) => {
      const a = await apache('h1tls', pki, APACHE_TLS, 1, ([p], f) => apacheTls(p, f.validCert, f.validKey, '  Protocols http/1.1'));
      return { url: `https://localhost:${a.ports[0]}/`, stop: a.stop };
    },
  },
  {
    id: 'apache-cert-expired',
    server: 'apache2',
    note: 'SSLCertificateFile is past its notAfter',
    modes: { default: ['cert-expired'], h2: ['cert-expired'] },
    start: async (pki) => {
      const a = await apache('expired', pki, APACHE_TLS, 1, ([p], f) => apacheTls(p, f.expiredCert, f.expiredKey, '  Protocols h2 http/1.1'));
      return { url: `https://localhost:${a.ports[0]}/`, stop: a.stop };
    },
  },
  {
    id: 'apache-tls12-only',
    server: 'apache2',
    note: 'SSLProtocol -all +TLSv1.2',
    modes: { 'tls1.3': ['tls13-not-supported'] },
    start: async (pki) => {
      const a = await apache('tls12', pki, APACHE_TLS, 1, ([p], f) => apacheTls(p, f.validCert, f.validKey, '  Protocols h2 http/1.1\n  SSLProtocol -all +TLSv1.2'));
      return { url: `https://localhost:${a.ports[0]}/`, stop: a.stop };
    },
  },
  {
    id: 'apache-client-cert-required',
    server: 'apache2',
    note: 'SSLVerifyClient require (no client certificate is sent)',
    modes: { default: ['tls-client-cert-required'], h2: ['tls-client-cert-required'] },
    start: async (pki) => {
      const a = await apache('mtls', pki, APACHE_TLS, 1, ([p], f) => apacheTls(p, f.validCert, f.validKey, `  Protocols h2 http/1.1\n  SSLVerifyClient require\n  SSLVerifyDepth 2\n  SSLCACertificateFile ${f.validCert}`));
      return { url: `https://localhost:${a.ports[0]}/`, stop: a.stop };
    },
  },
  {
    id: 'apache-cleartext-http1',
    server: 'apache2',
    note: 'cleartext virtual host with Protocols http/1.1, spoken to with h2c (prior knowledge and Upgrade)',
    modes: { h2c: ['h2c-not-supported', 'preface-http1-response'], 'h2-upgrade': ['h2c-not-supported'] },
    start: async (pki) => {
      const a = await apache('h1clear', pki, ['mpm_event', 'authz_core', 'dir', 'http2'], 1, ([p]) => `Listen 127.0.0.1:${p}\n<VirtualHost 127.0.0.1:${p}>\n  ServerName localhost\n  Protocols http/1.1\n</VirtualHost>`);
      return { url: `http://localhost:${a.ports[0]}/`, stop: a.stop };
    },
  },
  {
    id: 'apache-proxypass-ws-no-upgrade',
    server: 'apache2',
    note: 'ProxyPass to a WebSocket backend without upgrade=websocket: Apache drops Upgrade, the backend answers 426',
    modes: { ws: ['upgrade-header-stripped'], 'ws-protocol': ['upgrade-header-stripped'] },
    start: async (pki) => {
      const backend = await wsBackend();
      const a = await apache('wsproxy', pki, ['mpm_event', 'authz_core', 'dir', 'proxy', 'proxy_http'], 1, ([p]) => `Listen 127.0.0.1:${p}\n<VirtualHost 127.0.0.1:${p}>\n  ProxyPass "/" "http://127.0.0.1:${backend.port}/"\n</VirtualHost>`);
      return { url: `ws://localhost:${a.ports[0]}/chat`, stop: async () => (await a.stop(), await backend.stop()) };
    },
  },
  {
    id: 'h2o-http-to-tls',
    server: 'h2o',
    note: 'http:// pointed at h2o\'s TLS port',
    modes: { default: ['scheme-http-on-tls-port'], h1: ['scheme-http-on-tls-port'], h2c: ['scheme-http-on-tls-port'] },
    start: async (pki) => {
      const o = await h2o('plainontls', pki, { tls: 'valid' });
      return { url: `http://localhost:${o.ports.tls}/`, stop: o.stop };
    },
  },
  {
    id: 'h2o-https-to-cleartext',
    server: 'h2o',
    note: 'https:// pointed at h2o\'s cleartext port',
    modes: { default: ['scheme-https-on-cleartext-port'], h2: ['scheme-https-on-cleartext-port'] },
    start: async (pki) => {
      const o = await h2o('tlsonclear', pki, { clear: true });
      return { url: `https://localhost:${o.ports.clear}/`, stop: o.stop };
    },
  },
  {
    id: 'h2o-cert-expired',
    server: 'h2o',
    note: 'certificate-file is past its notAfter',
    modes: { default: ['cert-expired'], h2: ['cert-expired'] },
    start: async (pki) => {
      const o = await h2o('expired', pki, { tls: 'expired' });
      return { url: `https://localhost:${o.ports.tls}/`, stop: o.stop };
    },
  },
  {
    id: 'h2o-cert-wrong-host',
    server: 'h2o',
    note: 'the certificate names other.example only',
    modes: { default: ['cert-hostname-mismatch'], h2: ['cert-hostname-mismatch'] },
    start: async (pki) => {
      const o = await h2o('wronghost', pki, { tls: 'wrongHost' });
      return { url: `https://localhost:${o.ports.tls}/`, stop: o.stop };
    },
  },
  {
    id: 'nghttpd-h2-only',
    server: 'nghttpd',
    note: 'nghttpd over TLS speaks only h2 (ALPN h2): HTTP/1.1-only clients get alert 120',
    modes: { h1: ['http1-not-supported'], default: ['http1-not-supported'] },
    start: async (pki) => {
      const b = bin('nghttpd');
      if (!b) throw new Error('nghttpd is not installed');
      const dir = mkdtempSync(join(tmpdir(), 'h2d-corpus-nghttpd-'));
      const port = await freePort();
      writeFileSync(join(dir, 'cert.pem'), pki.valid.chainPem);
      writeFileSync(join(dir, 'key.pem'), pki.valid.keyPem, { mode: 0o600 });
      writeFileSync(join(dir, 'index.html'), 'ok\n');
      const s = await start('nghttpd', b, ['-a', '127.0.0.1', '-d', dir, String(port), join(dir, 'key.pem'), join(dir, 'cert.pem')], dir, [port]);
      return { url: `https://localhost:${port}/`, stop: s.stop };
    },
  },
  {
    id: 'haproxy-http1-only-tls',
    server: 'haproxy',
    note: 'bind ssl alpn http/1.1',
    modes: { h2: ['alpn-no-h2'], default: ['alpn-no-h2'] },
    start: async (pki) => haproxy(pki, (port, crt) => `frontend fe\n  bind 127.0.0.1:${port} ssl crt ${crt} alpn http/1.1\n  http-request return status 200 content-type text/plain string ok`),
  },
  {
    id: 'haproxy-strict-sni',
    server: 'haproxy',
    note: 'bind ssl crt-list with strict-sni, only www.lab.example listed',
    modes: { default: ['tls-sni-unknown-name'], h2: ['tls-sni-unknown-name'] },
    start: async (pki) => haproxy(pki, (port, crt, dir) => {
      writeFileSync(join(dir, 'list.txt'), `${crt} www.lab.example\n`);
      return `frontend fe\n  bind 127.0.0.1:${port} ssl crt-list ${join(dir, 'list.txt')} strict-sni alpn h2,http/1.1\n  http-request return status 200 content-type text/plain string ok`;
    }),
  },
  {
    id: 'lighttpd-http1-only-tls',
    server: 'lighttpd',
    note: 'TLS with server.h2proto disabled: ALPN offers http/1.1 only',
    modes: { h2: ['alpn-no-h2'], default: ['alpn-no-h2'] },
    start: async (pki) => {
      const b = bin('lighttpd');
      if (!b) throw new Error('lighttpd is not installed');
      const dir = mkdtempSync(join(tmpdir(), 'h2d-corpus-lighttpd-'));
      const port = await freePort();
      writeFileSync(join(dir, 'site.pem'), pki.valid.chainPem + pki.valid.keyPem, { mode: 0o600 });
      writeFileSync(join(dir, 'index.html'), 'ok\n');
      writeFileSync(
        join(dir, 'lighttpd.conf'),
        [`server.document-root = "${dir}"`, `server.port = ${port}`, 'server.bind = "127.0.0.1"', `server.pid-file = "${dir}/lighttpd.pid"`, `server.errorlog = "${dir}/error.log"`, 'server.modules += ("mod_openssl")', 'ssl.engine = "enable"', `ssl.pemfile = "${dir}/site.pem"`, 'server.feature-flags = ("server.h2proto" => "disable")', 'index-file.names = ("index.html")'].join('\n') + '\n',
      );
      const s = await start('lighttpd', b, ['-D', '-f', join(dir, 'lighttpd.conf')], dir, [port]);
      return { url: `https://localhost:${port}/`, stop: s.stop };
    },
  },
  {
    id: 'caddy-http1-only-tls',
    server: 'caddy',
    note: 'servers { protocols h1 }: ALPN offers http/1.1 only',
    modes: { h2: ['alpn-no-h2'], default: ['alpn-no-h2'] },
    start: async (pki) => {
      const b = bin('caddy');
      if (!b) throw new Error('caddy is not installed');
      const dir = mkdtempSync(join(tmpdir(), 'h2d-corpus-caddy-'));
      const port = await freePort();
      writeFileSync(join(dir, 'cert.pem'), pki.valid.chainPem);
      writeFileSync(join(dir, 'key.pem'), pki.valid.keyPem, { mode: 0o600 });
      writeFileSync(join(dir, 'Caddyfile'), `{\n  admin off\n  auto_https off\n  servers {\n    protocols h1\n  }\n}\nhttps://localhost:${port} {\n  bind 127.0.0.1\n  tls ${dir}/cert.pem ${dir}/key.pem\n  respond "ok"\n}\n`);
      const s = await start('caddy', b, ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], dir, [port]);
      return { url: `https://localhost:${port}/`, stop: s.stop };
    },
  },
  {
    id: 'squid-connect-denied',
    server: 'squid',
    note: 'http_access deny CONNECT: the tunnel is refused with 403',
    modes: { proxy: ['proxy-connect-failed'] },
    start: async (pki) => {
      const b = bin('squid');
      if (!b) throw new Error('squid is not installed');
      const o = await origin(pki);
      const dir = mkdtempSync(join(tmpdir(), 'h2d-corpus-squid-'));
      const port = await freePort();
      writeFileSync(
        join(dir, 'squid.conf'),
        [`http_port 127.0.0.1:${port}`, 'acl CONNECT method CONNECT', 'http_access deny CONNECT', 'http_access allow all', `pid_filename ${dir}/squid.pid`, `cache_log ${dir}/cache.log`, 'access_log none', 'cache deny all', `coredump_dir ${dir}`, 'shutdown_lifetime 0 seconds', 'visible_hostname lab-squid'].join('\n') + '\n',
      );
      const s = await start('squid', b, ['-N', '-f', join(dir, 'squid.conf')], dir, [port]);
      return { url: `https://localhost:${o.port}/`, proxy: `http://127.0.0.1:${port}`, stop: async () => (await s.stop(), await o.stop()) };
    },
  },
  {
    id: 'tinyproxy-connect-port-denied',
    server: 'tinyproxy',
    note: 'ConnectPort 443 only: CONNECT to the origin\'s port is refused with 403',
    modes: { proxy: ['proxy-connect-failed'] },
    start: async (pki) => {
      const b = bin('tinyproxy');
      if (!b) throw new Error('tinyproxy is not installed');
      const o = await origin(pki);
      const dir = mkdtempSync(join(tmpdir(), 'h2d-corpus-tinyproxy-'));
      const port = await freePort();
      writeFileSync(join(dir, 'tinyproxy.conf'), [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', 'MaxClients 32', 'LogLevel Error', `LogFile "${dir}/error.log"`, `PidFile "${dir}/tinyproxy.pid"`, 'Allow 127.0.0.1', 'ConnectPort 443'].join('\n') + '\n');
      const s = await start('tinyproxy', b, ['-d', '-c', join(dir, 'tinyproxy.conf')], dir, [port]);
      return { url: `https://localhost:${o.port}/`, proxy: `http://127.0.0.1:${port}`, stop: async () => (await s.stop(), await o.stop()) };
    },
  },
];

async function haproxy(pki, front) {
  const b = bin('haproxy');
  if (!b) throw new Error('haproxy is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'h2d-corpus-haproxy-'));
  const port = await freePort();
  const crt = join(dir, 'site.pem');
  writeFileSync(crt, pki.valid.chainPem + pki.valid.keyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'haproxy.cfg'), `global\n  log stderr format raw local0 emerg\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 10s\n  timeout server 10s\n${front(port, crt, dir)}\n`);
  const s = await start('haproxy', b, ['-db', '-f', join(dir, 'haproxy.cfg')], dir, [port]);
  return { url: `https://localhost:${port}/`, stop: s.stop };
}

/**
 * Runs the clients against every real scenario (one at a time: each server is started, the
 * clients run, the server stops). Returns runs in record.mjs's shape.
 */
export async function recordRealServers({ clients, ids, runOne, pool, concurrency, ca, pki, only }) {
  const out = [];
  for (const sc of REAL_SCENARIOS) {
    if (only && !only.includes(sc.id)) continue;
    let running;
    try {
      running = await sc.start(pki);
    } catch (e) {
      console.error(`record: ${sc.id}: could not start: ${e.message}`);
      continue;
    }
    const version = serverVersion(sc.server);
    try {
      const jobs = [];
      for (const [mode, expect] of Object.entries(sc.modes)) {
        for (const client of ids) {
          const c = clients[client];
          if (!c.modes.includes(mode)) continue;
          if (mode === 'proxy' && !running.proxy) continue;
          const argv = c.cmd(mode, running.url, { proxy: running.proxy });
          if (!argv) continue;
          jobs.push(async () => {
            const r = await runOne(argv, c.env);
            const alpnNone = client === 'openssl-s_client' && r.code === 0 && /^No ALPN negotiated$/m.test(r.out) && /Cipher is (?!\(NONE\))/.test(r.out);
            const texts = alpnNone ? ['No ALPN negotiated'] : (r.code === 0 && !c.alwaysPick) || c.reached?.(r.out) ? [] : c.pick(r.out);
            if (c.cleanup) c.cleanup(argv);
            return { scenario: sc.id, server: version, client, mode, expect, exit: r.code, killed: r.killed, texts, argv };
          });
        }
      }
      out.push(...(await pool(jobs, concurrency)));
    } finally {
      await running.stop();
    }
  }
  void ca;
  return out;
}

function serverVersion(name) {
  const args = { nginx: ['-v'], apache2: ['-v'], h2o: ['--version'], haproxy: ['-v'], nghttpd: ['--version'], squid: ['-v'], tinyproxy: ['-v'], lighttpd: ['-v'], caddy: ['version'] }[name] ?? ['--version'];
  const b = bin(name);
  if (!b) return name;
  const r = spawnSync(b, args, { encoding: 'utf8' });
  return `${(r.stdout || r.stderr || name).split('\n')[0].trim()}`;
}
