/**
 * What the TLS stage does on one address, given the core probes:
 * - the default handshake worked: a few cheap raw hellos (TLS 1.2 alone, TLS 1.0/1.1, no SNI) give
 *   the warnings, and nothing else;
 * - it failed (alert, close, reset): bisect from Node's own hello to find the parameter the server
 *   refuses, in as few connections as the answers allow;
 * - `--survey`: enumerate versions, suites per version, groups and ALPN (survey.ts).
 *
 * Each raw probe has a label the rules look up (`mirror`, `widest`, `narrow-cipher`, …). The plan
 * only chooses which hellos to send next; the rules (diagnosis/rules/tls/) decide what they prove.
 */
import type { Probe } from '../../model/index.js';
import type { ProbeContext } from '../context.js';
import { probeId } from '../context.js';
import type { Go } from '../stages/types.js';
import type { BisectHelloLabel, TlsStageResult } from '../../model/tls-probes.js';
import { accepted, confirmHangUp, rawHello, type RawProbe } from './raw.js';
import { groupCode, nodeDefaultHello, widestHello, NODE_ALPN as ALPN, V, TLS13_CIPHERS, type HelloSpec } from './hello.js';
import { survey } from './survey.js';
import { round } from '../../transport/conn.js';

type TlsProbe = Extract<Probe, { kind: 'tls' }>;

/** The raw hellos whose refusal the rules take as proof of a cause (diagnosis/rules/tls/bisection.ts). */
const PROOF_LABELS: ReadonlySet<string> = new Set([
  'mirror', 'widest', 'widest-no-sni', 'sslv3', 'narrow-cipher', 'narrow-group', 'narrow-version', 'narrow-sigalg', 'narrow-alpn',
  'tls12-only', 'no-sni', 'tls12-no-sni', 'survey-TLSv1.2', 'survey-no-sni', 'survey-TLSv1.2-no-sni',
]);
import type { RawRunner } from './raw.js';

/**
 * The TLS stage of one address: the checks, the bisection or the survey, as the default handshake's
 * outcome asks; its raw probes, then the stage's record (`tls-stage`: plan, connections, clock, surface).
 * `later`: the HTTP probes, when they are in (the clock reads their Date; the checks read whether the
 * HTTP/1.1 probe's TLS 1.2 handshake completed).
 * @example const probes = await runTlsStage(ctx, [tcp, tlsDefault], go, httpProbes);
 */
export async function runTlsStage(ctx: ProbeContext, core: readonly Probe[], go: Go, later?: Promise<readonly Probe[]>): Promise<Probe[]> {
  const t0 = performance.now();
  if (!ctx.target.tls) return [];
  const d = core.find((p): p is TlsProbe => p.kind === 'tls' && p.name === 'tls-default');
  if (!d || !d.connect.ok) return [];
  const out: RawProbe[] = [];
  let connections = 0;
  const raw: RawRunner = async (label, purpose, spec, o) => {
    connections++;
    const send = (why: string) => go(() => rawHello(ctx, label, why, spec, o), why) as Promise<RawProbe>;
    const first = await send(purpose);
    // A close or reset without an alert is a refusal only if it happens again (diagnosis/rules/tls/common.ts, `refused`).
    const [kept, ...other] = PROOF_LABELS.has(label)
      ? await confirmHangUp(first, () => {
          connections++;
          return send(`${purpose} (sent again: the first attempt got ${first.raw.outcome} without an alert)`);
        })
      : [first];
    out.push(kept!, ...other);
    return kept!;
  };
  const stage: TlsStageResult = { plan: 'none', connections: 0, localTime: new Date().toISOString() };
  const o = d.tls.outcome;
  if (o === 'handshake') {
    stage.plan = 'checks';
    // A survey asks the checks' questions itself (TLS 1.2, legacy versions, no SNI): only the mirror is left to them.
    await checks(ctx, d, raw, !!ctx.options.survey, later);
  } else if (o === 'alert' || o === 'closed' || o === 'reset') {
    stage.plan = 'bisect';
    await bisect(ctx, raw);
  } else if (o === 'not-tls' || o === 'error' || (o === 'timeout' && d.bytesReceived > 0)) {
    // Bytes came back that Node could not take as TLS: read them with our own parser, for the evidence.
    const base = await nodeDefaultHello();
    await raw('mirror', "Node's own ClientHello, read raw: what does the server send back?", { ...base, alpn: ALPN, sni: ctx.target.sni });
  }
  if (ctx.options.survey && o !== 'timeout' && o !== 'not-tls') {
    stage.plan = 'survey';
    stage.surface = await survey(ctx, d, raw, out);
  }
  const clock = clockOf(ctx, later ? [...core, ...(await later)] : core);
  if (clock) stage.clock = clock;
  const alpn13 = out.find((p) => p.raw.version === 'TLSv1.3' && p.raw.alpnFrom === 'encrypted-extensions' && p.raw.offer.alpn);
  if (alpn13) stage.alpn13 = { alpn: alpn13.raw.alpn ?? null, probe: alpn13.id };
  stage.connections = connections;
  const record: Probe = {
    kind: 'tls-stage',
    id: probeId(ctx, 'tls-stage'),
    address: ctx.address,
    port: ctx.port,
    startMs: round(t0 - ctx.t0),
    durationMs: round(performance.now() - t0),
    bytesSent: out.reduce((n, p) => n + p.bytesSent, 0),
    bytesReceived: out.reduce((n, p) => n + p.bytesReceived, 0),
    connect: d.connect,
    stage,
  };
  return [...out, record];
}

