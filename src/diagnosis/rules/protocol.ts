/**
 * Protocol mismatch — the "server preface" family: ALPN, the preface exchange, h2c, and scheme mix-ups.
 */
import type { Classified, EvidenceItem, Http2Result, Probe } from '../../types.js';
import type { AddressRule, RawFinding } from '../raw.js';
import { evidenceItem, probe, tcpProbe, upgradeProbe, type AddressEvidence } from '../evidence.js';
import { cipherByName, h2Blocklisted } from '../../wire/tls/registry.js';

/** What a failed HTTP/2 exchange proves, by how it ended. */
export function prefaceFinding(p: Probe & { h2: Http2Result }, h2: Http2Result): RawFinding | undefined {
  const first = h2.first;
  const item = (text: string): EvidenceItem => evidenceItem(p.id, text, first);
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
 */
export function isCleartextHttp(c: Classified | undefined): boolean {
  const k = c?.first.kind;
  return k === 'http1' || k === 'h2-settings' || k === 'h2-goaway' || k === 'h2-frame';
}

/**
 * A TLS target's port answers cleartext: the HTTP/1.1 sniff gets a response, or the h2c sniff gets
 * a response or SETTINGS. The TLS failure is then scheme-https-on-cleartext-port, not a TLS fault.
 */
export function portAnswersCleartext(ev: AddressEvidence): boolean {
  const sniffH2c = probe(ev, 'sniff-h2c');
  return probe(ev, 'sniff-http1')?.h1.outcome === 'response' || sniffH2c?.h2.outcome === 'response' || !!sniffH2c?.h2.serverSettings;
}

function tlsRules(ev: AddressEvidence): RawFinding[] {
  const out: RawFinding[] = [];
  const d = probe(ev, 'tls-default');
  if (!d) return out;
  const h2 = probe(ev, 'h2-tls');
  const h1 = probe(ev, 'h1-tls');
  const t = d.tls;

  if (t.outcome === 'not-tls' || (t.outcome !== 'handshake' && t.outcome !== 'alert')) {
    // RFC 8446 §5.1: a TLS server answers a ClientHello with TLS records. HTTP bytes (HTTP/1.x, or an
    // h2c server's SETTINGS) mean a cleartext port.
    const sniff = probe(ev, 'sniff-http1');
    const firstHttp = isCleartextHttp(d.first) ? d.first : undefined;
    const sniffH2c = probe(ev, 'sniff-h2c');
    const h2cAnswers = sniffH2c && (sniffH2c.h2.outcome === 'response' || !!sniffH2c.h2.serverSettings);
    if (firstHttp || portAnswersCleartext(ev)) {
      const evidence: EvidenceItem[] = [];
      if (firstHttp) evidence.push({ probe: d.id, text: `our ClientHello was answered with cleartext HTTP: ${firstHttp.summary}`, excerpt: firstHttp.excerpt });
      else evidence.push({ probe: d.id, text: `TLS handshake failed: ${t.error?.code ?? t.outcome}${d.first ? ` (server sent: ${d.first.summary})` : ''}` });
      if (sniff?.h1.outcome === 'response') evidence.push({ probe: sniff.id, text: `a cleartext HTTP/1.1 request to the same port is answered: HTTP/${sniff.h1.version} ${sniff.h1.status} ${sniff.h1.reason ?? ''}`.trim() });
      else if (sniff) evidence.push({ probe: sniff.id, text: `a cleartext HTTP/1.1 request to the same port: ${sniff.h1.first?.summary ?? sniff.h1.outcome}` });
      if (sniffH2c && h2cAnswers) evidence.push({ probe: sniffH2c.id, text: `the cleartext HTTP/2 preface (h2c prior knowledge) to the same port is answered: ${sniffH2c.h2.outcome === 'response' ? `HTTP/2 ${sniffH2c.h2.status}` : 'SETTINGS'}` });
      const detail = firstHttp ? `it answered our ClientHello with "${firstHttp.summary}"` : sniff?.h1.outcome === 'response' ? 'it answers cleartext HTTP/1.1' : 'it answers cleartext HTTP/2 (h2c by prior knowledge)';
      out.push({ code: 'scheme-https-on-cleartext-port', detail, evidence });
    }
    return out;
  }
  // A refused handshake is the TLS family's to explain (rules/tls.ts).
  if (t.outcome === 'alert') return out;

  // The handshake completed: what did ALPN say?
  const negotiated = `${t.version}, ${t.cipher?.standardName ?? t.cipher?.name}`;
  if (t.alpn !== 'h2') {
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
    out.push({ code, detail: t.alpn == null ? undefined : `"${t.alpn}"`, evidence });
    // What clients that force HTTP/2 meet on this server: the "error reading server preface".
    if (h2 && h2.tls?.outcome === 'handshake' && h2.h2.outcome !== 'response') {
      const f = prefaceFinding(h2, h2.h2);
      if (f) out.push(f);
    }
    return out;
  }

  // ALPN h2: the exchange must work.
  if (h2 && h2.tls?.outcome === 'handshake' && h2.h2.outcome !== 'response') {
    const f = prefaceFinding(h2, h2.h2);
    if (f) out.push(f);
  }
  // RFC 9113 §9.2.2 / Appendix A: TLS 1.2 cipher suites HTTP/2 must not use.
  if (t.version === 'TLSv1.2' && t.cipher) {
    const suite = cipherByName(t.cipher.standardName) ?? cipherByName(t.cipher.name);
    if (suite && h2Blocklisted(suite.code)) {
      out.push({
        code: 'h2-inadequate-security',
        detail: t.cipher.standardName,
        evidence: [{ probe: d.id, text: `ALPN h2 over TLSv1.2 with ${t.cipher.standardName} (0x${suite.code.toString(16).padStart(4, '0')}, OpenSSL ${t.cipher.name}): on the RFC 9113 Appendix A block list` }],
      });
    }
  }
  // HTTP/1.1-only clients.
  if (h1 && h2?.h2.outcome === 'response') {
    const ht = h1.tls;
    if (ht && ht.outcome === 'alert') {
      out.push({ code: 'http1-not-supported', detail: `is refused in the TLS handshake (${ht.alert!.name})`, evidence: [{ probe: h1.id, text: `offered ALPN [http/1.1] alone: alert ${ht.alert!.name} (${ht.alert!.code})` }] });
    } else if (ht && ht.outcome === 'handshake' && h1.h1.outcome !== 'response') {
      out.push({
        code: 'http1-not-supported',
        detail: `gets ${h1.h1.first?.summary ?? h1.h1.outcome}`,
        evidence: [evidenceItem(h1.id, `ALPN ${ht.alpn ?? 'none'}; GET over HTTP/1.1: ${h1.h1.first?.summary ?? h1.h1.outcome}`, h1.h1.first)],
      });
    }
  }
  return out;
}

function cleartextRules(ev: AddressEvidence): RawFinding[] {
  const out: RawFinding[] = [];
  const c = probe(ev, 'h1-cleartext');
  const p = probe(ev, 'h2c-prior-knowledge');
  const u = upgradeProbe(ev);
  const st = probe(ev, 'sniff-tls');

  // A TLS port: our cleartext bytes got TLS records back, or a ClientHello gets a ServerHello.
  const tlsAnswer = [c?.h1.first, p?.h2.first].find((f) => f && (f.first.kind === 'tls-alert' || f.first.kind === 'tls-handshake' || f.first.kind === 'tls-other'));
  // A cleartext request answered 400 (nginx: "The plain HTTP request was sent to HTTPS port"; Apache,
  // Go alike) is a TLS port's HTTP error page only when a ClientHello to the port completes too.
  const answered400 = c?.h1.outcome === 'response' && c.h1.status === 400;
  const sniffTls = st && (st.tls.outcome === 'handshake' || (st.tls.outcome === 'alert' && !answered400));
  if (tlsAnswer || sniffTls) {
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
    out.push({ code: 'scheme-http-on-tls-port', detail: tlsAnswer ? `it answered cleartext with "${tlsAnswer.summary}"` : `it completes a TLS handshake (${st!.tls.version})`, evidence });
    return out;
  }

  const priorOk = p?.h2.outcome === 'response';
  const upgradeOk = u?.h2?.outcome === 'response';
  const priorFinding = p && !priorOk ? prefaceFinding(p, p.h2) : undefined;
  const nonH2Server = !priorOk && !upgradeOk && p && ['http1-response', 'closed', 'reset', 'timeout', 'garbage'].includes(p.h2.outcome);

  if (nonH2Server && p) {
    const evidence: EvidenceItem[] = [{ probe: p.id, text: `prior knowledge: ${p.h2.first?.summary ?? p.h2.outcome}` }];
    if (u) evidence.push({ probe: u.id, text: `Upgrade: h2c → ${describeUpgrade(u)}` });
    out.push({ code: 'h2c-not-supported', evidence });
  }
  if (priorFinding) out.push(priorFinding);
  if (priorOk && u && !upgradeOk) {
    out.push({
      code: 'h2c-upgrade-unsupported',
      detail: `was answered ${describeUpgrade(u)}`,
      evidence: [
        { probe: p!.id, text: `prior knowledge: HTTP/2 ${p!.h2.status}` },
        evidenceItem(u.id, `GET with Upgrade: h2c, HTTP2-Settings → ${describeUpgrade(u)}`, u.upgrade.first),
      ],
    });
  }
  if ((priorOk || upgradeOk) && c && c.h1.outcome !== 'response') {
    out.push({
      code: 'http1-not-supported',
      detail: `gets ${c.h1.first?.summary ?? c.h1.outcome}`,
      evidence: [evidenceItem(c.id, `GET over HTTP/1.1: ${c.h1.first?.summary ?? c.h1.outcome}`, c.h1.first)],
    });
  }
  return out;
}

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

export const protocolRule: AddressRule = (ev) => {
  const tcp = tcpProbe(ev);
  if (tcp && !tcp.connect.ok) return [];
  return ev.target.tls ? tlsRules(ev) : cleartextRules(ev);
};
