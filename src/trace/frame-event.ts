/**
 * HTTP/2 frames as trace events (`frame` lines): pure, from the frame codec's values.
 */
import { FLAGS } from '../wire/http2/registry.js';
import type { Frame } from '../wire/http2/frame-types.js';
import { HpackDecoder } from '../wire/hpack/index.js';
import { toHex } from '../wire/bytes.js';
import { H2_LIMITS } from '../probes/h2-inspect.js';
import type { FrameEvent } from '../model/trace.js';
import { printable } from './text.js';

const FLAG_NAMES: Record<string, Array<[number, string]>> = {
  DATA: [[FLAGS.END_STREAM, 'END_STREAM'], [FLAGS.PADDED, 'PADDED']],
  HEADERS: [[FLAGS.END_STREAM, 'END_STREAM'], [FLAGS.END_HEADERS, 'END_HEADERS'], [FLAGS.PADDED, 'PADDED'], [FLAGS.PRIORITY, 'PRIORITY']],
  SETTINGS: [[FLAGS.ACK, 'ACK']],
  PING: [[FLAGS.ACK, 'ACK']],
  PUSH_PROMISE: [[FLAGS.END_HEADERS, 'END_HEADERS'], [FLAGS.PADDED, 'PADDED']],
  CONTINUATION: [[FLAGS.END_HEADERS, 'END_HEADERS']],
};

/**
 * One HTTP/2 frame as a trace event: its type, flags by name (undefined bits said), stream, length
 * and its fields in one line; what we sent in HEADERS decoded again from our own block.
 * @example frameEvent(settingsFrame([]), 'out', 64).detail // '(empty)'
 */
export function frameEvent(f: Frame, dir: 'in' | 'out', previewBytes: number): FrameEvent {
  const flagNames = (FLAG_NAMES[f.kind] ?? []).filter(([bit]) => (f.flags & bit) !== 0).map(([, n]) => n);
  const ev: FrameEvent = {
    kind: 'frame',
    dir,
    type: f.type,
    typeName: f.kind === 'UNKNOWN' ? f.typeName : f.kind,
    flags: f.flags,
    flagNames,
    streamId: f.streamId,
    length: f.length,
    detail: '',
  };
  switch (f.kind) {
    case 'DATA': {
      const shown = f.data.subarray(0, previewBytes);
      ev.preview = printable(shown) + (f.data.length > shown.length ? '…' : '');
      ev.detail = `${f.data.length} bytes${f.padLength !== undefined ? ` padding=${f.padLength}` : ''}${f.data.length ? ` "${ev.preview}"` : ''}`;
      break;
    }
    case 'HEADERS':
      ev.detail = `block=${f.fieldBlockFragment.length} bytes${f.priority ? ` depends_on=${f.priority.streamDependency} weight=${f.priority.weight + 1}` : ''}`;
      if (dir === 'out') ev.headers = sentFields(f);
      break;
    case 'CONTINUATION':
      ev.detail = `block=${f.fieldBlockFragment.length} bytes`;
      break;
    case 'PUSH_PROMISE':
      ev.detail = `promised_stream=${f.promisedStreamId} block=${f.fieldBlockFragment.length} bytes`;
      break;
    case 'PRIORITY':
      ev.detail = `depends_on=${f.streamDependency} weight=${f.weight + 1}${f.exclusive ? ' exclusive' : ''}`;
      break;
    case 'RST_STREAM':
      ev.errorName = f.errorName;
      ev.detail = f.errorName;
      break;
    case 'SETTINGS':
      ev.settings = f.settings.map((s) => ({ name: s.name, value: s.value }));
      ev.detail = f.ack ? '' : f.settings.length ? f.settings.map((s) => `${s.name}=${s.value}`).join(' ') : '(empty)';
      break;
    case 'PING':
      ev.detail = toHex(f.opaqueData);
      break;
    case 'GOAWAY': {
      ev.errorName = f.errorName;
      const debug = printable(f.debugData.subarray(0, 256));
      if (f.debugData.length) ev.debug = debug;
      ev.detail = `last_stream=${f.lastStreamId} ${f.errorName}${f.debugData.length ? ` "${debug}"` : ''}`;
      break;
    }
    case 'WINDOW_UPDATE':
      ev.detail = `+${f.windowSizeIncrement}`;
      break;
    case 'UNKNOWN':
      ev.detail = `${f.payload.length} bytes (unknown types are ignored, RFC 9113 §5.5)`;
      break;
  }
  const undefinedBits = f.flags & ~flagNames.reduce((m, n) => m | (FLAG_NAMES[f.kind]!.find(([, x]) => x === n)![0]), 0);
  if (undefinedBits && f.kind !== 'UNKNOWN') ev.detail += ` flags=0x${undefinedBits.toString(16).padStart(2, '0')}`;
  return ev;
}

/** The request fields, for the trace of what we sent (decoded from our own block). */
function sentFields(f: Extract<Frame, { kind: 'HEADERS' }>): Array<[string, string]> | undefined {
  if (!f.endHeaders || f.streamId !== 1) return undefined;
  try {
    // Our encoder uses no dynamic table, so a fresh decoder reads the block.
    return new HpackDecoder({ maxHeaderListSize: H2_LIMITS.maxHeaderList }).decode(f.fieldBlockFragment).headers;
  } catch {
    return undefined;
  }
}
