/**
 * Which proxy applies (--proxy, HTTPS_PROXY/HTTP_PROXY/ALL_PROXY, NO_PROXY, loopback), proxy URL
 * parsing with credentials, and the CONNECT tunnel against a loopback proxy (leftover bytes after
 * the 200 reach the probe).
 */
import { describe, expect, test } from 'vitest';
import net from 'node:net';
import fc from 'fast-check';
import { connectTunnel, noProxyMatches, parseProxyUrl, selectProxy } from '../src/transport/proxy.js';
import { listen } from '../src/lab/servers.js';

const t = (url: string) => {
  const u = new URL(url);
  return { scheme: u.protocol.slice(0, -1) as 'http' | 'https' | 'ws' | 'wss', host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) || (u.protocol === 'https:' || u.protocol === 'wss:' ? 443 : 80) };
};

describe('selectProxy', () => {
  test.each([
    ['https://api.example.com', { HTTPS_PROXY: 'http://p:3128' }, 'HTTPS_PROXY'],
    ['https://api.example.com', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }, 'https_proxy'],
    ['wss://api.example.com/ws', { HTTPS_PROXY: 'http://p:3128' }, 'HTTPS_PROXY'],
    ['http://api.example.com', { HTTPS_PROXY: 'http://p:3128' }, undefined],
    ['http://api.example.com', { HTTP_PROXY: 'http://p:3128' }, 'HTTP_PROXY'],
    ['ws://api.example.com', { ALL_PROXY: 'http://p:3128' }, 'ALL_PROXY'],
    ['https://api.example.com', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'example.com' }, undefined],
    ['https://api.example.com', { HTTPS_PROXY: 'http://p:3128', no_proxy: '.example.com' }, undefined],
    ['https://api.example.com', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'other.com, *.example.com' }, undefined],
    ['https://example.community', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'example.com' }, 'HTTPS_PROXY'],
    ['https://api.example.com', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: '*' }, undefined],
    ['https://api.example.com:8443', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'api.example.com:443' }, 'HTTPS_PROXY'],
    ['https://api.example.com:8443', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'api.example.com:8443' }, undefined],
    ['https://10.1.2.3', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: '10.0.0.0/8' }, undefined],
    ['https://[2001:db8::1]', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: '2001:db8::/32' }, undefined],
    ['https://localhost:8443', { HTTPS_PROXY: 'http://p:3128' }, undefined],
    ['https://127.0.0.1:8443', { HTTPS_PROXY: 'http://p:3128' }, undefined],
    ['https://[::1]:8443', { HTTPS_PROXY: 'http://p:3128' }, undefined],
  ] as const)('%s with %o → %s', (url, env, source) => {
    expect(selectProxy(t(url), { env })?.source).toBe(source);
  });

  test('--proxy wins over the environment and applies to loopback too; null means none', () => {
    expect(selectProxy(t('https://localhost'), { proxy: 'http://127.0.0.1:3128', env: { NO_PROXY: '*' } })?.source).toBe('--proxy');
    expect(selectProxy(t('https://a.example'), { proxy: null, env: { HTTPS_PROXY: 'http://p:1' } })).toBeUndefined();
  });
});

describe('parseProxyUrl', () => {
  test('credentials become a Basic header and leave the URL', () => {
    const p = parseProxyUrl('http://us%40er:p%3Ass@proxy.corp:3128', '--proxy')!;
    expect(p.url).toBe('http://proxy.corp:3128');
    expect(p.authorization).toBe(`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);
    expect(p).toMatchObject({ host: 'proxy.corp', port: 3128, tls: false });
  });
  test('defaults: a bare host:port is http; ports 1080 (http) and 443 (https)', () => {
    expect(parseProxyUrl('proxy.corp:8080', 'X')).toMatchObject({ host: 'proxy.corp', port: 8080, tls: false });
    expect(parseProxyUrl('http://proxy.corp', 'X')?.port).toBe(1080);
    expect(parseProxyUrl('https://proxy.corp', 'X')).toMatchObject({ port: 443, tls: true });
    expect(parseProxyUrl('socks5://proxy.corp', 'X')).toBeUndefined();
    expect(parseProxyUrl('', 'X')).toBeUndefined();
  });
  test('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        parseProxyUrl(s, 'X');
        noProxyMatches(s, 'a.example', 443);
      }),
      { numRuns: 300 },
    );
  });
});

describe('connectTunnel', () => {
  test('CONNECT with credentials; bytes after the 200 are given back to the socket', async () => {
    let seen = '';
    const proxy = await listen(
      net.createServer((s) => {
        s.once('data', (c: Buffer) => {
          seen = c.toString('latin1');
          // The head and the first tunnelled bytes in one write.
          s.write('HTTP/1.1 200 Connection established\r\nVia: 1.1 test\r\n\r\nHELLO');
          s.end();
        });
      }),
    );
    try {
      const p = parseProxyUrl(`http://u:pw@127.0.0.1:${proxy.port}`, '--proxy')!;
      const r = await connectTunnel(p, 'example.com:443', 2000);
      expect(r.outcome).toBe('tunnel');
      expect(r.status).toBe(200);
      expect(seen).toMatch(/^CONNECT example\.com:443 HTTP\/1\.1\r\nHost: example\.com:443\r\n/);
      expect(seen).toContain(`Proxy-Authorization: Basic ${Buffer.from('u:pw').toString('base64')}`);
      const got = await new Promise<string>((resolve) => {
        let b = '';
        r.socket!.on('data', (c: Buffer) => (b += c.toString()));
        r.socket!.on('close', () => resolve(b));
      });
      expect(got).toBe('HELLO');
    } finally {
      await proxy.stop();
    }
  });

  test('a refusal, a closed connection and an unreachable proxy are values, not throws', async () => {
    const refusing = await listen(net.createServer((s) => s.once('data', () => s.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n'))));
    const closing = await listen(net.createServer((s) => s.once('data', () => s.destroy())));
    try {
      const a = await connectTunnel(parseProxyUrl(`http://127.0.0.1:${refusing.port}`, 'X')!, 'x:443', 2000);
      expect(a).toMatchObject({ outcome: 'refused', status: 403, connect: { ok: false } });
      const b = await connectTunnel(parseProxyUrl(`http://127.0.0.1:${closing.port}`, 'X')!, 'x:443', 2000);
      expect(b.outcome).toBe('closed');
    } finally {
      await refusing.stop();
      await closing.stop();
    }
    const port = closing.port; // now closed: nothing listens
    const c = await connectTunnel(parseProxyUrl(`http://127.0.0.1:${port}`, 'X')!, 'x:443', 2000);
    expect(c.outcome).toBe('connect-failed');
  });
});
