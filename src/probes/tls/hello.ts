/**
 * ClientHello profiles for the raw probes: Node's own hello (what `tls-default` sent, captured),
 * the widest hello we can offer, and the narrowings and single-parameter hellos the bisection and
 * the survey are made of. A profile is plain data; `buildHello` turns it into bytes plus the
 * private keys needed to decrypt a TLS 1.3 answer.
 */
import { createDiffieHellman, createECDH, generateKeyPairSync, randomBytes, type DiffieHellman, type KeyObject } from 'node:crypto';
import { buildClientHello, parseClientHello, type BuiltClientHello } from '../../wire/tls/client-hello.js';
import { parseRecords } from '../../wire/tls/record.js';
import { CIPHER_SUITES, NAMED_GROUPS, SIGNATURE_SCHEMES, TLS_VERSION_TABLE, cipherSuiteName, groupName, nodeVersionName, type NodeVersionName } from '../../wire/tls/registry.js';
import { captureNodeClientHello } from '../../transport/raw-tls.js';
import type { RawHelloOffer } from '../../model/tls-probes.js';
import { ffdhePrime, leftPad } from './ffdhe.js';

/**
 * Protocol versions by their wire codes.
 * @example versionLabel(V.TLS12) // 'TLSv1.2'
 */
export const V = { SSL3: 0x0300, TLS10: 0x0301, TLS11: 0x0302, TLS12: 0x0303, TLS13: 0x0304 } as const;

/**
 * One ClientHello, as parameters.
 * @example const spec: HelloSpec = { versions: [V.TLS12], ciphers: TLS13_CIPHERS, groups: [0x001d], sigalgs: ALL_SIGALGS, alpn: NODE_ALPN, sni: 'example.com' };
 */
export interface HelloSpec {
  /** Versions offered, any order (sorted highest first when sent). */
  versions: number[];
  ciphers: number[];
  groups: number[];
  sigalgs: number[];
  /** null: no ALPN extension. */
  alpn: string[] | null;
  /** null: no SNI. */
  sni: string | null;
  /** Groups to send a key share for (TLS 1.3); default: the first of x25519 / secp256r1 offered. */
  keyShareGroups?: number[];
}

/** Groups we can make key shares for (and so decrypt a TLS 1.3 flight with): the curves node:crypto has, and RFC 7919's groups (ffdhe.ts). */
const KEYABLE: Record<number, 'x25519' | 'x448' | 'prime256v1' | 'secp384r1' | 'secp521r1' | 'ffdhe'> = {
  0x001d: 'x25519',
  0x001e: 'x448',
  0x0017: 'prime256v1',
  0x0018: 'secp384r1',
  0x0019: 'secp521r1',
  0x0100: 'ffdhe',
  0x0101: 'ffdhe',
  0x0102: 'ffdhe',
  0x0103: 'ffdhe',
  0x0104: 'ffdhe',
};

/**
 * The private half of a key share: a key object (X25519, X448), an ECDH, or a DiffieHellman over an RFC 7919 prime.
 * @example const k: SharePrivate = makeShare(0x0100)!.priv;
 */
export type SharePrivate = KeyObject | ReturnType<typeof createECDH> | DiffieHellman;

/**
 * A named group's code from its registry name ('x25519' → 0x001d); undefined for names outside the registry.
 * @example groupCode('x25519') // 0x001d
 */
export function groupCode(name: string): number | undefined {
  return (NAMED_GROUPS as Record<string, number>)[name];
}

/**
 * The ALPN list Node offers by default, and so the one the raw probes mirror.
 * @example ({ ...spec, alpn: NODE_ALPN }) // ['h2', 'http/1.1']
 */
export const NODE_ALPN: string[] = ['h2', 'http/1.1'];

/**
 * Whether we can make a key share for a group (and so decrypt a TLS 1.3 flight that uses it).
 * @example canKeyShare(0x001d) // true (x25519)
 */
export function canKeyShare(group: number): boolean {
  return group in KEYABLE;
}

/**
 * TLS 1.3 suites (RFC 8446 §B.4 and the CCM ones).
 * @example ciphersFor(V.TLS13) // TLS13_CIPHERS
 */
export const TLS13_CIPHERS: number[] = CIPHER_SUITES.filter((c) => c.tls13).map((c) => c.code);
/**
 * Every real suite usable below TLS 1.3, from the whole IANA registry (legacy ones included).
 * @example ({ ...spec, versions: [V.TLS10], ciphers: LEGACY_CIPHERS })
 */
