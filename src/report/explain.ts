/**
 * `explain`'s outputs: the human text (`renderExplain`) and the JSON document (`explainJson`). Pure
 * formatting of a finished result: no matching, no ranking.
 */
import { CODES, type Code } from '../model/codes.js';
import { styler } from './style.js';

/** How many matches the human output shows (JSON carries all). */
const SHOWN = 3;

/**
 * What the renderer reads of an explain result (`ExplainResult` of src/explain/ has these fields and more).
 * @example const v: ExplainView = explain(text);
 */
export interface ExplainView {
  scanned: { lines: number; skippedLines: number; characters?: number; windowed?: boolean };
  recognised: ReadonlyArray<{ line: number; quote: string; sentence: string }>;
  client: string | null;
  causes: ReadonlyArray<{ code: Code; why: string }>;
  matches: ReadonlyArray<{
    id: string;
    confidence: number;
    family: string;
    meaning: string;
    clients: readonly string[];
    causes: ReadonlyArray<{ code: Code; why: string; evidence: readonly string[]; confirmed?: boolean }>;
    tellApart: string;
    source: string;
  }>;
  evidence: ReadonlyArray<{ sentence: string }>;
  target: string | null;
  next: string;
  confirmation?: { url: string | null; confirmed: readonly Code[]; none: boolean; otherFindings: readonly string[] };
}

/**
 * What the JSON document reads of an explain result: the view and the fields only JSON carries
 * (scores, the matched words, what each piece of decoded evidence is).
 * @example const v: ExplainJsonView = explain(text);
 */
export interface ExplainJsonView extends ExplainView {
  causes: ReadonlyArray<{ code: Code; score: number; why: string; evidence: readonly string[] }>;
  recognised: ReadonlyArray<{ line: number; quote: string; text: string; sentence: string }>;
  scanned: { lines: number; skippedLines: number; clippedLines: number; characters?: number; windowed?: boolean };
  matches: ReadonlyArray<ExplainView['matches'][number] & { matched: string }>;
  evidence: ReadonlyArray<{ kind: string; text: string; sentence: string }>;
}

/**
 * The JSON document printed by `explain --json` (without its `schemaVersion`, which the CLI adds).
 * Its shape is a public contract (docs/explain.schema.json): fields are added, never renamed or removed.
 * @example explainJson(explain('curl: (16) Error in the HTTP2 framing layer')).matches // [{ id, confidence, family, meaning, causes, … }]
 */
export function explainJson(result: ExplainJsonView): Record<string, unknown> {
  return {
    causes: result.causes.map((c) => ({ code: c.code, score: c.score, why: c.why, ...(c.evidence.length ? { evidence: c.evidence } : {}), ...(result.confirmation ? { confirmed: result.confirmation.confirmed.includes(c.code) } : {}) })),
    recognised: result.recognised,
    client: result.client,
    scanned: result.scanned,
    matches: result.matches.map((m) => ({
      id: m.id,
      confidence: m.confidence,
      family: m.family,
      meaning: m.meaning,
      causes: m.causes.map((c) => ({
        code: c.code,
        why: c.why,
        ...(c.evidence.length ? { evidence: c.evidence } : {}),
        ...(c.confirmed !== undefined ? { confirmed: c.confirmed } : {}),
      })),
      clients: m.clients,
      tellApart: m.tellApart,
      source: m.source,
      matched: m.matched,
    })),
    evidence: result.evidence.map((e) => ({ kind: e.kind, text: e.text, sentence: e.sentence })),
    target: result.target,
    next: result.next,
    ...(result.confirmation ? { confirmation: result.confirmation } : {}),
  };
}

interface Style {
  bold(s: string): string;
  dim(s: string): string;
  good(s: string): string;
}

