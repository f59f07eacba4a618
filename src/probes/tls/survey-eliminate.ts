/**
 * One version's elimination for `--survey` (survey.ts): every suite, group and signature scheme the
 * version accepts, on all three at once. Each hello offers what is not found yet; the answer names one
 * of each, which the next hello leaves out; a refusal with several dimensions open is split by one
 * hello per dimension. ALPN rides on the first hellos, and the server's cipher order on a reversed
 * offer of the suites found (see survey.ts for the whole plan).
 */
import type { TlsSurfaceVersion, SurveyHelloLabel } from '../../model/tls-probes.js';
import { EC_GROUPS, SURVEY_GROUPS, rateSuite, type SurveyShared, type VersionResult } from './survey-shared.js';
import { accepted, type RawProbe } from './raw.js';
import { V, ALL_SIGALGS, NODE_ALPN as ALPN, ciphersFor, canKeyShare, groupCode, tableVersionName, type HelloSpec } from './hello.js';
import { cipherSuiteName, groupName, SIGNATURE_SCHEMES } from '../../wire/tls/registry.js';

/** At most this many hellos per version (the registry has ~340 suites; no server enables that many). */
const MAX_HELLOS = 96;

/**
 * The key shares of a TLS 1.3 hello that must be answered with a ServerHello we can decrypt: the first
 * group offered that no older version can name (FFDHE: proved by the same hello that reads ALPN) and
 * the first elliptic one (a server without FFDHE takes that share instead of asking for another).
 */
function sharesFor(groups: number[]): number[] {
  const k = groups.filter(canKeyShare);
  return [k.find((g) => !EC_GROUPS.includes(g)), k.find((g) => EC_GROUPS.includes(g))].filter((g): g is number => g !== undefined);
}


type Dim = 'suite' | 'group' | 'sigalg';

const DIMS: Dim[] = ['suite', 'group', 'sigalg'];
const sigCode = (name: string): number | undefined => (SIGNATURE_SCHEMES as Record<string, number>)[name];



/**
 * Every suite, group and signature scheme version `v` accepts, by elimination on all three at once.
 * `first`: a hello already answered at this version (the legacy probe, or the default handshake's
 * answer under TLS 1.3: `seeded`, then it is not counted as a hello of ours).
 * @example const r = await eliminate(shared, V.TLS12); r.detail?.suites.length
 */
export async function eliminate(s: SurveyShared, v: number, first?: RawProbe, seeded = false, firstOffer?: number[], later?: Promise<RawProbe | undefined>): Promise<VersionResult> {
  const e = new Elimination(s, v);
  void later?.then((p) => p && e.absorb(p));
  return e.run(first, seeded, firstOffer);
}

/** ChaCha20 suites: a server may favour them when the client lists one first (OpenSSL's PRIORITIZE_CHACHA, Go), whatever its order otherwise. */
const isChacha = (code: number): boolean => /CHACHA20/.test(cipherSuiteName(code));

/** The ALPN offers of each version, in the order its `alpn` answers are listed. */
const ALPN_OFFERS: Array<string[]> = [ALPN, ['h2'], ['http/1.1']];
const alpnRank = (offered: string[]): number => ALPN_OFFERS.findIndex((x) => x.join() === offered.join());

class Elimination {
  private readonly label: string;
  private readonly is13: boolean;
  private readonly all: Record<Dim, number[]>;
  private readonly found: Record<Dim, number[]> = { suite: [], group: [], sigalg: [] };
  private readonly done: Record<Dim, boolean>;
  /** Dimensions offered whole, the values not seen yet first (below TLS 1.3: signature schemes; groups once TLS 1.3 is known accepted). */
  private readonly rotate: Record<Dim, boolean>;
  private readonly sigSeen: string[] = [];
  private readonly alpn: TlsSurfaceVersion['alpn'] = [];
  private readonly alpnPlan: Array<string[]> = [...ALPN_OFFERS];
  private reversedAsked = false;
  private serverPreference: boolean | undefined;
  /**
   * The cipher order without a hello of its own: the first suite found (W) is offered again, last,
   * after the suites not found yet. A server that follows the client's order takes one of those, which
   * is progress, and when that suite was offered with W before (and W taken then) it proves the client's
   * order; a server with its own order takes W again, and its next pick among the suites offered with
   * W then proves the server's order. `orderFirst`: the offer W was taken from.
   */
  private reofferW: number | undefined;
  private orderFirst: number[] = [];
  /** W was taken again: the suites offered before it then; a later pick among them proves the server's order. */
  private passedOver: number[] | undefined;
  /** The version's first answer (its own hello, the legacy probe's, or a seed: that offer did not rotate the groups). */
  private firstAnswer: RawProbe | undefined;
  /** Another handshake's answer at this version (the HTTP/1.1 probe's), taken in between hellos; see absorb. */
  private pending: RawProbe | undefined;
  private over = false;
  private n = 0;

