/**
 * Client simulation (`--clients`, `--client`): each simulated client's outcome on one address
 * (h2 / h2c / HTTP/1.1 / HTTP/1.1 fallback / fails, and why), and the two findings that name the
 * clients: `client-handshake-fails` (the handshake, or the HTTP/2 the client insists on, fails;
 * the parameter named) and `client-falls-back-to-http1` (a client that offers h2 ends on HTTP/1.1,
 * or fails there because it needs HTTP/2). Both become errors for the client chosen with --client.
 * Pure: evidence in, rows and findings out.
 */
import type { AddressEvidence, ClientFamilyProbe, BisectHelloLabel, ClientRow, EvidenceItem, RawTlsResult } from '../../model/index.js';
import { addressRule, type RawFinding } from '../raw.js';
import { probe, upgradeProbe } from '../evidence.js';
import { h2Blocklisted } from '../../wire/tls/registry.js';

const ACCEPTED = (r?: RawTlsResult) => r?.outcome === 'server-hello' || r?.outcome === 'hello-retry';

const PARAM_WORDS: Record<string, string> = {
  cipher: 'no cipher suite in common',
  group: 'no key-exchange group in common',
  version: 'no TLS version in common',
  sigalg: 'no signature algorithm in common',
  alpn: 'the server refuses its ALPN list',
};

/**
 * The outcome of every simulated client on this address.
 * @example clientRows(ev).filter((r) => r.outcome === 'fails').map((r) => r.client) // ['java-8']
 */
export function clientRows(ev: AddressEvidence): ClientRow[] {
  return ev.probes.filter((p): p is ClientFamilyProbe => p.kind === 'client-sim').map((p) => clientRow(ev, p));
}

/**
 * The outcome of one simulated client on this address: works, falls back, or fails with the stage and parameter that failed.
 * @example clientRow(ev, p) // { client: 'curl', outcome: 'works', tlsVersion: 'TLSv1.3', … }
 */
export function clientRow(ev: AddressEvidence, p: ClientFamilyProbe): ClientRow {
  const c = p.client;
  const base = { client: c.id, name: c.name, version: c.version, address: ev.address, ...(c.chosen ? { chosen: true } : {}) };
  if (!ev.target.tls) return { ...base, ...cleartextOutcome(ev, p) };
  const h = c.hello;
  if (!h) return { ...base, outcome: 'fails', stage: 'handshake', reason: 'the profile holds no TLS hello (a cleartext-only capture)' };
  // Our deadline passed (or our connection failed) on its hello, twice: the server has not answered it, so nothing is decided.
  if (c.helloTimedOut) return { ...base, outcome: 'unknown', reason: `its own hello got no answer within our deadline, sent twice (${h.outcome}${h.detail ? `: ${h.detail}` : ''}): not decided` };
  if (!ACCEPTED(h)) return { ...base, ...refused(p) };
  const row: ClientRow = { ...base, outcome: 'unknown', reason: '', ...(h.version ? { tlsVersion: h.version } : {}), ...(h.cipher ? { cipher: h.cipher } : {}) };
  // RFC 8446 §4.1.3 / RFC 5246 §7.4.1.3: a client aborts on a version it did not offer (a TLS ≤ 1.1 server ignores supported_versions and answers from legacy_version).
  if (h.versionCode !== undefined && c.versionsOffered && !c.versionsOffered.includes(h.versionCode)) {
    return { ...row, outcome: 'fails', stage: 'handshake', parameter: 'version', reason: `the server answers ${h.version}, which ${c.name} does not offer: it aborts (protocol_version)` };
  }
  // RFC 5246 §7.4.1.4.1 / RFC 4346: below TLS 1.2 the server signs with SHA-1 (MD5+SHA-1 for RSA). A client whose
  // signature_algorithms hold no SHA-1 scheme refuses that signature (OpenSSL 3: "legacy sigalg disallowed or
  // unsupported"; checked against real curl, Python and GnuTLS on a TLS 1.1 server).
  if (h.versionCode !== undefined && h.versionCode < 0x0303 && c.sha1SigalgOffered === false) {
    return { ...row, outcome: 'fails', stage: 'handshake', parameter: 'sigalg', reason: `the server answers ${h.version}, signed with SHA-1, which ${c.name} no longer accepts (no SHA-1 in its signature_algorithms)` };
  }
  if (h.outcome === 'hello-retry') return { ...row, outcome: 'unknown', reason: `HelloRetryRequest for ${h.group ?? 'another group'}: the second hello is not simulated` };
  if (h.alpn === undefined) return { ...row, outcome: 'unknown', reason: h.detail ?? 'ALPN not readable (TLS 1.3 with a key share we cannot compute)' };
  row.alpn = h.alpn;
  const offersH2 = c.alpnOffered?.includes('h2') ?? false;
  if (!offersH2) return { ...row, outcome: 'http/1.1', reason: `does not offer h2 (ALPN ${c.alpnOffered?.join(',') ?? 'none'})` };
  if (h.alpn === 'h2') {
    const code = h.cipherCode;
    // RFC 9113 §9.2.2: over TLS 1.2 a peer may treat an Appendix A suite as INADEQUATE_SECURITY. Real Chromium
    // does (test/clients-real, nginx and Apache): ERR_HTTP2_INADEQUATE_TRANSPORT_SECURITY after its SETTINGS, no
    // GOAWAY, no HTTP/1.1 retry. curl, Go, Java, node:http2, grpc-js and grpc-go take such a suite; grpcio never offers one.
    if (h.versionCode === 0x0303 && code !== undefined && h2Blocklisted(code) && c.policy.refusesBlocklistedCipher) {
      return { ...row, outcome: 'fails', stage: 'h2-opening', parameter: 'cipher', reason: `HTTP/2 over ${h.cipher}, on the RFC 9113 block list: ${c.name} refuses HTTP/2 over it and does not retry HTTP/1.1 (Chromium: ERR_HTTP2_INADEQUATE_TRANSPORT_SECURITY)` };
    }
    const o = c.h2;
    if (!o || o.outcome === 'response') return { ...row, outcome: 'h2', reason: o?.status !== undefined ? `HTTP/2 ${o.status} to its own opening` : 'ALPN h2' };
    if (o.outcome === 'handshake-failed') return { ...row, outcome: 'unknown', reason: `ALPN h2; its opening could not be replayed (${o.detail ?? 'handshake'})` };
    // Its opening ended on our deadline (or our connection), tried twice: that is not the server's answer.
    if (o.timedOut) return { ...row, outcome: 'unknown', reason: `ALPN h2; its HTTP/2 opening got no answer within our deadline, tried twice (${o.outcome}${o.detail ? `: ${o.detail}` : ''}): not decided` };
    const what = o.outcome === 'goaway' ? `GOAWAY ${o.goaway}${o.detail ? ` "${o.detail}"` : ''}` : `${o.outcome}${o.detail ? `: ${o.detail}` : ''}`;
    return { ...row, outcome: 'fails', stage: 'h2-opening', reason: `ALPN h2, then the server answers its HTTP/2 opening with ${what}` };
  }
  const answer = h.alpn === null ? 'no ALPN answer' : `ALPN ${h.alpn}`;
  if (c.policy.needsH2) return { ...row, outcome: 'fails', stage: 'alpn', reason: `${answer}: ${c.name} needs HTTP/2 and does not fall back` };
  return { ...row, outcome: 'http/1.1 fallback', stage: 'alpn', reason: `${answer} to its h2 offer` };
}

