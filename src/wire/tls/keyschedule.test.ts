import { X509Certificate, createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError, concat, fromHex, toHex } from '../bytes.js';
import {
  TLS13_SUITES,
  decryptRecord,
  deriveApplicationSecrets,
  deriveHandshakeSecrets,
  encryptRecord,
  finishedVerifyData,
  tls13Suite,
  trafficKeys,
  transcriptHash,
} from './keyschedule.js';
import { decryptServerFlight, parseEncryptedExtensions } from './encrypted-flight.js';
import { parseRecords } from './record.js';
import {
  RFC8448_CLIENT_HELLO as CLIENT_HELLO,
  RFC8448_CLIENT_X25519_PUBLIC as CLIENT_PUBLIC,
  RFC8448_SERVER_HELLO as SERVER_HELLO,
  RFC8448_SERVER_X25519_PUBLIC as SERVER_PUBLIC,
} from '../../../test/wire-helpers.js';

// ---- RFC 8448 §3 "Simple 1-RTT Handshake": every value below is copied from the trace ------------------------------

const CLIENT_PRIVATE = fromHex('49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005');
/** {server} extract secret "handshake": IKM (the x25519 shared secret). */
const SHARED_SECRET = '8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d';
/** {server} send handshake record: complete record (679 octets) — EncryptedExtensions..Finished, protected. */
const SERVER_FLIGHT_RECORD = fromHex(`
  17030302a2d1ff334a56f5bff6594a07cc87b580233f500f45e489e7f33af35e
  df7869fcf40aa40aa2b8ea73f848a7ca07612ef9f945cb960b4068905123ea78
  b111b429ba9191cd05d2a389280f526134aadc7fc78c4b729df828b5ecf7b13b
  d9aefb0e57f271585b8ea9bb355c7c79020716cfb9b1183ef3ab20e37d57a6b9
  d7477609aee6e122a4cf51427325250c7d0e509289444c9b3a648f1d71035d2e
  d65b0e3cdd0cbae8bf2d0b227812cbb360987255cc744110c453baa4fcd61092
  8d809810e4b7ed1a8fd991f06aa6248204797e36a6a73b70a2559c09ead68694
  5ba246ab66e5edd8044b4c6de3fcf2a89441ac66272fd8fb330ef8190579b368
  4596c960bd596eea520a56a8d650f563aad27409960dca63d3e688611ea5e22f
  4415cf9538d51a200c27034272968a264ed6540c84838d89f72c24461aad6d26
  f59ecaba9acbbb317b66d902f4f292a36ac1b639c637ce343117b65962224531
  7b49eeda0c6258f100d7d961ffb138647e92ea330faeea6dfa31c7a84dc3bd7e
  1b7a6c7178af36879018e3f252107f243d243dc7339d5684c8b0378bf30244da
  8c87c843f5e56eb4c5e8280a2b48052cf93b16499a66db7cca71e4599426f7d4
  61e66f99882bd89fc50800becca62d6c74116dbd2972fda1fa80f85df881edbe
  5a37668936b335583b599186dc5c6918a396fa48a181d6b6fa4f9d62d513afbb
  992f2b992f67f8afe67f76913fa388cb5630c8ca01e0c65d11c66a1e2ac4c859
  77b7c7a6999bbf10dc35ae69f5515614636c0b9b68c19ed2e31c0b3b66763038
  ebba42f3b38edc0399f3a9f23faa63978c317fc9fa66a73f60f0504de93b5b84
  5e275592c12335ee340bbc4fddd502784016e4b3be7ef04dda49f4b440a30cb5
  d2af939828fd4ae3794e44f94df5a631ede42c1719bfdabf0253fe5175be898e
  750edc53370d2b`);
/** {server} construct an EncryptedExtensions handshake message (40 octets). */
const ENCRYPTED_EXTENSIONS = '080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000';
/** {server} construct a Finished handshake message (36 octets). */
const SERVER_FINISHED = '140000209b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718';

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

