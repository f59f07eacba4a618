import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError, fromHex, toHex } from '../bytes.js';
import { buildClientHello, parseClientHello, parseClientHelloBody, type ClientHelloOptions } from './client-hello.js';
import { EXTENSION_TYPES, isGrease } from './registry.js';
import { RFC8448_CLIENT_HELLO, RFC8448_CLIENT_HELLO_RECORD, RFC8448_CLIENT_X25519_PUBLIC, valueOrParseError } from '../../../test/wire-helpers.js';

/** RFC 8448 §3 "Simple 1-RTT Handshake" (the ClientHello itself is in test/wire-helpers.ts). */
const RFC8448_CLIENT_RANDOM = fromHex('cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7');
const RFC8448_SIG_ALGS = [0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0402, 0x0502, 0x0602, 0x0202];
const RFC8448_GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104];

describe('parseClientHello: RFC 8448 §3', () => {
  it('parses every field of the trace', () => {
    const ch = parseClientHello(RFC8448_CLIENT_HELLO);
    expect(ch.legacyVersion).toBe(0x0303);
    expect(toHex(ch.random)).toBe(toHex(RFC8448_CLIENT_RANDOM));
    expect(ch.sessionId.length).toBe(0);
    expect(ch.cipherSuites).toEqual([0x1301, 0x1303, 0x1302]);
    expect(ch.compressionMethods).toEqual([0]);
    expect(ch.extensions.map((e) => e.type)).toEqual([0, 0xff01, 10, 35, 51, 43, 13, 45, 28]);
    expect(ch.serverName).toBe('server');
    expect(ch.renegotiationInfo?.length).toBe(0);
    expect(ch.supportedGroups).toEqual(RFC8448_GROUPS);
    expect(ch.sessionTicket?.length).toBe(0);
    expect(ch.keyShares).toHaveLength(1);
    expect(ch.keyShares![0]!.group).toBe(0x001d);
    expect(toHex(ch.keyShares![0]!.keyExchange)).toBe(toHex(RFC8448_CLIENT_X25519_PUBLIC));
    expect(ch.supportedVersions).toEqual([0x0304]);
    expect(ch.signatureAlgorithms).toEqual(RFC8448_SIG_ALGS);
    expect(ch.pskKeyExchangeModes).toEqual([1]);
    expect(ch.recordSizeLimit).toBe(0x4001);
    expect(ch.extendedMasterSecret).toBe(false);
    expect(ch.alpn).toBeUndefined();
  });

  it('rebuilds the trace byte for byte, record included', () => {
    const built = buildClientHello({
      random: RFC8448_CLIENT_RANDOM,
      cipherSuites: [0x1301, 0x1303, 0x1302],
      serverName: 'server',
      renegotiationInfo: true,
      supportedGroups: RFC8448_GROUPS,
      sessionTicket: true,
      keyShares: [{ group: 0x001d, keyExchange: RFC8448_CLIENT_X25519_PUBLIC }],
      supportedVersions: [0x0304],
      signatureAlgorithms: RFC8448_SIG_ALGS,
      pskKeyExchangeModes: [1],
      extraExtensions: [{ type: EXTENSION_TYPES.record_size_limit, data: fromHex('4001') }],
      extensionOrder: [0, 0xff01, 10, 35, 51, 43, 13, 45, 28],
    });
    expect(toHex(built.message)).toBe(toHex(RFC8448_CLIENT_HELLO));
    expect(toHex(built.record)).toBe(toHex(RFC8448_CLIENT_HELLO_RECORD));
  });

  it('rejects a message of another type and a bad session id', () => {
    expect(() => parseClientHello(fromHex('0e000000'))).toThrow(expect.objectContaining({ code: 'unexpected-value' }));
    const body = RFC8448_CLIENT_HELLO.slice(4);
    body[34] = 33; // legacy_session_id length > 32
    expect(() => parseClientHelloBody(body)).toThrow(ParseError);
  });
});

const random = Uint8Array.from({ length: 32 }, (_, i) => i);

