/**
 * Every rule, in the order their findings are shown (root causes first). Frozen: a caller that
 * wants other rules passes its own list to `diagnoseEvidence`.
 */
import type { Declared, ReportRule, Rule } from '../raw.js';
import { transportRule } from './transport.js';
import { TLS_RULES } from './tls/index.js';
import { tlsWeakDhRule } from './tls-dh.js';
import { PROTOCOL_RULES } from './protocol.js';
import { SESSION_RULES } from './session.js';
import { UPGRADE_RULES } from './upgrade.js';
import { h2FieldsRule } from './h2-fields.js';
import { websocketFramesRule } from './websocket-frames.js';
import { http1HeadRule } from './http1-head.js';
import { proxyTunnelRule } from './proxy-tunnel.js';
import { dnsAddressesDisagree, dnsNoAddress } from './dns.js';
import { resolversDisagree } from './resolvers.js';
import { proxyVsDirect } from './report-level.js';
import { vantageFinding } from './vantage.js';
import { clientsRule } from './clients.js';

/**
 * The rules over one address's evidence.
 * @example RULES.map((r) => r.ruleName) // ['transport', 'tls12-not-supported', 'tls13-not-supported', …]
 */
export const RULES: readonly Rule[] = Object.freeze([proxyTunnelRule, transportRule, ...TLS_RULES, tlsWeakDhRule, ...PROTOCOL_RULES, http1HeadRule, ...SESSION_RULES, h2FieldsRule, ...UPGRADE_RULES, websocketFramesRule, clientsRule]);

/**
 * The rules over the whole diagnosis (every address at once), run after the address rules.
 * @example REPORT_RULES.flatMap((r) => r.codes) // ['dns-no-address', 'dns-addresses-disagree', …]
 */
export const REPORT_RULES: readonly ReportRule[] = Object.freeze([dnsNoAddress, resolversDisagree, dnsAddressesDisagree, proxyVsDirect]);

/**
 * The rules over several diagnoses of one target (the results of a fleet scan from several vantage points).
 * @example SCAN_RULES.map((r) => r.ruleName) // ['vantage-points-disagree']
 */
export const SCAN_RULES: readonly Declared[] = Object.freeze([vantageFinding]);
