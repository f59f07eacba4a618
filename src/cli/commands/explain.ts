/**
 * `h2doctor explain "<text>" [--json] [--url <url>]`: what an error message means, which findings
 * can cause it, and the diagnose command to run next. Text comes from the arguments or stdin.
 *
 * @example
 * await explainCommand(['curl: (16) Error in the HTTP2 framing layer'], io); // → 0
 */
import { confirmCandidates, candidateCodes, explain, type ConfirmFn } from '../../explain/index.js';
import { LineWindow } from '../../explain/window.js';
import { explainJson } from '../../report/explain.js';
import { MAX_LINE } from '../../explain/decoders.js';
import { EXIT, EXPLAIN_STDIN_MAX_BYTES, type CliIO } from '../io.js';
import { UsageError } from '../../model/errors.js';
import { parseArgv, type Parsed } from '../spec.js';
import { commandSpec } from '../registry.js';
import { connectionOptions, useColor, widthOf } from '../connect.js';
import { fitLines } from '../../report/layout.js';
import { renderExplain } from '../../report/explain.js';
import type { DiagnoseOptions } from '../../diagnose.js';

/** Confirms candidates with a diagnosis made with the command line's connection options. */
export type ConfirmWith = (url: string, opts: { candidates: Parameters<ConfirmFn>[1]['candidates']; options?: DiagnoseOptions }) => Promise<{ codes: string[] }>;

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


export async function explainCommand(args: string[], io: CliIO, deps: { confirm?: ConfirmWith } = {}): Promise<number> {
  const p = parseExplainArgs(args);
  if (p.help) {
    io.stdout((await import('../help.js')).commandHelp(commandSpec('explain'), widthOf(io)));
    return EXIT.ok;
  }
  let text = p.text.join(' ');
  let windowed: Pick<ReturnType<LineWindow['finish']>, 'lineNumbers' | 'scanned'> | undefined;
  // `explain -`: the text is standard input, as with no text at all.
  if (text === '-') text = '';
  if (text.trim() === '') {
    if (io.stdinIsTTY) throw new UsageError('explain needs the error text: h2doctor explain "<text>", or pipe it on stdin');
    if (io.readStdinLines) {
      // Any size, line by line: explain reads a bounded window of it and says what it skipped.
      const w = new LineWindow();
      let blank = true;
      await io.readStdinLines((line, full) => {
        if (blank && line.trim()) blank = false;
        w.push(line, full);
      }, MAX_LINE, EXPLAIN_STDIN_MAX_BYTES);
      if (blank) throw new UsageError('explain: standard input was empty; pass the error text as an argument');
      const f = w.finish();
      text = f.text;
      if (f.scanned.windowed) windowed = f;
    } else text = await io.readStdin();
    if (text.trim() === '') throw new UsageError('explain: standard input was empty; pass the error text as an argument');
  }
  if (p.url && !deps.confirm) {
    io.stderr('explain --url: confirming candidates needs the diagnose engine, which is not available in this build. Run without --url, then run the suggested command.\n');
    return EXIT.usage;
  }
  let result = explain(text, { ...(p.url ? { url: p.url } : {}), ...(windowed ? { lineNumbers: windowed.lineNumbers, scanned: windowed.scanned } : {}) });
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
