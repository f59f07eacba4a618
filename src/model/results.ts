/**
 * What one connection attempt or exchange found (TCP, TLS, HTTP/2, HTTP/1.1), shared by every
 * probe variant of every family.
 */
import type { Classified } from '../wire/sniff.js';

export type ConnectOutcome =
  | { ok: true; ms: number; localPort?: number }
  | { ok: false; error: 'refused' | 'timeout' | 'reset' | 'unreachable' | 'other'; errno?: string; message: string; ms: number };

export interface CertSummary {
  subject: string;
  issuer: string;
  /** DNS and IP subjectAltNames. */
  altNames: string[];
  validFrom: string;
  validTo: string;
  serialNumber: string;
  fingerprint256: string;
  selfSigned: boolean;
  keyType?: string;
  keyBits?: number;
  /** The chain as the server sent it, leaf first (subjects). */
  chainSubjects: string[];
}

/**
 * One certificate of the chain as the server sent it, in the words `openssl x509 -text` uses
 * (like sslyze's certificate_info).
 */
export interface CertificateInfo {
  /** Place in the Certificate message, 0 = the first (the server's own certificate). */
  position: number;
  subject: string;
  issuer: string;
  /** Hex, upper case, no separators (as `openssl x509 -serial` prints it). */
  serialNumber: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  /** subjectAltName entries as OpenSSL prints them: 'DNS:example.com', 'IP Address:127.0.0.1'. */
  subjectAltNames: string[];
  publicKey: {
    /** 'RSA', 'RSA-PSS', 'EC', 'Ed25519', 'Ed448', 'DSA', … */
    type: string;
    /** RSA / DSA modulus size, EC field size. */
    bits?: number;
    /** EC curve, OpenSSL's name (prime256v1, secp384r1). */
    curve?: string;
  };
  /** OpenSSL's name (sha256WithRSAEncryption, ecdsa-with-SHA256, ED25519), or the OID when unknown. */
  signatureAlgorithm: string;
  signatureAlgorithmOid: string;
  /** SHA-256 of the DER, colon-separated upper-case hex (openssl x509 -fingerprint -sha256). */
  fingerprint256: string;
  /** basicConstraints CA:TRUE. */
  ca: boolean;
  /** Issued by itself (subject = issuer and its own key verifies the signature). */
  selfSigned: boolean;
  /** Position of the certificate in this chain whose key verifies this one's signature; null: none sent does. */
  issuedBy: number | null;
}

/**
 * The Certificate message of one handshake as the server sent it (order, duplicates and all), read
 * from the wire: in the clear under TLS 1.2, decrypted with the connection's handshake secret under TLS 1.3.
 */
export type ServedChain =
  | {
      source: 'tls1.2-certificate' | 'tls1.3-decrypted';
      certificates: CertificateInfo[];
      /** OCSP stapling: asked for (status_request in our hello), and whether the server stapled a response (CertificateStatus, or the TLS 1.3 entry extension). */
      ocsp: { requested: boolean; stapled: boolean; responseBytes?: number };
    }
  | { unavailable: string };

export interface TlsResult {
  /** What we offered. */
  offeredAlpn: string[];
  sni: string | null;
  /**
   * The highest version offered, when it was capped below Node's default (the HTTP/1.1 probe offers
   * TLS 1.2 at most when the default handshake got TLS 1.3: its handshake also answers "does TLS 1.2
   * work for this name?"). Absent: Node's default versions (TLS 1.2 and 1.3).
   */
  maxVersion?: 'TLSv1.2';
  outcome: 'handshake' | 'alert' | 'closed' | 'reset' | 'timeout' | 'not-tls' | 'error';
  version?: string;
  cipher?: { name: string; standardName: string; version: string };
  /** The server's ALPN choice; null when it sent no ALPN extension. */
  alpn?: string | null;
  /** The key exchange's ephemeral key (Node's getEphemeralKeyInfo): DH with its prime size, or ECDH with its curve. */
  ephemeral?: { type: string; name?: string; size?: number };
  /** The alert the server sent, when the handshake ended in one. */
  alert?: { level: 'warning' | 'fatal'; code: number; name: string };
  /** The local TLS library's error when the handshake failed (its typed code, e.g. ERR_SSL_WRONG_VERSION_NUMBER). */
  error?: { code: string; message: string };
  cert?: CertSummary;
  /** The trust store `verify` used: '--cacert', a system bundle's path, or 'node-bundled-roots'. */
  trustStore?: string;
  /** Certificate validation against the trust store (system + --cacert) and the host name. */
  verify?: { ok: true } | { ok: false; code: string; message: string };
  /** The host-name check on its own (Node runs it only when the chain verifies): does the certificate cover the host? */
  hostname?: { ok: true } | { ok: false; message: string };
  ocspStapled?: boolean;
  /** The default handshake only: the certificate chain as served, read from the wire. */
  served?: ServedChain;
  /** Milliseconds from connect to handshake done (or failure). */
  handshakeMs?: number;
}

