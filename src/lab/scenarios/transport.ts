/**
 * Lab scenarios of the transport family that need more than a server: a port whose SYNs go
 * unanswered.
 */
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { HOST, type LabScenario } from '../helpers.js';

/**
 * A listening socket that never accepts, its accept queue filled: Linux then drops further SYNs
 * (tcp_conn_request: "listen queue overflow"), so a connect sees no SYN-ACK and times out, as
 * behind a firewall that drops packets. The socket lives in a worker whose event loop is parked in
 * Atomics.wait, so nothing accepts; the fillers complete their handshakes into the queue first.
 */
async function unansweredPort(): Promise<{ port: number; stop(): Promise<void> }> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const net = require('node:net');
    const server = net.createServer();
    server.listen({ host: workerData.host, port: 0, backlog: 1 }, () => {
      parentPort.postMessage(server.address().port);
      Atomics.wait(workerData.flag, 0, 0);
      server.close();
    });`;
  const worker = new Worker(code, { eval: true, workerData: { host: HOST, flag } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  // backlog 1 holds two completed connections (Linux: full when more than backlog are queued).
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 3; i++) {
    const s = net.connect(port, HOST);
    s.on('error', () => {});
    fillers.push(s);
    if (i < 2) await new Promise<void>((r) => s.once('connect', () => r()).once('error', () => r()));
  }
  return {
    port,
    stop: async () => {
      for (const s of fillers) s.destroy();
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      await worker.terminate();
    },
  };
}

export const TRANSPORT_SCENARIOS: LabScenario[] = [
  {
    id: 'tcp-timeout',
    title: 'The port never answers the TCP handshake (SYNs dropped, as behind a filtering firewall)',
    family: 'transport',
    expect: ['tcp-timeout'],
    async start() {
      const p = await unansweredPort();
      return { url: `https://localhost:${p.port}/`, resolve: [`localhost:${p.port}:${HOST}`], timeoutMs: 700, stop: p.stop };
    },
  },
];
