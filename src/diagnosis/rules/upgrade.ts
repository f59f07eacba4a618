/**
 * Upgrade and 426: the HTTP/1.0 / 1.1 / 2 matrix, 426 analysis (Upgrade, Problem Details,
 * Deprecation/Sunset), WebSocket (RFC 6455, RFC 8441), upgrade stripping, and the proxy's CONNECT.
 * Pure functions of recorded evidence.
 */
import { http1Answer, http2Answer, type EvidenceItem, type Http1Result, type Probe } from '../../model/index.js';
import { addressRule, type AddressRule, type RawFinding, type RuleContext } from '../raw.js';
import { evidenceItem, kindProbe, type AddressEvidence } from '../evidence.js';
import type { MatrixRow } from '../../model/upgrade-probes.js';
import { parseUpgrade, upgradeFamilies, type UpgradeFamily } from '../../wire/http/upgrade.js';
import { parseProblem, type ProblemResult } from '../../wire/http/problem.js';
import { readDeprecationInfo } from '../../wire/http/deprecation.js';
import { SETTINGS } from '../../wire/http2/registry.js';
import { headerValues } from '../../wire/http1/head.js';

type P<K extends Probe['kind']> = Extract<Probe, { kind: K }>;
type Fields = ReadonlyArray<readonly [string, string]>;

const values = (h: Fields | undefined, name: string) => headerValues(h ?? [], name);
const field = (h: Fields | undefined, name: string) => {
  const v = values(h, name);
  return v.length ? v.join(', ') : undefined;
};

const coreH1 = (ev: AddressEvidence) => http1Answer(ev.probes);
const coreH2 = (ev: AddressEvidence) => http2Answer(ev.probes);
function h1Probe(ev: AddressEvidence, name: P<'h1-request'>['name']): P<'h1-request'> | undefined {
  return ev.probes.find((p): p is P<'h1-request'> => p.kind === 'h1-request' && p.name === name);
}

const statusLine = (h: Http1Result) => (h.outcome === 'response' ? `HTTP/${h.version} ${h.status} ${h.reason ?? ''}`.trim() : (h.first?.summary ?? h.outcome));

/**
 * The protocol matrix of one address: HTTP/1.0, HTTP/1.1, HTTP/2 rows from the core and upgrade probes.
 * @example protocolMatrix(ev).map((r) => `${r.protocol} ${r.status}`) // ['HTTP/1.0 200', 'HTTP/1.1 426', 'HTTP/2 200']
 */
export function protocolMatrix(ev: AddressEvidence): MatrixRow[] {
  const rows: MatrixRow[] = [];
  const keyFields = (h: Fields | undefined) => {
    const out: Record<string, string> = {};
    for (const k of ['content-type', 'server', 'upgrade', 'location', 'via', 'deprecation', 'sunset']) {
      const v = field(h, k);
      if (v !== undefined) out[k] = v.slice(0, 200);
    }
    return out;
  };
  const via = ev.target.tls ? 'tls' : 'cleartext';
  const h10 = h1Probe(ev, 'http10');
  if (h10) rows.push(row('HTTP/1.0', via, h10.h1.status, h10.h1.outcome, keyFields(h10.h1.headers), h10.id));
  const h11 = coreH1(ev);
  if (h11) rows.push(row('HTTP/1.1', via, h11.h1.status, h11.h1.outcome, keyFields(h11.h1.headers), h11.id));
  const h2 = coreH2(ev);
  if (h2 && (h2.h2.outcome === 'response' || !ev.target.tls || h2.tls?.outcome === 'handshake')) {
    rows.push(row('HTTP/2', h2.name === 'h2-tls' ? 'tls' : 'h2c prior knowledge', h2.h2.status, h2.h2.outcome, keyFields(h2.h2.headers), h2.id));
  }
  const up = kindProbe(ev, 'h2c-upgrade');
  if (up?.h2 && (!h2 || h2.h2.outcome !== 'response')) rows.push(row('HTTP/2', 'h2c upgrade', up.h2.status, up.h2.outcome, keyFields(up.h2.headers), up.id));
  return rows;

  function row(protocol: MatrixRow['protocol'], v: string, status: number | undefined, outcome: string, headers: Record<string, string>, probe: string): MatrixRow {
    return { address: ev.address, protocol, via: v, ...(status !== undefined ? { status } : {}), outcome, headers, probe };
  }
}

