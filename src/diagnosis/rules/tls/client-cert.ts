/**
 * A server that demands a client certificate: Node's hello accepted raw with a CertificateRequest and
 * the handshake then aborted (bisection), or a completed handshake whose HTTP requests are refused
 * or cut off without one.
 */
import { probe } from '../../evidence.js';
import { accepted, item, rawAnswer, tlsRule } from './common.js';
import { proven } from './bisection.js';

/** The server's own words when its error page says why (nginx: "No required SSL certificate was sent"). */
function denialText(body: string | undefined): string {
  const m = body?.match(/No required SSL certificate was sent|certificate[^<\n]{0,80}/i);
  return m ? ` "${m[0].slice(0, 100)}"` : '';
}

/**
 * The server asks for a client certificate and refuses to go on without one.
 * @example clientCertRule(ev)[0]?.detail // 'certificate_required (116)'
 */
export const clientCertRule = tlsRule('tls-client-cert-required', ['tls-client-cert-required'], (c) => {
  const { ev, d, raws } = c;
  if (d.tls.outcome !== 'handshake') return proven(c, 'tls-client-cert-required');
  // A client certificate demanded: the raw hellos saw a CertificateRequest and the HTTP probes were cut off.
  const certReq = raws.find((p) => accepted(p) && p.raw.certificateRequest);
  const h2 = probe(ev, 'h2-tls');
  const h1 = probe(ev, 'h1-tls');
  const httpRefused = [h2?.tls, h1?.tls].some((x) => x?.outcome === 'alert' && (x.alert?.code === 116 || x.alert?.code === 40 || x.alert?.code === 42));
  const httpDead = h2?.h2.outcome !== 'response' && h1?.h1.outcome !== 'response';
  // The handshake completes without a certificate and the server refuses at the HTTP layer instead:
  // nginx `ssl_verify_client on` answers every request "400 No required SSL certificate was sent"
  // (its internal 496), Apache under TLS 1.3 a 403. Only when no answer is a success.
  const statuses = [h2?.h2.outcome === 'response' ? h2.h2.status : undefined, h1?.h1.outcome === 'response' ? h1.h1.status : undefined].filter((x): x is number => x !== undefined);
  const httpDenied = statuses.length > 0 && statuses.every((s) => s === 400 || s === 403 || s === 495 || s === 496);
  if (!certReq || !(httpRefused || httpDead || httpDenied)) return [];
  const ex = [h2, h1].find((p) => p && p.tls?.outcome === 'alert');
  return [{
    code: 'tls-client-cert-required',
    detail: ex?.tls?.alert ? `${ex.tls.alert.name} (${ex.tls.alert.code})` : httpDenied && !httpDead ? `every request answered ${[...new Set(statuses)].join('/')} without a client certificate` : 'no response without a client certificate',
    evidence: [
      item(certReq, `the server sends a CertificateRequest: ${rawAnswer(certReq.raw)}`),
      ...[h2, h1]
        .filter((p) => !!p)
        .map((p) => ({
          probe: p!.id,
          text: `without a client certificate: ${p!.tls?.outcome === 'alert' ? `alert ${p!.tls.alert?.name} (${p!.tls.alert?.code})` : p!.kind === 'h2' ? `HTTP/2 ${p!.h2.outcome === 'response' ? p!.h2.status : p!.h2.outcome}` : `HTTP/1.1 ${p!.h1.outcome === 'response' ? `${p!.h1.status}${denialText(p!.h1.bodyPreview)}` : p!.h1.outcome}`}`,
        })),
    ],
  }];
});
