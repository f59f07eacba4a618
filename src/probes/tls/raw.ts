/**
 * The raw probe: one hand-built ClientHello, read until ServerHello, HelloRetryRequest, an alert or
 * a close, then hang up. Under TLS 1.3, when we hold the private key of the share the server took,
 * the server's encrypted flight is decrypted with our own key schedule (wire/tls/keyschedule.ts)
 * to read EncryptedExtensions (ALPN), the certificate and a CertificateRequest.
 *
 * Bounded like every probe: a deadline, a byte budget (at most 64 KiB of flight), and the reader's
 * own limits on records and message sizes. Never throws: a misbehaving server is evidence.
 */
import { X509Certificate, createPublicKey, diffieHellman, type DiffieHellman, type KeyObject, type ECDH } from 'node:crypto';
import { rawExchange } from '../../transport/raw-tls.js';
import { concat } from '../../wire/bytes.js';
import { ServerFlightReader, type ServerFlightSummary } from '../../wire/tls/server-flight.js';
import { tls13Suite } from '../../wire/tls/keyschedule.js';
import { decryptServerFlight, type DecryptedServerFlight } from '../../wire/tls/encrypted-flight.js';
import { alertName } from '../../wire/tls/alerts.js';
import { cipherSuiteName, groupName, handshakeTypeName, sigSchemeName, HANDSHAKE_TYPES } from '../../wire/tls/registry.js';
import { excerpt } from '../../wire/sniff.js';
import type { ProbeContext } from '../context.js';
import { Meter } from '../meter.js';
import type { RawCertBrief, RawHelloLabel, RawTlsResult, StageHelloLabel, TlsFamilyProbe } from '../../model/tls-probes.js';
import { buildHello, describeOffer, versionLabel, type BuiltHello, type HelloSpec } from './hello.js';
import { ffdhePrime, leftPad } from './ffdhe.js';

/**
 * A raw ClientHello probe's record.
 * @example const p: RawProbe = await rawHello(ctx, 'tls12-only', 'does the server accept TLS 1.2?', spec); p.raw.outcome // 'server-hello'
 */
export type RawProbe = Extract<TlsFamilyProbe, { kind: 'tls-raw' }>;

/**
 * Runs one raw ClientHello probe (label, purpose, hello), counted by the stage. `L`: the labels the caller may send.
 * @example const raw: RawRunner = (label, purpose, spec, o) => rawHello(ctx, label, purpose, spec, o);
 */
export type RawRunner<L extends RawHelloLabel = StageHelloLabel> = (label: L, purpose: string, spec: HelloSpec, o?: RawHelloOptions) => Promise<RawProbe>;

/**
 * The server took the hello: a ServerHello or a HelloRetryRequest.
 * @example accepted(p) // true for a ServerHello or a HelloRetryRequest
 */
export const accepted = (p: RawProbe | undefined): boolean => p?.raw.outcome === 'server-hello' || p?.raw.outcome === 'hello-retry';

/**
 * The connection was made and the server hung up without an alert (closed, or reset).
 * @example hungUp(p) // true when the server closed or reset without an alert
 */
export const hungUp = (p: RawProbe): boolean => p.connect.ok && (p.raw.outcome === 'closed' || p.raw.outcome === 'reset');

/**
 * A hang-up without an alert proves nothing alone (a loaded server, a full accept queue, a dropped
 * connection look the same), so the same hello is sent once more. Returns the probe that stands for
 * the hello (first: with `repeat` when the second attempt hung up or alerted too; else the second,
 * with `firstAttempt`), then the other attempt under its own label and id, so every connection stays
 * in the report. Any other first answer is returned alone.
 *
 * @example
 * const [p] = await confirmHangUp(first, () => rawHello(ctx, 'tls12-only', purpose, spec));
 * p.raw.repeat?.outcome; // 'closed' when the server hung up twice
 */
