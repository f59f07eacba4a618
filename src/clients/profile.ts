/**
 * Client profiles: what a real client puts in its ClientHello and its HTTP/2 opening, captured from
 * the client itself (`h2doctor capture-client`), plus what the client needs to call a connection
 * good (its policy). Profiles are versioned data (`profiles/*.json`); a user's own capture is the same file.
 *
 * Pure: bytes of a captured hello in, a profile out; JSON in, a checked profile out.
 */
import { parseClientHello } from '../wire/tls/client-hello.js';
import { ja4Parts } from '../wire/tls/ja4.js';
import { cipherSuiteName, extensionName, groupName, isGrease, sigSchemeName, versionName } from '../wire/tls/registry.js';
import type { H2Opening } from '../wire/http2/fingerprint.js';
import type { ClientPolicy } from '../model/client-probes.js';

export const PROFILE_SCHEMA_VERSION = 1;

export type { ClientPolicy };

export interface ProfileExtension {
  type: number;
  name: string;
  /** The extension's data as captured, hex (the key share and SNI are made fresh when replayed). */
  data: string;
}

export interface ClientProfile {
  schemaVersion: 1;
  /** Short id used by --client / --clients: 'curl', 'chromium', 'grpc-js'… */
  id: string;
  client: { name: string; version: string; library?: string };
  captured: { date: string; with: string; command?: string };
  policy: ClientPolicy;
  tls: {
    recordVersion: number;
    legacyVersion: number;
    /** supported_versions as sent (GREASE kept), or null when the hello has none. */
    supportedVersions: number[] | null;
    /** Versions the client can negotiate, highest first, names ('TLS 1.3'…). */
    versions: string[];
    cipherSuites: number[];
    cipherNames: string[];
    compressionMethods: number[];
    supportedGroups: number[];
    groupNames: string[];
    keyShareGroups: number[];
    signatureAlgorithms: number[];
    signatureNames: string[];
    /** Every extension in wire order, with its data. */
    extensions: ProfileExtension[];
    alpn: string[] | null;
    grease: boolean;
    /** Whether the hello to a host name carried server_name. */
    sni: 'sent' | 'not-sent';
    sessionIdLength: number;
    helloLength: number;
  } | null;
  /** The client's HTTP/2 opening over TLS (null when it did not speak h2 to the capture server). */
  h2: H2Opening | null;
  /** What the client did on a cleartext connection, when captured. */
  h2c?: { mode: 'prior-knowledge' | 'upgrade' | 'http1'; opening?: H2Opening };
  ja4: string | null;
  ja4Raw?: string | null;
}

/** The TLS part of a profile from a ClientHello handshake message (header included). Throws ParseError. */
export function tlsFromHello(message: Uint8Array, recordVersion: number): { tls: NonNullable<ClientProfile['tls']>; ja4: string; ja4Raw: string } {
  const h = parseClientHello(message);
  const sv = h.supportedVersions ? [...h.supportedVersions] : null;
  const real = (sv ?? [h.legacyVersion]).filter((v) => !isGrease(v));
  // Without supported_versions a client offers every version up to legacy_version (RFC 5246 §E.1); we note the maximum only.
  const versions = [...new Set(real)].sort((a, b) => b - a).map(versionName);
  const groups = [...(h.supportedGroups ?? [])];
  const sigs = [...(h.signatureAlgorithms ?? [])];
  const grease =
    h.cipherSuites.some(isGrease) || h.extensions.some((e) => isGrease(e.type)) || groups.some(isGrease) || (sv ?? []).some(isGrease);
  const parts = ja4Parts(h);
  return {
    tls: {
      recordVersion,
      legacyVersion: h.legacyVersion,
      supportedVersions: sv,
      versions,
      cipherSuites: [...h.cipherSuites],
      cipherNames: h.cipherSuites.map((c) => (isGrease(c) ? 'GREASE' : cipherSuiteName(c))),
      compressionMethods: [...h.compressionMethods],
      supportedGroups: groups,
      groupNames: groups.map((g) => (isGrease(g) ? 'GREASE' : groupName(g))),
      keyShareGroups: (h.keyShares ?? []).map((k) => k.group),
      signatureAlgorithms: sigs,
      signatureNames: sigs.map(sigSchemeName),
      extensions: h.extensions.map((e) => ({ type: e.type, name: isGrease(e.type) ? 'GREASE' : extensionName(e.type), data: Buffer.from(e.data).toString('hex') })),
      alpn: h.alpn ? [...h.alpn] : null,
      grease,
      sni: h.serverName !== undefined ? 'sent' : 'not-sent',
      sessionIdLength: h.sessionId.length,
      helloLength: message.length,
    },
    ja4: parts.ja4,
    ja4Raw: parts.raw,
  };
}

/** Thrown for a profile file that is not a profile; its message is one line for the user. */
export class ProfileError extends Error {}

const isNums = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff);

/**
 * Check parsed JSON is a profile this version reads. Throws ProfileError naming the first problem.
 *
 * @example
 * const p = checkProfile(JSON.parse(text));
 */
export function checkProfile(j: unknown, where = 'profile'): ClientProfile {
  const bad = (what: string): never => {
    throw new ProfileError(`${where}: ${what}`);
  };
  if (!j || typeof j !== 'object') return bad('not a JSON object');
  const p = j as Partial<ClientProfile>;
  if (p.schemaVersion !== PROFILE_SCHEMA_VERSION) return bad(`schemaVersion ${JSON.stringify(p.schemaVersion)} is not ${PROFILE_SCHEMA_VERSION}`);
  if (typeof p.id !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(p.id)) return bad('id must be a short lower-case name');
  if (!p.client || typeof p.client.name !== 'string' || typeof p.client.version !== 'string') return bad('client.name and client.version are required');
  if (!p.captured || typeof p.captured.date !== 'string') return bad('captured.date is required');
  const pol = p.policy;
  if (!pol || !['http1', 'h2c-prior-knowledge', 'h2c-upgrade'].includes(pol.cleartext) || typeof pol.needsH2 !== 'boolean' || typeof pol.refusesBlocklistedCipher !== 'boolean') {
    return bad('policy needs cleartext (http1 | h2c-prior-knowledge | h2c-upgrade), needsH2 and refusesBlocklistedCipher');
  }
  const t = p.tls;
  if (t !== null && t !== undefined) {
    if (!isNums(t.cipherSuites) || !t.cipherSuites.length) return bad('tls.cipherSuites must be a non-empty list of 16-bit codes');
    if (!isNums(t.supportedGroups) || !isNums(t.signatureAlgorithms) || !isNums(t.keyShareGroups)) return bad('tls groups, key-share groups and signature algorithms must be lists of 16-bit codes');
    if (!Array.isArray(t.extensions) || !t.extensions.every((e) => Number.isInteger(e?.type) && typeof e.data === 'string' && /^([0-9a-f]{2})*$/.test(e.data))) {
      return bad('tls.extensions must be a list of { type, data (hex) }');
    }
    if (t.alpn !== null && !(Array.isArray(t.alpn) && t.alpn.every((a) => typeof a === 'string'))) return bad('tls.alpn must be a list of strings or null');
    if (!Number.isInteger(t.legacyVersion)) return bad('tls.legacyVersion is required');
  } else if (t !== null) return bad('tls is required (null for a cleartext-only client)');
  return p as ClientProfile;
}

/** Does this profile offer h2 over TLS? */
export function offersH2(p: ClientProfile): boolean {
  return !!p.tls?.alpn?.includes('h2');
}
