/**
 * The server starts an HTTP/1.x response whose head cannot be read: it never ends (endless field
 * lines, a status line without CRLF) or is larger than clients accept. HTTP/1.1, not "not HTTP".
 */
import { addressRule } from '../raw.js';
import type { Http1Result } from '../../model/index.js';
import { evidenceItem, probe, upgradeProbe } from '../evidence.js';

const unreadable = (h: Http1Result | undefined): h is Http1Result & { first: NonNullable<Http1Result['first']> } => h?.outcome === 'garbage' && h.first?.first.kind === 'http1';

/**
 * An HTTP/1.1 answer that began as HTTP/1.x and could not be read: the plain GET's (`h1-tls` or
 * `h1-cleartext`), else the answer to the GET with `Upgrade: h2c` (all a trace of a cleartext URL sends).
 * @example http1HeadRule(ev)[0]?.detail // 'no end of the status line (no CRLF) within 65536 bytes'
 */
export const http1HeadRule = addressRule('http1-head', ['http1-malformed-response'], (ev) => {
  const p = probe(ev, 'h1-tls') ?? probe(ev, 'h1-cleartext');
  const u = upgradeProbe(ev);
  const [id, h, what, bytes] = unreadable(p?.h1) ? [p!.id, p!.h1, 'over HTTP/1.1', p!.bytesReceived] : unreadable(u?.upgrade) ? [u!.id, u!.upgrade, 'with Upgrade: h2c', u!.bytesReceived] : [];
  if (!id || !unreadable(h)) return [];
  const detail = h.malformed ?? 'an HTTP/1.x head that cannot be parsed';
  return [{ code: 'http1-malformed-response', detail, evidence: [evidenceItem(id, `GET ${ev.target.path} ${what} → it starts as ${h.first.summary}, then ${detail} (${bytes} bytes read)`, h.first)] }];
});
