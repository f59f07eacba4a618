/**
 * WebSocket frames (RFC 6455 §5): an encoder (client frames masked with a caller-supplied key) and an
 * incremental, bounded decoder. Oversized frames are refused from their header, before their payload is
 * waited for; every protocol violation is a {@link ParseError} naming the RFC section.
 *
 * @example
 * const d = new FrameDecoder({ expectMasked: false });
 * d.push(encodeFrame({ opcode: OPCODES.text, payload: new TextEncoder().encode('Hello') }));
 * d.next(); // { fin: true, opcode: 1, payload: 'Hello' as bytes, … }
 */
import { ByteQueue, ParseError, Reader, Writer } from '../bytes.js';

// RFC 6455 §5.2 / §11.8: the opcode registry.
export const OPCODES = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;
export type OpcodeName = keyof typeof OPCODES;
const OPCODE_NAMES = new Map<number, OpcodeName>(Object.entries(OPCODES).map(([k, v]) => [v, k as OpcodeName]));

export function opcodeName(op: number): string {
  return OPCODE_NAMES.get(op) ?? `reserved(0x${op.toString(16)})`;
}

// RFC 6455 §5.5: control frames have opcodes whose most significant bit is 1.
export function isControlOpcode(op: number): boolean {
  return (op & 0x8) !== 0;
}

// RFC 6455 §5.5: all control frames MUST have a payload length of 125 bytes or less.
export const MAX_CONTROL_PAYLOAD = 125;
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

// RFC 6455 §7.4.1 / §11.7: close codes that may appear on the wire. 1004 is reserved, and
// 1005, 1006, 1015 MUST NOT be sent; 3000–3999 are registered, 4000–4999 private.
export const CLOSE_CODES = {
  1000: 'normal closure',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1007: 'invalid frame payload data',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'mandatory extension',
  1011: 'internal error',
  1012: 'service restart',
  1013: 'try again later',
  1014: 'bad gateway',
} as const;

export function isValidCloseCode(code: number): boolean {
  return Object.hasOwn(CLOSE_CODES, code) || (code >= 3000 && code <= 4999);
}

export interface CloseInfo {
  /** Absent for an empty close payload (which a receiver reports as 1005, RFC 6455 §7.1.5). */
  code?: number;
  reason: string;
}

export interface WebSocketFrame {
  fin: boolean;
  /** RSV1–RSV3 as a 3-bit number (RSV1 = 4). */
  rsv: number;
  opcode: number;
  masked: boolean;
  maskKey?: Uint8Array;
  /** Unmasked payload (a copy). */
  payload: Uint8Array;
  /** Parsed payload of a close frame. */
  close?: CloseInfo;
  /** The length used more bytes than needed; only with `allowNonMinimalLength`. */
  nonMinimalLength?: true;
  /** Stream offset of the frame's first byte. */
  offset: number;
  /** Bytes on the wire: header, mask key and payload. */
  size: number;
}

export interface FrameInput {
  opcode: number;
  payload?: Uint8Array;
  /** Default true. */
  fin?: boolean;
  /** RSV bits as a 3-bit number; default 0. */
  rsv?: number;
  /** 4 bytes: the frame is masked with them (RFC 6455 §5.3; a client MUST mask, §5.1). */
  mask?: Uint8Array;
  /** Force the length form (7, 16 or 64 bits) instead of the minimal one, e.g. to test a decoder. */
  lengthBits?: 7 | 16 | 64;
}

/** XOR `data` with the 4-byte `key` (RFC 6455 §5.3); masking and unmasking are the same. Returns a copy. */
export function applyMask(data: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ key[i & 3]!;
  return out;
}

/**
 * Encode one frame. Input is trusted: a frame that breaks RFC 6455 throws RangeError unless `unchecked`
 * (the lab uses that to build broken frames on purpose).
 *
 * @example encodeFrame({ opcode: OPCODES.text, payload: utf8('Hello'), mask: new Uint8Array([0x37, 0xfa, 0x21, 0x3d]) })
 */
