/**
 * The server starts an HTTP/1.x response whose head cannot be read: it never ends (endless field
 * lines, a status line without CRLF) or is larger than clients accept. HTTP/1.1, not "not HTTP".
 */
import { addressRule } from '../raw.js';
import { evidenceItem, probe } from '../evidence.js';

/**
 * An HTTP/1.1 answer (`h1-tls` or `h1-cleartext`) that began as HTTP/1.x and could not be read.
 * @example http1HeadRule(ev)[0]?.detail // 'no end of the status line (no CRLF) within 65536 bytes'
 */
export const http1HeadRule = addressRule('http1-head', ['http1-malformed-response'], (ev) => {
  const p = probe(ev, 'h1-tls') ?? probe(ev, 'h1-cleartext');
  const h = p?.h1;
  if (!p || h?.outcome !== 'garbage' || h.first?.first.kind !== 'http1') return [];
  const detail = h.malformed ?? 'an HTTP/1.x head that cannot be parsed';
  return [{ code: 'http1-malformed-response', detail, evidence: [evidenceItem(p.id, `GET ${ev.target.path} over HTTP/1.1 → it starts as ${h.first.summary}, then ${detail} (${p.bytesReceived} bytes read)`, h.first)] }];
});
