/**
 * The runner of `h2doctor check`: each planned check becomes one `diagnose()` with the
 * environment's pins, CA and proxy; its `Report` becomes `CheckEvidence`; `evaluateCheck` judges it.
 * Checks run concurrently under a bound, and each is bounded in time, so a run is too:
 * at most ceil(checks / concurrency) × the per-check deadline.
 *
 * @example
 *   const ca = await loadCa(plan.environment, dirname(file));
 *   if (!ca.ok) exitWith(ca.error);
 *   const results = await runChecks(plan, { ca: ca.pem, concurrency: 4 });
 */
import { CODES } from '../model/codes.js';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { diagnose as realDiagnose, DEFAULTS, type DiagnoseOptions } from '../diagnose.js';
import type { ResolvePin as TargetPin } from '../model/target.js';
import type { Http1Result, Http2Result, Probe, Report, TlsResult } from '../model/index.js';
import { limiter } from '../util/limit.js';
import { evaluateCheck } from './evaluate.js';
import type {
  CheckEvidence,
  CheckPlan,
  CheckProtocol,
  CheckResult,
  ChecksFileError,
  ObservedResponse,
  ResolvePin,
  ResolvedCheck,
  ResolvedEnvironment,
} from './types.js';

export const RUN_DEFAULTS = { concurrency: 4, timeoutMs: DEFAULTS.timeoutMs } as const;

/** One check may take this many per-probe deadlines (DNS, connect, the probe waves, the stages). */
const CHECK_DEADLINE_FACTOR = 6;

export interface RunChecksOptions {
  /** PEM text of the environment's `cacert`, already read (`loadCa`). */
  ca?: string;
  /**
   * The connection options the command line and the environment's flags make (src/cli/connect.ts
   * `connectionOptions`: CA, client certificate, --connect-to, -k, -4/-6, -A, proxy, --max-time…),
   * for every check. Its `resolve`, `ca` and `proxy`, when set, replace the environment's.
   */
  connection?: DiagnoseOptions;
  /** Checks at once (default 4). */
  concurrency?: number;
  /** Per-probe deadline handed to `diagnose` (default 3000 ms). */
  timeoutMs?: number;
  /** Longest one check may take, ms (default 6 × timeoutMs); past it the check errors. */
  checkDeadlineMs?: number;
  /** Proxy variables (HTTPS_PROXY…) when the environment names no proxy. Default: none consulted. */
  processEnv?: Record<string, string | undefined>;
  /** The clock, for certificate days (default: now). */
  now?: () => Date;
  /** Called as each check finishes (progress). */
  onResult?: (r: CheckResult) => void;
  /** Replaces `diagnose` (tests). */
  diagnose?: (url: string, options: DiagnoseOptions) => Promise<Report>;
}

/**
 * Reads the environment's `cacert` (relative to the checks file's folder). An unreadable file or
 * one without a certificate is a checks-file error at the `cacert` line: reported before any connection.
 *
 * @example
 *   await loadCa({ name: 'lab', resolve: [], cacert: 'ca.pem', cacertLine: 4 }, '/repo/examples', 'lab.yaml');
 *   // { ok: true, pem: '-----BEGIN CERTIFICATE-----…' }
 */
