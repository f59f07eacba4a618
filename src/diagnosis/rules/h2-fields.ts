/**
 * h2-connection-specific-header: an HTTP/2 response that carries a connection-specific field.
 * RFC 9113 §8.2.2: an endpoint MUST NOT generate connection-specific fields (Connection,
 * Proxy-Connection, Keep-Alive, Transfer-Encoding, Upgrade), and `TE` only as "trailers"; a response
 * that has one is malformed (§8.1.1), and clients reset the stream with PROTOCOL_ERROR (curl
 * "(92) … PROTOCOL_ERROR", nghttp "Invalid HTTP header field was received", Node ERR_HTTP2_STREAM_ERROR).
 * Real case: nginx ≤ 1.25 proxying a backend's `Upgrade: h2,h2c` (Apache mod_http2) into its h2 answers.
 * Pure: the field list comes from the HTTP/2 probes' recorded response headers.
 */
import type { EvidenceItem, Probe } from '../../model/index.js';
import { addressRule } from '../raw.js';

/**
 * RFC 9113 §8.2.2: the connection-specific fields (lower case, as HTTP/2 carries them).
 * @example CONNECTION_SPECIFIC_FIELDS.includes('upgrade') // true
 */
export const CONNECTION_SPECIFIC_FIELDS = ['connection', 'proxy-connection', 'keep-alive', 'transfer-encoding', 'upgrade'] as const;

/**
 * The connection-specific fields of one HTTP/2 header list: `te` counts unless its value is exactly "trailers".
 * @example connectionSpecific([[':status', '200'], ['upgrade', 'h2,h2c'], ['te', 'trailers']]) // [['upgrade', 'h2,h2c']]
 */
export function connectionSpecific(headers: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of headers) {
    const name = k.toLowerCase();
    if ((CONNECTION_SPECIFIC_FIELDS as readonly string[]).includes(name) || (name === 'te' && v.trim().toLowerCase() !== 'trailers')) out.push([name, v]);
  }
  return out;
}

/** The HTTP/2 answer a probe recorded: the core HTTP/2 probes, and the one after `Upgrade: h2c`. */
function h2Of(p: Probe) {
  return p.kind === 'h2' || p.kind === 'h2c-upgrade' ? p.h2 : undefined;
}

/**
 * The rule: an HTTP/2 response carrying a connection-specific field is h2-connection-specific-header.
 * @example h2FieldsRule(ev)[0]?.detail // 'upgrade'
 */
export const h2FieldsRule = addressRule('h2-connection-specific-header', ['h2-connection-specific-header'], (ev) => {
  const evidence: EvidenceItem[] = [];
  const names = new Set<string>();
  for (const p of ev.probes) {
    const h2 = h2Of(p);
    if (!h2?.headers) continue;
    const bad = connectionSpecific(h2.headers!);
    if (!bad.length) continue;
    for (const [k] of bad) names.add(k);
    const server = h2.headers!.find(([k]) => k.toLowerCase() === 'server')?.[1];
    evidence.push({
      probe: p.id,
      text: `HTTP/2 response (${h2.via === 'tls' ? 'TLS, ALPN h2' : h2.via === 'prior-knowledge' ? 'h2c prior knowledge' : 'after Upgrade: h2c'}) :status ${h2.status ?? '?'} carries ${bad.map(([k, v]) => `${k}: ${v}`).join(', ')}${server ? ` (server: ${server})` : ''}`,
    });
  }
  if (!evidence.length) return [];
  return [{ code: 'h2-connection-specific-header', detail: [...names].join(', '), evidence }];
});
