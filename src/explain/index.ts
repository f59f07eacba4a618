/**
 * `h2doctor explain`: match pasted error text against the catalogue, decode the evidence inside it,
 * and say which finding codes can cause it and what to run next.
 *
 * The JSON shape `{ matches: [ { id, confidence, family, meaning, causes: [ { code, why } ] } ] }`
 * is a public contract: fields may be added, never renamed or removed.
 *
 * @example
 * const r = explain('curl: (92) HTTP/2 stream 1 was not closed cleanly: PROTOCOL_ERROR (err 1)');
 * r.matches[0].id;            // 'curl-stream-not-closed-cleanly'
 * explainJson(r).matches[0];  // { id, confidence, family, meaning, causes, … } (src/report/explain.ts)
 */
import { CODES, type Code, type Family } from '../model/codes.js';
import type { DiagnoseOptions } from '../diagnose.js';
import { boundLines, decodeAll } from './decoders.js';
import type { CodeHint, Decoded } from './decoded.js';
import { matchText } from './match.js';
import { rankCauses, type RankedCandidate } from './rank.js';
import { GENERIC_CANDIDATES, guessLayer, readSignals } from './signals.js';
import type { Signal } from './signal-types.js';
import { clientContext } from './client-context.js';
import type { WindowScan } from './window.js';



export interface ExplainCause {
  code: Code;
  why: string;
  /** Decoded evidence supporting this cause (sentences). */
  evidence: string[];
  /** Set by {@link confirmCandidates}: true when the diagnosis found this code. */
  confirmed?: boolean;
}

export interface ExplainMatch {
  id: string;
  confidence: number;
  family: Family;
  meaning: string;
  /** Most likely first. */
  causes: ExplainCause[];
  clients: string[];
  tellApart: string;
  source: string;
  /** The part of the text that matched. */
  matched: string;
}

export interface Confirmation {
  url: string | null;
  /** Candidate codes the diagnosis found. */
  confirmed: Code[];
  /** True when the diagnosis found none of the candidates. */
  none: boolean;
  /** Codes the diagnosis found that no match proposed. */
  otherFindings: string[];
}

/** One thing recognised in the text, with the line it was read on (quoted). */
export interface Recognised {
  /** 1-based line number in the input. */
  line: number;
  /** The line as pasted (cut at 200 characters). */
  quote: string;
  /** The words that carried the evidence. */
  text: string;
  sentence: string;
}

export interface ExplainResult {
  /**
   * Every cause the text points at, most likely first, from all the evidence together (signals,
   * decoded bytes, matched entries). Never empty: when nothing specific was recognised, the generic
   * candidates for the layer the words talk about.
   */
  causes: RankedCandidate[];
  /** What was recognised, line by line (empty when nothing was). */
  recognised: Recognised[];
  /** The client that printed the text, when its messages say so (`curl`, `go`, `python`, …). */
  client: string | null;
  /**
   * How much of the input was read: all of it unless it exceeds the scan bound. From a
   * {@link LineWindow} (a paste past MAX_TEXT read line by line): also the characters read and
   * `windowed: true`, the skipped lines being those without evidence outside the window.
   */
  scanned: { lines: number; skippedLines: number; clippedLines: number; characters?: number; windowed?: boolean };
  matches: ExplainMatch[];
  /** Every piece of evidence decoded from the text. */
  evidence: Decoded[];
  /** `scheme://host[:port]` found in the text, if any. */
  target: string | null;
  /** The diagnose command to run next. */
  next: string;
  confirmation?: Confirmation;
}

/** The id of the match made from decoded evidence alone, when no catalogue entry matched. */
export const EVIDENCE_ONLY_ID = 'decoded-evidence';

