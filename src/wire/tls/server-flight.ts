/**
 * Read what a server sent in answer to a ClientHello — possibly many records, possibly cut anywhere — and say what
 * it was: ServerHello (or HelloRetryRequest), the TLS ≤ 1.2 Certificate, the ECDHE/DHE parameters of its
 * ServerKeyExchange, ServerHelloDone, an alert, or why it is not a TLS answer at all. Bounded in bytes, records and
 * message size; never throws.
 *
 * @example
 * const reader = new ServerFlightReader();
 * reader.push(chunk);
 * if (reader.done) report(reader.summary());
 */
import { ParseError } from '../bytes.js';
import { sniffNotTls } from '../sniff.js';
import { parseAlerts, type TlsAlert } from './alert.js';
import { parseCertificate12, type CertificateLimits } from './certificate.js';
import { HandshakeReassembler, RecordDecoder, type TlsRecord } from './record.js';
import { CONTENT_TYPES, HANDSHAKE_TYPES, TLS_VERSIONS, handshakeTypeName } from './registry.js';
import { parseServerHelloBody, type ParsedServerHello } from './server-hello.js';
import { parseServerKeyExchange, type ServerKeyExchangeInfo } from './server-key-exchange.js';

/**
 * Where reading the flight got to.
 * - `complete`: the server has said all it will before the client speaks (ServerHelloDone, a TLS 1.3 ServerHello
 *   followed by encrypted records, a HelloRetryRequest, or an abbreviated TLS ≤ 1.2 resumption). Under TLS 1.3 the
 *   end of the encrypted flight cannot be seen without keys: a caller that decrypts keeps pushing until
 *   `decryptServerFlight` finds the Finished;
 * - `incomplete`: valid so far, more bytes needed (the answer was cut, or has not all arrived);
 * - `alert`: the server sent an error alert;
 * - `not-tls`: the first bytes are not a TLS record (a plaintext HTTP server on a TLS port, SSLv2, …);
 * - `malformed`: TLS records whose content breaks the protocol (see `error`);
 * - `empty`: no bytes at all.
 *
 * @example
 * if (summary.status === 'not-tls') console.log(summary.sniff);
 */
export type FlightStatus = 'complete' | 'incomplete' | 'alert' | 'not-tls' | 'malformed' | 'empty';

/**
 * A handshake message seen in the clear, for traces.
 *
 * @example
 * summary.messages.map((m) => m.name); // ['server_hello', 'certificate', …]
 */
export interface SeenMessage {
  readonly type: number;
  readonly name: string;
  readonly length: number;
}

/**
 * Everything the flight showed.
 *
 * @example
 * summarizeServerFlight(bytes).serverHello?.alpn;
 */
export interface ServerFlightSummary {
  readonly status: FlightStatus;
  readonly bytes: number;
  readonly records: number;
  /** legacy_record_version of the first record. */
  readonly recordVersion?: number;
  readonly serverHello?: ParsedServerHello;
  /** The ServerHello handshake message as received (header included), for a TLS 1.3 transcript. */
  readonly serverHelloMessage?: Uint8Array;
  readonly helloRetryRequest: boolean;
  /** TLS ≤ 1.2 only (TLS 1.3 encrypts it). */
  readonly certificates?: readonly Uint8Array[];
  readonly serverKeyExchange?: ServerKeyExchangeInfo;
  readonly certificateRequest: boolean;
  readonly certificateStatus: boolean;
  readonly serverHelloDone: boolean;
  readonly changeCipherSpec: boolean;
  readonly messages: readonly SeenMessage[];
  /** The first alert, and all of them. */
  readonly alert?: TlsAlert;
  readonly alerts: readonly TlsAlert[];
  /** TLS 1.3: the encrypted records after the ServerHello (decrypt with keyschedule.ts), up to a bound. */
  readonly encryptedRecords: readonly TlsRecord[];
  /** Why parsing stopped, when it did. */
  readonly error?: { readonly code: string; readonly message: string; readonly offset: number };
  /** For `not-tls`: what the first bytes are (wire/sniff.ts, sniffNotTls), and the bytes themselves. */
  readonly sniff?: 'http' | 'sslv2' | 'other';
  readonly firstBytes?: Uint8Array;
  /** A cleartext handshake message begun and not finished: its type and announced length. */
  readonly unfinished?: { readonly type: number; readonly length: number };
}

