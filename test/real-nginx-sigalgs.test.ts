/**
 * A signature algorithm list that the server's certificate cannot sign with (nginx
 * `ssl_conf_command SignatureAlgorithms ed25519` with an ECDSA P-256 key), on a real nginx: every
 * hello is refused with handshake_failure (40), as with a key type that fits no suite. The ground
 * truth is real: curl fails with alert 40 over TLS 1.2 and 1.3, and nginx's own error log (at
 * `info`) names the reason, "no shared cipher" for the TLS 1.2 hello and "no suitable signature
 * algorithm" for the TLS 1.3 one. Expected, written before h2doctor was run: diagnose says
 * tls-no-shared-cipher, whose explanation names the signature algorithm list; explain reads each
 * logged line as the server's settings (tls-no-shared-cipher first), not as a TLS 1.0/1.1 server's
 * legacy signature (what explain said before, naming an old TLS version first), which is what a
 * client's "legacy sigalg" line means.
 * The fix, applied, is verified in test/real-fix-verification.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLabPki, diagnoseLocal, findBinary, freePort, labDir, nginxArgs, nginxConf, runClient, skipWithout, spawnServer, type LabPki, type RealServer } from './real-helpers.js';
import { explain } from '../src/explain/index.js';

const nginx = findBinary('nginx');
let pki: LabPki;
let server: RealServer | undefined;
let port = 0;
let dir = '';
let caFile = '';

describe.skipIf(skipWithout(nginx, 'nginx'))('real nginx whose SignatureAlgorithms leave out its certificate\'s key', () => {
  beforeAll(async () => {
    pki = await createLabPki();
    const f = await labDir(pki, 'nginx-sigalgs');
    dir = f.dir;
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, pki.rootCa.certPem);
    port = await freePort();
    const conf = nginxConf(
      dir,
      `  server {
    listen 127.0.0.1:${port} ssl http2;
    server_name localhost;
    ssl_certificate ${f.cert};
    ssl_certificate_key ${f.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_conf_command SignatureAlgorithms ed25519;
    location / { return 200 "ok\\n"; }
  }`,
    ).replace(/error\.log warn;/, 'error.log info;');
    server = await spawnServer('nginx', nginx ?? 'nginx', nginxArgs(dir, conf), dir, [port]);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const logged = () => (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '');
  const lineWith = (what: string) => logged().split('\n').find((l) => l.includes('SSL_do_handshake') && l.includes(what));

  test('real curl: alert 40 over TLS 1.2 and 1.3; nginx logs the reason of each', async () => {
    const url = `https://localhost:${port}/`;
    const resolve = `--resolve localhost:${port}:127.0.0.1 --cacert ${caFile}`;
    expect(await runClient(`curl -sS --max-time 5 ${resolve} --tlsv1.2 --tls-max 1.2 ${url}`)).toMatch(/alert handshake failure/);
    expect(await runClient(`curl -sS --max-time 5 ${resolve} --tlsv1.3 ${url}`)).toMatch(/alert handshake failure/);
    for (let i = 0; i < 50 && !(lineWith('no shared cipher') && lineWith('no suitable signature algorithm')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(lineWith('no shared cipher'), logged()).toBeDefined();
    expect(lineWith('no suitable signature algorithm'), logged()).toBeDefined();
  }, 30_000);

  test('diagnose: tls-no-shared-cipher, naming the signature algorithm list as one of the two settings', async () => {
    const r = await diagnoseLocal(pki, 'https', port);
    expect(r.findings.map((f) => f.code)).toEqual(['tls-no-shared-cipher']);
    const f = r.findings[0]!;
    expect(f.explanation).toMatch(/SignatureAlgorithms/);
    expect(f.explanation).toMatch(/no suitable signature algorithm/);
    expect(f.fixes[0]!.applies).toBe('nginx');
    expect(f.fixes[0]!.config?.remove).toContain('ssl_conf_command SignatureAlgorithms');
  }, 30_000);

  test('explain: the logged lines are the server\'s settings, not a legacy server\'s signature', () => {
    for (const what of ['no suitable signature algorithm', 'no shared cipher']) {
      const line = lineWith(what);
      expect(line, what).toBeDefined();
      const r = explain(line!);
      const codes = r.causes.map((c) => c.code);
      expect(codes[0], `${what}: ${codes.join(', ')}`).toBe('tls-no-shared-cipher');
      // What the line was read as: the server's settings, not a legacy (MD5/SHA-1) signature the client refused.
      expect(r.recognised.map((x) => x.sentence).join(' | '), what).not.toMatch(/legacy|MD5|SHA-1/);
    }
  });
});
