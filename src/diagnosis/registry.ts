/**
 * The code registry: for every finding code of the contract (`model/codes.ts`), the rules that may
 * emit it, its knowledge (title, explanation, clients print, fixes, reproduce), the lab scenarios
 * that reproduce it, and the real-server tests that prove it — or the stated reason there is none.
 * `registry.test.ts` checks every entry against the rules, the knowledge, the lab and test/ and
 * names whatever is missing. Adding a code: CONTRIBUTING.md, "Adding a finding code".
 */
import { CODES, type Code, type Family, type Severity } from '../model/codes.js';
import { KNOWLEDGE } from './knowledge.js';
import type { Knowledge } from './knowledge/types.js';
import { REPORT_RULES, RULES, SCAN_RULES } from './rules/index.js';

/**
 * Lab scenario ids / real-server test files, or the reason there are none (a sentence).
 * @example const p: Proof = 'a closed port needs no server';
 */
export type Proof = readonly string[] | string;

/**
 * Everything the registry holds about one code.
 * @example REGISTRY['tcp-refused'].lab // ['tcp-refused']
 */
export interface CodeEntry {
  code: Code;
  family: Family;
  severity: Severity;
  meaning: string;
  /** Names of the rules that declare the code (`addressRule` / `reportRule`). */
  rules: readonly string[];
  /** What we know about the code; `stated: false` means the contract's meaning stands in (a missing piece). */
  knowledge: Knowledge;
  knowledgeStated: boolean;
  /** Lab scenario ids (`src/lab/`) whose `expect` holds the code, or why there is none. */
  lab: Proof;
  /** Test files under test/ that assert on the code (found or, for a fixed wrong answer, not found) against real server software, or why there are none. */
  realTests: Proof;
}

const LAB_ONLY = 'the lab scenario reproduces it; no real-server test asserts it yet';
const MISBEHAVIOUR = 'no packaged server misbehaves this way by configuration; the lab server reproduces the bytes';
const pending = (who: string) => `pending: ${who} builds its rule, knowledge and scenario`;

/**
 * Where each code is proven. Keys are every code (the type makes a new code add its line here).
 * Lab ids and test files are checked both ways by registry.test.ts.
 * @example PROOF['alpn-ignored'].realTests // ['test/real-haproxy.test.ts']
 */
