/**
 * `h2doctor explain "<text>" [--json] [--url <url>]`: what an error message means, which findings
 * can cause it, and the diagnose command to run next. Text comes from the arguments or stdin.
 *
 * @example
 * await explainCommand(['curl: (16) Error in the HTTP2 framing layer'], io); // → 0
 */
import { CODES } from '../../model/codes.js';
import { confirmCandidates, candidateCodes, explain, explainJson, type ConfirmFn, type ExplainResult } from '../../explain/index.js';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { parseArgv, type Parsed } from '../spec.js';
import { commandSpec } from '../registry.js';
import { connectionOptions, useColor, widthOf } from '../connect.js';
import { fitLines } from '../../report/layout.js';
import { styler } from '../../report/style.js';
import type { DiagnoseOptions } from '../../diagnose.js';

/** Confirms candidates with a diagnosis made with the command line's connection options. */
export type ConfirmWith = (url: string, opts: { candidates: Parameters<ConfirmFn>[1]['candidates']; options?: DiagnoseOptions }) => Promise<{ codes: string[] }>;

/** How many matches the human output shows (JSON carries all). */
const SHOWN = 3;

interface ExplainArgs {
  help: boolean;
  json: boolean;
  url: string | null;
  text: string[];
  p: Parsed;
}

function parseExplainArgs(args: readonly string[]): ExplainArgs {
  const p = parseArgv(commandSpec('explain'), args);
  const url = p.str('url');
  if (url === '') throw new UsageError('--url needs a value, e.g. --url https://example.com');
  return { help: p.bool('help'), json: p.bool('json'), url: url === undefined ? null : checkUrl(url), text: p.positionals, p };
}

function checkUrl(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new UsageError(`--url: not a URL: ${v}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--url: only http:// and https:// URLs can be diagnosed, got ${u.protocol}//`);
  return v;
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

/** The human report. */
export function renderExplain(r: ExplainResult, color = false): string {
  const s = style(color);
  const lines: string[] = [];
  if (r.scanned.skippedLines > 0) lines.push(s.dim(`(input of ${r.scanned.lines} lines: the first ${r.scanned.skippedLines} were not read; the scan keeps the last ${r.scanned.lines - r.scanned.skippedLines})`), '');
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

export async function explainCommand(args: string[], io: CliIO, deps: { confirm?: ConfirmWith } = {}): Promise<number> {
  const p = parseExplainArgs(args);
  if (p.help) {
    io.stdout((await import('../help.js')).commandHelp(commandSpec('explain'), widthOf(io)));
    return EXIT.ok;
  }
  let text = p.text.join(' ');
  if (text.trim() === '') {
    if (io.stdinIsTTY) throw new UsageError('explain needs the error text: h2doctor explain "<text>", or pipe it on stdin');
    text = await io.readStdin();
    if (text.trim() === '') throw new UsageError('explain: standard input was empty; pass the error text as an argument');
  }
  if (p.url && !deps.confirm) {
    io.stderr('explain --url: confirming candidates needs the diagnose engine, which is not available in this build. Run without --url, then run the suggested command.\n');
    return EXIT.usage;
  }
  let result = explain(text, p.url ? { url: p.url } : {});
  if (p.url && deps.confirm) {
    let found: { codes: string[] };
    try {
      found = await deps.confirm(p.url, { candidates: candidateCodes(result), options: await connectionOptions(p.p, io) });
    } catch (e) {
      io.stderr(`explain --url: the diagnosis of ${p.url} failed: ${(e as Error)?.message ?? String(e)}\n`);
      return EXIT.fail;
    }
    result = confirmCandidates(result, found.codes, p.url);
  }
  if (p.json) io.stdout(JSON.stringify({ schemaVersion: 1, ...explainJson(result) }, null, 2) + '\n');
  else io.stdout(fitLines(renderExplain(result, useColor(p.p, io)).replace(/\n$/, '').split('\n'), widthOf(io)).join('\n') + '\n');
  return EXIT.ok;
}
