/**
 * What explain reads from each line of pasted text (signals.ts): a signal with its layer and hints,
 * the rule shape that finds one, and what is known about the client that printed the text.
 */
import type { Code } from '../model/codes.js';
import type { CodeHint } from './decoded.js';

/** Which side of the conversation failed, as far as the words tell. */
export type Layer = 'dns' | 'tcp' | 'tls' | 'certificate' | 'http2' | 'http' | 'websocket' | 'proxy' | 'grpc' | 'timeout';

export interface Signal {
  /** Stable id of the kind of evidence (`cert-expired`, `status-426`, `alert-120`…). */
  id: string;
  layer: Layer;
  /** The words that carried it (a slice of the line). */
  text: string;
  /** 0-based line of the input it was read on. */
  line: number;
  /** One sentence: what was recognised. */
  sentence: string;
  hints: CodeHint[];
}

/** What is known about the program that printed the text. */
export interface ClientContext {
  /** `curl`, `openssl`, `gnutls`, `wget`, `nghttp`, `node`, `python`, `grpc`, `go`, `java`, `okhttp`, `chromium`. */
  client?: string;
  /** Application protocols the client offers in ALPN: what the server must support. */
  offers?: 'h1' | 'h2' | 'both';
  /**
   * The URL in the text: scheme and whether the host is an IP literal (no SNI is sent then). False
   * when the text names the host by a DNS name: the client sent that name in SNI.
   */
  scheme?: string;
  ipHost?: boolean;
  /**
   * The HTTP version the client spoke on the connection, when the text says so: `h1` after ALPN
   * agreed on nothing (curl "Uses default") or from an HTTP/1.1-only client. An HTTP/1.1 client
   * never sent the HTTP/2 preface, so a close it meets is no preface-* finding.
   */
  speaks?: 'h1' | 'h2';
  /** What ALPN selected, when the text says: `none` when the server agreed on no protocol. */
  alpn?: 'none' | 'h1' | 'h2';
  /** True when the text shows the connection used TLS (an https/wss URL, a TLS or certificate error). */
  tls?: boolean;
}

/** One kind of evidence: what it matches on a line, what it says, the codes it points at. */
export interface Rule {
  id: string;
  layer: Layer;
  re: RegExp;
  sentence: string;
  hints: (m: RegExpExecArray, ctx: ClientContext, line: string) => CodeHint[];
}

/** A hint: a code, its weight, why. */
export const h = (code: Code, weight: number, why: string): CodeHint => ({ code, weight, why });
