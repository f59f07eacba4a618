/**
 * The protocol-mismatch family against nghttpd (Debian nghttp2-server 1.52), the nghttp2 project's
 * HTTP/2-only server: TLS (`nghttpd PORT key cert`) and cleartext (`--no-tls`), exact codes asserted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, createLabPki, diagnoseLocal, findBinary, freePort, labDir, runClient, skipWithout, spawnServer, type LabPki, type RealServer } from './real-helpers.js';

const BIN = findBinary('nghttpd');
let pki: LabPki;
let tls: RealServer, clear: RealServer;
let tlsPort: number, clearPort: number;

describe.skipIf(skipWithout(BIN, 'nghttpd'))('real nghttpd: protocol mismatch', () => {
  beforeAll(async () => {
    pki = await createLabPki();
    const a = await labDir(pki, 'nghttpd-tls');
    const b = await labDir(pki, 'nghttpd-clear');
    for (const d of [a.dir, b.dir]) {
      mkdirSync(join(d, 'htdocs'));
      writeFileSync(join(d, 'htdocs', 'index.html'), 'ok\n');
    }
    [tlsPort, clearPort] = [await freePort(), await freePort()];
    [tls, clear] = await Promise.all([
      spawnServer('nghttpd', BIN ?? 'nghttpd', ['-a', '127.0.0.1', '-d', join(a.dir, 'htdocs'), String(tlsPort), a.key, a.cert], a.dir, [tlsPort]),
      spawnServer('nghttpd --no-tls', BIN ?? 'nghttpd', ['-a', '127.0.0.1', '--no-tls', '-d', join(b.dir, 'htdocs'), String(clearPort)], b.dir, [clearPort]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([tls?.stop(), clear?.stop()]);
  });

  // Offered [http/1.1] alone, nghttpd completes the handshake with no ALPN, then closes on the
  // HTTP/1.1 request without a byte: HTTP/1.1-only clients fail, HTTP/2 ones are fine.
  test('TLS: HTTP/2 only', async () => {
    const r = await diagnoseLocal(pki, 'https', tlsPort);
    expect(codes(r)).toEqual(['http1-not-supported']);
    // Server: nghttpd nghttp2/1.52.0: its own fix first, then the general one; Node's snippet last.
    expect(r.findings[0]!.fixes.map((f) => f.applies)).toEqual(['nghttpd', 'any', 'node']);
    // The nghttpd fix says it has no option for HTTP/1.1: its own --help lists none.
    expect(r.findings[0]!.fixes[0]!.text).toMatch(/no option for HTTP\/1\.1/);
    const help = await runClient(`${BIN ?? 'nghttpd'} --help`);
    expect(help).toMatch(/--no-tls/);
    expect(help).not.toMatch(/http\/1|http1/i);
    // The clients-print lines are those recorded against nghttpd over TLS: curl's is what curl prints here.
    const curl = await runClient(`curl -sv --max-time 5 --http1.1 -k https://localhost:${tlsPort}/ 2>&1`);
    expect(curl).toMatch(/Empty reply from server/);
    expect(curl).toContain(r.findings[0]!.clientsSee[0]!);
    // What it does now, as seen (curl --http1.1: "Empty reply from server"), not "failing the TLS handshake".
    expect(r.findings[0]!.fixes[1]!.text).toMatch(/rather than what it does now \(an HTTP\/1\.1 request gets connection closed with no bytes\)/);
  });

  // Connection economy (issue 14) on an h2-only server: the HTTP/1.1 probe's TLS 1.2 handshake (to
  // ask "TLS 1.2 for the name?") completes without ALPN, and under TLS 1.2 nghttpd waits for an
  // HTTP/2 preface rather than closing on a GET. So no GET is sent there: the HTTP/1.1 answer is asked
  // at once with the default versions (closed without a byte, as curl --http1.1 sees it). No probe
  // waits out its deadline; 5 connections (default + HTTP/2, TLS 1.2, HTTP/1.1, legacy, no SNI).
  test('TLS: HTTP/1.1 over TLS 1.2 is not waited for; no probe times out, 5 connections', async () => {
    const r = await diagnoseLocal(pki, 'https', tlsPort);
    expect(codes(r)).toEqual(['http1-not-supported']);
    const timedOut = r.probes.filter((p) => JSON.stringify({ tls: 'tls' in p ? p.tls : undefined, h1: 'h1' in p ? p.h1 : undefined, h2: 'h2' in p ? p.h2 : undefined }).includes('"outcome":"timeout"'));
    expect(timedOut.map((p) => p.id)).toEqual([]);
    const t12 = r.probes.find((p) => p.kind === 'tls' && p.name === 'tls12-alpn-http1');
    expect(t12?.kind === 'tls' && t12.tls).toMatchObject({ outcome: 'handshake', version: 'TLSv1.2', maxVersion: 'TLSv1.2', alpn: null });
    // The handshake only: no request was sent on it, so no answer to one was read (`first`).
    expect(t12?.kind === 'tls' && t12.first).toBeUndefined();
    const h1 = r.probes.find((p) => p.kind === 'h1' && p.name === 'h1-tls');
    expect(h1?.kind === 'h1' && h1.tls?.maxVersion).toBeUndefined();
    expect(h1?.kind === 'h1' && h1.h1.outcome).toBe('closed');
    // TLS 1.2 for the name was answered by that handshake: no tls12-only hello.
    expect(r.probes.some((p) => p.kind === 'tls-raw' && p.label === 'tls12-only')).toBe(false);
    expect(r.connections).toBe(5);
  });

  // nghttpd does not honour Upgrade: h2c: it sends its SETTINGS the moment a connection opens, so
  // the upgrade request (and a plain HTTP/1.1 request) gets binary HTTP/2 back, never a 101.
  test('cleartext --no-tls: HTTP/2 by prior knowledge only', async () => {
    const r = await diagnoseLocal(pki, 'http', clearPort);
    expect(codes(r)).toEqual(['h2c-upgrade-unsupported', 'http1-not-supported']);
    // Here curl gets nghttpd's binary SETTINGS: its line is not the TLS port's "Empty reply".
    const h1 = r.findings.find((f) => f.code === 'http1-not-supported')!;
    const curl = await runClient(`curl -v --max-time 5 --http1.1 -o /dev/null http://localhost:${clearPort}/ 2>&1`);
    expect(curl).toContain(h1.clientsSee[0]!);
  });

  // nghttpd answers an x25519-only key share (Node's, OpenSSL's) with a HelloRetryRequest for P-256
  // (`openssl s_client -msg` shows ServerHello, a second ClientHello, ServerHello): the chain it sent
  // is still read from the wire, as `openssl s_client -showcerts` shows it (was "the flight could not
  // be read: application_data before the handshake completed").
  test('TLS: the certificate chain is read after the HelloRetryRequest', async () => {
    const shown = await runClient(`openssl s_client -connect 127.0.0.1:${tlsPort} -servername localhost -showcerts -msg </dev/null 2>&1`);
    expect(shown.match(/<<< TLS 1\.3, Handshake \[length [0-9a-f]+\], ServerHello/g)).toHaveLength(2);
    const sent = (shown.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
    expect(sent).toBeGreaterThan(0);
    const r = await diagnoseLocal(pki, 'https', tlsPort);
    const c = r.certificates?.[0];
    expect(c?.unavailable).toBeUndefined();
    expect(c?.source).toBe('tls1.3-decrypted');
    expect(c?.chain.length).toBe(sent);
  });

  test('http:// to the TLS port', async () => {
    expect(codes(await diagnoseLocal(pki, 'http', tlsPort))).toEqual(['scheme-http-on-tls-port']);
  });

  // Those SETTINGS also answer our ClientHello: a cleartext HTTP port (was tls-malformed-response
  // before this test; fixed in rules/protocol.ts and rules/tls.ts).
  test('https:// to the cleartext port', async () => {
    expect(codes(await diagnoseLocal(pki, 'https', clearPort))).toEqual(['scheme-https-on-cleartext-port']);
  });
});
