/**
 * One line per HTTP/2 frame for traces and evidence: type, the decoded fields that matter, flags.
 *
 * @example
 * for (let f = dec.next(); f; f = dec.next()) console.log(describeFrame(f));
 */
import { hex, toHex } from '../bytes.js';
import { DEFINED_FLAGS, type Frame, type PriorityFields } from './frame-types.js';

const utf8 = new TextDecoder('utf-8');
const MAX_DEBUG_CHARS = 200;

/**
 * One line for a trace: type, the decoded fields that matter, and flags.
 *
 * @example
 * describeFrame(settingsFrame({ MAX_CONCURRENT_STREAMS: 100, INITIAL_WINDOW_SIZE: 65535 }));
 * // 'SETTINGS MAX_CONCURRENT_STREAMS=100 INITIAL_WINDOW_SIZE=65535'
 * describeFrame(goawayFrame(0, 'PROTOCOL_ERROR', 'debug text')); // 'GOAWAY last_stream=0 PROTOCOL_ERROR "debug text"'
 * describeFrame(dataFrame(1, new Uint8Array(1234), { endStream: true })); // 'DATA 1234 bytes END_STREAM'
 */
export function describeFrame(f: Frame): string {
  const parts: string[] = [];
  const flag = (on: boolean, name: string): void => {
    if (on) parts.push(name);
  };
  const padded = (n: number | undefined): void => {
    if (n !== undefined) parts.push(`padding=${n}`);
  };
  const prio = (p: PriorityFields): string => `depends_on=${p.streamDependency} weight=${p.weight + 1}${p.exclusive ? ' exclusive' : ''}`;
  switch (f.kind) {
    case 'DATA':
      parts.push('DATA', `${f.data.length} bytes`);
      padded(f.padLength);
      flag(f.endStream, 'END_STREAM');
      break;
    case 'HEADERS':
      parts.push('HEADERS', `block=${f.fieldBlockFragment.length} bytes`);
      if (f.priority) parts.push(prio(f.priority));
      padded(f.padLength);
      flag(f.endStream, 'END_STREAM');
      flag(f.endHeaders, 'END_HEADERS');
      break;
    case 'PRIORITY':
      parts.push('PRIORITY', prio(f));
      break;
    case 'RST_STREAM':
      parts.push('RST_STREAM', f.errorName);
      break;
    case 'SETTINGS':
      parts.push('SETTINGS');
      flag(f.ack, 'ACK');
      for (const s of f.settings) parts.push(`${s.name}=${s.value}`);
      if (!f.ack && f.settings.length === 0) parts.push('(empty)');
      break;
    case 'PUSH_PROMISE':
      parts.push('PUSH_PROMISE', `promised_stream=${f.promisedStreamId}`, `block=${f.fieldBlockFragment.length} bytes`);
      padded(f.padLength);
      flag(f.endHeaders, 'END_HEADERS');
      break;
    case 'PING':
      parts.push('PING');
      flag(f.ack, 'ACK');
      parts.push(toHex(f.opaqueData));
      break;
    case 'GOAWAY':
      parts.push('GOAWAY', `last_stream=${f.lastStreamId}`, f.errorName);
      if (f.debugData.length > 0) {
        const text = utf8.decode(f.debugData);
        parts.push(JSON.stringify(text.length > MAX_DEBUG_CHARS ? `${text.slice(0, MAX_DEBUG_CHARS)}…` : text));
      }
      break;
    case 'WINDOW_UPDATE':
      parts.push('WINDOW_UPDATE', `+${f.windowSizeIncrement}`);
      break;
    case 'CONTINUATION':
      parts.push('CONTINUATION', `block=${f.fieldBlockFragment.length} bytes`);
      flag(f.endHeaders, 'END_HEADERS');
      break;
    case 'UNKNOWN':
      parts.push(f.typeName, `${f.payload.length} bytes`);
      break;
  }
  const undefinedBits = f.flags & ~(DEFINED_FLAGS[f.kind] ?? 0);
  if (undefinedBits) parts.push(`flags=0x${hex(undefinedBits, 2)}`);
  return parts.join(' ');
}
