/**
 * The server's clock: its Date header against the local clock when the response arrived (read by the
 * TLS stage, so the rule reads no clock itself).
 */
import { tlsRule } from './common.js';

function formatSeconds(s: number): string {
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${Math.round(s / 86400)} days`;
}

/**
 * More than five minutes between the server's Date and the local clock.
 * @example clockSkewRule(ev)[0]?.detail // 'server behind by 3 days'
 */
export const clockSkewRule = tlsRule('clock-skew', ['clock-skew'], ({ stage }) => {
  const clock = stage?.clock;
  if (!clock || Math.abs(clock.skewSeconds) <= 300) return [];
  return [{
    code: 'clock-skew',
    detail: `${clock.skewSeconds > 0 ? 'server ahead by' : 'server behind by'} ${formatSeconds(Math.abs(clock.skewSeconds))}`,
    evidence: [{ probe: clock.probe, text: `the server's Date header says ${clock.serverDate}; the local clock said ${clock.localTime} when it arrived (difference ${clock.skewSeconds} s)` }],
  }];
});
