/**
 * A client profile's ClientHello, replayed: the captured extensions in their captured order with
 * their captured data, except what must be fresh or follow the target: a new random and session
 * id, new key shares (so a TLS 1.3 answer can be decrypted and its ALPN read), the target's SNI,
 * no PSK or early data (nothing to resume), and padding recomputed to the captured length.
 */
import { randomBytes } from 'node:crypto';
import { buildClientHello, type RawExtension } from '../../wire/tls/client-hello.js';
import { encodeServerName } from '../../wire/tls/extensions.js';
import { decodeKeyShareClient, encodeKeyShareClient } from '../../wire/tls/key-share.js';
import { EXTENSION_TYPES as X, isGrease } from '../../wire/tls/registry.js';
import type { ClientProfile } from '../../clients/profile.js';
import { V, makeShare, type BuiltHello, type HelloSpec } from '../tls/hello.js';

const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

/**
 * Build the profile's hello for `sni` (null: none, as every client does for an IP literal).
 * Throws RangeError when the profile has no TLS part.
 *
 * @example
 * const h = helloFromProfile(findProfile('curl'), 'example.com'); socket.write(h.record);
 */
export function helloFromProfile(p: ClientProfile, sni: string | null): BuiltHello {
  const t = p.tls;
  if (!t) throw new RangeError(`profile ${p.id} has no TLS hello`);
  const keys: BuiltHello['keys'] = new Map();
  const exts: RawExtension[] = [];
  let padded = false;
  for (const e of t.extensions) {
    const data = fromHex(e.data);
    switch (e.type) {
      case X.server_name:
        if (sni) exts.push({ type: e.type, data: encodeServerName(sni) });
        break;
      case X.key_share: {
        // RFC 8446 §4.2.8: one share per group, in the client's order; ours are fresh.
        const shares = decodeKeyShareClient(data).map((k) => {
          const s = isGrease(k.group) ? undefined : makeShare(k.group);
          if (!s) return { group: k.group, keyExchange: isGrease(k.group) ? k.keyExchange : new Uint8Array(randomBytes(k.keyExchange.length)) };
          keys.set(k.group, { kind: s.kind, priv: s.priv });
          return { group: k.group, keyExchange: s.pub };
        });
        exts.push({ type: e.type, data: encodeKeyShareClient(shares) });
        break;
      }
      case X.pre_shared_key:
      case X.early_data:
        break;
      case X.session_ticket:
        exts.push({ type: e.type, data: new Uint8Array(0) });
        break;
      case X.padding:
        padded = true;
        break;
      default:
        exts.push({ type: e.type, data });
    }
  }
  return {
    ...buildClientHello({
      random: randomBytes(32),
      legacyVersion: t.legacyVersion,
      recordVersion: t.recordVersion,
      sessionId: randomBytes(t.sessionIdLength),
      cipherSuites: t.cipherSuites,
      compressionMethods: t.compressionMethods,
      extraExtensions: exts,
      // RFC 7685: padding keeps the hello at the captured length (clients pad around the 256–511 byte F5 bug).
      ...(padded ? { padding: { toLength: t.helloLength } } : {}),
    }),
    keys,
  };
}

/**
 * The profile's parameters as a hello spec, GREASE left out: where the bisection starts from.
 * @example bisect(ctx, raw, specFromProfile(profile)) // narrows from the client's own offer
 */
export function specFromProfile(p: ClientProfile): Omit<HelloSpec, 'sni'> {
  const t = p.tls!;
  const real = (l: readonly number[]) => l.filter((x) => !isGrease(x));
  const versions = t.supportedVersions ? real(t.supportedVersions) : legacyRange(t.legacyVersion);
  const keyable = real(t.keyShareGroups);
  return {
    versions,
    ciphers: real(t.cipherSuites).filter((c) => c !== 0x00ff && c !== 0x5600),
    groups: real(t.supportedGroups),
    sigalgs: real(t.signatureAlgorithms),
    alpn: t.alpn ? [...t.alpn] : null,
    ...(keyable.length ? { keyShareGroups: keyable } : {}),
  };
}

/** Without supported_versions a client offers every version from TLS 1.0 up to legacy_version (RFC 5246 §E.1). */
function legacyRange(max: number): number[] {
  const out: number[] = [];
  for (let v = max; v >= V.TLS10; v--) out.push(v);
  return out;
}
