/**
 * The report's certificate section against a real nginx serving chains openssl made here: each
 * certificate's fields as `openssl x509 -text` / `-serial` / `-fingerprint` print them, the order as
 * `openssl s_client -showcerts` receives it, and OCSP stapling (nginx `ssl_stapling_file`, an OCSP
 * response made by `openssl ocsp`) as `openssl s_client -status` sees it. The expectations come from
 * openssl; h2doctor's JSON and terminal report are held against them.
 *
 * Three servers: A, TLS 1.3, leaf + intermediate in order, stapled; B, TLS 1.2 only, leaf, root,
 * intermediate (out of order, root included), stapled; C, TLS 1.3, an Ed25519 leaf alone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { findBinary, freePort, nginxArgs, nginxConf, skipWithout, spawnServer, type RealServer } from './real-helpers.js';
import { runCli } from '../src/cli/run.js';
import type { CliIO } from '../src/cli/io.js';
import type { CertificateReport, Report } from '../src/model/index.js';

const NGINX = findBinary('nginx');
const OPENSSL = findBinary('openssl');
const skip = skipWithout(NGINX, 'nginx (certificate section)') || skipWithout(OPENSSL, 'openssl (certificate section)');

let dir: string;
let server: RealServer | undefined;
const ports = { a: 0, b: 0, c: 0 };

function ossl(args: string[], input?: string): string {
  return execFileSync(OPENSSL!, args, { cwd: dir, encoding: 'utf8', timeout: 20_000, stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}) });
}

/** A PKI made by openssl: an RSA root, an EC P-384 intermediate, an EC P-256 leaf, an Ed25519 leaf, an OCSP response for the leaf. */
function makePki(): void {
  const w = (f: string, s: string) => writeFileSync(join(dir, f), s);
  ossl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '30', '-subj', '/O=h2doctor test/CN=test root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  ossl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp384r1', '-nodes', '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/O=h2doctor test/CN=test intermediate']);
  w('int.ext', 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n');
  ossl(['x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'int.pem', '-days', '30', '-sha384', '-extfile', 'int.ext']);
  ossl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost']);
  w('leaf.ext', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:9/\n');
  ossl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '20', '-sha256', '-extfile', 'leaf.ext']);
  ossl(['genpkey', '-algorithm', 'ed25519', '-out', 'ed.key']);
  ossl(['req', '-new', '-key', 'ed.key', '-out', 'ed.csr', '-subj', '/CN=localhost']);
  w('ed.ext', 'subjectAltName=DNS:localhost\n');
  ossl(['x509', '-req', '-in', 'ed.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'ed.pem', '-days', '10', '-extfile', 'ed.ext']);
  // An OCSP "good" response for the leaf, signed by its issuer (openssl ocsp's index.txt format: V, expiry, -, serial, unknown, DN).
  const serial = ossl(['x509', '-in', 'leaf.pem', '-noout', '-serial']).trim().split('=')[1]!;
  w('index.txt', `V\t391231235959Z\t\t${serial}\tunknown\t/CN=localhost\n`);
  ossl(['ocsp', '-issuer', 'int.pem', '-cert', 'leaf.pem', '-reqout', 'req.der', '-no_nonce']);
  ossl(['ocsp', '-index', 'index.txt', '-CA', 'int.pem', '-rsigner', 'int.pem', '-rkey', 'int.key', '-reqin', 'req.der', '-respout', 'ocsp.der', '-ndays', '1']);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  w('chain-good.pem', read('leaf.pem') + read('int.pem'));
  w('chain-bad.pem', read('leaf.pem') + read('root.pem') + read('int.pem'));
}

beforeAll(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'h2d-certs-'));
  makePki();
  ports.a = await freePort();
  ports.b = await freePort();
  ports.c = await freePort();
  const f = (n: string) => join(dir, n);
  const conf = nginxConf(
    dir,
    `
  server { listen 127.0.0.1:${ports.a} ssl http2; server_name localhost; ssl_protocols TLSv1.2 TLSv1.3;
    ssl_certificate ${f('chain-good.pem')}; ssl_certificate_key ${f('leaf.key')};
    ssl_stapling on; ssl_stapling_file ${f('ocsp.der')};
    location / { return 200 "ok\\n"; } }
  server { listen 127.0.0.1:${ports.b} ssl http2; server_name localhost; ssl_protocols TLSv1.2;
    ssl_certificate ${f('chain-bad.pem')}; ssl_certificate_key ${f('leaf.key')};
    ssl_stapling on; ssl_stapling_file ${f('ocsp.der')};
    location / { return 200 "ok\\n"; } }
  server { listen 127.0.0.1:${ports.c} ssl http2; server_name localhost; ssl_protocols TLSv1.3;
    ssl_certificate ${f('ed.pem')}; ssl_certificate_key ${f('ed.key')};
    location / { return 200 "ok\\n"; } }`,
  );
  // nginx's stop removes the directory, PKI included.
  server = await spawnServer('nginx', NGINX!, nginxArgs(dir, conf), dir, [ports.a, ports.b, ports.c]);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What openssl says of one PEM certificate, in the report's terms. */
function openssl(pem: string): Record<string, unknown> {
  const text = ossl(['x509', '-noout', '-text'], pem);
  const line = (re: RegExp) => re.exec(text)?.[1]?.trim();
  const names = ossl(['x509', '-noout', '-subject', '-issuer', '-serial', '-fingerprint', '-sha256', '-nameopt', 'sep_comma_plus_space,sname,esc_2253'], pem);
  const field = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(names)?.[1]?.trim();
  const algo = line(/Public Key Algorithm: (\S+)/);
  const type = algo === 'rsaEncryption' ? 'RSA' : algo === 'id-ecPublicKey' ? 'EC' : algo === 'ED25519' ? 'Ed25519' : algo;
  const bits = line(/Public-Key: \((\d+) bit\)/);
  const curve = line(/ASN1 OID: (\S+)/);
  const san = /X509v3 Subject Alternative Name: *\n\s*(.*)\n/.exec(text)?.[1]?.trim();
  return {
    subject: field('subject'),
    issuer: field('issuer'),
    serialNumber: field('serial'),
    fingerprint256: field('sha256 Fingerprint'),
    notBefore: new Date(line(/Not Before: (.*)/)!).toISOString(),
    notAfter: new Date(line(/Not After : (.*)/)!).toISOString(),
    subjectAltNames: san ? san.split(', ') : [],
    publicKey: { type, ...(bits && type !== 'Ed25519' ? { bits: Number(bits) } : {}), ...(curve ? { curve } : {}) },
    signatureAlgorithm: line(/Signature Algorithm: (\S+)/),
    ca: /CA:TRUE/.test(text),
  };
}

/** What `openssl s_client -showcerts -status` received: the certificates in order, OCSP, the version. */
function sClient(port: number): { pems: string[]; stapled: boolean; protocol: string } {
  const r = spawnSync(OPENSSL!, ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-showcerts', '-status', '-CAfile', join(dir, 'root.pem')], { input: '', encoding: 'utf8', timeout: 20_000 });
  const out = r.stdout;
  // -showcerts: the chain as received sits between "Certificate chain" and the next "---" (the server certificate follows again).
  const chain = out.slice(out.indexOf('Certificate chain'), out.indexOf('\n---\n', out.indexOf('Certificate chain')));
  const pems = (chain.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map((p) => p + '\n');
  const stapled = /OCSP Response Status: successful/.test(out);
  expect(stapled || /OCSP response: no response sent/.test(out), 's_client -status says either').toBe(true);
  return { pems, stapled, protocol: /^New, (TLSv[\d.]+), Cipher is/m.exec(out)?.[1] ?? '' };
}

function io(): CliIO & { out: string; err: string } {
  const o = { out: '', err: '', stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t), readStdin: async () => '', stdinIsTTY: false, color: false, env: {}, cwd: process.cwd() };
  return o;
}

async function h2doctor(port: number, ...extra: string[]): Promise<{ report: Report; text: string }> {
  const args = [`https://localhost:${port}/`, '--resolve', `localhost:${port}:127.0.0.1`, '--cacert', join(dir, 'root.pem')];
  const j = io();
  await runCli([...args, '--json', ...extra], j);
  const t = io();
  await runCli([...args, ...extra], t);
  return { report: JSON.parse(j.out) as Report, text: t.out };
}

/** The section against openssl: every certificate field by field, in the order s_client received them. */
function sameAsOpenssl(s: CertificateReport, seen: ReturnType<typeof sClient>): void {
  expect(s.chain.length).toBe(seen.pems.length);
  for (const [i, pem] of seen.pems.entries()) expect(s.chain[i], `certificate ${i}`).toMatchObject({ position: i, ...openssl(pem) });
  expect(s.ocspStapling).toMatchObject({ requested: true, stapled: seen.stapled });
  expect(s.source).toBe(seen.protocol === 'TLSv1.3' ? 'tls1.3-decrypted' : 'tls1.2-certificate');
}

function validReport(report: Report): void {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T/);
  const validate = ajv.compile(JSON.parse(readFileSync(new URL('../docs/report.schema.json', import.meta.url), 'utf8')) as object);
  expect(validate(report) ? [] : validate.errors?.slice(0, 5)).toEqual([]);
}

describe.skipIf(skip)('the certificate section against nginx and openssl', () => {
  test('TLS 1.3, leaf + intermediate in order, OCSP stapled: every field as openssl prints it', async () => {
    const seen = sClient(ports.a);
    expect(seen.protocol).toBe('TLSv1.3');
    expect(seen.pems).toHaveLength(2);
    expect(seen.stapled).toBe(true);
    const { report, text } = await h2doctor(ports.a);
    validReport(report);
    const [s] = report.certificates!;
    sameAsOpenssl(s!, seen);
    expect(s!.chain.map((c) => c.issuedBy)).toEqual([1, null]);
    expect(s!.order).toEqual({ inOrder: true, problems: [] });
    expect(s!.rootSent).toBe(false);
    expect(s!.ocspStapling.responseBytes).toBe(readFileSync(join(dir, 'ocsp.der')).length);
    expect(s!.verify).toEqual({ ok: true });
    // Wrapped at 80 columns: continuation lines are indented 4.
    expect(text.replace(/\n {4}/g, ' ')).toMatch(/^ {2}certificate CN=localhost · EC prime256v1 · ecdsa-with-SHA256 · until \d{4}-\d\d-\d\d · chain of 2 sent, in order · OCSP stapled$/m);
  });

  test('TLS 1.2, leaf, root, intermediate: the order as served, out of order, root included, stapled', async () => {
    const seen = sClient(ports.b);
    expect(seen.protocol).toBe('TLSv1.2');
    expect(seen.pems).toHaveLength(3);
    const { report, text } = await h2doctor(ports.b);
    validReport(report);
    const [s] = report.certificates!;
    sameAsOpenssl(s!, seen);
    expect(s!.chain.map((c) => c.issuedBy)).toEqual([2, null, 1]);
    expect(s!.chain[1]!.selfSigned).toBe(true);
    expect(s!.order.inOrder).toBe(false);
    expect(s!.order.problems.map((p) => [p.kind, p.position])).toEqual([['out-of-order', 2], ['out-of-order', 1]]);
    expect(s!.rootSent).toBe(true);
    const flat = text.replace(/\n {4}/g, ' ');
    expect(flat).toMatch(/chain of 3 sent, NOT in order, root included · OCSP stapled/);
    expect(flat).toMatch(/^ {2}chain order: certificate 0 \(CN=localhost\) is certified by certificate 2 \(O=h2doctor test, CN=test intermediate\)/m);
  });

  test('TLS 1.3, an Ed25519 leaf alone, signed by the RSA root; no staple', async () => {
    const seen = sClient(ports.c);
    expect(seen.pems).toHaveLength(1);
    expect(seen.stapled).toBe(false);
    const { report, text } = await h2doctor(ports.c, '-v');
    validReport(report);
    const [s] = report.certificates!;
    sameAsOpenssl(s!, seen);
    expect(s!.chain[0]!.publicKey).toEqual({ type: 'Ed25519' });
    expect(s!.chain[0]!.issuedBy).toBeNull();
    expect(s!.order.inOrder).toBe(true);
    expect(text.replace(/\n {4}/g, ' ')).toMatch(/^ {2}certificate CN=localhost · Ed25519 · sha256WithRSAEncryption · until \S+ · chain of 1 sent, in order · no OCSP staple/m);
    // -v: a line per certificate, with its SHA-256 fingerprint.
    expect(text.replace(/\n\s+/g, ' ')).toContain(`SHA-256 ${s!.chain[0]!.fingerprint256}`);
  });
});