  constructor(
    private readonly s: SurveyShared,
    private readonly v: number,
  ) {
    this.label = tableVersionName(v);
    this.is13 = v === V.TLS13;
    this.all = {
      suite: ciphersFor(v),
      group: this.is13 ? [...SURVEY_GROUPS] : [...EC_GROUPS],
      sigalg: v >= V.TLS12 && !this.is13 ? [...ALL_SIGALGS] : [],
    };
    this.done = { suite: false, group: false, sigalg: this.all.sigalg.length === 0 };
    this.rotate = { suite: false, group: false, sigalg: !this.is13 };
    if (this.rotate.sigalg) this.done.sigalg = true;
  }

  async run(first: RawProbe | undefined, seeded: boolean, firstOffer?: number[]): Promise<VersionResult> {
    const { v, is13, label } = this;
    if (seeded) this.n++;
    // The first hello: the version's question.
    const p = first ?? (await this.hello({ suite: true, group: true, sigalg: true }, `does the server accept ${label}? (every suite, group and signature scheme)`, { alpn: ALPN }));
    this.orderFirst = firstOffer ?? this.all.suite;
    this.firstAnswer = p;
    const alert = p.raw.alert ? `${p.raw.alert.name} (${p.raw.alert.code})` : undefined;
    if (is13) this.s.tls13Answer(this.ok(p));
    if (!this.ok(p)) return { v, ...(alert ? { alert } : {}) };
    // TLS 1.3 took its hello: it proves the groups; this version rotates them (an ECDSA certificate's curve stays offered).
    if (!is13 && this.all.group.length && (await this.s.tls13Accepted)) {
      this.rotate.group = true;
      this.done.group = true;
    }
    // A HelloRetryRequest says nothing about ALPN: that offer waits for a later hello.
    if (p.raw.offer.alpn && p.raw.outcome === 'server-hello' && p.raw.alpn !== undefined) this.answered(p.raw.offer.alpn, p.raw.alpn);
    this.take(p);
    if (p.raw.cipherCode !== undefined && this.found.suite[0] === p.raw.cipherCode && v !== V.SSL3) this.reofferW = p.raw.cipherCode;
    while (this.n < MAX_HELLOS && (await this.step()));
    this.over = true;
    await this.finish();
    const detail: TlsSurfaceVersion = {
      version: label,
      suites: this.found.suite.map(rateSuite),
      ...(this.serverPreference !== undefined ? { serverPreference: this.serverPreference } : {}),
      groups: this.found.group.map(groupName),
      signatureAlgorithms: this.sigSeen,
      alpn: [...this.alpn].sort((a, b) => alpnRank(a.offered) - alpnRank(b.offered)),
    };
    return { v, detail };
  }

