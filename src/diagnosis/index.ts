/**
 * Diagnosis: evidence in, findings out. Pure: `diagnoseEvidence` can be run on recorded evidence.
 */
import type { AddressReport, EvidenceItem, Finding, Negotiated, Target, Verdict } from '../model/index.js';
import { CODES, SEVERITY_RANK, type Code } from '../model/codes.js';
import type { Vars } from './knowledge/types.js';
import { detectServer } from './knowledge/server.js';
import type { DetectedServer } from './knowledge/types.js';
import { knowledgeOf } from './registry.js';
import { clientsPrintFor, withHost } from './knowledge/printed.js';
import type { AddressEvidence } from './evidence.js';
import { probe, tcpProbe, upgradeProbe } from './evidence.js';
import type { DiagnosisInput, RawFinding, ReportRule, Rule, RuleContext } from './raw.js';
import { RULES, REPORT_RULES } from './rules/index.js';
import { headlineOf } from './headline.js';
import { hostForUrl } from '../model/target.js';

/**
 * @deprecated The address rules: use RULES (frozen) from './rules/index.js'.
 * @example diagnoseEvidence(input, { address: RULES, report: REPORT_RULES }) // write RULES; ADDRESS_RULES === RULES
 */
export const ADDRESS_RULES = RULES;
export { RULES, REPORT_RULES };

/**
 * What a diagnosis gives: the findings, the verdict, the headline, each address's report and what works.
 * @example const { verdict, headline, findings } = diagnoseEvidence(input); verdict // 'fail'
 */
export interface DiagnosisOutput {
  findings: Finding[];
  verdict: Verdict;
  /** The failing layer in one sentence (`headlineOf`). */
  headline: string;
  addresses: AddressReport[];
  negotiated: Negotiated;
}

const MAX_EVIDENCE_PER_FINDING = 12;

/**
 * The rules a diagnosis runs (default: every rule of h2doctor).
 * @example diagnoseEvidence(input, { address: RULES.filter((r) => r.ruleName !== 'alpn'), report: REPORT_RULES })
 */
export interface RuleSet {
  address: readonly Rule[];
  report: readonly ReportRule[];
}

/**
 * Runs the rules on recorded evidence: no socket, no clock (the time comes from `input.now`).
 * The engine only merges findings per code, folds consequences into their cause and judges.
 * @example
 * const out = diagnoseEvidence({ target, resolution: { source: 'dns', addresses: [] }, evidence: [] });
 * out.findings[0]?.code // 'dns-no-address'
 */
export function diagnoseEvidence(input: DiagnosisInput, rules: RuleSet = { address: RULES, report: REPORT_RULES }): DiagnosisOutput {
  const { target, resolution } = input;
  const ctx: RuleContext = { now: input.now ? new Date(input.now) : new Date() };
  const merged = new Map<Code, { raw: RawFinding; addresses: string[]; evidence: EvidenceItem[] }>();
  // One finding per code: the first raw finding's detail, each address once, later evidence up to the cap.
  const merge = (raw: RawFinding, addresses: readonly string[]) => {
    const m = merged.get(raw.code);
    if (!m) {
      merged.set(raw.code, { raw, addresses: [...addresses], evidence: [...raw.evidence] });
      return;
    }
    for (const a of addresses) if (!m.addresses.includes(a)) m.addresses.push(a);
    for (const e of raw.evidence) if (m.evidence.length < MAX_EVIDENCE_PER_FINDING) m.evidence.push(e);
  };
  const perAddress: AddressReport[] = [];
  const pinned = resolution.source === 'resolve-pin' || resolution.addresses.length > 1;

  for (const ev of input.evidence) {
    const raws = foldConsequences(rules.address.flatMap((r) => r(ev, ctx)));
    const codes: Code[] = [];
    for (const raw of raws) {
      if (!codes.includes(raw.code)) codes.push(raw.code);
      merge(raw, [ev.address]);
    }
    perAddress.push({
      address: ev.address,
      family: ev.address.includes(':') ? 6 : 4,
      verdict: verdictOf(codes.map((c) => CODES[c].severity)),
      negotiated: negotiatedOf(ev),
      findingCodes: codes,
      probes: ev.probes.map((p) => p.id),
    });
  }

  for (const rule of rules.report) for (const f of rule(input, perAddress)) merge(f, f.addresses);

  const servers = new Map(input.evidence.map((ev) => [ev.address, serverOf(ev)] as const));
  const findings: Finding[] = [];
  for (const [code, m] of merged) {
    const addr = m.addresses.length === 1 && pinned ? m.addresses[0] : resolution.source === 'resolve-pin' ? m.addresses[0] : undefined;
    const server = m.addresses.map((a) => servers.get(a)).find(Boolean);
    findings.push(buildFinding(code, m.raw, target, m.evidence, m.addresses, addr, { ...input.context, ...(server ? { server } : {}) }));
  }
  // Stable order: severity, then rule order (Map insertion order is rule order).
  findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const verdict = verdictOf(findings.map((f) => f.severity));
  const negotiated = bestNegotiated(perAddress);
  return { findings, verdict, headline: headlineOf(findings, negotiated, target), addresses: perAddress, negotiated };
}

