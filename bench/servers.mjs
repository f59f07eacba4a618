// The real servers the speed benches run against (nginx, apache2, h2o, caddy, haproxy), each a
// Debian package started on a loopback port with the lab certificate, in its own process group, and
// a counting relay (conn-counter.mjs) in front of it for the connection figures.
//   const s = await startServer('nginx', root);  // root holds cert.pem, key.pem, crt.pem (server.mjs's writePki)
//   s.relayPort; s.count(); await s.stop();
// Run directly (`node bench/servers.mjs nginx`), it starts one and prints its ports until killed.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

export const which = (c) => {
  const r = spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
};
export const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Writes the lab PKI's valid certificate into `root` (cert.pem, key.pem, crt.pem, ca.pem); returns the CA path. */
export async function writePki(root) {
  const { createLabPki } = await import('../dist/lab/pki.js');
  const pki = await createLabPki();
  const cert = await pki.preset('valid');
  writeFileSync(join(root, 'cert.pem'), cert.chainPem);
  writeFileSync(join(root, 'key.pem'), cert.keyPem, { mode: 0o600 });
  writeFileSync(join(root, 'crt.pem'), cert.chainPem + cert.keyPem, { mode: 0o600 });
  writeFileSync(join(root, 'ca.pem'), pki.rootCa.certPem);
  return join(root, 'ca.pem');
}

/** Each server's command line for a config in `dir`, listening on 127.0.0.1:`port` (TLS 1.2 + 1.3, h2 + http/1.1). */
export const SERVERS = {
  nginx: (dir, port, root) => {
    writeFileSync(join(dir, 'nginx.conf'), `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 512; }
http { access_log off; client_body_temp_path ${dir}/b; proxy_temp_path ${dir}/p; fastcgi_temp_path ${dir}/f; uwsgi_temp_path ${dir}/u; scgi_temp_path ${dir}/s;
  server { listen 127.0.0.1:${port} ssl http2; server_name localhost;
    ssl_certificate ${root}/cert.pem; ssl_certificate_key ${root}/key.pem; ssl_protocols TLSv1.2 TLSv1.3;
    location / { return 200 "ok\\n"; } } }
`);
    return ['nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')]];
  },
  apache2: (dir, port, root) => {
    // Workers run as www-data: the document root must be readable to them.
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'htdocs'));
    writeFileSync(join(dir, 'htdocs', 'index.html'), 'ok\n');
    const mods = ['mpm_event', 'authz_core', 'dir', 'ssl', 'socache_shmcb', 'http2'];
    writeFileSync(join(dir, 'httpd.conf'), `ServerRoot ${dir}
${mods.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`).join('\n')}
ServerName localhost
PidFile ${dir}/httpd.pid
DefaultRuntimeDir ${dir}
ErrorLog ${dir}/error.log
LogLevel warn
User www-data
Group www-data
StartServers 1
ServerLimit 1
ThreadsPerChild 32
MaxRequestWorkers 32
SSLSessionCache shmcb:${dir}/ssl_scache(512000)
DocumentRoot ${dir}/htdocs
DirectoryIndex index.html
<Directory ${dir}/htdocs>
  Require all granted
</Directory>
Listen 127.0.0.1:${port}
<VirtualHost 127.0.0.1:${port}>
  ServerName localhost
  Protocols h2 http/1.1
  SSLEngine on
  SSLCertificateFile ${root}/cert.pem
  SSLCertificateKeyFile ${root}/key.pem
</VirtualHost>
`);
    return ['apache2', ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND']];
  },
  haproxy: (dir, port, root) => {
    writeFileSync(join(dir, 'haproxy.cfg'), `global
  maxconn 200
defaults
  mode http
  timeout connect 2s
  timeout client 5s
  timeout server 5s
frontend tls_h2
  bind 127.0.0.1:${port} ssl crt ${root}/crt.pem alpn h2,http/1.1
  http-request return status 200 content-type text/plain string ok
`);
    return ['haproxy', ['-f', join(dir, 'haproxy.cfg'), '-db']];
  },
  caddy: (dir, port, root) => {
    writeFileSync(join(dir, 'Caddyfile'), `{
  admin off
  auto_https off
  storage file_system ${dir}/data
  servers {
    protocols h1 h2
  }
}
https://localhost:${port} {
  bind 127.0.0.1
  tls ${root}/cert.pem ${root}/key.pem
  respond "ok"
}
`);
    return ['caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile']];
  },
  h2o: (dir, port, root) => {
    mkdirSync(join(dir, 'htdocs'));
    writeFileSync(join(dir, 'htdocs', 'index.html'), 'ok\n');
    writeFileSync(join(dir, 'h2o.conf'), ['user: root', `pid-file: ${join(dir, 'h2o.pid')}`, `error-log: ${join(dir, 'error.log')}`, 'listen:', '  host: 127.0.0.1', `  port: ${port}`, '  ssl:', `    certificate-file: ${root}/cert.pem`, `    key-file: ${root}/key.pem`, '    ocsp-update-interval: 0', 'hosts:', '  default:', '    paths:', '      /:', `        file.dir: ${join(dir, 'htdocs')}`, ''].join('\n'));
    return ['h2o', ['-c', join(dir, 'h2o.conf')]];
  },
};
export const SERVER_NAMES = Object.keys(SERVERS);
export const installed = (name) => !!which(name);

/** Starts `name` (its config under `root`/`name`), waits for its port, puts a counting relay in front. */
export async function startServer(name, root) {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const [bin, args] = SERVERS[name](dir, port, root);
  const child = spawn(which(bin), args, { stdio: 'ignore', cwd: dir, detached: true, env: { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') } });
  const exited = new Promise((r) => child.once('exit', r));
  const group = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      /* gone */
    }
  };
  let up = false;
  for (let i = 0; i < 160 && !up && child.exitCode === null; i++) {
    up = await new Promise((r) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => (s.destroy(), r(true)));
      s.on('error', () => r(false));
    });
    if (!up) await sleep(50);
  }
  if (!up) {
    group('SIGKILL');
    let log = '';
    try {
      log = readFileSync(join(dir, 'error.log'), 'utf8').slice(-800);
    } catch {}
    throw new Error(`${name} did not start on 127.0.0.1:${port} ${log}`);
  }
  const relayPort = await freePort();
  const countFile = join(dir, 'connections');
  const relay = spawn(process.execPath, [new URL('./conn-counter.mjs', import.meta.url).pathname, String(relayPort), String(port), countFile], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((r) => relay.stdout.once('data', r));
  const count = () => Number(readFileSync(countFile, 'utf8'));
  const stop = async () => {
    relay.kill();
    group(name === 'nginx' ? 'SIGQUIT' : 'SIGTERM');
    if ((await Promise.race([exited.then(() => true), sleep(3000).then(() => false)])) === false) group('SIGKILL');
    // Workers of a master that is gone (apache2's children) get the same, by group id.
    group('SIGKILL');
  };
  return { name, port, relayPort, count, stop };
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const root = mkdtempSync(join(tmpdir(), 'h2d-servers-'));
  const ca = await writePki(root);
  const started = [];
  for (const name of process.argv.slice(2)) {
    const s = await startServer(name, root);
    started.push(s);
    console.log(`${name} https://localhost:${s.port}/ (relay ${s.relayPort}) --cacert ${ca} --resolve localhost:${s.port}:127.0.0.1`);
  }
  const end = async () => {
    for (const s of started) await s.stop();
    rmSync(root, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', end);
  process.on('SIGTERM', end);
}
