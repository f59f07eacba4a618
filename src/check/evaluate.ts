/**
 * Judges one check against the evidence the runner collected: a pure function, no I/O, no clock
 * (the evidence carries `now`).
 *
 * @example
 *   evaluateCheck(check, { negotiatedProtocol: 'http/1.1', alpn: ['http/1.1'], findings: [],
 *     statusByProtocol: {}, now: new Date() });
 *   // { passed: false, failures: [{ expectation: 'protocol', expected: 'h2', actual: 'http/1.1', … }], … }
 */
import { versionFromName } from '../wire/tls/registry.js';
import { classifyUpgradeProtocol, parseUpgrade } from '../wire/http/upgrade.js';
import { headerValues } from '../wire/http1/head.js';
import { SEVERITY_RANK, type Severity } from '../model/codes.js';
import type { CheckEvidence, Expectations, MaxSeverity, ObservedResponse, ResolvedCheck } from './types.js';
import type { CheckFailure, CheckResult } from '../model/check.js';

const DAY_MS = 86_400_000;

/** The lowest severity that fails each `maxSeverity`; null: nothing is tolerated. */
const FAILS_FROM: Record<MaxSeverity, Severity | null> = { ok: null, info: 'warning', warning: 'error' };

/** The part of a check `evaluateCheck` reads; a `ResolvedCheck` from the plan fits. */
export type EvaluableCheck = Pick<ResolvedCheck, 'name' | 'env' | 'url' | 'expect'> & { line?: number };

/**
 * Every expectation of `check` held against `evidence`; all failures are listed, not just the first.
 *
 * @example
 *   const r = evaluateCheck(planned, evidence);
 *   if (!r.passed) for (const f of r.failures) console.log(f.message);
 */
export function evaluateCheck(check: EvaluableCheck, evidence: CheckEvidence): CheckResult {
  const base = {
    name: check.name,
    env: check.env,
    url: check.url,
    durationMs: evidence.durationMs ?? 0,
    ...(check.line !== undefined ? { line: check.line } : {}),
  };
  if (evidence.error !== undefined) {
    return { ...base, passed: false, failures: [], error: evidence.error };
  }
  const failures = expectationFailures(check.expect, evidence);
  return { ...base, passed: failures.length === 0, failures };
}

/** Adds one failure: which expectation, what it wanted, what was seen, in one sentence. */
type Fail = (expectation: string, expected: string, actual: string, message: string) => void;

function expectationFailures(x: Expectations, ev: CheckEvidence): CheckFailure[] {
  const out: CheckFailure[] = [];
  const fail: Fail = (expectation, expected, actual, message) => {
    out.push({ expectation, expected, actual, message });
  };
  // One function per expectation, in the order failures are listed.
  for (const check of [checkProtocol, checkMinTls, checkAlpnIncludes, checkNoFindings, checkMaxSeverity, checkStatus, checkHttp1, checkWebsocket, checkCertValidDays]) check(x, ev, fail);
  return out;
}

/** `protocol`: what was negotiated, and what a client that verifies the certificate gets. */
function checkProtocol(x: Expectations, ev: CheckEvidence, fail: Fail): void {
  if (x.protocol !== undefined && ev.negotiatedProtocol !== x.protocol) {
    const actual = ev.negotiatedProtocol ?? 'none';
    fail('protocol', x.protocol, actual, `expected protocol ${x.protocol}, negotiated ${actual}`);
  } else if (x.protocol !== undefined && (x.protocol === 'h2' || x.protocol === 'http/1.1')) {
    // What a verifying client gets: with a certificate it refuses (expired, untrusted, wrong name…)
    // it gets no protocol at all, whatever our non-verifying probes negotiated.
    const cert = ev.findings.find((f) => f.severity === 'error' && String(f.code).startsWith('cert-'));
    if (cert) fail('protocol', x.protocol, `none (${cert.code})`, `expected protocol ${x.protocol}, but a client that verifies the certificate gets none: ${cert.code}`);
  }
}

/** `minTls`: the negotiated TLS version. */
function checkMinTls(x: Expectations, ev: CheckEvidence, fail: Fail): void {
  if (x.minTls !== undefined) {
    const actual = tlsNumber(ev.tlsVersion);
    if (actual === undefined) {
      fail('minTls', `>= TLS ${x.minTls}`, 'none', `expected TLS ${x.minTls} or newer, but no TLS was negotiated`);
    } else if (actual < Number(x.minTls)) {
      const shown = actual.toFixed(1);
      fail('minTls', `>= TLS ${x.minTls}`, `TLS ${shown}`, `expected TLS ${x.minTls} or newer, negotiated TLS ${shown}`);
    }
  }
}