/**
 * Codes that are only the visible consequence of a proven root cause on the same address: the
 * consequence is folded into the cause's evidence instead of standing as a second finding.
 * @example EXPLAINED_BY['preface-closed'] // ['tls-client-cert-required']: the close is folded into that finding
 */
export const EXPLAINED_BY: Partial<Record<Code, Code[]>> = {
  // TLS 1.3 mutual TLS: the client's handshake "completes", then the server closes on the missing
  // certificate; a forced HTTP/2 exchange sees that close.
  'preface-closed': ['tls-client-cert-required'],
  // A hop that strips a WebSocket upgrade (Apache ProxyPass without upgrade=websocket) drops the
  // backend's Upgrade from its 426 too: the missing field is the stripping's doing.
  'upgrade-header-missing': ['upgrade-header-stripped'],
  // A certificate chain over what OpenSSL accepts: the local TLS library rejects the answer.
  'tls-malformed-response': ['cert-chain-too-large'],
  // HTTP/2 over a block-listed TLS 1.2 suite: Apache mod_http2 (H2ModernTLSOnly, its default) picks h2
  // in ALPN and then refuses HTTP/2 itself with GOAWAY right after the preface (seen with code 0x16).
  'goaway-on-connect': ['h2-inadequate-security'],
};

/**
 * Folds each consequence into its cause's evidence (a new list of new findings; the input is not changed).
 * @example foldConsequences([closed, clientCert]).map((f) => f.code) // ['tls-client-cert-required']
 */
export function foldConsequences(raws: readonly RawFinding[]): RawFinding[] {
  const copies = raws.map((r) => ({ ...r, evidence: [...r.evidence] }));
  const out: RawFinding[] = [];
  for (const r of copies) {
    const cause = EXPLAINED_BY[r.code]?.map((c) => copies.find((x) => x.code === c)).find(Boolean);
    if (cause) {
      for (const e of r.evidence) cause.evidence.push({ ...e, text: `consequence (${r.code}): ${e.text}` });
    } else out.push(r);
  }
  return out;
}

/**
 * The verdict of a set of finding severities: any error fails, any warning warns, else ok.
 * @example verdictOf(['warning', 'info']) // 'warn'
 */
export function verdictOf(severities: Array<'error' | 'warning' | 'info'>): Verdict {
  if (severities.includes('error')) return 'fail';
  if (severities.includes('warning')) return 'warn';
  return 'ok';
}

/**
 * A reproduce command with the user's connection options and a deadline: every curl gets
 * `--max-time` (and `--cacert`, `--proxy`, `--connect-to` for another SNI, as the run used them)
 * and shows the failure (`-s` alone becomes `-sS`); every `openssl s_client` gets `-CAfile` and the
 * SNI the run sent. Commands that already carry an option keep theirs.
 * @example withUserOptions('curl -s https://example.com:8443/', vars, { caFile: 'ca.pem' }) // 'curl --max-time 10 --cacert ca.pem -sS https://example.com:8443/'
 */
