/**
 * The protocol-mismatch family against Caddy 2.6 (Debian caddy): `caddy run` with a Caddyfile
 * (admin API and automatic HTTPS off, the lab certificate), a TLS site and a cleartext site, both on
 * loopback; exact codes asserted. h2o: test/real-h2o.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diagnose } from '../src/diagnose.js';
import { codes, createLabPki, diagnoseLocal, findBinary, freePort, labDir, runClient, skipWithout, spawnServer, type LabPki, type RealServer } from './real-helpers.js';

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

// The survey's hellos without SNI answer for Caddy's default policy, never for the name: a site whose
// own `tls { protocols tls1.2 tls1.2 }` turns TLS 1.3 off is still answered TLS 1.3 without SNI (the
// lab certificate covers 127.0.0.1). (TLS 1.3-only per site, the other direction: test/survey.test.ts.)
describe.skipIf(skipWithout(BIN, 'caddy'))('real Caddy: a per-site TLS policy, surveyed', () => {
  test('TLS 1.3 off for the name, on without SNI: the survey and the diagnosis say TLS 1.3 refused', async () => {
    const p = await createLabPki();
    const { dir, cert, key } = await labDir(p, 'caddy-site-tls12');
    const port = await freePort();
    writeFileSync(join(dir, 'Caddyfile'), `{\n  admin off\n  auto_https off\n  storage file_system ${dir}/data\n}\nhttps://localhost:${port} {\n  bind 127.0.0.1\n  tls ${cert} ${key} {\n    protocols tls1.2 tls1.2\n  }\n  respond "ok"\n}\n`);
    const s = await spawnServer('caddy', BIN ?? 'caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], dir, [port]);
    try {
      // Ground truth (openssl s_client): with the name TLS 1.3 is refused, without SNI it is accepted.
      const ossl = (args: string) => runClient(`openssl s_client -connect 127.0.0.1:${port} ${args} </dev/null 2>&1`);
      expect(await ossl('-tls1_3 -servername localhost')).toMatch(/alert number 70|protocol version/);
      expect(await ossl('-tls1_2 -servername localhost')).toMatch(/New, TLSv1\.2/);
      expect(await ossl('-tls1_3 -noservername')).toMatch(/New, TLSv1\.3/);
      const opts = { ca: p.rootCa.certPem, resolve: [`localhost:${port}:127.0.0.1`], timeoutMs: 3000 };
      const surveyed = await diagnose(`https://localhost:${port}/`, { ...opts, survey: true });
      const surface = surveyed.tlsSurface![0]!;
      expect(surface.versions.map((v) => v.version)).toEqual(['TLSv1.2']);
      expect(surface.refused).toContain('TLSv1.3');
      expect(codes(surveyed)).toEqual(['tls13-not-supported']);
      expect(codes(await diagnose(`https://localhost:${port}/`, opts))).toEqual(['tls13-not-supported']);
    } finally {
      await s.stop();
    }
  }, 60_000);
});
