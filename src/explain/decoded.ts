/**
 * What explain's decoders find in pasted text: each piece of evidence a typed record with the text it
 * came from, one plain sentence, and the finding codes it points at. The decoders are decode-bytes.ts
 * (hex dumps, frame lengths), decode-alerts.ts, decode-h2-errors.ts and decode-openssl.ts; decoders.ts
 * bounds the text and runs them all.
 */
import type { Code } from '../model/codes.js';

/** A decoded fact pointing at a finding code; `weight` 1 = suggestive, 3 = near-proof. */
export interface CodeHint {
  code: Code;
  weight: number;
  why: string;
}

export interface DecodedBase {
  /** The text the record was decoded from, as it appears in the input. */
  text: string;
  /** One sentence for people. */
  sentence: string;
  /** Finding codes this evidence points at (may be empty). */
  hints: CodeHint[];
}

export type BytesProtocol = 'tls' | 'http1' | 'http2' | 'h2-preface' | 'ssh' | 'unknown';

export interface DecodedBytes extends DecodedBase {
  kind: 'bytes';
  hex: string;
  ascii: string;
  protocol: BytesProtocol;
  /** Protocol details: TLS record fields, HTTP/1 start line, HTTP/2 frame header… */
  detail: Record<string, string | number>;
}

export interface DecodedFrameSize extends DecodedBase {
  kind: 'frame-size';
  length: number;
  /** The three length bytes read as ASCII (null when they are not all printable). */
  ascii: string | null;
  protocol: BytesProtocol;
}

export interface DecodedAlert extends DecodedBase {
  kind: 'tls-alert';
  alert: number;
  name: string;
}

export interface DecodedH2Error extends DecodedBase {
  kind: 'h2-error';
  code: number;
  name: string;
  /** Where the code was seen: a GOAWAY (connection), RST_STREAM (one stream), or unknown. */
  frame: 'GOAWAY' | 'RST_STREAM' | 'unknown';
}

export type OpenSslFlavour = 'openssl3' | 'openssl1' | 'boringssl';

export interface DecodedOpenSsl extends DecodedBase {
  kind: 'openssl-error';
  packed: number;
  flavour: OpenSslFlavour;
  library: number;
  libraryName: string;
  reason: number;
  reasonName: string | null;
  /** Set when the reason is "received alert N" (reason = 1000 + N). */
  alert?: number;
}

export type Decoded = DecodedBytes | DecodedFrameSize | DecodedAlert | DecodedH2Error | DecodedOpenSsl;
