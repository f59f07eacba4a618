/**
 * The protocol-mismatch family against a real HAProxy 2.6 (Debian haproxy) in front of a loopback
 * Node HTTP/1.1 backend: `haproxy -db`, three frontends — TLS with `alpn h2,http/1.1`, TLS without
 * `alpn` (HAProxy then sends no ALPN extension at all), cleartext `proto h2` — exact codes asserted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, createLabPki, diagnoseLocal, findBinary, freePort, labDir, skipWithout, spawnServer, startBackend, type LabPki, type RealServer } from './real-helpers.js';

const BIN = findBinary('haproxy');
let pki: LabPki;
let server: RealServer;
let backend: Awaited<ReturnType<typeof startBackend>>;
let tlsH2: number, tlsNoAlpn: number, h2c: number, h1: number;

describe.skipIf(skipWithout(BIN, 'haproxy'))('real HAProxy: protocol mismatch', () => {
  beforeAll(async () => {
    pki = await createLabPki();
    backend = await startBackend();
    const { dir, cert, key } = await labDir(pki, 'haproxy');
    // HAProxy's `crt` is one PEM file: certificate chain, then the key.
    const pem = join(dir, 'crt.pem');
    writeFileSync(pem, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'), { mode: 0o600 });
    [tlsH2, tlsNoAlpn, h2c, h1] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const conf = `
global
  maxconn 100
defaults
  mode http
  timeout connect 2s
  timeout client 5s
  timeout server 5s
frontend tls_h2
  bind 127.0.0.1:${tlsH2} ssl crt ${pem} alpn h2,http/1.1
  default_backend app
frontend tls_no_alpn
  bind 127.0.0.1:${tlsNoAlpn} ssl crt ${pem}
  default_backend app
frontend h2c_prior_knowledge
  bind 127.0.0.1:${h2c} proto h2
  default_backend app
frontend cleartext
  bind 127.0.0.1:${h1}
  default_backend app
backend app
  server app1 127.0.0.1:${backend.port}
`;
    writeFileSync(join(dir, 'haproxy.cfg'), conf);
    server = await spawnServer('haproxy', BIN ?? 'haproxy', ['-f', join(dir, 'haproxy.cfg'), '-db'], dir, [tlsH2, tlsNoAlpn, h2c, h1]);
  });
  afterAll(async () => {
    await server?.stop();
    await backend?.stop();
  });

  test('TLS `bind … ssl crt … alpn h2,http/1.1`: healthy', async () => {
    expect(codes(await diagnoseLocal(pki, 'https', tlsH2))).toEqual([]);
  });

  // Only alpn-ignored: HAProxy's HTTP frontends recognise the HTTP/2 preface whatever ALPN said, so
  // a client that forces HTTP/2 (the [h2]-alone probe sends the preface anyway) gets SETTINGS back.
  test('TLS `bind … ssl crt …` without alpn: no ALPN extension', async () => {
    expect(codes(await diagnoseLocal(pki, 'https', tlsNoAlpn))).toEqual(['alpn-ignored']);
  });

  // `proto h2` forces HTTP/2: HTTP/1.1 requests (with or without Upgrade: h2c) are closed unanswered.
  test('cleartext `bind … proto h2`: HTTP/2 by prior knowledge only', async () => {
    expect(codes(await diagnoseLocal(pki, 'http', h2c))).toEqual(['h2c-upgrade-unsupported', 'http1-not-supported']);
  });

  // The same preface detection on a plain `bind` (no `proto h2`): h2c by prior knowledge works,
  // HTTP/1.1 works; only Upgrade: h2c is not honoured (HAProxy never implemented it).
  test('cleartext `bind` (HTTP/1.1 frontend): prior knowledge detected, no Upgrade: h2c', async () => {
    expect(codes(await diagnoseLocal(pki, 'http', h1))).toEqual(['h2c-upgrade-unsupported']);
  });

  // HAProxy closes the connection on cleartext to a TLS bind (no 400 page): the TLS sniff decides.
  test('http:// to the TLS port', async () => {
    expect(codes(await diagnoseLocal(pki, 'http', tlsH2))).toEqual(['scheme-http-on-tls-port']);
  });

  // HAProxy closes on the ClientHello and on HTTP/1.1 alike, without a byte (was tcp-reset before this
  // test): only the h2c preface sniff (src/diagnose.ts) shows a cleartext HTTP/2 port.
  test('https:// to the cleartext `proto h2` port', async () => {
    expect(codes(await diagnoseLocal(pki, 'https', h2c))).toEqual(['scheme-https-on-cleartext-port']);
  });
});