  /** One hello of the loop; false when every dimension is done. */
  private async step(): Promise<boolean> {
    const { v, is13, done, found } = this;
    const open: Record<Dim, boolean> = { suite: !done.suite, group: !done.group, sigalg: !done.sigalg };
    for (const dim of DIMS) if (open[dim] && this.remaining(dim).length === 0) {
      done[dim] = true;
      open[dim] = false;
    }
    const active = DIMS.filter((x) => open[x]);
    if (!active.length) return false;
    const offerAlpn = v !== V.SSL3 && !(is13 && done.suite) ? this.alpnPlan[0] : undefined;
    const reverse = done.suite && found.suite.length > 1 && this.serverPreference === undefined;
    if (reverse) this.reversedAsked = true;
    // TLS 1.3: suites and groups together (the HelloRetryRequest names one of each); a refusal is
    // split with the groups first (split), whose answer also closes the suites.
    const asked = active;
    const openNow: Record<Dim, boolean> = { suite: asked.includes('suite'), group: asked.includes('group'), sigalg: asked.includes('sigalg') };
    const reoffer = this.reofferW !== undefined && !reverse && openNow.suite;
    const q = await this.hello(openNow, `without the ${asked.join(', ')} found so far${reverse ? '; the suites found, reversed' : ''}${reoffer ? '; the first suite found offered again, last (the cipher order)' : ''}`, { alpn: offerAlpn ?? null, reverse, shares: !!offerAlpn, reoffer });
    if (offerAlpn && q.raw.alert?.code === 120) {
      // no_application_protocol: the ALPN answer is "refused"; the hello again without ALPN.
      this.answered(offerAlpn, 'refused');
      return true;
    }
    if (this.ok(q)) {
      if (offerAlpn && q.raw.outcome === 'server-hello' && q.raw.alpn !== undefined) this.answered(offerAlpn, q.raw.alpn);
      if (!this.take(q)) {
        // Accepted without naming anything new (a suite that reveals no group, say): those dimensions cannot move on this way.
        for (const dim of asked) if (dim !== 'suite') done[dim] = true;
      }
      return true;
    }
    // Refused. With one dimension open it is finished; with several, ask each on its own.
    if (asked.length === 1) done[asked[0]!] = true;
    else await this.split(active);
    return true;
  }

  /**
   * A refusal with several dimensions open: each solo hello either finds something or closes its
   * dimension. Groups and signature schemes first, except under TLS 1.3 while ALPN is still to be
   * read: then the suites' hello (found groups, key shares for them) is a ServerHello that carries
   * the next ALPN offer.
   */
  private async split(active: Dim[]): Promise<void> {
    const alpnFirst = this.is13 && !!this.alpnPlan[0];
    for (const dim of ((alpnFirst ? ['suite', 'group'] : ['group', 'sigalg', 'suite']) as Dim[]).filter((x) => active.includes(x))) {
      const only = { suite: false, group: false, sigalg: false, [dim]: true } as Record<Dim, boolean>;
      if (this.done[dim]) continue;
      if (this.remaining(dim).length === 0) {
        this.done[dim] = true;
        continue;
      }
      const withAlpn = alpnFirst && dim === 'suite' ? this.alpnPlan[0] : undefined;
      const r = await this.hello(only, `only the ${dim}s not found yet, everything else as found`, { alpn: withAlpn ?? null, shares: !!withAlpn });
      if (withAlpn && r.raw.alert?.code === 120) {
        // no_application_protocol: that is the ALPN answer; the suites' question stays open for the loop.
        this.answered(withAlpn, 'refused');
        continue;
      }
      if (withAlpn && this.ok(r) && r.raw.outcome === 'server-hello' && r.raw.alpn !== undefined) this.answered(withAlpn, r.raw.alpn);
      const before = this.found.group.length;
      if (!this.ok(r) || !this.take(r)) this.done[dim] = true;
      // TLS 1.3 (any suite goes with any group): a group not found yet, taken with a suite already found,
      // was in the refused hello too, so none of the suites it offered is accepted.
      else if (this.is13 && dim === 'group' && this.found.group.length > before && active.includes('suite')) this.done.suite = true;
    }
  }

  /** ALPN answers still missing (fewer hellos than offers), then the cipher order when nothing answered it. */
  private async finish(): Promise<void> {
    const { v, found } = this;
    for (const offered of v === V.SSL3 ? [] : this.alpnPlan) {
      // With found values only, and a share for a found group: the answer is a ServerHello we can read.
      const q = await this.hello({ suite: false, group: false, sigalg: false }, `ALPN [${offered.join(', ')}]`, { alpn: offered });
      if (this.ok(q) && q.raw.outcome === 'server-hello' && q.raw.alpn !== undefined) this.alpn.push({ offered, chosen: q.raw.alpn });
      else if (q.raw.alert?.code === 120) this.alpn.push({ offered, chosen: 'refused' });
      if (this.ok(q)) this.take(q);
    }
    if (found.suite.length > 1 && this.serverPreference === undefined && v !== V.SSL3) {
      this.reversedAsked = true;
      const q = await this.hello({ suite: false, group: false, sigalg: false }, 'the suites found, in reverse order: does the server impose its own?', { reverse: true, shares: false });
      if (this.ok(q)) this.take(q);
    }
  }