/**
 * The default handshake worked: which warnings apply? One connection per question, in parallel.
 * "Does a TLS 1.2-only client get in?" and "which certificate comes without SNI?" are not shared
 * in one TLS 1.2 hello without SNI: a server may apply per-name TLS versions with the same
 * certificate (Caddy's `tls { protocols tls1.3 }` in a site accepts TLS 1.2 without SNI and refuses
 * it for the site's name: test/real-fix-verification.test.ts), so only a TLS 1.2 hello carrying
 * the name answers the first question.
 */
async function checks(ctx: ProbeContext, d: TlsProbe, raw: RawRunner, mirrorOnly = false, later?: Promise<readonly Probe[]>): Promise<void> {
  const sni = ctx.target.sni;
  const wide = widestHello(sni);
  const tasks: Array<Promise<unknown>> = [];
  const noSni = async () => raw('no-sni', 'what does the server do without SNI?', { ...(await nodeDefaultHello()), alpn: ALPN, sni: null });
  const tls12 = () => raw('tls12-only', 'does the server accept a TLS 1.2-only client?', { ...wide, versions: [V.TLS12], alpn: ALPN });
  // Node offered TLS 1.3 and 1.2: a TLS 1.2 answer already proves TLS 1.3 is off; a TLS 1.3 answer says nothing about 1.2.
  // The HTTP/1.1 probe offered TLS 1.2 at most with the name (probes/plan.ts): a handshake it completed answers it.
  if (mirrorOnly) {
    // the survey asks these
  } else {
    if (d.tls.version === 'TLSv1.3') tasks.push((async () => (tls12Works(await later) ? undefined : tls12()))());
    if (sni) tasks.push(noSni());
  }
  if (!mirrorOnly) tasks.push(raw('legacy', 'does the server still accept TLS 1.0 or 1.1?', { ...wide, versions: [V.TLS11, V.TLS10] }, { fullFlight: false }));
  // A certificate that does not cover the name: did the server say it does not know the name (unrecognized_name)?
  if (d.tls.verify && !d.tls.verify.ok && d.tls.verify.code === 'ERR_TLS_CERT_ALTNAME_INVALID' && sni) {
    tasks.push((async () => raw('mirror', "Node's own ClientHello, read raw (warnings before the ServerHello)", { ...(await nodeDefaultHello()), alpn: ALPN, sni }))());
  }
  await Promise.all(tasks);
}

/** A TLS handshake offering TLS 1.2 at most, with the name the default handshake sent, completed (the HTTP/1.1 probe's, when it was capped). */
function tls12Works(probes: readonly Probe[] | undefined): boolean {
  return (probes ?? []).some((p) => 'tls' in p && p.tls?.maxVersion === 'TLSv1.2' && p.tls.outcome === 'handshake' && p.tls.version === 'TLSv1.2');
}

/**
 * The default handshake was refused. Round 1: Node's hello raw (`mirror`) and the widest hello we can
 * send (`widest`). If the widest is accepted, each suspect parameter is narrowed back to Node's
 * value, one connection each; the narrowing that gets refused is the cause. The ServerHello to the
 * widest hello clears most suspects without a connection: a version ≥ 1.2, a suite and a group
 * that Node also offers cannot be the cause.
 * @example await bisect(ctx, raw); // mirror and widest, then the narrowed hellos the answers call for
 */