export function withUserOptions(cmd: string, v: Vars, ctx: ReproduceContext): string {
  return cmd
    .split(/(\s*(?:\||;|&&)\s*)/)
    .map((part) => {
      if (/^curl\s/.test(part)) {
        let add = '';
        if (!/--max-time|\s-m\s/.test(part)) add += ' --max-time 10';
        if (ctx.caFile && !/--cacert/.test(part) && /https:|wss:/.test(part)) add += ` --cacert ${shellQuote(ctx.caFile)}`;
        if (ctx.proxy && !/--proxy|\s-x\s/.test(part)) add += ` --proxy ${shellQuote(ctx.proxy)}`;
        if (v.sniName && v.sniName !== v.host && !/--connect-to/.test(part)) add += ` --connect-to ${hostForUrl(v.sniName)}:${v.port}:${v.connect}`;
        let out = `curl${add}${part.slice(4)}`;
        // -s alone hides the error line: -sS keeps it.
        out = out.replace(/\s-s(?=\s)/, ' -sS');
        return out;
      }
      // nghttp has no overall deadline of its own: a server that never answers would hold it forever.
      if (/^nghttp\s/.test(part)) return `timeout 10 ${part}`;
      // openssl's output holds binary bytes (session tickets): grep must read it as text.
      if (/^grep\s/.test(part) && !/^grep\s+-\w*a/.test(part)) return part.replace(/^grep\s+/, 'grep -a ');
      if (/^openssl s_client\s/.test(part)) {
        let out = part;
        if (ctx.caFile && !/-CAfile/.test(out)) out = out.replace(/^openssl s_client/, `openssl s_client -CAfile ${shellQuote(ctx.caFile)}`);
        // Through the run's proxy as the run went (HTTP CONNECT); `-noproxy` marks a command meant to go around it.
        const hop = ctx.proxy ? proxyHostPort(ctx.proxy) : undefined;
        if (/\s-noproxy\b/.test(out)) out = out.replace(/\s-noproxy\b/, '');
        else if (hop && !/\s-proxy\s/.test(out)) out = out.replace(/^openssl s_client/, `openssl s_client -proxy ${hop}`);
        return out;
      }
      return part;
    })
    .join('');
}

/**
 * What the user's run used beyond the target, so reproduce commands carry it.
 * @example buildFinding(code, raw, target, evidence, addresses, pin, { caFile: 'ca.pem', proxy: 'http://proxy.example:3128' })
 */
export interface ReproduceContext {
  /** The `--cacert` file, as given. */
  caFile?: string;
  /** The proxy URL used (credentials removed). */
  proxy?: string;
  /** The server that answered on the finding's address. */
  server?: DetectedServer;
}

/**
 * The facts a code's knowledge is worded with: URL, host, port, the openssl and curl options that reach the same address.
 * @example varsFor(parseTarget('https://example.com:8443/'), '192.0.2.1').resolve // ' --resolve example.com:8443:192.0.2.1'
 */
export function varsFor(target: Target, pinAddress?: string, detail?: string, ctx: ReproduceContext = {}): Vars {
  const hostPort = `${hostForUrl(target.host)}:${target.port}`;
  const connect = pinAddress ? `${hostForUrl(pinAddress)}:${target.port}` : hostPort;
  const other = new URL(target.url);
  other.protocol = target.tls ? 'http:' : 'https:';
  const resolve = pinAddress && pinAddress !== target.host ? ` --resolve ${hostForUrl(target.host)}:${target.port}:${pinAddress}` : '';
  // curl sends the URL's host as SNI: a different --sni is the URL's name with --connect-to to the real host.
  const sniOther = target.tls && target.sni && target.sni !== target.host;
  const curlOpts = [
    ' --max-time 10',
    resolve,
    ctx.caFile ? ` --cacert ${shellQuote(ctx.caFile)}` : '',
    ctx.proxy ? ` --proxy ${shellQuote(ctx.proxy)}` : '',
  ].join('');
  const v: Vars = {
    url: target.url,
    host: target.host,
    port: target.port,
    connect,
    servername: target.sni ? ` -servername ${target.sni}` : '',
    resolve,
    otherUrl: other.toString(),
    cafileArg: ctx.caFile ? ` -CAfile ${shellQuote(ctx.caFile)}` : '',
    curlOpts,
  };
  if (target.sni) v.sniName = target.sni;
  if (sniOther) v.curlOpts += ` --connect-to ${hostForUrl(target.sni!)}:${target.port}:${connect}`;
  if (ctx.server) v.server = ctx.server;
  if (detail !== undefined) v.detail = detail;
  return v;
}

/** host:port of a proxy URL (its scheme's default port when it names none), for openssl's -proxy. */
function proxyHostPort(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return undefined;
  }
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The server that answered on one address: the first `Server` field of its HTTP answers; without
 * one, the product a `Via` field names (`1.1 vm (squid/5.7)`: a proxy that does not replace the
 * origin's Server); without either, the `Server` of the proxy's answer to CONNECT (a proxy that
 * refused the tunnel is the only server that answered).
 * @example serverOf(ev) // { kind: 'nginx', version: '1.22.1', header: 'nginx/1.22.1' }
 */
export function serverOf(ev: AddressEvidence): DetectedServer | undefined {
  const heads = ev.probes.map((p) => (p.kind === 'h1' || p.kind === 'h1-request' || p.kind === 'websocket' ? p.h1.headers : p.kind === 'h2' ? p.h2.headers : undefined));
  const field = (name: string, hs: ReadonlyArray<Array<[string, string]> | undefined>) => hs.flatMap((h) => h?.filter(([k]) => k.toLowerCase() === name).map(([, x]) => x) ?? []);
  for (const server of field('server', heads)) {
    const d = detectServer(server);
    if (d) return d;
  }
  for (const via of field('via', heads)) {
    const d = detectServer(/\(([^)]+)\)/.exec(via)?.[1]);
    if (d) return d;
  }
  const hop = ev.probes.flatMap((p) => (p.kind === 'proxy-connect' ? [p.headers] : []));
  for (const server of field('server', hop)) {
    const d = detectServer(server);
    if (d) return d;
  }
  return undefined;
}

