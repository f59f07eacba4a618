/**
 * Lab scenarios of the upgrade family: 426 (HTTP/2, TLS, with and without Problem Details or
 * Upgrade, and the src/server helper), WebSocket (healthy, behind an upgrade-stripping proxy, bad
 * accept, subprotocol, RFC 8441 on and off), HTTP/1.1 vs HTTP/2 differences, and proxies (CONNECT,
 * refused, credentials, TLS interception with and without ALPN h2).
 */
import http from 'node:http';
import http2 from 'node:http2';
import { HOST, ok, tlsCert, serve, type LabEnv, type LabScenario, type RunningScenario } from '../helpers.js';
import { listen, type Listening } from '../servers.js';
import { requireProtocol } from '../../server/index.js';
import { ws426, wsExtendedConnect, wsUpgrade, type WsBehaviour } from '../upgrade-ws.js';
import { connectProxy, strippingProxy, type ConnectProxyOptions } from '../proxy-servers.js';

const GUIDE = 'https://docs.example.com/migrate-to-http2';
const PROBLEM_WS = JSON.stringify({ type: 'https://api.example.com/problems/websocket-only', title: 'Upgrade Required', status: 426, detail: 'Connect with a WebSocket client.' });

/** A cleartext WebSocket endpoint (node:http): 426 to plain requests, RFC 6455 to upgrades. */
async function wsCleartext(b: WsBehaviour = {}): Promise<Listening> {
  const s = http.createServer((_req, res) => ws426(res));
  s.on('upgrade', (req, socket, head) => wsUpgrade(req, socket, head, b));
  return listen(s, HOST);
}

/** node:http2 over TLS with HTTP/1.1 fallback, WebSocket over HTTP/1.1, RFC 8441 when `rfc8441`. */
async function wsSecure(env: LabEnv, rfc8441: boolean, plain: 'problem' | 'ok'): Promise<Listening> {
  const s = http2.createSecureServer({ ...(await tlsCert(env)), allowHTTP1: true, settings: { enableConnectProtocol: rfc8441 } }, (req, res) => {
    if (plain === 'ok') return ok(req, res);
    res.writeHead(426, req.httpVersionMajor >= 2 ? { 'content-type': 'application/problem+json' } : { upgrade: 'websocket', connection: 'Upgrade', 'content-type': 'application/problem+json' });
    res.end(PROBLEM_WS);
  });
  s.on('upgrade', (req: http.IncomingMessage, socket, head) => wsUpgrade(req, socket, head));
  // node:http2's compatibility layer hands CONNECT (RFC 8441's extended one included) to 'connect'.
  s.on('connect', (req: http2.Http2ServerRequest) => {
    if (req.headers[':protocol'] === 'websocket') wsExtendedConnect(req.stream, req.headers);
    else req.stream.respond({ ':status': 405 }, { endStream: true });
  });
  return listen(s, HOST);
}

const at = (l: Listening, url: string, extra: Partial<RunningScenario> = {}): RunningScenario => ({ url, resolve: [`localhost:${l.port}:${HOST}`], stop: l.stop, ...extra });

/** A healthy HTTPS h2 server behind a CONNECT proxy; the diagnosis goes through the proxy and compares with the direct path. */
async function behindProxy(env: LabEnv, p: ConnectProxyOptions, proxyUrl: (port: number) => string): Promise<RunningScenario> {
  const origin = await listen(http2.createSecureServer({ ...(await tlsCert(env)), allowHTTP1: true }, ok), HOST);
  const proxy = await connectProxy(p);
  return {
    url: `https://localhost:${origin.port}/`,
    resolve: [`localhost:${origin.port}:${HOST}`],
    options: { proxy: proxyUrl(proxy.port), compareDirect: true },
    stop: async () => {
      await proxy.stop();
      await origin.stop();
    },
  };
}