export async function confirmHangUp(first: RawProbe, again: () => Promise<RawProbe>): Promise<RawProbe[]> {
  if (!hungUp(first)) return [first];
  const second = await again();
  const brief = (r: RawProbe) => ({ outcome: r.raw.outcome, ...(r.raw.detail ? { detail: r.raw.detail } : {}) });
  const other = (r: RawProbe, tag: 'repeat' | 'first-attempt'): RawProbe => ({ ...r, id: `${r.id}:${tag}`, label: `${r.label}:${tag}` as RawHelloLabel });
  if (hungUp(second) || second.raw.outcome === 'alert') return [{ ...first, raw: { ...first.raw, repeat: brief(second) } }, other(second, 'repeat')];
  return [{ ...second, raw: { ...second.raw, firstAttempt: brief(first) } }, other(first, 'first-attempt')];
}

/**
 * Most bytes of a server's answer we read (a real flight with a long chain is well under this).
 * @example RAW_MAX_BYTES // 65536
 */
export const RAW_MAX_BYTES = 64 * 1024;

/**
 * How far a raw hello reads past the ServerHello.
 * @example await rawHello(ctx, 'legacy', 'does the server still accept TLS 1.0 or 1.1?', spec, { fullFlight: false })
 */
export interface RawHelloOptions {
  /** Read on past a TLS 1.3 ServerHello to decrypt the flight (ALPN, certificate). Default true. */
  decrypt?: boolean;
  /** Keep reading a TLS ≤ 1.2 flight until ServerHelloDone (certificate, CertificateRequest). Default true. */
  fullFlight?: boolean;
}

/**
 * Send one ClientHello to the context's address and report what came back.
 *
 * @example
 * const p = await rawHello(ctx, 'tls12-only', 'does the server accept TLS 1.2?', spec);
 * p.raw.outcome; // 'server-hello'
 */
export async function rawHello(ctx: ProbeContext, label: RawHelloLabel, purpose: string, spec: HelloSpec, o: RawHelloOptions = {}): Promise<RawProbe> {
  return rawHelloFrom(ctx, label, purpose, describeOffer(spec), () => buildHello(spec), o);
}

/**
 * {@link rawHello} for a hello built by the caller (a client profile replayed with fresh key shares).
 *
 * @example
 * await rawHelloFrom(ctx, 'client-curl', 'curl's own hello', offer, () => helloFromProfile(p, sni));
 */