/**
 * The detected server's own fixes first (server or network side: a proxy is fixed in its own
 * configuration), then the fixes for any server and the client's, then other servers' (a Node
 * snippet is not the first thing to show the operator of nghttpd); each group in its order.
 * @example serverFirst(fixes, detectServer('nginx/1.22.1'))[0].applies // 'nginx' when nginx has a fix of its own
 */
export function serverFirst(fixes: Finding['fixes'], server: DetectedServer | undefined): Finding['fixes'] {
  if (!server) return fixes;
  const mine = fixes.filter((f) => f.side !== 'client' && f.applies === server.kind);
  const general = fixes.filter((f) => !mine.includes(f) && (f.side === 'client' || f.applies === 'any'));
  return [...mine, ...general, ...fixes.filter((f) => !mine.includes(f) && !general.includes(f))];
}

/**
 * A finding from a rule's raw finding and the code's knowledge (rules outside the address engine use it too).
 * @example buildFinding('alpn-no-h2', raw, parseTarget('https://example.com:8443/'), [], ['192.0.2.1']).title // 'HTTP/2 is off: the server picks http/1.1 when offered h2'
 */
export function buildFinding(code: Code, raw: RawFinding, target: Target, evidence: EvidenceItem[], addresses: string[], pinAddress?: string, ctx: ReproduceContext = {}): Finding {
  const k = knowledgeOf(code);
  const vars = varsFor(target, pinAddress, raw.detail, ctx);
  if (raw.facts) vars.facts = raw.facts;
  const f: Finding = {
    code,
    severity: raw.raise ? raw.raise.to : CODES[code].severity,
    title: k.title(vars),
    explanation: k.explanation(vars),
    // A variant's own lines first, then what clients printed against the server that answered (its kind and the scheme), where recorded; else the code's lines.
    clientsSee: (k.clientsSeeFor?.(vars) ?? clientsPrintFor(code, ctx.server?.kind, target.tls ? 'https' : 'http') ?? k.clientsSee).map((line) => withHost(line, vars.host, vars.port)),
    evidence,
    fixes: serverFirst(k.fixes(vars), ctx.server),
    reproduce: k.reproduce(vars).map((cmd) => withUserOptions(cmd, vars, ctx)),
    addresses,
  };
  if (raw.raise) f.severityRaised = raw.raise.why;
  return f;
}

/**
 * What works on one address: h2 / h2c / http/1.1, and the TLS parameters.
 * @example negotiatedOf(ev) // { protocol: 'h2', tlsVersion: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', alpn: 'h2' }
 */
export function negotiatedOf(ev: AddressEvidence): Negotiated {
  const tcp = tcpProbe(ev);
  if (tcp && !tcp.connect.ok) return { protocol: null };
  if (ev.target.tls) {
    const d = probe(ev, 'tls-default');
    const h2 = probe(ev, 'h2-tls');
    const h1 = probe(ev, 'h1-tls');
    const n: Negotiated = { protocol: null };
    if (d?.tls.outcome === 'handshake') {
      if (d.tls.version) n.tlsVersion = d.tls.version;
      if (d.tls.cipher) n.cipher = d.tls.cipher.standardName;
      n.alpn = d.tls.alpn ?? null;
    }
    if (n.alpn === 'h2' && h2?.h2.outcome === 'response') n.protocol = 'h2';
    else if (h1?.h1.outcome === 'response') n.protocol = 'http/1.1';
    return n;
  }
  const p = probe(ev, 'h2c-prior-knowledge');
  const u = upgradeProbe(ev);
  const c = probe(ev, 'h1-cleartext');
  if (p?.h2.outcome === 'response' || u?.h2?.outcome === 'response') return { protocol: 'h2c' };
  if (c?.h1.outcome === 'response') return { protocol: 'http/1.1' };
  return { protocol: null };
}

function bestNegotiated(addrs: AddressReport[]): Negotiated {
  const order = ['h2', 'h2c', 'http/1.1'];
  for (const p of order) {
    const a = addrs.find((x) => x.negotiated.protocol === p);
    if (a) return a.negotiated;
  }
  return addrs[0]?.negotiated ?? { protocol: null };
}
