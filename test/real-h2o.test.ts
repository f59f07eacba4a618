/**
 * The protocol-mismatch family against h2o (Debian h2o 2.2.5): a TLS listener (ALPN h2) and a
 * cleartext one (h2c by prior knowledge and by Upgrade), then each spoken to with the wrong scheme.
 * Exact codes asserted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, createLabPki, diagnoseLocal, findBinary, freePort, labDir, skipWithout, spawnServer, type LabPki, type RealServer } from './real-helpers.js';

const BIN = findBinary('h2o');
let pki: LabPki;
let server: RealServer;
let tlsPort: number, clearPort: number;

describe.skipIf(skipWithout(BIN, 'h2o'))('real h2o: protocol mismatch', () => {
  beforeAll(async () => {
    pki = await createLabPki();
    const d = await labDir(pki, 'h2o');
    mkdirSync(join(d.dir, 'htdocs'));
    writeFileSync(join(d.dir, 'htdocs', 'index.html'), 'ok\n');
    [tlsPort, clearPort] = [await freePort(), await freePort()];
    // As root h2o drops to `nobody` unless told otherwise, and then cannot write its pid file in
    // our temp dir; OCSP stapling would try to fetch from the (absent) responder.
    writeFileSync(
      join(d.dir, 'h2o.conf'),
      [
        'user: root',
        `pid-file: ${join(d.dir, 'h2o.pid')}`,
        `error-log: ${join(d.dir, 'error.log')}`,
        'listen:',
        '  host: 127.0.0.1',
        `  port: ${tlsPort}`,
        '  ssl:',
        `    certificate-file: ${d.cert}`,
        `    key-file: ${d.key}`,
        '    ocsp-update-interval: 0',
        'listen:',
        '  host: 127.0.0.1',
        `  port: ${clearPort}`,
        'hosts:',
        '  default:',
        '    paths:',
        '      /:',
        `        file.dir: ${join(d.dir, 'htdocs')}`,
        '',
      ].join('\n'),
    );
    server = await spawnServer('h2o', BIN ?? 'h2o', ['-c', join(d.dir, 'h2o.conf')], d.dir, [tlsPort, clearPort]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('TLS with ALPN h2: healthy, h2 negotiated', async () => {
    const r = await diagnoseLocal(pki, 'https', tlsPort);
    expect(codes(r)).toEqual([]);
    expect(r.negotiated.protocol).toBe('h2');
  });

  // h2o serves h2c both by prior knowledge and after Upgrade: h2c, and HTTP/1.1 on the same port.
  test('cleartext: h2c by prior knowledge and by Upgrade, HTTP/1.1 too', async () => {
    const r = await diagnoseLocal(pki, 'http', clearPort);
    expect(codes(r)).toEqual([]);
    expect(r.negotiated.protocol).toBe('h2c');
    const up = r.probes.find((p) => p.kind === 'h2c-upgrade');
    expect(up?.kind === 'h2c-upgrade' && up.upgrade.status).toBe(101);
  });

  test('http:// to the TLS port', async () => {
    expect(codes(await diagnoseLocal(pki, 'http', tlsPort))).toEqual(['scheme-http-on-tls-port']);
  });

  test('https:// to the cleartext port', async () => {
    expect(codes(await diagnoseLocal(pki, 'https', clearPort))).toEqual(['scheme-https-on-cleartext-port']);
  });
});
