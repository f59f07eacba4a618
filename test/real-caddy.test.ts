/**
 * The protocol-mismatch family against Caddy 2.6 (Debian caddy): `caddy run` with a Caddyfile
 * (admin API and automatic HTTPS off, the lab certificate), a TLS site and a cleartext site, both on
 * loopback; exact codes asserted. h2o: test/real-h2o.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, createLabPki, diagnoseLocal, findBinary, freePort, labDir, skipWithout, spawnServer, type LabPki, type RealServer } from './real-helpers.js';

const BIN = findBinary('caddy');
let pki: LabPki;
let server: RealServer;
let tls: number, clear: number, h2c: number;

describe.skipIf(skipWithout(BIN, 'caddy'))('real Caddy: protocol mismatch', () => {
  beforeAll(async () => {
    pki = await createLabPki();
    const { dir, cert, key } = await labDir(pki, 'caddy');
    [tls, clear, h2c] = [await freePort(), await freePort(), await freePort()];
    const conf = `{
  admin off
  auto_https off
  storage file_system ${dir}/data
  servers {
    protocols h1 h2
  }
  servers 127.0.0.1:${h2c} {
    protocols h1 h2c
  }
}
https://localhost:${tls} {
  bind 127.0.0.1
  tls ${cert} ${key}
  respond "ok"
}
http://localhost:${clear} {
  bind 127.0.0.1
  respond "ok"
}
http://localhost:${h2c} {
  bind 127.0.0.1
  respond "ok"
}
`;
    writeFileSync(join(dir, 'Caddyfile'), conf);
    server = await spawnServer('caddy', BIN ?? 'caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], dir, [tls, clear, h2c]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('TLS site: healthy', async () => {
    expect(codes(await diagnoseLocal(pki, 'https', tls))).toEqual([]);
  });

  // Go's HTTP/1 server answers even the HTTP/2 preface ("PRI * HTTP/2.0") with HTTP/1.1 200.
  test('cleartext site (protocols h1 h2: no h2c)', async () => {
    expect(codes(await diagnoseLocal(pki, 'http', clear))).toEqual(['h2c-not-supported', 'preface-http1-response']);
  });

  test('cleartext site with `protocols h1 h2c`: healthy h2c', async () => {
    expect(codes(await diagnoseLocal(pki, 'http', h2c))).toEqual([]);
  });

  // Go's net/http answers "HTTP/1.0 400 Bad Request … Client sent an HTTP request to an HTTPS server."
  test('http:// to the TLS port', async () => {
    expect(codes(await diagnoseLocal(pki, 'http', tls))).toEqual(['scheme-http-on-tls-port']);
  });
});
