/**
 * The probe plan for one address, in as few connections as the answers allow (issue 14), and why
 * each connection was opened (`connection` on every probe).
 *
 * TLS: the TCP probe's socket carries the default handshake, and the HTTP/2 exchange when ALPN says
 * h2. Once the default handshake is over, HTTP/1.1 (and the HTTP/1.0 row on the same connection)
 * goes on a connection of its own; when the default handshake got TLS 1.3 that connection offers
 * TLS 1.2 at most, with the name, so it also answers "does TLS 1.2 work for this name?" (the TLS
 * stage then sends no TLS 1.2 hello of its own). Only a TLS 1.2 handshake that completes and an
 * HTTP/1.1 response over it stand: a refused TLS 1.2 handshake, a server that answers ALPN and did
 * not choose http/1.1 (then no GET is sent: nghttpd, h2 only, waits for a preface under TLS 1.2 until
 * our deadline, and closes at once under TLS 1.3), or no HTTP/1.1 response, and HTTP/1.1 is asked
 * again with the default versions, so no HTTP-level answer depends on the cap. The TLS stage starts as soon as the default handshake is over; ALPN h2 alone is tried only
 * when the default handshake completed without h2.
 *
 * Cleartext: the TCP probe's socket carries HTTP/1.1 (then HTTP/1.0), beside h2c by prior knowledge
 * and by Upgrade. Sniffs only when the first answers could not tell what the port speaks.
 */
import type { ConnectOutcome, Probe, TlsResult } from '../model/index.js';
import type { ProxyConfig } from '../transport/proxy.js';
import type { Socket } from '../transport/conn.js';
import { probeId, type ProbeContext } from './context.js';
import { probeH1Cleartext, probeH2cPrior, probeH2cUpgrade, probeHttp1Pair, probeTcp, probeTls, probeTlsDefault } from './run.js';
import { probeProxyConnect } from './upgrade/proxy-connect.js';
import { STAGES } from './stages/index.js';

/**
 * Runs a task under the diagnosis's bound on connections open at once.
 * @example const run: Run = limiter(8);
 */
export type Run = <T>(task: () => Promise<T>) => Promise<T>;
type TlsProbe = Extract<Probe, { kind: 'tls' }>;
type H1Probe = Extract<Probe, { kind: 'h1' }>;

/** Why each core probe opens its connection (the report's `connection.why`). */
const WHY: Record<string, string> = {
  tcp: 'TCP connect to the address; the same socket then carries the first experiment',
  'tls-default': "Node's default handshake (ALPN h2, http/1.1) on the TCP probe's socket",
  'h1-tls': 'ALPN http/1.1 alone, then an HTTP/1.1 GET: what an HTTP/1.1-only client gets',
  'h1-tls-capped': 'ALPN http/1.1 alone and TLS 1.2 at most, with the name, then an HTTP/1.1 GET: what an HTTP/1.1-only client gets, and whether TLS 1.2 works for this name (the default handshake got TLS 1.3)',
  'h1-tls-again': 'ALPN http/1.1 alone with the default versions, then an HTTP/1.1 GET: the HTTP/1.1 answer again, as the TLS 1.2 connection gave none (refused, http/1.1 not chosen in ALPN, or no response)',
  'h2-tls': 'the default handshake did not select h2: ALPN h2 alone, then the HTTP/2 preface anyway (as gRPC or --http2-prior-knowledge clients do)',
  'sniff-http1': 'the TLS handshake did not complete: is this port cleartext HTTP/1.1?',
  'sniff-h2c': 'neither TLS nor HTTP/1.1 answered: is this port h2c by prior knowledge?',
  'sniff-tls': 'the cleartext request got no usable HTTP answer: does the port speak TLS?',
  'h1-cleartext': 'HTTP/1.1 GET over cleartext',
  'h2c-prior-knowledge': 'HTTP/2 by prior knowledge over cleartext (h2c, RFC 9113 §3.3)',
  'h2c-upgrade': 'HTTP/1.1 with Upgrade: h2c (RFC 7540 §3.2)',
};

/**
 * Marks a probe that opened its own connection, with the reason (its own purpose when it has one).
 * @example opened(probe).connection // { use: 'new', why: 'HTTP/1.1 GET over cleartext' }
 */
