/**
 * Issue 12, "Done when": `trace` against an endless TLS handshake for 20 s stays under 128 MB RSS and
 * its pcap under the capture budget (it once reached 2.1 GB after 20 s, and a 0.8 GB pcap in 5 s).
 * The built CLI runs as a child with the peak-RSS preload, `--max-time 20 --timeout 20000`, against
 *   - a server that sends full 16 kB handshake records as fast as they are read, for 25 s (OpenSSL
 *     and the handshake budget end that early: the bound is what is asserted), and
 *   - a server whose handshake never completes within the 20 s: a ServerHello record header
 *     announcing 256 bytes, then one byte every 200 ms (the handshake stays open until the deadline;
 *     with the 80 bytes it once announced, the record was complete and refused at 16 s).
 * One slow test (about 20 s) by design; both run at once.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tlsHandshakeFlood } from '../src/lab/scenarios/hostile.js';
import { hostileTls } from '../src/lab/tls-front.js';
import { TRACE_DEFAULTS } from '../src/trace/recorder.js';
import type { Listening } from '../src/lab/servers.js';

const CLI = new URL('../dist/h2doctor.cjs', import.meta.url).pathname;
const PRELOAD = new URL('./fixtures/peak-rss.cjs', import.meta.url).pathname;
const MAX_TIME_S = 20;

let flood: Listening;
let drip: Listening;
let dir: string;
beforeAll(async () => {
  flood = await tlsHandshakeFlood(25_000);
  drip = await hostileTls('drip');
  dir = mkdtempSync(join(tmpdir(), 'h2d-trace20-'));
});
afterAll(async () => {
  await flood.stop();
  await drip.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  out: string;
  peakMb: number;
  wallMs: number;
  pcapBytes: number;
}

function trace(port: number, name: string): Promise<Run> {
  const pcap = join(dir, `${name}.pcapng`);
  return new Promise((resolve) => {
    const args = ['-r', PRELOAD, CLI, 'trace', `https://localhost:${port}/`, '--resolve', `localhost:${port}:127.0.0.1`, '--max-time', String(MAX_TIME_S), '--timeout', String(MAX_TIME_S * 1000), '--pcap', pcap];
    const c = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    const kill = setTimeout(() => c.kill('SIGKILL'), 60_000);
    c.on('close', (code) => {
      clearTimeout(kill);
      const m = /H2DOCTOR_PEAK (\d+) (\d+)/.exec(err);
      resolve({ code, out, peakMb: m ? Number(m[1]) / 1024 : Infinity, wallMs: m ? Number(m[2]) : Infinity, pcapBytes: existsSync(pcap) ? statSync(pcap).size : 0 });
    });
  });
}

test('trace of an endless TLS handshake, 20 s allowed: under 128 MB RSS, pcap under the capture budget, within --max-time + 0.5 s', async () => {
  const [f, d] = await Promise.all([trace(flood.port, 'flood'), trace(drip.port, 'drip')]);
  for (const [what, r] of [['16 kB records as fast as read', f], ['one byte every 200 ms', d]] as const) {
    console.log(`trace, endless TLS handshake (${what}): exit ${r.code}, peak RSS ${r.peakMb.toFixed(0)} MB, wall ${r.wallMs} ms, pcap ${r.pcapBytes} bytes`);
    expect(r.code, what).toBe(1);
    expect(r.peakMb, what).toBeLessThan(128);
    expect(r.wallMs, what).toBeLessThanOrEqual(MAX_TIME_S * 1000 + 500);
    expect(r.pcapBytes, what).toBeLessThanOrEqual(TRACE_DEFAULTS.captureBytes + 64 * 1024);
    expect(r.out, what).toMatch(/tls-malformed-response/);
  }
  // The drip's record (256 bytes at 5 a second) is never complete: that trace ran to its deadline.
  expect(d.out).toMatch(/close +timeout/);
}, 90_000);
