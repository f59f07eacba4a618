/**
 * Words for the tls and certificate codes: titles, explanations, what clients print, fixes, reproduce.
 */
import type { Code } from '../codes.js';
import type { Knowledge } from '../knowledge.js';

export const TLS_KNOWLEDGE: Partial<Record<Code, Knowledge>> = {
  'tls-handshake-alert': {
    title: (v) => `The server aborted the TLS handshake: ${v.detail ?? 'alert'}`,
    explanation: (v) =>
      `Our ClientHello (a modern client: TLS 1.2–1.3, ALPN h2/http/1.1, SNI ${v.servername ? 'set' : 'off'}) was answered with the TLS alert ${v.detail ?? ''}. The alert alone does not say which parameter the server rejected: a cipher, version, group, signature algorithm, SNI or ALPN mismatch all produce handshake_failure (40).`,
    clientsSee: [
      'OpenSSL/BoringSSL: SSLV3_ALERT_HANDSHAKE_FAILURE … SSL alert number 40',
      'Node: ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
      'Go: remote error: tls: handshake failure',
      'Java: Received fatal alert: handshake_failure',
      'Python: [SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] sslv3 alert handshake failure',
    ],
    fixes: () => [
      { side: 'server', applies: 'nginx', text: 'Offer modern parameters.', snippet: 'ssl_protocols TLSv1.2 TLSv1.3;\nssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;\nssl_ecdh_curve X25519:prime256v1:secp384r1;' },
      { side: 'client', applies: 'any', text: 'Compare what the client offers (openssl s_client -msg, Wireshark) with what the server accepts.' },
    ],
    reproduce: (v) => [`openssl s_client -connect ${v.connect}${v.servername} -alpn h2 -tls1_2 </dev/null`, `openssl s_client -connect ${v.connect}${v.servername} -alpn h2 -tls1_3 </dev/null`],
  },
};
