/**
 * curl's connection flags, with curl's meanings, on `diagnose` and `trace`: -k, --cert/--key/--pass
 * (a real nginx with `ssl_verify_client on`, diagnosed past the gate), --connect-to, -4/-6, -A,
 * --proxy/--noproxy, --cacert/--capath. Client certificates are made by the `openssl` command;
 * what nginx does with and without one was first seen with curl (400 "No required SSL certificate
 * was sent" without, 200 over HTTP/2 with), and is asserted with curl here too.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { runCli } from '../src/cli/run.js';
import type { CliIO } from '../src/cli/io.js';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { findScenario } from '../src/lab/scenarios.js';
import type { RunningScenario } from '../src/lab/helpers.js';
import { listen, type Listening } from '../src/lab/servers.js';
import { findBinary, freePort, labDir, nginxArgs, nginxConf, skipWithout, spawnServer, type RealServer } from './real-helpers.js';
import type { Report } from '../src/model/index.js';

const NGINX = findBinary('nginx');
const CURL = findBinary('curl');

function fakeIO(env: Record<string, string> = {}): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
    readStdin: async () => '',
    stdinIsTTY: true,
    color: false,
    env,
    cwd: process.cwd(),
  };
  return io;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

async function diagnoseJson(args: string[]): Promise<{ code: number; report: Report; err: string }> {
  const r = await cli([...args, '--json', '--timeout', '2000']);
  expect(r.err).toBe('');
  return { code: r.code, report: JSON.parse(r.out) as Report, err: r.err };
}

interface TraceJson {
  kind: string;
  [k: string]: unknown;
}
async function traceJson(args: string[]): Promise<{ code: number; events: TraceJson[]; err: string }> {
  const r = await cli(['trace', ...args, '--json', '--timeout', '3000']);
  const parsed = JSON.parse(r.out) as TraceJson[] | { events: TraceJson[] };
  return { code: r.code, events: Array.isArray(parsed) ? parsed : parsed.events, err: r.err };
}

function h2Status(report: Report): unknown {
  // The HTTP/2 request made over TLS (on whichever connection ALPN chose h2).
  const p = report.probes.find((x) => x.kind === 'h2' && (x as { tls?: unknown }).tls !== undefined) as unknown as { h2?: { status?: number } } | undefined;
  return p?.h2?.status;
}

let pki: LabPki;
let dir: string;
let caFile: string;
const files = { clientCa: '', clientCert: '', clientKey: '', clientKeyEncrypted: '', combined: '', capath: '' };

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

beforeAll(async () => {
  pki = await createLabPki();
  dir = mkdtempSync(join(tmpdir(), 'h2d-curl-flags-'));
  caFile = join(dir, 'lab-ca.pem');
  writeFileSync(caFile, pki.rootCa.certPem);
  // --capath: a directory of CA certificates (the lab root, under a name OpenSSL's c_rehash would not give it).
  files.capath = join(dir, 'capath');
  mkdirSync(files.capath);
  copyFileSync(caFile, join(files.capath, 'lab-root.pem'));
  writeFileSync(join(files.capath, 'README'), 'not a certificate\n');
  // A client CA and a client certificate (extendedKeyUsage clientAuth), as an operator would make them.
  const f = (n: string) => join(dir, n);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('client-ca.key'), '-out', f('client-ca.pem'), '-days', '2', '-subj', '/CN=h2doctor test client CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('client.key'), '-out', f('client.csr'), '-subj', '/CN=h2doctor test client']);
  writeFileSync(f('ext.cnf'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  openssl(['x509', '-req', '-in', f('client.csr'), '-CA', f('client-ca.pem'), '-CAkey', f('client-ca.key'), '-CAcreateserial', '-out', f('client.pem'), '-days', '2', '-extfile', f('ext.cnf')]);
  openssl(['pkey', '-in', f('client.key'), '-aes256', '-passout', 'pass:s3cret', '-out', f('client-enc.key')]);
  files.clientCa = f('client-ca.pem');
  files.clientCert = f('client.pem');
  files.clientKey = f('client.key');
  files.clientKeyEncrypted = f('client-enc.key');
  files.combined = f('client-combined.pem');
  writeFileSync(files.combined, execFileSync('cat', [f('client.pem'), f('client.key')]));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(skipWithout(NGINX, 'nginx mutual TLS'))('--cert/--key/--pass: nginx with ssl_verify_client on, diagnosed past the gate', () => {
  let server: RealServer;
  let port: number;
  let url: string;
  let pin: string;
  beforeAll(async () => {
    port = await freePort();
    const d = await labDir(pki, 'mtls');
    const conf = nginxConf(
      d.dir,
      `  server {
    listen 127.0.0.1:${port} ssl http2;
    ssl_certificate ${d.cert}; ssl_certificate_key ${d.key};
    ssl_client_certificate ${files.clientCa}; ssl_verify_client on;
    location / { return 200 "ok\\n"; }
  }`,
    );
    server = await spawnServer('nginx', NGINX ?? 'nginx', nginxArgs(d.dir, conf), d.dir, [port]);
    url = `https://localhost:${port}/`;
    pin = `localhost:${port}:127.0.0.1`;
  }, 30_000);
  afterAll(async () => server?.stop());

  test('ground truth: curl gets 400 without a client certificate and 200 over HTTP/2 with one', () => {
    if (!CURL) return;
    const base = ['-s', '-o', '/dev/null', '-w', '%{http_code} %{http_version}', '--http2', '--cacert', caFile, '--resolve', pin, url];
    expect(spawnSync(CURL, base, { encoding: 'utf8' }).stdout).toBe('400 2');
    expect(spawnSync(CURL, [...base, '--cert', files.clientCert, '--key', files.clientKey], { encoding: 'utf8' }).stdout).toBe('200 2');
  });

  test('diagnose: without a certificate nginx answers 400; with --cert/--key the HTTP/2 request gets 200', async () => {
    const without = await diagnoseJson([url, '--cacert', caFile, '--resolve', pin]);
    expect(h2Status(without.report)).toBe(400);
    const withCert = await diagnoseJson([url, '--cacert', caFile, '--resolve', pin, '--cert', files.clientCert, '--key', files.clientKey]);
    expect(withCert.report.negotiated.protocol).toBe('h2');
    expect(h2Status(withCert.report)).toBe(200);
    expect(withCert.report.findings.filter((x) => x.severity === 'error')).toEqual([]);
    expect(withCert.code).toBe(0);
  });

  test('diagnose: key in the certificate file, and an encrypted key with --pass or file:password', async () => {
    const combined = await diagnoseJson([url, '--cacert', caFile, '--resolve', pin, '-E', files.combined]);
    expect(h2Status(combined.report)).toBe(200);
    const pass = await diagnoseJson([url, '--cacert', caFile, '--resolve', pin, '--cert', files.clientCert, '--key', files.clientKeyEncrypted, '--pass', 's3cret']);
    expect(h2Status(pass.report)).toBe(200);
    const inline = await diagnoseJson([url, '--cacert', caFile, '--resolve', pin, '--cert', `${files.clientCert}:s3cret`, '--key', files.clientKeyEncrypted]);
    expect(h2Status(inline.report)).toBe(200);
  });

  test('bad client credentials are one line, exit 2, before any connection', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--cert', files.clientCert, '--key', files.clientKeyEncrypted], /cannot decrypt the private key \(it is encrypted: give --pass\)/],
      [['--cert', files.clientCert, '--key', files.clientKeyEncrypted, '--pass', 'wrong'], /cannot decrypt the private key with this --pass/],
      [['--cert', files.clientCert], /holds no private key; name it with --key/],
      [['--key', files.clientKey], /--key goes with --cert/],
      [['--cert', '/nonexistent.pem'], /--cert: cannot read \/nonexistent.pem/],
    ];
    for (const [flags, re] of cases) {
      const r = await cli([url, ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });

  test('trace: with --cert/--key the HTTP/2 response is :status 200 (400 without)', async () => {
    const statusOf = (events: TraceJson[]) =>
      events.flatMap((e) => (e.kind === 'frame' && e.dir === 'in' && Array.isArray(e.headers) ? (e.headers as Array<[string, string]>) : [])).find(([k]) => k === ':status')?.[1];
    const without = await traceJson([url, '--cacert', caFile, '--resolve', pin]);
    expect(statusOf(without.events)).toBe('400');
    const withCert = await traceJson([url, '--cacert', caFile, '--resolve', pin, '--cert', files.clientCert, '--key', files.clientKey]);
    expect(statusOf(withCert.events)).toBe('200');
    expect(withCert.code).toBe(0);
  });
});

describe('the other connection flags on the lab and on small loopback servers', () => {
  let healthy: RunningScenario;
  let expired: RunningScenario;
  let uaServer: http2.Http2SecureServer;
  let uaListening: Listening;
  const userAgents: string[] = [];
  let proxy: http.Server;
  let proxyListening: Listening;
  const connects: string[] = [];

  beforeAll(async () => {
    healthy = await findScenario('healthy-tls')!.start({ pki });
    expired = await findScenario('cert-expired')!.start({ pki });
    const c = await pki.preset('valid');
    uaServer = http2.createSecureServer({ cert: c.chainPem, key: c.keyPem, allowHTTP1: true }, (req, res) => {
      userAgents.push(String(req.headers['user-agent']));
      res.end('ok');
    });
    uaListening = await listen(uaServer);
    // A CONNECT proxy that records each tunnel it opens.
    proxy = http.createServer((_q, s) => s.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      connects.push(String(req.url));
      const [host, p] = String(req.url).split(/:(?=\d+$)/);
      const up = net.connect(Number(p), host === 'localhost' ? '127.0.0.1' : host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) up.write(head);
        up.pipe(client);
        client.pipe(up);
      });
      up.on('error', () => client.destroy());
      client.on('error', () => up.destroy());
    });
    proxyListening = await listen(proxy);
  }, 30_000);
  afterAll(async () => {
    await healthy?.stop();
    await expired?.stop();
    await uaListening?.stop();
    await proxyListening?.stop();
  });

  const portOf = (r: RunningScenario) => Number(new URL(r.url).port);

  test('-k on diagnose: HTTP/2 is checked past an expired certificate, which stays an error (the contract never lowers a severity) and says -k accepted it; exit 1', async () => {
    const url = `https://localhost:${portOf(expired)}/`;
    const pin = `localhost:${portOf(expired)}:127.0.0.1`;
    const strict = await diagnoseJson([url, '--cacert', caFile, '--resolve', pin]);
    expect(strict.code).toBe(1);
    expect(strict.report.findings.find((f) => f.code === 'cert-expired')?.severity).toBe('error');
    const k = await diagnoseJson([url, '--cacert', caFile, '--resolve', pin, '-k']);
    const f = k.report.findings.find((x) => x.code === 'cert-expired');
    expect(f?.severity).toBe('error');
    expect(f?.evidence.map((e) => e.text).join('\n')).toMatch(/--insecure \(-k\): this certificate was accepted for the diagnosis/);
    expect(k.report.negotiated.protocol).toBe('h2');
    expect(k.report.verdict).toBe('fail');
    expect(k.code).toBe(1);
  });

  test('-k on trace: the untrusted certificate is noted as accepted', async () => {
    const url = `https://localhost:${portOf(expired)}/`;
    const t = await traceJson([url, '--cacert', caFile, '--resolve', `localhost:${portOf(expired)}:127.0.0.1`, '-k']);
    const tls = t.events.find((e) => e.kind === 'tls') as { problems?: Array<{ text: string }> } | undefined;
    // The certificate problem is still said (its code), and that -k accepted it.
    const said = tls?.problems?.map((p) => p.text).join(' ');
    expect(said).toMatch(/cert-expired/);
    expect(said).toMatch(/accepted \(-k\)/);
  });

  test('--connect-to on diagnose and trace: the URL keeps its name and port; the connection goes elsewhere', async () => {
    // Port 1 in the URL; curl's HOST1:PORT1:HOST2:PORT2 sends it to the lab.
    const to = `localhost:1:127.0.0.1:${portOf(healthy)}`;
    const d = await diagnoseJson(['https://localhost:1/', '--cacert', caFile, '--connect-to', to]);
    expect(d.report.negotiated.protocol).toBe('h2');
    expect(d.report.addresses.map((a) => a.address)).toEqual(['127.0.0.1']);
    expect(d.code).toBe(0);
    const t = await traceJson(['https://localhost:1/', '--cacert', caFile, '--connect-to', to]);
    const conn = t.events.find((e) => e.kind === 'connect') as { port?: number; ok?: boolean };
    expect(conn).toMatchObject({ port: portOf(healthy), ok: true });
    const tls = t.events.find((e) => e.kind === 'tls') as { sni?: string; alpn?: string };
    expect(tls).toMatchObject({ sni: 'localhost', alpn: 'h2' });
    const bad = await cli(['https://localhost/', '--connect-to', 'nonsense']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--connect-to wants HOST1:PORT1:HOST2:PORT2/);
  });

  test('-4 / -6 on diagnose and trace: only addresses of that family', async () => {
    const p = portOf(healthy);
    const both = `localhost:${p}:127.0.0.1,::1`;
    const v4 = await diagnoseJson([`https://localhost:${p}/`, '--cacert', caFile, '--resolve', both, '-4']);
    expect(v4.report.addresses.map((a) => a.address)).toEqual(['127.0.0.1']);
    const v6 = await diagnoseJson([`https://localhost:${p}/`, '--cacert', caFile, '--resolve', `localhost:${p}:127.0.0.1`, '-6']);
    expect(v6.report.resolution.error).toMatch(/no IPv6 address \(-6\)/);
    expect(v6.report.findings.map((f) => f.code)).toContain('dns-no-address');
    const t4 = await traceJson([`https://localhost:${p}/`, '--cacert', caFile, '--resolve', both, '-4']);
    expect((t4.events.find((e) => e.kind === 'connect') as { address?: string }).address).toBe('127.0.0.1');
    const t6 = await traceJson([`https://localhost:${p}/`, '--cacert', caFile, '--resolve', `localhost:${p}:127.0.0.1`, '-6']);
    expect(t6.code).toBe(1);
    expect(String((t6.events.find((e) => e.kind === 'resolve') as { error?: string }).error)).toMatch(/no IPv6 address/);
    expect((await cli(['https://localhost/', '-4', '-6'])).err).toMatch(/-4 and -6 contradict/);
  });

  test('-A on diagnose and trace: the server sees that User-Agent', async () => {
    const url = `https://localhost:${uaListening.port}/`;
    const pin = `localhost:${uaListening.port}:127.0.0.1`;
    userAgents.length = 0;
    await diagnoseJson([url, '--cacert', caFile, '--resolve', pin, '-A', 'curl-habit/1.0']);
    expect(userAgents.length).toBeGreaterThan(0);
    expect(new Set(userAgents)).toEqual(new Set(['curl-habit/1.0']));
    userAgents.length = 0;
    await traceJson([url, '--cacert', caFile, '--resolve', pin, '--user-agent', 'trace-habit/2.0']);
    expect(userAgents).toEqual(['trace-habit/2.0']);
  });

  test('--proxy and --noproxy on diagnose and trace', async () => {
    const p = portOf(healthy);
    const url = `https://localhost:${p}/`;
    const proxyUrl = `http://127.0.0.1:${proxyListening.port}`;
    connects.length = 0;
    const d = await diagnoseJson([url, '--cacert', caFile, '--proxy', proxyUrl]);
    expect(connects).toContain(`localhost:${p}`);
    expect(d.report.proxy?.url).toContain(`127.0.0.1:${proxyListening.port}`);
    expect(d.report.negotiated.protocol).toBe('h2');
    connects.length = 0;
    const t = await traceJson([url, '--cacert', caFile, '-x', proxyUrl]);
    expect(connects).toEqual([`localhost:${p}`]);
    expect((t.events.find((e) => e.kind === 'tls') as { alpn?: string }).alpn).toBe('h2');
    connects.length = 0;
    const nd = await diagnoseJson([url, '--cacert', caFile, '--resolve', `localhost:${p}:127.0.0.1`, '--proxy', proxyUrl, '--noproxy', 'localhost']);
    expect(nd.report.proxy).toBeUndefined();
    await traceJson([url, '--cacert', caFile, '--resolve', `localhost:${p}:127.0.0.1`, '--proxy', proxyUrl, '--noproxy', 'localhost']);
    expect(connects).toEqual([]);
  });

  test('--cacert / --capath on diagnose and trace: verification against that trust store', async () => {
    const p = portOf(healthy);
    const url = `https://localhost:${p}/`;
    const pin = `localhost:${p}:127.0.0.1`;
    const none = await diagnoseJson([url, '--resolve', pin]);
    expect(none.report.findings.map((f) => f.code)).toContain('cert-untrusted');
    for (const trust of [['--cacert', caFile], ['--capath', files.capath]]) {
      const d = await diagnoseJson([url, '--resolve', pin, ...trust]);
      expect(d.report.findings.map((f) => f.code), trust[0]).not.toContain('cert-untrusted');
      expect(d.code).toBe(0);
      const t = await traceJson([url, '--resolve', pin, ...trust]);
      expect((t.events.find((e) => e.kind === 'tls') as { verified?: boolean }).verified, trust[0]).toBe(true);
    }
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    const bad = await cli([url, '--capath', empty]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--capath: .* holds no PEM certificate/);
  });
});
