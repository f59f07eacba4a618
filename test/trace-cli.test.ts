/**
 * `h2doctor trace` as a command: text and JSON output, exit codes, --keylog, --pcap, and a bundle
 * that holds the report, the trace and the environment but none of the secrets planted in the
 * request — even where the server echoes them back.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http2 from 'node:http2';
import { runCli } from '../src/cli/run.js';
import type { CliIO } from '../src/cli/io.js';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { findScenario } from '../src/lab/scenarios.js';
import { listen, type Listening } from '../src/lab/servers.js';
import { parsePcapng } from '../src/wire/pcapng-read.js';
import { Redactor } from '../src/trace/redact.js';

let pki: LabPki;
let dir: string;
let caFile: string;
let server: Listening;
let port: number;

const TOKEN = 'sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const QUERY_TOKEN = 'qtok-1234567890abcdefXYZ';
const COOKIE = 'sessid=c00k1e-v4lue-0987654321';
const BODY_SECRET = 'p4ssw0rd-in-the-body-77';

function io(env: Record<string, string> = {}): CliIO & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    stdout(t: string) {
      o.out += t;
    },
    stderr(t: string) {
      o.err += t;
    },
    readStdin: async () => '',
    stdinIsTTY: true,
    color: false,
    env,
    cwd: process.cwd(),
  };
  return o;
}

beforeAll(async () => {
  pki = await createLabPki();
  dir = mkdtempSync(join(tmpdir(), 'h2doctor-trace-cli-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pki.rootCa.certPem);
  const c = await pki.preset('valid');
  // A careless server that echoes credentials back, in a header and in the body.
  const s = http2.createSecureServer({ cert: c.serverCertPem, key: c.keyPem, allowHTTP1: true }, (req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      res.setHeader('x-echo-authorization', String(req.headers.authorization ?? ''));
      res.setHeader('set-cookie', `${COOKIE}; HttpOnly`);
      res.end(`you sent ${req.url} with ${req.headers.authorization} and ${body}\n`);
    });
  });
  server = await listen(s);
  port = server.port;
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('h2doctor trace', () => {
  test('text output, exit 0, --keylog and --pcap files (mode 600)', async () => {
    const keylog = join(dir, 'keys.log');
    const pcap = join(dir, 't.pcapng');
    const x = io();
    const code = await runCli(['trace', `https://localhost:${port}/x`, '--resolve', `localhost:${port}:127.0.0.1`, '--cacert', caFile, '--keylog', keylog, '--pcap', pcap], x);
    expect(x.err).toMatch(/wrote keylog/);
    expect(code, x.out + x.err).toBe(0);
    expect(x.out).toMatch(/h2 {4}← {2}HEADERS/);
    expect(x.out).toMatch(/no problem seen/);
    expect(readFileSync(keylog, 'utf8')).toMatch(/^SERVER_TRAFFIC_SECRET_0 [0-9a-f]+ [0-9a-f]+$/m);
    expect(statSync(keylog).mode & 0o777).toBe(0o600);
    const blocks = parsePcapng(new Uint8Array(readFileSync(pcap)));
    expect(blocks.some((b) => b.type === 'DSB')).toBe(true);
  });

  test('--json prints the events (with schemaVersion); a broken scenario exits 1', async () => {
    const s = findScenario('goaway-on-connect')!;
    const run = await s.start({ pki });
    try {
      const x = io();
      const code = await runCli(['trace', run.url, '--json', '--cacert', caFile, ...(run.resolve ?? []).flatMap((r) => ['--resolve', r])], x);
      expect(code).toBe(1);
      const out = JSON.parse(x.out);
      expect(out.schemaVersion).toBe(1);
      const events = out.events;
      expect(Array.isArray(events)).toBe(true);
      const goaway = events.find((e: { kind: string; typeName?: string; dir?: string }) => e.kind === 'frame' && e.typeName === 'GOAWAY' && e.dir === 'in');
      expect(goaway).toMatchObject({ errorName: 'HTTP_1_1_REQUIRED', debug: 'use HTTP/1.1', streamId: 0 });
      expect(goaway.problems[0].text).toMatch(/GOAWAY HTTP_1_1_REQUIRED before any stream/);
    } finally {
      await run.stop();
    }
  });

  test.each([
    [['trace'], /no URL given/],
    [['trace', 'https://localhost:1/', '--http2-prior-knowledge'], /--http2-prior-knowledge is for cleartext/],
    [['trace', 'http://localhost:1/', '--keylog', '/tmp/x'], /--keylog needs an https:\/\/ URL/],
    [['trace', 'https://localhost:1/', '--max-frames', '0'], /--max-frames must be between/],
    [['trace', 'https://localhost:1/', '--alpn', ','], /--alpn wants/],
    [['trace', 'https://localhost:1/', '--data', '@/nonexistent/file'], /--data: cannot read/],
  ])('bad usage %j: one line, exit 2', async (args, re) => {
    const x = io();
    expect(await runCli(args, x)).toBe(2);
    expect(x.err).toMatch(re);
    expect(x.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('--bundle', () => {
  test('holds report, trace and environment, and none of the planted secrets', async () => {
    const bundleFile = join(dir, 'bundle.json');
    const x = io({ HTTPS_PROXY: `http://proxyuser:${TOKEN}@proxy.invalid:3128`, NO_PROXY: 'localhost,127.0.0.1' });
    const url = `https://localhost:${port}/api?token=${QUERY_TOKEN}&page=2`;
    const code = await runCli(
      ['trace', url, '--resolve', `localhost:${port}:127.0.0.1`, '--cacert', caFile, '-H', `Authorization: Bearer ${TOKEN}`, '-H', `Cookie: ${COOKIE}`, '--data', BODY_SECRET, '--bundle', bundleFile],
      x,
    );
    expect(code, x.out + x.err).toBe(0);
    // The planted secrets did cross the wire and come back (the terminal trace shows them)…
    expect(x.out).toContain(TOKEN);
    const text = readFileSync(bundleFile, 'utf8');
    // …but the bundle has none of them, in any form.
    for (const secret of [TOKEN, QUERY_TOKEN, COOKIE, COOKIE.split('=')[1]!, BODY_SECRET, encodeURIComponent(TOKEN)]) {
      expect(text).not.toContain(secret);
      // Raw-byte excerpts are hex: the secret must not be there either, nor its first 8 bytes.
      expect(text).not.toContain(Buffer.from(secret.slice(0, 8)).toString('hex'));
    }
    expect(text).not.toMatch(/(CLIENT|SERVER)_(HANDSHAKE_)?TRAFFIC_SECRET/);
    // No key material: the only long hex strings are the redacted byte excerpts.
    expect(text.split('\n').filter((l) => !/^\s*"hex": /.test(l) && /[0-9a-f]{64}/.test(l))).toEqual([]);
    const b = JSON.parse(text);
    expect(b.bundleVersion).toBe(1);
    expect(b.report.verdict).toBeDefined();
    expect(b.environment.node).toBe(process.versions.node);
    expect(b.environment.openssl).toBe(process.versions.openssl);
    expect(Object.keys(b.environment.proxyVariables).sort()).toEqual(['HTTPS_PROXY', 'NO_PROXY']);
    expect(b.environment.proxyVariables.NO_PROXY).toBe('localhost,127.0.0.1');
    expect(Array.isArray(b.environment.resolvers)).toBe(true);
    expect(b.trace.events.some((e: { kind: string }) => e.kind === 'frame')).toBe(true);
    expect(b.trace.text).toMatch(/authorization: \[redacted\]/);
    expect(b.trace.text).toMatch(/:path: \/api\?token=\[redacted\]&page=2/);
    expect(b.command).toContain('Authorization: [redacted]');
    expect(b.redaction.keylogLinesRemoved).toBeGreaterThan(0);
  });
});

describe('Redactor', () => {
  test('headers, URLs and the text pass', () => {
    const r = new Redactor();
    expect(r.header('X-Api-Key', 'abcd1234efgh')).toEqual(['X-Api-Key', '[redacted]']);
    expect(r.header('Accept', 'text/html')).toEqual(['Accept', 'text/html']);
    expect(r.url('https://u:pw123456@h.example/p?access_token=zzzzyyyyxxxx&q=1')).toBe('https://redacted@h.example/p?access_token=%5Bredacted%5D&q=1');
    expect(r.text('echo abcd1234efgh and zzzzyyyyxxxx and pw123456')).toBe('echo [redacted] and [redacted] and [redacted]');
    // A long token-like value is redacted whatever its parameter is called.
    expect(r.url('https://h.example/?x=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig')).not.toContain('eyJ');
  });
});
