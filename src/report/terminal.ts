/**
 * The terminal report: the verdict first, then findings by severity with evidence, fixes and the
 * commands that reproduce them; a probe table with `verbose`. Colour only when asked.
 */
import type { Finding, Report } from '../model/index.js';
import { describeProbe } from './describe.js';
import { fitLines, table, wrap as wrapWords, wrapParts } from './layout.js';
import { styler, type Paint } from './style.js';

/**
 * How the terminal report is drawn: colour, verbosity, width.
 * @example renderTerminal(report, { color: false, verbose: true, width: 100 })
 */
export interface TerminalOptions {
  color: boolean;
  verbose: boolean;
  /** Wrap width. */
  width?: number;
}


/**
 * The report for a person at a terminal: verdict and headline, each finding with its evidence, fix and reproduce command, fitted to the width.
 * @example process.stdout.write(renderTerminal(report, { color: process.stdout.isTTY, verbose: false, width: 80 }))
 */
export function renderTerminal(r: Report, o: TerminalOptions): string {
  const c = styler(o.color);
  // The terminal's width (the CLI passes it; 80 when unknown); every line is fitted to it at the end.
  const width = Math.max(20, o.width ?? 80);
  const out: string[] = [];
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.filter((f) => f.severity === 'warning').length;
  const head =
    r.verdict === 'fail'
      ? c(`✗ FAIL`, 'bold', 'red')
      : r.verdict === 'warn'
        ? c(`! WARN`, 'bold', 'yellow')
        : c(`✓ OK`, 'bold', 'green');
  // The headline (the failing layer) comes from the diagnosis; the counts follow it.
  const counts = [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : ''].filter(Boolean).join(', ');
  const what = `${r.headline ?? (r.findings.length ? 'see the findings below' : 'no problem found')}${counts ? `  (${counts})` : ''}`;
  out.push(`${head}  ${r.target.url}  ${what}`);
  // The summary breaks between its parts only: "4 connections" is never split over two lines.
  out.push(...wrapParts(summaryParts(r), width, '  ·  ', { indent: '  ', hanging: '    ' }).map((l) => c(l, 'dim')));
  if (r.proxy) out.push(c(`  ${proxyLine(r.proxy)}`, 'dim'));
  out.push(...renderCertificates(r, c, width, o.verbose));
  out.push(...renderMatrix(r, c, o.verbose));
  out.push(...renderTlsSurface(r, c, o.verbose));
  out.push(...renderClients(r, c, o.verbose));

  for (const f of r.findings) {
    out.push('');
    out.push(...renderFinding(f, c, width, o.verbose));
  }

  if (o.verbose) {
    out.push('');
    out.push(c('Probes', 'bold'));
    const rows = r.probes.map((p) => [p.id, `${p.startMs.toFixed(1)}+${p.durationMs.toFixed(1)} ms`, `${p.bytesSent}/${p.bytesReceived} B`, describeProbe(p)]);
    // Sized from the data; the result column wraps beside its row.
    const lines = table([['probe', 'time', 'out/in', 'result'], ...rows], width, { indent: '  ' });
    out.push(c(lines[0]!, 'dim'), ...lines.slice(1));
  } else if (r.findings.length) {
    out.push('');
    out.push(c('  -v shows every probe; --json gives the full report.', 'dim'));
  }
  return fitLines(out.join('\n').split('\n'), width).join('\n') + '\n';
}

/**
 * The certificate section, briefly: one line per distinct chain (the server's certificate, its key
 * and signature, its end of validity, the chain as sent, OCSP stapling), a line per order problem;
 * with -v, a line per certificate of the chain.
 */
