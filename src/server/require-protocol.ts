/**
 * A guard for users' own Node servers: answer requests made below a protocol requirement (HTTP/2, TLS,
 * a TLS version) with a correct `426 Upgrade Required`, and let every other request through.
 *
 * The 426 carries what h2doctor's `upgrade` findings look for: an `Upgrade` field naming what to switch to,
 * `Connection: Upgrade`, and an RFC 9457 Problem Details body with a migration guide and deadline; plus
 * `Deprecation` / `Sunset` / `Link` when configured.
 *
 * Which `Upgrade` value, and why:
 * - RFC 9110 §15.5.22: a 426 MUST carry `Upgrade` naming the acceptable protocol(s); §7.8: its values are
 *   tokens from the IANA HTTP Upgrade Token Registry, and whoever sends Upgrade MUST also send
 *   `Connection: upgrade`.
 * - HTTP/2 is `HTTP/2.0`: the registry's "HTTP" token takes a DIGIT.DIGIT version. `h2` is an ALPN
 *   identifier, not an upgrade token (RFC 9113 §3.2 — over TLS, HTTP/2 is chosen by ALPN in the handshake,
 *   so a client switches by reconnecting with ALPN `h2`), and RFC 7540 §3.2 told servers to ignore `h2` in
 *   Upgrade. `h2c` is left out on purpose: RFC 9113 §3.1 deprecates the `Upgrade: h2c` mechanism and Node's
 *   `http`/`http2` servers do not implement it, so naming it would invite a switch that then fails.
 * - TLS is RFC 2817 §4.2's layered form, `TLS/1.2, HTTP/1.1`: switch to TLS, then speak that HTTP version
 *   over it (`TLS/1.2, HTTP/2.0` when HTTP/2 is also required).
 * - Over HTTP/2 (only reachable when TLS is required and the client speaks h2c) `Upgrade` and `Connection`
 *   are connection-specific fields that HTTP/2 forbids (RFC 9113 §8.2.2); the 426 then names the required
 *   protocols in the Problem Details body (`required_protocols`) only.
 *
 * @example
 * import http from 'node:http';
 * const guard = requireProtocol({ minHttpVersion: '2.0', problem: { migrationGuide: 'https://docs.example.com/h2' } });
 * http.createServer((req, res) => guard(req, res, () => res.end('ok')));
 */
import { TLS_VERSION_TABLE } from '../wire/tls/registry.js';
import { formatDeprecation } from '../wire/http/deprecation.js';
import { formatHttpDate } from '../wire/http/fields.js';
import { PROBLEM_JSON } from '../wire/http/problem.js';

export type HttpVersionRequirement = '1.1' | '2.0';
export type TlsVersion = '1.0' | '1.1' | '1.2' | '1.3';
export type TlsVersionRequirement = '1.2' | '1.3';

export interface ProblemOptions {
  /** RFC 9457 §3.1.1 `type`: a URI for this kind of problem. Default `about:blank`. */
  type?: string;
  /** Default `Upgrade Required` (RFC 9457 §4.2.1: with about:blank, the status phrase). */
  title?: string;
  /** Default: a sentence naming what is required and what the request used. */
  detail?: string;
  /** An http(s) URL, sent as the `migration_guide` member (and as the `Link rel="deprecation"` target). */
  migrationGuide?: string | URL;
  /** Sent as the `deadline` member (ISO 8601). Defaults to `sunset`. */
  deadline?: Date;
  /** More members; they cannot replace the standard ones or those above. */
  extensions?: Record<string, unknown>;
}

export interface LinkOption {
  href: string | URL;
  rel: string;
  type?: string;
  title?: string;
}

export interface RequireProtocolOptions {
  /** Lowest HTTP version served; `2.0` means HTTP/2 (`req.httpVersionMajor >= 2`). */
  minHttpVersion?: HttpVersionRequirement;
  /** Refuse cleartext requests. */
  requireTls?: boolean;
  /** Lowest TLS version served (implies `requireTls`). */
  minTlsVersion?: TlsVersionRequirement;
  problem?: ProblemOptions;
  /** When HTTP/1.x (or the old protocol) was deprecated: `Deprecation: @<seconds>` (RFC 9745). */
  deprecation?: Date;
  /** When it stops working: `Sunset: <HTTP-date>` (RFC 8594). */
  sunset?: Date;
  /** Extra `Link` values (RFC 8288), e.g. `{ href, rel: 'sunset' }`. */
  links?: readonly LinkOption[];
  /**
   * Grace period: before this instant a request below the requirement is let through, carrying only the
   * Deprecation / Sunset / Link fields; from it on, it gets the 426. Absent: enforce now.
   */
  enforceFrom?: Date;
  /** Replace the computed `Upgrade` value (see the module comment for how it is chosen). */
  upgrade?: string;
  /** How to see a request's protocol, e.g. behind a TLS-terminating proxy. Default {@link inspectRequest}. */
  inspect?: (req: GuardRequest) => RequestProtocol;
  /** Clock, for tests. */
  now?: () => Date;
}

