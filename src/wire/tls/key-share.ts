/**
 * The key_share extension's bodies (RFC 8446 §4.2.8): the ClientHello's list of offered shares, the
 * ServerHello's one share, and the HelloRetryRequest's selected group. The extension block around
 * them is extensions.ts.
 *
 * @example
 * const [share] = decodeKeyShareClient(exts.find((e) => e.type === EXTENSION_TYPES.key_share)!.data);
 */
import { ParseError, Reader, Writer } from '../bytes.js';

/**
 * One KeyShareEntry (RFC 8446 §4.2.8): a group and the public key the caller generated for it.
 *
 * @example
 * const share: KeyShareEntry = { group: 0x001d, keyExchange: x25519PublicKey };
 */
export interface KeyShareEntry {
  readonly group: number;
  readonly keyExchange: Uint8Array;
}

/**
 * RFC 8446 §4.2.8: KeyShareClientHello (a u16-prefixed list of entries; may be empty to ask for a HelloRetryRequest).
 *
 * @example
 * encodeKeyShareClient([{ group: 0x001d, keyExchange: pub }]);
 */
export function encodeKeyShareClient(shares: readonly KeyShareEntry[]): Uint8Array {
  const w = new Writer();
  const end = w.length16('client_shares');
  for (const s of shares) writeKeyShareEntry(w, s);
  end();
  return w.finish();
}

function writeKeyShareEntry(w: Writer, s: KeyShareEntry): void {
  w.u16(s.group);
  const end = w.length16('key_exchange');
  w.bytes(s.keyExchange);
  end();
}

function readKeyShareEntry(r: Reader): KeyShareEntry {
  const group = r.u16('key_share.group');
  const at = r.offset;
  const keyExchange = r.vector16('key_share.key_exchange');
  // RFC 8446 §4.2.8: opaque key_exchange<1..2^16-1>
  if (keyExchange.length === 0) throw new ParseError('invalid', 'key_share: empty key_exchange', at, 'key_share.key_exchange');
  return { group, keyExchange };
}

/**
 * Decode a ClientHello key_share body.
 *
 * @example
 * decodeKeyShareClient(encodeKeyShareClient([])); // []
 */
export function decodeKeyShareClient(data: Uint8Array): KeyShareEntry[] {
  const r = new Reader(data);
  const list = r.sub16('key_share.client_shares');
  r.expectEnd('key_share');
  const out: KeyShareEntry[] = [];
  while (!list.done) out.push(readKeyShareEntry(list));
  return out;
}

/**
 * RFC 8446 §4.2.8: KeyShareServerHello (one entry).
 *
 * @example
 * encodeKeyShareServer({ group: 0x001d, keyExchange: pub });
 */
export function encodeKeyShareServer(share: KeyShareEntry): Uint8Array {
  const w = new Writer();
  writeKeyShareEntry(w, share);
  return w.finish();
}

/**
 * Decode a ServerHello key_share body.
 *
 * @example
 * decodeKeyShareServer(encodeKeyShareServer({ group: 29, keyExchange: pub })).group; // 29
 */
export function decodeKeyShareServer(data: Uint8Array): KeyShareEntry {
  const r = new Reader(data);
  const entry = readKeyShareEntry(r);
  r.expectEnd('key_share');
  return entry;
}

/**
 * RFC 8446 §4.2.8: in a HelloRetryRequest, key_share carries only the selected group.
 *
 * @example
 * decodeKeyShareHrr(fromHex('0017')); // 0x0017
 */
export function decodeKeyShareHrr(data: Uint8Array): number {
  const r = new Reader(data);
  const group = r.u16('key_share.selected_group');
  r.expectEnd('key_share');
  return group;
}