/** Looks for the host the failing program talked to, so the next command can name it. */
export function findTarget(text: string): string | null {
  const url = /\b(https?):\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?/.exec(text);
  if (url) return `${url[1]}://${url[2]}${url[3] ? `:${url[3]}` : ''}`;
  const forms: RegExp[] = [
    /Failed to connect to ([A-Za-z0-9.-]+) port (\d{1,5})/,
    /in connection to ([A-Za-z0-9.-]+):(\d{1,5})/,
    /host='([A-Za-z0-9.-]+)', port=(\d{1,5})/,
    /(?:ECONNREFUSED|ETIMEDOUT) ([A-Za-z0-9.-]+):(\d{1,5})/,
    /dial tcp ([A-Za-z0-9.-]+):(\d{1,5})/,
    /(?:Could not resolve host|getaddrinfo ENOTFOUND|getaddrinfo EAI_AGAIN|lookup) ([A-Za-z0-9-]+\.[A-Za-z0-9.-]+)()/,
  ];
  for (const re of forms) {
    const m = re.exec(text);
    if (!m) continue;
    const host = m[1]!.replace(/\.$/, '');
    const port = m[2] ? Number(m[2]) : 443;
    if (port === 80) return `http://${host}`;
    return port === 443 ? `https://${host}` : `https://${host}:${port}`;
  }
  return null;
}

/** `h2doctor <target>`; the URL wins over what the text suggests. */
export function nextCommand(target: string | null): string {
  return `h2doctor ${target ?? 'https://HOST'}`;
}

function evidenceOnlyMatch(evidence: readonly Decoded[]): ExplainMatch | undefined {
  const byCode = new Map<Code, { weight: number; hint: CodeHint; sentences: string[]; order: number }>();
  let order = 0;
  for (const ev of evidence) {
    for (const h of ev.hints) {
      const cur = byCode.get(h.code);
      if (cur) {
        cur.weight += h.weight;
        if (!cur.sentences.includes(ev.sentence)) cur.sentences.push(ev.sentence);
      } else byCode.set(h.code, { weight: h.weight, hint: h, sentences: [ev.sentence], order: order++ });
    }
  }
  if (byCode.size === 0) return undefined;
  const ranked = [...byCode.values()].sort((a, b) => b.weight - a.weight || a.order - b.order);
  const first = ranked[0]!;
  return {
    id: EVIDENCE_ONLY_ID,
    confidence: first.weight >= 3 ? 0.5 : 0.3,
    family: CODES[first.hint.code].family,
    meaning: `No known message matched, but the text contains decodable evidence: ${evidence[0]!.sentence}.`,
    causes: ranked.map((r) => ({ code: r.hint.code, why: r.hint.why, evidence: r.sentences })),
    clients: [],
    tellApart: 'Run the diagnosis against the host: it reproduces the connection and names the cause.',
    source: 'h2doctor decoders',
    matched: evidence[0]!.text,
  };
}

/** Explain one pasted error text (a message, a log excerpt, a stack trace). Pure. */
export function explain(text: string, opts: { url?: string; lineNumbers?: readonly number[]; scanned?: WindowScan } = {}): ExplainResult {
  const bounded = boundLines(text);
  const t = bounded.text;
  const evidence = decodeAll(t);
  const ctx = clientContext(t);
  const signals = readSignals(t, ctx);
  const scored = matchText(t, evidence);
  const matches: ExplainMatch[] = scored.map((m) => ({
    id: m.entry.id,
    confidence: m.confidence,
    family: m.entry.family,
    meaning: m.entry.meaning,
    causes: m.causes.map((c) => ({ code: c.code, why: c.why, evidence: c.evidence })),
    clients: [...m.entry.clients],
    tellApart: m.entry.tellApart,
    source: m.entry.source,
    matched: m.matched,
  }));
  let causes = rankCauses(signals, evidence, scored);
  // Each match lists its causes in the order of the one ranking, so the two never disagree.
  const rank = new Map(causes.map((c, i) => [c.code, i]));
  for (const m of matches) m.causes = m.causes.map((c, i) => ({ c, i })).sort((a, b) => (rank.get(a.c.code) ?? 99 + a.i) - (rank.get(b.c.code) ?? 99 + b.i)).map(({ c }) => c);
  const recognised = recognisedLines(t, signals, bounded.skippedLines, opts.lineNumbers);
  if (causes.length === 0) {
    const layer = guessLayer(t) ?? 'unknown';
    causes = GENERIC_CANDIDATES[layer].map((h) => ({ code: h.code, score: 0, why: h.why, evidence: [] }));
  }
  if (matches.length === 0) {
    // Nothing in the catalogue: an answer from the decoded bytes, else from the signals. With
    // neither, `matches` stays empty and `causes` holds the generic candidates for the layer.
    const ev = evidenceOnlyMatch(evidence) ?? (signals.length ? signalMatch(signals, causes) : undefined);
    if (ev) matches.push(ev);
  }
  const target = opts.url ?? findTarget(t);
  return {
    causes,
    recognised,
    client: ctx.client ?? null,
    scanned: opts.scanned ?? { lines: bounded.lines, skippedLines: bounded.skippedLines, clippedLines: bounded.clippedLines },
    matches,
    evidence,
    target,
    next: nextCommand(target),
  };
}

