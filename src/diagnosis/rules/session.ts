/**
 * The HTTP/2 session family: the exchange reached HTTP/2 (ALPN h2, or a cleartext port that
 * answered SETTINGS) and still ended without a final response. Never "OK": the finding names what
 * the server did (a frame that breaks a rule, a flood, nothing).
 */
import type { EvidenceItem, Http2Result } from '../../model/index.js';
import type { Code } from '../../model/codes.js';
import { addressRule, type RawFinding } from '../raw.js';
import { probe, tcpProbe, upgradeProbe, type AddressEvidence } from '../evidence.js';

/** The HTTP/2 words for how a probe reached HTTP/2. */
function via(h2: Http2Result): string {
  return h2.via === 'tls' ? 'HTTP/2 over TLS' : h2.via === 'upgrade' ? 'HTTP/2 after Upgrade: h2c' : 'h2c (prior knowledge)';
}

/**
 * The session finding for an exchange that spoke HTTP/2 and got no final response; undefined when
 * the exchange never reached HTTP/2 frames (the preface findings cover those) or when it succeeded.
 * @example sessionFinding(p, p.h2)?.code // 'h2-protocol-error' for a frame that breaks RFC 9113
 */
export function sessionFinding(p: { id: string; durationMs: number }, h2: Http2Result): RawFinding | undefined {
  if (h2.outcome === 'response') return undefined;
  const v = h2.violation;
  const ev = (text: string): EvidenceItem[] => [{ probe: p.id, text: `${via(h2)}: ${text}` }];
  const settings = h2.serverSettings ? `the server sent SETTINGS${h2.serverSettings.length ? ` (${h2.serverSettings.map((s) => `${s.name}=${s.value}`).join(' ').slice(0, 200)})` : ''}, ` : '';
  switch (h2.outcome) {
    case 'protocol-error': {
      const text = v?.text ?? h2.detail ?? 'a frame breaks RFC 9113';
      return { code: 'h2-protocol-error', detail: text, evidence: ev(`${settings}then ${v?.frame ? `${v.frame}: ` : ''}${text}`) };
    }
    case 'flood': {
      const f = v?.flood;
      const detail = f ? (f.type === 'bytes' ? `${f.bytes} bytes in ${f.count} frames without a response` : `${f.count} ${f.type} frames${f.ms ? ` in ${f.ms} ms` : ''}`) : (h2.detail ?? 'a flood');
      return { code: 'h2-flood', detail, evidence: ev(`${settings}then ${v?.text ?? h2.detail ?? detail}`) };
    }
    case 'timeout':
      if (!h2.serverSettings) return undefined;
      return { code: 'h2-no-response', detail: `nothing after SETTINGS in ${Math.round(p.durationMs)} ms`, evidence: ev(`${settings}then no response to GET on stream 1 in ${Math.round(p.durationMs)} ms`) };
    case 'closed':
    case 'reset':
      if (!h2.serverSettings) return undefined;
      return { code: 'h2-no-response', detail: `the server ${h2.outcome === 'reset' ? 'reset' : 'closed'} the connection after SETTINGS`, evidence: ev(`${settings}then ${h2.outcome === 'reset' ? 'reset' : 'closed'} the connection before answering stream 1`) };
    case 'rst-stream': {
      const r = h2.rstStream;
      return { code: 'h2-no-response', detail: `stream 1 reset with ${r?.errorName ?? 'RST_STREAM'}`, evidence: ev(`${settings}then RST_STREAM ${r?.errorName ?? ''} on stream 1 before any response`.replace('  ', ' ')) };
    }
    case 'settings-no-response': {
      const mcs = h2.serverSettings?.find((s) => s.name === 'MAX_CONCURRENT_STREAMS');
      if (mcs && mcs.value === 0) return undefined;
      return { code: 'h2-no-response', detail: 'no response', evidence: ev(`${settings}then no response to stream 1`) };
    }
    default:
      return undefined;
  }
}

const reached = (ev: AddressEvidence) => tcpProbe(ev)?.connect.ok !== false;

/** The forced HTTP/2 exchange over TLS, when both handshakes completed and no response came. */
function failedH2Exchange(ev: AddressEvidence) {
  if (!ev.target.tls || !reached(ev) || probe(ev, 'tls-default')?.tls.outcome !== 'handshake') return undefined;
  const h2 = probe(ev, 'h2-tls');
  return h2 && h2.tls?.outcome === 'handshake' && h2.h2.outcome !== 'response' ? h2 : undefined;
}

/** The h2c exchanges of a cleartext port that got no response: prior knowledge, and after a 101 to Upgrade: h2c. */
function failedH2cExchanges(ev: AddressEvidence): Array<{ id: string; durationMs: number; h2: Http2Result }> {
  if (ev.target.tls || !reached(ev)) return [];
  const out: Array<{ id: string; durationMs: number; h2: Http2Result }> = [];
  const p = probe(ev, 'h2c-prior-knowledge');
  const u = upgradeProbe(ev);
  if (p && p.h2.outcome !== 'response') out.push(p);
  if (u?.h2 && u.h2.outcome !== 'response') out.push({ id: u.id, durationMs: u.durationMs, h2: u.h2 });
  return out;
}

const SESSION_CODES: readonly Code[] = ['h2-protocol-error', 'h2-flood', 'h2-no-response'];

/**
 * HTTP/2 over TLS (ALPN h2, or forced as gRPC does) reached the server's frames and got no response.
 * @example h2SessionOverTlsRule(ev)[0]?.code // 'h2-flood'
 */
export const h2SessionOverTlsRule = addressRule('h2-session-over-tls', SESSION_CODES, (ev) => {
  const p = failedH2Exchange(ev);
  const f = p && sessionFinding(p, p.h2);
  if (!f) return [];
  // HTTP_1_1_REQUIRED asks the client to retry over HTTP/1.1 (RFC 9113 §8.7): what that retry got is part of the answer.
  const h1 = p.h2.rstStream?.errorName === 'HTTP_1_1_REQUIRED' ? probe(ev, 'h1-tls') : undefined;
  if (h1) f.evidence.push({ probe: h1.id, text: `the same request over HTTP/1.1 (the retry the server asks for): ${h1.h1.outcome === 'response' ? `${h1.h1.status}${h1.h1.reason ? ` ${h1.h1.reason}` : ''}` : h1.tls?.outcome === 'alert' ? `alert ${h1.tls.alert?.name} (${h1.tls.alert?.code})` : `${h1.h1.outcome} without a response`}` });
  return [f];
});

/**
 * h2c (prior knowledge, or after a 101 to Upgrade: h2c) reached the server's frames and got no response.
 * @example h2cSessionRule(ev)[0]?.code // 'h2-no-response'
 */
export const h2cSessionRule = addressRule('h2-session-h2c', SESSION_CODES, (ev) => {
  const out: RawFinding[] = [];
  for (const p of failedH2cExchanges(ev)) {
    const f = sessionFinding(p, p.h2);
    if (f) out.push(f);
  }
  return out;
});

/**
 * The session family's rules, in order.
 * @example SESSION_RULES.flatMap((rule) => rule(ev)).map((f) => f.code) // ['h2-no-response']
 */
export const SESSION_RULES = Object.freeze([h2SessionOverTlsRule, h2cSessionRule]);
