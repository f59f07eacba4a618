/**
 * The TLS family's rules, one cause each, in the order their findings are shown: a completed
 * handshake's warnings and certificate first, then what a refused handshake's bisection proves, an
 * unreadable answer, the legacy versions and the clock. Each declares its one code.
 */
import type { Rule } from '../../raw.js';
import { clientCertRule } from './client-cert.js';
import { certChainIncompleteRule, certExpiredRule, certHostnameMismatchRule, certNotYetValidRule, certUntrustedRule } from './certificate.js';
import { chainSizeRule } from './chain-size.js';
import { clockSkewRule } from './clock.js';
import { handshakeAlertRule, noSharedCipherRule, noSharedGroupRule } from './handshake.js';
import { malformedRule } from './malformed.js';
import { sniRequiredRule, sniUnknownNameRule } from './sni.js';
import { legacyVersionRule, tls12NotSupportedRule, tls13NotSupportedRule, versionTooOldRule } from './versions.js';


/**
 * The TLS rules in display order.
 * @example TLS_RULES.map((r) => r.ruleName) // ['tls12-not-supported', 'tls13-not-supported', …, 'clock-skew']
 */
export const TLS_RULES: readonly Rule[] = Object.freeze([
  tls12NotSupportedRule,
  tls13NotSupportedRule,
  sniRequiredRule,
  clientCertRule,
  certExpiredRule,
  certNotYetValidRule,
  certChainIncompleteRule,
  certUntrustedRule,
  sniUnknownNameRule,
  certHostnameMismatchRule,
  versionTooOldRule,
  noSharedCipherRule,
  noSharedGroupRule,
  handshakeAlertRule,
  chainSizeRule,
  malformedRule,
  legacyVersionRule,
  clockSkewRule,
]);
