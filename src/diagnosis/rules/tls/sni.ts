/**
 * SNI: a server that refuses a hello without SNI or serves another certificate then, and a server that
 * does not know the name sent (refused with unrecognized_name, or a default certificate after it).
 */
import { accepted, refused, item, rawAnswer, tlsRule } from './common.js';
import { proven } from './bisection.js';
import { nameNotCovered, unknownNameWarning } from './certificate.js';

/**
 * Without SNI the server refuses, or serves a certificate that does not cover the name.
 * @example sniRequiredRule(ev)[0]?.detail // 'refused: alert handshake_failure (40)'
 */
export const sniRequiredRule = tlsRule('tls-sni-required', ['tls-sni-required'], ({ ev, d, by }) => {
  const t = d.tls;
  const sni = t.sni;
  if (t.outcome !== 'handshake') return [];
  // Node's own hello without SNI: a TLS 1.2-only one (`tls12-no-sni`, recorded evidence) refused by a
  // TLS 1.3-only server would read as "SNI required".
  const noSni = by('no-sni') ?? by('survey-no-sni');
  if (!sni || !noSni) return [];
  if (refused(noSni)) {
    return [{ code: 'tls-sni-required', detail: `refused: ${rawAnswer(noSni.raw)}`, evidence: [{ probe: d.id, text: `with SNI ${sni}: ${t.version}, handshake completes` }, item(noSni)] }];
  }
  if (accepted(noSni) && noSni.raw.cert && t.cert && noSni.raw.cert.fingerprint256 !== t.cert.fingerprint256 && !noSni.raw.cert.coversHost && t.hostname?.ok !== false) {
    return [{
      code: 'tls-sni-required',
      detail: `another certificate (${noSni.raw.cert.subject}) is served without SNI`,
      evidence: [{ probe: d.id, text: `with SNI ${sni}: certificate ${t.cert.subject} (covers ${ev.target.host})` }, item(noSni, `without SNI: certificate ${noSni.raw.cert.subject} [${noSni.raw.cert.altNames.join(', ')}], which does not cover ${ev.target.host}`)],
    }];
  }
  return [];
});

/**
 * The server does not know the name sent (RFC 6066 §3 unrecognized_name): refused with it (or
 * refused with the name and accepted without SNI), or a warning then a default certificate that
 * does not cover the name.
 * @example sniUnknownNameRule(ev)[0]?.detail // 'app.example refused with unrecognized_name (112)'
 */
export const sniUnknownNameRule = tlsRule('tls-sni-unknown-name', ['tls-sni-unknown-name'], (c) => {
  const { ev, d } = c;
  const t = d.tls;
  if (t.outcome !== 'handshake') return proven(c, 'tls-sni-unknown-name');
  const cert = t.cert;
  const warned = unknownNameWarning(c);
  if (!cert || !nameNotCovered(c) || !warned) return [];
  return [{
    code: 'tls-sni-unknown-name',
    detail: `${t.sni}: unrecognized_name (112), then a default certificate`,
    evidence: [item(warned, `SNI ${t.sni}: the server sent a warning alert unrecognized_name (112) before its ServerHello, then ${rawAnswer(warned.raw)}`), { probe: d.id, text: `the certificate served, ${cert.subject} [${cert.altNames.join(', ')}], does not cover ${ev.target.host}` }],
    facts: { names: cert.altNames },
  }];
});
