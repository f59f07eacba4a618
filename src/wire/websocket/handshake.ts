/**
 * The WebSocket opening handshake over HTTP/1.1 (RFC 6455 §4): make a `Sec-WebSocket-Key`, compute and
 * verify `Sec-WebSocket-Accept`, and check a server's response the way §4.1 tells a client to, returning a
 * typed list of problems instead of throwing.
 *
 * @example
 * computeAccept('dGhlIHNhbXBsZSBub25jZQ==') // 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' (RFC 6455 §1.3)
 */
import { createHash } from 'node:crypto';
import { type FieldInput, isToken, joinFieldLines, parseParams, splitList, trimOws } from '../http/fields.js';
import { hasConnectionOption, parseConnection, parseUpgrade } from '../http/upgrade.js';

// RFC 6455 §1.3: the GUID appended to the key before hashing.
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
// RFC 6455 §4.1 (client requirement 9): the only version this document defines.
export const WEBSOCKET_VERSION = '13';

/** Header fields as Node gives them; looked up case-insensitively. */
export type HeaderBag = Readonly<Record<string, FieldInput>>;

/** Case-insensitive lookup in a {@link HeaderBag}. */
export function getField(headers: HeaderBag, name: string): FieldInput {
  const lower = name.toLowerCase();
  if (Object.hasOwn(headers, lower)) return headers[lower];
  for (const k of Object.keys(headers)) if (k.toLowerCase() === lower) return headers[k];
  return undefined;
}

/**
 * `Sec-WebSocket-Key` from 16 caller-supplied random bytes (RFC 6455 §4.1: a randomly selected 16-byte
 * value, base64-encoded). The caller owns randomness so this stays pure and testable.
 *
 * @example makeWebSocketKey(new TextEncoder().encode('the sample nonce')) // 'dGhlIHNhbXBsZSBub25jZQ=='
 */
export function makeWebSocketKey(random16: Uint8Array): string {
  if (random16.length !== 16) throw new RangeError(`Sec-WebSocket-Key needs 16 random bytes, got ${random16.length}`);
  return Buffer.from(random16).toString('base64');
}

/** Is `key` the base64 encoding of exactly 16 bytes (RFC 6455 §4.2.1 item 5)? */
export function isValidWebSocketKey(key: string): boolean {
  return /^[A-Za-z0-9+/]{21}[AQgw]==$/.test(trimOws(key));
}

/**
 * RFC 6455 §4.2.2 step 5.4: base64( SHA-1( key + GUID ) ). The key is used as sent, after OWS trimming.
 *
 * @example computeAccept('dGhlIHNhbXBsZSBub25jZQ==') // 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='
 */
export function computeAccept(key: string): string {
  return createHash('sha1').update(trimOws(key) + WEBSOCKET_GUID, 'latin1').digest('base64');
}

/** Does `accept` match `key`? An absent or repeated accept does not. */
export function verifyAccept(key: string, accept: FieldInput): boolean {
  return typeof accept === 'string' && trimOws(accept) === computeAccept(key);
}

export interface HandshakeRequestOptions {
  /** The Host field value (RFC 6455 §4.1 client requirement 4). */
  host: string;
  key: string;
  protocols?: readonly string[];
  /** Offers as written in the field, e.g. `permessage-deflate; client_max_window_bits`. */
  extensions?: readonly string[];
  origin?: string;
}

/**
 * The header fields of an opening handshake request (RFC 6455 §4.1), in a conventional order.
 *
 * @example handshakeRequestHeaders({ host: 'server.example.com', key }).map(([k]) => k) // ['host', 'upgrade', 'connection', 'sec-websocket-key', 'sec-websocket-version']
 */
export function handshakeRequestHeaders(o: HandshakeRequestOptions): Array<[string, string]> {
  const h: Array<[string, string]> = [
    ['host', o.host],
    ['upgrade', 'websocket'],
    ['connection', 'Upgrade'],
    ['sec-websocket-key', o.key],
    ['sec-websocket-version', WEBSOCKET_VERSION],
  ];
  if (o.origin !== undefined) h.push(['origin', o.origin]);
  if (o.protocols?.length) h.push(['sec-websocket-protocol', o.protocols.join(', ')]);
  if (o.extensions?.length) h.push(['sec-websocket-extensions', o.extensions.join(', ')]);
  return h;
}