/**
 * Describe a parsed Problem Details for evidence: title, detail, links, extension members.
 * @example const r = parseProblem('application/problem+json', body); if (r.ok) describeProblem(r)[0] // 'Problem Details (application/problem+json): title "Upgrade Required", status 426'
 */
export function describeProblem(r: ProblemResult & { ok: true }): string[] {
  const p = r.problem;
  const lines: string[] = [];
  const head = [p.type !== 'about:blank' ? `type ${p.type}` : '', p.title ? `title "${p.title}"` : '', p.status !== undefined ? `status ${p.status}` : ''].filter(Boolean).join(', ');
  lines.push(`Problem Details (application/problem+json): ${head || 'no standard member'}`);
  if (p.detail) lines.push(`detail: ${p.detail.slice(0, 300)}`);
  if (p.instance) lines.push(`instance: ${p.instance.slice(0, 200)}`);
  for (const [k, v] of Object.entries(p.extensions).slice(0, 8)) {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    lines.push(`${k}: ${(text ?? '').slice(0, 200)}`);
  }
  return lines;
}

/** Which HTTP/1.x answers were 426: the core HTTP/1.1 one first, then HTTP/1.0. */
function h1Answers426(ev: AddressEvidence): Array<{ probe: string; h1: Http1Result; version: string }> {
  const out: Array<{ probe: string; h1: Http1Result; version: string }> = [];
  const h11 = coreH1(ev);
  if (h11?.h1.status === 426) out.push({ probe: h11.id, h1: h11.h1, version: '1.1' });
  const h10 = h1Probe(ev, 'http10');
  if (h10?.h1.status === 426) out.push({ probe: h10.id, h1: h10.h1, version: '1.0' });
  return out;
}

function problemOf(ev: AddressEvidence, h1: Http1Result): { result: ProblemResult; body: string } {
  const full = h1Probe(ev, 'body-426');
  const body = full?.h1.status === 426 && full.body !== undefined ? full.body : (h1.bodyPreview ?? '');
  const headers = full?.h1.status === 426 ? full.h1.headers : h1.headers;
  return { result: parseProblem(field(headers, 'content-type'), body, { httpStatus: 426 }), body };
}

const FAMILY_CODE: Partial<Record<UpgradeFamily, 'upgrade-required-h2' | 'upgrade-required-tls' | 'upgrade-required-websocket'>> = {
  h2: 'upgrade-required-h2',
  tls: 'upgrade-required-tls',
  websocket: 'upgrade-required-websocket',
};

