/**
 * The replayed profiles against the real clients themselves, on real nginx: for every shipped
 * profile whose client is installed and reports what it negotiated (scripts/client-sim/clients.mjs
 * `real`: curl -v, openssl s_client, gnutls-cli, and the Go / Java / Python / Node programs), the
 * real client and its simulation agree on the TLS version, the cipher suite and ALPN.
 * Scenarios, on nginx and on Apache httpd + mod_http2: TLS 1.2 + 1.3 with h2, TLS 1.2 only, ALPN http/1.1 only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabPki, findBinary, freePort, labDir, skipWithout, spawnServer, type LabPki, apacheHead } from './real-helpers.js';
import { startNginx } from './nginx-helpers.js';
import { diagnose } from '../src/diagnose.js';
import { shippedProfiles } from '../src/clients/load.js';
import { cipherByName } from '../src/wire/tls/registry.js';
// @ts-expect-error: a plain ESM script shared with scripts/capture-clients.mjs
import { CLIENTS, PARSE, buildGoProbe } from '../scripts/client-sim/clients.mjs';

const nginx = findBinary('nginx');
let pki: LabPki;
let caFile: string;
const ctx: Record<string, unknown> = {};
const seen = new Set<string>();
beforeAll(async () => {
  pki = await createLabPki();
  const dir = mkdtempSync(join(tmpdir(), 'h16-real-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pki.rootCa.certPem);
  Object.assign(ctx, { caFile, work: dir, root: process.cwd() });
  await buildGoProbe(ctx).catch(() => {});
}, 120_000);
afterAll(() => {
  // Which real clients were compared (the rest are not installed here, or print nothing to compare).
  console.log(`real clients compared with their simulation: ${[...seen].sort().join(', ')}`);
});

const run = (cmd: string, args: string[], o: { stdin?: string; env?: Record<string, string>; timeoutMs?: number }) =>
  new Promise<string>((resolve) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...(o.env ?? {}) }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (out += c));
    const t = setTimeout(() => p.kill('SIGKILL'), o.timeoutMs ?? 20000);
    p.on('error', () => resolve(out));
    p.on('close', () => (clearTimeout(t), resolve(out)));
    p.stdin.end(o.stdin ?? '');
  });

/** One IANA-ish name for a suite whatever the client prints (OpenSSL, IANA or GnuTLS words). */
const norm = (s: string | undefined) => (s ? (cipherByName(s)?.name ?? s) : s);

const SCENARIOS = [
  { id: 'default', tls: 'ssl_protocols TLSv1.2 TLSv1.3;', http2: true },
  { id: 'tls12-only', tls: 'ssl_protocols TLSv1.2;', http2: true },
  { id: 'http1-only', tls: 'ssl_protocols TLSv1.2 TLSv1.3;', http2: false },
];

describe.skipIf(skipWithout(nginx, 'nginx'))('real clients and their simulation agree (nginx)', () => {
  for (const sc of SCENARIOS) {
    it(`${sc.id}: version, cipher and ALPN of each installed client match its replayed profile`, async () => {
      const ng = await startNginx(pki, { tls: sc.tls, http2: sc.http2 });
      try {
        await agree(`https://localhost:${ng.port}/`, ng.port);
      } finally {
        await ng.stop();
      }
    }, 120_000);
  }
});

/** Every installed real client against the URL, and the simulation of its profile: version, cipher, ALPN agree. */
async function agree(url: string, port: number): Promise<void> {
  const report = await diagnose(url, { resolve: [`localhost:${port}:127.0.0.1`], ca: pki.rootCa.certPem, clients: shippedProfiles() });
  const compared: string[] = [];
  for (const c of CLIENTS as Array<{ id: string; real?: { parse: keyof typeof PARSE; run: (u: string, c: unknown) => { cmd: string; args: string[]; stdin?: string; env?: Record<string, string>; timeoutMs?: number } }; installed: (c: unknown) => Promise<boolean> }>) {
    if (!c.real || !(await c.installed(ctx))) continue;
    const row = report.clients!.find((r) => r.client === c.id);
    if (!row) continue;
    const r = c.real.run(url, ctx);
    const real = (PARSE[c.real.parse] as (s: string) => Record<string, string | null | undefined>)(await run(r.cmd, r.args, r));
    compared.push(c.id);
    seen.add(c.id);
    if (real.error) {
      // The real client failed (node:http2 without ALPN h2, …): its simulation must say it fails too.
      expect(row.outcome, `${c.id}: real client failed (${real.error}); simulation: ${row.reason}`).toBe('fails');
      continue;
    }
    expect(real.version, `${c.id} version (real ${JSON.stringify(real)})`).toBe(row.tlsVersion);
    if (real.cipher) expect(norm(real.cipher), `${c.id} cipher`).toBe(row.cipher);
    if (real.alpn !== 'unknown' && real.alpn !== undefined && c.real.parse !== 'json') expect(real.alpn ?? null, `${c.id} ALPN`).toBe(row.alpn ?? null);
  }
  expect(compared.length).toBeGreaterThanOrEqual(3);
}

const APACHE = findBinary('apache2');
describe.skipIf(skipWithout(APACHE, 'apache2'))('real clients and their simulation agree (Apache httpd + mod_http2)', () => {
  const vhosts = [
    { id: 'h2', protocols: 'h2 http/1.1', ssl: 'SSLProtocol -all +TLSv1.2 +TLSv1.3' },
    { id: 'http1-only', protocols: 'http/1.1', ssl: 'SSLProtocol -all +TLSv1.2 +TLSv1.3' },
    { id: 'tls12-only', protocols: 'h2 http/1.1', ssl: 'SSLProtocol -all +TLSv1.2' },
  ];
  let ports: number[] = [];
  let server: Awaited<ReturnType<typeof spawnServer>> | undefined;
  beforeAll(async () => {
    const { dir, cert, key } = await labDir(pki, 'apache-clients');
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'htdocs'));
    writeFileSync(join(dir, 'htdocs', 'index.html'), 'ok\n');
    ports = [await freePort(), await freePort(), await freePort()];
    const mods = ['mpm_event', 'authz_core', 'dir', 'ssl', 'socache_shmcb', 'http2'];
    const conf = `
${apacheHead(dir, mods)}
SSLSessionCache shmcb:${dir}/ssl_scache(512000)
DocumentRoot ${dir}/htdocs
DirectoryIndex index.html
<Directory ${dir}/htdocs>
  Require all granted
</Directory>
${vhosts
  .map(
    (v, i) => `
Listen 127.0.0.1:${ports[i]}
<VirtualHost 127.0.0.1:${ports[i]}>
  ServerName localhost
  Protocols ${v.protocols}
  SSLEngine on
  ${v.ssl}
  SSLCertificateFile ${cert}
  SSLCertificateKeyFile ${key}
</VirtualHost>`,
  )
  .join('\n')}
`;
    writeFileSync(join(dir, 'httpd.conf'), conf);
    server = await spawnServer('apache2', APACHE ?? 'apache2', ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], dir, ports);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  for (const [i, v] of vhosts.entries()) {
    it(`${v.id}: version, cipher and ALPN of each installed client match its replayed profile`, async () => {
      await agree(`https://localhost:${ports[i]}/`, ports[i]!);
    }, 120_000);
  }
});
