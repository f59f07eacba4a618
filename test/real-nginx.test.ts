/**
 * The protocol-mismatch family against a real nginx (Debian nginx-light 1.22, built with
 * http_v2): one nginx, three listeners — cleartext HTTP/1.1, cleartext `http2` (prior knowledge),
 * TLS `ssl http2` — diagnosed by URL, the exact finding codes asserted. The TLS listener without
 * http2 (alpn-no-h2) is covered by test/nginx-tls.test.ts ("TLS 1.2 only … no http2"), not repeated.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, createLabPki, diagnoseLocal, findBinary, freePort, labDir, nginxArgs, nginxConf, skipWithout, spawnServer, type LabPki, type RealServer } from './real-helpers.js';

const BIN = findBinary('nginx');
let pki: LabPki;
let server: RealServer;
let h1: number, h2c: number, tls: number, tlsDefaults: number;

describe.skipIf(skipWithout(BIN, 'nginx'))('real nginx: protocol mismatch', () => {
  beforeAll(async () => {
    pki = await createLabPki();
    const { dir, cert, key } = await labDir(pki, 'nginx');
    [h1, h2c, tls, tlsDefaults] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const conf = nginxConf(
      dir,
      `
  server { listen 127.0.0.1:${h1}; location / { return 200 "ok\\n"; } }
  server { listen 127.0.0.1:${h2c} http2; location / { return 200 "ok\\n"; } }
  server {
    listen 127.0.0.1:${tls} ssl http2;
    server_name localhost;
    ssl_certificate ${cert};
    ssl_certificate_key ${key};
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { return 200 "ok\\n"; }
  }
  server {
    listen 127.0.0.1:${tlsDefaults} ssl http2;
    ssl_certificate ${cert};
    ssl_certificate_key ${key};
    location / { return 200 "ok\\n"; }
  }`,
    );
    server = await spawnServer('nginx', BIN ?? 'nginx', nginxArgs(dir, conf), dir, [h1, h2c, tls, tlsDefaults]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('cleartext HTTP/1.1 listener: no h2c at all', async () => {
    expect(codes(await diagnoseLocal(pki, 'http', h1))).toEqual(['h2c-not-supported', 'preface-http1-response']);
  });

  // nginx 1.22's cleartext http2 listener speaks HTTP/2 only: an HTTP/1.1 request (with or without
  // Upgrade: h2c) gets binary SETTINGS + GOAWAY back (curl: "Received HTTP/0.9 when not allowed").
  test('cleartext `listen … http2`: HTTP/2 by prior knowledge only', async () => {
    expect(codes(await diagnoseLocal(pki, 'http', h2c))).toEqual(['h2c-upgrade-unsupported', 'http1-not-supported']);
  });

  test('TLS `listen … ssl http2`: healthy', async () => {
    expect(codes(await diagnoseLocal(pki, 'https', tls))).toEqual([]);
  });

  // nginx 1.22's default ssl_protocols is "TLSv1 TLSv1.1 TLSv1.2" (TLSv1.3 joined the default in
  // 1.23.4); OpenSSL 3's security level refuses 1.0/1.1, so what is left is TLS 1.2 alone.
  test('TLS `listen … ssl http2` with nginx 1.22 default ssl_protocols: HTTP/2 works, no TLS 1.3', async () => {
    expect(codes(await diagnoseLocal(pki, 'https', tlsDefaults))).toEqual(['tls13-not-supported']);
  });

  // nginx answers cleartext on a TLS port with "400 The plain HTTP request was sent to HTTPS port"
  // (an HTTP/1.1 response, no TLS bytes): diagnosed from that 400 plus a TLS sniff that completes.
  test('http:// to the TLS port', async () => {
    expect(codes(await diagnoseLocal(pki, 'http', tls))).toEqual(['scheme-http-on-tls-port']);
  });

  test('https:// to the cleartext port', async () => {
    expect(codes(await diagnoseLocal(pki, 'https', h1))).toEqual(['scheme-https-on-cleartext-port']);
  });

  // nginx's h2c listener answers our ClientHello with its SETTINGS (was tls-malformed-response
  // before this test).
  test('https:// to the cleartext http2 port', async () => {
    expect(codes(await diagnoseLocal(pki, 'https', h2c))).toEqual(['scheme-https-on-cleartext-port']);
  });
});
