/**
 * The shape of a catalogue entry: one error message (or a close family of spellings) that real
 * HTTP/2 clients, servers and proxies print, with what it means and which findings can cause it.
 */
import type { Code, Family } from '../../model/codes.js';

/** One candidate cause: a public finding code and, in our words, why it produces this message. */
export interface Cause {
  readonly code: Code;
  readonly why: string;
}

/**
 * What the program that printed the message was trying to read when it failed. Bytes quoted in the
 * message mean different things by context: "HTTP/1.1 400" read by a TLS client means the port is
 * cleartext, read by an HTTP/2 client it means the server speaks only HTTP/1.1.
 */
export type Reader = 'tls' | 'h2' | 'h1';

export interface CatalogueEntry {
  /** Stable, kebab-case, prefixed by the source family (`curl-`, `go-`, `chrome-`…). */
  readonly id: string;
  /** Matched case-sensitively unless the RegExp says otherwise; the longest match scores highest. */
  readonly patterns: readonly RegExp[];
  /** Programs that print it. */
  readonly clients: readonly string[];
  readonly family: Family;
  /** The message in plain words. */
  readonly meaning: string;
  /** Most likely first. */
  readonly causes: readonly Cause[];
  /** What tells the causes apart (what to look at, what to run). */
  readonly tellApart: string;
  /** Where the string comes from: `owner/repo path`, an issue URL, or a vendor page. */
  readonly source: string;
  /** Real sample strings; each must map to this entry as the best match (tested). */
  readonly samples: readonly string[];
  /** Added to the score; negative for wrapper messages that only frame a more specific reason. */
  readonly priority?: number;
  /** What the printer was reading, to interpret bytes quoted in the message. */
  readonly reads?: Reader;
}

export const c = (code: Code, why: string): Cause => ({ code, why });