export async function rawHelloFrom(ctx: ProbeContext, label: RawHelloLabel, purpose: string, offer: RawTlsResult['offer'], build: () => BuiltHello, o: RawHelloOptions = {}): Promise<RawProbe> {
  const m = new Meter(ctx, `tls-raw-${label}`);
  const c = await ctx.dial(ctx.address, ctx.port, ctx.timeoutMs);
  m.queuedMs = c.queuedMs ?? 0;
  if (!c.outcome.ok) {
    return { kind: 'tls-raw', label, purpose, ...m.common(c.outcome), raw: { offer, outcome: 'closed', detail: `TCP ${c.outcome.error}` } };
  }
  let hello: BuiltHello;
  try {
    hello = build();
  } catch (e) {
    c.socket.destroy();
    return { kind: 'tls-raw', label, purpose, ...m.common(c.outcome), raw: { offer, outcome: 'malformed', detail: `could not build the hello: ${(e as Error).message}` } };
  }
  const reader = new ServerFlightReader({ maxBytes: RAW_MAX_BYTES, maxCertificates: 10 });
  const firstBytes: Uint8Array[] = [];
  let kept = 0;
  let flight: DecryptedServerFlight | undefined;
  // RFC 6066 §3 / RFC 5246 §7.2: a warning alert (unrecognized_name from Apache-like servers) may come
  // before the ServerHello and the handshake goes on. The flight reader treats every alert as final,
  // so leading warning alerts are taken off the stream here and kept as evidence.
  const warnings: Array<{ code: number; name: string }> = [];
  let lead: Uint8Array | null = new Uint8Array(0);
  const strip = (chunk: Uint8Array): Uint8Array => {
    if (!lead) return chunk;
    let b: Uint8Array = concat([lead, chunk]);
    while (b.length >= 7 && b[0] === 21 && b[3] === 0 && b[4] === 2 && b[5] === 1 && warnings.length < 8) {
      warnings.push({ code: b[6]!, name: alertName(b[6]!) });
      b = b.subarray(7);
    }
    if (b.length >= 7 || (b.length > 0 && b[0] !== 21)) {
      lead = null;
      return b;
    }
    lead = b;
    return new Uint8Array(0);
  };
  const decrypt = o.decrypt ?? true;
  const fullFlight = o.fullFlight ?? true;
  const ex = await rawExchange(c.socket, hello.record, {
    deadline: m.deadline,
    maxBytes: RAW_MAX_BYTES,
    onChunk(chunk) {
      if (kept < 64) {
        firstBytes.push(chunk.subarray(0, 64 - kept));
        kept += Math.min(chunk.length, 64 - kept);
      }
      const rest = strip(chunk);
      if (rest.length) reader.push(rest);
      const s = reader.summary();
      // TLS 1.3: the records read so far are decrypted even while one is still arriving or the byte
      // budget ran out, so a message that will never fit (a Certificate of megabytes) is seen from its header.
      const cut = s.status === 'incomplete' || (s.status === 'malformed' && s.error?.code === 'too-large');
      if (cut && decrypt && s.encryptedRecords.length && s.serverHello?.version === 0x0304 && !s.serverHello.isHelloRetryRequest) {
        const partial = tryDecrypt(hello, s);
        if (partial?.error || partial?.alert || s.status === 'malformed') return (flight = partial), true;
      }
      if (s.status === 'incomplete' || s.status === 'empty') {
        // TLS ≤ 1.2: the ServerHello alone answers "accepted?"; the rest of the flight is a bonus.
        return !fullFlight && !!s.serverHello;
      }
      if (s.status !== 'complete') return true;
      const sh = s.serverHello;
      if (!sh || sh.isHelloRetryRequest || sh.version !== 0x0304 || !decrypt) return true;
      flight = tryDecrypt(hello, s);
      return !flight || flight.finishedVerified !== undefined || flight.error !== undefined || flight.alert !== undefined;
    },
  });
  const s = reader.summary();
  const raw = summarize(ctx, offer, s, flight, ex.end);
  if (warnings.length) raw.warnings = [...warnings, ...(raw.warnings ?? [])];
  if ((raw.outcome === 'not-tls' || raw.outcome === 'malformed') && kept > 0) raw.first = excerpt(concat(firstBytes));
  m.sent = ex.bytesSent;
  m.received = ex.bytesReceived;
  return { kind: 'tls-raw', label, purpose, ...m.common(c.outcome), raw };
}

function tryDecrypt(hello: BuiltHello, s: ServerFlightSummary): DecryptedServerFlight | undefined {
  const sh = s.serverHello!;
  const share = sh.keyShare;
  if (!share || !s.serverHelloMessage || !tls13Suite(sh.cipherSuite)) return undefined;
  const key = hello.keys.get(share.group);
  if (!key) return undefined;
  try {
    let secret: Uint8Array;
    if (key.kind === 'x25519' || key.kind === 'x448') {
      const crv = key.kind === 'x25519' ? 'X25519' : 'X448';
      const peer = createPublicKey({ key: { kty: 'OKP', crv, x: Buffer.from(share.keyExchange).toString('base64url') }, format: 'jwk' });
      secret = new Uint8Array(diffieHellman({ privateKey: key.priv as KeyObject, publicKey: peer }));
    } else if (key.kind === 'ffdhe') {
      // RFC 8446 §7.4.1: the shared secret Z, left-padded with zeros to the size of p.
      const size = ffdhePrime(share.group)!.length;
      secret = leftPad(new Uint8Array((key.priv as DiffieHellman).computeSecret(share.keyExchange)), size);
    } else {
      // RFC 8446 §7.4.2: the ECDHE shared secret is the x coordinate, which is what computeSecret returns.
      secret = new Uint8Array((key.priv as ECDH).computeSecret(share.keyExchange));
    }
    return decryptServerFlight({ cipherSuite: sh.cipherSuite, sharedSecret: secret, clientHello: hello.message, serverHello: s.serverHelloMessage, records: s.encryptedRecords, maxCertificates: 10 });
  } catch (e) {
    return { secrets: undefined as never, messages: [], error: { code: 'invalid', message: (e as Error).message } };
  }
}

