/**
 * WebSockets over HTTP/2 (RFC 8441): the extended CONNECT request and what its response must look like.
 * No key, no accept, no Upgrade/Connection: HTTP/2 forbids connection-specific fields (RFC 9113 §8.2.2).
 *
 * @example
 * extendedConnectHeaders({ authority: 'server.example.com', path: '/chat', protocols: ['chat'] })
 * // [[':method','CONNECT'], [':protocol','websocket'], [':scheme','https'], [':path','/chat'], [':authority','server.example.com'],
 * //  ['sec-websocket-version','13'], ['sec-websocket-protocol','chat']]
 */
import { SETTINGS } from '../http2/registry.js';
import { checkNegotiation, type HandshakeProblem, type HeaderBag, problem, WEBSOCKET_VERSION, type WebSocketExtension } from './handshake.js';

// RFC 8441 §4: the :protocol value for WebSocket is the Upgrade token "websocket" (RFC 6455 §11.2).
export const WEBSOCKET_PROTOCOL = 'websocket';

export interface ExtendedConnectOptions {
  authority: string;
  path: string;
  /** RFC 8441 §5: "https" for wss, "http" for ws. Default "https". */
  scheme?: 'https' | 'http';
  protocols?: readonly string[];
  extensions?: readonly string[];
  origin?: string;
}

/**
 * The request header list for a WebSocket over HTTP/2, pseudo-headers first (RFC 9113 §8.3).
 */
export function extendedConnectHeaders(o: ExtendedConnectOptions): Array<[string, string]> {
  // RFC 8441 §4: an extended CONNECT carries :protocol, and :scheme and :path unlike a plain CONNECT.
  const h: Array<[string, string]> = [
    [':method', 'CONNECT'],
    [':protocol', WEBSOCKET_PROTOCOL],
    [':scheme', o.scheme ?? 'https'],
    [':path', o.path],
    [':authority', o.authority],
    // RFC 8441 §5: Sec-WebSocket-Version is sent as in RFC 6455; Sec-WebSocket-Key is not.
    ['sec-websocket-version', WEBSOCKET_VERSION],
  ];
  if (o.origin !== undefined) h.push(['origin', o.origin]);
  if (o.protocols?.length) h.push(['sec-websocket-protocol', o.protocols.join(', ')]);
  if (o.extensions?.length) h.push(['sec-websocket-extensions', o.extensions.join(', ')]);
  return h;
}

/**
 * Did the server's SETTINGS enable extended CONNECT? RFC 8441 §3: SETTINGS_ENABLE_CONNECT_PROTOCOL (0x8) = 1.
 * Absent means 0: `websocket-over-h2-unsupported`.
 */
export function supportsExtendedConnect(settings: Iterable<readonly [number, number]> | ReadonlyMap<number, number>): boolean {
  let value = 0;
  // RFC 9113 §6.5.3: settings apply in order, so the last value wins.
  for (const [id, v] of settings) if (id === SETTINGS.ENABLE_CONNECT_PROTOCOL) value = v;
  return value === 1;
}

export interface ExtendedConnectResult {
  ok: boolean;
  problems: HandshakeProblem[];
  protocol?: string;
  extensions: WebSocketExtension[];
}

/**
 * Check the response to an extended CONNECT (RFC 8441 §5): a 2xx, then the same subprotocol and
 * extension rules as RFC 6455 §4.1.
 */
export function validateExtendedConnectResponse(
  res: { status: number; headers: HeaderBag },
  offer: { protocols?: readonly string[]; extensions?: readonly string[] },
): ExtendedConnectResult {
  if (res.status < 200 || res.status > 299) {
    return { ok: false, problems: [problem('status-not-2xx', `status ${res.status}, expected 2xx`)], extensions: [] };
  }
  const n = checkNegotiation(res.headers, offer);
  const r: ExtendedConnectResult = { ok: !n.problems.some((p) => p.fatal), problems: n.problems, extensions: n.extensions };
  if (n.protocol !== undefined) r.protocol = n.protocol;
  return r;
}
