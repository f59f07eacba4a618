/**
 * Read an HTTP/1.1 response body (RFC 9112 §6.3) after its head, bounded: Content-Length, chunked
 * (de-chunked here, §7.1), or until the connection closes. Returns what arrived by the deadline.
 */
import type { ByteSink } from '../../transport/conn.js';

/**
 * Decode as much of a chunked body as is complete. `done` once the last chunk (size 0) is seen.
 * @example dechunk(new TextEncoder().encode('3\r\nabc\r\n0\r\n\r\n'), 1024) // { body: 'abc' as bytes, done: true }
 */
export function dechunk(b: Uint8Array, max: number): { body: Uint8Array; done: boolean } {
  const parts: Uint8Array[] = [];
  let size = 0;
  let i = 0;
  for (;;) {
    let eol = -1;
    for (let j = i; j + 1 < b.length && j < i + 1024; j++) if (b[j] === 0x0d && b[j + 1] === 0x0a) {
      eol = j;
      break;
    }
    if (eol < 0) return { body: concatParts(parts, size), done: false };
    // RFC 9112 §7.1: chunk-size [ chunk-ext ] CRLF.
    const line = String.fromCharCode(...b.subarray(i, eol)).split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(line)) return { body: concatParts(parts, size), done: true };
    const n = parseInt(line, 16);
    if (n === 0) return { body: concatParts(parts, size), done: true };
    const start = eol + 2;
    const avail = Math.min(n, b.length - start);
    const take = Math.min(avail, max - size);
    if (take > 0) {
      parts.push(b.subarray(start, start + take));
      size += take;
    }
    if (size >= max) return { body: concatParts(parts, size), done: true };
    if (avail < n || b.length < start + n + 2) return { body: concatParts(parts, size), done: false };
    i = start + n + 2;
  }
}

function concatParts(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Reads a response body (Content-Length, chunked, or to the close), bounded, as text.
 * @example const body = await readBody(sink, headLength, h1.headers ?? [], deadline, 16 * 1024);
 */
export async function readBody(sink: ByteSink, headLength: number, headers: ReadonlyArray<readonly [string, string]>, deadline: number, max: number): Promise<string> {
  const field = (n: string) => headers.find(([k]) => k.toLowerCase() === n)?.[1];
  const chunked = /(^|,)\s*chunked\s*$/i.test(field('transfer-encoding') ?? '');
  const cl = Number(field('content-length'));
  const want = Number.isFinite(cl) && cl >= 0 && !chunked ? Math.min(cl, max) : max;
  const bodyOf = (all: Uint8Array) => all.subarray(headLength);
  await sink.until((all) => {
    const b = bodyOf(all);
    return chunked ? dechunk(b, max).done : b.length >= want;
  }, deadline);
  const b = bodyOf(sink.bytes());
  const bytes = chunked ? dechunk(b, max).body : b.subarray(0, want);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
