/**
 * The client-simulation stage (`--clients`, `--client`): for each client profile, on a TLS target,
 * the client's own ClientHello replayed with fresh key shares (TLS 1.3 EncryptedExtensions are
 * decrypted to read ALPN); when refused, the bisection from the client's parameters names the one
 * the server refuses; when ALPN says h2, the client's HTTP/2 opening (its SETTINGS, WINDOW_UPDATE,
 * PRIORITY and pseudo-header order) over a connection with the negotiated version and suite.
 * On cleartext the core probes already hold every answer (prior knowledge, Upgrade: h2c, HTTP/1.1):
 * the stage only records each client, and the rule reads its outcome from the core probes.
 * One record per client; never decides.
 */
import type { BisectHelloLabel, ClientBisectStep, ClientSim, Probe, RawTlsResult } from '../../model/index.js';
import type { ClientProfile } from '../../clients/profile.js';
import type { ProbeContext } from '../context.js';
import { probeId } from '../context.js';
import type { Go, ProbeStage } from '../stages/types.js';
import { Meter } from '../meter.js';
import { accepted, confirmHangUp, rawHello, rawHelloFrom, type RawProbe } from '../tls/raw.js';
import { bisect } from '../tls/plan.js';
import { versionLabel } from '../tls/hello.js';
import { helloFromProfile, specFromProfile } from './replay.js';
import { h2Opening } from './h2-opening.js';
import { cipherSuite } from '../../wire/tls/registry.js';
import { round } from '../../transport/conn.js';

/**
 * Options the stage reads (set by --clients / --client).
 * @example { clients: [curlProfile, javaProfile], pointOfView: 'java-17' }
 */
export interface ClientSimOptions {
  clients?: ClientProfile[];
  /** The id of the client chosen with --client. */
  pointOfView?: string;
}

/**
 * The client-simulation stage: each chosen client's own hello replayed, then its HTTP/2 opening.
 * @example const probes = await CLIENT_STAGES[0].run(ctx, core, go)
 */
export const CLIENT_STAGES: ProbeStage[] = [{ name: 'clients', run: runClientStage }];

async function runClientStage(ctx: ProbeContext, core: readonly Probe[], go: Go, later?: Promise<readonly Probe[]>): Promise<Probe[]> {
  const o = ctx.options as ClientSimOptions;
  const profiles = o.clients ?? [];
  if (!profiles.length) return [];
  const tcp = core.find((p) => p.kind === 'tcp');
  if (!tcp?.connect.ok) return [];
  if (later) await later;
  return Promise.all(profiles.map((p) => simulate(ctx, p, p.id === o.pointOfView, go)));
}

function record(ctx: ProbeContext, p: ClientProfile, chosen: boolean, t0: number, bytes: { sent: number; received: number }, client: Partial<ClientSim>): Probe {
  return {
    kind: 'client-sim',
    id: probeId(ctx, `client-${p.id}`),
    address: ctx.address,
    port: ctx.port,
    startMs: round(t0 - ctx.t0),
    durationMs: round(performance.now() - t0),
    bytesSent: bytes.sent,
    bytesReceived: bytes.received,
    connect: { ok: true, ms: 0 },
    client: {
      id: p.id,
      name: p.client.name,
      version: p.client.version,
      policy: p.policy,
      chosen,
      alpnOffered: p.tls?.alpn ?? null,
      ...(p.tls ? { versionsOffered: specFromProfile(p).versions } : {}),
      ...(p.tls?.extensions.some((e) => e.type === 13) ? { sha1SigalgOffered: p.tls.signatureAlgorithms.some((x) => x === 0x0201 || x === 0x0202 || x === 0x0203) } : {}),
      ja4: p.ja4,
      ...client,
    },
  };
}

