/**
 * `h2doctor init <url>`: a starter checks file whose expectations are what the endpoint does now,
 * each with a comment saying what was seen, so a team edits it down to what it requires.
 * The text always parses with `parseChecksFile` (the command verifies it before writing).
 *
 * @example
 *   const report = await diagnose('https://api.example.com/health');
 *   writeFileSync('checks.yaml', starterChecksFile(report, { now: new Date() }));
 */
import { SEVERITY_RANK, type Severity } from '../model/codes.js';
import type { Report } from '../model/index.js';
import { evidenceFromReport } from './run.js';
import { header } from './evaluate.js';
import type { CheckEvidence, ObservedResponse } from './types.js';

export interface StarterOptions {
  /** The environment's name in the file (default 'default'). */
  envName?: string;
  /** curl-style pins the diagnosis used, written into the environment. */
  resolve?: string[];
  /** The CA file the diagnosis used, as the checks file should name it (relative to the file). */
  cacert?: string;
  /** The file's name, for the "run it with" comment. */
  fileName?: string;
  now: Date;
}

const DAY_MS = 86_400_000;

/**
 * The starter file's text.
 *
 * @example
 *   starterChecksFile(report, { now: new Date(), fileName: 'checks.yaml' });
 *   // '# h2doctor checks … version: 1 … checks:\n  - name: "localhost:8443/" …'
 */
export function starterChecksFile(report: Report, o: StarterOptions): string {
  // Asking for WebSocket evidence reads it when a WebSocket probe ran (ws:// and wss:// targets).
  const ev = evidenceFromReport(report, { expect: { websocket: {} } }, o.now);
  return [...starterHead(report, o), ...starterExpectations(report, ev, o)].join('\n') + '\n';
}

/** The file's comment, its environment and the check's name and URL, up to `expect:`. */
function starterHead(report: Report, o: StarterOptions): string[] {
  const envName = o.envName ?? 'default';
  const u = new URL(report.target.url);
  const out: string[] = [];
  const q = (s: string) => JSON.stringify(s);
  const fileName = o.fileName ?? 'checks.yaml';

  out.push(`# h2doctor checks for ${report.target.url}`);
  out.push(`# Written by \`h2doctor init\` on ${o.now.toISOString()}: what the endpoint did then, as expectations.`);
  out.push('# Keep what you require, delete the rest, add checks for other endpoints; the format is');
  out.push('# docs/checks.md (JSON Schema: docs/checks.schema.json). Run it with:');
  out.push(`#   h2doctor check ${fileName} --env ${envName}`);
  out.push('version: 1');
  out.push('');
  out.push('environments:');
  out.push(`  ${yamlKey(envName)}:`);
  out.push(`    baseUrl: ${q(u.origin)}`);
  if (o.resolve?.length) out.push(`    resolve: [${o.resolve.map(q).join(', ')}]`);
  if (o.cacert !== undefined) out.push(`    cacert: ${q(o.cacert)}`);
  out.push('');
  out.push('checks:');
  out.push(`  - name: ${q(`${u.host}${u.pathname}`)}`);
  out.push(`    url: ${q(u.pathname + u.search)}`);
  out.push('    expect:');
  return out;
}