/**
 * Bounds on what a flight may make us hold.
 *
 * @example
 * summarizeServerFlight(bytes, { maxBytes: 64 * 1024, maxCertificates: 8 });
 */
export interface ServerFlightOptions extends CertificateLimits {
  /** Bytes read at most (default 256 KiB); later bytes are ignored. */
  readonly maxBytes?: number;
  /** Records at most (default 256). */
  readonly maxRecords?: number;
  /** Handshake message size at most (default 128 KiB). */
  readonly maxMessageSize?: number;
  /** Encrypted records kept at most (default 32). */
  readonly maxEncryptedRecords?: number;
}

/**
 * Incremental reader of a server's answer. Push chunks as they arrive; `done` turns true once more bytes cannot
 * change the verdict. Never throws.
 *
 * @example
 * const r = new ServerFlightReader();
 * r.push(bytes);
 * r.summary().serverHello?.cipher?.name;
 */
export class ServerFlightReader {
  private readonly opts: Required<Omit<ServerFlightOptions, keyof CertificateLimits>> & CertificateLimits;
  private readonly dec: RecordDecoder;
  private readonly hs: HandshakeReassembler;
  private bytes = 0;
  private records = 0;
  private recordVersion: number | undefined;
  private serverHello: ParsedServerHello | undefined;
  private serverHelloMessage: Uint8Array | undefined;
  private certificates: Uint8Array[] | undefined;
  private ske: ServerKeyExchangeInfo | undefined;
  private certificateRequest = false;
  private certificateStatus = false;
  private serverHelloDone = false;
  private ccs = false;
  private finishedSeen = false;
  private readonly messages: SeenMessage[] = [];
  private readonly alerts: TlsAlert[] = [];
  private readonly encrypted: TlsRecord[] = [];
  private error: { code: string; message: string; offset: number } | undefined;
  private notTls = false;
  private firstBytes: Uint8Array | undefined;

  constructor(opts: ServerFlightOptions = {}) {
    this.opts = {
      maxBytes: opts.maxBytes ?? 256 * 1024,
      maxRecords: opts.maxRecords ?? 256,
      maxMessageSize: opts.maxMessageSize ?? 128 * 1024,
      maxEncryptedRecords: opts.maxEncryptedRecords ?? 32,
      ...(opts.maxCertificates !== undefined ? { maxCertificates: opts.maxCertificates } : {}),
      ...(opts.maxCertificateSize !== undefined ? { maxCertificateSize: opts.maxCertificateSize } : {}),
    };
    this.dec = new RecordDecoder({ maxBuffered: this.opts.maxBytes + 1 });
    this.hs = new HandshakeReassembler({ maxMessageSize: this.opts.maxMessageSize });
  }

  /** True once the verdict is final: complete, alert, not TLS, malformed, or a bound reached. */
  get done(): boolean {
    const s = this.status();
    return s !== 'incomplete' && s !== 'empty';
  }

  push(chunk: Uint8Array): void {
    if (this.error || this.alerts.some((a) => a.isError)) return;
    const room = this.opts.maxBytes - this.bytes;
    if (room <= 0) return;
    const part = chunk.subarray(0, room);
    if (this.bytes === 0 && part.length > 0) this.firstBytes = part.slice(0, 16);
    this.bytes += part.length;
    try {
      this.dec.push(part);
      for (let rec = this.dec.next(); rec; rec = this.dec.next()) {
        this.onRecord(rec);
        if (this.error || this.alerts.some((a) => a.isError)) return;
      }
    } catch (e) {
      this.fail(e);
    }
    if (!this.error && this.bytes >= this.opts.maxBytes && this.status() === 'incomplete') {
      this.error = { code: 'too-large', message: `flight exceeds ${this.opts.maxBytes} bytes`, offset: this.bytes };
    }
  }

