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
import type { Probe, TlsResult } from '../../model/index.js';
import type { ProbeContext } from '../context.js';
import type { TlsSurface } from '../../model/tls-probes.js';
import { accepted, type RawProbe, type RawRunner } from './raw.js';
import { V, NODE_ALPN as ALPN, TLS13_CIPHERS, ciphersFor, groupCode, nodeDefaultHello, tableVersionName, versionLabel } from './hello.js';
import { pacer } from './rate.js';
import { cipherByName, cipherSuiteName, groupName } from '../../wire/tls/registry.js';
import { eliminate } from './survey-eliminate.js';
import { EC_GROUPS, SURVEY_GROUPS, type SurveyShared, type VersionResult } from './survey-shared.js';

type TlsProbe = Extract<Probe, { kind: 'tls' }>;

/**
 * The survey of one address: versions, suites, groups, signature schemes and ALPN (see above).
 * @example const surface = await survey(ctx, d, raw, out); surface.versions[0]?.accepted
 */
export async function survey(ctx: ProbeContext, d: TlsProbe, run: RawRunner, seen: RawProbe[]): Promise<TlsSurface> {
  const pace = pacer(ctx.options.rate);
  const raw: RawRunner = async (...a) => {
    await pace();
    return run(...a);
  };
  let tls13Answer: (accepted: boolean) => void = () => {};
  const tls13Accepted = new Promise<boolean>((r) => (tls13Answer = r));
  let ecNamedNow: () => void = () => {};
  const ecNamed = new Promise<void>((r) => (ecNamedNow = r));
  const s: SurveyShared = { raw, sni: ctx.target.sni, groupsFound: new Set(), sigalgsFound: new Set(), tls13Accepted, tls13Answer: (a) => tls13Answer(a), ecNamed, ecNamedNow: () => ecNamedNow() };
  const node = await nodeDefaultHello();
  const seed = seedFrom(d, d.tls, V.TLS13, ALPN);
  const t13run = eliminate(s, V.TLS13, seed, !!seed, node.ciphers.filter((c) => TLS13_CIPHERS.includes(c))).finally(() => tls13Answer(false));
  // TLS 1.2's own question is the default handshake's when it got TLS 1.2, else the HTTP/1.1 probe's
  // when that one (TLS 1.2 at most, with the name: probes/plan.ts) completed at TLS 1.2.
  // The HTTP/1.1 probe's answer is not waited for (its handshake starts with ours and ends later): it is
  // taken in between hellos when it comes (Elimination.absorb), a suite found without a hello of ours.
  const seed12 = seedFrom(d, d.tls, V.TLS12, ALPN);
  const h1 = seed12 ? undefined : ctx.http1Tls?.then((t) => (t?.maxVersion === 'TLSv1.2' ? seedFrom(d, t, V.TLS12, ['http/1.1']) : undefined));
  const t12run = eliminate(s, V.TLS12, seed12, !!seed12, seed12 ? node.ciphers.filter((c) => !TLS13_CIPHERS.includes(c)) : undefined, h1).finally(() => ecNamedNow());
  // The certificate without SNI: a hello of its own. Without SNI a server answers for its default site,
  // whose versions and suites may not be the name's (Caddy with a per-site `protocols tls1.3` takes
  // TLS 1.2 without SNI only), so no version's question is asked without SNI.
  const noSniRun = s.sni ? noSniCertificate(s, d) : Promise.resolve(undefined);
  const [t13, t12, legacy, noSni] = await Promise.all([t13run, t12run, legacyVersions(s), noSniRun]);
  return surfaceOf(s, d, seen, [t13, t12, ...legacy], t12, noSni);
}