export const UPGRADE_SCENARIOS: LabScenario[] = [
  {
    id: 'upgrade-426-h2-helper',
    title: 'HTTP/2 required: h2doctor/server requireProtocol answers HTTP/1.x with a complete 426 (Problem Details, Deprecation, Sunset)',
    family: 'upgrade',
    expect: ['upgrade-required-h2', 'deprecation-announced'],
    async start(env) {
      const guard = requireProtocol({
        minHttpVersion: '2.0',
        problem: { type: 'https://api.example.com/problems/http2-required', migrationGuide: GUIDE },
        deprecation: new Date('2026-01-01T00:00:00Z'),
        sunset: new Date('2027-06-30T23:59:59Z'),
      });
      const s = http2.createSecureServer({ ...(await tlsCert(env)), allowHTTP1: true }, (req, res) => {
        if (guard(req, res)) ok(req, res);
      });
      return serve(s, 'https');
    },
  },
  {
    id: 'upgrade-426-h2-plain',
    title: 'HTTP/2 required: 426 with Upgrade: h2, HTTP/2.0 but a text/plain body',
    family: 'upgrade',
    expect: ['upgrade-required-h2', 'upgrade-problem-details-missing'],
    async start(env) {
      const s = http2.createSecureServer({ ...(await tlsCert(env)), allowHTTP1: true }, (req, res) => {
        if (req.httpVersionMajor >= 2) return ok(req, res);
        res.writeHead(426, { upgrade: 'h2, HTTP/2.0', connection: 'Upgrade', 'content-type': 'text/plain' });
        res.end('Upgrade Required\n');
      });
      return serve(s, 'https');
    },
  },
  {
    id: 'upgrade-426-no-upgrade-field',
    title: 'HTTP/2 required, said badly: 426 with no Upgrade field and an HTML page',
    family: 'upgrade',
    expect: ['upgrade-header-missing', 'upgrade-problem-details-missing'],
    async start(env) {
      const s = http2.createSecureServer({ ...(await tlsCert(env)), allowHTTP1: true }, (req, res) => {
        if (req.httpVersionMajor >= 2) return ok(req, res);
        res.writeHead(426, { 'content-type': 'text/html' });
        res.end('<html><body><h1>426 Upgrade Required</h1></body></html>\n');
      });
      return serve(s, 'https');
    },
  },
  {
    id: 'upgrade-426-tls',
    title: 'TLS 1.2 required: a cleartext node:http server with requireProtocol({ minTlsVersion: "1.2" }) (no h2c either: its preface gets an HTTP/1.1 400)',
    family: 'upgrade',
    expect: ['upgrade-required-tls', 'h2c-not-supported', 'preface-http1-response'],
    async start() {
      const guard = requireProtocol({ minTlsVersion: '1.2', problem: { migrationGuide: 'https://docs.example.com/tls' } });
      const s = http.createServer((req, res) => {
        if (guard(req, res)) ok(req, res);
      });
      return serve(s, 'http');
    },
  },
  {
    id: 'websocket-ws',
    title: 'A WebSocket endpoint, ws:// (426 to GET, 101 to an upgrade, pong to a ping)',
    family: 'healthy',
    expect: [],
    async start() {
      const l = await wsCleartext();
      return at(l, `ws://localhost:${l.port}/chat`);
    },
  },
  {
    id: 'upgrade-websocket-hint',
    title: 'An https URL that is a WebSocket endpoint: 426 Upgrade: websocket (Problem Details); h2doctor follows the hint',
    family: 'upgrade',
    expect: ['upgrade-required-websocket'],
    async start(env) {
      const l = await wsSecure(env, true, 'problem');
      return at(l, `https://localhost:${l.port}/chat`);
    },
  },
  {
    id: 'websocket-upgrade-stripped',
    title: 'The WebSocket endpoint behind a reverse proxy that drops Upgrade/Connection (Via: 1.1 lab-proxy)',
    family: 'upgrade',
    expect: ['upgrade-header-stripped'],
    async start() {
      const backend = await wsCleartext();
      const front = await strippingProxy(backend.port, { http10Upstream: true });
      return {
        url: `ws://localhost:${front.port}/chat`,
        resolve: [`localhost:${front.port}:${HOST}`],
        stop: async () => {
          await front.stop();
          await backend.stop();
        },
      };
    },
  },
  {
    id: 'websocket-bad-accept',
    title: 'A WebSocket server that answers 101 with a wrong Sec-WebSocket-Accept',
    family: 'upgrade',
    expect: ['websocket-handshake-failed'],
    async start() {
      const l = await wsCleartext({ badAccept: true });
      return at(l, `ws://localhost:${l.port}/chat`);
    },
  },
  {
    id: 'websocket-subprotocol-rejected',
    title: 'A WebSocket server that selects none of the offered subprotocols (--ws-protocol chat.v2)',
    family: 'upgrade',
    expect: ['websocket-subprotocol-rejected'],
    async start() {
      const l = await wsCleartext({ protocols: 'none' });
      return at(l, `ws://localhost:${l.port}/chat`, { options: { wsProtocols: ['chat.v2'] } });
    },
  },
  {
    id: 'websocket-h2-rfc8441',
    title: 'wss:// on node:http2 with enableConnectProtocol: WebSocket over HTTP/1.1 and over HTTP/2 (RFC 8441)',
    family: 'healthy',
    expect: [],
    async start(env) {
      const l = await wsSecure(env, true, 'ok');
      return at(l, `wss://localhost:${l.port}/chat`);
    },
  },
  {
    id: 'websocket-h2-no-rfc8441',
    title: 'wss:// on node:http2 without SETTINGS_ENABLE_CONNECT_PROTOCOL: WebSocket over HTTP/1.1 only',
    family: 'upgrade',
    expect: ['websocket-over-h2-unsupported'],
    async start(env) {
      const l = await wsSecure(env, false, 'ok');
      return at(l, `wss://localhost:${l.port}/chat`);
    },
  },
  {
    id: 'h1-h2-behaviour-differs',
    title: 'The same GET: 200 over HTTP/2, 404 over HTTP/1.1 (two routes that disagree)',
    family: 'upgrade',
    expect: ['h1-h2-behaviour-differs'],
    async start(env) {
      const s = http2.createSecureServer({ ...(await tlsCert(env)), allowHTTP1: true }, (req, res) => {
        if (req.httpVersionMajor >= 2) return ok(req, res);
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found\n');
      });
      return serve(s, 'https');
    },
  },
  {
    id: 'proxy-connect',
    title: 'A healthy HTTPS h2 server through a CONNECT proxy with Basic credentials (--proxy, --compare-direct)',
    family: 'healthy',
    expect: [],
    start: (env) => behindProxy(env, { credentials: 'lab:s3cret' }, (port) => `http://lab:s3cret@127.0.0.1:${port}`),
  },
  {
    id: 'proxy-connect-refused',
    title: 'A CONNECT proxy that refuses the tunnel with 403',
    family: 'proxy',
    expect: ['proxy-connect-failed'],
    start: (env) => behindProxy(env, { refuse: 403 }, (port) => `http://127.0.0.1:${port}`),
  },
  {
    id: 'proxy-auth-required',
    title: 'A CONNECT proxy that wants credentials (407) and gets none',
    family: 'proxy',
    expect: ['proxy-connect-failed'],
    start: (env) => behindProxy(env, { credentials: 'lab:s3cret' }, (port) => `http://127.0.0.1:${port}`),
  },
  {
    id: 'proxy-tls-intercepting',
    title: 'A TLS-inspecting proxy that re-signs with the lab root and keeps ALPN h2',
    family: 'proxy',
    expect: ['tls-interception-suspected'],
    async start(env) {
      const c = await env.pki.issue({ issuer: 'root' });
      return behindProxy(env, { intercept: { cert: c.chainPem, key: c.keyPem, alpn: ['h2', 'http/1.1'] } }, (port) => `http://127.0.0.1:${port}`);
    },
  },
  {
    id: 'proxy-tls-intercepting-http1',
    title: 'A TLS-inspecting proxy that re-signs and offers only http/1.1: HTTP/2 is lost on the proxy path',
    family: 'proxy',
    expect: ['tls-interception-suspected', 'proxy-alters-alpn', 'alpn-no-h2'],
    async start(env) {
      const c = await env.pki.issue({ issuer: 'root' });
      return behindProxy(env, { intercept: { cert: c.chainPem, key: c.keyPem, alpn: ['http/1.1'] } }, (port) => `http://127.0.0.1:${port}`);
    },
  },
];