export function encodeFrame(f: FrameInput, opts: { unchecked?: boolean } = {}): Uint8Array {
  const payload = f.payload ?? new Uint8Array(0);
  const fin = f.fin ?? true;
  const rsv = f.rsv ?? 0;
  const n = payload.length;
  const bits = f.lengthBits ?? (n <= 125 ? 7 : n <= 0xffff ? 16 : 64);
  if (!Number.isInteger(f.opcode) || f.opcode < 0 || f.opcode > 15) throw new RangeError(`opcode ${f.opcode} is not 4 bits`);
  if (!Number.isInteger(rsv) || rsv < 0 || rsv > 7) throw new RangeError(`rsv ${rsv} is not 3 bits`);
  if (f.mask !== undefined && f.mask.length !== 4) throw new RangeError('a mask key is 4 bytes');
  if ((bits === 7 && n > 125) || (bits === 16 && n > 0xffff)) throw new RangeError(`${n} bytes do not fit a ${bits}-bit length`);
  if (!opts.unchecked && isControlOpcode(f.opcode)) {
    if (n > MAX_CONTROL_PAYLOAD) throw new RangeError(`RFC 6455 §5.5: control frame payload ${n} > 125`);
    if (!fin) throw new RangeError('RFC 6455 §5.5: control frames must not be fragmented');
  }
  const w = new Writer(n + 14);
  // RFC 6455 §5.2: FIN, RSV1-3, opcode; then MASK and the 7-bit length.
  w.u8((fin ? 0x80 : 0) | (rsv << 4) | f.opcode);
  const maskBit = f.mask ? 0x80 : 0;
  if (bits === 7) w.u8(maskBit | n);
  else if (bits === 16) w.u8(maskBit | 126).u16(n);
  else w.u8(maskBit | 127).u32(Math.floor(n / 2 ** 32)).u32(n >>> 0);
  if (f.mask) w.bytes(f.mask).bytes(applyMask(payload, f.mask));
  else w.bytes(payload);
  return w.finish();
}

/**
 * A close frame's payload: 2-byte code then UTF-8 reason (RFC 6455 §5.5.1). No code means an empty payload.
 */
export function closePayload(code?: number, reason = ''): Uint8Array {
  if (code === undefined) {
    if (reason !== '') throw new RangeError('a close reason needs a code');
    return new Uint8Array(0);
  }
  if (!isValidCloseCode(code)) throw new RangeError(`close code ${code} may not be sent (RFC 6455 §7.4)`);
  const r = new TextEncoder().encode(reason);
  if (r.length > MAX_CONTROL_PAYLOAD - 2) throw new RangeError('close reason longer than 123 bytes');
  return new Writer(2 + r.length).u16(code).bytes(r).finish();
}

/** Parse a close payload (RFC 6455 §5.5.1). Throws ParseError('invalid'). */
export function parseClosePayload(p: Uint8Array, offset = 0): CloseInfo {
  if (p.length === 0) return { reason: '' };
  // RFC 6455 §5.5.1: if there is a body, its first two bytes are the status code.
  if (p.length === 1) throw new ParseError('invalid', 'RFC 6455 §5.5.1: close payload of 1 byte (a code needs 2)', offset, 'close.code');
  const r = new Reader(p, 0, p.length, offset);
  const code = r.u16('close.code');
  // RFC 6455 §7.4.1: 1005, 1006, 1015 and unassigned codes below 3000 never appear on the wire.
  if (!isValidCloseCode(code)) throw new ParseError('invalid', `RFC 6455 §7.4: close code ${code} is not allowed on the wire`, offset, 'close.code');
  let reason: string;
  try {
    // RFC 6455 §5.5.1: the reason is UTF-8; invalid UTF-8 fails the connection (§8.1).
    reason = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(r.rest());
  } catch {
    throw new ParseError('invalid', 'RFC 6455 §5.5.1: close reason is not valid UTF-8', offset + 2, 'close.reason');
  }
  return { code, reason };
}

