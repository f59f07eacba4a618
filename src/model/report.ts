/**
 * The report: findings with their evidence, the verdict, and what was negotiated. Plain data;
 * `--json` prints it as is (`docs/report.schema.json`, schemaVersion 1).
 */
import type { Code, Severity } from './codes.js';
import type { Excerpt, Probe } from './probes.js';
import type { CertificateInfo, TlsResult } from './results.js';
import type { MatrixRow, ProxyHop } from './upgrade-probes.js';
import type { TlsSurfaceVersion } from './tls-probes.js';
import type { Target } from './target.js';
import type { ClientRow, PointOfView } from './client-probes.js';

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
  /**
   * The same fix in a form a program can apply to the configuration of the server named by
   * `applies` (see {@link ConfigChange}); present on the server fixes that fix-verification tests
   * apply to real servers (test/real-fix-verification.test.ts).
   */
  config?: ConfigChange;
}

/**
 * A configuration change for one server kind, machine-applicable (`applyConfigChange` in
 * diagnosis/config-change.ts). `block` says where the lines go in that server's configuration:
 * nginx `server` (the server block listening on the port) or `location` (the one serving the
 * path); Apache `virtualhost` (the VirtualHost on the port); HAProxy `bind` (options of the bind
 * line on the port) or `frontend`; Caddy `servers` (the global `servers { }` options), `site` or
 * `tls` (the site's `tls { }` block); h2o `listen` or `ssl` (the listener's `ssl:` map); lighttpd
 * `global`; squid `global`.
 */
export interface ConfigChange {
  block: 'server' | 'location' | 'virtualhost' | 'bind' | 'frontend' | 'global' | 'servers' | 'site' | 'tls' | 'listen' | 'ssl';
  /** Lines to set: each replaces the lines with the same key there (the directive's name; for directives that repeat, such as add_header or ProxyPass, the name and first argument), or is added. */
  set?: string[];
  /** Directive names to remove from the block; for a directive that repeats (ssl_conf_command, SSLOpenSSLConfCmd, add_header…), its name and first argument remove only those lines. */
  remove?: string[];
  /** Parameters to add to existing lines: `{ to: 'listen', add: 'http2' }` adds `http2` to the listen line, keeping its address and port. */
  append?: Array<{ to: string; add: string }>;
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
  /**
   * The failing layer in one sentence, from the most severe finding: "TLS certificate rejected by
   * every verifying client: it expired", "WebSocket upgrade fails", "HTTP/2 works; HTTP/1.1 clients
   * get 426", or "HTTP/2 works". Absent from reports of versions before it.
   */
  headline?: string;
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
  /** With --clients / --client: each simulated client's outcome per address (h2 / h2c / HTTP/1.1 / fallback / fails, and why). */
  clients?: ClientRow[];
  /** With --client: the verdict is this client's (its requirements), and the findings that do not concern it are set aside. */
  pointOfView?: PointOfView;
  /** With --dns-server: each named resolver's answer, and what works on it. */
  resolvers?: ResolverAnswer[];
  /** With --survey: the TLS surface of each address (like sslyze's accepted_cipher_suites). */
  tlsSurface?: TlsSurfaceReport[];
  /** Over TLS: the certificate chain each address served to the default handshake (like sslyze's certificate_info). */
  certificates?: CertificateReport[];
}

/** A problem with the order of the chain as served (RFC 8446 §4.4.2, RFC 5246 §7.4.2). */
export interface ChainProblem {
  kind: 'leaf-not-first' | 'out-of-order' | 'duplicate' | 'unrelated';
  /** The position (as served) of the certificate concerned. */
  position: number;
  /** One line, in plain words. */
  text: string;
}

/** The certificate section of one address: the chain as the default handshake got it. */
export interface CertificateReport {
  address: string;
  /** The probe whose handshake served it (`…/tls-default`). */
  probe: string;
  /** The chain could not be read from the wire: why (the certificate Node saw is still in the probe). */
  unavailable?: string;
  /** How it was read: the TLS 1.2 Certificate message in the clear, or TLS 1.3 decrypted with the connection's handshake secret. */
  source?: 'tls1.2-certificate' | 'tls1.3-decrypted';
  /** In the order served, the server's own certificate first. */
  chain: CertificateInfo[];
  /** inOrder: each certificate is certified by the next one and nothing else was sent. */
  order: { inOrder: boolean; problems: ChainProblem[] };
  /** The path from the first certificate ends in a self-signed root that was sent too (allowed, not needed: clients have their roots). */
  rootSent: boolean;
  /** OCSP stapling: asked for in our hello (status_request), and whether the server stapled a response. */
  ocspStapling: { requested: boolean; stapled: boolean; responseBytes?: number };
  /** Verification against the trust store and the host name (as the handshake's probe found it). */
  verify?: TlsResult['verify'];
}

/** The TLS surface of one address, as `--survey` found it. */
export interface TlsSurfaceReport {
  address: string;
  /** Versions accepted, highest first, each with its rated suites, groups, signature schemes and ALPN answers. */
  versions: TlsSurfaceVersion[];
  /** Versions tried and refused ('TLSv1.1', 'SSLv3', …). */
  refused: string[];
  /** Groups accepted at any version. */
  groups: string[];
  /** Signature schemes the server signed with at any version. */
  signatureAlgorithms: string[];
  /** The smallest DHE prime, when DHE suites are accepted (`tls-weak-dh-params` below 2048 bits). */
  dhe?: { bits: number; suite: string };
  /** The key of the target's certificate. */
  certificateKey?: { type: string; bits?: number };
  /** Without SNI: the target's certificate, another one, or a refusal. */
  noSni?: 'same-certificate' | 'other-certificate' | 'refused' | 'accepted';
}

/** One resolver's answer (--dns-server) and whether HTTP/2 works on the addresses it gave. */
export interface ResolverAnswer {
  /** The resolver as given: `ip` or `ip:port`. */
  server: string;
  addresses: string[];
  /** The lookup failed: the resolver's error (ENOTFOUND, ETIMEOUT…). */
  error?: string;
  /** Best protocol on this resolver's addresses (null: nothing works, or no address). */
  protocol: 'h2' | 'h2c' | 'http/1.1' | null;
  /** True when HTTP/2 (h2 or h2c) works on every address of this answer. */
  h2: boolean;
  verdict: Verdict;
}
