/**
 * Real intermediaries for the upgrade/proxy integration tests: tinyproxy (CONNECT proxy) and nginx
 * (reverse proxy), Debian packages installed by test/setup/upgrade-proxies.sh, each started on a
 * loopback port with its own configuration in a temporary directory and stopped by the test.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net-helpers.js';
import { findBinary, nginxArgs, nginxConf, spawnServer } from './real-helpers.js';

export { findBinary, freePort };

export interface Running {
  port: number;
  stop(): Promise<void>;
}

/** tinyproxy in the foreground; `connectPorts` empty allows CONNECT to any port. */
export async function startTinyproxy(o: { credentials?: [string, string]; connectPorts?: number[] } = {}): Promise<Running> {
  const bin = findBinary('tinyproxy');
  if (!bin) throw new Error('tinyproxy is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'h2d-tinyproxy-'));
  const port = await freePort();
  const conf = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 30',
    'MaxClients 32',
    'LogLevel Error',
    `LogFile "${dir}/error.log"`,
    `PidFile "${dir}/tinyproxy.pid"`,
    'Allow 127.0.0.1',
    'ViaProxyName "lab-tinyproxy"',
    ...(o.credentials ? [`BasicAuth ${o.credentials[0]} ${o.credentials[1]}`] : []),
    ...(o.connectPorts ?? []).map((p) => `ConnectPort ${p}`),
  ].join('\n');
  writeFileSync(join(dir, 'tinyproxy.conf'), conf + '\n');
  const server = await spawnServer('tinyproxy', bin, ['-d', '-c', join(dir, 'tinyproxy.conf')], dir, [port]);
  return { port, stop: server.stop };
}

/** nginx (single process, foreground) with the `server { … }` blocks `servers` writes for `count` fresh loopback ports. */
export async function startNginx(servers: (ports: number[]) => string, count: number): Promise<{ ports: number[]; stop(): Promise<void> }> {
  const bin = findBinary('nginx');
  if (!bin) throw new Error('nginx is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'h2d-nginx-upgrade-'));
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  return spawnServer('nginx', bin, nginxArgs(dir, nginxConf(dir, servers(ports), { singleProcess: true })), dir, ports);
}