/** The surface from each version's result. */
function surfaceOf(s: SurveyShared, d: TlsProbe, seen: RawProbe[], perVersion: VersionResult[], t12: VersionResult, noSni: TlsSurface['noSni']): TlsSurface {
  const surface: TlsSurface = {
    versions: [V.TLS13, V.TLS12, V.TLS11, V.TLS10, V.SSL3].map((v) => {
      const e = perVersion.find((x) => x.v === v);
      const entry: TlsSurface['versions'][number] = { version: versionLabel(v), accepted: !!e?.detail };
      if (e?.detail) {
        entry.ciphers = e.detail.suites.map((x) => x.name);
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
  surface.groups = SURVEY_GROUPS.filter((g) => s.groupsFound.has(g)).map(groupName);
  if (s.sigalgsFound.size) surface.signatureAlgorithms = [...s.sigalgsFound];
  if (s.dhe) surface.dhe = s.dhe;
  const top = details[0];
  if (top) surface.alpn = top.alpn.filter((a) => a.offered.length === 1);
  const key = d.tls.cert ? certKey(seen, d.tls.cert.fingerprint256) : undefined;
  if (key) surface.certificateKey = key;
  if (noSni) surface.noSni = noSni;
  return surface;
}

/** Node's own hello without SNI: which certificate comes then, compared with the name's. */
async function noSniCertificate(s: SurveyShared, d: TlsProbe): Promise<TlsSurface['noSni']> {
  const ref = d.tls.cert?.fingerprint256;
  const q = await s.raw('survey-no-sni', 'the certificate without SNI (a hello of its own: the default site may accept other versions and suites than the name)', { ...(await nodeDefaultHello()), alpn: ALPN, sni: null });
  return !accepted(q) ? 'refused' : !q.raw.cert || !ref ? 'accepted' : q.raw.cert.fingerprint256 === ref ? 'same-certificate' : 'other-certificate';
}

/** One hello "up to TLS 1.1": refused, then 1.1, 1.0 and SSL 3.0 are all refused; accepted, the version it names is eliminated and the ones below asked again. */
async function legacyVersions(s: SurveyShared): Promise<VersionResult[]> {
  const out: VersionResult[] = [];
  let topV: number = V.TLS11;
  while (topV >= V.SSL3) {
    const versions = [V.TLS11, V.TLS10, V.SSL3].filter((v) => v <= topV);
    const ssl3 = topV === V.SSL3;
    const p = await s.raw(`survey-${tableVersionName(topV)}`, `does the server accept ${versions.map(versionLabel).join(', ')}? (one hello: a server picks the highest version it has)`, {
      versions,
      ciphers: ciphersFor(topV),
      groups: [...EC_GROUPS],
      sigalgs: [],
      alpn: ssl3 ? null : ALPN,
      sni: ssl3 ? null : s.sni,
    }, { decrypt: false });
    const got = accepted(p) ? p.raw.versionCode : undefined;
    const alert = p.raw.alert ? `${p.raw.alert.name} (${p.raw.alert.code})` : undefined;
    if (got === undefined || got > topV || got < V.SSL3) {
      for (const v of versions) out.push({ v, ...(alert ? { alert } : {}) });
      return out;
    }
    for (const v of versions.filter((x) => x > got)) out.push({ v, ...(alert ? { alert } : {}) });
    out.push(await eliminate(s, got, p));
    topV = got - 1;
  }
  return out;
}

/**
 * A handshake of Node's as an elimination's first answer, when it completed at version `v` with a
 * suite we can name: the default handshake (Node's hello with the name, ALPN h2 and http/1.1) for
 * TLS 1.3, or for TLS 1.2 when it got TLS 1.2; the HTTP/1.1 probe's (TLS 1.2 at most, with the name,
 * ALPN http/1.1 alone) for TLS 1.2. The version is accepted, that suite (and group) found, and the
 * ALPN answer to the offer read: one connection fewer. Not a probe of its own (the `tls-default` or
 * HTTP/1.1 probe is the evidence); only what the elimination reads of an answer is filled in.
 */
function seedFrom(d: TlsProbe, t: TlsResult, v: number, alpn: string[]): RawProbe | undefined {
  if (t.outcome !== 'handshake' || t.version !== versionLabel(v) || !t.cipher || t.offeredAlpn.join() !== alpn.join()) return undefined;
  const suite = cipherByName(t.cipher.standardName);
  if (!suite) return undefined;
  const n = t.ephemeral?.type === 'ECDH' ? t.ephemeral.name?.toLowerCase() : undefined;
  const group = n ? groupCode(n === 'prime256v1' ? 'secp256r1' : n) : undefined;
  // TLS 1.3 always names its group: without one we could read, no seed.
  if (v === V.TLS13 && group === undefined) return undefined;
  const label = `survey-${tableVersionName(v)}`;
  const raw = { offer: { alpn: [...alpn] }, outcome: 'server-hello', version: versionLabel(v), versionCode: v, cipher: cipherSuiteName(suite.code), cipherCode: suite.code, ...(group !== undefined ? { group: groupName(group) } : {}), alpn: t.alpn ?? null };
  return { ...d, kind: 'tls-raw', label, purpose: "a handshake of Node's (the default one, or the HTTP/1.1 probe's)", raw } as unknown as RawProbe;
}

/** The key of the target's certificate, from the raw hellos that saw it. */
function certKey(seen: RawProbe[], ref: string | undefined): TlsSurface['certificateKey'] | undefined {
  const c = seen.find((p) => p.raw.cert && (!ref || p.raw.cert.fingerprint256 === ref))?.raw.cert;
  if (!c?.keyType) return undefined;
  return { type: c.keyType, ...(c.keyBits ? { bits: c.keyBits } : {}) };
}
