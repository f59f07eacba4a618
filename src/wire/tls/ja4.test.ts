import { describe, expect, it } from 'vitest';
import { buildClientHello, parseClientHello } from './client-hello.js';
import { ja4Parts } from './ja4.js';

// The worked example of the JA4 technical details (FoxIO): its cipher and extension lists, its hashes.
const CIPHERS = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
const EXTS = [0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015];
const SIGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

function example(o: { sigalgs?: boolean; grease?: boolean } = {}) {
  const data = (t: number): Uint8Array => {
    if (t === 0x0000) return Uint8Array.of(0, 14, 0, 0, 11, ...Buffer.from('example.com'));
    if (t === 0x0010) return Uint8Array.of(0, 12, 2, 0x68, 0x32, 8, ...Buffer.from('http/1.1'));
    if (t === 0x002b) return Uint8Array.of(4, 3, 4, 3, 3);
    if (t === 0x000d) return o.sigalgs === false ? Uint8Array.of(0, 0) : Uint8Array.of(0, 16, ...SIGS.flatMap((s) => [s >> 8, s & 0xff]));
    if (t === 0x0033) return Uint8Array.of(0, 0);
    if (t === 0x002d) return Uint8Array.of(1, 1);
    if (t === 0x000a) return Uint8Array.of(0, 2, 0, 0x1d);
    if (t === 0x000b) return Uint8Array.of(1, 0);
    if (t === 0x0005) return Uint8Array.of(1, 0, 0, 0, 0);
    if (t === 0xff01) return Uint8Array.of(0);
    return new Uint8Array(0);
  };
  const exts = EXTS.filter((t) => !(o.sigalgs === false && t === 0x000d)).map((type) => ({ type, data: data(type) }));
  const { message } = buildClientHello({
    random: new Uint8Array(32),
    cipherSuites: o.grease ? [0x0a0a, ...CIPHERS] : CIPHERS,
    extraExtensions: o.grease ? [{ type: 0x1a1a, data: new Uint8Array(0) }, ...exts] : exts,
  });
  return parseClientHello(message);
}

describe('ja4', () => {
  it('gives the worked example of the JA4 specification', () => {
    const p = ja4Parts(example());
    expect(p.ciphers).toBe('002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9');
    expect(p.extensions).toBe('0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601');
    expect(p.ja4).toBe('t13d1516h2_8daaf6152771_e5627efa2ab1');
  });
  it('ignores GREASE in every list', () => {
    expect(ja4Parts(example({ grease: true })).ja4).toBe('t13d1516h2_8daaf6152771_e5627efa2ab1');
  });
  it('hashes the extension list alone when there are no signature algorithms (spec: 6d807ffa2a79)', () => {
    // Without signature_algorithms the hello has 15 extensions; the list no longer holds 000d.
    const p = ja4Parts(example({ sigalgs: false }));
    expect(p.extensions).toBe('0005,000a,000b,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01');
    expect(p.ja4.startsWith('t13d1515h2_8daaf6152771_')).toBe(true);
  });
  it('spec vector for the sigalg-less hash', async () => {
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update('0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01').digest('hex').slice(0, 12)).toBe('6d807ffa2a79');
  });
  it('says i without SNI and 00 without ALPN, and uses legacy_version without supported_versions', () => {
    const { message } = buildClientHello({ random: new Uint8Array(32), cipherSuites: [0xc02f], legacyVersion: 0x0303 });
    expect(ja4Parts(parseClientHello(message)).a).toBe('t12i010000');
  });
});
