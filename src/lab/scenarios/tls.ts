/**
 * Lab scenarios of the tls and certificate families: one loopback server per cause, and the codes
 * a correct diagnosis finds. Expectations were written from what these servers really put on the
 * wire (Node 20, OpenSSL 3.0), checked with the raw probes.
 */
import http2 from 'node:http2';
import tls from 'node:tls';
import type { LabCertPreset } from '../pki.js';
import { HOST, local, ok, serve, tlsCert, type LabEnv, type LabScenario, type RunningScenario } from '../helpers.js';
import { listen, type Listening } from '../servers.js';
import { ALERTS } from '../../wire/tls/alerts.js';
import { sniFront, hostileTls } from '../tls-front.js';
import net from 'node:net';
import { getDiffieHellman } from 'node:crypto';

/** node:http2 with h2 + http/1.1 and extra TLS options. */
async function h2Server(env: LabEnv, more: tls.TlsOptions = {}, preset: LabCertPreset = 'valid') {
  const c = preset === 'valid' ? await tlsCert(env) : await env.pki.preset(preset).then((p) => ({ cert: p.serverCertPem, key: p.keyPem }));
  const s = http2.createSecureServer({ ...c, allowHTTP1: true, ...more }, ok);
  s.on('tlsClientError', () => {});
  return listen(s, HOST);
}

/**
 * PEM DHparams (PKCS #3) of the 1024-bit MODP group of RFC 2409 §6.2 ("Oakley group 2"), generator 2:
 * the weak, widely shared prime Logjam precomputed against.
 */
export function weakDhParamsPem(): string {
  const p = getDiffieHellman('modp2').getPrime();
  const int = (b: Buffer) => {
    const v = b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
    return Buffer.concat([Buffer.from([0x02]), derLength(v.length), v]);
  };
  const body = Buffer.concat([int(p), int(Buffer.from([2]))]);
  const der = Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
  return `-----BEGIN DH PARAMETERS-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').trim()}\n-----END DH PARAMETERS-----\n`;
}
/** Node warns (SecurityWarning) about a prime below 2048 bits: this scenario wants exactly that prime, so the lab says nothing. */
async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const emit = process.emitWarning;
  process.emitWarning = ((w: string | Error, ...rest: unknown[]) => {
    if (String(typeof w === 'string' ? w : w.message).startsWith('DH parameter is less than')) return;
    return (emit as (...a: unknown[]) => void).call(process, w, ...rest);
  }) as typeof process.emitWarning;
  try {
    return await f();
  } finally {
    process.emitWarning = emit;
  }
}
function derLength(n: number): Buffer {
  return n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
}

/** A certificate scenario: the preset's certificate on an otherwise healthy server. */
function certScenario(id: string, preset: LabCertPreset, title: string, code: LabScenario['expect'][number]): LabScenario {
  return { id, title, family: 'certificate', expect: [code], start: async (env) => local(await h2Server(env, {}, preset), 'https') };
}

/** A backend for the SNI fronts: serves `localhost`'s certificate, or another name's. */
async function sniBackend(env: LabEnv, names?: string[]) {
  if (!names) return h2Server(env);
  const c = await env.pki.issue({ names });
  return h2Server(env, { cert: c.chainPem, key: c.keyPem });
}

/** A scenario on an SNI front; stop() stops the front and its backend. */
function frontOf(front: Listening, back: Listening): RunningScenario {
  return local(front, 'https', { stop: async () => void (await Promise.all([front.stop(), back.stop()])) });
}

