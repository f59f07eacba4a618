/**
 * A node:tls handshake over a tapped TCP socket: we get Node's view (version, cipher, ALPN,
 * certificate, verification) and the raw records the server sent (its alert, or the non-TLS
 * bytes it answered with).
 */
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import type { CertSummary, TlsResult } from '../model/index.js';
import { alertFromNodeErrorCode, alertName } from '../wire/tls/alerts.js';
import { classify } from '../wire/sniff.js';
import { TapDuplex, round } from './conn.js';
import { readServedChain } from './served-chain.js';
import { onDeadline } from './deadline.js';
import type { Classified } from '../model/index.js';

/** A TLS version as node:tls names it (for probes, which do not import node:tls). */
export type SecureVersion = tls.SecureVersion;

export interface TlsOptions {
  /** Host name for SNI; null sends none. IP literals are never sent (RFC 6066 §3). */
  sni: string | null;
  /** Host name to check the certificate against. */
  verifyHost: string;
  alpn: string[];
  /** PEM CA bundle replacing the default roots (curl's --cacert). */
  ca?: string | Buffer;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
  /** A client certificate for servers that ask for one (mutual TLS; curl's --cert/--key/--pass). */
  clientCert?: ClientCert;
  deadline: number;
  /** Called with each key log line (NSS format), for traces. */
  onKeylog?: (line: Buffer) => void;
  onOut?: (c: Buffer) => void;
  onIn?: (c: Buffer) => void;
  /**
   * Most raw bytes the handshake may read: past it the handshake is abandoned (outcome `error`,
   * code {@link HANDSHAKE_BUDGET_CODE}, with what arrived). Default: no limit beyond the deadline.
   */
  maxBytes?: number;
  /** Read the certificate chain as served from the wire into `result.served` (the default handshake). */
  servedChain?: boolean;
  /**
   * false: the certificate is not verified on this connection (another handshake of the same
   * diagnosis verifies it), so no trust store is loaded for it and `result` has no `verify`,
   * `hostname` or `trustStore`. Loading the system bundle into a second secure context costs tens
   * of milliseconds. Default true.
   */
  verify?: boolean;
}

/** The error code of a handshake abandoned at its byte budget. */
export const HANDSHAKE_BUDGET_CODE = 'ERR_H2DOCTOR_HANDSHAKE_BUDGET';

/** Counts TLS record headers in a raw byte stream, incrementally (RFC 8446 §5.1: 5-byte headers). */
export class RecordCounter {
  records = 0;
  bytes = 0;
  private skip = 0;
  private head: number[] = [];
  push(c: Uint8Array): void {
    this.bytes += c.length;
    let i = 0;
    while (i < c.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, c.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      this.head.push(c[i++]!);
      if (this.head.length === 5) {
        this.records++;
        this.skip = (this.head[3]! << 8) | this.head[4]!;
        this.head = [];
      }
    }
  }
}

/** A client certificate and its key, PEM (curl's --cert, --key, --pass). */
export interface ClientCert {
  cert: string;
  key: string;
  passphrase?: string;
}

/**
 * Loads a client certificate and key into a TLS context, as a handshake would: throws the TLS
 * library's error (bad passphrase, key not matching the certificate…) so the CLI can name it.
 */
export function loadClientCert(cc: ClientCert): void {
  tls.createSecureContext({ cert: cc.cert, key: cc.key, ...(cc.passphrase !== undefined ? { passphrase: cc.passphrase } : {}) });
}

export interface TlsHandshake {
  result: TlsResult;
  secure?: tls.TLSSocket;
  tap: TapDuplex;
  /** Classification of the first raw bytes the server sent, when the handshake did not complete. */
  first?: Classified;
}

const RAW_KEEP = 16 * 1024;
/** With `servedChain`: room for a long chain and a stapled OCSP response. */
const RAW_KEEP_CHAIN = 64 * 1024;

