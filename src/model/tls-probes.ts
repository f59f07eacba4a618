/**
 * Evidence records of the TLS family's probes: raw ClientHello probes (one hello, read until
 * ServerHello, HelloRetryRequest, Alert or close, then hang up) and the stage's own summary (what it
 * set out to prove, how many connections it used, the surface a survey found, the server's clock).
 *
 * The variants carry `label`, not `name`: `name` is how rules look up the foundation's probes.
 */
import type { Excerpt } from '../wire/sniff.js';
import type { ProbeCommon } from './results.js';

/** What one raw ClientHello offered, in words a report can show. */
export interface RawHelloOffer {
  /** Versions offered, highest first: 'TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1', 'SSLv3'. */
  versions: string[];
  /** How many cipher suites were offered, and their IANA names when there are at most 12. */
  cipherCount: number;
  ciphers?: string[];
  /** supported_groups, by name. */
  groups: string[];
  /** How many signature schemes were offered. */
  sigalgCount: number;
  /** ALPN offered; null: no ALPN extension. */
  alpn: string[] | null;
  /** SNI sent; null: none. */
  sni: string | null;
}

/** A short look at a certificate seen on the wire (TLS ≤ 1.2 in the clear, TLS 1.3 after decryption). */
export interface RawCertBrief {
  subject: string;
  issuer: string;
  altNames: string[];
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  /** Whether the certificate covers the target's host name. */
  coversHost: boolean;
  keyType?: string;
  keyBits?: number;
}

export interface RawTlsResult {
  offer: RawHelloOffer;
  /**
   * server-hello: the server accepted this hello; hello-retry: it accepted it but asked for another
   * key share (TLS 1.3 HelloRetryRequest, still an acceptance); alert: it refused with an alert;
   * closed / reset: it hung up without a word; timeout: no answer in time; not-tls / malformed:
   * the answer was not (valid) TLS.
   */
  outcome: 'server-hello' | 'hello-retry' | 'alert' | 'closed' | 'reset' | 'timeout' | 'not-tls' | 'malformed';
  /** Negotiated version ('TLSv1.2'…) and its code. */
  version?: string;
  versionCode?: number;
  /** IANA name and code of the suite the server chose. */
  cipher?: string;
  cipherCode?: number;
  /** Key-exchange group: TLS 1.3 key_share or HRR, TLS 1.2 ServerKeyExchange. */
  group?: string;
  /** ALPN the server chose; null when it sent none; absent when not seen (TLS 1.3 without decryption). */
  alpn?: string | null;
  /** Where the ALPN answer came from. */
  alpnFrom?: 'server-hello' | 'encrypted-extensions';
  /** The fatal alert (or, with outcome server-hello, none). */
  alert?: { level: 'warning' | 'fatal'; code: number; name: string };
  /** Warning-level alerts seen before the ServerHello (e.g. unrecognized_name from Apache-like servers). */
  warnings?: Array<{ code: number; name: string }>;
  /** The server asked for a client certificate (CertificateRequest, TLS ≤ 1.2 clear or TLS 1.3 decrypted). */
  certificateRequest?: boolean;
  cert?: RawCertBrief;
  chainLength?: number;
  /** The server agreed to staple OCSP (status_request answered). */
  ocspStapled?: boolean;
  /** The server acknowledged our SNI (empty server_name in its hello). */
  sniAck?: boolean;
  /** Why parsing stopped, or what the bytes were. */
  detail?: string;
  /** The first bytes, when they were not TLS or not valid. */
  first?: Excerpt;
}

/** The server's TLS surface, as a survey (or the cheap checks) found it. */
export interface TlsSurface {
  /** Per version tried: accepted or not, the suites found (server order when it has one), ALPN chosen. */
  versions: Array<{ version: string; accepted: boolean; ciphers?: string[]; alpn?: string | null; alert?: string }>;
  /** Groups accepted (TLS 1.3 when offered, else TLS 1.2 ECDHE). */
  groups?: string[];
  /** Whether the server imposes its own cipher order (TLS 1.2). */
  serverCipherOrder?: boolean;
  /** ALPN answers per offer: 'h2' alone, 'http/1.1' alone. */
  alpn?: Array<{ offered: string[]; chosen: string | null | 'refused' }>;
  /** Certificate served without SNI and for an unknown name, compared with the one for the target. */
  noSni?: 'same-certificate' | 'other-certificate' | 'refused' | 'accepted';
  unknownName?: 'same-certificate' | 'other-certificate' | 'refused' | 'accepted';
}

/** What the stage concluded from its raw probes, for the rules. */
export interface TlsStageResult {
  /** 'checks': a healthy handshake, cheap checks only; 'bisect': the default handshake failed; 'survey': --survey. */
  plan: 'checks' | 'bisect' | 'survey' | 'none';
  /** Connections the stage opened. */
  connections: number;
  /** The local wall clock when the stage ran (certificate dates are judged against it). */
  localTime: string;
  /** Bisection: the parameters proven to cause the refusal, with the proof in words. */
  causes?: Array<{ dimension: 'version' | 'cipher' | 'group' | 'sigalg' | 'sni' | 'alpn' | 'client-cert'; detail: string; probes: string[] }>;
  /** Bisection ran but no single parameter explained the refusal. */
  unexplained?: string;
  surface?: TlsSurface;
  /** The server's Date header (from an HTTP response) and the local clock when it was read. */
  clock?: { serverDate: string; localTime: string; skewSeconds: number; probe: string };
  /** How we read ALPN under TLS 1.3: our own key schedule decrypting EncryptedExtensions. */
  alpn13?: { alpn: string | null; probe: string };
}

export type TlsFamilyProbe =
  | (ProbeCommon & { kind: 'tls-raw'; label: string; purpose: string; raw: RawTlsResult })
  | (ProbeCommon & { kind: 'tls-stage'; stage: TlsStageResult });
