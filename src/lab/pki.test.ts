import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { LAB_CERT_PRESETS, createLabPki, writeLabPki, type LabCertPreset } from './pki.js';
import { listen, type Listening } from './servers.js';

const servers = new Set<Listening>();

afterAll(async () => {
  await Promise.all([...servers].map((s) => s.stop()));
});

/** Starts a TLS server on 127.0.0.1 presenting `cert`; resolves with its port. */
async function serve(cert: string, key: string, extra: tls.TlsOptions = {}): Promise<{ port: number; server: Listening }> {
  const server = tls.createServer({ cert, key, ...extra }, (socket) => socket.end('hi'));
  // A client that rejects the certificate aborts the handshake; that is the point, not an error.
  server.on('tlsClientError', () => {});
  const l = await listen(server);
  servers.add(l);
  return { port: l.port, server: l };
}

async function stop(server: Listening): Promise<void> {
  servers.delete(server);
  await server.stop();
}

interface Outcome {
  ok: boolean;
  code?: string;
  peer?: tls.DetailedPeerCertificate;
  protocol?: string | null;
  cipher?: string;
}

/** Connects like a client given `--cacert ca.pem`; reports whether verification passed, or its error code. */
function connect(port: number, ca: string, opts: tls.ConnectionOptions = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost', ...opts });
    socket.once('secureConnect', () => {
      const out: Outcome = {
        ok: socket.authorized,
        peer: socket.getPeerCertificate(true),
        protocol: socket.getProtocol(),
        cipher: socket.getCipher().standardName,
      };
      socket.destroy();
      resolve(out);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve({ ok: false, code: err.code ?? 'unknown' });
    });
  });
}