export interface FrameDecoderOptions {
  /** Largest payload accepted; a bigger one fails as `too-large` from its header. Default 1 MiB. */
  maxPayload?: number;
  /**
   * RFC 6455 §5.1: frames from a client are masked, frames from a server are not. `true` when decoding
   * what a client sent, `false` for a server; undefined accepts both.
   */
  expectMasked?: boolean;
  /** RSV bits an extension negotiated (RFC 6455 §5.2), e.g. 0b100 for permessage-deflate's RSV1. */
  allowRsv?: number;
  /** Accept non-minimal length encodings, flagging them, instead of failing (RFC 6455 §5.2 says MUST be minimal). */
  allowNonMinimalLength?: boolean;
  /** Check fragmentation order across frames (RFC 6455 §5.4). Default true. */
  checkSequence?: boolean;
}

/**
 * Incremental frame decoder: `push` bytes as they arrive, `next` returns a complete frame or undefined
 * (need more). After a ParseError the decoder stays failed and `next` rethrows it.
 */
export class FrameDecoder {
  private readonly q = new ByteQueue();
  private fragmented = false;
  private failed: ParseError | undefined;
  private readonly maxPayload: number;

  constructor(private readonly opts: FrameDecoderOptions = {}) {
    this.maxPayload = opts.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  }

  /** Bytes pushed but not yet returned as frames. */
  get buffered(): number {
    return this.q.size;
  }
  /** Stream offset of the next unread byte. */
  get offset(): number {
    return this.q.consumed;
  }
  /** Inside a fragmented message (a continuation is expected). */
  get inMessage(): boolean {
    return this.fragmented;
  }

  push(chunk: Uint8Array): void {
    if (this.failed) return;
    this.q.push(chunk);
  }

  next(): WebSocketFrame | undefined {
    if (this.failed) throw this.failed;
    try {
      return this.read();
    } catch (e) {
      this.failed = e instanceof ParseError ? e : new ParseError('invalid', `internal decoder failure: ${(e as Error)?.message ?? String(e)}`, this.q.consumed, 'frame');
      throw this.failed;
    }
  }

  private fail(message: string, at: number, field: string, code: 'invalid' | 'too-large' | 'unsupported' = 'invalid'): never {
    throw new ParseError(code, message, this.q.consumed + at, field);
  }