function recognisedLines(text: string, signals: readonly Signal[], offset: number, lineNumbers?: readonly number[]): Recognised[] {
  const lines = text.split('\n');
  const out: Recognised[] = [];
  const seen = new Set<string>();
  for (const s of signals) {
    const key = `${s.line}/${s.sentence}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const raw = lines[s.line] ?? '';
    out.push({ line: lineNumbers?.[s.line + offset] ?? s.line + 1 + offset, quote: raw.length > 200 ? `${raw.slice(0, 199)}…` : raw, text: s.text, sentence: s.sentence });
    if (out.length >= 20) break;
  }
  return out;
}

/** The answer built from the signals (or, with none, the generic candidates) when no entry matched. */
function signalMatch(signals: readonly Signal[], causes: readonly RankedCandidate[]): ExplainMatch {
  const first = causes[0]!;
  const said = [...new Set(signals.map((s) => s.sentence))];
  return {
    id: EVIDENCE_ONLY_ID,
    confidence: Math.min(0.8, 0.3 + first.score / 20),
    family: CODES[first.code].family,
    meaning: `No known message matched as a whole, but the text says: ${said.slice(0, 3).join('; ')}.`,
    causes: causes.map((c) => ({ code: c.code, why: c.why, evidence: c.evidence })),
    clients: [],
    tellApart: 'Run the diagnosis against the host (the next command): it reproduces the connection and names the cause.',
    source: 'h2doctor signals (src/explain/signals.ts)',
    matched: signals[0]?.text ?? '',
  };
}

/** Every distinct candidate code across all matches, most likely first. */
export function candidateCodes(result: ExplainResult): Code[] {
  const out: Code[] = result.causes.map((c) => c.code);
  for (const m of result.matches) for (const c of m.causes) if (!out.includes(c.code)) out.push(c.code);
  return out;
}

/**
 * Runs the real diagnosis for `--url`. The CLI receives one from its caller; `explain` itself never
 * touches the network.
 */
export type ConfirmFn = (url: string, opts: { candidates: Code[]; signal?: AbortSignal; options?: DiagnoseOptions }) => Promise<{ codes: string[] }>;

/** Marks which candidate causes the diagnosis found (pure; returns a new result). */
export function confirmCandidates(result: ExplainResult, foundCodes: readonly string[], url: string | null = result.target): ExplainResult {
  const found = new Set(foundCodes);
  const matches = result.matches.map((m) => ({ ...m, causes: m.causes.map((c) => ({ ...c, confirmed: found.has(c.code) })) }));
  const candidates = candidateCodes(result);
  const confirmed = candidates.filter((c) => found.has(c));
  const otherFindings = [...found].filter((c) => !(candidates as string[]).includes(c));
  return { ...result, matches, confirmation: { url, confirmed, none: confirmed.length === 0, otherFindings } };
}
