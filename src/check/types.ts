/**
 * Types of `h2doctor check`: the checks file (as parsed and normalised), the plan for one
 * environment, the evidence the runner collects per check, and the result of evaluating it.
 * `docs/checks.schema.json` describes the same file format; `schema.test.ts` keeps them in step.
 */
import type { Code, Severity } from '../model/codes.js';

// The result types live in the model (renderers in report/ format them); re-exported for check's callers.

/** What an ordinary client ends up speaking (the same names as `Negotiated.protocol`). */
export const CHECK_PROTOCOLS = ['h2', 'h2c', 'http/1.1'] as const;
export type CheckProtocol = (typeof CHECK_PROTOCOLS)[number];

export const TLS_VERSIONS = ['1.0', '1.1', '1.2', '1.3'] as const;
export type TlsVersionName = (typeof TLS_VERSIONS)[number];

/**
 * The worst finding a check tolerates: 'ok' tolerates none, 'info' tolerates info findings,
 * 'warning' tolerates info and warning findings (only an error fails).
 */
export const MAX_SEVERITIES = ['ok', 'info', 'warning'] as const;
export type MaxSeverity = (typeof MAX_SEVERITIES)[number];

/** Members a Problem Details body (RFC 9457) must carry; `true` means "present". */
export interface ProblemDetailsExpectation {
  type?: boolean;
  title?: boolean;
  status?: boolean;
  detail?: boolean;
  instance?: boolean;
}

export interface Http1Expectation {
  /** The status of a plain HTTP/1.1 request, e.g. 426. */
  status?: number;
  /** A token the `Upgrade` header must list (case-insensitive), e.g. 'h2c'. */
  upgradeIncludes?: string;
  /** The body must be `application/problem+json` with these members. */
  problemDetails?: ProblemDetailsExpectation;
}

export interface WebSocketExpectation {
  /** Default 101. */
  status?: number;
  /** The subprotocol the server must select (`Sec-WebSocket-Protocol`). */
  subprotocol?: string;
}

export interface Expectations {
  protocol?: CheckProtocol;
  /** Normalised to a string: `minTls: 1.2` in YAML becomes '1.2'. */
  minTls?: TlsVersionName;
  /** ALPN values the server must accept; a single string in the file becomes a one-item list. */
  alpnIncludes?: string[];
  noFindings?: Code[];
  maxSeverity?: MaxSeverity;
  status?: Partial<Record<CheckProtocol, number>>;
  http1?: Http1Expectation;
  websocket?: WebSocketExpectation;
  /** The certificate must stay valid at least this many more days. */
  certValidDays?: number;
}

export interface Check {
  /** Unique in the file. */
  name: string;
  /** Absolute (http, https, ws, wss) or a path joined to the environment's `baseUrl`; may hold `${var}`. */
  url: string;
  /** Default GET. */
  method?: string;
  /** Values may hold `${var}`. */
  headers?: Record<string, string>;
  expect: Expectations;
}

export interface Environment {
  baseUrl?: string;
  /** curl-style pins, `host:port:address`. */
  resolve?: string[];
  /** A PEM file of the CAs to trust instead of the default roots (as curl's --cacert), relative to the checks file. */
  cacert?: string;
  /** An http:// or https:// proxy URL. */
  proxy?: string;
  /** Normalised to strings. */
  variables?: Record<string, string>;
  // The other connection flags, by their command-line names and with their meanings (docs/checks.md);
  // a flag given on the command line wins over the file's.
  'connect-to'?: string[];
  capath?: string;
  insecure?: boolean;
  cert?: string;
  key?: string;
  pass?: string;
  sni?: string;
  'user-agent'?: string;
  noproxy?: string;
  'max-time'?: number;
  ipv4?: boolean;
  ipv6?: boolean;
}

/** The connection flags an environment may set besides resolve, cacert and proxy (command-line names). */
export const ENV_CONNECTION_FLAGS = ['connect-to', 'capath', 'insecure', 'cert', 'key', 'pass', 'sni', 'user-agent', 'noproxy', 'max-time', 'ipv4', 'ipv6'] as const;
export type EnvConnectionFlag = (typeof ENV_CONNECTION_FLAGS)[number];
/** Flags that name a file, read relative to the checks file's folder. */
export const ENV_FILE_FLAGS: readonly EnvConnectionFlag[] = ['capath', 'cert', 'key'];

/** A checks file after parsing and normalisation. */
export interface ChecksFile {
  $schema?: string;
  version: 1;
  environments?: Record<string, Environment>;
  checks: Check[];
}

/** A `resolve` pin, split. */
export interface ResolvePin {
  host: string;
  port: number;
  address: string;
}

/** One environment with every `${var}` substituted: what the runner needs for the run. */
export interface ResolvedEnvironment {
  name: string;
  baseUrl?: string;
  resolve: ResolvePin[];
  cacert?: string;
  /** 1-based line of `cacert` in the file, so a file that cannot be read is reported there. */
  cacertLine?: number;
  proxy?: string;
  /** The other connection flags it sets, `${var}` substituted, each with its 1-based line. */
  connection?: Array<{ flag: EnvConnectionFlag; value: string | boolean | string[]; line: number }>;
}

/** A check ready to run in one environment. */
export interface ResolvedCheck {
  name: string;
  env: string;
  /** Absolute, interpolated. */
  url: string;
  method: string;
  headers: Record<string, string>;
  expect: Expectations;
  /** 1-based line of the check in the file (for annotations). */
  line: number;
}

export interface CheckPlan {
  environment: ResolvedEnvironment;
  checks: ResolvedCheck[];
}


/** A response as seen over one protocol. */
export interface ObservedResponse {
  status: number;
  /** In order received; names as sent (compared case-insensitively). */
  headers: Array<[string, string]>;
  /** A bounded body preview, when captured (needed for Problem Details checks). */
  body?: string;
}

/**
 * What the runner collects for one check: the minimum `evaluateCheck` needs.
 * Most of it maps straight from a `Report`: `negotiated.protocol`, `negotiated.tlsVersion`,
 * the ALPN values selected by the TLS probes, and `findings`.
 */
export interface CheckEvidence {
  negotiatedProtocol: CheckProtocol | null;
  /** As Node names it ('TLSv1.3') or bare ('1.3'); undefined over cleartext or when TLS failed. */
  tlsVersion?: string;
  /** Every ALPN value the server selected across the probes (e.g. ['h2', 'http/1.1']); null when it sent none. */
  alpn: string[] | null;
  findings: Array<{ code: Code | string; severity: Severity }>;
  /** Keyed by protocol: 'h2', 'h2c', 'http/1.1'. */
  statusByProtocol: Partial<Record<string, ObservedResponse>>;
  websocket?: { status: number; subprotocol?: string | null };
  /** Why `websocket` is missing when a check expected one: the runner could not collect it (not the server's fault). */
  websocketNotCollected?: string;
  /** The leaf certificate's notAfter, any Date-parsable form (Node's `validTo` works). */
  certValidTo?: string;
  now: Date;
  /** Wall time spent collecting the evidence. */
  durationMs?: number;
  /** Set when the runner could not collect evidence at all (its own failure, not the server's). */
  error?: string;
}


