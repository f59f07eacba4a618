/**
 * A finished trace as a pcapng file: the captured bytes in synthetic TCP/IP framing, and the TLS
 * key log in a Decryption Secrets Block, so `tshark -r FILE -Y http2` shows decrypted frames.
 *
 * @example
 * writeFileSync('t.pcapng', tracePcapng(result));
 */
import { writePcapng } from '../wire/pcapng.js';
import { VERSION } from '../version.js';
import type { TraceResult } from './types.js';

/** The pcapng bytes, or undefined when no connection opened (nothing to capture). */
export function tracePcapng(r: TraceResult): Uint8Array | undefined {
  const c = r.capture;
  if (!c) return undefined;
  return writePcapng({
    client: c.client,
    server: c.server,
    openedAt: c.openedAt,
    segments: c.chunks,
    close: c.close,
    ...(r.keylog.length ? { keylog: `${r.keylog.join('\n')}\n` } : {}),
    comment: `h2doctor trace ${r.url}: the bytes of one connection as they crossed it, in synthetic TCP/IP framing (sequence numbers, handshake and close are made up; timestamps are real)`,
    application: `h2doctor ${VERSION}`,
  });
}

/** NSS key log file contents (SSLKEYLOGFILE format). */
export function keylogText(r: TraceResult): string {
  return r.keylog.length ? `${r.keylog.join('\n')}\n` : '';
}