describe('lab PKI', () => {
  it('makes the CA pair and a leaf (timed, log only)', async () => {
    const t0 = performance.now();
    const pki = await createLabPki({ fresh: true });
    const leaf = await pki.issue();
    const ms = performance.now() - t0;
    console.log(`lab pki: fresh createLabPki() + issue() took ${ms.toFixed(1)} ms`);
    expect(leaf.certPem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(leaf.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('caches the root and intermediate for the process; fresh makes a new pair', async () => {
    const a = await createLabPki();
    const b = await createLabPki();
    const c = await createLabPki({ fresh: true });
    expect(b.rootCa.certPem).toBe(a.rootCa.certPem);
    expect(b.intermediateCa.certPem).toBe(a.intermediateCa.certPem);
    expect(c.rootCa.certPem).not.toBe(a.rootCa.certPem);
  });

  it('builds root → intermediate → leaf with the default names as SANs', async () => {
    const pki = await createLabPki();
    const leaf = await pki.issue();
    const [l, i, r] = splitPem(leaf.fullChainPem).map((p) => new X509Certificate(p));
    expect(splitPem(leaf.chainPem)).toHaveLength(2);
    expect(leaf.caPem).toBe(pki.rootCa.certPem);
    expect(r!.toString()).toBe(new X509Certificate(leaf.caPem).toString());
    expect(l!.checkIssued(i!)).toBe(true);
    expect(l!.verify(i!.publicKey)).toBe(true);
    expect(i!.checkIssued(r!)).toBe(true);
    expect(i!.verify(r!.publicKey)).toBe(true);
    expect(r!.checkIssued(r!)).toBe(true);
    expect(i!.ca).toBe(true);
    expect(l!.ca).toBe(false);
    expect(l!.subjectAltName).toContain('DNS:localhost');
    expect(l!.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(l!.checkIP('::1')).toBe('::1');
    expect(l!.publicKey.asymmetricKeyType).toBe('ec');
    // The CA material carries no private key.
    expect(leaf.caPem + leaf.chainPem + pki.intermediateCa.certPem).not.toContain('PRIVATE KEY');
  });

  it('issues from the root and self-signed, with the chain each implies', async () => {
    const pki = await createLabPki();
    const fromRoot = await pki.issue({ issuer: 'root', names: ['a.test'], cn: 'custom cn' });
    expect(splitPem(fromRoot.chainPem)).toHaveLength(1);
    expect(splitPem(fromRoot.fullChainPem)).toHaveLength(2);
    const leaf = new X509Certificate(fromRoot.certPem);
    expect(leaf.checkIssued(new X509Certificate(pki.rootCa.certPem))).toBe(true);
    expect(leaf.subject).toContain('CN=custom cn');
    expect(leaf.checkHost('a.test')).toBe('a.test');

    const self = await pki.issue({ issuer: 'self' });
    const s = new X509Certificate(self.certPem);
    expect(s.checkIssued(s)).toBe(true);
    expect(self.chainPem).toBe(self.certPem);
  });

  it('honours notBefore / notAfter', async () => {
    const pki = await createLabPki();
    const notBefore = new Date('2020-01-01T00:00:00Z');
    const notAfter = new Date('2021-01-01T00:00:00Z');
    const c = new X509Certificate((await pki.issue({ notBefore, notAfter })).certPem);
    expect(new Date(c.validFrom).toISOString()).toBe(notBefore.toISOString());
    expect(new Date(c.validTo).toISOString()).toBe(notAfter.toISOString());
  });

  it('writeLabPki writes ca.pem (the root) and returns its path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'h2doctor-pki-'));
    try {
      const pki = await createLabPki();
      const out = await writeLabPki(join(dir, 'nested'), pki);
      expect(out.caFile).toBe(join(dir, 'nested', 'ca.pem'));
      expect(await readFile(out.caFile, 'utf8')).toBe(pki.rootCa.certPem);
      expect(await readFile(out.intermediateFile, 'utf8')).toBe(pki.intermediateCa.certPem);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('lab PKI presets over real node:tls', () => {
  const cases = Object.keys(LAB_CERT_PRESETS) as LabCertPreset[];

  it.each(cases)('%s: a client trusting ca.pem sees the expected verification result', async (name) => {
    const pki = await createLabPki();
    const cert = await pki.preset(name);
    const { port, server } = await serve(cert.serverCertPem, cert.keyPem);
    try {
      const out = await connect(port, cert.caPem);
      const expected = LAB_CERT_PRESETS[name].nodeError;
      if (expected === null) {
        expect(out).toMatchObject({ ok: true });
      } else {
        expect(out).toEqual({ ok: false, code: expected });
      }
    } finally {
      await stop(server);
    }
  });

  it('valid also verifies by IP address (no SNI, IP SAN)', async () => {
    const pki = await createLabPki();
    const cert = await pki.preset('valid');
    const { port, server } = await serve(cert.serverCertPem, cert.keyPem);
    try {
      expect((await connect(port, cert.caPem, { servername: undefined })).ok).toBe(true);
    } finally {
      await stop(server);
    }
  });

  it('missingIntermediate verifies once the client also holds the intermediate', async () => {
    const pki = await createLabPki();
    const cert = await pki.preset('missingIntermediate');
    expect(splitPem(cert.serverCertPem)).toHaveLength(1);
    const { port, server } = await serve(cert.serverCertPem, cert.keyPem);
    try {
      expect((await connect(port, cert.caPem + pki.intermediateCa.certPem)).ok).toBe(true);
    } finally {
      await stop(server);
    }
  });

  it('wrongHost is a checkServerIdentity failure, not a chain failure', async () => {
    const pki = await createLabPki();
    const cert = await pki.preset('wrongHost');
    const { port, server } = await serve(cert.serverCertPem, cert.keyPem);
    try {
      const out = await connect(port, cert.caPem, { servername: 'other.example' });
      expect(out.ok).toBe(true);
    } finally {
      await stop(server);
    }
  });

  it('rsa serves a 2048-bit RSA leaf that allows an RSA key-exchange suite', async () => {
    const pki = await createLabPki();
    const cert = await pki.preset('rsa');
    const leaf = new X509Certificate(cert.certPem);
    expect(leaf.publicKey.asymmetricKeyType).toBe('rsa');
    expect(leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const { port, server } = await serve(cert.serverCertPem, cert.keyPem, { maxVersion: 'TLSv1.2' });
    try {
      const out = await connect(port, cert.caPem, { ciphers: 'AES128-GCM-SHA256', maxVersion: 'TLSv1.2' });
      expect(out.ok).toBe(true);
      expect(out.cipher).toBe('TLS_RSA_WITH_AES_128_GCM_SHA256');
    } finally {
      await stop(server);
    }
  });
});

function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];
}
