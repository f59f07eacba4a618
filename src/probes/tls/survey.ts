/**
 * `--survey`: the server's whole TLS surface with raw hellos, under the diagnosis's concurrency
 * bound and `--rate`. Versions (SSL 3.0, TLS 1.0–1.3) in parallel; per accepted version the suites,
 * found by offering everything and striking out each suite the server picks until it refuses
 * (which also gives its order when it imposes one); groups one per hello; ALPN h2 alone and
 * http/1.1 alone (TLS 1.3 answers read from the decrypted EncryptedExtensions); the certificate
 * without SNI and for an unknown name.
 */
import type { Probe } from '../../types.js';
import type { ProbeContext } from '../context.js';
import type { TlsSurface } from '../stages/tls-types.js';
import { accepted, type RawProbe, type RawRunner } from './raw.js';
import { V, ALL_GROUPS, ALL_SIGALGS, NODE_ALPN as ALPN, ciphersFor, canKeyShare, groupCode, versionLabel, nodeDefaultHello, type HelloSpec } from './hello.js';
import { pacer } from './rate.js';
import { cipherSuite, cipherSuiteName, groupName } from '../../wire/tls/registry.js';

type TlsProbe = Extract<Probe, { kind: 'tls' }>;
/** At most this many suites per version (the registry has ~340; no server enables that many). */
const MAX_SUITES = 64;

/** Groups surveyed: every group a server might enable (binary and GOST curves left out). */
const SURVEY_GROUPS = ALL_GROUPS.filter((g) => g >= 0x0013 && g !== 0x0022 && (g < 0x0022 || g > 0x0028));

