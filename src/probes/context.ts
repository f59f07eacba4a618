/**
 * What every probe gets: where to connect, its limits, and the clock origin of the diagnosis.
 */
import type { ConnectOutcome, Target } from '../model/index.js';
import type { Socket } from '../transport/conn.js';
import type { ClientCert } from '../transport/tls.js';
import { bracketHost } from '../wire/ip.js';

/**
 * The options of a diagnosis that probes read (a subset of `DiagnoseOptions`).
 * @example const o: ProbeOptions = { method: 'HEAD', headers: [['Authorization', 'Bearer x']] };
 */
export interface ProbeOptions {
  /** Client profiles to simulate (--clients / --client). */
  clients?: import('../clients/profile.js').ClientProfile[];
  /** The client chosen with --client. */
  pointOfView?: string;
  /** Enumerate the server's whole TLS surface, not just bisect a failure. */
  survey?: boolean;
  /** Most new connections per second during a survey. */
  rate?: number;
  /** Request method for the HTTP probes (default GET). */
  method?: string;
  /** Extra request headers for the HTTP probes. */
  headers?: Array<[string, string]>;
  /** A WebSocket path to test. */
  websocket?: string;
  /** Subprotocols to offer in a WebSocket upgrade. */
  wsProtocols?: string[];
  /** Told when a probe starts and ends (its id, e.g. `127.0.0.1/tls-default`): the CLI's progress line. */
  onProbe?: (id: string, state: 'start' | 'end') => void;
}

/**
 * What every probe gets: where to connect, its limits, the diagnosis's options and the one way to dial.
 * @example await probeTcp(ctx) // the probes get one context per address
 */
export interface ProbeContext {
  target: Target;
  address: string;
  port: number;
  /** Per-probe deadline, milliseconds. */
  timeoutMs: number;
  /**
   * The whole diagnosis's deadline (`--max-time`), as performance.now() ms: no probe waits past it,
   * whichever wave it belongs to. Absent: only the per-probe deadline applies.
   */
  deadline?: number;
  /** Most bytes a probe reads. */
  byteBudget: number;
  /** PEM CA bundle (--cacert), replacing the default roots. */
  ca?: string;
  /** Client certificate for mutual TLS (--cert/--key/--pass). */
  clientCert?: ClientCert;
  /** performance.now() when the diagnosis started; probe times are relative to it. */
  t0: number;
  userAgent: string;
  /** The options of the diagnosis that probes read (method, headers, survey, WebSocket…). */
  options: ProbeOptions;
  /**
   * The HTTP/1.1 probe's handshake when it offered TLS 1.2 at most (probes/plan.ts), as soon as it is
   * over, before the GET: the survey's TLS 1.2 elimination starts from it. Undefined when none was capped.
   */
  http1Tls?: Promise<import('../model/index.js').TlsResult | undefined>;
  /**
   * Opens the TCP connection to the target (directly, or through a proxy tunnel). Probes call
   * this, never net.connect.
   */
  dial(address: string, port: number, timeoutMs: number): Promise<{ socket: Socket; outcome: ConnectOutcome; queuedMs?: number }>;
}

/**
 * A probe's id: its address (IPv6 in brackets) and name.
 * @example probeId({ address: '::1' } as ProbeContext, 'tcp') // '[::1]/tcp'
 */
export function probeId(ctx: ProbeContext, name: string): string {
  return `${bracketHost(ctx.address)}/${name}`;
}

/**
 * The authority for requests: Host / :authority.
 * @example authority(ctx) // 'example.com' on 443, 'example.com:8443' elsewhere
 */
export function authority(ctx: ProbeContext): string {
  const t = ctx.target;
  const h = bracketHost(t.host);
  const dflt = t.tls ? 443 : 80;
  return t.port === dflt ? h : `${h}:${t.port}`;
}
