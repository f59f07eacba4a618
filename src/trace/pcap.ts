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

/** Ports Wireshark's HTTP dissector takes by default (its "TCP port range" preference). */
const HTTP_PORTS = new Set([80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710]);

/** The pcapng bytes, or undefined when no connection opened (nothing to capture). */
export function tracePcapng(r: TraceResult): Uint8Array | undefined {
  const c = r.capture;
  if (!c) return undefined;
  // Wireshark finds TLS on any port by heuristics, but cleartext HTTP/2 only behind the HTTP
  // dissector, which listens on the HTTP ports: show a cleartext server on port 80 and say so.
  const relabel = !r.keylog.length && !HTTP_PORTS.has(c.server.port);
  const server = relabel ? { ...c.server, port: 80 } : c.server;
  return writePcapng({
    client: c.client,
    server,
    openedAt: c.openedAt,
    segments: c.chunks,
    close: c.close,
    ...(r.keylog.length ? { keylog: `${r.keylog.join('\n')}\n` } : {}),
    comment:
      `h2doctor trace ${r.url}: the bytes of one connection as they crossed it, in synthetic TCP/IP framing (sequence numbers, handshake and close are made up; timestamps are real)` +
      (relabel ? `; the server's port ${c.server.port} is shown as 80 so that Wireshark decodes cleartext HTTP/2` : '') +
      (c.truncated ? `; capture truncated at ${c.truncated.bytes} bytes (the capture budget): the connection went on past the last packet` : ''),
    application: `h2doctor ${VERSION}`,
  });
}

/** NSS key log file contents (SSLKEYLOGFILE format). */
export function keylogText(r: TraceResult): string {
  return r.keylog.length ? `${r.keylog.join('\n')}\n` : '';
}
