/**
 * The hostile lab: servers that misbehave on purpose (floods, HPACK bombs, oversized and
 * out-of-range frames, malformed responses, endless handshakes, slow drips), each bounded in time.
 * A correct diagnosis names what the server did, with an error: never "OK".
 */
import http2 from 'node:http2';
import net from 'node:net';
import type { Code } from '../../model/codes.js';
import { HOST, HTTP1_OK, http1Reply, local, ok, tlsCert, tlsRaw, type LabScenario } from '../helpers.js';
import { listen } from '../servers.js';
import { tlsServerInWorker } from '../tls-worker.js';
import { HOSTILE_H2_KINDS, serveHostileH2, type HostileH2Kind } from '../hostile-h2.js';
import { hostileTls, type HostileKind } from '../tls-front.js';
import { HOSTILE_H1_KINDS, HOSTILE_H1_WORDS, HOSTILE_PROXY_KINDS, HOSTILE_PROXY_WORDS, hostileH1Server, hostileProxy, type HostileH1Kind, type HostileProxyKind } from '../hostile-h1.js';
import { HOSTILE_WS_KINDS, HOSTILE_WS_WORDS, hostileWsServer, type HostileWsKind } from '../hostile-ws.js';

/** The finding each hostile HTTP/2 behaviour must get. */
export const HOSTILE_H2_EXPECT: Record<HostileH2Kind, Code> = {
  'settings-flood': 'h2-flood',
  'ping-flood': 'h2-flood',
  'continuation-flood': 'h2-flood',
  'empty-data-flood': 'h2-flood',
  'rst-flood': 'h2-flood',
  'hpack-table-bomb': 'h2-protocol-error',
  'hpack-huge-literal': 'h2-protocol-error',
  'hpack-integer-overflow': 'h2-protocol-error',
  'hpack-bad-huffman-padding': 'h2-protocol-error',
  'hpack-table-size-2e32': 'h2-protocol-error',
  'frame-16mb': 'h2-protocol-error',
  'settings-out-of-range': 'h2-protocol-error',
  'goaway-1mb-debug': 'h2-protocol-error',
  'status-abc': 'h2-protocol-error',
  'data-before-headers': 'h2-protocol-error',
  'slow-drip': 'h2-no-response',
  'no-response': 'h2-no-response',
};

/** Behaviours that wait on purpose: a short per-probe deadline keeps the lab fast. */
const SLOW = new Set<HostileH2Kind>(['slow-drip', 'no-response', 'frame-16mb']);

const h2OverTls = (kind: HostileH2Kind): LabScenario => ({
  id: `hostile-h2-${kind}`,
  title: `TLS + ALPN h2, then ${kind.replace(/-/g, ' ')}`,
  family: 'hostile',
  expect: [HOSTILE_H2_EXPECT[kind]],
  async start(env) {
    const l = await tlsRaw(env, ['h2', 'http/1.1'], (s) => {
      if (s.alpnProtocol === 'h2') serveHostileH2(s, kind);
      else http1Reply(s);
    });
    return local(l, 'https', SLOW.has(kind) ? { timeoutMs: 700 } : {});
  },
});

const h2c = (kind: HostileH2Kind): LabScenario => ({
  id: `hostile-h2c-${kind}`,
  title: `Cleartext h2c by prior knowledge (HTTP/1.1 works), then ${kind.replace(/-/g, ' ')}`,
  family: 'hostile',
  expect: [HOSTILE_H2_EXPECT[kind]],
  async start() {
    const s = net.createServer((sock) => {
      sock.on('error', () => {});
      sock.once('data', (first: Buffer) => {
        if (first.subarray(0, 3).toString() === 'PRI') serveHostileH2(sock, kind, first);
        else sock.end(HTTP1_OK);
      });
    });
    return local(await listen(s, HOST), 'http', SLOW.has(kind) ? { timeoutMs: 700 } : {});
  },
});

/** The finding each hostile TLS answer must get. */
const HOSTILE_TLS_EXPECT: Partial<Record<HostileKind, Code>> = {
  garbage: 'tls-malformed-response',
  'huge-length': 'tls-malformed-response',
  drip: 'tls-malformed-response',
  'endless-records': 'tls-malformed-response',
};

const tlsHostile = (kind: HostileKind, code: Code): LabScenario => ({
  id: `hostile-tls-${kind}`,
  title: `A TLS port that answers the ClientHello with ${kind.replace(/-/g, ' ')}`,
  family: 'hostile',
  expect: [code],
  async start() {
    return local(await hostileTls(kind), 'https', { timeoutMs: 700 });
  },
});

/**
 * A TLS port that answers a ClientHello with an endless stream of full 16 kB handshake records (a
 * Certificate message announcing 16 MiB), as fast as the client reads: the handshake never ends.
 */
export async function tlsHandshakeFlood(forMs = 15_000) {
  const record = new Uint8Array(5 + 16384);
  record.set([0x16, 0x03, 0x03, 0x40, 0x00, 0x0b, 0xff, 0xff, 0xff]);
  const server = net.createServer((s) => {
    s.on('error', () => {});
    const until = Date.now() + forMs;
    s.once('data', () => {
      // ServerHello first would need a real key share; the record stream alone never completes a message.
      const tick = () => {
        for (let i = 0; i < 4; i++) if (s.destroyed || Date.now() > until || !s.write(record)) break;
        if (s.destroyed) return;
        if (Date.now() > until) return void s.destroy();
        if (s.writableNeedDrain) s.once('drain', () => setImmediate(tick));
        else setImmediate(tick);
      };
      tick();
    });
  });
  return listen(server, HOST);
}