/** The parts of `IncomingMessage` / `Http2ServerRequest` / an Express request the guard reads. */
export interface GuardRequest {
  httpVersionMajor?: number;
  httpVersionMinor?: number;
  method?: string;
  url?: string;
  /** Express keeps the full path here when mounted under a prefix. */
  originalUrl?: string;
  socket?: unknown;
}

/** The parts of `ServerResponse` / `Http2ServerResponse` the guard writes. */
export interface GuardResponse {
  statusCode: number;
  readonly headersSent?: boolean;
  setHeader(name: string, value: string): unknown;
  end(): unknown;
  end(chunk: string): unknown;
}

export interface RequestProtocol {
  /** `major.minor`, e.g. `1.1`, `2.0`. */
  httpVersion: string;
  tls: boolean;
  tlsVersion?: TlsVersion;
}

/** What the guard decided for one request (not a report's Verdict: that is ok / warn / fail). */
export type GuardDecision =
  | { ok: true }
  | {
      ok: false;
      /** Which requirements the request misses. */
      missing: Array<'http-version' | 'tls' | 'tls-version'>;
      /** Protocols to switch to, as Upgrade tokens, layer-ascending (RFC 2817 §4.2). */
      required: string[];
    };

export interface UpgradeRequiredResponse {
  status: 426;
  headers: Array<[string, string]>;
  body: string;
}

/** A request guard: a plain handler prefix (`if (!guard(req, res)) return;`) and Connect/Express middleware. */
export type ProtocolGuard = (req: GuardRequest, res: GuardResponse, next?: (err?: unknown) => void) => boolean;

/** A Fastify `onRequest` hook (structural: no dependency on Fastify). */
export type FastifyOnRequest = (
  request: { raw: GuardRequest },
  reply: { raw: GuardResponse; hijack(): unknown },
  done: () => void,
) => void;

/** Node's protocol names → '1.0'…'1.3', from the one version table (wire/tls/registry.ts). */
const TLS_NAMES: Record<string, TlsVersion> = Object.fromEntries(
  TLS_VERSION_TABLE.filter((v) => v.code >= 0x0301).map((v) => [v.node, v.number.toFixed(1) as TlsVersion]),
);

/**
 * The protocol a request arrived over, from `httpVersionMajor/Minor` and the socket (`encrypted`,
 * `getProtocol()`); works for `node:http`, `node:https` and the `node:http2` compatibility API.
 */
export function inspectRequest(req: GuardRequest): RequestProtocol {
  const major = req.httpVersionMajor ?? 1;
  const minor = req.httpVersionMinor ?? (major >= 2 ? 0 : 1);
  const sock = req.socket as { encrypted?: unknown; getProtocol?: () => string | null } | undefined | null;
  const tls = sock?.encrypted === true;
  const info: RequestProtocol = { httpVersion: `${major}.${minor}`, tls };
  if (tls && typeof sock?.getProtocol === 'function') {
    const v = TLS_NAMES[sock.getProtocol() ?? ''];
    if (v) info.tlsVersion = v;
  }
  return info;
}

function versionAtLeast(have: string, want: string): boolean {
  const [hm = 0, hn = 0] = have.split('.').map(Number);
  const [wm = 0, wn = 0] = want.split('.').map(Number);
  return hm > wm || (hm === wm && hn >= wn);
}

/**
 * Does a request meet the requirement? Pure; the guard's decision.
 *
 * @example evaluate({ httpVersion: '1.1', tls: true, tlsVersion: '1.3' }, { minHttpVersion: '2.0' }) // { ok: false, missing: ['http-version'], required: ['HTTP/2.0'] }
 */
/** @deprecated Renamed GuardDecision (h2doctor has one Verdict: the report's ok / warn / fail). */
export type Verdict = GuardDecision;

