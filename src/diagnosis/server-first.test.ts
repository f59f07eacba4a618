/**
 * The server that answered (Server field, else a Via naming a proxy, else the proxy's answer to
 * CONNECT) decides which fix comes first, in the syntax of its version: h2o, lighttpd and squid
 * too (issue 11). The same fixes are applied to the real servers in test/real-fix-verification.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { AddressEvidence } from '../model/index.js';
import { parseTarget } from '../model/target.js';
import { buildFinding, serverOf } from './index.js';
import { detectServer } from './knowledge/server.js';

const ev = (probes: unknown[]) => ({ address: '127.0.0.1', target: parseTarget('https://example.test:8443/'), probes }) as unknown as AddressEvidence;
const h1 = (headers: Array<[string, string]>) => ({ kind: 'h1', id: 'h1-tls', h1: { headers } });

describe('serverOf', () => {
  it('reads the Server field first, then the product a Via names, then the proxy\'s answer to CONNECT', () => {
    expect(serverOf(ev([h1([['Server', 'lighttpd/1.4.69']])]))).toEqual({ kind: 'lighttpd', version: '1.4.69', header: 'lighttpd/1.4.69' });
    expect(serverOf(ev([h1([['Via', '1.1 vm (squid/5.7)']])]))?.kind).toBe('squid');
    expect(serverOf(ev([h1([['Server', 'h2o/2.2.5'], ['Via', '1.1 vm (squid/5.7)']])]))?.kind).toBe('h2o');
    expect(serverOf(ev([{ kind: 'proxy-connect', id: 'proxy-connect', headers: [['Server', 'squid/5.7']] }]))).toMatchObject({ kind: 'squid', version: '5.7' });
    expect(serverOf(ev([h1([['Via', '1.1 varnish']])]))).toBeUndefined();
  });
});

describe('the detected server\'s fix first, in the syntax of its version', () => {
  const target = parseTarget('https://example.test:8443/');
  const fixes = (code: Parameters<typeof buildFinding>[0], header: string, url = 'https://example.test:8443/', detail?: string) =>
    buildFinding(code, { code, evidence: [], ...(detail ? { detail } : {}) }, url === target.url ? target : parseTarget(url), [], [], undefined, { server: detectServer(header)! }).fixes;

  it('lighttpd: server.feature-flags from 1.4.56; older lighttpd has no HTTP/2 to turn on', () => {
    const [first] = fixes('alpn-no-h2', 'lighttpd/1.4.69');
    expect(first).toMatchObject({ applies: 'lighttpd', config: { block: 'global', set: ['server.feature-flags = ("server.h2proto" => "enable", "server.h2c" => "enable")'] } });
    const [old] = fixes('alpn-no-h2', 'lighttpd/1.4.45');
    expect(old!.applies).toBe('lighttpd');
    expect(old!.text).toMatch(/lighttpd 1\.4\.45 has no HTTP\/2/);
    expect(old!.config).toBeUndefined();
    expect(fixes('tls12-not-supported', 'lighttpd/1.4.69')[0]!.snippet).toBe('ssl.openssl.ssl-conf-cmd = ("MinProtocol" => "TLSv1.2", "MaxProtocol" => "TLSv1.3")');
  });

  it('h2o: http1-upgrade-to-http2 for h2c, the ssl map for TLS, with the real port', () => {
    expect(fixes('h2c-not-supported', 'h2o/2.2.5', 'http://example.test:8080/')[0]).toMatchObject({ applies: 'h2o', config: { block: 'global', set: ['http1-upgrade-to-http2: ON'] } });
    const [tls] = fixes('tls12-not-supported', 'h2o/2.2.5');
    expect(tls).toMatchObject({ applies: 'h2o', config: { block: 'ssl', set: ['minimum-version: TLSv1.2'] } });
    expect(tls!.snippet).toContain('port: 8443');
  });

  it('squid: the target\'s port in SSL_ports; http_upgrade_request_protocols from Squid 5.1', () => {
    expect(fixes('proxy-connect-failed', 'squid/5.7')[0]).toMatchObject({ applies: 'squid', config: { block: 'global', set: ['acl SSL_ports port 8443'] } });
    expect(fixes('upgrade-header-stripped', 'squid/5.7', 'ws://example.test:8080/chat')[0]).toMatchObject({ applies: 'squid', config: { set: ['http_upgrade_request_protocols websocket allow all'] } });
    const [old] = fixes('upgrade-header-stripped', 'squid/4.13', 'ws://example.test:8080/chat');
    expect(old!.applies).toBe('squid');
    expect(old!.text).toMatch(/Squid 4\.13 drops every Upgrade/);
    expect(old!.config).toBeUndefined();
  });

  it('a server with no fix of its own gets the general fixes first, not another server\'s (nghttpd, not Node)', () => {
    const [first, ...rest] = fixes('http1-not-supported', 'nghttpd nghttp2/1.52.0');
    expect(first).toMatchObject({ applies: 'nghttpd' });
    expect(rest[0]!.applies).toBe('any');
    expect(rest.at(-1)!.applies).toBe('node');
    // h2o has no fix of its own for it: the one for any server comes before Node's.
    expect(fixes('http1-not-supported', 'h2o/2.2.5')[0]!.applies).toBe('any');
  });
});
