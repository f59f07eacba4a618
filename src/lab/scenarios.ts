/**
 * The embedded lab: one loopback server per failure, each with the finding codes a correct
 * diagnosis must produce. It is the demo (`h2doctor lab --diagnose`), the docs and the tests.
 */
import http from 'node:http';
import https from 'node:https';
import http2 from 'node:http2';
import net from 'node:net';
import { listen, freePort, readRequestHead } from './servers.js';
import { serveMiniH2 } from './mini-h2.js';
import { HOST, ok, tlsCert, local, serve, tlsRaw, tlsMiniH2, http1Reply, HTTP1_OK, type LabScenario } from './helpers.js';
import { SETTINGS } from '../wire/http2/registry.js';

/** The foundation's scenarios: healthy, dns, transport, protocol mismatch. */
export const SCENARIOS: LabScenario[] = [
  {
    id: 'healthy-tls',
    title: 'HTTPS with h2 and http/1.1 in ALPN (node:http2, allowHTTP1)',
    family: 'healthy',
    expect: [],
    async start(env) {
      const s = http2.createSecureServer({ ...(await tlsCert(env)), allowHTTP1: true }, ok);
      return serve(s, 'https');
    },
  },
  {
    id: 'h2c-upgrade',
    title: 'Cleartext server with h2c by prior knowledge and by Upgrade: h2c, and HTTP/1.1',
    family: 'healthy',
    expect: [],
    async start() {
      const s = net.createServer((sock) => {
        sock.on('error', () => {});
        sock.once('data', async (first: Buffer) => {
          if (first.subarray(0, 3).toString() === 'PRI') return serveMiniH2(sock, { respond: true }, first);
          const req = await readRequestHead(sock, first);
          if (!req) return sock.destroy();
          if (/^upgrade:\s*h2c\s*$/im.test(req.head) && /^http2-settings:/im.test(req.head)) {
            // RFC 7540 §3.2: 101, then the server preface; the upgrade request's response is stream 1.
            sock.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
            serveMiniH2(sock, { respond: true, answerStream1: true }, req.rest);
          } else sock.end(HTTP1_OK);
        });
      });
      return serve(s, 'http');
    },
  },
  {
    id: 'tls-alpn-no-h2',
    title: 'HTTPS whose ALPN offers only http/1.1 (node:https; an h2-only offer gets alert 120)',
    family: 'protocol',
    expect: ['alpn-no-h2'],
    async start(env) {
      const s = https.createServer({ ...(await tlsCert(env)), ALPNProtocols: ['http/1.1'] }, ok);
      return serve(s, 'https');
    },
  },
  {
    id: 'tls-alpn-ignored',
    title: 'HTTPS with no ALPN support at all (an old TLS stack)',
    family: 'protocol',
    expect: ['alpn-ignored', 'preface-http1-response'],
    async start(env) {
      const h1 = http.createServer(ok);
      const l = await tlsRaw(env, undefined, (sock) => h1.emit('connection', sock));
      return local(l, 'https', { stop: async () => (h1.closeAllConnections(), l.stop()) });
    },
  },
  {
    id: 'cleartext-http1-only',
    title: 'Cleartext HTTP/1.1-only server (node:http) spoken to with HTTP/2',
    family: 'protocol',
    expect: ['h2c-not-supported', 'preface-http1-response'],
    async start() {
      return serve(http.createServer(ok), 'http');
    },
  },
  {
    id: 'h2c-prior-knowledge-only',
    title: 'Cleartext HTTP/2 by prior knowledge only (node:http2 createServer)',
    family: 'protocol',
    expect: ['h2c-upgrade-unsupported', 'http1-not-supported'],
    async start() {
      return serve(http2.createServer(ok), 'http');
    },
  },
  {
    id: 'http-to-tls-port',
    title: 'http:// pointed at a TLS port',
    family: 'protocol',
    expect: ['scheme-http-on-tls-port'],
    async start(env) {
      const s = http2.createSecureServer({ ...(await tlsCert(env)), allowHTTP1: true }, ok);
      return serve(s, 'http');
    },
  },
  {
    id: 'https-to-cleartext-port',
    title: 'https:// pointed at a cleartext HTTP/1.1 port',
    family: 'protocol',
    expect: ['scheme-https-on-cleartext-port'],
    async start() {
      return serve(http.createServer(ok), 'https');
    },
  },
  {
    id: 'preface-closed',
    title: 'TLS + ALPN h2, but the connection is closed once the preface arrives',
    family: 'protocol',
    expect: ['preface-closed'],
    async start(env) {
      const l = await tlsRaw(env, ['h2', 'http/1.1'], (s) => {
        s.on('error', () => {});
        if (s.alpnProtocol === 'h2') s.once('data', () => s.end());
        else http1Reply(s);
      });
      return local(l, 'https');
    },
  },
  {
    id: 'preface-timeout',
    title: 'TLS + ALPN h2, but the server never answers the preface',
    family: 'protocol',
    expect: ['preface-timeout'],
    async start(env) {
      const l = await tlsRaw(env, ['h2', 'http/1.1'], (s) => {
        s.on('error', () => {});
        if (s.alpnProtocol !== 'h2') http1Reply(s);
      });
      return local(l, 'https', { timeoutMs: 700 });
    },
  },
  {
    id: 'goaway-on-connect',
    title: 'TLS + ALPN h2; SETTINGS then GOAWAY HTTP_1_1_REQUIRED at once',
    family: 'protocol',
    expect: ['goaway-on-connect'],
    async start(env) {
      return local(await tlsMiniH2(env, { goawayAfterSettings: { code: 'HTTP_1_1_REQUIRED', debug: 'use HTTP/1.1' } }), 'https');
    },
  },
  {
    id: 'preface-not-settings',
    title: 'TLS + ALPN h2; the first server frame is PING, not SETTINGS',
    family: 'protocol',
    expect: ['preface-not-settings'],
    async start(env) {
      return local(await tlsMiniH2(env, { first: 'ping', respond: true }), 'https');
    },
  },
  {
    id: 'preface-garbage',
    title: 'TLS + ALPN h2 in front of an SSH server (a misrouted TLS multiplexer)',
    family: 'protocol',
    expect: ['preface-garbage'],
    async start(env) {
      const l = await tlsRaw(env, ['h2', 'http/1.1'], (s) => {
        s.on('error', () => {});
        if (s.alpnProtocol === 'h2') s.write('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
        else http1Reply(s);
      });
      return local(l, 'https');
    },
  },
  {
    id: 'h2-no-streams',
    title: 'TLS + ALPN h2 with SETTINGS_MAX_CONCURRENT_STREAMS = 0',
    family: 'protocol',
    expect: ['h2-no-streams-allowed'],
    async start(env) {
      return local(await tlsMiniH2(env, { settings: [{ id: SETTINGS.MAX_CONCURRENT_STREAMS, value: 0 }], respond: true }), 'https');
    },
  },
  {
    id: 'h2-only-tls',
    title: 'HTTPS that speaks only HTTP/2 (node:http2 without allowHTTP1)',
    family: 'protocol',
    expect: ['http1-not-supported'],
    async start(env) {
      const s = http2.createSecureServer({ ...(await tlsCert(env)) }, ok);
      return serve(s, 'https');
    },
  },
  {
    id: 'tls12-blocklisted-cipher',
    title: 'HTTP/2 over TLS 1.2 with ECDHE-ECDSA-AES128-SHA (CBC, on the block list)',
    family: 'protocol',
    // maxVersion TLSv1.2: the server has no TLS 1.3, which the TLS checks report (a warning).
    expect: ['h2-inadequate-security', 'tls13-not-supported'],
    async start(env) {
      const s = http2.createSecureServer({ ...(await tlsCert(env)), allowHTTP1: true, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA' }, ok);
      return serve(s, 'https');
    },
  },
  {
    id: 'tcp-refused',
    title: 'Nothing listens on the port',
    family: 'transport',
    expect: ['tcp-refused'],
    async start() {
      const port = await freePort(HOST);
      return { url: `https://localhost:${port}/`, resolve: [`localhost:${port}:${HOST}`], stop: async () => {} };
    },
  },
  {
    id: 'tcp-reset',
    title: 'The port accepts TCP, then resets the connection',
    family: 'transport',
    expect: ['tcp-reset'],
    async start() {
      const s = net.createServer((sock) => {
        sock.on('error', () => {});
        sock.once('data', () => sock.resetAndDestroy());
      });
      return serve(s, 'https');
    },
  },
  {
    id: 'tls-handshake-timeout',
    title: 'The port accepts TCP and never answers the ClientHello',
    family: 'transport',
    expect: ['tls-handshake-timeout'],
    async start() {
      const s = net.createServer((sock) => sock.on('error', () => {}));
      return serve(s, 'https', { timeoutMs: 700 });
    },
  },
  {
    id: 'dns-no-address',
    title: 'A name that does not resolve (.invalid, RFC 6761)',
    family: 'dns',
    expect: ['dns-no-address'],
    async start() {
      return { url: 'https://no-such-host.h2doctor.invalid/', stop: async () => {} };
    },
  },
  {
    id: 'dns-addresses-disagree',
    title: 'One name, two addresses: h2 on 127.0.0.1, HTTP/1.1 only on ::1',
    family: 'dns',
    expect: ['dns-addresses-disagree', 'alpn-no-h2'],
    async start(env) {
      const cert = await tlsCert(env);
      for (let attempt = 0; ; attempt++) {
        const good = await listen(http2.createSecureServer({ ...cert, allowHTTP1: true }, ok), HOST);
        try {
          const bad = await listen(https.createServer({ ...cert, ALPNProtocols: ['http/1.1'] }, ok), '::1', good.port);
          return {
            url: `https://localhost:${good.port}/`,
            resolve: [`localhost:${good.port}:${HOST},::1`],
            stop: async () => {
              await Promise.all([good.stop(), bad.stop()]);
            },
          };
        } catch (e) {
          await good.stop();
          if (attempt >= 5) throw e;
        }
      }
    },
  },
];

import { TLS_SCENARIOS } from './scenarios/tls.js';
import { HOSTILE_SCENARIOS } from './scenarios/hostile.js';
import { UPGRADE_SCENARIOS } from './scenarios/upgrade.js';
import { FLAPPING_SCENARIOS } from './scenarios/flapping.js';
import { TRANSPORT_SCENARIOS } from './scenarios/transport.js';
import { CLIENT_SCENARIOS } from './scenarios/clients.js';

/** Every scenario: the foundation's above, then each family's own file. */
export const ALL_SCENARIOS: LabScenario[] = [...SCENARIOS, ...TRANSPORT_SCENARIOS, ...TLS_SCENARIOS, ...UPGRADE_SCENARIOS, ...HOSTILE_SCENARIOS, ...FLAPPING_SCENARIOS, ...CLIENT_SCENARIOS];

export function findScenario(id: string): LabScenario | undefined {
  return ALL_SCENARIOS.find((s) => s.id === id);
}