export const LEGACY_CIPHERS: number[] = CIPHER_SUITES.filter((c) => !c.tls13 && !c.scsv && c.code !== 0).map((c) => c.code);
/**
 * Every named group worth offering (explicit-curve markers left out).
 * @example widestHello('example.com').groups.length === ALL_GROUPS.length
 */
export const ALL_GROUPS: number[] = Object.values(NAMED_GROUPS).filter((g) => g < 0xff00);
/**
 * Every signature scheme, plus the TLS 1.2 hash/signature pairs (sha224, md5) old servers still use.
 * @example ({ ...spec, sigalgs: ALL_SIGALGS })
 */
export const ALL_SIGALGS: number[] = [...Object.values(SIGNATURE_SCHEMES), 0x0301, 0x0302, 0x0303, 0x0101, 0x0102, 0x0402, 0x0502, 0x0602, 0x0202];

/** The hello Node sends (ALPN h2, http/1.1), as a spec; read once per process. */
let nodeHello: Promise<Omit<HelloSpec, 'sni' | 'alpn'>> | undefined;
/**
 * Node's own ClientHello parameters, read once from a hello Node really sends.
 * @example const base = await nodeDefaultHello(); // Node's own versions, suites, groups and signature schemes
 */
export function nodeDefaultHello(): Promise<Omit<HelloSpec, 'sni' | 'alpn'>> {
  nodeHello ??= (async () => {
    const record = await captureNodeClientHello({ alpn: NODE_ALPN, sni: 'h2doctor.invalid' });
    try {
      const rec = parseRecords(record).records[0]!;
      const ch = parseClientHello(rec.body);
      return {
        versions: ch.supportedVersions ? [...ch.supportedVersions] : [ch.legacyVersion],
        ciphers: ch.cipherSuites.filter((c) => c !== 0x00ff),
        groups: [...(ch.supportedGroups ?? [])],
        sigalgs: [...(ch.signatureAlgorithms ?? [])],
      };
    } catch {
      // Should not happen; fall back to what OpenSSL 3 offers by default.
      return { versions: [V.TLS13, V.TLS12], ciphers: [0x1302, 0x1303, 0x1301, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8], groups: [0x1d, 0x17, 0x1e, 0x19, 0x18], sigalgs: [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601] };
    }
  })();
  return nodeHello;
}

/**
 * The widest hello: TLS 1.0–1.3, every suite, every group, every signature scheme, no ALPN.
 * @example widestHello('example.com').versions // [V.TLS13, V.TLS12, V.TLS11, V.TLS10]
 */
export function widestHello(sni: string | null): HelloSpec {
  return { versions: [V.TLS13, V.TLS12, V.TLS11, V.TLS10], ciphers: [...TLS13_CIPHERS, ...LEGACY_CIPHERS], groups: [...ALL_GROUPS], sigalgs: [...ALL_SIGALGS], alpn: null, sni };
}

/**
 * A ClientHello built from a spec, with the private keys of its key shares.
 * @example const h: BuiltHello = buildHello(spec); socket.write(h.record);
 */
export interface BuiltHello extends BuiltClientHello {
  /** Private keys of the key shares we sent, by group. */
  keys: Map<number, { kind: string; priv: SharePrivate }>;
}

/**
 * A fresh key share for a group we can compute with (undefined for others).
 * @example makeShare(0x001d)?.kind
 */
export function makeShare(group: number): { pub: Uint8Array; priv: SharePrivate; kind: string } | undefined {
  const kind = KEYABLE[group];
  if (!kind) return undefined;
  if (kind === 'ffdhe') {
    // RFC 8446 §4.2.8.1: Y = g^X mod p, big-endian, left-padded with zeros to the size of p.
    const p = ffdhePrime(group)!;
    const dh = createDiffieHellman(p, 2);
    return { pub: leftPad(new Uint8Array(dh.generateKeys()), p.length), priv: dh, kind };
  }
  if (kind === 'x25519' || kind === 'x448') {
    const { privateKey, publicKey } = kind === 'x25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('x448');
    const pub = new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'));
    return { pub, priv: privateKey, kind };
  }
  const ecdh = createECDH(kind);
  return { pub: new Uint8Array(ecdh.generateKeys()), priv: ecdh, kind };
}

/**
 * Bytes for a spec. TLS 1.3 (or any non-contiguous version set) goes in supported_versions; older
 * sets use legacy_version alone, as the clients of that time did. SSL 3.0 alone sends no extensions.
 *
 * @example
 * const h = buildHello({ versions: [0x0303], ciphers: [0xc02f], groups: [0x1d], sigalgs: [0x0804], alpn: ['h2'], sni: 'example.com' });
 */
