/**
 * The RFC 7919 finite-field groups (ffdhe2048 … ffdhe8192), so a raw TLS 1.3 hello can hold a key
 * share for them and the survey can decrypt a flight that uses one (ALPN read on the same hello that
 * proves the group). The primes are not tabled: RFC 7919 Appendix A defines each from the digits of
 * e, p = 2^b − 2^(b−64) + (⌊2^(b−130)·e⌋ + X)·2^64 − 1, computed once on first use (well under 10 ms);
 * src/probes/tls/ffdhe.test.ts checks them against OpenSSL's own `group:ffdheNNNN` parameters.
 * The generator is 2.
 */

/** Bits and RFC 7919's X per group code (Appendix A.1–A.5). */
const FFDHE: Record<number, { bits: number; x: bigint }> = {
  0x0100: { bits: 2048, x: 560316n },
  0x0101: { bits: 3072, x: 2625351n },
  0x0102: { bits: 4096, x: 5736041n },
  0x0103: { bits: 6144, x: 15705020n },
  0x0104: { bits: 8192, x: 10965728n },
};

/**
 * Whether a named group is one of RFC 7919's.
 * @example isFfdhe(0x0100) // true (ffdhe2048)
 */
export function isFfdhe(group: number): boolean {
  return group in FFDHE;
}

/** ⌊e·2^bits⌋, from the series Σ 1/k! with 64 guard bits. */
function eTimes2Pow(bits: number): bigint {
  let term = 1n << BigInt(bits + 64);
  let sum = 0n;
  for (let k = 1n; term > 0n; k++) {
    sum += term;
    term /= k;
  }
  return sum >> 64n;
}

const primes = new Map<number, Uint8Array>();

/**
 * The prime of an RFC 7919 group, big-endian, `bits / 8` bytes; undefined for any other group.
 * @example ffdhePrime(0x0100)?.length // 256
 */
export function ffdhePrime(group: number): Uint8Array | undefined {
  const g = FFDHE[group];
  if (!g) return undefined;
  let p = primes.get(group);
  if (!p) {
    const b = BigInt(g.bits);
    const n = (1n << b) - (1n << (b - 64n)) + (eTimes2Pow(g.bits - 130) + g.x) * (1n << 64n) - 1n;
    p = new Uint8Array(Buffer.from(n.toString(16).padStart(g.bits / 4, '0'), 'hex'));
    primes.set(group, p);
  }
  return p;
}

/**
 * A big-endian value left-padded with zeros to `length` bytes (RFC 8446 §4.2.8.1 for the public value,
 * §7.4.1 for the shared secret).
 * @example leftPad(new Uint8Array([1]), 3) // Uint8Array [0, 0, 1]
 */
export function leftPad(v: Uint8Array, length: number): Uint8Array {
  if (v.length >= length) return v;
  const out = new Uint8Array(length);
  out.set(v, length - v.length);
  return out;
}
