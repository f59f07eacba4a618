/**
 * Lab servers for the TLS family that Node's TLS server alone cannot play:
 * - `sniFront`: a TCP front that reads the ClientHello, decides on its SNI (pass it to a backend TLS
 *   server, refuse it with an alert, or send a warning alert first, as Apache does for a name it has
 *   no virtual host for), then splices the connection through;
 * - `hostileTls`: servers that answer a ClientHello with garbage, absurd record lengths, a slow drip
 *   of bytes, or a reset in the middle of a record.
 */
import net from 'node:net';
import { parseRecords } from '../wire/tls/record.js';
import { parseClientHello } from '../wire/tls/client-hello.js';
import { encodeAlertRecord } from '../wire/tls/alert.js';
import { HOST } from './helpers.js';
import { listen, type Listening } from './servers.js';

export type FrontDecision = 'pass' | { alert: number } | { warnThenPass: number } | 'close';

/** Read one whole ClientHello record (bounded), then call `decide` with its SNI (null: none). */
export async function sniFront(backendPort: number, decide: (sni: string | null) => FrontDecision): Promise<Listening> {
  const server = net.createServer((client) => {
    client.on('error', () => {});
    let buf = Buffer.alloc(0);
    const onData = (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (buf.length > 32 * 1024) return client.destroy();
      let sni: string | null = null;
      try {
        const { records } = parseRecords(buf);
        if (!records.length) return;
        sni = parseClientHello(records[0]!.body).serverName ?? null;
      } catch {
        return client.destroy();
      }
      client.off('data', onData);
      const d = decide(sni);
      if (d === 'close') return client.end();
      if (typeof d === 'object' && 'alert' in d) {
        // RFC 8446 §6: a fatal alert, then close.
        return client.end(Buffer.from(encodeAlertRecord('fatal', d.alert)));
      }
      if (typeof d === 'object' && 'warnThenPass' in d) client.write(Buffer.from(encodeAlertRecord('warning', d.warnThenPass)));
      const up = net.connect({ host: HOST, port: backendPort });
      up.on('error', () => client.destroy());
      client.on('close', () => up.destroy());
      up.on('close', () => client.destroy());
      up.write(buf);
      client.pipe(up);
      up.pipe(client);
    };
    client.on('data', onData);
  });
  return listen(server, HOST);
}

export type HostileKind = 'garbage' | 'huge-length' | 'drip' | 'reset-mid-record' | 'endless-records';

/**
 * A server that misbehaves on purpose once it has the ClientHello.
 * - garbage: random bytes, forever (until the client leaves);
 * - huge-length: a handshake record header announcing 65 535 bytes, then a trickle;
 * - drip: a valid-looking ServerHello record header (256 bytes announced), then one byte every 200 ms;
 * - reset-mid-record: half a record, then a TCP reset;
 * - endless-records: tiny handshake records that never complete a message.
 */
export async function hostileTls(kind: HostileKind): Promise<Listening> {
  const timers = new Set<NodeJS.Timeout>();
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', () => {
      const every = (ms: number, f: () => void) => {
        const t = setInterval(() => (s.destroyed ? clearInterval(t) : f()), ms);
        timers.add(t);
        s.on('close', () => {
          clearInterval(t);
          timers.delete(t);
        });
      };
      switch (kind) {
        case 'garbage':
          every(5, () => s.write(Buffer.alloc(16 * 1024, 0xa5)));
          return;
        case 'huge-length':
          s.write(Buffer.from([0x16, 0x03, 0x03, 0xff, 0xff, 0x02]));
          every(50, () => s.write(Buffer.alloc(4096, 0)));
          return;
        case 'drip':
          // 256 bytes announced: at 5 bytes a second the record is not complete before 51 s.
          s.write(Buffer.from([0x16, 0x03, 0x03, 0x01, 0x00]));
          every(200, () => s.write(Buffer.from([0x02])));
          return;
        case 'reset-mid-record':
          s.write(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x50, 0x02, 0x00, 0x00, 0x4c, 0x03, 0x03]), () => setTimeout(() => s.resetAndDestroy(), 20));
          return;
        case 'endless-records':
          // A ServerHello header announcing 16 MiB, fed one 1-byte record at a time.
          s.write(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0xff, 0xff, 0xff]));
          every(2, () => s.write(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x01, 0x00])));
          return;
      }
    });
  });
  const l = await listen(server, HOST);
  return {
    ...l,
    stop: async () => {
      for (const t of timers) clearInterval(t);
      await l.stop();
    },
  };
}