  private remaining(dim: Dim): number[] {
    return this.all[dim].filter((x) => !this.found[dim].includes(x) && !(dim === 'group' && this.s.groupsFound.has(x)));
  }

  /** What a hello offers in dimension `dim`: what is left to find, or (closed, or `only`) what was found. */
  private offerOf(dim: Dim, open: boolean): number[] {
    const { all, found, is13 } = this;
    const groupsFound = this.s.groupsFound;
    if (this.rotate[dim]) {
      const seen = dim === 'group' ? (x: number) => found.group.includes(x) || groupsFound.has(x) : (x: number) => found[dim].includes(x);
      return [...all[dim].filter((x) => !seen(x)), ...all[dim].filter(seen)];
    }
    if (open) {
      const r = this.remaining(dim);
      // TLS 1.3 looks first for the groups no older version can name (FFDHE, hybrids): a server that follows the client's order picks those.
      return is13 && dim === 'group' ? [...r.filter((g) => !EC_GROUPS.includes(g)), ...r.filter((g) => EC_GROUPS.includes(g))] : r;
    }
    if (dim === 'group') return found.group.length ? found.group : all.group.filter((g) => groupsFound.has(g)).length ? all.group.filter((g) => groupsFound.has(g)) : all.group;
    return found[dim].length ? found[dim] : all[dim];
  }

  private async hello(open: Record<Dim, boolean>, why: string, o: { alpn?: string[] | null; reverse?: boolean; label?: SurveyHelloLabel; shares?: boolean; reoffer?: boolean } = {}): Promise<RawProbe> {
    const { v, is13, label } = this;
    // After the version's first answer (TLS 1.2 waits for that one), a TLS 1.3 hello for groups alone lets TLS 1.2 name its elliptic groups first.
    if (is13 && open.group && o.shares === false && this.n > 0 && this.s.ecNamed) await this.s.ecNamed;
    this.n++;
    let ciphers = this.offerOf('suite', open.suite);
    if (o.reverse) ciphers = [...ciphers].reverse();
    const w = o.reoffer ? this.reofferW : undefined;
    // ChaCha20 suites after the others: a server that favours ChaCha20 when the client lists it first would look like one that follows the client.
    if (w !== undefined) ciphers = [...ciphers.filter((c) => c !== w && !isChacha(c)), ...ciphers.filter((c) => c !== w && isChacha(c)), w];
    const groups = this.offerOf('group', open.group);
    const spec: HelloSpec = {
      versions: [v],
      ciphers,
      groups,
      sigalgs: v >= V.TLS12 ? (this.all.sigalg.length ? this.offerOf('sigalg', open.sigalg) : [...ALL_SIGALGS]) : [],
      alpn: o.alpn === undefined ? null : o.alpn,
      sni: this.s.sni,
      // Key shares only where the answer must be a ServerHello we can decrypt (ALPN, certificate, signature): otherwise the server names its group in a HelloRetryRequest, whatever shares we hold.
      ...(is13 ? { keyShareGroups: o.shares === false ? [] : sharesFor(groups) } : {}),
    };
    const name = o.label ?? (this.n === 1 ? `survey-${label}` : `survey-${label}-${this.n}`);
    const q = await this.s.raw(name as SurveyHelloLabel, `${label}: ${why}`, spec, { decrypt: is13, fullFlight: !is13 });
    if (this.ok(q) && q.raw.cipherCode !== undefined) this.order(q.raw.cipherCode, ciphers, w);
    return q;
  }

