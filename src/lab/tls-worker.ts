/**
 * A lab TLS server in a worker thread, for a configuration whose set-up is CPU-bound: OpenSSL reads
 * the 12,000-certificate chain of `hostile-tls-huge-chain` in about 2 s, synchronously. In the lab's
 * own thread that stalled every probe and every other scenario's server running in the same process
 * (lab tests run scenarios concurrently) long enough to pass their deadlines. In a worker the main
 * loop keeps running while the worker reads the chain, and while it serves it.
 *
 * The worker answers each connection's first bytes (an HTTP/1.1 request) with `reply` and closes.
 *
 * @example
 * const l = await tlsServerInWorker({ cert, key, ALPNProtocols: ['h2', 'http/1.1'] }, HTTP1_OK);
 * await l.stop();
 */
import { Worker } from 'node:worker_threads';
import type { Listening } from './servers.js';

/** What crosses to the worker: tls.createServer's options that are plain data. */
export interface WorkerTlsOptions {
  cert: string;
  key: string;
  ALPNProtocols?: string[];
  minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

// CommonJS source run by the worker (eval: the same text works from src/ under vitest and from dist/).
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const tls = require('node:tls');
const { options, reply, host } = workerData;
const server = tls.createServer(options, (s) => {
  s.on('error', () => {});
  s.once('data', () => s.end(reply));
});
server.on('tlsClientError', () => {});
server.on('error', (e) => parentPort.postMessage({ error: e.message }));
server.listen(0, host, () => parentPort.postMessage({ port: server.address().port }));
`;

/** Starts the server in a worker; `stop()` ends the worker, and with it the server and its sockets. */
export function tlsServerInWorker(options: WorkerTlsOptions, reply: string, host = '127.0.0.1'): Promise<Listening> {
  const worker = new Worker(SOURCE, { eval: true, workerData: { options, reply, host } });
  worker.unref();
  const stop = async () => {
    await worker.terminate();
  };
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`lab TLS worker exited (${code}) before listening`)));
    worker.once('message', (m: { port?: number; error?: string }) => {
      if (m.port === undefined) return void stop().then(() => reject(new Error(`lab TLS worker: ${m.error}`)));
      worker.removeAllListeners('exit');
      // Listening: a later error of the worker (it is terminated at stop) must not crash the lab's process.
      worker.removeAllListeners('error');
      worker.on('error', () => {});
      resolve({ port: m.port, host, stop });
    });
  });
}
