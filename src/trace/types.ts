/**
 * What a trace is made of: timestamped events for one connection, each of which may say what is
 * wrong on it ("first server frame is not SETTINGS").
 */
import type { TraceEvent, TraceFinding } from '../model/trace.js';
import type { ConnectTo } from '../transport/route.js';
import type { ClientCert } from '../transport/tls.js';
import type { ProxyConfig } from '../transport/proxy.js';
import type { ResolvePin } from '../model/target.js';
import type { CapturedChunk, Endpoint } from '../wire/pcapng.js';

export interface TraceOptions {
  resolve?: readonly ResolvePin[];
  /** PEM CA bundle (curl's --cacert). */
  ca?: string;
  /** Whole-trace deadline in ms (default 5000). */
  timeoutMs?: number;
  /** Most bytes kept for the pcap, both directions (default 16 MiB); past it the capture is truncated. */
  captureBytes?: number;
  method?: string;
  headers?: Array<[string, string]>;
  /** Request body (sent as DATA frames, under flow control). */
  data?: Uint8Array;
  /** Cleartext: send the HTTP/2 preface at once instead of `Upgrade: h2c`. */
  priorKnowledge?: boolean;
  /** Stop after this many frames, both directions (default 1000). */
  maxFrames?: number;
  /** ALPN to offer (default h2, http/1.1). */
  alpn?: string[];
  /** DATA preview bytes (default 64). */
  previewBytes?: number;
  userAgent?: string;
  /** curl's --connect-to rules. */
  connectTo?: readonly ConnectTo[];
  /** curl's -4 / -6. */
  family?: 4 | 6;
  /** Client certificate for mutual TLS (curl's --cert/--key/--pass). */
  clientCert?: ClientCert;
  /** Go through this proxy (HTTP CONNECT). */
  proxy?: ProxyConfig;
  /** curl's -k: an untrusted certificate is noted as accepted. */
  insecure?: boolean;
}

/** The bytes on the wire, for a pcapng. */
export interface TraceCapture {
  client: Endpoint;
  server: Endpoint;
  openedAt: number;
  chunks: CapturedChunk[];
  close: { by: 'client' | 'server'; reset?: boolean; at: number };
  /** Set when the capture budget was spent: `chunks` hold only the first `bytes` bytes. */
  truncated?: { bytes: number; at: number };
}

export interface TraceResult {
  url: string;
  events: TraceEvent[];
  /** NSS key log lines, TLS only. */
  keylog: string[];
  /** Absent when no TCP connection opened. */
  capture?: TraceCapture;
  /** Errors seen (problems of level error), in order. */
  errors: string[];
  /** What the diagnosis rules find on the traced connection: the codes and titles `diagnose` gives. */
  findings: TraceFinding[];
}
