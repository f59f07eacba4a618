/**
 * The certificate of a completed handshake: Node's verification of the chain and the name, and the
 * dates against the local clock when the stage ran (never the clock of the diagnosis).
 */
import type { EvidenceItem } from '../../../model/index.js';
import { tlsRule, type Raw, type TlsEvidence } from './common.js';

/** What every certificate rule reads: the certificate, Node's verify code, the local clock of the stage, one evidence line. */
function cert(c: TlsEvidence) {
  const t = c.d.tls;
  const crt = t.outcome === 'handshake' ? t.cert : undefined;
  if (!crt) return undefined;
  return {
    crt,
    now: Date.parse(c.stage?.localTime ?? '') || undefined,
    code: t.verify && !t.verify.ok ? t.verify.code : undefined,
    chain: `chain sent: ${crt.chainSubjects.length} certificate(s) [${crt.chainSubjects.join(' ← ')}]`,
    e: (text: string): EvidenceItem => ({ probe: c.d.id, text }),
  };
}

/**
 * Past its notAfter (Node said so, or the local clock is later).
 * @example certExpiredRule(ev)[0]?.detail // 'Jan  1 00:00:00 2020 GMT'
 */
export const certExpiredRule = tlsRule('cert-expired', ['cert-expired'], (c) => {
  const x = cert(c);
  if (!x) return [];
  const { crt, now, code } = x;
  if (!(code === 'CERT_HAS_EXPIRED' || (now && Date.parse(crt.validTo) < now))) return [];
  return [{ code: 'cert-expired', detail: crt.validTo, evidence: [x.e(`certificate ${crt.subject}: notAfter ${crt.validTo}${now ? `, local clock ${new Date(now).toISOString()}` : ''}${code ? ` (Node: ${code})` : ''}`)] }];
});

/**
 * Before its notBefore.
 * @example certNotYetValidRule(ev)[0]?.detail // 'Jan  1 00:00:00 2030 GMT'
 */
export const certNotYetValidRule = tlsRule('cert-not-yet-valid', ['cert-not-yet-valid'], (c) => {
  const x = cert(c);
  if (!x) return [];
  const { crt, now, code } = x;
  if (!(code === 'CERT_NOT_YET_VALID' || (now && Date.parse(crt.validFrom) > now))) return [];
  return [{ code: 'cert-not-yet-valid', detail: crt.validFrom, evidence: [x.e(`certificate ${crt.subject}: notBefore ${crt.validFrom}${now ? `, local clock ${new Date(now).toISOString()}` : ''}${code ? ` (Node: ${code})` : ''}`)] }];
});

const chainIncomplete = (crt: NonNullable<ReturnType<typeof cert>>['crt'], code: string | undefined) =>
  code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || (code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' && crt.chainSubjects.length <= 1 && !crt.selfSigned);
const UNTRUSTED = ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE'];

/**
 * The server sends the leaf alone and its issuer is not in the trust store.
 * @example certChainIncompleteRule(ev)[0]?.detail // 'CN=Lab Intermediate'
 */
export const certChainIncompleteRule = tlsRule('cert-chain-incomplete', ['cert-chain-incomplete'], (c) => {
  const x = cert(c);
  if (!x || !chainIncomplete(x.crt, x.code)) return [];
  return [{ code: 'cert-chain-incomplete', detail: x.crt.issuer, evidence: [x.e(`the server sends the leaf alone, issued by ${x.crt.issuer}, which is neither sent nor in the trust store; ${x.chain} (Node: ${x.code})`)] }];
});

/**
 * Self-signed, or a chain that ends in a root that is not trusted (an incomplete chain is said as such instead).
 * @example certUntrustedRule(ev)[0]?.detail // 'the certificate is self-signed'
 */
export const certUntrustedRule = tlsRule('cert-untrusted', ['cert-untrusted'], (c) => {
  const x = cert(c);
  if (!x || chainIncomplete(x.crt, x.code) || !x.code || !UNTRUSTED.includes(x.code)) return [];
  const { crt, code } = x;
  const why = code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ? 'the certificate is self-signed' : code === 'SELF_SIGNED_CERT_IN_CHAIN' ? 'the chain ends in a root that is not trusted' : 'the issuer is not trusted';
  return [{ code: 'cert-untrusted', detail: why, evidence: [x.e(`${why}: ${crt.subject}, issuer ${crt.issuer}; ${x.chain} (Node: ${code})`)] }];
});

/**
 * The certificate does not cover the name (Node's verification or our own check).
 * @example nameNotCovered(c) // true
 */
export function nameNotCovered(c: TlsEvidence): boolean {
  const x = cert(c);
  return !!x && (x.code === 'ERR_TLS_CERT_ALTNAME_INVALID' || c.d.tls.hostname?.ok === false);
}

/**
 * Node's hello sent raw, when the server said unrecognized_name (112) to it (a warning before its
 * ServerHello, or a fatal alert): the server does not know the name (RFC 6066 §3).
 * @example unknownNameWarning(c)?.label // 'mirror'
 */
export function unknownNameWarning(c: TlsEvidence): Raw | undefined {
  const mirror = c.by('mirror');
  const unknown = mirror?.raw.warnings?.find((w) => w.code === 112) ?? (mirror?.raw.alert?.code === 112 ? mirror.raw.alert : undefined);
  return mirror && unknown ? mirror : undefined;
}

/**
 * The certificate does not cover the name, and the server did not say it does not know the name
 * (that is tls-sni-unknown-name).
 * @example certHostnameMismatchRule(ev)[0]?.detail // 'app.example'
 */
export const certHostnameMismatchRule = tlsRule('cert-hostname-mismatch', ['cert-hostname-mismatch'], (c) => {
  const x = cert(c);
  if (!x || !nameNotCovered(c) || unknownNameWarning(c)) return [];
  const t = c.d.tls;
  const host = c.ev.target.host;
  return [{ code: 'cert-hostname-mismatch', detail: host, evidence: [x.e(`certificate ${x.crt.subject} covers [${x.crt.altNames.join(', ') || 'no subjectAltName'}], not ${host}${t.hostname && !t.hostname.ok ? ` (${t.hostname.message})` : ''}`)] }];
});