function summarize(ctx: ProbeContext, offer: RawTlsResult['offer'], s: ServerFlightSummary, flight: DecryptedServerFlight | undefined, end: string): RawTlsResult {
  const out: RawTlsResult = { offer, outcome: 'closed' };
  const warnings = s.alerts.filter((a) => !a.isError).map((a) => ({ code: a.description, name: a.name }));
  if (warnings.length) out.warnings = warnings;
  const unfinished = flight?.unfinished ?? s.unfinished;
  if (unfinished) out.unfinished = { type: handshakeTypeName(unfinished.type), length: unfinished.length };
  const sh = s.serverHello;
  if (s.status === 'alert' && s.alert) {
    const fatal = s.alerts.find((a) => a.isError) ?? s.alert;
    out.outcome = 'alert';
    out.alert = { level: fatal.level === 1 ? 'warning' : 'fatal', code: fatal.description, name: fatal.name };
    if (!sh) return out;
  } else if (s.status === 'not-tls') {
    out.outcome = 'not-tls';
    out.detail = s.sniff ? `not TLS (${s.sniff})` : 'not TLS';
    return out;
  } else if (s.status === 'malformed') {
    out.outcome = 'malformed';
    out.detail = s.error ? `${s.error.code}: ${s.error.message}` : 'malformed';
    if (!sh) return out;
  } else if (!sh) {
    out.outcome = end === 'reset' ? 'reset' : end === 'timeout' || (end === 'budget' && s.bytes === 0) ? 'timeout' : s.bytes > 0 && end === 'budget' ? 'malformed' : 'closed';
    if (s.bytes > 0) out.detail = `${s.bytes} byte(s) of an incomplete answer, then ${end}`;
    return out;
  }
  if (!sh) return out;
  // A ServerHello came: the server accepted this hello (whatever happened after).
  if (out.outcome !== 'alert' && out.outcome !== 'malformed') out.outcome = sh.isHelloRetryRequest ? 'hello-retry' : 'server-hello';
  if (out.outcome === 'alert') {
    // An alert after the ServerHello (e.g. a TLS 1.2 server that wants a client certificate): the hello itself was accepted.
    out.outcome = sh.isHelloRetryRequest ? 'hello-retry' : 'server-hello';
  }
  out.versionCode = sh.version;
  out.version = versionLabel(sh.version);
  out.cipherCode = sh.cipherSuite;
  out.cipher = cipherSuiteName(sh.cipherSuite);
  if (sh.isHelloRetryRequest && sh.hrrSelectedGroup !== undefined) out.group = groupName(sh.hrrSelectedGroup);
  else if (sh.keyShare) out.group = groupName(sh.keyShare.group);
  else if (s.serverKeyExchange?.namedGroup !== undefined) out.group = groupName(s.serverKeyExchange.namedGroup);
  else if (s.serverKeyExchange?.kind === 'dhe' && s.serverKeyExchange.dhPrimeBits) out.group = `DHE ${s.serverKeyExchange.dhPrimeBits}-bit`;
  if (s.serverKeyExchange?.kind === 'dhe' && s.serverKeyExchange.dhPrimeBits) out.dhBits = s.serverKeyExchange.dhPrimeBits;
  if (s.serverKeyExchange?.signatureScheme !== undefined) out.sigalg = sigSchemeName(s.serverKeyExchange.signatureScheme);
  out.sniAck = sh.sniAck;
  out.ocspStapled = sh.statusRequest || s.certificateStatus;
  if (sh.version < 0x0304) {
    out.alpn = sh.alpn ?? null;
    out.alpnFrom = 'server-hello';
    out.certificateRequest = s.certificateRequest;
    if (s.certificates?.length) {
      out.chainLength = s.certificates.length;
      const b = certBrief(s.certificates[0]!, ctx.target.host);
      if (b) out.cert = b;
    }
  } else if (flight && !flight.error) {
    const ee = flight.encryptedExtensions;
    if (ee) {
      out.alpn = ee.alpn ?? null;
      out.alpnFrom = 'encrypted-extensions';
      out.sniAck = ee.sniAck;
    }
    out.certificateRequest = flight.messages.some((m) => m.type === HANDSHAKE_TYPES.certificate_request);
    // RFC 8446 §4.4.3: CertificateVerify starts with the SignatureScheme.
    const cv = flight.messages.find((m) => m.type === HANDSHAKE_TYPES.certificate_verify);
    if (cv && cv.body.length >= 2) out.sigalg = sigSchemeName((cv.body[0]! << 8) | cv.body[1]!);
    if (flight.certificates?.length) {
      out.chainLength = flight.certificates.length;
      const b = certBrief(flight.certificates[0]!, ctx.target.host);
      if (b) out.cert = b;
    }
    if (flight.alert) out.alert = { level: flight.alert[0] === 1 ? 'warning' : 'fatal', code: flight.alert[1], name: alertName(flight.alert[1]) };
  } else if (flight?.error) {
    out.detail = `could not decrypt the TLS 1.3 flight: ${flight.error.message}`;
  }
  return out;
}