  /** What an accepted hello's suite says about the cipher order (see `reofferW`). */
  private order(pick: number, offered: number[], w: number | undefined): void {
    if (this.serverPreference !== undefined) return;
    if (this.passedOver?.includes(pick)) {
      // Offered before W when the server took W again, and taken now: the server ranks W above it.
      this.serverPreference = true;
      return;
    }
    if (w === undefined) return;
    if (pick === w) {
      // Its own order, or nothing else left: the next pick among these tells.
      this.passedOver = offered.filter((c) => c !== w);
      this.reofferW = undefined;
      // Under the server's order W ranks after every suite taken while it was offered: it moves after them.
      const f = this.found.suite;
      f.splice(f.indexOf(w), 1);
      f.push(w);
    } else if (this.orderFirst.includes(pick) && !isChacha(pick)) {
      // Offered with W before, when W was taken, and taken now that it comes first: the client's order.
      this.serverPreference = false;
      this.reofferW = undefined;
      this.settle();
    }
  }

  /**
   * An answer at this version that came from elsewhere, while the elimination runs (the HTTP/1.1
   * probe's handshake, TLS 1.2 at most, ALPN http/1.1 alone): its ALPN answer at once; its suite and
   * group once the client's order is proven (then the suites are listed in the order found, and a
   * suite found this way is one hello fewer). Under the server's own order it is left out: where it
   * ranks among the suites found later is unknown.
   */
  absorb(p: RawProbe): void {
    if (this.over || !this.ok(p)) return;
    const r = p.raw;
    if (r.offer.alpn && r.outcome === 'server-hello' && r.alpn !== undefined && this.alpnPlan.some((a) => a.join() === r.offer.alpn!.join())) this.answered(r.offer.alpn, r.alpn);
    this.pending = p;
    this.settle();
  }

  private settle(): void {
    if (!this.pending || this.over || this.serverPreference !== false) return;
    this.take(this.pending, false);
    this.pending = undefined;
  }

  /** Records the answer to one ALPN offer and takes it off the plan. */
  private answered(offered: string[], chosen: string | null | 'refused'): void {
    this.alpn.push({ offered, chosen });
    const i = this.alpnPlan.findIndex((a) => a.join() === offered.join());
    if (i >= 0) this.alpnPlan.splice(i, 1);
  }

  /** Record what an accepted hello names; true when it named something new. */
  private take(p: RawProbe, rotated = true): boolean {
    const { all, found, s } = this;
    let fresh = false;
    const r = p.raw;
    if (r.cipherCode !== undefined && !found.suite.includes(r.cipherCode) && all.suite.includes(r.cipherCode)) {
      found.suite.push(r.cipherCode);
      fresh = true;
    }
    const g = r.group ? groupCode(r.group) : undefined;
    // TLS 1.2 rotates the groups not named yet to the front: naming one already named, it has no other left to name.
    if (g !== undefined && rotated && this.v === V.TLS12 && this.rotate.group && this.n > 1 && p !== this.firstAnswer && s.groupsFound.has(g)) s.ecNamedNow?.();
    if (g !== undefined && all.group.includes(g) && !found.group.includes(g)) {
      found.group.push(g);
      // New to this version's elimination is progress, even when the other version (running side by
      // side) found the group between our offer and this answer: counting only groups new to both
      // closed the groups early, by a race (h2o, nginx: the FFDHE groups lost on some runs).
      fresh = true;
      s.groupsFound.add(g);
    }
    if (r.sigalg) {
      if (!this.sigSeen.includes(r.sigalg)) this.sigSeen.push(r.sigalg);
      s.sigalgsFound.add(r.sigalg);
      const c = sigCode(r.sigalg);
      if (c !== undefined && all.sigalg.includes(c) && !found.sigalg.includes(c)) {
        found.sigalg.push(c);
        fresh = true;
      }
    }
    if (r.dhBits && r.cipher && (!s.dhe || r.dhBits < s.dhe.bits)) s.dhe = { bits: r.dhBits, suite: r.cipher };
    if (this.reversedAsked && this.serverPreference === undefined && r.cipherCode !== undefined && found.suite.length > 1) {
      // Offered the found suites reversed: its own first pick again means the server's order rules.
      this.serverPreference = r.cipherCode === found.suite[0] ? true : r.cipherCode === found.suite[found.suite.length - 1] ? false : undefined;
    }
    return fresh;
  }

  private ok(p: RawProbe): boolean {
    return accepted(p) && p.raw.versionCode === this.v;
  }
}
