/**
 * Signal rules for certificates: validity, hostname, chain, trust; read the same from OpenSSL, Node,
 * Java, Go, GnuTLS, Python and Chromium messages.
 */
import type { CodeHint } from './decoded.js';
import { h, type Rule } from './signal-types.js';

/** Certificate verification failed, no reason given: the usual causes, most likely first. */
export const CERT_GENERIC: CodeHint[] = [
  h('cert-untrusted', 3, 'certificate verification failed: most often an unknown or self-signed issuer'),
  h('cert-expired', 2.5, 'or the certificate is outside its validity period'),
  h('cert-chain-incomplete', 2.5, 'or the server does not send its intermediate certificate'),
  h('cert-hostname-mismatch', 1.5, 'or the certificate does not name the host'),
  h('cert-not-yet-valid', 1, 'or its notBefore is in the future'),
];

/** The certificate rules, most specific first. */
export const CERTIFICATE_RULES: Rule[] = [
  {
    id: 'cert-go-validity',
    layer: 'certificate',
    re: /certificate has expired or is not yet valid(?:: current time \S+ is (after|before) )?/,
    sentence: 'Go: the certificate is outside its validity period (the time says which end)',
    hints: (m) =>
      m[1] === 'before'
        ? [h('cert-not-yet-valid', 8, 'the current time is before the certificate\'s notBefore'), h('clock-skew', 2, 'or the local clock is behind')]
        : m[1] === 'after'
          ? [h('cert-expired', 8, 'the current time is after the certificate\'s notAfter'), h('clock-skew', 1, 'or the local clock is ahead')]
          : [h('cert-expired', 5, 'expired…'), h('cert-not-yet-valid', 5, '…or not yet valid'), h('clock-skew', 2, 'or the local clock is off')],
  },
  {
    id: 'cert-date-invalid',
    layer: 'certificate',
    re: /ERR_CERT_DATE_INVALID|net_error -201\b|CERT_DATE_INVALID|validity check failed/,
    sentence: 'the certificate is outside its validity period (expired or not yet valid)',
    hints: () => [h('cert-expired', 5, 'past its notAfter'), h('cert-not-yet-valid', 4.5, 'or before its notBefore'), h('clock-skew', 2, 'or the local clock is off')],
  },
  {
    id: 'cert-not-yet-valid',
    layer: 'certificate',
    re: /not yet valid|CERT_NOT_YET_VALID|CertificateNotYetValidException|\bnum=9:|Verify return code: 9 |not (?:yet )?activated|NotBefore:/i,
    sentence: 'the certificate is not yet valid (its notBefore is in the future)',
    hints: () => [h('cert-not-yet-valid', 8, 'the certificate is not valid yet'), h('clock-skew', 2, 'or the local clock is behind')],
  },
  {
    id: 'cert-expired',
    layer: 'certificate',
    re: /certificate has expired|expired certificate|CERT_HAS_EXPIRED|CertificateExpiredException|certificate[_ ]expired|has expired|\bnum=10:|Verify return code: 10 |NotAfter:/i,
    sentence: 'the certificate has expired',
    hints: () => [h('cert-expired', 8, 'the certificate is past its notAfter'), h('clock-skew', 1, 'or the local clock is ahead')],
  },
  {
    id: 'cert-hostname',
    layer: 'certificate',
    re: /Hostname\/IP does not match|ALTNAME_INVALID|[Hh]ostname mismatch|\bnum=62:|Verify return code: 62 |certificate is (?:only )?valid for|certificate is not valid for any names|No subject alternative (?:DNS )?names?|No name matching|doesn'?t match (?:any of )?the (?:target )?host|does not match (?:the )?(?:target )?host ?name|no alternative certificate subject name|COMMON_NAME_INVALID|net_error -200\b|owner does not match|name in the certificate does not match|IP address mismatch|subject alternative name|not match the expected hostname|hostname .{0,80} doesn't match|Hostname .{0,80} not verified/i,
    sentence: 'the certificate does not name the host that was asked for',
    hints: () => [h('cert-hostname-mismatch', 8, 'the certificate does not cover the requested name'), h('tls-sni-unknown-name', 3, 'a server that has no certificate for the name sent serves its default one')],
  },
  {
    id: 'cert-chain-incomplete',
    layer: 'certificate',
    re: /unable to verify the first certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|\bnum=21:|Verify return code: 21 |unable to get local issuer certificate|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|\bnum=20:|Verify return code: 20 |PKIX path building failed|unable to find valid certification path|signed by unknown authority|issuer is unknown|signer not found|Issuer certificate is invalid/i,
    sentence: 'no chain from the certificate to a trusted root could be built (a missing intermediate or an unknown issuer)',
    hints: (m) => {
      const leaf = /first certificate|LEAF_SIGNATURE|num=21|code: 21/i.test(m[0]);
      return [
        h('cert-chain-incomplete', leaf ? 7 : 6, 'the server does not send the intermediate certificate, so the chain stops short of a trusted root'),
        h('cert-untrusted', leaf ? 5 : 6, 'or the issuer is a private or unknown CA'),
      ];
    },
  },
  {
    id: 'cert-self-signed',
    layer: 'certificate',
    re: /self[- ]signed|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT_IN_CHAIN|\bnum=1[89]:|Verify return code: 1[89] |unknown (?:certificate )?authority|ERR_CERT_AUTHORITY_INVALID|net_error -202\b|CA signer not|certificate_unknown|unknown[_ ]ca\b/i,
    sentence: 'the certificate (or its root) is self-signed or from an unknown authority',
    hints: () => [h('cert-untrusted', 8, 'the chain does not lead to a trusted root'), h('cert-chain-incomplete', 2, 'or an intermediate is missing'), h('tls-interception-suspected', 1, 'or an inspecting proxy re-signs')],
  },
  {
    id: 'cert-not-trusted-generic',
    layer: 'certificate',
    re: /certificate verify failed|CERTIFICATE_VERIFY_FAILED|certificate verification failed|Error in the certificate|PKI verification of server certificate failed|is NOT trusted|is not trusted|SSL certificate problem|CertPathValidatorException|bad[_ ]certificate|ERR_CERT_[A-Z_]+|tls_post_process_server_certificate|unable to get issuer certificate|Cannot connect to host .{0,200} ssl:True \[SSLCertVerificationError/i,
    sentence: 'the server certificate was rejected',
    hints: () => CERT_GENERIC,
  },
];