export async function bisect(ctx: ProbeContext, raw: RawRunner<BisectHelloLabel>, from?: Omit<HelloSpec, 'sni'>): Promise<void> {
  const sni = ctx.target.sni;
  // From Node's own hello by default; a simulated client bisects from its profile's parameters.
  const base = from ?? { ...(await nodeDefaultHello()), alpn: ALPN };
  const mirrorSpec: HelloSpec = { ...base, sni };
  const wide = widestHello(sni);
  const [mirror, widest] = await Promise.all([
    raw('mirror', "Node's own ClientHello, read raw", mirrorSpec),
    raw('widest', 'the widest hello: TLS 1.0–1.3, every suite, group and signature scheme, no ALPN', wide),
  ]);
  if (accepted(mirror)) return; // the hello is fine; the refusal came later (client certificate, …): the mirror shows it
  if (!accepted(widest)) {
    const more: Array<Promise<RawProbe>> = [raw('sslv3', 'is the server SSL 3.0 only?', { ...wide, versions: [V.SSL3], ciphers: wide.ciphers.filter((c) => !TLS13_CIPHERS.includes(c)) })];
    if (sni) more.push(raw('widest-no-sni', 'the widest hello without SNI: is it the name that is refused?', { ...wide, sni: null }));
    await Promise.all(more);
    return;
  }
  const w = widest.raw;
  // RFC 8446 §4.2.1 / RFC 5246 §7.4.1.3: a server picks the highest version both sides have. Below 1.2 is proof enough.
  if ((w.versionCode ?? 0) < V.TLS12) return;
  const suspects: Array<[BisectHelloLabel, string, HelloSpec]> = [];
  if (w.cipherCode === undefined || !base.ciphers.includes(w.cipherCode)) {
    suspects.push(['narrow-cipher', "the widest hello with Node's cipher suites only", { ...wide, ciphers: base.ciphers }]);
  }
  const chosenGroup = w.group ? groupCode(w.group) : undefined;
  if (chosenGroup === undefined || !base.groups.includes(chosenGroup)) {
    suspects.push(['narrow-group', "the widest hello with Node's groups only", { ...wide, groups: base.groups }]);
  }
  if ((w.versionCode ?? 0) > Math.max(...base.versions)) {
    suspects.push(['narrow-version', "the widest hello with Node's versions only", { ...wide, versions: base.versions }]);
  }
  const round2 = await Promise.all(suspects.map(([l, p, s]) => raw(l, p, s)));
  if (round2.some((p) => !accepted(p))) return;
  // Nothing the ServerHello shows explains it: signature algorithms, ALPN, or the version/suite/group combination.
  await Promise.all([
    raw('narrow-sigalg', "the widest hello with Node's signature algorithms only", { ...wide, sigalgs: base.sigalgs }),
    raw('narrow-alpn', "the widest hello with Node's ALPN list (h2, http/1.1)", { ...wide, alpn: base.alpn }),
    ...(suspects.some((s) => s[0] === 'narrow-cipher') ? [] : [raw('narrow-cipher', "the widest hello with Node's cipher suites only", { ...wide, ciphers: base.ciphers })]),
    ...(suspects.some((s) => s[0] === 'narrow-group') ? [] : [raw('narrow-group', "the widest hello with Node's groups only", { ...wide, groups: base.groups })]),
  ]);
}

/** The server's Date header from the core HTTP probes, against the local clock at that moment. */
function clockOf(ctx: ProbeContext, core: readonly Probe[]): TlsStageResult['clock'] | undefined {
  for (const p of core) {
    const headers = p.kind === 'h1' ? p.h1.headers : p.kind === 'h2' ? p.h2.headers : undefined;
    const date = headers?.find(([k]) => k.toLowerCase() === 'date')?.[1];
    if (!date) continue;
    const server = Date.parse(date);
    if (Number.isNaN(server)) continue;
    // The local wall clock when the response arrived: now, minus the time since that probe ended.
    const local = Date.now() - (performance.now() - (ctx.t0 + p.startMs + p.durationMs));
    return { serverDate: date, localTime: new Date(local).toISOString(), skewSeconds: Math.round((server - local) / 1000), probe: p.id };
  }
  return undefined;
}