function rules426Body(ev: AddressEvidence): RawFinding[] {
  const out: RawFinding[] = [];
  const answers = h1Answers426(ev);
  const wsTarget = ev.target.scheme === 'ws' || ev.target.scheme === 'wss';
  const h2 = coreH2(ev);
  const h2Line = h2?.h2.outcome === 'response' ? `the same request over HTTP/2 (${h2.name === 'h2-tls' ? 'TLS, ALPN h2' : 'h2c'}) is answered ${h2.h2.status}` : undefined;
  const primary = answers[0];
  if (primary) {
    const upgradeValues = values(primary.h1.headers, 'upgrade');
    const parsed = parseUpgrade(upgradeValues.length ? upgradeValues : undefined);
    const families = upgradeFamilies(parsed);
    const problem = problemOf(ev, primary.h1);
    const problemLines = problem.result.ok ? describeProblem(problem.result) : [];
    // For a ws/wss target a 426 naming websocket to a plain GET is what RFC 6455 servers do: not news.
    // A ws/wss target whose own upgrade got a 426 with no Upgrade field: a hop strips the upgrade both
    // ways (upgrade-header-stripped), and this 426 is the backend's answer to what is left of it.
    const ws = kindProbe(ev, 'websocket');
    const strippedWs = wsTarget && upgradeValues.length === 0 && ws?.h1.status === 426 && values(ws.h1.headers, 'upgrade').length === 0;
    const expectedWs = wsTarget && ((families.length > 0 && families.every((f) => f === 'websocket')) || strippedWs);
    if (upgradeValues.length === 0) {
      // RFC 9110 §15.5.22: the server MUST send an Upgrade header field in a 426 response.
      out.push({
        code: 'upgrade-header-missing',
        evidence: [{ probe: primary.probe, text: `HTTP/${primary.version} request answered ${statusLine(primary.h1)} with no Upgrade field: the client cannot tell what to switch to` }, ...(h2Line && h2 ? [{ probe: h2.id, text: h2Line }] : [])],
      });
    } else if (!expectedWs) {
      const codes = new Set<string>();
      for (const f of families) {
        const code = FAMILY_CODE[f];
        if (!code || codes.has(code)) continue;
        codes.add(code);
        const evidence: EvidenceItem[] = [{ probe: primary.probe, text: `HTTP/${primary.version} request answered ${statusLine(primary.h1)}, Upgrade: ${upgradeValues.join(', ')}${parsed.malformed ? ` (malformed: ${parsed.reason})` : ''}` }];
        if (code === 'upgrade-required-h2' && h2Line && h2) evidence.push({ probe: h2.id, text: h2Line });
        if (code === 'upgrade-required-h2' && h2 && h2.h2.outcome !== 'response') evidence.push({ probe: h2.id, text: `but HTTP/2 itself fails here: ${h2.h2.outcome}${h2.h2.first ? ` (${h2.h2.first.summary})` : ''}` });
        if (code === 'upgrade-required-tls') {
          const t = h1Probe(ev, 'tls-upgrade');
          if (t) evidence.push({ probe: t.id, text: `the hint followed in-band (Upgrade: TLS/1.2, HTTP/1.1, RFC 2817): ${statusLine(t.h1)}${t.afterSwitch ? `, then TLS ${t.afterSwitch.outcome === 'handshake' ? `${t.afterSwitch.version} works` : t.afterSwitch.outcome}` : t.h1.status === 426 ? ': not supported in-band, the server wants a new connection over https' : ''}` });
        }
        if (code === 'upgrade-required-websocket') {
          const ws = kindProbe(ev, 'websocket');
          if (ws) evidence.push({ probe: ws.id, text: `a WebSocket handshake on ${ws.request.path}: ${statusLine(ws.h1)}${ws.handshake?.ok ? `, valid (${ws.roundTrip ? `ping → ${ws.roundTrip.outcome}` : 'no round trip'})` : ''}` });
        }
        for (const l of problemLines) evidence.push({ probe: primary.probe, text: l });
        const detail = code === 'upgrade-required-h2' ? (h2?.h2.outcome === 'response' ? 'HTTP/2 works' : 'HTTP/2 does not work here either') : upgradeValues.join(', ');
        out.push({ code, detail, evidence });
      }
    }
    if (!expectedWs && !problem.result.ok) {
      const why = problem.result.reason === 'not-problem' ? `Content-Type: ${field(primary.h1.headers, 'content-type') ?? '(none)'}` : problem.result.message;
      out.push({
        code: 'upgrade-problem-details-missing',
        detail: why,
        evidence: [{ probe: primary.probe, text: `the 426 body is not RFC 9457 Problem Details: ${why}${problem.body ? `; body starts "${problem.body.slice(0, 80).replace(/\s+/g, ' ')}"` : ''}` }],
      });
    }
  }
  // Over HTTP/2 a 426 cannot carry Upgrade (RFC 9113 §8.2.2): only its body is checked, and only when no HTTP/1.x 426 was.
  if (!primary && h2?.h2.status === 426) {
    const r = parseProblem(field(h2.h2.headers, 'content-type'), '', { httpStatus: 426 });
    if (!r.ok && r.reason === 'not-problem') {
      out.push({ code: 'upgrade-problem-details-missing', detail: `Content-Type: ${field(h2.h2.headers, 'content-type') ?? '(none)'}`, evidence: [{ probe: h2.id, text: `HTTP/2 426 with Content-Type ${field(h2.h2.headers, 'content-type') ?? '(none)'}: no Problem Details` }] });
    }
  }
  return out;
}