/** Copies of the intermediate after the leaf: a Certificate message of 5.5 MiB (TLS allows 16). */
const HUGE_CHAIN_COPIES = 12_000;

/**
 * A real TLS server (OpenSSL, through Node) whose configured chain is the leaf and 12,000 copies of
 * its intermediate: a 5.5 MiB Certificate message, 56 times what OpenSSL clients accept. TLS 1.3
 * encrypts that message; the TLS 1.2-only variant sends it in the clear.
 */
const hugeChain = (tls12: boolean): LabScenario => ({
  id: tls12 ? 'hostile-tls12-huge-chain' : 'hostile-tls-huge-chain',
  title: `A ${tls12 ? 'TLS 1.2-only ' : ''}TLS server whose certificate chain is 5.5 MiB (the leaf, then its intermediate 12,000 times)`,
  family: 'hostile',
  expect: ['cert-chain-too-large'],
  async start(env) {
    const c = await env.pki.preset('valid');
    const cert = c.serverCertPem + env.pki.intermediateCa.certPem.repeat(HUGE_CHAIN_COPIES);
    const versions = tls12 ? { minVersion: 'TLSv1.2' as const, maxVersion: 'TLSv1.2' as const } : {};
    // In a worker: OpenSSL reads this chain for about 2 s, which would stall the lab's own thread (lab/tls-worker.ts).
    return local(await tlsServerInWorker({ cert, key: c.keyPem, ALPNProtocols: ['h2', 'http/1.1'], ...versions }, HTTP1_OK, HOST), 'https', { timeoutMs: 700 });
  },
});

/** A WebSocket endpoint whose 101 is valid, and what follows it is not WebSocket (RFC 6455 §5). */
const wsHostile = (kind: HostileWsKind): LabScenario => ({
  id: `hostile-ws-${kind}`,
  title: `A WebSocket endpoint that answers a valid 101, then ${HOSTILE_WS_WORDS[kind]}`,
  family: 'hostile',
  expect: ['websocket-protocol-error'],
  async start() {
    const l = await hostileWsServer(kind, HOST);
    return { ...local(l, 'http'), url: `ws://localhost:${l.port}/chat` };
  },
});

/** The finding each hostile HTTP/1.1 origin must get (its HTTP/2 answer, and what is wrong with its HTTP/1.1). */
export const HOSTILE_H1_EXPECT: Record<HostileH1Kind, Code[]> = {
  'endless-headers': ['h2c-not-supported', 'preface-http1-response', 'http1-malformed-response'],
  'status-no-crlf': ['h2c-not-supported', 'preface-http1-response', 'http1-malformed-response'],
  'endless-chunked': ['h2c-not-supported', 'preface-http1-response'],
  '426-huge-upgrade': ['h2c-not-supported', 'preface-http1-response', 'http1-malformed-response'],
};

const h1Hostile = (kind: HostileH1Kind): LabScenario => ({
  id: `hostile-h1-${kind}`,
  title: `A cleartext HTTP/1.1 server (400 to the HTTP/2 preface) that answers every request with ${HOSTILE_H1_WORDS[kind]}`,
  family: 'hostile',
  expect: HOSTILE_H1_EXPECT[kind],
  async start() {
    return local(await hostileH1Server(kind, HOST), 'http', { timeoutMs: 700 });
  },
});

/** A healthy HTTPS h2 origin behind a CONNECT proxy that misbehaves; the direct path is compared. */
const proxyHostile = (kind: HostileProxyKind): LabScenario => ({
  id: `hostile-proxy-${kind}`,
  title: `A CONNECT proxy that ${HOSTILE_PROXY_WORDS[kind]} (the origin behind it is healthy)`,
  family: 'hostile',
  expect: ['proxy-connect-failed'],
  async start(env) {
    const origin = await listen(http2.createSecureServer({ ...(await tlsCert(env)), allowHTTP1: true }, ok), HOST);
    const proxy = await hostileProxy(kind, HOST);
    return {
      ...local(origin, 'https', { timeoutMs: 700 }),
      options: { proxy: `http://127.0.0.1:${proxy.port}`, compareDirect: true },
      stop: async () => {
        await proxy.stop();
        await origin.stop();
      },
    };
  },
});

export const HOSTILE_SCENARIOS: LabScenario[] = [
  ...HOSTILE_H2_KINDS.map(h2OverTls),
  ...HOSTILE_H2_KINDS.map(h2c),
  ...Object.entries(HOSTILE_TLS_EXPECT).map(([k, c]) => tlsHostile(k as HostileKind, c!)),
  {
    id: 'hostile-tls-handshake-flood',
    title: 'A TLS port that answers the ClientHello with endless 16 kB handshake records, as fast as they are read',
    family: 'hostile',
    expect: ['tls-malformed-response'],
    async start() {
      return local(await tlsHandshakeFlood(), 'https', { timeoutMs: 700 });
    },
  },
  hugeChain(false),
  hugeChain(true),
  ...HOSTILE_WS_KINDS.map(wsHostile),
  ...HOSTILE_H1_KINDS.map(h1Hostile),
  ...HOSTILE_PROXY_KINDS.map(proxyHostile),
];