function style(color: boolean): Style {
  const c = styler(color);
  return { bold: (s) => c(s, 'bold'), dim: (s) => c(s, 'dim'), good: (s) => c(s, 'green') };
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/**
 * The human report of `explain`: what was recognised line by line, the most likely causes, the
 * matches with their candidate causes and evidence, what was decoded, and the confirmation or the
 * command to run next. Formats only.
 * @example renderExplain(explain('curl: (16) Error in the HTTP2 framing layer')) // 'Recognised (printed by curl):\n  line 1: …'
 */
export function renderExplain(r: ExplainView, color = false): string {
  const s = style(color);
  const lines: string[] = [];
  if (r.scanned.windowed) {
    const mb = r.scanned.characters !== undefined ? `, ${(r.scanned.characters / 1e6).toFixed(1)} M characters` : '';
    lines.push(s.dim(`(input of ${r.scanned.lines} lines${mb}, read line by line: ${r.scanned.skippedLines} lines that carry no error, status, alert or code were skipped; the ${r.scanned.lines - r.scanned.skippedLines} others (the last ones among them whatever they say) were explained)`), '');
  } else if (r.scanned.skippedLines > 0) lines.push(s.dim(`(input of ${r.scanned.lines} lines: the first ${r.scanned.skippedLines} were not read; the scan keeps the last ${r.scanned.lines - r.scanned.skippedLines})`), '');
  if (r.recognised.length) {
    lines.push(`Recognised${r.client ? ` (printed by ${r.client})` : ''}:`);
    for (const x of r.recognised.slice(0, 8)) {
      lines.push(`  line ${x.line}: ${s.dim(JSON.stringify(x.quote))}`);
      lines.push(`    → ${x.sentence}`);
    }
    if (r.recognised.length > 8) lines.push(s.dim(`  (${r.recognised.length - 8} more; --json lists them)`));
    lines.push('');
  }
  if (r.matches.length === 0 && r.recognised.length === 0) {
    lines.push('No known HTTP/2, TLS or connection error matched this text, and it names no status, TLS alert, certificate verdict, errno, timeout or protocol error.');
    lines.push('Usual causes for what it talks about (unconfirmed):');
    for (const c of r.causes.slice(0, SHOWN)) lines.push(`  • ${s.bold(c.code)} — ${c.why}`);
    lines.push(`Run the diagnosis instead: ${s.bold(r.next)}`);
    return lines.join('\n') + '\n';
  }
  lines.push('Most likely causes, from all the evidence:');
  r.causes.slice(0, SHOWN).forEach((c, i) => {
    const mark = r.confirmation?.confirmed.includes(c.code) ? ` ${s.good('✔ confirmed')}` : '';
    lines.push(`  ${i + 1}. ${s.bold(c.code)}${mark} — ${c.why}`);
  });
  if (r.causes.length > SHOWN) lines.push(s.dim(`     also possible: ${r.causes.slice(SHOWN).map((c) => c.code).join(', ')}`));
  lines.push('');
  const shown = r.matches.slice(0, SHOWN);
  shown.forEach((m, i) => {
    if (i > 0) lines.push('');
    lines.push(`${s.bold(`${i + 1}. ${m.id}`)}  ${s.dim(`confidence ${pct(m.confidence)} · ${m.family}`)}`);
    lines.push(`   ${m.meaning}`);
    if (m.clients.length) lines.push(`   ${s.dim('Printed by:')} ${m.clients.join(', ')}`);
    lines.push(`   Candidate causes, most likely first:`);
    // Each piece of evidence is shown once, under the most likely cause it supports.
    const said = new Set<string>();
    for (const c of m.causes) {
      const mark = c.confirmed ? ` ${s.good('✔ confirmed')}` : '';
      lines.push(`   • ${s.bold(c.code)}${mark} — ${c.why}`);
      for (const e of c.evidence) {
        if (said.has(e)) continue;
        said.add(e);
        lines.push(`       ${s.dim(`evidence: ${e}`)}`);
      }
    }
    lines.push(`   ${s.dim('Tell apart:')} ${m.tellApart}`);
    lines.push(`   ${s.dim('Source:')} ${m.source}`);
  });
  if (r.matches.length > SHOWN) lines.push('', s.dim(`(${r.matches.length - SHOWN} weaker match(es) omitted; --json lists them)`));
  if (r.evidence.length) {
    lines.push('', 'Decoded from the text:');
    for (const e of r.evidence) lines.push(`  • ${e.sentence}`);
  }
  if (r.confirmation) {
    const c = r.confirmation;
    lines.push('');
    if (c.none) {
      lines.push(`Diagnosis of ${c.url ?? 'the target'}: none of the candidate causes was confirmed.`);
      if (c.otherFindings.length) lines.push(`It found instead: ${c.otherFindings.join(', ')}`);
    } else {
      lines.push(`Diagnosis of ${c.url ?? 'the target'}: confirmed ${c.confirmed.map((x) => s.good(x)).join(', ')} — ${c.confirmed.map((x) => CODES[x].meaning).join('; ')}`);
    }
  } else {
    lines.push('', `Next: ${s.bold(r.next)}${r.target ? '' : s.dim('   (replace HOST with the host that failed)')}`);
  }
  return lines.join('\n') + '\n';
}