describe('buildClientHello', () => {
  it('builds a TLS 1.2 hello with every option and parses it back', () => {
    const opts: ClientHelloOptions = {
      random,
      legacyVersion: 0x0303,
      recordVersion: 0x0301,
      sessionId: new Uint8Array(32).fill(7),
      cipherSuites: [0xc02f, 0xc030, 0x009c, 0x00ff],
      compressionMethods: [1, 0],
      serverName: 'example.test',
      supportedGroups: [0x001d, 0x0017, 0x11ec],
      keyShares: [],
      signatureAlgorithms: [0x0403, 0x0804, 0x0401],
      alpn: ['h2', 'http/1.1'],
      supportedVersions: [0x0303, 0x0302],
      ecPointFormats: [0],
      renegotiationInfo: true,
      statusRequest: true,
      extendedMasterSecret: true,
      sessionTicket: Uint8Array.of(9, 9, 9),
      pskKeyExchangeModes: [1, 0],
      padding: 10,
    };
    const built = buildClientHello(opts);
    const ch = parseClientHello(built.message);
    expect(ch).toMatchObject({
      legacyVersion: 0x0303,
      cipherSuites: [0xc02f, 0xc030, 0x009c, 0x00ff],
      compressionMethods: [1, 0],
      serverName: 'example.test',
      supportedGroups: [0x001d, 0x0017, 0x11ec],
      keyShares: [],
      signatureAlgorithms: [0x0403, 0x0804, 0x0401],
      alpn: ['h2', 'http/1.1'],
      supportedVersions: [0x0303, 0x0302],
      ecPointFormats: [0],
      statusRequest: true,
      extendedMasterSecret: true,
      pskKeyExchangeModes: [1, 0],
      padding: 10,
    });
    expect(ch.sessionId).toEqual(opts.sessionId);
    expect(ch.renegotiationInfo).toEqual(new Uint8Array(0));
    expect(Array.from(ch.sessionTicket!)).toEqual([9, 9, 9]);
    expect(ch.extensions.at(-1)!.type).toBe(EXTENSION_TYPES.padding);
    expect(Array.from(built.record.subarray(0, 3))).toEqual([0x16, 0x03, 0x01]);
    expect(built.record.length).toBe(built.message.length + 5);
  });

  it('omits SNI and all extensions when asked, even the block (SSL 3.0 style)', () => {
    const built = buildClientHello({ random, legacyVersion: 0x0300, cipherSuites: [0x000a] });
    expect(built.message.length).toBe(4 + 2 + 32 + 1 + 2 + 2 + 2);
    const ch = parseClientHello(built.message);
    expect(ch.extensions).toEqual([]);
    expect(ch.serverName).toBeUndefined();
    expect(ch.legacyVersion).toBe(0x0300);
  });

  it('sends any server name, including raw bytes and an empty one', () => {
    expect(parseClientHello(buildClientHello({ random, cipherSuites: [1], serverName: '127.0.0.1' }).message).serverName).toBe('127.0.0.1');
    expect(parseClientHello(buildClientHello({ random, cipherSuites: [1], serverName: '' }).message).serverName).toBe('');
    const raw = buildClientHello({ random, cipherSuites: [1], serverName: Uint8Array.of(0x61, 0x2e, 0x62) });
    expect(parseClientHello(raw.message).serverName).toBe('a.b');
  });

  it('inserts GREASE values where asked', () => {
    const built = buildClientHello({
      random,
      cipherSuites: [0x1301, 0x1302],
      supportedGroups: [0x001d],
      supportedVersions: [0x0304, 0x0303],
      signatureAlgorithms: [0x0403],
      keyShares: [{ group: 0x001d, keyExchange: new Uint8Array(32) }],
      alpn: ['h2'],
      grease: {
        cipherSuites: [0],
        extensions: [0, { at: 100, value: 0x1a1a }],
        supportedGroups: [{ at: 0, value: 0x2a2a }],
        supportedVersions: [0],
        signatureAlgorithms: [1],
        keyShare: { at: 0, value: 0x2a2a },
        alpn: [0],
      },
      padding: { toLength: 512 },
    });
    const ch = parseClientHello(built.message);
    expect(ch.cipherSuites).toEqual([0x0a0a, 0x1301, 0x1302]);
    expect(ch.extensions[0]!.type).toBe(0x0a0a);
    expect(ch.extensions.at(-2)!.type).toBe(0x1a1a);
    expect(ch.extensions.at(-1)!.type).toBe(EXTENSION_TYPES.padding);
    expect(ch.supportedGroups).toEqual([0x2a2a, 0x001d]);
    expect(ch.supportedVersions).toEqual([0x0a0a, 0x0304, 0x0303]);
    expect(ch.signatureAlgorithms).toEqual([0x0403, 0x0a0a]);
    expect(ch.keyShares!.map((k) => k.group)).toEqual([0x2a2a, 0x001d]);
    expect(ch.keyShares![0]!.keyExchange.length).toBe(1);
    expect(ch.alpn![0]!.length).toBe(2);
    expect(built.message.length).toBe(512);
    expect(ch.cipherSuites.filter(isGrease)).toHaveLength(1);
  });

  it('pads to a length, and not past it', () => {
    expect(buildClientHello({ random, cipherSuites: [1], padding: { toLength: 300 } }).message.length).toBe(300);
    const big = buildClientHello({ random, cipherSuites: Array.from({ length: 200 }, (_, i) => i), padding: { toLength: 300 } });
    expect(parseClientHello(big.message).padding).toBeUndefined();
  });

  it('splits a ClientHello over 2^14 bytes into several records', () => {
    const built = buildClientHello({ random, cipherSuites: [0x1301], padding: 20000 });
    expect(built.record.length).toBe(built.message.length + 10);
    expect(built.record[5 + 16384]).toBe(0x16);
  });

  it('rejects a random of the wrong length', () => {
    expect(() => buildClientHello({ random: new Uint8Array(31), cipherSuites: [] })).toThrow(RangeError);
  });
});

