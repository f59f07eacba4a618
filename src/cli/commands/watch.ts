/**
 * `h2doctor watch <url>`: a light diagnosis of every address, again and again; the history as NDJSON,
 * a live table on a terminal, and on exit what flapped.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { CliIO } from '../io.js';
import { EXIT } from '../io.js';
import { UsageError } from '../../model/errors.js';
import { parseArgv, type Parsed } from '../spec.js';
import { commandSpec } from '../registry.js';
import { connectionOptions, intFlag, useColor, widthOf } from '../connect.js';
import { checkMethod, dnsServersFlag, oneUrl, parseHeaderFlag, writeHtmlFile } from './diagnose.js';
import { parseTarget } from '../../model/target.js';
import { parseHistory } from '../../watch/record.js';
import type { HistoryLine, WatchRun, WatchStart } from '../../model/watch.js';
import { summarize, renderSummary, worse } from '../../watch/summary.js';
import type { WatchSummary } from '../../model/watch.js';
import { parseDuration, watchLoop } from '../../watch/run.js';
import { liveTable, plainLine } from '../../watch/live.js';
import { renderWatchHtml } from '../../report/html.js';
import { VERSION } from '../../version.js';
import type { DiagnoseOptions } from '../../diagnose.js';
import type { Verdict } from '../../model/index.js';

export async function watchCommand(args: string[], io: CliIO): Promise<number> {
  const spec = commandSpec('watch');
  const p = parseArgv(spec, args);
  if (p.bool('help')) {
    io.stdout((await import('../help.js')).commandHelp(spec, widthOf(io)));
    return EXIT.ok;
  }
  const history = p.str('history');
  const htmlOut = p.str('html');
  const json = p.bool('json');
  const summaryOnly = p.bool('summary');
  const histFile = history !== undefined ? resolvePath(io.cwd, history) : undefined;
  const prior = histFile && existsSync(histFile) ? readHistory(histFile) : [];
  const writeHtml = (s: WatchSummary) => {
    if (htmlOut !== undefined) writeHtmlFile(resolvePath(io.cwd, htmlOut), htmlOut, renderWatchHtml(s));
  };

  if (p.positionals.length === 0) return replay(histFile, history, summaryOnly, prior, json, io, writeHtml);
  const url = oneUrl(p, 'h2doctor watch https://example.com --every 30s');
  const everyMs = durationFlag('--every', p.str('every')) ?? 30_000;
  if (everyMs < 100) throw new UsageError('--every must be at least 100ms');
  const count = intFlag('--count', p.str('count'), 1, 10_000_000);
  const forMs = durationFlag('--for', p.str('for'));
  if (count !== undefined && forMs !== undefined) throw new UsageError('--count and --for contradict each other: give one');
  const o = await watchOptions(p, io);
  const target = parseTarget(url, o.sni);

  const mine = prior.filter((l) => l.url === target.url);
  const firstSeq = Math.max(0, ...mine.filter((l): l is WatchRun => l.type === 'run').map((l) => l.seq)) + 1;
  const all: HistoryLine[] = [...mine];
  const append = (line: HistoryLine) => {
    all.push(line);
    if (!histFile) return;
    try {
      appendFileSync(histFile, JSON.stringify(line) + '\n');
    } catch (e) {
      throw new UsageError(`--history: cannot write ${history}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  const start: WatchStart = { schemaVersion: 1, type: 'start', url: target.url, at: new Date().toISOString(), everyMs, tool: { name: 'h2doctor', version: VERSION } };
  append(start);

  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const live = !json && !summaryOnly && !!io.stdoutIsTTY;
  const color = useColor(p, io);
  const recent: WatchRun[] = [];
  let drawn = 0;
  let worst = 'ok' as Verdict;
  try {
    await watchLoop(target.url, { everyMs, ...(count !== undefined ? { count } : {}), ...(forMs !== undefined ? { forMs } : {}), signal: ac.signal, firstSeq, diagnoseOptions: o }, (run) => {
      append(run);
      worst = worse(worst, run.verdict);
      recent.push(run);
      if (recent.length > 60) recent.shift();
      if (json) io.stdout(JSON.stringify(run) + '\n');
      else if (summaryOnly) return;
      else if (live) {
        const table = liveTable(recent, { color, width: widthOf(io) });
        // Redraw in place: up over the last table, clear to the end of the screen.
        io.stdout((drawn ? `\x1b[${drawn}F\x1b[J` : '') + table);
        drawn = table.split('\n').length - 1;
      } else io.stdout(plainLine(run));
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  const s = summarize(all, target.url);
  io.stdout(json ? JSON.stringify(s) + '\n' : (live || !summaryOnly ? '\n' : '') + renderSummary(s));
  writeHtml(s);
  return worst === 'fail' ? EXIT.fail : EXIT.ok;
}

function readHistory(file: string): HistoryLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--history: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseHistory(text).lines;
}

function durationFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const ms = parseDuration(v);
  if (ms === undefined || ms <= 0) throw new UsageError(`${name} wants a duration like 30s, 1500ms, 5m or 1h, got ${JSON.stringify(v)}`);
  return ms;
}

/** The diagnosis options of each run: the connection flags, and --max-addresses, -X, -H, --dns-server. */
async function watchOptions(p: Parsed, io: CliIO): Promise<DiagnoseOptions> {
  const o = await connectionOptions(p, io);
  const maxAddresses = intFlag('--max-addresses', p.str('max-addresses'), 1, 64);
  if (maxAddresses !== undefined) o.maxAddresses = maxAddresses;
  const method = p.str('request');
  if (method !== undefined) o.method = checkMethod(method);
  const headers = p.list('header');
  if (headers.length) o.headers = headers.map(parseHeaderFlag);
  const dns = p.list('dns-server');
  if (dns.length) o.dnsServers = dnsServersFlag(dns);
  return o;
}

/** `--history file --summary` without a URL: the summary of the runs recorded there, nothing run. */
function replay(histFile: string | undefined, history: string | undefined, summaryOnly: boolean, prior: HistoryLine[], json: boolean, io: CliIO, writeHtml: (s: WatchSummary) => void): number {
  if (!histFile || !summaryOnly) throw new UsageError('no URL given (try: h2doctor watch https://example.com --every 30s, or --history file --summary to replay)');
  if (!existsSync(histFile)) throw new UsageError(`--history: no such file: ${history}`);
  const urls = [...new Set(prior.map((l) => l.url))];
  if (urls.length > 1) throw new UsageError(`--history: ${history} holds several URLs (${urls.join(', ')}): name one`);
  const s = summarize(prior);
  io.stdout(json ? JSON.stringify(s) + '\n' : renderSummary(s));
  writeHtml(s);
  return s.worst === 'fail' ? EXIT.fail : EXIT.ok;
}