function deprecationBody(ev: AddressEvidence, ctx?: RuleContext): RawFinding[] {
  const sources: Array<{ probe: string; headers: Fields | undefined }> = [];
  for (const p of ev.probes) {
    if (p.kind === 'h1' || p.kind === 'h1-request') sources.push({ probe: p.id, headers: p.h1.headers });
    else if (p.kind === 'h2') sources.push({ probe: p.id, headers: p.h2.headers });
  }
  for (const s of sources) {
    if (!s.headers) continue;
    const dep = field(s.headers, 'deprecation');
    const sun = field(s.headers, 'sunset');
    const link = field(s.headers, 'link');
    if (dep === undefined && sun === undefined && link === undefined) continue;
    const info = readDeprecationInfo({ deprecation: dep, sunset: sun, link }, ev.target.url, ctx?.now);
    if (!info.announced) continue;
    const parts: string[] = [];
    const evidence: EvidenceItem[] = [];
    if (info.deprecation && !info.deprecation.malformed) {
      parts.push(`deprecated ${info.deprecation.date ? `since ${info.deprecation.date.slice(0, 10)}` : '(no date)'}`);
      evidence.push({ probe: s.probe, text: `Deprecation: ${dep} → ${info.deprecation.date ?? 'deprecated, no date'}` });
    }
    if (info.sunset && !info.sunset.malformed) {
      parts.push(`ends ${info.sunset.date.slice(0, 10)}`);
      evidence.push({ probe: s.probe, text: `Sunset: ${sun} → ${info.sunset.date}` });
    }
    for (const l of [...info.links.deprecation, ...info.links.sunset, ...info.links.successorVersion]) {
      evidence.push({ probe: s.probe, text: `Link rel="${l.rels.join(' ')}": ${l.target}` });
    }
    if (info.links.deprecation[0]) parts.push(`see ${info.links.deprecation[0].target}`);
    return [{ code: 'deprecation-announced', detail: parts.join(', ') || 'an end of support is announced', evidence }];
  }
  return [];
}

function behaviourBody(ev: AddressEvidence): RawFinding[] {
  const h11 = coreH1(ev);
  const h2 = coreH2(ev);
  if (h11?.h1.outcome !== 'response' || h2?.h2.outcome !== 'response') return [];
  const a = h11.h1.status!;
  const b = h2.h2.status!;
  // A 426 to HTTP/1.1 is the 426 rules' story.
  if (a === b || a === 426) return [];
  const ct1 = field(h11.h1.headers, 'content-type');
  const ct2 = field(h2.h2.headers, 'content-type');
  return [
    {
      code: 'h1-h2-behaviour-differs',
      detail: `HTTP/1.1 gets ${a}, HTTP/2 gets ${b}`,
      evidence: [
        { probe: h11.id, text: `HTTP/1.1: ${statusLine(h11.h1)}${ct1 ? ` (${ct1})` : ''}` },
        { probe: h2.id, text: `HTTP/2: ${b}${ct2 ? ` (${ct2})` : ''}` },
      ],
    },
  ];
}

/** The hop that answered: `Via` names each intermediary (RFC 9110 §7.6.3); else `Server`. */
function hopOf(h: Fields | undefined): string | undefined {
  const via = field(h, 'via');
  if (via) return `Via: ${via}`;
  const server = field(h, 'server');
  return server ? `Server: ${server}` : undefined;
}