describe('ClientHello properties', () => {
  const u16 = fc.integer({ min: 0, max: 0xffff });
  const optsArb: fc.Arbitrary<ClientHelloOptions> = fc.record(
    {
      random: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      legacyVersion: fc.constantFrom(0x0300, 0x0301, 0x0302, 0x0303),
      sessionId: fc.uint8Array({ maxLength: 32 }),
      cipherSuites: fc.array(u16, { maxLength: 40 }),
      compressionMethods: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 3 }),
      serverName: fc.stringMatching(/^[a-z0-9.-]{0,40}$/),
      supportedGroups: fc.array(u16, { maxLength: 10 }),
      keyShares: fc.array(fc.record({ group: u16, keyExchange: fc.uint8Array({ minLength: 1, maxLength: 97 }) }), { maxLength: 3 }),
      signatureAlgorithms: fc.array(u16, { maxLength: 10 }),
      alpn: fc.array(fc.stringMatching(/^[a-z0-9/.]{1,12}$/), { maxLength: 4 }),
      supportedVersions: fc.array(u16, { maxLength: 5 }),
      ecPointFormats: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 3 }),
      renegotiationInfo: fc.boolean(),
      statusRequest: fc.boolean(),
      extendedMasterSecret: fc.boolean(),
      sessionTicket: fc.boolean(),
      pskKeyExchangeModes: fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 2 }),
      padding: fc.integer({ min: 0, max: 600 }),
    },
    { requiredKeys: ['random', 'cipherSuites'] },
  );

  it('property: parse(build(opts)) gives back every option', () => {
    fc.assert(
      fc.property(optsArb, (opts) => {
        const ch = parseClientHello(buildClientHello(opts).message);
        expect(ch.legacyVersion).toBe(opts.legacyVersion ?? 0x0303);
        expect(ch.cipherSuites).toEqual(opts.cipherSuites);
        expect(ch.compressionMethods).toEqual(opts.compressionMethods ?? [0]);
        expect(Array.from(ch.sessionId)).toEqual(Array.from(opts.sessionId ?? []));
        expect(ch.serverName).toBe(opts.serverName);
        expect(ch.supportedGroups).toEqual(opts.supportedGroups);
        expect(ch.keyShares?.map((k) => ({ group: k.group, keyExchange: Array.from(k.keyExchange) }))).toEqual(
          opts.keyShares?.map((k) => ({ group: k.group, keyExchange: Array.from(k.keyExchange) })),
        );
        expect(ch.signatureAlgorithms).toEqual(opts.signatureAlgorithms);
        expect(ch.alpn).toEqual(opts.alpn);
        expect(ch.supportedVersions).toEqual(opts.supportedVersions);
        expect(ch.ecPointFormats).toEqual(opts.ecPointFormats);
        expect(ch.renegotiationInfo !== undefined).toBe(!!opts.renegotiationInfo);
        expect(!!ch.statusRequest).toBe(!!opts.statusRequest);
        expect(ch.extendedMasterSecret).toBe(!!opts.extendedMasterSecret);
        expect(ch.sessionTicket !== undefined).toBe(!!opts.sessionTicket);
        expect(ch.pskKeyExchangeModes).toEqual(opts.pskKeyExchangeModes);
        expect(ch.padding).toBe(opts.padding);
      }),
      { numRuns: 300 },
    );
  });

  it('property: random bytes give a ClientHello or a ParseError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        valueOrParseError(() => parseClientHello(bytes));
        valueOrParseError(() => parseClientHelloBody(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('property: mutated and truncated valid hellos give a ClientHello or a ParseError only', () => {
    fc.assert(
      fc.property(
        optsArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 5 }),
        fc.nat(),
        (opts, flips, cut) => {
          const msg = buildClientHello(opts).message.slice();
          for (const [pos, v] of flips) msg[pos % msg.length] = v;
          valueOrParseError(() => parseClientHello(msg));
          valueOrParseError(() => parseClientHello(msg.subarray(0, cut % (msg.length + 1))));
        },
      ),
      { numRuns: 300 },
    );
  });
});