  private fail(e: unknown): void {
    if (e instanceof ParseError) {
      if (this.records === 0 && e.field?.startsWith('record.')) this.notTls = e.code === 'unexpected-value';
      this.error = { code: e.code, message: e.message, offset: e.offset };
    } else {
      this.error = { code: 'invalid', message: `internal: ${(e as Error)?.message ?? String(e)}`, offset: this.bytes };
    }
  }

  private get tls13(): boolean {
    const sh = this.serverHello;
    return !!sh && !sh.isHelloRetryRequest && sh.version === TLS_VERSIONS.TLS1_3;
  }

  private onRecord(rec: TlsRecord): void {
    this.records++;
    if (this.recordVersion === undefined) this.recordVersion = rec.version;
    if (this.records > this.opts.maxRecords) {
      throw new ParseError('too-large', `more than ${this.opts.maxRecords} records`, this.dec.offset, 'records');
    }
    // RFC 8446 §5.1: handshake messages MUST NOT be interleaved with other record types
    if (rec.type !== CONTENT_TYPES.handshake && this.hs.pending > 0) {
      throw new ParseError('invalid', 'a record of another type interrupts a handshake message', this.dec.offset, 'records');
    }
    switch (rec.type) {
      case CONTENT_TYPES.handshake:
        // RFC 5246 §7.1: after ChangeCipherSpec the handshake (Finished) is encrypted
        if (this.ccs && !this.tls13) {
          this.finishedSeen = true;
          return;
        }
        this.hs.push(rec.body);
        for (let m = this.hs.next(); m; m = this.hs.next()) this.onMessage(m.type, m.body, m.raw);
        return;
      case CONTENT_TYPES.alert:
        // RFC 5246 §7.2: an alert after ChangeCipherSpec is encrypted; its bytes say nothing in the clear
        if (this.ccs && !this.tls13) return;
        for (const a of parseAlerts(rec.body)) this.alerts.push(a);
        return;
      case CONTENT_TYPES.change_cipher_spec:
        // RFC 5246 §7.1: the message is a single byte of value 1 (RFC 8446 §5: also TLS 1.3's compatibility CCS)
        if (rec.body.length !== 1 || rec.body[0] !== 1) {
          throw new ParseError('invalid', 'change_cipher_spec: body is not 0x01', this.dec.offset, 'change_cipher_spec');
        }
        // RFC 8446 Appendix D.4: the compatibility CCS after a HelloRetryRequest protects nothing; the
        // ServerHello that follows it is in the clear.
        if (!this.serverHello?.isHelloRetryRequest) this.ccs = true;
        return;
      case CONTENT_TYPES.application_data:
        // RFC 8446 §5.2: after the ServerHello, TLS 1.3 records are protected and typed application_data
        if (!this.tls13) {
          throw new ParseError('unexpected-value', 'application_data before the handshake completed', this.dec.offset, 'records');
        }
        if (this.encrypted.length < this.opts.maxEncryptedRecords) this.encrypted.push(rec);
        return;
      default:
        return;
    }
  }

