/**
 * `h2doctor explain "<text>" [--json] [--url <url>]`: what an error message means, which findings
 * can cause it, and the diagnose command to run next. Text comes from the arguments or stdin.
 *
 * @example
 * await explainCommand(['curl: (16) Error in the HTTP2 framing layer'], io); // → 0
 */
import { CODES } from '../../diagnosis/codes.js';
import { confirmCandidates, candidateCodes, explain, explainJson, type ConfirmFn, type ExplainResult } from '../../explain/index.js';
import { EXIT, UsageError, type CliIO } from '../io.js';

export const EXPLAIN_HELP = `Usage: h2doctor explain "<error text>" [--json] [--url <url>]
       <command that fails> 2>&1 | h2doctor explain [--json]

Matches an error message printed by an HTTP/2 client, server or proxy (curl, OpenSSL, Node,
Go, grpc-go, grpc-java/Netty, gRPC C-core, OkHttp, Java, Python, Chrome, Firefox, nginx,
Envoy, HAProxy, AWS ALB) against a catalogue, decodes the evidence inside it (hex dumps,
frame lengths, TLS alerts, HTTP/2 error codes, OpenSSL error codes) and lists the candidate
causes with the command to run next.

Options:
  --json         print JSON: { "matches": [ { "id", "confidence", "family", "meaning", "causes" } ] }
  --url <url>    also run the diagnosis against <url> and say which candidate it confirms
  -h, --help     show this help
`;

/** How many matches the human output shows (JSON carries all). */
const SHOWN = 3;

interface Parsed {
  help: boolean;
  json: boolean;
  url: string | null;
  text: string[];
}

function parseArgs(args: readonly string[]): Parsed {
  const out: Parsed = { help: false, json: false, url: null, text: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.text.push(...args.slice(i + 1));
      break;
    }
    if (a === '-h' || a === '--help') out.help = true;
    else if (a === '--json') out.json = true;
    else if (a === '--no-color') continue;
    else if (a === '--url' || a.startsWith('--url=')) {
      const v = a === '--url' ? args[++i] : a.slice('--url='.length);
      if (v === undefined || v === '') throw new UsageError('--url needs a value, e.g. --url https://example.com');
      out.url = checkUrl(v);
    } else if (a.startsWith('-') && a.length > 1 && !/\s/.test(a)) {
      throw new UsageError(`explain: unknown option ${a} (see h2doctor explain --help)`);
    } else out.text.push(a);
  }
  return out;
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
  const wrap = (a: string, b: string) => (s: string) => (color ? `\x1b[${a}m${s}\x1b[${b}m` : s);
  return { bold: wrap('1', '22'), dim: wrap('2', '22'), good: wrap('32', '39') };
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** The human report. */
export function renderExplain(r: ExplainResult, color = false): string {
  const s = style(color);
  const lines: string[] = [];
  if (r.matches.length === 0) {
    lines.push('No known HTTP/2, TLS or connection error matched this text.');
    lines.push(`Run the diagnosis instead: ${s.bold(r.next)}`);
    return lines.join('\n') + '\n';
  }
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

export async function explainCommand(args: string[], io: CliIO, deps: { confirm?: ConfirmFn } = {}): Promise<number> {
  const p = parseArgs(args);
  if (p.help) {
    io.stdout(EXPLAIN_HELP);
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
      found = await deps.confirm(p.url, { candidates: candidateCodes(result) });
    } catch (e) {
      io.stderr(`explain --url: the diagnosis of ${p.url} failed: ${(e as Error)?.message ?? String(e)}\n`);
      return EXIT.fail;
    }
    result = confirmCandidates(result, found.codes, p.url);
  }
  if (p.json) io.stdout(JSON.stringify(explainJson(result), null, 2) + '\n');
  else io.stdout(renderExplain(result, io.color));
  return EXIT.ok;
}
