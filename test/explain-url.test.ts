/**
 * `explain --url` against the lab: the pasted error's candidate causes, confirmed by a real diagnosis.
 */
import { describe, expect, test, beforeAll } from 'vitest';
import { runCli } from '../src/cli/run.js';
import type { CliIO } from '../src/cli/io.js';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { findScenario } from '../src/lab/scenarios.js';

function fakeIO() {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readStdin: async () => '',
    stdinIsTTY: true,
    color: false,
    env: {},
    cwd: process.cwd(),
  };
  return { io, out: () => out, err: () => err };
}

let pki: LabPki;
beforeAll(async () => {
  pki = await createLabPki();
});

describe('explain --url confirms the cause on the lab', () => {
  test.each([
    ['cleartext-http1-only', 'rpc error: code = Unavailable desc = connection error: desc = "error reading server preface: http2: frame too large"', 'preface-http1-response'],
    ['http-to-tls-port', 'Hex dump for first 5 bytes: 1503010002', 'scheme-http-on-tls-port'],
    ['https-to-cleartext-port', 'curl: (35) OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number', 'scheme-https-on-cleartext-port'],
    ['tls-alpn-no-h2', 'transport: authentication handshake failed: credentials: cannot check peer: missing selected ALPN property', 'alpn-no-h2'],
    ['tls-alpn-ignored', 'curl: ALPN: server did not agree on a protocol. Uses default.', 'alpn-ignored'],
  ])('%s', async (id, text, code) => {
    const running = await findScenario(id)!.start({ pki });
    try {
      // Pinned to the IPv4 loopback the lab listens on (localhost also resolves to ::1).
      const url = running.url.replace('localhost', '127.0.0.1');
      const { io, out, err } = fakeIO();
      const exit = await runCli(['explain', text, '--url', url, '--json'], io);
      expect(err()).toBe('');
      expect(exit).toBe(0);
      const json = JSON.parse(out());
      expect(json.matches.length).toBeGreaterThan(0);
      expect(json.confirmation.confirmed).toContain(code);
      expect(json.confirmation.none).toBe(false);
    } finally {
      await running.stop();
    }
  });

  test('no candidate confirmed on a healthy server', async () => {
    const running = await findScenario('healthy-tls')!.start({ pki });
    try {
      const { io, out } = fakeIO();
      await runCli(['explain', 'error reading server preface: http2: frame too large', '--url', running.url.replace('localhost', '127.0.0.1'), '--json'], io);
      const json = JSON.parse(out());
      expect(json.confirmation.none).toBe(true);
    } finally {
      await running.stop();
    }
  });
});