/** `alpnIncludes`: what the server selected in ALPN. */
function checkAlpnIncludes(x: Expectations, ev: CheckEvidence, fail: Fail): void {
  if (x.alpnIncludes !== undefined) {
    const got = ev.alpn ?? [];
    const missing = x.alpnIncludes.filter((a) => !got.includes(a));
    if (missing.length > 0) {
      const actual = ev.alpn === null ? 'no ALPN' : got.length > 0 ? got.join(', ') : 'none';
      fail('alpnIncludes', x.alpnIncludes.join(', '), actual, `expected ALPN to include ${missing.join(', ')}, server selected ${actual}`);
    }
  }
}

/** `noFindings`: codes that must not be raised. */
function checkNoFindings(x: Expectations, ev: CheckEvidence, fail: Fail): void {
  if (x.noFindings !== undefined) {
    const banned = new Set<string>(x.noFindings);
    const hit = unique(ev.findings.map((f) => f.code).filter((c) => banned.has(c)));
    if (hit.length > 0) {
      fail('noFindings', `none of ${x.noFindings.join(', ')}`, hit.join(', '), `unexpected finding${hit.length > 1 ? 's' : ''}: ${hit.join(', ')}`);
    }
  }
}

/** `maxSeverity`: the worst severity tolerated. */
function checkMaxSeverity(x: Expectations, ev: CheckEvidence, fail: Fail): void {
  if (x.maxSeverity !== undefined) {
    const from = FAILS_FROM[x.maxSeverity];
    const over = ev.findings.filter((f) => from === null || SEVERITY_RANK[f.severity] <= SEVERITY_RANK[from]);
    if (over.length > 0) {
      const worst = over.reduce((a, b) => (SEVERITY_RANK[b.severity] < SEVERITY_RANK[a.severity] ? b : a));
      const codes = unique(over.map((f) => f.code));
      const expected = from === null ? 'no findings' : `nothing at ${from} or above`;
      fail('maxSeverity', expected, `${worst.severity}: ${codes.join(', ')}`, `expected ${expected}, found ${codes.map((c) => describeFinding(c, ev)).join(', ')}`);
    }
  }
}

/** `status`: the status each protocol got. */
function checkStatus(x: Expectations, ev: CheckEvidence, fail: Fail): void {
  for (const [proto, want] of Object.entries(x.status ?? {})) {
    if (want === undefined) continue;
    const got = ev.statusByProtocol[proto];
    if (!got) fail(`status.${proto}`, String(want), 'no response', `expected ${want} over ${proto}, got no ${proto} response`);
    else if (got.status !== want) fail(`status.${proto}`, String(want), String(got.status), `expected ${want} over ${proto}, got ${got.status}`);
  }
}

/** `http1`: a plain HTTP/1.1 request's status, Upgrade tokens and Problem Details. */
function checkHttp1(x: Expectations, ev: CheckEvidence, fail: Fail): void {
  if (x.http1 !== undefined) {
    const r = ev.statusByProtocol['http/1.1'];
    const h = x.http1;
    if (!r) {
      fail('http1', describeHttp1(h), 'no response', 'expected an HTTP/1.1 response, got none');
    } else {
      if (h.status !== undefined && r.status !== h.status) {
        fail('http1.status', String(h.status), String(r.status), `expected HTTP/1.1 status ${h.status}, got ${r.status}`);
      }
      if (h.upgradeIncludes !== undefined) {
        const upgrade = header(r, 'upgrade');
        if (!upgradeLists(upgrade, h.upgradeIncludes)) {
          const actual = upgrade === undefined ? 'no Upgrade header' : `Upgrade: ${upgrade}`;
          fail('http1.upgradeIncludes', h.upgradeIncludes, actual, `expected Upgrade to list ${h.upgradeIncludes}, got ${actual}`);
        }
      }
      if (h.problemDetails !== undefined) {
        const problem = problemDetailsProblem(r, h.problemDetails);
        if (problem) fail('http1.problemDetails', problem.expected, problem.actual, problem.message);
      }
    }
  }
}

/** `websocket`: the upgrade's status and subprotocol. */
function checkWebsocket(x: Expectations, ev: CheckEvidence, fail: Fail): void {
  if (x.websocket !== undefined) {
    const want = x.websocket.status ?? 101;
    const ws = ev.websocket;
    if (!ws && ev.websocketNotCollected !== undefined) {
      fail('websocket', `status ${want}`, 'not collected', `expected a WebSocket upgrade with status ${want}, but it was not collected: ${ev.websocketNotCollected}`);
    } else if (!ws) {
      fail('websocket', `status ${want}`, 'no upgrade attempted', 'expected a WebSocket upgrade, but none was attempted');
    } else {
      if (ws.status !== want) fail('websocket.status', String(want), String(ws.status), `expected WebSocket upgrade status ${want}, got ${ws.status}`);
      const sub = x.websocket.subprotocol;
      if (sub !== undefined && ws.subprotocol !== sub) {
        const actual = ws.subprotocol ? ws.subprotocol : 'none';
        fail('websocket.subprotocol', sub, actual, `expected WebSocket subprotocol ${sub}, server selected ${actual}`);
      }
    }
  }
}

