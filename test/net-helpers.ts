/**
 * Loopback helpers for integration tests that start real servers (nginx, tinyproxy).
 */
import net from 'node:net';

/** A free TCP port on 127.0.0.1 (bound, then released): the lab's own. */
export { freePort } from '../src/lab/servers.js';

/** Wait until something accepts TCP on 127.0.0.1:port, at most `ms`. */
export async function waitPort(port: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
