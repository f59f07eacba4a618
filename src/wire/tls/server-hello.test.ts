import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, fromHex, toHex } from '../bytes.js';
import {
  DOWNGRADE_TLS11,
  DOWNGRADE_TLS12,
  HRR_RANDOM,
  buildServerHello,
  downgradeSentinel,
  isHelloRetryRequest,
  parseServerHello,
  parseServerHelloBody,
  type ServerHelloOptions,
} from './server-hello.js';
import { RFC8448_SERVER_HELLO, RFC8448_SERVER_HELLO_RECORD, valueOrParseError } from '../../../test/wire-helpers.js';

describe('parseServerHello: RFC 8448 §3', () => {
  it('parses every field of the trace', () => {
    const sh = parseServerHello(RFC8448_SERVER_HELLO);
    expect(sh.legacyVersion).toBe(0x0303);
    expect(sh.version).toBe(0x0304);
    expect(sh.supportedVersion).toBe(0x0304);
    expect(toHex(sh.random)).toBe('a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928');
    expect(sh.sessionId.length).toBe(0);
    expect(sh.cipherSuite).toBe(0x1301);
    expect(sh.cipher?.name).toBe('TLS_AES_128_GCM_SHA256');
    expect(sh.compressionMethod).toBe(0);
    expect(sh.extensions.map((e) => e.type)).toEqual([51, 43]);
    expect(sh.keyShare?.group).toBe(0x001d);
    expect(toHex(sh.keyShare!.keyExchange)).toBe('c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f');
    expect(sh.isHelloRetryRequest).toBe(false);
    expect(sh.downgrade).toBeUndefined();
    expect(sh.alpn).toBeUndefined();
  });

  it('rebuilds the trace byte for byte', () => {
    const built = buildServerHello({
      random: fromHex('a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928'),
      cipherSuite: 0x1301,
      keyShare: { group: 0x001d, keyExchange: fromHex('c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f') },
      supportedVersion: 0x0304,
    });
    expect(toHex(built.record)).toBe(toHex(RFC8448_SERVER_HELLO_RECORD));
  });
});

describe('HelloRetryRequest and downgrade sentinels (RFC 8446 §4.1.3)', () => {
  it('recognises an HRR and its selected group and cookie', () => {
    // HRR: legacy_version 0303, the special random, no session id, TLS_AES_128_GCM_SHA256, supported_versions 1.3,
    // key_share selected_group secp256r1, cookie 'abc'
    const hrr = fromHex(`020000 3d 0303 ${toHex(HRR_RANDOM)} 00 1301 00 0015 002b00020304 003300020017 002c0005 0003616263`);
    const sh = parseServerHello(hrr);
    expect(sh.isHelloRetryRequest).toBe(true);
    expect(sh.hrrSelectedGroup).toBe(0x0017);
    expect(sh.keyShare).toBeUndefined();
    expect(sh.version).toBe(0x0304);
    expect(Array.from(sh.cookie!)).toEqual([0x61, 0x62, 0x63]);
    expect(isHelloRetryRequest(HRR_RANDOM)).toBe(true);
    expect(isHelloRetryRequest(new Uint8Array(32))).toBe(false);
    const built = buildServerHello({ random: HRR_RANDOM, cipherSuite: 0x1301, supportedVersion: 0x0304, selectedGroup: 0x0017, cookie: fromHex('616263') });
    expect(parseServerHello(built.message)).toMatchObject({ isHelloRetryRequest: true, hrrSelectedGroup: 0x0017 });
  });

  it('detects DOWNGRD\\x01 and DOWNGRD\\x00', () => {
    const r12 = concat([new Uint8Array(24).fill(5), DOWNGRADE_TLS12]);
    const r11 = concat([new Uint8Array(24).fill(5), DOWNGRADE_TLS11]);
    expect(new TextDecoder().decode(DOWNGRADE_TLS12.subarray(0, 7))).toBe('DOWNGRD');
    expect(downgradeSentinel(r12)).toBe('tls12');
    expect(downgradeSentinel(r11)).toBe('tls11');
    expect(downgradeSentinel(new Uint8Array(32))).toBeUndefined();
    expect(parseServerHello(buildServerHello({ random: r12, cipherSuite: 0xc02f }).message).downgrade).toBe('tls12');
  });
});

