/**
 * The `Upgrade` (RFC 9110 §7.8) and `Connection` (RFC 9110 §7.6.1) fields: parse, then classify what a
 * `426`/`101` names. Pure and total: a malformed value gives `{ malformed: true, reason }`, never a throw.
 *
 * @example
 * const u = parseUpgrade('HTTP/2.0, TLS/1.2');
 * u.protocols.map((p) => p.family); // ['h2', 'tls']
 */
import { type FieldInput, isToken, joinFieldLines, MAX_FIELD_LENGTH, splitList } from './fields.js';

/** What an `Upgrade` protocol is, for the `upgrade-required-*` findings. */
export const UPGRADE_FAMILIES = ['h2', 'tls', 'websocket', 'http', 'other'] as const;
export type UpgradeFamily = (typeof UPGRADE_FAMILIES)[number];

export interface UpgradeProtocol {
  /** protocol-name, lower-cased: names compare case-insensitively (RFC 9110 §7.8). */
  name: string;
  /** protocol-version as sent. */
  version?: string;
  /** The list element exactly as sent (after OWS trimming). */
  raw: string;
  family: UpgradeFamily;
}

export type UpgradeHeader =
  | { malformed: false; protocols: UpgradeProtocol[] }
  /** `protocols` holds the elements that did parse; `reason` names the first one that did not. */
  | { malformed: true; reason: string; protocols: UpgradeProtocol[] };

/**
 * Known upgrade tokens by family. `h2`/`h2c` and HTTP/2 spelled as the IANA token `HTTP/2.0` (or `HTTP/2`)
 * all mean "use HTTP/2"; `TLS/x` is RFC 2817's upgrade to TLS.
 */
export const UPGRADE_TOKENS = {
  h2: { family: 'h2', note: 'ALPN identifier of HTTP/2 over TLS (RFC 9113 §3.2); not a registered upgrade token' },
  h2c: { family: 'h2', note: 'HTTP/2 over cleartext; the Upgrade: h2c mechanism is deprecated by RFC 9113 §3.1' },
  http: { family: 'http', note: 'HTTP with a version: HTTP/2.0 is HTTP/2 (IANA Upgrade Token Registry)' },
  tls: { family: 'tls', note: 'upgrade to TLS within HTTP/1.1 (RFC 2817)' },
  websocket: { family: 'websocket', note: 'The WebSocket Protocol (RFC 6455 §4)' },
} as const;

/**
 * Classify one protocol. `HTTP/2` and `HTTP/2.0` are HTTP/2; other HTTP versions are `http`.
 *
 * @example classifyUpgradeProtocol('HTTP', '2.0') // 'h2'
 */
export function classifyUpgradeProtocol(name: string, version?: string): UpgradeFamily {
  const n = name.toLowerCase();
  if (!Object.hasOwn(UPGRADE_TOKENS, n)) return 'other';
  const family: UpgradeFamily = UPGRADE_TOKENS[n as keyof typeof UPGRADE_TOKENS].family;
  // IANA Upgrade Token Registry (RFC 9110 §16.7): "HTTP" takes a DIGIT.DIGIT version; 2.0 is HTTP/2.
  if (family === 'http' && (version === '2' || version === '2.0')) return 'h2';
  return family;
}

/**
 * Parse `Upgrade` (one value, or the lines of a repeated field). An absent field parses as an empty list;
 * check `protocols.length` for "missing".
 *
 * @example parseUpgrade(['websocket', 'h2c']).protocols.map((p) => p.name) // ['websocket', 'h2c']
 */
export function parseUpgrade(value: FieldInput): UpgradeHeader {
  const joined = joinFieldLines(value);
  if (joined === undefined) return { malformed: false, protocols: [] };
  if (joined.length > MAX_FIELD_LENGTH) return { malformed: true, reason: `longer than ${MAX_FIELD_LENGTH} characters`, protocols: [] };
  // RFC 9110 §7.8: Upgrade = #protocol (quoted strings are not part of the grammar; a '"' fails isToken below)
  const list = splitList(joined);
  const protocols: UpgradeProtocol[] = [];
  let reason: string | undefined = list.error;
  for (const raw of list.items) {
    // RFC 9110 §7.8: protocol = protocol-name ["/" protocol-version], both tokens
    const slash = raw.indexOf('/');
    const name = slash < 0 ? raw : raw.slice(0, slash);
    const version = slash < 0 ? undefined : raw.slice(slash + 1);
    if (!isToken(name) || (version !== undefined && !isToken(version))) {
      reason ??= `not a protocol-name["/"protocol-version]: ${JSON.stringify(raw.slice(0, 64))}`;
      continue;
    }
    const p: UpgradeProtocol = { name: name.toLowerCase(), raw, family: classifyUpgradeProtocol(name, version) };
    if (version !== undefined) p.version = version;
    protocols.push(p);
  }
  if (protocols.length === 0 && reason === undefined && joined.trim() !== '') reason = 'no protocol in the list';
  if (reason === undefined && joined.trim() === '') reason = 'empty field value';
  return reason === undefined ? { malformed: false, protocols } : { malformed: true, reason, protocols };
}

/** The families named, in order of first appearance (the 426's order of preference, RFC 9110 §7.8). */
export function upgradeFamilies(h: UpgradeHeader): UpgradeFamily[] {
  const out: UpgradeFamily[] = [];
  for (const p of h.protocols) if (!out.includes(p.family)) out.push(p.family);
  return out;
}

export type ConnectionHeader =
  | { malformed: false; options: string[] }
  | { malformed: true; reason: string; options: string[] };

/**
 * Parse `Connection` (RFC 9110 §7.6.1): a list of connection-option tokens, lower-cased (they compare
 * case-insensitively), duplicates dropped.
 *
 * @example parseConnection('keep-alive, Upgrade').options // ['keep-alive', 'upgrade']
 */
export function parseConnection(value: FieldInput): ConnectionHeader {
  const joined = joinFieldLines(value);
  if (joined === undefined) return { malformed: false, options: [] };
  if (joined.length > MAX_FIELD_LENGTH) return { malformed: true, reason: `longer than ${MAX_FIELD_LENGTH} characters`, options: [] };
  // RFC 9110 §7.6.1: Connection = #connection-option; connection-option = token
  const list = splitList(joined);
  const options: string[] = [];
  let reason: string | undefined = list.error;
  for (const item of list.items) {
    if (!isToken(item)) {
      reason ??= `not a token: ${JSON.stringify(item.slice(0, 64))}`;
      continue;
    }
    const t = item.toLowerCase();
    if (!options.includes(t)) options.push(t);
  }
  if (reason === undefined && options.length === 0) reason = 'empty field value';
  return reason === undefined ? { malformed: false, options } : { malformed: true, reason, options };
}

/** Does `Connection` carry `option` (case-insensitive)? */
export function hasConnectionOption(h: ConnectionHeader, option: string): boolean {
  return h.options.includes(option.toLowerCase());
}
