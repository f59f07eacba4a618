/**
 * Cross-check the codec against a real OpenSSL: a node:tls server on 127.0.0.1 answers ClientHellos built here and
 * sent over a raw node:net socket; its answers are read with the parsers here.
 */
import { X509Certificate, createPublicKey, diffieHellman, generateKeyPairSync, webcrypto } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientHello, type ClientHelloOptions } from './client-hello.js';
import { decryptServerFlight, type DecryptedServerFlight } from './encrypted-flight.js';
import { h2Blocklisted } from './registry.js';
import { ServerFlightReader, type ServerFlightSummary } from './server-flight.js';

/** tsyringe, loaded by @peculiar/x509, wants Reflect metadata functions at import; a tiny store is enough. */
function installReflectMetadata(): void {
  const R = Reflect as unknown as Record<string, unknown>;
  if (typeof R['getMetadata'] === 'function') return;
  const store = new WeakMap<object, Map<unknown, unknown>>();
  const key = (k: unknown, p: unknown) => `${String(p)}\u0000${String(k)}`;
  R['defineMetadata'] = (k: unknown, v: unknown, t: object, p?: unknown) => {
    if (!store.has(t)) store.set(t, new Map());
    store.get(t)!.set(key(k, p), v);
  };
  R['getOwnMetadata'] = (k: unknown, t: object, p?: unknown) => store.get(t)?.get(key(k, p));
  R['getMetadata'] = (k: unknown, t: object, p?: unknown) => {
    for (let o: object | null = t; o; o = Object.getPrototypeOf(o) as object | null) {
      const m = store.get(o);
      if (m?.has(key(k, p))) return m.get(key(k, p));
    }
    return undefined;
  };
}

/**
 * A throwaway self-signed P-256 certificate for 127.0.0.1. Undefined only when @peculiar/x509 (an
 * optional dependency) is not installed, outside CI; any other failure fails the suite.
 */
async function selfSigned(): Promise<{ key: string; cert: string; der: Uint8Array } | undefined> {
  installReflectMetadata();
  let x509: typeof import('@peculiar/x509');
  try {
    x509 = await import('@peculiar/x509');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND' || process.env.CI === 'true') throw e;
    console.warn('openssl-interop: @peculiar/x509 is not installed; skipping the OpenSSL cross-checks');
    return undefined;
  }
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=h2doctor-tls-test',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: alg,
    keys,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }])],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), cert: cert.toString('pem'), der: new Uint8Array(cert.rawData) };
}

let server: tls.Server | undefined;
let port = 0;
let certDer: Uint8Array | undefined;

beforeAll(async () => {
  const made = await selfSigned();
  if (!made) return;
  certDer = made.der;
  server = tls.createServer({ key: made.key, cert: made.cert, ALPNProtocols: ['h2', 'http/1.1'], minVersion: 'TLSv1.2' });
  server.on('tlsClientError', () => {}); // our probes end handshakes on purpose
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
});

/** Send a built ClientHello over a raw socket; read until the flight's verdict is final or the peer closes. */
function exchange(
  record: Uint8Array,
  until: (s: ServerFlightSummary) => boolean = () => true,
): Promise<{ summary: ServerFlightSummary; bytes: Uint8Array[] }> {
  return new Promise((resolve, reject) => {
    const reader = new ServerFlightReader();
    const bytes: Uint8Array[] = [];
    const sock = net.connect(port, '127.0.0.1');
    const guard = setTimeout(() => finish(new Error('no verdict from the server')), 10_000);
    let settled = false;
    function finish(err?: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      sock.destroy();
      if (err) reject(err);
      else resolve({ summary: reader.summary(), bytes });
    }
    sock.on('connect', () => sock.write(record));
    sock.on('data', (d: Buffer) => {
      const chunk = new Uint8Array(d);
      bytes.push(chunk);
      reader.push(chunk);
      if (reader.done && until(reader.summary())) finish();
    });
    sock.on('end', () => finish());
    sock.on('close', () => finish());
    sock.on('error', (e) => finish(e));
  });
}

const random = webcrypto.getRandomValues(new Uint8Array(32));
const tls12: ClientHelloOptions = {
  random,
  cipherSuites: [0xc02b, 0xc02c, 0xcca9, 0xc009, 0x00ff],
  serverName: 'localhost',
  supportedGroups: [0x001d, 0x0017, 0x0018],
  ecPointFormats: [0],
  signatureAlgorithms: [0x0403, 0x0503, 0x0804, 0x0401],
  alpn: ['h2', 'http/1.1'],
  extendedMasterSecret: true,
  renegotiationInfo: true,
};