/** Where Debian/Ubuntu, Fedora/RHEL, Alpine/macOS keep the system's CA bundle (curl's default store). */
export const SYSTEM_CA_FILES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

let systemStore: { source: string; pem: string | undefined } | undefined;

/**
 * The trust store used when no --cacert is given: `SSL_CERT_FILE`, else the system bundle (what
 * curl and OpenSSL clients on this machine trust), else Node's bundled Mozilla roots. Read once.
 */
export function systemTrustStore(env: Record<string, string | undefined> = process.env): { source: string; pem: string | undefined } {
  if (systemStore) return systemStore;
  for (const file of [env.SSL_CERT_FILE, ...SYSTEM_CA_FILES]) {
    if (!file) continue;
    try {
      const pem = readFileSync(file, 'utf8');
      if (pem.includes('-----BEGIN CERTIFICATE-----')) return (systemStore = { source: file, pem });
    } catch {
      // not there: try the next
    }
  }
  return (systemStore = { source: 'node-bundled-roots', pem: undefined });
}

const contexts = new Map<string, tls.SecureContext>();

function secureContextFor(o: Pick<TlsOptions, 'ca' | 'minVersion' | 'maxVersion' | 'ciphers' | 'clientCert' | 'verify'>): tls.SecureContext {
  const ca = o.verify === false ? undefined : o.ca ?? systemTrustStore().pem;
  const cc = o.clientCert;
  const key = JSON.stringify([typeof ca === 'string' ? ca : ca?.toString('latin1') ?? null, o.minVersion ?? null, o.maxVersion ?? null, o.ciphers ?? null, cc ? [cc.cert, cc.key, cc.passphrase ?? null] : null]);
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = tls.createSecureContext({
      ...(ca ? { ca } : {}),
      ...(o.minVersion ? { minVersion: o.minVersion } : {}),
      ...(o.maxVersion ? { maxVersion: o.maxVersion } : {}),
      ...(o.ciphers ? { ciphers: o.ciphers } : {}),
      ...(cc ? { cert: cc.cert, key: cc.key, ...(cc.passphrase !== undefined ? { passphrase: cc.passphrase } : {}) } : {}),
    });
    if (contexts.size > 32) contexts.clear();
    contexts.set(key, ctx);
  }
  return ctx;
}

export function tlsHandshake(raw: net.Socket, o: TlsOptions): Promise<TlsHandshake> {
  const t0 = performance.now();
  const counter = new RecordCounter();
  let overBudget: (() => void) | undefined;
  const onIn = (c: Buffer) => {
    o.onIn?.(c);
    if (o.maxBytes === undefined) return;
    counter.push(c);
    if (counter.bytes > o.maxBytes) overBudget?.();
  };
  const tap = new TapDuplex(raw, o.servedChain ? RAW_KEEP_CHAIN : RAW_KEEP, o.onOut, onIn);
  let rawReset = false;
  let rawEnded = false;
  raw.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'ECONNRESET') rawReset = true;
  });
  raw.on('end', () => (rawEnded = true));
  const sni = o.sni && net.isIP(o.sni) === 0 ? o.sni : undefined;
  const result: TlsResult = { offeredAlpn: o.alpn, sni: sni ?? null, outcome: 'error' };
  if (o.verify !== false) result.trustStore = o.ca ? '--cacert' : systemTrustStore().source;

  return new Promise((resolve) => {
    let settled = false;
    let ocsp = false;
    let ocspBytes: number | undefined;
    const keylog: string[] = [];
    const sock = tls.connect(connectOptions(tap, o, sni));
    if (o.onKeylog) sock.on('keylog', o.onKeylog);
    if (o.servedChain) sock.on('keylog', (line: Buffer) => keylog.length < 16 && keylog.push(line.toString('latin1')));
    sock.on('OCSPResponse', (r: Buffer) => {
      if (r && r.length) {
        ocsp = true;
        ocspBytes = r.length;
      }
    });
    const done = (h: Omit<TlsHandshake, 'tap' | 'result'>) => {
      if (settled) return;
      settled = true;
      cancelDeadline();
      result.handshakeMs = round(performance.now() - t0);
      resolve({ ...h, result, tap });
    };
    const cancelDeadline = onDeadline(o.deadline, () => {
      result.outcome = 'timeout';
      const first = classify(tap.rawIn(), 'timeout');
      if (tap.inboundBytes > 0 && !isTls(first)) result.outcome = 'not-tls';
      sock.destroy();
      done({ first });
    });
    overBudget = () => {
      if (settled) return;
      result.outcome = 'error';
      result.error = { code: HANDSHAKE_BUDGET_CODE, message: `${counter.records} handshake records, ${counter.bytes} bytes, no progress: the handshake was abandoned at the ${o.maxBytes}-byte budget` };
      const first = classify(tap.rawIn(), 'budget');
      sock.destroy();
      raw.destroy();
      done({ first });
    };

    sock.once('secureConnect', () => {
      readHandshake(sock, result, o, tap, keylog, ocsp, ocspBytes);
      sock.removeAllListeners('error');
      sock.on('error', () => {});
      done({ secure: sock });
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      const first = readFailure(err, tap.rawIn(), rawReset, rawEnded, result);
      sock.destroy();
      done({ first });
    });
  });
}

