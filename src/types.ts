/**
 * The typed data that flows target → probes → evidence → diagnosis → report.
 * Everything here is plain JSON-serialisable data: evidence can be recorded and replayed into rules.
 */
import type { Code, Severity } from './diagnosis/codes.js';
import type { TlsFamilyProbe } from './probes/stages/tls-types.js';
import type { MatrixRow, ProxyHop, UpgradeFamilyProbe } from './probes/stages/upgrade-types.js';

export type Scheme = 'http' | 'https' | 'ws' | 'wss';

export interface Target {
  /** The URL as the user gave it, normalised. */
  url: string;
  scheme: Scheme;
  /** Host name or IP literal, without brackets. */
  host: string;
  port: number;
  /** Path and query, at least '/'. */
  path: string;
  /** True when the scheme speaks TLS (https, wss). */
  tls: boolean;
  /** Server name sent in SNI; null when SNI is off (IP literal, or `--sni ''`). */
  sni: string | null;
}

/** A bounded excerpt of raw bytes, for evidence. */
export interface Excerpt {
  /** Hex of the first bytes (at most the excerpt limit). */
  hex: string;
  /** The same bytes as printable ASCII, '.' for the rest. */
  ascii: string;
  /** How many bytes were seen in all (may exceed what `hex` shows). */
  length: number;
  truncated: boolean;
}

/** How the bytes a server sent back end: still open, closed, reset, or we stopped waiting. */
export type StreamEnd = 'open' | 'eof' | 'reset' | 'timeout' | 'budget';

/**
 * What the first bytes a server returned say about what the port speaks (the first-bytes classifier).
 */
export type FirstBytes =
  | { kind: 'h2-settings'; ack: boolean; settings: Array<{ id: number; name: string; value: number }> }
  | { kind: 'h2-goaway'; lastStreamId: number; errorCode: number; errorName: string; debug: string }
  | { kind: 'h2-frame'; type: number; typeName: string; flags: number; streamId: number; length: number }
  | { kind: 'http1'; version: string; status: number; reason: string; server?: string }
  | { kind: 'tls-handshake'; recordVersion: number; handshakeType: number; handshakeName: string }
  | { kind: 'tls-alert'; recordVersion: number; level: number; levelName: string; description: number; descriptionName: string }
  | { kind: 'tls-other'; recordVersion: number; contentType: number }
  | { kind: 'banner'; protocol: string; line: string }
  | { kind: 'garbage' }
  | { kind: 'eof' }
  | { kind: 'reset' }
  | { kind: 'timeout' }
  | { kind: 'incomplete' };

export interface Classified {
  first: FirstBytes;
  excerpt: Excerpt;
  /** One line for humans: "HTTP/1.1 400 Bad Request (Server: nginx)". */
  summary: string;
}

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

export interface TlsResult {
  /** What we offered. */
  offeredAlpn: string[];
  sni: string | null;
  outcome: 'handshake' | 'alert' | 'closed' | 'reset' | 'timeout' | 'not-tls' | 'error';
  version?: string;
  cipher?: { name: string; standardName: string; version: string };
  /** The server's ALPN choice; null when it sent no ALPN extension. */
  alpn?: string | null;
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
    | 'protocol-error';
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
}

/** The foundation's probes. */
export type CoreProbe =
  | (ProbeCommon & { kind: 'tcp' })
  | (ProbeCommon & { kind: 'tls'; name: 'tls-default' | 'tls-alpn-h2' | 'tls-alpn-http1' | 'sniff-tls'; tls: TlsResult; first?: Classified })
  | (ProbeCommon & { kind: 'h2'; name: 'h2-tls' | 'h2c-prior-knowledge' | 'sniff-h2c'; tls?: TlsResult; h2: Http2Result })
  | (ProbeCommon & { kind: 'h2c-upgrade'; upgrade: Http1Result; h2?: Http2Result })
  | (ProbeCommon & { kind: 'h1'; name: 'h1-tls' | 'h1-cleartext' | 'sniff-http1'; tls?: TlsResult; h1: Http1Result });

/** Every probe: the foundation's, and each family's own (defined beside its stage). */
export type Probe = CoreProbe | TlsFamilyProbe | UpgradeFamilyProbe;

export type ProbeKind = Probe['kind'];
export type ProbeName = Extract<Probe, { name: string }>['name'] | 'tcp' | 'h2c-upgrade';

export interface EvidenceItem {
  /** The probe that shows it. */
  probe: string;
  /** One line, in plain words. */
  text: string;
  excerpt?: Excerpt;
}

export interface Fix {
  side: 'server' | 'client' | 'network';
  /** Where it applies: 'nginx', 'apache', 'haproxy', 'caddy', 'node', 'go', 'curl', 'grpc', 'any'… */
  applies: string;
  text: string;
  /** A config or code snippet. */
  snippet?: string;
}

export interface Finding {
  code: Code;
  severity: Severity;
  title: string;
  /** Plain words: what is wrong and why it breaks HTTP/2. */
  explanation: string;
  /** What clients print for this cause (Go, gRPC, curl, Node…). */
  clientsSee: string[];
  evidence: EvidenceItem[];
  fixes: Fix[];
  /** Exact commands that reproduce it. */
  reproduce: string[];
  /** The addresses this finding was seen on. */
  addresses: string[];
  /** Set when a rule raised the severity above the contract's default, and why. */
  severityRaised?: string;
}

export type Verdict = 'ok' | 'warn' | 'fail';

export interface Negotiated {
  /** What an ordinary client ends up speaking: h2, h2c or http/1.1; null when nothing worked. */
  protocol: 'h2' | 'h2c' | 'http/1.1' | null;
  tlsVersion?: string;
  cipher?: string;
  alpn?: string | null;
}

export interface AddressReport {
  address: string;
  family: 4 | 6;
  verdict: Verdict;
  negotiated: Negotiated;
  findingCodes: Code[];
  probes: string[];
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'h2doctor'; version: string };
  target: Target;
  startedAt: string;
  durationMs: number;
  verdict: Verdict;
  /** How the addresses were found; `proxy`: through an HTTP proxy, which resolves the name itself. */
  resolution: { source: 'dns' | 'resolve-pin' | 'literal' | 'proxy'; addresses: string[]; skipped: string[]; error?: string };
  addresses: AddressReport[];
  negotiated: Negotiated;
  findings: Finding[];
  probes: Probe[];
  /** TCP connections the diagnosis opened. */
  connections: number;
  /** Set when the diagnosis went through an HTTP proxy (CONNECT): the proxy hop, and the direct path with --compare-direct. */
  proxy?: ProxyHop;
  /** The same request over HTTP/1.0, HTTP/1.1 and HTTP/2 (status and key fields), per address. */
  matrix?: MatrixRow[];
}