describe('against OpenSSL (node:tls on 127.0.0.1)', () => {
  it('TLS 1.2 with ALPN [h2, http/1.1]: ServerHello, cipher, h2 chosen, certificate, x25519', async (ctx) => {
    if (!server) return ctx.skip();
    const { summary: s } = await exchange(buildClientHello(tls12).record);
    expect(s.status).toBe('complete');
    expect(s.serverHello?.version).toBe(0x0303);
    expect([0xc02b, 0xc02c, 0xcca9]).toContain(s.serverHello?.cipherSuite);
    expect(s.serverHello?.cipher?.kx).toBe('ECDHE');
    expect(s.serverHello?.cipher?.auth).toBe('ECDSA');
    expect(h2Blocklisted(s.serverHello!.cipherSuite)).toBe(false);
    expect(s.serverHello?.alpn).toBe('h2');
    expect(s.serverHello?.extendedMasterSecret).toBe(true);
    expect(s.serverHello?.renegotiationInfo?.length).toBe(0);
    expect(s.certificates).toHaveLength(1);
    expect(s.certificates![0]).toEqual(certDer);
    expect(new X509Certificate(s.certificates![0]!).subject).toBe('CN=h2doctor-tls-test');
    expect(s.serverKeyExchange).toMatchObject({ kind: 'ecdhe', curveType: 3, namedGroup: 0x001d, groupName: 'x25519', publicKeyLength: 32 });
    expect(s.serverHelloDone).toBe(true);
    expect(s.alert).toBeUndefined();
  });

  it('offering http/1.1 only: the server picks it', async (ctx) => {
    if (!server) return ctx.skip();
    const { summary: s } = await exchange(buildClientHello({ ...tls12, alpn: ['http/1.1'] }).record);
    expect(s.serverHello?.alpn).toBe('http/1.1');
  });

  it('offering only ciphers it lacks: a handshake_failure alert, named', async (ctx) => {
    if (!server) return ctx.skip();
    const { summary: s } = await exchange(buildClientHello({ ...tls12, cipherSuites: [0x0001, 0x0004, 0x0034, 0xc016] }).record);
    expect(s.status).toBe('alert');
    expect(s.serverHello).toBeUndefined();
    expect(s.alert).toMatchObject({ levelName: 'fatal', description: 40, name: 'handshake_failure', openssl: 'SSLV3_ALERT_HANDSHAKE_FAILURE' });
  });

  it('offering TLS 1.1 only: a protocol_version alert', async (ctx) => {
    if (!server) return ctx.skip();
    const { summary: s } = await exchange(buildClientHello({ ...tls12, legacyVersion: 0x0302, cipherSuites: [0xc009, 0xc013] }).record);
    expect(s.status).toBe('alert');
    expect(s.alert?.name).toBe('protocol_version');
  });
});

describe('TLS 1.3 against OpenSSL: decrypt the server flight with the key schedule', () => {
  it.for([0x1301, 0x1302, 0x1303])('suite %i: reads ALPN from EncryptedExtensions, the certificate, verifies Finished', async (suite, ctx) => {
    if (!server) return ctx.skip();
    const { privateKey, publicKey } = generateKeyPairSync('x25519');
    const pub = new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'));
    const ch = buildClientHello({
      random: webcrypto.getRandomValues(new Uint8Array(32)),
      sessionId: webcrypto.getRandomValues(new Uint8Array(32)),
      cipherSuites: [suite],
      serverName: 'localhost',
      supportedGroups: [0x001d],
      keyShares: [{ group: 0x001d, keyExchange: pub }],
      signatureAlgorithms: [0x0403, 0x0804, 0x0807],
      supportedVersions: [0x0304],
      pskKeyExchangeModes: [1],
      alpn: ['h2', 'http/1.1'],
    });
    let flight: DecryptedServerFlight | undefined;
    const decrypt = (s: ServerFlightSummary): DecryptedServerFlight => {
      const peer = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(s.serverHello!.keyShare!.keyExchange).toString('base64url') }, format: 'jwk' });
      const sharedSecret = new Uint8Array(diffieHellman({ privateKey, publicKey: peer }));
      return decryptServerFlight({ cipherSuite: s.serverHello!.cipherSuite, sharedSecret, clientHello: ch.message, serverHello: s.serverHelloMessage!, records: s.encryptedRecords });
    };
    const { summary: s } = await exchange(ch.record, (sum) => {
      if (sum.status !== 'complete' || sum.serverHello?.version !== 0x0304) return true;
      flight = decrypt(sum);
      return flight.finishedVerified !== undefined || flight.error !== undefined;
    });
    expect(s.status).toBe('complete');
    expect(s.serverHello?.version).toBe(0x0304);
    expect(s.serverHello?.cipherSuite).toBe(suite);
    expect(s.serverHello?.keyShare?.group).toBe(0x001d);
    expect(flight?.error).toBeUndefined();
    expect(flight?.encryptedExtensions?.alpn).toBe('h2');
    expect(flight?.certificates?.[0]).toEqual(certDer);
    expect(flight?.messages.map((m) => m.type)).toEqual([8, 11, 15, 20]);
    expect(flight?.finishedVerified).toBe(true);
  });

  it('an empty key_share gets a HelloRetryRequest naming the group', async (ctx) => {
    if (!server) return ctx.skip();
    const ch = buildClientHello({
      random: webcrypto.getRandomValues(new Uint8Array(32)),
      cipherSuites: [0x1301],
      supportedGroups: [0x0017],
      keyShares: [],
      signatureAlgorithms: [0x0403, 0x0804],
      supportedVersions: [0x0304],
    });
    const { summary: s } = await exchange(ch.record);
    expect(s.status).toBe('complete');
    expect(s.helloRetryRequest).toBe(true);
    expect(s.serverHello?.hrrSelectedGroup).toBe(0x0017);
    expect(s.serverHello?.version).toBe(0x0304);
  });
});