/** Node's options for the handshake over the tap: our ALPN and SNI, no rejection (we judge), OCSP asked. */
function connectOptions(tap: TapDuplex, o: TlsOptions, sni: string | undefined): tls.ConnectionOptions {
  const opts: tls.ConnectionOptions = {
    socket: tap,
    ALPNProtocols: o.alpn,
    rejectUnauthorized: false,
    ...({ requestOCSP: true } as object),
    checkServerIdentity: (_h, cert) => tls.checkServerIdentity(o.verifyHost, cert),
  };
  if (sni) opts.servername = sni;
  // One secure context per trust store and parameter set, made once per process: building a
  // context parses every CA certificate, far too slow to repeat on each probe.
  opts.secureContext = secureContextFor(o);
  return opts;
}

/** A completed handshake: what was negotiated, the certificate, Node's verification and ours of the name. */
function readHandshake(sock: tls.TLSSocket, result: TlsResult, o: TlsOptions, tap: TapDuplex, keylog: string[], ocsp: boolean, ocspBytes: number | undefined): void {
  result.outcome = 'handshake';
  result.version = sock.getProtocol() ?? undefined;
  const c = sock.getCipher();
  result.cipher = { name: c.name, standardName: c.standardName, version: c.version };
  result.alpn = sock.alpnProtocol === false || sock.alpnProtocol == null ? null : sock.alpnProtocol;
  const eph = sock.getEphemeralKeyInfo();
  if (eph && typeof eph === 'object' && 'type' in eph && typeof eph.type === 'string') {
    result.ephemeral = { type: eph.type, ...(typeof eph.name === 'string' ? { name: eph.name } : {}), ...(typeof eph.size === 'number' ? { size: eph.size } : {}) };
  }
  result.cert = summarizeCert(sock.getPeerCertificate(true));
  if (o.verify !== false) {
    result.verify = sock.authorized
      ? { ok: true }
      : { ok: false, code: String(sock.authorizationError ?? 'UNKNOWN'), message: describeVerifyError(String(sock.authorizationError ?? '')) };
  }
  result.ocspStapled = ocsp;
  if (o.servedChain) result.served = readServedChain({ rawIn: tap.rawIn(), keylog, version: result.version, ocspRequested: true, ...(ocspBytes !== undefined ? { ocspBytes } : {}) });
  if (o.verify === false) return;
  const peer = sock.getPeerCertificate();
  const hostErr = peer && peer.raw ? tls.checkServerIdentity(o.verifyHost, peer) : undefined;
  result.hostname = hostErr ? { ok: false, message: hostErr.message.split('\n')[0]!.slice(0, 300) } : { ok: true };
}

