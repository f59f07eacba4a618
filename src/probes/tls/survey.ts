/**
 * `--survey`: the server's whole TLS surface with raw hellos, under the diagnosis's concurrency
 * bound and `--rate`, in as few connections as the answers allow:
 * - versions: TLS 1.3 and TLS 1.2 each open their own elimination; one hello "up to TLS 1.1" answers
 *   TLS 1.1, 1.0 and SSL 3.0 at once (a server picks the highest version it has, RFC 5246 App. E.1),
 *   split only when it is accepted;
 * - elimination on several dimensions at once: each hello offers every suite and group not found
 *   yet; the ServerHello (and ServerKeyExchange, or under TLS 1.3 the HelloRetryRequest) names one
 *   of each, which the next hello leaves out. A refusal with more than one dimension still open is
 *   split by one hello per dimension (the others offering only what was found). Groups are shared
 *   between versions: a group one version found is not looked for again by the other;
 * - below TLS 1.3, signature schemes (and, when TLS 1.3 is accepted, groups too) are not taken out
 *   but rotated: every hello offers all of them, the ones not seen yet first. Taking them out makes
 *   a server with an ECDSA certificate refuse (RFC 8422 §5.1: its curve and a matching scheme must
 *   be offered), which cost a split per refusal; rotated, each accepted hello still names one not
 *   seen yet when the server follows the client's order. Signature schemes are "the ones the
 *   server signed with"; groups stay proven by elimination under TLS 1.3, which looks for the
 *   groups TLS 1.2 cannot name (FFDHE, hybrids) first and sends key shares only on the hellos that
 *   read ALPN, so that the server names its group in a HelloRetryRequest;
 * - ALPN rides on the first three hellos of each version ([h2, http/1.1], [h2] alone, [http/1.1]
 *   alone; TLS 1.3 answers read from the decrypted EncryptedExtensions); an ALPN refusal (alert 120)
 *   is recorded and the hello repeated without ALPN;
 * - the server's cipher order: once the suites are done while another dimension is still open, the
 *   found suites are offered reversed (a server that imposes its order still picks its first); when
 *   nothing is left to ride on, one hello asks it;
 * - the certificate without SNI: a hello of its own (Node's), never one of the versions' questions:
 *   without SNI a server answers for its default site, whose versions and suites may differ.
 * Every suite found is rated: weak, no forward secrecy, on the RFC 9113 Appendix A block list.
 */
import type { Probe } from '../../model/index.js';
import type { ProbeContext } from '../context.js';
import type { RatedSuite, SurveyHelloLabel, TlsSurface, TlsSurfaceVersion } from '../../model/tls-probes.js';
import { accepted, type RawProbe } from './raw.js';
import type { RawRunner } from './raw.js';
import { V, ALL_GROUPS, ALL_SIGALGS, NODE_ALPN as ALPN, ciphersFor, canKeyShare, groupCode, nodeDefaultHello, tableVersionName, versionLabel, type HelloSpec } from './hello.js';
import { pacer } from './rate.js';
import { cipherByName, cipherSuite, cipherSuiteName, groupName, h2Blocklisted, SIGNATURE_SCHEMES } from '../../wire/tls/registry.js';

type TlsProbe = Extract<Probe, { kind: 'tls' }>;
/** At most this many hellos per version (the registry has ~340 suites; no server enables that many). */
const MAX_HELLOS = 96;

/** Groups surveyed: every group a server might enable (binary and GOST curves left out). */
const SURVEY_GROUPS = ALL_GROUPS.filter((g) => g >= 0x0013 && g !== 0x0022 && (g < 0x0022 || g > 0x0028));
/** Under TLS 1.2 only ECDHE curves are negotiated through supported_groups (RFC 8422); FFDHE (RFC 7919) is left to TLS 1.3. */
const EC_GROUPS = SURVEY_GROUPS.filter((g) => g < 0x0100);
/** Groups we can send a key share for (so the TLS 1.3 flight can be decrypted). */
const KEYABLE = [0x001d, 0x0017, 0x001e, 0x0018, 0x0019].filter((g) => SURVEY_GROUPS.includes(g) && canKeyShare(g));

