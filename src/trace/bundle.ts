/**
 * `--bundle FILE`: the diagnosis report, the trace and the environment in one JSON file, with
 * secrets removed, for attaching to a bug report.
 *
 * @example
 * writeFileSync('bundle.json', buildBundle({ argv, trace, report, environment }));
 */
import type { Report } from '../model/index.js';
import { VERSION } from '../version.js';
import type { Environment } from './environment.js';
import { REDACTED, Redactor, isKeylogLine } from './redact.js';
import { renderTrace } from '../report/trace.js';
import type { TraceResult } from './types.js';
import type { TraceEvent } from '../model/trace.js';

export interface BundleInput {
  /** The command line as typed (after `h2doctor`). */
  argv: string[];
  trace: TraceResult;
  report?: Report;
  reportError?: string;
  environment: Environment;
  /** Values known to be secret beyond what the rules find (e.g. from the caller's own knowledge). */
  secrets?: string[];
}

/** Flags whose next argument is a request header, a body, or a URL. */
const HEADER_FLAGS = new Set(['-H', '--header']);
const DATA_FLAGS = new Set(['--data', '-d']);

/**
 * The bundle as JSON text, redacted. The key log is never included; the trace's request body
 * preview is replaced by its length.
 */
export function buildBundle(input: BundleInput): string {
  const r = new Redactor();
  for (const s of input.secrets ?? []) r.add(s);

  const argv = input.argv.map((a, i, all) => {
    const prev = all[i - 1] ?? '';
    if (HEADER_FLAGS.has(prev)) {
      const at = a.indexOf(':');
      if (at > 0) {
        const [k, v] = r.header(a.slice(0, at).trim(), a.slice(at + 1).trim());
        return `${k}: ${v}`;
      }
    }
    if (DATA_FLAGS.has(prev)) {
      r.add(a);
      return `[request body redacted: ${a.length} characters]`;
    }
    if (/^--(header|data)=/.test(a)) return a.replace(/=.*$/, `=${REDACTED}`);
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(a) ? r.url(a) : a;
  });

  const events = input.trace.events.map((e) => redactEvent(e, r));
  const env: Environment = {
    ...input.environment,
    proxyVariables: Object.fromEntries(Object.entries(input.environment.proxyVariables).map(([k, v]) => [k, /:\/\//.test(v) ? r.url(v) : v])),
  };
  const report = input.report ? (walk(input.report, r) as Report) : undefined;
  const bundle = {
    bundleVersion: 1,
    createdAt: new Date().toISOString(),
    tool: { name: 'h2doctor', version: VERSION },
    command: argv,
    url: r.url(input.trace.url),
    environment: env,
    ...(report ? { report } : {}),
    ...(input.reportError ? { reportError: input.reportError } : {}),
    trace: { events, text: renderTrace(events) },
    redaction: {
      note: 'Credentials in headers (Authorization, Cookie, Set-Cookie, Proxy-Authorization, token-like names), URL userinfo and token-like query values, the request body and all TLS key material were removed; each removed value reads [redacted] wherever it appeared.',
      keylogLinesRemoved: input.trace.keylog.length,
    },
  };
  let text = JSON.stringify(bundle, null, 2);
  text = r.text(text);
  // Belt and braces: no key log line survives, whatever carried it.
  text = text
    .split('\n')
    .map((l) => (isKeylogLine(l.replace(/^[\s"]+|[",\s]+$/g, '')) ? l.replace(/[0-9a-fA-F]{32,}/g, REDACTED) : l))
    .join('\n');
  for (const line of input.trace.keylog) for (const hex of line.split(' ').slice(1)) if (hex.length >= 16) text = text.split(hex).join(REDACTED);
  return `${text}\n`;
}

function redactEvent(e: TraceEvent, r: Redactor): TraceEvent {
  const copy = walk(e, r) as TraceEvent;
  // Our own request body: its length is enough for a bug report.
  if (copy.kind === 'frame' && copy.dir === 'out' && copy.typeName === 'DATA') {
    copy.preview = `[request body redacted: ${copy.length} bytes]`;
    copy.detail = `${copy.length} bytes [request body redacted]`;
  }
  return copy;
}

/** A deep copy with header lists and URLs redacted (and secrets collected for the text pass). */
function walk(v: unknown, r: Redactor): unknown {
  if (typeof v === 'string') return /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(v) ? r.url(v) : v;
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((x) => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string')) {
      return r.headers(v as Array<[string, string]>);
    }
    return v.map((x) => walk(x, r));
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // An excerpt of raw bytes ({ hex, ascii, … }): redact the bytes themselves, then both views.
    if (typeof o.hex === 'string' && /^[0-9a-f]*$/i.test(o.hex) && (typeof o.ascii === 'string' || typeof o.text === 'string')) {
      const clean = r.wire(Buffer.from(o.hex, 'hex').toString('latin1'));
      const bytes = Buffer.from(clean, 'latin1');
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) out[k] = walk(x, r);
      out.hex = bytes.toString('hex');
      if (typeof o.ascii === 'string') out.ascii = [...bytes].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
      if (typeof o.text === 'string') out.text = r.wire(o.text.replace(/\\r\\n/g, '\r\n')).replace(/\r\n/g, '\\r\\n');
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, r);
    return out;
  }
  return v;
}
