/**
 * trace keeps bounded memory whatever the server sends: an endless TLS handshake is abandoned with
 * what arrived ("N handshake records, M bytes, no progress"), and the capture stops at its budget,
 * saying "capture truncated" in the text and in the pcapng.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import net from 'node:net';
import { dataFrame, encodeFrame, headersFrame, settingsFrame } from '../src/wire/http2/frame-encode.js';
import { runTrace } from '../src/trace/session.js';
import { TRACE_DEFAULTS } from '../src/trace/recorder.js';
import { tracePcapng } from '../src/trace/pcap.js';
import { renderEvent } from '../src/report/trace.js';
import { parseTarget } from '../src/model/target.js';
import { listen, type Listening } from '../src/lab/servers.js';
import { pump } from '../src/lab/pump.js';
import { tlsHandshakeFlood } from '../src/lab/scenarios/hostile.js';
import { HANDSHAKE_BUDGET_CODE, tlsHandshake } from '../src/transport/tls.js';
import { connectTcp } from '../src/transport/conn.js';

let flood: Listening;
let h2cFlood: Listening;

beforeAll(async () => {
  flood = await tlsHandshakeFlood();
  // A cleartext h2c port that answers with a 2 MB body in 16 kB DATA frames (valid HTTP/2, just big).
  h2cFlood = await listen(
    net.createServer((s) => {
      s.on('error', () => {});
      s.once('data', () => {
        s.write(encodeFrame(settingsFrame([])));
        s.write(encodeFrame(headersFrame(1, new Uint8Array([0x88]), { endHeaders: true })));
        const data = encodeFrame(dataFrame(1, new Uint8Array(16384)));
        let sent = 0;
        const tick = () => {
          while (!s.destroyed && sent < 2 << 20) {
            sent += 16384;
            if (!s.write(data)) return void s.once('drain', tick);
          }
        };
        tick();
      });
    }),
    '127.0.0.1',
  );
});
afterAll(async () => {
  await flood.stop();
  await h2cFlood.stop();
});

describe('trace budgets', () => {
  test('a response body that never ends: the trace stops at its --timeout, says what it waited for, and keeps the capture budget', async () => {
    // DATA as fast as the socket takes it, forever (until the connection closes).
    const endless = await listen(
      net.createServer((s) => {
        s.on('error', () => {});
        s.once('data', () => {
          s.write(encodeFrame(settingsFrame([])));
          s.write(encodeFrame(headersFrame(1, new Uint8Array([0x88]), { endHeaders: true })));
          const data = encodeFrame(dataFrame(1, new Uint8Array(16384)));
          // A batch per loop turn (lab/pump.ts): this server shares the process with the trace under test.
          pump(s, () => data, Date.now() + 30_000);
        });
      }),
      '127.0.0.1',
    );
    try {
      const budget = 256 * 1024;
      const r = await runTrace(parseTarget(`http://127.0.0.1:${endless.port}/`), { priorKnowledge: true, captureBytes: budget, maxFrames: 100_000_000, timeoutMs: 1000 });
      expect(r.events.at(-1)).toMatchObject({ kind: 'close', by: 'timeout' });
      expect(r.errors).toContain('the response did not end (no END_STREAM) within 1000 ms');
      expect(r.capture!.chunks.reduce((n, c) => n + c.data.length, 0)).toBeLessThanOrEqual(budget);
    } finally {
      await endless.stop();
    }
  }, 30_000);

  test('a TLS handshake that floods records ends bounded, with an error saying what arrived', async () => {
    const r = await runTrace(parseTarget(`https://localhost:${flood.port}/`), { resolve: [{ host: 'localhost', port: flood.port, addresses: ['127.0.0.1'], raw: '' }], timeoutMs: 10_000 });
    const tls = r.events.find((e) => e.kind === 'tls');
    expect(r.errors.length).toBeGreaterThan(0);
    expect(tls && tls.kind === 'tls' && tls.outcome).toBe('error');
    const kept = r.capture!.chunks.reduce((n, c) => n + c.data.length, 0);
    expect(kept).toBeLessThanOrEqual(TRACE_DEFAULTS.handshakeBytes + 256 * 1024);
  }, 30_000);

  test('the handshake byte budget: abandoned with "N handshake records, M bytes, no progress"', async () => {
    const { socket } = await connectTcp('127.0.0.1', flood.port, 2000);
    const hs = await tlsHandshake(socket, { sni: 'localhost', verifyHost: 'localhost', alpn: ['h2'], deadline: performance.now() + 5000, maxBytes: 1024 });
    socket.destroy();
    expect(hs.result.outcome).toBe('error');
    expect(hs.result.error?.code).toBe(HANDSHAKE_BUDGET_CODE);
    expect(hs.result.error?.message).toMatch(/^\d+ handshake records, \d+ bytes, no progress/);
  }, 30_000);

  test('past the capture budget: "capture truncated" in the text and the pcapng, and no more bytes kept', async () => {
    const budget = 256 * 1024;
    const r = await runTrace(parseTarget(`http://127.0.0.1:${h2cFlood.port}/`), { priorKnowledge: true, captureBytes: budget, maxFrames: 1_000_000, timeoutMs: 3000 });
    const kept = r.capture!.chunks.reduce((n, c) => n + c.data.length, 0);
    expect(kept).toBeLessThanOrEqual(budget);
    expect(r.capture!.truncated).toBeDefined();
    expect(r.events.map((e) => renderEvent(e)).join('')).toMatch(/capture truncated at \d+ bytes/);
    const pcap = Buffer.from(tracePcapng(r)!);
    expect(pcap.includes(Buffer.from('capture truncated at'))).toBe(true);
    expect(pcap.length).toBeLessThan(budget + 64 * 1024);
  }, 30_000);
});
