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
import type { Report } from '../model/index.js';
import { reportFacts } from '../model/report-facts.js';
import { limiter } from '../util/limit.js';
import { evaluateCheck } from './evaluate.js';
import type { CheckEvidence, CheckPlan, ResolvePin, ResolvedCheck, ResolvedEnvironment } from './types.js';
import type { CheckResult, ChecksFileError } from '../model/check.js';

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
 * What a check needs from a finished report: a pure mapping of the report's facts
 * (`reportFacts`, src/model/report-facts.ts), no I/O.
 *
 * @example
 *   evidenceFromReport(report, check, new Date()).statusByProtocol['h2']?.status; // 200
 */
export function evidenceFromReport(report: Report, check: Pick<ResolvedCheck, 'expect'>, now: Date): CheckEvidence {
  const facts = reportFacts(report);
  const ev: CheckEvidence = {
    negotiatedProtocol: report.negotiated.protocol,
    alpn: facts.alpn,
    findings: report.findings.map((f) => ({ code: f.code, severity: f.severity })),
    statusByProtocol: facts.responses,
    now,
  };
  if (facts.tlsVersion !== undefined) ev.tlsVersion = facts.tlsVersion;
  if (facts.certNotAfter !== undefined) ev.certValidTo = facts.certNotAfter;
  if (check.expect.websocket !== undefined) {
    const ws = facts.websocket;
    if ('status' in ws) ev.websocket = ws;
    else ev.websocketNotCollected = 'noAnswer' in ws ? ws.noAnswer : WEBSOCKET_NOT_COLLECTED;
  }
  return ev;
}