export const PROOF: Readonly<Record<Code, { lab: Proof; realTests: Proof }>> = Object.freeze({
  'dns-no-address': { lab: ['dns-no-address'], realTests: 'a name that does not resolve needs no server' },
  'dns-addresses-disagree': { lab: ['dns-addresses-disagree'], realTests: ['test/real-coverage.test.ts'] },
  'vantage-points-disagree': { lab: 'a comparison of scan results from several workers, not one diagnosis: test/scan-queue.test.ts runs two vantage labels with different --resolve views', realTests: 'the vantage points see lab servers through two real Redis-backed workers (test/scan-queue.test.ts); no server configuration is involved' },
  'tcp-refused': { lab: ['tcp-refused'], realTests: 'a closed port needs no server' },
  'tcp-timeout': { lab: ['tcp-timeout'], realTests: 'a port that drops SYNs needs a firewall, not a server' },
  'tcp-reset': { lab: ['tcp-reset'], realTests: MISBEHAVIOUR },
  'tls-handshake-timeout': { lab: ['tls-handshake-timeout'], realTests: ['test/real-coverage.test.ts'] },
  'alpn-no-h2': { lab: ['tls-alpn-no-h2', 'dns-addresses-disagree', 'proxy-tls-intercepting-http1', 'clients-alpn-http1-only'], realTests: ['test/nginx-tls.test.ts', 'test/real-apache.test.ts', 'test/real-coverage.test.ts', 'test/real-fix-verification.test.ts'] },
  'alpn-ignored': { lab: ['tls-alpn-ignored'], realTests: ['test/real-fix-verification.test.ts', 'test/real-haproxy.test.ts'] },
  'preface-http1-response': { lab: ['tls-alpn-ignored', 'cleartext-http1-only', 'upgrade-426-tls', 'clients-cleartext-http1', 'hostile-h1-endless-headers', 'hostile-h1-status-no-crlf', 'hostile-h1-endless-chunked', 'hostile-h1-426-huge-upgrade'], realTests: ['test/real-apache.test.ts', 'test/real-caddy.test.ts', 'test/real-coverage.test.ts', 'test/real-fix-verification.test.ts', 'test/real-nginx.test.ts'] },
  'preface-closed': { lab: ['preface-closed'], realTests: MISBEHAVIOUR },
  'preface-timeout': { lab: ['preface-timeout'], realTests: ['test/real-coverage.test.ts'] },
  'preface-garbage': { lab: ['preface-garbage'], realTests: MISBEHAVIOUR },
  'preface-not-settings': { lab: ['preface-not-settings'], realTests: MISBEHAVIOUR },
  'goaway-on-connect': {
    lab: ['goaway-on-connect'],
    realTests:
      'a packaged server sends it by configuration only for a cause with its own code (Apache mod_http2 over a block-listed suite: h2-inadequate-security, with the GOAWAY as its evidence, test/real-apache-blocklisted.test.ts); the lab server reproduces the bytes',
  },
  'h2-inadequate-security': { lab: ['tls12-blocklisted-cipher', 'clients-blocklisted-cipher'], realTests: ['test/real-coverage.test.ts', 'test/real-fix-verification.test.ts', 'test/real-apache-blocklisted.test.ts'] },
  'http1-malformed-response': { lab: ['hostile-h1-endless-headers', 'hostile-h1-status-no-crlf', 'hostile-h1-426-huge-upgrade'], realTests: `${MISBEHAVIOUR}; test/hostile-h1.test.ts has curl fail on each` },
  'h2c-not-supported': { lab: ['cleartext-http1-only', 'upgrade-426-tls', 'clients-cleartext-http1', 'hostile-h1-endless-headers', 'hostile-h1-status-no-crlf', 'hostile-h1-endless-chunked', 'hostile-h1-426-huge-upgrade'], realTests: ['test/real-apache.test.ts', 'test/real-caddy.test.ts', 'test/real-coverage.test.ts', 'test/real-fix-verification.test.ts', 'test/real-nginx.test.ts'] },
  'h2c-upgrade-unsupported': { lab: ['h2c-prior-knowledge-only'], realTests: ['test/real-coverage.test.ts', 'test/real-fix-verification.test.ts', 'test/real-haproxy.test.ts', 'test/real-nghttpd.test.ts', 'test/real-nginx.test.ts', 'test/real-wrong-answers.test.ts'] },
  'h2-no-streams-allowed': { lab: ['h2-no-streams'], realTests: ['test/real-coverage.test.ts', 'test/real-fix-verification.test.ts'] },
  'http1-not-supported': { lab: ['h2c-prior-knowledge-only', 'h2-only-tls'], realTests: ['test/real-fix-verification.test.ts', 'test/real-haproxy.test.ts', 'test/real-nghttpd.test.ts', 'test/real-nginx.test.ts'] },
  'scheme-http-on-tls-port': {
    lab: ['http-to-tls-port'],
    realTests: ['test/real-apache.test.ts', 'test/real-caddy.test.ts', 'test/real-h2o.test.ts', 'test/real-haproxy.test.ts', 'test/real-nghttpd.test.ts', 'test/real-nginx.test.ts'],
  },
  'scheme-https-on-cleartext-port': {
    lab: ['https-to-cleartext-port'],
    realTests: ['test/real-apache.test.ts', 'test/real-h2o.test.ts', 'test/real-haproxy.test.ts', 'test/real-nghttpd.test.ts', 'test/real-nginx.test.ts'],
  },
  'h2-protocol-error': {
    lab: [
      'hostile-h2-hpack-table-bomb',
      'hostile-h2-hpack-huge-literal',
      'hostile-h2-hpack-integer-overflow',
      'hostile-h2-hpack-bad-huffman-padding',
      'hostile-h2-hpack-table-size-2e32',
      'hostile-h2-frame-16mb',
      'hostile-h2-settings-out-of-range',
      'hostile-h2-goaway-1mb-debug',
      'hostile-h2-status-abc',
      'hostile-h2-data-before-headers',
      'hostile-h2c-hpack-table-bomb',
      'hostile-h2c-hpack-huge-literal',
      'hostile-h2c-hpack-integer-overflow',
      'hostile-h2c-hpack-bad-huffman-padding',
      'hostile-h2c-hpack-table-size-2e32',
      'hostile-h2c-frame-16mb',
      'hostile-h2c-settings-out-of-range',
      'hostile-h2c-goaway-1mb-debug',
      'hostile-h2c-status-abc',
      'hostile-h2c-data-before-headers',
    ],
    realTests: MISBEHAVIOUR,
  },
  'h2-flood': {
    lab: [
      'hostile-h2-settings-flood',
      'hostile-h2-ping-flood',
      'hostile-h2-continuation-flood',
      'hostile-h2-empty-data-flood',
      'hostile-h2-rst-flood',
      'hostile-h2c-settings-flood',
      'hostile-h2c-ping-flood',
      'hostile-h2c-continuation-flood',
      'hostile-h2c-empty-data-flood',
      'hostile-h2c-rst-flood',
    ],
    realTests: MISBEHAVIOUR,
  },
  'h2-no-response': {
    lab: [
      'hostile-h2-slow-drip',
      'hostile-h2-no-response',
      'hostile-h2c-slow-drip',
      'hostile-h2c-no-response',
    ],
    realTests: ['test/real-apache-location-cert.test.ts', 'test/real-coverage.test.ts'],
  },
  'h2-connection-specific-header': { lab: pending('issue 11 (real software)'), realTests: ['test/real-coverage.test.ts', 'test/real-fix-verification.test.ts', 'test/real-wrong-answers.test.ts'] },
  'tls-handshake-alert': { lab: ['tls-handshake-alert'], realTests: LAB_ONLY },
  'tls-no-shared-cipher': { lab: ['tls-legacy-ciphers-only'], realTests: ['test/real-fix-verification.test.ts', 'test/real-nginx-sigalgs.test.ts', 'test/real-wrong-answers.test.ts'] },
  'tls-no-shared-group': { lab: ['tls-no-shared-group'], realTests: ['test/real-coverage.test.ts', 'test/real-fix-verification.test.ts'] },
  'tls-version-too-old': { lab: ['tls-legacy-only', 'clients-legacy-only'], realTests: ['test/real-coverage.test.ts', 'test/real-fix-verification.test.ts'] },
  'tls12-not-supported': { lab: ['tls13-only', 'clients-tls13-only'], realTests: ['test/real-coverage.test.ts', 'test/real-fix-verification.test.ts'] },
  'tls13-not-supported': { lab: ['tls12-blocklisted-cipher', 'tls12-only', 'tls-weak-dh-params', 'clients-blocklisted-cipher', 'clients-ecdsa-only'], realTests: ['test/nginx-dh.test.ts', 'test/nginx-tls.test.ts', 'test/real-apache-blocklisted.test.ts', 'test/real-apache-location-cert.test.ts', 'test/real-caddy.test.ts', 'test/real-coverage.test.ts', 'test/real-fix-verification.test.ts', 'test/real-nginx.test.ts'] },
  'tls-legacy-version-enabled': { lab: ['tls-legacy-enabled'], realTests: ['test/nginx-tls.test.ts'] },
  'tls-sni-required': { lab: ['tls-sni-required'], realTests: ['test/real-coverage.test.ts'] },
  'tls-client-cert-required': { lab: ['tls-client-cert-required', 'tls13-client-cert-required'], realTests: ['test/real-apache-location-cert.test.ts', 'test/real-fix-verification.test.ts', 'test/real-wrong-answers.test.ts'] },
  'tls-sni-unknown-name': { lab: ['tls-sni-unknown-name-alert', 'tls-sni-default-certificate'], realTests: ['test/real-wrong-answers.test.ts'] },
  'tls-malformed-response': { lab: ['tls-port-speaks-ssh', 'tls-garbage-records', 'hostile-tls-garbage', 'hostile-tls-huge-length', 'hostile-tls-drip', 'hostile-tls-endless-records', 'hostile-tls-handshake-flood'], realTests: MISBEHAVIOUR },
  'tls-weak-dh-params': { lab: ['tls-weak-dh-params'], realTests: ['test/nginx-dh.test.ts'] },
  'client-handshake-fails': { lab: ['clients-tls13-only', 'clients-blocklisted-cipher', 'clients-legacy-only', 'clients-alpn-http1-only'], realTests: ['test/clients-real.test.ts'] },
  'client-falls-back-to-http1': { lab: ['clients-alpn-http1-only', 'clients-cleartext-http1'], realTests: ['test/clients-real.test.ts'] },
  'cert-hostname-mismatch': { lab: ['cert-hostname-mismatch'], realTests: ['test/real-coverage.test.ts'] },
  'cert-expired': { lab: ['cert-expired'], realTests: ['test/real-coverage.test.ts', 'test/real-fix-verification.test.ts'] },
  'cert-not-yet-valid': { lab: ['cert-not-yet-valid'], realTests: ['test/real-coverage.test.ts'] },
  'cert-untrusted': { lab: ['cert-self-signed'], realTests: ['test/real-coverage.test.ts'] },
  'cert-chain-too-large': { lab: ['hostile-tls-huge-chain', 'hostile-tls12-huge-chain'], realTests: 'the lab server is a real OpenSSL TLS server (Node) serving the chain from its configuration, as nginx or Apache would from a certificate file; test/hostile-chain.test.ts has curl and openssl s_client -tls1_2 print "excessive message size" against it' },
  'cert-chain-incomplete': { lab: ['cert-missing-intermediate'], realTests: ['test/real-coverage.test.ts', 'test/real-fix-verification.test.ts'] },
  'clock-skew': { lab: ['clock-skew'], realTests: ['test/real-coverage.test.ts'] },
  'tls-interception-suspected': { lab: ['proxy-tls-intercepting', 'proxy-tls-intercepting-http1'], realTests: 'needs an intercepting proxy with its own CA; the lab builds one' },
  'upgrade-required-h2': { lab: ['upgrade-426-h2-helper', 'upgrade-426-h2-plain'], realTests: ['test/real-wrong-answers.test.ts'] },
  'upgrade-required-tls': { lab: ['upgrade-426-tls'], realTests: ['test/real-coverage.test.ts'] },
  'upgrade-required-websocket': { lab: ['upgrade-websocket-hint'], realTests: ['test/real-coverage.test.ts'] },
  'upgrade-header-missing': { lab: ['upgrade-426-no-upgrade-field'], realTests: ['test/real-coverage.test.ts', 'test/real-fix-verification.test.ts'] },
  'upgrade-problem-details-missing': { lab: ['upgrade-426-h2-plain', 'upgrade-426-no-upgrade-field'], realTests: ['test/real-coverage.test.ts', 'test/real-fix-verification.test.ts', 'test/real-wrong-answers.test.ts'] },
  'upgrade-header-stripped': { lab: ['websocket-upgrade-stripped'], realTests: ['test/nginx-upgrade.test.ts', 'test/real-fix-verification.test.ts', 'test/real-wrong-answers.test.ts'] },
  'websocket-handshake-failed': { lab: ['websocket-bad-accept'], realTests: ['test/real-wrong-answers.test.ts'] },
  'websocket-subprotocol-rejected': { lab: ['websocket-subprotocol-rejected'], realTests: ['test/real-websocket-subprotocol.test.ts'] },
  'websocket-protocol-error': {
    lab: ['hostile-ws-garbage', 'hostile-ws-length-2e63', 'hostile-ws-bad-close', 'hostile-ws-frame-flood', 'hostile-ws-no-pong'],
    realTests: `${MISBEHAVIOUR}; test/hostile-ws.test.ts has real clients (python3-websockets, Node ws) fail on each`,
  },
  'websocket-over-h2-unsupported': { lab: ['websocket-h2-no-rfc8441'], realTests: ['test/real-coverage.test.ts'] },
  'h1-h2-behaviour-differs': { lab: ['h1-h2-behaviour-differs'], realTests: ['test/real-coverage.test.ts'] },
  'deprecation-announced': { lab: ['upgrade-426-h2-helper'], realTests: ['test/real-coverage.test.ts'] },
  'proxy-connect-failed': { lab: ['proxy-connect-refused', 'proxy-auth-required', 'hostile-proxy-endless-headers', 'hostile-proxy-200-then-hang', 'hostile-proxy-dripping-status'], realTests: ['test/proxy-tinyproxy.test.ts', 'test/real-fix-verification.test.ts'] },
  'proxy-alters-alpn': { lab: ['proxy-tls-intercepting-http1'], realTests: 'needs an intercepting proxy; the lab builds one' },
});