export async function survey(ctx: ProbeContext, d: TlsProbe, run: RawRunner, seen: RawProbe[]): Promise<TlsSurface> {
  const pace = pacer(ctx.options.rate);
  const raw: RawRunner = async (...a) => {
    await pace();
    return run(...a);
  };
  const sni = ctx.target.sni;
  const spec = (v: number, extra: Partial<HelloSpec> = {}): HelloSpec => ({
    versions: [v],
    ciphers: ciphersFor(v),
    groups: [...ALL_GROUPS],
    sigalgs: [...ALL_SIGALGS],
    alpn: v === V.SSL3 ? null : ALPN,
    sni: v === V.SSL3 ? null : sni,
    ...extra,
  });
  const versions = [V.TLS13, V.TLS12, V.TLS11, V.TLS10, V.SSL3];
  // A TLS 1.3 server that wants another group answers with a HelloRetryRequest: later TLS 1.3 hellos send a share for it.
  let share13: number[] | undefined;
  const perVersion = await Promise.all(
    versions.map(async (v) => {
      const first = await raw(`survey-${versionLabel(v)}`, `does the server accept ${versionLabel(v)}?`, spec(v));
      const ok = accepted(first) && first.raw.versionCode === v;
      const entry: TlsSurface['versions'][number] = { version: versionLabel(v), accepted: ok };
      if (!ok) {
        if (first.raw.alert) entry.alert = `${first.raw.alert.name} (${first.raw.alert.code})`;
        return { v, entry, order: undefined as boolean | undefined };
      }
      if (first.raw.alpn !== undefined) entry.alpn = first.raw.alpn;
      if (v === V.TLS13 && first.raw.outcome === 'hello-retry' && first.raw.group) {
        const g = groupCode(first.raw.group);
        if (g !== undefined && canKeyShare(g)) share13 = [g];
      }
      // Strike out each suite the server picks until it refuses: the order of picks is its preference when it has one.
      const found: number[] = [first.raw.cipherCode!];
      let left = ciphersFor(v).filter((c) => c !== first.raw.cipherCode);
      while (found.length < MAX_SUITES && left.length) {
        const p = await raw(`survey-${versionLabel(v)}-suite-${found.length + 1}`, `${versionLabel(v)} suites, without those found so far`, spec(v, { ciphers: left, alpn: null }), { decrypt: false, fullFlight: false });
        if (!accepted(p) || p.raw.versionCode !== v || p.raw.cipherCode === undefined || !left.includes(p.raw.cipherCode)) break;
        found.push(p.raw.cipherCode);
        left = left.filter((c) => c !== p.raw.cipherCode);
      }
      entry.ciphers = found.map((c) => first.raw.cipherCode === c ? first.raw.cipher! : cipherSuiteName(c));
      // Does the server impose its order? Offer what it chose, reversed: the same first pick says yes.
      let order: boolean | undefined;
      if (found.length > 1 && v !== V.SSL3) {
        const p = await raw(`survey-${versionLabel(v)}-order`, `${versionLabel(v)}: the suites found, in reverse order`, spec(v, { ciphers: [...found].reverse(), alpn: null }), { decrypt: false, fullFlight: false });
        if (accepted(p)) order = p.raw.cipherCode === found[0];
      }
      return { v, entry, order };
    }),
  );
  const surface: TlsSurface = { versions: perVersion.map((x) => x.entry) };
  const order12 = perVersion.find((x) => x.v === V.TLS12)?.order ?? perVersion.find((x) => x.order !== undefined)?.order;
  if (order12 !== undefined) surface.serverCipherOrder = order12;
  const top = perVersion.find((x) => x.entry.accepted && x.v !== V.SSL3)?.v;
  if (top === undefined) return surface;

  // Groups, one per hello: under TLS 1.3 a ServerHello or a HelloRetryRequest naming it; under TLS 1.2 its ServerKeyExchange.
  const groups = await Promise.all(
    SURVEY_GROUPS.map(async (g) => {
      const v = top >= V.TLS13 ? V.TLS13 : top;
      const ciphers = v === V.TLS13 ? ciphersFor(v) : ciphersFor(v).filter((c) => isEcdheOrDhe(c, g));
      if (!ciphers.length) return undefined;
      const p = await raw(`survey-group-${groupName(g)}`, `is ${groupName(g)} accepted?`, spec(v, { groups: [g], ciphers, alpn: null, keyShareGroups: canKeyShare(g) ? [g] : [] }), { decrypt: false, fullFlight: true });
      return accepted(p) && p.raw.group === groupName(g) ? groupName(g) : undefined;
    }),
  );
  surface.groups = groups.filter((g): g is string => !!g);

  // ALPN: h2 alone and http/1.1 alone, at the best version (TLS 1.3 read from EncryptedExtensions).
  const alpnOffers = [['h2'], ['http/1.1']];
  surface.alpn = await Promise.all(
    alpnOffers.map(async (offered) => {
      const p = await raw(`survey-alpn-${offered[0]}`, `ALPN [${offered.join(', ')}] alone`, spec(top, { alpn: offered, ...(top === V.TLS13 && share13 ? { keyShareGroups: share13 } : {}) }));
      return { offered, chosen: accepted(p) ? (p.raw.alpn ?? null) : ('refused' as const) };
    }),
  );

  // The certificate without SNI and for a name the server cannot know, compared with the target's.
  const ref = d.tls.cert?.fingerprint256 ?? seen.find((p) => p.raw.cert)?.raw.cert?.fingerprint256;
  const base = await nodeDefaultHello();
  const cmp = (p: RawProbe): TlsSurface['noSni'] => (!accepted(p) ? 'refused' : !p.raw.cert || !ref ? 'accepted' : p.raw.cert.fingerprint256 === ref ? 'same-certificate' : 'other-certificate');
  if (sni) {
    const [noSni, unknown] = await Promise.all([
      raw('survey-no-sni', 'the certificate without SNI', { ...base, alpn: ALPN, sni: null }),
      raw('survey-unknown-name', 'the certificate for a name the server cannot know', { ...base, alpn: ALPN, sni: 'h2doctor-unknown-name.invalid' }),
    ]);
    surface.noSni = cmp(noSni);
    surface.unknownName = cmp(unknown);
  }
  return surface;
}

function isEcdheOrDhe(code: number, group: number): boolean {
  const c = cipherSuite(code);
  if (!c) return false;
  const ff = group >= 0x0100 && group <= 0x0104;
  return ff ? c.kx === 'DHE' : c.kx === 'ECDHE';
}
