/**
 * RFC 7919's primes as computed here against OpenSSL's own named groups (`openssl genpkey -genparam
 * -algorithm DH -pkeyopt group:ffdheNNNN`), and a key exchange with Node's DiffieHellman over them.
 */
import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createDiffieHellman } from 'node:crypto';
import { ffdhePrime, isFfdhe, leftPad } from './ffdhe.js';

const openssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The prime OpenSSL holds for a named group, from the PEM parameters it writes. */
function opensslPrime(bits: number): string {
  const pem = execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', `group:ffdhe${bits}`, '-outform', 'PEM'], { encoding: 'utf8' });
  const asn1 = execFileSync('openssl', ['asn1parse'], { input: pem, encoding: 'utf8' });
  const m = /prim:\s*INTEGER\s*:([0-9A-F]+)/.exec(asn1);
  if (!m) throw new Error(`no prime in ${asn1}`);
  return m[1]!.toLowerCase();
}

describe('RFC 7919 groups', () => {
  test.skipIf(!openssl && !process.env.CI)('the primes equal OpenSSL\'s ffdhe2048 … ffdhe8192', () => {
    for (const [code, bits] of [[0x0100, 2048], [0x0101, 3072], [0x0102, 4096], [0x0103, 6144], [0x0104, 8192]] as const) {
      const p = ffdhePrime(code)!;
      expect(p.length).toBe(bits / 8);
      expect(Buffer.from(p).toString('hex')).toBe(opensslPrime(bits));
    }
  });

  test('a key exchange over ffdhe2048 agrees on both sides; other groups have no prime', () => {
    const p = ffdhePrime(0x0100)!;
    const a = createDiffieHellman(p, 2);
    const b = createDiffieHellman(p, 2);
    const pa = leftPad(new Uint8Array(a.generateKeys()), p.length);
    const pb = leftPad(new Uint8Array(b.generateKeys()), p.length);
    expect(leftPad(new Uint8Array(a.computeSecret(pb)), p.length)).toEqual(leftPad(new Uint8Array(b.computeSecret(pa)), p.length));
    expect(isFfdhe(0x001d)).toBe(false);
    expect(ffdhePrime(0x001d)).toBeUndefined();
    expect(leftPad(new Uint8Array([1]), 3)).toEqual(new Uint8Array([0, 0, 1]));
  });
});
