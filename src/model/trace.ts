/**
 * The events of a trace as plain data: timestamped events for one connection, each of which may say
 * what is wrong on it ("first server frame is not SETTINGS"), and the findings the diagnosis rules
 * give on the traced connection. Made by `trace/`, rendered by `report/trace.ts`.
 */
import type { Code } from './codes.js';

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
  /** A WebSocket frame (RFC 6455 §5.2) after the 101: its opcode by name, FIN, payload length, what it says. */
  | { kind: 'ws'; dir: 'in' | 'out'; opcode: string; fin: boolean; length: number; detail: string }
  | { kind: 'note' }
  | { kind: 'close'; by: 'client' | 'server' | 'reset' | 'timeout' | 'max-frames' | 'error'; detail: string };

/** One line of the trace: when (ms since the trace began), what, and what is wrong with it. */
export type TraceEvent = TraceEventBody & { t: number; problems?: Problem[] };

/** A finding of the diagnosis rules on the traced connection: the code and title `diagnose` gives. */
export interface TraceFinding {
  code: Code;
  severity: 'error' | 'warning' | 'info';
  title: string;
}
