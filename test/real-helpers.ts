/**
 * Real HTTP/2 servers "where users meet them" for the protocol-mismatch integration tests
 * (test/real-*.test.ts): nginx, apache2 (mod_http2), haproxy, nghttpd, h2o, caddy — Debian packages
 * installed by test/setup/real-servers.sh. Each test starts its server as a foreground child process
 * on 127.0.0.1 with an ephemeral port and a configuration in a temporary directory (never a system
 * service, never /etc), diagnoses it, and stops it (whole process group, exit awaited) afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitPort } from './net-helpers.js';
import { createLabPki, type LabCertPreset, type LabPki } from '../src/lab/pki.js';
import { listen, type Listening } from '../src/lab/servers.js';
import { diagnose } from '../src/diagnose.js';
import type { Report } from '../src/model/index.js';

export { freePort, createLabPki, type LabPki };

/** Under CI the set-up installs every server: a missing one must fail the run, not skip it. */
export const IN_CI = process.env.CI === 'true';

/** The binary's path (PATH, then the Debian locations), or undefined. */
export function findBinary(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  return ['/usr/sbin', '/usr/bin'].map((d) => join(d, cmd)).find((p) => existsSync(p));
}

/** True when the tests of a server must skip: its binary is missing and we are not in CI. */
export function skipWithout(bin: string | undefined, what: string): boolean {
  if (bin || IN_CI) return false;
  console.warn(`skipping ${what} tests: not installed (test/setup/real-servers.sh installs it; run as root)`);
  return true;
}

/** A temporary directory holding a lab certificate (chain; `valid` unless told) and key as cert.pem / key.pem. */
export async function labDir(pki: LabPki, prefix: string, preset: LabCertPreset = 'valid'): Promise<{ dir: string; cert: string; key: string }> {
  const dir = mkdtempSync(join(tmpdir(), `h2d-real-${prefix}-`));
  const c = await pki.preset(preset);
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  writeFileSync(cert, c.chainPem);
  writeFileSync(key, c.keyPem, { mode: 0o600 });
  return { dir, cert, key };
}

/**
 * An nginx.conf for a foreground nginx kept inside `dir` (pid, error.log, temp paths), one worker,
 * no access log, with `servers` (the `server { … }` blocks) inside `http { }`. `singleProcess`:
 * `master_process off`. Run it with {@link nginxArgs}.
 */
export function nginxConf(dir: string, servers: string, o: { singleProcess?: boolean } = {}): string {
  return `
worker_processes 1;
daemon off;
${o.singleProcess ? 'master_process off;\n' : ''}pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
${servers}
}
`;
}

/** Writes `conf` to dir/nginx.conf; the arguments that run nginx on it (prefix `dir`, errors to dir/error.log). */
export function nginxArgs(dir: string, conf: string): string[] {
  writeFileSync(join(dir, 'nginx.conf'), conf);
  return ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')];
}

export interface RealServer {
  ports: number[];
  stop(): Promise<void>;
}

/**
 * Starts `bin args` in its own process group (cwd `dir`, HOME and XDG dirs inside `dir`) and waits
 * until every port in `ports` accepts TCP. stop(): SIGTERM to the group, await the exit (SIGKILL after
 * 3 s), then remove `dir`.
 */
export async function spawnServer(name: string, bin: string, args: string[], dir: string, ports: number[]): Promise<RealServer> {
  const child: ChildProcess = spawn(bin, args, {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') },
  });
  let out = '';
  const keep = (c: Buffer) => (out = (out + c.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* the group is gone */
    }
  };
  const stop = async () => {
    if (alive()) {
      signal('SIGTERM');
      const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000).unref())]);
      if (!done) {
        signal('SIGKILL');
        await exited;
      }
    }
    // Workers of a master that exited on SIGTERM (apache2's children) get the same, by group id.
    signal('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  for (const port of ports) {
    const up = await Promise.race([waitPort(port, 8000), exited.then(() => false)]);
    if (!up) {
      const log = join(dir, 'error.log');
      const logged = existsSync(log) ? readFileSync(log, 'utf8').slice(-1500) : '';
      await stop();
      throw new Error(`${name} did not start on 127.0.0.1:${port}: ${out.slice(-1500)} ${logged}`);
    }
  }
  return { ports, stop };
}

/** diagnose() against localhost:port pinned to 127.0.0.1, trusting the lab root. */
export async function diagnoseLocal(pki: LabPki, scheme: 'http' | 'https', port: number, path = '/'): Promise<Report> {
  const report = await diagnose(`${scheme}://localhost:${port}${path}`, { resolve: [`localhost:${port}:127.0.0.1`], ca: pki.rootCa.certPem, timeoutMs: 2000 });
  // H2D_REAL_DEBUG=1: each finding with its evidence, to see why a server gets the codes it gets.
  if (process.env.H2D_REAL_DEBUG) {
    console.log(`${scheme}://localhost:${port}${path}\n${report.findings.map((f) => `  ${f.code}: ${f.evidence.map((e) => e.text).join(' | ')}`).join('\n') || '  (no findings)'}`);
    for (const p of report.probes) console.log(`  probe ${p.id}: ${JSON.stringify(p).slice(0, 600)}`);
  }
  return report;
}

/** The report's finding codes, sorted (the comparison is exact: no more, no fewer). */
export function codes(report: Report): string[] {
  return report.findings.map((f) => f.code).sort();
}

/** A loopback HTTP/1.1 backend answering 200 "backend ok" (for proxies such as haproxy). */
export function startBackend(): Promise<Listening> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('backend ok\n');
  });
  return listen(server);
}

/**
 * The head of an Apache httpd configuration for a foreground test instance in `dir`: the modules
 * (from Debian's module folder), pid, runtime and log files in `dir`, one small event-MPM process.
 */
export function apacheHead(dir: string, mods: readonly string[]): string {
  return `ServerRoot ${dir}
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
ThreadsPerChild 16
MaxRequestWorkers 16`;
}

/**
 * A real client's output (stdout + stderr), killed after 15 s. Asynchronous, so that servers
 * running in the test's own process (backends behind the proxies) keep serving while it waits.
 */
export function runClient(cmd: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}
