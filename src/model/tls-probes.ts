/**
 * Evidence records of the TLS family's probes: raw ClientHello probes (one hello, read until
 * ServerHello, HelloRetryRequest, Alert or close, then hang up) and the stage's own summary (what it
 * set out to prove, how many connections it used, the surface a survey found, the server's clock).
 *
 * The variants carry `label`, not `name`: `name` is how rules look up the foundation's probes.
 */
import type { Excerpt } from '../wire/sniff.js';
import type { NodeVersionName } from '../wire/tls/registry.js';
import type { ProbeCommon } from './results.js';

/**
 * The raw hellos of the checks run after a default handshake that worked (probes/tls/plan.ts): TLS 1.2
 * alone, TLS 1.0/1.1, no SNI, and both TLS 1.2 and no SNI in one hello.
 */
export type CheckHelloLabel = 'tls12-only' | 'legacy' | 'no-sni' | 'tls12-no-sni';
/**
 * The raw hellos of the bisection of a refused handshake: Node's hello sent raw (`mirror`, also sent
 * after a certificate name mismatch or an unreadable answer), the widest hello, the widest narrowed to
 * Node's value of one parameter, and the two hellos that follow a refused widest.
 */
export type BisectHelloLabel = 'mirror' | 'widest' | 'narrow-version' | 'narrow-cipher' | 'narrow-group' | 'narrow-sigalg' | 'narrow-alpn' | 'sslv3' | 'widest-no-sni';
/**
 * The raw hellos of `--survey` (probes/tls/survey.ts): each version's first hello (`survey-TLSv1.2`;
 * `-no-sni` when it went without SNI), the hellos after it (`survey-TLSv1.3-4`), and Node's hello without SNI.
 */
export type SurveyHelloLabel = `survey-${NodeVersionName}` | `survey-${NodeVersionName}-no-sni` | `survey-${NodeVersionName}-${number}` | 'survey-no-sni';
/** Every raw hello the TLS stage sends: what the TLS rules look raw probes up by (a renamed label is a type error there). */
export type StageHelloLabel = CheckHelloLabel | BisectHelloLabel | SurveyHelloLabel;
/** A simulated client's hellos (probes/clients/stage.ts): `client-<profile>` and its bisection `client-<profile>-<BisectHelloLabel>`. */
export type ClientHelloLabel = `client-${string}`;
/**
 * The other attempt of a hello that was sent twice after a hang-up without an alert
 * (probes/tls/raw.ts `confirmHangUp`): the repeat, or the first attempt when the repeat was answered.
 */
export type AttemptHelloLabel = `${StageHelloLabel}:repeat` | `${StageHelloLabel}:first-attempt`;
/** The label of any raw hello probe. */
export type RawHelloLabel = StageHelloLabel | ClientHelloLabel | AttemptHelloLabel;

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
  /** The signature scheme the server signed with: TLS 1.2 ServerKeyExchange, TLS 1.3 CertificateVerify (decrypted). */
  sigalg?: string;
  /** DHE suites: the size of the server's prime in bits (ServerKeyExchange dh_p). */
  dhBits?: number;
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
  /**
   * A handshake message the server began and had not finished when reading stopped (TLS 1.3:
   * decrypted): its type ('certificate'…) and the length its header announces.
   */
  unfinished?: { type: string; length: number };
  /** The first bytes, when they were not TLS or not valid. */
  first?: Excerpt;
  /**
   * A hang-up without an alert (closed / reset) proves nothing alone: a loaded server or a dropped
   * connection looks the same. The same hello is sent once more; this is what that second attempt got
   * (its outcome, and its detail). Absent when the hello was not repeated.
   */
  repeat?: { outcome: RawTlsResult['outcome']; detail?: string };
  /** The first attempt hung up without an alert and the repeat (this result) was answered: what the first got. */
  firstAttempt?: { outcome: RawTlsResult['outcome']; detail?: string };
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
  /** The structured surface (a survey): per accepted version its suites rated, groups, signature schemes, ALPN answers. */
  detail?: TlsSurfaceVersion[];
  /** Every signature scheme the server signed with, any version. */
  signatureAlgorithms?: string[];
  /** The smallest DHE prime the server used, when it accepts DHE suites. */
  dhe?: { bits: number; suite: string };
  /** The key of the certificate for the target's name. */
  certificateKey?: { type: string; bits?: number };
}

/** One suite a version accepts, rated for HTTP/2 and for security. */
export interface RatedSuite {
  name: string;
  /** IANA code, e.g. 4866 for TLS_AES_256_GCM_SHA384 (0x1302). */
  code: number;
  /** Broken or export-grade: NULL, anonymous, EXPORT, RC4, DES/3DES, MD5 (the registry's `insecure`). */
  weak: boolean;
  /** Ephemeral key exchange (ECDHE/DHE, and every TLS 1.3 suite). */
  forwardSecrecy: boolean;
  /** On RFC 9113 Appendix A's block list: an HTTP/2 client may refuse it with INADEQUATE_SECURITY. */
  h2Blocklisted: boolean;
}

/** A version as the survey found it, like sslyze's accepted_cipher_suites. */
export interface TlsSurfaceVersion {
  version: string;
  /** Accepted suites; in the server's order of preference when `serverPreference`, else in the order found. */
  suites: RatedSuite[];
  /** true: the server picks by its own order; false: by the client's; absent: one suite, nothing to order. */
  serverPreference?: boolean;
  /** Groups accepted at this version (TLS 1.3 key_share / HelloRetryRequest; TLS 1.2 ECDHE curves), in the order found. */
  groups: string[];
  /** Signature schemes the server signed with at this version. */
  signatureAlgorithms: string[];
  /** ALPN answers at this version: [h2, http/1.1], [h2] alone, [http/1.1] alone; `refused` is an alert. */
  alpn: Array<{ offered: string[]; chosen: string | null | 'refused' }>;
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
  | (ProbeCommon & { kind: 'tls-raw'; label: RawHelloLabel; purpose: string; raw: RawTlsResult })
  | (ProbeCommon & { kind: 'tls-stage'; stage: TlsStageResult });
