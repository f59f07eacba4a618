/**
 * One ranking of causes for a pasted text, from everything explain read in it: the signals
 * (statuses, alerts, verify results, errnos, exception classes, timeouts…, read with the client's
 * context), the decoded bytes/frame lengths/OpenSSL codes, and the catalogue entries that matched.
 *
 * Signals decide; catalogue entries add their listed causes with a smaller weight, so a generic
 * wrapper entry ("fetch failed", "failed to connect to all addresses") never outranks the specific
 * error inside it. One signal kind counts once however many lines repeat it.
 *
 * @example
 * rankCauses(readSignals('Error: certificate has expired'), [], [])[0].code // 'cert-expired'
 */
import type { Code } from '../model/codes.js';
import type { Decoded } from './decoded.js';
import type { Match } from './match.js';
import { hintsFor } from './match.js';
import type { Signal } from './signal-types.js';

export interface RankedCandidate {
  code: Code;
  score: number;
  /** Why, from the strongest contribution. */
  why: string;
  /** What was recognised in the text that supports it (sentences, with the words quoted). */
  evidence: string[];
}

/** How many candidates the result carries. */
export const MAX_CANDIDATES = 8;

export function rankCauses(signals: readonly Signal[], decoded: readonly Decoded[], matches: readonly Match[]): RankedCandidate[] {
  const byCode = new Map<Code, { score: number; best: number; why: string; evidence: string[]; order: number }>();
  let order = 0;
  const add = (code: Code, weight: number, why: string, evidence?: string) => {
    let cur = byCode.get(code);
    if (!cur) {
      cur = { score: 0, best: -1, why, evidence: [], order: order++ };
      byCode.set(code, cur);
    }
    cur.score += weight;
    if (weight > cur.best) {
      cur.best = weight;
      cur.why = why;
    }
    if (evidence && !cur.evidence.includes(evidence) && cur.evidence.length < 4) cur.evidence.push(evidence);
  };
  // A signal kind counts once, with its strongest hint per code.
  const perKind = new Map<string, Map<Code, { w: number; why: string; ev: string }>>();
  for (const s of signals) {
    let m = perKind.get(s.id);
    if (!m) perKind.set(s.id, (m = new Map()));
    for (const hnt of s.hints) {
      const prev = m.get(hnt.code);
      if (!prev || hnt.weight > prev.w) m.set(hnt.code, { w: hnt.weight, why: hnt.why, ev: `${s.sentence} ("${s.text}")` });
    }
  }
  for (const m of perKind.values()) for (const [code, x] of m) add(code, x.w, x.why, x.ev);
  // Decoded evidence (bytes, frame lengths, OpenSSL packed codes, alerts, HTTP/2 error codes).
  const reads = matches[0]?.entry.reads;
  // Quoted bytes that decode to a protocol are near-proof (weight 3): they outrank what the words suggest.
  for (const ev of decoded) for (const hnt of hintsFor(ev, reads)) add(hnt.code, hnt.weight * (hnt.weight >= 3 && (ev.kind === 'bytes' || ev.kind === 'frame-size') ? 3 : 1.5), hnt.why, ev.sentence);
  // Catalogue entries: their listed causes, weaker, scaled by how sure the match is.
  matches.slice(0, 3).forEach((m, mi) => {
    const factor = m.confidence * [1, 0.6, 0.4][mi]!;
    m.causes.forEach((c, i) => add(c.code, Math.max(0.5, 2.5 - 0.5 * i) * factor, c.why));
  });
  return [...byCode.entries()]
    .sort((a, b) => b[1].score - a[1].score || a[1].order - b[1].order)
    .slice(0, MAX_CANDIDATES)
    .map(([code, x]) => ({ code, score: Math.round(x.score * 100) / 100, why: x.why, evidence: x.evidence }));
}