export async function loadCa(
  env: ResolvedEnvironment,
  checksDir: string,
  fileName: string,
): Promise<{ ok: true; pem?: string; path?: string } | { ok: false; error: ChecksFileError }> {
  if (env.cacert === undefined) return { ok: true };
  const path = isAbsolute(env.cacert) ? env.cacert : resolvePath(checksDir, env.cacert);
  const at = (message: string): { ok: false; error: ChecksFileError } => ({
    ok: false,
    error: { file: fileName, line: env.cacertLine ?? 1, column: 1, message },
  });
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (e) {
    return at(`cacert: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) return at(`cacert: ${path} holds no PEM certificate`);
  return { ok: true, pem, path };
}

/**
 * Runs every check of the plan; results come back in the plan's order.
 *
 * @example
 *   const results = await runChecks(plan, { concurrency: 8, timeoutMs: 2000 });
 *   const failed = results.filter((r) => !r.passed).length;
 */
export async function runChecks(plan: CheckPlan, opts: RunChecksOptions = {}): Promise<CheckResult[]> {
  const run = limiter(Math.max(1, opts.concurrency ?? RUN_DEFAULTS.concurrency));
  return Promise.all(
    plan.checks.map((check) =>
      run(async () => {
        const r = await runOne(check, plan.environment, opts);
        opts.onResult?.(r);
        return r;
      }),
    ),
  );
}

/** The diagnosis options one check asks for. */
export function diagnoseOptionsFor(check: ResolvedCheck, env: ResolvedEnvironment, opts: RunChecksOptions): DiagnoseOptions {
  // The run's deadline is per check (its `maxTimeMs`), never one absolute time for the whole run.
  const { deadline: _runDeadline, env: _env, ...base } = opts.connection ?? {};
  const o: DiagnoseOptions = {
    ...base,
    timeoutMs: opts.timeoutMs ?? base.timeoutMs ?? RUN_DEFAULTS.timeoutMs,
    resolve: base.resolve ?? targetPins(env.resolve),
    env: opts.processEnv ?? {},
  };
  if (o.ca === undefined && opts.ca !== undefined) o.ca = opts.ca;
  if (!('proxy' in base) && env.proxy !== undefined) o.proxy = env.proxy;
  if (check.method !== 'GET') o.method = check.method;
  const headers = Object.entries(check.headers);
  if (headers.length > 0) o.headers = headers;
  const ws = check.expect.websocket;
  if (ws !== undefined) {
    const u = new URL(check.url);
    // ws:// and wss:// targets test their own path; for http(s) the check's path is the socket's.
    if (u.protocol === 'http:' || u.protocol === 'https:') o.websocket = u.pathname + u.search;
    if (ws.subprotocol !== undefined) o.wsProtocols = [ws.subprotocol];
  }
  return o;
}

async function runOne(check: ResolvedCheck, env: ResolvedEnvironment, opts: RunChecksOptions): Promise<CheckResult> {
  const now = opts.now ?? (() => new Date());
  const t0 = performance.now();
  const timeoutMs = opts.timeoutMs ?? RUN_DEFAULTS.timeoutMs;
  // --max-time bounds the diagnosis itself; the runner's own deadline is a backstop just past it.
  const maxTime = opts.connection?.maxTimeMs;
  const deadline = opts.checkDeadlineMs ?? (maxTime !== undefined ? maxTime + 1000 : timeoutMs * CHECK_DEADLINE_FACTOR);
  const diagnose = opts.diagnose ?? realDiagnose;
  let evidence: CheckEvidence;
  let timer: NodeJS.Timeout | undefined;
  try {
    const report = await Promise.race([
      diagnose(check.url, diagnoseOptionsFor(check, env, opts)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeadlineError(deadline)), deadline);
      }),
    ]);
    evidence = evidenceFromReport(report, check, now());
    // Nothing could be connected to: one error with its root cause, not every expectation failing.
    const root = report.negotiated.protocol === null ? report.findings.find((f) => f.severity === 'error' && (CODES[f.code].family === 'dns' || CODES[f.code].family === 'transport')) : undefined;
    if (root) evidence.error = `could not connect: ${root.code}: ${root.title}`;
  } catch (e) {
    const message = e instanceof DeadlineError ? e.message : `diagnosis failed: ${e instanceof Error ? e.message : String(e)}`;
    evidence = { negotiatedProtocol: null, alpn: null, findings: [], statusByProtocol: {}, now: now(), error: message };
  } finally {
    if (timer) clearTimeout(timer);
  }
  evidence.durationMs = Math.round(performance.now() - t0);
  return evaluateCheck(check, evidence);
}

class DeadlineError extends Error {
  constructor(ms: number) {
    super(`no result within ${ms} ms (the per-check deadline; raise --timeout to allow more)`);
  }
}

/** The checks file's pins (one address each) as `diagnose` takes them (addresses grouped per host:port). */
export function targetPins(pins: readonly ResolvePin[]): TargetPin[] {
  const byKey = new Map<string, TargetPin>();
  for (const p of pins) {
    const host = p.host.toLowerCase();
    const key = `${host}:${p.port}`;
    const have = byKey.get(key);
    if (have) {
      if (!have.addresses.includes(p.address)) have.addresses.push(p.address);
    } else {
      byKey.set(key, { host, port: p.port, addresses: [p.address], raw: '' });
    }
  }
  const out = [...byKey.values()];
  for (const p of out) {
    const h = p.host.includes(':') ? `[${p.host}]` : p.host;
    p.raw = `${h}:${p.port}:${p.addresses.map((a) => (a.includes(':') ? `[${a}]` : a)).join(',')}`;
  }
  return out;
}

/** Why a WebSocket expectation has no evidence when no probe of the upgrade family recorded one. */
export const WEBSOCKET_NOT_COLLECTED = 'no WebSocket upgrade probe ran in this diagnosis (this h2doctor build records none yet)';

/**
 * What a check needs from a finished report: a pure mapping, no I/O.
 *
 * @example
 *   evidenceFromReport(report, check, new Date()).statusByProtocol['h2']?.status; // 200
 */
export function evidenceFromReport(report: Report, check: Pick<ResolvedCheck, 'expect'>, now: Date): CheckEvidence {
  const probes = report.probes;
  const ev: CheckEvidence = {
    negotiatedProtocol: report.negotiated.protocol,
    alpn: selectedAlpn(probes),
    findings: report.findings.map((f) => ({ code: f.code, severity: f.severity })),
    statusByProtocol: report.matrix?.length ? statusFromMatrix(report) : statusByProtocol(probes),
    now,
  };
  const tlsVersion = report.negotiated.tlsVersion ?? tlsOf(probes.find((p) => 'name' in p && p.name === 'tls-default'))?.version;
  if (tlsVersion !== undefined) ev.tlsVersion = tlsVersion;
  // The report's certificate section (the chain as served to the default handshake) first.
  const cert = report.certificates?.find((c) => c.chain[0]?.notAfter)?.chain[0]?.notAfter ?? certValidTo(probes);
  if (cert !== undefined) ev.certValidTo = cert;
  const h1 = ev.statusByProtocol['http/1.1'];
  const body = h1?.status === 426 ? fullBody426(probes) : undefined;
  if (h1 && body !== undefined) h1.body = body;
  if (check.expect.websocket !== undefined) {
    const { ws, why } = websocketEvidence(probes);
    if (ws) ev.websocket = ws;
    else ev.websocketNotCollected = why ?? WEBSOCKET_NOT_COLLECTED;
  }
  return ev;
}

function tlsOf(p: Probe | undefined): TlsResult | undefined {
  if (!p || !('tls' in p)) return undefined;
  const t = (p as { tls?: unknown }).tls;
  return typeof t === 'object' && t !== null && 'outcome' in t ? (t as TlsResult) : undefined;
}

/** Every ALPN value the server selected across the TLS handshakes; null when it answered none with ALPN. */
function selectedAlpn(probes: readonly Probe[]): string[] | null {
  const seen: string[] = [];
  let handshakes = 0;
  for (const p of probes) {
    const t = tlsOf(p);
    if (!t || t.outcome !== 'handshake') continue;
    handshakes++;
    if (typeof t.alpn === 'string' && !seen.includes(t.alpn)) seen.push(t.alpn);
  }
  return seen.length === 0 && handshakes > 0 ? null : seen;
}

function certValidTo(probes: readonly Probe[]): string | undefined {
  const first = tlsOf(probes.find((p) => 'name' in p && p.name === 'tls-default'))?.cert?.validTo;
  if (first !== undefined) return first;
  for (const p of probes) {
    const v = tlsOf(p)?.cert?.validTo;
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * The response each protocol got, as the diagnosis's protocol matrix names it (which probe answered
 * HTTP/1.1 and HTTP/2 on each address: the same choice the report shows), with that probe's full
 * headers and body. Over TLS an HTTP/2 row is h2, over cleartext h2c; with several addresses, the
 * first that answered.
 */
function statusFromMatrix(report: Report): Partial<Record<CheckProtocol, ObservedResponse>> {
  const out: Partial<Record<CheckProtocol, ObservedResponse>> = {};
  const byId = new Map(report.probes.map((p) => [p.id, p]));
  for (const row of report.matrix ?? []) {
    const proto: CheckProtocol | undefined = row.protocol === 'HTTP/1.1' ? 'http/1.1' : row.protocol === 'HTTP/2' ? (row.via === 'tls' ? 'h2' : 'h2c') : undefined;
    if (proto === undefined || out[proto] !== undefined || row.status === undefined) continue;
    const p = byId.get(row.probe);
    const r = p?.kind === 'h1' ? fromH1(p.h1) : p && 'h2' in p && p.h2 ? fromH2(p.h2 as Http2Result) : undefined;
    if (r) out[proto] = r;
  }
  return out;
}

/**
 * The response each protocol got, from the core probes (a report without a protocol matrix): over TLS, `h1-tls` is http/1.1 and
 * `h2-tls` is h2; over cleartext, `h1-cleartext` is http/1.1 and h2c comes from prior knowledge or,
 * failing that, the `Upgrade: h2c` exchange. With several addresses, the first that answered.
 */
function statusByProtocol(probes: readonly Probe[]): Partial<Record<CheckProtocol, ObservedResponse>> {
  const out: Partial<Record<CheckProtocol, ObservedResponse>> = {};
  const put = (proto: CheckProtocol, r: ObservedResponse | undefined) => {
    if (r && out[proto] === undefined) out[proto] = r;
  };
  for (const p of probes) {
    if (p.kind === 'h1' && (p.name === 'h1-tls' || p.name === 'h1-cleartext')) put('http/1.1', fromH1(p.h1));
    else if (p.kind === 'h2' && p.name === 'h2-tls') put('h2', fromH2(p.h2));
    else if (p.kind === 'h2' && p.name === 'h2c-prior-knowledge') put('h2c', fromH2(p.h2));
  }
  for (const p of probes) if (p.kind === 'h2c-upgrade' && p.h2) put('h2c', fromH2(p.h2));
  return out;
}

function fromH1(h: Http1Result): ObservedResponse | undefined {
  if (h.outcome !== 'response' || h.status === undefined) return undefined;
  return { status: h.status, headers: h.headers ?? [], ...(h.bodyPreview !== undefined ? { body: h.bodyPreview } : {}) };
}

function fromH2(h: Http2Result): ObservedResponse | undefined {
  if (h.outcome !== 'response' || h.status === undefined) return undefined;
  return { status: h.status, headers: h.headers ?? [] };
}

/**
 * A WebSocket upgrade's answer, from the upgrade family's probes (read by shape, so this keeps
 * working as their records grow): the RFC 6455 handshake (`kind: 'websocket'`) first, else any
 * probe whose kind or name speaks of WebSocket, holding an HTTP response (status, headers).
 * Without one, why not: no such probe ran, or it got no response.
 */
function websocketEvidence(probes: readonly Probe[]): { ws?: NonNullable<CheckEvidence['websocket']>; why?: string } {
  const tagOf = (p: Probe) => `${(p as { kind: string }).kind} ${'name' in p ? String(p.name) : ''}`.toLowerCase();
  const h1Upgrades = probes.filter((p) => (p as { kind: string }).kind === 'websocket');
  const others = probes.filter((p) => !h1Upgrades.includes(p) && /websocket|\bws\b|ws-/.test(tagOf(p)));
  for (const p of [...h1Upgrades, ...others]) {
    const res = findResponse(p);
    if (!res) continue;
    const sub = res.headers.find(([k]) => k.toLowerCase() === 'sec-websocket-protocol')?.[1]?.trim() ?? null;
    return { ws: { status: res.status, subprotocol: sub } };
  }
  const tried = h1Upgrades[0] ?? others[0];
  if (tried) {
    const outcome = (tried as { h1?: { outcome?: string } }).h1?.outcome ?? (tried.connect.ok ? 'no response' : tried.connect.message);
    return { why: `the WebSocket upgrade got no HTTP response (${outcome})` };
  }
  return { why: WEBSOCKET_NOT_COLLECTED };
}

/**
 * The whole body of a 426 when the upgrade family re-read it (`h1-request` / `body-426`): the core
 * probes keep only a preview, too short for a long Problem Details document.
 */
function fullBody426(probes: readonly Probe[]): string | undefined {
  for (const p of probes) if (p.kind === 'h1-request' && p.name === 'body-426' && p.body !== undefined) return p.body;
  return undefined;
}

/** The first `{ status: number, headers: [name, value][] }` inside a probe record (depth-bounded). */
function findResponse(x: unknown, depth = 0): { status: number; headers: Array<[string, string]> } | undefined {
  if (typeof x !== 'object' || x === null || depth > 3) return undefined;
  const o = x as Record<string, unknown>;
  if (typeof o.status === 'number' && Array.isArray(o.headers)) {
    return { status: o.status, headers: (o.headers as unknown[]).filter((h): h is [string, string] => Array.isArray(h) && h.length === 2) as Array<[string, string]> };
  }
  for (const v of Object.values(o)) {
    const r = findResponse(v, depth + 1);
    if (r) return r;
  }
  return undefined;
}
