/**
 * The ServerKeyExchange of TLS ≤ 1.2 (RFC 8422 §5.4 ECDHE, RFC 5246 §7.4.3 DHE): the group or the
 * prime's size, and the signature scheme of the signed params. Pure, bounded; ParseError only.
 *
 * @example
 * parseServerKeyExchange(body, 'ECDHE').groupName; // 'x25519'
 */
import { Reader } from '../bytes.js';
import { EC_CURVE_TYPES, groupName } from './registry.js';

/**
 * RFC 8422 §5.4 / RFC 5246 §7.4.3: what a ServerKeyExchange offered.
 *
 * @example
 * summary.serverKeyExchange?.groupName; // 'x25519'
 */
export interface ServerKeyExchangeInfo {
  readonly kind: 'ecdhe' | 'dhe' | 'unknown';
  /** ECDHE: ECCurveType (3 = named_curve). */
  readonly curveType?: number;
  readonly namedGroup?: number;
  readonly groupName?: string;
  /** ECDHE: length of the server's public point. */
  readonly publicKeyLength?: number;
  /** DHE: size of the prime dh_p in bits (weak DH is a common failure). */
  readonly dhPrimeBits?: number;
  /** TLS 1.2: the SignatureScheme of the params' signature (RFC 5246 §7.4.1.4.1 / RFC 8446 §4.2.3); absent before 1.2. */
  readonly signatureScheme?: number;
}

/**
 * Parse a ServerKeyExchange body given the negotiated suite's key exchange. Throws ParseError.
 *
 * @example
 * parseServerKeyExchange(fromHex('03001d20…'), 'ECDHE'); // { kind: 'ecdhe', curveType: 3, namedGroup: 29, … }
 */
export function parseServerKeyExchange(body: Uint8Array, kx: string): ServerKeyExchangeInfo {
  const r = new Reader(body);
  if (kx === 'ECDHE' || kx === 'ECDHE_PSK') {
    // RFC 5489 §2: ECDHE_PSK's ServerKeyExchange starts with a psk_identity_hint
    if (kx === 'ECDHE_PSK') r.vector16('psk_identity_hint');
    // RFC 8422 §5.4: ServerECDHParams { ECParameters curve_params; ECPoint public; }
    const curveType = r.u8('ec_parameters.curve_type');
    if (curveType !== EC_CURVE_TYPES.named_curve) return { kind: 'ecdhe', curveType };
    const namedGroup = r.u16('ec_parameters.namedcurve');
    const point = r.vector8('ec_point');
    const sig = signedWith(r);
    return { kind: 'ecdhe', curveType, namedGroup, groupName: groupName(namedGroup), publicKeyLength: point.length, ...(sig !== undefined ? { signatureScheme: sig } : {}) };
  }
  if (kx === 'DHE' || kx === 'DHE_PSK' || kx === 'DH') {
    if (kx === 'DHE_PSK') r.vector16('psk_identity_hint');
    // RFC 5246 §7.4.3: ServerDHParams { opaque dh_p<1..2^16-1>; opaque dh_g<1..2^16-1>; opaque dh_Ys<1..2^16-1>; }
    const p = r.vector16('dh_p');
    let lead = 0;
    while (lead < p.length && p[lead] === 0) lead++;
    const top = p[lead];
    const bits = top === undefined ? 0 : (p.length - lead - 1) * 8 + (32 - Math.clz32(top));
    if (kx !== 'DHE') return { kind: 'dhe', dhPrimeBits: bits };
    r.vector16('dh_g');
    r.vector16('dh_Ys');
    const sig = signedWith(r);
    return { kind: 'dhe', dhPrimeBits: bits, ...(sig !== undefined ? { signatureScheme: sig } : {}) };
  }
  return { kind: 'unknown' };
}

/**
 * After the params, a TLS 1.2 `digitally-signed` struct starts with its SignatureAndHashAlgorithm
 * (RFC 5246 §4.7): 2 bytes of scheme, then a 2-byte length that covers the rest exactly. Before
 * TLS 1.2 the struct is the length alone; then (or on anything else) undefined. Never throws.
 */
function signedWith(r: Reader): number | undefined {
  const rest = r.remaining;
  if (rest < 4) return undefined;
  const b = r.buf;
  const at = r.offset;
  const len = (b[at + 2]! << 8) | b[at + 3]!;
  return len === rest - 4 ? (b[at]! << 8) | b[at + 1]! : undefined;
}