export function buildHello(spec: HelloSpec): BuiltHello {
  const versions = [...new Set(spec.versions)].sort((a, b) => b - a);
  const max = versions[0] ?? V.TLS12;
  const keys: BuiltHello['keys'] = new Map();
  if (max === V.SSL3) {
    // SSL 3.0 (RFC 6101): no extensions at all.
    const built = buildClientHello({ random: randomBytes(32), legacyVersion: V.SSL3, recordVersion: V.SSL3, cipherSuites: [...spec.ciphers, 0x00ff] });
    return { ...built, keys };
  }
  const contiguous = versions.every((v, i) => i === 0 || versions[i - 1]! - v === 1);
  const useSupportedVersions = max >= V.TLS13 || !contiguous;
  const shares: Array<{ group: number; keyExchange: Uint8Array }> = [];
  if (max >= V.TLS13) {
    const dflt = spec.groups.find((g) => g === 0x001d) ?? spec.groups.find((g) => g === 0x0017);
    const want: number[] = spec.keyShareGroups ?? (dflt === undefined ? [] : [dflt]);
    for (const g of want) {
      const s = makeShare(g);
      if (!s) continue;
      keys.set(g, { kind: s.kind, priv: s.priv });
      shares.push({ group: g, keyExchange: s.pub });
    }
  }
  const built = buildClientHello({
    random: randomBytes(32),
    // RFC 8446 §4.1.2: a TLS 1.3 hello says 0x0303 here and lists versions in supported_versions.
    legacyVersion: useSupportedVersions ? Math.min(max, V.TLS12) : max,
    recordVersion: V.TLS10,
    sessionId: randomBytes(32),
    cipherSuites: spec.ciphers,
    ...(spec.sni ? { serverName: spec.sni } : {}),
    extendedMasterSecret: true,
    renegotiationInfo: true,
    ...(spec.groups.length ? { supportedGroups: spec.groups, ecPointFormats: [0] } : {}),
    sessionTicket: true,
    ...(spec.alpn ? { alpn: spec.alpn } : {}),
    statusRequest: true,
    // RFC 5246 §7.4.1.4.1: signature_algorithms exists from TLS 1.2 on.
    ...(max >= V.TLS12 && spec.sigalgs.length ? { signatureAlgorithms: spec.sigalgs } : {}),
    ...(max >= V.TLS13 ? { keyShares: shares, pskKeyExchangeModes: [1] } : {}),
    ...(useSupportedVersions ? { supportedVersions: versions } : {}),
  });
  return { ...built, keys };
}

/**
 * The offer in words, for evidence.
 * @example describeOffer(spec).versions // ['TLSv1.2']
 */
export function describeOffer(spec: HelloSpec): RawHelloOffer {
  const versions = [...new Set(spec.versions)].sort((a, b) => b - a).map(versionLabel);
  return {
    versions,
    cipherCount: spec.ciphers.length,
    ...(spec.ciphers.length <= 12 ? { ciphers: spec.ciphers.map(cipherSuiteName) } : {}),
    groups: spec.groups.length <= 12 ? spec.groups.map(groupName) : [`${spec.groups.length} groups`],
    sigalgCount: spec.sigalgs.length,
    alpn: spec.alpn,
    sni: spec.sni,
  };
}

/**
 * Node's names for versions: 'TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1', 'SSLv3' (wire/tls/registry.ts's table).
 * @example versionLabel(0x0301) // 'TLSv1'
 */
export function versionLabel(v: number): string {
  return nodeVersionName(v);
}

/**
 * Node's name of a version of the table, typed (the survey's labels are built from it); a version
 * outside the table is a bug of the caller.
 * @example tableVersionName(V.TLS12) // 'TLSv1.2'
 */
export function tableVersionName(v: number): NodeVersionName {
  const e = TLS_VERSION_TABLE.find((x) => x.code === v);
  if (!e) throw new RangeError(`not a version of TLS_VERSION_TABLE: 0x${v.toString(16)}`);
  return e.node;
}

/**
 * Suites a version can negotiate: TLS 1.3 has its own; older versions every suite from their minimum.
 * @example ciphersFor(V.TLS13).length // 15 (every TLS 1.3 suite of the registry)
 */
export function ciphersFor(version: number): number[] {
  if (version === V.TLS13) return [...TLS13_CIPHERS];
  return CIPHER_SUITES.filter((c) => !c.tls13 && !c.scsv && c.code !== 0 && c.minVersion <= version).map((c) => c.code);
}