export function opened(p: Probe, why?: string): Probe {
  if (p.connection) return p;
  const name = 'name' in p ? p.name : p.kind;
  const reason = why ?? ('purpose' in p && typeof p.purpose === 'string' ? p.purpose : undefined) ?? WHY[name] ?? WHY[p.kind] ?? name;
  return Object.assign(p, { connection: { use: 'new' as const, why: reason } });
}

/**
 * Through a proxy: first the CONNECT itself (the proxy hop's probe); the core plan only when the tunnel opens.
 * @example const probes = await probeThroughProxy(ctx, proxy, run, () => connections++);
 */
export async function probeThroughProxy(ctx: ProbeContext, proxy: ProxyConfig, run: Run, count: () => void): Promise<Probe[]> {
  count();
  const hop = opened(await run(() => probeProxyConnect(ctx, proxy)), 'CONNECT through the proxy: does the tunnel open?');
  if (!hop.connect.ok) return [hop];
  return [hop, ...(await probeAddress(ctx, run, count))];
}

/** Runs one more probe (or a pair on one connection), counting its connection. */
interface Goes {
  go: (f: () => Promise<Probe>, why?: string) => Promise<Probe>;
  goMany: (f: () => Promise<Probe[]>, why?: string) => Promise<Probe[]>;
}

/**
 * Every probe of one address: the core waves, then each family's stages.
 * @example const probes = await probeAddress(ctx, limiter(8), () => connections++);
 */
export async function probeAddress(ctx: ProbeContext, run: Run, count: () => void): Promise<Probe[]> {
  count();
  const tcp = await run(() => probeTcp(ctx));
  const probes: Probe[] = [opened(tcp.probe)];
  if (!tcp.outcome.ok) return probes;
  const pre: { socket: Socket; outcome: ConnectOutcome } = { socket: tcp.socket!, outcome: tcp.outcome };
  const g: Goes = {
    go: (f, why) => {
      count();
      return run(f).then((p) => opened(p, why));
    },
    goMany: (f, why) => {
      count();
      return run(f).then((ps) => ps.map((p, i) => (p.connection ? p : opened(p, i === 0 ? why : undefined))));
    },
  };
  if (ctx.target.tls) return probeTlsAddress(ctx, run, g, pre, tcp.probe);
  // ws:// is HTTP/1.1 by definition (RFC 6455): no h2c probes for it.
  const h2c = ctx.target.scheme === 'ws' ? [] : [g.go(() => probeH2cPrior(ctx)), g.go(() => probeH2cUpgrade(ctx))];
  const [pair, ...rest] = await Promise.all([run(() => probeHttp1Pair(ctx, pre, tcp.probe.id)), ...h2c]);
  const c = pair![0] as H1Probe;
  probes.push(...pair!.map((p) => (p.connection ? p : opened(p))), ...(rest as Probe[]));
  const k = c.h1.first?.first.kind;
  const tlsLike = k === 'tls-alert' || k === 'tls-handshake' || k === 'tls-other' || k === 'tls-record-overflow';
  // A 400 is what TLS ports of nginx, Apache and Go answer to cleartext HTTP ("The plain HTTP request
  // was sent to HTTPS port"): sniff for TLS then too, or http:// to a TLS port reads as "no h2c".
  const answered400 = c.h1.outcome === 'response' && c.h1.status === 400;
  if ((c.h1.outcome !== 'response' || answered400) && !tlsLike) {
    probes.push(await g.go(() => probeTls(ctx, 'sniff-tls', ['h2', 'http/1.1'], 'none')));
  }
  return runStages(ctx, probes, g.go, []);
}