/**
 * A short look at a DER certificate; undefined when it does not parse.
 *
 * @example
 * certBrief(der, 'example.com')?.coversHost;
 */
export function certBrief(der: Uint8Array, host: string): RawCertBrief | undefined {
  // A survey reads the same certificate in every TLS 1.2 hello (15 on nginx): parsed once per process.
  const key = `${host}\0${Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1')}`;
  const known = briefs.get(key);
  if (known !== undefined) return known ? { ...known, altNames: [...known.altNames] } : undefined;
  const b = parseBrief(der, host);
  if (briefs.size >= 16) briefs.delete(briefs.keys().next().value!);
  briefs.set(key, b ?? null);
  return b ? { ...b, altNames: [...b.altNames] } : undefined;
}

/** certBrief's answers by host and DER, at most 16 (the oldest goes first). */
const briefs = new Map<string, RawCertBrief | null>();

function parseBrief(der: Uint8Array, host: string): RawCertBrief | undefined {
  try {
    const x = new X509Certificate(der);
    const alt = (x.subjectAltName ?? '')
      .split(',')
      .map((s) => s.trim().replace(/^(DNS|IP Address):/, ''))
      .filter(Boolean);
    const ip = /^[\d.]+$/.test(host) || host.includes(':');
    const covers = ip ? x.checkIP(host) !== undefined : x.checkHost(host) !== undefined;
    const out: RawCertBrief = {
      subject: x.subject.replace(/\n/g, ', '),
      issuer: x.issuer.replace(/\n/g, ', '),
      altNames: alt,
      validFrom: new Date(x.validFrom).toISOString(),
      validTo: new Date(x.validTo).toISOString(),
      fingerprint256: x.fingerprint256,
      coversHost: covers,
    };
    const k = x.publicKey;
    if (k.asymmetricKeyType) out.keyType = k.asymmetricKeyType.toUpperCase();
    const d = k.asymmetricKeyDetails;
    if (d?.modulusLength) out.keyBits = d.modulusLength;
    else if (d?.namedCurve) out.keyType = `EC ${d.namedCurve}`;
    return out;
  } catch {
    return undefined;
  }
}
