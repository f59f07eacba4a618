/**
 * One HTTP/2 exchange over an open byte stream (TLS, TCP, or after `Upgrade: h2c`): send the
 * preface and SETTINGS, classify the server's first bytes, then send a GET and read the status.
 * Never throws because a server misbehaved: what it sent becomes evidence. The client itself, with
 * its checks and limits, is `h2-client.ts` (shared with extended CONNECT and trace).
 */
import type { Http2Result } from '../model/index.js';
import type { ByteSink } from '../transport/conn.js';
import { H2Client } from './h2-client.js';

/**
 * The request an HTTP/2 exchange sends, and how the connection was reached.
 * @example await h2Exchange(write, sink, { via: 'tls', scheme: 'https', authority: 'example.com', path: '/', userAgent: 'h2doctor', deadline })
 */
export interface H2ExchangeOptions {
  via: Http2Result['via'];
  scheme: 'http' | 'https';
  authority: string;
  path: string;
  userAgent: string;
  deadline: number;
  /** Offset in the sink where HTTP/2 bytes begin (after a 101 head). */
  offset?: number;
  /** After `Upgrade: h2c` the request is already stream 1: do not send another. */
  requestAlreadySent?: boolean;
  /** Most frames to record. */
  maxFrames?: number;
  /** Extra request headers. */
  headers?: Array<[string, string]>;
  method?: string;
}

/**
 * HPACK is our own (src/wire/hpack), not a library: the evidence needs what libraries hide (the
 * exact bytes, never-indexed flags, table-size updates), the limits against decompression bombs are
 * ours to set per probe, and it must throw only our typed ParseError on a hostile server's bytes.
 * @example (await h2Exchange(write, sink, opts)).status // 200
 */
export async function h2Exchange(write: (b: Uint8Array) => void, sink: ByteSink, o: H2ExchangeOptions): Promise<Http2Result> {
  const c = new H2Client(write, sink, {
    via: o.via,
    deadline: o.deadline,
    ...(o.offset !== undefined ? { offset: o.offset } : {}),
    ...(o.maxFrames !== undefined ? { maxFrames: o.maxFrames } : {}),
    ...(o.requestAlreadySent ? { requestAlreadySent: true } : {}),
  });
  if (!(await c.start())) return c.result;
  for (let e = await c.next(); e; e = await c.next()) {
    if (e.kind === 'settings') {
      c.request(
        [
          [':method', o.method ?? 'GET'],
          [':scheme', o.scheme],
          [':authority', o.authority],
          [':path', o.path],
          ['user-agent', o.userAgent],
          ['accept', '*/*'],
          ...(o.headers ?? []),
        ],
        { endStream: true },
      );
    } else if (e.kind === 'response') {
      // Read on a moment for the end of the response: an endless run of empty DATA is a flood too.
      if (!e.endStream) await readBody(c, Math.min(o.deadline, performance.now() + BODY_WAIT_MS));
      break;
    }
  }
  return c.result;
}

/** Longest wait for the rest of a response once its HEADERS arrived (a live server sends it at once). */
const BODY_WAIT_MS = 250;

async function readBody(c: H2Client, until: number): Promise<void> {
  for (let e = await c.next(until); e; e = await c.next(until)) {
    if (e.kind !== 'frame' || e.frame.streamId !== 1) continue;
    const f = e.frame;
    if (f.kind === 'RST_STREAM' || ((f.kind === 'DATA' || f.kind === 'HEADERS') && f.endStream)) return;
  }
}