/** The TLS plan of one address (see the file's comment). */
async function probeTlsAddress(ctx: ProbeContext, run: Run, g: Goes, pre: { socket: Socket; outcome: ConnectOutcome }, tcp: Probe): Promise<Probe[]> {
  const probes: Probe[] = [tcp];
  const def = await run(() => probeTlsDefault(ctx, pre));
  const d = Object.assign(def.tls, { connection: { use: 'reused' as const, of: tcp.id, why: WHY['tls-default']! } }) as TlsProbe;
  probes.push(d);
  const o = d.tls.outcome;
  const sniffs = async (): Promise<Probe[]> => {
    if (!['timeout', 'closed', 'not-tls', 'error'].includes(o)) return [];
    const s = (await g.go(() => probeH1Cleartext(ctx, 'sniff-http1'))) as H1Probe;
    // A prior-knowledge-only h2c port (HAProxy `proto h2`) closes on both a ClientHello and an
    // HTTP/1.1 request without a byte: only the HTTP/2 preface shows what it speaks.
    if (s.h1.outcome !== 'response' && !s.h1.first?.first.kind.startsWith('h2-')) return [s, await g.go(() => probeH2cPrior(ctx, 'sniff-h2c'))];
    return [s];
  };
  // ALPN h2 alone (and the preface forced) only when the default handshake completed without h2.
  const h2alone = o === 'handshake' && d.tls.alpn !== 'h2' ? g.go(() => probeTls(ctx, 'tls-alpn-h2', ['h2'], 'h2')).then((p) => [p]) : Promise.resolve([]);
  // Under a survey too: the capped handshake is the TLS 1.2 elimination's first answer (probes/tls/survey.ts).
  const capped = o === 'handshake' && d.tls.version === 'TLSv1.3';
  // The capped handshake, told to the TLS stage as soon as it is over (the survey starts TLS 1.2 from it).
  let told: (t: TlsResult | undefined) => void = () => {};
  const http1Tls = new Promise<TlsResult | undefined>((r) => (told = r));
  const h1 = capped ? http1Capped(ctx, g, d.tls.alpn != null, told).finally(() => told(undefined)) : g.goMany(() => probeHttp1Pair(ctx));
  const http = Promise.all([def.rest, h1, h2alone, sniffs()]).then((x) => x.flat());
  const early = STAGES.filter((st) => st.early);
  const stageCtx: ProbeContext = capped ? { ...ctx, http1Tls } : ctx;
  const tlsStages = Promise.all(early.map((st) => st.run(stageCtx, [...probes], g.go, http)));
  probes.push(...(await http));
  const more = await tlsStages;
  return runStages(ctx, probes, g.go, more.flat());
}

/**
 * HTTP/1.1 over TLS 1.2 at most, with the name; HTTP/1.1 again with the default versions when that
 * gave no HTTP/1.1 response (the TLS 1.2 attempt then stays in the evidence as `tls12-alpn-http1`,
 * a `tls` probe: what TLS 1.2 got for this name).
 */
async function http1Capped(ctx: ProbeContext, g: Goes, requireAlpn: boolean, onTls?: (t: TlsResult | undefined) => void): Promise<Probe[]> {
  // A server that answers ALPN (the default handshake got an answer) and does not choose http/1.1 here
  // gets no GET over TLS 1.2: the fallback asks at once, rather than after our deadline (nghttpd).
  const first = await g.goMany(() => probeHttp1Pair(ctx, undefined, undefined, { maxVersion: 'TLSv1.2', requireAlpn, ...(onTls ? { onTls } : {}) }), WHY['h1-tls-capped']);
  const h = first[0]!;
  if (h.kind === 'h1' && h.tls?.outcome === 'handshake' && h.h1.outcome === 'response') return first;
  // Kept as what TLS 1.2 got for this name (probes/run.ts sent no GET when ALPN was not http/1.1).
  let tls12 = h;
  if (h.kind === 'h1') {
    const { h1: _h1, kind: _k, name: _n, ...common } = h;
    tls12 = { ...common, kind: 'tls', name: 'tls12-alpn-http1', id: probeId(ctx, 'tls12-alpn-http1'), tls: h.tls!, ...(h.h1.first ? { first: h.h1.first } : {}) };
  }
  const again = await g.goMany(() => probeHttp1Pair(ctx), WHY['h1-tls-again']);
  return [tls12, ...again];
}

/** Every family's stages at once, after the core waves (the early ones already ran: `done`). */
async function runStages(ctx: ProbeContext, core: Probe[], go: Goes['go'], done: Probe[]): Promise<Probe[]> {
  const more = await Promise.all(STAGES.filter((st) => !(st.early && ctx.target.tls)).map((st) => st.run(ctx, core, go)));
  return [...core, ...done, ...more.flat()];
}
