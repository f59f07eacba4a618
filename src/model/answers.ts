/**
 * Which core probe is the target's HTTP/1.1 answer and which its HTTP/2 answer: one definition for
 * the probes (upgrade stage, --compare-direct), the rules, the engine, watch and the exporter.
 * The sniffs (`sniff-http1`, `sniff-h2c`: a TLS port tried in cleartext) are never the answer.
 */
import type { CoreProbe, Probe } from './probes.js';

/** The core HTTP/1.1 probe: `h1-tls` (ALPN http/1.1) over TLS, `h1-cleartext` otherwise. */
export type Http1AnswerProbe = Extract<CoreProbe, { kind: 'h1' }> & { name: 'h1-tls' | 'h1-cleartext' };
/** The core HTTP/2 probe: `h2-tls` over TLS, `h2c-prior-knowledge` over cleartext. */
export type Http2AnswerProbe = Extract<CoreProbe, { kind: 'h2' }> & { name: 'h2-tls' | 'h2c-prior-knowledge' };

/**
 * Whether a probe is one of the target's HTTP/1.1 answers (one per address).
 * @example report.probes.filter(isHttp1Answer).map((p) => p.h1.status) // [200, 200]
 */
export function isHttp1Answer(p: Probe): p is Http1AnswerProbe {
  return p.kind === 'h1' && (p.name === 'h1-tls' || p.name === 'h1-cleartext');
}

/**
 * Whether a probe is one of the target's HTTP/2 answers (h2 over TLS, or h2c by prior knowledge; one per address).
 * @example report.probes.filter(isHttp2Answer).map((p) => p.h2.outcome) // ['response']
 */
export function isHttp2Answer(p: Probe): p is Http2AnswerProbe {
  return p.kind === 'h2' && (p.name === 'h2-tls' || p.name === 'h2c-prior-knowledge');
}

/**
 * The probe whose response is the target's HTTP/1.1 answer, if it was probed.
 * @example http1Answer(report.probes)?.h1.status // 200
 */
export function http1Answer(probes: readonly Probe[]): Http1AnswerProbe | undefined {
  return probes.find(isHttp1Answer);
}

/**
 * The probe whose response is the target's HTTP/2 answer (h2 over TLS, or h2c by prior knowledge;
 * the `Upgrade: h2c` exchange is its own probe, `h2c-upgrade`), if it was probed.
 * @example http2Answer(report.probes)?.h2.outcome // 'response'
 */
export function http2Answer(probes: readonly Probe[]): Http2AnswerProbe | undefined {
  return probes.find(isHttp2Answer);
}