export interface Http2Frame {
  type: number;
  typeName: string;
  flags: number;
  streamId: number;
  length: number;
  /** From the server, or sent by us. */
  dir: 'in' | 'out';
  /** Decoded bits, by type: SETTINGS values, GOAWAY code, HEADERS fields, DATA preview… */
  info?: string;
}

export interface Http2Result {
  /** How we reached HTTP/2: TLS with ALPN, prior knowledge over TCP, or after `Upgrade: h2c`. */
  via: 'tls' | 'prior-knowledge' | 'upgrade';
  /** Milliseconds from our connection preface to the server's first HTTP/2 frame (about 0 when it sent SETTINGS at once). */
  firstFrameMs?: number;
  /** Milliseconds from our connection preface to the response HEADERS of stream 1. */
  responseMs?: number;
  outcome:
    | 'response'
    | 'settings-no-response'
    | 'http1-response'
    | 'closed'
    | 'timeout'
    | 'reset'
    | 'garbage'
    | 'not-settings'
    | 'goaway'
    | 'rst-stream'
    | 'protocol-error'
    | 'flood';
  first?: Classified;
  serverSettings?: Array<{ id: number; name: string; value: number }>;
  goaway?: { lastStreamId: number; errorCode: number; errorName: string; debug: string };
  rstStream?: { errorCode: number; errorName: string };
  status?: number;
  headers?: Array<[string, string]>;
  /** Frames in order, bounded. */
  frames: Http2Frame[];
  /** Human detail for protocol errors. */
  detail?: string;
  /** The RFC 9113 rule the server's frames broke, or the flood they made (with `protocol-error` and `flood`). */
  violation?: H2Violation;
}

/** What a server did wrong in an HTTP/2 exchange: the rule and the frame, or the flood (count, time). */
export interface H2Violation {
  kind: 'protocol' | 'compression' | 'flood';
  /** The rule in plain words, with its RFC section. */
  text: string;
  /** The frame that shows it ("HEADERS stream=1 length=12"). */
  frame?: string;
  flood?: { type: string; count: number; ms: number; bytes?: number };
}

export interface Http1Result {
  outcome: 'response' | 'closed' | 'timeout' | 'reset' | 'garbage' | 'not-http';
  first?: Classified;
  version?: string;
  status?: number;
  reason?: string;
  headers?: Array<[string, string]>;
  /** A bounded preview of the body. */
  bodyPreview?: string;
  /** With outcome `garbage`: why the HTTP/1.x head cannot be read (the parser's words: a head or status line without end, too many fields…). */
  malformed?: string;
}

export interface ProbeCommon {
  /** Unique within a report, e.g. "127.0.0.1/tls-alpn-h2". */
  id: string;
  address: string;
  port: number;
  /** Milliseconds since the diagnosis started. */
  startMs: number;
  durationMs: number;
  bytesSent: number;
  bytesReceived: number;
  connect: ConnectOutcome;
  /** Why this probe's connection was opened, or whose connection it ran on (absent on summary records). */
  connection?: ConnectionNote;
}

/**
 * The connection economy, per probe: `new` opened a connection of its own, for the reason given;
 * `reused` ran on the connection the probe `of` opened (the TLS handshake after the TCP connect, the
 * HTTP/2 exchange after the default handshake, the HTTP/1.0 request after the HTTP/1.1 one).
 * `Report.connections` is the number of `new` ones.
 */
export interface ConnectionNote {
  use: 'new' | 'reused';
  /** With `reused`: the id of the probe that opened the connection. */
  of?: string;
  /** Why: the question this connection (or this experiment on it) answers. */
  why: string;
}