/** `certValidDays`: days the certificate stays valid. */
function checkCertValidDays(x: Expectations, ev: CheckEvidence, fail: Fail): void {
  if (x.certValidDays !== undefined) {
    const validTo = ev.certValidTo === undefined ? NaN : Date.parse(ev.certValidTo);
    const wanted = `>= ${x.certValidDays} days`;
    if (Number.isNaN(validTo)) {
      fail('certValidDays', wanted, 'no certificate', `expected a certificate valid ${x.certValidDays} more days, saw no certificate`);
    } else {
      const left = (validTo - ev.now.getTime()) / DAY_MS;
      if (left < x.certValidDays) {
        const when = new Date(validTo).toISOString();
        const actual = left < 0 ? `expired ${formatDays(-left)} ago` : `${formatDays(left)} left`;
        fail('certValidDays', wanted, actual, `expected the certificate valid ${x.certValidDays} more days, it ${left < 0 ? 'expired' : 'expires'} ${when} (${actual})`);
      }
    }
  }
}

/** 'TLSv1.3' / '1.3' / 'TLS 1.3' → 1.3; Node's 'TLSv1' → 1.0 (the one version table, wire/tls/registry.ts). */
function tlsNumber(v: string | undefined): number | undefined {
  return versionFromName(v)?.number;
}

/** A response field's lines joined with ", " (RFC 9110 §5.3), or undefined when absent. */
export function header(r: ObservedResponse, name: string): string | undefined {
  const values = headerValues(r.headers, name);
  return values.length > 0 ? values.join(', ') : undefined;
}

function problemDetailsProblem(
  r: ObservedResponse,
  want: NonNullable<NonNullable<Expectations['http1']>['problemDetails']>,
): { expected: string; actual: string; message: string } | undefined {
  const members = (Object.keys(want) as Array<keyof typeof want>).filter((k) => want[k] === true);
  const expected = members.length > 0 ? `application/problem+json with ${members.join(', ')}` : 'application/problem+json';
  const type = header(r, 'content-type');
  const media = type?.split(';')[0]?.trim().toLowerCase();
  // RFC 9457 §3: the media type of a Problem Details JSON object.
  if (media !== 'application/problem+json') {
    const actual = type === undefined ? 'no Content-Type' : `Content-Type: ${type}`;
    return { expected, actual, message: `expected a Problem Details body (${expected}), got ${actual}` };
  }
  if (r.body === undefined) return { expected, actual: 'body not captured', message: 'expected a Problem Details body, but no body was captured' };
  let body: unknown;
  try {
    body = JSON.parse(r.body);
  } catch {
    return { expected, actual: 'invalid JSON', message: 'expected a Problem Details body, but the body is not valid JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { expected, actual: 'not a JSON object', message: 'expected a Problem Details body, but the body is not a JSON object' };
  }
  const obj = body as Record<string, unknown>;
  // RFC 9457 §3.1: status is a number; type, title, detail and instance are strings.
  const missing = members.filter((m) => (m === 'status' ? typeof obj[m] !== 'number' : typeof obj[m] !== 'string' || obj[m] === ''));
  if (missing.length > 0) {
    return { expected, actual: `missing ${missing.join(', ')}`, message: `expected Problem Details member${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, missing from the body` };
  }
  return undefined;
}

function describeHttp1(h: NonNullable<Expectations['http1']>): string {
  const parts: string[] = [];
  if (h.status !== undefined) parts.push(`status ${h.status}`);
  if (h.upgradeIncludes !== undefined) parts.push(`Upgrade: ${h.upgradeIncludes}`);
  if (h.problemDetails !== undefined) parts.push('Problem Details');
  return parts.join(', ') || 'a response';
}

function describeFinding(code: string, ev: CheckEvidence): string {
  const f = ev.findings.find((x) => x.code === code);
  return f ? `${code} (${f.severity})` : code;
}

function formatDays(d: number): string {
  return d >= 10 ? `${Math.floor(d)} days` : `${d.toFixed(1)} days`;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/**
 * Whether an `Upgrade` field lists `wanted`. Exact tokens match (case-insensitive); a generic HTTP/2
 * name (`h2`, `HTTP/2`, `HTTP/2.0`) also matches any spelling of HTTP/2 the server used (`h2`, `h2c`,
 * `HTTP/2`, `HTTP/2.0`: RFC 9110 §7.8 and the IANA registry spell it `HTTP/2.0`), since that is what
 * "a 426 whose Upgrade contains h2" means to the person writing the check. `h2c` stays exact.
 */
export function upgradeLists(field: string | undefined, wanted: string): boolean {
  if (field === undefined) return false;
  const listed = parseUpgrade(field).protocols;
  const w = wanted.trim().toLowerCase();
  if (listed.some((p) => p.raw.toLowerCase() === w)) return true;
  const [name, version] = w.split('/', 2) as [string, string | undefined];
  if (w === 'h2c' || classifyUpgradeProtocol(name, version) !== 'h2') return false;
  return listed.some((p) => p.family === 'h2');
}
