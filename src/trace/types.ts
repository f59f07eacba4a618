/**
 * What a trace is made of: timestamped events for one connection, each of which may say what is
 * wrong on it ("first server frame is not SETTINGS").
 */
import type { Code } from '../model/codes.js';
import type { ConnectTo } from '../transport/route.js';
import type { ClientCert } from '../transport/tls.js';
import type { ProxyConfig } from '../transport/proxy.js';
import type { ResolvePin } from '../model/target.js';
import type { CapturedChunk, Endpoint } from '../wire/pcapng.js';

/** Something wrong (or worth knowing) about one event, said on its line. */
export interface Problem {
  level: 'error' | 'warning' | 'info';
  text: string;
}

/** The decoded HTTP/2 frame, as traced. */
export interface FrameEvent {
  kind: 'frame';
  dir: 'out' | 'in';
  type: number;
  typeName: string;
  /** The flags byte, and the names of the defined flags set in it. */
  flags: number;
  flagNames: string[];
  streamId: number;
  length: number;
  /** The type's fields in one line: SETTINGS by name, GOAWAY code and debug data, DATA length and preview… */
  detail: string;
  /** HEADERS / PUSH_PROMISE / CONTINUATION that complete a block: the decoded fields. */
  headers?: Array<[string, string]>;
  settings?: Array<{ name: string; value: number }>;
  errorName?: string;
  /** GOAWAY debug data as text (bounded). */
  debug?: string;
  /** DATA: a bounded, printable preview of the payload. */
  preview?: string;
}

export type TraceEventBody =
  | { kind: 'resolve'; host: string; addresses: string[]; source: 'dns' | 'resolve-pin' | 'literal'; error?: string }
  | { kind: 'connect'; address: string; port: number; ok: boolean; localPort?: number; ms: number; error?: string }
  | {
      kind: 'tls-offer';
      sni: string | null;
      alpn: string[];
      versions: string[];
      ciphers: string[];
      groups: string[];
      keyShares: string[];
    }
  | {
      kind: 'tls';
      outcome: string;
      version?: string;
      cipher?: string;
      group?: string;
      alpn?: string | null;
      sni: string | null;
      cert?: { subject: string; issuer: string; validFrom: string; validTo: string; altNames: string[] };
      verified?: boolean;
      verifyError?: string;
      alert?: string;
      error?: string;
      ms?: number;
    }
  | { kind: 'http1'; dir: 'out' | 'in'; line: string; headers: Array<[string, string]> }
  | { kind: 'preface'; dir: 'out' }
  | FrameEvent
  | { kind: 'bytes'; dir: 'in' | 'out'; length: number; summary: string; text: string; hex: string }
  | { kind: 'note' }
  | { kind: 'close'; by: 'client' | 'server' | 'reset' | 'timeout' | 'max-frames' | 'error'; detail: string };

/** One line of the trace: when (ms since the trace began), what, and what is wrong with it. */
export type TraceEvent = TraceEventBody & { t: number; problems?: Problem[] };

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
  findings: Array<{ code: Code; severity: 'error' | 'warning' | 'info'; title: string }>;
}