export function evaluate(p: RequestProtocol, o: RequireProtocolOptions): GuardDecision {
  const missing: Array<'http-version' | 'tls' | 'tls-version'> = [];
  const httpOk = o.minHttpVersion === undefined || versionAtLeast(p.httpVersion, o.minHttpVersion);
  if (!httpOk) missing.push('http-version');
  const needTls = o.requireTls === true || o.minTlsVersion !== undefined;
  if (needTls && !p.tls) missing.push('tls');
  // An unknown TLS version (inspect could not tell) is given the benefit of the doubt.
  else if (o.minTlsVersion !== undefined && p.tlsVersion !== undefined && !versionAtLeast(p.tlsVersion, o.minTlsVersion)) missing.push('tls-version');
  if (missing.length === 0) return { ok: true };
  const required: string[] = [];
  if (missing.includes('tls') || missing.includes('tls-version')) {
    // RFC 2817 §4.2: "Upgrade: TLS/1.0, HTTP/1.1": the TLS layer, then the HTTP version to use over it.
    required.push(`TLS/${o.minTlsVersion ?? '1.2'}`, `HTTP/${o.minHttpVersion ?? (versionAtLeast(p.httpVersion, '1.1') ? p.httpVersion : '1.1')}`);
  } else {
    // IANA Upgrade Token Registry (RFC 9110 §16.7): "HTTP" with a DIGIT.DIGIT version; see the module comment.
    required.push(`HTTP/${o.minHttpVersion!}`);
  }
  return { ok: false, missing, required };
}

/** `<url>; rel="…"` per RFC 8288 §3. */
function formatLink(l: LinkOption): string {
  const href = new URL(String(l.href)).href;
  let s = `<${href}>; rel="${quote(l.rel)}"`;
  if (l.type !== undefined) s += `; type="${quote(l.type)}"`;
  if (l.title !== undefined) s += `; title="${quote(l.title)}"`;
  return s;
}