export interface WebSocketExtension {
  /** Extension token, lower-cased. */
  name: string;
  params: Array<[string, string | undefined]>;
}

/**
 * Parse `Sec-WebSocket-Extensions` (RFC 6455 §9.1): `extension-token *( ";" extension-param )`, listed.
 *
 * @example parseExtensions('permessage-deflate; client_max_window_bits=10').extensions[0]?.name // 'permessage-deflate'
 */
export function parseExtensions(value: FieldInput): { extensions: WebSocketExtension[]; error?: string } {
  const joined = joinFieldLines(value);
  if (joined === undefined) return { extensions: [] };
  const list = splitList(joined);
  const extensions: WebSocketExtension[] = [];
  let error = list.error;
  for (const item of list.items) {
    const semi = item.indexOf(';');
    const name = trimOws(semi < 0 ? item : item.slice(0, semi));
    if (!isToken(name)) {
      error ??= `not an extension token: ${JSON.stringify(name.slice(0, 64))}`;
      continue;
    }
    const p = semi < 0 ? { params: [] } : parseParams(item.slice(semi));
    if ('error' in p && p.error) error ??= `extension ${name}: ${p.error}`;
    extensions.push({ name: name.toLowerCase(), params: p.params });
  }
  return error === undefined ? { extensions } : { extensions, error };
}

export const HANDSHAKE_PROBLEMS = {
  'status-not-101': { fatal: true, section: 'RFC 6455 §4.1 (response item 1)' },
  'upgrade-not-websocket': { fatal: true, section: 'RFC 6455 §4.1 (response item 2)' },
  'connection-missing-upgrade': { fatal: true, section: 'RFC 6455 §4.1 (response item 3)' },
  'accept-missing': { fatal: true, section: 'RFC 6455 §4.1 (response item 4)' },
  'accept-mismatch': { fatal: true, section: 'RFC 6455 §4.1 (response item 4)' },
  'extension-not-offered': { fatal: true, section: 'RFC 6455 §4.1 (response item 5)' },
  'extensions-malformed': { fatal: true, section: 'RFC 6455 §9.1' },
  'protocol-not-offered': { fatal: true, section: 'RFC 6455 §4.1 (response item 6)' },
  'protocol-multiple': { fatal: true, section: 'RFC 6455 §4.2.2 / §11.3.4: the server selects one subprotocol' },
  /** Not a failure per RFC 6455, but the client asked for subprotocols and got none: `websocket-subprotocol-rejected`. */
  'protocol-none-selected': { fatal: false, section: 'RFC 6455 §4.2.2 step 5.4 (/subprotocol/ is optional)' },
  /** RFC 8441 §5: extended CONNECT succeeds with a 2xx. */
  'status-not-2xx': { fatal: true, section: 'RFC 8441 §5' },
} as const;
export type HandshakeProblemCode = keyof typeof HANDSHAKE_PROBLEMS;

export interface HandshakeProblem {
  code: HandshakeProblemCode;
  /** The client MUST _Fail the WebSocket Connection_ (RFC 6455 §7.1.7). */
  fatal: boolean;
  section: string;
  message: string;
}

export interface HandshakeOffer {
  key: string;
  protocols?: readonly string[];
  /** Offered extensions, names or whole offers (`permessage-deflate; client_max_window_bits`). */
  extensions?: readonly string[];
}

export interface HandshakeResult {
  /** No fatal problem: the connection is open. */
  ok: boolean;
  problems: HandshakeProblem[];
  /** The subprotocol the server selected. */
  protocol?: string;
  extensions: WebSocketExtension[];
}

/**
 * Check a response to an opening handshake as RFC 6455 §4.1 requires of a client.
 *
 * @example
 * validateHandshakeResponse({ status: 101, headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-accept': computeAccept(key) } }, { key }).ok // true
 */
