/**
 * What lab scenarios are made of, and the server helpers every family's scenarios share.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import type { Code } from '../model/codes.js';
import type { LabPki } from './pki.js';
import type { DiagnoseOptions } from '../diagnose.js';
import { listen, type Listening } from './servers.js';
import { serveMiniH2, type MiniH2Script } from './mini-h2.js';

export interface LabEnv {
  pki: LabPki;
}

export interface RunningScenario {
  url: string;
  /** curl-style pins the diagnosis must use. */
  resolve?: string[];
  /** A shorter per-probe deadline for scenarios that hang on purpose. */
  timeoutMs?: number;
  /** More diagnosis options (a proxy, --compare-direct, WebSocket subprotocols…). */
  options?: Partial<DiagnoseOptions>;
  stop(): Promise<void>;
}

export interface LabScenario {
  id: string;
  title: string;
  family: 'healthy' | 'dns' | 'transport' | 'protocol' | 'tls' | 'certificate' | 'upgrade' | 'proxy' | 'hostile';
  /** Codes a correct diagnosis finds. Empty for a healthy scenario. */
  expect: Code[];
  /** Other codes that may appear without failing the scenario. */
  allow?: Code[];
  start(env: LabEnv): Promise<RunningScenario>;
}

export const HOST = '127.0.0.1';
export const ok = (_req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => {
  res.setHeader('content-type', 'text/plain');
  res.end(`ok over HTTP/${_req.httpVersion}\n`);
};

export async function tlsCert(env: LabEnv) {
  const c = await env.pki.preset('valid');
  return { cert: c.serverCertPem, key: c.keyPem };
}

/** A URL on localhost pinned to 127.0.0.1, so only one address is probed. */
export function local(l: Listening, scheme: 'http' | 'https', extra: Partial<RunningScenario> = {}): RunningScenario {
  return { url: `${scheme}://localhost:${l.port}/`, resolve: [`localhost:${l.port}:${HOST}`], stop: l.stop, ...extra };
}

/** Listen on 127.0.0.1 (ephemeral port) and point a scenario at it: {@link local} of {@link listen}. */
export async function serve(server: net.Server, scheme: 'http' | 'https', extra: Partial<RunningScenario> = {}): Promise<RunningScenario> {
  return local(await listen(server, HOST), scheme, extra);
}

/** A TLS server (ALPN as given) whose decrypted sockets go to `onSocket`. */
export async function tlsRaw(env: LabEnv, alpn: string[] | undefined, onSocket: (s: tls.TLSSocket) => void, more: tls.TlsOptions = {}) {
  const server = tls.createServer({ ...(await tlsCert(env)), ...(alpn ? { ALPNProtocols: alpn } : {}), ...more }, onSocket);
  server.on('tlsClientError', () => {});
  return listen(server, HOST);
}

/** TLS with ALPN h2 in front of a scripted HTTP/2 server side. */
export async function tlsMiniH2(env: LabEnv, script: MiniH2Script): Promise<Listening> {
  return tlsRaw(env, ['h2', 'http/1.1'], (s) => {
    if (s.alpnProtocol === 'h2') serveMiniH2(s, script);
    else http1Reply(s);
  });
}

/** A minimal complete HTTP/1.1 200 response that closes the connection. */
export const HTTP1_OK = 'HTTP/1.1 200 OK\r\ncontent-length: 3\r\nconnection: close\r\n\r\nok\n';

/** Answer the first bytes (an HTTP/1.1 request) with {@link HTTP1_OK}. */
export function http1Reply(s: net.Socket): void {
  s.once('data', () => s.end(HTTP1_OK));
  s.on('error', () => {});
}