function x25519(priv: Uint8Array, pub: Uint8Array, peer: Uint8Array): Uint8Array {
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: b64u(priv), x: b64u(pub) }, format: 'jwk' });
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: b64u(peer) }, format: 'jwk' });
  return new Uint8Array(diffieHellman({ privateKey, publicKey }));
}

describe('TLS 1.3 key schedule: RFC 8448 §3', () => {
  const shared = x25519(CLIENT_PRIVATE, CLIENT_PUBLIC, SERVER_PUBLIC);
  const helloHash = transcriptHash('sha256', CLIENT_HELLO, SERVER_HELLO);
  const s = deriveHandshakeSecrets('sha256', shared, helloHash);

  it('derives the shared secret and the hello transcript hash', () => {
    expect(toHex(shared)).toBe(SHARED_SECRET);
    expect(toHex(helloHash)).toBe('860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8');
  });

  it('derives the exact secrets the RFC lists', () => {
    expect(toHex(s.earlySecret)).toBe('33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a');
    expect(toHex(s.handshakeSecret)).toBe('1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac');
    expect(toHex(s.clientHandshakeTrafficSecret)).toBe('b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21');
    expect(toHex(s.serverHandshakeTrafficSecret)).toBe('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38');
    expect(toHex(s.masterDerived)).toBe('43de77e0c77713859a944db9db2590b53190a65b3ee2e4f12dd7a0bb7ce254b4');
    expect(toHex(s.masterSecret)).toBe('18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919');
  });

  it('derives the handshake traffic keys', () => {
    const server = trafficKeys(TLS13_SUITES[0x1301], s.serverHandshakeTrafficSecret);
    expect(toHex(server.key)).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(toHex(server.iv)).toBe('5d313eb2671276ee13000b30');
    const client = trafficKeys(TLS13_SUITES[0x1301], s.clientHandshakeTrafficSecret);
    expect(toHex(client.key)).toBe('dbfaa693d1762c5b666af5d950258d01');
    expect(toHex(client.iv)).toBe('5bd3c71b836e0b76bb73265f');
  });

  it('decrypts the server flight, parses EncryptedExtensions, verifies Finished', () => {
    const { records } = parseRecords(SERVER_FLIGHT_RECORD);
    const out = decryptServerFlight({ cipherSuite: 0x1301, sharedSecret: shared, clientHello: CLIENT_HELLO, serverHello: SERVER_HELLO, records });
    expect(out.error).toBeUndefined();
    expect(out.messages.map((m) => m.type)).toEqual([8, 11, 15, 20]);
    expect(toHex(out.messages[0]!.raw)).toBe(ENCRYPTED_EXTENSIONS);
    expect(toHex(out.messages[3]!.raw)).toBe(SERVER_FINISHED);
    expect(concat(out.messages.map((m) => m.raw)).length).toBe(657);
    expect(out.encryptedExtensions).toMatchObject({ supportedGroups: [0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104], recordSizeLimit: 0x4001, sniAck: true, earlyData: false });
    expect(out.encryptedExtensions?.alpn).toBeUndefined();
    expect(new X509Certificate(out.certificates![0]!).subject).toBe('CN=rsa');
    expect(out.finishedVerified).toBe(true);

    // the rest of the schedule, from the decrypted transcript: {server} derive secret "tls13 c ap traffic" etc.
    const finHash = transcriptHash('sha256', CLIENT_HELLO, SERVER_HELLO, ...out.messages.map((m) => m.raw));
    expect(toHex(finHash)).toBe('9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13');
    const ap = deriveApplicationSecrets('sha256', s.masterSecret, finHash);
    expect(toHex(ap.clientApplicationTrafficSecret)).toBe('9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5');
    expect(toHex(ap.serverApplicationTrafficSecret)).toBe('a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643');
    expect(toHex(ap.exporterMasterSecret)).toBe('fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50');
    const apKeys = trafficKeys(TLS13_SUITES[0x1301], ap.serverApplicationTrafficSecret);
    expect(toHex(apKeys.key)).toBe('9f02283b6c9c07efc26bb9f2ac92e356');
    expect(toHex(apKeys.iv)).toBe('cf782b88dd83549aadf1e984');
    const cvHash = transcriptHash('sha256', CLIENT_HELLO, SERVER_HELLO, ...out.messages.slice(0, 3).map((m) => m.raw));
    expect(toHex(finishedVerifyData('sha256', s.serverHandshakeTrafficSecret, cvHash))).toBe(SERVER_FINISHED.slice(8));
  });

  it('reports a wrong shared secret as an error, without throwing', () => {
    const { records } = parseRecords(SERVER_FLIGHT_RECORD);
    const out = decryptServerFlight({ cipherSuite: 0x1301, sharedSecret: new Uint8Array(32), clientHello: CLIENT_HELLO, serverHello: SERVER_HELLO, records });
    expect(out.error?.code).toBe('invalid');
    expect(out.messages).toEqual([]);
  });
});

