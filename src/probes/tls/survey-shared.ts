/**
 * What the survey's per-version eliminations (survey-eliminate.ts) and the survey (survey.ts) share:
 * the groups surveyed, the state the eliminations run on side by side, a version's result, and how a
 * suite found is rated.
 */
import type { RatedSuite, TlsSurface, TlsSurfaceVersion } from '../../model/tls-probes.js';
import type { RawRunner } from './raw.js';
import { ALL_GROUPS } from './hello.js';
import { cipherSuite, cipherSuiteName, h2Blocklisted } from '../../wire/tls/registry.js';

/**
 * Groups surveyed: every group a server might enable (binary and GOST curves left out).
 * @example SURVEY_GROUPS.includes(0x0100) // true (ffdhe2048)
 */
export const SURVEY_GROUPS = ALL_GROUPS.filter((g) => g >= 0x0013 && g !== 0x0022 && (g < 0x0022 || g > 0x0028));
/**
 * Under TLS 1.2 only ECDHE curves are negotiated through supported_groups (RFC 8422); FFDHE (RFC 7919) is left to TLS 1.3.
 * @example EC_GROUPS.includes(0x001d) // true (x25519)
 */
export const EC_GROUPS = SURVEY_GROUPS.filter((g) => g < 0x0100);
/**
 * A suite found, rated: weak, forward secrecy, on the RFC 9113 Appendix A block list.
 * @example rateSuite(0xc02b).forwardSecrecy // true
 */
export function rateSuite(code: number): RatedSuite {
  const c = cipherSuite(code);
  return { name: cipherSuiteName(code), code, weak: !!c?.insecure, forwardSecrecy: !!c && (c.tls13 || c.ephemeral), h2Blocklisted: h2Blocklisted(code) };
}

/**
 * What the eliminations of one survey share (they run side by side).
 * @example const shared: SurveyShared = { raw, sni: 'example.com', groupsFound: new Set(), sigalgsFound: new Set(), tls13Accepted, tls13Answer: () => {} };
 */
export interface SurveyShared {
  raw: RawRunner;
  sni: string | null;
  /** Groups found at any version: a group one version found is not looked for again by the other. */
  groupsFound: Set<number>;
  sigalgsFound: Set<string>;
  /** The smallest DHE prime seen. */
  dhe?: TlsSurface['dhe'];
  /** Whether TLS 1.3 took its first hello: then groups are proven there, and the older versions only rotate them. */
  tls13Accepted: Promise<boolean>;
  tls13Answer: (accepted: boolean) => void;
  /**
   * Resolved once TLS 1.2 will name no elliptic group it has not named yet (it named one already found
   * while the ones not found came first in its offer, or it is over). TLS 1.3 waits for it before a
   * hello that looks for groups without ALPN: an elliptic group TLS 1.2 names anyway costs it nothing.
   */
  ecNamed?: Promise<void>;
  ecNamedNow?: () => void;
}

/**
 * A version's result: its detail when accepted, the alert when refused.
 * @example const r: VersionResult = { v: 0x0303, alert: 'protocol_version (70)' };
 */
export interface VersionResult {
  v: number;
  detail?: TlsSurfaceVersion;
  alert?: string;
}