  private read(): WebSocketFrame | undefined {
    const view = this.q.view();
    const avail = view.length;
    if (avail < 2) return undefined;
    const b0 = view[0]!;
    const b1 = view[1]!;
    const fin = (b0 & 0x80) !== 0;
    const rsv = (b0 >> 4) & 0x7;
    const opcode = b0 & 0xf;
    const masked = (b1 & 0x80) !== 0;
    const len7 = b1 & 0x7f;

    // Everything knowable from the first two bytes is checked before waiting for more.
    // RFC 6455 §5.2: RSV bits MUST be 0 unless an extension defines them.
    if (rsv & ~(this.opts.allowRsv ?? 0)) this.fail(`RFC 6455 §5.2: RSV bits 0b${rsv.toString(2).padStart(3, '0')} set without a negotiated extension`, 0, 'rsv');
    // RFC 6455 §5.2: opcodes 0x3-0x7 and 0xB-0xF are reserved; receiving one fails the connection.
    if (!OPCODE_NAMES.has(opcode)) this.fail(`RFC 6455 §5.2: reserved opcode 0x${opcode.toString(16)}`, 0, 'opcode');
    const control = isControlOpcode(opcode);
    if (control) {
      // RFC 6455 §5.5: control frames MUST NOT be fragmented.
      if (!fin) this.fail(`RFC 6455 §5.5: ${opcodeName(opcode)} frame without FIN (control frames must not be fragmented)`, 0, 'fin');
      // RFC 6455 §5.5: control frame payloads are at most 125 bytes (so always use the 7-bit length).
      if (len7 > MAX_CONTROL_PAYLOAD) this.fail(`RFC 6455 §5.5: ${opcodeName(opcode)} frame payload length ${len7 === 126 ? '(16-bit)' : '(64-bit)'} over 125`, 1, 'length');
    }
    // RFC 6455 §5.1: a server MUST NOT mask; a client MUST mask.
    if (this.opts.expectMasked !== undefined && masked !== this.opts.expectMasked) {
      this.fail(`RFC 6455 §5.1: ${masked ? 'masked frame from a server' : 'unmasked frame from a client'}`, 1, 'mask');
    }
    if (this.opts.checkSequence ?? true) {
      // RFC 6455 §5.4: a continuation only inside a fragmented message; a new data frame only outside one.
      if (opcode === OPCODES.continuation && !this.fragmented) this.fail('RFC 6455 §5.4: continuation frame without a message to continue', 0, 'opcode');
      if ((opcode === OPCODES.text || opcode === OPCODES.binary) && this.fragmented) {
        this.fail(`RFC 6455 §5.4: ${opcodeName(opcode)} frame inside a fragmented message`, 0, 'opcode');
      }
    }

    const extLen = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    const headerLen = 2 + extLen + (masked ? 4 : 0);
    if (avail < 2 + extLen) return undefined;
    const r = new Reader(view, 2, avail, this.q.consumed);
    let length = len7;
    // The length in words: exact even past 2^53 (a 64-bit length as a decimal BigInt string).
    let lengthText = String(len7);
    let nonMinimal = false;
    if (len7 === 126) {
      length = r.u16('length16');
      lengthText = String(length);
      // RFC 6455 §5.2: the minimal number of bytes MUST be used to encode the length.
      if (length < 126) nonMinimal = true;
    } else if (len7 === 127) {
      const hi = r.u32('length64.hi');
      const lo = r.u32('length64.lo');
      // RFC 6455 §5.2: the most significant bit of a 64-bit length MUST be 0.
      if (hi & 0x80000000) this.fail('RFC 6455 §5.2: 64-bit payload length with the most significant bit set', 2, 'length64');
      length = hi * 2 ** 32 + lo;
      lengthText = ((BigInt(hi) << 32n) | BigInt(lo)).toString();
      if (length <= 0xffff) nonMinimal = true;
    }
    if (nonMinimal && !this.opts.allowNonMinimalLength) {
      this.fail(`RFC 6455 §5.2: length ${length} not minimally encoded (${len7 === 126 ? 16 : 64}-bit form)`, 2, 'length');
    }
    if (length > this.maxPayload) this.fail(`payload length ${lengthText} exceeds the limit of ${this.maxPayload}`, 1, 'length', 'too-large');

    if (avail < headerLen + length) return undefined;
    const maskKey = masked ? r.bytes(4, 'mask-key').slice() : undefined;
    const raw = r.bytes(length, 'payload');
    const payload = maskKey ? applyMask(raw, maskKey) : raw.slice();
    const offset = this.q.consumed;
    const frame: WebSocketFrame = { fin, rsv, opcode, masked, payload, offset, size: headerLen + length };
    if (maskKey) frame.maskKey = maskKey;
    if (nonMinimal) frame.nonMinimalLength = true;
    if (opcode === OPCODES.close) frame.close = parseClosePayload(payload, offset + headerLen);

    if (opcode === OPCODES.text || opcode === OPCODES.binary) this.fragmented = !fin;
    else if (opcode === OPCODES.continuation && fin) this.fragmented = false;
    this.q.drop(headerLen + length);
    return frame;
  }
}

/**
 * Decode every frame in `bytes`. Throws ParseError('truncated') if bytes are left over that do not make
 * a whole frame.
 */
export function decodeFrames(bytes: Uint8Array, opts: FrameDecoderOptions = {}): WebSocketFrame[] {
  const d = new FrameDecoder(opts);
  d.push(bytes);
  const out: WebSocketFrame[] = [];
  for (let f = d.next(); f; f = d.next()) out.push(f);
  if (d.buffered > 0) throw new ParseError('truncated', `${d.buffered} byte(s) after the last whole frame`, d.offset, 'frame');
  return out;
}
