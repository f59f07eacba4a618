/**
 * Evidence of the client simulation (`--clients`, `--client`): one `client-sim` probe per client
 * profile and address, holding its replayed hello's answer, the bisection when it was refused, and
 * its HTTP/2 opening when ALPN chose h2. And the per-client table of the report.
 */
import type { ProbeCommon } from './results.js';
import type { BisectHelloLabel, RawTlsResult } from './tls-probes.js';

/**
 * What a client needs, from its own point of view.
 * - `cleartext`: what it does with an http:// URL: plain HTTP/1.1 (browsers, most libraries), h2c by
 *   prior knowledge (gRPC), or an `Upgrade: h2c` attempt (curl --http2, Java HttpClient).
 * - `needsH2`: it fails rather than fall back to HTTP/1.1 (gRPC).
 * - `refusesBlocklistedCipher`: it will not speak HTTP/2 over a TLS 1.2 suite on the RFC 9113 Appendix A
 *   block list (Chromium: ERR_HTTP2_INADEQUATE_TRANSPORT_SECURITY).
 */
export interface ClientPolicy {
  kind: 'browser' | 'grpc' | 'cli' | 'library' | 'unknown';
  cleartext: 'http1' | 'h2c-prior-knowledge' | 'h2c-upgrade';
  needsH2: boolean;
  refusesBlocklistedCipher: boolean;
  /** Where the policy comes from, in a few words. */
  note?: string;
}

/** One narrowing of the bisection from the client's parameters. */
export interface ClientBisectStep {
  /** mirror, widest, narrow-cipher, narrow-group, narrow-version, narrow-sigalg, narrow-alpn, sslv3, widest-no-sni. */
  label: BisectHelloLabel;
  accepted: boolean;
  /** What the server answered: a version and suite, or the alert / close. */
  answer: string;
  /** Our deadline passed (or our connection failed) on this hello, sent twice: not the server's answer, the step decides nothing. */
  timedOut?: true;
}

export interface ClientSim {
  id: string;
  name: string;
  version: string;
  policy: ClientPolicy;
  /** The client chosen with --client (its findings are errors). */
  chosen: boolean;
  /** ALPN the client offers on TLS (null: no ALPN extension). */
  alpnOffered: string[] | null;
  /** TLS versions the client offers (codes): it refuses a ServerHello for any other. */
  versionsOffered?: number[];
  /** Whether its signature_algorithms hold a SHA-1 scheme (absent: it sends no signature_algorithms). */
  sha1SigalgOffered?: boolean;
  ja4: string | null;
  /** TLS: the answer to the client's own hello (replayed with fresh key shares). */
  hello?: RawTlsResult;
  /** TLS: its own hello got no answer within our deadline (or our connection failed), sent twice: not decided. */
  helloTimedOut?: true;
  /** TLS, refused: the bisection from the client's parameters. */
  bisect?: ClientBisectStep[];
  /** TLS with ALPN h2: the client's HTTP/2 opening (its SETTINGS, WINDOW_UPDATE, pseudo-header order) and the answer. */
  h2?: {
    outcome: 'response' | 'goaway' | 'closed' | 'no-settings' | 'handshake-failed' | 'timeout';
    status?: number;
    goaway?: string;
    detail?: string;
    /** The opening ended on our deadline (or our connection could not be made), tried twice: not the server's answer, so not decided. */
    timedOut?: true;
  };
}

export type ClientFamilyProbe = ProbeCommon & { kind: 'client-sim'; client: ClientSim };

/** How a simulated client ends up. */
export type ClientOutcome = 'h2' | 'h2c' | 'http/1.1' | 'http/1.1 fallback' | 'fails' | 'unknown';

/** One row of the per-client table (report.clients). */
export interface ClientRow {
  client: string;
  name: string;
  version: string;
  address: string;
  tlsVersion?: string;
  cipher?: string;
  /** The ALPN protocol chosen (null: none); absent on cleartext or when the handshake failed. */
  alpn?: string | null;
  outcome: ClientOutcome;
  /** Why, in a few words: the failing parameter, the ALPN answer, the h2c answer. */
  reason: string;
  /** The parameter the bisection found (cipher, group, version, sigalg, alpn, sni, any), when a handshake failed. */
  parameter?: string;
  /** Where it failed or fell back: the TLS handshake, ALPN, the HTTP/2 opening, h2c, or HTTP/1.1. */
  stage?: 'handshake' | 'alpn' | 'h2-opening' | 'h2c' | 'http1';
  /** The client chosen with --client. */
  chosen?: boolean;
}

/** The report's point of view with --client. */
export interface PointOfView {
  client: string;
  name: string;
  version: string;
  policy: ClientPolicy;
  outcome: ClientOutcome;
  /** The verdict in that client's terms: why it works or fails for it. */
  reason: string;
  /** Findings left out of the verdict because they do not concern this client, with why. */
  setAside: Array<{ code: string; why: string }>;
}