/** Stand-in words from the contract for a code without knowledge (a missing piece the registry test names). */
function contractKnowledge(code: Code): Knowledge {
  const meaning = CODES[code].meaning;
  return { title: () => meaning, explanation: () => meaning, clientsSee: [], fixes: () => [], reproduce: () => [] };
}

function entry(code: Code): CodeEntry {
  const c = CODES[code];
  const k = KNOWLEDGE[code];
  return {
    code,
    family: c.family,
    severity: c.severity,
    meaning: c.meaning,
    rules: [...RULES, ...REPORT_RULES, ...SCAN_RULES].filter((r) => r.codes.includes(code)).map((r) => r.ruleName),
    knowledge: k ?? contractKnowledge(code),
    knowledgeStated: k !== undefined,
    lab: PROOF[code].lab,
    realTests: PROOF[code].realTests,
  };
}

/**
 * Every code of the contract with its rule, knowledge, lab scenarios and real-server tests.
 * @example REGISTRY['alpn-no-h2'].rules // ['alpn']
 */
export const REGISTRY: Readonly<Record<Code, CodeEntry>> = Object.freeze(
  Object.fromEntries((Object.keys(CODES) as Code[]).map((c) => [c, Object.freeze(entry(c))])) as Record<Code, CodeEntry>,
);