/** A failed handshake: an alert (in the clear, or named by Node's error code), bytes that are not TLS, a reset, a close. */
function readFailure(err: NodeJS.ErrnoException, rawBytes: Uint8Array, rawReset: boolean, rawEnded: boolean, result: TlsResult): Classified {
  const end = rawReset ? 'reset' : rawEnded ? 'eof' : 'open';
  const first = classify(rawBytes, end === 'open' ? 'eof' : end);
  result.error = { code: err.code ?? 'UNKNOWN', message: err.message.split('\n')[0]!.slice(0, 300) };
  const a = first.first;
  if (a.kind === 'tls-alert') {
    result.outcome = 'alert';
    result.alert = { level: a.level === 1 ? 'warning' : 'fatal', code: a.description, name: a.descriptionName };
  } else if (alertFromNodeErrorCode(err.code)) {
    // TLS 1.3 alerts after ServerHello are encrypted; Node's typed code still names them.
    const al = alertFromNodeErrorCode(err.code)!;
    result.outcome = 'alert';
    result.alert = { level: 'fatal', code: al.code, name: alertName(al.code) };
  } else if (rawBytes.length > 0 && !isTls(first)) {
    result.outcome = 'not-tls';
  } else if (rawReset) {
    // A reset mid-handshake (even mid-record) is a reset: the bytes before it stay in `first`.
    result.outcome = 'reset';
  } else if (rawBytes.length === 0) {
    result.outcome = 'closed';
  } else {
    result.outcome = 'error';
  }
  return first;
}

function isTls(c: Classified): boolean {
  const k = c.first.kind;
  return k === 'tls-alert' || k === 'tls-handshake' || k === 'tls-other' || k === 'tls-record-overflow' || k === 'incomplete';
}

function describeVerifyError(code: string): string {
  const m: Record<string, string> = {
    CERT_HAS_EXPIRED: 'the certificate has expired',
    CERT_NOT_YET_VALID: 'the certificate is not yet valid',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
    SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed certificate that is not trusted',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the issuer of the certificate is not in the chain sent nor trusted (missing intermediate?)',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer certificate is not in the trust store',
    UNABLE_TO_GET_ISSUER_CERT: 'the issuer certificate could not be found',
    ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not cover the host name',
    CERT_REVOKED: 'the certificate was revoked',
  };
  return m[code] ?? code;
}

export function summarizeCert(c: tls.DetailedPeerCertificate | undefined): CertSummary | undefined {
  if (!c || !c.raw) return undefined;
  const chain: string[] = [];
  let cur: tls.DetailedPeerCertificate | undefined = c;
  const seen = new Set<string>();
  while (cur && cur.raw && !seen.has(cur.fingerprint256) && chain.length < 10) {
    seen.add(cur.fingerprint256);
    chain.push(dn(cur.subject));
    cur = cur.issuerCertificate;
  }
  const alt = (c.subjectaltname ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  const out: CertSummary = {
    subject: dn(c.subject),
    issuer: dn(c.issuer),
    altNames: alt,
    validFrom: new Date(c.valid_from).toISOString(),
    validTo: new Date(c.valid_to).toISOString(),
    serialNumber: c.serialNumber,
    fingerprint256: c.fingerprint256,
    selfSigned: dn(c.subject) === dn(c.issuer) && (c.issuerCertificate === c || c.issuerCertificate?.fingerprint256 === c.fingerprint256),
    chainSubjects: chain,
  };
  const anyC = c as unknown as { bits?: number; asn1Curve?: string; nistCurve?: string; pubkey?: Buffer; modulus?: string };
  if (anyC.modulus) out.keyType = 'RSA';
  else if (anyC.asn1Curve || anyC.nistCurve) out.keyType = `EC ${anyC.nistCurve ?? anyC.asn1Curve}`;
  if (anyC.bits) out.keyBits = anyC.bits;
  return out;
}

function dn(o: tls.Certificate | undefined): string {
  if (!o) return '';
  return Object.entries(o)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}
