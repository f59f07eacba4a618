/**
 * Scoring: which catalogue entries a text matches, how confident we are, and how decoded evidence
 * re-ranks each entry's candidate causes.
 *
 * The score of an entry is the length of its longest pattern match plus its `priority`: a longer,
 * more specific message beats a short generic one that it contains ("[SSL: WRONG_VERSION_NUMBER]
 * wrong version number" beats "wrong version number"). Evidence never decides which entry matched;
 * it only reorders (and, when it is near-proof, adds) causes.
 *
 * @example
 * const m = matchText('curl: (16) Error in the HTTP2 framing layer', []);
 * m[0].entry.id; // 'curl-http2-framing-layer'
 */
import type { Code } from '../model/codes.js';
import { CATALOGUE } from './catalogue/index.js';
import type { CatalogueEntry, Reader } from './catalogue/types.js';
import { boundText } from './decoders.js';
import { type CodeHint, type Decoded } from './decoded.js';

export interface RankedCause {
  code: Code;
  why: string;
  /** Sentences of the decoded evidence that support this cause. */
  evidence: string[];
  score: number;
}

export interface Match {
  entry: CatalogueEntry;
  /** 0–1. */
  confidence: number;
  score: number;
  /** The text that matched the best pattern. */
  matched: string;
  causes: RankedCause[];
}

/** At most this many matches are returned. */
export const MAX_MATCHES = 5;

interface Scored {
  entry: CatalogueEntry;
  score: number;
  length: number;
  matched: string;
}

function scoreEntry(entry: CatalogueEntry, text: string): Scored | undefined {
  let best: { length: number; matched: string } | undefined;
  let hits = 0;
  for (const p of entry.patterns) {
    const m = p.exec(text);
    if (!m) continue;
    hits++;
    if (!best || m[0].length > best.length) best = { length: m[0].length, matched: m[0] };
  }
  if (!best) return undefined;
  // A second distinct pattern of the same entry matching adds a little certainty.
  const score = best.length + (entry.priority ?? 0) + Math.min(hits - 1, 2) * 2;
  return { entry, score, length: best.length, matched: best.matched };
}

/** Evidence about quoted bytes means something different to a TLS stack than to an HTTP/2 one. */
export function hintsFor(ev: Decoded, reads: Reader | undefined): CodeHint[] {
  if (reads !== 'tls' || (ev.kind !== 'bytes' && ev.kind !== 'frame-size')) return ev.hints;
  switch (ev.protocol) {
    case 'http1': {
      const response = ev.kind === 'bytes' ? /^HTTP/.test(ev.ascii) : ev.ascii?.startsWith('HTT') === true;
      return response
        ? [{ code: 'scheme-https-on-cleartext-port', weight: 3, why: 'the TLS side received an HTTP/1.x response: the port speaks cleartext HTTP' }]
        : [{ code: 'scheme-http-on-tls-port', weight: 3, why: 'the TLS side received an HTTP/1.x request: a client sent cleartext to the TLS port' }];
    }
    case 'h2-preface':
      return [{ code: 'scheme-http-on-tls-port', weight: 3, why: 'the TLS side received the cleartext HTTP/2 preface: h2c was sent to a TLS port' }];
    case 'http2':
      return [{ code: 'scheme-https-on-cleartext-port', weight: 3, why: 'the TLS side received HTTP/2 frames: the port speaks cleartext h2c' }];
    default:
      return ev.hints;
  }
}

function rankCauses(entry: CatalogueEntry, evidence: readonly Decoded[]): RankedCause[] {
  const n = entry.causes.length;
  const causes: RankedCause[] = entry.causes.map((cause, i) => ({ code: cause.code, why: cause.why, evidence: [], score: n - i }));
  for (const ev of evidence) {
    for (const h of hintsFor(ev, entry.reads)) {
      const found = causes.find((x) => x.code === h.code);
      if (found) {
        found.score += h.weight * 2;
        if (!found.evidence.includes(ev.sentence)) found.evidence.push(ev.sentence);
      } else if (h.weight >= 3) {
        causes.push({ code: h.code, why: h.why, evidence: [ev.sentence], score: h.weight * 2 });
      }
    }
  }
  // Stable sort keeps the catalogue order among equals.
  return causes.map((x, i) => ({ x, i })).sort((a, b) => b.x.score - a.x.score || a.i - b.i).map(({ x }) => x);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Matches for `text`, best first; [] when nothing in the catalogue matches. */
export function matchText(text: string, evidence: readonly Decoded[] = [], catalogue: readonly CatalogueEntry[] = CATALOGUE): Match[] {
  const t = boundText(text);
  const scored: Scored[] = [];
  for (const entry of catalogue) {
    const s = scoreEntry(entry, t);
    if (s) scored.push(s);
  }
  if (scored.length === 0) return [];
  scored.sort((a, b) => b.score - a.score);
  const top = scored[0]!.score;
  const runnerUp = scored[1]?.score ?? -Infinity;
  return scored.slice(0, MAX_MATCHES).map((s, i) => {
    // Longer matches are more specific: 40+ characters of an exact message is near-certain.
    let conf = 0.3 + 0.6 * Math.min(1, s.length / 40);
    if (i === 0 && runnerUp >= top * 0.9) conf *= 0.85;
    if (i > 0) conf *= Math.max(0.2, s.score / Math.max(top, 1)) * 0.85;
    const causes = rankCauses(s.entry, evidence);
    if (causes[0] && causes[0].evidence.length > 0) conf += 0.05;
    return { entry: s.entry, confidence: round2(Math.min(0.97, Math.max(0.05, conf))), score: s.score, matched: s.matched, causes };
  });
}
