/**
 * One HTTP/2 exchange over an open byte stream (TLS, TCP, or after `Upgrade: h2c`): send the
 * preface and SETTINGS, classify the server's first bytes, then send a GET and read the status.
 * Never throws because a server misbehaved: what it sent becomes evidence.
 */
import type { Http2Frame, Http2Result } from '../types.js';
import type { ByteSink } from '../transport/conn.js';
import { classify, isDecided } from '../wire/sniff.js';
import { CLIENT_PREFACE, SETTINGS, errorCodeName, frameTypeName } from '../wire/http2/registry.js';
import { FrameDecoder, describeFrame, encodeFrame, headersFrame, pingFrame, settingsFrame, windowUpdateFrame, type Frame } from '../wire/http2/frame.js';
import { HpackDecoder, HpackEncoder } from '../wire/hpack/index.js';
import { ParseError, concat, toAscii } from '../wire/bytes.js';
import { FramePump } from './pump.js';

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

/** Our SETTINGS: no push, a large window so the server never waits for us. */
export const CLIENT_SETTINGS: Array<{ id: number; value: number }> = [
  { id: SETTINGS.ENABLE_PUSH, value: 0 },
  { id: SETTINGS.INITIAL_WINDOW_SIZE, value: 1 << 24 },
  { id: SETTINGS.MAX_HEADER_LIST_SIZE, value: 262144 },
];

const MAX_FRAME_SIZE = 16384;


/*
 * HPACK is our own (src/wire/hpack), not a library: the evidence needs what libraries hide (the
 * exact bytes, never-indexed flags, table-size updates), the limits against decompression bombs are
 * ours to set per probe, and it must throw only our typed ParseError on a hostile server's bytes.
 */
