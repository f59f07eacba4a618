import tls from 'node:tls';
import net from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createLabPki } from './pki.js';
import { HOSTILE_SCENARIOS } from './scenarios/hostile.js';
import { tlsServerInWorker } from './tls-worker.js';
import { HTTP1_OK } from './helpers.js';

afterEach(() => vi.restoreAllMocks());

/** One TLS connection: the chain the server sent, its ALPN choice, the bytes answered to a GET. */
function fetchOnce(port: number, ca: string): Promise<{ chain: number; alpn: string | false | null; body: string }> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca, ALPNProtocols: ['http/1.1'] }, () => {
      let chain = 0;
      const seen = new Set<string>();
      for (let c: tls.DetailedPeerCertificate | undefined = s.getPeerCertificate(true); c && !seen.has(c.fingerprint256); c = c.issuerCertificate) seen.add(c.fingerprint256), chain++;
      let body = '';
      s.on('data', (b) => (body += b));
      s.on('end', () => resolve({ chain, alpn: s.alpnProtocol, body }));
      s.write('GET / HTTP/1.1\r\nhost: localhost\r\n\r\n');
    });
    s.on('error', reject);
  });
}

describe('a lab TLS server in a worker thread', () => {
  test('serves its certificate and ALPN, answers a request, and stop() ends it', async () => {
    const pki = await createLabPki();
    const c = await pki.preset('valid');
    const l = await tlsServerInWorker({ cert: c.serverCertPem + pki.intermediateCa.certPem, key: c.keyPem, ALPNProtocols: ['h2', 'http/1.1'] }, HTTP1_OK);
    const got = await fetchOnce(l.port, pki.rootCa.certPem);
    expect(got).toMatchObject({ alpn: 'http/1.1', body: HTTP1_OK });
    expect(got.chain).toBeGreaterThanOrEqual(2);
    await l.stop();
    const refused = await new Promise<string>((r) => net.connect(l.port, '127.0.0.1').on('error', (e: NodeJS.ErrnoException) => r(e.code ?? '')).on('connect', () => r('connected')));
    expect(refused).toBe('ECONNREFUSED');
  }, 30_000);

  test('the 5.5 MiB chains of the huge-chain scenarios are never read in the lab\'s own thread', async () => {
    // OpenSSL reads one for ~2 s synchronously: in this thread that stalls every concurrent probe and lab server.
    const spy = vi.spyOn(tls, 'createSecureContext');
    const pki = await createLabPki();
    const huge = HOSTILE_SCENARIOS.filter((s) => /^hostile-tls(12)?-huge-chain$/.test(s.id));
    expect(huge.length).toBeGreaterThanOrEqual(2);
    for (const s of huge) {
      const spyCalls = spy.mock.calls.length;
      const r = await s.start({ pki });
      try {
        expect(spy.mock.calls.length, s.id).toBe(spyCalls);
      } finally {
        await r.stop();
      }
    }
  }, 60_000);
});
