/**
 * TLS versions: TLS 1.2 refused by a TLS 1.3 server, TLS 1.3 absent, a server with nothing newer than
 * TLS 1.1 (from the bisection), and TLS 1.0 / 1.1 still accepted.
 */
import { accepted, refused, item, tlsRule } from './common.js';
import { proven } from './bisection.js';

/**
 * A TLS 1.3 answer to Node's hello, and a TLS 1.2-only hello refused.
 * @example tls12NotSupportedRule(ev).map((f) => f.code) // ['tls12-not-supported']
 */
export const tls12NotSupportedRule = tlsRule('tls12-not-supported', ['tls12-not-supported'], ({ d, by }) => {
  const t = d.tls;
  if (t.outcome !== 'handshake') return [];
  // Only a hello that carried the name answers for it: a TLS 1.2 hello without SNI (`tls12-no-sni`,
  // `survey-TLSv1.2-no-sni`, still in recorded evidence) is not read (Caddy's per-site TLS versions).
  const t12 = by('tls12-only') ?? by('survey-TLSv1.2');
  if (t.version !== 'TLSv1.3' || !refused(t12)) return [];
  return [{ code: 'tls12-not-supported', evidence: [{ probe: d.id, text: `Node's hello got ${t.version} ${t.cipher?.standardName}` }, item(t12!)] }];
});

/**
 * RFC 8446 §4.2.1: offered TLS 1.3 and 1.2, a server with TLS 1.3 picks it; TLS 1.2 chosen means none.
 * @example tls13NotSupportedRule(ev).map((f) => f.code) // ['tls13-not-supported']
 */
export const tls13NotSupportedRule = tlsRule('tls13-not-supported', ['tls13-not-supported'], ({ d }) => {
  const t = d.tls;
  if (t.outcome !== 'handshake' || t.version !== 'TLSv1.2') return [];
  return [{ code: 'tls13-not-supported', evidence: [{ probe: d.id, text: `Node offered TLS 1.3 and 1.2 (supported_versions); the server chose TLSv1.2 (${t.cipher?.standardName}), so it has no TLS 1.3` }] }];
});

/**
 * The refusal is the version: the widest hello got TLS 1.1 or older, Node's versions alone were
 * refused, or the server speaks SSL 3.0 only (bisection).
 * @example versionTooOldRule(ev)[0]?.detail // 'TLSv1'
 */
export const versionTooOldRule = tlsRule('tls-version-too-old', ['tls-version-too-old'], (c) => proven(c, 'tls-version-too-old'));

/**
 * TLS 1.0 / 1.1 accepted by any raw hello (checks, bisection or survey), unless the server has
 * nothing newer (then tls-version-too-old says it).
 * @example legacyVersionRule(ev)[0]?.detail // 'TLSv1.1, TLSv1'
 */
export const legacyVersionRule = tlsRule('tls-legacy-version-enabled', ['tls-legacy-version-enabled'], (c) => {
  const legacy = c.raws.filter((p) => accepted(p) && (p.raw.versionCode ?? 0x0303) < 0x0303);
  if (!legacy.length || proven(c, 'tls-version-too-old').length) return [];
  const versions = [...new Set(legacy.map((p) => p.raw.version!))];
  return [{ code: 'tls-legacy-version-enabled', detail: versions.join(', '), evidence: legacy.slice(0, 3).map((p) => item(p)) }];
});
