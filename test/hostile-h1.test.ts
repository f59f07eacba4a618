/**
 * Hostile HTTP/1.1 origins and CONNECT proxies (issue 12): real curl is the ground truth that each
 * is broken (or, for an endless chunked body, that the response itself is readable), written before
 * h2doctor ran; then h2doctor's finding must name the behaviour in the right words:
 *   - a head that never ends, a status line without CRLF, a 1 MiB Upgrade field → http1-malformed-response
 *     (HTTP/1.1, not "not HTTP");
 *   - an endless chunked body is a readable 200 (a stream), not a malformed response;
 *   - a proxy whose answer to CONNECT never ends or drips → proxy-connect-failed saying so;
 *   - a proxy that answers 200 and relays nothing → the proxy's fault when the direct path answers,
 *     never the origin's tls-handshake-timeout.
 * Time and memory bounds of the same scenarios are asserted by test/hostile-lab.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../src/diagnose.js';
import type { Report } from '../src/model/index.js';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { ALL_SCENARIOS } from '../src/lab/scenarios.js';
import type { RunningScenario } from '../src/lab/helpers.js';
import { findBinary, skipWithout } from './real-helpers.js';

let pki: LabPki;
let caDir: string;
let caFile: string;
beforeAll(async () => {
  pki = await createLabPki();
  caDir = mkdtempSync(join(tmpdir(), 'h2d-hostile-h1-'));
  caFile = join(caDir, 'ca.pem');
  writeFileSync(caFile, pki.rootCa.certPem);
}, 60_000);
afterAll(() => rmSync(caDir, { recursive: true, force: true }));

const running = new Map<string, RunningScenario>();
async function scenario(id: string): Promise<RunningScenario> {
  const have = running.get(id);
  if (have) return have;
  const s = ALL_SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`no lab scenario ${id}`);
  const r = await s.start({ pki });
  running.set(id, r);
  return r;
}
afterAll(async () => {
  for (const r of running.values()) await r.stop();
});

/** curl's exit code, its status (-w %{http_code}) and its error line. */
function curl(args: string[]): Promise<{ code: number | null; status: string; out: string }> {
  return new Promise((resolve) => {
    const c = spawn('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '2', ...args]);
    let status = '';
    let out = '';
    c.stdout.on('data', (d) => (status += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('close', (code) => resolve({ code, status, out }));
  });
}

async function run(id: string, more: { compareDirect?: boolean } = {}): Promise<Report> {
  const r = await scenario(id);
  return diagnose(r.url, {
    proxy: r.options?.proxy ?? null,
    resolve: r.resolve ?? [],
    ca: pki.rootCa.certPem,
    timeoutMs: r.timeoutMs ?? 700,
    maxTimeMs: 5000,
    ...(more.compareDirect ?? r.options?.compareDirect ? { compareDirect: true } : {}),
  });
}
const finding = (r: Report, code: string) => r.findings.find((f) => f.code === code);
const words = (r: Report, code: string) => {
  const f = finding(r, code);
  return f ? [f.title, ...f.evidence.map((e) => e.text)].join('\n') : `no ${code}; found ${r.findings.map((x) => x.code).join(', ')}`;
};

const CURL = findBinary('curl');

describe.skipIf(skipWithout(CURL, 'curl'))('hostile HTTP/1.1 origins', () => {
  test('curl fails on each broken head, and reads the endless chunked body as a 200 (ground truth)', async () => {
    const url = async (id: string) => {
      const r = await scenario(id);
      return [r.url, ...(r.resolve ?? []).flatMap((x) => ['--resolve', x])];
    };
    // Seen with Debian's curl 7.88: (56) Too large response headers; (27) Out of memory (twice).
    for (const id of ['hostile-h1-endless-headers', 'hostile-h1-status-no-crlf', 'hostile-h1-426-huge-upgrade']) {
      const c = await curl(await url(id));
      expect(c.code, `${id}: ${c.out}`).not.toBe(0);
      expect(c.out, id).toMatch(/curl: \(\d+\)/);
    }
    const chunked = await curl(await url('hostile-h1-endless-chunked'));
    expect(chunked.code).toBe(28); // the body never ends: curl's --max-time, after a 200
    expect(chunked.status).toBe('200');
  }, 30_000);

  test('a head that never ends is HTTP/1.1 that cannot be read (http1-malformed-response), in the parser\'s words', async () => {
    const headers = await run('hostile-h1-endless-headers');
    expect(words(headers, 'http1-malformed-response')).toMatch(/no end of the response head within 65536 bytes/);
    expect(words(headers, 'http1-malformed-response')).toMatch(/starts as HTTP\/1\.1 200 OK/);
    const noCrlf = await run('hostile-h1-status-no-crlf');
    expect(words(noCrlf, 'http1-malformed-response')).toMatch(/no end of the status line \(no CRLF\) within 65536 bytes/);
    // Not "bytes that are not HTTP/2" nor "not HTTP": the first bytes are an HTTP/1.1 status line.
    expect(noCrlf.findings.map((f) => f.code)).not.toContain('preface-garbage');
    const upgrade = await run('hostile-h1-426-huge-upgrade');
    expect(words(upgrade, 'http1-malformed-response')).toMatch(/HTTP\/1\.1 426 Upgrade Required.*the longest \d{5} bytes/s);
    for (const r of [headers, noCrlf, upgrade]) {
      expect(r.verdict).toBe('fail');
      expect(finding(r, 'http1-malformed-response')?.severity).toBe('error');
    }
  }, 30_000);

  test('an endless chunked body is a readable 200, not a malformed response', async () => {
    const r = await run('hostile-h1-endless-chunked');
    expect(r.findings.map((f) => f.code)).not.toContain('http1-malformed-response');
    expect(r.matrix?.find((m) => m.protocol === 'HTTP/1.1')?.status).toBe(200);
  }, 30_000);
});

describe.skipIf(skipWithout(CURL, 'curl'))('hostile CONNECT proxies (a healthy origin behind each)', () => {
  test('curl gets no response through any of them (ground truth)', async () => {
    for (const id of ['hostile-proxy-endless-headers', 'hostile-proxy-200-then-hang', 'hostile-proxy-dripping-status']) {
      const r = await scenario(id);
      const c = await curl(['--proxy', r.options!.proxy!, '--cacert', caFile, ...(r.resolve ?? []).flatMap((x) => ['--resolve', x]), r.url]);
      // (56) Too large response headers; (28) Connection timed out (twice).
      expect(c.code, `${id}: ${c.out}`).not.toBe(0);
      expect(c.out, id).toMatch(/curl: \((56|28)\)/);
    }
  }, 30_000);

  test('an answer to CONNECT that never ends is an HTTP head without end, not "bytes that are not HTTP"', async () => {
    const r = await run('hostile-proxy-endless-headers');
    expect(words(r, 'proxy-connect-failed')).toMatch(/an HTTP head without end: "HTTP\/1\.1 200 Connection established/);
    expect(words(r, 'proxy-connect-failed')).toMatch(/its answer is a head that never ends/);
    expect(words(r, 'proxy-connect-failed')).not.toMatch(/not HTTP/);
  }, 30_000);

  test('a dripping answer to CONNECT is an incomplete answer, not no answer', async () => {
    const r = await run('hostile-proxy-dripping-status');
    expect(words(r, 'proxy-connect-failed')).toMatch(/The proxy refuses the CONNECT tunnel \(its answer was still incomplete after \d+ ms\)/);
    expect(words(r, 'proxy-connect-failed')).toMatch(/still incomplete after \d+ ms \(\d+ bytes: "HT/);
  }, 30_000);

  test('200 then nothing: the proxy fails the tunnel (the direct path answers), not the origin\'s tls-handshake-timeout', async () => {
    const r = await run('hostile-proxy-200-then-hang');
    expect(words(r, 'proxy-connect-failed')).toMatch(/The proxy fails the CONNECT tunnel \(the tunnel opened \(200 Connection established\) but relayed nothing\)/);
    expect(words(r, 'proxy-connect-failed')).toMatch(/the direct path to .* completes TLS and HTTP\/2 answers HTTP\/2 200/);
    expect(r.findings.map((f) => f.code)).not.toContain('tls-handshake-timeout');
  }, 30_000);

  test('200 then nothing without --compare-direct: the timeout says it came through the tunnel and who may be silent', async () => {
    const r = await run('hostile-proxy-200-then-hang', { compareDirect: false });
    const w = words(r, 'tls-handshake-timeout');
    expect(w).toMatch(/through the proxy's tunnel \(CONNECT .* → 200 Connection established\)/);
    expect(w).toMatch(/--compare-direct tells which/);
  }, 30_000);
});

describe('a 60 KB field is not echoed whole', () => {
  test('evidence keeps 1 KiB of a field value with its size; the terminal table cell is cut with its length', async () => {
    const net = await import('node:net');
    const { listen } = await import('../src/lab/servers.js');
    const { renderTerminal } = await import('../src/report/terminal.js');
    const big = `h2c, ${'x'.repeat(60_000)}`;
    const l = await listen(
      net.createServer((c) => {
        c.on('error', () => {});
        c.once('data', (d: Buffer) => c.end(d.subarray(0, 3).toString() === 'PRI' ? 'HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n' : `HTTP/1.1 426 Upgrade Required\r\nUpgrade: ${big}\r\nConnection: Upgrade, close\r\ncontent-length: 0\r\n\r\n`));
      }),
      '127.0.0.1',
    );
    try {
      const r = await diagnose(`http://127.0.0.1:${l.port}/`, { proxy: null, timeoutMs: 1500 });
      const values = r.probes.flatMap((p) => ('h1' in p && p.h1?.headers ? p.h1.headers : [])).filter(([k]) => k.toLowerCase() === 'upgrade').map(([, v]) => v);
      expect(values.length).toBeGreaterThan(0);
      for (const v of values) expect(v).toMatch(/^h2c, x{1019}… \(60005 bytes\)$/);
      expect(JSON.stringify(r).length).toBeLessThan(60_000);
      const text = renderTerminal(r, { color: false, verbose: false, width: 80 });
      expect(text).toMatch(/upgrade: h2c,\s+x+… \(\d+ chars\)/);
      const table = text.slice(text.indexOf('Protocol matrix')).split('\n\n')[0]!;
      for (const line of table.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
    } finally {
      await l.stop();
    }
  }, 30_000);
});
