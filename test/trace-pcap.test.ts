/**
 * The pcapng of a trace opens decrypted in tshark, and the HTTP/2 frames tshark sees are exactly
 * the frames the trace printed, in each direction. tshark comes from test/setup/tshark.sh (Debian
 * package); without it the test skips, saying so.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http2 from 'node:http2';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { listen, type Listening } from '../src/lab/servers.js';
import { runTrace } from '../src/trace/session.js';
import { keylogText, tracePcapng } from '../src/trace/pcap.js';
import { parseTarget } from '../src/model/target.js';
import type { TraceResult } from '../src/trace/types.js';

const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
const hasTshark = tshark.status === 0;
// Under CI the tshark checks must run: a missing tshark fails them instead of skipping.
const skipTshark = !hasTshark && process.env.CI !== 'true';
if (skipTshark) console.warn('trace-pcap: tshark is not installed (test/setup/tshark.sh could not install it); skipping the tshark check');

let pki: LabPki;
let dir: string;
let tlsServer: Listening;
let h2cServer: Listening;
const BIG = 200_000;

function handler(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): void {
  let got = 0;
  req.on('data', (c: Buffer) => (got += c.length));
  req.on('end', () => {
    res.setHeader('content-type', 'application/octet-stream');
    res.setHeader('x-received', String(got));
    res.end(Buffer.alloc(BIG, 0x61));
  });
}

beforeAll(async () => {
  pki = await createLabPki();
  dir = mkdtempSync(join(tmpdir(), 'h2doctor-pcap-'));
  const c = await pki.preset('valid');
  [tlsServer, h2cServer] = await Promise.all([listen(http2.createSecureServer({ cert: c.serverCertPem, key: c.keyPem, allowHTTP1: true }, handler)), listen(http2.createServer(handler))]);
});
afterAll(async () => {
  await Promise.all([tlsServer?.stop(), h2cServer?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** Frames as "type/stream", per direction, from the trace. */
function traced(r: TraceResult): { out: string[]; in: string[] } {
  const out: string[] = [];
  const inn: string[] = [];
  for (const e of r.events) if (e.kind === 'frame') (e.dir === 'out' ? out : inn).push(`${e.type}/${e.streamId}`);
  return { out, in: inn };
}

/** Frames as "type/stream", per direction, as tshark decodes the file. */
function dissected(file: string, clientPort: number): { out: string[]; in: string[]; raw: string } {
  const p = spawnSync('tshark', ['-r', file, '-Y', 'http2', '-T', 'fields', '-e', 'tcp.srcport', '-e', 'http2.type', '-e', 'http2.streamid'], { encoding: 'utf8' });
  expect(p.status, p.stderr).toBe(0);
  const out: string[] = [];
  const inn: string[] = [];
  for (const line of p.stdout.split('\n')) {
    const [port, types, streams] = line.split('\t');
    if (!port || !types) continue; // the client preface ("Magic") has no frame type
    const t = types.split(',');
    const s = (streams ?? '').split(',');
    t.forEach((x, i) => (Number(port) === clientPort ? out : inn).push(`${x}/${s[i]}`));
  }
  return { out, in: inn, raw: p.stdout };
}

describe('pcapng decrypted by tshark', () => {
  test.skipIf(skipTshark)('TLS 1.3 h2 with a request body and a 200 kB response: tshark sees the traced frames, decrypted', async () => {
    const port = tlsServer.port;
    const r = await runTrace(parseTarget(`https://localhost:${port}/upload`), {
      ca: pki.rootCa.certPem,
      resolve: [{ host: 'localhost', port, addresses: ['127.0.0.1'], raw: '' }],
      data: new Uint8Array(100_000).fill(0x62),
    });
    expect(r.errors).toEqual([]);
    const t = traced(r);
    // Flow control both ways: our body waited for the server's WINDOW_UPDATE; we gave window back.
    expect(t.out.filter((x) => x === '8/0' || x === '8/1').length).toBeGreaterThan(0);
    expect(t.in.filter((x) => x.startsWith('8/')).length).toBeGreaterThan(0);
    const file = join(dir, 'tls.pcapng');
    writeFileSync(file, tracePcapng(r)!);
    const connect = r.events.find((e) => e.kind === 'connect');
    const d = dissected(file, connect && connect.kind === 'connect' ? connect.localPort! : -1);
    expect(d.out).toEqual(t.out);
    expect(d.in).toEqual(t.in);
    // The key log file matches the DSB's content (same lines), and holds TLS 1.3 secrets.
    const keylog = keylogText(r);
    expect(keylog).toMatch(/^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]+$/m);
    expect(readFileSync(file).includes(Buffer.from(keylog))).toBe(true);
  });

  test.skipIf(skipTshark)('cleartext h2c by prior knowledge: the same frames, no secrets needed', async () => {
    const port = h2cServer.port;
    const r = await runTrace(parseTarget(`http://127.0.0.1:${port}/`), { priorKnowledge: true });
    expect(r.errors).toEqual([]);
    expect(r.keylog).toEqual([]);
    const file = join(dir, 'h2c.pcapng');
    writeFileSync(file, tracePcapng(r)!);
    const connect = r.events.find((e) => e.kind === 'connect');
    const d = dissected(file, connect && connect.kind === 'connect' ? connect.localPort! : -1);
    const t = traced(r);
    expect(d.out).toEqual(t.out);
    expect(d.in).toEqual(t.in);
  });
});