// RFC 9110 §5.6.4: inside a quoted-string, '"' and '\' are escaped; control characters are not allowed.
function quote(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, '').replace(/["\\]/g, (c) => `\\${c}`);
}

/** The `Deprecation` / `Sunset` / `Link` fields the options ask for. */
export function announcementHeaders(o: RequireProtocolOptions): Array<[string, string]> {
  const h: Array<[string, string]> = [];
  // RFC 9745 §2.1: Deprecation = sf-date.
  if (o.deprecation) h.push(['Deprecation', formatDeprecation(o.deprecation)]);
  // RFC 8594 §3: Sunset = HTTP-date.
  if (o.sunset) h.push(['Sunset', formatHttpDate(o.sunset)]);
  const links: LinkOption[] = [];
  const guide = o.problem?.migrationGuide;
  // RFC 9745 §3: rel="deprecation" points at documentation about the deprecation.
  if (o.deprecation && guide !== undefined) links.push({ href: guide, rel: 'deprecation', type: 'text/html' });
  links.push(...(o.links ?? []));
  if (links.length) h.push(['Link', links.map(formatLink).join(', ')]);
  return h;
}

function describe(p: RequestProtocol): string {
  const http = `HTTP/${p.httpVersion === '2.0' ? '2' : p.httpVersion}`;
  return p.tls ? `${http} over TLS${p.tlsVersion ? ` ${p.tlsVersion}` : ''}` : `${http} over cleartext TCP`;
}

function requirementText(o: RequireProtocolOptions): string {
  const parts: string[] = [];
  if (o.minHttpVersion) parts.push(o.minHttpVersion === '2.0' ? 'HTTP/2' : `HTTP/${o.minHttpVersion} or later`);
  if (o.minTlsVersion) parts.push(`TLS ${o.minTlsVersion} or later`);
  else if (o.requireTls) parts.push('TLS (https)');
  return parts.join(' over ');
}

/** The request's path, without query (which may hold secrets) or fragment, for `instance`. */
export function requestPath(req: GuardRequest): string {
  const u = req.originalUrl ?? req.url ?? '/';
  if (u.startsWith('/')) return u.split(/[?#]/, 1)[0]!;
  try {
    return new URL(u).pathname; // absolute-form (RFC 9112 §3.2.2)
  } catch {
    return u === '*' ? '*' : '/';
  }
}

/**
 * Build the 426 for a request that failed {@link evaluate}. Pure: status, header list and body text.
 */
export function buildUpgradeRequired(
  p: RequestProtocol,
  verdict: Extract<GuardDecision, { ok: false }>,
  o: RequireProtocolOptions,
  path: string,
): UpgradeRequiredResponse {
  const problem = o.problem ?? {};
  const upgrade = o.upgrade ?? verdict.required.join(', ');
  const deadline = problem.deadline ?? o.sunset;
  // RFC 9457 §3.1: the standard members; §3.2: extensions after them.
  const body: Record<string, unknown> = { ...(problem.extensions ?? {}) };
  Object.assign(body, {
    type: problem.type ?? 'about:blank',
    title: problem.title ?? 'Upgrade Required',
    status: 426,
    detail: problem.detail ?? `This endpoint requires ${requirementText(o)}; this request used ${describe(p)}.`,
    instance: path,
    required_protocols: o.upgrade ? o.upgrade.split(',').map((s) => s.trim()).filter(Boolean) : verdict.required,
  });
  if (problem.migrationGuide !== undefined) body['migration_guide'] = new URL(String(problem.migrationGuide)).href;
  if (deadline) body['deadline'] = deadline.toISOString();
  const text = JSON.stringify(body);

  const headers: Array<[string, string]> = [];
  // RFC 9113 §8.2.2: no connection-specific fields in HTTP/2, so Upgrade/Connection only for HTTP/1.x.
  if (!versionAtLeast(p.httpVersion, '2.0')) {
    // RFC 9110 §15.5.22: a 426 MUST send Upgrade; §7.8: Upgrade goes with Connection: upgrade.
    headers.push(['Upgrade', upgrade], ['Connection', 'Upgrade']);
  }
  // RFC 9457 §6.1: application/problem+json.
  headers.push(['Content-Type', PROBLEM_JSON], ['Content-Length', String(Buffer.byteLength(text))]);
  headers.push(...announcementHeaders(o));
  return { status: 426, headers, body: text };
}

function checkOptions(o: RequireProtocolOptions): void {
  if (o.minHttpVersion === undefined && !o.requireTls && o.minTlsVersion === undefined) {
    throw new TypeError('requireProtocol: set minHttpVersion, requireTls or minTlsVersion');
  }
  for (const l of [...(o.problem?.migrationGuide !== undefined ? [{ href: o.problem.migrationGuide, rel: 'x' }] : []), ...(o.links ?? [])]) {
    let u: URL;
    try {
      u = new URL(String(l.href));
    } catch {
      throw new TypeError(`requireProtocol: not an absolute URL: ${String(l.href)}`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`requireProtocol: not an http(s) URL: ${u.href}`);
  }
  if (o.upgrade !== undefined && /[\r\n]/.test(o.upgrade)) throw new TypeError('requireProtocol: upgrade must be one line');
}

type Decision = { pass: true; announce: Array<[string, string]> } | { pass: false; response: UpgradeRequiredResponse };

function decide(req: GuardRequest, o: RequireProtocolOptions): Decision {
  const p = (o.inspect ?? inspectRequest)(req);
  const v = evaluate(p, o);
  if (v.ok) return { pass: true, announce: [] };
  const now = (o.now ?? (() => new Date()))();
  if (o.enforceFrom && now.getTime() < o.enforceFrom.getTime()) return { pass: true, announce: announcementHeaders(o) };
  return { pass: false, response: buildUpgradeRequired(p, v, o, requestPath(req)) };
}

function send(req: GuardRequest, res: GuardResponse, r: UpgradeRequiredResponse): void {
  if (res.headersSent) return;
  res.statusCode = r.status;
  // node:http decided to close after this response (HTTP/1.0, or the client sent Connection: close);
  // our Connection field replaces Node's own, so say so (RFC 9112 §9.6).
  const closing = (res as { shouldKeepAlive?: unknown }).shouldKeepAlive === false;
  for (const [k, v] of r.headers) res.setHeader(k, closing && k === 'Connection' ? `${v}, close` : v);
  // RFC 9110 §9.3.2: a HEAD response has no content (the fields still describe it).
  if (req.method === 'HEAD') res.end();
  else res.end(r.body);
}

/**
 * Make a guard. Returns true (and calls `next()`) when the request may go on; otherwise it has answered
 * the 426 and returns false. Throws TypeError on bad options, at creation.
 *
 * @example
 * app.use(requireProtocol({ minHttpVersion: '2.0', sunset: new Date('2026-06-30') })); // Express
 */
export function requireProtocol(options: RequireProtocolOptions): ProtocolGuard {
  checkOptions(options);
  return (req, res, next) => {
    const d = decide(req, options);
    if (d.pass) {
      for (const [k, v] of d.announce) res.setHeader(k, v);
      next?.();
      return true;
    }
    send(req, res, d.response);
    return false;
  };
}

/**
 * The same guard as a Fastify `onRequest` hook: answers on `reply.raw` and hijacks the reply.
 *
 * @example fastify.addHook('onRequest', requireProtocolFastify({ minHttpVersion: '2.0' }));
 */
export function requireProtocolFastify(options: RequireProtocolOptions): FastifyOnRequest {
  checkOptions(options);
  return (request, reply, done) => {
    const d = decide(request.raw, options);
    if (d.pass) {
      for (const [k, v] of d.announce) reply.raw.setHeader(k, v);
      done();
      return;
    }
    reply.hijack();
    send(request.raw, reply.raw, d.response);
  };
}