function refused(p: ClientFamilyProbe): Pick<ClientRow, 'outcome' | 'reason' | 'parameter' | 'stage'> {
  const c = p.client;
  const h = c.hello!;
  const said = h.alert ? `alert ${h.alert.name}` : h.outcome;
  const steps = c.bisect ?? [];
  const step = (l: BisectHelloLabel) => steps.find((s) => s.label === l);
  const widest = step('widest');
  // The server refused the client's own hello (its answer, not our deadline): the client fails. A bisection step
  // that got no answer in time (timedOut, sent twice) is no refusal: it names no parameter.
  const undecided = { outcome: 'fails' as const, stage: 'handshake' as const, reason: `refused (${said}); the bisection got no answer in time, so the parameter is not known` };
  if (widest?.timedOut) return undecided;
  if (widest && !widest.accepted) {
    if (step('widest-no-sni')?.accepted) return { outcome: 'fails', stage: 'handshake', parameter: 'sni', reason: `refused (${said}); the server takes no hello with this name, but one without SNI` };
    if (step('sslv3')?.accepted) return { outcome: 'fails', stage: 'handshake', parameter: 'version', reason: `refused (${said}); the server speaks SSL 3.0 only` };
    return { outcome: 'fails', stage: 'handshake', parameter: 'any', reason: `refused (${said}); the server refuses every hello, the widest too` };
  }
  if (widest?.accepted && !steps.some((s) => s.label.startsWith('narrow-'))) {
    // The bisection stops at a widest answer below TLS 1.2 (RFC 8996): the versions part ways.
    return { outcome: 'fails', stage: 'handshake', parameter: 'version', reason: `refused (${said}); the server speaks ${widest.answer} only` };
  }
  // A client without the server's only version lacks its suites too: the version is the cause then.
  const order: BisectHelloLabel[] = ['narrow-version', 'narrow-cipher', 'narrow-group', 'narrow-sigalg', 'narrow-alpn'];
  const bad = steps.filter((s) => s.label.startsWith('narrow-') && !s.accepted).sort((a, b) => order.indexOf(a.label) - order.indexOf(b.label))[0];
  // A step before it in that order that got no answer could be the cause: not decided which.
  if (bad?.timedOut) return undecided;
  if (bad) {
    const param = bad.label.replace('narrow-', '');
    return { outcome: 'fails', stage: 'handshake', parameter: param, reason: `${PARAM_WORDS[param] ?? param} (${said}; the widest hello gets ${widest?.answer ?? 'an answer'})` };
  }
  return { outcome: 'fails', stage: 'handshake', parameter: 'combination', reason: `refused (${said}); no single parameter explains it` };
}

