/**
 * One HTTP/1.1 request over an open byte stream; reads the response head and a bounded body preview.
 */
import type { Http1Result } from '../model/index.js';
import type { ByteSink } from '../transport/conn.js';
import { classify } from '../wire/sniff.js';
import { ParseError } from '../wire/bytes.js';
import { parseResponseHead, encodeRequestHead } from '../wire/http1/head.js';

/**
 * What one HTTP/1.x request carries: method, path, Host, User-Agent, extra fields, version.
 * @example h1Request({ path: '/', host: 'example.com', userAgent: 'h2doctor', headers: [['Accept-Language', 'en']] })
 */
export interface H1Options {
  method?: string;
  path: string;
  host: string;
  userAgent: string;
  headers?: Array<[string, string]>;
  /** HTTP version to send ("1.1" or "1.0"). */
  version?: '1.1' | '1.0';
  /** Do not send `Connection: close` (for upgrades). */
  keepOpen?: boolean;
}

/**
 * Most bytes of a response head we read (64 KiB).
 * @example parseResponseHead(bytes, { maxHeadBytes: MAX_HEAD_BYTES })
 */
export const MAX_HEAD_BYTES = 64 * 1024;
/**
 * Longest field value kept in evidence.
 * @example MAX_FIELD_CHARS // 1024: a longer value is kept cut, with its size
 */
export const MAX_FIELD_CHARS = 1024;

/**
 * The bytes of one HTTP/1.x request head (Host, User-Agent, Accept, the extra fields; `Connection: close` unless kept open or given).
 * @example socket.write(h1Request({ method: 'GET', path: '/', host: 'example.com', userAgent: 'h2doctor' })) // 'GET / HTTP/1.1\r\nHost: example.com\r\n…Connection: close\r\n\r\n'
 */
export function h1Request(o: H1Options): Uint8Array {
  const headers: Array<[string, string]> = [
    ['Host', o.host],
    ['User-Agent', o.userAgent],
    ['Accept', '*/*'],
    ...(o.headers ?? []),
  ];
  if (!o.keepOpen && !headers.some(([k]) => k.toLowerCase() === 'connection')) headers.push(['Connection', 'close']);
  return encodeRequestHead(o.method ?? 'GET', o.path, headers, `HTTP/${o.version ?? '1.1'}`);
}

/**
 * Wait for and parse the response head that starts at `offset` in the sink.
 * @example const h1 = await readH1Response(sink, { deadline: performance.now() + 3000, bodyPreview: 512 }); h1.status // 200
 */
export async function readH1Response(sink: ByteSink, o: { deadline: number; offset?: number; bodyPreview?: number }): Promise<Http1Result & { headLength?: number }> {
  const off = o.offset ?? 0;
  const headDone = (b: Uint8Array) => {
    try {
      return parseResponseHead(b.subarray(off), { maxHeadBytes: MAX_HEAD_BYTES }).complete;
    } catch {
      return true;
    }
  };
  const end = await sink.until(headDone, o.deadline);
  const bytes = sink.bytes().subarray(off);
  const first = classify(bytes, end === 'open' ? 'eof' : end);
  let head;
  try {
    head = parseResponseHead(bytes, { maxHeadBytes: MAX_HEAD_BYTES });
  } catch (e) {
    if (bytes.length === 0) return { outcome: endOutcome(end), first };
    if (first.first.kind !== 'http1') return { outcome: 'not-http', first };
    return { outcome: 'garbage', first, malformed: e instanceof ParseError ? e.message : String(e) };
  }
  if (!head.complete) {
    if (bytes.length === 0) return { outcome: endOutcome(end), first };
    return { outcome: first.first.kind === 'http1' || first.first.kind === 'incomplete' ? endOutcome(end) : 'not-http', first };
  }
  const res: Http1Result & { headLength?: number } = {
    outcome: 'response',
    first,
    version: head.version.replace(/^HTTP\//, ''),
    status: head.status,
    reason: head.reason,
    // A field value is kept up to 1 KiB: a 60 KB header is evidence of its size, not 60 KB of evidence.
    headers: head.headers.slice(0, 100).map(([k, v]) => [k, v.length > MAX_FIELD_CHARS ? `${v.slice(0, MAX_FIELD_CHARS)}… (${v.length} bytes)` : v] as [string, string]),
    headLength: head.headLength,
  };
  const want = o.bodyPreview ?? 0;
  if (want > 0 && head.status !== 101) {
    await sink.until((b) => b.length - off - head.headLength >= want, Math.min(o.deadline, performance.now() + 50));
    const body = sink.bytes().subarray(off + head.headLength, off + head.headLength + want);
    res.bodyPreview = new TextDecoder('utf-8', { fatal: false }).decode(body);
  }
  return res;
}

function endOutcome(end: string): Http1Result['outcome'] {
  return end === 'timeout' ? 'timeout' : end === 'reset' ? 'reset' : 'closed';
}
