/**
 * JA4 (FoxIO's TLS client fingerprint) of a ClientHello: `t13d1516h2_8daaf6152771_e5627efa2ab1`.
 * Pure: a parsed hello in, the string out. Facts from the JA4 technical details:
 * - a: transport (t = TCP), version (highest of supported_versions, else legacy_version), d/i for SNI present or not,
 *   cipher count and extension count (GREASE left out, SNI and ALPN counted, capped at 99), first and last character
 *   of the first ALPN value ('00' without ALPN);
 * - b: sha256 of the sorted cipher list (4-hex, comma-joined), first 12 hex characters ('000000000000' when empty);
 * - c: sha256 of the sorted extension list without SNI and ALPN, then '_' and the signature algorithms in wire order
 *   (no '_' when there are none), first 12 hex characters.
 *
 * @example
 * ja4(parseClientHello(message)); // 't13d1516h2_8daaf6152771_e5627efa2ab1'
 */
import { createHash } from 'node:crypto';
import type { ParsedClientHello } from './client-hello.js';
import { isGrease } from './registry.js';

const hex4 = (v: number) => v.toString(16).padStart(4, '0');
const hash12 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);
const count2 = (n: number) => String(Math.min(n, 99)).padStart(2, '0');

const VERSION_CODES: Record<number, string> = { 0x0304: '13', 0x0303: '12', 0x0302: '11', 0x0301: '10', 0x0300: 's3', 0x0200: 's2', 0x0100: 's1' };

/** The JA4 pieces, raw (sorted lists) and hashed. */
export interface Ja4Parts {
  a: string;
  ciphers: string;
  extensions: string;
  ja4: string;
  /** JA4_r: the raw, sorted form. */
  raw: string;
}

/**
 * JA4 and its raw form for a parsed ClientHello. `transport` is 't' (TCP) unless QUIC ('q').
 *
 * @example
 * ja4Parts(hello).raw; // 't13d1516h2_002f,0035,…_0005,000a,…_0403,0804,…'
 */
export function ja4Parts(h: ParsedClientHello, transport: 't' | 'q' = 't'): Ja4Parts {
  const versions = (h.supportedVersions ?? []).filter((v) => !isGrease(v));
  const version = versions.length ? Math.max(...versions) : h.legacyVersion;
  const sni = h.extensions.some((e) => e.type === 0x0000) ? 'd' : 'i';
  const ciphers = h.cipherSuites.filter((c) => !isGrease(c));
  const exts = h.extensions.map((e) => e.type).filter((t) => !isGrease(t));
  const first = h.alpn?.[0] ?? '';
  let alpn = '00';
  if (first.length > 0) {
    const a = first[0]!;
    const z = first[first.length - 1]!;
    // Later JA4 revisions: a non-alphanumeric first/last character is replaced by the hex of the value's ends.
    alpn = /[0-9A-Za-z]/.test(a) && /[0-9A-Za-z]/.test(z) ? a + z : (() => {
      const hx = Buffer.from(first, 'latin1').toString('hex');
      return hx[0]! + hx[hx.length - 1]!;
    })();
  }
  const a = `${transport}${VERSION_CODES[version] ?? '00'}${sni}${count2(ciphers.length)}${count2(exts.length)}${alpn}`;
  const cipherList = ciphers.map(hex4).sort().join(',');
  const extList = exts.filter((t) => t !== 0x0000 && t !== 0x0010).map(hex4).sort().join(',');
  const sigs = (h.signatureAlgorithms ?? []).filter((s) => !isGrease(s)).map(hex4).join(',');
  const extensions = sigs ? `${extList}_${sigs}` : extList;
  const b = cipherList ? hash12(cipherList) : '000000000000';
  const c = extList || sigs ? hash12(extensions) : '000000000000';
  return { a, ciphers: cipherList, extensions, ja4: `${a}_${b}_${c}`, raw: `${a}_${cipherList}_${extensions}` };
}

/** JA4 of a parsed ClientHello. */
export function ja4(h: ParsedClientHello, transport: 't' | 'q' = 't'): string {
  return ja4Parts(h, transport).ja4;
}