async function simulate(ctx: ProbeContext, p: ClientProfile, chosen: boolean, go: Go): Promise<Probe> {
  const t0 = performance.now();
  const bytes = { sent: 0, received: 0 };
  if (!ctx.target.tls || !p.tls) return record(ctx, p, chosen, t0, bytes, {});
  const count = (r: RawProbe) => {
    bytes.sent += r.bytesSent;
    bytes.received += r.bytesReceived;
    return r;
  };
  const sni = p.tls.sni === 'sent' ? ctx.target.sni : null;
  const spec = specFromProfile(p);
  const sendOwn = async (again: boolean) =>
    count(
      (await go(
        () =>
          rawHelloFrom(
            ctx,
            `client-${p.id}${again ? ':again' : ''}`,
            `${p.client.name}'s own ClientHello (replayed, fresh key shares)${again ? ', sent again after our deadline passed' : ''}`,
            { versions: spec.versions.map(versionLabel), cipherCount: spec.ciphers.length, groups: [], sigalgCount: spec.sigalgs.length, alpn: spec.alpn, sni },
            () => helloFromProfile(p, sni),
          ),
        `the ClientHello of ${p.client.name}`,
      )) as RawProbe,
    );
  // Our deadline (or our connection) is not the server's answer: the same hello gets one more try.
  const own = await onceMore(await sendOwn(false), () => sendOwn(true));
  const out: Partial<ClientSim> = { hello: own.raw, ...(missed(own) ? { helloTimedOut: true as const } : {}) };
  if (!accepted(own)) {
    // Refused: the bisection from this client's parameters (the one the TLS stage runs from Node's).
    const steps: Array<RawProbe & { label: BisectHelloLabel }> = [];
    await bisect(
      { ...ctx, target: { ...ctx.target, sni } },
      async (label, purpose, s, ro) => {
        const send = (why: string) => go(() => rawHello(ctx, `client-${p.id}-${label}`, why, s, ro), `bisection for ${p.client.name}`) as Promise<RawProbe>;
        const why = purpose.replace(/Node's/g, `${p.client.name}'s`);
        // Our deadline passing is no answer: one more try. A hang-up without an alert counts as a refusal only when the same hello gets it twice.
        const first = await onceMore(count(await send(why)), async () => count(await send(`${why} (sent again after our deadline passed)`)));
        const [r] = await confirmHangUp(first, async () => count(await send(`${why} (sent again after a hang-up)`)));
        steps.push({ ...r!, label });
        return r!;
      },
      spec,
    );
    out.bisect = steps.map((s): ClientBisectStep => ({ label: s.label, accepted: accepted(s), answer: answerOf(s.raw), ...(missed(s) ? { timedOut: true as const } : {}) }));
  } else if (own.raw.outcome === 'server-hello' && own.raw.alpn === 'h2') {
    const suite = own.raw.cipherCode !== undefined ? cipherSuite(own.raw.cipherCode) : undefined;
    const open = async (again: boolean) =>
      (
        (await go(async () => {
          const m = new Meter(ctx, `client-${p.id}-h2${again ? ':again' : ''}`);
          const r = await h2Opening(m, p, { version: own.raw.version, cipher: suite?.tls13 ? undefined : (suite?.openssl ?? undefined), sni });
          bytes.sent += m.sent;
          bytes.received += m.received;
          return { kind: 'client-sim', h2: r } as unknown as Probe;
        }, `the HTTP/2 opening of ${p.client.name}`)) as unknown as { h2: NonNullable<ClientSim['h2']> }
      ).h2;
    // An opening that ended on our deadline (not on anything the server did) gets one more try; twice is not decided (timedOut).
    const first = await open(false);
    out.h2 = first.timedOut ? await open(true) : first;
  }
  return record(ctx, p, chosen, t0, bytes, out);
}

/**
 * Whether a raw hello ended on our side, not on the server's answer: our deadline passed with nothing
 * decided, or our connection could not be made. Such a probe is no refusal.
 * @example missed(r) // true for { connect: { ok: false, error: 'timeout' } } or raw.outcome 'timeout'
 */
export const missed = (r: RawProbe): boolean => !r.connect.ok || r.raw.outcome === 'timeout';

/** The probe, or, when it ended on our side (missed), the same probe sent once more. */
async function onceMore(first: RawProbe, again: () => Promise<RawProbe>): Promise<RawProbe> {
  if (!missed(first)) return first;
  const second = await again();
  return { ...second, raw: { ...second.raw, firstAttempt: { outcome: first.raw.outcome, ...(first.raw.detail ? { detail: first.raw.detail } : {}) } } };
}

function answerOf(r: RawTlsResult): string {
  if (r.outcome === 'server-hello' || r.outcome === 'hello-retry') return `${r.version ?? '?'} ${r.cipher ?? ''}`.trim();
  if (r.alert) return `alert ${r.alert.name} (${r.alert.code})`;
  return r.detail ? `${r.outcome}: ${r.detail}` : r.outcome;
}