export function validateHandshakeResponse(res: { status: number; headers: HeaderBag }, offer: HandshakeOffer): HandshakeResult {
  const problems: HandshakeProblem[] = [];
  // RFC 6455 §4.1: a status other than 101 means the handshake has not completed; nothing else applies.
  if (res.status !== 101) {
    problems.push(problem('status-not-101', `status ${res.status}, expected 101 Switching Protocols`));
    return { ok: false, problems, extensions: [] };
  }
  const upgrade = parseUpgrade(getField(res.headers, 'upgrade'));
  // RFC 6455 §4.1 item 2: Upgrade must be an ASCII case-insensitive match for "websocket".
  if (upgrade.malformed || upgrade.protocols.length !== 1 || upgrade.protocols[0]!.raw.toLowerCase() !== 'websocket') {
    const got = joinFieldLines(getField(res.headers, 'upgrade'));
    problems.push(problem('upgrade-not-websocket', got === undefined ? 'no Upgrade field' : `Upgrade: ${got.slice(0, 64)}`));
  }
  // RFC 6455 §4.1 item 3: Connection must contain the token "Upgrade" (case-insensitive).
  if (!hasConnectionOption(parseConnection(getField(res.headers, 'connection')), 'upgrade')) {
    problems.push(problem('connection-missing-upgrade', `Connection: ${joinFieldLines(getField(res.headers, 'connection')) ?? '(absent)'}`));
  }
  const accept = getField(res.headers, 'sec-websocket-accept');
  // RFC 6455 §4.1 item 4: Sec-WebSocket-Accept must be base64(SHA-1(key + GUID)).
  if (accept === undefined || accept === null) problems.push(problem('accept-missing', 'no Sec-WebSocket-Accept field'));
  else if (!verifyAccept(offer.key, accept)) {
    problems.push(problem('accept-mismatch', `Sec-WebSocket-Accept ${JSON.stringify(joinFieldLines(accept)?.slice(0, 64))}, expected ${computeAccept(offer.key)}`));
  }
  const n = checkNegotiation(res.headers, offer);
  problems.push(...n.problems);
  const result: HandshakeResult = { ok: !problems.some((p) => p.fatal), problems, extensions: n.extensions };
  if (n.protocol !== undefined) result.protocol = n.protocol;
  return result;
}

/**
 * The subprotocol and extension rules shared by RFC 6455 §4.1 (items 5–6) and RFC 8441 §5.
 * Subprotocol names compare exactly; extensions by name (parameters are negotiated, so they may differ).
 */
export function checkNegotiation(headers: HeaderBag, offer: Omit<HandshakeOffer, 'key'>): { problems: HandshakeProblem[]; protocol?: string; extensions: WebSocketExtension[] } {
  const problems: HandshakeProblem[] = [];
  const offeredProtocols = offer.protocols ?? [];
  const protoField = joinFieldLines(getField(headers, 'sec-websocket-protocol'));
  let protocol: string | undefined;
  if (protoField !== undefined) {
    const list = splitList(protoField).items;
    if (list.length !== 1) problems.push(problem('protocol-multiple', `Sec-WebSocket-Protocol: ${protoField.slice(0, 64)}`));
    else if (!offeredProtocols.includes(list[0]!)) {
      problems.push(problem('protocol-not-offered', `server selected ${JSON.stringify(list[0]!.slice(0, 64))}; offered ${offeredProtocols.length ? offeredProtocols.join(', ') : 'none'}`));
    } else protocol = list[0]!;
  } else if (offeredProtocols.length > 0) {
    problems.push(problem('protocol-none-selected', `offered ${offeredProtocols.join(', ')}; the server selected none`));
  }
  const offeredNames = parseExtensions(offer.extensions ? [...offer.extensions] : undefined).extensions.map((e) => e.name);
  const ext = parseExtensions(getField(headers, 'sec-websocket-extensions'));
  if (ext.error) problems.push(problem('extensions-malformed', ext.error));
  for (const e of ext.extensions) {
    if (!offeredNames.includes(e.name)) problems.push(problem('extension-not-offered', `server chose extension ${e.name}, not offered`));
  }
  return protocol === undefined ? { problems, extensions: ext.extensions } : { problems, protocol, extensions: ext.extensions };
}

export function problem(code: HandshakeProblemCode, message: string): HandshakeProblem {
  const d = HANDSHAKE_PROBLEMS[code];
  return { code, fatal: d.fatal, section: d.section, message };
}