type Dim = 'suite' | 'group' | 'sigalg';

export function rateSuite(code: number): RatedSuite {
  const c = cipherSuite(code);
  return { name: cipherSuiteName(code), code, weak: !!c?.insecure, forwardSecrecy: !!c && (c.tls13 || c.ephemeral), h2Blocklisted: h2Blocklisted(code) };
}

const sigCode = (name: string): number | undefined => (SIGNATURE_SCHEMES as Record<string, number>)[name];

export async function survey(ctx: ProbeContext, d: TlsProbe, run: RawRunner, seen: RawProbe[]): Promise<TlsSurface> {
  const pace = pacer(ctx.options.rate);
  const raw: RawRunner = async (...a) => {
    await pace();
    return run(...a);
  };
  const sni = ctx.target.sni;
  const ref = d.tls.cert?.fingerprint256;
  /** Groups found at any version: shared by the eliminations running side by side. */
  const groupsFound = new Set<number>();
  const sigalgsFound = new Set<string>();
  let dhe: TlsSurface['dhe'];

  const legacyTop = V.TLS11;
  /** Whether TLS 1.3 took its first hello: then groups are proven there, and the older versions only rotate them. */
  let tls13Answer: (accepted: boolean) => void = () => {};
  const tls13Accepted = new Promise<boolean>((r) => (tls13Answer = r));
  const t13run = eliminate(V.TLS13).finally(() => tls13Answer(false));
  // The certificate without SNI: a hello of its own. Without SNI a server answers for its default site,
  // whose versions and suites may not be the name's (Caddy with a per-site `protocols tls1.3` takes
  // TLS 1.2 without SNI only), so no version's question is asked without SNI.
  const noSniRun = sni ? noSniCertificate() : Promise.resolve(undefined);
  const [t13, t12, legacy, noSni] = await Promise.all([t13run, eliminate(V.TLS12), legacyVersions(), noSniRun]);
  const perVersion = [t13, t12, ...legacy];
  const surface: TlsSurface = {
    versions: [V.TLS13, V.TLS12, V.TLS11, V.TLS10, V.SSL3].map((v) => {
      const e = perVersion.find((x) => x.v === v);
      const entry: TlsSurface['versions'][number] = { version: versionLabel(v), accepted: !!e?.detail };
      if (e?.detail) {
        entry.ciphers = e.detail.suites.map((s) => s.name);
        const first = e.detail.alpn.find((a) => a.offered.length === 2);
        if (first && first.chosen !== 'refused') entry.alpn = first.chosen;
      } else if (e?.alert) entry.alert = e.alert;
      return entry;
    }),
  };
  const details = perVersion.flatMap((x) => (x.detail ? [x.detail] : []));
  if (details.length) surface.detail = details;
  const order = t12.detail?.serverPreference ?? details.find((x) => x.serverPreference !== undefined)?.serverPreference;
  if (order !== undefined) surface.serverCipherOrder = order;
  surface.groups = SURVEY_GROUPS.filter((g) => groupsFound.has(g)).map(groupName);
  if (sigalgsFound.size) surface.signatureAlgorithms = [...sigalgsFound];
  if (dhe) surface.dhe = dhe;
  const top = details[0];
  if (top) surface.alpn = top.alpn.filter((a) => a.offered.length === 1);
  const key = d.tls.cert ? certKey(seen, ref) : undefined;
  if (key) surface.certificateKey = key;
  if (noSni) surface.noSni = noSni;
  return surface;

  /** Node's own hello without SNI: which certificate comes then, compared with the name's. */
  async function noSniCertificate(): Promise<TlsSurface['noSni']> {
    const q = await raw('survey-no-sni', 'the certificate without SNI (a hello of its own: the default site may accept other versions and suites than the name)', { ...(await nodeDefaultHello()), alpn: ALPN, sni: null });
    return !accepted(q) ? 'refused' : !q.raw.cert || !ref ? 'accepted' : q.raw.cert.fingerprint256 === ref ? 'same-certificate' : 'other-certificate';
  }

  /** One hello "up to TLS 1.1": refused, then 1.1, 1.0 and SSL 3.0 are all refused; accepted, the version it names is eliminated and the ones below asked again. */
  async function legacyVersions(): Promise<Array<{ v: number; detail?: TlsSurfaceVersion; alert?: string }>> {
    const out: Array<{ v: number; detail?: TlsSurfaceVersion; alert?: string }> = [];
    let topV: number = legacyTop;
    while (topV >= V.SSL3) {
      const versions = [V.TLS11, V.TLS10, V.SSL3].filter((v) => v <= topV);
      const ssl3 = topV === V.SSL3;
      const p = await raw(`survey-${tableVersionName(topV)}`, `does the server accept ${versions.map(versionLabel).join(', ')}? (one hello: a server picks the highest version it has)`, {
        versions,
        ciphers: ciphersFor(topV),
        groups: [...EC_GROUPS],
        sigalgs: [],
        alpn: ssl3 ? null : ALPN,
        sni: ssl3 ? null : sni,
      }, { decrypt: false });
      const got = accepted(p) ? p.raw.versionCode : undefined;
      const alert = p.raw.alert ? `${p.raw.alert.name} (${p.raw.alert.code})` : undefined;
      if (got === undefined || got > topV || got < V.SSL3) {
        for (const v of versions) out.push({ v, ...(alert ? { alert } : {}) });
        return out;
      }
      for (const v of versions.filter((x) => x > got)) out.push({ v, ...(alert ? { alert } : {}) });
      const e = await eliminate(got, p);
      out.push(e);
      topV = got - 1;
    }
    return out;
  }

  /**
   * Every suite, group and signature scheme version `v` accepts, by elimination on all three at once.
   * `first`: a hello already answered at this version (the legacy probe).
   */
  async function eliminate(v: number, first?: RawProbe): Promise<{ v: number; detail?: TlsSurfaceVersion; alert?: string }> {
    const label = tableVersionName(v);
    const is13 = v === V.TLS13;
    const all: Record<Dim, number[]> = {
      suite: ciphersFor(v),
      group: is13 ? [...SURVEY_GROUPS] : [...EC_GROUPS],
      sigalg: v >= V.TLS12 && !is13 ? [...ALL_SIGALGS] : [],
    };
    const found: Record<Dim, number[]> = { suite: [], group: [], sigalg: [] };
    const done: Record<Dim, boolean> = { suite: false, group: false, sigalg: all.sigalg.length === 0 };
    /** Dimensions offered whole, the values not seen yet first (below TLS 1.3: signature schemes; groups once TLS 1.3 is known accepted). */
    const rotate: Record<Dim, boolean> = { suite: false, group: false, sigalg: !is13 };
    if (rotate.sigalg) done.sigalg = true;
    const sigSeen: string[] = [];
    const alpn: TlsSurfaceVersion['alpn'] = [];
    const alpnPlan: Array<string[]> = [ALPN, ['h2'], ['http/1.1']];
    let reversedAsked = false;
    let serverPreference: boolean | undefined;
    let n = 0;

    const remaining = (dim: Dim) => all[dim].filter((x) => !found[dim].includes(x) && !(dim === 'group' && groupsFound.has(x)));
    /** What a hello offers in dimension `dim`: what is left to find, or (closed, or `only`) what was found. */
    const offerOf = (dim: Dim, open: boolean): number[] => {
      if (rotate[dim]) {
        const seen = dim === 'group' ? (x: number) => found.group.includes(x) || groupsFound.has(x) : (x: number) => found[dim].includes(x);
        return [...all[dim].filter((x) => !seen(x)), ...all[dim].filter(seen)];
      }
      if (open) {
        const r = remaining(dim);
        // TLS 1.3 looks first for the groups no older version can name (FFDHE, hybrids): a server that follows the client's order picks those.
        return is13 && dim === 'group' ? [...r.filter((g) => !EC_GROUPS.includes(g)), ...r.filter((g) => EC_GROUPS.includes(g))] : r;
      }
      if (dim === 'group') return found.group.length ? found.group : all.group.filter((g) => groupsFound.has(g)).length ? all.group.filter((g) => groupsFound.has(g)) : all.group;
      return found[dim].length ? found[dim] : all[dim];
    };
    const hello = async (open: Record<Dim, boolean>, why: string, o: { alpn?: string[] | null; reverse?: boolean; label?: SurveyHelloLabel; shares?: boolean } = {}): Promise<RawProbe> => {
      n++;
      let ciphers = offerOf('suite', open.suite);
      if (o.reverse) ciphers = [...ciphers].reverse();
      const groups = offerOf('group', open.group);
      const spec: HelloSpec = {
        versions: [v],
        ciphers,
        groups,
        sigalgs: v >= V.TLS12 ? (all.sigalg.length ? offerOf('sigalg', open.sigalg) : [...ALL_SIGALGS]) : [],
        alpn: o.alpn === undefined ? null : o.alpn,
        sni,
        // Key shares only where the answer must be a ServerHello we can decrypt (ALPN, certificate, signature): otherwise the server names its group in a HelloRetryRequest, whatever shares we hold.
        ...(is13 ? { keyShareGroups: o.shares === false ? [] : KEYABLE.filter((g) => groups.includes(g)).slice(0, 2) } : {}),
      };
      const name = o.label ?? (n === 1 ? `survey-${label}` : `survey-${label}-${n}`);
      return raw(name, `${label}: ${why}`, spec, { decrypt: is13, fullFlight: !is13 });
    };
    /** Record what an accepted hello names; true when it named something new. */
    const take = (p: RawProbe): boolean => {
      let fresh = false;
      const r = p.raw;
      if (r.cipherCode !== undefined && !found.suite.includes(r.cipherCode) && all.suite.includes(r.cipherCode)) {
        found.suite.push(r.cipherCode);
        fresh = true;
      }
      const g = r.group ? groupCode(r.group) : undefined;
      if (g !== undefined && all.group.includes(g) && !found.group.includes(g)) {
        found.group.push(g);
        // New to this version's elimination is progress, even when the other version (running side by
        // side) found the group between our offer and this answer: counting only groups new to both
        // closed the groups early, by a race (h2o, nginx: the FFDHE groups lost on some runs).
        fresh = true;
        groupsFound.add(g);
      }
      if (r.sigalg) {
        if (!sigSeen.includes(r.sigalg)) sigSeen.push(r.sigalg);
        sigalgsFound.add(r.sigalg);
        const s = sigCode(r.sigalg);
        if (s !== undefined && all.sigalg.includes(s) && !found.sigalg.includes(s)) {
          found.sigalg.push(s);
          fresh = true;
        }
      }
      if (r.dhBits && r.cipher && (!dhe || r.dhBits < dhe.bits)) dhe = { bits: r.dhBits, suite: r.cipher };
      if (reversedAsked && serverPreference === undefined && r.cipherCode !== undefined && found.suite.length > 1) {
        // Offered the found suites reversed: its own first pick again means the server's order rules.
        serverPreference = r.cipherCode === found.suite[0] ? true : r.cipherCode === found.suite[found.suite.length - 1] ? false : undefined;
      }
      return fresh;
    };
    const ok = (p: RawProbe) => accepted(p) && p.raw.versionCode === v;

    // The first hello: the version's question (TLS 1.3: the default handshake answered it already, when it got TLS 1.3).
    const seed = !first && is13 ? fromDefault(d) : undefined;
    if (seed) n++;
    const p = first ?? seed ?? (await hello({ suite: true, group: true, sigalg: true }, `does the server accept ${label}? (every suite, group and signature scheme)`, { alpn: ALPN }));
    const alert = p.raw.alert ? `${p.raw.alert.name} (${p.raw.alert.code})` : undefined;
    if (is13) tls13Answer(ok(p));
    if (!ok(p)) return { v, ...(alert ? { alert } : {}) };
    // TLS 1.3 took its hello: it proves the groups; this version rotates them (an ECDSA certificate's curve stays offered).
    if (!is13 && all.group.length && (await tls13Accepted)) {
      rotate.group = true;
      done.group = true;
    }
    // A HelloRetryRequest says nothing about ALPN: that offer waits for a later hello.
    if (p.raw.offer.alpn && p.raw.outcome === 'server-hello' && p.raw.alpn !== undefined) {
      alpn.push({ offered: p.raw.offer.alpn, chosen: p.raw.alpn });
      alpnPlan.shift();
    }
    take(p);

    while (n < MAX_HELLOS) {
      const open: Record<Dim, boolean> = { suite: !done.suite, group: !done.group, sigalg: !done.sigalg };
      for (const dim of ['suite', 'group', 'sigalg'] as Dim[]) if (open[dim] && remaining(dim).length === 0) {
        done[dim] = true;
        open[dim] = false;
      }
      const active = (['suite', 'group', 'sigalg'] as Dim[]).filter((x) => open[x]);
      if (!active.length) break;
      const offerAlpn = v !== V.SSL3 && !(is13 && done.suite) ? alpnPlan[0] : undefined;
      const reverse = done.suite && found.suite.length > 1 && serverPreference === undefined;
      if (reverse) reversedAsked = true;
      // TLS 1.3 once ALPN is read: the suites on their own first. A server has three or so, so the next
      // answer is likely a refusal, which then closes the suites alone instead of costing a split.
      const asked = is13 && !offerAlpn && active.includes('suite') && active.includes('group') ? (['suite'] as Dim[]) : active;
      const openNow: Record<Dim, boolean> = { suite: asked.includes('suite'), group: asked.includes('group'), sigalg: asked.includes('sigalg') };
      const q = await hello(openNow, `without the ${asked.join(', ')} found so far${reverse ? '; the suites found, reversed' : ''}`, { alpn: offerAlpn ?? null, reverse, shares: !!offerAlpn });
      if (offerAlpn && q.raw.alert?.code === 120) {
        // no_application_protocol: the ALPN answer is "refused"; the hello again without ALPN.
        alpn.push({ offered: offerAlpn, chosen: 'refused' });
        alpnPlan.shift();
        continue;
      }
      if (ok(q)) {
        if (offerAlpn && q.raw.outcome === 'server-hello' && q.raw.alpn !== undefined) {
          alpn.push({ offered: offerAlpn, chosen: q.raw.alpn });
          alpnPlan.shift();
        }
        if (!take(q)) {
          // Accepted without naming anything new (a suite that reveals no group, say): those dimensions cannot move on this way.
          for (const dim of asked) if (dim !== 'suite') done[dim] = true;
        }
        continue;
      }
      // Refused. With one dimension open it is finished; with several, ask each on its own.
      if (asked.length === 1) {
        done[asked[0]!] = true;
        continue;
      }
      // Each solo hello either finds something or closes its dimension. Groups and signature schemes
      // first, except under TLS 1.3 while ALPN is still to be read: then the suites' hello (found groups,
      // key shares for them) is a ServerHello that carries the next ALPN offer.
      const alpnFirst = is13 && !!alpnPlan[0];
      for (const dim of ((alpnFirst ? ['suite', 'group'] : ['group', 'sigalg', 'suite']) as Dim[]).filter((x) => active.includes(x))) {
        const only = { suite: false, group: false, sigalg: false, [dim]: true } as Record<Dim, boolean>;
        if (remaining(dim).length === 0) {
          done[dim] = true;
          continue;
        }
        const withAlpn = alpnFirst && dim === 'suite' ? alpnPlan[0] : undefined;
        const r = await hello(only, `only the ${dim}s not found yet, everything else as found`, { alpn: withAlpn ?? null, shares: !!withAlpn });
        if (withAlpn && r.raw.alert?.code === 120) {
          // no_application_protocol: that is the ALPN answer; the suites' question stays open for the loop.
          alpn.push({ offered: withAlpn, chosen: 'refused' });
          alpnPlan.shift();
          continue;
        }
        if (withAlpn && ok(r) && r.raw.outcome === 'server-hello' && r.raw.alpn !== undefined) {
          alpn.push({ offered: withAlpn, chosen: r.raw.alpn });
          alpnPlan.shift();
        }
        if (!ok(r) || !take(r)) done[dim] = true;
      }
    }
    // ALPN answers still missing (fewer hellos than offers), then the cipher order when nothing answered it.
    for (const offered of v === V.SSL3 ? [] : alpnPlan) {
      // With found values only, and a share for a found group: the answer is a ServerHello we can read.
      const q = await hello({ suite: false, group: false, sigalg: false }, `ALPN [${offered.join(', ')}]`, { alpn: offered });
      if (ok(q) && q.raw.outcome === 'server-hello' && q.raw.alpn !== undefined) alpn.push({ offered, chosen: q.raw.alpn });
      else if (q.raw.alert?.code === 120) alpn.push({ offered, chosen: 'refused' });
      if (ok(q)) take(q);
    }
    if (found.suite.length > 1 && serverPreference === undefined && v !== V.SSL3) {
      reversedAsked = true;
      const q = await hello({ suite: false, group: false, sigalg: false }, 'the suites found, in reverse order: does the server impose its own?', { reverse: true, shares: false });
      if (ok(q)) take(q);
    }
    const detail: TlsSurfaceVersion = {
      version: label,
      suites: found.suite.map(rateSuite),
      ...(serverPreference !== undefined ? { serverPreference } : {}),
      groups: found.group.map(groupName),
      signatureAlgorithms: sigSeen,
      alpn,
    };
    return { v, detail };
  }
}

