/**
 * The protocol-mismatch family against a real Apache httpd 2.4 with mod_http2 (Debian apache2):
 * one `apache2 -DFOREGROUND`, four virtual hosts on four loopback ports — cleartext
 * `Protocols h2c http/1.1` (+ H2Upgrade on), cleartext `Protocols http/1.1`, TLS
 * `Protocols h2 http/1.1`, TLS `Protocols http/1.1` — diagnosed by URL, exact codes asserted.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, createLabPki, diagnoseLocal, findBinary, freePort, labDir, skipWithout, spawnServer, type LabPki, type RealServer, apacheHead } from './real-helpers.js';

const BIN = findBinary('apache2');
let pki: LabPki;
let server: RealServer;
let h2c: number, h1: number, tlsH2: number, tlsH1: number;

describe.skipIf(skipWithout(BIN, 'apache2'))('real Apache httpd + mod_http2: protocol mismatch', () => {
  beforeAll(async () => {
    pki = await createLabPki();
    const { dir, cert, key } = await labDir(pki, 'apache');
    // Workers run as www-data (Apache drops root): the document root must be readable to them.
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'htdocs'));
    writeFileSync(join(dir, 'htdocs', 'index.html'), 'ok\n');
    [h2c, h1, tlsH2, tlsH1] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const mods = ['mpm_event', 'authz_core', 'dir', 'ssl', 'socache_shmcb', 'http2'];
    const vhost = (port: number, protocols: string, tls: boolean) => `
Listen 127.0.0.1:${port}
<VirtualHost 127.0.0.1:${port}>
  ServerName localhost
  Protocols ${protocols}
${tls ? `  SSLEngine on\n  SSLCertificateFile ${cert}\n  SSLCertificateKeyFile ${key}` : ''}
</VirtualHost>`;
    const conf = `
${apacheHead(dir, mods)}
SSLSessionCache shmcb:${dir}/ssl_scache(512000)
DocumentRoot ${dir}/htdocs
DirectoryIndex index.html
<Directory ${dir}/htdocs>
  Require all granted
</Directory>
H2Upgrade on
${vhost(h2c, 'h2c http/1.1', false)}
${vhost(h1, 'http/1.1', false)}
${vhost(tlsH2, 'h2 http/1.1', true)}
${vhost(tlsH1, 'http/1.1', true)}
`;
    writeFileSync(join(dir, 'httpd.conf'), conf);
    server = await spawnServer('apache2', BIN ?? 'apache2', ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], dir, [h2c, h1, tlsH2, tlsH1]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('cleartext `Protocols h2c http/1.1`, H2Upgrade on: healthy h2c', async () => {
    expect(codes(await diagnoseLocal(pki, 'http', h2c))).toEqual([]);
  });

  test('cleartext `Protocols http/1.1`: no h2c at all', async () => {
    expect(codes(await diagnoseLocal(pki, 'http', h1))).toEqual(['h2c-not-supported', 'preface-http1-response']);
  });

  test('TLS `Protocols h2 http/1.1`: healthy', async () => {
    expect(codes(await diagnoseLocal(pki, 'https', tlsH2))).toEqual([]);
  });

  // No preface-http1-response here (unlike nginx): offered [h2] alone, Apache selects http/1.1 anyway
  // (RFC 7301 wants a no_application_protocol alert) and the client aborts the handshake, so a client
  // that forces HTTP/2 never gets to send the preface. alpn-no-h2's evidence says so.
  test('TLS `Protocols http/1.1`: ALPN selects http/1.1', async () => {
    expect(codes(await diagnoseLocal(pki, 'https', tlsH1))).toEqual(['alpn-no-h2']);
  });

  // Apache answers "400 Bad Request … You're speaking plain HTTP to an SSL-enabled server port".
  test('http:// to the TLS port', async () => {
    expect(codes(await diagnoseLocal(pki, 'http', tlsH2))).toEqual(['scheme-http-on-tls-port']);
  });

  test('https:// to the cleartext port', async () => {
    expect(codes(await diagnoseLocal(pki, 'https', h2c))).toEqual(['scheme-https-on-cleartext-port']);
  });
});