function websocketBody(ev: AddressEvidence): RawFinding[] {
  const out: RawFinding[] = [];
  const ws = kindProbe(ev, 'websocket');
  if (ws) {
    const h = ws.h1;
    const asked = `GET ${ws.request.path} with Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Version: 13${ws.request.headers.some(([k]) => k === 'Sec-WebSocket-Protocol') ? `, Sec-WebSocket-Protocol: ${ws.request.headers.find(([k]) => k === 'Sec-WebSocket-Protocol')![1]}` : ''}`;
    const status = h.status;
    const answered = h.outcome === 'response' && status !== undefined && status !== 101;
    // A 426 to a correct WebSocket upgrade is a WebSocket server asking for the upgrade it never
    // received: a hop dropped Upgrade/Connection on the way (and, with no Upgrade field left in the
    // 426, the backend's Upgrade on the way back too: Apache ProxyPass without upgrade=websocket).
    const upgrade426 = values(h.headers, 'upgrade');
    const asks426 = answered && status === 426 && (upgrade426.length === 0 || upgradeFamilies(parseUpgrade(upgrade426)).includes('websocket'));
    // A 2xx is a plain GET's answer: the upgrade was lost by a hop, or there is no WebSocket endpoint
    // at that path. Only a hop that names itself (Via, RFC 9110 §7.6.3) proves the first.
    const plain2xx = answered && status! >= 200 && status! < 300;
    const via = field(h.headers, 'via');
    const stripped = asks426 || (plain2xx && via !== undefined);
    if (plain2xx && !stripped) {
      const plain = coreH1(ev);
      const evidence: EvidenceItem[] = [{ probe: ws.id, text: `${asked} → ${statusLine(h)}: answered as a plain GET${field(h.headers, 'server') ? ` (Server: ${field(h.headers, 'server')})` : ''}` }];
      if (plain?.h1.outcome === 'response' && plain.h1.status === status) evidence.push({ probe: plain.id, text: `a plain GET (no Upgrade) gets the same ${statusLine(plain.h1)}` });
      evidence.push({ probe: ws.id, text: 'no Via field: nothing in the answer shows an intermediary between us and the server that answered' });
      out.push({ code: 'websocket-handshake-failed', detail: `no WebSocket endpoint at ${ws.request.path}: the upgrade was answered ${status} like a plain GET (or a hop that does not name itself drops Upgrade)`, evidence });
    } else if (stripped) {
      const hop = hopOf(h.headers);
      const evidence: EvidenceItem[] = [
        {
          probe: ws.id,
          text: `${asked} → ${statusLine(h)}${upgrade426.length ? `, Upgrade: ${upgrade426.join(', ')}` : status === 426 ? ' with no Upgrade field' : ''}: ${status === 426 ? 'the server asks for the very upgrade we sent: it never received Upgrade/Connection' : 'answered as a plain GET'}`,
        },
      ];
      if (hop) evidence.push({ probe: ws.id, text: `the answer passed through ${hop}` });
      const plain = coreH1(ev);
      if (plain?.h1.outcome === 'response' && plain.h1.status === status) evidence.push({ probe: plain.id, text: `a plain GET (no Upgrade) gets the same ${statusLine(plain.h1)}` });
      for (const v of [h1Probe(ev, 'strip-no-connection'), h1Probe(ev, 'strip-http10')]) {
        if (!v) continue;
        const label = v.name === 'strip-http10' ? 'the same upgrade as HTTP/1.0 (RFC 9110 §7.8: ignored in 1.0)' : 'the upgrade without Connection: Upgrade';
        evidence.push({ probe: v.id, text: `${label} → ${statusLine(v.h1)}${v.h1.status === status ? ' (same)' : ''}${hopOf(v.h1.headers) ? `; ${hopOf(v.h1.headers)}` : ''}` });
      }
      out.push({ code: 'upgrade-header-stripped', detail: hop ? `by the hop named in ${hop}` : 'by an intermediary that does not name itself (no Via)', evidence });
    } else if (h.outcome !== 'response' || status !== 101 || (ws.handshake && !ws.handshake.ok)) {
      const problems = ws.handshake?.problems.filter((p) => p.fatal) ?? [];
      const protoOnly = problems.length > 0 && problems.every((p) => p.code === 'protocol-not-offered' || p.code === 'protocol-multiple');
      const evidence: EvidenceItem[] = [evidenceItem(ws.id, `${asked} → ${statusLine(h)}`, h.first)];
      for (const p of problems) evidence.push({ probe: ws.id, text: `${p.code}: ${p.message}` });
      if (!protoOnly) out.push({ code: 'websocket-handshake-failed', detail: problems[0]?.message ?? (h.outcome === 'response' ? `status ${status}` : h.outcome), evidence });
      else out.push({ code: 'websocket-subprotocol-rejected', detail: problems[0]!.message, evidence });
    } else if (ws.handshake?.problems.some((p) => p.code === 'protocol-none-selected')) {
      const p = ws.handshake.problems.find((x) => x.code === 'protocol-none-selected')!;
      out.push({ code: 'websocket-subprotocol-rejected', detail: p.message, evidence: [{ probe: ws.id, text: `${asked} → 101 without Sec-WebSocket-Protocol: ${p.message}` }] });
    }
    // RFC 8441: is WebSocket possible over this server's HTTP/2 too?
    const h2 = coreH2(ev);
    if (ws.handshake?.ok && h2?.h2.outcome === 'response' && h2.h2.serverSettings) {
      const enabled = h2.h2.serverSettings.some((s) => s.id === SETTINGS.ENABLE_CONNECT_PROTOCOL && s.value === 1);
      if (!enabled) {
        out.push({
          code: 'websocket-over-h2-unsupported',
          evidence: [
            { probe: h2.id, text: `server SETTINGS: ${h2.h2.serverSettings.map((s) => `${s.name}=${s.value}`).join(' ') || '(empty)'}; no SETTINGS_ENABLE_CONNECT_PROTOCOL=1` },
            { probe: ws.id, text: `WebSocket over HTTP/1.1 works (101${ws.roundTrip ? `, ping → ${ws.roundTrip.outcome}` : ''})` },
          ],
        });
      }
    }
  }
  const x = kindProbe(ev, 'ws-h2');
  if (x && x.h2.outcome === 'response' && x.handshake && !x.handshake.ok) {
    out.push({
      code: 'websocket-handshake-failed',
      detail: `extended CONNECT over HTTP/2 answered ${x.h2.status}`,
      evidence: [{ probe: x.id, text: `SETTINGS_ENABLE_CONNECT_PROTOCOL=1, but CONNECT :protocol websocket ${x.path} → ${x.h2.status}: ${x.handshake.problems.map((p) => p.message).join('; ')}` }],
    });
  }
  return out;
}