function renderCertificates(r: Report, c: Paint, width: number, verbose: boolean): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const multi = new Set((r.certificates ?? []).map((s) => s.chain[0]?.fingerprint256)).size > 1;
  for (const s of r.certificates ?? []) {
    const leaf = s.chain[0];
    const key = leaf ? `${s.chain.map((x) => x.fingerprint256).join()}|${s.ocspStapling.stapled}` : `none|${s.address}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const at = multi ? ` (${s.address})` : '';
    if (!leaf) {
      out.push(c(`  certificate${at}: chain not read from the wire: ${s.unavailable ?? 'no certificate sent'}`, 'dim'));
      continue;
    }
    const chain = `chain of ${s.chain.length} sent${s.order.inOrder ? ', in order' : ', NOT in order'}${s.rootSent ? ', root included' : ''}`;
    const ocsp = s.ocspStapling.stapled ? 'OCSP stapled' : 'no OCSP staple';
    const line = `certificate${at} ${leaf.subject} · ${keyText(leaf.publicKey)} · ${leaf.signatureAlgorithm} · until ${leaf.notAfter.slice(0, 10)} · ${chain} · ${ocsp}`;
    out.push(...wrap(line, width - 4).map((l, i) => c(`  ${i ? '  ' : ''}${l}`, 'dim')));
    for (const x of s.order.problems) out.push(...wrap(`chain order: ${x.text}`, width - 4).map((l, i) => c(`  ${i ? '  ' : ''}${l}`, 'yellow')));
    if (verbose) {
      for (const x of s.chain) {
        const t = `${x.position}: ${x.subject}, issued by ${x.issuer} · ${keyText(x.publicKey)} · ${x.signatureAlgorithm} · ${x.notBefore.slice(0, 10)} to ${x.notAfter.slice(0, 10)}${x.subjectAltNames.length ? ` · ${x.subjectAltNames.join(', ')}` : ''} · SHA-256 ${x.fingerprint256}`;
        out.push(...wrap(t, width - 6).map((l, i) => c(`    ${i ? '  ' : ''}${l}`, 'dim')));
      }
    }
  }
  return out;
}

function keyText(k: { type: string; bits?: number; curve?: string }): string {
  if (k.curve) return `${k.type} ${k.curve}`;
  return k.bits ? `${k.type} ${k.bits}` : k.type;
}

function proxyLine(p: NonNullable<Report['proxy']>): string {
  const direct = p.direct ? `; direct path: ${p.direct.protocol ?? 'nothing works'}${p.direct.findingCodes.length ? ` (${p.direct.findingCodes.join(', ')})` : ', no finding'}` : '';
  return `through proxy ${p.url} (${p.source}${p.credentials ? ', with credentials' : ''})${direct}`;
}

/**
 * The protocol matrix: the same request over HTTP/1.0, HTTP/1.1 and HTTP/2. Shown when the rows
 * disagree or one is a 426 (and always with -v).
 */
function renderMatrix(r: Report, c: Paint, verbose: boolean): string[] {
  const rows = r.matrix ?? [];
  if (!rows.length) return [];
  const statuses = new Set(rows.map((x) => x.status ?? x.outcome));
  if (!verbose && statuses.size < 2 && !rows.some((x) => x.status === 426)) return [];
  const multi = new Set(rows.map((x) => x.address)).size > 1;
  const out = ['', c('Protocol matrix (the same request over each protocol)', 'bold')];
  for (const x of rows) {
    const fields = ['upgrade', 'content-type', 'via', 'location', 'deprecation', 'sunset'].filter((k) => x.headers[k] !== undefined).map((k) => `${k}: ${cell(x.headers[k]!)}`);
    const result = x.status !== undefined ? String(x.status) : x.outcome;
    const line = `  ${multi ? `${x.address}  ` : ''}${x.protocol.padEnd(8)}  ${x.via.padEnd(19)}  ${result.padEnd(5)}  ${fields.join(' · ')}`.trimEnd();
    out.push(x.status === 426 ? c(line, 'yellow') : line);
  }
  return out;
}

/** A table cell is at most 48 characters: a server's 60 KB field is not echoed whole (its size is said). */
function cell(v: string): string {
  return v.length > 48 ? `${v.slice(0, 40)}… (${v.length} chars)` : v;
}

function summaryParts(r: Report): string[] {
  const n = r.negotiated;
  const parts: string[] = [];
  if (n.tlsVersion) parts.push(`${n.tlsVersion} ${n.cipher ?? ''}`.trim());
  if (n.alpn !== undefined) parts.push(`ALPN ${n.alpn ?? 'none'}`);
  parts.push(`protocol ${n.protocol ?? 'none'}`);
  const addrs = r.resolution.addresses;
  parts.push(addrs.length ? `${addrs.join(', ')}${r.resolution.source === 'resolve-pin' ? ' (pinned)' : ''}` : 'no address');
  if (r.resolution.skipped.length) parts.push(`${r.resolution.skipped.length} more address(es) not probed`);
  parts.push(`${r.connections} connection${r.connections === 1 ? '' : 's'}`);
  parts.push(`${r.durationMs} ms`);
  return parts;
}

function renderFinding(f: Finding, c: Paint, width: number, verbose: boolean): string[] {
  // The severity in the same word as the JSON's `severity` (error, warning, info), upper case; the
  // verdict has its own words (OK, WARN, FAIL: the JSON's `verdict`).
  const sev = f.severity === 'error' ? c('ERROR', 'bold', 'red') : f.severity === 'warning' ? c('WARNING', 'bold', 'yellow') : c('INFO', 'bold', 'cyan');
  const out: string[] = [`${sev} ${c(f.code, 'bold')}  ${f.title}`];
  if (f.severityRaised) out.push(`  ${c(`severity raised: ${f.severityRaised}`, 'magenta')}`);
  out.push(...wrap(f.explanation, width - 2).map((l) => `  ${l}`));
  if (f.evidence.length) {
    out.push(c('  evidence', 'bold'));
    for (const e of f.evidence) {
      out.push(...wrapWords(`• ${e.text.replace(/\s+/g, ' ').trim()}`, width, { indent: '    ', hanging: '      ' }));
      if (e.excerpt && e.excerpt.length) out.push(c(`      bytes: ${spacedHex(e.excerpt.hex, 24)}  |${e.excerpt.ascii.slice(0, 24)}|`, 'dim'));
    }
  }
  if (f.clientsSee.length) {
    out.push(c('  clients print', 'bold'));
    for (const s of f.clientsSee.slice(0, verbose ? 99 : 3)) out.push(`    – ${s}`);
  }
  if (f.fixes.length) {
    out.push(c('  fix', 'bold'));
    const shown = verbose ? f.fixes : f.fixes.slice(0, 4);
    for (const x of shown) {
      out.push(...wrapWords(`[${x.side}, ${x.applies}] ${x.text.replace(/\s+/g, ' ').trim()}`, width, { indent: '    ', hanging: '      ' }));
      if (x.snippet) for (const l of x.snippet.split('\n')) out.push(c(`        ${l}`, 'cyan'));
    }
    if (shown.length < f.fixes.length) out.push(c(`    … ${f.fixes.length - shown.length} more (-v)`, 'dim'));
  }
  if (f.reproduce.length) {
    out.push(c('  reproduce', 'bold'));
    for (const cmd of f.reproduce) out.push(`    $ ${cmd}`);
  }
  return out;
}

function spacedHex(h: string, maxBytes: number): string {
  const bytes = h.slice(0, maxBytes * 2).match(/../g) ?? [];
  return bytes.join(' ');
}

function plural(n: number, w: string): string {
  return `${n} ${w}${n === 1 ? '' : 's'}`;
}

/**
 * Greedy word wrap of text with its own paragraphs (never inside a word).
 * @example wrap('one two three four', 9) // ['one two', 'three', 'four']
 */
export function wrap(text: string, width: number): string[] {
  return text.split('\n').flatMap((para) => wrapWords(para.replace(/\s+/g, ' ').trim(), Math.max(1, width)));
}

/**
 * The server's TLS surface as the TLS stage found it: always after --survey, with -v otherwise.
 * One line per version (accepted or not, its suites in server order), then groups, ALPN, SNI.
 */
function renderTlsSurface(r: Report, c: Paint, verbose: boolean): string[] {
  const out: string[] = [];
  for (const p of r.probes) {
    if (p.kind !== 'tls-stage' || !p.stage.surface) continue;
    if (p.stage.plan !== 'survey' && !verbose) continue;
    const s = p.stage.surface;
    out.push('', c(`TLS surface of ${p.address}  (${p.stage.plan}, ${p.stage.connections} connection${p.stage.connections === 1 ? '' : 's'})`, 'bold'));
    for (const v of s.versions) {
      const mark = v.accepted ? c('yes', 'green') : c('no ', 'dim');
      const detail = v.accepted
        ? [v.alpn !== undefined ? `ALPN ${v.alpn ?? 'none'}` : '', v.ciphers?.length ? `${v.ciphers.length} suite${v.ciphers.length === 1 ? '' : 's'}` : ''].filter(Boolean).join('  ·  ')
        : v.alert ?? '';
      out.push(`  ${v.version.padEnd(8)} ${mark}  ${detail}`);
      for (const name of v.ciphers ?? []) out.push(c(`             ${name}`, 'dim'));
    }
    if (s.serverCipherOrder !== undefined) out.push(`  cipher order: ${s.serverCipherOrder ? 'the server\'s' : "the client's"}`);
    if (s.groups?.length) out.push(`  groups: ${s.groups.join(' ')}`);
    if (s.alpn?.length) out.push(`  ALPN: ${s.alpn.map((a) => `[${a.offered.join(',')}] → ${a.chosen ?? 'none'}`).join('  ·  ')}`);
    if (s.noSni) out.push(`  without SNI: ${s.noSni}`);
    if (s.unknownName) out.push(`  unknown name: ${s.unknownName}`);
  }
  return out;
}

/**
 * The client-simulation table (--clients / --client): one line per client (and address when there
 * are several): TLS version, cipher, ALPN, then h2 / h2c / http/1.1 / http/1.1 fallback / fails and why.
 * With --client, the point of view first.
 */
function renderClients(r: Report, c: Paint, _verbose?: boolean): string[] {
  const out: string[] = [];
  const pov = r.pointOfView;
  if (pov) {
    out.push('', `${c('Point of view:', 'bold')} ${pov.name} ${pov.version} (${pov.policy.kind}${pov.policy.needsH2 ? ', needs HTTP/2' : ''})`);
    out.push(`  ${pov.reason}`);
    for (const a of pov.setAside) out.push(c(`  set aside: ${a.code}: ${a.why}`, 'dim'));
  }
  const rows = r.clients ?? [];
  if (!rows.length || (pov && rows.length === 1)) return out;
  const multi = new Set(rows.map((x) => x.address)).size > 1;
  const cells = rows.map((x) => [
    `${x.client}${multi ? ` @${x.address}` : ''}`,
    x.version,
    (x.tlsVersion ?? '').replace('TLSv', ''),
    (x.cipher ?? '').replace(/^TLS_/, ''),
    x.alpn === undefined ? '' : x.alpn ?? 'none',
    x.outcome,
    x.reason,
  ]);
  const head = ['client', 'version', 'TLS', 'cipher', 'ALPN', 'outcome', 'why'];
  const w = head.map((h, i) => (i === 6 ? 0 : Math.max(h.length, ...cells.map((x) => x[i]!.length))));
  const fmt = (x: string[]) => x.map((v, i) => (i === 6 ? v : v.padEnd(w[i]!))).join('  ').trimEnd();
  out.push('', c('Clients (each client\'s own hello, replayed)', 'bold'), c(`  ${fmt(head)}`, 'dim'));
  for (const [i, x] of cells.entries()) {
    const o = rows[i]!.outcome;
    const line = `  ${fmt(x)}`;
    out.push(o === 'fails' ? c(line, 'red') : o === 'http/1.1 fallback' ? c(line, 'yellow') : line);
  }
  return out;
}
