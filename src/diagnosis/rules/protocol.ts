/**
 * Protocol mismatch — the "server preface" family: ALPN, the preface exchange, h2c, and scheme mix-ups.
 */
import type { Classified, EvidenceItem, Http2Result, Probe } from '../../model/index.js';
import { addressRule, type AddressRule, type RawFinding } from '../raw.js';
import { evidenceItem, probe, tcpProbe, upgradeProbe, type AddressEvidence } from '../evidence.js';
import { cipherByName, h2Blocklisted } from '../../wire/tls/registry.js';
import { sessionFinding } from './session.js';

/**
 * What a failed HTTP/2 exchange proves, by how it ended.
 * @example prefaceFinding(p, p.h2)?.code // 'preface-http1-response' when the server answered the preface in HTTP/1.1
 */
export function prefaceFinding(p: Probe & { h2: Http2Result }, h2: Http2Result): RawFinding | undefined {
  const first = h2.first;
  const item = (text: string): EvidenceItem => evidenceItem(p.id, text, first);
  // Past the server's SETTINGS, or at an HTTP/2 frame that breaks a rule: the session family's (rules/session.ts).
  if (sessionFinding(p, h2)) return undefined;
  switch (h2.outcome) {
    case 'http1-response':
      return { code: 'preface-http1-response', detail: `with "${first?.summary}"`, evidence: [item(`HTTP/2 preface + SETTINGS sent; the server answered: ${first?.summary}`)] };
    case 'closed':
    case 'reset':
      return {
        code: 'preface-closed',
        evidence: [item(`HTTP/2 preface + SETTINGS sent; the server ${h2.outcome === 'reset' ? 'reset' : 'closed'} the connection after ${p.durationMs} ms without a byte`)],
      };
    case 'timeout':
      if (h2.serverSettings) return undefined;
      return { code: 'preface-timeout', detail: `${Math.round(p.durationMs)} ms`, evidence: [item(`HTTP/2 preface + SETTINGS sent; nothing came back in ${Math.round(p.durationMs)} ms`)] };
    case 'garbage':
      return { code: 'preface-garbage', detail: first?.summary, evidence: [item(`HTTP/2 preface + SETTINGS sent; the answer is not an HTTP/2 frame: ${first?.summary}`)] };
    case 'not-settings':
      return { code: 'preface-not-settings', detail: first?.summary, evidence: [item(`the server's first frame: ${first?.summary}`)] };
    case 'goaway': {
      const g = h2.goaway!;
      const detail = `${g.errorName}${g.debug ? ` "${g.debug}"` : ''}`;
      return { code: 'goaway-on-connect', detail, evidence: [item(`GOAWAY last_stream_id=${g.lastStreamId} error=${g.errorName} (0x${g.errorCode.toString(16)})${g.debug ? ` debug="${g.debug}"` : ''} before any response`)] };
    }
    case 'settings-no-response': {
      const mcs = h2.serverSettings?.find((s) => s.name === 'MAX_CONCURRENT_STREAMS');
      if (mcs && mcs.value === 0) {
        return { code: 'h2-no-streams-allowed', evidence: [item(`server SETTINGS: ${h2.serverSettings!.map((s) => `${s.name}=${s.value}`).join(' ')}`)] };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Bytes of cleartext HTTP: an HTTP/1.x status line, or HTTP/2 frames (an h2c-only server such as
 * nghttpd --no-tls sends its SETTINGS as soon as a connection opens, whatever the client sent).
 * @example isCleartextHttp(classify(bytes, 'eof')) // true for 'HTTP/1.1 400 Bad Request…'
 */
export function isCleartextHttp(c: Classified | undefined): boolean {
  const k = c?.first.kind;
  return k === 'http1' || k === 'h2-settings' || k === 'h2-goaway' || k === 'h2-frame';
}

/**
 * A TLS target's port answers cleartext: the HTTP/1.1 sniff gets a response, or the h2c sniff gets
 * a response or SETTINGS. The TLS failure is then scheme-https-on-cleartext-port, not a TLS fault.
 * @example if (portAnswersCleartext(ev)) return [{ code: 'scheme-https-on-cleartext-port', detail, evidence }]
 */
export function portAnswersCleartext(ev: AddressEvidence): boolean {
  const sniffH2c = probe(ev, 'sniff-h2c');
  return probe(ev, 'sniff-http1')?.h1.outcome === 'response' || sniffH2c?.h2.outcome === 'response' || !!sniffH2c?.h2.serverSettings;
}

const reached = (ev: AddressEvidence) => {
  const tcp = tcpProbe(ev);
  return !(tcp && !tcp.connect.ok);
};
/** The default TLS probe of a TLS target whose TCP connect worked. */
const tlsDefault = (ev: AddressEvidence) => (ev.target.tls && reached(ev) ? probe(ev, 'tls-default') : undefined);
/** The default TLS probe when its handshake completed. */
const handshaken = (ev: AddressEvidence) => {
  const d = tlsDefault(ev);
  return d?.tls.outcome === 'handshake' ? d : undefined;
};
/** The forced HTTP/2 exchange over TLS, when its handshake completed and no response came. */
const failedH2OverTls = (ev: AddressEvidence) => {
  const h2 = probe(ev, 'h2-tls');
  return h2 && h2.tls?.outcome === 'handshake' && h2.h2.outcome !== 'response' ? h2 : undefined;
};

/**
 * A TLS target whose port answers cleartext HTTP (our ClientHello got HTTP bytes, or the sniffs got answers).
 * @example httpsOnCleartextRule(ev)[0]?.code // 'scheme-https-on-cleartext-port'
 */
export const httpsOnCleartextRule = addressRule('scheme-https-on-cleartext-port', ['scheme-https-on-cleartext-port'], (ev) => {
  const d = tlsDefault(ev);
  if (!d) return [];
  const t = d.tls;
  if (!(t.outcome === 'not-tls' || (t.outcome !== 'handshake' && t.outcome !== 'alert'))) return [];
  // RFC 8446 §5.1: a TLS server answers a ClientHello with TLS records. HTTP bytes (HTTP/1.x, or an
  // h2c server's SETTINGS) mean a cleartext port.
  const sniff = probe(ev, 'sniff-http1');
  const firstHttp = isCleartextHttp(d.first) ? d.first : undefined;
  const sniffH2c = probe(ev, 'sniff-h2c');
  const h2cAnswers = sniffH2c && (sniffH2c.h2.outcome === 'response' || !!sniffH2c.h2.serverSettings);
  if (!firstHttp && !portAnswersCleartext(ev)) return [];
  const evidence: EvidenceItem[] = [];
  if (firstHttp) evidence.push({ probe: d.id, text: `our ClientHello was answered with cleartext HTTP: ${firstHttp.summary}`, excerpt: firstHttp.excerpt });
  else evidence.push({ probe: d.id, text: `TLS handshake failed: ${t.error?.code ?? t.outcome}${d.first ? ` (server sent: ${d.first.summary})` : ''}` });
  if (sniff?.h1.outcome === 'response') evidence.push({ probe: sniff.id, text: `a cleartext HTTP/1.1 request to the same port is answered: HTTP/${sniff.h1.version} ${sniff.h1.status} ${sniff.h1.reason ?? ''}`.trim() });
  else if (sniff) evidence.push({ probe: sniff.id, text: `a cleartext HTTP/1.1 request to the same port: ${sniff.h1.first?.summary ?? sniff.h1.outcome}` });
  if (sniffH2c && h2cAnswers) evidence.push({ probe: sniffH2c.id, text: `the cleartext HTTP/2 preface (h2c prior knowledge) to the same port is answered: ${sniffH2c.h2.outcome === 'response' ? `HTTP/2 ${sniffH2c.h2.status}` : 'SETTINGS'}` });
  const detail = firstHttp ? `it answered our ClientHello with "${firstHttp.summary}"` : sniff?.h1.outcome === 'response' ? 'it answers cleartext HTTP/1.1' : 'it answers cleartext HTTP/2 (h2c by prior knowledge)';
  return [{ code: 'scheme-https-on-cleartext-port', detail, evidence }];
});

/**
 * The handshake completed but ALPN did not select h2: http/1.1 chosen, or no ALPN at all.
 * @example alpnRule(ev)[0]?.code // 'alpn-no-h2'
 */
export const alpnRule = addressRule('alpn', ['alpn-no-h2', 'alpn-ignored'], (ev) => {
  const d = handshaken(ev);
  if (!d || d.tls.alpn === 'h2') return [];
  const t = d.tls;
  const h2 = probe(ev, 'h2-tls');
  const negotiated = `${t.version}, ${t.cipher?.standardName ?? t.cipher?.name}`;
  const code = t.alpn == null ? 'alpn-ignored' : 'alpn-no-h2';
  const evidence: EvidenceItem[] = [
    { probe: d.id, text: `offered ALPN [h2, http/1.1]: the server ${t.alpn == null ? 'sent no ALPN extension' : `selected "${t.alpn}"`} (${negotiated})` },
  ];
  if (h2) {
    if (h2.tls?.outcome === 'alert') evidence.push({ probe: h2.id, text: `offered ALPN [h2] alone: the server refused with alert ${h2.tls.alert!.name} (${h2.tls.alert!.code})` });
    else if (h2.tls?.outcome === 'handshake') {
      evidence.push({ probe: h2.id, text: `offered ALPN [h2] alone: ${h2.tls.alpn == null ? 'no ALPN in the answer' : `the server selected "${h2.tls.alpn}"`}` });
      if (h2.h2.first) evidence.push({ probe: h2.id, text: `sending the HTTP/2 preface anyway (as gRPC or --http2-prior-knowledge would): ${h2.h2.first.summary}`, excerpt: h2.h2.first.excerpt });
    } else if (h2.tls?.outcome === 'error' && h2.tls.error?.code === 'ERR_SSL_BAD_EXTENSION') {
      // RFC 7301 §3.2: with no protocol in common the server answers no_application_protocol; Apache
      // (`Protocols http/1.1`) selects http/1.1 unoffered instead, and the client aborts the handshake.
      evidence.push({ probe: h2.id, text: `offered ALPN [h2] alone: the server selected a protocol that was not offered; the handshake fails (${h2.tls.error.code})` });
    }
  }
  return [{ code, detail: t.alpn == null ? undefined : `"${t.alpn}"`, evidence }];
});

const PREFACE_CODES = ['preface-http1-response', 'preface-closed', 'preface-timeout', 'preface-garbage', 'preface-not-settings', 'goaway-on-connect', 'h2-no-streams-allowed'] as const;

/**
 * The HTTP/2 exchange over TLS failed (with ALPN h2, or forced as gRPC does when ALPN said otherwise):
 * the "error reading server preface" family.
 * @example tlsPrefaceRule(ev)[0]?.code // 'preface-http1-response'
 */
export const tlsPrefaceRule = addressRule('preface-over-tls', PREFACE_CODES, (ev) => {
  const h2 = handshaken(ev) && failedH2OverTls(ev);
  const f = h2 && prefaceFinding(h2, h2.h2);
  return f ? [f] : [];
});

/**
 * RFC 9113 §9.2.2 / Appendix A: ALPN h2 over TLS 1.2 with a block-listed cipher suite.
 * @example inadequateSecurityRule(ev)[0]?.code // 'h2-inadequate-security'
 */
export const inadequateSecurityRule = addressRule('h2-inadequate-security', ['h2-inadequate-security'], (ev) => {
  const d = handshaken(ev);
  const t = d?.tls;
  if (!d || !t || t.alpn !== 'h2' || t.version !== 'TLSv1.2' || !t.cipher) return [];
  const suite = cipherByName(t.cipher.standardName) ?? cipherByName(t.cipher.name);
  if (!suite || !h2Blocklisted(suite.code)) return [];
  return [{
    code: 'h2-inadequate-security',
    detail: t.cipher.standardName,
    evidence: [{ probe: d.id, text: `ALPN h2 over TLSv1.2 with ${t.cipher.standardName} (0x${suite.code.toString(16).padStart(4, '0')}, OpenSSL ${t.cipher.name}): on the RFC 9113 Appendix A block list` }],
  }];
});

/**
 * HTTP/2 works over TLS but HTTP/1.1 does not (refused in ALPN, or no answer to a GET).
 * @example http1OverTlsRule(ev)[0]?.code // 'http1-not-supported'
 */
export const http1OverTlsRule = addressRule('http1-over-tls', ['http1-not-supported'], (ev) => {
  const d = handshaken(ev);
  const h2 = probe(ev, 'h2-tls');
  const h1 = probe(ev, 'h1-tls');
  if (!d || d.tls.alpn !== 'h2' || !h1 || h2?.h2.outcome !== 'response') return [];
  const ht = h1.tls;
  if (ht && ht.outcome === 'alert') {
    return [{ code: 'http1-not-supported', detail: `is refused in the TLS handshake (${ht.alert!.name})`, evidence: [{ probe: h1.id, text: `offered ALPN [http/1.1] alone: alert ${ht.alert!.name} (${ht.alert!.code})` }] }];
  }
  if (ht && ht.outcome === 'handshake' && h1.h1.outcome !== 'response') {
    return [{
      code: 'http1-not-supported',
      detail: `gets ${h1.h1.first?.summary ?? h1.h1.outcome}`,
      evidence: [evidenceItem(h1.id, `ALPN ${ht.alpn ?? 'none'}; GET over HTTP/1.1: ${h1.h1.first?.summary ?? h1.h1.outcome}`, h1.h1.first)],
    }];
  }
  return [];
});

/** A cleartext target whose TCP connect worked. */
const cleartext = (ev: AddressEvidence) => !ev.target.tls && reached(ev);

/** Is the cleartext port a TLS port? Our cleartext bytes got TLS records back, or a ClientHello completes. */
function tlsPortAnswer(ev: AddressEvidence) {
  const c = probe(ev, 'h1-cleartext');
  const p = probe(ev, 'h2c-prior-knowledge');
  const st = probe(ev, 'sniff-tls');
  const tlsAnswer = [c?.h1.first, p?.h2.first].find((f) => f && (f.first.kind === 'tls-alert' || f.first.kind === 'tls-handshake' || f.first.kind === 'tls-other' || f.first.kind === 'tls-record-overflow'));
  // A cleartext request answered 400 (nginx: "The plain HTTP request was sent to HTTPS port"; Apache,
  // Go alike) is a TLS port's HTTP error page only when a ClientHello to the port completes too.
  const answered400 = c?.h1.outcome === 'response' && c.h1.status === 400;
  const sniffTls = !!st && (st.tls.outcome === 'handshake' || (st.tls.outcome === 'alert' && !answered400));
  return { c, st, tlsAnswer, answered400, sniffTls, isTls: !!tlsAnswer || sniffTls };
}

/**
 * A cleartext target whose port speaks TLS.
 * @example httpOnTlsRule(ev)[0]?.code // 'scheme-http-on-tls-port'
 */
export const httpOnTlsRule = addressRule('scheme-http-on-tls-port', ['scheme-http-on-tls-port'], (ev) => {
  if (!cleartext(ev)) return [];
  const { c, st, tlsAnswer, answered400, sniffTls, isTls } = tlsPortAnswer(ev);
  if (!isTls) return [];
  const evidence: EvidenceItem[] = [];
  if (tlsAnswer && c) evidence.push({ probe: c.id, text: `a cleartext HTTP/1.1 request was answered with a TLS record: ${tlsAnswer.summary}`, excerpt: tlsAnswer.excerpt });
  if (!tlsAnswer && c && answered400) {
    const says = plainHttpMessage(c.h1.bodyPreview);
    evidence.push(evidenceItem(c.id, `a cleartext HTTP/1.1 request was answered ${c.h1.first?.summary ?? `HTTP/${c.h1.version} 400`}${says ? `: "${says}"` : ''}`, c.h1.first));
  }
  if (st && sniffTls) {
    evidence.push({
      probe: st.id,
      text: st.tls.outcome === 'handshake' ? `a TLS ClientHello to the same port completes: ${st.tls.version}, ALPN ${st.tls.alpn ?? 'none'}` : `a TLS ClientHello to the same port gets a TLS alert ${st.tls.alert?.name}`,
    });
  } else if (c) {
    evidence.push({ probe: c.id, text: `HTTP/1.1 request: ${c.h1.first?.summary ?? c.h1.outcome}` });
  }
  return [{ code: 'scheme-http-on-tls-port', detail: tlsAnswer ? `it answered cleartext with "${tlsAnswer.summary}"` : `it completes a TLS handshake (${st!.tls.version})`, evidence }];
});

/** The h2c probes of a cleartext port that is not a TLS port. */
function h2cEvidence(ev: AddressEvidence) {
  if (!cleartext(ev) || tlsPortAnswer(ev).isTls) return undefined;
  const p = probe(ev, 'h2c-prior-knowledge');
  const u = upgradeProbe(ev);
  const c = probe(ev, 'h1-cleartext');
  return { p, u, c, priorOk: p?.h2.outcome === 'response', upgradeOk: u?.h2?.outcome === 'response' };
}

/**
 * A cleartext port with neither prior-knowledge h2c nor Upgrade: h2c.
 * @example h2cNotSupportedRule(ev)[0]?.code // 'h2c-not-supported'
 */
export const h2cNotSupportedRule = addressRule('h2c-not-supported', ['h2c-not-supported'], (ev) => {
  const h = h2cEvidence(ev);
  // A port that sent SETTINGS speaks h2c: what went wrong after them is the session family's.
  if (!h?.p || h.priorOk || h.upgradeOk || h.p.h2.serverSettings || !['http1-response', 'closed', 'reset', 'timeout', 'garbage'].includes(h.p.h2.outcome)) return [];
  const evidence: EvidenceItem[] = [{ probe: h.p.id, text: `prior knowledge: ${h.p.h2.first?.summary ?? h.p.h2.outcome}` }];
  if (h.u) evidence.push({ probe: h.u.id, text: `Upgrade: h2c → ${describeUpgrade(h.u)}` });
  return [{ code: 'h2c-not-supported', evidence }];
});

/**
 * The prior-knowledge h2c exchange failed: what the answer proves (as over TLS).
 * @example cleartextPrefaceRule(ev)[0]?.code // 'preface-http1-response'
 */
export const cleartextPrefaceRule = addressRule('preface-h2c', PREFACE_CODES, (ev) => {
  const h = h2cEvidence(ev);
  const f = h?.p && !h.priorOk ? prefaceFinding(h.p, h.p.h2) : undefined;
  return f ? [f] : [];
});

/**
 * h2c by prior knowledge only: Upgrade: h2c is not honoured.
 * @example h2cUpgradeRule(ev)[0]?.code // 'h2c-upgrade-unsupported'
 */
export const h2cUpgradeRule = addressRule('h2c-upgrade', ['h2c-upgrade-unsupported'], (ev) => {
  const h = h2cEvidence(ev);
  if (!h?.priorOk || !h.u || h.upgradeOk) return [];
  return [{
    code: 'h2c-upgrade-unsupported',
    detail: `was answered ${describeUpgrade(h.u)}`,
    evidence: [
      { probe: h.p!.id, text: `prior knowledge: HTTP/2 ${h.p!.h2.status}` },
      evidenceItem(h.u.id, `GET with Upgrade: h2c, HTTP2-Settings → ${describeUpgrade(h.u)}`, h.u.upgrade.first),
    ],
  }];
});

/**
 * h2c works but HTTP/1.1 does not.
 * @example http1CleartextRule(ev)[0]?.code // 'http1-not-supported'
 */
export const http1CleartextRule = addressRule('http1-cleartext', ['http1-not-supported'], (ev) => {
  const h = h2cEvidence(ev);
  if (!h || !(h.priorOk || h.upgradeOk) || !h.c || h.c.h1.outcome === 'response') return [];
  const c = h.c;
  return [{ code: 'http1-not-supported', detail: `gets ${c.h1.first?.summary ?? c.h1.outcome}`, evidence: [evidenceItem(c.id, `GET over HTTP/1.1: ${c.h1.first?.summary ?? c.h1.outcome}`, c.h1.first)] }];
});

/** The sentence of a TLS port's error page that says cleartext HTTP was sent to it, if any. */
function plainHttpMessage(body: string | undefined): string | undefined {
  // nginx "The plain HTTP request was sent to HTTPS port", Apache "You're speaking plain HTTP to an
  // SSL-enabled server port", Go "Client sent an HTTP request to an HTTPS server".
  const m = body && /[^<>\r\n]*(?:plain HTTP|HTTP request to an HTTPS)[^<>\r\n]*/i.exec(body);
  return m ? m[0].trim().slice(0, 120) : undefined;
}

function describeUpgrade(u: Extract<Probe, { kind: 'h2c-upgrade' }>): string {
  const r = u.upgrade;
  if (r.outcome === 'response') {
    if (r.status === 101) return u.h2 ? `101 Switching Protocols, then ${u.h2.outcome === 'response' ? `HTTP/2 ${u.h2.status}` : u.h2.first?.summary ?? u.h2.outcome}` : '101 Switching Protocols';
    return `HTTP/${r.version} ${r.status} ${r.reason ?? ''} (no switch)`.replace(' )', ')');
  }
  return r.first?.summary ?? r.outcome;
}

/**
 * The protocol family's rules, in the order their findings are shown.
 * @example PROTOCOL_RULES.flatMap((rule) => rule(ev)).map((f) => f.code) // ['alpn-no-h2']
 */
export const PROTOCOL_RULES = Object.freeze([
  httpsOnCleartextRule,
  alpnRule,
  tlsPrefaceRule,
  inadequateSecurityRule,
  http1OverTlsRule,
  httpOnTlsRule,
  h2cNotSupportedRule,
  cleartextPrefaceRule,
  h2cUpgradeRule,
  http1CleartextRule,
]);

/**
 * Every protocol rule on one address, in order.
 * @example protocolRule(ev).map((f) => f.code)
 */
export const protocolRule: AddressRule = (ev, ctx) => PROTOCOL_RULES.flatMap((r) => r(ev, ctx));
