/**
 * A failure that comes and goes, for `h2doctor watch`: one name, two addresses. 127.0.0.1 always
 * speaks h2; 127.0.0.2 alternates, round by round, between the same healthy server and one whose
 * ALPN offers only http/1.1. A round is a burst of connections: a connection that arrives when none
 * is open and the last closed more than FLAP_GAP_MS ago starts the next round. One diagnosis is one
 * round, so a watch (runs further apart than the gap) sees 127.0.0.2 healthy, broken, healthy…:
 * `alpn-no-h2` on 127.0.0.2 and `dns-addresses-disagree` come and go, run after run.
 */
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import { listen } from '../servers.js';
import { HOST, ok, tlsCert, type LabScenario } from '../helpers.js';

/** Idle time after which the next connection to the flapping address starts a new round. */
export const FLAP_GAP_MS = 500;
/** The address that flaps. */
export const FLAP_ADDRESS = '127.0.0.2';

export const FLAPPING_SCENARIOS: LabScenario[] = [
  {
    id: 'flapping-address',
    title: `Two addresses; ${FLAP_ADDRESS} loses h2 on every other round of connections (rounds ${FLAP_GAP_MS} ms apart): for watch`,
    family: 'dns',
    // The first round is healthy; a second diagnosis within the same round cannot happen in the lab run.
    expect: [],
    allow: ['dns-addresses-disagree', 'alpn-no-h2'],
    async start(env) {
      const cert = await tlsCert(env);
      const healthy = await listen(http2.createSecureServer({ ...cert, allowHTTP1: true }, ok), HOST);
      const broken = await listen(https.createServer({ ...cert, ALPNProtocols: ['http/1.1'] }, ok), HOST);
      let round = 0;
      let open = 0;
      let lastClose = -Infinity;
      const front = net.createServer((sock) => {
        sock.on('error', () => {});
        const now = performance.now();
        if (open === 0 && now - lastClose > FLAP_GAP_MS) round++;
        open++;
        // Odd rounds healthy, even rounds broken.
        const up = net.connect(round % 2 === 1 ? healthy.port : broken.port, HOST);
        up.on('error', () => sock.destroy());
        sock.pipe(up).pipe(sock);
        sock.once('close', () => {
          open--;
          lastClose = performance.now();
          up.destroy();
        });
      });
      for (let attempt = 0; ; attempt++) {
        const good = await listen(http2.createSecureServer({ ...cert, allowHTTP1: true }, ok), HOST);
        try {
          const flap = await listen(front, FLAP_ADDRESS, good.port);
          return {
            url: `https://localhost:${good.port}/`,
            resolve: [`localhost:${good.port}:${HOST},${FLAP_ADDRESS}`],
            stop: async () => {
              await Promise.all([good.stop(), flap.stop(), healthy.stop(), broken.stop()]);
            },
          };
        } catch (e) {
          await good.stop();
          if (attempt >= 5) {
            await Promise.all([healthy.stop(), broken.stop()]);
            throw e;
          }
        }
      }
    },
  },
];
