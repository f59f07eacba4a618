/**
 * The one cursor for reading and the one for writing, shared by every codec in `wire/`.
 *
 * Readers never read past their end and never throw anything but {@link ParseError}.
 *
 * @example
 * const r = new Reader(bytes);
 * r.expectU16(0x0303, 'legacy_version');
 * const sessionId = r.vector8('session_id');
 */

/** Why a parse failed. `truncated` means "more bytes might make it parse"; the rest are final. */
export type ParseErrorCode =
  | 'truncated'
  | 'unexpected-value'
  | 'length-mismatch'
  | 'too-large'
  | 'invalid'
  | 'unsupported';

/** The only error a `wire/` parser throws. `offset` is where in the input the problem is. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    readonly code: ParseErrorCode,
    message: string,
    readonly offset: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class Reader {
  private pos: number;
  /** `start`/`end` bound the view; `base` is added to offsets in errors (for nested readers). */
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
    private readonly base = 0,
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.end - this.pos;
  }
  get done(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number, field: string): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new ParseError('truncated', `${field}: need ${n} byte(s), have ${this.end - this.pos}`, this.base + this.pos, field);
    }
  }

  u8(field = 'u8'): number {
    this.need(1, field);
    return this.buf[this.pos++]!;
  }
  u16(field = 'u16'): number {
    this.need(2, field);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  u24(field = 'u24'): number {
    this.need(3, field);
    const v = (this.buf[this.pos]! << 16) | (this.buf[this.pos + 1]! << 8) | this.buf[this.pos + 2]!;
    this.pos += 3;
    return v;
  }
  u32(field = 'u32'): number {
    this.need(4, field);
    const v =
      this.buf[this.pos]! * 0x1000000 + ((this.buf[this.pos + 1]! << 16) | (this.buf[this.pos + 2]! << 8) | this.buf[this.pos + 3]!);
    this.pos += 4;
    return v;
  }
  /** A view (no copy) of the next `n` bytes. */
  bytes(n: number, field = 'bytes'): Uint8Array {
    this.need(n, field);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  rest(): Uint8Array {
    return this.bytes(this.remaining, 'rest');
  }
  skip(n: number, field = 'skip'): void {
    this.need(n, field);
    this.pos += n;
  }
  peekU8(at = 0): number | undefined {
    return this.pos + at < this.end ? this.buf[this.pos + at] : undefined;
  }

  expectU8(value: number, field: string): number {
    const at = this.pos;
    const v = this.u8(field);
    if (v !== value) throw new ParseError('unexpected-value', `${field}: expected 0x${hex(value, 2)}, got 0x${hex(v, 2)}`, this.base + at, field);
    return v;
  }
  expectU16(value: number, field: string): number {
    const at = this.pos;
    const v = this.u16(field);
    if (v !== value) throw new ParseError('unexpected-value', `${field}: expected 0x${hex(value, 4)}, got 0x${hex(v, 4)}`, this.base + at, field);
    return v;
  }

  /** A length-prefixed vector: returns a view of its contents. */
  vector8(field: string): Uint8Array {
    return this.bytes(this.u8(`${field}.length`), field);
  }
  vector16(field: string): Uint8Array {
    return this.bytes(this.u16(`${field}.length`), field);
  }
  vector24(field: string): Uint8Array {
    return this.bytes(this.u24(`${field}.length`), field);
  }
  /** A nested reader over a length-prefixed vector; errors keep absolute offsets. */
  sub8(field: string): Reader {
    return this.subOf(this.u8(`${field}.length`), field);
  }
  sub16(field: string): Reader {
    return this.subOf(this.u16(`${field}.length`), field);
  }
  sub24(field: string): Reader {
    return this.subOf(this.u24(`${field}.length`), field);
  }
  subOf(n: number, field: string): Reader {
    this.need(n, field);
    const r = new Reader(this.buf, this.pos, this.pos + n, this.base);
    this.pos += n;
    return r;
  }
  /** Fail unless every byte was consumed. */
  expectEnd(field: string): void {
    if (this.pos !== this.end) {
      throw new ParseError('length-mismatch', `${field}: ${this.end - this.pos} trailing byte(s)`, this.base + this.pos, field);
    }
  }
}

/** Growable writer with length prefixes patched afterwards. */
export class Writer {
  private buf: Uint8Array;
  private len = 0;
  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
  }
  get length(): number {
    return this.len;
  }
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  u8(v: number): this {
    this.room(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.room(2);
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u24(v: number): this {
    this.room(3);
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u32(v: number): this {
    this.room(4);
    this.buf[this.len++] = (v >>> 24) & 0xff;
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  bytes(b: Uint8Array | readonly number[]): this {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  /** Reserve a length prefix of `size` bytes; call the returned function once the contents are written. */
  private lengthN(size: 1 | 2 | 3, field: string): () => void {
    this.room(size);
    const at = this.len;
    this.len += size;
    const max = 2 ** (8 * size) - 1;
    return () => {
      const n = this.len - at - size;
      if (n > max) throw new RangeError(`${field}: length ${n} exceeds ${max}`);
      for (let i = 0; i < size; i++) this.buf[at + i] = (n >>> (8 * (size - 1 - i))) & 0xff;
    };
  }
  length8(field: string): () => void {
    return this.lengthN(1, field);
  }
  length16(field: string): () => void {
    return this.lengthN(2, field);
  }
  length24(field: string): () => void {
    return this.lengthN(3, field);
  }
  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/**
 * A growable FIFO of bytes for the incremental decoders (HTTP/2 frames, TLS records, WebSocket frames): push chunks
 * as they arrive, look at what is buffered, drop or take whole units. `cap` bounds what may be held at once.
 *
 * @example
 * const q = new ByteQueue(1 << 20, 'record-decoder');
 * q.push(chunk);
 * if (q.size >= 5) { const head = q.view().subarray(0, 5); q.drop(5); }
 */
export class ByteQueue {
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;
  /** Total bytes ever removed: the stream offset of `view()[0]`. */
  consumed = 0;
  constructor(
    private readonly cap = Infinity,
    private readonly what = 'buffer',
  ) {}
  get size(): number {
    return this.end - this.start;
  }
  /** Append a copy of `chunk`. Throws ParseError('too-large') if more than `cap` bytes would be held. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.size + chunk.length > this.cap) {
      throw new ParseError('too-large', `${this.what}: more than ${this.cap} buffered byte(s)`, this.consumed + this.size, this.what);
    }
    if (this.end + chunk.length > this.buf.length) {
      const live = this.size;
      if (live + chunk.length <= this.buf.length) this.buf.copyWithin(0, this.start, this.end);
      else {
        const next = new Uint8Array(Math.max(live + chunk.length, Math.min(this.cap, this.buf.length * 2 || 4096)));
        next.set(this.buf.subarray(this.start, this.end));
        this.buf = next;
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }
  /** What is buffered, as a view: valid until the next `push`. */
  view(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }
  /** Remove the next `n` bytes (at most what is buffered). */
  drop(n: number): void {
    n = Math.min(n, this.size);
    this.start += n;
    this.consumed += n;
    if (this.start === this.end) this.start = this.end = 0;
  }
  /** Remove and return a copy of the next `n` bytes (a copy, so later pushes cannot alias it). */
  take(n: number): Uint8Array {
    const out = this.buf.slice(this.start, this.start + n);
    this.drop(out.length);
    return out;
  }
}

export function hex(v: number, width: number): string {
  return v.toString(16).padStart(width, '0');
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += hex(x, 2);
  return s;
}

/** Parse a hex string, ignoring white space; for fixtures and user input. Throws ParseError on odd length or bad digits. */
export function fromHex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new ParseError('invalid', 'not a hex string', 0, 'hex');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Printable ASCII, everything else as '.'; for excerpts. */
export function toAscii(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.';
  return s;
}

/** A classic `offset  hex  |ascii|` dump, 16 bytes a line. */
export function hexdump(b: Uint8Array, maxBytes = 256): string {
  const lines: string[] = [];
  const n = Math.min(b.length, maxBytes);
  for (let i = 0; i < n; i += 16) {
    const row = b.subarray(i, Math.min(i + 16, n));
    const h = Array.from(row, (x) => hex(x, 2)).join(' ');
    lines.push(`${hex(i, 4)}  ${h.padEnd(47)}  |${toAscii(row)}|`);
  }
  if (b.length > n) lines.push(`… ${b.length - n} more byte(s)`);
  return lines.join('\n');
}
