/**
 * Apache httpd (mod_http2, H2ModernTLSOnly on by default) with a TLS 1.2 block-listed suite: it
 * chooses h2 in ALPN and then refuses HTTP/2 itself with a GOAWAY right after the preface. Seen with
 * the real clients first: `curl --http2` prints "Empty reply from server", `openssl s_client -alpn h2
 * -tls1_2` shows "ALPN protocol: h2" with ECDHE-RSA-AES128-SHA. The cause is the suite, so h2doctor
 * must name `h2-inadequate-security` (with the GOAWAY as its evidence), not a second, unexplained
 * `goaway-on-connect` error, and give Apache's fix first.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apacheHead, codes, createLabPki, diagnoseLocal, findBinary, freePort, labDir, runClient, skipWithout, spawnServer, type LabPki, type RealServer } from './real-helpers.js';

const APACHE = findBinary('apache2');

describe.skipIf(skipWithout(APACHE, 'apache2'))('real Apache 2.4 + mod_http2 over a block-listed TLS 1.2 suite', () => {
  let pki: LabPki;
  let port = 0;
  let server: RealServer | undefined;
  beforeAll(async () => {
    pki = await createLabPki();
    const { dir, cert, key } = await labDir(pki, 'apache-blocklisted', 'rsa');
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'htdocs'));
    writeFileSync(join(dir, 'htdocs', 'index.html'), 'ok\n');
    port = await freePort();
    writeFileSync(
      join(dir, 'httpd.conf'),
      `${apacheHead(dir, ['mpm_event', 'authz_core', 'dir', 'ssl', 'socache_shmcb', 'http2'])}
DocumentRoot ${dir}/htdocs
<Directory ${dir}/htdocs>
  Require all granted
</Directory>
Listen 127.0.0.1:${port}
<VirtualHost 127.0.0.1:${port}>
  ServerName localhost
  Protocols h2 http/1.1
  SSLEngine on
  SSLCertificateFile ${cert}
  SSLCertificateKeyFile ${key}
  SSLProtocol -all +TLSv1.2
  SSLCipherSuite ECDHE-RSA-AES128-SHA
  SSLSessionTickets off
</VirtualHost>
`,
    );
    server = await spawnServer('apache2', APACHE ?? 'apache2', ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], dir, [port]);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  test('the real clients: h2 chosen over the block-listed suite, then no answer', async () => {
    const s = await runClient(`openssl s_client -connect 127.0.0.1:${port} -servername localhost -alpn h2 -tls1_2 </dev/null 2>&1`);
    expect(s).toMatch(/ALPN protocol: h2/);
    expect(s).toMatch(/ECDHE-RSA-AES128-SHA/);
    const c = await runClient(`curl -sv -k --max-time 5 --http2 -o /dev/null https://localhost:${port}/ 2>&1`);
    expect(c).toMatch(/ALPN: server accepted h2/);
    expect(c).toMatch(/Empty reply from server/);
  });

  test('h2-inadequate-security with the GOAWAY as its evidence, Apache fix first', async () => {
    const r = await diagnoseLocal(pki, 'https', port);
    expect(r.verdict).toBe('fail');
    // Exactly the cause (and the TLS 1.2-only configuration's own warning): the GOAWAY is no second error.
    expect(codes(r).sort()).toEqual(['h2-inadequate-security', 'tls13-not-supported']);
    const f = r.findings.find((x) => x.code === 'h2-inadequate-security')!;
    expect(f.evidence.map((e) => e.text).join('\n')).toMatch(/consequence \(goaway-on-connect\): GOAWAY/);
    expect(f.fixes[0]).toMatchObject({ side: 'server', applies: 'apache' });
  });
});
