/**
 * Real intermediaries for the upgrade/proxy integration tests: tinyproxy (CONNECT proxy) and nginx
 * (reverse proxy), Debian packages installed by test/setup/upgrade-proxies.sh, each started on a
 * loopback port with its own configuration in a temporary directory and stopped by the test.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitPort } from './net-helpers.js';

export { freePort };

export function which(cmd: string, fallback: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  return existsSync(fallback) ? fallback : undefined;
}


export interface Running {
  port: number;
  stop(): Promise<void>;
}

async function runDaemon(bin: string, args: string[], dir: string, port: number, log: string): Promise<Running> {
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()).slice(-2000));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 2000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  if (!(await waitPort(port, 5000))) {
    const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    await stop();
    throw new Error(`${bin} did not start: ${stderr.slice(0, 500)} ${text.slice(0, 500)}`);
  }
  return { port, stop };
}

/** tinyproxy in the foreground; `connectPorts` empty allows CONNECT to any port. */
export async function startTinyproxy(o: { credentials?: [string, string]; connectPorts?: number[] } = {}): Promise<Running> {
  const bin = which('tinyproxy', '/usr/bin/tinyproxy');
  if (!bin) throw new Error('tinyproxy is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'h2d-tinyproxy-'));
  const port = await freePort();
  const conf = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 30',
    'MaxClients 32',
    'LogLevel Error',
    `LogFile "${dir}/tinyproxy.log"`,
    `PidFile "${dir}/tinyproxy.pid"`,
    'Allow 127.0.0.1',
    'ViaProxyName "lab-tinyproxy"',
    ...(o.credentials ? [`BasicAuth ${o.credentials[0]} ${o.credentials[1]}`] : []),
    ...(o.connectPorts ?? []).map((p) => `ConnectPort ${p}`),
  ].join('\n');
  writeFileSync(join(dir, 'tinyproxy.conf'), conf + '\n');
  return runDaemon(bin, ['-d', '-c', join(dir, 'tinyproxy.conf')], dir, port, join(dir, 'tinyproxy.log'));
}

/** nginx (single process, foreground) with the given `server { … }` blocks; `{port}` placeholders are filled. */
export async function startNginx(servers: (ports: number[]) => string, count: number): Promise<{ ports: number[]; stop(): Promise<void> }> {
  const bin = which('nginx', '/usr/sbin/nginx');
  if (!bin) throw new Error('nginx is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'h2d-nginx-upgrade-'));
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  const conf = `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
${servers(ports)}
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const r = await runDaemon(bin, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], dir, ports[0]!, join(dir, 'error.log'));
  return { ports, stop: r.stop };
}