describe('record protection', () => {
  it.each([0x1301, 0x1302, 0x1303])('round-trips with suite %i and rejects tampering', (code) => {
    const suite = tls13Suite(code)!;
    const keys = { key: new Uint8Array(suite.keyLength).fill(3), iv: new Uint8Array(12).fill(4) };
    const rec = encryptRecord(suite, keys, 5n, 22, fromHex('0e000000'), 7);
    const { records } = parseRecords(rec);
    const out = decryptRecord(suite, keys, 5n, records[0]!);
    expect(out.type).toBe(22);
    expect(toHex(out.content)).toBe('0e000000');
    expect(() => decryptRecord(suite, keys, 6n, records[0]!)).toThrow(expect.objectContaining({ code: 'invalid' }));
    const bad = rec.slice();
    bad[10]! ^= 1;
    expect(() => decryptRecord(suite, keys, 5n, parseRecords(bad).records[0]!)).toThrow(ParseError);
  });

  it('rejects non-application_data and short records', () => {
    const suite = TLS13_SUITES[0x1301];
    const keys = { key: new Uint8Array(16), iv: new Uint8Array(12) };
    expect(() => decryptRecord(suite, keys, 0n, { type: 22, version: 0x0303, length: 20, body: new Uint8Array(20) })).toThrow(
      expect.objectContaining({ code: 'unexpected-value' }),
    );
    expect(() => decryptRecord(suite, keys, 0n, { type: 23, version: 0x0303, length: 3, body: new Uint8Array(3) })).toThrow(
      expect.objectContaining({ code: 'invalid' }),
    );
    // all-zero inner plaintext: no content type
    const rec = parseRecords(encryptRecord(suite, keys, 0n, 0, new Uint8Array(0))).records[0]!;
    expect(() => decryptRecord(suite, keys, 0n, rec)).toThrow(expect.objectContaining({ field: 'record.content_type' }));
  });

  it('property: random ciphertexts give a ParseError only', () => {
    const suite = TLS13_SUITES[0x1303];
    const keys = { key: new Uint8Array(32), iv: new Uint8Array(12) };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (body) => {
        try {
          decryptRecord(suite, keys, 0n, { type: 23, version: 0x0303, length: body.length, body });
        } catch (e) {
          if (!(e instanceof ParseError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseEncryptedExtensions', () => {
  it('reads ALPN and rejects other messages', () => {
    const ee = fromHex('0800000b 0009 0010 0005 0003 026832');
    expect(parseEncryptedExtensions(ee)).toMatchObject({ alpn: 'h2', alpnProtocols: ['h2'], sniAck: false });
    expect(parseEncryptedExtensions(fromHex('080000020000')).extensions).toEqual([]);
    expect(() => parseEncryptedExtensions(fromHex('0e000000'))).toThrow(expect.objectContaining({ code: 'unexpected-value' }));
  });

  it('property: random bytes give EncryptedExtensions or a ParseError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (b) => {
        try {
          parseEncryptedExtensions(concat([fromHex('08'), b]));
        } catch (e) {
          if (!(e instanceof ParseError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});
