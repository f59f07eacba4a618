/**
 * The server's handshake flight as the trace received it, read for what Node's error does not say:
 * a handshake message the server began and never finished. A Certificate message of megabytes is
 * named from its header (RFC 8446 §4 / RFC 5246 §7.4: type, then a 24-bit length), in the clear
 * under TLS ≤ 1.2, decrypted under TLS 1.3 with the server handshake secret of the trace's key log.
 * The result is a raw hello's record (src/model/tls-probes.ts), so the diagnosis rules read it as
 * `diagnose`'s raw probes.
 */
import type { RawTlsResult } from '../model/tls-probes.js';
import { secretFrom } from '../transport/served-chain.js';
import { summarizeServerFlight } from '../wire/tls/server-flight.js';
import { readFlightWithSecret } from '../wire/tls/encrypted-flight.js';
import type { ParsedClientHello } from '../wire/tls/client-hello.js';
import { cipherSuiteName, groupName, handshakeTypeName, isGrease, nodeVersionName } from '../wire/tls/registry.js';

/** Bytes of the server's flight read at most (its first records hold the header of a message of any size). */
export const FLIGHT_BYTES = 64 * 1024;

/**
 * What the traced handshake's server flight left unfinished, as a raw hello's result; undefined when
 * nothing was left unfinished or it cannot be read (no ServerHello, TLS 1.3 without the key log).
 * @example unfinishedFlight(inbound, rec.keylog, ch)?.unfinished // { type: 'certificate', length: 5773018 }
 */
export function unfinishedFlight(inbound: Uint8Array, keylog: readonly string[], ch: ParsedClientHello | undefined): RawTlsResult | undefined {
  const s = summarizeServerFlight(inbound, { maxBytes: FLIGHT_BYTES });
  const sh = s.serverHello;
  if (!sh || sh.isHelloRetryRequest) return undefined;
  let unfinished = s.unfinished;
  if (sh.version >= 0x0304) {
    const secret = secretFrom(keylog, 'SERVER_HANDSHAKE_TRAFFIC_SECRET');
    unfinished = secret ? readFlightWithSecret({ cipherSuite: sh.cipherSuite, serverHandshakeTrafficSecret: secret, records: s.encryptedRecords, maxCertificates: 1 }).unfinished : undefined;
  }
  if (!unfinished) return undefined;
  return {
    offer: offerOf(ch),
    outcome: 'server-hello',
    versionCode: sh.version,
    version: nodeVersionName(sh.version),
    cipherCode: sh.cipherSuite,
    cipher: cipherSuiteName(sh.cipherSuite),
    ...(sh.keyShare ? { group: groupName(sh.keyShare.group) } : {}),
    unfinished: { type: handshakeTypeName(unfinished.type), length: unfinished.length },
  };
}

/** Our ClientHello in a raw hello's words. */
function offerOf(ch: ParsedClientHello | undefined): RawTlsResult['offer'] {
  if (!ch) return { versions: [], cipherCount: 0, groups: [], sigalgCount: 0, alpn: null, sni: null };
  const ciphers = ch.cipherSuites.filter((c) => !isGrease(c));
  return {
    versions: (ch.supportedVersions ?? [ch.legacyVersion]).filter((v) => !isGrease(v)).map(nodeVersionName),
    cipherCount: ciphers.length,
    ...(ciphers.length <= 12 ? { ciphers: ciphers.map(cipherSuiteName) } : {}),
    groups: (ch.supportedGroups ?? []).filter((g) => !isGrease(g)).map(groupName),
    sigalgCount: ch.signatureAlgorithms?.length ?? 0,
    alpn: ch.alpn ? [...ch.alpn] : null,
    sni: ch.serverName ?? null,
  };
}