function proxyBody(ev: AddressEvidence): RawFinding[] {
  const p = kindProbe(ev, 'proxy-connect');
  if (!p || p.outcome === 'tunnel') return [];
  const auth = field(p.headers, 'proxy-authenticate');
  const evidence: EvidenceItem[] = [{ probe: p.id, text: `${p.proxy}: ${p.detail}` }];
  if (p.status === 407) evidence.push({ probe: p.id, text: `407 Proxy Authentication Required${auth ? ` (Proxy-Authenticate: ${auth})` : ''}; credentials ${p.credentials ? 'were sent and refused' : 'were not given (put them in the proxy URL: http://user:password@proxy:port)'}` });
  const hop = hopOf(p.headers);
  if (hop) evidence.push({ probe: p.id, text: `the proxy names itself: ${hop}` });
  const how =
    p.outcome === 'head-too-large' ? 'its answer is a head that never ends' : p.outcome === 'timeout' && p.bytesReceived > 0 ? `its answer was still incomplete after ${Math.round(p.durationMs)} ms` : p.outcome;
  return [{ code: 'proxy-connect-failed', detail: p.status !== undefined ? `${p.status} ${p.reason ?? ''}`.trim() : how, evidence }];
}

/**
 * The proxy's CONNECT failed.
 * @example proxyConnectRule(ev) // [{ code: 'proxy-connect-failed', … }] when CONNECT got a 407
 */
export const proxyConnectRule = addressRule('proxy-connect', ['proxy-connect-failed'], proxyBody);
/**
 * WebSocket over HTTP/1.1 (RFC 6455) and HTTP/2 (RFC 8441): refused, subprotocol, Upgrade stripped.
 * @example websocketRule(ev).map((f) => f.code) // e.g. ['upgrade-header-stripped']
 */
export const websocketRule = addressRule(
  'websocket',
  ['upgrade-header-stripped', 'websocket-handshake-failed', 'websocket-subprotocol-rejected', 'websocket-over-h2-unsupported'],
  websocketBody,
);
/**
 * A 426 Upgrade Required: which upgrade, its Upgrade field, and its Problem Details body.
 * @example rules426(ev).map((f) => f.code) // e.g. ['upgrade-required-h2', 'upgrade-problem-details-missing']
 */
export const rules426 = addressRule(
  '426',
  ['upgrade-required-h2', 'upgrade-required-tls', 'upgrade-required-websocket', 'upgrade-header-missing', 'upgrade-problem-details-missing'],
  rules426Body,
);
/**
 * The same request answered differently over HTTP/1.1 and HTTP/2.
 * @example behaviourRule(ev) // [] when both answer the same status
 */
export const behaviourRule = addressRule('h1-h2-behaviour', ['h1-h2-behaviour-differs'], behaviourBody);
/**
 * Deprecation / Sunset / Link rel=deprecation announced by the server (RFC 9745, RFC 8594).
 * @example deprecationRule(ev, { now: new Date('2026-01-01') }) // [{ code: 'deprecation-announced', … }]
 */
export const deprecationRule = addressRule('deprecation', ['deprecation-announced'], deprecationBody);

/**
 * The upgrade family's rules, in the order their findings are shown.
 * @example UPGRADE_RULES.flatMap((rule) => rule(ev)).map((f) => f.code) // ['upgrade-required-h2']
 */
export const UPGRADE_RULES = Object.freeze([proxyConnectRule, websocketRule, rules426, behaviourRule, deprecationRule]);

/**
 * Every upgrade rule on one address, in order.
 * @example upgradeRule(ev).map((f) => f.code)
 */
export const upgradeRule: AddressRule = (ev, ctx) => UPGRADE_RULES.flatMap((r) => r(ev, ctx));
