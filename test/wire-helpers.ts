/**
 * Helpers shared by the `src/wire/` unit tests: the "only ParseError escapes" checks, and the RFC 8448 §3
 * "Simple 1-RTT Handshake" hello messages that several TLS codecs are tested against.
 */
import { FrameError } from '../src/wire/http2/frame-types.js';
import { ParseError, concat, fromHex } from '../src/wire/bytes.js';

/** Run a parser on untrusted bytes: a value or a ParseError is fine, anything else thrown fails the test. */
export function valueOrParseError(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
  }
}

/**
 * 'ok', or "code: message" of the ParseError (an HTTP/2 FrameError adds " [h2Error/scope]" after the code);
 * any other throw fails the test.
 */
export function outcome(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    const h2 = e instanceof FrameError ? ` [${e.h2Error}/${e.scope}]` : '';
    return `${e.code}${h2}: ${e.message}`;
  }
}

/** RFC 8448 §3: {client} construct a ClientHello handshake message (196 octets). */
export const RFC8448_CLIENT_HELLO = fromHex(`
  010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef
  6283024dece7000006130113031302010000910000000b000900000673657276
  6572ff01000100000a00140012001d0017001800190100010101020103010400
  230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e
  51c13cae4d5413691e529aaf2c002b0003020304000d0020001e040305030603
  020308040805080604010501060102010402050206020202002d00020101001c
  00024001`);
/** RFC 8448 §3: the complete record {client} sends (201 octets). */
export const RFC8448_CLIENT_HELLO_RECORD = concat([fromHex('16030100c4'), RFC8448_CLIENT_HELLO]);
/** RFC 8448 §3: {client} create an ephemeral x25519 key pair: public key. */
export const RFC8448_CLIENT_X25519_PUBLIC = fromHex('99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c');

/** RFC 8448 §3: {server} construct a ServerHello handshake message (90 octets). */
export const RFC8448_SERVER_HELLO = fromHex(`
  020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155
  772ed3e2692800130100002e00330024001d0020c9828876112095fe66762bdb
  f7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304`);
/** RFC 8448 §3: the complete record {server} sends (95 octets). */
export const RFC8448_SERVER_HELLO_RECORD = concat([fromHex('160303005a'), RFC8448_SERVER_HELLO]);
/** RFC 8448 §3: {server} create an ephemeral x25519 key pair: public key. */
export const RFC8448_SERVER_X25519_PUBLIC = fromHex('c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f');