/**
 * The default handshake (Node's hello with the name, ALPN h2 and http/1.1) as the TLS 1.3
 * elimination's first answer, when it got TLS 1.3 with a suite and group we can name: TLS 1.3 is
 * accepted, that suite and group are found, and the ALPN answer to [h2, http/1.1] is read. One
 * connection fewer. Not a probe of its own (the `tls-default` probe is the evidence); only what the
 * elimination reads of an answer is filled in.
 */
function fromDefault(d: TlsProbe): RawProbe | undefined {
  const t = d.tls;
  if (t.outcome !== 'handshake' || t.version !== 'TLSv1.3' || !t.cipher || t.ephemeral?.type !== 'ECDH' || !t.ephemeral.name) return undefined;
  const suite = cipherByName(t.cipher.standardName);
  const n = t.ephemeral.name.toLowerCase();
  const group = groupCode(n === 'prime256v1' ? 'secp256r1' : n);
  if (!suite || group === undefined || t.offeredAlpn.join() !== ALPN.join()) return undefined;
  const raw = { offer: { alpn: [...ALPN] }, outcome: 'server-hello', version: 'TLSv1.3', versionCode: V.TLS13, cipher: cipherSuiteName(suite.code), cipherCode: suite.code, group: groupName(group), alpn: t.alpn ?? null };
  return { ...d, kind: 'tls-raw', label: 'survey-TLSv1.3', purpose: "the default handshake (Node's hello)", raw } as unknown as RawProbe;
}

/** The key of the target's certificate, from the raw hellos that saw it. */
function certKey(seen: RawProbe[], ref: string | undefined): TlsSurface['certificateKey'] | undefined {
  const c = seen.find((p) => p.raw.cert && (!ref || p.raw.cert.fingerprint256 === ref))?.raw.cert;
  if (!c?.keyType) return undefined;
  return { type: c.keyType, ...(c.keyBits ? { bits: c.keyBits } : {}) };
}
