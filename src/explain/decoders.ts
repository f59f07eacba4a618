/**
 * Pure decoders over pasted error text: they find the evidence hidden inside a message (hex dumps,
 * frame lengths that are really ASCII: decode-bytes.ts; TLS alert numbers: decode-alerts.ts; HTTP/2
 * error codes: decode-h2-errors.ts; OpenSSL packed error codes: decode-openssl.ts) and turn each into
 * a typed record with one plain sentence (decoded.ts). Here: the text bound, and all of them run.
 *
 * Nothing here does I/O; every function takes a string and returns data. A decoder never throws on
 * odd input: text it cannot read simply yields no record.
 *
 * @example
 * decodeAll('Hex dump for first 5 bytes: 1503010002')[0].sentence
 * // → 'the bytes 15 03 01 00 02 are a TLS alert record (TLS 1.0 record version): the peer that sent them speaks TLS'
 */
import { decodeAlerts } from './decode-alerts.js';
import { decodeFrameSizes, decodeHexDumps } from './decode-bytes.js';
import type { Decoded } from './decoded.js';
import { decodeH2Errors } from './decode-h2-errors.js';
import { decodeOpenSslCodes } from './decode-openssl.js';

/** Longest line read (a longer one is cut there: errors sit at the start of a line). */
export const MAX_LINE = 4000;
/** At most this many characters are scanned, after cutting long lines; more keeps the end (logs end with the error). */
export const MAX_TEXT = 4_000_000;

export interface Bounded {
  text: string;
  /** Lines of the input, and how many were not scanned (only when the input exceeds MAX_TEXT). */
  lines: number;
  skippedLines: number;
  /** Lines cut at MAX_LINE characters. */
  clippedLines: number;
}

/**
 * The text explain scans: every line, each cut at {@link MAX_LINE} characters. Only input beyond
 * {@link MAX_TEXT} characters after that is left out (its first lines), and the result says how much.
 */
export function boundLines(text: string): Bounded {
  const lines = text.split('\n');
  let clippedLines = 0;
  const kept = lines.map((l) => {
    if (l.length <= MAX_LINE) return l;
    clippedLines++;
    return l.slice(0, MAX_LINE);
  });
  let total = 0;
  let start = kept.length;
  while (start > 0 && total + kept[start - 1]!.length + 1 <= MAX_TEXT) total += kept[--start]!.length + 1;
  return { text: kept.slice(start).join('\n'), lines: lines.length, skippedLines: start, clippedLines };
}

export function boundText(text: string): string {
  return boundLines(text).text;
}

/** Every decoder over the text, in a stable order (bytes, frame sizes, OpenSSL codes, alerts, HTTP/2 codes). */
export function decodeAll(text: string): Decoded[] {
  const bounded = boundText(text);
  const openssl = decodeOpenSslCodes(bounded);
  const alerts = decodeAlerts(bounded).filter((a) => !openssl.some((o) => o.alert === a.alert));
  return [...decodeHexDumps(bounded), ...decodeFrameSizes(bounded), ...openssl, ...alerts, ...decodeH2Errors(bounded)];
}
