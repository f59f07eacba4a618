/**
 * Trace events as text, one event per line (plus indented lines for decoded headers, the
 * certificate and what is wrong). Formats only.
 *
 * @example
 * for (const e of result.events) process.stdout.write(renderEvent(e));
 */
import type { Problem, TraceEvent, TraceFinding } from '../model/trace.js';
import { fitLines, wrap } from './layout.js';
import { styler } from './style.js';

/**
 * How trace text is rendered: colour, and the width lines are fitted to.
 * @example renderEvent(e, { color: true, width: 100 })
 */
export interface RenderOptions {
  color?: boolean;
  /** Columns to fit each line to (never cutting a word); unbounded when left out. */
  width?: number;
}

const INDENT = ' '.repeat(14);

function problemLines(ps: Problem[] | undefined, color: boolean | undefined, width: number): string {
  if (!ps?.length) return '';
  const c = styler(color);
  const mark = { error: '✗', warning: '!', info: 'i' } as const;
  const style = { error: 'red', warning: 'yellow', info: 'cyan' } as const;
  return ps.map((p) => wrap(`${mark[p.level]} ${p.text}`, width, { indent: INDENT, hanging: `${INDENT}  ` }).map((l) => `${INDENT}${c(l.slice(INDENT.length), style[p.level])}\n`).join('')).join('');
}

/**
 * One event as text (ends with a newline).
 * @example for (const e of result.events) process.stdout.write(renderEvent(e));
 */
export function renderEvent(e: TraceEvent, o: RenderOptions = {}): string {
  const t = `${e.t.toFixed(2).padStart(9)} ms  `;
  const c = o.color;
  let line: string;
  let more = '';
  switch (e.kind) {
    case 'resolve':
      line = e.addresses.length ? `dns      ${e.host} → ${e.addresses.join(', ')} (${e.source})` : `dns      ${e.host}: ${e.error ?? 'no address'}`;
      break;
    case 'connect':
      line = e.ok ? `tcp      connected to ${e.address} port ${e.port}${e.localPort ? ` from port ${e.localPort}` : ''} in ${e.ms} ms` : `tcp      ${e.address} port ${e.port}: ${e.error}`;
      break;
    case 'tls-offer':
      line = `tls   →  ClientHello SNI ${e.sni ?? '(none)'}  ALPN ${e.alpn.join(',') || '(none)'}  versions ${e.versions.join(',')}`;
      more = `${INDENT}groups ${e.groups.join(',')}  key shares ${e.keyShares.join(',') || '(none)'}\n${INDENT}${e.ciphers.length} cipher suites: ${e.ciphers.slice(0, 6).join(', ')}${e.ciphers.length > 6 ? ', …' : ''}\n`;
      break;
    case 'tls':
      if (e.outcome === 'handshake') {
        line = `tls   ←  ${e.version ?? '?'} ${e.cipher ?? '?'}  group ${e.group ?? '?'}  ALPN ${e.alpn ?? '(none)'}  SNI ${e.sni ?? '(none)'}${e.ms !== undefined ? `  (${e.ms} ms)` : ''}`;
        if (e.cert) {
          more += `${INDENT}certificate ${e.cert.subject}  issuer ${e.cert.issuer}\n`;
          more += `${INDENT}valid ${e.cert.validFrom} → ${e.cert.validTo}  names ${e.cert.altNames.join(', ') || '(none)'}  ${e.verified ? 'verified' : `NOT verified: ${e.verifyError ?? ''}`}\n`;
        }
      } else {
        line = `tls   ←  handshake ${e.outcome}${e.alert ? `: alert ${e.alert}` : ''}${e.error ? `  (${e.error})` : ''}`;
      }
      break;
    case 'http1':
      line = `http1 ${e.dir === 'out' ? '→' : '←'}  ${e.line}`;
      more = e.headers.map(([k, v]) => `${INDENT}  ${k}: ${v}\n`).join('');
      break;
    case 'preface':
      line = 'h2    →  preface "PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n"';
      break;
    case 'frame': {
      const arrow = e.dir === 'out' ? '→' : '←';
      const flags = e.flagNames.length ? ` [${e.flagNames.join(' ')}]` : '';
      line = `h2    ${arrow}  ${e.typeName.padEnd(13)} stream ${String(e.streamId).padEnd(3)} len ${String(e.length).padEnd(5)}${flags}${e.detail ? `  ${e.detail}` : ''}`;
      if (e.headers) more = e.headers.map(([k, v]) => `${INDENT}  ${k}: ${v}\n`).join('');
      break;
    }
    case 'bytes':
      line = `bytes ${e.dir === 'out' ? '→' : '←'}  ${e.length} bytes: ${e.summary}`;
      more = `${INDENT}"${e.text}${e.length > 200 ? '…' : ''}"\n`;
      break;
    case 'ws':
      line = `ws    ${e.dir === 'out' ? '→' : '←'}  ${e.opcode.padEnd(13)} ${e.fin ? 'FIN' : '   '} len ${String(e.length).padEnd(5)}${e.detail ? `  ${e.detail}` : ''}`;
      break;
    case 'note':
      line = 'note';
      break;
    case 'close':
      line = `close    ${e.by}: ${e.detail}`;
      break;
  }
  const width = o.width ?? Infinity;
  // The event's text continues under itself (after the time and the "tls   ←  " column).
  const first = wrap(line, width, { indent: t, hanging: ' '.repeat(t.length + 9) }).join('\n');
  const rest = more ? fitLines(more.replace(/\n$/, '').split('\n'), width).join('\n') + '\n' : '';
  return `${first}\n${rest}${problemLines(e.problems, c, width)}`;
}

/**
 * Every event, then a one-line verdict (and the findings, when given).
 * @example renderTrace(result.events, {}, result.findings)
 */
export function renderTrace(events: readonly TraceEvent[], o: RenderOptions = {}, findings?: readonly TraceFinding[]): string {
  return events.map((e) => renderEvent(e, o)).join('') + renderSummary(events, findings);
}

/**
 * "2 problems: …" or "no problem seen", then the findings of the diagnosis rules, one a line.
 * @example renderSummary([], []) // '\n0 frame(s); no problem seen\n'
 */
export function renderSummary(events: readonly TraceEvent[], findings: readonly TraceFinding[] = []): string {
  const errors = events.flatMap((e) => (e.problems ?? []).filter((p) => p.level === 'error'));
  const frames = events.filter((e) => e.kind === 'frame' || e.kind === 'ws').length;
  const head = errors.length ? `\n${frames} frame(s); ${errors.length} problem(s), first: ${errors[0]!.text}\n` : `\n${frames} frame(s); no problem seen\n`;
  const lines = findings.map((f) => `  ${f.severity.padEnd(7)} ${f.code}  ${f.title}\n`).join('');
  return findings.length ? `${head}findings (as h2doctor diagnose names them):\n${lines}` : head;
}