describe('TLS 1.2 ServerHello', () => {
  it('reads ALPN, renegotiation_info, EMS, OCSP, SNI ack, point formats, ticket', () => {
    const built = buildServerHello({
      random: new Uint8Array(32).fill(1),
      sessionId: new Uint8Array(32).fill(2),
      cipherSuite: 0xc02f,
      alpn: 'h2',
      renegotiationInfo: true,
      extendedMasterSecret: true,
      statusRequest: true,
      sniAck: true,
      ecPointFormats: [0],
      sessionTicket: true,
    });
    const sh = parseServerHello(built.message);
    expect(sh).toMatchObject({
      version: 0x0303,
      cipherSuite: 0xc02f,
      alpn: 'h2',
      alpnProtocols: ['h2'],
      extendedMasterSecret: true,
      statusRequest: true,
      sniAck: true,
      ecPointFormats: [0],
      sessionTicket: true,
    });
    expect(sh.cipher?.openssl).toBe('ECDHE-RSA-AES128-GCM-SHA256');
    expect(sh.renegotiationInfo?.length).toBe(0);
    expect(sh.sessionId.length).toBe(32);
  });

  it('accepts a ServerHello without an extension block (SSL 3.0 / TLS 1.0 servers)', () => {
    const sh = parseServerHello(fromHex(`020000 26 0300 ${'11'.repeat(32)} 00 000a 00`));
    expect(sh).toMatchObject({ version: 0x0300, cipherSuite: 0x000a, extensions: [] });
    expect(sh.cipher?.insecure).toBe(true);
  });

  it('rejects a non-empty extended_master_secret and a different message', () => {
    const bad = buildServerHello({ random: new Uint8Array(32), cipherSuite: 0xc02f, extraExtensions: [{ type: 23, data: Uint8Array.of(0) }] });
    expect(() => parseServerHello(bad.message)).toThrow(expect.objectContaining({ code: 'invalid' }));
    expect(() => parseServerHello(fromHex('01000000'))).toThrow(expect.objectContaining({ code: 'unexpected-value' }));
  });
});

describe('ServerHello properties', () => {
  const optsArb: fc.Arbitrary<ServerHelloOptions> = fc.record(
    {
      random: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      sessionId: fc.uint8Array({ maxLength: 32 }),
      cipherSuite: fc.integer({ min: 0, max: 0xffff }),
      supportedVersion: fc.integer({ min: 0, max: 0xffff }),
      keyShare: fc.record({ group: fc.integer({ min: 0, max: 0xffff }), keyExchange: fc.uint8Array({ minLength: 1, maxLength: 65 }) }),
      alpn: fc.stringMatching(/^[a-z0-9/.]{1,10}$/),
      renegotiationInfo: fc.boolean(),
      extendedMasterSecret: fc.boolean(),
      statusRequest: fc.boolean(),
      sniAck: fc.boolean(),
      ecPointFormats: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 3 }),
      sessionTicket: fc.boolean(),
    },
    { requiredKeys: ['random', 'cipherSuite'] },
  );

  it('property: parse(build(opts)) gives back the options', () => {
    fc.assert(
      fc.property(optsArb, (o) => {
        const sh = parseServerHello(buildServerHello(o).message);
        expect(sh.cipherSuite).toBe(o.cipherSuite);
        expect(sh.version).toBe(o.supportedVersion ?? 0x0303);
        expect(sh.alpn).toBe(o.alpn);
        expect(sh.keyShare?.group).toBe(o.keyShare?.group);
        expect(sh.extendedMasterSecret).toBe(!!o.extendedMasterSecret);
        expect(sh.sniAck).toBe(!!o.sniAck);
        expect(sh.ecPointFormats).toEqual(o.ecPointFormats);
      }),
      { numRuns: 300 },
    );
  });

  it('property: random, mutated and truncated bytes give a ServerHello or a ParseError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), optsArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 5 }), fc.nat(), (bytes, o, flips, cut) => {
        valueOrParseError(() => parseServerHello(bytes));
        valueOrParseError(() => parseServerHelloBody(bytes));
        const msg = buildServerHello(o).message.slice();
        for (const [pos, v] of flips) msg[pos % msg.length] = v;
        valueOrParseError(() => parseServerHello(msg));
        valueOrParseError(() => parseServerHello(msg.subarray(0, cut % (msg.length + 1))));
      }),
      { numRuns: 300 },
    );
  });
});