export const TLS_SCENARIOS: LabScenario[] = [
  {
    id: 'tls-legacy-only',
    title: 'TLS 1.0 and 1.1 only (minVersion TLSv1, maxVersion TLSv1.1): alert protocol_version to a modern client',
    family: 'tls',
    expect: ['tls-version-too-old'],
    start: async (env) => local(await h2Server(env, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }), 'https'),
  },
  {
    id: 'tls12-only',
    title: 'TLS 1.2 only (maxVersion TLSv1.2)',
    family: 'tls',
    expect: ['tls13-not-supported'],
    start: async (env) => local(await h2Server(env, { maxVersion: 'TLSv1.2' }), 'https'),
  },
  {
    id: 'tls-weak-dh-params',
    title: 'TLS 1.2, DHE-RSA-AES128-GCM-SHA256 only, with the 1024-bit MODP prime (RFC 2409 group 2) as dhparam',
    family: 'tls',
    expect: ['tls-weak-dh-params', 'tls13-not-supported'],
    start: async (env) => local(await quietly(() => h2Server(env, { maxVersion: 'TLSv1.2', ciphers: 'DHE-RSA-AES128-GCM-SHA256', dhparam: weakDhParamsPem() }, 'rsa')), 'https'),
  },
  {
    id: 'tls13-only',
    title: 'TLS 1.3 only (minVersion TLSv1.3)',
    family: 'tls',
    expect: ['tls12-not-supported'],
    start: async (env) => local(await h2Server(env, { minVersion: 'TLSv1.3' }), 'https'),
  },
  {
    id: 'tls-legacy-enabled',
    title: 'TLS 1.0–1.3 (minVersion TLSv1): modern clients work, TLS 1.0/1.1 still accepted',
    family: 'tls',
    expect: ['tls-legacy-version-enabled'],
    start: async (env) => local(await h2Server(env, { minVersion: 'TLSv1', ciphers: `${tls.DEFAULT_CIPHERS}:@SECLEVEL=0` }), 'https'),
  },
  {
    id: 'tls-legacy-ciphers-only',
    title: 'TLS 1.2 with ECDHE-ECDSA-CAMELLIA128-SHA256 only (a suite Node does not offer): handshake_failure',
    family: 'tls',
    expect: ['tls-no-shared-cipher'],
    start: async (env) => local(await h2Server(env, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-CAMELLIA128-SHA256' }), 'https'),
  },
  {
    id: 'tls-no-shared-group',
    title: 'TLS 1.2, ECDHE only, curve brainpoolP256r1 only (Node offers none of the brainpool curves)',
    family: 'tls',
    expect: ['tls-no-shared-group'],
    start: async (env) => local(await h2Server(env, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256', ecdhCurve: 'brainpoolP256r1' }), 'https'),
  },
  {
    id: 'tls-sni-required',
    title: 'A front that refuses hellos without SNI (fatal handshake_failure), as some CDNs do',
    family: 'tls',
    expect: ['tls-sni-required'],
    async start(env) {
      const back = await sniBackend(env);
      const front = await sniFront(back.port, (sni) => (sni ? 'pass' : { alert: ALERTS.handshake_failure.code }));
      return frontOf(front, back);
    },
  },
  {
    id: 'tls-sni-unknown-name-alert',
    title: 'A front that knows only www.lab.example: other names get a fatal unrecognized_name (112)',
    family: 'tls',
    expect: ['tls-sni-unknown-name'],
    async start(env) {
      const back = await sniBackend(env, ['www.lab.example']);
      const front = await sniFront(back.port, (sni) => (sni === null || sni === 'www.lab.example' ? 'pass' : { alert: ALERTS.unrecognized_name.code }));
      return frontOf(front, back);
    },
  },
  {
    id: 'tls-sni-default-certificate',
    title: "Apache-like: an unknown name gets a warning unrecognized_name, then the default site's certificate",
    family: 'tls',
    expect: ['tls-sni-unknown-name'],
    async start(env) {
      const back = await sniBackend(env, ['www.lab.example']);
      const front = await sniFront(back.port, (sni) => (sni === null || sni === 'www.lab.example' ? 'pass' : { warnThenPass: ALERTS.unrecognized_name.code }));
      return frontOf(front, back);
    },
  },
  {
    id: 'tls-client-cert-required',
    title: 'Mutual TLS over TLS 1.2: requestCert + rejectUnauthorized; the handshake fails without a client certificate',
    family: 'tls',
    expect: ['tls-client-cert-required'],
    start: async (env) => local(await h2Server(env, { maxVersion: 'TLSv1.2', requestCert: true, rejectUnauthorized: true, ca: env.pki.rootCa.certPem }), 'https'),
  },
  {
    id: 'tls13-client-cert-required',
    title: 'Mutual TLS over TLS 1.3: the client finishes first, then the server sends certificate_required and closes',
    family: 'tls',
    // Under TLS 1.3 Node's handshake "completes" before the server judges the (empty) client
    // certificate, so the forced HTTP/2 exchange sees the connection closed. The TLS stage proves
    // the cause (CertificateRequest, decrypted); the close is folded into its evidence.
    expect: ['tls-client-cert-required'],
    start: async (env) => local(await h2Server(env, { requestCert: true, rejectUnauthorized: true, ca: env.pki.rootCa.certPem }), 'https'),
  },
  certScenario('cert-hostname-mismatch', 'wrongHost', 'Certificate for other.example only', 'cert-hostname-mismatch'),
  certScenario('cert-expired', 'expired', 'Certificate whose notAfter has passed', 'cert-expired'),
  certScenario('cert-not-yet-valid', 'notYetValid', 'Certificate whose notBefore is in the future', 'cert-not-yet-valid'),
  certScenario('cert-self-signed', 'selfSigned', 'Self-signed certificate', 'cert-untrusted'),
  certScenario('cert-missing-intermediate', 'missingIntermediate', 'Leaf sent without its intermediate', 'cert-chain-incomplete'),
  {
    id: 'clock-skew',
    title: "A server whose Date header is two hours ahead of the local clock",
    family: 'certificate',
    expect: ['clock-skew'],
    async start(env) {
      const s = http2.createSecureServer({ ...(await tlsCert(env)), allowHTTP1: true }, (req, res) => {
        res.setHeader('date', new Date(Date.now() + 2 * 3600_000).toUTCString());
        ok(req, res);
      });
      return serve(s, 'https');
    },
  },
  {
    id: 'tls-port-speaks-ssh',
    title: 'https:// pointed at an SSH server (a TLS multiplexer routing to the wrong backend)',
    family: 'tls',
    expect: ['tls-malformed-response'],
    async start() {
      const s = net.createServer((sock) => {
        sock.on('error', () => {});
        sock.write('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n');
      });
      return serve(s, 'https');
    },
  },
  {
    id: 'tls-garbage-records',
    title: 'A TLS port answering the ClientHello with random bytes',
    family: 'tls',
    expect: ['tls-malformed-response'],
    async start() {
      return local(await hostileTls('garbage'), 'https', { timeoutMs: 800 });
    },
  },
  {
    id: 'tls-handshake-alert',
    title: 'A front that refuses every ClientHello with a fatal access_denied (49), as an IP allow-list does',
    family: 'tls',
    // No single parameter of the hello changes the answer (mirror, widest, without SNI, SSL 3.0):
    // the alert is all there is to report.
    expect: ['tls-handshake-alert'],
    async start(env) {
      const back = await sniBackend(env);
      const front = await sniFront(back.port, () => ({ alert: ALERTS.access_denied.code }));
      return frontOf(front, back);
    },
  },
];
