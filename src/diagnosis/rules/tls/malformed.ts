/**
 * The answer to our ClientHello was bytes, but not a usable TLS handshake: another protocol (not
 * HTTP, which is scheme-https-on-cleartext-port), a malformed or oversized record, or a record that
 * never completes. RFC 8446 §5.1: records are type, version, length ≤ 2^14 (+256), then that many bytes.
 */
import type { EvidenceItem } from '../../../model/index.js';
import { evidenceItem, probe } from '../../evidence.js';
import { isCleartextHttp } from '../protocol.js';
import { item, tlsRule } from './common.js';

/**
 * Bytes came back that are not a TLS handshake (and not HTTP).
 * @example malformedRule(ev)[0]?.detail // 'bytes that are not TLS: SSH-2.0-OpenSSH_9.2'
 */
export const malformedRule = tlsRule('tls-malformed-response', ['tls-malformed-response'], ({ ev, d, raws }) => {
  const t = d.tls;
  if (!['not-tls', 'timeout', 'error'].includes(t.outcome) || d.bytesReceived === 0) return [];
  if (isCleartextHttp(d.first)) return [];
  const sniff = probe(ev, 'sniff-http1');
  if (sniff?.h1.outcome === 'response') return [];
  const first = d.first?.first;
  const what =
    first?.kind === 'tls-record-overflow'
      ? // RFC 8446 §5.1: a record over 2^14 bytes (2^14 + 2048 ciphertext in TLS 1.2) is a record_overflow alert (22).
        `a TLS record header announcing ${first.length} bytes, over RFC 8446 §5.1's limit of 2^14 (+2048): TLS clients abort with record_overflow (alert 22)`
      : t.outcome === 'not-tls'
      ? `bytes that are not TLS: ${d.first?.summary ?? 'unrecognised'}`
      : t.outcome === 'timeout'
        ? `${d.bytesReceived} byte(s) of a TLS answer (${d.first?.summary ?? 'partial record'}) that never completed in ${Math.round(d.durationMs)} ms`
        : `a TLS answer the local TLS library rejected (${t.error?.code ?? 'error'}: ${t.error?.message ?? ''})`;
  const evidence: EvidenceItem[] = [evidenceItem(d.id, `our ClientHello was answered with ${what}`, d.first)];
  for (const r of raws.slice(0, 2)) {
    if (r.raw.outcome === 'not-tls' || r.raw.outcome === 'malformed' || r.raw.outcome === 'timeout') evidence.push(item(r));
  }
  return [{ code: 'tls-malformed-response', detail: what, evidence }];
});
