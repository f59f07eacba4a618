/**
 * What else a refused handshake's bisection proves: no shared cipher suite, no shared group, and the
 * alert itself when no single parameter explains it (or a signature algorithm or ALPN narrowing,
 * which have no code of their own).
 */
import { tlsRule } from './common.js';
import { proven } from './bisection.js';

/**
 * Node's suites refused while the widest hello is accepted, or no suite accepted at all.
 * @example noSharedCipherRule(ev)[0]?.detail // 'the server accepts no cipher suite at all'
 */
export const noSharedCipherRule = tlsRule('tls-no-shared-cipher', ['tls-no-shared-cipher'], (c) => proven(c, 'tls-no-shared-cipher'));

/**
 * Node's groups refused while the widest hello is accepted.
 * @example noSharedGroupRule(ev)[0]?.detail // 'the server wants brainpoolP256r1 Node does not offer'
 */
export const noSharedGroupRule = tlsRule('tls-no-shared-group', ['tls-no-shared-group'], (c) => proven(c, 'tls-no-shared-group'));

/**
 * The refusal's alert, when the bisection proves no more specific cause (or only the signature
 * algorithms or the ALPN list).
 * @example handshakeAlertRule(ev)[0]?.detail // 'handshake_failure (40)'
 */
export const handshakeAlertRule = tlsRule('tls-handshake-alert', ['tls-handshake-alert'], (c) => proven(c, 'tls-handshake-alert'));