  private onMessage(type: number, body: Uint8Array, raw: Uint8Array): void {
    this.messages.push({ type, name: handshakeTypeName(type), length: body.length });
    switch (type) {
      case HANDSHAKE_TYPES.server_hello:
      {
        // RFC 8446 §4.1.4: after an HRR the server sends a second ServerHello only after a new ClientHello,
        // so a whole connection's inbound bytes hold both (nghttpd asks every x25519 client for P-256);
        // any other second server_hello, or a second HRR, breaks the rule.
        const next = parseServerHelloBody(body);
        if (this.serverHello && !(this.serverHello.isHelloRetryRequest && !next.isHelloRetryRequest)) {
          throw new ParseError('unexpected-value', next.isHelloRetryRequest ? 'a second hello_retry_request' : 'a second server_hello', this.dec.offset, 'server_hello');
        }
        this.serverHello = next;
        this.serverHelloMessage = raw;
        return;
      }
      case HANDSHAKE_TYPES.certificate:
        if (!this.serverHello) throw new ParseError('unexpected-value', 'certificate before server_hello', this.dec.offset, 'certificate');
        this.certificates = [...parseCertificate12(body, this.opts).certificates];
        return;
      case HANDSHAKE_TYPES.server_key_exchange:
        this.ske = parseServerKeyExchange(body, this.serverHello?.cipher?.kx ?? 'unknown');
        return;
      case HANDSHAKE_TYPES.certificate_request:
        this.certificateRequest = true;
        return;
      case HANDSHAKE_TYPES.certificate_status:
        this.certificateStatus = true;
        return;
      case HANDSHAKE_TYPES.server_hello_done:
        // RFC 5246 §7.4.5: ServerHelloDone has an empty body
        if (body.length !== 0) throw new ParseError('invalid', 'server_hello_done: non-empty body', this.dec.offset, 'server_hello_done');
        this.serverHelloDone = true;
        return;
      default:
        return;
    }
  }

  private status(): FlightStatus {
    if (this.bytes === 0) return 'empty';
    if (this.alerts.some((a) => a.isError)) return 'alert';
    if (this.notTls) return 'not-tls';
    if (this.error) return 'malformed';
    const sh = this.serverHello;
    const partial = this.dec.buffered > 0 || this.hs.pending > 0;
    if (sh?.isHelloRetryRequest && !partial) return 'complete';
    if (this.tls13 && !partial && this.encrypted.length > 0) return 'complete';
    if (this.serverHelloDone && !partial) return 'complete';
    // RFC 5246 §7.3: an abbreviated (resumed) handshake ends with the server's ChangeCipherSpec and Finished
    if (sh && this.ccs && this.finishedSeen && !partial) return 'complete';
    return 'incomplete';
  }

  /** The summary so far. */
  summary(): ServerFlightSummary {
    const status = this.status();
    const sh = this.serverHello;
    const unfinished = this.hs.head();
    return {
      status,
      ...(unfinished ? { unfinished } : {}),
      bytes: this.bytes,
      records: this.records,
      ...(this.recordVersion !== undefined ? { recordVersion: this.recordVersion } : {}),
      ...(sh ? { serverHello: sh } : {}),
      ...(this.serverHelloMessage ? { serverHelloMessage: this.serverHelloMessage } : {}),
      helloRetryRequest: !!sh?.isHelloRetryRequest,
      ...(this.certificates ? { certificates: this.certificates } : {}),
      ...(this.ske ? { serverKeyExchange: this.ske } : {}),
      certificateRequest: this.certificateRequest,
      certificateStatus: this.certificateStatus,
      serverHelloDone: this.serverHelloDone,
      changeCipherSpec: this.ccs,
      messages: this.messages,
      ...(this.alerts[0] ? { alert: this.alerts[0] } : {}),
      alerts: this.alerts,
      encryptedRecords: this.encrypted,
      ...(this.error && status !== 'alert' ? { error: this.error } : {}),
      ...(status === 'not-tls' && this.firstBytes ? { sniff: sniffNotTls(this.firstBytes), firstBytes: this.firstBytes } : {}),
    };
  }
}

/**
 * Summarise a whole captured answer at once. Never throws.
 *
 * @example
 * const s = summarizeServerFlight(bytesFromSocket);
 * if (s.status === 'alert') console.log(s.alert?.name); // 'handshake_failure'
 */
export function summarizeServerFlight(bytes: Uint8Array, opts: ServerFlightOptions = {}): ServerFlightSummary {
  const r = new ServerFlightReader(opts);
  r.push(bytes);
  return r.summary();
}