/** The expectations, each from what the endpoint did now (a failing one commented out, saying so). */
function starterExpectations(report: Report, ev: CheckEvidence, o: StarterOptions): string[] {
  const q = (s: string) => JSON.stringify(s);
  const x: string[] = [];
  const add = (line: string, note?: string) => x.push(`      ${line}${note ? `  # ${note}` : ''}`);
  const comment = (line: string) => x.push(`      # ${line}`);
  let active = 0;
  const expect = (line: string, note?: string) => {
    add(line, note);
    active++;
  };

  const healthy = report.target.tls ? 'h2' : 'h2c';
  if (ev.negotiatedProtocol === 'h2' || ev.negotiatedProtocol === 'h2c') {
    const via = ev.tlsVersion ? ` over ${ev.tlsVersion}` : '';
    expect(`protocol: ${ev.negotiatedProtocol}`, `negotiated now${via}`);
  } else if (ev.negotiatedProtocol !== null) {
    // HTTP/2 fails now: the file expects what a healthy endpoint gives, never the failure.
    const codes = report.findings.filter((f) => f.severity === 'error').map((f) => f.code);
    expect(`protocol: ${healthy}`, `what a healthy endpoint gives; fails now: ${ev.negotiatedProtocol} is negotiated${codes.length ? ` (${codes.join(', ')})` : ''}`);
  }
  const tls = tlsNumber(ev.tlsVersion);
  if (tls !== undefined) expect(`minTls: "${tls}"`, `TLS ${tls} now; lower it if older clients must still connect`);
  if (ev.alpn !== null && ev.alpn.length > 0) expect(`alpnIncludes: [${ev.alpn.map(q).join(', ')}]`, 'the ALPN values the server selected');
  else if (ev.alpn === null) comment('alpnIncludes: [h2]  # fails now: the server sends no ALPN');

  const statuses = Object.entries(ev.statusByProtocol).filter((e): e is [string, ObservedResponse] => e[1] !== undefined);
  if (statuses.length > 0) {
    expect(`status: { ${statuses.map(([p, r]) => `${p}: ${r.status}`).join(', ')} }`, 'the status of a GET over each protocol');
  }
  const h1 = ev.statusByProtocol['http/1.1'];
  if (h1) {
    const upgrade = header(h1, 'upgrade');
    if (h1.status === 426 || upgrade !== undefined) {
      x.push('      http1:');
      x.push(`        status: ${h1.status}`);
      active++;
      const token = upgrade?.split(',')[0]?.trim();
      if (token) x.push(`        upgradeIncludes: ${q(token)}`);
      const members = problemMembers(h1);
      if (members.length > 0) x.push(`        problemDetails: { ${members.map((m) => `${m}: true`).join(', ')} }`);
    }
  }

  if (ev.websocket !== undefined) {
    const sub = ev.websocket.subprotocol ? `, subprotocol: ${q(ev.websocket.subprotocol)}` : '';
    expect(`websocket: { status: ${ev.websocket.status}${sub} }`, 'the WebSocket upgrade now');
  }

  const worst = worstSeverity(ev.findings.map((f) => f.severity as Severity));
  if (worst === undefined) expect('maxSeverity: ok', 'no finding now');
  else if (worst === 'info' || worst === 'warning') expect(`maxSeverity: ${worst}`, `the worst finding now is ${worst}`);
  else comment(`maxSeverity: warning  # fails now: error findings`);
  for (const f of report.findings) comment(`now: ${f.code} (${f.severity}): ${oneLine(f.title)}`);
  comment('noFindings: [cert-expired, alpn-no-h2]  # codes that must never appear (docs/codes.md)');

  if (ev.certValidTo !== undefined) {
    const left = Math.floor((Date.parse(ev.certValidTo) - o.now.getTime()) / DAY_MS);
    const when = Number.isNaN(left) ? ev.certValidTo : new Date(Date.parse(ev.certValidTo)).toISOString().slice(0, 10);
    if (left >= 1) expect(`certValidDays: ${Math.min(14, left)}`, `the certificate expires ${when} (${left} days left)`);
    else comment(`certValidDays: 14  # fails now: the certificate expires ${when}`);
  }

  if (active === 0) {
    // Nothing works now: start from the expectation everyone has, and say it fails.
    add(`protocol: ${healthy}`, `fails now: ${report.findings.map((f) => f.code).join(', ') || 'no protocol was negotiated'}`);
  }
  return x;
}

function yamlKey(s: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(s) ? s : JSON.stringify(s);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function tlsNumber(v: string | undefined): string | undefined {
  const m = v === undefined ? null : /(\d)\.(\d)/.exec(v);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

function worstSeverity(list: Severity[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const s of list) if (worst === undefined || SEVERITY_RANK[s] < SEVERITY_RANK[worst]) worst = s;
  return worst;
}

/** The Problem Details members the body carries now (RFC 9457 §3.1), when it is one. */
function problemMembers(r: ObservedResponse): string[] {
  const type = header(r, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/problem+json' || r.body === undefined) return [];
  try {
    const body = JSON.parse(r.body) as Record<string, unknown>;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
    return ['type', 'title', 'status', 'detail', 'instance'].filter((m) =>
      m === 'status' ? typeof body[m] === 'number' : typeof body[m] === 'string' && body[m] !== '',
    );
  } catch {
    return [];
  }
}
