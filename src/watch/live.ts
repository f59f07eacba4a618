/**
 * The watch's terminal output. On a terminal: a table per address (last verdict, codes, ALPN, TLS,
 * latency) and a strip of recent results, redrawn in place. Otherwise: one plain line per run.
 * Pure: records in, text out.
 */
import type { Verdict } from '../model/index.js';
import type { WatchRun } from '../model/watch.js';
import { rowsOf } from './summary.js';
import { styler, type Style } from '../report/style.js';

const MARK: Record<Verdict, string> = { ok: '✓', warn: '!', fail: '✗' };
const COLOUR: Record<Verdict, Style> = { ok: 'green', warn: 'yellow', fail: 'red' };

/** One line per run, for logs and pipes. */
export function plainLine(run: WatchRun): string {
  const addrs = run.addresses
    .map((a) => `${a.address}${a.resolvers.length && a.resolvers[0] !== 'system' ? `[${a.resolvers.join(',')}]` : ''} ${a.verdict}${a.protocol ? ` ${a.protocol}` : ''}${a.codes.length ? ` ${a.codes.join(',')}` : ''}`)
    .join('; ');
  const rest = run.codes.filter((c) => !run.addresses.some((a) => a.codes.includes(c)));
  return `${run.at}  #${run.seq}  ${run.verdict.toUpperCase().padEnd(4)}  ${addrs || run.error || 'no address'}${rest.length ? `  (${rest.join(', ')})` : ''}\n`;
}

/** The live table: every row (resolver × address) seen in the recent runs, its last result and a strip. */
export function liveTable(recent: readonly WatchRun[], o: { color: boolean; strip?: number; width?: number }): string {
  const c = styler(o.color);
  const n = o.strip ?? 30;
  const runs = recent.slice(-n);
  const last = runs[runs.length - 1];
  if (!last) return '';
  type Row = { resolver: string; address: string; marks: string[]; lastRun?: WatchRun };
  const rows = new Map<string, Row>();
  runs.forEach((run, i) => {
    for (const r of rowsOf(run)) {
      if (r.address === '*') continue;
      const key = `${r.resolver} ${r.address}`;
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { resolver: r.resolver, address: r.address, marks: Array<string>(runs.length).fill(' ') }));
      row.marks[i] = c(MARK[r.verdict], COLOUR[r.verdict]);
      row.lastRun = run;
    }
  });
  const out: string[] = [];
  out.push(`${last.url}  run ${last.seq} at ${last.at}  ${c(last.verdict.toUpperCase(), COLOUR[last.verdict])}`);
  out.push(c(`${'resolver'.padEnd(16)} ${'address'.padEnd(20)} ${'last'.padEnd(5)} ${'alpn'.padEnd(9)} ${'tls'.padEnd(8)} ${'ms'.padStart(6)}  recent (oldest → newest)   codes`, 'dim'));
  for (const row of rows.values()) {
    const a = row.lastRun!.addresses.find((x) => x.address === row.address)!;
    const ms = a.exchangeMs ?? a.tlsMs ?? a.connectMs;
    const stale = row.lastRun !== last ? c(' (not in the last answer)', 'dim') : '';
    out.push(
      `${row.resolver.slice(0, 16).padEnd(16)} ${row.address.slice(0, 20).padEnd(20)} ${c(a.verdict.padEnd(5), COLOUR[a.verdict])} ${String(a.alpn === undefined ? '-' : (a.alpn ?? 'none')).padEnd(9)} ${(a.tlsVersion ?? '-').padEnd(8)} ${(ms === undefined ? '-' : ms.toFixed(0)).padStart(6)}  ${row.marks.join('')}${' '.repeat(Math.max(0, 26 - row.marks.length))} ${a.codes.join(', ') || '-'}${stale}`,
    );
  }
  const rest = last.codes.filter((x) => !last.addresses.some((a) => a.codes.includes(x)));
  if (rest.length) out.push(`whole name: ${rest.join(', ')}`);
  if (last.error) out.push(`error: ${last.error}`);
  out.push(c('Ctrl-C ends the watch and prints what flapped.', 'dim'));
  // A line wider than the terminal would wrap, and the redraw (cursor up one line per line) would miss.
  return out.map((l) => fit(l, o.width)).join('\n') + '\n';
}

/** The line cut to `width` visible characters (its colour dropped when it has to be cut). */
export function fit(line: string, width: number | undefined): string {
  if (!width) return line;
  const plain = line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  return [...plain].length <= width ? line : [...plain].slice(0, Math.max(1, width - 1)).join('') + '…';
}