export async function h2Exchange(
  write: (b: Uint8Array) => void,
  sink: ByteSink,
  o: H2ExchangeOptions,
): Promise<Http2Result> {
  const frames: Http2Frame[] = [];
  const maxFrames = o.maxFrames ?? 64;
  const off = o.offset ?? 0;
  const log = (dir: 'in' | 'out', f: Frame) => {
    if (frames.length < maxFrames) frames.push(frameRecord(dir, f));
  };
  const send = (f: Frame) => {
    log('out', f);
    return encodeFrame(f);
  };

  const opening: Uint8Array[] = [CLIENT_PREFACE];
  opening.push(send(settingsFrame(CLIENT_SETTINGS)));
  // RFC 9113 §6.9.2: the connection window starts at 65535 whatever SETTINGS say; open it.
  opening.push(send(windowUpdateFrame(0, (1 << 24) - 65535)));
  write(concat(opening));

  // RFC 9113 §3.4: the server connection preface is a SETTINGS frame, first.
  const endFirst = await sink.until((b) => isDecided(b.subarray(off)), o.deadline);
  const first = classify(sink.bytes().subarray(off), endFirst === 'open' ? 'open' : endFirst);
  const base: Http2Result = { via: o.via, outcome: 'closed', first, frames };
  switch (first.first.kind) {
    case 'http1':
      return { ...base, outcome: 'http1-response' };
    case 'eof':
      return { ...base, outcome: 'closed' };
    case 'reset':
      return { ...base, outcome: 'reset' };
    case 'timeout':
    case 'incomplete':
      return { ...base, outcome: 'timeout' };
    case 'garbage':
    case 'banner':
    case 'tls-alert':
    case 'tls-handshake':
    case 'tls-other':
      return { ...base, outcome: 'garbage' };
    default:
      break;
  }

  const dec = new FrameDecoder({ maxFrameSize: MAX_FRAME_SIZE });
  const hpack = new HpackDecoder({ maxHeaderListSize: 262144, maxTableSize: 4096 });
  const result: Http2Result = { ...base, outcome: 'settings-no-response' };
  let requested = !!o.requestAlreadySent;
  let headerBlock: Uint8Array[] | null = null;
  let isFirst = true;

  const sendRequest = () => {
    if (requested) return;
    requested = true;
    const enc = new HpackEncoder({ huffman: false, indexing: false });
    const fields: Array<[string, string]> = [
      [':method', o.method ?? 'GET'],
      [':scheme', o.scheme],
      [':authority', o.authority],
      [':path', o.path],
      ['user-agent', o.userAgent],
      ['accept', '*/*'],
      ...(o.headers ?? []),
    ];
    const block = enc.encode(fields);
    write(send(headersFrame(1, block, { endStream: true, endHeaders: true })));
  };

  const pump = new FramePump(sink, dec, off);
  for (;;) {
    const next = await pump.next(o.deadline);
    if ('error' in next) {
      result.outcome = isFirst ? 'garbage' : 'protocol-error';
      result.detail = next.error;
      return result;
    }
    if ('end' in next) {
      const end = next.end;
      if (end === 'budget') return result;
      if (result.outcome === 'settings-no-response') {
        result.outcome = end === 'timeout' ? 'timeout' : end === 'reset' ? 'reset' : 'closed';
        if (result.serverSettings) result.detail = `the server sent SETTINGS, then ${end === 'timeout' ? 'nothing more' : 'closed the connection'} before answering the request`;
      }
      return result;
    }
    const f = next.frame;
    log('in', f);
    if (isFirst) {
      isFirst = false;
      if (f.kind !== 'SETTINGS') {
        if (f.kind === 'GOAWAY') {
          result.goaway = goaway(f);
          result.outcome = 'goaway';
          return result;
        }
        result.outcome = 'not-settings';
        result.detail = `the first frame is ${frameTypeName(f.type)}, not SETTINGS`;
        return result;
      }
    }
    switch (f.kind) {
      case 'SETTINGS': {
        const s = f;
        if (!s.ack) {
          if (!result.serverSettings) result.serverSettings = s.settings.map((x) => ({ id: x.id, name: x.name, value: x.value }));
          write(send(settingsFrame([], true)));
          const mcs = s.settings.find((x) => x.id === SETTINGS.MAX_CONCURRENT_STREAMS);
          // RFC 9113 §5.1.2: a client must not open streams beyond the peer's limit.
          if (mcs && mcs.value === 0) {
            result.detail = 'SETTINGS_MAX_CONCURRENT_STREAMS = 0: no stream may be opened';
            return result;
          }
          sendRequest();
        }
        break;
      }
      case 'PING': {
        if (!f.ack) write(send(pingFrame(f.opaqueData, true)));
        break;
      }
      case 'GOAWAY': {
        result.goaway = goaway(f);
        if (result.status === undefined) {
          result.outcome = 'goaway';
          return result;
        }
        break;
      }
      case 'RST_STREAM': {
        const r = f;
        if (r.streamId === 1 && result.status === undefined) {
          result.rstStream = { errorCode: r.errorCode, errorName: errorCodeName(r.errorCode) };
          result.outcome = 'rst-stream';
          return result;
        }
        break;
      }
      case 'HEADERS':
      case 'CONTINUATION': {
        if (f.streamId !== 1) break;
        const frag = f.fieldBlockFragment;
        headerBlock = f.kind === 'HEADERS' ? [frag] : [...(headerBlock ?? []), frag];
        if (f.endHeaders) {
          let fields: Array<[string, string]>;
          try {
            fields = hpack.decode(concat(headerBlock)).headers;
          } catch (e) {
            result.outcome = 'protocol-error';
            result.detail = `HPACK: ${e instanceof ParseError ? e.message : String(e)}`;
            return result;
          }
          headerBlock = null;
          const status = fields.find(([k]) => k === ':status')?.[1];
          if (status && Number(status) >= 200 && result.status === undefined) {
            result.status = Number(status);
            result.headers = fields.slice(0, 64);
            result.outcome = 'response';
            return result;
          }
        }
        break;
      }
      default:
        break;
    }
  }
}

function goaway(g: { lastStreamId: number; errorCode: number; debugData: Uint8Array }): NonNullable<Http2Result['goaway']> {
  return { lastStreamId: g.lastStreamId, errorCode: g.errorCode, errorName: errorCodeName(g.errorCode), debug: toAscii(g.debugData.subarray(0, 256)) };
}

/** One frame as evidence: what `frames` in an Http2Result holds. */
export function frameRecord(dir: 'in' | 'out', f: Frame): Http2Frame {
  return { dir, type: f.type, typeName: frameTypeName(f.type), flags: f.flags, streamId: f.streamId, length: f.length, info: describeFrame(f) };
}
