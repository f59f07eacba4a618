/**
 * Loopback server plumbing for the lab: listen on an ephemeral port, track sockets, stop cleanly.
 */
import net from 'node:net';
import type { Server } from 'node:net';

export interface Listening {
  port: number;
  host: string;
  stop(): Promise<void>;
}

/** Listen on host:port (0 = ephemeral) and track every socket so stop() ends them all. */
export function listen(server: Server, host = '127.0.0.1', port = 0): Promise<Listening> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  server.on('connection', track);
  server.on('secureConnection', track);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address() as net.AddressInfo;
      resolve({
        port: addr.port,
        host,
        stop: () =>
          new Promise<void>((res) => {
            for (const s of sockets) s.destroy();
            server.close(() => res());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
  });
}

/** A port nothing listens on (bound, then released). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const s = net.createServer();
  const l = await listen(s, host);
  await l.stop();
  return l.port;
}

/** Read until the end of an HTTP/1 request head; resolves with the head text and any bytes after it. */
export function readRequestHead(sock: net.Socket, first: Buffer, limit = 16384): Promise<{ head: string; rest: Buffer } | null> {
  return new Promise((resolve) => {
    let buf = first;
    const check = () => {
      const i = buf.indexOf('\r\n\r\n');
      if (i >= 0) {
        sock.off('data', onData);
        resolve({ head: buf.subarray(0, i).toString('latin1'), rest: buf.subarray(i + 4) });
        return true;
      }
      if (buf.length > limit) {
        sock.off('data', onData);
        resolve(null);
        return true;
      }
      return false;
    };
    const onData = (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      check();
    };
    if (!check()) sock.on('data', onData);
  });
}
