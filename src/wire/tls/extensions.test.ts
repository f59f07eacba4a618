import { describe, expect, it } from 'vitest';
import { Reader, Writer, fromHex } from '../bytes.js';
import {
  decodeAlpn,
  decodeServerName,
  decodeStatusRequest,
  decodeU16List,
  encodeAlpn,
  encodeServerName,
  encodeStatusRequestOcsp,
  readExtensionBlock,
  writeExtensionBlock,
} from './extensions.js';
import { decodeKeyShareHrr, decodeKeyShareServer, encodeKeyShareServer } from './key-share.js';

describe('extension blocks', () => {
  it('round-trips and rejects duplicates (RFC 8446 §4.2)', () => {
    const w = new Writer();
    writeExtensionBlock(w, [
      { type: 23, data: new Uint8Array(0) },
      { type: 16, data: encodeAlpn(['h2']) },
    ]);
    const exts = readExtensionBlock(new Reader(w.finish()), 'x');
    expect(exts.map((e) => e.type)).toEqual([23, 16]);
    expect(() => readExtensionBlock(new Reader(fromHex('0008 0017 0000 0017 0000')), 'x')).toThrow(
      expect.objectContaining({ code: 'invalid' }),
    );
    expect(() => readExtensionBlock(new Reader(fromHex('0005 0017 0002 00')), 'x')).toThrow(expect.objectContaining({ code: 'truncated' }));
  });

  it('decodes ALPN and refuses empty names (RFC 7301 §3.1)', () => {
    expect(decodeAlpn(encodeAlpn(['h2', 'http/1.1']))).toEqual(['h2', 'http/1.1']);
    expect(() => decodeAlpn(fromHex('000100'))).toThrow(expect.objectContaining({ code: 'invalid' }));
    expect(() => decodeAlpn(fromHex('0003026832ff'))).toThrow(expect.objectContaining({ code: 'length-mismatch' }));
  });

  it('decodes SNI, key shares, status_request, code lists', () => {
    expect(decodeServerName(encodeServerName('a.example'))).toBe('a.example');
    expect(decodeServerName(new Uint8Array(0))).toBe('');
    const ks = decodeKeyShareServer(encodeKeyShareServer({ group: 0x001d, keyExchange: Uint8Array.of(1, 2) }));
    expect(ks.group).toBe(0x001d);
    expect(() => decodeKeyShareServer(fromHex('001d0000'))).toThrow(expect.objectContaining({ code: 'invalid' }));
    expect(decodeKeyShareHrr(fromHex('0017'))).toBe(0x0017);
    expect(decodeStatusRequest(encodeStatusRequestOcsp())).toEqual({ statusType: 1 });
    expect(() => decodeU16List(fromHex('0003001d00'), 'g')).toThrow(expect.objectContaining({ code: 'length-mismatch' }));
  });
});