function cleartextOutcome(ev: AddressEvidence, p: ClientFamilyProbe): Pick<ClientRow, 'outcome' | 'reason' | 'stage'> {
  const c = p.client;
  const h1 = probe(ev, 'h1-cleartext');
  const h1ok = h1?.h1.outcome === 'response';
  const h1says = h1ok ? `HTTP/1.1 ${h1!.h1.status}` : `no HTTP/1.1 answer (${h1?.h1.outcome ?? 'not probed'})`;
  if (c.policy.cleartext === 'http1') {
    return h1ok
      ? { outcome: 'http/1.1', reason: `speaks HTTP/1.1 to http:// URLs (never h2c): ${h1says}` }
      : { outcome: 'fails', stage: 'http1', reason: h1says };
  }
  if (c.policy.cleartext === 'h2c-prior-knowledge') {
    const pk = probe(ev, 'h2c-prior-knowledge');
    if (pk?.h2.outcome === 'response') return { outcome: 'h2c', reason: 'h2c by prior knowledge' };
    // Our prior-knowledge connection itself failed (a connect timeout on a loaded machine): the server said nothing.
    if (pk && !pk.connect.ok) return { outcome: 'unknown', reason: `its prior-knowledge attempt could not connect (${pk.connect.error}: ${pk.connect.message}): not decided` };
    const said = pk?.h2.first?.summary ?? pk?.h2.outcome ?? 'not probed';
    if (c.policy.needsH2) return { outcome: 'fails', stage: 'h2c', reason: `sends the HTTP/2 preface (prior knowledge) and needs HTTP/2; the server answered: ${said}` };
    return h1ok ? { outcome: 'http/1.1 fallback', stage: 'h2c', reason: `prior knowledge refused (${said})` } : { outcome: 'fails', stage: 'h2c', reason: said };
  }
  const up = upgradeProbe(ev);
  if (up?.h2?.outcome === 'response') return { outcome: 'h2c', reason: 'Upgrade: h2c → 101, then HTTP/2' };
  if (up && !up.connect.ok) return { outcome: 'unknown', reason: `its Upgrade: h2c attempt could not connect (${up.connect.error}: ${up.connect.message}): not decided` };
  const said = up?.upgrade.status !== undefined ? `Upgrade: h2c answered ${up.upgrade.status} without switching` : `Upgrade: h2c got ${up?.upgrade.outcome ?? 'no answer'}`;
  if (c.policy.needsH2) return { outcome: 'fails', stage: 'h2c', reason: `${said}; ${c.name} needs HTTP/2` };
  return h1ok ? { outcome: 'http/1.1 fallback', stage: 'h2c', reason: said } : { outcome: 'fails', stage: 'http1', reason: `${said}; ${h1says}` };
}

const line = (r: ClientRow) => `${r.name} ${r.version}${r.chosen ? ' (--client)' : ''}: ${r.reason}${r.tlsVersion ? ` [${r.tlsVersion}${r.cipher ? ` ${r.cipher}` : ''}]` : ''}`;
const isFallback = (r: ClientRow) => r.outcome === 'http/1.1 fallback' || (r.outcome === 'fails' && (r.stage === 'alpn' || r.stage === 'h2c'));

/**
 * The client-simulation rule: client-handshake-fails and client-falls-back-to-http1, each naming the clients.
 * @example clientsRule(ev).map((f) => f.code) // ['client-handshake-fails']
 */
export const clientsRule = addressRule('client-simulation', ['client-handshake-fails', 'client-falls-back-to-http1'], (ev) => {
  const rows = clientRows(ev);
  if (!rows.length) return [];
  const out: RawFinding[] = [];
  const emit = (code: RawFinding['code'], list: ClientRow[]) => {
    if (!list.length) return;
    const evidence: EvidenceItem[] = list.map((r) => ({ probe: ev.probes.find((p) => p.kind === 'client-sim' && p.client.id === r.client)!.id, text: line(r) }));
    const chosen = list.find((r) => r.chosen);
    out.push({
      code,
      evidence,
      detail: list.map((r) => `${r.client}${r.parameter ? ` (${r.parameter})` : ''}`).join(', '),
      ...(chosen ? { raise: { to: 'error' as const, why: `${chosen.name} is the client chosen with --client` } } : {}),
    });
  };
  emit('client-handshake-fails', rows.filter((r) => r.outcome === 'fails' && !isFallback(r)));
  emit('client-falls-back-to-http1', rows.filter(isFallback));
  return out;
});