/**
 * The words of a code (never missing: the contract's meaning stands in until knowledge is written).
 * @example knowledgeOf('tcp-refused').title(vars)
 */
export function knowledgeOf(code: Code): Knowledge {
  return REGISTRY[code].knowledge;
}

/**
 * What a code still lacks, in words: no rule, no knowledge, no lab scenario or no real-server test
 * without a reason. Empty when the code is complete.
 * @example missingPieces('alpn-no-h2') // []
 */
export function missingPieces(code: Code): string[] {
  const e = REGISTRY[code];
  const out: string[] = [];
  if (e.rules.length === 0) out.push(`${code}: no rule declares it (addressRule/reportRule in src/diagnosis/rules/, listed in rules/index.ts)`);
  if (!e.knowledgeStated) out.push(`${code}: no knowledge (title, explanation, clients print, fixes, reproduce in src/diagnosis/knowledge*)`);
  if (typeof e.lab === 'string' ? e.lab.startsWith('pending') : e.lab.length === 0) out.push(`${code}: no lab scenario (src/lab/scenarios*, expect: ['${code}'])`);
  if (typeof e.realTests === 'string' ? e.realTests.startsWith('pending') : e.realTests.length === 0) out.push(`${code}: no real-server test and no reason (PROOF in src/diagnosis/registry.ts)`);
  return out;
}
